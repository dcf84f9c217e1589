//! Log output: human-readable text or JSON lines, to stderr.

use tracing_subscriber::EnvFilter;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The variable holding the log filter (`RUST_LOG` syntax).
pub const FILTER_VARIABLE: &str = "NEWSFLOW_LOG";

/// Installs the global subscriber. The level comes from `NEWSFLOW_LOG`,
/// else `default_level`.
pub fn init(format: LogFormat, default_level: &str) {
    let filter =
        EnvFilter::try_from_env(FILTER_VARIABLE).unwrap_or_else(|_| EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

//! `newsflow`: one binary for every role of the pipeline. This crate parses
//! arguments and wires the other crates together; it holds no logic of its
//! own beyond that. It is a library so that the fuzz targets (`fuzz/`) can
//! reach the config-file reader; the binary only calls [`main`].

pub mod allocator;
mod annotate;
mod bench;
mod broker;
pub mod config_file;
mod demo;
mod deploy_check;
mod enrich;
mod http;
mod in_flight_args;
mod in_order;
mod in_process;
mod logging;
mod nlp;
mod produce;
mod replay;
mod samples;
mod sink;
mod story_args;
mod topic_args;
mod watchdog;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use broker::BrokerArgs;
use logging::LogFormat;

/// The command line. Every option also reads a `NEWSFLOW_*` environment
/// variable, which is how containers configure it.
#[derive(Debug, Parser)]
#[command(
    name = "newsflow",
    version,
    about = "Streaming news enrichment over Kafka"
)]
pub struct Cli {
    /// TOML config file: each setting under its NEWSFLOW_* name without the
    /// prefix (brokers, group, sink_to...), in a [command] table to apply
    /// to one command only, and [librdkafka] for -X properties. Flags and
    /// the environment win over it.
    #[arg(long, global = true, env = "NEWSFLOW_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log format on stderr.
    #[arg(
        long,
        global = true,
        env = "NEWSFLOW_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send articles from files, directories or stdin to the raw topic.
    Produce(produce::ProduceArgs),
    /// Enrich raw articles as a member of a consumer group.
    Enrich(enrich::EnrichArgs),
    /// Write enriched articles to a sink.
    Sink(sink::SinkArgs),
    /// Enrich a range of the raw topic again (backfill), outside the live
    /// consumer group.
    Replay(replay::ReplayArgs),
    /// Enrich files offline, without a broker.
    Annotate(annotate::AnnotateArgs),
    /// Run the whole pipeline on an in-process broker over bundled samples.
    Demo(demo::DemoArgs),
    /// Measure throughput (use a release build).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Train and evaluate the NLP models.
    #[command(subcommand)]
    Nlp(nlp::NlpCommand),
}

impl Command {
    /// The broker options of a command that talks to Kafka.
    fn broker_mut(&mut self) -> Option<&mut BrokerArgs> {
        match self {
            Command::Produce(args) => Some(&mut args.broker),
            Command::Enrich(args) => Some(&mut args.broker),
            Command::Sink(args) => Some(&mut args.broker),
            Command::Replay(args) => Some(&mut args.broker),
            Command::Bench(bench::BenchCommand::Pipeline(args)) => Some(&mut args.broker),
            Command::Annotate(_) | Command::Demo(_) | Command::Bench(_) | Command::Nlp(_) => None,
        }
    }
}

/// The whole `newsflow` command.
pub fn main() -> ExitCode {
    // Before any thread starts (see the module for why).
    allocator::keep_mmap_threshold();
    let file_properties = match apply_config_file() {
        Ok(properties) => properties,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let mut cli = Cli::parse();
    // The file's librdkafka properties come first: the command line's -X,
    // applied later, wins.
    if let Some(broker) = cli.command.broker_mut() {
        broker.properties.splice(0..0, file_properties);
    }
    // The demo prints its own summary; routine logs would bury it.
    let default_level = if matches!(cli.command, Command::Demo(_)) {
        "warn"
    } else {
        "info"
    };
    logging::init(cli.log_format, default_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(
            std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .max(2),
        )
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli));
    // Work left on a blocking thread (a consumer's close that the broker
    // holds, say) must not keep a finished command from exiting.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Finds `--config` (or `NEWSFLOW_CONFIG`) and the command with a lenient
/// first reading of the command line, and applies the file; the real
/// parse comes after, with the file's settings in place.
fn apply_config_file() -> anyhow::Result<Vec<(String, String)>> {
    use clap::CommandFactory;
    let Ok(matches) = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(std::env::args_os())
    else {
        return Ok(Vec::new());
    };
    let Some(path) = matches.get_one::<std::path::PathBuf>("config") else {
        return Ok(Vec::new());
    };
    let command = matches.subcommand_name().unwrap_or_default();
    config_file::apply(path, command)
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Produce(args) => produce::run(args).await,
        Command::Enrich(args) => enrich::run(args).await,
        Command::Sink(args) => sink::run(args).await,
        Command::Replay(args) => replay::run(args).await,
        Command::Annotate(args) => annotate::run(args),
        Command::Demo(args) => demo::run(args).await,
        Command::Bench(command) => bench::run(command).await,
        Command::Nlp(command) => nlp::run(command),
    }
}

/// The command `newsflow ARGS...` parses to, for the tests of each
/// command's options; panics with clap's message when it does not parse.
#[cfg(test)]
pub(crate) fn parse_command(args: &[&str]) -> Command {
    use clap::Parser as _;
    match Cli::try_parse_from([&["newsflow"][..], args].concat()) {
        Ok(cli) => cli.command,
        Err(e) => panic!("{args:?}: {e}"),
    }
}

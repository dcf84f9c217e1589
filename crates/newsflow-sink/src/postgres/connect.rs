//! Reaching PostgreSQL: the target's settings, the connection pool and its
//! TLS, and the wait for the database at start.

use std::path::PathBuf;
use std::str::FromStr as _;
use std::time::Duration;

use anyhow::Context as _;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use postgres_openssl::MakeTlsConnector;
use tokio_util::sync::CancellationToken;

use super::error::DbError;
use super::migrations;
use super::writer::WriterOptions;
use crate::log_messages::POSTGRES_UNAVAILABLE_AT_START;

/// Settings of the PostgreSQL target.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// A libpq-style URL or key=value string.
    pub url: String,
    pub writer: WriterOptions,
    /// How long to wait for a connection to be made.
    pub connect_timeout: Duration,
    /// CA certificate(s) to verify the server with. Without it, TLS (as
    /// the URL's `sslmode` asks: `prefer` by default, `require`,
    /// `disable`) encrypts without verifying, as libpq does.
    pub ca: Option<PathBuf>,
}

impl PostgresOptions {
    pub fn new(url: impl Into<String>) -> Self {
        PostgresOptions {
            url: url.into(),
            writer: WriterOptions::default(),
            connect_timeout: Duration::from_secs(5),
            ca: None,
        }
    }

    /// Where the sink writes, without the password, for logs.
    pub fn describe(&self) -> String {
        match tokio_postgres::Config::from_str(&self.url) {
            Ok(config) => {
                let hosts: Vec<String> = config
                    .get_hosts()
                    .iter()
                    .zip(config.get_ports().iter().chain(std::iter::repeat(&5432)))
                    .map(|(host, port)| match host {
                        tokio_postgres::config::Host::Tcp(h) => format!("{h}:{port}"),
                        #[cfg(unix)]
                        tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
                    })
                    .collect();
                format!(
                    "{}/{}",
                    hosts.join(","),
                    config.get_dbname().unwrap_or_default()
                )
            }
            Err(_) => "(unparsable URL)".into(),
        }
    }

    /// A pool of connections for the writers, plus one spare.
    pub fn pool(&self) -> anyhow::Result<Pool> {
        let mut config =
            tokio_postgres::Config::from_str(&self.url).context("parsing the PostgreSQL URL")?;
        config
            .connect_timeout(self.connect_timeout)
            .keepalives_idle(Duration::from_secs(30))
            .application_name("newsflow-sink");
        let manager = Manager::from_config(
            config,
            self.tls()?,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        Pool::builder(manager)
            .max_size(self.writer.writers.max(1) + 1)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(self.connect_timeout * 2))
            .create_timeout(Some(self.connect_timeout))
            .build()
            .context("creating the PostgreSQL connection pool")
    }
}

impl PostgresOptions {
    fn tls(&self) -> anyhow::Result<MakeTlsConnector> {
        let mut builder =
            SslConnector::builder(SslMethod::tls()).context("setting up TLS for PostgreSQL")?;
        match &self.ca {
            Some(ca) => builder
                .set_ca_file(ca)
                .with_context(|| format!("reading the PostgreSQL CA file {}", ca.display()))?,
            None => builder.set_verify(SslVerifyMode::NONE),
        }
        let mut connector = MakeTlsConnector::new(builder.build());
        if self.ca.is_none() {
            // Nothing to check the name against either.
            connector.set_callback(|config, _| {
                config.set_verify_hostname(false);
                Ok(())
            });
        }
        Ok(connector)
    }
}

/// Applies the migrations, waiting for the database if it is not up yet.
/// Returns `false` if `shutdown` came first.
pub async fn prepare_database(
    options: &PostgresOptions,
    pool: &Pool,
    shutdown: &CancellationToken,
) -> anyhow::Result<bool> {
    let mut backoff = options.writer.min_backoff;
    loop {
        let error = match pool.get().await {
            Ok(mut client) => {
                let applied = migrations::migrate(&mut client).await?;
                tracing::info!(
                    database = options.describe(),
                    applied = ?applied,
                    "PostgreSQL schema is up to date"
                );
                return Ok(true);
            }
            Err(e) => DbError::from(e),
        };
        if error.is_data_error() {
            anyhow::bail!("PostgreSQL at {}: {error}", options.describe());
        }
        tracing::warn!(
            database = options.describe(),
            error = %error,
            retry_in_ms = backoff.as_millis() as u64,
            "{POSTGRES_UNAVAILABLE_AT_START}"
        );
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = shutdown.cancelled() => return Ok(false),
        }
        backoff = (backoff * 2).min(options.writer.max_backoff);
    }
}

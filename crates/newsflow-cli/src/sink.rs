//! `newsflow sink`: enriched records into JSONL files or PostgreSQL.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use newsflow_kafka::PipelineStats;
use newsflow_sink::{JsonlOptions, PostgresOptions, SinkOptions};

use crate::broker::BrokerArgs;
use crate::http::{self, HttpArgs};
use crate::in_flight_args::InFlightArgs;
use crate::watchdog::MembershipArgs;

#[derive(Debug, Args)]
pub struct SinkArgs {
    /// Where to write: jsonl:DIR, or a PostgreSQL URL
    /// (postgres://user@host:5432/db).
    #[arg(
        long,
        env = "NEWSFLOW_SINK_TO",
        default_value = "jsonl:./newsflow-output"
    )]
    pub to: String,
    #[arg(
        long,
        env = "NEWSFLOW_ENRICHED_TOPIC",
        default_value = "articles.enriched"
    )]
    pub input_topic: String,
    #[arg(long, env = "NEWSFLOW_DLQ_TOPIC", default_value = "articles.dlq")]
    pub dlq_topic: String,
    #[arg(long, env = "NEWSFLOW_GROUP", default_value = "newsflow-sink")]
    pub group: String,
    #[arg(long, env = "NEWSFLOW_MAX_RECORD_BYTES", default_value_t = newsflow_sink::DEFAULT_MAX_RECORD_BYTES)]
    pub max_record_bytes: usize,
    /// Start a new JSONL file after this many bytes.
    #[arg(long, env = "NEWSFLOW_ROTATE_BYTES", default_value_t = 128 << 20)]
    pub rotate_bytes: u64,
    /// Start a new JSONL file after this many seconds.
    #[arg(long, env = "NEWSFLOW_ROTATE_SECS", default_value_t = 3600)]
    pub rotate_secs: u64,
    /// PostgreSQL: articles per transaction at most.
    #[arg(long, env = "NEWSFLOW_BATCH_RECORDS", default_value_t = 200)]
    pub batch_records: usize,
    /// PostgreSQL: transactions in flight at once.
    #[arg(long, env = "NEWSFLOW_PG_WRITERS", default_value_t = 2)]
    pub writers: usize,
    /// PostgreSQL: CA certificate(s) to verify the server's certificate and
    /// name with. Without it, TLS (the URL's sslmode: prefer by default,
    /// require, disable) encrypts without verifying, as libpq does.
    #[arg(long, env = "NEWSFLOW_PG_CA", value_name = "FILE")]
    pub pg_ca: Option<PathBuf>,
    /// Before joining, set the group's position to the first record at or
    /// after this time (RFC 3339), to sink history again into a fresh
    /// target. No member of the group may be running.
    #[arg(long, env = "NEWSFLOW_SINK_FROM", value_name = "TIME")]
    pub from: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[command(flatten)]
    pub watchdog: MembershipArgs,
    #[command(flatten)]
    pub in_flight: InFlightArgs,
    #[command(flatten)]
    pub http: HttpArgs,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

pub enum SinkTarget {
    Jsonl(JsonlOptions),
    Postgres(PostgresOptions),
}

impl SinkArgs {
    pub fn target(&self) -> anyhow::Result<SinkTarget> {
        match self.to.split_once(':') {
            Some(("jsonl", dir)) if !dir.is_empty() => {
                let mut options = JsonlOptions::new(dir);
                options.rotate_bytes = self.rotate_bytes;
                options.rotate_after = Duration::from_secs(self.rotate_secs);
                Ok(SinkTarget::Jsonl(options))
            }
            Some(("postgres" | "postgresql", _)) => {
                let mut options = PostgresOptions::new(&self.to);
                options.writer.batch_records = self.batch_records.max(1);
                options.writer.writers = self.writers.max(1);
                options.ca = self.pg_ca.clone();
                Ok(SinkTarget::Postgres(options))
            }
            _ => anyhow::bail!(
                "unsupported sink target {:?}: expected jsonl:DIR or postgres://...",
                self.to
            ),
        }
    }

    pub fn options(&self) -> SinkOptions {
        SinkOptions {
            input_topic: self.input_topic.clone(),
            dlq_topic: self.dlq_topic.clone(),
            group_id: self.group.clone(),
            max_record_bytes: self.max_record_bytes,
            watchdog: self.watchdog.watchdog(),
            instance_id: self.watchdog.instance_id.clone(),
            in_flight: self.in_flight.in_flight(),
        }
    }
}

pub async fn run(args: SinkArgs) -> anyhow::Result<ExitCode> {
    let target = args.target()?;
    let kafka = args.broker.connect().await?;
    let stats = Arc::new(PipelineStats::default());
    let shutdown = newsflow_kafka::shutdown_on_signals();
    args.http
        .serve(http::Ops::Pipeline(stats.clone()), shutdown.clone())
        .await?;
    if let Some(from) = args.from {
        let offsets = newsflow_kafka::reset_group_to_time(
            &kafka,
            &args.group,
            &args.input_topic,
            from.timestamp_millis(),
        )
        .await?;
        tracing::info!(group = args.group, from = %from.to_rfc3339(), ?offsets, "group moved to the start time");
    }
    match target {
        SinkTarget::Jsonl(options) => {
            newsflow_sink::run_jsonl(&kafka, &args.options(), options, stats, shutdown).await?
        }
        SinkTarget::Postgres(options) => {
            tracing::info!(database = options.describe(), "PostgreSQL sink");
            newsflow_sink::run_postgres(&kafka, &args.options(), options, stats, shutdown).await?
        }
    }
    Ok(ExitCode::SUCCESS)
}

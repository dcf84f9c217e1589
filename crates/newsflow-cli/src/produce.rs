//! `newsflow produce`: articles from files, directories, stdin, feeds or
//! HTTP into the raw topic.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use newsflow_kafka::KafkaConfig;
use newsflow_kafka::{ensure_topics, TopicSpec};

use crate::broker::BrokerArgs;
use crate::http;
use crate::topic_args::CreateTopicArgs;

#[derive(Debug, Args)]
pub struct ProduceArgs {
    /// Files (.txt, .json, .jsonl), directories, or - for stdin.
    #[arg(required_unless_present = "http")]
    pub inputs: Vec<PathBuf>,
    /// Instead of reading files, serve POST /v1/articles (and /metrics,
    /// /healthz, /readyz) on this address, e.g. 0.0.0.0:8080.
    #[arg(
        long,
        env = "NEWSFLOW_HTTP",
        value_name = "ADDR",
        conflicts_with = "inputs"
    )]
    pub http: Option<std::net::SocketAddr>,
    /// With --http: requests must carry `Authorization: Bearer TOKEN`.
    #[arg(long, env = "NEWSFLOW_INGEST_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// With --http: larger request bodies are refused (413).
    #[arg(long, env = "NEWSFLOW_MAX_BODY_BYTES", default_value_t = 16 << 20)]
    pub max_body_bytes: usize,
    #[arg(long, env = "NEWSFLOW_RAW_TOPIC", default_value = "articles.raw")]
    pub topic: String,
    #[command(flatten)]
    pub topics: CreateTopicArgs,
    /// Largest record accepted, in bytes.
    #[arg(long, env = "NEWSFLOW_MAX_RECORD_BYTES", default_value_t = newsflow_enricher::DEFAULT_MAX_RECORD_BYTES)]
    pub max_record_bytes: usize,
    /// Seconds to wait for the broker to acknowledge a record.
    #[arg(long, env = "NEWSFLOW_TIMEOUT_SECS", default_value_t = 30)]
    pub timeout_secs: u64,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

impl ProduceArgs {
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs)
    }
}

pub async fn run(args: ProduceArgs) -> anyhow::Result<ExitCode> {
    let kafka = args.broker.connect().await?;
    if let Some((partitions, replication)) = args.topics.create() {
        ensure_topics(
            &kafka,
            &[TopicSpec::new(&args.topic, partitions, replication)],
        )
        .await?;
    }
    let timeout = args.timeout();
    if let Some(addr) = args.http {
        return ingest(&kafka, &args, addr).await;
    }
    let items = newsflow_producer::sources::read_inputs(args.inputs, args.max_record_bytes);
    let summary = newsflow_producer::produce(&kafka, &args.topic, items, timeout).await?;
    eprintln!("produce: {summary} (topic {})", args.topic);
    Ok(if summary.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `produce --http`: the ingest endpoint, until SIGTERM.
async fn ingest(
    kafka: &KafkaConfig,
    args: &ProduceArgs,
    addr: std::net::SocketAddr,
) -> anyhow::Result<ExitCode> {
    use newsflow_producer::ingest::{Ingest, IngestOptions};
    let producer = newsflow_kafka::Producer::for_ingest(kafka, args.timeout())?;
    let ingest = Ingest::new(
        producer,
        IngestOptions {
            topic: args.topic.clone(),
            max_body_bytes: args.max_body_bytes,
            max_record_bytes: args.max_record_bytes,
            token: args.token.clone(),
        },
    );
    let shutdown = newsflow_kafka::shutdown_on_signals();
    let server = http::serve(
        addr,
        http::Ops::Always(ingest.clone()),
        ingest.router(),
        shutdown,
    )
    .await?;
    tracing::info!(%addr, topic = args.topic, "accepting articles at POST /v1/articles");
    server.await?;
    Ok(ExitCode::SUCCESS)
}

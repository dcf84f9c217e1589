//! `newsflow sink`: enriched records into durable storage.
//!
//! Each target is a [`Stage`] whose acknowledgement means "durable": for
//! JSONL files, written and fsynced ([`jsonl`]); for PostgreSQL, committed
//! ([`postgres`]). The consumer loop in
//! [`newsflow_kafka::pipeline`] stores a record's offset only after that
//! acknowledgement, so a crash never loses a record, and at worst writes
//! the last unacknowledged batch twice.

pub mod jsonl;
pub mod postgres;

use std::sync::Arc;

use futures::future::{BoxFuture, FutureExt};
use newsflow_core::decode_enriched;
use newsflow_kafka::{
    Ack, DeliveryFailure, KafkaConfig, Pipeline, PipelineOptions, PipelineStats, Rejection,
    SourceRecord, Stage, Watchdog,
};
use tokio_util::sync::CancellationToken;

pub use jsonl::{JsonlOptions, JsonlWriter};
use newsflow_core::DeadLetterReason;
pub use postgres::{run_postgres, PostgresOptions};

/// Default limit on the size of one enriched record.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 8 << 20;

/// Validates enriched records and appends them to JSONL files.
pub struct JsonlStage {
    writer: JsonlWriter,
    max_record_bytes: usize,
}

impl JsonlStage {
    pub fn new(writer: JsonlWriter, max_record_bytes: usize) -> Self {
        JsonlStage {
            writer,
            max_record_bytes,
        }
    }
}

impl Stage for JsonlStage {
    type Output = Vec<u8>;

    fn name(&self) -> &'static str {
        "sink"
    }

    fn process(&self, record: &SourceRecord) -> Result<Vec<u8>, Rejection> {
        let article = decode_enriched(record.payload(), self.max_record_bytes)?;
        // Re-serialised so every line is one compact JSON object, whatever
        // formatting the producer used; unknown fields ride along in `extra`.
        serde_json::to_vec(&article)
            .map_err(|e| Rejection::new(DeadLetterReason::Serialize, e.to_string()))
    }

    // Yielding a future is the point: enqueue now, acknowledge later.
    #[allow(clippy::async_yields_async)]
    fn deliver<'a>(&'a self, line: Vec<u8>, _source: &'a SourceRecord) -> BoxFuture<'a, Ack> {
        async move {
            match self.writer.append(line).await {
                Ok(durable) => Box::pin(async move {
                    durable.await.unwrap_or_else(|_| {
                        Err(DeliveryFailure::Fatal("the JSONL writer stopped".into()))
                    })
                }) as Ack,
                Err(failure) => Box::pin(futures::future::ready(Err(failure))) as Ack,
            }
        }
        .boxed()
    }
}

/// Settings of `newsflow sink`.
#[derive(Debug, Clone)]
pub struct SinkOptions {
    pub input_topic: String,
    pub dlq_topic: String,
    pub group_id: String,
    pub max_record_bytes: usize,
    pub watchdog: Watchdog,
    /// Static group membership (see `PipelineOptions::instance_id`).
    pub instance_id: Option<String>,
}

impl SinkOptions {
    pub fn pipeline(&self) -> PipelineOptions {
        let mut pipeline =
            PipelineOptions::group(&self.group_id, &self.input_topic, &self.dlq_topic);
        pipeline.watchdog = self.watchdog.clone();
        pipeline.instance_id = self.instance_id.clone();
        pipeline
    }
}

/// Runs the JSONL sink until `shutdown` is cancelled.
pub async fn run_jsonl(
    kafka: &KafkaConfig,
    options: &SinkOptions,
    jsonl: JsonlOptions,
    stats: Arc<PipelineStats>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let writer = JsonlWriter::start(jsonl)?;
    let stage = Arc::new(JsonlStage::new(writer.clone(), options.max_record_bytes));
    let result = match Pipeline::new(kafka, options.pipeline()) {
        Ok(pipeline) => pipeline.run(stage, stats, shutdown).await,
        Err(e) => Err(e),
    };
    writer.close().await;
    result
}

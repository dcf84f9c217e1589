//! `newsflow sink`: enriched records into durable storage.
//!
//! Each target is a [`newsflow_kafka::Stage`] whose acknowledgement means "durable": for
//! JSONL files, written and fsynced ([`jsonl`]); for PostgreSQL, committed
//! ([`postgres`]). The consumer loop in
//! [`newsflow_kafka::Pipeline`] stores a record's offset only after that
//! acknowledgement, so a crash never loses a record, and at worst writes
//! the last unacknowledged batch twice.

mod batcher;
pub mod jsonl;
pub mod log_messages;
pub mod postgres;

use std::sync::Arc;

use newsflow_kafka::{InFlight, KafkaConfig, Pipeline, PipelineOptions, PipelineStats, Watchdog};
use tokio_util::sync::CancellationToken;

pub use jsonl::{JsonlOptions, JsonlStage, JsonlWriter};
pub use postgres::{run_postgres, PostgresOptions};

/// Default limit on the size of one enriched record.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 8 << 20;

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
    /// Work held at once, in records per partition and in bytes.
    pub in_flight: InFlight,
}

impl SinkOptions {
    pub fn pipeline(&self) -> PipelineOptions {
        let mut pipeline =
            PipelineOptions::group(&self.group_id, &self.input_topic, &self.dlq_topic);
        pipeline.watchdog = self.watchdog.clone();
        pipeline.instance_id = self.instance_id.clone();
        pipeline.limit_in_flight(self.in_flight);
        pipeline.fetch_wait_ms = newsflow_kafka::SINK_FETCH_WAIT_MAX_MS;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sink_waits_longer_for_data_than_other_consumers() {
        let options = SinkOptions {
            input_topic: "in".into(),
            dlq_topic: "dlq".into(),
            group_id: "g".into(),
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            watchdog: Watchdog::default(),
            instance_id: None,
            in_flight: InFlight::default(),
        };
        let sink = options.pipeline();
        assert_eq!(sink.fetch_wait_ms, newsflow_kafka::SINK_FETCH_WAIT_MAX_MS);
        let other = PipelineOptions::group("g", "in", "dlq");
        assert!(other.fetch_wait_ms < sink.fetch_wait_ms, "{other:?}");
    }
}

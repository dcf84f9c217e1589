//! The PostgreSQL sink's stage: enriched records in, rows out to the
//! writer, and the sink's run.

use std::sync::Arc;
use std::time::Duration;

use futures::future::{BoxFuture, FutureExt};
use newsflow_core::decode_enriched;
use newsflow_kafka::{Ack, KafkaConfig, Pipeline, PipelineStats, Rejection, SourceRecord, Stage};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::connect::{prepare_database, PostgresOptions};
use super::rows::ArticleRow;
use super::writer::PostgresWriter;
use crate::SinkOptions;

/// Validates enriched records and queues their rows for the writer.
pub struct PostgresStage {
    writer: PostgresWriter,
    max_record_bytes: usize,
}

impl PostgresStage {
    pub fn new(writer: PostgresWriter, max_record_bytes: usize) -> Self {
        PostgresStage {
            writer,
            max_record_bytes,
        }
    }
}

impl Stage for PostgresStage {
    type Output = ArticleRow;

    fn name(&self) -> &'static str {
        "sink"
    }

    fn process(&self, record: &SourceRecord) -> Result<ArticleRow, Rejection> {
        let article = decode_enriched(record.payload(), self.max_record_bytes)?;
        ArticleRow::new(&article, record)
    }

    // Yielding a future is the point: enqueue now, acknowledge later.
    #[allow(clippy::async_yields_async)]
    fn deliver<'a>(&'a self, row: ArticleRow, _source: &'a SourceRecord) -> BoxFuture<'a, Ack> {
        self.writer.deliver(row).boxed()
    }

    fn health(&self) -> Option<watch::Receiver<bool>> {
        Some(self.writer.health())
    }
}

/// Runs the PostgreSQL sink until `shutdown` is cancelled.
pub async fn run_postgres(
    kafka: &KafkaConfig,
    options: &SinkOptions,
    postgres: PostgresOptions,
    stats: Arc<PipelineStats>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let pool = postgres.pool()?;
    if !prepare_database(&postgres, &pool, &shutdown).await? {
        return Ok(());
    }
    let writer = PostgresWriter::start(pool, postgres.writer.clone());
    stats.attach(writer.metrics());
    let stage = Arc::new(PostgresStage::new(writer.clone(), options.max_record_bytes));
    let result = match Pipeline::new(kafka, options.pipeline()) {
        Ok(pipeline) => pipeline.run(stage, stats, shutdown).await,
        Err(e) => Err(e),
    };
    writer.close(Duration::from_secs(5)).await;
    result
}

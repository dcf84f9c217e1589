//! The enrich stage.
//!
//! Reads RawArticle records, runs them through [`newsflow_nlp::Annotator`]
//! and writes EnrichedArticle records keyed by article id. Records that
//! cannot be decoded go to the dead-letter topic with the reason. All the
//! delivery logic (ordering, offsets, rebalance, shutdown) lives in
//! [`newsflow_kafka::pipeline`]; this crate only says what one record
//! becomes.

use std::sync::Arc;

use futures::future::{BoxFuture, FutureExt};
use newsflow_core::{decode_raw, SourcePosition};
use newsflow_kafka::produce::{ack, enqueue, OutRecord};
use newsflow_kafka::topics::{ensure_topics, TopicSpec};
use newsflow_kafka::{
    Ack, KafkaConfig, PipelineOptions, PipelineStats, Rejection, SourceRecord, Stage,
};
use newsflow_nlp::Annotator;
use rdkafka::producer::FutureProducer;
use tokio_util::sync::CancellationToken;

/// Default limit on the size of one raw record.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 2 << 20;

/// Turns one raw record into one enriched record.
pub struct EnrichStage {
    annotator: Arc<Annotator>,
    producer: FutureProducer,
    output_topic: String,
    max_record_bytes: usize,
}

impl EnrichStage {
    pub fn new(
        annotator: Arc<Annotator>,
        producer: FutureProducer,
        output_topic: String,
        max_record_bytes: usize,
    ) -> Self {
        EnrichStage {
            annotator,
            producer,
            output_topic,
            max_record_bytes,
        }
    }
}

impl Stage for EnrichStage {
    type Output = OutRecord;

    fn name(&self) -> &'static str {
        "enrich"
    }

    fn process(&self, record: &SourceRecord) -> Result<OutRecord, Rejection> {
        let raw = decode_raw(record.payload(), self.max_record_bytes)?;
        let source = SourcePosition {
            topic: record.topic.clone(),
            partition: record.partition,
            offset: record.offset,
        };
        let enriched = self.annotator.annotate(raw, Some(source));
        let payload = serde_json::to_vec(&enriched).map_err(|e| {
            Rejection::new(
                "serialize",
                format!("cannot serialise the enriched record: {e}"),
            )
        })?;
        Ok(OutRecord {
            key: Some(enriched.id.into_bytes()),
            payload,
            headers: Vec::new(),
        })
    }

    // Yielding a future is the point: enqueue now, acknowledge later.
    #[allow(clippy::async_yields_async)]
    fn deliver<'a>(&'a self, output: OutRecord, _source: &'a SourceRecord) -> BoxFuture<'a, Ack> {
        async move {
            match enqueue(&self.producer, &self.output_topic, &output).await {
                Ok(delivery) => ack(delivery),
                Err(failure) => futures::future::ready(Err(failure)).boxed(),
            }
        }
        .boxed()
    }
}

/// Settings of `newsflow enrich`.
#[derive(Debug, Clone)]
pub struct EnrichOptions {
    pub input_topic: String,
    pub output_topic: String,
    pub dlq_topic: String,
    pub group_id: String,
    pub max_record_bytes: usize,
    /// Create the output and dead-letter topics when missing, with these
    /// partitions and replication factor.
    pub create_topics: Option<(i32, i32)>,
}

/// Runs the enrich stage as a member of `options.group_id` until
/// `shutdown` is cancelled.
pub async fn run(
    kafka: &KafkaConfig,
    options: &EnrichOptions,
    annotator: Arc<Annotator>,
    stats: Arc<PipelineStats>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let pipeline =
        PipelineOptions::group(&options.group_id, &options.input_topic, &options.dlq_topic);
    run_pipeline(kafka, options, pipeline, annotator, stats, shutdown).await
}

/// Runs the enrich stage over what `pipeline` subscribes to (a group, or
/// the offset ranges of a replay).
pub async fn run_pipeline(
    kafka: &KafkaConfig,
    options: &EnrichOptions,
    pipeline: PipelineOptions,
    annotator: Arc<Annotator>,
    stats: Arc<PipelineStats>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    if let Some((partitions, replication)) = options.create_topics {
        let specs = [&options.output_topic, &options.dlq_topic]
            .map(|t| TopicSpec::new(t.as_str(), partitions, replication));
        ensure_topics(kafka, &specs).await?;
    }
    let producer: FutureProducer = kafka.pipeline_producer().create()?;
    let stage = Arc::new(EnrichStage::new(
        annotator,
        producer.clone(),
        options.output_topic.clone(),
        options.max_record_bytes,
    ));
    newsflow_kafka::pipeline::run(kafka, pipeline, stage, producer, stats, shutdown).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage() -> EnrichStage {
        let producer: FutureProducer = rdkafka::ClientConfig::new()
            .set("bootstrap.servers", "127.0.0.1:1")
            .create()
            .expect("a producer needs no connection to be created");
        EnrichStage::new(
            Arc::new(Annotator::new()),
            producer,
            "out".into(),
            DEFAULT_MAX_RECORD_BYTES,
        )
    }

    fn record(payload: Vec<u8>) -> SourceRecord {
        SourceRecord {
            topic: "raw".into(),
            partition: 3,
            offset: 17,
            key: None,
            payload: Some(payload),
            headers: Vec::new(),
            timestamp: None,
        }
    }

    #[test]
    fn a_ten_megabyte_record_is_rejected_as_too_large() {
        let body = "x".repeat(10 << 20);
        let payload = format!(r#"{{"title":"T","body":"{body}"}}"#).into_bytes();
        let rejection = stage().process(&record(payload)).unwrap_err();
        assert_eq!(rejection.kind, "too_large");
        assert!(rejection.message.contains("10485"), "{}", rejection.message);
    }

    #[test]
    fn output_is_keyed_by_article_id_and_records_its_source() {
        let out = stage()
            .process(&record(
                br#"{"id":"a-1","title":"T","body":"Some text."}"#.to_vec(),
            ))
            .unwrap();
        assert_eq!(out.key.as_deref(), Some(&b"a-1"[..]));
        let value: serde_json::Value = serde_json::from_slice(&out.payload).unwrap();
        assert_eq!(value["schema"], "newsflow.enriched/1");
        assert_eq!(value["provenance"]["source"]["partition"], 3);
        assert_eq!(value["provenance"]["source"]["offset"], 17);
    }
}

//! The enrich stage.
//!
//! Reads RawArticle records, runs them through [`newsflow_nlp::Annotator`]
//! and writes EnrichedArticle records keyed by article id. Records that
//! cannot be decoded go to the dead-letter topic with the reason. All the
//! delivery logic (ordering, offsets, rebalance, shutdown) lives in
//! [`newsflow_kafka::pipeline`]; this crate only says what one record
//! becomes.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use futures::future::{BoxFuture, FutureExt};
use newsflow_core::DeadLetterReason;
use newsflow_core::{decode_raw, EnrichedArticle, RecordBounds, SourcePosition};
use newsflow_kafka::metrics::catalogue::ANALYSIS_SKIPPED;
use newsflow_kafka::metrics::{Exposition, Report};
use newsflow_kafka::OutRecord;
use newsflow_kafka::{ensure_topics, max_message_bytes, TopicSpec};
use newsflow_kafka::{
    Ack, DeliveryFailure, InFlight, KafkaConfig, Pipeline, PipelineOptions, PipelineStats,
    Producer, Rejection, SourceRecord, Stage, Watchdog,
};
use newsflow_nlp::Annotator;
use newsflow_stories::{MemoryIndex, RedisStore, StoryIndex, Thresholds, Window};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

mod stories;

pub use stories::{PendingStory, StoryMetrics, StoryStep};

/// Default limit on the size of one raw record.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 2 << 20;

/// Limit on one enriched record when neither the command line nor the
/// output topic says: Apache Kafka's default `max.message.bytes`, rounded.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 1 << 20;

/// The most an output may be: what the pipeline's producer sends at all.
const PRODUCER_MAX_BYTES: usize = 16 << 20;

/// Room left in the output limit for the record's framing and headers
/// besides the key and the value.
const RECORD_OVERHEAD_BYTES: usize = 512;

/// How large records may be, in and out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordLimits {
    /// Raw records larger than this are dead-lettered.
    pub max_record_bytes: usize,
    /// Enriched records are bounded to fit in this (key and value); what
    /// cannot fit is dead-lettered.
    pub max_output_bytes: usize,
}

impl Default for RecordLimits {
    fn default() -> Self {
        RecordLimits {
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            max_output_bytes: DEFAULT_MAX_OUTPUT_BYTES,
        }
    }
}

/// Turns one raw record into one enriched record.
pub struct EnrichStage {
    annotator: Arc<Annotator>,
    producer: Producer,
    output_topic: String,
    limits: RecordLimits,
    skipped: Arc<SkippedAnalyses>,
    stories: Option<StoryStep>,
}

/// One enriched record, and what its story decision needs.
#[derive(Debug)]
pub struct Enriched {
    pub record: OutRecord,
    pub story: Option<PendingStory>,
}

/// Articles whose analysis was skipped, by language, for `/metrics`.
#[derive(Default)]
pub struct SkippedAnalyses {
    by_language: Mutex<BTreeMap<String, u64>>,
}

impl SkippedAnalyses {
    fn record(&self, language: &str) {
        let mut counts = self.by_language.lock().unwrap_or_else(|p| p.into_inner());
        *counts.entry(language.to_string()).or_insert(0) += 1;
    }
}

impl Report for SkippedAnalyses {
    fn report(&self, out: &mut Exposition) {
        out.family(&ANALYSIS_SKIPPED);
        let counts = self.by_language.lock().unwrap_or_else(|p| p.into_inner());
        for (language, count) in counts.iter() {
            out.sample(&ANALYSIS_SKIPPED, &[("language", language)], *count as f64);
        }
    }
}

impl EnrichStage {
    pub fn new(
        annotator: Arc<Annotator>,
        producer: Producer,
        output_topic: String,
        limits: RecordLimits,
    ) -> Self {
        EnrichStage {
            annotator,
            producer,
            output_topic,
            limits,
            skipped: Arc::default(),
            stories: None,
        }
    }

    /// Decides each record's story with `step` (see [`StoryStep`]).
    pub fn with_stories(mut self, step: StoryStep) -> Self {
        self.stories = Some(step);
        self
    }

    /// The story step's metrics, when there is one.
    pub fn story_metrics(&self) -> Option<Arc<StoryMetrics>> {
        self.stories.as_ref().map(StoryStep::metrics)
    }

    /// The stage's own metrics.
    pub fn skipped_analyses(&self) -> Arc<SkippedAnalyses> {
        self.skipped.clone()
    }
}

/// Serialises `enriched` into at most `limit` bytes, leaving out more of
/// its entities, mentions and dates (and saying so in `truncated`) until it
/// fits. A record too large even without them is refused.
pub fn serialise_within(
    enriched: &mut EnrichedArticle,
    limit: usize,
) -> Result<Vec<u8>, Rejection> {
    let mut bounds = RecordBounds::default();
    loop {
        let payload = serde_json::to_vec(&*enriched).map_err(|e| {
            Rejection::new(
                DeadLetterReason::Serialize,
                format!("cannot serialise the enriched record: {e}"),
            )
        })?;
        if payload.len() <= limit {
            return Ok(payload);
        }
        if bounds == RecordBounds::NONE {
            return Err(Rejection::new(
                DeadLetterReason::OutputTooLarge,
                format!(
                    "the enriched record is {} bytes even without entities, mentions and dates; \
                     the output limit is {limit} bytes (--max-output-bytes)",
                    payload.len()
                ),
            ));
        }
        bounds = bounds.tighter();
        enriched.bound(bounds);
    }
}

impl Stage for EnrichStage {
    type Output = Enriched;

    fn name(&self) -> &'static str {
        "enrich"
    }

    fn process(&self, record: &SourceRecord) -> Result<Enriched, Rejection> {
        let raw = decode_raw(record.payload(), self.limits.max_record_bytes)?;
        let source = SourcePosition {
            topic: record.topic.clone(),
            partition: record.partition,
            offset: record.offset,
        };
        let mut enriched = self.annotator.annotate(raw, Some(source));
        let story = self.stories.as_ref().map(|step| step.pending(&enriched));
        let story_room = if story.is_some() {
            stories::STORY_ROOM_BYTES
        } else {
            0
        };
        let room = self
            .limits
            .max_output_bytes
            .saturating_sub(enriched.id.len() + RECORD_OVERHEAD_BYTES + story_room);
        let payload = serialise_within(&mut enriched, room)?;
        if enriched.analysis_skipped.is_some() {
            self.skipped.record(&enriched.language.code);
        }
        Ok(Enriched {
            record: OutRecord {
                key: Some(enriched.id.into_bytes()),
                payload,
                headers: Vec::new(),
            },
            story,
        })
    }

    fn resolve<'a>(
        &'a self,
        mut output: Enriched,
        _source: &'a SourceRecord,
    ) -> BoxFuture<'a, Result<Enriched, DeliveryFailure>> {
        async move {
            let (Some(step), Some(pending)) = (&self.stories, output.story.take()) else {
                return Ok(output);
            };
            if let Some(story) = step.decide(&pending).await {
                let record = &mut output.record;
                let limit = self.limits.max_output_bytes.saturating_sub(
                    record.key.as_ref().map_or(0, Vec::len) + RECORD_OVERHEAD_BYTES,
                );
                if !stories::add_story(&mut record.payload, &story, limit) {
                    tracing::warn!(
                        story = story.id,
                        "the story does not fit in the output limit; the record goes without it"
                    );
                }
            }
            Ok(output)
        }
        .boxed()
    }

    // Yielding a future is the point: enqueue now, acknowledge later.
    #[allow(clippy::async_yields_async)]
    fn deliver<'a>(&'a self, output: Enriched, _source: &'a SourceRecord) -> BoxFuture<'a, Ack> {
        async move {
            match self
                .producer
                .enqueue(&self.output_topic, &output.record)
                .await
            {
                Ok(ack) => ack,
                Err(failure) => futures::future::ready(Err(failure)).boxed(),
            }
        }
        .boxed()
    }

    fn health(&self) -> Option<watch::Receiver<bool>> {
        self.stories.as_ref().and_then(StoryStep::health)
    }
}

/// How the enricher decides stories.
#[derive(Debug, Clone, Default)]
pub enum StoryDetection {
    /// Not at all: records go without `story`.
    Off,
    /// In this process: right for one enricher, or for replicas that need
    /// not agree across partitions.
    #[default]
    InProcess,
    /// In the Redis server at `url`, shared by the replicas, under keys
    /// that start with `prefix`.
    Shared { url: String, prefix: String },
}

/// The story rule and where it is kept.
#[derive(Debug, Clone)]
pub struct StoryOptions {
    pub detection: StoryDetection,
    pub thresholds: Thresholds,
    pub window: Window,
}

impl Default for StoryOptions {
    /// In process, with the in-process window.
    fn default() -> Self {
        StoryOptions {
            detection: StoryDetection::default(),
            thresholds: Thresholds::default(),
            window: Window::in_process(),
        }
    }
}

impl StoryOptions {
    /// The step these options ask for; `None` when detection is off.
    pub fn step(&self) -> anyhow::Result<Option<StoryStep>> {
        let index = match &self.detection {
            StoryDetection::Off => return Ok(None),
            StoryDetection::InProcess => StoryIndex::InProcess(std::sync::Mutex::new(
                MemoryIndex::new(self.thresholds, self.window),
            )),
            StoryDetection::Shared { url, prefix } => {
                StoryIndex::Shared(RedisStore::new(url, prefix, self.thresholds, self.window)?)
            }
        };
        Ok(Some(StoryStep::new(index)))
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
    /// Limit on one enriched record; `None`: the output topic's
    /// `max.message.bytes` where the broker says, else
    /// [`DEFAULT_MAX_OUTPUT_BYTES`].
    pub max_output_bytes: Option<usize>,
    pub watchdog: Watchdog,
    /// Static group membership (see [`PipelineOptions::instance_id`]).
    pub instance_id: Option<String>,
    /// Work held at once, in records per partition and in bytes.
    pub in_flight: InFlight,
    /// Create the output and dead-letter topics when missing, with these
    /// partitions and replication factor.
    pub create_topics: Option<(i32, i32)>,
    /// Near-duplicate and story detection.
    pub stories: StoryOptions,
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
    let mut pipeline =
        PipelineOptions::group(&options.group_id, &options.input_topic, &options.dlq_topic);
    pipeline.watchdog = options.watchdog.clone();
    pipeline.instance_id = options.instance_id.clone();
    pipeline.limit_in_flight(options.in_flight);
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
    let limits = RecordLimits {
        max_record_bytes: options.max_record_bytes,
        max_output_bytes: output_limit(kafka, options).await,
    };
    let pipeline = Pipeline::new(kafka, pipeline)?;
    let mut stage = EnrichStage::new(
        annotator,
        pipeline.producer(),
        options.output_topic.clone(),
        limits,
    );
    if let Some(step) = options.stories.step()? {
        stage = stage.with_stories(step);
    }
    let stage = Arc::new(stage);
    stats.attach(stage.skipped_analyses());
    if let Some(metrics) = stage.story_metrics() {
        stats.attach(metrics);
    }
    pipeline.run(stage, stats, shutdown).await
}

/// The output limit: as given, else the output topic's, else the default;
/// never above what the producer sends.
async fn output_limit(kafka: &KafkaConfig, options: &EnrichOptions) -> usize {
    let (limit, from) = match options.max_output_bytes {
        Some(bytes) => (bytes, "--max-output-bytes"),
        None => match max_message_bytes(kafka, &options.output_topic).await {
            Some(bytes) => (bytes, "the topic's max.message.bytes"),
            None => (DEFAULT_MAX_OUTPUT_BYTES, "the default"),
        },
    };
    let limit = limit.min(PRODUCER_MAX_BYTES);
    tracing::info!(
        topic = options.output_topic,
        bytes = limit,
        from,
        "output record limit"
    );
    limit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage_of(annotator: Annotator, limits: RecordLimits) -> EnrichStage {
        let producer = Producer::for_pipeline(&KafkaConfig::new("127.0.0.1:1"))
            .expect("a producer needs no connection to be created");
        EnrichStage::new(Arc::new(annotator), producer, "out".into(), limits)
    }

    fn stage() -> EnrichStage {
        stage_of(Annotator::new(), RecordLimits::default())
    }

    fn stage_with_models(limits: RecordLimits) -> EnrichStage {
        let annotator = Annotator::with_default_models().expect("the built-in models load");
        stage_of(annotator, limits)
    }

    /// An article that is nothing but names and dates, `bytes` long.
    fn names_and_dates(bytes: usize) -> Vec<u8> {
        let phrase =
            "New York Bank of the United Nations met John Smith on March 6, 2020 and Monday. ";
        let body = phrase.repeat(bytes / phrase.len() + 1);
        serde_json::to_vec(&serde_json::json!({"id": "odd-1", "title": "Names", "body": body}))
            .unwrap()
    }

    #[test]
    fn an_output_over_the_limit_is_bounded_to_fit_and_says_what_it_dropped() {
        let limits = RecordLimits {
            max_output_bytes: 64 << 10,
            ..RecordLimits::default()
        };
        let out = stage_with_models(limits)
            .process(&record(names_and_dates(20 << 10)))
            .unwrap();
        assert!(out.record.payload.len() + 5 + RECORD_OVERHEAD_BYTES <= 64 << 10);
        let article: EnrichedArticle = serde_json::from_slice(&out.record.payload).unwrap();
        let truncated = article.truncated.expect("the record says it was bounded");
        assert!(truncated.mentions > 0, "{truncated:?}");
        assert!(!article.entities.is_empty());
        for entity in &article.entities {
            assert!(!entity.mentions.is_empty());
            assert!(entity.count as usize >= entity.mentions.len());
        }
        let listed: usize = article.entities.iter().map(|e| e.mentions.len()).sum();
        let counted: usize = article.entities.iter().map(|e| e.count as usize).sum();
        assert!(listed < counted);
    }

    #[test]
    fn an_output_that_cannot_fit_is_rejected_with_its_size() {
        let limits = RecordLimits {
            max_output_bytes: 16 << 10,
            ..RecordLimits::default()
        };
        let rejection = stage_with_models(limits)
            .process(&record(names_and_dates(20 << 10)))
            .unwrap_err();
        assert_eq!(rejection.kind, DeadLetterReason::OutputTooLarge);
        assert!(
            rejection.message.contains("output limit is"),
            "{}",
            rejection.message
        );
    }

    #[test]
    fn skipped_analyses_are_counted_by_language() {
        let stage = stage_with_models(RecordLimits::default());
        let french = br#"{"title":"Le gouvernement pr\u00e9sente son budget","body":"Le ministre a pr\u00e9sent\u00e9 mardi un budget qui pr\u00e9voit une baisse des imp\u00f4ts pour les m\u00e9nages."}"#;
        let english = br#"{"title":"Council approves budget","body":"The council approved the budget on Monday."}"#;
        for payload in [&french[..], &french[..], &english[..]] {
            stage.process(&record(payload.to_vec())).unwrap();
        }
        let mut out = Exposition::default();
        stage.skipped_analyses().report(&mut out);
        let text = out.finish();
        assert!(
            text.contains(r#"newsflow_analysis_skipped_total{language="fr"} 2"#),
            "{text}"
        );
        assert!(!text.contains(r#"language="en""#), "{text}");
    }

    #[test]
    fn serialising_within_a_roomy_limit_changes_nothing() {
        let mut article = stage_with_models(RecordLimits::default())
            .annotator
            .annotate(
                newsflow_core::RawArticle::new(
                    "Talks",
                    "Recep Tayyip Erdoğan met Vladimir Putin in Sochi on Monday.",
                ),
                None,
            );
        let before = article.clone();
        let payload = serialise_within(&mut article, 1 << 20).unwrap();
        assert_eq!(article, before);
        assert_eq!(payload, serde_json::to_vec(&before).unwrap());
        assert!(article.truncated.is_none());
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
        assert_eq!(rejection.kind, DeadLetterReason::TooLarge);
        assert!(rejection.message.contains("10485"), "{}", rejection.message);
    }

    #[test]
    fn output_is_keyed_by_article_id_and_records_its_source() {
        let out = stage()
            .process(&record(
                br#"{"id":"a-1","title":"T","body":"Some text."}"#.to_vec(),
            ))
            .unwrap();
        assert_eq!(out.record.key.as_deref(), Some(&b"a-1"[..]));
        let value: serde_json::Value = serde_json::from_slice(&out.record.payload).unwrap();
        assert_eq!(value["schema"], "newsflow.enriched/1");
        assert_eq!(value["provenance"]["source"]["partition"], 3);
        assert_eq!(value["provenance"]["source"]["offset"], 17);
    }
}

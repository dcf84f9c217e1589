//! Enrich and sink running side by side in this process, over any broker:
//! what `newsflow demo` runs.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use newsflow_enricher::EnrichOptions;
use newsflow_kafka::{KafkaConfig, PipelineStats};
use newsflow_nlp::Annotator;
use newsflow_sink::{JsonlOptions, SinkOptions};
use tokio_util::sync::CancellationToken;

/// Where the in-process pipeline reads and writes.
pub struct Topics {
    pub raw: String,
    pub enriched: String,
    pub dlq: String,
    /// Prefix of the two consumer groups.
    pub group: String,
}

/// What a run did.
pub struct Outcome {
    pub enrich: Arc<PipelineStats>,
}

/// Runs enrich and a JSONL sink until the sink has handled `expected`
/// records (or `timeout` passes), then shuts both down cleanly.
pub async fn run(
    kafka: &KafkaConfig,
    topics: &Topics,
    sink_dir: PathBuf,
    expected: u64,
    timeout: Duration,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let shutdown = CancellationToken::new();
    let enrich_stats = Arc::new(PipelineStats::default());
    let sink_stats = Arc::new(PipelineStats::default());
    let enrich = {
        let kafka = kafka.clone();
        let options = EnrichOptions {
            input_topic: topics.raw.clone(),
            output_topic: topics.enriched.clone(),
            dlq_topic: topics.dlq.clone(),
            group_id: format!("{}-enrich", topics.group),
            max_record_bytes: newsflow_enricher::DEFAULT_MAX_RECORD_BYTES,
            // The in-process broker's topics have no limit to ask about.
            max_output_bytes: Some(newsflow_enricher::DEFAULT_MAX_OUTPUT_BYTES),
            watchdog: Default::default(),
            instance_id: None,
            in_flight: Default::default(),
            create_topics: None,
            stories: Default::default(),
        };
        let (stats, shutdown) = (enrich_stats.clone(), shutdown.clone());
        let annotator = Arc::new(Annotator::with_default_models()?);
        tokio::spawn(async move {
            newsflow_enricher::run(&kafka, &options, annotator, stats, shutdown).await
        })
    };
    let sink = {
        let kafka = kafka.clone();
        let options = SinkOptions {
            input_topic: topics.enriched.clone(),
            dlq_topic: topics.dlq.clone(),
            group_id: format!("{}-sink", topics.group),
            max_record_bytes: newsflow_sink::DEFAULT_MAX_RECORD_BYTES,
            watchdog: Default::default(),
            instance_id: None,
            in_flight: Default::default(),
        };
        let (stats, shutdown) = (sink_stats.clone(), shutdown.clone());
        tokio::spawn(async move {
            newsflow_sink::run_jsonl(
                &kafka,
                &options,
                JsonlOptions::new(sink_dir),
                stats,
                shutdown,
            )
            .await
        })
    };

    let deadline = started + timeout;
    let handled =
        || sink_stats.delivered() + sink_stats.dead_lettered() + enrich_stats.dead_lettered();
    while handled() < expected
        && Instant::now() < deadline
        && !enrich.is_finished()
        && !sink.is_finished()
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    shutdown.cancel();
    enrich.await.context("enricher task")??;
    sink.await.context("sink task")??;
    Ok(Outcome {
        enrich: enrich_stats,
    })
}

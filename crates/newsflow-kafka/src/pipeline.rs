//! The consume → process → deliver loop of a consumer-group member.
//!
//! One task reads from the consumer and routes each record to its
//! partition's worker ([`crate::partition_worker`]), starting one on first
//! sight. Workers store offsets as outputs are acknowledged; librdkafka
//! commits stored offsets every second, and synchronously on rebalance
//! ([`crate::rebalance`]) and on shutdown.
//!
//! Shutdown (SIGTERM, or the token being cancelled) stops fetching, lets
//! every worker finish what it holds, commits, and leaves the group.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::producer::FutureProducer;
use tokio_util::sync::CancellationToken;

use crate::dlq::DeadLetters;
use crate::partition_worker::{self, OffsetStore, WorkerEnv};
use crate::rebalance::{commit_sync, take_workers, RebalanceContext, Workers};
use crate::{KafkaConfig, PipelineStats, SourceRecord, Stage};

/// What the pipeline reads.
#[derive(Debug, Clone)]
pub enum Subscription {
    /// Join `group_id` and share `topics`' partitions with its other members.
    Group {
        group_id: String,
        topics: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub struct PipelineOptions {
    pub subscription: Subscription,
    pub dlq_topic: String,
    /// Records a partition may have in flight (processing or unacknowledged).
    pub max_in_flight: usize,
    /// How long a revoke or shutdown waits for in-flight work.
    pub drain_timeout: Duration,
}

impl PipelineOptions {
    pub fn group(group_id: &str, topic: &str, dlq_topic: &str) -> Self {
        PipelineOptions {
            subscription: Subscription::Group {
                group_id: group_id.to_string(),
                topics: vec![topic.to_string()],
            },
            dlq_topic: dlq_topic.to_string(),
            max_in_flight: 256,
            drain_timeout: Duration::from_secs(30),
        }
    }
}

/// Set once by whichever part of the pipeline hits an error it cannot get
/// past; stops the whole pipeline.
#[derive(Default)]
pub(crate) struct Failure {
    token: CancellationToken,
    reason: Mutex<Option<String>>,
}

impl Failure {
    pub(crate) fn fail(&self, reason: String) {
        tracing::error!(reason, "pipeline stopping");
        let mut slot = self.reason.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert(reason);
        self.token.cancel();
    }

    fn reason(&self) -> Option<String> {
        self.reason
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Runs `stage` over the subscription until `shutdown` is cancelled (or a
/// fatal delivery error), then drains and commits. Must run on a
/// multi-threaded tokio runtime: rebalance draining blocks one of its
/// threads while the others finish the work.
pub async fn run<S: Stage>(
    kafka: &KafkaConfig,
    options: PipelineOptions,
    stage: Arc<S>,
    dlq_producer: FutureProducer,
    stats: Arc<PipelineStats>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    kafka.validate().map_err(anyhow::Error::msg)?;
    let workers: Arc<Workers> = Arc::new(Mutex::new(HashMap::new()));
    let context = RebalanceContext {
        workers: workers.clone(),
        drain_timeout: options.drain_timeout,
    };
    let Subscription::Group { group_id, topics } = &options.subscription;
    let consumer: Arc<StreamConsumer<RebalanceContext>> = Arc::new(
        kafka
            .group_consumer(group_id)
            .create_with_context(context)
            .context("creating the Kafka consumer")?,
    );
    let topic_refs: Vec<&str> = topics.iter().map(String::as_str).collect();
    consumer
        .subscribe(&topic_refs)
        .with_context(|| format!("subscribing to {topics:?}"))?;
    tracing::info!(stage = stage.name(), group = group_id, ?topics, "consuming");

    let failure = Arc::new(Failure::default());
    let store_offset: OffsetStore = {
        let consumer = Arc::downgrade(&consumer);
        Arc::new(move |topic: &str, partition: i32, offset: i64| {
            let Some(consumer) = consumer.upgrade() else {
                return;
            };
            // librdkafka stores offset + 1: the next record to read.
            if let Err(e) = consumer.store_offset(topic, partition, offset) {
                // The partition was revoked after its drain timed out; the
                // next owner reads this record again.
                tracing::debug!(topic, partition, offset, error = %e, "offset not stored");
            }
        })
    };
    let env = Arc::new(WorkerEnv {
        stage: stage.clone(),
        dead_letters: DeadLetters::new(dlq_producer, options.dlq_topic.clone()),
        store_offset,
        stats: stats.clone(),
        failure: failure.clone(),
        max_in_flight: options.max_in_flight,
    });

    loop {
        let message = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            _ = failure.token.cancelled() => break,
            message = consumer.recv() => message,
        };
        let record = match message {
            Ok(message) => SourceRecord::from_message(&message),
            Err(e) => {
                // librdkafka reconnects by itself; these are reports.
                tracing::warn!(error = %e, "consumer error");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        stats.record_received();
        let input = {
            let mut workers = workers.lock().unwrap_or_else(|p| p.into_inner());
            workers
                .entry((record.topic.clone(), record.partition))
                .or_insert_with(|| partition_worker::spawn(env.clone()))
                .input
                .clone()
        };
        if input.send(record).await.is_err() {
            // The worker stopped on a fatal error; `failure` says why.
            break;
        }
    }

    tracing::info!(stage = stage.name(), "stopping: draining in-flight work");
    let handles = take_workers(&workers, |_| true);
    if tokio::time::timeout(options.drain_timeout, futures::future::join_all(handles))
        .await
        .is_err()
    {
        tracing::warn!(
            "in-flight work not drained in time; it will be processed again after restart"
        );
    }
    commit_sync(&*consumer);
    consumer.unsubscribe();
    tracing::info!(
        stage = stage.name(),
        received = stats.received(),
        delivered = stats.delivered(),
        dead_lettered = stats.dead_lettered(),
        "stopped"
    );
    match failure.reason() {
        Some(reason) => Err(anyhow::anyhow!(reason)),
        None => Ok(()),
    }
}

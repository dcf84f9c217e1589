//! The consume → process → deliver loop of a consumer-group member
//! ([`Pipeline`]).
//!
//! One task reads from the consumer and routes each record to its
//! partition's worker ([`crate::partition_worker`]), starting one on first
//! sight. Workers store offsets as outputs are acknowledged; librdkafka
//! commits stored offsets every second, and synchronously on rebalance
//! ([`crate::rebalance`]) and on shutdown.
//!
//! Shutdown (SIGTERM, or the token being cancelled) stops fetching, lets
//! every worker finish what it holds, commits, and leaves the group.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::topic_partition_list::TopicPartitionList;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::dlq::DeadLetters;
use crate::failure::Failure;
use crate::membership::MembershipWatch;
use crate::offsets::{commit_sync, offset_store};
use crate::pacing::Pacing;
use crate::partition_worker::{self, take_workers, WorkerEnv, Workers};
use crate::produce::Producer;
use crate::ranges::{Admit, PartitionRange, RangeTracker};
use crate::rebalance::{Owned, RebalanceContext};
use crate::stall::{Skipper, StallWatch};
use crate::{KafkaConfig, PipelineStats, SourceRecord, Stage};

/// What the pipeline reads.
#[derive(Debug, Clone)]
pub enum Subscription {
    /// Join `group_id` and share `topics`' partitions with its other members.
    Group {
        group_id: String,
        topics: Vec<String>,
    },
    /// Read fixed offset ranges by direct assignment, outside any group's
    /// membership, and stop at their ends (replay). Offsets are committed
    /// under `group_id`, which must not be a live group's.
    Ranges {
        group_id: String,
        ranges: Vec<PartitionRange>,
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
    /// Records per second handed to the stage at most.
    pub max_rate: Option<f64>,
    pub watchdog: Watchdog,
    /// `group.instance.id` for static membership (KIP-345): a member that
    /// restarts under the same id within the session timeout gets its
    /// partitions back without a rebalance. A member with one does not
    /// leave the group when it stops, so its partitions wait out the
    /// session timeout when it does not come back.
    pub instance_id: Option<String>,
}

/// What the pipeline does about partitions that stop moving and members
/// left without partitions.
#[derive(Debug, Clone, PartialEq)]
pub struct Watchdog {
    /// A partition standing below its end this long, with nothing holding
    /// it back, is reported stalled.
    pub stall_timeout: Duration,
    /// Dead-letter a stalled partition's offset (headers only: the record
    /// was never read) and move past it. Off by default: a record must not
    /// vanish because a broker was slow.
    pub skip_unreadable: bool,
    /// A member without partitions while its group's partitions lag and
    /// none of them moves rejoins after this long; `None`: three session
    /// timeouts.
    pub rejoin_after: Option<Duration>,
    /// Stop with an error when rejoining did not help (for runs without a
    /// probe to restart them).
    pub exit_when_stuck: bool,
}

impl Default for Watchdog {
    fn default() -> Self {
        Watchdog {
            stall_timeout: Duration::from_secs(120),
            skip_unreadable: false,
            rejoin_after: None,
            exit_when_stuck: false,
        }
    }
}

impl PipelineOptions {
    pub fn group(group_id: &str, topic: &str, dlq_topic: &str) -> Self {
        Self::new(
            Subscription::Group {
                group_id: group_id.to_string(),
                topics: vec![topic.to_string()],
            },
            dlq_topic,
        )
    }

    pub fn ranges(group_id: &str, ranges: Vec<PartitionRange>, dlq_topic: &str) -> Self {
        Self::new(
            Subscription::Ranges {
                group_id: group_id.to_string(),
                ranges,
            },
            dlq_topic,
        )
    }

    fn new(subscription: Subscription, dlq_topic: &str) -> Self {
        PipelineOptions {
            subscription,
            dlq_topic: dlq_topic.to_string(),
            max_in_flight: 256,
            drain_timeout: Duration::from_secs(30),
            max_rate: None,
            watchdog: Watchdog::default(),
            instance_id: None,
        }
    }
}

/// A pipeline ready to run: its options, and the one producer its dead
/// letters go through, which a stage that writes to Kafka shares.
pub struct Pipeline {
    kafka: KafkaConfig,
    options: PipelineOptions,
    producer: Producer,
}

impl Pipeline {
    pub fn new(kafka: &KafkaConfig, options: PipelineOptions) -> anyhow::Result<Self> {
        kafka.validate().map_err(anyhow::Error::msg)?;
        let producer = Producer::for_pipeline(kafka).context("creating the Kafka producer")?;
        Ok(Pipeline {
            kafka: kafka.clone(),
            options,
            producer,
        })
    }

    /// The producer dead letters go through, for a stage whose output is a
    /// topic too.
    pub fn producer(&self) -> Producer {
        self.producer.clone()
    }

    /// Runs `stage` over the subscription until `shutdown` is cancelled, a
    /// fatal delivery error, or (for ranges) the end of every range; then
    /// drains and commits. Must run on a multi-threaded tokio runtime:
    /// rebalance draining blocks one of its threads while the others finish
    /// the work. A group member that stays without partitions although
    /// rejoining (see [`crate::membership`]) gets a new consumer, after the
    /// old one has drained and committed.
    pub async fn run<S: Stage>(
        self,
        stage: Arc<S>,
        stats: Arc<PipelineStats>,
        shutdown: CancellationToken,
    ) -> anyhow::Result<()> {
        let dead_letters = DeadLetters::new(self.producer, self.options.dlq_topic.clone());
        let recreated = Arc::new(AtomicBool::new(false));
        loop {
            let ended = run_consumer(
                &self.kafka,
                &self.options,
                stage.clone(),
                dead_letters.clone(),
                stats.clone(),
                shutdown.clone(),
                recreated.clone(),
            )
            .await?;
            if ended == Ended::Done || shutdown.is_cancelled() {
                return Ok(());
            }
        }
    }
}

/// Why one consumer of [`run`] stopped without an error.
#[derive(Debug, PartialEq, Eq)]
enum Ended {
    Done,
    Recreate,
}

async fn run_consumer<S: Stage>(
    kafka: &KafkaConfig,
    options: &PipelineOptions,
    stage: Arc<S>,
    dead_letters: DeadLetters,
    stats: Arc<PipelineStats>,
    shutdown: CancellationToken,
    recreated: Arc<AtomicBool>,
) -> anyhow::Result<Ended> {
    let workers: Arc<Workers> = Arc::new(Mutex::new(HashMap::new()));
    stats.set_stage(stage.name());
    let stalls = Arc::new(StallWatch::new(options.watchdog.stall_timeout));
    let paused_flag = Arc::new(AtomicBool::new(false));
    let owned = Arc::new(Owned::default());
    let context = RebalanceContext {
        workers: workers.clone(),
        drain_timeout: options.drain_timeout,
        stats: stats.clone(),
        stalls: stalls.clone(),
        paused: paused_flag.clone(),
        owned: owned.clone(),
    };
    let group_id = match &options.subscription {
        Subscription::Group { group_id, .. } | Subscription::Ranges { group_id, .. } => group_id,
    };
    let mut config = kafka.group_consumer(group_id);
    // Consumer lag for /metrics comes from these statistics.
    config.set("statistics.interval.ms", "5000");
    if let (Some(id), Subscription::Group { .. }) = (&options.instance_id, &options.subscription) {
        config.set("group.instance.id", id);
    }
    let consumer: Arc<StreamConsumer<RebalanceContext>> = Arc::new(
        config
            .create_with_context(context)
            .context("creating the Kafka consumer")?,
    );
    let mut ranges = RangeTracker::default();
    match &options.subscription {
        Subscription::Group { topics, .. } => {
            let topic_refs: Vec<&str> = topics.iter().map(String::as_str).collect();
            consumer
                .subscribe(&topic_refs)
                .with_context(|| format!("subscribing to {topics:?}"))?;
            tracing::info!(stage = stage.name(), group = group_id, ?topics, "consuming");
        }
        Subscription::Ranges { ranges: list, .. } => {
            ranges = RangeTracker::new(list);
            consumer
                .assign(&ranges.assignment()?)
                .context("assigning the partitions to read")?;
            stats.set_assigned(ranges.open());
            tracing::info!(
                stage = stage.name(),
                partitions = ranges.open(),
                "reading offset ranges"
            );
        }
    }

    let failure = Arc::new(Failure::default());
    if let Subscription::Group { topics, .. } = &options.subscription {
        let watch = MembershipWatch {
            consumer: consumer.clone(),
            topics: topics.clone(),
            stats: stats.clone(),
            rejoin_after: options
                .watchdog
                .rejoin_after
                .unwrap_or_else(|| 3 * kafka.session_timeout()),
            exit_when_stuck: options.watchdog.exit_when_stuck,
            failure: failure.clone(),
            recreated,
        };
        tokio::spawn(watch.run(shutdown.clone()));
    }
    let store_offset = offset_store(Arc::downgrade(&consumer));
    let env = Arc::new(WorkerEnv {
        stage: stage.clone(),
        dead_letters: dead_letters.clone(),
        store_offset: store_offset.clone(),
        stats: stats.clone(),
        failure: failure.clone(),
        max_in_flight: options.max_in_flight,
    });
    let input_for = |record: &SourceRecord| {
        let mut workers = workers.lock().unwrap_or_else(|p| p.into_inner());
        let worker = workers
            .entry((record.topic.clone(), record.partition))
            .or_insert_with(|| partition_worker::spawn(env.clone()));
        (worker.input.clone(), worker.in_flight_counter())
    };

    // Records read but not yet taken by their partition's worker. Reading
    // goes on while it holds one only if fetching is paused, so it stays
    // small, and the consumer is polled even while a worker is full (a
    // consumer that stops polling is dropped from its group).
    let mut backlog: VecDeque<SourceRecord> = VecDeque::new();
    let mut health = stage.health();
    let mut paused = false;
    let mut pacing = Pacing::new(options.max_rate);
    let mut repause = tokio::time::interval(Duration::from_secs(1));
    let mut skip_check = tokio::time::interval(Duration::from_secs(1));
    let skip_unreadable = options.watchdog.skip_unreadable;
    let grouped = matches!(options.subscription, Subscription::Group { .. });
    let mut revocations = owned.revocations();
    loop {
        if grouped && owned.revocations() != revocations {
            // A rebalance took partitions away inside `recv()`: their
            // workers were drained and committed, and the records read but
            // not handed over belong to the new owner now. Handing them to
            // a new worker would process them twice.
            revocations = owned.revocations();
            backlog.retain(|r| owned.holds(&r.topic, r.partition));
        }
        if ranges.all_done() && backlog.is_empty() {
            tracing::info!(stage = stage.name(), "every range read to its end");
            break;
        }
        let (next_input, in_flight) = match backlog.front().map(&input_for) {
            Some((input, count)) => (Some(input), Some(count)),
            None => (None, None),
        };
        let ready_at = pacing.ready_at();
        tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            _ = failure.token.cancelled() => break,
            healthy = next_health(&mut health) => {
                paused = !healthy;
                paused_flag.store(paused, Ordering::Relaxed);
                stats.set_output_available(healthy);
                let partitions = set_paused(&*consumer, &ranges, paused);
                if paused {
                    tracing::warn!(stage = stage.name(), partitions, "output unavailable: fetching paused");
                } else {
                    tracing::info!(stage = stage.name(), partitions, "output available: fetching resumed");
                }
            }
            _ = repause.tick(), if paused => {
                // Partitions assigned since the pause start unpaused.
                set_paused(&*consumer, &ranges, true);
            }
            _ = skip_check.tick(), if skip_unreadable => {
                for stall in stalls.stalled() {
                    let key = (stall.topic.clone(), stall.partition);
                    let moving = backlog.iter().any(|r| r.topic == key.0 && r.partition == key.1)
                        || workers
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .get(&key)
                            .is_some_and(|w| w.in_flight() > 0);
                    if moving {
                        // Its record came after all, since the last statistics.
                        stalls.restart(&key);
                        continue;
                    }
                    let skipper = Skipper {
                        consumer: &*consumer,
                        dead_letters: &dead_letters,
                        store_offset: &store_offset,
                        stage: stage.name(),
                        stats: &stats,
                    };
                    skipper.skip(&stall).await;
                    stalls.restart(&key);
                    stats.set_stalled(stalls.stalled().len());
                }
            }
            permit = reserve(next_input, ready_at), if !backlog.is_empty() => {
                let (Ok(permit), Some(record)) = (permit, backlog.pop_front()) else {
                    // The worker stopped on a fatal error; `failure` says why.
                    break;
                };
                pacing.sent();
                if let Some(count) = &in_flight {
                    count.fetch_add(1, Ordering::Relaxed);
                }
                permit.send(record);
            }
            message = consumer.recv(), if backlog.is_empty() || paused => {
                let record = match message {
                    Ok(message) => SourceRecord::from_message(&message),
                    Err(e) => {
                        // librdkafka reconnects by itself; these are reports.
                        tracing::warn!(error = %e, "consumer error");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                match ranges.admit(&record) {
                    Admit::Yes => {}
                    Admit::Last => {
                        pause_partition(&*consumer, &record);
                        stalls.finish((record.topic.clone(), record.partition));
                        stats.set_assigned(ranges.open());
                    }
                    Admit::PastEnd => {
                        pause_partition(&*consumer, &record);
                        stalls.finish((record.topic.clone(), record.partition));
                        stats.set_assigned(ranges.open());
                        continue;
                    }
                }
                stats.record_received();
                backlog.push_back(record);
            }
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
    close_within(consumer, CLOSE_TIMEOUT).await;
    stats.set_assigned(0);
    tracing::info!(
        stage = stage.name(),
        received = stats.received(),
        delivered = stats.delivered(),
        dead_lettered = stats.dead_lettered(),
        "stopped"
    );
    match failure.reason() {
        Some(reason) => Err(anyhow::anyhow!(reason)),
        None if failure.recreate.load(Ordering::Relaxed) => Ok(Ended::Recreate),
        None => Ok(Ended::Done),
    }
}

/// The longest a stopping consumer waits to leave its group.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(10);

/// Closes the consumer (dropping its last handle), waiting at most
/// `timeout`. librdkafka's close waits without a limit for the coordinator
/// to let the member go, and a coordinator in the middle of a rebalance
/// can hold it for good (seen with Tansu 0.6.0 during a rolling restart).
/// Offsets are committed by then, so the process may go on without it: the
/// group drops the member when its session times out.
async fn close_within(consumer: Arc<StreamConsumer<RebalanceContext>>, timeout: Duration) {
    let (done, closed) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        drop(consumer);
        let _ = done.send(());
    });
    if tokio::time::timeout(timeout, closed).await.is_err() {
        tracing::warn!(
            ?timeout,
            "the consumer did not leave its group in time; going on without it"
        );
    }
}

/// Waits for the stage's health to change; never resolves for a stage
/// without one.
async fn next_health(health: &mut Option<watch::Receiver<bool>>) -> bool {
    match health {
        Some(receiver) => match receiver.changed().await {
            Ok(()) => *receiver.borrow_and_update(),
            Err(_) => {
                // The stage dropped its sender: nothing more to learn.
                *health = None;
                std::future::pending().await
            }
        },
        None => std::future::pending().await,
    }
}

/// Room in a worker's queue, not before `ready_at` (the rate limit).
async fn reserve(
    input: Option<mpsc::Sender<SourceRecord>>,
    ready_at: Option<tokio::time::Instant>,
) -> Result<mpsc::OwnedPermit<SourceRecord>, ()> {
    if let Some(at) = ready_at {
        tokio::time::sleep_until(at).await;
    }
    match input {
        Some(input) => input.reserve_owned().await.map_err(|_| ()),
        None => Err(()),
    }
}

/// Pauses (or resumes) fetching for every assigned partition that still has
/// records to read. librdkafka drops what it prefetched for a paused
/// partition and, on resume, fetches again from the last record handed
/// out, so pausing loses nothing.
/// Returns how many partitions it paused or resumed.
fn set_paused<C: Consumer<RebalanceContext>>(
    consumer: &C,
    ranges: &RangeTracker,
    pause: bool,
) -> usize {
    let assignment = match consumer.assignment() {
        Ok(assignment) => assignment,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the assignment to pause or resume it");
            return 0;
        }
    };
    let mut list = TopicPartitionList::new();
    for element in assignment.elements() {
        if !ranges.is_done(element.topic(), element.partition()) {
            list.add_partition(element.topic(), element.partition());
        }
    }
    let result = if pause {
        consumer.pause(&list)
    } else {
        consumer.resume(&list)
    };
    if let Err(e) = result {
        tracing::warn!(error = %e, pause, "cannot pause or resume fetching");
    }
    list.count()
}

fn pause_partition<C: Consumer<RebalanceContext>>(consumer: &C, record: &SourceRecord) {
    let mut list = TopicPartitionList::new();
    list.add_partition(&record.topic, record.partition);
    if let Err(e) = consumer.pause(&list) {
        tracing::debug!(error = %e, "cannot pause a finished partition");
    }
}

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
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::topic_partition_list::TopicPartitionList;
use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

use crate::closing::{close_within, leave_group};
use crate::cpu_pool::CpuPool;
use crate::dlq::DeadLetters;
use crate::failure::Failure;
use crate::log_messages::{CONSUMING, FETCHING_PAUSED, FETCHING_RESUMED, STOPPED};
use crate::membership::MembershipWatch;
use crate::offsets::{commit_sync, offset_store, OffsetStore};
use crate::options::{PipelineOptions, Subscription};
use crate::pacing::Pacing;
use crate::partition_worker::{self, take_workers, Handed, WorkerEnv, Workers};
use crate::produce::Producer;
use crate::ranges::{Admit, RangeTracker};
use crate::rebalance::{Owned, RebalanceContext};
use crate::stall::{Skipper, StallWatch};
use crate::{KafkaConfig, PipelineStats, SourceRecord, Stage};

/// A pipeline ready to run: its options, and the one producer its dead
/// letters go through, which a stage that writes to Kafka shares.
pub struct Pipeline {
    kafka: KafkaConfig,
    options: PipelineOptions,
    producer: Producer,
}

impl Pipeline {
    /// Checks the configuration and makes the producer.
    pub fn new(kafka: &KafkaConfig, options: PipelineOptions) -> anyhow::Result<Self> {
        kafka.validate()?;
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

type GroupConsumer = StreamConsumer<RebalanceContext>;

/// One consumer's life: connect, read until told to stop, then drain,
/// commit and leave.
async fn run_consumer<S: Stage>(
    kafka: &KafkaConfig,
    options: &PipelineOptions,
    stage: Arc<S>,
    dead_letters: DeadLetters,
    stats: Arc<PipelineStats>,
    shutdown: CancellationToken,
    recreated: Arc<AtomicBool>,
) -> anyhow::Result<Ended> {
    stats.set_stage(stage.name());
    let workers: Arc<Workers> = Arc::new(Mutex::new(HashMap::new()));
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
    let (consumer, ranges) = connect(kafka, options, stage.name(), context, &stats)?;

    let failure = Arc::new(Failure::default());
    // The watch holds a handle on the consumer; it stops with the reader,
    // so that the close below can take the last handle.
    let watch_stop = shutdown.child_token();
    let mut watching = None;
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
        watching = Some(tokio::spawn(watch.run(watch_stop.clone())));
    }
    let store_offset = offset_store(Arc::downgrade(&consumer), stats.clone());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let env = Arc::new(WorkerEnv {
        stage: stage.clone(),
        dead_letters: dead_letters.clone(),
        store_offset: store_offset.clone(),
        stats: stats.clone(),
        failure: failure.clone(),
        max_in_flight: options.max_in_flight,
        cpu: Arc::new(Semaphore::new(4 * cores)),
        pool: CpuPool::new(cores).context("starting the CPU threads")?,
    });
    let mut reader = Reader {
        consumer: consumer.clone(),
        stage: stage.name(),
        stats: stats.clone(),
        env,
        workers: workers.clone(),
        backlog: VecDeque::new(),
        ranges,
        paused: false,
        paused_flag,
        stalls,
        dead_letters,
        store_offset,
        owned: owned.clone(),
        revocations: 0,
        pacing: Pacing::new(options.max_rate),
        grouped: matches!(options.subscription, Subscription::Group { .. }),
        budget: Arc::new(Semaphore::new(
            budget_kib(options.max_in_flight_bytes) as usize
        )),
        budget_kib: budget_kib(options.max_in_flight_bytes),
    };
    reader.revocations = reader.owned.revocations();
    reader
        .run(
            stage.health(),
            options.watchdog.skip_unreadable,
            &shutdown,
            &failure,
        )
        .await;

    // No more partitions from here on: a grant taken while draining would
    // still be in progress when the consumer closes.
    owned.leave();
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
    drop(reader);
    watch_stop.cancel();
    if let Some(watching) = watching {
        // A probe under way ends within its request timeout; the close
        // below waits for its handle in any case.
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, watching).await;
    }
    commit_sync(&*consumer);
    if matches!(options.subscription, Subscription::Group { .. }) {
        leave_group(&consumer, &owned, CLOSE_TIMEOUT).await;
    } else {
        consumer.unsubscribe();
    }
    close_within(consumer, CLOSE_TIMEOUT).await;
    stats.set_assignment(&[]);
    tracing::info!(
        stage = stage.name(),
        received = stats.received(),
        delivered = stats.delivered(),
        dead_lettered = stats.dead_lettered(),
        "{STOPPED}"
    );
    match failure.reason() {
        Some(reason) => Err(anyhow::anyhow!(reason)),
        None if failure.recreate.load(Ordering::Relaxed) => Ok(Ended::Recreate),
        None => Ok(Ended::Done),
    }
}

/// Makes the consumer and subscribes it (a group) or assigns it the
/// ranges to read.
fn connect(
    kafka: &KafkaConfig,
    options: &PipelineOptions,
    stage: &str,
    context: RebalanceContext,
    stats: &PipelineStats,
) -> anyhow::Result<(Arc<GroupConsumer>, RangeTracker)> {
    let group_id = match &options.subscription {
        Subscription::Group { group_id, .. } | Subscription::Ranges { group_id, .. } => group_id,
    };
    let mut config = kafka.group_consumer_waiting(group_id, options.fetch_wait_ms);
    if let (Some(id), Subscription::Group { .. }) = (&options.instance_id, &options.subscription) {
        config.set("group.instance.id", id);
    }
    let consumer: Arc<GroupConsumer> = Arc::new(
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
            tracing::info!(stage, group = group_id, ?topics, "{CONSUMING}");
        }
        Subscription::Ranges { ranges: list, .. } => {
            ranges = RangeTracker::new(list);
            consumer
                .assign(&ranges.assignment()?)
                .context("assigning the partitions to read")?;
            stats.set_assignment(&ranges.open_partitions());
            tracing::info!(stage, partitions = ranges.open(), "reading offset ranges");
        }
    }
    Ok((consumer, ranges))
}

/// The read loop of one consumer and what it holds between turns.
struct Reader<S: Stage> {
    consumer: Arc<GroupConsumer>,
    stage: &'static str,
    stats: Arc<PipelineStats>,
    env: Arc<WorkerEnv<S>>,
    workers: Arc<Workers>,
    /// Records read but not yet taken by their partition's worker. Reading
    /// goes on while it holds one only if fetching is paused, so it stays
    /// small, and the consumer is polled even while a worker is full (a
    /// consumer that stops polling is dropped from its group).
    backlog: VecDeque<SourceRecord>,
    ranges: RangeTracker,
    /// Fetching is paused because the output is down.
    paused: bool,
    paused_flag: Arc<AtomicBool>,
    stalls: Arc<StallWatch>,
    dead_letters: DeadLetters,
    store_offset: OffsetStore,
    owned: Arc<Owned>,
    /// Revocations seen so far, to notice the next one.
    revocations: u64,
    pacing: Pacing,
    grouped: bool,
    /// KiB of records in flight the pipeline may hold, across partitions.
    budget: Arc<Semaphore>,
    budget_kib: u32,
}

impl<S: Stage> Reader<S> {
    /// Until shutdown, a fatal failure, or the end of every range.
    async fn run(
        &mut self,
        mut health: Option<watch::Receiver<bool>>,
        skip_unreadable: bool,
        shutdown: &CancellationToken,
        failure: &Failure,
    ) {
        let mut repause = tokio::time::interval(Duration::from_secs(1));
        let mut skip_check = tokio::time::interval(Duration::from_secs(1));
        loop {
            self.forget_revoked();
            if self.ranges.all_done() && self.backlog.is_empty() {
                tracing::info!(stage = self.stage, "every range read to its end");
                break;
            }
            let (next_input, in_flight) = match self.backlog.front().map(|r| self.input_for(r)) {
                Some((input, count)) => (Some(input), Some(count)),
                None => (None, None),
            };
            let share = self
                .backlog
                .front()
                .map_or(1, |r| share_of(r, self.budget_kib));
            let ready_at = self.pacing.ready_at();
            let reading = self.backlog.is_empty() || self.paused;
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => break,
                _ = failure.token.cancelled() => break,
                healthy = next_health(&mut health) => self.set_output_health(healthy),
                _ = repause.tick(), if self.paused => {
                    // Partitions assigned since the pause start unpaused.
                    set_paused(&*self.consumer, &self.ranges, true);
                }
                _ = skip_check.tick(), if skip_unreadable => self.skip_unreadable().await,
                permit = reserve(next_input, ready_at, self.budget.clone(), share), if !self.backlog.is_empty() => {
                    let Ok(permit) = permit else {
                        // The worker stopped on a fatal error; `failure` says why.
                        break;
                    };
                    self.route(permit, in_flight);
                }
                message = self.consumer.recv(), if reading => match message {
                    Ok(message) => self.intake(SourceRecord::from_message(&message)),
                    Err(e) => {
                        // librdkafka reconnects by itself; these are reports.
                        tracing::warn!(error = %e, "consumer error");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
            }
        }
    }

    /// A rebalance took partitions away inside `recv()`: their workers were
    /// drained and committed, and the records read but not handed over
    /// belong to the new owner now. Handing them to a new worker would
    /// process them twice.
    fn forget_revoked(&mut self) {
        if self.grouped && self.owned.revocations() != self.revocations {
            self.revocations = self.owned.revocations();
            let owned = &self.owned;
            self.backlog.retain(|r| owned.holds(&r.topic, r.partition));
        }
    }

    /// Intake: a record read from the consumer, kept unless a range ends
    /// before it.
    fn intake(&mut self, record: SourceRecord) {
        let admit = self.ranges.admit(&record);
        if !matches!(admit, Admit::Yes) {
            // The range's last record, or past it: stop reading the
            // partition.
            pause_partition(&*self.consumer, &record);
            self.stalls.finish((record.topic.clone(), record.partition));
            self.stats.release(&record.topic, record.partition);
        }
        if matches!(admit, Admit::PastEnd) {
            return;
        }
        self.stats.record_received();
        self.backlog.push_back(record);
    }

    /// Routing: the partition's worker (started on first sight) and its
    /// in-flight count.
    fn input_for(&self, record: &SourceRecord) -> (mpsc::Sender<Handed>, Arc<AtomicUsize>) {
        let mut workers = self.workers.lock().unwrap_or_else(|p| p.into_inner());
        let worker = workers
            .entry((record.topic.clone(), record.partition))
            .or_insert_with(|| partition_worker::spawn(self.env.clone()));
        (worker.input.clone(), worker.in_flight_counter())
    }

    /// Routing: hands the oldest backlog record to its worker, which made
    /// room for it.
    fn route(
        &mut self,
        (permit, budget): (mpsc::OwnedPermit<Handed>, OwnedSemaphorePermit),
        in_flight: Option<Arc<AtomicUsize>>,
    ) {
        let Some(record) = self.backlog.pop_front() else {
            return;
        };
        self.pacing.sent();
        if let Some(count) = &in_flight {
            count.fetch_add(1, Ordering::Relaxed);
        }
        permit.send((record, budget));
    }

    /// Pause and health: fetching stops while the output is down, and
    /// resumes when it is back.
    fn set_output_health(&mut self, healthy: bool) {
        self.paused = !healthy;
        self.paused_flag.store(self.paused, Ordering::Relaxed);
        self.stats.set_output_available(healthy);
        let partitions = set_paused(&*self.consumer, &self.ranges, self.paused);
        if self.paused {
            tracing::warn!(stage = self.stage, partitions, "{FETCHING_PAUSED}");
        } else {
            tracing::info!(stage = self.stage, partitions, "{FETCHING_RESUMED}");
        }
    }

    /// `--skip-unreadable`: moves stalled partitions past the offset they
    /// stand at, unless their record came after all.
    async fn skip_unreadable(&mut self) {
        for stall in self.stalls.stalled() {
            let key = (stall.topic.clone(), stall.partition);
            let moving = self
                .backlog
                .iter()
                .any(|r| r.topic == key.0 && r.partition == key.1)
                || self
                    .workers
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get(&key)
                    .is_some_and(|w| w.in_flight() > 0);
            if moving {
                // Its record came after all, since the last statistics.
                self.stalls.restart(&key);
                continue;
            }
            let skipper = Skipper {
                consumer: &*self.consumer,
                dead_letters: &self.dead_letters,
                store_offset: &self.store_offset,
                stage: self.stage,
                stats: &self.stats,
            };
            skipper.skip(&stall).await;
            self.stalls.restart(&key);
            self.stats.set_stalled(&self.stalls.stalled());
        }
    }
}

/// The longest a stopping consumer waits to leave its group.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(10);

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
/// Room for the next record: its share of the byte budget, then a place
/// in its worker's queue (after the pacing delay). Dropped unfinished, it
/// gives back what it took.
async fn reserve(
    input: Option<mpsc::Sender<Handed>>,
    ready_at: Option<tokio::time::Instant>,
    budget: Arc<Semaphore>,
    kib: u32,
) -> Result<(mpsc::OwnedPermit<Handed>, OwnedSemaphorePermit), ()> {
    // A record larger than the whole budget waits for all of it, and then
    // goes alone.
    let share = budget.acquire_many_owned(kib).await.map_err(|_| ())?;
    if let Some(at) = ready_at {
        tokio::time::sleep_until(at).await;
    }
    match input {
        Some(input) => Ok((input.reserve_owned().await.map_err(|_| ())?, share)),
        None => Err(()),
    }
}

/// The byte budget in KiB, at least 1.
fn budget_kib(bytes: usize) -> u32 {
    u32::try_from(bytes / 1024).unwrap_or(u32::MAX).max(1)
}

/// A record's share of the byte budget, in KiB (at least 1, at most the
/// whole budget).
fn share_of(record: &SourceRecord, budget_kib: u32) -> u32 {
    let size =
        record.payload.as_ref().map_or(0, Vec::len) + record.key.as_ref().map_or(0, Vec::len);
    u32::try_from(size.div_ceil(1024))
        .unwrap_or(u32::MAX)
        .clamp(1, budget_kib.max(1))
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

//! What a pipeline reads, and how it treats partitions and members that
//! stop moving.

use std::time::Duration;

use crate::ranges::PartitionRange;

/// The default of [`PipelineOptions::max_in_flight_bytes`]: 4 MiB of input,
/// some 1,800 news articles. Chosen by measurement (docs/performance.md):
/// the PostgreSQL sink's peak RSS was 254 MB unbounded, 190 MB at 8 MiB and
/// 150 MB at 4 MiB with 200-row batches, at nearly the same speed; at 2 MiB
/// its batches no longer fill and it ran at half the speed.
pub const DEFAULT_MAX_IN_FLIGHT_BYTES: usize = 4 << 20;

/// The default of [`PipelineOptions::max_in_flight`]: records per
/// partition.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 256;

/// How much work a pipeline holds at once: what its callers (the enrich,
/// sink and replay commands) pass through to [`PipelineOptions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InFlight {
    /// Records a partition may have in flight.
    pub records: usize,
    /// Bytes of input records in flight across partitions.
    pub bytes: usize,
}

impl Default for InFlight {
    fn default() -> Self {
        InFlight {
            records: DEFAULT_MAX_IN_FLIGHT,
            bytes: DEFAULT_MAX_IN_FLIGHT_BYTES,
        }
    }
}

/// What the pipeline reads.
#[derive(Debug, Clone)]
pub enum Subscription {
    /// Join `group_id` and share `topics`' partitions with its other members.
    Group {
        /// The consumer group.
        group_id: String,
        /// Topics to read.
        topics: Vec<String>,
    },
    /// Read fixed offset ranges by direct assignment, outside any group's
    /// membership, and stop at their ends (replay). Offsets are committed
    /// under `group_id`, which must not be a live group's.
    Ranges {
        /// Where progress is committed.
        group_id: String,
        /// What to read.
        ranges: Vec<PartitionRange>,
    },
}

/// How a pipeline reads and what it does with what it cannot process.
#[derive(Debug, Clone)]
pub struct PipelineOptions {
    /// What it reads.
    pub subscription: Subscription,
    /// Where dead letters go.
    pub dlq_topic: String,
    /// Records a partition may have in flight (processing or unacknowledged).
    pub max_in_flight: usize,
    /// Bytes of input records (key and value) the whole pipeline may have
    /// in flight, across partitions: with large records, memory is bounded
    /// by this rather than by the count. A record larger than the budget
    /// goes through alone.
    pub max_in_flight_bytes: usize,
    /// How long a revoke or shutdown waits for in-flight work.
    pub drain_timeout: Duration,
    /// Records per second handed to the stage at most.
    pub max_rate: Option<f64>,
    /// Stalled partitions and stuck members.
    pub watchdog: Watchdog,
    /// `group.instance.id` for static membership (KIP-345): a member that
    /// restarts under the same id within the session timeout gets its
    /// partitions back without a rebalance. A member with one does not
    /// leave the group when it stops, so its partitions wait out the
    /// session timeout when it does not come back.
    pub instance_id: Option<String>,
    /// librdkafka's `fetch.wait.max.ms`, unless `-X` sets it.
    pub fetch_wait_ms: u32,
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
    /// A member of `group_id` reading `topic`.
    pub fn group(group_id: &str, topic: &str, dlq_topic: &str) -> Self {
        Self::new(
            Subscription::Group {
                group_id: group_id.to_string(),
                topics: vec![topic.to_string()],
            },
            dlq_topic,
        )
    }

    /// Reads `ranges` by direct assignment, committing under `group_id`.
    pub fn ranges(group_id: &str, ranges: Vec<PartitionRange>, dlq_topic: &str) -> Self {
        Self::new(
            Subscription::Ranges {
                group_id: group_id.to_string(),
                ranges,
            },
            dlq_topic,
        )
    }

    /// Sets both limits on work in flight.
    pub fn limit_in_flight(&mut self, in_flight: InFlight) {
        self.max_in_flight = in_flight.records;
        self.max_in_flight_bytes = in_flight.bytes;
    }

    fn new(subscription: Subscription, dlq_topic: &str) -> Self {
        PipelineOptions {
            subscription,
            dlq_topic: dlq_topic.to_string(),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            max_in_flight_bytes: DEFAULT_MAX_IN_FLIGHT_BYTES,
            drain_timeout: Duration::from_secs(30),
            max_rate: None,
            watchdog: Watchdog::default(),
            instance_id: None,
            fetch_wait_ms: crate::config::FETCH_WAIT_MAX_MS,
        }
    }
}

//! Consumer context that drains revoked partitions before giving them up.
//!
//! When the group takes partitions away, their in-flight records must be
//! delivered and their offsets committed first; otherwise the new owner
//! would process them again. librdkafka calls `pre_rebalance` before it
//! revokes the assignment, so draining there is the one safe place.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext, Rebalance};
use rdkafka::statistics::Statistics;
use rdkafka::ClientContext;
use tokio::task::JoinHandle;

use crate::log_messages::{PARTITIONS_ASSIGNED, PARTITIONS_REVOKED, PARTITION_STALLED};
use crate::offsets::commit_sync;
use crate::partition_worker::{take_workers, PartitionKey, Workers};
use crate::stall::{Observation, StallWatch};
use crate::stats::Reported;
use crate::PipelineStats;

pub(crate) struct RebalanceContext {
    pub workers: Arc<Workers>,
    pub drain_timeout: Duration,
    pub stats: Arc<PipelineStats>,
    pub stalls: Arc<StallWatch>,
    /// Fetching is paused for the output's health.
    pub paused: Arc<AtomicBool>,
    /// The partitions the group gave this member, and a count of
    /// revocations, so that the read loop can drop records it read but had
    /// not yet handed to a worker when their partition went away.
    pub owned: Arc<Owned>,
}

/// The partitions a group member holds now.
#[derive(Default)]
pub(crate) struct Owned {
    partitions: Mutex<HashSet<PartitionKey>>,
    revocations: std::sync::atomic::AtomicU64,
}

impl Owned {
    pub(crate) fn revocations(&self) -> u64 {
        self.revocations.load(Ordering::Acquire)
    }

    pub(crate) fn holds(&self, topic: &str, partition: i32) -> bool {
        let partitions = self.partitions.lock().unwrap_or_else(|p| p.into_inner());
        partitions.contains(&(topic.to_string(), partition))
    }

    fn assign(&self, keys: &[PartitionKey]) {
        let mut partitions = self.partitions.lock().unwrap_or_else(|p| p.into_inner());
        partitions.extend(keys.iter().cloned());
    }

    fn revoke(&self, keys: &[PartitionKey]) {
        let mut partitions = self.partitions.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys {
            partitions.remove(key);
        }
        self.revocations.fetch_add(1, Ordering::Release);
    }
}

impl ClientContext for RebalanceContext {
    /// librdkafka's periodic statistics: the consumer lag of each assigned
    /// partition, for `/metrics`, and where each partition stands, for the
    /// stall watch.
    fn stats(&self, statistics: Statistics) {
        let leaders_up: HashSet<i32> = statistics
            .brokers
            .values()
            .filter(|b| b.state == "UP")
            .map(|b| b.nodeid)
            .collect();
        let busy = self.busy_partitions();
        let paused = self.paused.load(Ordering::Relaxed);
        let mut reported = Vec::new();
        let mut observations = Vec::new();
        for (name, topic) in &statistics.topics {
            for (&partition, stats) in &topic.partitions {
                // -1 is librdkafka's internal "unassigned" partition.
                if partition < 0 || !stats.desired {
                    continue;
                }
                let key = (name.clone(), partition);
                reported.push((
                    key.clone(),
                    Reported {
                        committed: stats.committed_offset,
                        high_watermark: stats.hi_offset,
                        lag: stats.consumer_lag,
                    },
                ));
                let held = paused
                    || stats.fetchq_cnt > 0
                    || stats.fetch_state != "active"
                    || !leaders_up.contains(&stats.leader)
                    || busy.contains(&key);
                observations.push((
                    key,
                    Observation {
                        // Where the fetcher stands: with nothing queued and
                        // nothing in the worker, the record that does not come.
                        position: stats.next_offset,
                        high_watermark: stats.hi_offset,
                        held,
                    },
                ));
            }
        }
        self.stats.set_statistics(&reported);
        for stall in self.stalls.observe(Instant::now(), observations) {
            tracing::warn!(
                topic = stall.topic,
                partition = stall.partition,
                offset = stall.offset,
                high_watermark = stall.high_watermark,
                seconds = stall.stalled_for.as_secs(),
                "{PARTITION_STALLED}"
            );
            self.stats.record_stall();
        }
        self.stats.set_stalled(&self.stalls.stalled());
    }
}

impl RebalanceContext {
    /// Partitions whose worker holds records not yet done.
    fn busy_partitions(&self) -> HashSet<PartitionKey> {
        let workers = self.workers.lock().unwrap_or_else(|p| p.into_inner());
        workers
            .iter()
            .filter(|(_, w)| w.in_flight() > 0)
            .map(|(k, _)| k.clone())
            .collect()
    }
}

impl ConsumerContext for RebalanceContext {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Revoke(list) => {
                let revoked: Vec<PartitionKey> = list
                    .elements()
                    .iter()
                    .map(|e| (e.topic().to_string(), e.partition()))
                    .collect();
                self.owned.revoke(&revoked);
                let handles = take_workers(&self.workers, |key| revoked.contains(key));
                let count = handles.len();
                block_until_drained(handles, self.drain_timeout);
                commit_sync(consumer);
                tracing::info!(
                    partitions = describe(&revoked),
                    drained = count,
                    "{PARTITIONS_REVOKED}"
                );
            }
            Rebalance::Assign(list) => {
                let assigned: Vec<PartitionKey> = list
                    .elements()
                    .iter()
                    .map(|e| (e.topic().to_string(), e.partition()))
                    .collect();
                self.owned.assign(&assigned);
                tracing::info!(partitions = describe(&assigned), "{PARTITIONS_ASSIGNED}");
            }
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }

    fn post_rebalance(&self, consumer: &BaseConsumer<Self>, _: &Rebalance<'_>) {
        let assigned: Vec<PartitionKey> = consumer.assignment().map_or(Vec::new(), |list| {
            list.elements()
                .iter()
                .map(|e| (e.topic().to_string(), e.partition()))
                .collect()
        });
        self.stats.set_assignment(&assigned);
    }
}

/// `topic/0 topic/1 ...`: easy to read, and to parse in tests.
fn describe(partitions: &[PartitionKey]) -> String {
    let names: Vec<String> = partitions.iter().map(|(t, p)| format!("{t}/{p}")).collect();
    names.join(" ")
}

/// Waits for drained workers from inside a librdkafka callback, which runs
/// on a runtime thread in the middle of `recv()`: `block_in_place` lets the
/// other runtime threads keep driving the workers meanwhile.
fn block_until_drained(handles: Vec<JoinHandle<()>>, timeout: Duration) {
    if handles.is_empty() {
        return;
    }
    let wait =
        async move { tokio::time::timeout(timeout, futures::future::join_all(handles)).await };
    let finished = match tokio::runtime::Handle::try_current() {
        Ok(runtime) => tokio::task::block_in_place(|| runtime.block_on(wait)).is_ok(),
        Err(_) => false,
    };
    if !finished {
        tracing::warn!(
            ?timeout,
            "in-flight work not drained in time; it will be processed again by the next owner"
        );
    }
}

//! Consumer context that drains revoked partitions before giving them up.
//!
//! When the group takes partitions away, their in-flight records must be
//! delivered and their offsets committed first; otherwise the new owner
//! would process them again. librdkafka calls `pre_rebalance` before it
//! revokes the assignment, so draining there is the one safe place.
//!
//! A member that is leaving declines what the group grants it. Shutdown
//! drains first and closes after, and the group may rebalance in between.
//! A grant taken then was still being set up (its committed offsets being
//! fetched) when the close came, and librdkafka aborted the process on its
//! assertion that no assignment is in progress at termination
//! (`rd_kafka_cgrp_terminated`). Declined, the grant never starts, and the
//! group hands those partitions on once the member has left.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext, Rebalance, RebalanceProtocol};
use rdkafka::error::KafkaResult;
use rdkafka::statistics::Statistics;
use rdkafka::topic_partition_list::TopicPartitionList;
use rdkafka::types::RDKafkaRespErr;
use rdkafka::ClientContext;
use tokio::task::JoinHandle;

use crate::log_messages::{
    PARTITIONS_ASSIGNED, PARTITIONS_DECLINED, PARTITIONS_REVOKED, PARTITION_STALLED,
};
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
    /// The member is on its way out: grants are declined.
    leaving: AtomicBool,
    /// Grants declined while leaving.
    declined: std::sync::atomic::AtomicU64,
}

impl Owned {
    pub(crate) fn revocations(&self) -> u64 {
        self.revocations.load(Ordering::Acquire)
    }

    pub(crate) fn holds(&self, topic: &str, partition: i32) -> bool {
        let partitions = self.partitions.lock().unwrap_or_else(|p| p.into_inner());
        partitions.contains(&(topic.to_string(), partition))
    }

    /// From now on the member takes no more partitions.
    pub(crate) fn leave(&self) {
        self.leaving.store(true, Ordering::Release);
    }

    fn is_leaving(&self) -> bool {
        self.leaving.load(Ordering::Acquire)
    }

    pub(crate) fn declined(&self) -> u64 {
        self.declined.load(Ordering::Acquire)
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
    /// rust-rdkafka's own sequence (pre-rebalance, the (un)assign call,
    /// post-rebalance), except that a member leaving the group answers a
    /// grant with an empty assignment. Under the cooperative protocol a grant
    /// cannot be declined; librdkafka itself turns it into an unassignment
    /// once the close has begun.
    fn rebalance(
        &self,
        consumer: &BaseConsumer<Self>,
        err: RDKafkaRespErr,
        tpl: &mut TopicPartitionList,
    ) {
        let cooperative = matches!(
            consumer.rebalance_protocol(),
            RebalanceProtocol::Cooperative
        );
        let granted = err == RDKafkaRespErr::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
        if granted && !cooperative && self.owned.is_leaving() {
            self.owned.declined.fetch_add(1, Ordering::AcqRel);
            tracing::info!(partitions = describe(&keys(tpl)), "{PARTITIONS_DECLINED}");
            answer(consumer.unassign(), "declining the partitions");
            self.record_assignment(consumer);
            return;
        }
        let rebalance = match err {
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS => Rebalance::Assign(tpl),
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS => Rebalance::Revoke(tpl),
            other => Rebalance::Error(rdkafka::error::KafkaError::Rebalance(other.into())),
        };
        self.pre_rebalance(consumer, &rebalance);
        match (granted, cooperative) {
            (true, true) => answer(consumer.incremental_assign(tpl), "taking the partitions"),
            (true, false) => answer(consumer.assign(tpl), "taking the partitions"),
            (false, true) => answer(
                consumer.incremental_unassign(tpl),
                "giving up the partitions",
            ),
            (false, false) => answer(consumer.unassign(), "giving up the partitions"),
        }
        self.post_rebalance(consumer, &rebalance);
    }

    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Revoke(list) => {
                let revoked = keys(list);
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
                let assigned = keys(list);
                self.owned.assign(&assigned);
                tracing::info!(partitions = describe(&assigned), "{PARTITIONS_ASSIGNED}");
            }
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }

    fn post_rebalance(&self, consumer: &BaseConsumer<Self>, _: &Rebalance<'_>) {
        self.record_assignment(consumer);
    }
}

impl RebalanceContext {
    /// What the consumer holds now, for `/metrics` and the membership watch.
    fn record_assignment(&self, consumer: &BaseConsumer<Self>) {
        let assigned = consumer.assignment().map_or(Vec::new(), |list| keys(&list));
        self.stats.set_assignment(&assigned);
    }
}

/// `(topic, partition)` of each element.
fn keys(list: &TopicPartitionList) -> Vec<PartitionKey> {
    list.elements()
        .iter()
        .map(|e| (e.topic().to_string(), e.partition()))
        .collect()
}

/// The answer to a rebalance failed: librdkafka goes on, but say so.
fn answer(result: KafkaResult<()>, doing: &str) {
    if let Err(e) = result {
        tracing::warn!(error = %e, "{doing} in a rebalance failed");
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

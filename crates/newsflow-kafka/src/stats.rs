//! What a pipeline knows about itself: counters, processing latency,
//! assignment, positions and consumer lag; and what it reports on
//! `/metrics` and `/status`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use crate::metrics::catalogue::{
    ASSIGNED_PARTITIONS, CONSUMER_LAG, CONSUMER_RECREATIONS, GROUP_REJOINS, MEMBER_STUCK,
    OUTPUT_AVAILABLE, PARTITION_STALLS, PROCESS_SECONDS, RECORDS_DEAD_LETTERED, RECORDS_DELIVERED,
    RECORDS_RECEIVED, STALLED_PARTITIONS, UNREADABLE_SKIPPED,
};
use crate::metrics::{Exposition, Histogram, Report, LATENCY_BOUNDS};
use crate::partition_worker::PartitionKey;
use crate::stall::Stall;

/// Where one partition read here stands.
#[derive(Debug, Clone, Copy, Default)]
struct Standing {
    /// The offset after the last record delivered or dead-lettered here.
    position: Option<i64>,
    reported: Reported,
    stalled: bool,
}

/// One partition as the client's last statistics report it; -1 where
/// not known (librdkafka's convention).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reported {
    pub committed: i64,
    pub high_watermark: i64,
    pub lag: i64,
}

impl Default for Reported {
    fn default() -> Self {
        Reported {
            committed: -1,
            high_watermark: -1,
            lag: -1,
        }
    }
}

/// A snapshot of a pipeline, as `/status` serves it.
#[derive(Debug, Clone)]
pub struct Status {
    /// The stage's name (`enrich`, `sink-jsonl`, ...).
    pub stage: &'static str,
    /// `Ok` when ready, else why not (as `/readyz` says).
    pub readiness: Result<(), &'static str>,
    /// Whether the output takes writes.
    pub output_available: bool,
    /// Whether the member wants a restart (as `/healthz` says).
    pub stuck: bool,
    /// Records read from the source topic.
    pub received: u64,
    /// Records whose output is durable and whose offset is stored.
    pub delivered: u64,
    /// Records sent to the dead-letter topic.
    pub dead_lettered: u64,
    /// The partitions read now, in topic and partition order.
    pub partitions: Vec<PartitionStatus>,
}

/// One partition read by this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionStatus {
    /// The topic.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// The offset after the last record delivered (or dead-lettered) and
    /// stored since this process took the partition; `None` before the
    /// first. The group's committed offset follows within a second.
    pub position: Option<i64>,
    /// The group's committed offset, per the client's last statistics
    /// (every 5 s).
    pub committed: Option<i64>,
    /// The partition's end, per the same statistics.
    pub high_watermark: Option<i64>,
    /// The consumer lag, per the same statistics.
    pub lag: Option<i64>,
    /// Whether the stall watch holds it stalled.
    pub stalled: bool,
}

/// Running totals of one pipeline, shared with whoever reports them.
pub struct PipelineStats {
    received: AtomicU64,
    delivered: AtomicU64,
    dead_lettered: AtomicU64,
    stage: OnceLock<&'static str>,
    process_seconds: Histogram,
    /// The partitions read now, by topic, and where each stands.
    partitions: Mutex<BTreeMap<String, BTreeMap<i32, Standing>>>,
    output_available: AtomicBool,
    /// Partitions stalled now, and stalls seen so far.
    stalled: AtomicU64,
    stalls: AtomicU64,
    /// Offsets moved past under `--skip-unreadable`.
    skipped: AtomicU64,
    /// Rejoins of a member left without partitions, and whether the last
    /// one did not help.
    rejoins: AtomicU64,
    recreations: AtomicU64,
    stuck: AtomicBool,
    /// Metrics of the stage's own (a database writer's, say).
    extra: Mutex<Vec<Arc<dyn Report>>>,
}

impl Default for PipelineStats {
    fn default() -> Self {
        PipelineStats {
            received: AtomicU64::new(0),
            delivered: AtomicU64::new(0),
            dead_lettered: AtomicU64::new(0),
            stage: OnceLock::new(),
            process_seconds: Histogram::new(LATENCY_BOUNDS),
            partitions: Mutex::new(BTreeMap::new()),
            output_available: AtomicBool::new(true),
            stalled: AtomicU64::new(0),
            stalls: AtomicU64::new(0),
            skipped: AtomicU64::new(0),
            rejoins: AtomicU64::new(0),
            recreations: AtomicU64::new(0),
            stuck: AtomicBool::new(false),
            extra: Mutex::new(Vec::new()),
        }
    }
}

impl PipelineStats {
    pub(crate) fn record_received(&self) {
        self.received.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn record_delivered(&self) {
        self.delivered.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn record_dead_lettered(&self) {
        self.dead_lettered.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn record_processing(&self, took: Duration) {
        self.process_seconds.observe(took.as_secs_f64());
    }
    pub(crate) fn set_stage(&self, stage: &'static str) {
        let _ = self.stage.set(stage);
    }
    fn partitions(&self) -> MutexGuard<'_, BTreeMap<String, BTreeMap<i32, Standing>>> {
        self.partitions.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// The partitions read from now on; those kept keep their standing.
    pub(crate) fn set_assignment(&self, assigned: &[PartitionKey]) {
        let mut partitions = self.partitions();
        let mut next: BTreeMap<String, BTreeMap<i32, Standing>> = BTreeMap::new();
        for (topic, partition) in assigned {
            let standing = partitions
                .get_mut(topic)
                .and_then(|t| t.remove(partition))
                .unwrap_or_default();
            next.entry(topic.clone())
                .or_default()
                .insert(*partition, standing);
        }
        *partitions = next;
    }
    /// A partition no longer read (the end of its replay range).
    pub(crate) fn release(&self, topic: &str, partition: i32) {
        let mut partitions = self.partitions();
        if let Some(t) = partitions.get_mut(topic) {
            t.remove(&partition);
            if t.is_empty() {
                partitions.remove(topic);
            }
        }
    }
    /// Everything up to `next` (exclusive) is delivered and stored.
    pub(crate) fn record_position(&self, topic: &str, partition: i32, next: i64) {
        if let Some(standing) = self
            .partitions()
            .get_mut(topic)
            .and_then(|t| t.get_mut(&partition))
        {
            standing.position = Some(next);
        }
    }
    /// What the client's statistics say of the partitions read.
    pub(crate) fn set_statistics(&self, seen: &[(PartitionKey, Reported)]) {
        let mut partitions = self.partitions();
        for ((topic, partition), reported) in seen {
            if let Some(standing) = partitions.get_mut(topic).and_then(|t| t.get_mut(partition)) {
                standing.reported = *reported;
            }
        }
    }
    pub(crate) fn set_output_available(&self, available: bool) {
        self.output_available.store(available, Ordering::Relaxed);
    }
    pub(crate) fn set_stalled(&self, stalls: &[Stall]) {
        self.stalled.store(stalls.len() as u64, Ordering::Relaxed);
        for (topic, partitions) in self.partitions().iter_mut() {
            for (partition, standing) in partitions.iter_mut() {
                standing.stalled = stalls
                    .iter()
                    .any(|s| &s.topic == topic && s.partition == *partition);
            }
        }
    }
    pub(crate) fn record_stall(&self) {
        self.stalls.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn record_skip(&self) {
        self.skipped.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn record_rejoin(&self) {
        self.rejoins.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn record_recreation(&self) {
        self.recreations.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn set_stuck(&self, stuck: bool) {
        self.stuck.store(stuck, Ordering::Relaxed);
    }

    /// Adds a stage's own metrics to every scrape.
    pub fn attach(&self, report: Arc<dyn Report>) {
        self.extra
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(report);
    }

    /// Records read from the source topic.
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }
    /// Records whose output is durable and whose offset is stored.
    pub fn delivered(&self) -> u64 {
        self.delivered.load(Ordering::Relaxed)
    }
    /// Records sent to the dead-letter topic (their offsets stored too).
    pub fn dead_lettered(&self) -> u64 {
        self.dead_lettered.load(Ordering::Relaxed)
    }
    /// Partitions being read.
    pub fn assigned(&self) -> u64 {
        self.partitions().values().map(|t| t.len() as u64).sum()
    }
    /// Partitions that stand below their end with nothing holding them
    /// back (see the stall watch).
    pub fn stalled(&self) -> u64 {
        self.stalled.load(Ordering::Relaxed)
    }
    /// Whether the output takes writes.
    pub fn output_available(&self) -> bool {
        self.output_available.load(Ordering::Relaxed)
    }
    /// A member left without partitions while its group's partitions lag
    /// and nobody moves them, and neither rejoining nor a new consumer
    /// helped: restart it.
    pub fn is_stuck(&self) -> bool {
        self.stuck.load(Ordering::Relaxed)
    }
    /// Ready for work: partitions assigned, none stalled, and the output
    /// reachable.
    pub fn is_ready(&self) -> bool {
        self.readiness().is_ok()
    }
    /// `Ok` when ready, else why not.
    pub fn readiness(&self) -> Result<(), &'static str> {
        if self.assigned() == 0 {
            // A member the group gave no partition (more members than
            // partitions) is alive but not ready.
            Err("no partitions assigned")
        } else if !self.output_available() {
            Err("output unavailable")
        } else if self.stalled() > 0 {
            Err("a partition is stalled (see the log and newsflow_stalled_partitions)")
        } else {
            Ok(())
        }
    }

    /// Where the pipeline stands now, for `/status`.
    pub fn status(&self) -> Status {
        let partitions = self
            .partitions()
            .iter()
            .flat_map(|(topic, partitions)| {
                partitions.iter().map(|(&partition, standing)| {
                    let known = |v: i64| (v >= 0).then_some(v);
                    PartitionStatus {
                        topic: topic.clone(),
                        partition,
                        position: standing.position,
                        committed: known(standing.reported.committed),
                        high_watermark: known(standing.reported.high_watermark),
                        lag: known(standing.reported.lag),
                        stalled: standing.stalled,
                    }
                })
            })
            .collect();
        Status {
            stage: self.stage.get().copied().unwrap_or("none"),
            readiness: self.readiness(),
            output_available: self.output_available(),
            stuck: self.is_stuck(),
            received: self.received(),
            delivered: self.delivered(),
            dead_lettered: self.dead_lettered(),
            partitions,
        }
    }

    /// The Prometheus text of everything above.
    pub fn render(&self) -> String {
        let mut out = Exposition::default();
        let stage = self.stage.get().copied().unwrap_or("none");
        let labels = [("stage", stage)];
        out.counter(&RECORDS_RECEIVED, &labels, self.received());
        out.counter(&RECORDS_DELIVERED, &labels, self.delivered());
        out.counter(&RECORDS_DEAD_LETTERED, &labels, self.dead_lettered());
        self.process_seconds
            .report(&mut out, &PROCESS_SECONDS, &labels);
        out.gauge(&ASSIGNED_PARTITIONS, &labels, self.assigned() as f64);
        out.gauge(
            &OUTPUT_AVAILABLE,
            &labels,
            f64::from(u8::from(self.output_available.load(Ordering::Relaxed))),
        );
        out.gauge(&STALLED_PARTITIONS, &labels, self.stalled() as f64);
        out.counter(
            &PARTITION_STALLS,
            &labels,
            self.stalls.load(Ordering::Relaxed),
        );
        out.counter(
            &UNREADABLE_SKIPPED,
            &labels,
            self.skipped.load(Ordering::Relaxed),
        );
        out.counter(
            &GROUP_REJOINS,
            &labels,
            self.rejoins.load(Ordering::Relaxed),
        );
        out.counter(
            &CONSUMER_RECREATIONS,
            &labels,
            self.recreations.load(Ordering::Relaxed),
        );
        out.gauge(&MEMBER_STUCK, &labels, f64::from(u8::from(self.is_stuck())));
        out.family(&CONSUMER_LAG);
        for p in self.status().partitions {
            if let Some(lag) = p.lag {
                let partition = p.partition.to_string();
                out.sample(
                    &CONSUMER_LAG,
                    &[("topic", &p.topic), ("partition", &partition)],
                    lag as f64,
                );
            }
        }
        let extra = self.extra.lock().unwrap_or_else(|p| p.into_inner()).clone();
        for report in extra {
            report.report(&mut out);
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(partition: i32) -> PartitionKey {
        ("raw".to_string(), partition)
    }

    #[test]
    fn status_follows_assignment_positions_statistics_and_stalls() {
        let stats = PipelineStats::default();
        stats.set_assignment(&[key(0), key(1)]);
        stats.record_position("raw", 1, 42);
        // A position for a partition not held here is not kept.
        stats.record_position("raw", 7, 9);
        stats.set_statistics(&[(
            key(1),
            Reported {
                committed: 40,
                high_watermark: 50,
                lag: 10,
            },
        )]);
        stats.set_stalled(&[Stall {
            topic: "raw".to_string(),
            partition: 0,
            offset: 3,
            high_watermark: 4,
            stalled_for: Duration::from_secs(60),
        }]);
        let status = stats.status();
        assert_eq!(stats.assigned(), 2);
        assert!(status.readiness.is_err_and(|why| why.contains("stalled")));
        let partitions = status.partitions;
        assert_eq!(partitions.len(), 2);
        assert_eq!(partitions[0].partition, 0);
        assert_eq!(partitions[0].position, None);
        assert_eq!(partitions[0].lag, None);
        assert!(partitions[0].stalled);
        assert_eq!(partitions[1].position, Some(42));
        assert_eq!(partitions[1].committed, Some(40));
        assert_eq!(partitions[1].high_watermark, Some(50));
        assert_eq!(partitions[1].lag, Some(10));
        assert!(!partitions[1].stalled);
        assert!(stats.render().contains("partition=\"1\"} 10"));

        // A rebalance keeps what it keeps; a finished range lets go.
        stats.set_assignment(&[key(1), key(2)]);
        let kept = stats.status().partitions;
        assert_eq!(kept[0].position, Some(42));
        assert_eq!(kept[1].partition, 2);
        stats.release("raw", 1);
        stats.release("raw", 2);
        assert_eq!(stats.assigned(), 0);
        assert_eq!(stats.readiness(), Err("no partitions assigned"));
    }
}

//! What a pipeline knows about itself: counters, processing latency,
//! assignment, consumer lag; and what it reports on `/metrics`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::metrics::catalogue::{
    ASSIGNED_PARTITIONS, CONSUMER_LAG, CONSUMER_RECREATIONS, GROUP_REJOINS, MEMBER_STUCK,
    OUTPUT_AVAILABLE, PARTITION_STALLS, PROCESS_SECONDS, RECORDS_DEAD_LETTERED, RECORDS_DELIVERED,
    RECORDS_RECEIVED, STALLED_PARTITIONS, UNREADABLE_SKIPPED,
};
use crate::metrics::{Exposition, Histogram, Report, LATENCY_BOUNDS};

/// Running totals of one pipeline, shared with whoever reports them.
pub struct PipelineStats {
    received: AtomicU64,
    delivered: AtomicU64,
    dead_lettered: AtomicU64,
    stage: OnceLock<&'static str>,
    process_seconds: Histogram,
    assigned: AtomicU64,
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
    /// Consumer lag by (topic, partition), from librdkafka's statistics.
    lag: Mutex<BTreeMap<(String, i32), i64>>,
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
            assigned: AtomicU64::new(0),
            output_available: AtomicBool::new(true),
            stalled: AtomicU64::new(0),
            stalls: AtomicU64::new(0),
            skipped: AtomicU64::new(0),
            rejoins: AtomicU64::new(0),
            recreations: AtomicU64::new(0),
            stuck: AtomicBool::new(false),
            lag: Mutex::new(BTreeMap::new()),
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
    pub(crate) fn set_assigned(&self, partitions: usize) {
        self.assigned.store(partitions as u64, Ordering::Relaxed);
    }
    pub(crate) fn set_output_available(&self, available: bool) {
        self.output_available.store(available, Ordering::Relaxed);
    }
    pub(crate) fn set_stalled(&self, partitions: usize) {
        self.stalled.store(partitions as u64, Ordering::Relaxed);
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
    pub(crate) fn set_lag(&self, lag: BTreeMap<(String, i32), i64>) {
        *self.lag.lock().unwrap_or_else(|p| p.into_inner()) = lag;
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
        self.assigned.load(Ordering::Relaxed)
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
        let lag = self.lag.lock().unwrap_or_else(|p| p.into_inner()).clone();
        for ((topic, partition), lag) in &lag {
            let partition = partition.to_string();
            out.sample(
                &CONSUMER_LAG,
                &[("topic", topic), ("partition", &partition)],
                *lag as f64,
            );
        }
        let extra = self.extra.lock().unwrap_or_else(|p| p.into_inner()).clone();
        for report in extra {
            report.report(&mut out);
        }
        out.finish()
    }
}

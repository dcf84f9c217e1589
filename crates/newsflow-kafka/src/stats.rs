//! What a pipeline knows about itself: counters, processing latency,
//! assignment, consumer lag; and what it reports on `/metrics`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

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
        out.counter(
            "newsflow_records_received_total",
            "Records read from the input topic.",
            &labels,
            self.received(),
        );
        out.counter(
            "newsflow_records_delivered_total",
            "Records whose output is durable (offset stored).",
            &labels,
            self.delivered(),
        );
        out.counter(
            "newsflow_records_dead_lettered_total",
            "Records sent to the dead-letter topic.",
            &labels,
            self.dead_lettered(),
        );
        self.process_seconds.report(
            &mut out,
            "newsflow_process_seconds",
            "Time to process one record (decode, enrich or convert), in seconds.",
            &labels,
        );
        out.gauge(
            "newsflow_assigned_partitions",
            "Partitions this process reads.",
            &labels,
            self.assigned() as f64,
        );
        out.gauge(
            "newsflow_output_available",
            "1 while the stage's output (broker or database) takes writes.",
            &labels,
            f64::from(u8::from(self.output_available.load(Ordering::Relaxed))),
        );
        out.gauge(
            "newsflow_stalled_partitions",
            "Partitions standing below their end for the stall timeout while nothing holds them back.",
            &labels,
            self.stalled() as f64,
        );
        out.counter(
            "newsflow_partition_stalls_total",
            "Times a partition was found stalled.",
            &labels,
            self.stalls.load(Ordering::Relaxed),
        );
        out.counter(
            "newsflow_unreadable_skipped_total",
            "Offsets dead-lettered and moved past under --skip-unreadable.",
            &labels,
            self.skipped.load(Ordering::Relaxed),
        );
        out.counter(
            "newsflow_group_rejoins_total",
            "Rejoins of this member after it sat without partitions while its group lagged.",
            &labels,
            self.rejoins.load(Ordering::Relaxed),
        );
        out.counter(
            "newsflow_consumer_recreations_total",
            "Consumers closed and made anew because rejoining did not get this member partitions.",
            &labels,
            self.recreations.load(Ordering::Relaxed),
        );
        out.gauge(
            "newsflow_member_stuck",
            "1 when rejoining and a new consumer did not get this member partitions while its group lags and nobody moves them.",
            &labels,
            f64::from(u8::from(self.is_stuck())),
        );
        out.family(
            "newsflow_consumer_lag",
            "gauge",
            "Records between the committed offset and the partition's end (librdkafka statistics).",
        );
        let lag = self.lag.lock().unwrap_or_else(|p| p.into_inner()).clone();
        for ((topic, partition), lag) in &lag {
            let partition = partition.to_string();
            out.sample(
                "newsflow_consumer_lag",
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

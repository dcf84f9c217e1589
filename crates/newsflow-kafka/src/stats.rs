//! Counters a pipeline keeps about itself.

use std::sync::atomic::{AtomicU64, Ordering};

/// Running totals of one pipeline, shared with whoever reports them.
#[derive(Debug, Default)]
pub struct PipelineStats {
    received: AtomicU64,
    delivered: AtomicU64,
    dead_lettered: AtomicU64,
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
}

//! Partitions that stop moving while there is more to read.
//!
//! A record the broker never hands over (Tansu 0.6.0 serves none above
//! 5 MiB) holds its partition at one offset for good, and nothing reports
//! an error: the client fetches, gets no record, and fetches again. From
//! outside that looks like a slow broker. The watch tells the two apart:
//! a partition is *stalled* when, for the whole stall timeout, its position
//! stayed below its end while nothing held it back (no record waiting in
//! the client or in its worker, fetching not paused, its leader up).
//!
//! The watch only decides; the pipeline reports a stall (log, metric,
//! readiness) and, where the operator opted in, dead-letters the offset
//! and moves past it.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rdkafka::consumer::{Consumer, ConsumerContext};
use rdkafka::Offset;

use crate::dlq::DeadLetters;
use crate::events::UnreadableSkipped;
use crate::offsets::OffsetStore;
use crate::partition_worker::PartitionKey;
use crate::{PipelineStats, Rejection, SourceRecord};
use newsflow_core::DeadLetterReason;

/// What the client's statistics say of one assigned partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Observation {
    /// The next offset the pipeline would be given; negative when unknown.
    pub position: i64,
    /// The partition's end (the offset after its last record).
    pub high_watermark: i64,
    /// Something other than its next record holds the partition back:
    /// records waiting in the client or in its worker, fetching paused,
    /// its leader not connected.
    pub held: bool,
}

/// A partition that did not move for the stall timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stall {
    /// The topic.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// The offset it stands at: the record that does not arrive.
    pub offset: i64,
    /// The partition's end when last seen.
    pub high_watermark: i64,
    /// How long it has stood there.
    pub stalled_for: Duration,
}

struct Watched {
    position: i64,
    high_watermark: i64,
    since: Instant,
    stalled: bool,
}

/// Keeps, per assigned partition, since when it stands where it stands.
pub(crate) struct StallWatch {
    after: Duration,
    partitions: Mutex<HashMap<PartitionKey, Watched>>,
    /// Partitions read to the end of their range (replay): they stand
    /// still below the end on purpose.
    finished: Mutex<HashSet<PartitionKey>>,
}

impl StallWatch {
    pub(crate) fn new(after: Duration) -> Self {
        StallWatch {
            after,
            partitions: Mutex::new(HashMap::new()),
            finished: Mutex::new(HashSet::new()),
        }
    }

    /// Takes one round of statistics (every assigned partition; the ones
    /// missing are no longer assigned) and returns the partitions that
    /// became stalled with it.
    pub(crate) fn observe(
        &self,
        now: Instant,
        observations: impl IntoIterator<Item = (PartitionKey, Observation)>,
    ) -> Vec<Stall> {
        let finished = self.finished.lock().unwrap_or_else(|p| p.into_inner());
        let mut partitions = self.partitions.lock().unwrap_or_else(|p| p.into_inner());
        let mut seen = HashSet::new();
        let mut newly = Vec::new();
        for (key, seen_now) in observations {
            if finished.contains(&key) {
                continue;
            }
            seen.insert(key.clone());
            let watched = partitions.entry(key.clone()).or_insert(Watched {
                position: seen_now.position,
                high_watermark: seen_now.high_watermark,
                since: now,
                stalled: false,
            });
            let behind = seen_now.position >= 0 && seen_now.high_watermark > seen_now.position;
            if seen_now.held || !behind || seen_now.position != watched.position {
                *watched = Watched {
                    position: seen_now.position,
                    high_watermark: seen_now.high_watermark,
                    since: now,
                    stalled: false,
                };
                continue;
            }
            watched.high_watermark = seen_now.high_watermark;
            if !watched.stalled && now.duration_since(watched.since) >= self.after {
                watched.stalled = true;
                newly.push(stall(&key, watched, now));
            }
        }
        partitions.retain(|key, _| seen.contains(key));
        newly
    }

    /// The partitions stalled now.
    pub(crate) fn stalled(&self) -> Vec<Stall> {
        let now = Instant::now();
        let partitions = self.partitions.lock().unwrap_or_else(|p| p.into_inner());
        let mut stalls: Vec<Stall> = partitions
            .iter()
            .filter(|(_, w)| w.stalled)
            .map(|(key, w)| stall(key, w, now))
            .collect();
        stalls.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
        stalls
    }

    /// Starts the partition's clock again (after moving it past its
    /// record).
    pub(crate) fn restart(&self, key: &PartitionKey) {
        let mut partitions = self.partitions.lock().unwrap_or_else(|p| p.into_inner());
        partitions.remove(key);
    }

    /// The partition stands still from now on by design.
    pub(crate) fn finish(&self, key: PartitionKey) {
        self.restart(&key);
        self.finished
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key);
    }
}

/// Moves a stalled partition past the offset it stands at (the opt-in
/// `--skip-unreadable` policy).
pub(crate) struct Skipper<'a, C> {
    pub consumer: &'a C,
    pub dead_letters: &'a DeadLetters,
    pub store_offset: &'a OffsetStore,
    pub stage: &'static str,
    pub stats: &'a PipelineStats,
}

impl<C> Skipper<'_, C> {
    /// Dead-letters the offset with headers only (its record was never
    /// read), stores it as done, and fetches from the next one. Returns
    /// whether it moved the partition.
    pub(crate) async fn skip<X: ConsumerContext>(&self, stall: &Stall) -> bool
    where
        C: Consumer<X>,
    {
        let record = SourceRecord {
            topic: stall.topic.clone(),
            partition: stall.partition,
            offset: stall.offset,
            key: None,
            payload: None,
            headers: Vec::new(),
            timestamp: None,
        };
        let rejection = Rejection::new(
            DeadLetterReason::Unreadable,
            format!(
                "the broker did not hand over offset {} of {}[{}] for {} s while the \
                 partition's end was {}; skipped under --skip-unreadable",
                stall.offset,
                stall.topic,
                stall.partition,
                stall.stalled_for.as_secs(),
                stall.high_watermark
            ),
        );
        let ack = self
            .dead_letters
            .send(&record, self.stage, &rejection)
            .await;
        if let Err(e) = ack.await {
            tracing::warn!(
                topic = stall.topic,
                partition = stall.partition,
                offset = stall.offset,
                error = e.reason(),
                "cannot dead-letter the unreadable offset; not skipping it"
            );
            return false;
        }
        (self.store_offset)(&stall.topic, stall.partition, stall.offset);
        let next = Offset::Offset(stall.offset + 1);
        let seek = tokio::task::block_in_place(|| {
            self.consumer
                .seek(&stall.topic, stall.partition, next, Duration::from_secs(10))
        });
        match seek {
            Ok(()) => {
                UnreadableSkipped {
                    topic: &stall.topic,
                    partition: stall.partition,
                    offset: stall.offset,
                }
                .emit(self.stats);
                true
            }
            Err(e) => {
                // The offset is stored: a restart reads from the next one.
                tracing::error!(
                    topic = stall.topic,
                    partition = stall.partition,
                    offset = stall.offset,
                    error = %e,
                    "unreadable offset dead-lettered, but moving past it failed; restart to move on"
                );
                false
            }
        }
    }
}

fn stall(key: &PartitionKey, watched: &Watched, now: Instant) -> Stall {
    Stall {
        topic: key.0.clone(),
        partition: key.1,
        offset: watched.position,
        high_watermark: watched.high_watermark,
        stalled_for: now.duration_since(watched.since),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(p: i32) -> PartitionKey {
        ("t".to_string(), p)
    }

    fn at(position: i64, high_watermark: i64, held: bool) -> Observation {
        Observation {
            position,
            high_watermark,
            held,
        }
    }

    #[test]
    fn a_partition_standing_below_its_end_stalls_after_the_timeout_once() {
        let watch = StallWatch::new(Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(watch.observe(t0, [(key(0), at(5, 9, false))]).is_empty());
        let t1 = t0 + Duration::from_secs(59);
        assert!(watch.observe(t1, [(key(0), at(5, 9, false))]).is_empty());
        let t2 = t0 + Duration::from_secs(61);
        let stalls = watch.observe(t2, [(key(0), at(5, 10, false))]);
        assert_eq!(stalls.len(), 1);
        assert_eq!((stalls[0].offset, stalls[0].high_watermark), (5, 10));
        assert!(stalls[0].stalled_for >= Duration::from_secs(61));
        // Reported once, but still stalled.
        let t3 = t0 + Duration::from_secs(70);
        assert!(watch.observe(t3, [(key(0), at(5, 10, false))]).is_empty());
        assert_eq!(watch.stalled().len(), 1);
    }

    #[test]
    fn moving_caught_up_or_held_partitions_never_stall() {
        let watch = StallWatch::new(Duration::from_secs(10));
        let t0 = Instant::now();
        for step in 0..10u64 {
            let now = t0 + Duration::from_secs(step * 5);
            let position = step as i64;
            let stalls = watch.observe(
                now,
                [
                    (key(0), at(position, 100, false)), // moving
                    (key(1), at(7, 7, false)),          // at its end
                    (key(2), at(3, 50, true)),          // held back
                    (key(3), at(-1001, 50, false)),     // position unknown
                ],
            );
            assert!(stalls.is_empty(), "step {step}: {stalls:?}");
        }
        assert!(watch.stalled().is_empty());
    }

    #[test]
    fn a_stalled_partition_that_moves_or_is_revoked_is_no_longer_stalled() {
        let watch = StallWatch::new(Duration::from_secs(1));
        let t0 = Instant::now();
        watch.observe(t0, [(key(0), at(5, 9, false)), (key(1), at(2, 9, false))]);
        let t1 = t0 + Duration::from_secs(2);
        let stalls = watch.observe(t1, [(key(0), at(5, 9, false)), (key(1), at(2, 9, false))]);
        assert_eq!(stalls.len(), 2);
        let t2 = t0 + Duration::from_secs(3);
        watch.observe(t2, [(key(0), at(6, 9, false))]);
        assert!(watch.stalled().is_empty());
    }

    #[test]
    fn a_restarted_clock_needs_a_whole_timeout_again() {
        let watch = StallWatch::new(Duration::from_secs(10));
        let t0 = Instant::now();
        watch.observe(t0, [(key(0), at(5, 9, false))]);
        assert_eq!(
            watch
                .observe(t0 + Duration::from_secs(11), [(key(0), at(5, 9, false))])
                .len(),
            1
        );
        watch.restart(&key(0));
        let t1 = t0 + Duration::from_secs(12);
        assert!(watch.observe(t1, [(key(0), at(6, 9, false))]).is_empty());
        let t2 = t0 + Duration::from_secs(21);
        assert!(watch.observe(t2, [(key(0), at(6, 9, false))]).is_empty());
        let t3 = t0 + Duration::from_secs(23);
        assert_eq!(watch.observe(t3, [(key(0), at(6, 9, false))]).len(), 1);
    }

    #[test]
    fn finished_ranges_stand_still_on_purpose() {
        let watch = StallWatch::new(Duration::from_secs(1));
        watch.finish(key(0));
        let t0 = Instant::now();
        watch.observe(t0, [(key(0), at(5, 9, false))]);
        let stalls = watch.observe(t0 + Duration::from_secs(5), [(key(0), at(5, 9, false))]);
        assert!(stalls.is_empty());
    }
}

//! Group membership that goes wrong without an error.
//!
//! Two ways a member can sit idle for good while its group has work:
//!
//! - **Its topic did not exist when it subscribed.** librdkafka notices a
//!   new topic at its next metadata refresh, five minutes later by default.
//!   While a subscribed topic is missing, the watch asks for it every few
//!   seconds, and once it is there asks for the whole cluster's metadata,
//!   which makes librdkafka re-check the subscription and join.
//! - **The coordinator never gives it partitions.** After a broker restart
//!   a coordinator can keep a dead member's assignment, or a member's
//!   consumer can stay out of its group for good. A member without
//!   partitions, while its group's partitions lag and none of their
//!   committed offsets moves, rejoins after `rejoin_after`. If that does
//!   not help, after another period it closes its consumer and makes a new
//!   one, as a restarted process would (a rejoin once did not mend what a
//!   new process did). If even that does not help, it reports itself stuck
//!   (`/healthz`, a metric, a log line) and, with `exit_when_stuck`, stops
//!   with an error so that whatever runs it starts it afresh.
//!
//! - **A dead member keeps partitions.** A coordinator that drops members
//!   whose session expired only when a request for the group arrives (Tansu
//!   0.6.0 does) can leave a SIGKILLed member's partitions with it while
//!   every live member is busy with its own. A member with partitions
//!   therefore also looks, every few probes, at the group's other
//!   partitions; when some lag and none of their committed offsets moves
//!   for `rejoin_after`, it rejoins, which is such a request.
//!
//! Neither misfires on the normal idle cases: a member beyond the partition
//! count sees its group's offsets move (or no lag at all), and a member
//! whose own output is down is not counted as idle.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::{Offset, TopicPartitionList};
use tokio_util::sync::CancellationToken;

use crate::failure::Failure;
use crate::log_messages::TOPIC_MISSING;
use crate::rebalance::RebalanceContext;
use crate::PipelineStats;

/// How often an unassigned member looks at its topics and group.
const PROBE_EVERY: Duration = Duration::from_secs(2);
/// A member with partitions looks at the others' every this many probes.
const OTHERS_EVERY: u32 = 5;
/// The longest one probe's broker requests may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) struct MembershipWatch {
    pub consumer: Arc<StreamConsumer<RebalanceContext>>,
    pub topics: Vec<String>,
    pub stats: Arc<PipelineStats>,
    pub rejoin_after: Duration,
    pub exit_when_stuck: bool,
    pub failure: Arc<Failure>,
    /// Set when this consumer replaced one that was stuck, until it gets
    /// partitions; shared by the consumers of one pipeline.
    pub recreated: Arc<AtomicBool>,
}

/// What one probe found about the group's topics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GroupView {
    /// These subscribed topics do not exist (yet).
    Missing(Vec<String>),
    /// Every topic exists; `lagging` partitions have records past the
    /// group's committed offset, whose sum over them is `committed`.
    Topics { lagging: usize, committed: i64 },
    /// The broker did not answer.
    Unknown,
}

/// Decides, probe by probe, when an idle member should rejoin or give up.
#[derive(Debug)]
pub(crate) struct IdleClock {
    rejoin_after: Duration,
    since: Instant,
    committed: Option<i64>,
    rejoined: bool,
}

/// What an idle member should do after a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdleVerdict {
    Fine,
    Rejoin,
    /// Rejoined already, and it did not help.
    Stuck,
}

impl IdleClock {
    pub(crate) fn new(rejoin_after: Duration, now: Instant) -> Self {
        IdleClock {
            rejoin_after,
            since: now,
            committed: None,
            rejoined: false,
        }
    }

    /// A clock for a consumer that replaced a stuck one: it has had its
    /// rejoin, so the next period without progress counts as stuck.
    pub(crate) fn after_recreation(mut self) -> Self {
        self.rejoined = true;
        self
    }

    /// Nothing is wrong now (partitions assigned, no lag, the output
    /// down): the clock starts again, and so does the rejoin allowance.
    pub(crate) fn reset(&mut self, now: Instant) {
        self.since = now;
        self.committed = None;
        self.rejoined = false;
    }

    /// One probe of an unassigned member whose output is up.
    pub(crate) fn probe(&mut self, now: Instant, lagging: usize, committed: i64) -> IdleVerdict {
        let moved = self.committed.is_some_and(|before| before != committed);
        if lagging == 0 || moved || self.committed.is_none() {
            if lagging == 0 || moved {
                self.since = now;
                self.rejoined = false;
            }
            self.committed = Some(committed);
            return IdleVerdict::Fine;
        }
        if now.duration_since(self.since) < self.rejoin_after {
            return IdleVerdict::Fine;
        }
        // A whole period without progress: rejoin once, then each further
        // period counts as stuck (and rejoins again, which costs nothing).
        self.since = now;
        if self.rejoined {
            IdleVerdict::Stuck
        } else {
            self.rejoined = true;
            IdleVerdict::Rejoin
        }
    }
}

impl MembershipWatch {
    pub(crate) async fn run(self, shutdown: CancellationToken) {
        let mut clock = IdleClock::new(self.rejoin_after, Instant::now());
        if self.recreated.load(Ordering::Relaxed) {
            clock = clock.after_recreation();
        }
        let mut waited_for_topics = false;
        let mut others = IdleClock::new(self.rejoin_after, Instant::now());
        let mut ticks: u32 = 0;
        let mut ticker = tokio::time::interval(PROBE_EVERY);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = self.failure.token.cancelled() => return,
                _ = ticker.tick() => {}
            }
            let now = Instant::now();
            if self.stats.assigned() > 0 {
                clock.reset(now);
                self.recreated.store(false, Ordering::Relaxed);
                if self.stats.is_stuck() {
                    tracing::info!("partitions assigned again: no longer stuck");
                    self.stats.set_stuck(false);
                }
                ticks = ticks.wrapping_add(1);
                if ticks % OTHERS_EVERY == 0 {
                    self.watch_others(&mut others, now).await;
                }
                continue;
            }
            others.reset(now);
            let view = self.probe(false).await;
            match view {
                GroupView::Missing(missing) => {
                    if !waited_for_topics {
                        tracing::info!(
                            ?missing,
                            every_secs = PROBE_EVERY.as_secs(),
                            "{TOPIC_MISSING}"
                        );
                    }
                    waited_for_topics = true;
                    clock.reset(now);
                }
                GroupView::Unknown => clock.reset(now),
                GroupView::Topics { lagging, committed } => {
                    if waited_for_topics {
                        waited_for_topics = false;
                        self.join_now().await;
                        clock.reset(now);
                        continue;
                    }
                    if !self.stats.output_available() {
                        clock.reset(now);
                        continue;
                    }
                    match clock.probe(now, lagging, committed) {
                        IdleVerdict::Fine => {}
                        IdleVerdict::Rejoin => self.rejoin(lagging, false),
                        IdleVerdict::Stuck if !self.recreated.load(Ordering::Relaxed) => {
                            self.recreated.store(true, Ordering::Relaxed);
                            self.stats.record_recreation();
                            self.failure.recreate(format!(
                                "no partitions for {} s after rejoining while {lagging} partitions \
                                 of the group lag and nobody moves them: recreating the consumer",
                                self.rejoin_after.as_secs()
                            ));
                            return;
                        }
                        IdleVerdict::Stuck => {
                            if !self.stats.is_stuck() {
                                tracing::error!(
                                    lagging,
                                    seconds = self.rejoin_after.as_secs(),
                                    "stuck: still no partitions after rejoining and recreating the \
                                     consumer while the group's partitions lag and nobody moves \
                                     them; /healthz now fails"
                                );
                            }
                            self.stats.set_stuck(true);
                            if self.exit_when_stuck {
                                self.failure.fail(format!(
                                    "no partitions for {} s after rejoining and recreating the \
                                     consumer while {lagging} partitions of the group lag and \
                                     nobody moves them (--exit-when-stuck)",
                                    self.rejoin_after.as_secs()
                                ));
                                return;
                            }
                            self.rejoin(lagging, true);
                        }
                    }
                }
            }
        }
    }

    /// The topics' existence and the group's lag, from the broker; with
    /// `others`, only of the partitions this member does not hold.
    async fn probe(&self, others: bool) -> GroupView {
        let consumer = self.consumer.clone();
        let topics = self.topics.clone();
        tokio::task::spawn_blocking(move || {
            let own: HashSet<(String, i32)> = match (others, consumer.assignment()) {
                (false, _) => HashSet::new(),
                (true, Ok(list)) => list
                    .elements()
                    .iter()
                    .map(|e| (e.topic().to_string(), e.partition()))
                    .collect(),
                (true, Err(_)) => return GroupView::Unknown,
            };
            group_view(&*consumer, &topics, &own)
        })
        .await
        .unwrap_or(GroupView::Unknown)
    }

    /// For a member with partitions: rejoins while other partitions of the
    /// group lag and nobody moves them (see the module documentation).
    async fn watch_others(&self, clock: &mut IdleClock, now: Instant) {
        match self.probe(true).await {
            GroupView::Topics { lagging, committed } if self.stats.output_available() => {
                if clock.probe(now, lagging, committed) != IdleVerdict::Fine {
                    tracing::warn!(
                        lagging,
                        seconds = self.rejoin_after.as_secs(),
                        "partitions this member does not hold lag and nobody moves them: \
                         rejoining, so that the coordinator drops members that are gone"
                    );
                    self.stats.record_rejoin();
                    self.resubscribe();
                }
            }
            _ => clock.reset(now),
        }
    }

    /// Asks for the whole cluster's metadata: on that answer librdkafka
    /// re-checks the subscription and joins with the new topic.
    async fn join_now(&self) {
        tracing::info!(topics = ?self.topics, "subscribed topics exist now; joining the group");
        let consumer = self.consumer.clone();
        let refreshed =
            tokio::task::spawn_blocking(move || consumer.fetch_metadata(None, REQUEST_TIMEOUT))
                .await;
        if !matches!(refreshed, Ok(Ok(_))) {
            tracing::warn!("refreshing the cluster's metadata failed; librdkafka will do it later");
        }
    }

    fn rejoin(&self, lagging: usize, again: bool) {
        tracing::warn!(
            lagging,
            seconds = self.rejoin_after.as_secs(),
            again,
            "no partitions while the group's partitions lag and nobody moves them: rejoining the group"
        );
        self.stats.record_rejoin();
        self.resubscribe();
    }

    fn resubscribe(&self) {
        let topics: Vec<&str> = self.topics.iter().map(String::as_str).collect();
        self.consumer.unsubscribe();
        if let Err(e) = self.consumer.subscribe(&topics) {
            tracing::error!(error = %e, "subscribing again failed");
        }
    }
}

/// Blocking: metadata, committed offsets and watermarks of every
/// partition of `topics` but those in `skip`.
fn group_view<C: Consumer<X>, X: rdkafka::consumer::ConsumerContext>(
    consumer: &C,
    topics: &[String],
    skip: &HashSet<(String, i32)>,
) -> GroupView {
    let mut partitions = TopicPartitionList::new();
    let mut missing = Vec::new();
    for topic in topics {
        let Ok(metadata) = consumer.fetch_metadata(Some(topic), REQUEST_TIMEOUT) else {
            return GroupView::Unknown;
        };
        match metadata.topics().iter().find(|t| t.name() == topic) {
            Some(t) if t.error().is_none() && !t.partitions().is_empty() => {
                for p in t.partitions() {
                    if !skip.contains(&(topic.clone(), p.id())) {
                        partitions.add_partition(topic, p.id());
                    }
                }
            }
            _ => missing.push(topic.clone()),
        }
    }
    if !missing.is_empty() {
        return GroupView::Missing(missing);
    }
    let Ok(committed) = consumer.committed_offsets(partitions, REQUEST_TIMEOUT) else {
        return GroupView::Unknown;
    };
    let mut lagging = 0;
    let mut sum = 0;
    for element in committed.elements() {
        let Ok((low, high)) =
            consumer.fetch_watermarks(element.topic(), element.partition(), REQUEST_TIMEOUT)
        else {
            return GroupView::Unknown;
        };
        let at = match element.offset() {
            Offset::Offset(at) => at,
            // Nothing committed: the group starts from the beginning.
            _ => low,
        };
        if high > at {
            lagging += 1;
            sum += at;
        }
    }
    GroupView::Topics {
        lagging,
        committed: sum,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERIOD: Duration = Duration::from_secs(18);

    #[test]
    fn a_recreated_consumer_is_stuck_after_one_period_without_progress() {
        let t0 = Instant::now();
        let mut clock = IdleClock::new(PERIOD, t0).after_recreation();
        assert_eq!(clock.probe(t0, 2, 40), IdleVerdict::Fine);
        assert_eq!(clock.probe(t0 + PERIOD, 2, 40), IdleVerdict::Stuck);
        // progress gives it its rejoin allowance back
        let mut clock = IdleClock::new(PERIOD, t0).after_recreation();
        assert_eq!(clock.probe(t0, 2, 40), IdleVerdict::Fine);
        assert_eq!(
            clock.probe(t0 + Duration::from_secs(2), 2, 41),
            IdleVerdict::Fine
        );
        let later = t0 + Duration::from_secs(2) + PERIOD;
        assert_eq!(clock.probe(later, 2, 41), IdleVerdict::Rejoin);
    }

    #[test]
    fn a_member_beside_a_moving_group_never_rejoins() {
        let t0 = Instant::now();
        let mut clock = IdleClock::new(PERIOD, t0);
        for step in 0..100u64 {
            let now = t0 + Duration::from_secs(step * 2);
            let verdict = clock.probe(now, 3, step as i64 * 10);
            assert_eq!(verdict, IdleVerdict::Fine, "step {step}");
        }
    }

    #[test]
    fn a_member_of_a_caught_up_group_never_rejoins() {
        let t0 = Instant::now();
        let mut clock = IdleClock::new(PERIOD, t0);
        for step in 0..100u64 {
            let now = t0 + Duration::from_secs(step * 2);
            assert_eq!(clock.probe(now, 0, 500), IdleVerdict::Fine);
        }
    }

    #[test]
    fn no_progress_rejoins_after_the_period_then_is_stuck_after_another() {
        let t0 = Instant::now();
        let mut clock = IdleClock::new(PERIOD, t0);
        let mut verdicts = Vec::new();
        for step in 0..=20u64 {
            let now = t0 + Duration::from_secs(step * 2);
            let verdict = clock.probe(now, 2, 40);
            if verdict != IdleVerdict::Fine {
                verdicts.push((step * 2, verdict));
            }
        }
        assert_eq!(
            verdicts,
            [(18, IdleVerdict::Rejoin), (36, IdleVerdict::Stuck)]
        );
    }

    #[test]
    fn progress_after_a_rejoin_clears_it() {
        let t0 = Instant::now();
        let mut clock = IdleClock::new(PERIOD, t0);
        clock.probe(t0, 2, 40);
        let rejoin_at = t0 + PERIOD;
        assert_eq!(clock.probe(rejoin_at, 2, 40), IdleVerdict::Rejoin);
        // Someone moves the partitions: the allowance comes back.
        assert_eq!(
            clock.probe(rejoin_at + Duration::from_secs(2), 2, 41),
            IdleVerdict::Fine
        );
        let later = rejoin_at + Duration::from_secs(2) + PERIOD;
        assert_eq!(clock.probe(later, 2, 41), IdleVerdict::Rejoin);
    }

    #[test]
    fn a_reset_starts_the_period_again() {
        let t0 = Instant::now();
        let mut clock = IdleClock::new(PERIOD, t0);
        clock.probe(t0, 2, 40);
        clock.reset(t0 + Duration::from_secs(16));
        assert_eq!(
            clock.probe(t0 + Duration::from_secs(18), 2, 40),
            IdleVerdict::Fine
        );
        assert_eq!(
            clock.probe(t0 + Duration::from_secs(30), 2, 40),
            IdleVerdict::Fine
        );
        assert_eq!(
            clock.probe(t0 + Duration::from_secs(36), 2, 40),
            IdleVerdict::Rejoin
        );
    }
}

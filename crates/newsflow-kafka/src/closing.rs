//! Closing a group consumer without letting the close hold the process.
//!
//! librdkafka closes a consumer when its last handle is dropped, and that
//! close waits without a limit for the coordinator to let the member go. A
//! coordinator in the middle of a rebalance can hold it for good (seen with
//! Tansu 0.6.0 during a rolling restart). Offsets are committed before the
//! close, so the process may go on without it: the group drops the member
//! when its session times out.
//!
//! Where the close runs matters as much as how long it may take. If some
//! other task (the membership watch's metadata probe, say) held the last
//! handle, the close would run on that task's thread: a tokio blocking
//! thread, which the runtime waits for when the process ends. That is how
//! an enricher once logged "stopped" after SIGTERM and then never exited.
//! So the close always runs on a thread of its own, which waits for every
//! other handle to go and which the process does not wait for.
//!
//! Before the close, a group member leaves ([`leave_group`]): it
//! unsubscribes and answers the group's last rebalance callbacks itself,
//! declining grants, so that the close finds no assignment under way.
//! librdkafka asserts there is none when the group terminates, and a grant
//! answered inside the close once aborted a replica (`scale_out`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use rdkafka::consumer::{Consumer, StreamConsumer};

use crate::rebalance::{Owned, RebalanceContext};

/// How long the consumer must stay quiet, holding nothing, for the member
/// to count as gone.
const QUIET: Duration = Duration::from_millis(200);

/// Unsubscribes and serves the consumer's rebalance callbacks until it
/// holds no partition and nothing more comes, for at most `timeout`;
/// returns whether it got there. Records still fetched are dropped unread:
/// their offsets were never stored, so the next owner reads them.
pub(crate) async fn leave_group(
    consumer: &StreamConsumer<RebalanceContext>,
    owned: &Owned,
    timeout: Duration,
) -> bool {
    owned.leave();
    consumer.unsubscribe();
    let deadline = Instant::now() + timeout;
    let mut dropped = 0_u64;
    while Instant::now() < deadline {
        match tokio::time::timeout(QUIET, consumer.recv()).await {
            Ok(Ok(_)) => dropped += 1,
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "consumer error while leaving the group");
                tokio::time::sleep(QUIET / 4).await;
            }
            Err(_) => {
                if consumer.assignment().map_or(true, |a| a.count() == 0) {
                    tracing::debug!(dropped, declined = owned.declined(), "left the group");
                    return true;
                }
            }
        }
    }
    tracing::warn!(
        ?timeout,
        dropped,
        "the consumer still held partitions when it had to close"
    );
    false
}

/// How often the closing thread looks whether it holds the last handle.
const RETRY_EVERY: Duration = Duration::from_millis(20);

/// Drops `handle` on a thread of its own once it is the last one, waiting
/// at most `timeout` for that and for the drop; returns whether both were
/// done in time. A late close goes on in the background and ends with the
/// process at the latest.
pub(crate) async fn close_within<T: Send + Sync + 'static>(
    handle: Arc<T>,
    timeout: Duration,
) -> bool {
    let (done, closed) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("consumer-close".into())
        .spawn(move || {
            let mut handle = handle;
            let last = loop {
                match Arc::try_unwrap(handle) {
                    Ok(last) => break last,
                    Err(shared) => {
                        handle = shared;
                        std::thread::sleep(RETRY_EVERY);
                    }
                }
            };
            drop(last);
            let _ = done.send(());
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start a thread to close the consumer; leaving it open");
        return false;
    }
    if tokio::time::timeout(timeout, closed).await.is_err() {
        tracing::warn!(
            ?timeout,
            "the consumer did not leave its group in time; going on without it"
        );
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::thread::ThreadId;

    /// Records the thread it is dropped on and blocks there while `hold`.
    struct Closable {
        dropped_on: Arc<Mutex<Option<ThreadId>>>,
        hold: Duration,
    }

    impl Drop for Closable {
        fn drop(&mut self) {
            *self.dropped_on.lock().unwrap() = Some(std::thread::current().id());
            std::thread::sleep(self.hold);
        }
    }

    fn closable(hold: Duration) -> (Arc<Closable>, Arc<Mutex<Option<ThreadId>>>) {
        let dropped_on = Arc::new(Mutex::new(None));
        let handle = Arc::new(Closable {
            dropped_on: dropped_on.clone(),
            hold,
        });
        (handle, dropped_on)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_close_waits_for_other_handles_and_runs_on_its_own_thread() {
        let (handle, dropped_on) = closable(Duration::ZERO);
        // Another task holds a handle on a blocking thread for a while, as
        // the membership probe does.
        let other = handle.clone();
        let probe = tokio::task::spawn_blocking(move || {
            std::thread::sleep(Duration::from_millis(200));
            let on = std::thread::current().id();
            drop(other);
            on
        });
        assert!(close_within(handle, Duration::from_secs(5)).await);
        let probe_thread = probe.await.unwrap();
        let closed_on = dropped_on.lock().unwrap().expect("closed");
        assert_ne!(
            closed_on, probe_thread,
            "the probe's thread did not close it"
        );
        assert_ne!(closed_on, std::thread::current().id());
    }

    #[tokio::test]
    async fn a_close_that_hangs_is_left_behind_after_the_timeout() {
        let (handle, dropped_on) = closable(Duration::from_secs(3600));
        let started = std::time::Instant::now();
        assert!(!close_within(handle, Duration::from_millis(100)).await);
        assert!(started.elapsed() < Duration::from_secs(60));
        // The close began, on the closing thread, and is still going.
        while dropped_on.lock().unwrap().is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the close never began"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// A group member on librdkafka's in-process broker, with the
    /// pipeline's consumer context and settings.
    fn member(brokers: &str, owned: Arc<Owned>) -> StreamConsumer<RebalanceContext> {
        use crate::stall::StallWatch;
        use std::collections::HashMap;
        use std::sync::atomic::AtomicBool;
        let context = RebalanceContext {
            workers: Arc::new(Mutex::new(HashMap::new())),
            drain_timeout: Duration::from_secs(5),
            stats: Arc::new(crate::PipelineStats::default()),
            stalls: Arc::new(StallWatch::new(Duration::from_secs(60))),
            paused: Arc::new(AtomicBool::new(false)),
            owned,
        };
        let consumer: StreamConsumer<RebalanceContext> = crate::KafkaConfig::new(brokers)
            .group_consumer("leaving")
            .set("session.timeout.ms", "6000")
            .set("heartbeat.interval.ms", "500")
            .create_with_context(context)
            .unwrap();
        consumer.subscribe(&["raw"]).unwrap();
        consumer
    }

    fn held(consumer: &StreamConsumer<RebalanceContext>) -> usize {
        consumer.assignment().unwrap().count()
    }

    /// Polls `consumer` until `done` or a minute has passed.
    async fn poll_until(
        consumer: &StreamConsumer<RebalanceContext>,
        done: impl Fn(&StreamConsumer<RebalanceContext>) -> bool,
    ) -> bool {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if done(consumer) {
                return true;
            }
            let _ = tokio::time::timeout(Duration::from_millis(100), consumer.recv()).await;
        }
        false
    }

    fn cluster() -> rdkafka::mocking::MockCluster<'static, rdkafka::producer::DefaultProducerContext>
    {
        let cluster = rdkafka::mocking::MockCluster::new(1).unwrap();
        cluster.create_topic("raw", 4, 1).unwrap();
        cluster
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_member_that_is_leaving_declines_what_the_group_grants() {
        let cluster = cluster();
        let owned = Arc::new(Owned::default());
        owned.leave();
        let consumer = member(&cluster.bootstrap_servers(), owned.clone());
        assert!(
            poll_until(&consumer, |_| owned.declined() > 0).await,
            "the group granted nothing"
        );
        // Served, the grant left nothing assigned, nothing owned.
        let _ = tokio::time::timeout(Duration::from_millis(300), consumer.recv()).await;
        assert_eq!(held(&consumer), 0);
        assert!((0..4).all(|p| !owned.holds("raw", p)));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn leaving_answers_the_groups_callbacks_before_the_close() {
        let cluster = cluster();
        let brokers = cluster.bootstrap_servers();
        let owned = Arc::new(Owned::default());
        let leaver = member(&brokers, owned.clone());
        assert!(poll_until(&leaver, |c| held(c) == 4).await);
        let revoked_before = owned.revocations();

        // A second member joins while the first one drains and polls
        // nothing: the group rebalances under it, as under `scale_out`.
        let stayer = Arc::new(member(&brokers, Arc::new(Owned::default())));
        let polling = {
            let stayer = stayer.clone();
            tokio::spawn(async move { poll_until(&stayer, |c| held(c) == 4).await })
        };
        tokio::time::sleep(Duration::from_secs(2)).await;

        assert!(leave_group(&leaver, &owned, Duration::from_secs(30)).await);
        assert_eq!(held(&leaver), 0);
        assert!(
            owned.revocations() > revoked_before,
            "the revocation was answered by the leave, not left to the close"
        );
        assert!(close_within(Arc::new(leaver), Duration::from_secs(10)).await);
        assert!(
            polling.await.unwrap(),
            "the other member took every partition"
        );
    }

    #[tokio::test]
    async fn a_handle_held_elsewhere_for_good_does_not_hold_the_caller() {
        let (handle, dropped_on) = closable(Duration::ZERO);
        let kept = handle.clone();
        assert!(!close_within(handle, Duration::from_millis(100)).await);
        assert!(dropped_on.lock().unwrap().is_none());
        drop(kept);
    }
}

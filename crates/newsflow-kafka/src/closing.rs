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

use std::sync::Arc;
use std::time::Duration;

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

    #[tokio::test]
    async fn a_handle_held_elsewhere_for_good_does_not_hold_the_caller() {
        let (handle, dropped_on) = closable(Duration::ZERO);
        let kept = handle.clone();
        assert!(!close_within(handle, Duration::from_millis(100)).await);
        assert!(dropped_on.lock().unwrap().is_none());
        drop(kept);
    }
}

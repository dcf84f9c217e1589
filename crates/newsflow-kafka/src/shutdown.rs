//! Turning SIGTERM and Ctrl-C into a cancellation token.

use std::future::Future;

use tokio_util::sync::CancellationToken;

/// A token cancelled on the first SIGTERM or SIGINT. Long-running commands
/// pass it to their pipeline, which then drains, commits and returns.
///
/// The handlers are installed before this returns, so a signal that comes
/// as soon as the caller starts consuming is a request to drain. Installed
/// inside the spawned task instead, they waited for a worker to poll it,
/// and a SIGTERM in between killed the process outright.
pub fn on_signals() -> CancellationToken {
    let token = CancellationToken::new();
    let trigger = token.clone();
    let signalled = listen();
    tokio::spawn(async move {
        signalled.await;
        tracing::info!("{}", crate::log_messages::SHUTDOWN_REQUESTED);
        trigger.cancel();
    });
    token
}

/// Registers the handlers now; the future ends on the first signal.
#[cfg(unix)]
fn listen() -> impl Future<Output = ()> {
    use tokio::signal::unix::{signal, SignalKind};
    let term = signal(SignalKind::terminate());
    let interrupt = signal(SignalKind::interrupt());
    if let Err(e) = &term {
        tracing::warn!(error = %e, "cannot listen for SIGTERM; Ctrl-C only");
    }
    let next = |registered: std::io::Result<tokio::signal::unix::Signal>| async move {
        match registered {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    async move {
        tokio::select! {
            _ = next(term) => {}
            _ = next(interrupt) => {}
        }
    }
}

#[cfg(not(unix))]
fn listen() -> impl Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_sigterm_right_after_the_call_is_a_request_to_drain() {
        let token = on_signals();
        // No await in between: the spawned task has not run yet. Had it
        // not registered the handler, SIGTERM would end this test binary.
        // SAFETY: raising a signal in our own process.
        assert_eq!(unsafe { libc::raise(libc::SIGTERM) }, 0);
        tokio::time::timeout(Duration::from_secs(10), token.cancelled())
            .await
            .expect("the token is cancelled");
    }
}

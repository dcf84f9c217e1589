//! How a pipeline stops itself: a fatal error, or a consumer to be made
//! anew.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

/// Set once by whichever part of the pipeline hits an error it cannot get
/// past; stops the whole pipeline.
#[derive(Default)]
pub(crate) struct Failure {
    pub(crate) token: CancellationToken,
    reason: Mutex<Option<String>>,
    /// Stopped to make a new consumer, not because of an error.
    pub(crate) recreate: AtomicBool,
}

impl Failure {
    /// Stops this consumer so that [`crate::Pipeline::run`] makes a new one.
    pub(crate) fn recreate(&self, why: String) {
        tracing::warn!(why, "recreating the consumer");
        self.recreate.store(true, Ordering::Relaxed);
        self.token.cancel();
    }

    pub(crate) fn fail(&self, reason: String) {
        tracing::error!(reason, "pipeline stopping");
        let mut slot = self.reason.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert(reason);
        self.token.cancel();
    }

    pub(crate) fn reason(&self) -> Option<String> {
        self.reason
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

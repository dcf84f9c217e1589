//! A records-per-second limit (`replay --rate`).

use std::time::Duration;

/// Spaces records out to at most `rate` per second.
pub(crate) struct Pacing {
    interval: Option<Duration>,
    next: tokio::time::Instant,
}

impl Pacing {
    pub(crate) fn new(rate: Option<f64>) -> Self {
        Pacing {
            interval: rate
                .filter(|r| r.is_finite() && *r > 0.0)
                .map(|r| Duration::from_secs_f64(1.0 / r)),
            next: tokio::time::Instant::now(),
        }
    }

    pub(crate) fn ready_at(&self) -> Option<tokio::time::Instant> {
        self.interval.map(|_| self.next)
    }

    pub(crate) fn sent(&mut self) {
        if let Some(interval) = self.interval {
            // No credit for idle time: a pause is not followed by a burst.
            self.next = self.next.max(tokio::time::Instant::now()) + interval;
        }
    }
}

//! What the pipeline tells operators about a record, each said from one
//! place: an event writes its log line and moves its metric together, so
//! the two cannot disagree or drift apart (Vector's internal events follow
//! the same rule).

use crate::{PipelineStats, Rejection, SourceRecord};

/// A record whose dead letter the broker holds.
pub(crate) struct DeadLettered<'a> {
    pub stage: &'a str,
    pub record: &'a SourceRecord,
    pub rejection: &'a Rejection,
    /// The stage's output was refused (too large for the topic, say),
    /// rather than the input.
    pub output_refused: bool,
}

impl DeadLettered<'_> {
    pub(crate) fn emit(self, stats: &PipelineStats) {
        let what = if self.output_refused {
            "output refused; input dead-lettered"
        } else {
            "record dead-lettered"
        };
        tracing::warn!(
            stage = self.stage,
            topic = self.record.topic,
            partition = self.record.partition,
            offset = self.record.offset,
            kind = self.rejection.kind.as_str(),
            reason = self.rejection.message,
            "{what}"
        );
        stats.record_dead_lettered();
    }
}

/// An offset the broker never handed over, dead-lettered and moved past
/// under `--skip-unreadable`.
pub(crate) struct UnreadableSkipped<'a> {
    pub topic: &'a str,
    pub partition: i32,
    pub offset: i64,
}

impl UnreadableSkipped<'_> {
    pub(crate) fn emit(self, stats: &PipelineStats) {
        tracing::warn!(
            topic = self.topic,
            partition = self.partition,
            offset = self.offset,
            "unreadable offset dead-lettered and skipped"
        );
        stats.record_skip();
    }
}

//! The delivery promise, kept in one place.
//!
//! **Invariant:** an offset is stored only once the output of its record,
//! or the record's dead letter, is durable, and only in source order; and
//! stored offsets are committed synchronously before a partition is given
//! up (revoke) and before the consumer stops (shutdown). librdkafka commits
//! stored offsets in the background every second besides. So a committed
//! offset never passes a record that was not delivered, and a crash costs
//! at most the records since the last commit, read again (at-least-once).
//!
//! The partition workers ([`crate::partition_worker`]) call the
//! [`OffsetStore`] in order as acknowledgements arrive; the rebalance
//! context ([`crate::rebalance`]) and the pipeline's shutdown call
//! [`commit_sync`].

use std::sync::{Arc, Weak};

use rdkafka::consumer::{CommitMode, Consumer, ConsumerContext};
use rdkafka::error::KafkaError;

use crate::PipelineStats;

/// Stores "everything up to and including this offset is done" for a
/// partition.
pub(crate) type OffsetStore = Arc<dyn Fn(&str, i32, i64) + Send + Sync>;

/// The store of `consumer`, which it does not keep alive: once the
/// consumer is gone, storing does nothing. What it stores is the
/// partition's position on `/status`.
pub(crate) fn offset_store<C, X>(consumer: Weak<C>, stats: Arc<PipelineStats>) -> OffsetStore
where
    C: Consumer<X> + Send + Sync + 'static,
    X: ConsumerContext + 'static,
{
    Arc::new(move |topic: &str, partition: i32, offset: i64| {
        let Some(consumer) = consumer.upgrade() else {
            return;
        };
        // librdkafka stores offset + 1: the next record to read.
        match consumer.store_offset(topic, partition, offset) {
            Ok(()) => stats.record_position(topic, partition, offset + 1),
            // The partition was revoked after its drain timed out; the
            // next owner reads this record again.
            Err(e) => tracing::debug!(topic, partition, offset, error = %e, "offset not stored"),
        }
    })
}

/// Commits stored offsets now; "nothing to commit" is not an error.
pub(crate) fn commit_sync<C: Consumer<X>, X: ConsumerContext>(consumer: &C) {
    match consumer.commit_consumer_state(CommitMode::Sync) {
        Ok(()) => {}
        Err(KafkaError::ConsumerCommit(rdkafka::types::RDKafkaErrorCode::NoOffset)) => {}
        Err(e) => {
            tracing::warn!(error = %e, "committing offsets failed; they will be committed later")
        }
    }
}

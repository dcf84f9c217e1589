//! Log messages that other programs wait for, the end-to-end tests among
//! them: each text is fixed here and logged from here, so that a reworded
//! message cannot leave a reader waiting for the old words.

/// A group gave this member partitions (`partitions`: `topic/0 topic/3`).
pub const PARTITIONS_ASSIGNED: &str = "partitions assigned";
/// The group gave partitions to a member that is leaving; it did not take
/// them (`partitions` as above).
pub const PARTITIONS_DECLINED: &str = "partitions declined: leaving the group";
/// The group took partitions away, after their in-flight work was
/// delivered and committed (`partitions` as above).
pub const PARTITIONS_REVOKED: &str = "partitions revoked after draining";
/// A partition stands below its end and the broker hands nothing over.
pub const PARTITION_STALLED: &str =
    "partition stalled: the broker answers but does not hand over the next record";
/// The stage's output is down and fetching stopped.
pub const FETCHING_PAUSED: &str = "output unavailable: fetching paused";
/// The stage's output is back and fetching goes on.
pub const FETCHING_RESUMED: &str = "output available: fetching resumed";
/// A group member subscribed (`topics`).
pub const CONSUMING: &str = "consuming";
/// A topic the member subscribes to is not there; it looks again.
pub const TOPIC_MISSING: &str = "subscribed topic does not exist yet";
/// SIGTERM or SIGINT arrived.
pub const SHUTDOWN_REQUESTED: &str = "shutdown requested";
/// The pipeline drained, committed and stopped (with its totals).
pub const STOPPED: &str = "stopped";

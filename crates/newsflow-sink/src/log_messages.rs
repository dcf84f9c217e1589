//! Log messages of the sinks that other programs wait for (the end-to-end
//! tests among them), fixed here and logged from here.

/// The database cannot be reached while running: fetching pauses, no
/// offset is committed, and the writer retries.
pub const POSTGRES_UNAVAILABLE: &str =
    "PostgreSQL unavailable: fetching paused, no offsets committed, retrying";
/// The database cannot be reached at start; the sink retries.
pub const POSTGRES_UNAVAILABLE_AT_START: &str = "PostgreSQL unavailable at start; retrying";
/// The database is back after an outage.
pub const POSTGRES_AVAILABLE_AGAIN: &str =
    "PostgreSQL available again: writing and fetching resumed";

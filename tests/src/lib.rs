//! Support for the end-to-end tests: the broker under test, the `newsflow`
//! binary as a child process, and helpers to write and read topics.
//!
//! The tests need a real Kafka-compatible broker; `scripts/test.sh` starts
//! one (Tansu) and sets `NEWSFLOW_TEST_BROKERS`.

mod broker;
mod http;
pub mod postgres;
mod processes;
mod records;
mod schemas;

pub use broker::*;
pub use http::*;
pub use newsflow_kafka::log_messages::*;
pub use newsflow_sink::log_messages::*;
pub use processes::*;
pub use records::*;
pub use schemas::*;

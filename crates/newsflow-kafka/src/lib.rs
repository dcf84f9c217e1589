#![deny(missing_docs)]
//! Kafka plumbing shared by the enricher, the sinks and replay.
//!
//! The centre is [`Pipeline`]: a consumer that hands every record of a
//! partition, in order, to a [`Stage`], and stores the record's offset
//! only after the stage's output (or the record's dead letter) is durable.
//! Around it: client configuration ([`KafkaConfig`]), topic creation
//! ([`ensure_topics`]), producing with back-pressure ([`Producer`]), replay
//! plans ([`plan_replay`]), metrics ([`metrics`]) and shutdown on SIGTERM
//! ([`shutdown_on_signals`]). The loop also reads fixed offset ranges
//! (replay), and pauses fetching while a stage says its destination is
//! down.
//!
//! A stage that upper-cases every record into a topic:
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use futures::future::{BoxFuture, FutureExt};
//! use newsflow_kafka::{
//!     Ack, KafkaConfig, OutRecord, Pipeline, PipelineOptions, PipelineStats, Producer,
//!     Rejection, SourceRecord, Stage,
//! };
//!
//! struct Shout {
//!     producer: Producer,
//! }
//!
//! impl Stage for Shout {
//!     type Output = OutRecord;
//!
//!     fn name(&self) -> &'static str {
//!         "shout"
//!     }
//!
//!     fn process(&self, record: &SourceRecord) -> Result<OutRecord, Rejection> {
//!         Ok(OutRecord {
//!             key: record.key.clone(),
//!             payload: record.payload().to_ascii_uppercase(),
//!             headers: Vec::new(),
//!         })
//!     }
//!
//!     fn deliver<'a>(&'a self, output: OutRecord, _: &'a SourceRecord) -> BoxFuture<'a, Ack> {
//!         async move {
//!             match self.producer.enqueue("loud", &output).await {
//!                 Ok(ack) => ack,
//!                 Err(failure) => futures::future::ready(Err(failure)).boxed(),
//!             }
//!         }
//!         .boxed()
//!     }
//! }
//!
//! # async fn run() -> anyhow::Result<()> {
//! let kafka = KafkaConfig::new("127.0.0.1:9092");
//! let options = PipelineOptions::group("shouters", "quiet", "quiet.dlq");
//! let pipeline = Pipeline::new(&kafka, options)?;
//! let stage = Arc::new(Shout { producer: pipeline.producer() });
//! let stats = Arc::new(PipelineStats::default());
//! pipeline.run(stage, stats, newsflow_kafka::shutdown_on_signals()).await
//! # }
//! ```

mod closing;
mod config;
mod connection;
mod cpu_pool;
mod dlq;
mod events;
mod failure;
pub mod log_messages;
mod membership;
pub mod metrics;
mod offsets;
mod options;
mod pacing;
mod partition_worker;
mod pipeline;
mod positions;
mod produce;
mod ranges;
mod rebalance;
mod replay;
mod security;
mod shutdown;
mod stage;
mod stall;
mod stats;
mod topics;

pub use config::{ConfigError, KafkaConfig, SINK_FETCH_WAIT_MAX_MS};
pub use connection::check as check_connection;
pub use options::{
    InFlight, PipelineOptions, Subscription, Watchdog, DEFAULT_MAX_IN_FLIGHT,
    DEFAULT_MAX_IN_FLIGHT_BYTES,
};
pub use pipeline::Pipeline;
pub use positions::reset_group_to_time;
pub use produce::{NotEnqueued, OutRecord, Producer};
pub use ranges::PartitionRange;
pub use replay::{plan as plan_replay, Bound, ReplayPlan};
pub use security::{Sasl, SaslMechanism, Security};
pub use shutdown::on_signals as shutdown_on_signals;
pub use stage::{Ack, DeliveryFailure, Rejection, SourceRecord, Stage};
pub use stall::Stall;
pub use stats::{PartitionStatus, PipelineStats, Status};
pub use topics::{ensure_topics, max_message_bytes, TopicSpec};

//! Kafka plumbing shared by the enricher, the sinks and replay.
//!
//! The centre is [`Pipeline`]: a consumer that hands every
//! record of a partition, in order, to a [`Stage`], and stores the record's
//! offset only after the stage's output (or the record's dead letter) is
//! durable. Around it: client configuration ([`config`]), topic creation
//! ([`topics`]), dead letters ([`dlq`]), producing with retry ([`produce`]),
//! positions and replay plans ([`positions`], [`replay`]) and shutdown on
//! SIGTERM ([`shutdown`]).
//!
//! The loop also reads fixed offset ranges (replay), and pauses fetching
//! while a stage says its destination is down.

pub mod config;
pub mod connection;
pub mod dlq;
mod events;
mod failure;
mod membership;
pub mod metrics;
mod offsets;
mod options;
mod pacing;
mod partition_worker;
pub mod pipeline;
pub mod positions;
pub mod produce;
mod ranges;
mod rebalance;
pub mod replay;
pub mod security;
pub mod shutdown;
mod stage;
mod stall;
pub mod stats;
pub mod topics;

pub use config::{ConfigError, KafkaConfig};
pub use options::{PipelineOptions, Subscription, Watchdog};
pub use pipeline::Pipeline;
pub use produce::Producer;
pub use ranges::PartitionRange;
pub use stage::{Ack, DeliveryFailure, Rejection, SourceRecord, Stage};
pub use stall::Stall;
pub use stats::PipelineStats;

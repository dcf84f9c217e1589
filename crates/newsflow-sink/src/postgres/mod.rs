//! `newsflow sink --to postgres://…`: enriched records into PostgreSQL.
//!
//! The stage turns each record into rows ([`rows`]) on the blocking pool;
//! the writer ([`writer`]) batches them and upserts each batch in one
//! transaction ([`batch`]); the row's acknowledgement, and so its Kafka
//! offset, waits for that commit. The schema is created and kept up to date
//! by the sink itself ([`migrations`]). Connecting (options, pool, TLS,
//! the wait at start) is in `connect`, the stage and the run in `stage`,
//! and what can go wrong, and whose fault it is, in `error`.

pub mod batch;
mod connect;
mod error;
pub mod migrations;
pub mod rows;
mod stage;
pub mod writer;

pub use connect::{prepare_database, PostgresOptions};
pub use rows::ArticleRow;
pub use stage::{run_postgres, PostgresStage};
pub use writer::{PostgresWriter, WriterOptions};

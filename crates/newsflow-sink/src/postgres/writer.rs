//! Writing rows to PostgreSQL.
//!
//! The sinks' batching writer ([`crate::batcher`]) gathers rows into
//! batches (up to `batch_records`, or `linger` after the first row); each
//! batch goes to one of `writers` concurrent writes, each one transaction
//! on a pooled connection. A row is acknowledged only
//! after its transaction committed, so the consumer stores its offset only
//! then.
//!
//! A database that cannot be reached (refused or dropped connections,
//! timeouts, a server shutting down, deadlocks, ...) is waited out: the batch is
//! retried with exponential backoff, for as long as it takes, and
//! [`PostgresWriter::health`] turns false so the consumer pauses fetching.
//! Errors that belong to the data are not retried: the batch is split and
//! written row by row, and the rows PostgreSQL refuses are dead-lettered.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use deadpool_postgres::Pool;
use newsflow_kafka::metrics::{Exposition, Histogram, Report, LATENCY_BOUNDS, SIZE_BOUNDS};
use newsflow_kafka::{Ack, DeliveryFailure, Rejection};
use tokio::sync::{oneshot, watch, Semaphore};
use tokio_util::sync::CancellationToken;

use super::batch::{self, BatchOutcome};
use super::error::DbError;
use super::rows::ArticleRow;
use crate::batcher::{Acknowledge, Batcher, Flush, Limits};
use crate::log_messages::{POSTGRES_AVAILABLE_AGAIN, POSTGRES_UNAVAILABLE};
use newsflow_core::DeadLetterReason;
use newsflow_kafka::metrics::catalogue::{
    POSTGRES_BATCH_ROWS, POSTGRES_RETRIES, POSTGRES_UNCHANGED, POSTGRES_WRITE_SECONDS,
    POSTGRES_WRITTEN,
};

#[derive(Debug, Clone)]
pub struct WriterOptions {
    /// Rows per transaction at most.
    pub batch_records: usize,
    /// How long the first row of a batch waits for company.
    pub linger: Duration,
    /// Transactions in flight at once (each holds a pooled connection).
    pub writers: usize,
    /// A transaction that takes longer is abandoned and retried.
    pub write_timeout: Duration,
    /// First and longest wait between retries while the database is away.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            batch_records: 200,
            linger: Duration::from_millis(100),
            writers: 2,
            write_timeout: Duration::from_secs(60),
            min_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

/// What the writer reports on `/metrics`.
pub struct WriterMetrics {
    batch_rows: Histogram,
    write_seconds: Histogram,
    written: AtomicU64,
    unchanged: AtomicU64,
    retries: AtomicU64,
}

impl Default for WriterMetrics {
    fn default() -> Self {
        WriterMetrics {
            batch_rows: Histogram::new(SIZE_BOUNDS),
            write_seconds: Histogram::new(LATENCY_BOUNDS),
            written: AtomicU64::new(0),
            unchanged: AtomicU64::new(0),
            retries: AtomicU64::new(0),
        }
    }
}

impl Report for WriterMetrics {
    fn report(&self, out: &mut Exposition) {
        self.batch_rows.report(out, &POSTGRES_BATCH_ROWS, &[]);
        self.write_seconds.report(out, &POSTGRES_WRITE_SECONDS, &[]);
        out.counter(&POSTGRES_WRITTEN, &[], self.written.load(Ordering::Relaxed));
        out.counter(
            &POSTGRES_UNCHANGED,
            &[],
            self.unchanged.load(Ordering::Relaxed),
        );
        out.counter(&POSTGRES_RETRIES, &[], self.retries.load(Ordering::Relaxed));
    }
}

/// Resolves once the row is committed (or refused).
pub type Durable = oneshot::Receiver<Result<(), DeliveryFailure>>;

/// Handle on the writer task; clones share it.
#[derive(Clone)]
pub struct PostgresWriter {
    rows: Batcher<Box<ArticleRow>>,
    health: watch::Receiver<bool>,
    stop: CancellationToken,
    metrics: Arc<WriterMetrics>,
}

struct Shared {
    pool: Pool,
    options: WriterOptions,
    health: watch::Sender<bool>,
    stop: CancellationToken,
    /// When the current outage began, if there is one.
    outage: Mutex<Option<Instant>>,
    metrics: Arc<WriterMetrics>,
}

impl PostgresWriter {
    pub fn start(pool: Pool, options: WriterOptions) -> Self {
        let (health_sender, health) = watch::channel(true);
        let stop = CancellationToken::new();
        let metrics = Arc::new(WriterMetrics::default());
        let limits = Limits {
            max_items: options.batch_records.max(1),
            max_bytes: usize::MAX,
            linger: options.linger,
        };
        let writers = Arc::new(Semaphore::new(options.writers.max(1)));
        let shared = Arc::new(Shared {
            pool,
            options,
            health: health_sender,
            stop: stop.clone(),
            outage: Mutex::new(None),
            metrics: metrics.clone(),
        });
        let rows = Batcher::start(
            "PostgreSQL writer",
            limits,
            Transactions { shared, writers },
        );
        PostgresWriter {
            rows,
            health,
            stop,
            metrics,
        }
    }

    pub fn metrics(&self) -> Arc<WriterMetrics> {
        self.metrics.clone()
    }

    /// Queues one row. The receiver resolves once it is committed.
    pub async fn append(&self, row: ArticleRow) -> Result<Durable, DeliveryFailure> {
        self.rows.append(Box::new(row)).await
    }

    /// The pipeline's acknowledgement of a row: once it is committed.
    pub(crate) async fn deliver(&self, row: ArticleRow) -> Ack {
        self.rows.deliver(Box::new(row)).await
    }

    /// True while the database takes writes; false during an outage.
    pub fn health(&self) -> watch::Receiver<bool> {
        self.health.clone()
    }

    /// Writes what is queued and stops. Waits up to `grace` for the
    /// database; after that, unwritten rows stay unacknowledged (and their
    /// records are read again on the next start).
    pub async fn close(&self, grace: Duration) {
        self.rows
            .close(Some(grace), || {
                tracing::warn!("PostgreSQL writes still pending at shutdown; they will be redone");
                self.stop.cancel();
            })
            .await;
    }
}

/// Each batch is one transaction, `writers` of them at once.
struct Transactions {
    shared: Arc<Shared>,
    writers: Arc<Semaphore>,
}

impl Flush for Transactions {
    type Item = Box<ArticleRow>;

    fn size(_: &Box<ArticleRow>) -> usize {
        0
    }

    /// Starts writing `batch` once a writer is free.
    async fn flush(&mut self, batch: Vec<(Box<ArticleRow>, Acknowledge)>) {
        let Ok(permit) = self.writers.clone().acquire_owned().await else {
            return;
        };
        let shared = self.shared.clone();
        tokio::spawn(async move {
            write_batch(&shared, batch).await;
            drop(permit);
        });
    }

    /// Every permit back means every write has finished.
    async fn finish(&mut self) {
        let writers = self.shared.options.writers.max(1) as u32;
        let _ = self.writers.acquire_many(writers).await;
    }
}

async fn write_batch(shared: &Shared, batch: Vec<(Box<ArticleRow>, Acknowledge)>) {
    let rows: Vec<&ArticleRow> = batch.iter().map(|(row, _)| &**row).collect();
    match write_until_done(shared, &rows).await {
        Ok(outcome) => {
            tracing::debug!(
                rows = rows.len(),
                written = outcome.written,
                unchanged = outcome.unchanged,
                "batch committed"
            );
            for (_, ack) in batch {
                let _ = ack.send(Ok(()));
            }
        }
        Err(WriteFailure::Stopped) => {
            for (_, ack) in batch {
                let _ = ack.send(Err(DeliveryFailure::Fatal(
                    "stopped while PostgreSQL was unavailable".into(),
                )));
            }
        }
        Err(WriteFailure::Refused(reason)) if batch.len() == 1 => {
            for (row, ack) in batch {
                tracing::warn!(id = row.id, reason, "PostgreSQL refused the row");
                let _ = ack.send(Err(DeliveryFailure::Rejected(Rejection::new(
                    DeadLetterReason::DatabaseRefused,
                    reason.clone(),
                ))));
            }
        }
        Err(WriteFailure::Refused(reason)) => {
            // Find the rows at fault: one transaction each.
            tracing::warn!(
                rows = batch.len(),
                reason,
                "PostgreSQL refused a batch; writing its rows one by one"
            );
            for pending in batch {
                Box::pin(write_batch(shared, vec![pending])).await;
            }
        }
    }
}

enum WriteFailure {
    /// The data itself is wrong for the database: retrying will not help.
    Refused(String),
    /// The writer was told to stop while waiting for the database.
    Stopped,
}

async fn write_until_done(
    shared: &Shared,
    rows: &[&ArticleRow],
) -> Result<BatchOutcome, WriteFailure> {
    let options = &shared.options;
    let mut backoff = options.min_backoff;
    loop {
        let started = Instant::now();
        let error = match tokio::time::timeout(options.write_timeout, transaction(shared, rows))
            .await
        {
            Ok(Ok(outcome)) => {
                let metrics = &shared.metrics;
                metrics
                    .write_seconds
                    .observe(started.elapsed().as_secs_f64());
                metrics.batch_rows.observe(rows.len() as f64);
                metrics
                    .written
                    .fetch_add(outcome.written as u64, Ordering::Relaxed);
                metrics
                    .unchanged
                    .fetch_add(outcome.unchanged as u64, Ordering::Relaxed);
                shared.recovered();
                return Ok(outcome);
            }
            Ok(Err(e)) if e.is_data_error() => return Err(WriteFailure::Refused(e.to_string())),
            Ok(Err(e)) => e.to_string(),
            Err(_) => format!(
                "the transaction took longer than {:?}",
                options.write_timeout
            ),
        };
        shared.metrics.retries.fetch_add(1, Ordering::Relaxed);
        shared.unavailable(&error, backoff);
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = shared.stop.cancelled() => return Err(WriteFailure::Stopped),
        }
        backoff = (backoff * 2).min(options.max_backoff);
    }
}

async fn transaction(shared: &Shared, rows: &[&ArticleRow]) -> Result<BatchOutcome, DbError> {
    let mut client = shared.pool.get().await?;
    let transaction = client.transaction().await?;
    let outcome = batch::write(&transaction, rows).await?;
    transaction.commit().await?;
    Ok(outcome)
}

impl Shared {
    fn unavailable(&self, error: &str, retry_in: Duration) {
        let mut outage = self.outage.lock().unwrap_or_else(|p| p.into_inner());
        let since = *outage.get_or_insert_with(Instant::now);
        tracing::warn!(
            error,
            retry_in_ms = retry_in.as_millis() as u64,
            outage_secs = since.elapsed().as_secs(),
            "{POSTGRES_UNAVAILABLE}"
        );
        self.health
            .send_if_modified(|healthy| std::mem::replace(healthy, false));
    }

    fn recovered(&self) {
        let mut outage = self.outage.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(since) = outage.take() {
            tracing::info!(
                outage_secs = since.elapsed().as_secs_f64(),
                "{POSTGRES_AVAILABLE_AGAIN}"
            );
        }
        self.health
            .send_if_modified(|healthy| !std::mem::replace(healthy, true));
    }
}

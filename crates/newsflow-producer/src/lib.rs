//! `newsflow produce`: raw articles from files, directories and stdin into
//! the raw topic.
//!
//! [`sources`] turns inputs into [`Item`]s (an article or a clear error
//! naming where it came from); [`produce`] sends the articles with an
//! idempotent, `acks=all` producer and counts what happened. [`ingest`]
//! takes articles over HTTP instead.

pub mod feed;
pub mod ingest;
pub mod sources;

use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use newsflow_core::RawArticle;
use newsflow_kafka::OutRecord;
use newsflow_kafka::{DeliveryFailure, KafkaConfig, Producer};

pub use sources::{Item, Origin};

/// What a produce run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Acknowledged by the broker.
    pub sent: u64,
    /// Passed over on purpose (files of other types in a directory).
    pub skipped: u64,
    /// Bad input or refused by the broker; each was reported.
    pub failed: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sent {}, skipped {}, failed {}",
            self.sent, self.skipped, self.failed
        )
    }
}

/// Records awaiting acknowledgement at once; bounds memory on big inputs.
const MAX_PENDING: usize = 10_000;

/// Sends every article `items` yields to `topic`, reporting each failure on
/// stderr-bound logs as it happens. Returns once every record is
/// acknowledged or has failed.
pub async fn produce(
    kafka: &KafkaConfig,
    topic: &str,
    items: impl IntoIterator<Item = Item>,
    timeout: Duration,
) -> anyhow::Result<Summary> {
    let producer = Producer::for_ingest(kafka, timeout)?;
    let mut summary = Summary::default();
    let mut pending = FuturesUnordered::new();
    for item in items {
        let (origin, article) = match item {
            Item::Article { origin, article } => (origin, *article),
            Item::Skipped { origin, reason } => {
                tracing::info!(%origin, reason, "skipped");
                summary.skipped += 1;
                continue;
            }
            Item::Failed { origin, reason } => {
                eprintln!("error: {origin}: {reason}");
                summary.failed += 1;
                continue;
            }
        };
        let record = to_record(&article)?;
        match producer.enqueue(topic, &record).await {
            Ok(ack) => {
                pending.push(async move { (origin, ack.await) });
            }
            Err(failure) => {
                report_failure(&origin, &failure);
                summary.failed += 1;
            }
        }
        while pending.len() >= MAX_PENDING {
            if let Some(result) = pending.next().await {
                count(&mut summary, result);
            }
        }
    }
    while let Some(result) = pending.next().await {
        count(&mut summary, result);
    }
    producer.flush(timeout)?;
    Ok(summary)
}

/// The Kafka record of an article: its id as key, its JSON as value.
pub fn to_record(article: &RawArticle) -> anyhow::Result<OutRecord> {
    Ok(OutRecord {
        key: Some(article.id.clone().into_bytes()),
        payload: serde_json::to_vec(article)?,
        headers: Vec::new(),
    })
}

fn count(summary: &mut Summary, (origin, result): (Origin, Result<(), DeliveryFailure>)) {
    match result {
        Ok(()) => summary.sent += 1,
        Err(failure) => {
            report_failure(&origin, &failure);
            summary.failed += 1;
        }
    }
}

fn report_failure(origin: &Origin, failure: &DeliveryFailure) {
    eprintln!("error: {origin}: not delivered: {}", failure.reason());
}

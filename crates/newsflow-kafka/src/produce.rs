//! Producing one record with back-pressure, and turning librdkafka's
//! delivery report into an [`Ack`].

use std::time::Duration;

use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::OwnedHeaders;
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord, Producer as _};

use crate::{Ack, DeliveryFailure, KafkaConfig, Rejection};
use newsflow_core::DeadLetterReason;

/// An outgoing record.
#[derive(Debug, Clone, Default)]
pub struct OutRecord {
    /// The record's key; the article id in newsflow's topics.
    pub key: Option<Vec<u8>>,
    /// The value.
    pub payload: Vec<u8>,
    /// Header names and values.
    pub headers: Vec<(String, Vec<u8>)>,
}

/// Why [`try_enqueue`] did not enqueue.
#[derive(Debug)]
pub enum NotEnqueued {
    /// The local queue is full: transient, try again later.
    QueueFull,
    /// Anything else (unknown topic, record too large), classified.
    Failed(DeliveryFailure),
}

/// A producer with newsflow's delivery settings (idempotent, `acks=all`),
/// cheap to clone: clones share one librdkafka producer.
#[derive(Clone)]
pub struct Producer {
    inner: FutureProducer,
}

impl Producer {
    /// For pipelines (outputs and dead letters): transient errors are
    /// retried without a deadline, so a slow broker delays a record and
    /// never fails it.
    pub fn for_pipeline(kafka: &KafkaConfig) -> Result<Self, KafkaError> {
        Ok(Producer {
            inner: kafka.pipeline_producer().create()?,
        })
    }

    /// For `newsflow produce`: a record not acknowledged within `timeout`
    /// is reported as failed.
    pub fn for_ingest(kafka: &KafkaConfig, timeout: Duration) -> Result<Self, KafkaError> {
        Ok(Producer {
            inner: kafka.ingest_producer(timeout.as_millis() as u64).create()?,
        })
    }

    /// Enqueues `record` on `topic` if there is room now.
    pub fn try_enqueue(&self, topic: &str, record: &OutRecord) -> Result<Ack, NotEnqueued> {
        try_enqueue(&self.inner, topic, record).map(ack)
    }

    /// Enqueues `record` on `topic`. A full local queue is a transient
    /// state: wait with growing backoff until there is room, never drop the
    /// record. Other enqueue errors (unknown topic, record too large) come
    /// back as failures.
    pub async fn enqueue(&self, topic: &str, record: &OutRecord) -> Result<Ack, DeliveryFailure> {
        enqueue(&self.inner, topic, record).await.map(ack)
    }

    /// Waits until every enqueued record is acknowledged or failed.
    pub fn flush(&self, timeout: Duration) -> Result<(), KafkaError> {
        self.inner.flush(timeout)
    }
}

fn try_enqueue(
    producer: &FutureProducer,
    topic: &str,
    record: &OutRecord,
) -> Result<DeliveryFuture, NotEnqueued> {
    let mut headers = OwnedHeaders::new_with_capacity(record.headers.len());
    for (key, value) in &record.headers {
        headers = headers.insert(rdkafka::message::Header {
            key,
            value: Some(value.as_slice()),
        });
    }
    let mut out = FutureRecord::<[u8], [u8]>::to(topic)
        .payload(record.payload.as_slice())
        .headers(headers);
    if let Some(key) = &record.key {
        out = out.key(key.as_slice());
    }
    match producer.send_result(out) {
        Ok(delivery) => Ok(delivery),
        Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
            Err(NotEnqueued::QueueFull)
        }
        Err((error, _)) => Err(NotEnqueued::Failed(classify(error))),
    }
}

async fn enqueue(
    producer: &FutureProducer,
    topic: &str,
    record: &OutRecord,
) -> Result<DeliveryFuture, DeliveryFailure> {
    let mut backoff = Duration::from_millis(5);
    loop {
        match try_enqueue(producer, topic, record) {
            Ok(delivery) => return Ok(delivery),
            Err(NotEnqueued::QueueFull) => {
                tracing::debug!(topic, ?backoff, "producer queue full; waiting");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_millis(500));
            }
            Err(NotEnqueued::Failed(failure)) => return Err(failure),
        }
    }
}

/// The acknowledgement of an enqueued record.
fn ack(delivery: DeliveryFuture) -> Ack {
    Box::pin(async move {
        match delivery.await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err((error, _))) => Err(classify(error)),
            Err(_) => Err(DeliveryFailure::Fatal(
                "the producer was closed before the record was acknowledged".into(),
            )),
        }
    })
}

/// Pipeline producers retry transient errors without a deadline, so an
/// error that reaches us is about this record (its size, its shape) or is
/// fatal for the producer.
fn classify(error: KafkaError) -> DeliveryFailure {
    let code = error.rdkafka_error_code();
    match code {
        Some(
            RDKafkaErrorCode::MessageSizeTooLarge
            | RDKafkaErrorCode::InvalidMessageSize
            | RDKafkaErrorCode::InvalidMessage
            | RDKafkaErrorCode::InvalidRecord,
        ) => DeliveryFailure::Rejected(Rejection::new(
            DeadLetterReason::ProduceRejected,
            format!("the broker refused the output record: {error}"),
        )),
        _ => DeliveryFailure::Fatal(format!("producing failed: {error}")),
    }
}

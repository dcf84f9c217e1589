//! Producing one record with back-pressure, and turning librdkafka's
//! delivery report into an [`Ack`].

use std::time::Duration;

use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::OwnedHeaders;
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord};

use crate::{Ack, DeliveryFailure, Rejection};

/// An outgoing record.
#[derive(Debug, Clone, Default)]
pub struct OutRecord {
    pub key: Option<Vec<u8>>,
    pub payload: Vec<u8>,
    pub headers: Vec<(String, Vec<u8>)>,
}

/// Enqueues `record` on `topic`. A full local queue is a transient state:
/// wait with growing backoff until there is room, never drop the record.
/// Other enqueue errors (unknown topic, record too large) come back as
/// failures for the caller to classify.
pub async fn enqueue(
    producer: &FutureProducer,
    topic: &str,
    record: &OutRecord,
) -> Result<DeliveryFuture, DeliveryFailure> {
    let mut backoff = Duration::from_millis(5);
    loop {
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
            Ok(delivery) => return Ok(delivery),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                tracing::debug!(topic, ?backoff, "producer queue full; waiting");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_millis(500));
            }
            Err((error, _)) => return Err(classify(error)),
        }
    }
}

/// The acknowledgement of an enqueued record.
pub fn ack(delivery: DeliveryFuture) -> Ack {
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
            "produce_rejected",
            format!("the broker refused the output record: {error}"),
        )),
        _ => DeliveryFailure::Fatal(format!("producing failed: {error}")),
    }
}

//! The dead-letter topic.
//!
//! A dead letter is the original record, byte for byte (key, payload,
//! headers), plus headers that say what went wrong and where it came from:
//!
//! | header | value |
//! |---|---|
//! | `newsflow.error.kind` | stable name, e.g. `invalid_json` |
//! | `newsflow.error.message` | what is wrong, for a person |
//! | `newsflow.stage` | the stage that refused it (`enrich`, `sink`) |
//! | `newsflow.source.topic` / `.partition` / `.offset` | where it was read |
//! | `newsflow.failed_at` | RFC 3339 time of the failure |
//! | `newsflow.payload.truncated` | original size, only when the broker refused the whole payload |

use crate::produce::{OutRecord, Producer};
use crate::{Ack, DeliveryFailure, Rejection, SourceRecord};
use futures::future::BoxFuture;
use futures::FutureExt;

pub const HEADER_ERROR_KIND: &str = "newsflow.error.kind";
pub const HEADER_ERROR_MESSAGE: &str = "newsflow.error.message";
pub const HEADER_STAGE: &str = "newsflow.stage";
pub const HEADER_SOURCE_TOPIC: &str = "newsflow.source.topic";
pub const HEADER_SOURCE_PARTITION: &str = "newsflow.source.partition";
pub const HEADER_SOURCE_OFFSET: &str = "newsflow.source.offset";
pub const HEADER_FAILED_AT: &str = "newsflow.failed_at";
pub const HEADER_TRUNCATED: &str = "newsflow.payload.truncated";

/// How much of a payload is kept when the broker refuses it whole.
const TRUNCATED_PAYLOAD_BYTES: usize = 256 * 1024;

/// Writes dead letters to one topic.
#[derive(Clone)]
pub struct DeadLetters {
    producer: Producer,
    topic: String,
}

impl DeadLetters {
    pub fn new(producer: Producer, topic: impl Into<String>) -> Self {
        DeadLetters {
            producer,
            topic: topic.into(),
        }
    }

    /// Enqueues the dead letter for `source`; the ack resolves once the
    /// broker holds it. If the broker refuses the record for its size, the
    /// payload is cut to its first 256 KiB and marked as truncated, so the
    /// failure is still recorded.
    // Yielding a future is the point: enqueue now, acknowledge later.
    #[allow(clippy::async_yields_async)]
    pub fn send<'a>(
        &'a self,
        source: &'a SourceRecord,
        stage: &'a str,
        rejection: &'a Rejection,
    ) -> BoxFuture<'a, Ack> {
        async move {
            let record = dead_letter(source, stage, rejection);
            let first = match self.producer.enqueue(&self.topic, &record).await {
                Ok(ack) => ack,
                Err(failure) => Box::pin(futures::future::ready(Err(failure))),
            };
            let this = self.clone();
            let ack: Ack = Box::pin(async move {
                match first.await {
                    Err(DeliveryFailure::Rejected(refusal)) => {
                        tracing::warn!(
                            topic = this.topic,
                            reason = refusal.message,
                            "dead letter refused whole; sending it truncated"
                        );
                        let truncated = truncate(record);
                        match this.producer.enqueue(&this.topic, &truncated).await {
                            Ok(ack) => ack.await,
                            Err(failure) => Err(failure),
                        }
                        .map_err(|f| match f {
                            DeliveryFailure::Rejected(r) => DeliveryFailure::Fatal(format!(
                                "the dead-letter topic {} refused the record even truncated: {}",
                                this.topic, r.message
                            )),
                            fatal => fatal,
                        })
                    }
                    other => other,
                }
            });
            ack
        }
        .boxed()
    }
}

fn dead_letter(source: &SourceRecord, stage: &str, rejection: &Rejection) -> OutRecord {
    let mut headers: Vec<(String, Vec<u8>)> = source
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone().unwrap_or_default()))
        .collect();
    headers.extend([
        (
            HEADER_ERROR_KIND.to_string(),
            rejection.kind.as_str().as_bytes().to_vec(),
        ),
        (
            HEADER_ERROR_MESSAGE.to_string(),
            rejection.message.clone().into_bytes(),
        ),
        (HEADER_STAGE.to_string(), stage.as_bytes().to_vec()),
        (
            HEADER_SOURCE_TOPIC.to_string(),
            source.topic.clone().into_bytes(),
        ),
        (
            HEADER_SOURCE_PARTITION.to_string(),
            source.partition.to_string().into_bytes(),
        ),
        (
            HEADER_SOURCE_OFFSET.to_string(),
            source.offset.to_string().into_bytes(),
        ),
        (
            HEADER_FAILED_AT.to_string(),
            newsflow_core::now_rfc3339().into_bytes(),
        ),
    ]);
    OutRecord {
        key: source.key.clone(),
        payload: source.payload().to_vec(),
        headers,
    }
}

fn truncate(mut record: OutRecord) -> OutRecord {
    let original = record.payload.len();
    record.payload.truncate(TRUNCATED_PAYLOAD_BYTES);
    record.headers.push((
        HEADER_TRUNCATED.to_string(),
        original.to_string().into_bytes(),
    ));
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsflow_core::DeadLetterReason;

    #[test]
    fn dead_letter_keeps_original_bytes_and_names_the_failure() {
        let source = SourceRecord {
            topic: "articles.raw".into(),
            partition: 2,
            offset: 41,
            key: Some(b"k".to_vec()),
            payload: Some(b"\xff not utf8".to_vec()),
            headers: vec![("trace".into(), Some(b"abc".to_vec()))],
            timestamp: None,
        };
        let r = dead_letter(
            &source,
            "enrich",
            &Rejection::new(DeadLetterReason::InvalidUtf8, "bad bytes"),
        );
        assert_eq!(r.payload, b"\xff not utf8");
        assert_eq!(r.key.as_deref(), Some(&b"k"[..]));
        let get = |k: &str| {
            r.headers
                .iter()
                .find(|(h, _)| h == k)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(get("trace"), Some(b"abc".to_vec()));
        assert_eq!(get(HEADER_ERROR_KIND), Some(b"invalid_utf8".to_vec()));
        assert_eq!(get(HEADER_STAGE), Some(b"enrich".to_vec()));
        assert_eq!(get(HEADER_SOURCE_PARTITION), Some(b"2".to_vec()));
        assert_eq!(get(HEADER_SOURCE_OFFSET), Some(b"41".to_vec()));
    }

    #[test]
    fn truncation_records_the_original_size() {
        let r = truncate(OutRecord {
            key: None,
            payload: vec![b'a'; TRUNCATED_PAYLOAD_BYTES + 10],
            headers: vec![],
        });
        assert_eq!(r.payload.len(), TRUNCATED_PAYLOAD_BYTES);
        assert_eq!(
            r.headers[0].1,
            (TRUNCATED_PAYLOAD_BYTES + 10).to_string().into_bytes()
        );
    }
}

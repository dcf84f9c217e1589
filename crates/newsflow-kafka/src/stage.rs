//! What a pipeline stage implements.

use futures::future::BoxFuture;
use newsflow_core::DeadLetterReason;
use rdkafka::message::{Headers, Message, OwnedMessage};
use tokio::sync::watch;

/// A record read from a topic, owned so that it can cross threads.
#[derive(Debug, Clone)]
pub struct SourceRecord {
    /// The topic it was read from.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// Its offset.
    pub offset: i64,
    /// Its key.
    pub key: Option<Vec<u8>>,
    /// Its value; `None` for a tombstone.
    pub payload: Option<Vec<u8>>,
    /// Its headers, in order.
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    /// Milliseconds since the epoch, when the broker gave one.
    pub timestamp: Option<i64>,
}

impl SourceRecord {
    /// Copies what newsflow needs out of a consumed message.
    pub fn from_message<M: Message>(message: &M) -> Self {
        let headers = message
            .headers()
            .map(|hs| {
                hs.iter()
                    .map(|h| (h.key.to_string(), h.value.map(<[u8]>::to_vec)))
                    .collect()
            })
            .unwrap_or_default();
        SourceRecord {
            topic: message.topic().to_string(),
            partition: message.partition(),
            offset: message.offset(),
            key: message.key().map(<[u8]>::to_vec),
            payload: message.payload().map(<[u8]>::to_vec),
            headers,
            timestamp: message.timestamp().to_millis(),
        }
    }

    /// The same, from an owned message.
    pub fn from_owned(message: OwnedMessage) -> Self {
        Self::from_message(&message)
    }

    /// The payload, or no bytes for a tombstone.
    pub fn payload(&self) -> &[u8] {
        self.payload.as_deref().unwrap_or_default()
    }
}

/// A record that a stage cannot process: it goes to the dead-letter topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Why, by a stable name (`invalid_json`, `too_large`, ...).
    pub kind: DeadLetterReason,
    /// What is wrong, for a person.
    pub message: String,
}

impl Rejection {
    /// A rejection for `kind`, saying `message`.
    pub fn new(kind: DeadLetterReason, message: impl Into<String>) -> Self {
        Rejection {
            kind,
            message: message.into(),
        }
    }
}

impl From<newsflow_core::RecordError> for Rejection {
    fn from(e: newsflow_core::RecordError) -> Self {
        Rejection::new(e.kind, e.message)
    }
}

/// Why an output could not be made durable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryFailure {
    /// This record can never be delivered (too large for the topic, refused
    /// by the database's constraints...): dead-letter it and go on.
    Rejected(Rejection),
    /// Delivery cannot go on at all: stop without storing this offset, so
    /// the record is read again after a restart.
    Fatal(String),
}

impl DeliveryFailure {
    /// What went wrong, for a person.
    pub fn reason(&self) -> &str {
        match self {
            DeliveryFailure::Rejected(rejection) => &rejection.message,
            DeliveryFailure::Fatal(reason) => reason,
        }
    }
}

/// Resolves once an output is durable downstream.
pub type Ack = BoxFuture<'static, Result<(), DeliveryFailure>>;

/// One step of the pipeline: a pure transformation, an optional
/// asynchronous step, then a delivery.
///
/// `process` may run for several records of one partition at once (on the
/// blocking thread pool), and so may `resolve` (on the async threads);
/// `deliver` is called strictly in source order, so outputs leave in the
/// order their inputs arrived.
pub trait Stage: Send + Sync + 'static {
    /// What `process` makes and `deliver` hands on.
    type Output: Send + 'static;

    /// Name used in DLQ headers, logs and metrics (`enrich`, `sink`, ...).
    fn name(&self) -> &'static str;

    /// The CPU part: decode, validate, transform. An `Err` dead-letters the
    /// record.
    fn process(&self, record: &SourceRecord) -> Result<Self::Output, Rejection>;

    /// The I/O part, after `process`: a look-up in a shared store, say.
    /// It may await; records of one partition resolve concurrently (up to
    /// the in-flight limit) and are still delivered in source order.
    /// `Rejected` dead-letters the record; `Fatal` stops the pipeline
    /// without storing the offset. A destination that is down for a while
    /// should say so through [`Stage::health`] and wait, not fail.
    /// The default passes the output through.
    fn resolve<'a>(
        &'a self,
        output: Self::Output,
        _source: &'a SourceRecord,
    ) -> BoxFuture<'a, Result<Self::Output, DeliveryFailure>> {
        Box::pin(std::future::ready(Ok(output)))
    }

    /// Hands `output` downstream. The returned future completes once the
    /// output is enqueued in order (waiting out back-pressure); the [`Ack`]
    /// it yields completes once the output is durable.
    fn deliver<'a>(&'a self, output: Self::Output, source: &'a SourceRecord) -> BoxFuture<'a, Ack>;

    /// Whether the stage's destination takes output now. While it says
    /// `false` (a database that is down, say) the pipeline pauses fetching,
    /// and resumes when it turns `true` again. `None`: always ready.
    fn health(&self) -> Option<watch::Receiver<bool>> {
        None
    }
}

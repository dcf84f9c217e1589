#![deny(missing_docs)]
//! Record types shared by every newsflow stage.
//!
//! Two records travel through the pipeline: [`RawArticle`] (what producers
//! write to `articles.raw`) and [`EnrichedArticle`] (what the enricher writes
//! to `articles.enriched`). Both carry a `schema` field naming their version,
//! keep unknown fields they were given, and are validated on the way in by
//! [`decode_raw`] and [`decode_enriched`], which turn bad bytes into a
//! [`RecordError`] that says what is wrong so it can go to the dead-letter
//! topic.
//!
//! ```
//! use newsflow_core::{decode_raw, RawArticle};
//! let article = RawArticle::new("Title", "Body text.");
//! let bytes = serde_json::to_vec(&article).unwrap();
//! assert_eq!(decode_raw(&bytes, 1 << 20).unwrap().title, "Title");
//! ```

mod bounds;
mod decode;
mod enriched;
mod id;
mod raw;
mod reason;
mod story;
mod text;

pub use bounds::{RecordBounds, Truncated};
pub use decode::{decode_enriched, decode_raw, RecordError};
pub use enriched::{
    DateMention, DetectedLanguage, EnrichedArticle, Entity, Keyword, LanguageGuess, Mention,
    MentionField, Provenance, SourcePosition, TextStats, Tone, Topic, ANALYSIS_FIELDS,
};
pub use id::{derive_id, normalise_text, normalise_url};
pub use raw::RawArticle;
pub use reason::{DeadLetterReason, UnknownReason};
pub use story::{Story, StoryKind};
pub use text::{decode_references, plain_text};

/// `schema` value of a [`RawArticle`].
pub const RAW_SCHEMA: &str = "newsflow.raw/1";
/// `schema` value of an [`EnrichedArticle`].
pub const ENRICHED_SCHEMA: &str = "newsflow.enriched/1";
/// Version of the pipeline, written into every record's provenance.
pub const PIPELINE_VERSION: &str = concat!("newsflow ", env!("CARGO_PKG_VERSION"));

/// The current time as an RFC 3339 string in UTC with millisecond precision,
/// the form every timestamp newsflow writes takes.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

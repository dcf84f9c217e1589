#![deny(missing_docs)]
//! Text analysis for newsflow, free of Kafka and of I/O.
//!
//! [`Annotator`] turns a [`RawArticle`] into an [`EnrichedArticle`]; it is
//! the one code path behind `newsflow enrich` and `newsflow annotate`, so
//! offline and streaming output agree.
//!
//! ```
//! use newsflow_core::RawArticle;
//! use newsflow_nlp::Annotator;
//! let annotator = Annotator::new();
//! let raw = RawArticle::new("Markets rally", "Shares rose sharply on Monday after the central bank held rates.");
//! let enriched = annotator.annotate(raw, None);
//! assert_eq!(enriched.language.code, "en");
//! ```

mod annotator;
mod byte_reader;
mod cache;
mod cased_clusters;
mod conll;
mod credits;
mod dates;
mod document;
mod entities;
mod gazetteer;
mod gazetteer_keys;
mod geo;
mod hash;
mod key_table;
mod keywords;
mod language;
mod le_bytes;
mod lower_case_words;
mod lowercase;
mod model_error;
mod ner;
mod rng;
mod sentences;
mod slot_table;
mod tokenizer;
mod tone;
mod topics;
pub mod training;
mod word_classes;
mod word_clusters;

/// The hasher of tables filled or looked up with outside words. Their keys
/// often come from an unseeded hash (`hash`), so the tables hash them again
/// with a seed drawn per process: words made to share their low bits cannot
/// pile up in one place. ahash does that in a few instructions for a `u64`;
/// std's SipHash took about 5% of the enrichment's instructions (callgrind,
/// 2026-12-03).
pub(crate) type Seeded = ahash::RandomState;

pub use annotator::Annotator;
pub(crate) use annotator::GAZETTEER_TSV;
pub use document::Document;
pub use language::{detect_language, LanguageDecision, LanguageGate};
pub use model_error::ModelError;
pub use ner::Tagger;
pub use tokenizer::{tokenize, Token};

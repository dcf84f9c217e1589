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
pub mod conll;
pub mod dates;
mod document;
pub mod entities;
pub mod gazetteer;
pub mod geo;
mod hash;
pub mod keywords;
mod language;
mod model_error;
pub mod ner;
mod rng;
pub mod sentences;
pub mod tokenizer;
pub mod tone;
pub mod topics;
pub mod word_classes;
pub mod word_clusters;

pub use annotator::{Annotator, GAZETTEER_TSV};
pub use document::Document;
pub use language::{detect_language, LanguageDecision, LanguageGate};
pub use model_error::ModelError;

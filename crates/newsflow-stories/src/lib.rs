//! Near-duplicate and story detection.
//!
//! So far this crate holds the article signature: a one-permutation
//! MinHash over word shingles ([`Signature`]), cheap enough to compute for
//! every enriched article, whose bins estimate the Jaccard similarity of
//! two articles' shingle sets and whose bands key a locality-sensitive
//! index. The index, its store and the decisions come next
//! (`../shared/design/ARCHITECTURE.md`).

#![deny(missing_docs)]

mod hash;
mod signature;

pub use signature::{shingles, Signature, BANDS, BINS, ROWS, SHINGLE_WORDS};

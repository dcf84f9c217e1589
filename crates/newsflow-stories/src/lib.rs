//! Near-duplicate and story detection.
//!
//! So far this crate holds the article signature: a one-permutation
//! MinHash over word shingles ([`Signature`]), cheap enough to compute for
//! every enriched article, whose bins estimate the Jaccard similarity of
//! two articles' shingle sets and whose bands key a locality-sensitive
//! index. [`MemoryIndex`] decides, within a window of recent articles,
//! whether an article is an original, a duplicate or the same story again,
//! in process. The shared store that lets enricher replicas agree, and the
//! record field, come next (`../shared/design/ARCHITECTURE.md`).

#![deny(missing_docs)]

mod hash;
mod memory_index;
mod signature;

pub use memory_index::{MemoryIndex, Thresholds, Window};
pub use signature::{shingles, Signature, BANDS, BINS, ROWS, SHINGLE_WORDS};

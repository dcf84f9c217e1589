//! Near-duplicate and story detection.
//!
//! The article signature is a one-permutation
//! MinHash over word shingles ([`Signature`]), cheap enough to compute for
//! every enriched article, whose bands key a locality-sensitive index and
//! whose fingerprints count the Jaccard similarity of two articles'
//! shingle sets. [`MemoryIndex`] decides, within a window of recent articles,
//! whether an article is an original, a duplicate or the same story again,
//! in process; [`RedisStore`] decides by the same rule in a Redis server
//! that enricher replicas share, so that they agree whichever partitions
//! they read (`../shared/design/ARCHITECTURE.md`).

#![deny(missing_docs)]

mod decision;
mod hash;
mod index;
mod memory_index;
mod redis_store;
mod signature;

pub use decision::{kind_of, Thresholds, Window, CONTAINED_STORY_FLOOR};
pub use index::StoryIndex;
pub use memory_index::MemoryIndex;
pub use redis_store::{Decided, RedisStore, StoreError, DEFAULT_PREFIX};
pub use signature::{
    shingles, Signature, BANDS, BINS, FINGERPRINTS, ROWS, SHINGLE_WORDS, STORED_BIN_BYTES,
};

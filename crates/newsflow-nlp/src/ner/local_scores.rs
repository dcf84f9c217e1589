//! The summed weights of a word's local features, kept by the tagger.
//!
//! Of a token's ~35 features, the first [`LOCAL_FEATURES`](super::features::LOCAL_FEATURES)
//! depend only on the word, whether it opens its sentence and whether the
//! sentence is a headline. News repeats its words (a few thousand make most
//! of the tokens), so their scores are worth keeping: a repeated word then
//! costs one look-up instead of 16 hashes and 16 weight-table reads that
//! mostly miss the CPU cache.
//!
//! The scores are summed in the same order whether kept or not, so tagging
//! gives the same result either way.

use std::collections::HashMap;
use std::sync::Mutex;

use super::tags::NUM_TAGS;
use crate::hash::key;
use crate::Seeded;

/// Words a table keeps before it starts again: 7/8 of 2,048, the most that
/// std's map holds in 2,048 places (about 170 KB). The words that make most
/// of news text fit: on 300 BBC articles, twice as many words saved only
/// another 1.6% of the instructions, for twice the memory per table.
const CAPACITY: usize = 1792;

/// The words come from outside and their keys from an unseeded hash, so
/// a table hashes them again with a seeded hasher ([`Seeded`]).
type Kept = HashMap<u64, [f32; NUM_TAGS], Seeded>;

/// Rows of feature keys, one per word of a sentence, kept with a table:
/// made afresh for each document, their allocations had cost about 1.5%
/// of an article's enrichment.
pub(crate) type FeatureRows = Vec<Vec<u64>>;

/// Rows a table keeps between documents: a longer sentence (a list with
/// no stop) gets more for its document, which are then let go, so a
/// table's rows stay under 100 KB.
const KEPT_ROWS: usize = 256;

/// One table per document being tagged at the same time, taken for the
/// document and given back after: as many tables as taggings run at once
/// (the enricher's CPU permits), however many threads run them.
#[derive(Debug, Default)]
pub(crate) struct Pool(Mutex<Vec<(Kept, FeatureRows)>>);

impl Clone for Pool {
    /// A copy of a tagger starts with no scores kept.
    fn clone(&self) -> Self {
        Pool::default()
    }
}

impl Pool {
    /// Runs `f` with a table of this tagger's kept scores.
    pub(crate) fn with_table<R>(&self, f: impl FnOnce(&mut LocalScores) -> R) -> R {
        // A poisoned lock only means a tagging panicked while it held the
        // lock for a push or pop; the tables themselves are still sound.
        let (kept, features) = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        let mut table = LocalScores { kept, features };
        let result = f(&mut table);
        table.features.truncate(KEPT_ROWS);
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((table.kept, table.features));
        result
    }
}

/// The key of a word in its place: `first` and `headline` change two of
/// its local features.
pub(crate) fn word_key(word: &str, first: bool, headline: bool) -> u64 {
    let flags = match (first, headline) {
        (false, false) => "00",
        (false, true) => "01",
        (true, false) => "10",
        (true, true) => "11",
    };
    key(0, &[word, flags])
}

/// One table of kept scores, and the rows the tagging of a sentence
/// fills with its words' features.
pub(crate) struct LocalScores {
    kept: Kept,
    pub(crate) features: FeatureRows,
}

impl LocalScores {
    pub(crate) fn get(&self, word: u64) -> Option<[f32; NUM_TAGS]> {
        self.kept.get(&word).copied()
    }

    pub(crate) fn insert(&mut self, word: u64, scores: [f32; NUM_TAGS]) {
        if self.kept.len() >= CAPACITY {
            // Starting again costs a few hundred look-ups to refill the
            // common words, and needs no bookkeeping per hit.
            self.kept.clear();
        }
        self.kept.insert(word, scores);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_given_back_and_a_copy_starts_empty() {
        let pool = Pool::default();
        let word = word_key("Ankara", false, false);
        pool.with_table(|t| t.insert(word, [1.0; NUM_TAGS]));
        assert_eq!(pool.with_table(|t| t.get(word)), Some([1.0; NUM_TAGS]));
        assert_eq!(pool.clone().with_table(|t| t.get(word)), None);
    }

    #[test]
    fn taggings_at_the_same_time_take_their_own_tables() {
        let pool = Pool::default();
        let word = word_key("Ankara", false, false);
        pool.with_table(|outer| {
            outer.insert(word, [1.0; NUM_TAGS]);
            pool.with_table(|inner| assert_eq!(inner.get(word), None));
        });
        assert_eq!(pool.0.lock().map(|tables| tables.len()).ok(), Some(2));
    }

    #[test]
    fn a_table_keeps_a_bounded_number_of_feature_rows() {
        let pool = Pool::default();
        pool.with_table(|t| t.features.resize_with(10, || Vec::with_capacity(8)));
        pool.with_table(|t| assert_eq!(t.features.len(), 10));
        pool.with_table(|t| t.features.resize_with(KEPT_ROWS + 100, Vec::new));
        pool.with_table(|t| assert_eq!(t.features.len(), KEPT_ROWS));
    }

    #[test]
    fn the_place_of_a_word_is_part_of_its_key() {
        let keys = [
            word_key("Ankara", false, false),
            word_key("Ankara", false, true),
            word_key("Ankara", true, false),
            word_key("Ankara", true, true),
            word_key("ankara", false, false),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn the_table_stays_bounded() {
        let pool = Pool::default();
        pool.with_table(|t| {
            for n in 0..CAPACITY as u64 + 10 {
                t.insert(n + 1, [0.0; NUM_TAGS]);
            }
            assert!(t.kept.len() <= CAPACITY);
        });
    }
}

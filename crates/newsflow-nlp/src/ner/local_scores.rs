//! The summed weights of a word's local features, kept per thread.
//!
//! Of a token's ~35 features, the first [`LOCAL_FEATURES`](super::features::LOCAL_FEATURES) depend only on
//! the word, whether it opens its sentence and whether the sentence is a
//! headline. News repeats its words (a few thousand make most of the
//! tokens), so their scores are worth keeping: a repeated word then costs
//! one look-up instead of 16 hashes and 16 weight-table reads that mostly
//! miss the CPU cache.
//!
//! The scores are summed in the same order whether kept or not, so tagging
//! gives the same result either way.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use super::tags::NUM_TAGS;
use crate::hash::key;

/// Words kept per thread before the table starts again: about 1 MB, which
/// holds the words that make most of news text. The enricher runs up to
/// four annotations per core at a time, each thread with its own table.
const CAPACITY: usize = 8192;

/// A tagger's identity, so that a thread's table never serves the scores
/// of one model (or lexicon) to another.
pub(crate) fn next_tagger_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The words come from outside and their keys from an unseeded hash, so
/// the table hashes them again with std's seeded hasher: words made to
/// share their low bits cannot pile up in one place.
type Kept = HashMap<u64, [f32; NUM_TAGS]>;

#[derive(Default)]
struct Table {
    tagger: u64,
    scores: Kept,
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(Table::default());
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

/// Runs `f` with this thread's table of local scores for `tagger`.
pub(crate) fn with_table<R>(tagger: u64, f: impl FnOnce(&mut LocalScores) -> R) -> R {
    TABLE.with(|table| {
        let mut table = table.borrow_mut();
        if table.tagger != tagger {
            table.tagger = tagger;
            table.scores.clear();
        }
        f(&mut LocalScores(&mut table.scores))
    })
}

/// One thread's kept scores, for one tagger.
pub(crate) struct LocalScores<'a>(&'a mut Kept);

impl LocalScores<'_> {
    pub(crate) fn get(&self, word: u64) -> Option<[f32; NUM_TAGS]> {
        self.0.get(&word).copied()
    }

    pub(crate) fn insert(&mut self, word: u64, scores: [f32; NUM_TAGS]) {
        if self.0.len() >= CAPACITY {
            // Starting again costs a few hundred look-ups to refill the
            // common words, and needs no bookkeeping per hit.
            self.0.clear();
        }
        self.0.insert(word, scores);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_emptied_for_another_tagger() {
        let (a, b) = (next_tagger_id(), next_tagger_id());
        let word = word_key("Ankara", false, false);
        with_table(a, |t| t.insert(word, [1.0; NUM_TAGS]));
        assert_eq!(with_table(a, |t| t.get(word)), Some([1.0; NUM_TAGS]));
        assert_eq!(with_table(b, |t| t.get(word)), None);
        assert_eq!(with_table(a, |t| t.get(word)), None);
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
        let id = next_tagger_id();
        with_table(id, |t| {
            for n in 0..CAPACITY as u64 + 10 {
                t.insert(n + 1, [0.0; NUM_TAGS]);
            }
            assert!(t.0.len() <= CAPACITY);
        });
    }
}

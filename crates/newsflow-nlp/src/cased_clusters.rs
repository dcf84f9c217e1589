//! Cased word clusters: spaCy's `en_core_web_md` vocabulary maps 684,830
//! words as written onto 20,000 vector rows, each pruned word sharing the
//! row of its nearest kept one (`models/word-clusters.md`). A row is thus
//! a cluster of words used alike, names included and with their case:
//! "Aberdeen" and "ABERDEEN" share one with "Inverness" and "Galway",
//! which the lower-case GloVe clusters cannot say of an all-capitals
//! results table.
//!
//! The table is `models/word-clusters/cased.tsv` (`word <TAB> row`); the
//! build lays it out as a hash table (`build.rs`) read in place.

use crate::key_table::KeyTable;
use crate::word_clusters::WordClusters;

/// `models/word-clusters/cased.tsv` as a hash table (layout in `build.rs`).
static TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cased-clusters.bin"));

/// The rows the built-in table uses are below this (`build.rs` checks).
pub const ROWS: u16 = 20_000;

/// Word as written → its row. Cheap to clone; the default knows no word.
#[derive(Debug, Clone, Default)]
pub struct CasedClusters {
    words: KeyTable,
}

impl CasedClusters {
    /// The table built into the binary.
    pub fn builtin() -> Self {
        static BUILTIN: std::sync::OnceLock<CasedClusters> = std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // Checked at build time and by a unit test; should the
                // table ever be damaged, tagging goes on without it.
                KeyTable::laid_out(TABLE)
                    .map(|words| CasedClusters { words })
                    .unwrap_or_default()
            })
            .clone()
    }

    /// The row of a word as written, if the table knows it.
    pub fn get(&self, word: &str) -> Option<u16> {
        self.get_by_key(WordClusters::key_of(word))
    }

    /// The row of the word with this key (`WordClusters::key_of`, which
    /// is this table's key too).
    pub(crate) fn get_by_key(&self, word_key: u64) -> Option<u16> {
        self.words.get(word_key)
    }

    /// Starts loading the place of a word's key.
    pub(crate) fn prefetch(&self, word_key: u64) {
        self.words.prefetch(word_key);
    }

    /// Whether the table knows no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_groups_like_names_whatever_their_case() {
        let table = CasedClusters::builtin();
        assert!(!table.is_empty());
        let row = |w: &str| table.get(w).unwrap_or_else(|| panic!("{w}"));
        assert_eq!(row("Aberdeen"), row("ABERDEEN"));
        assert_eq!(row("Aberdeen"), row("Inverness"));
        assert_ne!(row("Aberdeen"), row("Clinton"));
        assert!(row("Clinton") < ROWS);
        assert_eq!(table.get("Qzxqzxqzx"), None);
        assert_eq!(CasedClusters::default().get("Aberdeen"), None);
    }
}

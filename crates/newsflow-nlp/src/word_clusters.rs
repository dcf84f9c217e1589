//! Word clusters learnt from large unlabelled text: every lower-case word
//! of GloVe 6B (Wikipedia + Gigaword) belongs to a fine, a mid and a coarse
//! cluster of words used alike (`models/word-clusters.md` says how they were
//! made). A tagger trained on 200k tokens has never seen most names it
//! meets; their cluster it usually has.
//!
//! The table is two TSV files: `word <TAB> fine id`, one line per word, and
//! `fine id <TAB> mid id <TAB> coarse id`, one line per fine cluster. The
//! build lays the first out as a hash table (`build.rs`) that is read in
//! place, so the built-in table loads in no time.

use std::hash::BuildHasherDefault;
use std::sync::Arc;

use crate::hash::key;
use crate::key_table::KeyTable;
use crate::ner::model::{FeatureMap, IdentityHasher};
use crate::slot_table::EMPTY;

/// `models/word-clusters/words.tsv` as a hash table (layout in `build.rs`).
static WORDS_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/word-clusters.bin"));
#[cfg(test)]
const WORDS_TSV: &str = include_str!("../../../models/word-clusters/words.tsv");
const CLUSTERS_TSV: &str = include_str!("../../../models/word-clusters/clusters.tsv");

/// A word's clusters, finest first. Ids nest: words of one fine cluster
/// share their mid and coarse cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clusters {
    pub fine: u16,
    pub mid: u16,
    pub coarse: u16,
}

/// Lower-case word → its clusters. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct WordClusters {
    /// Word key → fine cluster id.
    words: KeyTable,
    levels: Arc<Vec<(u16, u16)>>,
    /// "0", "1"...: cluster ids as text for feature keys, made once
    names: Arc<Vec<String>>,
}

impl WordClusters {
    /// The table built into the binary.
    pub fn builtin() -> Self {
        // Read once per process: the entity tagger and the topic model
        // share it (clones share the table).
        static BUILTIN: std::sync::OnceLock<WordClusters> = std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // The built-in files are checked at build time and by a unit
                // test; should they ever be damaged, tagging goes on without
                // clusters rather than failing.
                let (Some(words), Ok(levels)) =
                    (KeyTable::laid_out(WORDS_TABLE), parse_levels(CLUSTERS_TSV))
                else {
                    return WordClusters::default();
                };
                Self::with(words, levels)
            })
            .clone()
    }

    fn with(words: KeyTable, levels: Vec<(u16, u16)>) -> Self {
        let most = levels
            .iter()
            .map(|&(mid, coarse)| usize::from(mid.max(coarse)) + 1)
            .max()
            .unwrap_or(0)
            .max(levels.len());
        WordClusters {
            words,
            levels: Arc::new(levels),
            names: Arc::new((0..most).map(|n| n.to_string()).collect()),
        }
    }

    /// Reads the two TSV files (see the module documentation).
    pub fn from_tsv(words: &str, clusters: &str) -> Result<Self, String> {
        let levels = parse_levels(clusters)?;
        let mut map = FeatureMap::with_capacity_and_hasher(
            words.len() / 10,
            BuildHasherDefault::<IdentityHasher>::default(),
        );
        for (n, line) in words.lines().enumerate() {
            let (word, id) = line
                .split_once('\t')
                .ok_or_else(|| format!("words line {}: no tab", n + 1))?;
            let id: u16 = id
                .parse()
                .map_err(|e| format!("words line {}: {e}", n + 1))?;
            if usize::from(id) >= levels.len() || id == EMPTY {
                return Err(format!("words line {}: unknown cluster {id}", n + 1));
            }
            // the first (most frequent) spelling wins should two collide
            map.entry(key(0, &[word])).or_insert(id);
        }
        Ok(Self::with(map.into(), levels))
    }

    /// The key a word is looked up by, here and in the cased clusters.
    pub(crate) fn key_of(word: &str) -> u64 {
        key(0, &[word])
    }

    /// Starts loading the place of a word's key (see [`Self::key_of`]).
    pub(crate) fn prefetch(&self, word_key: u64) {
        self.words.prefetch(word_key);
    }

    /// The clusters of a lower-case word, if the table knows it.
    pub fn get(&self, lower: &str) -> Option<Clusters> {
        self.get_by_key(Self::key_of(lower))
    }

    fn get_by_key(&self, word_key: u64) -> Option<Clusters> {
        let fine = self.words.get(word_key)?;
        let &(mid, coarse) = self.levels.get(usize::from(fine))?;
        Some(Clusters { fine, mid, coarse })
    }

    /// The fine, mid and coarse cluster of a lower-case word as text,
    /// `["-"; 3]` for a word the table does not know.
    pub fn names(&self, lower: &str) -> [&str; 3] {
        self.names_by_key(Self::key_of(lower))
    }

    /// [`Self::names`] of the word with this key (see [`Self::key_of`]).
    pub(crate) fn names_by_key(&self, word_key: u64) -> [&str; 3] {
        match self.get_by_key(word_key) {
            Some(c) => [c.fine, c.mid, c.coarse].map(|id| self.names[usize::from(id)].as_str()),
            None => ["-"; 3],
        }
    }

    /// Number of words in the table.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the table holds no words. Cheap, unlike `len`, which walks
    /// the built-in table: the built-in table is never empty (the build
    /// checks it).
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty() || self.words.is_empty()
    }
}

/// `fine <TAB> mid <TAB> coarse` lines, fine ids counting from 0.
fn parse_levels(clusters: &str) -> Result<Vec<(u16, u16)>, String> {
    let mut levels = Vec::new();
    for (n, line) in clusters.lines().enumerate() {
        let ids: Vec<u16> = line
            .split('\t')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("clusters line {}: {e}", n + 1))?;
        match ids[..] {
            [fine, mid, coarse] if usize::from(fine) == n => levels.push((mid, coarse)),
            _ => {
                return Err(format!(
                    "clusters line {}: expected `{n}\\tmid\\tcoarse`",
                    n + 1
                ))
            }
        }
    }
    Ok(levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_holds_every_word_of_the_tsv() {
        let built = WordClusters::builtin();
        let read = WordClusters::from_tsv(WORDS_TSV, CLUSTERS_TSV).expect("built-in table");
        assert_eq!(built.len(), read.len());
        for line in WORDS_TSV.lines().step_by(97) {
            let word = line.split('\t').next().unwrap();
            assert_eq!(built.get(word), read.get(word), "{word}");
            assert!(built.get(word).is_some(), "{word}");
        }
    }

    #[test]
    fn the_builtin_table_groups_like_words() {
        let table = WordClusters::builtin();
        assert!(table.len() > 100_000);
        let c = |w: &str| table.get(w).expect(w);
        // words used alike share a fine cluster; unlike ones don't
        assert_eq!(c("smith").fine, c("jones").fine);
        assert_eq!(c("yorkshire").fine, c("leicestershire").fine);
        assert_eq!(c("monday").fine, c("tuesday").fine);
        assert_ne!(c("smith").fine, c("tuesday").fine);
        // and the levels nest
        assert_eq!(c("smith").mid, c("jones").mid);
        assert_eq!(c("smith").coarse, c("jones").coarse);
        assert_eq!(table.get("qzxqzxqzx"), None);
    }

    #[test]
    fn malformed_tables_are_refused() {
        assert!(WordClusters::from_tsv("a\t0\n", "0\t0\n").is_err());
        assert!(WordClusters::from_tsv("a\t1\n", "0\t0\t0\n").is_err());
        assert!(WordClusters::from_tsv("a 0\n", "0\t0\t0\n").is_err());
        let ok = WordClusters::from_tsv("a\t0\nb\t1\n", "0\t5\t2\n1\t5\t3\n").unwrap();
        assert_eq!(
            ok.get("b"),
            Some(Clusters {
                fine: 1,
                mid: 5,
                coarse: 3
            })
        );
    }
}

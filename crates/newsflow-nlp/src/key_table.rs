//! Keys to small values, either built at run time or laid out by the build
//! and read in place ([`SlotTable`]): what the word clusters and the
//! gazetteer look words up in.

use std::sync::Arc;

use crate::ner::model::FeatureMap;
use crate::slot_table::SlotTable;

/// Key → u16. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) enum KeyTable {
    /// Built at run time (from TSV, in training and tests).
    Map(Arc<FeatureMap<u16>>),
    /// The build's table, read in place.
    Table(SlotTable),
}

impl Default for KeyTable {
    fn default() -> Self {
        KeyTable::Map(Arc::default())
    }
}

impl From<FeatureMap<u16>> for KeyTable {
    fn from(map: FeatureMap<u16>) -> Self {
        KeyTable::Map(Arc::new(map))
    }
}

impl KeyTable {
    /// A table the build laid out, read in place; `None` if the bytes are
    /// not one whole table.
    pub fn laid_out(bytes: &'static [u8]) -> Option<Self> {
        match SlotTable::read(bytes)? {
            (table, []) => Some(KeyTable::Table(table)),
            _ => None,
        }
    }

    pub fn get(&self, key: u64) -> Option<u16> {
        match self {
            KeyTable::Map(map) => map.get(&key).copied(),
            KeyTable::Table(table) => table.get(key),
        }
    }

    /// Starts loading the place a look-up of `key` reads (a laid-out
    /// table only: a run-time map is small, or in training).
    pub fn prefetch(&self, key: u64) {
        if let KeyTable::Table(table) = self {
            crate::cache::prefetch(table.first_slot(key));
        }
    }

    /// Whether a run-time map is empty; cheap, unlike `len`, which walks a
    /// laid-out table. The build lays out no empty table.
    pub fn is_empty(&self) -> bool {
        matches!(self, KeyTable::Map(map) if map.is_empty())
    }

    pub fn len(&self) -> usize {
        match self {
            KeyTable::Map(map) => map.len(),
            KeyTable::Table(table) => table.len(),
        }
    }
}

/// A fixed list of words with a value each, looked up by the crate's fast
/// string hash and checked against the word itself: for the short lists
/// asked of every word of every article (stop words, measure words, the
/// tone lexicon), where a binary search of the strings cost a share of the
/// enrichment.
/// The words are the crate's own, so none can be made to collide.
#[derive(Debug)]
pub(crate) struct WordTable<V>(
    std::collections::HashMap<
        u64,
        (&'static str, V),
        std::hash::BuildHasherDefault<crate::ner::model::IdentityHasher>,
    >,
);

impl<V> FromIterator<(&'static str, V)> for WordTable<V> {
    /// A word listed twice keeps its last value.
    fn from_iter<I: IntoIterator<Item = (&'static str, V)>>(words: I) -> Self {
        WordTable(
            words
                .into_iter()
                .map(|(word, value)| (crate::hash::key(0, &[word]), (word, value)))
                .collect(),
        )
    }
}

impl<V> WordTable<V> {
    pub fn get(&self, word: &str) -> Option<&V> {
        self.0
            .get(&crate::hash::key(0, &[word]))
            .filter(|(listed, _)| *listed == word)
            .map(|(_, value)| value)
    }

    pub fn contains(&self, word: &str) -> bool {
        self.get(word).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_table_finds_its_words_and_their_last_value() {
        let table: WordTable<u8> = [("war", 1), ("peace", 2), ("war", 3)].into_iter().collect();
        assert_eq!(table.get("war"), Some(&3));
        assert_eq!(table.get("peace"), Some(&2));
        assert_eq!(table.get("Peace"), None);
        assert_eq!(table.get(""), None);
        assert!(table.contains("war") && !table.contains("wars"));
    }
}

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
    pub fn get(&self, key: u64) -> Option<u16> {
        match self {
            KeyTable::Map(map) => map.get(&key).copied(),
            KeyTable::Table(table) => table.get(key),
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

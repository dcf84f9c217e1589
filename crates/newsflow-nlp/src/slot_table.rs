//! A hash table from 64-bit keys to 16-bit values, laid out by the build
//! (`build.rs` includes this file) and read in place from the binary, so
//! that a table of any size costs nothing to load.
//!
//! Layout: the slot count (a power of two), then one u64 per slot, all
//! little-endian. A key sits in slot `key & (slots - 1)` or, probing
//! linearly, after it. A slot holds the key's top 48 bits and the value in
//! the low 16 bits, [`EMPTY`] marking an empty slot: one memory read per
//! lookup. Reading goes through `from_le_bytes`, so the embedded bytes need
//! no alignment.

/// The value of an empty slot; no entry may hold it.
pub const EMPTY: u16 = u16::MAX;

/// Lays `entries` out; the first of two keys alike in their top 48 bits
/// wins. Panics on a value of [`EMPTY`] (a build-time error).
#[allow(dead_code)] // the build and the tests lay tables out; the crate reads them
pub fn lay_out(entries: &[(u64, u16)]) -> Vec<u8> {
    // at most half full: a miss ends within a few probes
    let slots = (entries.len() * 2).next_power_of_two().max(2);
    let mask = slots as u64 - 1;
    let empty = u64::from(EMPTY);
    let mut table = vec![empty; slots];
    for &(key, value) in entries {
        assert_ne!(value, EMPTY, "a slot table value may not be {EMPTY}");
        let top = key & !0xffff;
        let mut i = (key & mask) as usize;
        while table[i] != empty && table[i] & !0xffff != top {
            i = (i + 1) & mask as usize;
        }
        if table[i] == empty {
            table[i] = top | u64::from(value);
        }
    }
    let mut out = Vec::with_capacity(8 + slots * 8);
    out.extend_from_slice(&(slots as u64).to_le_bytes());
    for slot in &table {
        out.extend_from_slice(&slot.to_le_bytes());
    }
    out
}

/// A laid-out table, read in place.
#[derive(Debug, Clone, Copy)]
pub struct SlotTable {
    slots: &'static [u8],
    mask: usize,
}

impl SlotTable {
    /// The table at the start of `bytes`, and the bytes after it; `None`
    /// when they do not hold one.
    pub fn read(bytes: &'static [u8]) -> Option<(SlotTable, &'static [u8])> {
        let (count, rest) = bytes.split_first_chunk::<8>()?;
        let count = usize::try_from(u64::from_le_bytes(*count)).ok()?;
        let size = count.checked_mul(8)?;
        if !count.is_power_of_two() || rest.len() < size {
            return None;
        }
        let (slots, rest) = rest.split_at(size);
        Some((
            SlotTable {
                slots,
                mask: count - 1,
            },
            rest,
        ))
    }

    /// The slot a look-up of `key` reads first, for a prefetch.
    #[allow(dead_code)] // the build includes this file and never looks up
    pub fn first_slot(&self, key: u64) -> &'static [u8] {
        let i = (key as usize) & self.mask;
        &self.slots[8 * i..8 * i + 8]
    }

    /// The value stored for `key`.
    pub fn get(&self, key: u64) -> Option<u16> {
        let mut i = (key as usize) & self.mask;
        for _ in 0..=self.mask {
            let slot = u64::from_le_bytes(self.slots[8 * i..8 * i + 8].try_into().ok()?);
            let value = (slot & 0xffff) as u16;
            if value == EMPTY {
                return None;
            }
            if slot & !0xffff == key & !0xffff {
                return Some(value);
            }
            i = (i + 1) & self.mask;
        }
        None
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.slots
            .chunks_exact(8)
            .filter(|c| u16::from_le_bytes([c[0], c[1]]) != EMPTY)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_laid_out_is_found_and_nothing_else() {
        let entries: Vec<(u64, u16)> = (0..1000u64)
            .map(|i| (crate::hash::key(0, &[&i.to_string()]), (i % 500) as u16))
            .collect();
        let bytes: &'static [u8] = Box::leak(lay_out(&entries).into_boxed_slice());
        let (table, rest) = SlotTable::read(bytes).expect("a table");
        assert!(rest.is_empty());
        assert_eq!(table.len(), 1000);
        for &(key, value) in &entries {
            assert_eq!(table.get(key), Some(value));
        }
        assert_eq!(table.get(crate::hash::key(0, &["absent"])), None);
        assert!(SlotTable::read(&bytes[..20]).is_none());
    }

    #[test]
    fn the_slot_to_prefetch_is_where_a_look_up_starts() {
        // a key alone in its table sits in the slot a look-up reads first
        let key = crate::hash::key(0, &["Aberdeen"]);
        let bytes: &'static [u8] = Box::leak(lay_out(&[(key, 7)]).into_boxed_slice());
        let (table, _) = SlotTable::read(bytes).expect("a table");
        let slot = u64::from_le_bytes(table.first_slot(key).try_into().expect("8 bytes"));
        assert_eq!(slot, (key & !0xffff) | 7);
    }
}

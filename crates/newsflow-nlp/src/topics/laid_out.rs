//! The build's key tables over the built-in topic model's rows
//! (`file_layout` has the layout), read in place: the model is scored from
//! its file as it is embedded in the binary.

use zerocopy::FromBytes;

use super::file_layout::{Rows, PLACE, TABLE_HEADER};
use crate::le_bytes::{le_u32, le_u64};

/// One part's rows, found by key through the build's table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyedRows {
    /// A power of two of them.
    places: &'static [[u8; PLACE]],
    rows: Rows<'static>,
}

impl KeyedRows {
    /// The table at the start of `tables`, over `rows`, and the bytes
    /// after it.
    pub fn read(
        tables: &'static [u8],
        rows: Rows<'static>,
    ) -> Result<(Self, &'static [u8]), String> {
        let damaged = || "the build's tables of the topic model do not read".to_string();
        let (header, rest) = tables
            .split_first_chunk::<TABLE_HEADER>()
            .ok_or_else(damaged)?;
        let (places, count) = (le_u64(&header[..8]), le_u64(&header[8..]));
        let places = usize::try_from(places).map_err(|_| damaged())?;
        if !places.is_power_of_two() || count != rows.count as u64 {
            return Err(damaged());
        }
        // at most half full, so that a probe always meets an empty place
        if rows.count.saturating_mul(2) > places {
            return Err(damaged());
        }
        let size = places.checked_mul(PLACE).ok_or_else(damaged)?;
        let (table, rest) = rest.split_at_checked(size).ok_or_else(damaged)?;
        let places = <[[u8; PLACE]]>::ref_from_bytes(table).map_err(|_| damaged())?;
        Ok((KeyedRows { places, rows }, rest))
    }

    /// Starts loading the place a look-up of `key` reads first.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        let mask = self.places.len() - 1;
        crate::cache::prefetch(&self.places[(key as usize) & mask]);
    }

    /// The bytes after `key` in its row, if the part has one.
    #[inline]
    pub fn get(&self, key: u64) -> Option<&'static [u8]> {
        let mask = self.places.len() - 1;
        let mut at = (key as usize) & mask;
        loop {
            let place = &self.places[at];
            let row = le_u32(&place[8..12]) as usize;
            if row == 0 {
                return None;
            }
            if le_u64(&place[..8]) == key {
                return self.rows.values(row - 1);
            }
            at = (at + 1) & mask;
        }
    }
}

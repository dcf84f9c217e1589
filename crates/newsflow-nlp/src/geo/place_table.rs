//! The place list laid out by the build and read in place, so that loading
//! it costs nothing (`build.rs` includes this file to write it).
//!
//! Layout, all little-endian:
//! - the key count N, then the N name keys (`hash::key(0, [name_key])`),
//!   ascending, as u64;
//! - N + 1 u32 offsets into the candidates: key i's places are candidates
//!   `offsets[i]..offsets[i + 1]`;
//! - the candidate count, then each candidate as a u32: the place's index
//!   times two, plus one for a main name;
//! - the place count, then one [`RECORD`]-byte record per place: GeoNames
//!   id, latitude, longitude, population (8 bytes each), the name's offset
//!   (4) and length (2) in the string pool, the kind's code (1), the
//!   country's length (1) and offset (4);
//! - the string pool.
//!
//! Two name keys with the same 64-bit hash would share their places; with
//! some 60,000 keys that is a chance of about one in 10^10.

use super::place::{Named, Place, PlaceKind};

/// Bytes of one place record.
pub const RECORD: usize = 44;

fn key_of(name_key: &str) -> u64 {
    crate::hash::key(0, &[name_key])
}

/// Lays out `places` and the places each name key may mean.
#[allow(dead_code)] // the build and the tests lay tables out; the crate reads them
pub fn lay_out(places: &[Place], keys: &[Named]) -> Vec<u8> {
    let mut hashed: Vec<(u64, &[(u32, bool)])> = keys
        .iter()
        .map(|(k, c)| (key_of(k), c.as_slice()))
        .collect();
    hashed.sort_by_key(|(k, _)| *k);
    let mut out = Vec::new();
    let u64_ = |out: &mut Vec<u8>, v: u64| out.extend_from_slice(&v.to_le_bytes());
    u64_(&mut out, hashed.len() as u64);
    for (key, _) in &hashed {
        u64_(&mut out, *key);
    }
    let mut offset = 0u32;
    let mut candidates = Vec::new();
    out.extend_from_slice(&offset.to_le_bytes());
    for (_, list) in &hashed {
        for &(index, main) in *list {
            candidates.push(index * 2 + u32::from(main));
        }
        offset += list.len() as u32;
        out.extend_from_slice(&offset.to_le_bytes());
    }
    u64_(&mut out, candidates.len() as u64);
    for c in candidates {
        out.extend_from_slice(&c.to_le_bytes());
    }
    u64_(&mut out, places.len() as u64);
    let mut pool = String::new();
    for place in places {
        u64_(&mut out, place.geonames_id);
        out.extend_from_slice(&place.lat.to_le_bytes());
        out.extend_from_slice(&place.lon.to_le_bytes());
        u64_(&mut out, place.population);
        out.extend_from_slice(&(pool.len() as u32).to_le_bytes());
        out.extend_from_slice(&(place.name.len() as u16).to_le_bytes());
        pool.push_str(&place.name);
        out.push(place.kind.code());
        out.push(place.country.len() as u8);
        out.extend_from_slice(&(pool.len() as u32).to_le_bytes());
        pool.push_str(&place.country);
    }
    out.extend_from_slice(pool.as_bytes());
    out
}

/// A laid-out place list, read in place.
#[derive(Debug, Clone, Copy)]
pub struct PlaceTable {
    keys: &'static [u8],
    offsets: &'static [u8],
    candidates: &'static [u8],
    records: &'static [u8],
    pool: &'static [u8],
}

/// Splits a count-prefixed array of `width`-byte items off `bytes`.
fn array(bytes: &'static [u8], width: usize) -> Option<(&'static [u8], &'static [u8])> {
    let (count, rest) = bytes.split_first_chunk::<8>()?;
    let size = usize::try_from(u64::from_le_bytes(*count))
        .ok()?
        .checked_mul(width)?;
    (rest.len() >= size).then(|| rest.split_at(size))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

impl PlaceTable {
    /// The table `bytes` hold, or `None` when they hold none.
    pub fn read(bytes: &'static [u8]) -> Option<PlaceTable> {
        let (keys, rest) = array(bytes, 8)?;
        let (offsets, rest) = rest.split_at_checked((keys.len() / 8 + 1) * 4)?;
        let (candidates, rest) = array(rest, 4)?;
        let (records, pool) = array(rest, RECORD)?;
        Some(PlaceTable {
            keys,
            offsets,
            candidates,
            records,
            pool,
        })
    }

    /// The places `name_key` may mean: (index, whether it is their main
    /// name), in the order of the list.
    pub fn candidates(&self, name_key: &str) -> Vec<(u32, bool)> {
        let key = key_of(name_key);
        let (mut low, mut high) = (0, self.keys.len() / 8);
        while low < high {
            let mid = (low + high) / 2;
            match u64_at(self.keys, mid * 8) {
                Some(k) if k < key => low = mid + 1,
                Some(k) if k > key => high = mid,
                Some(_) => return self.candidates_of(mid).unwrap_or_default(),
                None => return Vec::new(),
            }
        }
        Vec::new()
    }

    fn candidates_of(&self, key: usize) -> Option<Vec<(u32, bool)>> {
        let from = u32_at(self.offsets, key * 4)? as usize;
        let to = u32_at(self.offsets, key * 4 + 4)? as usize;
        (from..to)
            .map(|c| u32_at(self.candidates, c * 4).map(|v| (v / 2, v % 2 == 1)))
            .collect()
    }

    /// Place `index` of the list.
    pub fn place(&self, index: u32) -> Option<Place> {
        let at = index as usize * RECORD;
        let r = self.records.get(at..at + RECORD)?;
        let text = |offset: usize, len: usize| -> Option<String> {
            let bytes = self.pool.get(offset..offset + len)?;
            std::str::from_utf8(bytes).ok().map(str::to_string)
        };
        let name_offset = u32_at(r, 32)? as usize;
        let name_len = usize::from(u16::from_le_bytes(r.get(36..38)?.try_into().ok()?));
        let country_len = usize::from(r[39]);
        let country_offset = u32_at(r, 40)? as usize;
        Some(Place {
            geonames_id: u64_at(r, 0)?,
            lat: f64::from_le_bytes(r.get(8..16)?.try_into().ok()?),
            lon: f64::from_le_bytes(r.get(16..24)?.try_into().ok()?),
            population: u64_at(r, 24)?,
            name: text(name_offset, name_len)?,
            kind: PlaceKind::from_code(r[38])?,
            country: text(country_offset, country_len)?,
        })
    }

    /// Places in the list.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.records.len() / RECORD
    }
}

//! The entity model's file read, and its feature weights laid out by the
//! build (`build.rs` includes this file) as a table that the built-in
//! tagger scores from in place: loading it then reads only the file's
//! header, and the table's pages come from the binary as they are touched,
//! shared by every process that runs it.
//!
//! Layout of the table, little-endian, meant to start 64-byte aligned:
//! - a header of [`HEADER`] bytes: [`MAGIC`], the number of places (u64, a
//!   power of two), the number of dense rows (u64), whether key 0
//!   has weights (u64, 0 or 1), the model's feature count (u64), padding,
//!   and key 0's place;
//! - the places, [`PLACE`] bytes each: the feature key (u64, 0 for an
//!   empty place), the number of its non-zero tag weights (u8), then, for
//!   a feature of at most [`INLINE`] weights, their tags (u8 each) and
//!   weights (f32 each), and for one of more, the number of its dense row
//!   (u32 at byte 24); padding. A key sits at place `key & (places - 1)`
//!   or, probing linearly, after it; the table is at most half full;
//! - the dense rows, [`DENSE`] bytes each: a weight (f32) for every tag,
//!   0 where the model has none. The features of many weights are the
//!   common ones ("the word before is `the`"), and adding a whole row
//!   costs fewer instructions than reading their weights one by one.

use super::tags::NUM_TAGS;
use crate::byte_reader::ByteReader;

/// The first bytes of a laid-out table.
pub const MAGIC: &[u8; 8] = b"NFSCORE2";
/// Bytes before the first place.
pub const HEADER: usize = 96;
/// Bytes per place: two to a cache line.
pub const PLACE: usize = 32;
/// Tag weights a feature's place holds; a feature of more has a dense row.
pub const INLINE: usize = 3;
/// Bytes per dense row: one f32 per tag.
pub const DENSE: usize = 4 * NUM_TAGS;

/// The first bytes of a model file.
pub const MODEL_MAGIC: &[u8; 8] = b"NFNER1\0\0";

/// A model file's header, and its features left unread.
pub struct ModelFile<'a> {
    pub metadata: &'a [u8],
    pub transitions: Vec<f32>,
    pub start: Vec<f32>,
    pub feature_count: usize,
    /// Each feature's key, its weight count and its (tag, weight) pairs.
    pub features: &'a [u8],
}

/// Reads a model file's header.
pub fn read_header(bytes: &[u8]) -> Result<ModelFile<'_>, String> {
    let tags = NUM_TAGS;
    let mut r = ByteReader::new(bytes, "model file is truncated");
    if r.take(8)? != MODEL_MAGIC {
        return Err("not a newsflow NER model (bad magic)".into());
    }
    let meta_len = r.u32()? as usize;
    let metadata = r.take(meta_len)?;
    let mut transitions = Vec::with_capacity(tags * tags);
    for _ in 0..tags * tags {
        transitions.push(r.f32()?);
    }
    let mut start = Vec::with_capacity(tags);
    for _ in 0..tags {
        start.push(r.f32()?);
    }
    let feature_count = r.u32()? as usize;
    Ok(ModelFile {
        metadata,
        transitions,
        start,
        feature_count,
        features: r.rest(),
    })
}

impl ModelFile<'_> {
    /// Calls `f` with each feature's key and (tag, weight) pairs, in file
    /// order; fails on a tag out of range, a short file or bytes after the
    /// last feature.
    pub fn for_each_feature(&self, mut f: impl FnMut(u64, &[(u8, f32)])) -> Result<(), String> {
        let tags = NUM_TAGS;
        let mut r = ByteReader::new(self.features, "model file is truncated");
        let mut weights = Vec::with_capacity(tags);
        for _ in 0..self.feature_count {
            let key = r.u64()?;
            let len = r.take(1)?[0];
            weights.clear();
            for _ in 0..len {
                let tag = r.take(1)?[0];
                if usize::from(tag) >= tags {
                    return Err(format!("tag {tag} out of range"));
                }
                weights.push((tag, r.f32()?));
            }
            f(key, &weights);
        }
        if !r.rest().is_empty() {
            return Err("trailing bytes after the model".into());
        }
        Ok(())
    }
}

/// Lays out a model file's features.
#[allow(dead_code)] // the build and the tests lay tables out; the crate reads them
pub fn lay_out(model: &[u8]) -> Result<Vec<u8>, String> {
    let file = read_header(model)?;
    let places = (file.feature_count * 2).next_power_of_two().max(16);
    let mask = places - 1;
    let mut table = vec![0u8; HEADER + places * PLACE];
    let mut dense = Vec::new();
    let mut zero = None;
    file.for_each_feature(|key, weights| {
        let mut place = [0u8; PLACE];
        place[..8].copy_from_slice(&key.to_le_bytes());
        // at most one weight per tag, and a tag count fits a byte
        place[8] = weights.len() as u8;
        if weights.len() > INLINE {
            let row = (dense.len() / DENSE) as u32;
            place[24..28].copy_from_slice(&row.to_le_bytes());
            let mut values = [0u8; DENSE];
            for &(tag, w) in weights {
                let at = 4 * usize::from(tag);
                values[at..at + 4].copy_from_slice(&w.to_le_bytes());
            }
            dense.extend_from_slice(&values);
        } else {
            for (k, &(tag, w)) in weights.iter().enumerate() {
                place[9 + k] = tag;
                place[12 + 4 * k..16 + 4 * k].copy_from_slice(&w.to_le_bytes());
            }
        }
        if key == 0 {
            zero = Some(place);
            return;
        }
        let mut at = (key as usize) & mask;
        while table[HEADER + at * PLACE..][..8] != [0; 8] {
            at = (at + 1) & mask;
        }
        table[HEADER + at * PLACE..][..PLACE].copy_from_slice(&place);
    })?;
    let header = &mut table[..HEADER];
    header[..8].copy_from_slice(MAGIC);
    header[8..16].copy_from_slice(&(places as u64).to_le_bytes());
    header[16..24].copy_from_slice(&((dense.len() / DENSE) as u64).to_le_bytes());
    header[24..32].copy_from_slice(&u64::from(zero.is_some()).to_le_bytes());
    header[32..40].copy_from_slice(&(file.feature_count as u64).to_le_bytes());
    if let Some(place) = zero {
        header[HEADER - PLACE..].copy_from_slice(&place);
    }
    table.extend_from_slice(&dense);
    Ok(table)
}

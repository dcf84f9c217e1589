//! Where the parts of a topic model file sit, found without reading its
//! rows, and the key tables the build lays out over those rows (`build.rs`
//! includes this file), so that the built-in model is scored from its
//! file in place and loading it reads only labels and biases.
//!
//! The model file, little-endian: [`MAGIC`]; the vocabulary (u32 count,
//! then per feature its key u64 and idf f32); the top-level scorer; the
//! number of parents (u32) and per parent its id and its scorer; then an
//! optional calibration block. A scorer: the label count n (u32), per
//! label its id and name (u32 length + UTF-8), n biases (f32), the row
//! count (u32), then per row its key (u64) and n weights (f32).
//!
//! A key table: the number of places (u64, a power of two), the number of
//! rows (u64), then [`PLACE`] bytes per place: a key (u64) and its row
//! plus one (u32, 0 for an empty place), padding. A key sits at place
//! `key & (places - 1)` or, probing linearly, after it; a table is at most
//! half full. The build lays out the vocabulary's, the top-level scorer's
//! and each parent's, in file order, one after another.

use crate::byte_reader::ByteReader;

pub const MAGIC: &[u8; 8] = b"NFTOPIC1";
/// What a read past the end of a topic model says.
pub const TRUNCATED: &str = "topic model truncated";
/// Bytes per place of a key table.
pub const PLACE: usize = 16;
/// Bytes before a key table's first place.
pub const TABLE_HEADER: usize = 16;

/// Rows of one part of the file: each a key (u64) and `stride - 8` bytes.
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    pub count: usize,
    pub stride: usize,
    pub data: &'a [u8],
}

impl<'a> Rows<'a> {
    /// The bytes after row `row`'s key.
    pub fn values(&self, row: usize) -> Option<&'a [u8]> {
        self.data
            .get(row * self.stride + 8..(row + 1) * self.stride)
    }

    /// Each row's key and the bytes after it, in file order.
    pub fn entries(&self) -> impl Iterator<Item = (u64, &'a [u8])> + 'a {
        self.data.chunks_exact(self.stride).map(|row| {
            let (key, values) = row.split_at(8);
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(key);
            (u64::from_le_bytes(bytes), values)
        })
    }

    /// The rows' keys, in file order.
    pub fn keys(&self) -> impl Iterator<Item = u64> + 'a {
        self.entries().map(|(key, _)| key)
    }
}

/// A scorer's labels (id, name), biases and rows.
pub struct ScorerAt<'a> {
    pub labels: Vec<(String, String)>,
    pub bias: Vec<f32>,
    pub rows: Rows<'a>,
}

/// The parts of a model file.
pub struct Sections<'a> {
    /// Rows of one idf each.
    pub vocabulary: Rows<'a>,
    pub top: ScorerAt<'a>,
    /// parent id → its children's scorer, in file order
    pub children: Vec<(String, ScorerAt<'a>)>,
    /// What follows: the calibration block, if any.
    pub rest: &'a [u8],
}

/// Finds the parts of a model file.
pub fn sections(bytes: &[u8]) -> Result<Sections<'_>, String> {
    let mut r = ByteReader::new(bytes, TRUNCATED);
    if r.take(MAGIC.len())? != MAGIC {
        return Err("not a newsflow topic model (bad magic)".into());
    }
    let vocabulary = rows(&mut r, 12)?;
    let top = scorer(&mut r)?;
    let mut children = Vec::new();
    for _ in 0..r.u32()? {
        let parent = label(&mut r)?;
        children.push((parent, scorer(&mut r)?));
    }
    Ok(Sections {
        vocabulary,
        top,
        children,
        rest: r.rest(),
    })
}

impl Sections<'_> {
    /// Every part's rows, in file order: the vocabulary, the top-level
    /// scorer, each parent's scorer.
    pub fn all_rows(&self) -> Vec<Rows<'_>> {
        let mut all = vec![self.vocabulary, self.top.rows];
        all.extend(self.children.iter().map(|(_, scorer)| scorer.rows));
        all
    }
}

/// Lays out a key table over each part's rows of a model file.
#[allow(dead_code)] // the build and the tests lay tables out; the crate reads them
pub fn lay_out(model: &[u8]) -> Result<Vec<u8>, String> {
    let file = sections(model)?;
    let mut out = Vec::new();
    for rows in file.all_rows() {
        let places = (rows.count * 2).next_power_of_two().max(16);
        let mask = places - 1;
        let mut table = vec![0u8; TABLE_HEADER + places * PLACE];
        table[..8].copy_from_slice(&(places as u64).to_le_bytes());
        table[8..16].copy_from_slice(&(rows.count as u64).to_le_bytes());
        let (_, table_places) = table.split_at_mut(TABLE_HEADER);
        for (row, key) in rows.keys().enumerate() {
            let mut at = (key as usize) & mask;
            while table_places[at * PLACE + 8..at * PLACE + 12] != [0; 4] {
                at = (at + 1) & mask;
            }
            let place = &mut table_places[at * PLACE..(at + 1) * PLACE];
            place[..8].copy_from_slice(&key.to_le_bytes());
            let row = u32::try_from(row + 1).map_err(|_| "too many rows")?;
            place[8..12].copy_from_slice(&row.to_le_bytes());
        }
        out.extend_from_slice(&table);
    }
    Ok(out)
}

/// A label: its length (u32) and UTF-8 bytes.
pub fn label(r: &mut ByteReader) -> Result<String, String> {
    let n = r.u32()? as usize;
    String::from_utf8(r.take(n)?.to_vec()).map_err(|_| "topic label is not UTF-8".into())
}

/// A row count (u32) and that many rows of `stride` bytes.
fn rows<'a>(r: &mut ByteReader<'a>, stride: usize) -> Result<Rows<'a>, String> {
    let count = r.u32()? as usize;
    let size = count.checked_mul(stride).ok_or(TRUNCATED)?;
    Ok(Rows {
        count,
        stride,
        data: r.take(size)?,
    })
}

fn scorer<'a>(r: &mut ByteReader<'a>) -> Result<ScorerAt<'a>, String> {
    let n = r.u32()? as usize;
    let mut labels = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        labels.push((label(r)?, label(r)?));
    }
    let bias = (0..n).map(|_| r.f32()).collect::<Result<_, _>>()?;
    let rows = rows(r, 8 + 4 * n)?;
    Ok(ScorerAt { labels, bias, rows })
}

//! The tagger's weights: scoring, Viterbi decoding under BILOU constraints,
//! and the model file format.
//!
//! File format (little-endian): magic `NFNER1\0\0`, a JSON metadata block
//! (u32 length + bytes), `NUM_TAGS × NUM_TAGS` transition weights and
//! `NUM_TAGS` start weights as f32, then the feature count (u32) and for
//! each feature its hash (u64), the number of non-zero tags (u8) and that
//! many (tag u8, weight f32) pairs.

// Tag-indexed loops over fixed-size score arrays read best as index loops.
#![allow(clippy::needless_range_loop)]

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use zerocopy::FromBytes;

use crate::le_bytes::{le_f32, le_u32, le_u64};

use super::score_layout::{
    read_header, ModelFile, DENSE, HEADER, INLINE, MAGIC as TABLE_MAGIC, MODEL_MAGIC as MAGIC,
    PLACE,
};
use super::tags::{allowed, may_end, NUM_TAGS, TYPES};

/// Feature keys are already hashes: use them as they are.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type FeatureMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// Weights of a trained tagger, ready for decoding.
#[derive(Debug, Default, Clone)]
pub struct Weights {
    /// feature → range in `entries`
    pub index: FeatureMap<(u32, u8)>,
    pub entries: Vec<(u8, f32)>,
    pub transitions: Vec<f32>,
    pub start: Vec<f32>,
    pub metadata: String,
    /// `index` and `entries` laid out for scoring, built on first use
    /// (weights are not changed after that).
    slots: std::sync::OnceLock<ScoreTable>,
    /// The built-in model's weights as the build laid them out; `index`
    /// and `entries` are then empty.
    laid_out: Option<LaidOut>,
}

/// The table `score_layout` lays out, read in place.
#[derive(Debug, Clone, Copy)]
struct LaidOut {
    /// A power of two of them.
    places: &'static [[u8; PLACE]],
    dense: &'static [[u8; DENSE]],
    zero: Option<&'static [u8; PLACE]>,
    /// The model file the table was laid out from, for `to_bytes`.
    model: &'static [u8],
}

impl LaidOut {
    /// The table in `table`, checked against its model's feature count.
    fn read(table: &'static [u8], model: &'static [u8], features: usize) -> Result<Self, String> {
        let damaged = || "the build's table of the entity model does not read".to_string();
        let (header, body) = table.split_first_chunk::<HEADER>().ok_or_else(damaged)?;
        let word = |k: usize| usize::try_from(le_u64(&header[8 * k..])).map_err(|_| damaged());
        let (places, dense_rows, has_zero, count) = (word(1)?, word(2)?, word(3)?, word(4)?);
        if &header[..8] != TABLE_MAGIC || !places.is_power_of_two() || has_zero > 1 {
            return Err(damaged());
        }
        if count != features {
            return Err("the build's table is of another entity model".into());
        }
        // at most half full, so that a probe always meets an empty place
        if count.saturating_mul(2) > places {
            return Err(damaged());
        }
        let size = places.checked_mul(PLACE).ok_or_else(damaged)?;
        let (place_bytes, dense_bytes) = body.split_at_checked(size).ok_or_else(damaged)?;
        let dense = <[[u8; DENSE]]>::ref_from_bytes(dense_bytes).map_err(|_| damaged())?;
        if dense.len() != dense_rows {
            return Err(damaged());
        }
        let zero = match has_zero {
            1 => header[HEADER - PLACE..].first_chunk::<PLACE>(),
            _ => None,
        };
        Ok(LaidOut {
            places: <[[u8; PLACE]]>::ref_from_bytes(place_bytes).map_err(|_| damaged())?,
            dense,
            zero,
            model,
        })
    }

    /// The place of `key`, if the model has weights for it.
    #[inline]
    fn place(&self, key: u64) -> Option<&'static [u8; PLACE]> {
        if key == 0 {
            return self.zero;
        }
        let mask = self.places.len() - 1;
        let mut at = (key as usize) & mask;
        loop {
            let place = &self.places[at];
            match le_u64(place) {
                k if k == key => return Some(place),
                0 => return None,
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// Starts loading the places of `features`.
    fn prefetch(&self, features: &[u64]) {
        let mask = self.places.len() - 1;
        for &f in features {
            crate::cache::prefetch(&self.places[(f as usize) & mask]);
        }
    }

    /// Adds the weights of `features` to `scores`, in the order
    /// [`Weights::add`] adds them from its own table.
    fn add(&self, features: &[u64], scores: &mut [f32; NUM_TAGS]) {
        self.prefetch(features);
        for &f in features {
            let Some(place) = self.place(f) else { continue };
            let len = usize::from(place[8]);
            if len > INLINE {
                // zeros added to the tags the feature has no weight for
                // change no sum
                let row = &self.dense[le_u32(&place[24..]) as usize];
                for (score, w) in scores.iter_mut().zip(row.chunks_exact(4)) {
                    *score += le_f32(w);
                }
            } else {
                for k in 0..len {
                    scores[usize::from(place[9 + k])] += le_f32(&place[12 + 4 * k..]);
                }
            }
        }
    }
}

/// A feature's first non-zero tag weights kept inline, so that scoring a
/// feature touches one table entry, not an index and then a list; most
/// features have three or fewer. The rest stay in `entries`.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    len: u8,
    tags: [u8; 3],
    weights: [f32; 3],
    /// Where the weights beyond the third start in `entries`.
    rest: u32,
}

/// The slots by feature key, open-addressed with linear probing: keys are
/// already well-mixed hashes, so their low bits place them, and a feature's
/// place is known before it is looked up, so it can be fetched ahead.
#[derive(Debug, Default, Clone)]
struct ScoreTable {
    /// Key and slot side by side; key 0 marks an empty place, and the key
    /// 0 itself lives in `zero`.
    places: Vec<(u64, Slot)>,
    zero: Option<Slot>,
}

impl ScoreTable {
    fn with_capacity(entries: usize) -> Self {
        ScoreTable {
            places: vec![(0, Slot::default()); (entries * 2).next_power_of_two().max(16)],
            zero: None,
        }
    }

    fn place(&self, key: u64) -> usize {
        // the length is a power of two
        (key as usize) & (self.places.len() - 1)
    }

    /// Keys are distinct (they come from a map), and the table is never
    /// more than half full.
    fn insert(&mut self, key: u64, slot: Slot) {
        if key == 0 {
            self.zero = Some(slot);
            return;
        }
        let mut at = self.place(key);
        while self.places[at].0 != 0 && self.places[at].0 != key {
            at = (at + 1) & (self.places.len() - 1);
        }
        self.places[at] = (key, slot);
    }

    fn get(&self, key: u64) -> Option<&Slot> {
        if key == 0 {
            return self.zero.as_ref();
        }
        let mut at = self.place(key);
        loop {
            match &self.places[at] {
                (k, slot) if *k == key => return Some(slot),
                (0, _) => return None,
                _ => at = (at + 1) & (self.places.len() - 1),
            }
        }
    }

    /// Starts loading `key`'s place into the cache.
    #[inline]
    fn prefetch(&self, key: u64) {
        crate::cache::prefetch(&self.places[self.place(key)]);
    }
}

impl Weights {
    pub fn new(
        index: FeatureMap<(u32, u8)>,
        entries: Vec<(u8, f32)>,
        transitions: Vec<f32>,
        start: Vec<f32>,
        metadata: String,
    ) -> Self {
        Weights {
            index,
            entries,
            transitions,
            start,
            metadata,
            slots: Default::default(),
            laid_out: None,
        }
    }

    fn slots(&self) -> &ScoreTable {
        self.slots.get_or_init(|| {
            let mut slots = ScoreTable::with_capacity(self.index.len());
            for (&key, &(at, len)) in &self.index {
                let mut slot = Slot {
                    len,
                    rest: at + 3,
                    ..Slot::default()
                };
                for (k, &(tag, w)) in self.entries[at as usize..at as usize + len as usize]
                    .iter()
                    .take(3)
                    .enumerate()
                {
                    slot.tags[k] = tag;
                    slot.weights[k] = w;
                }
                slots.insert(key, slot);
            }
            slots
        })
    }

    /// The weights of `features` summed per tag into `scores`.
    pub fn score(&self, features: &[u64], scores: &mut [f32; NUM_TAGS]) {
        *scores = [0.0; NUM_TAGS];
        self.add(features, scores);
    }

    /// Starts loading the weights of `features`, which a coming
    /// [`Weights::add`] will read (the built-in table only).
    pub fn prefetch(&self, features: &[u64]) {
        if let Some(table) = &self.laid_out {
            table.prefetch(features);
        }
    }

    /// Adds the weights of `features` to `scores` (one per tag), in order.
    pub fn add(&self, features: &[u64], scores: &mut [f32; NUM_TAGS]) {
        if let Some(table) = &self.laid_out {
            return table.add(features, scores);
        }
        let slots = self.slots();
        // Ask for every feature's place first, so that the cache misses
        // overlap instead of coming one after another.
        for &f in features {
            slots.prefetch(f);
        }
        for &f in features {
            if let Some(slot) = slots.get(f) {
                let len = slot.len as usize;
                for k in 0..len.min(3) {
                    scores[slot.tags[k] as usize] += slot.weights[k];
                }
                if len > 3 {
                    let rest = slot.rest as usize;
                    for &(tag, w) in &self.entries[rest..rest + len - 3] {
                        scores[tag as usize] += w;
                    }
                }
            }
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        if let Some(table) = &self.laid_out {
            return table.model.to_vec();
        }
        let mut out = Vec::with_capacity(16 + self.entries.len() * 5 + self.index.len() * 9);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.metadata.len() as u32).to_le_bytes());
        out.extend_from_slice(self.metadata.as_bytes());
        for w in self.transitions.iter().chain(&self.start) {
            out.extend_from_slice(&w.to_le_bytes());
        }
        let mut keys: Vec<&u64> = self.index.keys().collect();
        keys.sort();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for key in keys {
            let (at, len) = self.index[key];
            out.extend_from_slice(&key.to_le_bytes());
            out.push(len);
            for &(tag, w) in &self.entries[at as usize..at as usize + len as usize] {
                out.push(tag);
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Loads a model file's bytes.
    pub fn load(bytes: &[u8]) -> Result<Self, crate::ModelError> {
        crate::model_error::load("NER", MAGIC, bytes, Self::from_bytes)
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let file = read_header(bytes)?;
        let metadata = metadata(&file)?;
        // a count no bigger than the bytes can hold (9 or more a feature):
        // a damaged file must not ask for memory it does not describe
        let count = file.feature_count.min(file.features.len() / 9);
        let mut index = FeatureMap::with_capacity_and_hasher(count, Default::default());
        let mut entries = Vec::with_capacity(count * 3);
        file.for_each_feature(|key, weights| {
            // a tag count fits a byte: at most one weight per tag
            index.insert(key, (entries.len() as u32, weights.len() as u8));
            entries.extend_from_slice(weights);
        })?;
        let weights = Weights::new(index, entries, file.transitions, file.start, metadata);
        weights.slots(); // build the scoring layout now, as part of loading
        Ok(weights)
    }

    /// The built-in model: the model file's header, and the table the
    /// build laid out from it (`score_layout`), read in place.
    pub(crate) fn builtin(
        model: &'static [u8],
        table: &'static [u8],
    ) -> Result<Self, crate::ModelError> {
        crate::model_error::load("NER", MAGIC, model, |bytes| {
            let file = read_header(bytes)?;
            let laid_out = LaidOut::read(table, model, file.feature_count)?;
            Ok(Weights {
                metadata: metadata(&file)?,
                transitions: file.transitions,
                start: file.start,
                laid_out: Some(laid_out),
                ..Weights::default()
            })
        })
    }

    /// The best well-formed tag sequence for per-token `scores`.
    pub fn viterbi(&self, scores: &[[f32; NUM_TAGS]]) -> Vec<usize> {
        viterbi(scores, &self.transitions, &self.start)
    }
}

/// A model file's metadata, which is JSON text.
fn metadata(file: &ModelFile) -> Result<String, String> {
    String::from_utf8(file.metadata.to_vec()).map_err(|e| format!("metadata: {e}"))
}

/// Viterbi over per-token scores plus transition and start weights, only
/// through BILOU-legal transitions.
pub fn viterbi(scores: &[[f32; NUM_TAGS]], transitions: &[f32], start: &[f32]) -> Vec<usize> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let lattice = legal_predecessors();
    // The legal transitions' weights, gathered once per sentence in the
    // order the predecessors are tried. A predecessor at NEG never wins,
    // since `>` is strict.
    let mut into = [[0.0f32; MAX_PREDECESSORS]; NUM_TAGS];
    for (t, preds) in lattice.iter().enumerate() {
        for (k, &p) in preds.iter().enumerate() {
            if p != NONE {
                into[t][k] = transitions[p as usize * NUM_TAGS + t];
            }
        }
    }
    let mut prev = [NEG; NUM_TAGS + 1];
    for (t, best) in prev[..NUM_TAGS].iter_mut().enumerate() {
        if allowed(None, t) {
            *best = scores[0][t] + start[t];
        }
    }
    let mut back = Vec::with_capacity(n);
    back.push([0u8; NUM_TAGS]);
    // Every tag of nine predecessors has the same nine, in the same
    // order (O, and L and U of each type): O's.
    let shared = &lattice[0];
    debug_assert!(lattice.iter().all(|p| p[2] == NONE || p == shared));
    for token in &scores[1..] {
        let mut best = [NEG; NUM_TAGS + 1];
        let mut from = [0u8; NUM_TAGS];
        // their scores, gathered once per token rather than once per tag
        let gathered: [f32; MAX_PREDECESSORS] = std::array::from_fn(|k| prev[shared[k] as usize]);
        for t in 0..NUM_TAGS {
            // inside and last tags have two predecessors, the others nine
            let (top, arg) = if lattice[t][2] == NONE {
                let preds = &lattice[t];
                best_predecessor::<2>(|k| prev[preds[k] as usize], preds, &into[t])
            } else {
                best_predecessor::<MAX_PREDECESSORS>(|k| gathered[k], shared, &into[t])
            };
            if top > NEG {
                best[t] = top + token[t];
                from[t] = arg;
            }
        }
        prev = best;
        back.push(from);
    }
    let mut last = 0;
    let mut top = NEG;
    for (t, &best) in prev[..NUM_TAGS].iter().enumerate() {
        if may_end(t) && best > top {
            top = best;
            last = t;
        }
    }
    let mut tags = vec![0; n];
    tags[n - 1] = last;
    for i in (1..n).rev() {
        tags[i - 1] = back[i][tags[i]] as usize;
    }
    tags
}

/// The best of the first `K` predecessors (score, tag) of one tag, the
/// first on a tie, `score(k)` giving the score of the `k`th; a fixed `K`
/// lets the loop unroll.
#[inline(always)]
fn best_predecessor<const K: usize>(
    score: impl Fn(usize) -> f32,
    preds: &[u8; MAX_PREDECESSORS],
    into: &[f32; MAX_PREDECESSORS],
) -> (f32, u8) {
    let mut top = f32::NEG_INFINITY;
    let mut arg = 0;
    for k in 0..K {
        let s = score(k) + into[k];
        if s > top {
            top = s;
            arg = preds[k];
        }
    }
    (top, arg)
}

/// The most tags that may precede one tag: O, and L or U of each type.
const MAX_PREDECESSORS: usize = 1 + 2 * TYPES.len();

/// Pads a tag's predecessors: the place after the last tag.
const NONE: u8 = NUM_TAGS as u8;

/// For each tag, the tags that may precede it, padded with `NONE`,
/// computed once.
fn legal_predecessors() -> &'static [[u8; MAX_PREDECESSORS]; NUM_TAGS] {
    static TABLE: std::sync::OnceLock<[[u8; MAX_PREDECESSORS]; NUM_TAGS]> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [[NONE; MAX_PREDECESSORS]; NUM_TAGS];
        for (t, preds) in table.iter_mut().enumerate() {
            let legal = (0..NUM_TAGS).filter(|&p| allowed(Some(p), t));
            for (place, p) in preds.iter_mut().zip(legal) {
                *place = p as u8;
            }
        }
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model with key 0, a feature of more than three weights and keys
    /// that share a place, read back both ways.
    fn owned_and_laid_out() -> (Weights, Weights) {
        let mut w = Weights {
            transitions: vec![0.0; NUM_TAGS * NUM_TAGS],
            start: vec![0.0; NUM_TAGS],
            metadata: "{}".into(),
            ..Default::default()
        };
        w.entries = vec![
            (0, 1.0),
            (1, 2.0),
            (2, 3.0),
            (3, 4.0),
            (16, 5.0),
            (1, 0.5),
            (2, -0.25),
        ];
        w.index.insert(0, (5, 1));
        w.index.insert(7, (0, 5));
        w.index.insert(7 + 64, (6, 1));
        w.index.insert(7 + 128, (5, 2));
        let model: &'static [u8] = Box::leak(w.to_bytes().into_boxed_slice());
        let table = super::super::score_layout::lay_out(model).unwrap();
        let laid_out = Weights::builtin(model, Box::leak(table.into_boxed_slice())).unwrap();
        (Weights::load(model).unwrap(), laid_out)
    }

    #[test]
    fn a_laid_out_table_scores_as_the_model_it_was_laid_out_from() {
        let (owned, laid_out) = owned_and_laid_out();
        assert!(laid_out.index.is_empty() && laid_out.laid_out.is_some());
        for features in [
            &[0][..],
            &[7],
            &[7 + 64],
            &[7 + 128, 0, 7],
            &[3, 7 + 192],
            &[],
        ] {
            let (mut a, mut b) = ([0.5; NUM_TAGS], [0.5; NUM_TAGS]);
            owned.add(features, &mut a);
            laid_out.add(features, &mut b);
            assert_eq!(a.map(f32::to_bits), b.map(f32::to_bits), "{features:?}");
        }
        let mut scores = [0.0; NUM_TAGS];
        laid_out.add(&[7, 0], &mut scores);
        assert_eq!((scores[0], scores[1], scores[16]), (1.0, 2.5, 5.0));
        assert_eq!(laid_out.to_bytes(), owned.to_bytes());
        assert_eq!(laid_out.metadata, "{}");
    }

    #[test]
    fn a_laid_out_table_of_another_model_or_cut_short_is_refused() {
        let (owned, _) = owned_and_laid_out();
        let model: &'static [u8] = Box::leak(owned.to_bytes().into_boxed_slice());
        let table = super::super::score_layout::lay_out(model).unwrap();
        let mut other = owned.clone();
        other.index.remove(&0);
        let other: &'static [u8] = Box::leak(other.to_bytes().into_boxed_slice());
        let cut: &'static [u8] = Box::leak(table[..table.len() - 1].to_vec().into_boxed_slice());
        let table: &'static [u8] = Box::leak(table.into_boxed_slice());
        for (model, table) in [(other, table), (model, cut), (model, &table[..40])] {
            assert!(matches!(
                Weights::builtin(model, table),
                Err(crate::ModelError::Damaged { .. })
            ));
        }
    }

    #[test]
    fn model_bytes_round_trip() {
        let mut w = Weights {
            transitions: (0..NUM_TAGS * NUM_TAGS).map(|i| i as f32).collect(),
            start: vec![0.5; NUM_TAGS],
            metadata: "{\"x\":1}".into(),
            ..Default::default()
        };
        w.entries = vec![(1, 0.25), (4, -1.5)];
        w.index.insert(42, (0, 2));
        let back = Weights::load(&w.to_bytes()).unwrap();
        assert_eq!(back.entries, w.entries);
        assert_eq!(back.index[&42], (0, 2));
        assert_eq!(back.metadata, w.metadata);
        assert!(matches!(
            Weights::load(&w.to_bytes()[..20]),
            Err(crate::ModelError::Damaged { .. })
        ));
        // a feature count far beyond the file is an error, not a request
        // for that much memory
        let mut huge = w.to_bytes();
        let at = 12 + w.metadata.len() + 4 * (NUM_TAGS * NUM_TAGS + NUM_TAGS);
        huge[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            Weights::load(&huge),
            Err(crate::ModelError::Damaged { .. })
        ));
        assert_eq!(
            Weights::load(b"NFTOPIC1 and more").err(),
            Some(crate::ModelError::NotAModel { kind: "NER" })
        );
    }

    #[test]
    fn scoring_adds_inline_and_overflow_weights() {
        let mut w = Weights {
            transitions: vec![0.0; NUM_TAGS * NUM_TAGS],
            start: vec![0.0; NUM_TAGS],
            ..Default::default()
        };
        w.entries = vec![(0, 1.0), (1, 2.0), (2, 3.0), (3, 4.0), (4, 5.0), (1, 0.5)];
        w.index.insert(7, (0, 5));
        w.index.insert(9, (5, 1));
        let mut scores = [0.0; NUM_TAGS];
        w.score(&[7, 9, 11], &mut scores);
        assert_eq!(&scores[..6], &[1.0, 2.5, 3.0, 4.0, 5.0, 0.0]);
    }

    #[test]
    fn the_score_table_finds_every_key_and_no_other() {
        let keys: Vec<u64> = (1..=200u64)
            .map(|i| i << 40) // same low bits: every key collides
            .chain([0, 1, 17, u64::MAX])
            .collect();
        let mut table = ScoreTable::with_capacity(keys.len());
        for (i, &key) in keys.iter().enumerate() {
            let slot = Slot {
                len: 1,
                rest: i as u32,
                ..Slot::default()
            };
            table.insert(key, slot);
        }
        for (i, &key) in keys.iter().enumerate() {
            table.prefetch(key);
            assert_eq!(table.get(key).map(|s| s.rest), Some(i as u32), "{key}");
        }
        for absent in [2, 3 << 40 | 5, 201 << 40, u64::MAX - 1] {
            assert!(table.get(absent).is_none(), "{absent}");
        }
    }

    #[test]
    fn the_predecessor_table_holds_every_legal_transition() {
        let table = legal_predecessors();
        for t in 0..NUM_TAGS {
            let legal: Vec<u8> = (0..NUM_TAGS)
                .filter(|&p| allowed(Some(p), t))
                .map(|p| p as u8)
                .collect();
            let kept: Vec<u8> = table[t].iter().copied().filter(|&p| p != NONE).collect();
            assert_eq!(kept, legal, "tag {t}");
            // Viterbi reads two places for a tag whose third is empty
            assert!(legal.len() <= 2 || table[t][2] != NONE);
        }
    }

    /// The best legal sequence by trying every one: the reference for
    /// short sentences.
    fn best_by_brute_force(scores: &[[f32; NUM_TAGS]], trans: &[f32], start: &[f32]) -> f32 {
        fn walk(
            i: usize,
            prev: usize,
            total: f32,
            scores: &[[f32; NUM_TAGS]],
            trans: &[f32],
        ) -> f32 {
            if i == scores.len() {
                return if may_end(prev) {
                    total
                } else {
                    f32::NEG_INFINITY
                };
            }
            (0..NUM_TAGS)
                .filter(|&t| allowed(Some(prev), t))
                .map(|t| {
                    walk(
                        i + 1,
                        t,
                        total + trans[prev * NUM_TAGS + t] + scores[i][t],
                        scores,
                        trans,
                    )
                })
                .fold(f32::NEG_INFINITY, f32::max)
        }
        (0..NUM_TAGS)
            .filter(|&t| allowed(None, t))
            .map(|t| walk(1, t, start[t] + scores[0][t], scores, trans))
            .fold(f32::NEG_INFINITY, f32::max)
    }

    #[test]
    fn viterbi_finds_the_best_legal_sequence() {
        let mut rng = crate::rng::Rng::new(11);
        let mut draw = || (rng.below(2001) as f32 - 1000.0) / 100.0;
        for len in 1..=4 {
            let trans: Vec<f32> = (0..NUM_TAGS * NUM_TAGS).map(|_| draw()).collect();
            let start: Vec<f32> = (0..NUM_TAGS).map(|_| draw()).collect();
            let scores: Vec<[f32; NUM_TAGS]> =
                (0..len).map(|_| std::array::from_fn(|_| draw())).collect();
            let tags = viterbi(&scores, &trans, &start);
            let mut total = start[tags[0]] + scores[0][tags[0]];
            for i in 1..len {
                total += trans[tags[i - 1] * NUM_TAGS + tags[i]] + scores[i][tags[i]];
            }
            let best = best_by_brute_force(&scores, &trans, &start);
            assert!(
                (total - best).abs() < 1e-3,
                "length {len}: {total} against {best}"
            );
        }
    }

    #[test]
    fn viterbi_never_returns_an_ill_formed_sequence() {
        // scores favour I-PER everywhere, which is never legal alone
        let mut s = [0.0f32; NUM_TAGS];
        s[2] = 5.0;
        let tags = viterbi(
            &[s, s, s],
            &vec![0.0; NUM_TAGS * NUM_TAGS],
            &[0.0; NUM_TAGS],
        );
        let mut prev = None;
        for &t in &tags {
            assert!(allowed(prev, t));
            prev = Some(t);
        }
        assert!(may_end(tags[2]));
    }
}

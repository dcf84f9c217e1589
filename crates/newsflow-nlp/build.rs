//! Lays the word-cluster table (`models/word-clusters/words.tsv`) out as a
//! hash table at build time, so that loading the models costs nothing for
//! its 400k words: the table is read in place from the binary.
//!
//! Layout of `$OUT_DIR/word-clusters.bin`: the slot count (a power of two),
//! then one u64 per slot, all little-endian. A word's key is
//! `hash::key(0, [word])`; it sits in slot `key & (slots - 1)` or, linearly
//! probing, after it. A slot holds the key's top 48 bits and the word's
//! cluster id in the low 16 bits, `u16::MAX` marking an empty slot: one
//! memory read per lookup.

use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/hash.rs"]
mod hash;

pub const EMPTY: u16 = u16::MAX;

fn main() {
    let words = PathBuf::from("../../models/word-clusters/words.tsv");
    println!("cargo:rerun-if-changed={}", words.display());
    println!("cargo:rerun-if-changed=src/hash.rs");
    let text = std::fs::read_to_string(&words)
        .unwrap_or_else(|e| panic!("reading {}: {e}", words.display()));
    let entries: Vec<(u64, u16)> = text
        .lines()
        .enumerate()
        .map(|(n, line)| {
            let (word, id) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("{} line {}: no tab", words.display(), n + 1));
            let id: u16 = id
                .parse()
                .ok()
                .filter(|&id| id != EMPTY)
                .unwrap_or_else(|| panic!("{} line {}: bad cluster id", words.display(), n + 1));
            (hash::key(0, &[word]), id)
        })
        .collect();
    // at most half full: a miss (most tokens of a name) ends within a few probes
    let slots = (entries.len() * 2).next_power_of_two().max(2);
    let mask = slots as u64 - 1;
    let empty = u64::from(EMPTY);
    let mut table = vec![empty; slots];
    for (key, id) in entries {
        let top = key & !0xffff;
        let mut i = (key & mask) as usize;
        while table[i] != empty && table[i] & !0xffff != top {
            i = (i + 1) & mask as usize;
        }
        if table[i] == empty {
            // the first (most frequent) spelling wins should two collide
            table[i] = top | u64::from(id);
        }
    }
    let mut out = Vec::with_capacity(8 + slots * 8);
    out.extend_from_slice(&(slots as u64).to_le_bytes());
    for slot in &table {
        out.extend_from_slice(&slot.to_le_bytes());
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("word-clusters.bin");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("writing {}: {e}", dest.display()));
}

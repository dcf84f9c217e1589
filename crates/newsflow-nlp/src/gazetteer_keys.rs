//! How gazetteer names are keyed: shared by the build, which lays the
//! built-in gazetteer out as a table (`build.rs` includes this file), and
//! by the tagger, which looks names up.

use std::collections::BTreeMap;

use super::hash::fnv1a;
use super::tokenizer::tokenize;

/// Longest name, in tokens, that is looked up.
pub const MAX_TOKENS: usize = 6;

/// Hash of one lower-cased word.
pub fn word_hash(word: &str) -> u64 {
    fnv1a(word.as_bytes())
}

/// Hash of a word sequence, extended one word at a time.
pub fn extend(h: u64, word: u64) -> u64 {
    (h.rotate_left(29) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// A name's lower-cased tokens.
fn words(name: &str) -> Vec<String> {
    tokenize(name)
        .iter()
        .map(|t| t.text(name).to_lowercase())
        .collect()
}

/// The names of `name<TAB>TYPE` lines, lower-cased and tokenised, each with
/// the hashes of its words and its types, sorted and joined by `+`
/// ("LOC+PER"). Names longer than [`MAX_TOKENS`] are left out.
pub fn collect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<(Vec<u64>, String)> {
    let mut types: BTreeMap<Vec<String>, Vec<&str>> = BTreeMap::new();
    for text in texts {
        for line in text.lines() {
            let Some((name, kind)) = line.split_once('\t') else {
                continue;
            };
            let words = words(name);
            if words.is_empty() || words.len() > MAX_TOKENS {
                continue;
            }
            let entry = types.entry(words).or_default();
            if !entry.contains(&kind) {
                entry.push(kind);
            }
        }
    }
    types
        .into_iter()
        .map(|(words, mut kinds)| {
            kinds.sort_unstable();
            let hashes = words.iter().map(|w| word_hash(w)).collect();
            (hashes, kinds.join("+"))
        })
        .collect()
}

/// The key of a name from its word hashes.
pub fn name_hash(words: &[u64]) -> u64 {
    words.iter().fold(0, |h, &w| extend(h, w))
}

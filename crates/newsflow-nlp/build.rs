//! Lays the big lookup tables out as hash tables at build time
//! (`src/slot_table.rs` has the layout), so that loading the models costs
//! nothing for them: they are read in place from the binary.
//!
//! - `$OUT_DIR/word-clusters.bin`: `models/word-clusters/words.tsv`, a
//!   word's key `hash::key(0, [word])` → its fine cluster id.
//! - `$OUT_DIR/cased-clusters.bin`: `models/word-clusters/cased.tsv`, a
//!   word's key as written `hash::key(0, [word])` → its row.
//! - `$OUT_DIR/gazetteer.bin`: the gazetteer the entity model was trained
//!   with (`models/gazetteer/{geonames,world-countries,demonyms,orgs}.tsv`,
//!   keyed as `src/gazetteer_keys.rs` says): the names table (name key →
//!   kind index), the first-words table, then the kinds, one per line.
//! - `$OUT_DIR/places.bin`: `models/gazetteer/places.tsv` for geo-linking
//!   (`src/geo/place_table.rs` has the layout).
//! - `$OUT_DIR/ner-scores.bin`: the entity model's feature weights
//!   (`models/ner-conll2003.bin`) as the tagger scores them
//!   (`src/ner/score_layout.rs` has the layout).
//! - `$OUT_DIR/topic-rows.bin`: key tables over the rows of the topic model
//!   (`models/topics-iptc.bin`), which is scored from its file in place
//!   (`src/topics/file_layout.rs` has the layout).
//!
//! It also names the built-in models' versions for provenance (a hash of
//! each file), which would otherwise be hashed at every start.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/byte_reader.rs"]
mod byte_reader;
#[allow(dead_code)]
#[path = "src/gazetteer_keys.rs"]
mod gazetteer_keys;
#[allow(dead_code)]
#[path = "src/hash.rs"]
mod hash;
#[path = "src/geo/place.rs"]
mod place;
#[allow(dead_code)]
#[path = "src/geo/place_table.rs"]
mod place_table;
#[allow(dead_code)]
#[path = "src/ner/score_layout.rs"]
mod score_layout;
#[allow(dead_code)]
#[path = "src/slot_table.rs"]
mod slot_table;
#[allow(dead_code)]
#[path = "src/ner/tags.rs"]
mod tags;
#[allow(dead_code)]
#[path = "src/tokenizer.rs"]
mod tokenizer;
#[allow(dead_code)]
#[path = "src/topics/file_layout.rs"]
mod topic_layout;

/// The gazetteer's sources, in the order the tagger was trained with.
const GAZETTEER_TSV: [&str; 4] = [
    "../../models/gazetteer/geonames.tsv",
    "../../models/gazetteer/world-countries.tsv",
    "../../models/gazetteer/demonyms.tsv",
    "../../models/gazetteer/orgs.tsv",
];

/// The silver name lists (`scripts/build-silver-names.py`): whole names,
/// and the capitalised words inside them.
const SILVER_NAMES_TSV: [&str; 2] = [
    "../../models/gazetteer/silver-names-wikiann.tsv",
    "../../models/gazetteer/silver-names-gmb.tsv",
];
const SILVER_WORDS_TSV: [&str; 2] = [
    "../../models/gazetteer/silver-words-wikiann.tsv",
    "../../models/gazetteer/silver-words-gmb.tsv",
];

fn main() {
    for source in [
        "src/hash.rs",
        "src/tokenizer.rs",
        "src/gazetteer_keys.rs",
        "src/slot_table.rs",
        "src/byte_reader.rs",
        "src/ner/score_layout.rs",
        "src/ner/tags.rs",
        "src/topics/file_layout.rs",
        "src/geo/place.rs",
        "src/geo/place_table.rs",
    ] {
        println!("cargo:rerun-if-changed={source}");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    write(&out.join("word-clusters.bin"), &word_clusters());
    write(&out.join("cased-clusters.bin"), &cased_clusters());
    write(&out.join("gazetteer.bin"), &gazetteer(&GAZETTEER_TSV));
    write(&out.join("silver-names.bin"), &gazetteer(&SILVER_NAMES_TSV));
    write(&out.join("silver-words.bin"), &gazetteer(&SILVER_WORDS_TSV));
    let (places, keys) = place::index(&read("../../models/gazetteer/places.tsv"));
    write(
        &out.join("places.bin"),
        &place_table::lay_out(&places, &keys),
    );
    let ner = "../../models/ner-conll2003.bin";
    let model = std::fs::read(ner).unwrap_or_else(|e| panic!("reading {ner}: {e}"));
    write(
        &out.join("ner-scores.bin"),
        &score_layout::lay_out(&model).unwrap_or_else(|e| panic!("laying out {ner}: {e}")),
    );
    let topics = "../../models/topics-iptc.bin";
    let model = std::fs::read(topics).unwrap_or_else(|e| panic!("reading {topics}: {e}"));
    write(
        &out.join("topic-rows.bin"),
        &topic_layout::lay_out(&model).unwrap_or_else(|e| panic!("laying out {topics}: {e}")),
    );
    for (variable, name, path) in [
        (
            "NEWSFLOW_NER_MODEL_VERSION",
            "ner-conll2003",
            "../../models/ner-conll2003.bin",
        ),
        (
            "NEWSFLOW_TOPIC_MODEL_VERSION",
            "topics-iptc",
            "../../models/topics-iptc.bin",
        ),
    ] {
        println!("cargo:rerun-if-changed={path}");
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
        println!("cargo:rustc-env={variable}={}", model_version(name, &bytes));
    }
}

/// `name@` and the top half of the file's FNV-1a hash, in hex: records say
/// exactly which model produced them.
fn model_version(name: &str, bytes: &[u8]) -> String {
    format!("{name}@{:08x}", hash::fnv1a(bytes) >> 32)
}

fn read(path: &str) -> String {
    println!("cargo:rerun-if-changed={path}");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// `word <TAB> value` lines as a slot table keyed by `hash::key(0, [word])`;
/// a value of `limit` or more stops the build. The first of two words
/// whose keys collide wins (in `words.tsv`, the more frequent one).
fn word_table(path: &str, limit: u16) -> Vec<u8> {
    let text = read(path);
    let entries: Vec<(u64, u16)> = text
        .lines()
        .enumerate()
        .map(|(n, line)| {
            let (word, value) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("{path} line {}: no tab", n + 1));
            let value: u16 = value
                .parse()
                .ok()
                .filter(|&v| v < limit && v != slot_table::EMPTY)
                .unwrap_or_else(|| panic!("{path} line {}: bad value", n + 1));
            (hash::key(0, &[word]), value)
        })
        .collect();
    slot_table::lay_out(&entries)
}

fn word_clusters() -> Vec<u8> {
    word_table("../../models/word-clusters/words.tsv", slot_table::EMPTY)
}

/// Rows of `en_core_web_md`'s 20,000 vectors (`src/cased_clusters.rs`).
fn cased_clusters() -> Vec<u8> {
    word_table("../../models/word-clusters/cased.tsv", 20_000)
}

fn gazetteer(paths: &[&str]) -> Vec<u8> {
    let texts: Vec<String> = paths.iter().map(|path| read(path)).collect();
    let names = gazetteer_keys::collect(texts.iter().map(String::as_str));
    let kinds: Vec<&str> = names
        .iter()
        .map(|(_, kind)| kind.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index = |kind: &str| kinds.binary_search(&kind).expect("collected above") as u16;
    let entries: Vec<(u64, u16)> = names
        .iter()
        .map(|(words, kind)| (gazetteer_keys::name_hash(words), index(kind)))
        .collect();
    let first_words: Vec<(u64, u16)> = names.iter().map(|(words, _)| (words[0], 0)).collect();
    let mut out = slot_table::lay_out(&entries);
    out.extend(slot_table::lay_out(&first_words));
    out.extend(kinds.join("\n").into_bytes());
    out
}

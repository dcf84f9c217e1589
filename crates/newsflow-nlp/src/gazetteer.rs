//! Name lists the tagger uses as features: places, organisations and
//! nationality words, matched longest-first over tokens.
//!
//! The lists are built by [`build`] from the public data sets in
//! `shared/data/gazetteers` (see `models/gazetteer/ATTRIBUTION.md`) and
//! committed as TSV (`name<TAB>TYPE`), one file per source licence.

use std::collections::HashMap;

use crate::gazetteer_keys::{collect, extend, name_hash, word_hash, MAX_TOKENS};
use crate::key_table::KeyTable;
use crate::ner::model::FeatureMap;
use crate::slot_table::SlotTable;

use serde_json::Value;

/// The gazetteer the entity model was trained with, laid out by the build
/// (`build.rs`): the names table (name key → kind index), the first-words
/// table, then the kinds, one per line.
static BUILTIN_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.bin"));
/// The silver whole-name and name-word lists, laid out alike.
static SILVER_NAMES_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/silver-names.bin"));
static SILVER_WORDS_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/silver-words.bin"));

/// A sentence's gazetteer labels, looked up when a rule first asks for
/// them: several of the entity rules read them, and most sentences need
/// them for none.
pub(crate) struct LazyLabels<'g, 'w> {
    gazetteer: &'g Gazetteer,
    words: &'w [&'w str],
    labels: std::cell::OnceCell<Vec<Option<&'g str>>>,
}

impl<'g, 'w> LazyLabels<'g, 'w> {
    pub(crate) fn new(gazetteer: &'g Gazetteer, words: &'w [&'w str]) -> Self {
        LazyLabels {
            gazetteer,
            words,
            labels: std::cell::OnceCell::new(),
        }
    }

    /// The gazetteer the labels come from.
    pub(crate) fn gazetteer(&self) -> &'g Gazetteer {
        self.gazetteer
    }

    /// Each word's label, as [`Gazetteer::labels`] gives them outside a
    /// headline.
    pub(crate) fn get(&self) -> &[Option<&'g str>] {
        self.labels
            .get_or_init(|| self.gazetteer.labels(self.words, false))
    }
}

/// Names by the hash of their lower-cased tokens.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Name key → kind index.
    names: KeyTable,
    /// The hashes of names' first words (value 0).
    first_words: KeyTable,
    /// "LOC", "ORG+LOC", ... by index
    kinds: Vec<String>,
    /// "LOC-B", "LOC-I", "LOC-L", "LOC-U" for kind i at 4i..4i+4
    labels: Vec<String>,
}

impl Gazetteer {
    /// Loads `name<TAB>TYPE` lines from each text.
    pub fn from_tsv<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut g = Gazetteer::default();
        let mut kind_index: HashMap<String, u16> = HashMap::new();
        let mut names = FeatureMap::default();
        let mut first_words = FeatureMap::default();
        for (words, kind) in collect(texts) {
            let next = kind_index.len() as u16;
            let index = *kind_index.entry(kind.clone()).or_insert_with(|| {
                g.push_kind(kind);
                next
            });
            first_words.insert(words[0], 0);
            names.insert(name_hash(&words), index);
        }
        g.names = names.into();
        g.first_words = first_words.into();
        g
    }

    /// The gazetteer the built-in entity model was trained with
    /// (`models/gazetteer`), read in place: it costs nothing to load.
    pub fn builtin() -> Self {
        Self::from_table(BUILTIN_TABLE).unwrap_or_else(|| Self::from_tsv(crate::GAZETTEER_TSV))
    }

    /// Names seen labelled in WikiANN and GMB, which reach beyond the
    /// curated lists (`models/gazetteer/silver-names-*.tsv`), read in place.
    /// A table the build failed to lay out reads as empty, and the test
    /// `the_silver_tables_hold_what_their_tsv_holds` fails.
    pub fn builtin_silver_names() -> Self {
        Self::from_table(SILVER_NAMES_TABLE).unwrap_or_default()
    }

    /// The capitalised words inside those names, by type
    /// (`models/gazetteer/silver-words-*.tsv`).
    pub fn builtin_silver_words() -> Self {
        Self::from_table(SILVER_WORDS_TABLE).unwrap_or_default()
    }

    fn from_table(bytes: &'static [u8]) -> Option<Self> {
        let (names, rest) = SlotTable::read(bytes)?;
        let (first_words, rest) = SlotTable::read(rest)?;
        let mut g = Gazetteer {
            names: KeyTable::Table(names),
            first_words: KeyTable::Table(first_words),
            ..Gazetteer::default()
        };
        for kind in std::str::from_utf8(rest).ok()?.lines() {
            g.push_kind(kind.to_string());
        }
        Some(g)
    }

    fn push_kind(&mut self, kind: String) {
        for part in ["B", "I", "L", "U"] {
            self.labels.push(format!("{kind}-{part}"));
        }
        self.kinds.push(kind);
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether it holds no kinds of name (so matches nothing).
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The label of each token: what the longest name starting at or
    /// covering it is, and where the token sits in it. Names must start
    /// with a capital (or a digit) unless the sentence is all capitals.
    pub fn labels<'a>(&'a self, words: &[&str], headline: bool) -> Vec<Option<&'a str>> {
        if self.is_empty() {
            return vec![None; words.len()];
        }
        let lower: Vec<u64> = words
            .iter()
            .map(|w| crate::lowercase::with_lower(w, word_hash))
            .collect();
        self.labels_of_hashed(words, &lower, headline)
    }

    /// Starts loading what [`Self::labels_of_hashed`] first asks of a
    /// word that can start a name: whether a name starts with it.
    pub(crate) fn prefetch_first_word(&self, lower_hash: u64) {
        self.first_words.prefetch(lower_hash);
    }

    /// Like [`Gazetteer::labels`], given each word's [`word_hash`] of its
    /// lower-cased form: the tagger looks a sentence up in several
    /// gazetteers and hashes its words once.
    pub fn labels_of_hashed<'a>(
        &'a self,
        words: &[&str],
        lower: &[u64],
        headline: bool,
    ) -> Vec<Option<&'a str>> {
        let mut out = vec![None; words.len()];
        if self.is_empty() {
            return out;
        }
        let mut i = 0;
        while i < words.len() {
            if !can_start_name(words[i], headline) || self.first_words.get(lower[i]).is_none() {
                i += 1;
                continue;
            }
            // Every candidate name's place asked of memory before any is
            // read, so that their cache misses overlap.
            let (mut candidates, mut count, mut candidate) = ([0u64; MAX_TOKENS], 0, 0);
            for &word in lower.iter().skip(i).take(MAX_TOKENS) {
                candidate = extend(candidate, word);
                self.names.prefetch(candidate);
                candidates[count] = candidate;
                count += 1;
            }
            let mut matched = None;
            for (j, &candidate) in candidates[..count].iter().enumerate() {
                if let Some(kind) = self.names.get(candidate) {
                    matched = Some((i + j + 1, kind as usize));
                }
            }
            match matched {
                Some((end, kind)) => {
                    let label = |part: usize| Some(self.labels[kind * 4 + part].as_str());
                    if end - i == 1 {
                        out[i] = label(3);
                    } else {
                        out[i] = label(0);
                        for slot in &mut out[i + 1..end - 1] {
                            *slot = label(1);
                        }
                        out[end - 1] = label(2);
                    }
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// Whether a gazetteer name may start at `word`: a capital or a digit, or
/// any word of a headline (which is all capitals).
pub(crate) fn can_start_name(word: &str, headline: bool) -> bool {
    headline
        || word
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// The source files [`build`] reads, as text.
pub struct Sources<'a> {
    /// GeoNames `cities15000.json`.
    pub geonames_cities: &'a str,
    /// GeoNames `countries.json`.
    pub geonames_countries: &'a str,
    /// GeoNames `us_states.json`.
    pub geonames_us_states: &'a str,
    /// GeoNames `continents.json`.
    pub geonames_continents: &'a str,
    /// world-countries `countries.json`.
    pub world_countries: &'a str,
    /// `country_demonyms.json`.
    pub demonyms: &'a str,
    /// Organisations, `general_list.yaml`.
    pub orgs_yaml: &'a str,
    /// Organisations by country code, `CountrycodesOrgs.csv`.
    pub orgs_csv: &'a str,
}

/// The JSON sources, parsed once for every list built from them (the
/// cities file alone is 17 MB).
pub(crate) struct Parsed {
    pub cities: Value,
    pub countries: Value,
    pub us_states: Value,
    pub continents: Value,
    pub world_countries: Value,
    /// (country code, word) for every adjectival and plural demonym
    pub demonyms: Vec<(String, String)>,
}

impl Parsed {
    fn new(sources: &Sources) -> Result<Self, String> {
        let parse = |name: &str, text: &str| {
            serde_json::from_str::<Value>(text).map_err(|e| format!("{name}: {e}"))
        };
        let demonyms_json = parse("country_demonyms.json", sources.demonyms)?;
        let mut demonyms = Vec::new();
        for (code, entry) in members(&demonyms_json) {
            for field in ["adjectivals", "demonyms"] {
                for word in strings(&entry[field]) {
                    demonyms.push((code.clone(), word.to_string()));
                }
            }
        }
        Ok(Parsed {
            cities: parse("cities15000.json", sources.geonames_cities)?,
            countries: parse("countries.json", sources.geonames_countries)?,
            us_states: parse("us_states.json", sources.geonames_us_states)?,
            continents: parse("continents.json", sources.geonames_continents)?,
            world_countries: parse("world-countries/countries.json", sources.world_countries)?,
            demonyms,
        })
    }
}

/// The members of a JSON object; none for anything else.
pub(crate) fn members(v: &Value) -> impl Iterator<Item = (&String, &Value)> {
    v.as_object().into_iter().flatten()
}

/// The elements of a JSON array; none for anything else.
pub(crate) fn elements(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

/// The string elements of a JSON array.
pub(crate) fn strings(v: &Value) -> impl Iterator<Item = &str> {
    elements(v).filter_map(Value::as_str)
}

/// TSV files built from the sources: (file name, content), one per licence,
/// plus `org-abbreviations.tsv` (`ABBREVIATION<TAB>full name`) from the
/// organisation list and the geo-linker's `places.tsv` and
/// `nationalities.tsv` (see [`crate::geo::build`]).
pub fn build(sources: &Sources) -> Result<Vec<(&'static str, String)>, String> {
    let parsed = Parsed::new(sources)?;
    let mut geonames = Vec::new();
    for (_, city) in members(&parsed.cities) {
        if let Some(name) = city["name"].as_str() {
            geonames.push((name.to_string(), "LOC"));
        }
    }
    for (_, country) in members(&parsed.countries) {
        for field in ["name", "capital"] {
            if let Some(name) = country[field].as_str().filter(|s| !s.is_empty()) {
                geonames.push((name.to_string(), "LOC"));
            }
        }
    }
    for (_, state) in members(&parsed.us_states) {
        if let Some(name) = state["name"].as_str() {
            geonames.push((name.to_string(), "LOC"));
        }
    }
    for (_, continent) in members(&parsed.continents) {
        if let Some(name) = continent["name"]
            .as_str()
            .or(continent["asciiName"].as_str())
        {
            geonames.push((name.to_string(), "LOC"));
        }
    }

    let mut countries = Vec::new();
    for country in elements(&parsed.world_countries) {
        for field in ["common", "official"] {
            if let Some(name) = country["name"][field].as_str() {
                countries.push((name.to_string(), "LOC"));
            }
        }
        for alt in strings(&country["altSpellings"]) {
            // two- and three-letter codes would match ordinary words
            if alt.chars().count() > 3 && alt.is_ascii() {
                countries.push((alt.to_string(), "LOC"));
            }
        }
        for capital in strings(&country["capital"]) {
            countries.push((capital.to_string(), "LOC"));
        }
        for gender in ["m", "f"] {
            if let Some(d) = country["demonyms"]["eng"][gender].as_str() {
                countries.push((d.to_string(), "MISC"));
            }
        }
    }

    let demonyms: Vec<(String, &str)> = parsed
        .demonyms
        .iter()
        .map(|(_, word)| (title_case(word), "MISC"))
        .collect();

    let mut orgs = Vec::new();
    let mut abbreviations: Vec<(String, String)> = Vec::new();
    let (mut name, mut abbreviation): (Option<String>, Option<String>) = (None, None);
    let mut flush = |name: &mut Option<String>, abbreviation: &mut Option<String>| {
        if let (Some(n), Some(a)) = (name.take(), abbreviation.take()) {
            abbreviations.push((a, n));
        }
    };
    for line in sources.orgs_yaml.lines() {
        if !line.starts_with(' ') && line.trim_end().ends_with(':') {
            flush(&mut name, &mut abbreviation); // a new organisation's block
        }
        let field = |prefix: &str| {
            line.trim()
                .strip_prefix(prefix)
                .map(|v| v.trim().trim_matches(|c| c == '\'' || c == '"').to_string())
                .filter(|v| v.chars().count() > 1 && v != "null" && !v.starts_with('['))
        };
        if let Some(v) = field("Name_en:") {
            name = Some(v);
        }
        if let Some(v) = field("Abbreviation_en:") {
            abbreviation = Some(v);
        }
        let line = line.trim();
        for field in ["Name_en:", "Abbreviation_en:"] {
            if let Some(value) = line.strip_prefix(field) {
                let value = value.trim().trim_matches(|c| c == '\'' || c == '"');
                if value.chars().count() > 1 && !value.starts_with('[') {
                    orgs.push((value.to_string(), "ORG"));
                }
            }
        }
    }
    flush(&mut name, &mut abbreviation);
    // An abbreviation shared by two organisations says nothing: drop it.
    abbreviations.sort();
    let mut unique: Vec<(String, String)> = Vec::new();
    for (a, n) in abbreviations {
        match unique.last() {
            Some((last, other)) if *last == a && *other != n => {
                unique.pop();
                unique.push((a, String::new()));
            }
            Some((last, _)) if *last == a => {}
            _ => unique.push((a, n)),
        }
    }
    let abbreviations_tsv: String = unique
        .iter()
        .filter(|(_, n)| !n.is_empty())
        .map(|(a, n)| format!("{a}\t{n}\n"))
        .collect();
    for line in sources.orgs_csv.lines().skip(1) {
        let columns: Vec<&str> = line
            .split("\",\"")
            .map(|c| c.trim_matches('"').trim())
            .collect();
        if let (Some(name), Some(id)) = (columns.get(4), columns.get(5)) {
            orgs.push((name.to_string(), "ORG"));
            if id.chars().count() > 1 {
                orgs.push((id.to_string(), "ORG"));
            }
        }
    }

    let (places, nationalities) = crate::geo::build::build(&parsed);
    Ok(vec![
        ("places.tsv", places),
        ("nationalities.tsv", nationalities),
        ("geonames.tsv", to_tsv(geonames)),
        ("world-countries.tsv", to_tsv(countries)),
        ("demonyms.tsv", to_tsv(demonyms)),
        ("orgs.tsv", to_tsv(orgs)),
        ("org-abbreviations.tsv", abbreviations_tsv),
    ])
}

pub(crate) fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn to_tsv(mut entries: Vec<(String, &str)>) -> String {
    entries.retain(|(name, _)| !name.contains(['\t', '\n']) && !name.trim().is_empty());
    entries.sort();
    entries.dedup();
    entries
        .iter()
        .map(|(name, kind)| format!("{}\t{kind}\n", name.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> Gazetteer {
        Gazetteer::from_tsv(["United Arab Emirates\tLOC\nUnited Nations\tORG\nGeorgia\tLOC\nJordan\tLOC\nJordan\tPER\nTurkish\tMISC\n"])
    }

    #[test]
    fn matches_the_longest_capitalised_name() {
        let g = gazetteer();
        let words = [
            "the", "United", "Arab", "Emirates", "and", "Turkish", "troops",
        ];
        assert_eq!(
            g.labels(&words, false),
            [
                None,
                Some("LOC-B"),
                Some("LOC-I"),
                Some("LOC-L"),
                None,
                Some("MISC-U"),
                None
            ]
        );
    }

    #[test]
    fn lower_case_words_do_not_match_outside_headlines() {
        let g = gazetteer();
        assert_eq!(g.labels(&["georgia"], false), [None]);
        assert_eq!(g.labels(&["GEORGIA"], true), [Some("LOC-U")]);
    }

    /// A table laid out by the build holds every name of its TSV files,
    /// with the same kinds.
    fn assert_table_holds(table: &Gazetteer, tsv: &Gazetteer) {
        assert!(matches!(table.names, KeyTable::Table(_)));
        assert_eq!(table.len(), tsv.len());
        let (KeyTable::Map(names), KeyTable::Map(first_words)) = (&tsv.names, &tsv.first_words)
        else {
            panic!("from_tsv builds maps")
        };
        for (&key, &kind) in names.iter() {
            let built = table.names.get(key).map(|k| &table.kinds[k as usize]);
            assert_eq!(built, Some(&tsv.kinds[kind as usize]));
        }
        for &word in first_words.keys() {
            assert!(table.first_words.get(word).is_some());
        }
    }

    #[test]
    fn the_built_in_table_holds_what_the_tsv_holds() {
        let table = Gazetteer::builtin();
        let tsv = Gazetteer::from_tsv(crate::GAZETTEER_TSV);
        assert_table_holds(&table, &tsv);
        let words = ["Talks", "in", "Abu", "Dhabi", "and", "New", "York"];
        assert_eq!(table.labels(&words, false), tsv.labels(&words, false));
    }

    #[test]
    fn the_silver_tables_hold_what_their_tsv_holds() {
        let names = Gazetteer::from_tsv([
            include_str!("../../../models/gazetteer/silver-names-wikiann.tsv"),
            include_str!("../../../models/gazetteer/silver-names-gmb.tsv"),
        ]);
        let words = Gazetteer::from_tsv([
            include_str!("../../../models/gazetteer/silver-words-wikiann.tsv"),
            include_str!("../../../models/gazetteer/silver-words-gmb.tsv"),
        ]);
        for (table, tsv) in [
            (Gazetteer::builtin_silver_names(), names),
            (Gazetteer::builtin_silver_words(), words),
        ] {
            assert!(tsv.len() > 5_000, "{} names", tsv.len());
            assert_table_holds(&table, &tsv);
        }
        // a name split in CoNLL's way, a title dropped from GMB's person
        let words = ["Kofi", "Annan", "met", "NATO"];
        let silver = Gazetteer::builtin_silver_names();
        let names = silver.labels(&words, false);
        assert_eq!(names[..2], [Some("PER-B"), Some("PER-L")]);
        assert!(names[3].is_some_and(|l| l.contains("ORG")));
    }

    #[test]
    fn names_with_two_types_carry_both() {
        assert_eq!(gazetteer().labels(&["Jordan"], false), [Some("LOC+PER-U")]);
    }
}

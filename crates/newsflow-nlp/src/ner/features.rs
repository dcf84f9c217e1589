//! Features of a token in context, hashed to 64-bit keys.
//!
//! Each feature is a template id plus a few strings, hashed with FNV-1a;
//! the model stores weights by hash, so no feature dictionary is kept.

use std::collections::HashSet;

use super::Lexicon;
use crate::gazetteer_keys::word_hash;
use crate::lowercase::push_lower;
use crate::word_clusters::WordClusters;
use crate::Seeded;

/// Facts about the whole document a sentence comes from: news copy names
/// an entity several times, and the clearest mention disambiguates the
/// others (a capitalised headline word also seen lower-case is probably not
/// a name). The sets hash their keys again with a seeded hasher
/// ([`Seeded`]).
#[derive(Debug, Default)]
pub struct DocumentContext {
    /// Words seen in lower case.
    lower_seen: HashSet<u64, Seeded>,
    /// Words seen capitalised away from the start of a sentence.
    capitalised_inside: HashSet<u64, Seeded>,
    /// Words seen right after a person's title ("Mr.", "President").
    after_title: HashSet<u64, Seeded>,
    /// Words seen inside a run of two or more capitalised words.
    in_capitalised_run: HashSet<u64, Seeded>,
    /// Words seen after "in", "at", "near"...: places, mostly.
    after_place_word: HashSet<u64, Seeded>,
    /// Words seen before "Inc", "Corp", "Party", "University"...
    before_org_word: HashSet<u64, Seeded>,
}

const PLACE_PREPOSITIONS: &[&str] = &["in", "at", "near", "to", "from", "outside", "across"];

const ORG_WORDS: &[&str] = &[
    "inc",
    "inc.",
    "corp",
    "corp.",
    "ltd",
    "ltd.",
    "plc",
    "co",
    "co.",
    "group",
    "party",
    "university",
    "bank",
    "club",
    "united",
    "city",
    "fc",
    "ag",
    "sa",
    "airlines",
    "council",
    "ministry",
    "agency",
    "association",
    "union",
];

/// Words that precede a person's name.
const PERSON_TITLES: &[&str] = &[
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "president",
    "minister",
    "chancellor",
    "premier",
    "gen.",
    "general",
    "sen.",
    "senator",
    "rep.",
    "king",
    "queen",
    "prince",
    "pope",
    "judge",
    "coach",
    "striker",
    "captain",
    "secretary",
    "spokesman",
    "spokeswoman",
    "chairman",
    "director",
    "leader",
];

impl DocumentContext {
    pub fn new<'a>(sentences: impl IntoIterator<Item = &'a [&'a str]>) -> Self {
        let sentences: Vec<&[&str]> = sentences.into_iter().collect();
        // Room for the words from the start: growing six sets from empty
        // rehashed them a dozen times per article. About half of an
        // article's words are lower-case; the other sets hold a few names.
        let words: usize = sentences.iter().map(|s| s.len()).sum();
        let mut ctx = DocumentContext {
            lower_seen: HashSet::with_capacity_and_hasher(words / 2, Seeded::new()),
            capitalised_inside: HashSet::with_capacity_and_hasher(words / 8, Seeded::new()),
            ..DocumentContext::default()
        };
        let (mut forms, mut ends) = (String::new(), Vec::new());
        for sentence in sentences {
            let headline = is_headline(sentence);
            // each word lower-cased once, into one buffer: the rules below
            // look at neighbours
            forms.clear();
            ends.clear();
            for w in sentence {
                push_lower(&mut forms, w);
                ends.push(forms.len());
            }
            let lower: Vec<&str> = (0..ends.len())
                .map(|i| &forms[if i == 0 { 0 } else { ends[i - 1] }..ends[i]])
                .collect();
            for (i, word) in sentence.iter().enumerate() {
                let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
                if !headline && capital(word) {
                    let key = hash(0, &[lower[i]]);
                    if i > 0 && PERSON_TITLES.contains(&lower[i - 1]) {
                        ctx.after_title.insert(key);
                    }
                    if i > 0 && PLACE_PREPOSITIONS.contains(&sentence[i - 1]) {
                        ctx.after_place_word.insert(key);
                    }
                    if lower.get(i + 1).is_some_and(|w| ORG_WORDS.contains(w)) {
                        ctx.before_org_word.insert(key);
                    }
                    let neighbour = (i > 0 && capital(sentence[i - 1]))
                        || sentence.get(i + 1).is_some_and(|w| capital(w));
                    if neighbour {
                        ctx.in_capitalised_run.insert(key);
                    }
                }
                let first = word.chars().next();
                if first.is_some_and(char::is_lowercase) {
                    ctx.lower_seen.insert(hash(0, &[word]));
                } else if i > 0 && !headline && first.is_some_and(char::is_uppercase) {
                    ctx.capitalised_inside.insert(hash(0, &[lower[i]]));
                }
            }
        }
        ctx
    }
}

/// Mostly upper-case sentences (headlines, datelines) carry no case signal.
pub(crate) fn is_headline(words: &[&str]) -> bool {
    let mut letters = words.iter().filter(|w| w.chars().any(char::is_alphabetic));
    let mut count = 0;
    letters.all(|w| {
        count += 1;
        !w.chars().any(char::is_lowercase)
    }) && count >= 2
}

/// `Xxxx` → `Xx`, `IBM` → `X`, `1996-08-30` → `d-d-d`: the form of a word.
#[cfg(test)]
fn shape(word: &str, short: bool) -> String {
    let mut out = String::new();
    push_shape(&mut out, word, short);
    out
}

/// Appends the shape of `word` to `out` (see `shape`): the long form keeps
/// at most six characters, the short one collapses repeats.
fn push_shape(out: &mut String, word: &str, short: bool) {
    let mut last = None;
    let mut pushed = 0;
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if short && last == Some(s) {
            continue;
        }
        if !short && pushed >= 6 {
            break;
        }
        out.push(s);
        pushed += 1;
        last = Some(s);
    }
}

use crate::hash::key as hash;

fn prefix(word: &str, n: usize) -> &str {
    match word.char_indices().nth(n) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

fn suffix(word: &str, n: usize) -> &str {
    let count = word.chars().count();
    if count <= n {
        return word;
    }
    match word.char_indices().nth(count - n) {
        Some((i, _)) => &word[i..],
        None => word,
    }
}

/// A cased cluster's row as a character of its own for feature keys (the
/// CJK block holds every row): no table of row names to build at start.
fn row_char(row: u16) -> char {
    let row = row.min(crate::cased_clusters::ROWS);
    char::from_u32(0x4E00 + u32::from(row)).unwrap_or('-')
}

/// Per-token facts computed once per sentence.
struct TokenView<'a> {
    word: &'a str,
    lower: &'a str,
    shape: &'a str,
    short_shape: &'a str,
    /// fine, mid and coarse word cluster, as text; "-" for an unknown word
    clusters: [&'a str; 3],
    /// the cased cluster of the word as written (see `row_char`); "-" if
    /// unknown
    cased: &'a str,
}

/// How many features each token's vector starts with that depend only on
/// the word itself, whether it opens the sentence and whether the sentence
/// is a headline: their summed weights can be kept per word (see
/// `local_scores`).
pub(crate) const LOCAL_FEATURES: usize = 18;

/// The most features a token can have: the local ones, 11 of its
/// neighbours, 4 of the document, 3 of the gazetteer, 4 of the silver
/// lists and 2 of the neighbours' cased clusters.
const MAX_FEATURES: usize = LOCAL_FEATURES + 24;

/// Writes the features of every token of `words` to the first
/// `words.len()` vectors of `out` (each cleared first; `out` grows to that
/// many and keeps any more, so a buffer kept between sentences allocates
/// only for the longest): the token's own `LOCAL_FEATURES` first, then
/// those of its context. The lexicon's gazetteers label each token with
/// what they matched there (e.g. `LOC-B`), if anything.
pub fn sentence_features<'a>(
    words: &[&'a str],
    doc: &DocumentContext,
    lexicon: &'a Lexicon,
    out: &mut Vec<Vec<u64>>,
) {
    context_features(words, is_headline(words), doc, lexicon, &[], out);
}

/// Like [`sentence_features`], but a token whose `known[i]` is true gets
/// only its context features: the caller has its local ones' weights, and
/// has already asked whether the sentence is a headline.
pub(crate) fn context_features<'a>(
    words: &[&'a str],
    headline_sentence: bool,
    doc: &DocumentContext,
    lexicon: &'a Lexicon,
    known: &[bool],
    out: &mut Vec<Vec<u64>>,
) {
    let clusters: &WordClusters = &lexicon.clusters;
    let gazetteers = [
        &lexicon.gazetteer,
        &lexicon.silver_names,
        &lexicon.silver_words,
    ];
    // Every word lower-cased first, with the keys the tables look it up
    // by, and the places those look-ups read asked for: the tables are
    // megabytes read at random, and the reads below then find a whole
    // sentence's places loaded or on their way, instead of waiting on each
    // in turn. The gazetteers are asked first of a word that can start a
    // name, as `labels_of_hashed` asks them.
    let mut lowers = String::with_capacity(words.iter().map(|w| w.len()).sum());
    let mut lower_ends = Vec::with_capacity(words.len());
    // (the lower-cased word's key, the word's key as written)
    let mut keys = Vec::with_capacity(words.len());
    // the gazetteers share one hash of each lower-cased word
    let mut hashes = Vec::with_capacity(words.len());
    for w in words {
        let start = lowers.len();
        push_lower(&mut lowers, w);
        let lower = &lowers[start..];
        let (lower_key, cased_key) = (WordClusters::key_of(lower), WordClusters::key_of(w));
        clusters.prefetch(lower_key);
        lexicon.cased.prefetch(cased_key);
        let hash = word_hash(lower);
        if crate::gazetteer::can_start_name(w, headline_sentence) {
            for gazetteer in gazetteers {
                gazetteer.prefetch_first_word(hash);
            }
        }
        lower_ends.push(lowers.len());
        keys.push((lower_key, cased_key));
        hashes.push(hash);
    }
    // The shapes go into one buffer: one allocation per sentence rather
    // than two per word. The cased cluster goes in too, as one character
    // per row.
    let mut forms = String::with_capacity(words.iter().map(|w| 2 * w.len() + 3).sum());
    let mut ends = Vec::with_capacity(words.len());
    for (w, &(_, cased_key)) in words.iter().zip(&keys) {
        push_shape(&mut forms, w, false);
        let shape = forms.len();
        push_shape(&mut forms, w, true);
        let short = forms.len();
        forms.push(lexicon.cased.get_by_key(cased_key).map_or('-', row_char));
        ends.push([shape, short, forms.len()]);
    }
    let (mut start, mut lower_start) = (0, 0);
    let views: Vec<TokenView> = words
        .iter()
        .zip(&ends)
        .zip(lower_ends.iter().zip(&keys))
        .map(
            |((w, &[shape, short, cased]), (&lower_end, &(lower_key, _)))| {
                let view = TokenView {
                    word: w,
                    clusters: clusters.names_by_key(lower_key),
                    lower: &lowers[lower_start..lower_end],
                    shape: &forms[start..shape],
                    short_shape: &forms[shape..short],
                    cased: &forms[short..cased],
                };
                start = cased;
                lower_start = lower_end;
                view
            },
        )
        .collect();
    let [gaz, silver_names, silver_words] =
        gazetteers.map(|g| g.labels_of_hashed(words, &hashes, headline_sentence));
    let headline = if headline_sentence { "1" } else { "0" };
    // room for a token's features at once: growing each vector from empty
    // cost more than the features themselves
    if out.len() < words.len() {
        out.resize_with(words.len(), || Vec::with_capacity(MAX_FEATURES));
    }
    let boundary = |i: isize| -> (&str, &str) {
        if i < 0 {
            ("<s>", "<s>")
        } else if i as usize >= views.len() {
            ("</s>", "</s>")
        } else {
            let v = &views[i as usize];
            (v.lower, v.short_shape)
        }
    };
    // a neighbour's cased cluster; "<s>" past either end of the sentence
    let cased_at = |i: isize| -> &str {
        usize::try_from(i)
            .ok()
            .and_then(|i| views.get(i))
            .map_or("<s>", |v| v.cased)
    };
    for (i, v) in views.iter().enumerate() {
        let f = &mut out[i];
        f.clear();
        let ii = i as isize;
        let (l1, s1) = boundary(ii - 1);
        let (l2, _) = boundary(ii - 2);
        let (r1, rs1) = boundary(ii + 1);
        let (r2, _) = boundary(ii + 2);
        let first = if i == 0 { "1" } else { "0" };
        if !known.get(i).copied().unwrap_or(false) {
            f.push(hash(0, &[]));
            f.push(hash(1, &[v.word]));
            f.push(hash(2, &[v.lower]));
            f.push(hash(3, &[v.shape]));
            f.push(hash(4, &[v.short_shape, first]));
            for n in 2..=4 {
                f.push(hash(5 + n as u8, &[prefix(v.lower, n)]));
                f.push(hash(10 + n as u8, &[suffix(v.lower, n)]));
            }
            f.push(hash(29, &[headline, v.short_shape]));
            f.push(hash(30, &[headline, v.lower]));
            // Word clusters generalise from the names seen in training to
            // names used alike in large unlabelled text.
            let [fine, mid, coarse] = &v.clusters;
            f.push(hash(50, &[fine]));
            f.push(hash(51, &[mid]));
            f.push(hash(53, &[coarse, v.short_shape]));
            // Cased clusters reach the names GloVe's lower-case words blur
            // ("ABERDEEN" in a results table clusters with Scottish towns).
            f.push(hash(70, &[v.cased]));
            f.push(hash(71, &[v.cased, v.short_shape]));
            debug_assert_eq!(f.len(), LOCAL_FEATURES);
        }
        f.push(hash(20, &[l1]));
        f.push(hash(21, &[r1]));
        f.push(hash(22, &[l2]));
        f.push(hash(23, &[r2]));
        f.push(hash(24, &[s1, v.short_shape]));
        f.push(hash(25, &[v.short_shape, rs1]));
        f.push(hash(26, &[l1, v.lower]));
        f.push(hash(27, &[v.lower, r1]));
        f.push(hash(28, &[s1, v.short_shape, rs1]));
        let mid_at = |j: isize| -> &str {
            if j < 0 || j as usize >= views.len() {
                "<s>"
            } else {
                views[j as usize].clusters[1]
            }
        };
        f.push(hash(54, &[mid_at(ii - 1)]));
        f.push(hash(55, &[mid_at(ii + 1)]));
        let capitalised = v.word.chars().next().is_some_and(char::is_uppercase);
        if capitalised {
            let lower_key = hash(0, &[v.lower]);
            let seen_lower = doc.lower_seen.contains(&lower_key);
            let seen_inside = doc.capitalised_inside.contains(&lower_key);
            let flag = |b: bool| if b { "1" } else { "0" };
            f.push(hash(39, &[flag(doc.after_title.contains(&lower_key))]));
            f.push(hash(
                40,
                &[
                    flag(doc.in_capitalised_run.contains(&lower_key)),
                    v.short_shape,
                ],
            ));
            f.push(hash(
                41,
                &[
                    flag(doc.after_place_word.contains(&lower_key)),
                    flag(doc.before_org_word.contains(&lower_key)),
                ],
            ));
            f.push(hash(
                31,
                &[
                    if seen_lower { "1" } else { "0" },
                    if seen_inside { "1" } else { "0" },
                    first,
                    headline,
                ],
            ));
        }
        if let Some(g) = gaz.get(i).copied().flatten() {
            f.push(hash(32, &[g]));
            f.push(hash(33, &[g, v.short_shape]));
        }
        let lg = if i > 0 {
            gaz.get(i - 1).copied().flatten().unwrap_or("-")
        } else {
            "<s>"
        };
        let rg = gaz.get(i + 1).copied().flatten().unwrap_or("-");
        f.push(hash(34, &[lg, rg]));
        // Names seen labelled in silver text reach the many names CoNLL
        // never shows; only matches add features, so that a lexicon
        // without these lists scores as it did.
        if let Some(n) = silver_names[i] {
            f.push(hash(60, &[n]));
            f.push(hash(61, &[n, v.short_shape]));
        }
        if let Some(w) = silver_words[i] {
            f.push(hash(62, &[w]));
        }
        let lw = i.checked_sub(1).and_then(|j| silver_words[j]);
        let rw = silver_words.get(i + 1).copied().flatten();
        if lw.is_some() || rw.is_some() {
            f.push(hash(63, &[lw.unwrap_or("-"), rw.unwrap_or("-")]));
        }
        // the neighbours' cased clusters say what a name stands among
        f.push(hash(72, &[cased_at(ii - 1)]));
        f.push(hash(73, &[cased_at(ii + 1)]));
        debug_assert!(f.len() <= MAX_FEATURES);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cased_row_has_a_character_of_its_own() {
        let chars: std::collections::HashSet<char> =
            (0..crate::cased_clusters::ROWS).map(row_char).collect();
        assert_eq!(chars.len(), usize::from(crate::cased_clusters::ROWS));
        assert!(!chars.contains(&'-'));
    }

    #[test]
    fn shapes_describe_word_forms() {
        assert_eq!(shape("Erdoğan", true), "Xx");
        assert_eq!(shape("IBM", true), "X");
        assert_eq!(shape("1996-08-30", true), "d-d-d");
        assert_eq!(shape("U.N.", false), "X.X.");
    }

    #[test]
    fn affixes_count_characters() {
        assert_eq!(prefix("erdoğan", 4), "erdo");
        assert_eq!(suffix("erdoğan", 3), "ğan");
        assert_eq!(suffix("ab", 4), "ab");
    }

    #[test]
    fn document_context_remembers_lower_case_and_inner_capitals() {
        let s1: &[&str] = &["POLICE", "SAY"];
        let s2: &[&str] = &["The", "police", "met", "Smith"];
        let doc = DocumentContext::new([s1, s2]);
        assert!(doc.lower_seen.contains(&hash(0, &["police"])));
        assert!(doc.capitalised_inside.contains(&hash(0, &["smith"])));
        assert!(!doc.capitalised_inside.contains(&hash(0, &["police"])));
    }
}

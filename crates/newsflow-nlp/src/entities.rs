//! From entity mentions to one entity per real-world thing.
//!
//! Mentions of the same type are grouped by their normalised text; then a
//! person named by a shorter form ("Erdoğan") is merged into the person whose
//! fuller name ends with or contains it ("Recep Tayyip Erdoğan"), and an
//! organisation's abbreviation into its full name when the abbreviation is
//! made of the full name's initials. The canonical form is the fullest name.
//! Salience weighs a title mention three times and a mention in the first
//! two sentences twice, relative to the most salient entity.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use newsflow_core::{Entity, Mention, MentionField};

use crate::ner::tags::TYPES;
use crate::Seeded;

/// One mention found by the tagger.
#[derive(Debug, Clone)]
pub struct Found {
    pub kind: usize,
    pub text: String,
    pub mention: Mention,
    /// 3 in the title, 2 in the lead, 1 elsewhere.
    pub weight: f64,
}

struct Group {
    kind: usize,
    key: String,
    words: Vec<String>,
    texts: Vec<String>,
    mentions: Vec<Mention>,
    weight: f64,
}

/// Honorifics that British style writes without a full stop ("Mr Ebbers");
/// only a person's name loses them, since "Dr Pepper" is a company.
pub(crate) const UNDOTTED_TITLES: &[&str] = &["Mr", "Mrs", "Ms", "Mx", "Dr", "Prof"];

/// Drops leading titles ("Gen.", "Mr.", "Dr.", and for a person `Mr`) from
/// a name. Other dotted abbreviations open only a person's name as titles:
/// an organisation's or a place's keeps its "St.", "Mt." or a state's ("St.
/// Louis", "Mt. Everest"), and drops "U.S.", "U.K." and "U.N." alone, as
/// news names "the Supreme Court" and "the Federal Reserve" after them.
fn strip_titles(text: &str, person: bool) -> &str {
    let mut t = text.trim();
    while let Some((first, rest)) = t.split_once(' ') {
        let is_title = if let Some(stem) = first.strip_suffix('.') {
            crate::tokenizer::is_abbreviation(stem)
                && (person || is_personal_title(stem) || matches!(stem, "U.S" | "U.K" | "U.N"))
        } else {
            person && UNDOTTED_TITLES.contains(&first)
        };
        if !is_title {
            break;
        }
        t = rest.trim_start();
    }
    t
}

/// Whether a dotted abbreviation (without its full stop) is a person's
/// title or rank.
fn is_personal_title(stem: &str) -> bool {
    crate::lowercase::with_lower(stem, |w| {
        matches!(
            w,
            "mr" | "mrs"
                | "ms"
                | "dr"
                | "prof"
                | "gen"
                | "lt"
                | "col"
                | "maj"
                | "capt"
                | "cmdr"
                | "adm"
                | "sgt"
                | "cpl"
                | "pvt"
                | "gov"
                | "sen"
                | "rep"
                | "rev"
                | "fr"
                | "pres"
                | "amb"
                | "supt"
                | "insp"
                | "messrs"
                | "mme"
                | "mlle"
                | "hon"
        )
    })
}

/// Normalises a mention for grouping: titles and possessive dropped,
/// brackets and quotes too, case-folded, white space folded.
fn normalise(text: &str, person: bool) -> String {
    let t = strip_titles(text, person);
    let t = t
        .strip_suffix("'s")
        .or_else(|| t.strip_suffix("’s"))
        .unwrap_or(t);
    // one string built in place: a string per word, then a join, cost a
    // tenth of the grouping's instructions
    let mut key = String::with_capacity(t.len());
    for word in without_marks(t).split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        crate::lowercase::push_lower(&mut key, word);
    }
    key
}

/// Brackets and double quotes a name holds ("Natalie [Appleton]", "(Jon
/// Dahl) Tomasson", "\"Dirty\" Den Watts") are the writer's marks, not
/// part of the name a reader would write.
fn is_mark(c: char) -> bool {
    matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | '"' | '“' | '”')
}

/// `text` without its marks, white space folded; most names have none.
fn without_marks(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(is_mark) {
        return text.into();
    }
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.replace(is_mark, ""))
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ").into()
}

/// A group's key with its spaces and hyphens left out: "Time Warner" and
/// "TimeWarner", "Kilroy-Silk" and "Kilroy Silk" write one name.
fn compact(key: &str) -> impl Iterator<Item = char> + '_ {
    key.chars().filter(|&c| c != ' ' && c != '-')
}

fn initials(words: &[String]) -> String {
    const SKIP: &[&str] = &[
        "of", "the", "and", "for", "de", "des", "du", "la", "le", "&",
    ];
    words
        .iter()
        .filter(|w| !SKIP.contains(&w.as_str()))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Whether `short` names the same person as `long`: its words are a
/// contiguous run of `long`'s words ending at its last word, or a single
/// word of it.
fn person_part_of(short: &[String], long: &[String]) -> bool {
    if short.len() >= long.len() {
        return false;
    }
    long.ends_with(short) || (short.len() == 1 && long.contains(&short[0]))
}

/// Full names of organisations by abbreviation ("UN" → "United Nations").
pub type Abbreviations = HashMap<String, String>;

/// Short names of organisations that are no abbreviation, in the form of
/// the abbreviations list (written here): news copy calls the Federal
/// Reserve "the Fed", and 10 of BBC's training articles listed "Fed" as
/// an organisation apart from it; 8 gave "Lib Dems" or "Lib Dem" and
/// "Liberal Democrats" as two key phrases, 9 "Man Utd" and "Manchester
/// United".
pub const CLIPPED_NAMES: &str = "Fed\tFederal Reserve\n\
                                 Lib Dems\tLiberal Democrats\n\
                                 Lib Dem\tLiberal Democrats\n\
                                 Man Utd\tManchester United\n";

/// Reads `ABBREVIATION<TAB>full name` lines.
pub fn abbreviations_from_tsv(text: &str) -> Abbreviations {
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, n)| (a.to_string(), n.to_string()))
        .collect()
}

/// An organisation known only by its abbreviation ("U.N.") or a clipped
/// name of two words ("Lib Dems") takes its full name from the list, and
/// merges with that name's entity if the article has one. A two-word short
/// name is the organisation's even where the tagger made it a MISC name
/// ("the Lib Dem leader"). Longer names are full names already (the list
/// derived from the gazetteer holds one the wrong way round).
fn expand_abbreviations(entities: &mut Vec<(usize, Entity, f64)>, abbreviations: &Abbreviations) {
    let mut i = 0;
    while i < entities.len() {
        let e = &entities[i].1;
        let key = e.canonical.replace('.', "");
        let words = key.split(' ').count();
        let short = match e.kind.as_str() {
            "ORG" => words <= 2,
            "MISC" => words == 2,
            _ => false,
        };
        let full = short.then(|| abbreviations.get(&key)).flatten().cloned();
        if let Some(full) = full {
            let target = entities
                .iter()
                .position(|(_, other, _)| other.kind == "ORG" && other.canonical == full);
            match target {
                Some(t) if t != i => {
                    let (_, absorbed, weight) = entities.remove(i);
                    let t = if t > i { t - 1 } else { t };
                    let (_, into, w) = &mut entities[t];
                    into.count += absorbed.count;
                    into.mentions.extend(absorbed.mentions);
                    *w += weight;
                    continue;
                }
                _ => {
                    entities[i].1.canonical = full;
                    entities[i].1.kind = "ORG".to_string();
                }
            }
        }
        i += 1;
    }
}

/// Groups `found` mentions into entities, in order of first mention.
pub fn build(found: Vec<Found>, abbreviations: &Abbreviations) -> Vec<Entity> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<(usize, String), usize, Seeded> = HashMap::default();
    for f in found {
        let key = normalise(&f.text, TYPES[f.kind] == "PER");
        if key.is_empty() {
            continue;
        }
        match by_key.entry((f.kind, key)) {
            Entry::Occupied(at) => {
                let g = &mut groups[*at.get()];
                g.texts.push(f.text);
                g.mentions.push(f.mention);
                g.weight += f.weight;
            }
            Entry::Vacant(slot) => {
                let key = slot.key().1.clone();
                slot.insert(groups.len());
                groups.push(Group {
                    kind: f.kind,
                    words: key.split(' ').map(str::to_string).collect(),
                    key,
                    texts: vec![f.text],
                    mentions: vec![f.mention],
                    weight: f.weight,
                });
            }
        }
    }
    let mut merged_into = merges(&groups);
    join_spellings(&groups, &mut merged_into);
    // Follow merge chains ("Erdoğan" → "Tayyip Erdoğan" → "Recep Tayyip Erdoğan").
    let root = |mut i: usize| {
        while let Some(j) = merged_into[i] {
            i = j;
        }
        i
    };
    let mut entities: Vec<(usize, Entity, f64)> = Vec::new();
    let mut entity_of_root: HashMap<usize, usize, Seeded> = HashMap::default();
    for (i, g) in groups.iter().enumerate() {
        let r = root(i);
        match entity_of_root.get(&r) {
            Some(&at) => {
                let (_, e, weight) = &mut entities[at];
                e.mentions.extend(g.mentions.iter().copied());
                e.count += g.mentions.len() as u32;
                *weight += g.weight;
            }
            None => {
                entity_of_root.insert(r, entities.len());
                entities.push((
                    r,
                    Entity {
                        text: g.texts[0].clone(),
                        kind: TYPES[g.kind].to_string(),
                        canonical: longest_text(&groups[r].texts, TYPES[g.kind] == "PER"),
                        count: g.mentions.len() as u32,
                        salience: None,
                        mentions: g.mentions.clone(),
                        links: None,
                        geo: None,
                    },
                    g.weight,
                ));
            }
        }
    }
    expand_abbreviations(&mut entities, abbreviations);
    let top = entities.iter().map(|(_, _, w)| *w).fold(0.0, f64::max);
    entities
        .into_iter()
        .map(|(_, mut e, w)| {
            e.mentions
                .sort_by_key(|m| (m.field != MentionField::Title, m.start));
            e.salience = Some(if top > 0.0 {
                (w / top * 1000.0).round() / 1000.0
            } else {
                0.0
            });
            e
        })
        .collect()
}

/// Groups of one type whose keys differ only by spaces and hyphens join
/// the first of them (its root, if it already merges into a fuller name).
fn join_spellings(groups: &[Group], merged_into: &mut [Option<usize>]) {
    use std::hash::{BuildHasher, Hash, Hasher};
    // by a hash of the compact key, checked on a hit: no string is built
    let state = crate::Seeded::new();
    let hash = |g: &Group| {
        let mut h = state.build_hasher();
        g.kind.hash(&mut h);
        compact(&g.key).for_each(|c| c.hash(&mut h));
        h.finish()
    };
    let mut first: HashMap<u64, usize, Seeded> =
        HashMap::with_capacity_and_hasher(groups.len(), Seeded::new());
    for (i, g) in groups.iter().enumerate() {
        let at = *first.entry(hash(g)).or_insert(i);
        let other = &groups[at];
        if at == i || other.kind != g.kind || !compact(&other.key).eq(compact(&g.key)) {
            continue;
        }
        let mut root = at;
        while let Some(next) = merged_into[root] {
            root = next;
        }
        // a root never merges on, so no chain can loop back to i
        if merged_into[i].is_none() && root != i {
            merged_into[i] = Some(root);
        }
    }
}

/// Words after the first that make an organisation the full name of its
/// first word alone: "Labour" is the Labour Party, "Leicester" (a team) is
/// Leicester City, "Lucent" is Lucent Technologies, "Toyota" Toyota Motor
/// Corp (every word after the first one of these). Other second words name
/// a part or a product of the first ("BBC News", "Sony PlayStation", "AOL
/// UK"), which the first word alone does not mean; on BBC train, merging
/// those too changed 241 articles, many of them wrongly.
const FULL_NAME_ENDINGS: &[&str] = &[
    "party",
    "city",
    "town",
    "united",
    "rovers",
    "athletic",
    "albion",
    "wanderers",
    "fc",
    "inc",
    "corp",
    "corporation",
    "ltd",
    "plc",
    "group",
    "holdings",
    "technologies",
    "electronics",
    "motors",
    "energy",
    "communications",
    "airlines",
    "airways",
    // legal forms, and "motor" of a carmaker's ("Toyota Motor Corp")
    "ag",
    "sa",
    "nv",
    "se",
    "co",
    "llc",
    "limited",
    "spa",
    "gmbh",
    "motor",
];

/// First words that name a football club alone ("Real" for Real Madrid,
/// "Bayern" for Bayern Munich), whatever the place after them.
const CLUB_FIRST_WORDS: &[&str] = &[
    "real",
    "atletico",
    "bayern",
    "borussia",
    "sporting",
    "inter",
    "dynamo",
    "dinamo",
    "olympique",
    "partizan",
    "deportivo",
    "racing",
    "galatasaray",
    "fenerbahce",
    "benfica",
];

/// Last words that name a football club alone, as match reports write
/// "United" for Manchester United or "Villa" for Aston Villa once the
/// article has named it whole.
const CLUB_LAST_WORDS: &[&str] = &[
    "united",
    "city",
    "rovers",
    "athletic",
    "albion",
    "wanderers",
    "county",
    "villa",
    "forest",
    "rangers",
    "hotspur",
];

/// Whether the organisation `words` (lower-cased) is what its first word
/// alone means.
fn full_form_of_first_word(words: &[String]) -> bool {
    (words.len() == 2 && CLUB_FIRST_WORDS.contains(&words[0].as_str()))
        || (words.len() >= 2
            && words[1..]
                .iter()
                .all(|w| FULL_NAME_ENDINGS.contains(&w.as_str())))
}

/// A short form with more candidate full names than this is ambiguous
/// whatever they are; the bound keeps a page of thousands of names that
/// share a word linear rather than quadratic.
const MAX_CANDIDATES: usize = 16;

/// For each group, the group it merges into: a shorter reference into the
/// fullest matching name of its type, unless it fits two different full
/// names (ambiguous). Indexes by word and by initials keep it near linear.
fn merges(groups: &[Group]) -> Vec<Option<usize>> {
    let mut by_word: HashMap<(usize, &str), Vec<usize>, Seeded> = HashMap::default();
    let mut by_initials: HashMap<(usize, String), Vec<usize>, Seeded> = HashMap::default();
    let mut by_first: HashMap<(usize, &str), Vec<usize>, Seeded> = HashMap::default();
    let mut by_club_last: HashMap<(usize, &str), Vec<usize>, Seeded> = HashMap::default();
    let mut by_head: HashMap<(usize, &str), Vec<usize>, Seeded> = HashMap::default();
    let mut by_tail: HashMap<(usize, String), Vec<usize>, Seeded> = HashMap::default();
    for (j, g) in groups.iter().enumerate() {
        match TYPES[g.kind] {
            "PER" => {
                let mut words: Vec<&str> = g.words.iter().map(String::as_str).collect();
                words.sort_unstable();
                words.dedup();
                for w in words {
                    by_word.entry((g.kind, w)).or_default().push(j);
                }
            }
            "ORG" | "MISC" | "LOC" if g.words.len() > 1 => {
                by_initials
                    .entry((g.kind, initials(&g.words)))
                    .or_default()
                    .push(j);
                // its last words after words that only say whose or which
                // it is: "Supreme Court" of "UK Supreme Court", "Army" of
                // "US Army", "Sound of Music" of "The Sound of Music" (not
                // "Labour Party" of "Parliamentary Labour Party", another
                // body)
                let written: Vec<&str> = g.texts[0].split_whitespace().collect();
                if written.len() == g.words.len() {
                    for from in 1..g.words.len() {
                        // "US", "UK", "BBC"; before one word two capitals
                        // at most ("Army" of "US Army", not
                        // "Rover" of "BMW Rover")
                        let before = written[from - 1];
                        let capitals = before.chars().filter(char::is_ascii_uppercase).count();
                        let abbreviation = capitals > 0
                            && (capitals <= 2 || from + 1 < g.words.len())
                            && before.chars().all(|c| c.is_ascii_uppercase() || c == '.');
                        if !abbreviation && !matches!(before, "The" | "Greater") {
                            break;
                        }
                        by_tail
                            .entry((g.kind, g.words[from..].join(" ")))
                            .or_default()
                            .push(j);
                    }
                }
                if TYPES[g.kind] == "ORG" {
                    by_first
                        .entry((g.kind, g.words[0].as_str()))
                        .or_default()
                        .push(j);
                    if let Some(last) = g.words.last() {
                        if CLUB_LAST_WORDS.contains(&last.as_str()) {
                            by_club_last
                                .entry((g.kind, last.as_str()))
                                .or_default()
                                .push(j);
                        }
                    }
                    // an organisation's head word, first or last ("Bank of
                    // England", "Hampshire County Council")
                    let first = g.words[0].as_str();
                    let last = g.words[g.words.len() - 1].as_str();
                    let heads = if first == last {
                        &[first][..]
                    } else {
                        &[first, last][..]
                    };
                    for &head in heads {
                        if crate::ner::is_org_head(head) {
                            by_head.entry((g.kind, head)).or_default().push(j);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let none = Vec::new();
    let mut merged_into = vec![None; groups.len()];
    for (i, short) in groups.iter().enumerate() {
        // Candidates in group order, as every index list is.
        let list = match TYPES[short.kind] {
            "PER" => short
                .words
                .last()
                .and_then(|w| by_word.get(&(short.kind, w.as_str()))),
            "ORG" | "MISC" | "LOC" if short.words.len() == 1 => {
                let abbreviation = short.key.replace('.', "");
                let by_abbreviation = if abbreviation.len() > 1 {
                    by_initials.get(&(short.kind, abbreviation))
                } else {
                    None
                };
                if by_abbreviation.is_none() {
                    // The one name that starts with the word, and only if
                    // it is what the word alone means ("Reliance" with
                    // Reliance Energy and Reliance Industries is either).
                    // Else the one club whose name ends with it ("United"
                    // with Manchester United, not with Dundee United too),
                    // or the one organisation whose head word it is ("the
                    // Bank" with the Bank of England, "University" with the
                    // University of Edinburgh, "the Council" with Hampshire
                    // County Council).
                    let word = short.words[0].as_str();
                    let only = |list: Option<&Vec<usize>>| match list {
                        Some(names) if names.len() == 1 => Some(names[0]),
                        _ => None,
                    };
                    merged_into[i] = match by_first.get(&(short.kind, word)) {
                        Some(names) if names.len() == 1 => {
                            full_form_of_first_word(&groups[names[0]].words).then_some(names[0])
                        }
                        Some(_) => None,
                        None => only(by_club_last.get(&(short.kind, word))),
                    }
                    .or_else(|| only(by_head.get(&(short.kind, word))))
                    .or_else(|| only(by_tail.get(&(short.kind, word.to_string()))));
                    continue;
                }
                by_abbreviation
            }
            // a name of two words or more is the one longer name of its
            // type that ends on them after a place's abbreviation, "The" or
            // "Greater" ("Supreme Court" and "UK Supreme Court",
            // "Manchester Police" and "Greater Manchester Police")
            "ORG" | "MISC" | "LOC" => {
                if let Some([only]) = by_tail
                    .get(&(short.kind, short.words.join(" ")))
                    .map(Vec::as_slice)
                {
                    merged_into[i] = Some(*only);
                }
                continue;
            }
            _ => None,
        }
        .unwrap_or(&none);
        let candidates: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&j| {
                j != i
                    && (TYPES[short.kind] != "PER"
                        || person_part_of(&short.words, &groups[j].words))
            })
            .take(MAX_CANDIDATES + 1)
            .collect();
        if candidates.len() > MAX_CANDIDATES {
            continue;
        }
        // The last of the longest, as before the indexes.
        let longest = candidates
            .iter()
            .copied()
            .max_by_key(|&j| groups[j].words.len());
        if let Some(target) = longest {
            let distinct = candidates
                .iter()
                .filter(|&&j| {
                    !person_part_of(&groups[j].words, &groups[target].words) && j != target
                })
                .count();
            if distinct == 0 {
                merged_into[i] = Some(target);
            }
        }
    }
    merged_into
}

/// The fullest written form, without a trailing possessive; unless a
/// mention of a name other than a person's ends in "'s", which is then
/// the name's own ("McDonald's has", "Moody's said"): the tagger's spans
/// leave out a possessive's "'s" (`ner::end_before_possessive`).
fn longest_text(texts: &[String], person: bool) -> String {
    let best = texts
        .iter()
        .map(|t| strip_titles(t, person))
        .max_by_key(|t| t.chars().count())
        .unwrap_or_default();
    let possessive = |t: &str| t.ends_with("'s") || t.ends_with("’s");
    let own = !person && texts.iter().any(|t| possessive(t));
    let trimmed = best
        .strip_suffix("'s")
        .or_else(|| best.strip_suffix("’s"))
        .filter(|_| !own)
        .unwrap_or(best);
    without_marks(trimmed.trim()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(kind: &str, text: &str, start: usize, weight: f64) -> Found {
        Found {
            kind: TYPES.iter().position(|t| *t == kind).unwrap(),
            text: text.into(),
            mention: Mention {
                field: MentionField::Body,
                start,
                end: start + text.chars().count(),
            },
            weight,
        }
    }

    /// (type, canonical name, mentions) of each entity `found` builds into.
    fn built(found: Vec<Found>, list: &Abbreviations) -> Vec<(String, String, u32)> {
        build(found, list)
            .into_iter()
            .map(|e| (e.kind, e.canonical, e.count))
            .collect()
    }

    /// The expected rows of [`built`].
    fn rows(rows: &[(&str, &str, u32)]) -> Vec<(String, String, u32)> {
        rows.iter()
            .map(|&(k, c, n)| (k.to_string(), c.to_string(), n))
            .collect()
    }

    #[test]
    fn shorter_person_names_merge_into_the_full_name() {
        let entities = build(
            vec![
                found("PER", "Erdoğan", 0, 3.0),
                found("PER", "Recep Tayyip Erdoğan", 10, 2.0),
                found("PER", "Erdoğan", 40, 1.0),
                found("PER", "Haftar", 50, 1.0),
                found("PER", "Gen. Khalifa Haftar", 60, 1.0),
                found("PER", "Haftar's", 70, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(entities.len(), 2);
        assert_eq!(entities[0].canonical, "Recep Tayyip Erdoğan");
        assert_eq!(entities[0].count, 3);
        assert_eq!(entities[0].salience, Some(1.0));
        assert_eq!(entities[1].canonical, "Khalifa Haftar");
        assert_eq!(entities[1].count, 3);
    }

    #[test]
    fn abbreviations_merge_into_names_made_of_their_initials() {
        let entities = build(
            vec![
                found("ORG", "United Nations", 0, 1.0),
                found("ORG", "U.N.", 20, 1.0),
                found("ORG", "UN", 30, 1.0),
                found("ORG", "NATO", 40, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(entities.len(), 2, "{entities:?}");
        assert_eq!(entities[0].canonical, "United Nations");
        assert_eq!(entities[0].count, 3);
        assert_eq!(entities[1].canonical, "NATO");
    }

    #[test]
    fn a_short_name_of_two_words_takes_its_full_name_and_a_long_one_keeps_its_own() {
        let list = abbreviations_from_tsv(
            "Lib Dems\tLiberal Democrats\n\
             Organization of the Petroleum Exporting Countries\tOPEC Fund\n",
        );
        let got = built(
            vec![
                found("MISC", "Lib Dems", 0, 1.0),
                found(
                    "ORG",
                    "Organization of the Petroleum Exporting Countries",
                    20,
                    1.0,
                ),
            ],
            &list,
        );
        let want = [
            ("ORG", "Liberal Democrats", 1),
            (
                "ORG",
                "Organization of the Petroleum Exporting Countries",
                1,
            ),
        ];
        assert_eq!(got, rows(&want));
    }

    #[test]
    fn a_lone_abbreviation_takes_its_full_name_from_the_list() {
        let list = abbreviations_from_tsv("UN\tUnited Nations\nUNHCR\tOffice of the United Nations High Commissioner for Refugees\n");
        let entities = build(vec![found("ORG", "U.N.", 0, 1.0)], &list);
        assert_eq!(entities[0].canonical, "United Nations");
        assert_eq!(entities[0].text, "U.N.");
        let entities = build(
            vec![
                found("ORG", "UNHCR", 0, 1.0),
                found(
                    "ORG",
                    "Office of the United Nations High Commissioner for Refugees",
                    10,
                    1.0,
                ),
            ],
            &list,
        );
        assert_eq!(entities.len(), 1);
        assert_eq!(entities[0].count, 2);
    }

    #[test]
    fn an_organisation_named_by_its_first_word_merges_into_its_full_name() {
        let canonicals = |names: &[&str]| -> Vec<String> {
            let found = names
                .iter()
                .enumerate()
                .map(|(i, n)| found("ORG", n, 100 * i, 1.0))
                .collect();
            build(found, &Abbreviations::new())
                .into_iter()
                .map(|e| e.canonical)
                .collect()
        };
        // A party, a company's designator, a club of a place.
        assert_eq!(canonicals(&["Labour", "Labour Party"]), ["Labour Party"]);
        assert_eq!(
            canonicals(&["Lucent Technologies", "Lucent"]),
            ["Lucent Technologies"]
        );
        assert_eq!(canonicals(&["Real", "Real Madrid"]), ["Real Madrid"]);
        // and a company's legal form, after one word or more of them
        assert_eq!(
            canonicals(&["Toyota", "Toyota Motor Corp", "Volkswagen", "Volkswagen AG"]),
            ["Toyota Motor Corp", "Volkswagen AG"]
        );
        // and a club by its last word, when one club of the article ends on it
        assert_eq!(
            canonicals(&["United", "Manchester United", "City", "Manchester City"]),
            ["Manchester United", "Manchester City"]
        );
        assert_eq!(
            canonicals(&["Manchester United", "Dundee United", "United"]),
            ["Manchester United", "Dundee United", "United"]
        );
        assert_eq!(
            canonicals(&["Nottingham", "Nottingham Forest", "Forest"]),
            ["Nottingham", "Nottingham Forest"]
        );
        // a name by its last words, when one longer name ends on them
        assert_eq!(
            canonicals(&["Supreme Court", "UK Supreme Court"]),
            ["UK Supreme Court"]
        );
        assert_eq!(
            canonicals(&[
                "Security Council",
                "UN Security Council",
                "EU Security Council"
            ]),
            [
                "Security Council",
                "UN Security Council",
                "EU Security Council"
            ]
        );
        assert_eq!(
            canonicals(&["Labour Party", "Parliamentary Labour Party"]),
            ["Labour Party", "Parliamentary Labour Party"]
        );
        // "St." stays in the name, "U.S." goes; an acronym may leave
        // either out
        assert_eq!(
            canonicals(&["St. Louis Cardinals", "U.S. Air Force", "Air Force"]),
            ["St. Louis Cardinals", "Air Force"]
        );
        assert_eq!(canonicals(&["Army", "US Army"]), ["US Army"]);
        assert_eq!(
            canonicals(&["Rover", "BMW Rover", "World Service", "BBC World Service"]),
            ["Rover", "BMW Rover", "BBC World Service"]
        );
        // and an organisation by its head word, first or last, when one
        // organisation of the article has it
        assert_eq!(
            canonicals(&[
                "Bank",
                "Bank of England",
                "Council",
                "Hampshire County Council"
            ]),
            ["Bank of England", "Hampshire County Council"]
        );
        assert_eq!(
            canonicals(&["Security Council", "Council", "Hampshire County Council"]),
            ["Security Council", "Council", "Hampshire County Council"]
        );
        // A part or a product of the first word's organisation is not it.
        assert_eq!(canonicals(&["BBC", "BBC News"]), ["BBC", "BBC News"]);
        assert_eq!(
            canonicals(&["Sony", "Sony PlayStation"]),
            ["Sony", "Sony PlayStation"]
        );
        // Two names start with the word: either could be meant.
        assert_eq!(
            canonicals(&["Reliance", "Reliance Energy", "Reliance Industries"]),
            ["Reliance", "Reliance Energy", "Reliance Industries"]
        );
        // A place is not its club.
        let entities = build(
            vec![
                found("LOC", "Leicester", 0, 1.0),
                found("ORG", "Leicester City", 20, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(entities.len(), 2);
    }

    #[test]
    fn an_ambiguous_surname_is_not_merged() {
        let entities = build(
            vec![
                found("PER", "Hillary Clinton", 0, 1.0),
                found("PER", "Bill Clinton", 20, 1.0),
                found("PER", "Clinton", 40, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(entities.len(), 3);
    }

    #[test]
    fn a_page_of_thousands_of_names_sharing_words_groups_them_all() {
        // A pasted list of names: before the word index, every short form
        // was compared with every group (30 s for a 1.3 MB page).
        let mut mentions = Vec::new();
        for i in 0..3_000 {
            mentions.push(found(
                "PER",
                &format!("Anna Smith{}", i % 1_000),
                i * 20,
                1.0,
            ));
            mentions.push(found(
                "PER",
                &format!("Smith{}", i % 1_000),
                i * 20 + 10,
                1.0,
            ));
        }
        mentions.push(found("PER", "Anna", 70_000, 1.0));
        let entities = build(mentions, &Abbreviations::new());
        // each "SmithK" merges into its one "Anna SmithK"; "Anna" fits a
        // thousand full names, so it stays alone
        assert_eq!(entities.len(), 1_001);
        assert!(entities
            .iter()
            .filter(|e| e.canonical != "Anna")
            .all(|e| e.count == 6 && e.canonical.starts_with("Anna Smith")));
    }

    #[test]
    fn types_do_not_mix() {
        let entities = build(
            vec![
                found("LOC", "Turkey", 0, 1.0),
                found("ORG", "Turkey", 10, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(entities.len(), 2);
    }

    fn with_field(mut f: Found, field: MentionField) -> Found {
        f.mention.field = field;
        f
    }

    #[test]
    fn spellings_with_and_without_a_space_or_hyphen_are_one_name() {
        let got = built(
            vec![
                found("ORG", "Time Warner", 0, 1.0),
                found("ORG", "TimeWarner", 20, 1.0),
                found("PER", "Robert Kilroy-Silk", 40, 1.0),
                found("PER", "Robert Kilroy Silk", 60, 1.0),
                found("PER", "Kilroy", 80, 1.0),
                // a name of another type keeps apart
                found("LOC", "Time Warner", 100, 1.0),
            ],
            &Abbreviations::new(),
        );
        let want = [
            ("ORG", "Time Warner", 2),
            ("PER", "Robert Kilroy-Silk", 3),
            ("LOC", "Time Warner", 1),
        ];
        assert_eq!(got, rows(&want));
    }

    #[test]
    fn a_name_s_own_s_stays_in_its_canonical_name_and_a_person_s_goes() {
        let got = built(
            vec![
                found("ORG", "McDonald", 0, 1.0),
                found("ORG", "McDonald's", 20, 1.0),
                found("PER", "Haftar's", 40, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(got, rows(&[("ORG", "McDonald's", 2), ("PER", "Haftar", 1)]));
    }

    #[test]
    fn canonical_names_leave_out_brackets_and_quotes() {
        let found = vec![
            found("PER", "Natalie [Appleton]", 0, 1.0),
            found("PER", "Natalie Appleton", 30, 1.0),
            found("PER", "\"Dirty\" Den Watts", 50, 1.0),
        ];
        let got = built(found, &Abbreviations::new());
        let want = [
            ("PER", "Natalie Appleton", 2),
            ("PER", "Dirty Den Watts", 1),
        ];
        assert_eq!(got, rows(&want));
    }

    #[test]
    fn merges_follow_chains_to_the_fullest_name() {
        let entities = build(
            vec![
                found("PER", "Erdoğan", 0, 1.0),
                found("PER", "Tayyip Erdoğan", 10, 1.0),
                found("PER", "Recep Tayyip Erdoğan", 30, 1.0),
                found("PER", "Recep", 60, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(entities.len(), 1, "{entities:?}");
        assert_eq!(entities[0].canonical, "Recep Tayyip Erdoğan");
        assert_eq!(entities[0].text, "Erdoğan", "text is the first mention");
        assert_eq!(entities[0].count, 4);
    }

    #[test]
    fn a_longer_name_never_merges_into_a_shorter_one() {
        let entities = build(
            vec![
                found("PER", "Tayyip Erdoğan", 0, 1.0),
                found("PER", "Erdoğan Bayraktar", 20, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(entities.len(), 2);
    }

    #[test]
    fn grouping_ignores_case_titles_possessives_and_spacing() {
        let entities = build(
            vec![
                found("PER", "Dr. Jane  Goodall", 0, 1.0),
                found("PER", "JANE GOODALL", 20, 1.0),
                found("PER", "Jane Goodall’s", 40, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(entities.len(), 1, "{entities:?}");
        assert_eq!(entities[0].canonical, "Jane Goodall");
        assert_eq!(entities[0].count, 3);
    }

    /// Each entity's canonical name and mention count, in order.
    fn canonical_counts(entities: &[Entity]) -> Vec<(&str, u32)> {
        entities
            .iter()
            .map(|e| (e.canonical.as_str(), e.count))
            .collect()
    }

    #[test]
    fn an_undotted_title_joins_a_person_to_the_full_name_but_stays_in_a_company() {
        let entities = build(
            vec![
                found("PER", "Bernie Ebbers", 0, 1.0),
                found("PER", "Mr Ebbers", 20, 1.0),
                found("PER", "Mrs Cooper", 40, 1.0),
                found("ORG", "Dr Pepper", 60, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(
            canonical_counts(&entities),
            [("Bernie Ebbers", 2), ("Cooper", 1), ("Dr Pepper", 1)]
        );
    }

    #[test]
    fn only_mentions_that_normalise_to_nothing_are_dropped() {
        let entities = build(vec![found("ORG", "  ", 0, 1.0)], &Abbreviations::new());
        assert!(entities.is_empty());
        // a title alone is not stripped: nothing follows it
        let entities = build(vec![found("PER", "Mr.", 0, 1.0)], &Abbreviations::new());
        assert_eq!(entities.len(), 1);
        assert_eq!(entities[0].canonical, "Mr.");
    }

    #[test]
    fn initials_skip_small_words_and_places_merge_too() {
        let entities = build(
            vec![
                found("ORG", "Bank of England", 0, 1.0),
                found("ORG", "BE", 20, 1.0),
                found("LOC", "United Arab Emirates", 30, 1.0),
                found("LOC", "UAE", 60, 1.0),
                found("LOC", "U", 70, 1.0),
            ],
            &Abbreviations::new(),
        );
        assert_eq!(
            canonical_counts(&entities),
            [
                ("Bank of England", 2),
                ("United Arab Emirates", 2),
                ("U", 1)
            ],
            "a one-letter form is never an abbreviation"
        );
    }

    #[test]
    fn salience_weighs_title_and_lead_relative_to_the_top_entity() {
        let entities = build(
            vec![
                with_field(found("LOC", "Paris", 0, 3.0), MentionField::Title),
                found("LOC", "Berlin", 0, 2.0),
                found("LOC", "Berlin", 30, 1.0),
                found("LOC", "Rome", 50, 1.0),
            ],
            &Abbreviations::new(),
        );
        let salience: Vec<Option<f64>> = entities.iter().map(|e| e.salience).collect();
        assert_eq!(salience, [Some(1.0), Some(1.0), Some(0.333)]);
    }

    #[test]
    fn title_mentions_come_first_then_by_position() {
        let entities = build(
            vec![
                found("ORG", "NATO", 40, 1.0),
                found("ORG", "NATO", 5, 1.0),
                with_field(found("ORG", "NATO", 9, 3.0), MentionField::Title),
            ],
            &Abbreviations::new(),
        );
        let order: Vec<(MentionField, usize)> = entities[0]
            .mentions
            .iter()
            .map(|m| (m.field, m.start))
            .collect();
        assert_eq!(
            order,
            [
                (MentionField::Title, 9),
                (MentionField::Body, 5),
                (MentionField::Body, 40)
            ]
        );
    }

    /// Every rule above regroups mentions; none may move, retype or lose
    /// one. Over a mixed bag of the cases, each input mention comes out once,
    /// with its span, under an entity of its type.
    #[test]
    fn merging_keeps_every_mention_with_its_span_and_type() {
        let input = vec![
            found("PER", "Erdoğan", 0, 3.0),
            found("PER", "Recep Tayyip Erdoğan", 10, 2.0),
            found("PER", "Clinton", 40, 1.0),
            found("PER", "Bill Clinton", 50, 1.0),
            found("PER", "Hillary Clinton", 70, 1.0),
            found("ORG", "U.N.", 90, 1.0),
            found("ORG", "United Nations", 100, 1.0),
            found("LOC", "Turkey", 120, 1.0),
            found("ORG", "Turkey", 130, 1.0),
            found("MISC", "Turkish", 140, 1.0),
            with_field(found("LOC", "Turkey", 3, 3.0), MentionField::Title),
        ];
        let list = abbreviations_from_tsv("UN\tUnited Nations\n");
        let entities = build(input.clone(), &list);
        let mut out: Vec<(String, Mention)> = entities
            .iter()
            .flat_map(|e| e.mentions.iter().map(|m| (e.kind.clone(), *m)))
            .collect();
        let mut expected: Vec<(String, Mention)> = input
            .iter()
            .map(|f| (TYPES[f.kind].to_string(), f.mention))
            .collect();
        let order = |v: &mut Vec<(String, Mention)>| {
            v.sort_by_key(|(k, m)| (k.clone(), m.field == MentionField::Body, m.start, m.end))
        };
        order(&mut out);
        order(&mut expected);
        assert_eq!(out, expected);
        for e in &entities {
            assert_eq!(e.count as usize, e.mentions.len(), "{e:?}");
        }
    }
}

//! Names with "and" inside that the name lists know whole ("Bosnia and
//! Herzegovina", "Marks and Spencer"): the tagger cuts some of them at the
//! "and" into two names, or keeps one half only, and a key phrase or an
//! entity then holds half a name.

use std::ops::Range;

use super::lists::names_one;
use super::tags::{TokenSpan, TYPES};
use super::{capitalised, is_org_head, LOC, ORG};
use crate::gazetteer::{Gazetteer, LazyLabels};
use crate::lowercase::with_lower;

/// The words that join the two halves.
fn is_and(word: &str) -> bool {
    word == "and" || word == "&"
}

/// Makes one span of a name with "and" or "&" inside that the curated
/// gazetteer or the silver names know whole, where the tagger's spans
/// there all lie inside it (one at least). CoNLL-2003 writes such names
/// as one ("Trinidad and Tobago", "Duff & Phelps"). The silver names,
/// read from WikiANN's and GMB's labels, also hold pairs of names a
/// sentence joined ("India and Pakistan", "Nissan and Renault" as one
/// organisation), so one of them counts only where the words on the two
/// sides of its "and" are not both names of their own. The name takes
/// the list's type, or of a list's several types the tagger's.
pub(super) fn join_listed_and_names(
    words: &[&str],
    curated: &LazyLabels,
    silver: &Gazetteer,
    spans: &mut Vec<TokenSpan>,
) {
    let mut k = 1;
    while k < words.len() {
        // most sentences hold no "and" between capitals beside or inside
        // a name ("Saint Vincent and the Grenadines" has "the")
        let candidate = is_and(words[k])
            && capitalised(words[k - 1])
            && words
                .get(k + 1)
                .is_some_and(|&w| capitalised(w) || w == "the")
            && spans
                .iter()
                .any(|s| s.end == k || s.start == k + 1 || (s.start < k && k < s.end));
        if !candidate {
            k += 1;
            continue;
        }
        let curated_labels = curated.get();
        // "Britain and France": a curated name ends before the "and" and
        // another starts after it, two names a silver name would join
        let label_is = |i: usize, parts: [&str; 2]| {
            curated_labels
                .get(i)
                .copied()
                .flatten()
                .is_some_and(|l| parts.iter().any(|p| l.ends_with(p)))
        };
        let two_names = label_is(k - 1, ["-U", "-L"]) && label_is(k + 1, ["-U", "-B"]);
        let name = match whole_name_around(curated_labels, k) {
            Some(name) => Some(name),
            None if two_names => None,
            None => silver_name_around(words, silver, k).filter(|(range, _)| {
                let own_name = |r: Range<usize>| {
                    names_whole(curated.gazetteer(), &words[r.clone()])
                        || names_whole(silver, &words[r])
                };
                !(own_name(range.start..k) && own_name(k + 1..range.end))
            }),
        };
        let Some((range, kinds)) = name else {
            k += 1;
            continue;
        };
        let inside: Vec<usize> = (0..spans.len())
            .filter(|&i| spans[i].start < range.end && spans[i].end > range.start)
            .collect();
        let crossing = inside
            .iter()
            .any(|&i| spans[i].start < range.start || spans[i].end > range.end);
        // a name the tagger found whole keeps the tagger's type: the
        // silver lists have no MISC, and call a book a place
        let whole = matches!(inside.as_slice(), [one] if spans[*one].start == range.start && spans[*one].end == range.end);
        if let (Some(&first), false, false) = (inside.first(), crossing, whole) {
            let tagged = spans[first].kind;
            let listed: Vec<usize> = kinds
                .split('+')
                .filter_map(|kind| TYPES.iter().position(|t| *t == kind))
                .collect();
            let kind = if listed.contains(&tagged) || listed.is_empty() {
                tagged
            } else {
                listed[0]
            };
            spans.drain(first..first + inside.len());
            spans.insert(
                first,
                TokenSpan {
                    kind,
                    start: range.start,
                    end: range.end,
                },
            );
        }
        k = range.end.max(k + 1);
    }
}

/// Words a silver name is looked for on either side of its "and": only
/// these are looked up, not the whole sentence: with the checks before
/// the look-up, that halved the rule's cost (`models/ner-conll2003.md`).
const REACH: usize = 4;

/// The whole name of the silver lists that holds word `k`, an "and" or
/// "&", inside it, as [`whole_name_around`] gives it; also where the
/// lists write "&" for the text's "and" ("Procter & Gamble").
fn silver_name_around<'a>(
    words: &[&str],
    silver: &'a Gazetteer,
    k: usize,
) -> Option<(Range<usize>, &'a str)> {
    let from = k.saturating_sub(REACH);
    let window = &words[from..(k + REACH + 1).min(words.len())];
    let found = |window: &[&str]| {
        whole_name_around(&silver.labels(window, false), k - from)
            .map(|(range, kinds)| (range.start + from..range.end + from, kinds))
    };
    found(window).or_else(|| {
        let ampersands: Vec<&str> = window
            .iter()
            .map(|&w| if w == "and" { "&" } else { w })
            .collect();
        (words[k] == "and").then(|| found(&ampersands)).flatten()
    })
}

/// The whole listed name that holds word `k` inside it (a label ending
/// "-I"), as its words and its kinds ("LOC", "ORG+LOC").
fn whole_name_around<'a>(labels: &[Option<&'a str>], k: usize) -> Option<(Range<usize>, &'a str)> {
    let part = |i: usize, part: &str| labels[i].is_some_and(|l| l.ends_with(part));
    if !part(k, "-I") {
        return None;
    }
    let mut start = k;
    while start > 0 && part(start - 1, "-I") {
        start -= 1;
    }
    let mut end = k + 1;
    while end < labels.len() && part(end, "-I") {
        end += 1;
    }
    if start == 0 || end == labels.len() || !part(start - 1, "-B") || !part(end, "-L") {
        return None;
    }
    let kinds = labels[start - 1]?.rsplit_once('-')?.0;
    Some((start - 1..end + 1, kinds))
}

/// Last words of a public body named after the two places it serves.
const AUTHORITY_HEADS: [&str; 3] = ["police", "constabulary", "council"];

/// A police force or a council named after two places is one
/// organisation: "Avon and Somerset Police", "Devon and Cornwall Police",
/// "Kensington and Chelsea Council" had been a place abroad ("Avon",
/// Connecticut) and a force or a council of the second place alone. Only
/// where the tagger's span before the "and" is one to three capitalised
/// words of a place, or of a county it made an organisation, with no head
/// word of its own, and the span after it ends on the head word with none
/// before it: "Britain and France Telecom", "Microsoft and Deutsche Bank"
/// and "Microsoft and Manchester City Council" stay two.
///
/// So is a fire service, whose name holds "Fire and Rescue" whatever it
/// serves: "Greater Manchester Fire and Rescue Service" had been cut into
/// "Greater Manchester Fire" and "Rescue Service".
pub(super) fn authorities_of_two_places(words: &[&str], spans: &mut Vec<TokenSpan>) {
    let mut i = 1;
    while i < spans.len() {
        let (before, after) = (spans[i - 1], spans[i]);
        let fire_and_rescue = after.kind == ORG
            && before.kind == ORG
            && before.end + 1 == after.start
            && is_and(words[before.end])
            && words[before.end - 1] == "Fire"
            && words[after.start] == "Rescue";
        let joins = fire_and_rescue
            || after.kind == ORG
            && after.start >= 2
            && before.end + 1 == after.start
            && is_and(words[before.end])
            // a place, or a county the tagger made a club ("Devon")
            && (before.kind == LOC
                || (before.kind == ORG && super::towns::is_county(words[before.end - 1])))
            && before.end - before.start <= 3
            && words[before.start..before.end]
                .iter()
                .all(|w| capitalised(w))
            && !words[before.start..before.end]
                .iter()
                .any(|w| is_org_head(w))
            && with_lower(words[after.end - 1], |w| AUTHORITY_HEADS.contains(&w))
            && !words[after.start..after.end - 1]
                .iter()
                .any(|w| is_org_head(w));
        if joins {
            spans[i].start = before.start;
            spans.remove(i - 1);
        } else {
            i += 1;
        }
    }
}

/// Whether the list knows these words, all of them, as one name.
pub(super) fn names_whole(list: &Gazetteer, words: &[&str]) -> bool {
    names_one(&list.labels(words, false), |_| true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tests::span;
    use crate::ner::{LOC, MISC, ORG, PER};

    fn lists() -> (Gazetteer, Gazetteer) {
        let curated = Gazetteer::from_tsv(["Bosnia and Herzegovina\tLOC\nBosnia\tLOC\n"]);
        let silver = Gazetteer::from_tsv([
            "Marks and Spencer\tORG\nProcter & Gamble\tORG\nIndia and Pakistan\tORG\nIndia\tLOC\nPakistan\tLOC\n",
        ]);
        (curated, silver)
    }

    fn joined(sentence: &str, mut spans: Vec<TokenSpan>) -> Vec<TokenSpan> {
        let (curated, silver) = lists();
        let words: Vec<&str> = sentence.split(' ').collect();
        let labels = LazyLabels::new(&curated, &words);
        join_listed_and_names(&words, &labels, &silver, &mut spans);
        spans
    }

    #[test]
    fn a_force_or_council_named_after_two_places_is_one_organisation() {
        let joined = |sentence: &str, mut spans: Vec<TokenSpan>| {
            let words: Vec<&str> = sentence.split(' ').collect();
            authorities_of_two_places(&words, &mut spans);
            spans
        };
        assert_eq!(
            joined(
                "Officers from Avon and Somerset Police said so",
                vec![span(LOC, 2, 3), span(ORG, 4, 6)]
            ),
            vec![span(ORG, 2, 6)]
        );
        assert_eq!(
            joined(
                "Kensington and Chelsea Council and Devon and Cornwall Police met",
                vec![
                    span(LOC, 0, 1),
                    span(ORG, 2, 4),
                    span(ORG, 5, 6),
                    span(ORG, 7, 9)
                ]
            ),
            vec![span(ORG, 0, 4), span(ORG, 5, 9)]
        );
        assert_eq!(
            joined(
                "Greater Manchester Fire and Rescue Service said",
                vec![span(ORG, 0, 3), span(ORG, 4, 6)]
            ),
            vec![span(ORG, 0, 6)]
        );
        // a firm after a place, a bank or a council after a firm, a
        // person before
        for (sentence, spans) in [
            (
                "Britain and France Telecom",
                vec![span(LOC, 0, 1), span(ORG, 2, 4)],
            ),
            (
                "Microsoft and Deutsche Bank",
                vec![span(ORG, 0, 1), span(ORG, 2, 4)],
            ),
            (
                "Microsoft and Manchester City Council",
                vec![span(ORG, 0, 1), span(ORG, 2, 5)],
            ),
            (
                "Smith and Essex Police",
                vec![span(PER, 0, 1), span(ORG, 2, 4)],
            ),
            (
                "the Home Office and Kent Police",
                vec![span(ORG, 1, 3), span(ORG, 4, 6)],
            ),
        ] {
            assert_eq!(joined(sentence, spans.clone()), spans, "{sentence}");
        }
    }

    #[test]
    fn a_listed_name_cut_at_its_and_is_one_name() {
        assert_eq!(
            joined(
                "Leaders of Bosnia and Herzegovina met in Paris",
                vec![span(LOC, 2, 3), span(LOC, 4, 5), span(LOC, 7, 8)]
            ),
            vec![span(LOC, 2, 5), span(LOC, 7, 8)]
        );
    }

    #[test]
    fn a_listed_name_takes_in_the_half_the_tagger_left_out() {
        // "Marks" untagged, "Spencer" read as a person
        assert_eq!(
            joined("shares in Marks and Spencer rose", vec![span(PER, 4, 5)]),
            vec![span(ORG, 2, 5)]
        );
    }

    #[test]
    fn two_names_a_silver_label_joined_stay_two() {
        let spans = vec![span(LOC, 2, 3), span(LOC, 4, 5)];
        assert_eq!(
            joined("talks between India and Pakistan", spans.clone()),
            spans
        );
    }

    #[test]
    fn a_name_listed_with_an_ampersand_is_found_written_with_and() {
        let spans = vec![span(ORG, 0, 1), span(ORG, 2, 3)];
        assert_eq!(
            joined("Procter and Gamble cut prices", spans),
            vec![span(ORG, 0, 3)]
        );
    }

    #[test]
    fn a_name_the_tagger_found_whole_keeps_its_type() {
        let spans = vec![span(MISC, 2, 5)];
        assert_eq!(
            joined("shares in Marks and Spencer rose", spans.clone()),
            spans
        );
    }

    #[test]
    fn a_span_reaching_past_the_listed_name_is_left_alone() {
        let spans = vec![span(ORG, 0, 4)];
        assert_eq!(
            joined("Bosnia and Herzegovina Football Federation", spans.clone()),
            spans
        );
    }
}

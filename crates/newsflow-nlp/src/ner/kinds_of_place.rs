//! Places named by a kind of place and "of": "Strait of Hormuz", "Kingdom
//! of Benin", "Gulf of Venezuela". CoNLL-2003 has few of them (the
//! "Republic of Ireland" three times, a place each time), so the tagger
//! types them as it types other "X of Y" names, an organisation ("Bank of
//! Canada", "House of Lords"), or stops at the kind. And rivers named
//! "River" first, British style ("River Calder").

use super::tags::TokenSpan;
use super::{capitalised, go_on, LOC, MISC, ORG, PER};
use crate::tokenizer::is_possessive;

/// Capitalised words for a kind of place that a name can follow after
/// "of". Not "Union", "State" or "Commonwealth", which name organisations
/// as often ("State of Law", "Union of Students").
const KINDS: &[&str] = &[
    "Bay",
    "Cape",
    "Emirate",
    "Gulf",
    "Isle",
    "Isles",
    "Kingdom",
    "Principality",
    "Republic",
    "Sea",
    "Strait",
    "Straits",
    "Sultanate",
];

/// A name that opens on a kind of place and "of" is a place, the name
/// after "of" taken in where the tagger stopped before it ("Kingdom",
/// then "Benin") or left the kind out ("Hormuz" after "Strait of").
/// A person's name stays as it is.
pub(super) fn places_named_by_their_kind_of(words: &[&str], spans: &mut Vec<TokenSpan>) {
    let mut i = 0;
    while i < spans.len() {
        let s = spans[i];
        if s.kind == PER {
            i += 1;
            continue;
        }
        let kind_at = |at: usize| KINDS.contains(&words[at]) && words.get(at + 1) == Some(&"of");
        if kind_at(s.start) {
            if s.end - s.start == 1 {
                // "Kingdom" alone: the name after "of" (and "the") goes with it
                let mut start = s.end + 1;
                if words.get(start) == Some(&"the") {
                    start += 1;
                }
                go_on(words, spans, i, start, |next| next.kind != PER, |_| true);
            }
            if spans[i].end - spans[i].start > 2 {
                spans[i].kind = LOC;
            }
        } else if s.start >= 2 && words[s.start - 1] == "of" && kind_at(s.start - 2) {
            // "Strait" left out before "of Hormuz"
            let untagged = i == 0 || spans[i - 1].end <= s.start - 2;
            if untagged && capitalised(words[s.start - 2]) {
                spans[i].start = s.start - 2;
                spans[i].kind = LOC;
            }
        }
        i += 1;
    }
}

/// A name that opens on "River" is a river where the tagger made a person
/// or a MISC name of it ("the River Calder burst its banks" gave a
/// person), or an organisation after "the" ("the River Wear"): CoNLL-2003
/// knows the word first in a name only as a company's ("River Medical
/// Inc.") or a club's ("River Plate 2"), which "the" does not open, while
/// a river's British name takes it ("the River Plate" is the estuary).
/// Not a shop's name without "the" ("River Island").
pub(super) fn rivers_named_first(words: &[&str], spans: &mut [TokenSpan]) {
    for s in spans.iter_mut() {
        let named_first = s.end - s.start > 1 && words[s.start] == "River";
        let after_the = s.start > 0 && words[s.start - 1].eq_ignore_ascii_case("the");
        if named_first && (s.kind == PER || s.kind == MISC || (s.kind == ORG && after_the)) {
            s.kind = LOC;
        }
    }
}

/// A name that ends on "Cathedral", "Minster" or "Castle" is the
/// building, a place as CoNLL-2003 types a stadium or a bridge, where the
/// tagger made an organisation or a MISC name of it ("Lincoln
/// Cathedral", "Edinburgh Castle"); the word is not in CoNLL-2003 last
/// in a name but once. A person's name stays ("Roy Castle"), and so does
/// a name with a possessive, a title ("Howl's Moving Castle").
pub(super) fn buildings_named_last(words: &[&str], spans: &mut [TokenSpan]) {
    for s in spans.iter_mut() {
        let building =
            s.end - s.start > 1 && matches!(words[s.end - 1], "Cathedral" | "Minster" | "Castle");
        // a possessive before the name or inside it, but for a saint's
        // ("St Paul's Cathedral")
        let saint = matches!(words[s.start], "St" | "St." | "Saint");
        let after_possessive = !saint
            && words[s.start.saturating_sub(1)..s.end - 1]
                .iter()
                .any(|w| is_possessive(w));
        if building && !after_possessive && (s.kind == ORG || s.kind == MISC) {
            s.kind = LOC;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{names_in, span};
    use super::super::{LOC, MISC, ORG, PER};
    use super::*;

    fn placed(sentence: &str, spans: Vec<TokenSpan>) -> Vec<TokenSpan> {
        let words: Vec<&str> = sentence.split(' ').collect();
        let mut spans = spans;
        places_named_by_their_kind_of(&words, &mut spans);
        spans
    }

    #[test]
    fn a_cathedral_or_a_castle_named_last_is_a_place() {
        let words: Vec<&str> =
            "Lincoln Cathedral and Edinburgh Castle , said Roy Castle of Howl 's Moving Castle at St Paul 's Cathedral"
                .split(' ')
                .collect();
        let tagged = [MISC, ORG, PER, ORG, MISC, ORG];
        let at = [(0, 2), (3, 5), (7, 9), (12, 14), (10, 14), (15, 19)];
        let mut spans: Vec<TokenSpan> = tagged
            .iter()
            .zip(at)
            .map(|(&kind, (start, end))| span(kind, start, end))
            .collect();
        buildings_named_last(&words, &mut spans);
        let kinds: Vec<_> = spans.iter().map(|s| s.kind).collect();
        // a person's name and a title with a possessive stay; a saint's
        // is a place
        assert_eq!(kinds, [LOC, LOC, PER, ORG, MISC, LOC]);
    }

    #[test]
    fn a_kind_of_place_and_of_make_a_place() {
        for (sentence, before, after) in [
            // the whole name typed an organisation
            (
                "Tankers crossed the Strait of Hormuz .",
                vec![span(ORG, 3, 6)],
                vec![span(LOC, 3, 6)],
            ),
            // the kind alone, then the name after "of"
            (
                "bronzes taken from the Kingdom of Benin in 1897",
                vec![span(ORG, 4, 5), span(LOC, 6, 7)],
                vec![span(LOC, 4, 7)],
            ),
            // the kind left out
            (
                "ships in the Gulf of Venezuela .",
                vec![span(LOC, 5, 6)],
                vec![span(LOC, 3, 6)],
            ),
            // no kind of place, or a person's name: as they were
            (
                "the Bank of Canada said",
                vec![span(ORG, 1, 4)],
                vec![span(ORG, 1, 4)],
            ),
            (
                "the Cape of Good Hope",
                vec![span(PER, 1, 5)],
                vec![span(PER, 1, 5)],
            ),
            // a kind in lower case names nothing
            (
                "the sea of Gaza",
                vec![span(LOC, 3, 4)],
                vec![span(LOC, 3, 4)],
            ),
        ] {
            assert_eq!(placed(sentence, before), after, "{sentence}");
        }
    }

    #[test]
    fn the_tagger_s_places_of_a_kind_are_whole() {
        let names = names_in(
            "Bronzes taken from the Kingdom of Benin were returned. \
             Tankers crossed the Strait of Hormuz on Monday.",
        );
        for place in ["Kingdom of Benin", "Strait of Hormuz"] {
            assert!(names.contains(&(place.to_string(), LOC)), "{names:?}");
        }
    }

    #[test]
    fn a_name_opening_on_river_is_a_river_save_a_firm_s() {
        for (sentence, before, after) in [
            // a person, an organisation after "the": a river
            (
                "The River Calder burst its banks .",
                vec![span(PER, 1, 3)],
                vec![span(LOC, 1, 3)],
            ),
            (
                "Police searched the River Wear .",
                vec![span(ORG, 3, 5)],
                vec![span(LOC, 3, 5)],
            ),
            // a shop or a club without "the", or "River" alone: as they were
            (
                "a dress from River Island",
                vec![span(ORG, 3, 5)],
                vec![span(ORG, 3, 5)],
            ),
            (
                "River Plate 2 Boca Juniors 1",
                vec![span(ORG, 0, 2), span(ORG, 3, 5)],
                vec![span(ORG, 0, 2), span(ORG, 3, 5)],
            ),
            ("the River", vec![span(PER, 1, 2)], vec![span(PER, 1, 2)]),
        ] {
            let words: Vec<&str> = sentence.split(' ').collect();
            let mut spans = before;
            rivers_named_first(&words, &mut spans);
            assert_eq!(spans, after, "{sentence}");
        }
    }

    #[test]
    fn the_tagger_s_rivers_named_first_are_places() {
        let names = names_in(
            "The River Calder burst its banks in Hebden Bridge. \
             Police searched the River Wear in Durham.",
        );
        for place in ["River Calder", "River Wear"] {
            assert!(names.contains(&(place.to_string(), LOC)), "{names:?}");
        }
    }
}

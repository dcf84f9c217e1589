//! Towns outside the sports pages. CoNLL-2003's Reuters copy names football
//! and cricket clubs by their town ("Leeds", "Liverpool"), so the tagger
//! types a town named alone an organisation far more often than the news
//! outside sport does: on BBC's training articles that are not sport,
//! "visits Manchester, Liverpool, Leicester", "from Essex" and "In Nice"
//! had organisations.

use super::lists::{joins, names_a_place, names_one};
use super::tags::TokenSpan;
use super::{LOC, MISC, ORG, PER};
use crate::gazetteer::{Gazetteer, LazyLabels};
use crate::lowercase::with_lower;

/// Words of an article about sport, where a town named alone is often its
/// club: any of them keeps the tagger's organisations. They flag 408 of
/// BBC's 409 sport training articles ("v" is a team sheet's: "Leeds v
/// Saracens"), and a fifth of the others; "soccer", "baseball",
/// "basketball" and "hockey" the agencies' sports pages ("SOCCER -
/// BARCELONA BEAT ATLETICO").
pub(super) const SPORT_WORDS: &[&str] = &[
    "athletics",
    "baseball",
    "basketball",
    "champion",
    "champions",
    "championship",
    "club",
    "clubs",
    "coach",
    "cricket",
    "cup",
    "final",
    "fixture",
    "football",
    "goal",
    "goals",
    "hockey",
    "league",
    "marathon",
    "match",
    "medal",
    "midfielder",
    "olympic",
    "olympics",
    "player",
    "players",
    "premiership",
    "race",
    "rugby",
    "scored",
    "season",
    "seed",
    "soccer",
    "squad",
    "stadium",
    "striker",
    "tennis",
    "tournament",
    "v",
];

/// Words before a place: a town named after one is the town, whatever the
/// tagger made of it ("from Newcastle", "on to Carlisle"). Not "at" or
/// "of" ("works at Orange", "Order of the Bath"), though the tagger's
/// feature of the same name (`features.rs`) counts "at": that list is
/// part of the trained model and stays as it is.
const PLACE_PREPOSITIONS: &[&str] = &[
    "across",
    "around",
    "between",
    "from",
    "in",
    "including",
    "into",
    "near",
    "outside",
    "through",
    "to",
    "towards",
    "via",
];

/// A one-word organisation the tagger found in an article that speaks of
/// no sport (`about_sport`) is a place where it stands as one, after a
/// place's preposition (or "as far south as") or in a list beside a place ("Paris, Lille, Lyon
/// and Toulouse"), when the curated gazetteer knows the word as a place
/// and the silver lists know it only as a place (not "Halifax", a bank,
/// or "Toyota"), or when it is a county ("in Lancashire and West
/// Yorkshire", which the lists know as a cricket club too), which is a
/// place wherever it stands ("a warning for Aberdeenshire"). Elsewhere
/// it is left: a company named like a town is an
/// organisation where it "said" or "owns" ("Suez", "Orange", "Magna").
/// `places_after_a_place_word` does the same in every article, sport
/// too, after "in", "near" or "outside" only where the name ends its
/// phrase ("a clash in Kent."); this rule is its wider form where no club
/// is likely.
pub(super) fn towns_outside_sport_are_places(
    words: &[&str],
    curated: &LazyLabels,
    silver: &Gazetteer,
    about_sport: &dyn Fn() -> bool,
    spans: &mut [TokenSpan],
) {
    for i in 0..spans.len() {
        let s = spans[i];
        if s.kind != ORG || s.end - s.start != 1 {
            continue;
        }
        let after_preposition = s.start > 0
            && (after_place_preposition(words, s.start) || reaches_as_far_as(words, s.start));
        // a place right before or after it, a comma or "and" between
        let place_before =
            i > 0 && spans[i - 1].kind == LOC && joins(&words[spans[i - 1].end..s.start]);
        let place_after = spans
            .get(i + 1)
            .is_some_and(|n| n.kind == LOC && joins(&words[s.end..n.start]));
        let listed = place_before || place_after;
        // a county is one whatever the lists say of its cricket club
        let known_place = || {
            is_county(words[s.start])
                || (names_a_place(&curated.get()[s.start..s.end])
                    && names_one(&silver.labels(&words[s.start..s.end], false), |kinds| {
                        kinds == "LOC"
                    }))
        };
        // a county named alone is the county wherever it stands: outside
        // sport it names no club ("a red warning for Angus and
        // Aberdeenshire" had the organisation "Aberdeenshire")
        let county = is_county(words[s.start]);
        if !(after_preposition || listed || county) || !known_place() || about_sport() {
            continue;
        }
        spans[i].kind = LOC;
    }
}

/// Whether a place's preposition stands right before word `at`, or
/// before a part of the compass in lower case that does ("homes in east
/// Hull", "towns across north Wales").
fn after_place_preposition(words: &[&str], at: usize) -> bool {
    let is_preposition = |w: &str| with_lower(w, |w| PLACE_PREPOSITIONS.contains(&w));
    let part = matches!(
        words[at - 1],
        "north"
            | "south"
            | "east"
            | "west"
            | "central"
            | "north-east"
            | "north-west"
            | "south-east"
            | "south-west"
    );
    is_preposition(words[at - 1]) || (part && at >= 2 && is_preposition(words[at - 2]))
}

/// Whether "as far north as", "as far afield as" and the like stand right
/// before word `at`, which then names a place: "seen as far south as
/// Cornwall and Kent" had two organisations, cricket clubs.
fn reaches_as_far_as(words: &[&str], at: usize) -> bool {
    at >= 3
        && words[at - 1] == "as"
        && words[at - 3] == "far"
        && matches!(
            words[at - 2],
            "north" | "south" | "east" | "west" | "afield" | "away" | "inland"
        )
}

/// British counties whose names do not end in "-shire", which CoNLL's
/// cricket pages name as clubs ("Kent", "Surrey", "Essex"), and the
/// Scottish, Welsh and Northern Irish ones news names alone ("Angus",
/// "Powys", "Tyrone"), some of them first names too.
const COUNTIES: &[&str] = &[
    "Anglesey",
    "Angus",
    "Antrim",
    "Armagh",
    "Ceredigion",
    "Cornwall",
    "Cumbria",
    "Devon",
    "Dorset",
    "Durham",
    "Essex",
    "Fermanagh",
    "Fife",
    "Gwynedd",
    "Kent",
    "Merseyside",
    "Middlesex",
    "Moray",
    "Norfolk",
    "Northumberland",
    "Powys",
    "Rutland",
    "Somerset",
    "Suffolk",
    "Surrey",
    "Sussex",
    "Tyrone",
];

/// Whether a word is a British county's name: in "-shire", or one of
/// [`COUNTIES`].
pub(crate) fn is_county(word: &str) -> bool {
    (word.len() > 5 && word.ends_with("shire")) || COUNTIES.contains(&word)
}

/// A name after a place's preposition that is shaped as a British town's
/// is the town, whatever the tagger made of it: a market town ("near
/// Market Drayton", an organisation) or a spa ("in Tenbury Wells", a
/// person), neither of which the gazetteer's towns of 15,000 people
/// hold; and so is a one-word county the tagger took for a person
/// ("Police in Angus"), outside sport, where a county may be a club.
pub(super) fn town_shaped_names_are_places(
    words: &[&str],
    about_sport: &dyn Fn() -> bool,
    spans: &mut [TokenSpan],
) {
    for span in spans.iter_mut() {
        if !matches!(span.kind, ORG | PER | MISC)
            || span.start == 0
            || !after_place_preposition(words, span.start)
        {
            continue;
        }
        let name = &words[span.start..span.end];
        let town = match name {
            ["Market", town] => town.starts_with(char::is_uppercase),
            [first, "Wells" | "Spa" | "Regis"] => first.starts_with(char::is_uppercase),
            [county] => span.kind == PER && is_county(county) && !about_sport(),
            _ => false,
        };
        if town {
            span.kind = LOC;
        }
    }
}

/// A county the tagger typed an organisation (a cricket club, in CoNLL's
/// sports pages) is a place right after a town and a comma, as news
/// writes where a town lies: "Luton, Bedfordshire", "Chatham, Kent",
/// "Guildford, Surrey" (9 of BBC's training articles). Only where a sign
/// or the sentence's end follows: "at Grace Road, Leicestershire extended
/// their first innings" is the club, and "Kent Cricket" or a list of
/// clubs goes on.
pub(super) fn counties_after_towns_are_places(words: &[&str], spans: &mut [TokenSpan]) {
    for i in 1..spans.len() {
        let s = spans[i];
        if s.kind == ORG
            && s.end - s.start == 1
            && spans[i - 1].kind == LOC
            && spans[i - 1].end + 1 == s.start
            && words[s.start - 1] == ","
            && is_county(words[s.start])
            && words
                .get(s.end)
                .is_none_or(|w| matches!(*w, "," | "." | ";" | ":" | ")"))
        {
            spans[i].kind = LOC;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tests::span;

    fn lists() -> (Gazetteer, Gazetteer) {
        let curated =
            Gazetteer::from_tsv(["Liverpool\tLOC\nHalifax\tLOC\nOrange\tLOC\nParis\tLOC\n"]);
        let silver = Gazetteer::from_tsv([
            "Liverpool\tLOC\nHalifax\tLOC\nHalifax\tORG\nOrange\tLOC\nSpringfield\tLOC\n",
        ]);
        (curated, silver)
    }

    fn retyped(sentence: &str, sport: bool) -> Vec<TokenSpan> {
        let (curated, silver) = lists();
        let words: Vec<&str> = sentence.split(' ').collect();
        let labels = LazyLabels::new(&curated, &words);
        let mut spans: Vec<TokenSpan> = words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.starts_with(char::is_uppercase))
            .map(|(i, _)| span(ORG, i, i + 1))
            .collect();
        towns_outside_sport_are_places(&words, &labels, &silver, &|| sport, &mut spans);
        spans
    }

    #[test]
    fn a_market_town_a_spa_and_a_county_after_a_preposition_are_places() {
        let words: Vec<&str> =
            "crash near Market Drayton , floods in Tenbury Wells , police in Angus , \
             residents of Tenbury Wells , Market Drayton said"
                .split(' ')
                .collect();
        let at = [(2, 4), (7, 9), (12, 13), (16, 18), (19, 21)];
        let kinds = |sport: bool| {
            let mut spans: Vec<TokenSpan> = at
                .iter()
                .zip([ORG, PER, PER, ORG, ORG])
                .map(|(&(start, end), kind)| span(kind, start, end))
                .collect();
            town_shaped_names_are_places(&words, &|| sport, &mut spans);
            spans.iter().map(|s| s.kind).collect::<Vec<_>>()
        };
        // not after "of", nor opening a clause
        assert_eq!(kinds(false), [LOC, LOC, LOC, ORG, ORG]);
        // in a sports story a county may be its club; a town is a town
        assert_eq!(kinds(true), [LOC, LOC, PER, ORG, ORG]);
    }

    #[test]
    fn a_town_named_alone_outside_sport_is_a_place() {
        assert_eq!(
            retyped("he visits Liverpool today", false),
            [span(ORG, 2, 3)]
        );
        // after a place's preposition, or in a list beside a place
        assert_eq!(
            retyped("he went to Liverpool today", false),
            [span(LOC, 3, 4)]
        );
        let mut spans = vec![span(LOC, 0, 1), span(ORG, 2, 3), span(ORG, 4, 5)];
        let words = ["Paris", ",", "Liverpool", "and", "Halifax"];
        let (curated, silver) = lists();
        let labels = LazyLabels::new(&curated, &words);
        towns_outside_sport_are_places(&words, &labels, &silver, &|| false, &mut spans);
        assert_eq!(spans, [span(LOC, 0, 1), span(LOC, 2, 3), span(ORG, 4, 5)]);
        // in a sports story the town may be its club
        assert_eq!(
            retyped("he went to Liverpool today", true),
            [span(ORG, 3, 4)]
        );
        // a county, which no list here knows, is a place after "in", and
        // so beside it
        assert_eq!(
            retyped("trees fell in Lancashire and Kent today", false),
            [span(LOC, 3, 4), span(LOC, 5, 6)]
        );
        assert_eq!(
            retyped("trees fell in Lancashire today", true),
            [span(ORG, 3, 4)]
        );
        // and anywhere outside sport
        assert_eq!(
            retyped("a warning for Aberdeenshire was issued", false),
            [span(LOC, 3, 4)]
        );
        assert_eq!(
            retyped("a warning for Aberdeenshire was issued", true),
            [span(ORG, 3, 4)]
        );
        // after "including" too, and after "as far south as"
        assert_eq!(
            retyped("he toured cities including Liverpool", false),
            [span(LOC, 4, 5)]
        );
        assert_eq!(
            retyped("lights seen as far south as Cornwall and Kent", false),
            [span(LOC, 6, 7), span(LOC, 8, 9)]
        );
        assert_eq!(
            retyped("lights seen as far south as Liverpool", false),
            [span(LOC, 6, 7)]
        );
        assert_eq!(
            retyped("lights seen as Liverpool", false),
            [span(ORG, 3, 4)]
        );
        // a part of the compass between the preposition and the town
        assert_eq!(
            retyped("homes in east Liverpool flooded", false),
            [span(LOC, 3, 4)]
        );
        assert_eq!(
            retyped("homes east Liverpool flooded", false),
            [span(ORG, 2, 3)]
        );
    }

    #[test]
    fn a_county_after_a_town_is_a_place() {
        let county = |sentence: &str, spans: Vec<TokenSpan>| {
            crate::ner::tests::joined_by(
                |words, spans: &mut Vec<TokenSpan>| counties_after_towns_are_places(words, spans),
                sentence,
                spans,
            )
        };
        assert_eq!(
            county(
                "a man from Guildford , Surrey , admitted",
                vec![span(LOC, 3, 4), span(ORG, 5, 6)]
            ),
            [span(LOC, 3, 4), span(LOC, 5, 6)]
        );
        assert_eq!(
            county(
                "born in Luton , Bedfordshire .",
                vec![span(LOC, 2, 3), span(ORG, 4, 5)]
            ),
            [span(LOC, 2, 3), span(LOC, 4, 5)]
        );
        // not without a town before it, nor where a list of clubs goes on
        for (sentence, spans) in [
            (
                "Surrey , Kent and Essex won",
                vec![span(ORG, 0, 1), span(ORG, 2, 3)],
            ),
            (
                "Leeds , Kent Spitfires won",
                vec![span(LOC, 0, 1), span(ORG, 2, 4)],
            ),
            (
                "Leeds , Kent Cricket",
                vec![span(LOC, 0, 1), span(ORG, 2, 3)],
            ),
            (
                "at Grace Road , Leicestershire extended their first innings",
                vec![span(LOC, 1, 3), span(ORG, 4, 5)],
            ),
        ] {
            assert_eq!(county(sentence, spans.clone()), spans, "{sentence}");
        }
        let names = crate::ner::tests::names_in(
            "James Whitmore , 54 , of Guildford , Surrey , admitted 14 counts of fraud .",
        );
        assert!(names.contains(&("Surrey".to_string(), LOC)), "{names:?}");
    }

    #[test]
    fn a_company_named_like_a_town_stays_an_organisation() {
        for sentence in [
            // the silver lists know it as an organisation too
            "shares in Halifax rose",
            // a place the silver lists know, the curated gazetteer not
            "shares in Springfield rose",
            // not where it stands as a place
            "shares at Orange rose",
        ] {
            assert_eq!(retyped(sentence, false), [span(ORG, 2, 3)], "{sentence}");
        }
    }
}

//! Firms known by the words around their names: "analysts at
//! Jefferies", "operator Isavia", "Chipmaker Nvidia". The tagger learnt
//! from CoNLL-2003's Reuters copy of 1996 and types a firm's name it never
//! saw as a person or a place; the words before it say what it is.

use super::tags::TokenSpan;
use super::{capitalised, LOC, ORG, PER};
use crate::lowercase::with_lower;

/// A name right after "analysts at", "an economist at", "strategists at",
/// "traders at" or "brokers at" is their firm ("analysts at Jefferies",
/// "an economist at ING"), where the tagger took a firm's unknown name
/// for a person ("Wedbush") or a place ("Jefferies", "Bernstein"). In
/// CoNLL-2003 (`eng.train` and `eng.testa`) 7 of the 8 names so placed
/// are organisations (the eighth, the broker "Raymond James", is labelled
/// a person). A lower-case word after the name other than a verb of
/// saying or a small word leaves it: the name then describes a firm named
/// later ("traders at US banking giant Citigroup").
pub(super) fn firms_of_market_professionals(words: &[&str], spans: &mut [TokenSpan]) {
    let ends_the_firm = |next: Option<&&str>| {
        next.is_none_or(|w| {
            !w.starts_with(char::is_lowercase)
                || crate::keywords::is_auxiliary(w)
                || matches!(
                    *w,
                    "say"
                        | "told"
                        | "wrote"
                        | "added"
                        | "noted"
                        | "warned"
                        | "expects"
                        | "expect"
                        | "in"
                        | "on"
                        | "for"
                        | "and"
                        | "who"
                        | "which"
                )
        })
    };
    for s in spans.iter_mut() {
        // the cheapest test first: most names follow no "at"
        if s.start >= 2
            && words[s.start - 1] == "at"
            && s.kind != ORG
            && with_lower(words[s.start - 2], |w| {
                matches!(
                    w.strip_suffix('s').unwrap_or(w),
                    "analyst" | "economist" | "strategist" | "trader" | "broker"
                )
            })
            && ends_the_firm(words.get(s.end))
        {
            s.kind = ORG;
        }
    }
}

/// Kinds of firm that, written in lower case right before a name, say it
/// is one ("accountancy firm Grant Thornton", "retailer Metro"), and that
/// a person is not. In CoNLL-2003 (`eng.train` and `eng.testa`) every one
/// of the 66 names after "company", "firm", "group", "bank", "maker",
/// "miner", "operator", "conglomerate", "distributor", "manufacturer",
/// "retailer", "utility" or "lender" is an organisation; "carrier" (the
/// aircraft carrier "Carl Vinson"), "insurer", "broker" and "partner"
/// also come before people and ships, and are left out, as are compounds
/// in "-maker" ("lawmaker", "filmmaker", "playmaker").
const CORPORATE_KINDS: &[&str] = &[
    "bank",
    "company",
    "conglomerate",
    "distributor",
    "firm",
    "group",
    "lender",
    "manufacturer",
    "miner",
    "retailer",
    "utility",
];

/// Kinds of firm that a person may also be ("games maker Peter Molyneux",
/// "broadcaster Cyril Fletcher"): they make a firm of a one-word name
/// only ("operator Isavia").
const FIRM_OR_PERSON_KINDS: &[&str] = &["airline", "broadcaster", "maker", "operator", "publisher"];

/// A person or a place the tagger found right after a kind of firm
/// ([`CORPORATE_KINDS`]; [`FIRM_OR_PERSON_KINDS`] before a one-word name)
/// is that firm: "operator Isavia said".
pub(super) fn firms_after_their_kind(words: &[&str], spans: &mut [TokenSpan]) {
    for s in spans.iter_mut() {
        if s.kind != PER && s.kind != LOC {
            continue;
        }
        let Some(kind) = s.start.checked_sub(1).map(|i| words[i]) else {
            continue;
        };
        let one_word = s.end - s.start == 1;
        let firm_kind =
            CORPORATE_KINDS.contains(&kind) || (one_word && FIRM_OR_PERSON_KINDS.contains(&kind));
        // a letter stays ("C." where it ends a sentence)
        let letter =
            || one_word && words[s.start].chars().filter(|c| c.is_alphabetic()).count() == 1;
        if firm_kind && !letter() {
            s.kind = ORG;
        }
    }
}

/// Kinds of firm that never open a firm's own name, unlike "Bank" ("Bank
/// Leumi") or "Group" ("Group Lotus"): written with a capital at a
/// sentence's start, the tagger took them into the name after them
/// ("Chipmaker Nvidia", "Carmaker Stellantis", a person). CoNLL-2003
/// (`eng.train`, `eng.testa`) has none of them capitalised inside a name.
const KINDS_BEFORE_A_FIRM: &[&str] = &[
    "airline",
    "automaker",
    "bookmaker",
    "brewer",
    "broadcaster",
    "carmaker",
    "chipmaker",
    "conglomerate",
    "distributor",
    "drugmaker",
    "grocer",
    "housebuilder",
    "insurer",
    "lender",
    "manufacturer",
    "miner",
    "planemaker",
    "publisher",
    "retailer",
    "steelmaker",
    "supermarket",
];

/// A name that opens on one of [`KINDS_BEFORE_A_FIRM`] is the firm after
/// it: "Retailer Tesco" is "Tesco", an organisation.
pub(super) fn kinds_of_firm_are_no_part_of_its_name(words: &[&str], spans: &mut [TokenSpan]) {
    for s in spans.iter_mut() {
        if s.end - s.start > 1
            && capitalised(words[s.start])
            && with_lower(words[s.start], |w| KINDS_BEFORE_A_FIRM.contains(&w))
        {
            s.start += 1;
            s.kind = ORG;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{names_in, span};
    use super::*;

    #[test]
    fn a_name_after_analysts_at_is_their_firm() {
        let names = names_in(
            "Analysts at Wedbush said the launch should help. \
             Strategists at Jefferies were cautious, said Tom Hale, an economist at Bernstein.",
        );
        for firm in ["Wedbush", "Jefferies", "Bernstein"] {
            assert!(names.contains(&(firm.to_string(), ORG)), "{names:?}");
        }
        assert!(names.contains(&("Tom Hale".to_string(), PER)), "{names:?}");
        // a name that describes the firm named after it keeps its type
        let words: Vec<&str> = "Traders at US banking giant Citigroup".split(' ').collect();
        let mut spans = vec![span(LOC, 2, 3), span(ORG, 5, 6)];
        firms_of_market_professionals(&words, &mut spans);
        assert_eq!(spans, vec![span(LOC, 2, 3), span(ORG, 5, 6)]);
    }

    #[test]
    fn a_kind_of_firm_opening_a_sentence_is_no_part_of_the_firm_s_name() {
        let names = names_in(
            "Chipmaker Nvidia said revenue rose. Retailer Tesco cut prices. \
             Carmaker Stellantis recalled cars.",
        );
        for firm in ["Nvidia", "Tesco", "Stellantis"] {
            assert!(names.contains(&(firm.to_string(), ORG)), "{names:?}");
        }
        // a bank's or a group's name may open on its kind
        let words: Vec<&str> = "Bank Leumi and Group Lotus".split(' ').collect();
        let mut spans = vec![span(ORG, 0, 2), span(ORG, 3, 5)];
        kinds_of_firm_are_no_part_of_its_name(&words, &mut spans);
        assert_eq!(spans, vec![span(ORG, 0, 2), span(ORG, 3, 5)]);
    }

    #[test]
    fn a_name_after_a_kind_of_firm_is_that_firm() {
        let words: Vec<&str> = "operator Isavia , accountancy firm Grant Thornton , \
                                broadcaster Cyril Fletcher and group C."
            .split(' ')
            .collect();
        let mut spans = vec![
            span(PER, 1, 2),
            span(PER, 5, 7),
            span(PER, 9, 11),
            span(PER, 13, 14),
        ];
        firms_after_their_kind(&words, &mut spans);
        // a person may be a broadcaster, never a firm
        assert_eq!(
            spans,
            vec![
                span(ORG, 1, 2),
                span(ORG, 5, 7),
                span(PER, 9, 11),
                span(PER, 13, 14)
            ]
        );
    }
}

//! A name's first word that the tagger leaves out where a sentence's
//! start capitalises it anyway: "Information" of "The Information
//! Commissioner's Office said…", "Greater" of "Greater Manchester Police
//! said…", "Campaign" of "Campaign for Better Transport called…". The
//! same names mid-sentence came whole.

use super::tags::TokenSpan;
use super::{is_org_head, LOC, MISC, ORG, PER};

/// Gives back to the names of a sentence the first word the tagger left
/// out:
/// - the capitalised word between a sentence's opening "The" and an
///   organisation or a place (not a MISC name: "The Great British public"
///   has the nationality "British"): in CoNLL-2003's `eng.train`, where such a word is
///   followed by an organisation, it opens that organisation 39 times of
///   40; a nationality the tagger tags ("The German Bundesbank"), a date
///   or a creed stays out (`describes`);
/// - "Greater" before a place or an organisation ("Greater London",
///   "Greater Manchester Police");
/// - an organisation's head word before "for" or "of" (and "the") and an
///   organisation or a place, untagged or a one-word name of its own ("The
///   charity Campaign for Better Transport", "Bank of England said…"): the
///   whole run is the organisation.
pub(super) fn names_take_their_first_word(words: &[&str], spans: &mut Vec<TokenSpan>) {
    let untagged =
        |spans: &[TokenSpan], at: usize| !spans.iter().any(|s| s.start <= at && at < s.end);
    // "The" + a word + a name
    if words.len() > 2
        && words[0] == "The"
        && is_capitalised_word(words[1])
        && untagged(spans, 1)
        && !describes(words[1])
    {
        if let Some(s) = spans
            .iter_mut()
            .find(|s| s.start == 2 && matches!(s.kind, ORG | LOC))
        {
            s.start = 1;
        }
    }
    for i in 0..spans.len() {
        let start = spans[i].start;
        if spans[i].kind != PER
            && spans[i].kind != MISC
            && start >= 1
            && words[start - 1] == "Greater"
            && untagged(spans, start - 1)
        {
            spans[i].start -= 1;
        }
    }
    let mut i = 0;
    while i < spans.len() {
        let s = spans[i];
        let mut link = s.start;
        if link >= 1 && words[link - 1] == "the" {
            link -= 1;
        }
        let Some(head) = link.checked_sub(2) else {
            i += 1;
            continue;
        };
        // the link word first: it is rarer than a name
        if !matches!(words[link - 1], "for" | "of")
            || !matches!(s.kind, ORG | LOC)
            || !is_capitalised_word(words[head])
            || !is_org_head(words[head])
        {
            i += 1;
            continue;
        }
        let head_alone = spans
            .iter()
            .position(|h| h.start == head && h.end == head + 1 && h.kind != PER);
        if head_alone.is_none() && !untagged(spans, head) {
            i += 1;
            continue;
        }
        spans[i].start = head;
        spans[i].kind = ORG;
        if let Some(h) = head_alone {
            spans.remove(h);
        } else {
            i += 1;
        }
    }
}

/// Whether a word before a name tells of it rather than belonging to it:
/// a date ("The August Chicago index", "The September Treasury bond") or a
/// creed ("The Socialist CFDT union", "The Islamist Hamas movement", the
/// one case of the 40 where CoNLL-2003 keeps such a word out).
fn describes(word: &str) -> bool {
    matches!(
        word,
        "January"
            | "February"
            | "March"
            | "April"
            | "May"
            | "June"
            | "July"
            | "August"
            | "September"
            | "October"
            | "November"
            | "December"
            | "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
    ) || word.ends_with("ist")
}

/// Whether a word is written as a sentence's first word is: a capital,
/// then lower-case letters only ("Information", not "BBC" or "Kiel-based").
fn is_capitalised_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tests::{joined_by, names_in, span};

    fn joined(sentence: &str, spans: Vec<TokenSpan>) -> Vec<TokenSpan> {
        joined_by(names_take_their_first_word, sentence, spans)
    }

    #[test]
    fn a_word_between_the_opening_the_and_a_name_is_the_name_s() {
        assert_eq!(
            joined(
                "The Information Commissioner 's Office said",
                vec![span(ORG, 2, 5)]
            ),
            [span(ORG, 1, 5)]
        );
        // a nationality the tagger found, a person, a word mid-sentence,
        // a word in capitals stay as they were
        for (sentence, spans) in [
            (
                "The German Bundesbank said",
                vec![span(MISC, 1, 2), span(ORG, 2, 3)],
            ),
            ("The Reverend Jesse Jackson said", vec![span(PER, 2, 4)]),
            ("He said The Times", vec![span(ORG, 3, 4)]),
            ("The UK Treasury said", vec![span(ORG, 2, 3)]),
            ("The August Chicago index rose", vec![span(LOC, 2, 3)]),
            ("The Islamist Hamas movement said", vec![span(ORG, 2, 3)]),
            ("The Great British public", vec![span(MISC, 2, 3)]),
        ] {
            assert_eq!(joined(sentence, spans.clone()), spans, "{sentence}");
        }
    }

    #[test]
    fn greater_opens_a_place_or_an_organisation() {
        assert_eq!(
            joined("Greater Manchester Police said", vec![span(ORG, 1, 3)]),
            [span(ORG, 0, 3)]
        );
        assert_eq!(
            joined("across Greater London", vec![span(LOC, 2, 3)]),
            [span(LOC, 1, 3)]
        );
        let spans = vec![span(PER, 1, 2)];
        assert_eq!(joined("Greater Smith said", spans.clone()), spans);
    }

    #[test]
    fn a_head_word_before_for_or_of_and_a_name_opens_an_organisation() {
        assert_eq!(
            joined(
                "Campaign for Better Transport called",
                vec![span(ORG, 2, 4)]
            ),
            [span(ORG, 0, 4)]
        );
        assert_eq!(
            joined(
                "The charity Campaign for Better Transport called",
                vec![span(MISC, 2, 3), span(ORG, 4, 6)]
            ),
            [span(ORG, 2, 6)]
        );
        assert_eq!(
            joined("Bank of England said", vec![span(LOC, 2, 3)]),
            [span(ORG, 0, 3)]
        );
        assert_eq!(
            joined(
                "Office for the Nuclear Regulator said",
                vec![span(ORG, 3, 5)]
            ),
            [span(ORG, 0, 5)]
        );
        // not after a word that is no head, before a person, or in lower
        // case
        for (sentence, spans) in [
            ("Minister for Europe said", vec![span(LOC, 2, 3)]),
            ("Bank of John Smith", vec![span(PER, 2, 4)]),
            ("the bank of England", vec![span(LOC, 3, 4)]),
        ] {
            assert_eq!(joined(sentence, spans.clone()), spans, "{sentence}");
        }
    }

    #[test]
    fn the_tagger_s_names_take_their_first_word() {
        for (text, name) in [
            (
                "The Information Commissioner's Office said it was investigating .",
                "Information Commissioner's Office",
            ),
            (
                "Greater Manchester Police said they were treating it as a hate crime .",
                "Greater Manchester Police",
            ),
            (
                "Campaign for Better Transport called the rise another blow .",
                "Campaign for Better Transport",
            ),
        ] {
            let names = names_in(text);
            assert!(names.contains(&(name.to_string(), ORG)), "{names:?}");
        }
    }
}

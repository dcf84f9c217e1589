//! A generational suffix ends a person's name: CoNLL-2003 keeps "Jr"
//! inside the person three times of four, but the tagger, having seen it
//! rarely, left it out ("Robert Downey" of "Robert Downey Jr.") or made a
//! person of it alone: "Martin Luther King Jr." came out as the people
//! "Martin Luther" and "Jr.", with "King" between them in no name.

use super::tags::TokenSpan;
use super::PER;

/// Suffixes of a son or a father named alike, as news writes them.
const SUFFIXES: &[&str] = &["Jr", "Jr.", "Jnr", "Jnr.", "Sr", "Sr.", "Snr", "Snr."];

/// Makes one person of the names that run up to a suffix (with a comma
/// before it or not) and the suffix, when one of them is a person: the
/// tagger's spans, and up to two capitalised words it left out, each
/// ending where the next starts, back from the suffix.
pub(super) fn people_take_their_suffix(words: &[&str], spans: &mut Vec<TokenSpan>) {
    for at in 1..words.len() {
        // a name the tagger starts on the suffix and goes on with is
        // another's ("Martin Luther King Jr. Center for Non-Violent Social
        // Change")
        if !SUFFIXES.contains(&words[at]) || spans.iter().any(|s| s.start == at && s.end > at + 1) {
            continue;
        }
        let end = if words[at - 1] == "," { at - 1 } else { at };
        // the chain back from the suffix of spans and of capitalised words
        // the tagger left out ("King"), each ending where the next starts
        let mut person = false;
        let mut next = end;
        let mut left_out = 0;
        while next > 0 {
            if let Some(s) = spans.iter().find(|s| s.end == next && s.start < next) {
                person |= s.kind == PER;
                next = s.start;
            } else if left_out < 2
                && is_name_word(words[next - 1])
                && !spans.iter().any(|s| s.start < next && next <= s.end)
            {
                left_out += 1;
                next -= 1;
            } else {
                break;
            }
        }
        if !person {
            continue;
        }
        let start = next;
        spans.retain(|s| s.end <= start || s.start > at);
        spans.push(TokenSpan {
            kind: PER,
            start,
            end: at + 1,
        });
        spans.sort_by_key(|s| s.start);
    }
}

/// A capitalised word that may be part of a name: no abbreviation ("Dr.",
/// "Sen."), honorific or title ("Dr Martin Luther King Jr." is a person
/// from "Martin").
fn is_name_word(word: &str) -> bool {
    word.starts_with(char::is_uppercase)
        && !word.ends_with('.')
        && !matches!(word, "Mr" | "Mrs" | "Ms" | "Dr" | "Sir" | "Rev")
        && !super::TITLES.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tests::{joined_by, names_in, span};
    use crate::ner::{LOC, MISC, ORG};

    fn joined(sentence: &str, spans: Vec<TokenSpan>) -> Vec<TokenSpan> {
        joined_by(people_take_their_suffix, sentence, spans)
    }

    #[test]
    fn a_suffix_ends_a_person_s_name() {
        // left out, or a person of its own with a word between in no name
        // or in another
        assert_eq!(
            joined("Robert Downey Jr. starred", vec![span(PER, 0, 2)]),
            [span(PER, 0, 3)]
        );
        assert_eq!(
            joined(
                "Martin Luther King Jr. led the march to Montgomery",
                vec![
                    span(PER, 0, 2),
                    span(MISC, 2, 3),
                    span(PER, 3, 4),
                    span(LOC, 8, 9)
                ]
            ),
            [span(PER, 0, 4), span(LOC, 8, 9)]
        );
        assert_eq!(
            joined(
                "Martin Luther King , Jr. led",
                vec![span(PER, 0, 3), span(PER, 4, 5)]
            ),
            [span(PER, 0, 5)]
        );
        assert_eq!(
            joined(
                "Martin Luther King Jr. led",
                vec![span(PER, 0, 2), span(PER, 3, 4)]
            ),
            [span(PER, 0, 4)]
        );
        // nor does it take in a title or an abbreviation before the name
        assert_eq!(
            joined(
                "by Dr. Martin Luther King Jr. , a",
                vec![span(PER, 2, 4), span(PER, 5, 6)]
            ),
            [span(PER, 2, 6)]
        );
        // not after a name that is no person's, nor after no name
        assert_eq!(
            joined("Acme Jr. Holdings", vec![span(ORG, 0, 1)]),
            [span(ORG, 0, 1)]
        );
        assert_eq!(joined("the Jr. team", vec![]), []);
        let center = vec![span(PER, 0, 2), span(ORG, 3, 6)];
        assert_eq!(
            joined("Martin Luther King Jr. Center opened", center.clone()),
            center
        );
    }

    #[test]
    fn the_tagger_s_cut_names_are_whole_again() {
        let names = names_in("Martin Luther King Jr. led the march to Montgomery .");
        assert!(
            names.contains(&("Martin Luther King Jr.".to_string(), PER)),
            "{names:?}"
        );
        let names = names_in("Robert Downey Jr. starred in the film .");
        assert!(
            names.contains(&("Robert Downey Jr.".to_string(), PER)),
            "{names:?}"
        );
    }
}

//! Names that arts and health news run together with the words around
//! them: a festival or a prize with the title of the work it went to, and
//! a disease's namesake.

use super::tags::TokenSpan;
use super::{MISC, PER};

/// Whether a capitalised word after "for" opens a work's title or an
/// award's category rather than more of an organisation's name ("Institute
/// for the Study of War", "Commission for Racial Equality" go on in lower
/// case or on a noun).
fn opens_a_work_or_a_category(word: &str) -> bool {
    matches!(
        word,
        "The" | "A" | "An" | "It" | "I" | "We" | "They" | "He" | "She" | "You" | "My" | "Best"
    )
}

/// A name that runs over "for" into a work's title or an award's category
/// is two: "Cannes Film Festival for It Was Just An Accident" had been one
/// organisation, since the tagger, trained on names such as "Campaign for
/// Nuclear Disarmament", carries a capitalised run over "for". The part
/// before keeps its type; the title, or the category ("Best Director"), is
/// a MISC name.
pub(super) fn works_are_cut_at_for(words: &[&str], spans: &mut Vec<TokenSpan>) {
    let mut i = 0;
    while i < spans.len() {
        let s = spans[i];
        let cut = (s.start + 1..s.end.saturating_sub(1))
            .find(|&k| words[k] == "for" && opens_a_work_or_a_category(words[k + 1]));
        if let Some(k) = cut {
            spans[i].end = k;
            spans.insert(
                i + 1,
                TokenSpan {
                    kind: MISC,
                    start: k + 1,
                    end: s.end,
                },
            );
            i += 1;
        }
        i += 1;
    }
}

/// A name right before "'s disease" or "'s syndrome" is the person the
/// illness is named after, as CoNLL-2003 labels "Crohn" and
/// "Gehrig" there (4 times of 4): the tagger had made a place of
/// "Alzheimer", which GMB's silver labels give as a place. Not
/// "Legionnaire's disease", named after a veterans' convention.
pub(super) fn diseases_are_named_after_people(words: &[&str], spans: &mut [TokenSpan]) {
    for s in spans.iter_mut() {
        if s.kind != PER
            && !words[s.start].starts_with("Legionnaire")
            && matches!(words.get(s.end), Some(&("'s" | "’s")))
            && matches!(words.get(s.end + 1), Some(&("disease" | "syndrome")))
        {
            s.kind = PER;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{joined_by, names_in, span};
    use super::super::{LOC, ORG};
    use super::*;

    #[test]
    fn a_name_is_cut_before_for_and_a_work_s_title() {
        let cut = |text: &str, spans: Vec<TokenSpan>| joined_by(works_are_cut_at_for, text, spans);
        assert_eq!(
            cut(
                "at the Cannes Film Festival for It Was Just An Accident",
                vec![span(ORG, 2, 11)]
            ),
            [span(ORG, 2, 5), span(MISC, 6, 11)]
        );
        assert_eq!(
            cut("the Oscar for Best Director", vec![span(MISC, 1, 5)]),
            [span(MISC, 1, 2), span(MISC, 3, 5)]
        );
        // an organisation's name goes on over "for"
        for (text, spans) in [
            (
                "the Commission for Racial Equality said",
                vec![span(ORG, 1, 5)],
            ),
            ("the Campaign for Better Transport", vec![span(ORG, 1, 5)]),
            ("a festival for The Cure", vec![span(ORG, 3, 5)]),
        ] {
            assert_eq!(cut(text, spans.clone()), spans, "{text}");
        }
    }

    #[test]
    fn a_disease_s_namesake_is_a_person() {
        let named = |text: &str, spans: Vec<TokenSpan>| {
            joined_by(
                |w: &[&str], s: &mut Vec<TokenSpan>| diseases_are_named_after_people(w, s),
                text,
                spans,
            )
        };
        assert_eq!(
            named(
                "people with early Alzheimer 's disease",
                vec![span(LOC, 3, 4)]
            ),
            [span(PER, 3, 4)]
        );
        assert_eq!(
            named("Tourette 's syndrome", vec![span(MISC, 0, 1)]),
            [span(PER, 0, 1)]
        );
        // not before another noun, nor a convention's veterans
        for (text, spans) in [
            ("Alzheimer 's Society", vec![span(ORG, 0, 1)]),
            ("Legionnaire 's disease", vec![span(LOC, 0, 1)]),
        ] {
            assert_eq!(named(text, spans.clone()), spans, "{text}");
        }
    }

    #[test]
    fn the_tagger_s_festival_and_disease_names_are_mended() {
        let names = names_in(
            "Jafar Panahi won the Palme d'Or at the Cannes Film Festival for It Was Just \
             An Accident. The drug slows early Alzheimer's disease.",
        );
        for name in [
            ("Cannes Film Festival", ORG),
            ("It Was Just An Accident", MISC),
            ("Alzheimer", PER),
        ] {
            assert!(names.contains(&(name.0.to_string(), name.1)), "{names:?}");
        }
    }
}

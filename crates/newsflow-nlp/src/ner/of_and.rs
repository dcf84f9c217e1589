//! An organisation named "head word of X and Y" ("Office of Management
//! and Budget", "Police Federation of England and Wales"): the tagger and
//! `join_of_names` end it at the "and" when the tagger tagged X, and the
//! rest becomes a name of its own or nothing, so an entity or a key phrase
//! holds half the name.

use super::tags::TokenSpan;
use super::{capitalised, is_company_ending, is_org_head, listed_and::names_whole, LOC, ORG, PER};
use crate::gazetteer::{Gazetteer, LazyLabels};

/// An organisation span with a head word and "of" or "for" inside it,
/// followed by "and" and a capitalised run, takes the run in: the
/// tagger's span that starts right after the "and", or else the untagged
/// capitalised words there. Not where the run is a person, one word the
/// tagger made an organisation or a place (mostly a company or a place of
/// its own: "the Bank of England and Barclays"; "and Sport" is lost so),
/// a name the curated gazetteer or the silver lists know by itself
/// ("England and Wales"), a month, or an organisation of its own: one
/// with a head word in it or a company's ending ("Standard Trust Bank",
/// "State University of New York"), or going on with "of", "for" or "'s".
pub(super) fn join_of_names_over_and(
    words: &[&str],
    curated: &LazyLabels,
    silver: &Gazetteer,
    spans: &mut Vec<TokenSpan>,
) {
    let mut i = 0;
    while i < spans.len() {
        let s = spans[i];
        let and = s.end;
        if s.kind != ORG
            || words.get(and) != Some(&"and")
            || !has_head_and_link(&words[s.start..s.end])
        {
            i += 1;
            continue;
        }
        let from = and + 1;
        let next = spans.get(i + 1).filter(|n| n.start == from).copied();
        let end = match next {
            // a person, or one word the tagger made a name of its own
            Some(n) if n.kind == PER => from,
            Some(n) if n.end - n.start == 1 && (n.kind == ORG || n.kind == LOC) => from,
            Some(n) => n.end,
            None => {
                let stop = spans.get(i + 1).map_or(words.len(), |n| n.start);
                (from..stop)
                    .take_while(|&k| capitalised(words[k]))
                    .last()
                    .map_or(from, |k| k + 1)
            }
        };
        if end > from && takes(words, from..end, curated, silver) {
            spans[i].end = end;
            if next.is_some() {
                spans.remove(i + 1);
            }
        }
        i += 1;
    }
}

/// Whether `name` holds a head word followed by "of" or "for".
fn has_head_and_link(name: &[&str]) -> bool {
    name.windows(2)
        .any(|w| (w[1] == "of" || w[1] == "for") && capitalised(w[0]) && is_org_head(w[0]))
}

/// Whether the run `words[run]` after the "and" is the rest of the name
/// rather than a name of its own.
fn takes(
    words: &[&str],
    run: std::ops::Range<usize>,
    curated: &LazyLabels,
    silver: &Gazetteer,
) -> bool {
    let part = &words[run.clone()];
    // a second organisation after the "and": a head word in it, or a
    // company's ending ("United Bank of Africa and Standard Trust Bank",
    // "Ministry of Finance and Nomura Securities", "… and Tata Group")
    let last = part[part.len() - 1];
    let own_ending = part.iter().any(|w| is_org_head(w))
        || is_company_ending(last)
        || super::with_lower(last, |w| w.trim_end_matches('.') == "group");
    let goes_on = words
        .get(run.end)
        .is_some_and(|w| matches!(*w, "of" | "for" | "'s"));
    let month = run.len() == 1 && crate::dates::month(words[run.start]).is_some();
    if own_ending || goes_on || month {
        return false;
    }
    !(names_whole(curated.gazetteer(), part) || names_whole(silver, part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tests::span;
    use crate::ner::{LOC, MISC};

    fn joined(sentence: &str, mut spans: Vec<TokenSpan>) -> Vec<TokenSpan> {
        let curated = Gazetteer::from_tsv(["Wales\tLOC\nEngland\tLOC\n"]);
        let silver = Gazetteer::from_tsv(["Credit Agricole\tORG\n"]);
        let words: Vec<&str> = sentence.split(' ').collect();
        let labels = LazyLabels::new(&curated, &words);
        join_of_names_over_and(&words, &labels, &silver, &mut spans);
        spans
    }

    #[test]
    fn the_rest_of_the_name_after_and_is_taken_in() {
        // the tagger's MISC name after the "and"
        assert_eq!(
            joined(
                "the Office of Management and Budget said",
                vec![span(ORG, 1, 4), span(MISC, 5, 6)]
            ),
            [span(ORG, 1, 6)]
        );
        // untagged capitalised words
        assert_eq!(
            joined(
                "the King Abdallah University of Science and Technology in",
                vec![span(ORG, 1, 6)]
            ),
            [span(ORG, 1, 8)]
        );
    }

    #[test]
    fn a_name_of_its_own_after_and_stays_apart() {
        for (text, spans) in [
            // no head word and link inside the first name
            (
                "the Acme Corp and Budget said",
                vec![span(ORG, 1, 3), span(MISC, 4, 5)],
            ),
            // a person, a listed name, a listed place
            (
                "the University of California and Dan Gillmor",
                vec![span(ORG, 1, 4), span(PER, 5, 7)],
            ),
            (
                "the Bank of England and HSBC said",
                vec![span(ORG, 1, 4), span(ORG, 5, 6)],
            ),
            (
                "the Bank of England and Credit Agricole said",
                vec![span(ORG, 1, 4), span(ORG, 5, 7)],
            ),
            (
                "the Police Federation of England and Wales said",
                vec![span(ORG, 1, 5), span(LOC, 6, 7)],
            ),
            // an organisation of its own: a head word, a company's
            // ending, or "of" after it
            (
                "the United Bank of Africa and Standard Trust Bank said",
                vec![span(ORG, 1, 5), span(ORG, 6, 9)],
            ),
            (
                "the Ministry of Finance and Nomura Securities said",
                vec![span(ORG, 1, 4), span(ORG, 5, 7)],
            ),
            (
                "the Ministry of Health and Acme Pharmaceuticals said",
                vec![span(ORG, 1, 4), span(ORG, 5, 7)],
            ),
            (
                "the Bank of Ireland and Tata Group said",
                vec![span(ORG, 1, 4), span(ORG, 5, 7)],
            ),
            (
                "the Department of Health and State University of New York",
                vec![span(ORG, 1, 4), span(ORG, 5, 10)],
            ),
            // a month
            ("the Bank of Japan and March", vec![span(ORG, 1, 4)]),
        ] {
            assert_eq!(joined(text, spans.clone()), spans, "{text}");
        }
    }
}

//! A minister's portfolio is no name: CoNLL-2003 leaves the word before
//! "Minister" outside any name ("Finance", "Defence", "Interior" in
//! `eng.train`), but the tagger, having seen "Justice" there rarely, made
//! an organisation of it in 12 of 9,600 GMB windows ("Sudan 's Justice
//! Minister") and in BBC's "Justice Minister Cathy Jamieson".

use super::tags::TokenSpan;
use super::{MISC, ORG};

/// Ministers' portfolios, in lower case. Not "labour" or "labor": "Labour
/// minister" names the party's minister in BBC's articles.
const PORTFOLIOS: &[&str] = &[
    "agriculture",
    "commerce",
    "culture",
    "defence",
    "defense",
    "economy",
    "education",
    "energy",
    "environment",
    "finance",
    "health",
    "housing",
    "industry",
    "information",
    "interior",
    "justice",
    "oil",
    "petroleum",
    "planning",
    "tourism",
    "trade",
    "transport",
];

/// Titles a portfolio stands before.
const MINISTERS: &[&str] = &["Minister", "minister", "Secretary", "secretary"];

/// Drops a one-word organisation or MISC name that is a portfolio right
/// before a minister's or secretary's title, or before "and", another
/// portfolio and the title ("Commerce and Industry Minister").
pub(super) fn portfolios_are_no_names(words: &[&str], spans: &mut Vec<TokenSpan>) {
    let portfolio = |w: &str| super::with_lower(w, |w| PORTFOLIOS.contains(&w));
    let title_at = |at: usize| words.get(at).is_some_and(|w| MINISTERS.contains(w));
    let before_title = |s: &TokenSpan| {
        title_at(s.end)
            || (words.get(s.end) == Some(&"and")
                && words.get(s.end + 1).is_some_and(|w| portfolio(w))
                && title_at(s.end + 2))
    };
    spans.retain(|s| {
        let lone = s.end - s.start == 1 && (s.kind == ORG || s.kind == MISC);
        !(lone && before_title(s) && portfolio(words[s.start]))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tests::{joined_by, span};
    use crate::ner::{LOC, PER};

    fn kept(sentence: &str, spans: Vec<TokenSpan>) -> Vec<TokenSpan> {
        joined_by(portfolios_are_no_names, sentence, spans)
    }

    #[test]
    fn a_portfolio_before_a_minister_is_no_name() {
        assert_eq!(
            kept(
                "Sudan 's Justice Minister , Ali Osman , said",
                vec![span(LOC, 0, 1), span(ORG, 2, 3), span(PER, 5, 7)]
            ),
            [span(LOC, 0, 1), span(PER, 5, 7)]
        );
        assert_eq!(
            kept(
                "Commerce and Industry Minister Kamal Nath",
                vec![span(ORG, 0, 1), span(PER, 4, 6)]
            ),
            [span(PER, 4, 6)]
        );
    }

    #[test]
    fn other_names_before_a_minister_stay() {
        for (text, spans) in [
            // a people's adjective, a ministry, a name of two words
            ("the Israeli Defense Minister", vec![span(MISC, 1, 2)]),
            ("a Palestinian Minister said", vec![span(MISC, 1, 2)]),
            ("the Justice Party Minister", vec![span(ORG, 1, 3)]),
            ("the Justice Ministry said", vec![span(ORG, 1, 3)]),
            ("the Justice and Truth alliance", vec![span(ORG, 1, 4)]),
            // a portfolio with no title after it
            ("the Justice said", vec![span(ORG, 1, 2)]),
        ] {
            assert_eq!(kept(text, spans.clone()), spans, "{text}");
        }
    }
}

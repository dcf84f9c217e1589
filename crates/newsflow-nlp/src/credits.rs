//! Credits: photo credits in captions, such as "(AA Photo)", "(Getty
//! Images)" or "(Photo: Jane Doe/Reuters)", and the agency in a dateline,
//! "Berlin, March 12 (Reuters) - …". They name who took a picture or sent
//! the copy, not who the story is about, so neither entities nor key
//! phrases come from them. The dateline's place before them, "Berlin" or
//! "Pasadena, California", is where the story was filed: a place. A
//! dateline without an agency, "WELLINGTON - …", is found too, but only
//! where the body opens.

use std::ops::Range;

use crate::lowercase::with_lower;
use crate::tokenizer::{Token, TokenKind};

/// The most tokens between the brackets of a credit.
const MAX_INSIDE: usize = 8;
/// A dateline's agency: at most this many tokens in brackets…
const MAX_AGENCY: usize = 4;
/// …opening within this many tokens of a line's start, after the
/// dateline's date or its city in capitals, with a dash after it.
const MAX_DATELINE: usize = 12;

/// Words that end a credit: "(AA Photo)", "(Getty Images)".
const LAST_WORDS: [&str; 8] = [
    "photo",
    "photos",
    "photograph",
    "photographs",
    "picture",
    "pictures",
    "image",
    "images",
];

/// Words in capitals that open a line as a newswire's label, not a
/// dateline: "UPDATE 2 -", "EXCLUSIVE -".
const SLUGS: [&str; 12] = [
    "update",
    "breaking",
    "exclusive",
    "analysis",
    "factbox",
    "refile",
    "corrected",
    "correction",
    "insight",
    "column",
    "warning",
    "urgent",
];

/// Words that open one when a colon or "by" follows: "(Photo: …)",
/// "(Picture by …)", "(Credit: …)".
const FIRST_WORDS: [&str; 5] = ["photo", "photograph", "picture", "image", "credit"];

/// What [`find`] finds, as token ranges.
#[derive(Debug, Default)]
pub struct Found {
    /// Credits, brackets included.
    pub credits: Vec<Range<usize>>,
    /// Datelines' places: from the line's start to the date or the agency,
    /// with no trailing comma ("Pasadena, California").
    pub places: Vec<Range<usize>>,
    /// Datelines with no agency ("WELLINGTON -"): the words before the
    /// dash. Mostly a city, but some are a desk's label ("SUMMARY -"), so
    /// the tagger is not told they are places.
    pub bare_datelines: Vec<Range<usize>>,
    /// Where the story starts after each dateline with an agency: the
    /// token after its dash.
    pub story_starts: Vec<usize>,
}

/// The credits of `text` and the places of its datelines.
pub fn find(text: &str, tokens: &[Token]) -> Found {
    let is = |token: &Token, s: &str| token.kind == TokenKind::Punct && token.text(text) == s;
    let word_in = |token: &Token, list: &[&str]| {
        token.kind == TokenKind::Word && with_lower(token.text(text), |w| list.contains(&w))
    };
    let dash = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| ["-", "–", "—"].iter().any(|d| is(t, d)))
    };
    // whether token `j` opens a line
    let starts_line = |j: usize| {
        j == 0
            || text
                .get(tokens[j - 1].byte_end..tokens[j].byte_start)
                .is_none_or(|gap| gap.contains('\n'))
    };
    // the first token of token `i`'s line, if at most `MAX_DATELINE`
    // tokens back (asked only of an opening bracket)
    let line_start = |i: usize| {
        (i.saturating_sub(MAX_DATELINE)..=i)
            .rev()
            .find(|&j| starts_line(j))
    };
    // a word of two letters or more in capitals ("LONDON", "HERAT")
    let in_capitals = |k: usize| {
        let word = tokens[k].text(text);
        word.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !word.chars().any(char::is_lowercase)
    };
    // the place of a dateline whose line starts at `line` and whose agency
    // opens at `agency`: capitalised words and commas up to its date
    let place = |line: usize, agency: usize| {
        let mut end = (line..agency)
            .find(|&k| {
                tokens[k].kind == TokenKind::Number
                    || crate::dates::month(tokens[k].text(text)).is_some()
            })
            .unwrap_or(agency);
        while end > line && is(&tokens[end - 1], ",") {
            end -= 1;
        }
        let named = tokens[line..end].iter().all(|t| {
            is(t, ",")
                || (t.kind == TokenKind::Word
                    && t.text(text).chars().next().is_some_and(char::is_uppercase))
        });
        (end > line && named).then_some(line..end)
    };
    let mut out = Found::default();
    // a dateline with no agency: a city in capitals opening the body's
    // first line, its region after a comma, and a dash on that line
    // ("WELLINGTON - Nurses…", "GOMA, Congo — Rebels…"); not a newswire's
    // label ("UPDATE -") nor a short word alone, more often an acronym
    // ("US - China talks"). Only there: a title in capitals is often a
    // desk's label ("SOCCER - RESULTS"), and a digest's later lines name
    // its papers ("THAWRA - …").
    let bare_dateline = |line: usize| {
        if !in_capitals(line) || word_in(&tokens[line], &SLUGS) {
            return None;
        }
        let dash_at = (line + 1..tokens.len().min(line + MAX_DATELINE))
            .take_while(|&k| !starts_line(k))
            .find(|&k| dash(k))?;
        let city_end = (line..dash_at)
            .find(|&k| is(&tokens[k], ","))
            .unwrap_or(dash_at);
        let city_in_capitals = (line..city_end)
            .all(|k| tokens[k].kind == TokenKind::Word && in_capitals(k))
            && (city_end - line > 1 || tokens[line].text(text).chars().count() > 3);
        (city_in_capitals && place(line, dash_at) == Some(line..dash_at)).then_some(dash_at)
    };
    let body_start = text
        .find('\n')
        .and_then(|at| tokens.iter().position(|t| t.byte_start > at));
    if let Some((line, dash_at)) =
        body_start.and_then(|line| bare_dateline(line).map(|dash_at| (line, dash_at)))
    {
        // the tagger reads the line on as written: split after the dash,
        // CoNLL-2003's headlines in capitals ("SOCCER - JAPAN GET LUCKY
        // WIN") lost their context (cross-validated F1 0.9341 → 0.9336)
        out.bare_datelines.push(line..dash_at);
    }
    let mut i = 0;
    while i < tokens.len() {
        if !is(&tokens[i], "(") {
            i += 1;
            continue;
        }
        let close = tokens[i + 1..]
            .iter()
            .take(MAX_INSIDE + 1)
            .position(|t| is(t, ")") || is(t, "("));
        let Some(close) = close
            .map(|at| i + 1 + at)
            .filter(|&at| is(&tokens[at], ")"))
        else {
            i += 1;
            continue;
        };
        let inside = &tokens[i + 1..close];
        let credit = match inside {
            [_, .., last] if word_in(last, &LAST_WORDS) => true,
            [first, second, ..] => {
                word_in(first, &FIRST_WORDS)
                    && (is(second, ":") || with_lower(second.text(text), |w| w == "by"))
            }
            _ => false,
        };
        // "March 12 (Reuters) -", "12 March (AFP) -", "LONDON (AP) —",
        // and a city in capitals with its region, "HERAT, Afghanistan (AP)
        // —"; not "The World Health Organization (WHO) - the UN agency"
        let after_date_or_city = i.checked_sub(1).is_some_and(|p| {
            tokens[p].kind == TokenKind::Number
                || crate::dates::month(tokens[p].text(text)).is_some()
                || in_capitals(p)
        });
        let dateline = line_start(i).filter(|&line| {
            (after_date_or_city || (in_capitals(line) && place(line, i).is_some()))
                && (1..=MAX_AGENCY).contains(&inside.len())
                && inside.iter().any(|t| t.kind == TokenKind::Word)
                && dash(close + 1)
        });
        if let Some(place) = dateline.and_then(|line| place(line, i)) {
            out.places.push(place);
        }
        if dateline.is_some() {
            out.story_starts.push(close + 2);
        }
        if credit || dateline.is_some() {
            out.credits.push(i..close + 1);
            i = close + 1;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::tokenize;

    fn credits(text: &str) -> Vec<String> {
        let tokens = tokenize(text);
        find(text, &tokens)
            .credits
            .into_iter()
            .map(|r| {
                let start = tokens[r.start].byte_start;
                let end = tokens[r.end - 1].byte_end;
                text[start..end].to_string()
            })
            .collect()
    }

    #[test]
    fn credits_are_found_in_their_forms() {
        assert_eq!(
            credits("Erdoğan meets Putin in Moscow, March 6, 2020. (AA Photo)"),
            ["(AA Photo)"]
        );
        assert_eq!(
            credits("Fans at the final (Getty Images) cheered."),
            ["(Getty Images)"]
        );
        assert_eq!(
            credits("A flooded street (Photo: Jane Doe/Reuters) in Hanoi."),
            ["(Photo: Jane Doe/Reuters)"]
        );
        assert_eq!(
            credits("The port (picture by John Smith)."),
            ["(picture by John Smith)"]
        );
    }

    #[test]
    fn a_datelines_agency_is_a_credit() {
        assert_eq!(
            credits("Berlin, March 12 (Reuters) - Talks stalled."),
            ["(Reuters)"]
        );
        assert_eq!(
            credits("Title line\nNEW YORK (AP) — Stocks rose."),
            ["(AP)"]
        );
        // not at a line's start, or no dash after it
        assert!(credits(
            "Stocks rose on Monday as traders in New York and London bought shares (Reuters) - more."
        )
        .is_empty());
        assert!(credits("Berlin (Reuters) said nothing.").is_empty());
        assert!(
            credits("The World Health Organization (WHO) - the UN agency - said so.").is_empty()
        );
    }

    fn places(text: &str) -> Vec<String> {
        let tokens = tokenize(text);
        find(text, &tokens)
            .places
            .into_iter()
            .map(|r| text[tokens[r.start].byte_start..tokens[r.end - 1].byte_end].to_string())
            .collect()
    }

    #[test]
    fn a_datelines_place_runs_to_its_date_or_agency() {
        assert_eq!(
            places("Pasadena, California, July 25 (Reuters) - NASA said."),
            ["Pasadena, California"]
        );
        assert_eq!(places("Title\nNEW YORK (AP) — Stocks rose."), ["NEW YORK"]);
        assert_eq!(places("Ankara, 12 March (AFP) - Talks."), ["Ankara"]);
        // a city in capitals with its region, before the agency alone
        assert_eq!(
            places("HERAT, Afghanistan (AP) — A quake struck."),
            ["HERAT, Afghanistan"]
        );
        assert_eq!(
            credits("HERAT, Afghanistan (AP) — A quake struck."),
            ["(AP)"]
        );
        // but not a region's name opening a sentence without capitals
        assert!(places("Herat, Afghanistan (AP) — A quake struck.").is_empty());
        // a photo credit has no place, nor a dateline opening on a date or
        // on lower-case words
        assert!(places("Fans cheered (Getty Images) at the final.").is_empty());
        assert!(places("March 12 (Reuters) - Talks stalled.").is_empty());
        assert!(places("in Berlin, March 12 (Reuters) - Talks stalled.").is_empty());
    }

    fn bare(text: &str) -> Vec<String> {
        let tokens = tokenize(text);
        find(text, &tokens)
            .bare_datelines
            .into_iter()
            .map(|r| text[tokens[r.start].byte_start..tokens[r.end - 1].byte_end].to_string())
            .collect()
    }

    #[test]
    fn a_city_in_capitals_and_a_dash_is_a_dateline_without_an_agency() {
        let text = "Nurses walk out\nWELLINGTON - Thousands of nurses struck.";
        assert_eq!(bare(text), ["WELLINGTON"]);
        assert!(credits(text).is_empty(), "no agency to leave out");
        assert!(places(text).is_empty(), "the tagger judges it");
        assert_eq!(
            bare("Rebels take town\nGOMA, Congo — Rebels seized a town."),
            ["GOMA, Congo"]
        );
        assert_eq!(bare("\nRIO DE JANEIRO – Floods hit."), ["RIO DE JANEIRO"]);
        // the tagger reads the line as one sentence
        let tokens = tokenize(text);
        assert!(find(text, &tokens).story_starts.is_empty());
        // a slug, an acronym, a place not in capitals, or no dash
        for text in [
            "Title\nUPDATE - Talks stalled.",
            "Title\nUS - China talks resume.",
            "Title\nWellington - Nurses struck.",
            "Title\nWELLINGTON Nurses struck - again.",
            "Title\nNEW YORK, March 12 - Stocks rose.",
            "Title\nTHAWRA\n- Iraq's president met.",
            // a title's label, and a later line of the body
            "SOCCER - RESULTS\nThe scores.",
            "Title\nThe papers led on talks.\nTHAWRA - Iraq's president met.",
        ] {
            assert!(bare(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn other_brackets_are_not_credits() {
        assert!(credits("The World Health Organization (WHO) said so.").is_empty());
        assert!(credits("(Photo)").is_empty(), "no credited name");
        assert!(credits(
            "A photo (taken in 2019 by a tourist who asked not to be named in any photo)"
        )
        .is_empty());
        assert!(credits("Unclosed (AA Photo").is_empty());
        assert!(credits("").is_empty());
    }
}

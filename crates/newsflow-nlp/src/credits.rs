//! Photo credits in captions, such as "(AA Photo)", "(Getty Images)" or
//! "(Photo: Jane Doe/Reuters)": they name who took a picture, not who the
//! story is about, so neither entities nor key phrases come from them.

use std::ops::Range;

use crate::lowercase::with_lower;
use crate::tokenizer::{Token, TokenKind};

/// The most tokens between the brackets of a credit.
const MAX_INSIDE: usize = 8;

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

/// Words that open one when a colon or "by" follows: "(Photo: …)",
/// "(Picture by …)", "(Credit: …)".
const FIRST_WORDS: [&str; 5] = ["photo", "photograph", "picture", "image", "credit"];

/// The credits of `text`, as token ranges brackets included.
pub fn find(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let is = |token: &Token, s: &str| token.kind == TokenKind::Punct && token.text(text) == s;
    let word_in = |token: &Token, list: &[&str]| {
        token.kind == TokenKind::Word && with_lower(token.text(text), |w| list.contains(&w))
    };
    let mut out = Vec::new();
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
            [] => false,
            [.., last] if word_in(last, &LAST_WORDS) && inside.len() >= 2 => true,
            [first, second, ..] => {
                word_in(first, &FIRST_WORDS)
                    && (is(second, ":") || with_lower(second.text(text), |w| w == "by"))
            }
            _ => false,
        };
        if credit {
            out.push(i..close + 1);
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

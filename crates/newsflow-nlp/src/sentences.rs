//! Sentence boundaries over tokens.
//!
//! A sentence ends at `.`, `!` or `?` (or a closing quote right after one)
//! when the next token starts with an upper-case letter, a digit or an
//! opening quote, and at every blank line. Abbreviations and initials carry
//! their period inside the token (see [`crate::tokenizer`]), so "Gen. Haftar"
//! does not split.

use crate::tokenizer::{Token, TokenKind};

/// Splits `tokens` of `text` into sentences, returned as token index ranges.
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        let next = tokens.get(i + 1);
        let ends = match next {
            None => true,
            Some(next) => {
                blank_line_between(text, &tokens[i], next)
                    || (is_terminal(text, tokens, i)
                        && opens_sentence(next.text(text))
                        && !closes_quote(&tokens[i], next, text))
            }
        };
        if ends {
            sentences.push(start..i + 1);
            start = i + 1;
        }
    }
    sentences
}

fn is_terminal(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    if t.kind != TokenKind::Punct {
        return false;
    }
    match t.text(text) {
        "." | "!" | "?" | "..." => true,
        "\"" | "”" | "’" | ")" => i > 0 && matches!(tokens[i - 1].text(text), "." | "!" | "?"),
        _ => false,
    }
}

fn opens_sentence(word: &str) -> bool {
    word.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '\'' | '‘' | '(')
    })
}

/// A quote glued to the period before it closes the sentence rather than
/// opening the next one: `"No."` ends at the second quote.
fn closes_quote(terminal: &Token, next: &Token, text: &str) -> bool {
    terminal.byte_end == next.byte_start && matches!(next.text(text), "\"" | "'" | "”" | "’" | ")")
}

fn blank_line_between(text: &str, a: &Token, b: &Token) -> bool {
    text[a.byte_end..b.byte_start].matches('\n').count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::tokenize;

    fn sentences(text: &str) -> Vec<String> {
        let tokens = tokenize(text);
        split_sentences(text, &tokens)
            .into_iter()
            .map(|r| text[tokens[r.start].byte_start..tokens[r.end - 1].byte_end].to_string())
            .collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            sentences("Gen. Khalifa Haftar met Mr. J. Smith at the U.N. on Monday. Talks failed."),
            [
                "Gen. Khalifa Haftar met Mr. J. Smith at the U.N. on Monday.",
                "Talks failed."
            ]
        );
    }

    #[test]
    fn quotes_and_blank_lines_end_sentences() {
        assert_eq!(
            sentences("He said \"No.\" Then he left\n\nNext paragraph"),
            ["He said \"No.\"", "Then he left", "Next paragraph"]
        );
    }

    #[test]
    fn lowercase_after_period_continues() {
        assert_eq!(
            sentences("It rose 3 p.c. in May. Prices fell."),
            ["It rose 3 p.c. in May.", "Prices fell."]
        );
    }
}

//! A tokenizer for news text.
//!
//! Tokens keep both byte offsets (to slice the text cheaply) and Unicode
//! code-point offsets (what records publish). Conventions follow CoNLL-2003,
//! the data our tagger learns from: possessive `'s` is its own token,
//! hyphenated words stay whole, abbreviations and initials keep their
//! periods ("U.N.", "Gen.", "J."), numbers keep their separators ("1,000",
//! "3.6"), and every other punctuation mark is a token of its own.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// One token: `text[byte_start..byte_end]`; `start`/`end` count code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First byte.
    pub byte_start: usize,
    /// Byte after the last.
    pub byte_end: usize,
    /// First code point.
    pub start: usize,
    /// Code point after the last.
    pub end: usize,
    /// Word, number, punctuation...
    pub kind: TokenKind,
}

impl Token {
    /// The token's text in `source`, the text it was cut from.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.byte_start..self.byte_end]
    }
}

/// Words that keep a trailing period: titles and common abbreviations in
/// news copy. Lower-case, without the period.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt",
    "cpl", "pvt", "gov", "sen", "rep", "rev", "fr", "st", "jr", "sr", "sen", "pres", "amb", "supt",
    "insp", "messrs", "mme", "mlle", "hon", "co", "corp", "inc", "ltd", "plc", "bros", "vol", "vs",
    "etc", "approx", "dept", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "ala", "ariz",
    "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "kans", "ky", "la",
    "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn",
    "tex", "va", "vt", "wash", "wis", "wyo", "ft", "mt", "e.g", "i.e", "u.s", "u.k", "u.n",
];

/// True when `word` (without its period) is a known abbreviation.
pub fn is_abbreviation(word: &str) -> bool {
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Whether a word's final period, when the word ends a sentence, is the
/// sentence's full stop and not part of the word. The tokenizer keeps the
/// period of a known abbreviation or an initial ("Ore.", "Sun.", "M&S.",
/// "World War I."), so at the end of a sentence it holds the stop. A chain
/// of initials ("the U.S.") and the endings of company names ("Warner
/// Bros.") keep theirs, as the stop merges into it.
pub(crate) fn period_is_stop(word: &str) -> bool {
    word.strip_suffix('.')
        .is_some_and(|stem| !stem.is_empty() && !stem.contains('.') && !is_name_ending(stem))
}

/// Whether a word, with or without its period, ends a company's or a
/// person's name: "Co", "Inc.", "Bros", "Jr".
pub(crate) fn is_name_ending(word: &str) -> bool {
    const NAME_ENDINGS: &[&str] = &["co", "corp", "inc", "ltd", "plc", "llc", "bros", "jr", "sr"];
    let stem = word.strip_suffix('.').unwrap_or(word);
    NAME_ENDINGS.iter().any(|e| e.eq_ignore_ascii_case(stem))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Combining marks (as in decomposed "ğ") belong to the letter before them.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, &mut tokens);
    tokens
}

/// Like [`tokenize`], reusing `tokens`' allocation.
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let (end, kind) = if is_word_char(c) {
            scan_word(&chars, i)
        } else if (c == '.' || c == ',')
            && chars.get(i + 1).is_some_and(|&(_, n)| n.is_ascii_digit())
            && (i == 0 || !chars[i - 1].1.is_alphanumeric())
        {
            // ".5" as a number
            let (end, _) = scan_word(&chars, i + 1);
            (end, TokenKind::Number)
        } else if is_apostrophe(c) && starts_possessive(&chars, i) {
            (i + 2, TokenKind::Word)
        } else if c == '.' && chars.get(i + 1).is_some_and(|&(_, n)| n == '.') {
            let mut end = i;
            while chars.get(end).is_some_and(|&(_, n)| n == '.') {
                end += 1;
            }
            (end, TokenKind::Punct)
        } else {
            (i + 1, TokenKind::Punct)
        };
        tokens.push(Token {
            byte_start: byte_at(start),
            byte_end: byte_at(end),
            start,
            end,
            kind,
        });
        i = end;
    }
}

/// Whether a token is the possessive this tokenizer splits off a word:
/// `'s`, `’s`, `'S` or `’S`.
pub(crate) fn is_possessive(word: &str) -> bool {
    matches!(word, "'s" | "’s" | "'S" | "’S")
}

/// Whether a lower-cased token is a word with its verb contracted onto it
/// ("i'm", "we've", "you're", "they'll", "i'd") or a negated auxiliary
/// ("don't"), which this tokenizer keeps whole: a pronoun or a verb, never
/// a name.
pub(crate) fn is_contraction(lower: &str) -> bool {
    [
        "'m", "'re", "'ve", "'ll", "'d", "n't", "’m", "’re", "’ve", "’ll", "’d", "n’t",
    ]
    .iter()
    .any(|tail| lower.len() > tail.len() && lower.ends_with(tail))
}

/// `'s` / `’s` closing a word ("Baku's"), split off as CoNLL does.
fn starts_possessive(chars: &[(usize, char)], i: usize) -> bool {
    i > 0
        && is_word_char(chars[i - 1].1)
        && chars.get(i + 1).is_some_and(|&(_, c)| c == 's' || c == 'S')
        && chars.get(i + 2).is_none_or(|&(_, c)| !is_word_char(c))
}

/// Scans a word or number starting at `i`, returning its end and kind.
fn scan_word(chars: &[(usize, char)], i: usize) -> (usize, TokenKind) {
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let mut end = i;
    let mut all_digits = true;
    loop {
        while let Some(c) = at(end) {
            if !is_word_char(c) {
                break;
            }
            all_digits &= c.is_ascii_digit();
            end += 1;
        }
        match at(end) {
            // 1,000 and 3.6: separators between digits
            Some(',' | '.' | ':')
                if all_digits && at(end + 1).is_some_and(|c| c.is_ascii_digit()) =>
            {
                end += 1;
            }
            // pro-democracy, al-Assad, U.N.-led
            Some(h) if is_hyphen(h) && at(end + 1).is_some_and(is_word_char) => {
                all_digits = false;
                end += 1;
            }
            // O'Brien, d'Ivoire; not the possessive 's
            Some(a)
                if is_apostrophe(a)
                    && at(end + 1).is_some_and(is_word_char)
                    && !starts_possessive(chars, end) =>
            {
                all_digits = false;
                end += 1;
            }
            // U.N., U.S.-led, e.g.: single letters joined by periods
            Some('.')
                if is_initial_chain(chars, i, end)
                    && (chars[end - 1].1.is_uppercase()
                        || end - i > 1
                        || continues_chain(chars, end)) =>
            {
                end += 1;
                if at(end).is_some_and(|c| c.is_alphabetic())
                    && at(end + 1).is_some_and(|c| c == '.')
                {
                    continue;
                }
                if at(end).is_some_and(is_hyphen) && at(end + 1).is_some_and(is_word_char) {
                    end += 1;
                    continue;
                }
                break;
            }
            Some('.') if is_abbreviation(&collect(chars, i, end)) => {
                end += 1;
                break;
            }
            _ => break,
        }
    }
    let numeric = chars[i..end]
        .iter()
        .all(|&(_, c)| c.is_ascii_digit() || matches!(c, ',' | '.' | ':'));
    let kind = if numeric {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    (end, kind)
}

/// True when the word `chars[start..end]` is a single letter that starts or
/// continues a chain of initials (the "N" in "U.N").
fn is_initial_chain(chars: &[(usize, char)], start: usize, end: usize) -> bool {
    // the segment since the last period must be one letter
    let seg_start = chars[start..end]
        .iter()
        .rposition(|&(_, c)| c == '.' || is_hyphen(c))
        .map_or(start, |p| start + p + 1);
    end - seg_start == 1 && chars[seg_start].1.is_alphabetic()
}

/// True when the period at `dot` is followed by another letter and period
/// ("e.g.", "p.c."): lower-case initials count only inside such a chain.
fn continues_chain(chars: &[(usize, char)], dot: usize) -> bool {
    chars.get(dot + 1).is_some_and(|&(_, c)| c.is_alphabetic())
        && chars.get(dot + 2).is_some_and(|&(_, c)| c == '.')
}

fn collect(chars: &[(usize, char)], start: usize, end: usize) -> String {
    chars[start..end].iter().map(|&(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn keeps_abbreviations_initials_and_possessives_as_conll_does() {
        assert_eq!(
            words("Gen. Khalifa Haftar's forces and the U.N.-led talks."),
            ["Gen.", "Khalifa", "Haftar", "'s", "forces", "and", "the", "U.N.-led", "talks", "."]
        );
        assert_eq!(
            words("The U.N. recognizes it."),
            ["The", "U.N.", "recognizes", "it", "."]
        );
        assert_eq!(words("Baku’s stance"), ["Baku", "’s", "stance"]);
        assert_eq!(words("John F. Kennedy"), ["John", "F.", "Kennedy"]);
        assert_eq!(
            words("150 km/h. Then"),
            ["150", "km", "/", "h", ".", "Then"]
        );
        assert_eq!(words("e.g. this"), ["e.g.", "this"]);
    }

    #[test]
    fn keeps_numbers_whole() {
        assert_eq!(
            words("more than 1,000 deaths, 3.6 million, 12:30 GMT"),
            ["more", "than", "1,000", "deaths", ",", "3.6", "million", ",", "12:30", "GMT"]
        );
    }

    #[test]
    fn offsets_count_code_points() {
        let text = "Erdoğan – “talks” in Baku";
        let tokens = tokenize(text);
        let got: Vec<(&str, usize, usize)> = tokens
            .iter()
            .map(|t| (t.text(text), t.start, t.end))
            .collect();
        assert_eq!(
            got,
            [
                ("Erdoğan", 0, 7),
                ("–", 8, 9),
                ("“", 10, 11),
                ("talks", 11, 16),
                ("”", 16, 17),
                ("in", 18, 20),
                ("Baku", 21, 25)
            ]
        );
    }

    #[test]
    fn hyphenated_and_apostrophe_names_stay_whole() {
        assert_eq!(
            words("pro-democracy O'Brien Côte d'Ivoire"),
            ["pro-democracy", "O'Brien", "Côte", "d'Ivoire"]
        );
    }

    #[test]
    fn quotes_and_dashes_split() {
        assert_eq!(
            words("\"provocative\" -- actions"),
            ["\"", "provocative", "\"", "-", "-", "actions"]
        );
        assert_eq!(words("Wait..."), ["Wait", "..."]);
    }

    #[test]
    fn space_separated_tokens_round_trip() {
        let text = "EU rejects German call to boycott British lamb .";
        assert_eq!(words(text), text.split(' ').collect::<Vec<_>>());
    }
}

//! The usual word class of common English words, from the part-of-speech
//! column of a tagged corpus: enough for key phrases to keep to noun
//! phrases ("ceasefire talks", not "clashes kill six") without running a
//! part-of-speech tagger over every article.
//!
//! The table (`models/word-classes.tsv`, see its card) lists lower-case
//! words seen at least [`MIN_COUNT`] times whose tag was of one class in at
//! least [`MIN_SHARE`] of them, for the classes that end or break a noun
//! phrase: verbs, adjectives and numbers. A word it does not list (most
//! nouns and names) has no class.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE_TSV: &str = include_str!("../../../models/word-classes.tsv");

/// How many times a word must be seen to be listed.
pub const MIN_COUNT: u32 = 2;
/// The share of its occurrences its usual class must have.
pub const MIN_SHARE: f64 = 0.7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WordClass {
    /// A verb, a participle or a modal ("kill", "sends", "agreed", "will").
    Verb,
    /// An adjective ("ancient", "southern").
    Adjective,
    /// A number word ("six", "nine").
    Number,
}

impl WordClass {
    fn letter(self) -> char {
        match self {
            WordClass::Verb => 'V',
            WordClass::Adjective => 'J',
            WordClass::Number => 'C',
        }
    }

    fn from_letter(c: &str) -> Option<Self> {
        match c {
            "V" => Some(WordClass::Verb),
            "J" => Some(WordClass::Adjective),
            "C" => Some(WordClass::Number),
            _ => None,
        }
    }

    /// The class of a Penn Treebank tag, if it is one of ours.
    fn of_tag(tag: &str) -> Option<Self> {
        match tag {
            "VB" | "VBD" | "VBG" | "VBN" | "VBP" | "VBZ" | "MD" => Some(WordClass::Verb),
            "JJ" | "JJR" | "JJS" => Some(WordClass::Adjective),
            "CD" => Some(WordClass::Number),
            _ => None,
        }
    }
}

/// The built-in table's class of a lower-case word.
pub fn class_of(lower: &str) -> Option<WordClass> {
    static TABLE: OnceLock<HashMap<&'static str, WordClass>> = OnceLock::new();
    TABLE.get_or_init(|| parse(TABLE_TSV)).get(lower).copied()
}

/// `word <TAB> class` lines; a damaged line is passed over (the built-in
/// table is checked by a test).
fn parse(tsv: &str) -> HashMap<&str, WordClass> {
    tsv.lines()
        .filter_map(|line| {
            let (word, class) = line.split_once('\t')?;
            Some((word, WordClass::from_letter(class)?))
        })
        .collect()
}

/// Builds the table from CoNLL-format text (token and part-of-speech tag
/// in the first two columns), sorted by word.
pub fn build(conll: &str) -> String {
    // per word: occurrences, and occurrences per class
    let mut counts: HashMap<String, (u32, [u32; 3])> = HashMap::new();
    for line in conll.lines() {
        let mut columns = line.split_whitespace();
        let (Some(token), Some(tag)) = (columns.next(), columns.next()) else {
            continue;
        };
        if token == "-DOCSTART-" || !token.chars().any(char::is_alphabetic) {
            continue;
        }
        let entry = counts.entry(token.to_lowercase()).or_default();
        entry.0 += 1;
        if let Some(class) = WordClass::of_tag(tag) {
            entry.1[class as usize] += 1;
        }
    }
    let mut rows: Vec<(String, WordClass)> = counts
        .into_iter()
        .filter(|(_, (n, _))| *n >= MIN_COUNT)
        .filter_map(|(word, (n, by_class))| {
            let classes = [WordClass::Verb, WordClass::Adjective, WordClass::Number];
            classes
                .into_iter()
                .find(|&c| f64::from(by_class[c as usize]) >= MIN_SHARE * f64::from(n))
                .map(|c| (word, c))
        })
        .collect();
    rows.sort();
    rows.iter()
        .map(|(word, class)| format!("{word}\t{}\n", class.letter()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_keeps_words_of_one_usual_class() {
        let conll = "-DOCSTART- -X- O O\n\nTroops NNS I-NP O\nkill VBP I-VP O\nsix CD I-NP O\n\
                     troops NNS I-NP O\nkill VB I-VP O\nsix CD I-NP O\nancient JJ I-NP O\n\
                     ancient JJ I-NP O\nround NN I-NP O\nround JJ I-NP O\n";
        let table = build(conll);
        assert_eq!(table, "ancient\tJ\nkill\tV\nsix\tC\n");
        let parsed = parse(&table);
        assert_eq!(parsed.get("kill"), Some(&WordClass::Verb));
        assert_eq!(parsed.get("troops"), None, "nouns are not listed");
        assert_eq!(parsed.get("round"), None, "no usual class");
    }

    #[test]
    fn the_built_in_table_reads_whole() {
        let lines = TABLE_TSV.lines().count();
        assert!(lines > 1000, "{lines}");
        assert_eq!(parse(TABLE_TSV).len(), lines);
        assert_eq!(class_of("said"), Some(WordClass::Verb));
        assert_eq!(class_of("government"), None);
    }
}

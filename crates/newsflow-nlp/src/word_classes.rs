//! The usual word class of common English words, from the part-of-speech
//! column of a tagged corpus: enough for key phrases to keep to noun
//! phrases ("ceasefire talks", not "clashes kill six") without running a
//! part-of-speech tagger over every article.
//!
//! The table (`models/word-classes.tsv`, see its card) lists lower-case
//! words seen at least [`MIN_COUNT`] times whose tag was of one class in at
//! least [`MIN_SHARE`] of them, for the classes that end or break a noun
//! phrase: verbs, adjectives, numbers and adverbs. A word it does not
//! list (most nouns and names) has no class.
//!
//! It also lists the words of mixed use that are often enough a finite
//! verb to be a headline's verb ("Oil prices jump", "Top court rules"),
//! counted over a second tagged corpus as well, since one corpus sees too
//! few of them; among those, the rare ones that were a finite verb in most
//! of their sightings ("falter"), and the plurals seen often and almost
//! never as verbs although their stem can be one ("talks"), so that a
//! headline's last two words ("ceasefire talks falter") can be told apart.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::key_table::WordTable;

const TABLE_TSV: &str = include_str!("../../../models/word-classes.tsv");

/// How many times a word must be seen to be listed.
pub const MIN_COUNT: u32 = 2;
/// The share of its occurrences its usual class must have.
pub const MIN_SHARE: f64 = 0.7;
/// A word without a usual class is a possible verb when at least this
/// share of its occurrences, and two of them, were tagged a finite verb…
pub const MAYBE_VERB_MIN_SHARE: f64 = 0.03;
/// …or when at least this share were, however rare the word.
pub const MAYBE_VERB_RARE_SHARE: f64 = 0.5;
/// A possible verb is mostly a verb when at least this share of its
/// occurrences were a finite verb.
pub const MOSTLY_VERB_SHARE: f64 = 0.5;
/// A plural in -s whose stem can be a verb is listed as a noun when seen
/// at least this many times, and as a finite verb in fewer than
/// [`MAYBE_VERB_MIN_SHARE`] of them.
pub const PLURAL_NOUN_MIN_COUNT: u32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WordClass {
    /// A verb, a participle or a modal ("kill", "sends", "agreed", "will").
    Verb,
    /// An adjective ("ancient", "southern").
    Adjective,
    /// A number word ("six", "nine").
    Number,
    /// An adverb ("sharply", "later"): a word a key phrase neither starts
    /// nor ends on.
    Adverb,
    /// A word mostly used otherwise that can be a finite verb ("jump",
    /// "rules", "cuts"): a verb only where the context says so.
    MaybeVerb,
    /// A possible verb seen rarely, and mostly as a finite verb ("falter",
    /// "stall"). [`class_of`] reads it as [`WordClass::MaybeVerb`].
    MostlyVerb,
    /// A plural seen often, and almost never as a verb, whose stem can be
    /// one ("talks", "attacks"). [`class_of`] gives it no class, like any
    /// noun.
    PluralNoun,
}

impl WordClass {
    fn letter(self) -> char {
        match self {
            WordClass::Verb => 'V',
            WordClass::Adjective => 'J',
            WordClass::Number => 'C',
            WordClass::Adverb => 'R',
            WordClass::MaybeVerb => 'P',
            WordClass::MostlyVerb => 'B',
            WordClass::PluralNoun => 'N',
        }
    }

    fn from_letter(c: &str) -> Option<Self> {
        match c {
            "V" => Some(WordClass::Verb),
            "J" => Some(WordClass::Adjective),
            "C" => Some(WordClass::Number),
            "R" => Some(WordClass::Adverb),
            "P" => Some(WordClass::MaybeVerb),
            "B" => Some(WordClass::MostlyVerb),
            "N" => Some(WordClass::PluralNoun),
            _ => None,
        }
    }

    /// The class of a Penn Treebank tag, if it is one of ours.
    fn of_tag(tag: &str) -> Option<Self> {
        match tag {
            "VB" | "VBD" | "VBG" | "VBN" | "VBP" | "VBZ" | "MD" => Some(WordClass::Verb),
            "JJ" | "JJR" | "JJS" => Some(WordClass::Adjective),
            "CD" => Some(WordClass::Number),
            "RB" | "RBR" | "RBS" => Some(WordClass::Adverb),
            _ => None,
        }
    }
}

/// The built-in table's class of a lower-case word: one of the first
/// five classes, or none.
pub fn class_of(lower: &str) -> Option<WordClass> {
    listed(lower).and_then(coarse)
}

/// The class of a lower-case word inside a key phrase: as [`class_of`],
/// except that a past form seen mostly as a finite verb is a verb
/// ("talks faltered", "merger plan touted"). One look-up.
pub fn class_in_phrase(lower: &str) -> Option<WordClass> {
    match listed(lower)? {
        WordClass::MostlyVerb if lower.ends_with("ed") => Some(WordClass::Verb),
        class => coarse(class),
    }
}

/// The class of a lower-case word of a headline, where a verb is in the
/// present tense: as [`class_of`], except that a word that can be a verb
/// in another form is a possible verb, since the corpora saw few forms of
/// each verb:
/// - a plural seen as a noun whose stem can be a verb ("signals"): the
///   headline's grammar decides;
/// - a word the table does not list, by its stem ("halts": "halt";
///   "pushes": "push"; "rallies": "rally"), the past form of a stem in
///   -ch, -sh, -x or -ss
///   ("fetches": "fetched"), or, for a word not in -s, its form in -s or
///   its past form ("plummet": "plummets"; "spot": "spotted").
///
/// The past form of a stem in -s is no evidence on its own: "prices" is a
/// noun, though "priced" is a verb.
pub fn headline_class(lower: &str) -> Option<WordClass> {
    match listed(lower) {
        Some(WordClass::PluralNoun) => return Some(WordClass::MaybeVerb),
        Some(class) => return coarse(class),
        None => {}
    }
    let can_be_verb = |form: &str| {
        matches!(
            listed(form),
            Some(WordClass::Verb | WordClass::MaybeVerb | WordClass::MostlyVerb)
        )
    };
    let with_ending = |stem: &str, ending: &str| form_is(stem, ending, can_be_verb);
    let past = |stem: &str| past_is(stem, can_be_verb);
    // a short stem doubles its last consonant in the past: "spot",
    // "spotted"; "plan", "planned"
    let doubled_past = |stem: &str| {
        let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
        match *stem.as_bytes() {
            [.., before, v, last]
                if !vowel(before)
                    && vowel(v)
                    && last.is_ascii_lowercase()
                    && !vowel(last)
                    && !matches!(last, b'w' | b'x' | b'y') =>
            {
                let ending = [last, b'e', b'd'];
                std::str::from_utf8(&ending).is_ok_and(|ending| with_ending(stem, ending))
            }
            _ => false,
        }
    };
    let other_form = match lower.strip_suffix('s') {
        // not a word in -ss ("boss", "access")
        Some(stem) if !stem.ends_with('s') => {
            let sibilant = stem.strip_suffix('e').filter(|s| {
                s.ends_with("ch") || s.ends_with("sh") || s.ends_with('x') || s.ends_with("ss")
            });
            // "rallies": "rally"
            let in_y = stem
                .strip_suffix("ie")
                .is_some_and(|s| s.len() > 1 && with_ending(s, "y"));
            can_be_verb(stem) || in_y || sibilant.is_some_and(|s| can_be_verb(s) || past(s))
        }
        Some(_) => false,
        None => with_ending(lower, "s") || past(lower) || doubled_past(lower),
    };
    other_form.then_some(WordClass::MaybeVerb)
}

/// Whether a lower-case word in -s is a verb's form by the past of its
/// stem ("pledges": "pledged", "vows": "vowed"); "prices" is one too
/// ("priced"), so only a headline's grammar can use it.
pub fn is_verb_by_its_past(lower: &str) -> bool {
    lower
        .strip_suffix('s')
        .filter(|stem| stem.len() > 1 && !stem.ends_with('s'))
        .is_some_and(|stem| {
            past_is(stem, |past| {
                matches!(listed(past), Some(WordClass::Verb | WordClass::MostlyVerb))
            })
        })
}

/// Whether `is` holds for `stem` with `ending` after it, spelt on the
/// stack: most headline words are nouns the table does not list, and each
/// would cost allocations.
fn form_is(stem: &str, ending: &str, is: impl Fn(&str) -> bool) -> bool {
    let mut form = [0u8; 40];
    let len = stem.len() + ending.len();
    let Some(buffer) = form.get_mut(..len) else {
        return false;
    };
    let (start, end) = buffer.split_at_mut(stem.len());
    start.copy_from_slice(stem.as_bytes());
    end.copy_from_slice(ending.as_bytes());
    std::str::from_utf8(buffer).is_ok_and(is)
}

/// Whether `is` holds for the regular past of `stem` ("pledge":
/// "pledged", "vow": "vowed").
fn past_is(stem: &str, is: impl Fn(&str) -> bool) -> bool {
    form_is(stem, if stem.ends_with('e') { "d" } else { "ed" }, is)
}

/// A listed class as one of the first five, or none.
fn coarse(class: WordClass) -> Option<WordClass> {
    match class {
        WordClass::MostlyVerb => Some(WordClass::MaybeVerb),
        WordClass::PluralNoun => None,
        class => Some(class),
    }
}

/// Whether the class table lists a lower-case word.
pub fn is_listed(lower: &str) -> bool {
    listed(lower).is_some()
}

/// Whether a lower-case word is a possible verb seen mostly as a verb.
pub fn is_mostly_verb(lower: &str) -> bool {
    listed(lower) == Some(WordClass::MostlyVerb)
}

/// Whether a lower-case word is a plural seen almost only as a noun,
/// though its stem can be a verb.
pub fn is_plural_noun(lower: &str) -> bool {
    listed(lower) == Some(WordClass::PluralNoun)
}

fn listed(lower: &str) -> Option<WordClass> {
    static TABLE: OnceLock<WordTable<WordClass>> = OnceLock::new();
    TABLE.get_or_init(|| parse(TABLE_TSV)).get(lower).copied()
}

/// `word <TAB> class` lines; a damaged line is passed over (the built-in
/// table is checked by a test). Collected into the crate's table of fixed
/// words for look-ups, into a map in the tests.
fn parse<'a, C: FromIterator<(&'a str, WordClass)>>(tsv: &'a str) -> C {
    tsv.lines()
        .filter_map(|line| {
            let (word, class) = line.split_once('\t')?;
            Some((word, WordClass::from_letter(class)?))
        })
        .collect()
}

/// A finite verb's Penn Treebank tag: what can be a headline's verb.
fn is_finite_verb(tag: &str) -> bool {
    matches!(tag, "VB" | "VBD" | "VBP" | "VBZ")
}

/// Per word: occurrences, occurrences per usual class (verb, adjective,
/// number, adverb), and occurrences as a finite verb.
type Counts = HashMap<String, (u32, [u32; 4], u32)>;

/// Counts the `token tag` pairs of CoNLL-format text (token and tag in
/// the first two columns).
fn count(conll: &str, counts: &mut Counts) {
    count_where(conll, counts, |_| true);
}

/// [`count`] over the tokens `keep` accepts.
fn count_where(conll: &str, counts: &mut Counts, keep: impl Fn(&str) -> bool) {
    for line in conll.lines() {
        let mut columns = line.split_whitespace();
        let (Some(token), Some(tag)) = (columns.next(), columns.next()) else {
            continue;
        };
        if token == "-DOCSTART-" || !token.chars().any(char::is_alphabetic) || !keep(token) {
            continue;
        }
        let entry = counts.entry(token.to_lowercase()).or_default();
        entry.0 += 1;
        if let Some(class) = WordClass::of_tag(tag) {
            entry.1[class as usize] += 1;
        }
        entry.2 += u32::from(is_finite_verb(tag));
    }
}

/// `token tag` lines from the rows of GMB's `ner_dataset` CSV
/// (`Sentence #,Word,POS,Tag`), for [`build`]'s second corpus. Rows with
/// a quoted field (numbers with commas, quotation marks) are passed over:
/// they hold no word.
pub fn gmb_tagged(csv: &str) -> String {
    let mut out = String::new();
    for line in csv.lines().skip(1) {
        if line.contains('"') {
            continue;
        }
        let mut fields = line.split(',');
        let (Some(_), Some(word), Some(tag)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        out.push_str(word);
        out.push(' ');
        out.push_str(tag);
        out.push('\n');
    }
    out
}

/// Builds the table, sorted by word: the usual classes from `conll`
/// (CoNLL-format text: token and part-of-speech tag in the first two
/// columns), the possible verbs from `conll` and `more` (the same layout)
/// together.
pub fn build(conll: &str, more: &str) -> String {
    let mut counts = Counts::new();
    count(conll, &mut counts);
    let mut both = counts.clone();
    count(more, &mut both);
    // A word that is mostly part of a name when capitalised ("Central
    // Bank": 44 of "central"'s 105 uses, tagged NNP) has no usual class
    // over all its uses; its uses in lower case give the class it has in
    // running text. Only an adjective, a number word or an adverb is read
    // so, and only of a word that cannot be a verb: which words can be
    // verbs stays as all uses say.
    let mut lower = Counts::new();
    count_where(conll, &mut lower, |token| {
        token
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_lowercase)
    });
    let usual_in = |counts: &Counts, word: &str| -> Option<WordClass> {
        let &(n, by_class, _) = counts.get(word)?;
        if n < MIN_COUNT {
            return None;
        }
        [
            WordClass::Verb,
            WordClass::Adjective,
            WordClass::Number,
            WordClass::Adverb,
        ]
        .into_iter()
        .find(|&c| f64::from(by_class[c as usize]) >= MIN_SHARE * f64::from(n))
    };
    let mut rows: Vec<(&String, WordClass)> = both
        .iter()
        .filter_map(|(word, &(n, _, finite))| {
            if let Some(class) = usual_in(&counts, word) {
                return Some((word, class));
            }
            let share = f64::from(finite) / f64::from(n.max(1));
            let maybe = (finite >= 2 && share >= MAYBE_VERB_MIN_SHARE)
                || (finite >= 1 && share >= MAYBE_VERB_RARE_SHARE);
            let class = if share >= MOSTLY_VERB_SHARE {
                WordClass::MostlyVerb
            } else {
                WordClass::MaybeVerb
            };
            if maybe {
                return Some((word, class));
            }
            usual_in(&lower, word)
                .filter(|&c| c != WordClass::Verb)
                .map(|c| (word, c))
        })
        .collect();
    // plurals of words that can be verbs, which the corpora saw as nouns
    let verbs: HashSet<&str> = rows
        .iter()
        .filter(|(_, class)| {
            matches!(
                class,
                WordClass::Verb | WordClass::MaybeVerb | WordClass::MostlyVerb
            )
        })
        .map(|(word, _)| word.as_str())
        .collect();
    let listed: HashSet<&str> = rows.iter().map(|(w, _)| w.as_str()).collect();
    let plurals: Vec<(&String, WordClass)> = both
        .iter()
        .filter(|&(word, &(n, _, finite))| {
            n >= PLURAL_NOUN_MIN_COUNT
                && f64::from(finite) < MAYBE_VERB_MIN_SHARE * f64::from(n)
                && !listed.contains(word.as_str())
                && !word.ends_with("ss")
                && word
                    .strip_suffix('s')
                    .is_some_and(|stem| verbs.contains(stem))
        })
        .map(|(word, _)| (word, WordClass::PluralNoun))
        .collect();
    rows.extend(plurals);
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
                     ancient JJ I-NP O\nround NN I-NP O\nround JJ I-NP O\n\
                     sharply RB I-ADVP O\nsharply RB I-ADVP O\n";
        let table = build(conll, "");
        assert_eq!(table, "ancient\tJ\nkill\tV\nsharply\tR\nsix\tC\n");
        let parsed: HashMap<_, _> = parse(&table);
        assert_eq!(parsed.get("kill"), Some(&WordClass::Verb));
        assert_eq!(parsed.get("sharply"), Some(&WordClass::Adverb));
        assert_eq!(parsed.get("troops"), None, "nouns are not listed");
        assert_eq!(parsed.get("round"), None, "no usual class");
    }

    #[test]
    fn a_word_mostly_capitalised_in_names_takes_its_class_in_lower_case() {
        // "central": in names three times ("Central Bank"), an adjective
        // twice in lower case; "back": a finite verb twice, an adverb
        // three times in lower case, so a possible verb still
        let conll = "Central NNP I-NP I-ORG\nCentral NNP I-NP I-ORG\nCentral NNP I-NP I-ORG\n\
                     central JJ I-NP O\ncentral JJ I-NP O\n\
                     back VBP I-VP O\nback VBP I-VP O\nback RB I-ADVP O\nback RB I-ADVP O\n\
                     back RB I-ADVP O\nBack RB I-ADVP O\n";
        let built = build(conll, "");
        let table: HashMap<_, _> = parse(&built);
        assert_eq!(table.get("central"), Some(&WordClass::Adjective));
        assert_eq!(table.get("back"), Some(&WordClass::MaybeVerb));
    }

    #[test]
    fn words_of_mixed_use_that_can_be_finite_verbs_are_possible_verbs() {
        // "jump": a noun 18 times, a verb twice, in the second corpus
        let mut conll = String::new();
        for _ in 0..18 {
            conll += "jump NN I-NP O\n";
        }
        conll += "prices NNS I-NP O\nprices NNS I-NP O\nrules NNS I-NP O\nrules NNS I-NP O\n\
                  rules NNS I-NP O\n";
        let more = "jump VBP\njump VB\nrules VBZ\nrules VBZ\ngrips VBZ\nprices NNS\n";
        let table = build(&conll, more);
        // "grips", a verb in its one sighting, is mostly a verb
        assert_eq!(table, "grips\tB\njump\tP\nrules\tP\n");
        // the second corpus never decides a usual class
        assert_eq!(build("", "kill VB\nkill VB\n"), "kill\tB\n");
        assert_eq!(
            parse::<HashMap<_, _>>(&table).get("jump"),
            Some(&WordClass::MaybeVerb)
        );
    }

    #[test]
    fn plurals_seen_as_nouns_are_listed_when_their_stem_can_be_a_verb() {
        let mut more = String::from("talk VB\ntalk VB\ntalk NN\nfalter VB\n");
        for _ in 0..PLURAL_NOUN_MIN_COUNT {
            more += "talks NNS\nprices NNS\n";
        }
        // seen too rarely to tell
        more += "attacks NNS\nattack VB\nattack VB\n";
        let table = build("", &more);
        assert_eq!(table, "attack\tB\nfalter\tB\ntalk\tB\ntalks\tN\n");
        // a plural seen as a verb often enough is a possible verb instead
        let table = build("", &format!("{more}talks VBZ\ntalks VBZ\n"));
        assert!(table.contains("talks\tP\n"), "{table}");
    }

    #[test]
    fn gmb_rows_become_tagged_tokens() {
        let csv =
            "Sentence #,Word,POS,Tag\nSentence: 1,Prices,NNS,O\n,jump,VBP,O\n,\"10,000\",CD,O\n";
        assert_eq!(gmb_tagged(csv), "Prices NNS\njump VBP\n");
    }

    #[test]
    fn the_built_in_table_reads_whole() {
        let lines = TABLE_TSV.lines().count();
        assert!(lines > 1000, "{lines}");
        assert_eq!(parse::<HashMap<_, _>>(TABLE_TSV).len(), lines);
        assert_eq!(class_of("said"), Some(WordClass::Verb));
        assert_eq!(class_of("government"), None);
        assert_eq!(class_of("jump"), Some(WordClass::MaybeVerb));
        // the finer classes read as the coarse ones
        assert!(is_mostly_verb("falter") && !is_mostly_verb("jump"));
        assert_eq!(class_of("falter"), Some(WordClass::MaybeVerb));
        assert!(is_plural_noun("talks") && !is_plural_noun("prices"));
        assert_eq!(class_of("talks"), None);
        // read off its uses in lower case ("Central Bank" is a name)
        assert_eq!(class_of("central"), Some(WordClass::Adjective));
    }
}

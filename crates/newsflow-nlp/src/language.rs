//! Language identification, and the rule for which articles the models
//! analyse.
//!
//! The detector is whatlang's trigram model, over a normalised sample (HTML
//! tags and entities, zero-width and control characters gone, ALL-CAPS words
//! lower-cased). Its guesses go wrong on text that has little language in
//! it: a headline of names, a table of results, a four-word body. So a
//! guess only switches the analysis off when the text carries evidence of
//! that language: in Latin script, at least [`MIN_FUNCTION_WORD_SHARE`] of
//! its words are the guessed language's function words, and more of them
//! than are English ones. Text that plainly reads as English (at least
//! [`MIN_ENGLISH_MARKER_SHARE`] of 15 words or more are English function
//! words other languages seldom share) is English with confidence 1.0, without
//! asking whatlang; so is a table of names and numbers whose words could back
//! no language ([`MIN_TABLE_NUMBER_SHARE`]), with the confidence an overruled
//! guess gets. The rule, in full:
//!
//! 1. A language the source declared is trusted: the article is analysed
//!    when that language is among the analysed ones. A detector that
//!    disagrees is recorded in `language.detected`, not followed.
//! 2. Otherwise a guess among the analysed languages is analysed.
//! 3. Otherwise, in a script other than Latin, the guess switches the
//!    analysis off.
//! 4. Otherwise, in Latin script, the guess switches it off only with a
//!    confidence of at least [`MIN_GUESS_CONFIDENCE`] and the evidence above
//!    (or, for a language without a function-word list, when whatlang calls
//!    the guess reliable; for languages with few function words, a confident
//!    guess with many words in letters outside ASCII and next to no English
//!    function words counts too); without them the article is read as
//!    English, and the guess is recorded in `language.detected`.

use std::collections::HashMap;
use std::sync::OnceLock;

use newsflow_core::{plain_text, DetectedLanguage, LanguageGuess};

use crate::lowercase::with_lower;

/// Share of a sample's words that must be function words of a guessed
/// language for the guess to switch the analysis off; chosen on
/// `eval/language` and the project's English data (docs/language.md).
pub const MIN_FUNCTION_WORD_SHARE: f64 = 0.10;

/// Share of a sample's words with letters outside ASCII that, with a
/// confident guess and no English function words, is evidence of the
/// guessed language.
pub const MIN_FOREIGN_LETTER_SHARE: f64 = 0.25;

/// The least confidence whatlang must have in a guess for it to switch the
/// analysis off, evidence or not: a name with a particle ("van der Poel")
/// can make a short English text look Afrikaans at 0.09, while the other
/// languages of `eval/language` come out at 0.33 and more.
pub const MIN_GUESS_CONFIDENCE: f64 = 0.25;

/// Share of a sample's words that must be English function words
/// ([`is_english_marker`]) for it to be read as English without whatlang;
/// chosen on the same sets as [`MIN_FUNCTION_WORD_SHARE`], where texts in
/// other languages reach at most 0.05.
pub const MIN_ENGLISH_MARKER_SHARE: f64 = 0.10;

/// The fewest words a sample needs before [`MIN_ENGLISH_MARKER_SHARE`] says
/// anything: a headline goes to whatlang.
pub const MIN_ENGLISH_MARKER_WORDS: usize = 15;

/// Languages the models are trained for.
pub const MODEL_LANGUAGES: &[&str] = &["en"];

/// The detector's view of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code, or `und`.
    pub code: String,
    /// How sure the detector is of `code`, from 0 to 1.
    pub confidence: f64,
    /// whatlang's own verdict on whether the guess is safe.
    pub reliable: bool,
    latin: bool,
    /// The sample as the detector read it.
    normalised: String,
}

impl Detection {
    /// The sample's words, lower-cased; only asked for when a guess is in
    /// doubt, so English articles never pay for them.
    fn words(&self) -> Vec<String> {
        sample_words(&self.normalised)
            .map(str::to_lowercase)
            .collect()
    }
}

/// A sample's words as both language rules count them: runs of letters
/// and apostrophes.
fn sample_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
}

/// Which language an article is treated as, and whether it is analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageDecision {
    /// The language the record carries.
    pub language: LanguageGuess,
    /// Whether the language models run on the article.
    pub analyse: bool,
}

/// Decides which articles get the analysis (`--languages`).
#[derive(Debug, Clone)]
pub struct LanguageGate {
    analysed: Vec<String>,
}

impl Default for LanguageGate {
    fn default() -> Self {
        LanguageGate::new(MODEL_LANGUAGES.iter().copied())
    }
}

impl LanguageGate {
    /// Analyses the given languages (ISO 639-1 codes, any case).
    pub fn new<S: AsRef<str>>(languages: impl IntoIterator<Item = S>) -> Self {
        let mut analysed: Vec<String> = languages
            .into_iter()
            .map(|l| primary_subtag(l.as_ref()))
            .filter(|l| !l.is_empty())
            .collect();
        analysed.sort();
        analysed.dedup();
        LanguageGate { analysed }
    }

    /// The ISO 639-1 codes analysed.
    pub fn languages(&self) -> &[String] {
        &self.analysed
    }

    fn analyses(&self, code: &str) -> bool {
        self.analysed.iter().any(|l| l == code)
    }

    /// Applies the rule of this module to `sample` (title and the start of
    /// the body) and the source's declared language.
    pub fn decide(&self, sample: &str, declared: Option<&str>) -> LanguageDecision {
        let detection = detect(sample);
        let guess = DetectedLanguage {
            code: detection.code.clone(),
            confidence: detection.confidence,
        };
        if let Some(declared) = declared.map(primary_subtag).filter(|d| !d.is_empty()) {
            let disagrees = detection.code != "und" && detection.code != declared;
            return LanguageDecision {
                analyse: self.analyses(&declared),
                language: LanguageGuess {
                    code: declared,
                    confidence: 1.0,
                    declared: None,
                    detected: disagrees.then_some(guess),
                },
            };
        }
        let stands = detection.code == "und"
            || self.analyses(&detection.code)
            || !detection.latin
            || has_evidence(&detection);
        if stands {
            return LanguageDecision {
                analyse: detection.code == "und" || self.analyses(&detection.code),
                language: LanguageGuess {
                    code: detection.code,
                    confidence: detection.confidence,
                    declared: None,
                    detected: None,
                },
            };
        }
        // No evidence of the guessed language: read as English, saying how
        // much of the text reads so.
        let english = function_word_share(&detection.words(), "en").unwrap_or(0.0);
        LanguageDecision {
            analyse: self.analyses("en"),
            language: LanguageGuess {
                code: "en".to_string(),
                confidence: (english * 1000.0).round() / 1000.0,
                declared: None,
                detected: Some(guess),
            },
        }
    }
}

/// Detects the language of `text`. Returns `und` with confidence 0 when the
/// text is too short or too mixed to tell.
pub fn detect_language(text: &str) -> LanguageGuess {
    let detection = detect(text);
    LanguageGuess {
        code: detection.code,
        confidence: detection.confidence,
        declared: None,
        detected: None,
    }
}

/// whatlang over the normalised `text`, unless the text plainly reads as
/// English ([`reads_as_english`]).
pub fn detect(text: &str) -> Detection {
    let normalised = normalise_for_detection(text);
    if reads_as_english(&normalised) {
        return Detection {
            code: "en".to_string(),
            confidence: 1.0,
            reliable: true,
            latin: true,
            normalised,
        };
    }
    if let Some(english) = table_without_evidence(&normalised) {
        return Detection {
            code: "en".to_string(),
            confidence: (english * 1000.0).round() / 1000.0,
            reliable: false,
            latin: true,
            normalised,
        };
    }
    match whatlang::detect(&normalised) {
        // the guess carries the script it was made in: no second pass
        Some(info) => Detection {
            code: iso639_1(info.lang()).to_string(),
            confidence: (info.confidence() * 1000.0).round() / 1000.0,
            reliable: info.is_reliable(),
            latin: info.script() == whatlang::Script::Latin,
            normalised,
        },
        None => Detection {
            code: "und".to_string(),
            confidence: 0.0,
            reliable: false,
            latin: whatlang::detect_script(&normalised)
                .is_none_or(|s| s == whatlang::Script::Latin),
            normalised,
        },
    }
}

/// Whether at least [`MIN_ENGLISH_MARKER_SHARE`] of the sample's words, and
/// [`MIN_ENGLISH_MARKER_WORDS`] words or more, are English function words
/// that other Latin-script languages seldom write the same way. Most English
/// articles do, and for them whatlang's scoring of 36 language profiles (a
/// sixth of the enrichment's instructions) is skipped: whatlang called 99.3%
/// of the project's English articles that pass this test English with
/// confidence 1.0, and no text in another language reached more than half
/// the threshold (docs/language.md).
fn reads_as_english(normalised: &str) -> bool {
    let mut words = 0usize;
    let mut markers = 0usize;
    for word in sample_words(normalised) {
        words += 1;
        markers += usize::from(is_english_marker(word));
    }
    words >= MIN_ENGLISH_MARKER_WORDS && markers as f64 >= MIN_ENGLISH_MARKER_SHARE * words as f64
}

/// Share of a sample's number tokens, among its words and numbers, from
/// which it is a table (results, prices, standings) rather than prose.
pub const MIN_TABLE_NUMBER_SHARE: f64 = 0.2;

/// For a table in ASCII letters that no language's function words could
/// back ([`has_evidence`]), the share of its words that are English
/// function words; `None` for anything else. Such a text is read as
/// English whatever whatlang would guess, so whatlang is not asked: a
/// quarter of CoNLL-2003's documents are such result tables, and whatlang
/// scores its 36 profiles for each (about 0.8 M instructions). The guess
/// could only have counted for a language without a function-word list
/// (Javanese, Shona, Akan, Uzbek, Turkmen, Azerbaijani) that whatlang
/// called reliable, in a text a fifth or more of which is numbers.
fn table_without_evidence(normalised: &str) -> Option<f64> {
    if !normalised.is_ascii() {
        return None;
    }
    let numbers = normalised
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .count();
    let words = sample_words(normalised).count();
    // no letters at all: whatlang has nothing to guess from, `und` stands
    if words == 0 || (numbers as f64) < MIN_TABLE_NUMBER_SHARE * (words + numbers) as f64 {
        return None;
    }
    let lists = FunctionWords::get();
    let mut english = 0usize;
    let mut hits = vec![0usize; lists.codes.len()];
    for word in sample_words(normalised) {
        let mask = with_lower(word, |lower| lists.languages_of(lower));
        english += usize::from(mask & lists.english != 0);
        let mut rest = mask & !lists.english;
        while rest != 0 {
            hits[rest.trailing_zeros() as usize] += 1;
            rest &= rest - 1;
        }
    }
    let share = |n: usize| n as f64 / words as f64;
    let english = share(english);
    let backed = hits
        .iter()
        .any(|&n| share(n) >= MIN_FUNCTION_WORD_SHARE && share(n) > english);
    (!backed).then_some(english)
}

/// The function-word lists of the languages whatlang can guess for text in
/// Latin letters, the only ones the rule reads: each word with the set of
/// languages that list it, one bit per language, so that a table's words
/// are looked up once for all of them.
struct FunctionWords {
    codes: Vec<&'static str>,
    english: u64,
    masks: HashMap<&'static str, u64, crate::Seeded>,
}

impl FunctionWords {
    fn get() -> &'static FunctionWords {
        static LISTS: OnceLock<FunctionWords> = OnceLock::new();
        LISTS.get_or_init(|| {
            let lists: Vec<(&'static str, &'static [&'static str])> = whatlang::Script::Latin
                .langs()
                .iter()
                .map(|&lang| iso639_1(lang))
                .filter_map(|code| Some((code, stop_words::lookup(list_code(code))?)))
                .collect();
            let size = lists.iter().map(|(_, list)| list.len()).sum();
            let mut masks = HashMap::with_capacity_and_hasher(size, crate::Seeded::default());
            let mut codes = Vec::with_capacity(lists.len());
            for (code, list) in lists {
                let bit = 1u64 << codes.len();
                codes.push(code);
                for &word in list {
                    *masks.entry(word).or_default() |= bit;
                }
            }
            let mut lists = FunctionWords {
                codes,
                english: 0,
                masks,
            };
            lists.english = lists.bit_of("en").unwrap_or(0);
            lists
        })
    }

    fn languages_of(&self, lower: &str) -> u64 {
        self.masks.get(lower).copied().unwrap_or(0)
    }

    /// The bit of a language (whatlang's ISO 639-1 code); `None` without a
    /// list for it.
    fn bit_of(&self, code: &str) -> Option<u64> {
        let at = self.codes.iter().position(|&c| c == code)?;
        Some(1 << at)
    }
}

/// Frequent English function words, in any case, leaving out those that are
/// also common words of another language ("in", "is", "was", "of", "to",
/// "a", "an", "on", "at", "for", "die", "her", "he", "will", "we").
fn is_english_marker(word: &str) -> bool {
    // none is longer than "because", and none has a letter outside ASCII
    word.len() <= 7 && word.is_ascii() && with_lower(word, is_english_function_word)
}

fn is_english_function_word(lower: &str) -> bool {
    matches!(
        lower,
        "the"
            | "and"
            | "that"
            | "with"
            | "from"
            | "were"
            | "have"
            | "has"
            | "which"
            | "would"
            | "could"
            | "this"
            | "these"
            | "those"
            | "said"
            | "their"
            | "they"
            | "his"
            | "its"
            | "been"
            | "are"
            | "not"
            | "it"
            | "she"
            | "who"
            | "after"
            | "also"
            | "more"
            | "than"
            | "about"
            | "into"
            | "be"
            | "when"
            | "there"
            | "other"
            | "only"
            | "because"
            | "while"
    )
}

/// The sample as a detector should see it: HTML tags and entities gone,
/// zero-width and control characters dropped, ALL-CAPS words (two letters
/// or more) lower-cased, since trigram models learnt from running text.
pub fn normalise_for_detection(text: &str) -> String {
    let text = if text.contains('<') || text.contains('&') {
        plain_text(text)
    } else {
        text.to_string()
    };
    let cleaned: String = text
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    // One output string; only capitalised words are copied lower-cased.
    let mut out = String::with_capacity(cleaned.len());
    for piece in cleaned.split_inclusive(|c: char| !c.is_alphanumeric()) {
        let mut letters = piece.chars().filter(|c| c.is_alphabetic());
        if letters.clone().count() >= 2 && letters.all(char::is_uppercase) {
            out.push_str(&piece.to_lowercase());
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// Zero-width and formatting characters that split words for a trigram
/// model while showing nothing.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}' | '\u{202a}'..='\u{202e}'
    )
}

/// Whether enough of the sample's words are function words of the guessed
/// language, and more than are English ones.
/// Agglutinative languages (Turkish, Finnish, Hungarian) have few function
/// words; their letters are evidence instead: a confident, reliable guess,
/// at least [`MIN_FOREIGN_LETTER_SHARE`] of the words with letters outside
/// ASCII, and next to no English function words (English text about
/// "Erdoğan" and "Kılıçdaroğlu" has plenty).
fn has_evidence(detection: &Detection) -> bool {
    if detection.confidence < MIN_GUESS_CONFIDENCE {
        return false;
    }
    let words = detection.words();
    let english = function_word_share(&words, "en").unwrap_or(0.0);
    let by_letters = detection.reliable
        && detection.confidence >= 0.9
        && english < 0.05
        && foreign_letter_share(&words) >= MIN_FOREIGN_LETTER_SHARE;
    match function_word_share(&words, &detection.code) {
        Some(share) => (share >= MIN_FUNCTION_WORD_SHARE && share > english) || by_letters,
        None => detection.reliable,
    }
}

/// Share of `words` with a letter outside ASCII.
fn foreign_letter_share(words: &[String]) -> f64 {
    if words.is_empty() {
        return 0.0;
    }
    let foreign = words.iter().filter(|w| !w.is_ascii()).count();
    foreign as f64 / words.len() as f64
}

/// Share of `words` that are function words of `code` (the stopwords-iso
/// lists of the stop-words crate); `None` without a list for it.
fn function_word_share(words: &[String], code: &str) -> Option<f64> {
    let lists = FunctionWords::get();
    let bit = lists.bit_of(code)?;
    if words.is_empty() {
        return Some(0.0);
    }
    let hits = words
        .iter()
        .filter(|w| lists.languages_of(w) & bit != 0)
        .count();
    Some(hits as f64 / words.len() as f64)
}

/// The code stopwords-iso files a language under: Norwegian is `no`, where
/// whatlang says `nb`.
fn list_code(code: &str) -> &str {
    if code == "nb" {
        "no"
    } else {
        code
    }
}

/// `en-GB`, `EN`, `en_US` → `en`.
fn primary_subtag(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// whatlang names languages by ISO 639-3; records use ISO 639-1 where one
/// exists, as most news feeds do.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Tur => "tr",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ara => "ar",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Hin => "hi",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Ell => "el",
        Heb => "he",
        Pes => "fa",
        Ind => "id",
        Vie => "vi",
        Ces => "cs",
        Ron => "ro",
        Hun => "hu",
        Bul => "bg",
        Hrv => "hr",
        Srp => "sr",
        Slk => "sk",
        Slv => "sl",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tha => "th",
        Urd => "ur",
        Ben => "bn",
        Aze => "az",
        Kat => "ka",
        Hye => "hy",
        Cat => "ca",
        Epo => "eo",
        Afr => "af",
        Bel => "be",
        Mkd => "mk",
        Tgl => "tl",
        Zul => "zu",
        Jav => "jv",
        Tam => "ta",
        Tel => "te",
        Mar => "mr",
        Guj => "gu",
        Pan => "pa",
        Kan => "kn",
        Mal => "ml",
        Ori => "or",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Mya => "my",
        Amh => "am",
        Yid => "yi",
        Lat => "la",
        Sna => "sn",
        Aka => "ak",
        Tuk => "tk",
        Uzb => "uz",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> LanguageGate {
        LanguageGate::default()
    }

    #[test]
    fn detects_english_french_and_turkish() {
        let en = detect_language("The government announced new measures on Tuesday to curb inflation and support households.");
        assert_eq!(en.code, "en");
        assert!(en.confidence > 0.5);
        let fr = detect_language("Le gouvernement a annoncé mardi de nouvelles mesures pour freiner l'inflation et soutenir les ménages.");
        assert_eq!(fr.code, "fr");
        let tr = detect_language("Hükümet salı günü enflasyonu frenlemek ve haneleri desteklemek için yeni önlemler açıkladı.");
        assert_eq!(tr.code, "tr");
    }

    #[test]
    fn plain_english_skips_whatlang_and_is_certain() {
        let prose = "The council said on Monday that it would raise the rates it charges, \
            because the costs of the services it runs have grown faster than its income.";
        assert!(reads_as_english(&normalise_for_detection(prose)));
        let detection = detect(prose);
        assert_eq!((detection.code.as_str(), detection.confidence), ("en", 1.0));
        assert!(detection.reliable && detection.latin);
        // Shouting is lower-cased first; a headline is too short to tell.
        assert!(reads_as_english(&normalise_for_detection(
            &prose.to_uppercase()
        )));
        assert!(!reads_as_english(
            "Jobless claims edge lower as the market waits"
        ));
        // whatlang alone is sure this is German; its English words say not.
        let names = "Schröder, Müller and Köhler named\n\
            Gerhard Schröder, Thomas Müller and Horst Köhler were named to the panel.";
        let whatlang_guess = whatlang::detect(&normalise_for_detection(names)).map(|i| i.lang());
        assert_eq!(whatlang_guess, Some(whatlang::Lang::Deu));
        assert_eq!(detect(names).code, "en");
    }

    #[test]
    fn english_markers_are_words_no_other_language_writes() {
        for word in ["the", "The", "THE", "because", "its"] {
            assert!(is_english_marker(word), "{word}");
        }
        for word in [
            "in", "is", "was", "of", "to", "a", "die", "her", "thereby", "thé",
        ] {
            assert!(!is_english_marker(word), "{word}");
        }
        for text in [
            "Le gouvernement a annoncé mardi de nouvelles mesures pour freiner l'inflation et soutenir les ménages dans tout le pays.",
            "Die Regierung hat am Dienstag neue Maßnahmen angekündigt, um die Inflation zu bremsen und die Haushalte zu entlasten.",
            "De regering heeft dinsdag nieuwe maatregelen aangekondigd om de inflatie af te remmen en de huishoudens te steunen.",
        ] {
            assert!(!reads_as_english(&normalise_for_detection(text)), "{text}");
        }
    }

    #[test]
    fn a_table_no_language_backs_is_english_without_whatlang() {
        let table = normalise_for_detection(
            "SOCCER - ENGLISH LEAGUE STANDINGS\nManchester United 10 7 2 1 20 8 23\n\
             Newcastle 10 6 3 1 18 9 21\nArsenal 10 5 4 1 17 9 19",
        );
        let english = table_without_evidence(&table).expect("a table");
        let detection = detect(&table);
        assert_eq!(detection.code, "en");
        assert_eq!(detection.confidence, (english * 1000.0).round() / 1000.0);
        assert!(!detection.reliable, "whatlang was not asked");
        let decision = gate().decide(&table, None);
        assert!(decision.analyse && decision.language.detected.is_none());

        // a table whose words back another language still goes to whatlang
        let german = normalise_for_detection(
            "Ergebnisse der Bundesliga und der zweiten Liga\nBayern gegen Dortmund 2 1\n\
             Schalke und Bremen 0 0\nKoeln gegen Mainz 3 2\nHamburg und Berlin 1 1",
        );
        assert_eq!(table_without_evidence(&german), None);
        // so does prose, and text in letters outside ASCII
        let prose =
            normalise_for_detection("Jobless claims edge lower as the market waits for 2 reports");
        assert_eq!(table_without_evidence(&prose), None);
        let accented = normalise_for_detection("Fenerbahçe 10 7 2 1 20 8 23\nGalatasaray 10 6 3 1");
        assert_eq!(table_without_evidence(&accented), None);
    }

    #[test]
    fn every_function_word_list_whatlang_could_guess_has_its_bit() {
        let lists = FunctionWords::get();
        let with_lists = whatlang::Script::Latin
            .langs()
            .iter()
            .filter(|&&lang| stop_words::lookup(list_code(iso639_1(lang))).is_some())
            .count();
        // all but the six without a list (Javanese, Shona, Akan, Uzbek,
        // Turkmen, Azerbaijani)
        assert_eq!(with_lists, whatlang::Script::Latin.langs().len() - 6);
        assert_eq!(lists.codes.len(), with_lists);
        assert_ne!(lists.english, 0);
        assert_eq!(lists.languages_of("manchester"), 0);
        let german = lists.codes.iter().position(|&c| c == "de").expect("German");
        assert_ne!(lists.languages_of("und") & (1 << german), 0);
    }

    #[test]
    fn empty_text_is_undetermined_and_analysed() {
        assert_eq!(detect_language("").code, "und");
        assert!(gate().decide("", None).analyse);
    }

    #[test]
    fn other_languages_with_their_function_words_are_not_analysed() {
        for sample in [
            "Le gouvernement présente son budget\nLe ministre a présenté mardi un budget qui prévoit une baisse des impôts.",
            "Regierung beschließt Klimapaket\nDas Kabinett hat am Mittwoch ein Paket zum Klimaschutz verabschiedet.",
            "Правительство утвердило бюджет\nПравительство во вторник утвердило проект бюджета на следующий год.",
        ] {
            let decision = gate().decide(sample, None);
            assert!(!decision.analyse, "{sample}: {decision:?}");
            assert_ne!(decision.language.code, "en");
            assert!(decision.language.detected.is_none());
        }
    }

    #[test]
    fn a_guess_without_evidence_does_not_switch_english_off() {
        // Short headlines, names, tables: whatlang guesses another language
        // for text like this, with no function word of it to back the guess.
        for sample in [
            "Jobless claims edge lower\nClaims fell slightly last week.",
            "Van der Poel wins in Roubaix\nMathieu van der Poel beat Wout van Aert.",
            "SOCCER - ENGLISH LEAGUE STANDINGS\nManchester United 10 7 2 1 20 8 23\nNewcastle 10 6 3 1 18 9 21",
        ] {
            let decision = gate().decide(sample, None);
            assert!(decision.analyse, "{sample}: {decision:?}");
            if let Some(detected) = &decision.language.detected {
                assert_eq!(decision.language.code, "en");
                assert_ne!(detected.code, "en");
            }
        }
    }

    #[test]
    fn html_zero_width_and_capitals_are_normalised() {
        assert_eq!(
            normalise_for_detection("<p>The <b>council</b> met &amp; agreed.</p>"),
            "The council met & agreed."
        );
        assert_eq!(
            normalise_for_detection("Minister\u{200b} resigns\u{feff} now"),
            "Minister resigns now"
        );
        assert_eq!(
            normalise_for_detection("SOCCER - JAPAN GET LUCKY WIN, US side"),
            "soccer - japan get lucky win, us side"
        );
        let caps = "GOVERNMENT ANNOUNCES NEW MEASURES TO CURB INFLATION\nTHE MINISTER SAID THE PLAN WOULD HELP FAMILIES FACING HIGHER PRICES.";
        let decision = gate().decide(caps, None);
        assert!(
            decision.analyse && decision.language.code == "en",
            "{decision:?}"
        );
    }

    #[test]
    fn a_declared_language_is_trusted_and_a_disagreement_recorded() {
        let french = "Le gouvernement présente son budget\nLe ministre a présenté mardi un budget qui prévoit une baisse des impôts.";
        let decision = gate().decide(french, Some("en-GB"));
        assert!(decision.analyse);
        assert_eq!(decision.language.code, "en");
        assert_eq!(decision.language.confidence, 1.0);
        assert_eq!(
            decision.language.detected.as_ref().map(|d| d.code.as_str()),
            Some("fr")
        );
        let english = "The council approved the budget on Monday after a long debate.";
        let decision = gate().decide(english, Some("FR"));
        assert!(!decision.analyse);
        assert_eq!(decision.language.code, "fr");
        let agreeing = gate().decide(english, Some("en"));
        assert!(agreeing.analyse && agreeing.language.detected.is_none());
    }

    #[test]
    fn languages_say_what_is_analysed() {
        let gate = LanguageGate::new(["EN", "fr", "fr-CA"]);
        assert_eq!(gate.languages(), ["en", "fr"]);
        let french = "Le gouvernement présente son budget\nLe ministre a présenté mardi un budget qui prévoit une baisse des impôts.";
        assert!(gate.decide(french, None).analyse);
        let only_french = LanguageGate::new(["fr"]);
        assert!(
            !only_french
                .decide("The council approved the budget on Monday.", None)
                .analyse
        );
    }
}

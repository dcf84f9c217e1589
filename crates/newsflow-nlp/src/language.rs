//! Language identification (whatlang's trigram model).

use newsflow_core::LanguageGuess;

/// Detects the language of `text`. Returns `und` with confidence 0 when the
/// text is too short or too mixed to tell.
pub fn detect_language(text: &str) -> LanguageGuess {
    match whatlang::detect(text) {
        Some(info) => LanguageGuess {
            code: iso639_1(info.lang()).to_string(),
            confidence: (info.confidence() * 1000.0).round() / 1000.0,
            declared: None,
        },
        None => LanguageGuess {
            code: "und".to_string(),
            confidence: 0.0,
            declared: None,
        },
    }
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
    fn empty_text_is_undetermined() {
        assert_eq!(detect_language("").code, "und");
    }
}

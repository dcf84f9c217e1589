//! Tone: a coarse lexicon score in [-1, 1].
//!
//! Each word of the article found in the project's own word list (written
//! here for news prose: "killed", "crisis" negative; "agreement", "recovery"
//! positive) adds its valence; a negation among the three words before it
//! flips and damps it, an intensifier before it strengthens it. The sum is
//! squashed into (-1, 1) with x / sqrt(x² + α), the normalisation used by
//! lexicon scorers in the manner of VADER (Hutto & Gilbert, ICWSM 2014).
//! It says whether the news is grim or upbeat, not what a writer thinks.

use std::sync::OnceLock;

use crate::key_table::WordTable;
use crate::lowercase::with_lower;
use crate::tokenizer::Token;

/// Larger α needs more evidence to reach a strong score.
const ALPHA: f64 = 15.0;
/// Scores within this distance of 0 are "neutral".
const NEUTRAL_BAND: f64 = 0.1;
/// A negated word counts this much, with the opposite sign.
const NEGATION_FACTOR: f64 = -0.6;
const INTENSIFIER_FACTOR: f64 = 1.4;

const NEGATIVE_STRONG: &[&str] = &[
    "atrocity",
    "bloodshed",
    "carnage",
    "catastrophe",
    "catastrophic",
    "dead",
    "death",
    "deaths",
    "devastating",
    "devastation",
    "disaster",
    "famine",
    "genocide",
    "horrific",
    "kill",
    "killed",
    "killing",
    "killings",
    "massacre",
    "murder",
    "murdered",
    "slaughter",
    "terror",
    "terrorist",
    "tragedy",
    "tragic",
    "war",
];

const NEGATIVE: &[&str] = &[
    "abuse",
    "accident",
    "accused",
    "alarm",
    "anger",
    "angry",
    "arrest",
    "arrested",
    "assault",
    "attack",
    "attacked",
    "attacks",
    "bankrupt",
    "bankruptcy",
    "blast",
    "bomb",
    "bombing",
    "collapse",
    "collapsed",
    "conflict",
    "corruption",
    "crash",
    "crashed",
    "crime",
    "crisis",
    "criticised",
    "criticized",
    "cut",
    "cuts",
    "damage",
    "damaged",
    "danger",
    "dangerous",
    "decline",
    "declined",
    "defeat",
    "deficit",
    "destroyed",
    "dispute",
    "downturn",
    "drought",
    "earthquake",
    "evacuate",
    "evacuated",
    "drop",
    "dropped",
    "failed",
    "failure",
    "fall",
    "fear",
    "fears",
    "fell",
    "fight",
    "fighting",
    "fire",
    "flood",
    "heatwave",
    "fraud",
    "guilty",
    "harm",
    "hit",
    "hostile",
    "hurt",
    "illegal",
    "injured",
    "injuries",
    "jail",
    "jailed",
    "lawsuit",
    "layoffs",
    "loss",
    "losses",
    "lost",
    "outbreak",
    "pain",
    "plunge",
    "plunged",
    "poverty",
    "prison",
    "protest",
    "protests",
    "recession",
    "refugees",
    "risk",
    "risks",
    "riot",
    "sanctions",
    "scandal",
    "shortage",
    "slump",
    "strike",
    "struggle",
    "suffer",
    "suffered",
    "suspect",
    "tension",
    "tensions",
    "threat",
    "threatened",
    "threats",
    "trouble",
    "unemployment",
    "victim",
    "victims",
    "violence",
    "violent",
    "warning",
    "weak",
    "wildfire",
    "wildfires",
    "worse",
    "worst",
    "wounded",
];

const POSITIVE: &[&str] = &[
    "achieve",
    "achieved",
    "achievement",
    "agree",
    "agreed",
    "agreement",
    "aid",
    "approve",
    "approved",
    "benefit",
    "benefits",
    "best",
    "boost",
    "boosted",
    "breakthrough",
    "calm",
    "celebrate",
    "celebrated",
    "celebration",
    "cooperation",
    "cure",
    "deal",
    "delighted",
    "gain",
    "gains",
    "good",
    "grow",
    "growth",
    "happy",
    "help",
    "helped",
    "hope",
    "hopes",
    "improve",
    "improved",
    "improvement",
    "innovation",
    "praise",
    "praised",
    "progress",
    "prosperity",
    "protect",
    "rally",
    "recover",
    "recovered",
    "recovery",
    "relief",
    "rescue",
    "rescued",
    "resolve",
    "resolved",
    "safe",
    "safety",
    "saved",
    "solution",
    "stability",
    "stable",
    "strong",
    "success",
    "successful",
    "support",
    "supported",
    "thrive",
    "triumph",
    "victory",
    "welcome",
    "welcomed",
    "win",
    "winner",
    "wins",
    "won",
];

const POSITIVE_STRONG: &[&str] = &[
    "celebrated",
    "excellent",
    "historic",
    "landmark",
    "outstanding",
    "peace",
    "record-breaking",
    "remarkable",
    "spectacular",
    "wonderful",
];

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "without", "n't", "cannot", "nor", "neither", "hardly",
];

const INTENSIFIERS: &[&str] = &[
    "very",
    "extremely",
    "highly",
    "deeply",
    "hugely",
    "sharply",
    "severely",
    "badly",
    "seriously",
    "major",
    "massive",
    "heavy",
];

/// Word → valence.
fn lexicon() -> &'static WordTable<f64> {
    static LEXICON: OnceLock<WordTable<f64>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        // later lists override earlier ones: the strong forms win
        [
            (NEGATIVE, -1.0),
            (POSITIVE, 1.0),
            (NEGATIVE_STRONG, -2.0),
            (POSITIVE_STRONG, 2.0),
        ]
        .into_iter()
        .flat_map(|(words, value)| words.iter().map(move |w| (*w, value)))
        .collect()
    })
}

/// How grim or upbeat a text reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToneScore {
    /// In [-1, 1].
    pub score: f64,
    /// `negative`, `neutral` or `positive`.
    pub label: &'static str,
}

/// The tone of a whole article.
pub fn of_document(doc: &crate::Document) -> ToneScore {
    tone(doc.text(), doc.tokens())
}

/// The tone of a tokenised text.
pub fn tone(text: &str, tokens: &[Token]) -> ToneScore {
    let lexicon = lexicon();
    let word_in =
        |at: usize, list: &[&str]| with_lower(tokens[at].text(text), |w| list.contains(&w));
    let mut sum = 0.0;
    for (i, token) in tokens.iter().enumerate() {
        let Some(mut v) = with_lower(token.text(text), |w| lexicon.get(w).copied()) else {
            continue;
        };
        // the three words before, looked at only for the few words the
        // lexicon holds
        if (i.saturating_sub(3)..i).any(|at| word_in(at, NEGATIONS)) {
            v *= NEGATION_FACTOR;
        }
        if i > 0 && word_in(i - 1, INTENSIFIERS) {
            v *= INTENSIFIER_FACTOR;
        }
        sum += v;
    }
    let score = sum / (sum * sum + ALPHA).sqrt();
    let score = (score * 1e4).round() / 1e4;
    let label = if score <= -NEUTRAL_BAND {
        "negative"
    } else if score >= NEUTRAL_BAND {
        "positive"
    } else {
        "neutral"
    };
    ToneScore { score, label }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::tokenize;

    fn score(text: &str) -> (f64, &'static str) {
        let tone = tone(text, &tokenize(text));
        (tone.score, tone.label)
    }

    #[test]
    fn grim_news_is_negative_and_good_news_positive() {
        let (s, label) =
            score("At least 40 people were killed and hundreds injured in the attack.");
        assert!(s < -0.3, "{s}");
        assert_eq!(label, "negative");
        let (s, label) = score("The deal was welcomed as a breakthrough that will boost growth.");
        assert!(s > 0.3, "{s}");
        assert_eq!(label, "positive");
        assert_eq!(score("The committee meets on Tuesday.").1, "neutral");
    }

    #[test]
    fn negation_flips_and_scores_stay_in_range() {
        let (plain, _) = score("The talks were a success.");
        let (negated, _) = score("The talks were not a success.");
        assert!(plain > 0.0 && negated < 0.0, "{plain} {negated}");
        // a negation three words before still counts ("did n't really
        // feel good"); four before does not
        let (third, _) = score("He did n't really feel good.");
        let (fourth, _) = score("He did n't really quite feel good.");
        assert!(third < 0.0 && fourth > 0.0, "{third} {fourth}");
        let long = "killed ".repeat(10_000);
        let (s, _) = score(&long);
        assert!((-1.0..=1.0).contains(&s) && s < -0.99);
    }
}

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{RawArticle, Truncated, ENRICHED_SCHEMA};

/// An article after enrichment (`newsflow.enriched/1`): everything the raw
/// record held, plus what the NLP stage found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrichedArticle {
    pub schema: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub title: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    pub ingested_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
    pub language: LanguageGuess,
    #[serde(default)]
    pub entities: Vec<Entity>,
    #[serde(default)]
    pub topics: Vec<Topic>,
    #[serde(default)]
    pub keywords: Vec<Keyword>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone: Option<Tone>,
    #[serde(default)]
    pub dates: Vec<DateMention>,
    pub stats: TextStats,
    /// Why parts of the analysis were skipped (for example, a language the
    /// models were not trained for). Absent when everything ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis_skipped: Option<String>,
    /// What the record's size bound left out. Absent when nothing was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated: Option<Truncated>,
    pub provenance: Provenance,
    /// Fields of the raw record (or of a newer writer) this version does not
    /// know; carried through unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl EnrichedArticle {
    /// Starts an enriched record from a raw one, keeping every field it had.
    /// The analysis fields start empty; the raw `language` becomes
    /// `language.declared`.
    pub fn from_raw(raw: RawArticle, language: LanguageGuess, provenance: Provenance) -> Self {
        let language = LanguageGuess {
            declared: raw.language.or(language.declared),
            ..language
        };
        EnrichedArticle {
            schema: ENRICHED_SCHEMA.to_string(),
            id: raw.id,
            url: raw.url,
            source: raw.source,
            title: raw.title,
            body: raw.body,
            published_at: raw.published_at,
            ingested_at: raw.ingested_at,
            meta: raw.meta,
            language,
            entities: Vec::new(),
            topics: Vec::new(),
            keywords: Vec::new(),
            tone: None,
            dates: Vec::new(),
            stats: TextStats::default(),
            analysis_skipped: None,
            truncated: None,
            provenance,
            extra: raw.extra,
        }
    }
}

/// The language an article is treated as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageGuess {
    /// ISO 639-1 code: the declared language when the source gave one,
    /// else the detected one; `und` when undetermined.
    pub code: String,
    /// In [0, 1].
    pub confidence: f64,
    /// The language the source declared, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<String>,
    /// What the detector said, when it disagrees with `code`: the source
    /// declared another language, or the detector's guess was overruled
    /// for want of evidence in the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detected: Option<DetectedLanguage>,
}

/// A language detector's guess.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectedLanguage {
    /// ISO 639-1 code.
    pub code: String,
    /// In [0, 1].
    pub confidence: f64,
}

/// One distinct real-world thing named in the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub canonical: String,
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salience: Option<f64>,
    pub mentions: Vec<Mention>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<Value>,
}

/// Where an entity is mentioned: Unicode code-point offsets, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub field: MentionField,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionField {
    Title,
    Body,
}

/// An IPTC Media Topic with its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub id: String,
    pub label: String,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyword {
    pub text: String,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tone {
    /// In [-1, 1]; coarse, lexicon-based.
    pub score: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A date expression, normalised against `published_at` when possible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateMention {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub field: MentionField,
    pub start: usize,
    pub end: usize,
}

/// Basic counts over the article's text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextStats {
    pub title_tokens: usize,
    pub body_tokens: usize,
    pub sentences: usize,
    pub characters: usize,
}

/// Where and how a record was produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub pipeline: String,
    /// Model name → model version.
    #[serde(default)]
    pub models: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourcePosition>,
    pub enriched_at: String,
}

/// The Kafka position a record was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcePosition {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
}

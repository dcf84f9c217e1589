use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{RawArticle, Story, Truncated, ENRICHED_SCHEMA};

/// An article after enrichment (`newsflow.enriched/1`): everything the raw
/// record held, plus what the NLP stage found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrichedArticle {
    /// Always [`ENRICHED_SCHEMA`] for records written by this version.
    pub schema: String,
    /// The raw record's id: the topic's key.
    pub id: String,
    /// The article's address, as the source gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Who published it (a feed, an outlet), as the producer named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The headline, as received.
    pub title: String,
    /// The text, as received.
    pub body: String,
    /// RFC 3339 time of publication, when the source knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    /// RFC 3339 time the producer took the article in.
    pub ingested_at: String,
    /// The source's own metadata, free-form, carried through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
    /// The language the article is treated as.
    pub language: LanguageGuess,
    /// Distinct things named, each with its mentions.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// IPTC Media Topics, best first.
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// Key phrases, best first.
    #[serde(default)]
    pub keywords: Vec<Keyword>,
    /// The article's tone, when there is text to judge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone: Option<Tone>,
    /// Date expressions, in text order.
    #[serde(default)]
    pub dates: Vec<DateMention>,
    /// Counts over the text.
    pub stats: TextStats,
    /// Why parts of the analysis were skipped (for example, a language the
    /// models were not trained for). Absent when everything ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis_skipped: Option<String>,
    /// What the record's size bound left out. Absent when nothing was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated: Option<Truncated>,
    /// Near-duplicate and story detection. Absent when it did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<Story>,
    /// Which pipeline and models wrote the record, and from where.
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
        let (meta, extra) = move_shadowed_fields(raw.meta, raw.extra);
        EnrichedArticle {
            schema: ENRICHED_SCHEMA.to_string(),
            id: raw.id,
            url: raw.url,
            source: raw.source,
            title: raw.title,
            body: raw.body,
            published_at: raw.published_at,
            ingested_at: raw.ingested_at,
            meta,
            language,
            entities: Vec::new(),
            topics: Vec::new(),
            keywords: Vec::new(),
            tone: None,
            dates: Vec::new(),
            stats: TextStats::default(),
            analysis_skipped: None,
            truncated: None,
            story: None,
            provenance,
            extra,
        }
    }

    /// When the article happened, for windows over the stream: its
    /// publication time, else when the producer took it in; seconds since
    /// 1970. `None` when neither is an RFC 3339 time.
    pub fn event_time(&self) -> Option<i64> {
        [
            self.published_at.as_deref(),
            Some(self.ingested_at.as_str()),
        ]
        .into_iter()
        .flatten()
        .find_map(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.timestamp())
    }
}

/// The record's fields that the analysis writes and a raw record does not
/// know. A raw field of one of these names, such as a feed's own
/// `keywords`, would otherwise be written twice into the record, and the
/// sinks would dead-letter it as not matching the schema.
pub const ANALYSIS_FIELDS: [&str; 10] = [
    "entities",
    "topics",
    "keywords",
    "tone",
    "dates",
    "stats",
    "analysis_skipped",
    "truncated",
    "story",
    "provenance",
];

/// Moves the raw fields named like an analysis field into `meta`, the
/// source's own metadata, so that the source's value is kept and the record
/// has each key once. A non-object `meta` is kept under `meta.meta`; a name
/// `meta` already has gets a suffix (`topics_2`).
fn move_shadowed_fields(
    meta: Option<Value>,
    mut extra: Map<String, Value>,
) -> (Option<Value>, Map<String, Value>) {
    let shadowed: Vec<(String, Value)> = ANALYSIS_FIELDS
        .iter()
        .filter_map(|name| extra.remove_entry(*name))
        .collect();
    if shadowed.is_empty() {
        return (meta, extra);
    }
    let mut object = match meta {
        None => Map::new(),
        Some(Value::Object(object)) => object,
        Some(other) => Map::from_iter([("meta".to_string(), other)]),
    };
    for (name, value) in shadowed {
        let mut key = name.clone();
        let mut n = 1;
        while object.contains_key(&key) {
            n += 1;
            key = format!("{name}_{n}");
        }
        object.insert(key, value);
    }
    (Some(Value::Object(object)), extra)
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
    /// The entity's first mention, as written ("Musk" of a headline
    /// before "Elon Musk" in the body); its fullest name is `canonical`.
    pub text: String,
    /// PER, ORG, LOC or MISC (`type` in JSON).
    #[serde(rename = "type")]
    pub kind: String,
    /// The name every mention of the thing is merged under.
    pub canonical: String,
    /// How many times it is mentioned, dropped mentions included.
    pub count: u32,
    /// In [0, 1]: how central the entity is to the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salience: Option<f64>,
    /// Where it is mentioned.
    pub mentions: Vec<Mention>,
    /// Identifiers of what it names (`geonames_id`, `country`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Map<String, Value>>,
    /// Where a place is on the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<Value>,
}

/// Where an entity is mentioned: Unicode code-point offsets, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The title or the body.
    pub field: MentionField,
    /// First code point.
    pub start: usize,
    /// Code point after the last.
    pub end: usize,
}

/// Which text a mention is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionField {
    /// The headline.
    Title,
    /// The text.
    Body,
}

/// An IPTC Media Topic with its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// The IPTC Media Topic id, e.g. `medtop:11000000`.
    pub id: String,
    /// Its English label.
    pub label: String,
    /// Calibrated probability that the topic applies, in [0, 1].
    pub score: f64,
}

/// A key phrase: a whole noun phrase or an entity's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyword {
    /// The phrase as it reads in the text (an entity's canonical name).
    pub text: String,
    /// Higher is more important to the article.
    pub score: f64,
}

/// How positive or negative the article reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tone {
    /// In [-1, 1]; coarse, lexicon-based.
    pub score: f64,
    /// `positive`, `negative` or `neutral`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A date expression, normalised against `published_at` when possible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateMention {
    /// The expression as it reads in the text.
    pub text: String,
    /// ISO 8601 date (or year, or year-month) it refers to, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The title or the body.
    pub field: MentionField,
    /// First code point.
    pub start: usize,
    /// Code point after the last.
    pub end: usize,
}

/// Basic counts over the article's text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextStats {
    /// Tokens in the title.
    pub title_tokens: usize,
    /// Tokens in the body.
    pub body_tokens: usize,
    /// Sentences in the body.
    pub sentences: usize,
    /// Unicode code points in the title and body.
    pub characters: usize,
}

/// Where and how a record was produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The writer and its version ([`crate::PIPELINE_VERSION`]).
    pub pipeline: String,
    /// Model name → model version.
    #[serde(default)]
    pub models: BTreeMap<String, String>,
    /// Where the raw record was read, when it came from Kafka.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourcePosition>,
    /// RFC 3339 time of the enrichment.
    pub enriched_at: String,
}

/// The Kafka position a record was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcePosition {
    /// The raw topic.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// The raw record's offset.
    pub offset: i64,
}

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{derive_id, now_rfc3339, RAW_SCHEMA};

/// An article as it enters the pipeline (`newsflow.raw/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawArticle {
    /// Always [`RAW_SCHEMA`] for this version; filled in when absent.
    #[serde(default = "raw_schema")]
    pub schema: String,
    /// Stable id: given by the source, or derived by [`derive_id`].
    #[serde(default)]
    pub id: String,
    /// The article's address, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Who published it (a feed, an outlet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The headline.
    pub title: String,
    /// The text: plain, or HTML that the enricher reads as text.
    pub body: String,
    /// RFC 3339 timestamp of publication, when the source knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    /// Language the source declared (ISO 639-1), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// RFC 3339 time the producer took the article in; filled in when absent.
    #[serde(default)]
    pub ingested_at: String,
    /// The source's own metadata, free-form, carried through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
    /// Fields this version does not know; carried through unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn raw_schema() -> String {
    RAW_SCHEMA.to_string()
}

impl RawArticle {
    /// A new article with a derived id and `ingested_at` set to now.
    pub fn new(title: impl Into<String>, body: impl Into<String>) -> Self {
        let mut article = RawArticle {
            schema: raw_schema(),
            id: String::new(),
            url: None,
            source: None,
            title: title.into(),
            body: body.into(),
            published_at: None,
            language: None,
            ingested_at: String::new(),
            meta: None,
            extra: Map::new(),
        };
        article.fill_defaults();
        article
    }

    /// Parses a `.txt` article: the first non-empty line is the title, the
    /// rest (trimmed) is the body. `None` when the text has no non-empty line.
    pub fn from_text(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        let title = lines.by_ref().map(str::trim).find(|l| !l.is_empty())?;
        let body = lines.collect::<Vec<_>>().join("\n");
        Some(Self::new(title, body.trim()))
    }

    /// Sets the schema, derives the id when missing and stamps
    /// `ingested_at` when missing. Idempotent.
    pub fn fill_defaults(&mut self) {
        if self.schema.is_empty() {
            self.schema = raw_schema();
        }
        if self.id.trim().is_empty() {
            self.id = derive_id(self.url.as_deref(), &self.title, &self.body);
        }
        if self.ingested_at.is_empty() {
            self.ingested_at = now_rfc3339();
        }
    }
}

//! What one enriched record becomes in the database.
//!
//! Built on the blocking pool by the stage's `process`, so that the writer
//! task only binds parameters. Everything PostgreSQL would refuse for a
//! reason of the record's own (a timestamp that does not parse, a NUL
//! character, which `text` and `jsonb` cannot hold) is found here and
//! dead-lettered, before it can fail a whole batch.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use newsflow_core::DeadLetterReason;
use newsflow_core::{EnrichedArticle, Entity};
use newsflow_kafka::{Rejection, SourceRecord};
use serde_json::Value;

/// How many topic ids `articles.top_topics` keeps.
const TOP_TOPICS: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub language: String,
    pub top_topics: Vec<String>,
    pub tone: Option<f32>,
    /// The record as JSON text.
    pub record: String,
    pub pipeline_version: String,
    /// `provenance.models` as JSON text.
    pub model_versions: String,
    pub model_version: String,
    pub enriched_at: DateTime<Utc>,
    pub source_topic: String,
    pub source_partition: i32,
    pub source_offset: i64,
    pub entities: Vec<EntityRow>,
    pub topics: Vec<TopicRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntityRow {
    pub key: String,
    pub kind: String,
    pub canonical: String,
    pub geonames_id: Option<i64>,
    pub country: Option<String>,
    pub text: String,
    pub count: i32,
    pub salience: Option<f32>,
    /// The mentions as JSON text.
    pub mentions: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TopicRow {
    pub id: String,
    pub label: String,
    pub score: f32,
}

impl ArticleRow {
    pub fn new(article: &EnrichedArticle, source: &SourceRecord) -> Result<Self, Rejection> {
        let record = serde_json::to_string(article)
            .map_err(|e| Rejection::new(DeadLetterReason::Serialize, e.to_string()))?;
        // serde_json writes U+0000 as this escape, and only so.
        if record.contains("\\u0000") {
            return Err(Rejection::new(
                DeadLetterReason::UnstorableText,
                "record contains a NUL character, which PostgreSQL text cannot hold",
            ));
        }
        let provenance = &article.provenance;
        let model_versions = serde_json::to_string(&provenance.models)
            .map_err(|e| Rejection::new(DeadLetterReason::Serialize, e.to_string()))?;
        Ok(ArticleRow {
            id: article.id.clone(),
            title: article.title.clone(),
            url: article.url.clone(),
            source: article.source.clone(),
            published_at: article
                .published_at
                .as_deref()
                .map(|t| timestamp("published_at", t))
                .transpose()?,
            language: article.language.code.clone(),
            top_topics: article
                .topics
                .iter()
                .take(TOP_TOPICS)
                .map(|t| t.id.clone())
                .collect(),
            tone: article.tone.as_ref().map(|t| t.score as f32),
            record,
            pipeline_version: provenance.pipeline.clone(),
            model_versions,
            model_version: model_version(&provenance.pipeline, &provenance.models),
            enriched_at: timestamp("provenance.enriched_at", &provenance.enriched_at)?,
            source_topic: source.topic.clone(),
            source_partition: source.partition,
            source_offset: source.offset,
            entities: entity_rows(&article.entities)?,
            topics: article
                .topics
                .iter()
                .map(|t| TopicRow {
                    id: t.id.clone(),
                    label: t.label.clone(),
                    score: t.score as f32,
                })
                .collect(),
        })
    }

    /// Whether this enrichment should replace `other` of the same article:
    /// the same order the database applies on upsert.
    pub fn newer_than(&self, other: &ArticleRow) -> bool {
        (self.enriched_at, &self.model_version) > (other.enriched_at, &other.model_version)
    }
}

/// `pipeline ner=... topics=...`: the models sorted by name (a BTreeMap),
/// so that the same versions always give the same string.
fn model_version(pipeline: &str, models: &BTreeMap<String, String>) -> String {
    let mut version = pipeline.to_string();
    for (name, model) in models {
        version.push(' ');
        version.push_str(name);
        version.push('=');
        version.push_str(model);
    }
    version
}

fn timestamp(field: &str, text: &str) -> Result<DateTime<Utc>, Rejection> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            Rejection::new(
                DeadLetterReason::InvalidField,
                format!("field `{field}` is not an RFC 3339 timestamp ({text:?}): {e}"),
            )
        })
}

/// One row per distinct entity key. An article lists each entity once, but
/// two entries can still share a key (one name, two types' spellings
/// folded together); they are merged rather than refused.
fn entity_rows(entities: &[Entity]) -> Result<Vec<EntityRow>, Rejection> {
    let mut rows: Vec<EntityRow> = Vec::with_capacity(entities.len());
    let mut mentions_of: Vec<Vec<Value>> = Vec::with_capacity(entities.len());
    for entity in entities {
        let geonames_id = link(entity, "geonames_id").and_then(Value::as_i64);
        let country = link(entity, "country")
            .and_then(Value::as_str)
            .map(str::to_string);
        let key = match geonames_id {
            Some(id) => format!("{}|{}|{id}", entity.kind, entity.canonical),
            None => format!("{}|{}|", entity.kind, entity.canonical),
        };
        let mentions: Vec<Value> = entity
            .mentions
            .iter()
            .map(|m| serde_json::to_value(m).unwrap_or(Value::Null))
            .collect();
        let salience = entity.salience.map(|s| s as f32);
        let count = i32::try_from(entity.count).unwrap_or(i32::MAX);
        if let Some(i) = rows.iter().position(|r| r.key == key) {
            let row = &mut rows[i];
            row.count = row.count.saturating_add(count);
            row.salience = match (row.salience, salience) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            mentions_of[i].extend(mentions);
            continue;
        }
        rows.push(EntityRow {
            key,
            kind: entity.kind.clone(),
            canonical: entity.canonical.clone(),
            geonames_id,
            country,
            text: entity.text.clone(),
            count,
            salience,
            mentions: String::new(),
        });
        mentions_of.push(mentions);
    }
    for (row, mentions) in rows.iter_mut().zip(mentions_of) {
        row.mentions = serde_json::to_string(&mentions)
            .map_err(|e| Rejection::new(DeadLetterReason::Serialize, e.to_string()))?;
    }
    Ok(rows)
}

/// A link of the entity: from `links`, or else from `geo`.
fn link<'a>(entity: &'a Entity, name: &str) -> Option<&'a Value> {
    entity
        .links
        .as_ref()
        .and_then(|links| links.get(name))
        .or_else(|| entity.geo.as_ref().and_then(|geo| geo.get(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsflow_core::{LanguageGuess, Provenance, RawArticle};

    fn article() -> EnrichedArticle {
        let mut raw = RawArticle::new("Talks in Tripoli", "Leaders met in Tripoli.");
        raw.fill_defaults();
        raw.published_at = Some("2026-11-01T10:00:00+01:00".into());
        let mut models = BTreeMap::new();
        models.insert("topics".to_string(), "t1".to_string());
        models.insert("ner".to_string(), "n1".to_string());
        EnrichedArticle::from_raw(
            raw,
            LanguageGuess {
                code: "en".into(),
                confidence: 0.9,
                declared: None,
                detected: None,
            },
            Provenance {
                pipeline: "0.1.0".into(),
                models,
                source: None,
                enriched_at: "2026-11-02T00:00:00Z".into(),
            },
        )
    }

    fn source() -> SourceRecord {
        SourceRecord {
            topic: "articles.enriched".into(),
            partition: 2,
            offset: 41,
            key: None,
            payload: None,
            headers: Vec::new(),
            timestamp: None,
        }
    }

    fn entity(kind: &str, canonical: &str, links: Option<Value>) -> Entity {
        serde_json::from_value(serde_json::json!({
            "text": canonical, "type": kind, "canonical": canonical, "count": 2,
            "salience": 0.5,
            "mentions": [{"field": "body", "start": 0, "end": 3}],
            "links": links,
        }))
        .expect("valid entity")
    }

    #[test]
    fn places_of_one_name_in_two_countries_are_two_entities() {
        let mut article = article();
        article.entities = vec![
            entity(
                "LOC",
                "Tripoli",
                Some(serde_json::json!({"geonames_id": 2210247, "country": "LY"})),
            ),
            entity(
                "LOC",
                "Tripoli",
                Some(serde_json::json!({"geonames_id": 266826, "country": "LB"})),
            ),
            entity("PER", "Ann Lee", None),
        ];
        let row = ArticleRow::new(&article, &source()).expect("row");
        let keys: Vec<&str> = row.entities.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            ["LOC|Tripoli|2210247", "LOC|Tripoli|266826", "PER|Ann Lee|"]
        );
        assert_eq!(row.entities[1].country.as_deref(), Some("LB"));
        assert_eq!(row.entities[2].geonames_id, None);
    }

    #[test]
    fn entries_sharing_a_key_are_merged() {
        let mut article = article();
        article.entities = vec![entity("ORG", "UN", None), entity("ORG", "UN", None)];
        let row = ArticleRow::new(&article, &source()).expect("row");
        assert_eq!(row.entities.len(), 1);
        assert_eq!(row.entities[0].count, 4);
        let mentions: Vec<Value> = serde_json::from_str(&row.entities[0].mentions).expect("json");
        assert_eq!(mentions.len(), 2);
    }

    #[test]
    fn timestamps_are_normalised_to_utc_and_versions_sorted() {
        let row = ArticleRow::new(&article(), &source()).expect("row");
        assert_eq!(
            row.published_at.map(|t| t.to_rfc3339()),
            Some("2026-11-01T09:00:00+00:00".to_string())
        );
        assert_eq!(row.model_version, "0.1.0 ner=n1 topics=t1");
        assert_eq!((row.source_partition, row.source_offset), (2, 41));
    }

    #[test]
    fn later_enrichment_then_greater_model_version_is_newer() {
        let old = ArticleRow::new(&article(), &source()).expect("row");
        let mut later = article();
        later.provenance.enriched_at = "2026-11-02T00:00:01Z".into();
        assert!(ArticleRow::new(&later, &source())
            .expect("row")
            .newer_than(&old));
        let mut same_time_new_model = article();
        same_time_new_model
            .provenance
            .models
            .insert("topics".into(), "t2".into());
        let new_model = ArticleRow::new(&same_time_new_model, &source()).expect("row");
        assert!(new_model.newer_than(&old));
        assert!(!old.newer_than(&new_model));
        assert!(!old.newer_than(&old.clone()));
    }

    #[test]
    fn bad_timestamps_and_nul_characters_are_rejected() {
        let mut bad_time = article();
        bad_time.provenance.enriched_at = "yesterday".into();
        let e = ArticleRow::new(&bad_time, &source()).expect_err("bad time");
        assert_eq!(e.kind, DeadLetterReason::InvalidField);
        assert!(e.message.contains("enriched_at"), "{}", e.message);

        let mut nul = article();
        nul.body = "a\u{0}b".into();
        let e = ArticleRow::new(&nul, &source()).expect_err("NUL");
        assert_eq!(e.kind, DeadLetterReason::UnstorableText);
    }
}

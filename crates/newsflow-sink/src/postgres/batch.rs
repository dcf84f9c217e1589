//! Writing one batch of articles in one transaction.
//!
//! Each table gets one statement per batch, its rows passed as arrays and
//! spread with `unnest`, so a batch of 200 articles costs six round trips,
//! not thousands. The article upsert decides which articles change
//! (`RETURNING` gives the ids inserted or replaced); only those get their
//! entity and topic rows replaced, so replaying old enrichments over newer
//! ones changes nothing at all.

use std::collections::{BTreeMap, HashMap};

use tokio_postgres::Transaction;

use super::rows::ArticleRow;

const UPSERT_ARTICLES: &str = "
INSERT INTO articles (id, title, url, source, published_at, language, top_topics, tone,
                      record, pipeline_version, model_versions, model_version, enriched_at,
                      source_topic, source_partition, source_offset)
SELECT u.id, u.title, u.url, u.source, u.published_at, u.language,
       ARRAY(SELECT jsonb_array_elements_text(u.top_topics::jsonb)), u.tone,
       u.record::jsonb, u.pipeline_version, u.model_versions::jsonb, u.model_version,
       u.enriched_at, u.source_topic, u.source_partition, u.source_offset
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[],
            $7::text[], $8::real[], $9::text[], $10::text[], $11::text[], $12::text[],
            $13::timestamptz[], $14::text[], $15::int4[], $16::int8[])
     AS u(id, title, url, source, published_at, language, top_topics, tone, record,
          pipeline_version, model_versions, model_version, enriched_at, source_topic,
          source_partition, source_offset)
ON CONFLICT (id) DO UPDATE SET
    title = EXCLUDED.title, url = EXCLUDED.url, source = EXCLUDED.source,
    published_at = EXCLUDED.published_at, language = EXCLUDED.language,
    top_topics = EXCLUDED.top_topics, tone = EXCLUDED.tone, record = EXCLUDED.record,
    pipeline_version = EXCLUDED.pipeline_version, model_versions = EXCLUDED.model_versions,
    model_version = EXCLUDED.model_version, enriched_at = EXCLUDED.enriched_at,
    source_topic = EXCLUDED.source_topic, source_partition = EXCLUDED.source_partition,
    source_offset = EXCLUDED.source_offset, written_at = now()
WHERE (articles.enriched_at, articles.model_version)
    < (EXCLUDED.enriched_at, EXCLUDED.model_version)
RETURNING id";

const INSERT_ENTITIES: &str = "
INSERT INTO entities (key, type, canonical, geonames_id, country)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[])
ORDER BY 1
ON CONFLICT (key) DO NOTHING";

const INSERT_ARTICLE_ENTITIES: &str = "
INSERT INTO article_entities (article_id, entity_id, text, count, salience, mentions)
SELECT u.article_id, u.entity_id, u.text, u.count, u.salience, u.mentions::jsonb
FROM unnest($1::text[], $2::int8[], $3::text[], $4::int4[], $5::real[], $6::text[])
     AS u(article_id, entity_id, text, count, salience, mentions)";

const INSERT_ARTICLE_TOPICS: &str = "
INSERT INTO article_topics (article_id, topic_id, label, score)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::real[])";

/// What one batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Articles inserted or replaced by a newer enrichment.
    pub written: usize,
    /// Articles left alone: the database already held a newer enrichment.
    pub unchanged: usize,
}

/// Upserts `rows` within `transaction` (the caller commits). Rows of the
/// same id are reduced to the newest first: one statement cannot update a
/// row twice.
pub async fn write(
    transaction: &Transaction<'_>,
    rows: &[&ArticleRow],
) -> Result<BatchOutcome, tokio_postgres::Error> {
    let rows = newest_per_id(rows);
    let written: Vec<String> = upsert_articles(transaction, &rows)
        .await?
        .into_iter()
        .collect();
    let outcome = BatchOutcome {
        written: written.len(),
        unchanged: rows.len() - written.len(),
    };
    if written.is_empty() {
        return Ok(outcome);
    }
    transaction
        .execute(
            "DELETE FROM article_entities WHERE article_id = ANY($1)",
            &[&written],
        )
        .await?;
    transaction
        .execute(
            "DELETE FROM article_topics WHERE article_id = ANY($1)",
            &[&written],
        )
        .await?;
    let written: Vec<&ArticleRow> = rows
        .into_iter()
        .filter(|row| written.binary_search(&row.id).is_ok())
        .collect();
    let entity_ids = upsert_entities(transaction, &written).await?;
    insert_article_entities(transaction, &written, &entity_ids).await?;
    insert_article_topics(transaction, &written).await?;
    Ok(outcome)
}

/// One row per id, the newest enrichment of it; sorted by id, so that
/// concurrent batches lock rows in the same order.
fn newest_per_id<'a>(rows: &[&'a ArticleRow]) -> Vec<&'a ArticleRow> {
    let mut newest: BTreeMap<&str, &ArticleRow> = BTreeMap::new();
    for &row in rows {
        match newest.get(row.id.as_str()) {
            Some(kept) if !row.newer_than(kept) => {}
            _ => {
                newest.insert(&row.id, row);
            }
        }
    }
    newest.into_values().collect()
}

/// Returns the ids written, sorted.
async fn upsert_articles(
    transaction: &Transaction<'_>,
    rows: &[&ArticleRow],
) -> Result<Vec<String>, tokio_postgres::Error> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    let urls: Vec<Option<&str>> = rows.iter().map(|r| r.url.as_deref()).collect();
    let sources: Vec<Option<&str>> = rows.iter().map(|r| r.source.as_deref()).collect();
    let published: Vec<_> = rows.iter().map(|r| r.published_at).collect();
    let languages: Vec<&str> = rows.iter().map(|r| r.language.as_str()).collect();
    let top_topics: Vec<String> = rows
        .iter()
        .map(|r| serde_json::Value::from(r.top_topics.clone()).to_string())
        .collect();
    let tones: Vec<Option<f32>> = rows.iter().map(|r| r.tone).collect();
    let records: Vec<&str> = rows.iter().map(|r| r.record.as_str()).collect();
    let pipelines: Vec<&str> = rows.iter().map(|r| r.pipeline_version.as_str()).collect();
    let model_versions: Vec<&str> = rows.iter().map(|r| r.model_versions.as_str()).collect();
    let model_version: Vec<&str> = rows.iter().map(|r| r.model_version.as_str()).collect();
    let enriched: Vec<_> = rows.iter().map(|r| r.enriched_at).collect();
    let topics: Vec<&str> = rows.iter().map(|r| r.source_topic.as_str()).collect();
    let partitions: Vec<i32> = rows.iter().map(|r| r.source_partition).collect();
    let offsets: Vec<i64> = rows.iter().map(|r| r.source_offset).collect();
    let returned = transaction
        .query(
            UPSERT_ARTICLES,
            &[
                &ids,
                &titles,
                &urls,
                &sources,
                &published,
                &languages,
                &top_topics,
                &tones,
                &records,
                &pipelines,
                &model_versions,
                &model_version,
                &enriched,
                &topics,
                &partitions,
                &offsets,
            ],
        )
        .await?;
    let mut written: Vec<String> = returned.iter().map(|row| row.get(0)).collect();
    written.sort_unstable();
    Ok(written)
}

/// Makes sure every entity of `rows` exists; returns the id of each key.
async fn upsert_entities(
    transaction: &Transaction<'_>,
    rows: &[&ArticleRow],
) -> Result<HashMap<String, i64>, tokio_postgres::Error> {
    let mut distinct: BTreeMap<&str, &super::rows::EntityRow> = BTreeMap::new();
    for entity in rows.iter().flat_map(|r| &r.entities) {
        distinct.entry(entity.key.as_str()).or_insert(entity);
    }
    if distinct.is_empty() {
        return Ok(HashMap::new());
    }
    let keys: Vec<&str> = distinct.keys().copied().collect();
    let kinds: Vec<&str> = distinct.values().map(|e| e.kind.as_str()).collect();
    let canonicals: Vec<&str> = distinct.values().map(|e| e.canonical.as_str()).collect();
    let geonames: Vec<Option<i64>> = distinct.values().map(|e| e.geonames_id).collect();
    let countries: Vec<Option<&str>> = distinct.values().map(|e| e.country.as_deref()).collect();
    transaction
        .execute(
            INSERT_ENTITIES,
            &[&keys, &kinds, &canonicals, &geonames, &countries],
        )
        .await?;
    let found = transaction
        .query(
            "SELECT key, entity_id FROM entities WHERE key = ANY($1)",
            &[&keys],
        )
        .await?;
    Ok(found
        .iter()
        .map(|row| (row.get::<_, String>(0), row.get::<_, i64>(1)))
        .collect())
}

async fn insert_article_entities(
    transaction: &Transaction<'_>,
    rows: &[&ArticleRow],
    entity_ids: &HashMap<String, i64>,
) -> Result<(), tokio_postgres::Error> {
    let mut article_ids = Vec::new();
    let mut ids = Vec::new();
    let mut texts = Vec::new();
    let mut counts = Vec::new();
    let mut saliences = Vec::new();
    let mut mentions = Vec::new();
    for row in rows {
        for entity in &row.entities {
            // Every key was inserted or found just before, in this
            // transaction; a miss would be a bug, not bad data.
            let Some(&id) = entity_ids.get(&entity.key) else {
                continue;
            };
            article_ids.push(row.id.as_str());
            ids.push(id);
            texts.push(entity.text.as_str());
            counts.push(entity.count);
            saliences.push(entity.salience);
            mentions.push(entity.mentions.as_str());
        }
    }
    if article_ids.is_empty() {
        return Ok(());
    }
    transaction
        .execute(
            INSERT_ARTICLE_ENTITIES,
            &[&article_ids, &ids, &texts, &counts, &saliences, &mentions],
        )
        .await?;
    Ok(())
}

async fn insert_article_topics(
    transaction: &Transaction<'_>,
    rows: &[&ArticleRow],
) -> Result<(), tokio_postgres::Error> {
    let mut article_ids = Vec::new();
    let mut topic_ids = Vec::new();
    let mut labels = Vec::new();
    let mut scores = Vec::new();
    for row in rows {
        // A topic listed twice would break the primary key: keep the first.
        let mut seen = std::collections::HashSet::new();
        for topic in row.topics.iter().filter(|t| seen.insert(t.id.as_str())) {
            article_ids.push(row.id.as_str());
            topic_ids.push(topic.id.as_str());
            labels.push(topic.label.as_str());
            scores.push(topic.score);
        }
    }
    if article_ids.is_empty() {
        return Ok(());
    }
    transaction
        .execute(
            INSERT_ARTICLE_TOPICS,
            &[&article_ids, &topic_ids, &labels, &scores],
        )
        .await?;
    Ok(())
}

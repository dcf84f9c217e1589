//! Records the tests write, and the JSONL the sink writes back.

use std::path::Path;

/// A RawArticle JSON record with a known id.
pub fn raw_article(id: &str, n: usize) -> Vec<u8> {
    serde_json::json!({
        "schema": "newsflow.raw/1",
        "id": id,
        "title": format!("Council approves budget number {n}"),
        "body": format!("The city council in Springfield approved budget {n} on Monday after a long debate. The mayor said the plan would fund schools and roads."),
        "ingested_at": "2026-11-28T10:00:00Z",
        "published_at": "2026-11-27T08:30:00Z",
    })
    .to_string()
    .into_bytes()
}

/// An EnrichedArticle JSON record with a known id, as the enricher would
/// write it at `enriched_at`: two entities (one linked to GeoNames) and
/// two topics, so that every table of the PostgreSQL sink gets rows.
pub fn enriched_article(id: &str, n: usize, enriched_at: &str) -> Vec<u8> {
    serde_json::json!({
        "schema": "newsflow.enriched/1",
        "id": id,
        "title": format!("Council in Springfield approves budget number {n}"),
        "body": "The mayor said the plan would fund schools.",
        "ingested_at": "2026-11-28T10:00:00Z",
        "published_at": "2026-11-27T08:30:00Z",
        "language": {"code": "en", "confidence": 0.99},
        "entities": [
            {"text": "Springfield", "type": "LOC", "canonical": "Springfield", "count": 1,
             "salience": 0.8, "mentions": [{"field": "title", "start": 11, "end": 22}],
             "links": {"geonames_id": 4409896, "country": "US"}},
            {"text": format!("budget {n}"), "type": "MISC", "canonical": format!("Budget {}", n % 7),
             "count": 1, "mentions": [{"field": "title", "start": 31, "end": 37}]}
        ],
        "topics": [
            {"id": "medtop:11000000", "label": "politics", "score": 0.9},
            {"id": "medtop:04000000", "label": "economy, business and finance", "score": 0.4}
        ],
        "keywords": [{"text": "budget", "score": 0.5}],
        "tone": {"score": 0.1, "label": "neutral"},
        "dates": [],
        "stats": {"title_tokens": 7, "body_tokens": 8, "sentences": 2, "characters": 90},
        "provenance": {"pipeline": "0.1.0", "models": {"ner": "test"}, "enriched_at": enriched_at}
    })
    .to_string()
    .into_bytes()
}

/// Every record the JSONL sink wrote under `dir` (none while it has no
/// files yet).
pub fn read_jsonl_dir(dir: &Path) -> Vec<serde_json::Value> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for line in text.lines() {
            out.push(serde_json::from_str(line).expect("each line is JSON"));
        }
    }
    out
}

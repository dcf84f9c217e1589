//! The one entry point of the NLP stage.

use newsflow_core::{
    now_rfc3339, EnrichedArticle, Provenance, RawArticle, SourcePosition, TextStats,
    PIPELINE_VERSION,
};

use crate::detect_language;
use crate::sentences::split_sentences;
use crate::tokenizer::{tokenize_into, Token};

/// Enriches raw articles. Cheap to share between threads; build one at
/// start-up (it will own the loaded models).
#[derive(Debug, Default)]
pub struct Annotator {}

impl Annotator {
    pub fn new() -> Self {
        Annotator {}
    }

    /// Analyses one article. `source` is where it was read from, for
    /// provenance.
    pub fn annotate(&self, raw: RawArticle, source: Option<SourcePosition>) -> EnrichedArticle {
        let mut tokens: Vec<Token> = Vec::new();
        tokenize_into(&raw.title, &mut tokens);
        let title_tokens = tokens.len();
        tokenize_into(&raw.body, &mut tokens);
        let body_tokens = tokens.len();
        let sentences = split_sentences(&raw.body, &tokens).len() + usize::from(title_tokens > 0);
        let characters = raw.title.chars().count() + raw.body.chars().count();

        let sample = language_sample(&raw.title, &raw.body);
        let language = detect_language(&sample);
        let provenance = Provenance {
            pipeline: PIPELINE_VERSION.to_string(),
            models: Default::default(),
            source,
            enriched_at: now_rfc3339(),
        };
        let mut enriched = EnrichedArticle::from_raw(raw, language, provenance);
        enriched.stats = TextStats {
            title_tokens,
            body_tokens,
            sentences,
            characters,
        };
        enriched
    }
}

/// Title plus the start of the body: enough for a reliable guess, and it
/// bounds the cost on very long articles.
fn language_sample(title: &str, body: &str) -> String {
    const SAMPLE_BYTES: usize = 2000;
    let mut end = body.len().min(SAMPLE_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{title}\n{}", &body[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotate_keeps_raw_fields_and_counts_text() {
        let mut raw = RawArticle::new(
            "Storm hits coast",
            "Winds reached 150 km/h. Thousands lost power.",
        );
        raw.language = Some("en".into());
        raw.extra
            .insert("custom".into(), serde_json::Value::Bool(true));
        let id = raw.id.clone();
        let out = Annotator::new().annotate(raw, None);
        assert_eq!(out.id, id);
        assert_eq!(out.language.declared.as_deref(), Some("en"));
        assert_eq!(out.stats.title_tokens, 3);
        assert_eq!(out.stats.sentences, 3);
        assert!(out.extra.contains_key("custom"));
        assert!(out.entities.is_empty());
    }
}

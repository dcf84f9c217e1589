//! The whole enrichment of an article, as the enrich stage runs it: the
//! first line is the title, the rest the body; the record is bounded to
//! 1 MiB as `--max-output-bytes` does by default.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsflow_core::{MentionField, RawArticle};
use newsflow_enricher::serialise_within;
use newsflow_nlp::Annotator;

const MAX_OUTPUT_BYTES: usize = 1024 * 1024;

fn annotator() -> &'static Annotator {
    static ANNOTATOR: OnceLock<Annotator> = OnceLock::new();
    ANNOTATOR.get_or_init(|| Annotator::with_default_models().expect("the built-in models load"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (title, body) = text.split_once('\n').unwrap_or((text, ""));
    let mut enriched = annotator().annotate(RawArticle::new(title, body), None);
    // Every mention is a span of code points inside its field.
    let title_chars = enriched.title.chars().count();
    let body_chars = enriched.body.chars().count();
    for entity in &enriched.entities {
        for mention in &entity.mentions {
            let len = match mention.field {
                MentionField::Title => title_chars,
                MentionField::Body => body_chars,
            };
            assert!(
                mention.start < mention.end && mention.end <= len,
                "{mention:?} of {len}"
            );
        }
    }
    let _ = serialise_within(&mut enriched, MAX_OUTPUT_BYTES);
});

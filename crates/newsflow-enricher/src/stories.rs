//! The enricher's story step: each article's signature is computed with
//! the rest of the enrichment (on the CPU pool), and the decision is asked
//! of the story index in the pipeline's asynchronous step, which keeps
//! each partition's order.
//!
//! A shared store that cannot be reached pauses the stage through its
//! health, as a database outage pauses the PostgreSQL sink: the decision
//! is asked again until the store answers, and nothing is dead-lettered
//! for it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use newsflow_core::{EnrichedArticle, Story, StoryKind};
use newsflow_kafka::metrics::catalogue::{STORIES, STORY_STORE_ERRORS, STORY_STORE_SECONDS};
use newsflow_kafka::metrics::{Exposition, Histogram, Report, LATENCY_BOUNDS};
use newsflow_stories::{Signature, StoryIndex};
use tokio::sync::watch;

/// Room kept in the output limit for the story, which is added to the
/// serialised record after the decision: its kind and similarity, and two
/// article ids.
pub(crate) const STORY_ROOM_BYTES: usize = 1024;

/// The first wait before asking an unavailable store again; it doubles up
/// to [`MAX_RETRY_WAIT`].
const FIRST_RETRY_WAIT: Duration = Duration::from_millis(100);
const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);

/// What the decision needs of an article, taken before it is serialised.
#[derive(Debug)]
pub struct PendingStory {
    id: String,
    signature: Signature,
    event_time: Option<i64>,
}

/// Decides each article's story and counts the decisions.
pub struct StoryStep {
    index: StoryIndex,
    available: watch::Sender<bool>,
    metrics: Arc<StoryMetrics>,
}

impl StoryStep {
    pub fn new(index: StoryIndex) -> Self {
        StoryStep {
            index,
            available: watch::Sender::new(true),
            metrics: Arc::default(),
        }
    }

    /// The signature and event time of `article`.
    pub fn pending(&self, article: &EnrichedArticle) -> PendingStory {
        PendingStory {
            id: article.id.clone(),
            signature: Signature::of_article(&article.title, &article.body),
            event_time: article.event_time(),
        }
    }

    /// Whether the store answers: `None` for the in-process index, which
    /// always does.
    pub fn health(&self) -> Option<watch::Receiver<bool>> {
        self.index.is_shared().then(|| self.available.subscribe())
    }

    pub fn metrics(&self) -> Arc<StoryMetrics> {
        self.metrics.clone()
    }

    /// The article's story, asked until the store answers; `None` (the
    /// record goes on without a story) only when the store holds what
    /// this version cannot read.
    pub async fn decide(&self, pending: &PendingStory) -> Option<Story> {
        let mut wait = FIRST_RETRY_WAIT;
        loop {
            match self
                .index
                .decide(&pending.id, &pending.signature, pending.event_time)
                .await
            {
                Ok(decided) => {
                    if self.index.is_shared() {
                        self.metrics
                            .store_seconds
                            .observe(decided.store_time.as_secs_f64());
                    }
                    self.metrics.count(decided.story.kind);
                    self.set_available(true, None);
                    return Some(decided.story);
                }
                Err(e) if e.is_transient() => {
                    self.metrics.errors.fetch_add(1, Ordering::Relaxed);
                    self.set_available(false, Some(&e.to_string()));
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(MAX_RETRY_WAIT);
                }
                Err(e) => {
                    self.metrics.errors.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(id = pending.id, error = %e, "no story for this article");
                    return None;
                }
            }
        }
    }

    /// Says a change of the store's availability once, however many
    /// records notice it.
    fn set_available(&self, available: bool, error: Option<&str>) {
        let changed = self.available.send_if_modified(|now| {
            let changed = *now != available;
            *now = available;
            changed
        });
        if changed && available {
            tracing::info!("the story store answers again: resuming");
        } else if changed {
            tracing::warn!(
                error = error.unwrap_or_default(),
                "the story store is unavailable: pausing until it answers"
            );
        }
    }
}

/// Adds `story` to a serialised record, as its last field, if the record
/// then stays within `limit` bytes. The record is a JSON object written by
/// serde_json, so it ends in `}`.
pub(crate) fn add_story(payload: &mut Vec<u8>, story: &Story, limit: usize) -> bool {
    let Ok(json) = serde_json::to_vec(story) else {
        return false;
    };
    let field = b",\"story\":";
    if payload.last() != Some(&b'}')
        || payload.len() < 2
        || payload.len() + field.len() + json.len() > limit
    {
        return false;
    }
    payload.pop();
    payload.extend_from_slice(field);
    payload.extend_from_slice(&json);
    payload.push(b'}');
    true
}

/// Decisions by kind, and the shared store's latency and errors, for
/// `/metrics`.
pub struct StoryMetrics {
    kinds: [AtomicU64; 3],
    store_seconds: Histogram,
    errors: AtomicU64,
}

impl Default for StoryMetrics {
    fn default() -> Self {
        StoryMetrics {
            kinds: Default::default(),
            store_seconds: Histogram::new(LATENCY_BOUNDS),
            errors: AtomicU64::new(0),
        }
    }
}

const KINDS: [(StoryKind, &str); 3] = [
    (StoryKind::Original, "original"),
    (StoryKind::Duplicate, "duplicate"),
    (StoryKind::SameStory, "same_story"),
];

impl StoryMetrics {
    fn count(&self, kind: StoryKind) {
        if let Some(i) = KINDS.iter().position(|(k, _)| *k == kind) {
            self.kinds[i].fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Report for StoryMetrics {
    fn report(&self, out: &mut Exposition) {
        out.family(&STORIES);
        for (i, (_, name)) in KINDS.iter().enumerate() {
            let count = self.kinds[i].load(Ordering::Relaxed);
            out.sample(&STORIES, &[("kind", name)], count as f64);
        }
        self.store_seconds.report(out, &STORY_STORE_SECONDS, &[]);
        out.counter(
            &STORY_STORE_ERRORS,
            &[],
            self.errors.load(Ordering::Relaxed),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story() -> Story {
        Story {
            id: "a".into(),
            kind: StoryKind::Duplicate,
            duplicate_of: Some("a".into()),
            similarity: 0.9375,
        }
    }

    #[test]
    fn the_story_becomes_the_records_last_field() {
        let mut payload = br#"{"id":"b","title":"T"}"#.to_vec();
        assert!(add_story(&mut payload, &story(), 1000));
        let record: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(record["story"]["kind"], "duplicate");
        assert_eq!(record["story"]["duplicate_of"], "a");
        assert_eq!(record["title"], "T");
    }

    #[test]
    fn a_story_that_does_not_fit_is_left_out() {
        let original = br#"{"id":"b"}"#.to_vec();
        let mut payload = original.clone();
        assert!(!add_story(&mut payload, &story(), original.len() + 20));
        assert_eq!(payload, original);
        let mut not_an_object = b"[1]".to_vec();
        assert!(!add_story(&mut not_an_object, &story(), 1000));
    }

    #[tokio::test]
    async fn an_in_process_index_decides_and_counts_without_health() {
        let index = newsflow_stories::MemoryIndex::new(Default::default(), Default::default());
        let step = StoryStep::new(StoryIndex::InProcess(std::sync::Mutex::new(index)));
        assert!(step.health().is_none());
        let text = "the council met on monday to discuss the budget for the coming year and agreed";
        for id in ["a", "b"] {
            let pending = PendingStory {
                id: id.into(),
                signature: Signature::of(text),
                event_time: Some(0),
            };
            step.decide(&pending).await.unwrap();
        }
        let mut out = Exposition::default();
        step.metrics().report(&mut out);
        let text = out.finish();
        assert!(
            text.contains("newsflow_stories_total{kind=\"original\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("newsflow_stories_total{kind=\"duplicate\"} 1"),
            "{text}"
        );
    }
}

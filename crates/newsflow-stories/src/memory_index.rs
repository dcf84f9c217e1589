//! The in-process story index: what `annotate` and `demo` will use, with
//! no server. It holds the signatures of a window of recent articles by
//! band key and decides, for each new article, whether it is an original,
//! a duplicate (a reprint) of one of them, or the same story re-reported.
//!
//! Decisions are kept per article id and the first one stands: an article
//! seen again (a replay, a redelivery) gets its first answer back, never a
//! new one that would name itself as its own duplicate. Given the same
//! articles in the same order, the index decides the same way: candidates
//! are compared in the order they arrived.

use std::collections::{BTreeSet, HashMap, VecDeque};

use newsflow_core::Story;

use crate::decision::{decide_among, Candidate, Thresholds, Window, CANDIDATES_PER_BAND};
use crate::Signature;

#[derive(Debug)]
struct Entry {
    id: String,
    story_id: String,
    signature: Signature,
    event_time: i64,
    bands: Vec<u64>,
}

/// Signatures of the window's articles and the decisions made.
#[derive(Debug)]
pub struct MemoryIndex {
    thresholds: Thresholds,
    window: Window,
    /// The window's articles in arrival order; `first` numbers the front.
    entries: VecDeque<Entry>,
    first: u64,
    /// Band key → arrival numbers of the articles that have it.
    bands: HashMap<u64, Vec<u64>>,
    decisions: HashMap<String, Story>,
    newest: i64,
}

impl MemoryIndex {
    /// An empty index.
    pub fn new(thresholds: Thresholds, window: Window) -> Self {
        MemoryIndex {
            thresholds,
            window,
            entries: VecDeque::new(),
            first: 0,
            bands: HashMap::new(),
            decisions: HashMap::new(),
            newest: i64::MIN,
        }
    }

    /// Decides what the article `id` is, given its signature and its event
    /// time (seconds since 1970: the publication time, else when the
    /// record was written; `None`: the newest time seen so far), and
    /// remembers it.
    pub fn decide(&mut self, id: &str, signature: &Signature, event_time: Option<i64>) -> Story {
        if let Some(decision) = self.decisions.get(id) {
            return decision.clone();
        }
        let event_time = event_time.unwrap_or(self.newest.max(0));
        self.newest = self.newest.max(event_time);
        self.evict();
        let bands: Vec<u64> = signature.bands().collect();
        let candidates: BTreeSet<u64> = bands
            .iter()
            .filter_map(|band| self.bands.get(band))
            .flatten()
            .copied()
            .collect();
        let oldest = self.oldest();
        let first = self.first;
        let earlier = candidates
            .into_iter()
            .filter_map(|number| self.entries.get((number - first) as usize))
            // out of the window, though not yet at the front of it
            .filter(|entry| entry.event_time >= oldest)
            .map(|entry| {
                Candidate::compared(signature, &entry.signature, &entry.id, &entry.story_id)
            });
        let decision = decide_among(id, &self.thresholds, earlier);
        // An article without words is an original whenever it comes, so
        // neither it nor its decision is kept.
        if !signature.is_empty() {
            self.decisions.insert(id.to_string(), decision.clone());
            let number = self.first + self.entries.len() as u64;
            for &band in &bands {
                let numbers = self.bands.entry(band).or_default();
                numbers.push(number);
                // Only the most recent are ever compared (see
                // CANDIDATES_PER_BAND): older ones need not be kept.
                if numbers.len() > CANDIDATES_PER_BAND {
                    numbers.remove(0);
                }
            }
            self.entries.push_back(Entry {
                id: id.to_string(),
                story_id: decision.id.clone(),
                signature: signature.clone(),
                event_time,
                bands,
            });
        }
        decision
    }

    /// Articles in the window.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the window is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drops articles older than the window, or beyond its size, with their
    /// decisions: an article that old is decided afresh if it comes again.
    fn oldest(&self) -> i64 {
        self.newest.saturating_sub(self.window.max_age_secs)
    }

    fn evict(&mut self) {
        let oldest = self.oldest();
        while let Some(front) = self.entries.front() {
            let full = self.entries.len() >= self.window.max_articles.max(1);
            if !full && front.event_time >= oldest {
                break;
            }
            let number = self.first;
            if let Some(entry) = self.entries.pop_front() {
                for band in &entry.bands {
                    if let Some(numbers) = self.bands.get_mut(band) {
                        numbers.retain(|&n| n != number);
                        if numbers.is_empty() {
                            self.bands.remove(band);
                        }
                    }
                }
                self.decisions.remove(&entry.id);
            }
            self.first += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsflow_core::StoryKind;

    const DAY: i64 = 24 * 3600;

    fn story(sentences: impl Iterator<Item = usize>) -> String {
        sentences
            .map(|i| {
                // Every run of five words holds a word of this paragraph
                // only, so stories share exactly the paragraphs they share.
                format!("Paragraph {i}: minister{i} told reporters{i} in Ankara{i} that talks{i} would resume{i}.")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn index() -> MemoryIndex {
        MemoryIndex::new(Thresholds::default(), Window::default())
    }

    fn decide(index: &mut MemoryIndex, id: &str, text: &str, time: i64) -> Story {
        index.decide(id, &Signature::of(text), Some(time))
    }

    #[test]
    fn a_reprint_is_a_duplicate_and_a_rewrite_the_same_story() {
        let mut index = index();
        let first = decide(&mut index, "a", &story(0..40), 0);
        assert_eq!(first.kind, StoryKind::Original);
        assert_eq!(first.id, "a");
        assert_eq!(first.duplicate_of, None);

        let reprint = decide(&mut index, "b", &story(0..40).to_uppercase(), 60);
        assert_eq!(reprint.kind, StoryKind::Duplicate);
        assert_eq!(reprint.duplicate_of.as_deref(), Some("a"));
        assert_eq!((reprint.id.as_str(), reprint.similarity), ("a", 1.0));

        // a third of it rewritten
        let rewrite = decide(&mut index, "c", &story((0..27).chain(500..513)), 120);
        assert_eq!(rewrite.kind, StoryKind::SameStory, "{rewrite:?}");
        assert_eq!(rewrite.id, "a");

        let other = decide(&mut index, "d", &story(900..940), 180);
        assert_eq!(other.kind, StoryKind::Original);
        assert_eq!(other.id, "d");
    }

    #[test]
    fn a_flood_of_one_template_keeps_few_candidates_per_band() {
        let mut index = index();
        let text = story(0..30);
        for n in 0..500 {
            decide(&mut index, &format!("t{n}"), &text, n);
        }
        assert!(index.bands.values().all(|n| n.len() <= CANDIDATES_PER_BAND));
        let copy = decide(&mut index, "copy", &text, 501);
        assert_eq!(copy.kind, StoryKind::Duplicate);
        assert_eq!(copy.id, "t0", "still the story of the first");
        assert_eq!(
            copy.duplicate_of.as_deref(),
            Some("t436"),
            "the earliest kept"
        );
    }

    #[test]
    fn the_first_decision_stands() {
        let mut index = index();
        decide(&mut index, "a", &story(0..40), 0);
        let b = decide(&mut index, "b", &story(0..40), 1);
        assert_eq!(b.kind, StoryKind::Duplicate);
        // b again, even with other text: the stored answer
        assert_eq!(decide(&mut index, "b", &story(700..740), 2), b);
        // a again is still the original, not a copy of b
        assert_eq!(
            decide(&mut index, "a", &story(0..40), 3).kind,
            StoryKind::Original
        );
    }

    #[test]
    fn a_copy_of_a_copy_keeps_the_first_story_and_the_earliest_twin() {
        let mut index = index();
        decide(&mut index, "a", &story(0..40), 0);
        decide(&mut index, "b", &story(0..40), 1);
        let c = decide(&mut index, "c", &story(0..40), 2);
        assert_eq!(c.id, "a");
        // a and b are equally close: the one that came first
        assert_eq!(c.duplicate_of.as_deref(), Some("a"));
    }

    #[test]
    fn the_window_runs_on_event_time_and_is_capped_by_count() {
        let mut index = index();
        decide(&mut index, "old", &story(0..40), 0);
        let later = decide(&mut index, "later", &story(0..40), 8 * DAY);
        assert_eq!(
            later.kind,
            StoryKind::Original,
            "a week is the default window"
        );
        assert_eq!(index.len(), 1);

        let window = Window {
            max_age_secs: 30 * DAY,
            max_articles: 2,
        };
        let mut index = MemoryIndex::new(Thresholds::default(), window);
        decide(&mut index, "a", &story(0..40), 0);
        decide(&mut index, "x", &story(100..140), 1);
        decide(&mut index, "y", &story(200..240), 2);
        assert_eq!(index.len(), 2);
        assert_eq!(
            decide(&mut index, "a2", &story(0..40), 3).kind,
            StoryKind::Original
        );
    }

    #[test]
    fn backfill_out_of_order_compares_only_within_the_window() {
        let mut index = index();
        decide(&mut index, "new", &story(300..340), 30 * DAY);
        // an article from a month earlier arrives after it
        decide(&mut index, "old", &story(0..40), 0);
        let copy = decide(&mut index, "copy", &story(0..40), 30 * DAY + 1);
        assert_eq!(copy.kind, StoryKind::Original, "{copy:?}");
    }

    #[test]
    fn an_article_without_a_time_stands_at_the_newest_time_seen() {
        let mut index = index();
        decide(&mut index, "a", &story(0..40), 20 * DAY);
        let copy = index.decide("b", &Signature::of(&story(0..40)), None);
        assert_eq!(copy.kind, StoryKind::Duplicate);
        // and does not drag the window back to 1970
        let later = decide(&mut index, "c", &story(0..40), 20 * DAY + 1);
        assert_eq!(later.duplicate_of.as_deref(), Some("a"));
    }

    #[test]
    fn articles_without_words_are_originals_and_not_kept() {
        let mut index = index();
        for id in ["e1", "e2"] {
            let d = decide(&mut index, id, "", 0);
            assert_eq!((d.kind, d.id.as_str()), (StoryKind::Original, id));
        }
        assert!(index.is_empty());
    }
}

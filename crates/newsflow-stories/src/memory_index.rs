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
//!
//! The window's articles live in rings (the entries, their fingerprints,
//! their chain links), not in allocations of their own: an enricher evicts
//! an article for every one it adds, and freeing a kilobyte or two of
//! scattered memory per article, among the enrichment's own allocations,
//! made glibc's allocator take several percent more of the whole
//! enrichment's CPU (docs/stories.md).

use std::collections::{HashMap, VecDeque};

use newsflow_core::Story;

use crate::decision::{decide_among, Candidate, Thresholds, Window, CANDIDATES_PER_BAND};
use crate::hash::BandMap;
use crate::signature::Counted;
use crate::{Signature, BANDS};

#[derive(Debug)]
struct Entry {
    id: String,
    story_id: String,
    /// Distinct shingles, and where the fingerprints start in
    /// [`MemoryIndex::fingerprints`] (counted from the first ever kept)
    /// and how many there are.
    shingles: u32,
    fingerprints_at: u64,
    fingerprints_len: u32,
    event_time: i64,
    /// Its band keys, to take out of [`MemoryIndex::bands`] when it leaves.
    keys: [u64; BANDS],
}

/// No previous article.
const NONE: u64 = u64::MAX;

/// Signatures of the window's articles and the decisions made.
#[derive(Debug)]
pub struct MemoryIndex {
    thresholds: Thresholds,
    window: Window,
    /// The window's articles in arrival order; `first` numbers the front.
    entries: VecDeque<Entry>,
    first: u64,
    /// The entries' fingerprints, one after another; `fingerprints_first`
    /// is the position of the first one held, counted from the first ever
    /// kept. Evicted ones at the front are dropped in bulk.
    fingerprints: Vec<u16>,
    fingerprints_first: u64,
    /// Band key → arrival number of the newest article that has it.
    bands: BandMap<u64>,
    /// Per band, per article of the window (as `entries`), the arrival
    /// number of the previous article with the same key there ([`NONE`]
    /// if none): the articles sharing a key form a chain from the newest,
    /// so that a key costs one map entry however many share it. A ring per
    /// band keeps a chain's walk within 8 bytes an article: a flood of
    /// copies walks 64 links in each of the 42 bands.
    previous: Vec<VecDeque<u64>>,
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
            fingerprints: Vec::new(),
            fingerprints_first: 0,
            bands: BandMap::default(),
            previous: vec![VecDeque::new(); BANDS],
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
        // Copies of one article share every band, so the same numbers come
        // from each chain: gathered, then sorted once into arrival order.
        let mut candidates = Vec::new();
        for (i, band) in bands.iter().enumerate() {
            // Only the most recent are compared (see CANDIDATES_PER_BAND).
            let mut number = self.bands.get(band).copied().unwrap_or(NONE);
            for _ in 0..CANDIDATES_PER_BAND {
                let Some(previous) = self.position(number).map(|at| self.previous[i][at]) else {
                    break;
                };
                candidates.push(number);
                number = previous;
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let oldest = self.oldest();
        let counted = signature.counted();
        let earlier = candidates
            .into_iter()
            .filter_map(|number| self.entry(number))
            // out of the window, though not yet at the front of it
            .filter(|entry| entry.event_time >= oldest)
            .map(|entry| {
                let (similarity, containment) = counted.compare(self.counted(entry));
                Candidate {
                    similarity,
                    containment,
                    id: &entry.id,
                    story_id: &entry.story_id,
                }
            });
        let decision = decide_among(id, &self.thresholds, earlier);
        // An article without words is an original whenever it comes, so
        // neither it nor its decision is kept.
        if let Ok(bands) = <[u64; BANDS]>::try_from(bands) {
            self.keep(id, &decision, counted, event_time, bands);
        }
        decision
    }

    /// Adds the article to the window.
    fn keep(
        &mut self,
        id: &str,
        decision: &Story,
        counted: Counted<'_>,
        event_time: i64,
        bands: [u64; BANDS],
    ) {
        self.decisions.insert(id.to_string(), decision.clone());
        let number = self.first + self.entries.len() as u64;
        let fingerprints_at = self.fingerprints_first + self.fingerprints.len() as u64;
        self.fingerprints.extend_from_slice(counted.fingerprints);
        for (ring, &band) in self.previous.iter_mut().zip(&bands) {
            ring.push_back(self.bands.insert(band, number).unwrap_or(NONE));
        }
        self.entries.push_back(Entry {
            id: id.to_string(),
            story_id: decision.id.clone(),
            shingles: counted.shingles,
            fingerprints_at,
            fingerprints_len: u32::try_from(counted.fingerprints.len()).unwrap_or(0),
            event_time,
            keys: bands,
        });
    }

    /// Where arrival `number` stands in the window, if it is still there.
    fn position(&self, number: u64) -> Option<usize> {
        let at = usize::try_from(number.checked_sub(self.first)?).ok()?;
        (at < self.entries.len()).then_some(at)
    }

    /// The entry of arrival `number`, if it is still in the window.
    fn entry(&self, number: u64) -> Option<&Entry> {
        self.entries.get(self.position(number)?)
    }

    /// What an entry is compared on.
    fn counted<'a>(&'a self, entry: &Entry) -> Counted<'a> {
        let start = (entry.fingerprints_at - self.fingerprints_first) as usize;
        let end = start + entry.fingerprints_len as usize;
        Counted {
            shingles: entry.shingles,
            fingerprints: self.fingerprints.get(start..end).unwrap_or_default(),
        }
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
                // A later article with the key keeps it; the chain ends
                // where the window does.
                for band in &entry.keys {
                    if self.bands.get(band) == Some(&number) {
                        self.bands.remove(band);
                    }
                }
                for ring in &mut self.previous {
                    ring.pop_front();
                }
                self.decisions.remove(&entry.id);
            }
            self.first += 1;
        }
        // The evicted fingerprints go once they are half of the ring, so
        // that each is moved at most once on average.
        let live_from = self.entries.front().map_or(
            self.fingerprints_first + self.fingerprints.len() as u64,
            |e| e.fingerprints_at,
        );
        let dead = (live_from - self.fingerprints_first) as usize;
        if dead > 0 && dead * 2 >= self.fingerprints.len() {
            self.fingerprints.drain(..dead);
            self.fingerprints_first = live_from;
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
        assert_eq!(index.bands.len(), crate::BANDS, "one entry per key");
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
    fn what_leaves_the_window_leaves_the_band_index() {
        let window = Window {
            max_age_secs: 30 * DAY,
            max_articles: 3,
        };
        let mut index = MemoryIndex::new(Thresholds::default(), window);
        for n in 0..10 {
            decide(
                &mut index,
                &format!("u{n}"),
                &story(n * 100..n * 100 + 40),
                n as i64,
            );
        }
        assert_eq!(index.len(), 3);
        assert_eq!(index.bands.len(), 3 * crate::BANDS);
        // copies sharing every key: the chains stop at the window's front
        let text = story(5000..5040);
        for n in 0..10 {
            decide(&mut index, &format!("t{n}"), &text, 100 + n);
        }
        let copy = decide(&mut index, "copy", &text, 200);
        // room is made for the new article first: t8 and t9 are left
        assert_eq!(copy.duplicate_of.as_deref(), Some("t8"), "{copy:?}");
        assert_eq!(index.bands.len(), crate::BANDS);
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

//! The rule that turns an article's closest earlier articles into a
//! decision, shared by the in-process index and the shared store so that
//! both decide alike.

use newsflow_core::{Story, StoryKind};

use crate::Signature;

/// Similarities at which an article is a duplicate, or the same
/// story, of an earlier one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// At or above this, a duplicate.
    pub duplicate: f64,
    /// At or above this (and below `duplicate`), the same story.
    pub same_story: f64,
    /// An article at least `same_story` similar is a duplicate all the
    /// same when this share of the smaller one's shingles is in the other
    /// ([`crate::Signature::containment`]): a reprint with a paragraph
    /// added or dropped.
    pub duplicate_containment: f64,
    /// An article less than `same_story` similar is the same story all
    /// the same when this share of the smaller one's shingles is in the
    /// other and the pair is at least [`CONTAINED_STORY_FLOOR`] similar: a
    /// short report of the story inside a longer one, whose similarity
    /// their lengths hold down.
    pub same_story_containment: f64,
}

/// The least similarity at which [`Thresholds::same_story_containment`]
/// applies: a brief of a few sentences shares a stock phrase or two with
/// many long articles, which alone would read as "mostly contained"; and a
/// signature stored without fingerprints estimates containment from its
/// bins, which below this rest on a few chance agreements.
pub const CONTAINED_STORY_FLOOR: f64 = 0.2;

impl Thresholds {
    /// An error unless every threshold and containment lies in [0, 1], the
    /// same-story threshold at most the duplicate one.
    pub fn check(&self) -> Result<(), String> {
        if (0.0..=1.0).contains(&self.same_story)
            && (0.0..=1.0).contains(&self.duplicate)
            && (0.0..=1.0).contains(&self.duplicate_containment)
            && (0.0..=1.0).contains(&self.same_story_containment)
            && self.same_story <= self.duplicate
        {
            Ok(())
        } else {
            Err(format!(
                "story thresholds and containments must lie in [0, 1], the same-story threshold ({}) at most the duplicate one ({})",
                self.same_story, self.duplicate
            ))
        }
    }
}

impl Default for Thresholds {
    /// Chosen on the labelled pair set (docs/stories.md): the lowest
    /// same-story threshold that merged no related or unrelated pair, the
    /// containment that kept same-story precision at 1, and a same-story
    /// containment above every related or unrelated pair's (at most 0.51)
    /// that takes in the short reports of a story (0.55 and more).
    fn default() -> Self {
        Thresholds {
            duplicate: 0.8,
            same_story: 0.3,
            duplicate_containment: 0.85,
            same_story_containment: 0.55,
        }
    }
}

/// Which earlier articles an article is compared with: those at most
/// `max_age_secs` older by event time than the newest seen, and at most
/// `max_articles` of them, so that a year of backfill stays bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Event-time span, in seconds.
    pub max_age_secs: i64,
    /// Articles held at most.
    pub max_articles: usize,
}

impl Default for Window {
    /// A week, and 100,000 articles: the shared store's window, about
    /// 390 MB of Redis (docs/stories.md).
    fn default() -> Self {
        Window {
            max_age_secs: 7 * 24 * 3600,
            max_articles: 100_000,
        }
    }
}

impl Window {
    /// The in-process index's window by default: a week, and 5,000
    /// articles. The index costs the process 2.5–5 KB per article at its
    /// peak, out of the enricher's own memory budget: with 10,000 an
    /// enricher of BBC-length articles peaked at 155–158 MB, over the
    /// 150 MB it is meant to keep to by default (docs/operate.md#memory).
    pub fn in_process() -> Self {
        Window {
            max_articles: 5_000,
            ..Window::default()
        }
    }
}

/// Earlier articles compared per band at most, the most recent ones: a
/// band that thousands of articles share (boilerplate, a template) must
/// not make every decision compare with all of them. Both indexes keep to
/// it, so that they decide alike.
pub(crate) const CANDIDATES_PER_BAND: usize = 64;

/// An earlier article in the window that shares a band with the new one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate<'a> {
    pub similarity: f64,
    pub containment: f64,
    pub id: &'a str,
    pub story_id: &'a str,
}

impl<'a> Candidate<'a> {
    /// Earlier article `id` of story `story_id`, whose signature is
    /// `earlier`, against the new article's `signature`.
    pub fn compared(
        signature: &Signature,
        earlier: &Signature,
        id: &'a str,
        story_id: &'a str,
    ) -> Self {
        let (similarity, containment) = signature.compare(earlier);
        Candidate {
            similarity,
            containment,
            id,
            story_id,
        }
    }
}

/// What a pair is by the rule, given its similarity and containment:
/// `None` below the same-story threshold unless the smaller article is
/// mostly in the other.
pub fn kind_of(similarity: f64, containment: f64, thresholds: &Thresholds) -> Option<StoryKind> {
    if similarity < thresholds.same_story {
        (similarity >= CONTAINED_STORY_FLOOR && containment >= thresholds.same_story_containment)
            .then_some(StoryKind::SameStory)
    } else if similarity >= thresholds.duplicate || containment >= thresholds.duplicate_containment
    {
        Some(StoryKind::Duplicate)
    } else {
        Some(StoryKind::SameStory)
    }
}

/// The decision for article `id` among `candidates`, given in the order
/// they arrived: the closest one the rule merges with, the earliest among
/// equally close ones; else `id` starts a story of its own.
pub(crate) fn decide_among<'a>(
    id: &str,
    thresholds: &Thresholds,
    candidates: impl IntoIterator<Item = Candidate<'a>>,
) -> Story {
    let mut best: Option<(Candidate<'a>, StoryKind)> = None;
    for candidate in candidates {
        let Some(kind) = kind_of(candidate.similarity, candidate.containment, thresholds) else {
            continue;
        };
        if best.is_none_or(|(top, _)| candidate.similarity > top.similarity) {
            best = Some((candidate, kind));
        }
        // Nothing later can be closer than identical, and the earliest of
        // equals wins: the rest need not be compared (a flood of copies).
        if candidate.similarity >= 1.0 {
            break;
        }
    }
    match best {
        Some((top, kind)) => Story {
            id: top.story_id.to_string(),
            kind,
            duplicate_of: Some(top.id.to_string()),
            similarity: rounded(top.similarity),
        },
        None => original(id),
    }
}

/// A similarity as a decision records it: four decimals, which the
/// store's JSON gives back unchanged (serde_json, without its
/// `float_roundtrip` feature, may read a long decimal back one unit in the
/// last place off).
fn rounded(similarity: f64) -> f64 {
    (similarity * 10_000.0).round() / 10_000.0
}

/// The decision for an article that starts its own story.
pub(crate) fn original(id: &str) -> Story {
    Story {
        id: id.to_string(),
        kind: StoryKind::Original,
        duplicate_of: None,
        similarity: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate<'a>(similarity: f64, containment: f64, id: &'a str) -> Candidate<'a> {
        Candidate {
            similarity,
            containment,
            id,
            story_id: id,
        }
    }

    #[test]
    fn each_route_of_the_rule() {
        let t = Thresholds::default();
        let kind = |s, c| kind_of(s, c, &t);
        assert_eq!(kind(0.9, 0.95), Some(StoryKind::Duplicate));
        // a reprint with paragraphs added: similar enough, and contained
        assert_eq!(kind(0.5, 0.9), Some(StoryKind::Duplicate));
        assert_eq!(kind(0.5, 0.6), Some(StoryKind::SameStory));
        // a short report inside a longer one
        assert_eq!(kind(0.25, 0.6), Some(StoryKind::SameStory));
        assert_eq!(kind(0.25, 0.5), None);
        // below the floor, containment is not trusted
        assert_eq!(kind(CONTAINED_STORY_FLOOR - 0.01, 1.0), None);
        assert_eq!(kind(0.1, 0.1), None);
    }

    #[test]
    fn the_closest_candidate_the_rule_merges_with_wins() {
        let t = Thresholds::default();
        // the closer one is not merged with; the contained one is
        let story = decide_among(
            "new",
            &t,
            [candidate(0.28, 0.4, "near"), candidate(0.22, 0.7, "inside")],
        );
        assert_eq!(story.kind, StoryKind::SameStory);
        assert_eq!(story.duplicate_of.as_deref(), Some("inside"));
        assert_eq!(story.similarity, 0.22);
        // equally close: the earliest
        let story = decide_among(
            "new",
            &t,
            [candidate(0.9, 1.0, "first"), candidate(0.9, 1.0, "second")],
        );
        assert_eq!(story.duplicate_of.as_deref(), Some("first"));
        // an identical one ends the comparisons
        let mut compared = 0;
        let candidates = [candidate(1.0, 1.0, "copy"), candidate(0.9, 1.0, "later")];
        let story = decide_among("new", &t, candidates.into_iter().inspect(|_| compared += 1));
        assert_eq!((story.duplicate_of.as_deref(), compared), (Some("copy"), 1));
        assert_eq!(decide_among("new", &t, []).kind, StoryKind::Original);
        assert_eq!(
            decide_among("new", &t, [candidate(0.1, 0.2, "far")]),
            original("new")
        );
    }

    #[test]
    fn thresholds_out_of_range_are_refused() {
        assert!(Thresholds::default().check().is_ok());
        let bad = Thresholds {
            same_story_containment: 1.5,
            ..Thresholds::default()
        };
        assert!(bad.check().is_err());
    }
}

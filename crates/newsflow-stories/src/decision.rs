//! The rule that turns an article's closest earlier articles into a
//! decision, shared by the in-process index and the shared store so that
//! both decide alike.

use newsflow_core::{Story, StoryKind};

use crate::Signature;

/// Estimated similarities at which an article is a duplicate, or the same
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
}

impl Thresholds {
    /// An error unless both lie in [0, 1], the same-story one at most the
    /// duplicate one.
    pub fn check(&self) -> Result<(), String> {
        if (0.0..=1.0).contains(&self.same_story)
            && (0.0..=1.0).contains(&self.duplicate)
            && (0.0..=1.0).contains(&self.duplicate_containment)
            && self.same_story <= self.duplicate
        {
            Ok(())
        } else {
            Err(format!(
                "story thresholds must lie in [0, 1], the same-story one ({}) at most the duplicate one ({})",
                self.same_story, self.duplicate
            ))
        }
    }
}

impl Default for Thresholds {
    /// Chosen on the labelled pair set (docs/stories.md): the lowest
    /// same-story threshold that merged no related or unrelated pair, and
    /// the containment that kept same-story precision at 1.
    fn default() -> Self {
        Thresholds {
            duplicate: 0.8,
            same_story: 0.3,
            duplicate_containment: 0.85,
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
    fn default() -> Self {
        Window {
            max_age_secs: 7 * 24 * 3600,
            max_articles: 100_000,
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
        let similarity = signature.similarity(earlier);
        Candidate {
            similarity,
            containment: signature.containment_at(earlier, similarity),
            id,
            story_id,
        }
    }
}

/// What a pair is by the rule, given its similarity and containment:
/// `None` below the same-story threshold.
pub fn kind_of(similarity: f64, containment: f64, thresholds: &Thresholds) -> Option<StoryKind> {
    if similarity < thresholds.same_story {
        None
    } else if similarity >= thresholds.duplicate || containment >= thresholds.duplicate_containment
    {
        Some(StoryKind::Duplicate)
    } else {
        Some(StoryKind::SameStory)
    }
}

/// The decision for article `id` among `candidates`, given in the order
/// they arrived: the closest one if close enough, the earliest among
/// equally close ones; else `id` starts a story of its own.
pub(crate) fn decide_among<'a>(
    id: &str,
    thresholds: &Thresholds,
    candidates: impl IntoIterator<Item = Candidate<'a>>,
) -> Story {
    let mut best: Option<Candidate<'a>> = None;
    for candidate in candidates {
        if best.is_none_or(|top| candidate.similarity > top.similarity) {
            best = Some(candidate);
        }
    }
    let Some(top) = best else {
        return original(id);
    };
    match kind_of(top.similarity, top.containment, thresholds) {
        Some(kind) => Story {
            id: top.story_id.to_string(),
            kind,
            duplicate_of: Some(top.id.to_string()),
            similarity: top.similarity,
        },
        None => original(id),
    }
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

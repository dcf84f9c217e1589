//! Limits on how much analysis one record carries.
//!
//! An article of nothing but capitalised words or dates can yield tens of
//! thousands of entities and mentions, an enriched record several times
//! the size of its input, larger than a broker will take or serve. Bounding
//! keeps the most salient entities, the first mentions of each, and the
//! first dates, and says in [`Truncated`] how much it left out. An entity's
//! `count` stays the true number of its mentions.

use serde::{Deserialize, Serialize};

use crate::EnrichedArticle;

/// What bounding left out of a record (`truncated` in the record; absent
/// when nothing was).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truncated {
    /// Entities dropped, least salient first.
    pub entities: usize,
    /// Mentions no longer listed, those of dropped entities included.
    pub mentions: usize,
    /// Date expressions dropped, the last in the text first.
    pub dates: usize,
}

/// The most a record keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordBounds {
    /// Entities, the least salient dropped first.
    pub entities: usize,
    /// Mentions over all entities; every entity kept keeps at least one.
    pub mentions: usize,
    /// Date expressions, the last in the text dropped first.
    pub dates: usize,
}

impl Default for RecordBounds {
    /// Far above what a news article has (tens of entities, hundreds of
    /// mentions), far below what fills a 1 MiB record.
    fn default() -> Self {
        RecordBounds {
            entities: 500,
            mentions: 5_000,
            dates: 500,
        }
    }
}

impl RecordBounds {
    /// Nothing kept: the record carries text and scores only.
    pub const NONE: RecordBounds = RecordBounds {
        entities: 0,
        mentions: 0,
        dates: 0,
    };

    /// A quarter of each bound, for a record that is still too large.
    pub fn tighter(self) -> RecordBounds {
        let entities = self.entities / 4;
        RecordBounds {
            entities,
            mentions: (self.mentions / 4).max(entities),
            dates: self.dates / 4,
        }
    }
}

impl EnrichedArticle {
    /// Drops what `bounds` does not allow and adds it to `truncated`.
    pub fn bound(&mut self, bounds: RecordBounds) {
        let mut dropped = Truncated::default();
        if self.entities.len() > bounds.entities {
            // Most salient first; among equals, most mentioned, then first.
            let mut order: Vec<usize> = (0..self.entities.len()).collect();
            order.sort_by(|&a, &b| {
                let (ea, eb) = (&self.entities[a], &self.entities[b]);
                let (sa, sb) = (ea.salience.unwrap_or(0.0), eb.salience.unwrap_or(0.0));
                sb.total_cmp(&sa)
                    .then(eb.count.cmp(&ea.count))
                    .then(a.cmp(&b))
            });
            let mut keep = vec![false; self.entities.len()];
            for &i in &order[..bounds.entities] {
                keep[i] = true;
            }
            let mut index = 0;
            self.entities.retain(|entity| {
                let kept = keep[index];
                index += 1;
                if !kept {
                    dropped.entities += 1;
                    dropped.mentions += entity.mentions.len();
                }
                kept
            });
        }
        let listed: usize = self.entities.iter().map(|e| e.mentions.len()).sum();
        if listed > bounds.mentions {
            // One mention each, then the rest of the budget by salience.
            let mut budget = bounds.mentions.saturating_sub(self.entities.len());
            let mut order: Vec<usize> = (0..self.entities.len()).collect();
            order.sort_by(|&a, &b| {
                let sa = self.entities[a].salience.unwrap_or(0.0);
                let sb = self.entities[b].salience.unwrap_or(0.0);
                sb.total_cmp(&sa).then(a.cmp(&b))
            });
            for i in order {
                let mentions = &mut self.entities[i].mentions;
                let extra = (mentions.len() - 1).min(budget);
                budget -= extra;
                dropped.mentions += mentions.len() - 1 - extra;
                mentions.truncate(1 + extra);
            }
        }
        if self.dates.len() > bounds.dates {
            dropped.dates = self.dates.len() - bounds.dates;
            self.dates.truncate(bounds.dates);
        }
        if dropped != Truncated::default() {
            let total = self.truncated.get_or_insert_with(Truncated::default);
            total.entities += dropped.entities;
            total.mentions += dropped.mentions;
            total.dates += dropped.dates;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        DateMention, Entity, LanguageGuess, Mention, MentionField, Provenance, RawArticle,
    };

    fn entity(name: &str, salience: f64, mentions: usize) -> Entity {
        Entity {
            text: name.into(),
            kind: "ORG".into(),
            canonical: name.into(),
            count: mentions as u32,
            salience: Some(salience),
            mentions: (0..mentions)
                .map(|i| Mention {
                    field: MentionField::Body,
                    start: i * 10,
                    end: i * 10 + 3,
                })
                .collect(),
            links: None,
            geo: None,
        }
    }

    fn article(entities: Vec<Entity>, dates: usize) -> EnrichedArticle {
        let mut article = EnrichedArticle::from_raw(
            RawArticle::new("T", "B"),
            LanguageGuess {
                code: "en".into(),
                confidence: 1.0,
                declared: None,
                detected: None,
            },
            Provenance {
                pipeline: "test".into(),
                models: Default::default(),
                source: None,
                enriched_at: "2026-12-01T00:00:00.000Z".into(),
            },
        );
        article.entities = entities;
        article.dates = (0..dates)
            .map(|i| DateMention {
                text: "Monday".into(),
                date: None,
                field: MentionField::Body,
                start: i * 7,
                end: i * 7 + 6,
            })
            .collect();
        article
    }

    #[test]
    fn a_record_within_bounds_is_left_alone() {
        let mut a = article(vec![entity("A", 1.0, 3), entity("B", 0.5, 2)], 2);
        let before = a.clone();
        a.bound(RecordBounds::default());
        assert_eq!(a, before);
        assert_eq!(a.truncated, None);
    }

    #[test]
    fn keeps_the_most_salient_entities_in_their_order() {
        let mut a = article(
            vec![
                entity("low", 0.1, 1),
                entity("top", 1.0, 4),
                entity("mid", 0.5, 2),
            ],
            0,
        );
        a.bound(RecordBounds {
            entities: 2,
            mentions: 100,
            dates: 100,
        });
        let names: Vec<&str> = a.entities.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(names, ["top", "mid"]);
        assert_eq!(
            a.truncated,
            Some(Truncated {
                entities: 1,
                mentions: 1,
                dates: 0
            })
        );
    }

    #[test]
    fn every_entity_kept_keeps_its_first_mention_and_its_true_count() {
        let mut a = article(vec![entity("top", 1.0, 10), entity("low", 0.2, 10)], 0);
        a.bound(RecordBounds {
            entities: 10,
            mentions: 5,
            dates: 10,
        });
        assert_eq!(a.entities[0].mentions.len(), 4);
        assert_eq!(a.entities[1].mentions.len(), 1);
        assert_eq!(a.entities[1].mentions[0].start, 0);
        assert_eq!(a.entities[0].count, 10);
        assert_eq!(a.entities[1].count, 10);
        assert_eq!(a.truncated.map(|t| t.mentions), Some(15));
    }

    #[test]
    fn keeps_the_first_dates_and_adds_up_over_rounds() {
        let mut a = article(vec![entity("A", 1.0, 1)], 10);
        a.bound(RecordBounds {
            entities: 10,
            mentions: 10,
            dates: 6,
        });
        a.bound(RecordBounds::NONE);
        assert!(a.entities.is_empty() && a.dates.is_empty());
        assert_eq!(
            a.truncated,
            Some(Truncated {
                entities: 1,
                mentions: 1,
                dates: 10
            })
        );
    }

    #[test]
    fn tighter_bounds_reach_none() {
        let mut bounds = RecordBounds::default();
        for _ in 0..10 {
            assert!(bounds.mentions >= bounds.entities);
            bounds = bounds.tighter();
        }
        assert_eq!(bounds, RecordBounds::NONE);
    }

    #[test]
    fn truncated_round_trips_and_is_absent_when_empty() {
        let mut a = article(vec![entity("A", 1.0, 3)], 0);
        let json = serde_json::to_value(&a).unwrap();
        assert!(json.get("truncated").is_none());
        a.bound(RecordBounds::NONE);
        let json = serde_json::to_string(&a).unwrap();
        let back: EnrichedArticle = serde_json::from_str(&json).unwrap();
        assert_eq!(back.truncated, a.truncated);
        assert!(back.extra.is_empty());
    }
}

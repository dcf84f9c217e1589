//! Options of near-duplicate and story detection.

use clap::Args;
use newsflow_enricher::{StoryDetection, StoryOptions};
use newsflow_stories::{MemoryIndex, Thresholds, Window, DEFAULT_PREFIX};

#[derive(Debug, Args)]
pub struct StoryArgs {
    /// Leave out near-duplicate detection (the record's `story`).
    #[arg(long, env = "NEWSFLOW_NO_STORIES")]
    pub no_stories: bool,
    /// Similarity (of five-word runs) at or above which an article is a duplicate
    /// (a reprint) of an earlier one.
    #[arg(long, env = "NEWSFLOW_DUPLICATE_THRESHOLD", value_name = "SIMILARITY",
          default_value_t = Thresholds::default().duplicate)]
    pub duplicate_threshold: f64,
    /// Similarity (of five-word runs) at or above which an article is the same story
    /// as an earlier one, written again.
    #[arg(long, env = "NEWSFLOW_SAME_STORY_THRESHOLD", value_name = "SIMILARITY",
          default_value_t = Thresholds::default().same_story)]
    pub same_story_threshold: f64,
    /// Share of the smaller article's five-word runs found in the other at
    /// or above which a pair at least --same-story-threshold similar is a
    /// duplicate all the same: a reprint with a paragraph added or dropped.
    #[arg(long, env = "NEWSFLOW_DUPLICATE_CONTAINMENT", value_name = "SHARE",
          default_value_t = Thresholds::default().duplicate_containment)]
    pub duplicate_containment: f64,
    /// Share of the smaller article's five-word runs found in the other at
    /// or above which a pair less than --same-story-threshold similar (but
    /// at least 0.2) is the same story all the same: a short report inside
    /// a longer one.
    #[arg(long, env = "NEWSFLOW_SAME_STORY_CONTAINMENT", value_name = "SHARE",
          default_value_t = Thresholds::default().same_story_containment)]
    pub same_story_containment: f64,
    /// Compare with the articles of this many days before, by publication
    /// time (else ingestion time).
    #[arg(long, env = "NEWSFLOW_STORY_WINDOW_DAYS", value_name = "DAYS",
          default_value_t = Window::default().max_age_secs / 86_400)]
    pub story_window_days: i64,
    /// Compare with this many earlier articles at most, so that a long
    /// backfill stays bounded in memory [default: 5,000 in process,
    /// 2.5–5 KB each; 100,000 in --story-store]
    #[arg(long, env = "NEWSFLOW_STORY_WINDOW_ARTICLES", value_name = "ARTICLES")]
    pub story_window_articles: Option<usize>,
}

impl StoryArgs {
    /// The rule these options ask for, the window's defaults those of
    /// `defaults`; an error for thresholds out of order or range.
    fn rule(&self, defaults: Window) -> anyhow::Result<(Thresholds, Window)> {
        let thresholds = Thresholds {
            duplicate: self.duplicate_threshold,
            same_story: self.same_story_threshold,
            duplicate_containment: self.duplicate_containment,
            same_story_containment: self.same_story_containment,
        };
        thresholds.check().map_err(anyhow::Error::msg)?;
        let window = Window {
            max_age_secs: self.story_window_days.max(0).saturating_mul(86_400),
            max_articles: self
                .story_window_articles
                .unwrap_or(defaults.max_articles)
                .max(1),
        };
        Ok((thresholds, window))
    }

    /// The in-process index these options ask for; `None` with
    /// `--no-stories`.
    pub fn memory_index(&self) -> anyhow::Result<Option<MemoryIndex>> {
        if self.no_stories {
            return Ok(None);
        }
        let (thresholds, window) = self.rule(Window::in_process())?;
        Ok(Some(MemoryIndex::new(thresholds, window)))
    }
}

/// Story options of the enricher (`enrich`, `replay`): the rule, and the
/// store the replicas share.
#[derive(Debug, Args)]
pub struct PipelineStoryArgs {
    #[command(flatten)]
    pub stories: StoryArgs,
    /// Decide stories in this Redis server, which the enricher replicas
    /// share (e.g. redis://127.0.0.1:6379/0). Without it each process
    /// keeps its own window and sees only the partitions it reads.
    #[arg(long, env = "NEWSFLOW_STORY_STORE", value_name = "URL")]
    pub story_store: Option<String>,
    /// Prefix of the store's keys, so that pipelines can share a server.
    #[arg(long, env = "NEWSFLOW_STORY_STORE_PREFIX", default_value = DEFAULT_PREFIX)]
    pub story_store_prefix: String,
}

impl PipelineStoryArgs {
    /// The enricher's story options; an error for thresholds out of order
    /// or range.
    pub fn options(&self) -> anyhow::Result<StoryOptions> {
        let default = if self.story_store.is_some() {
            Window::default()
        } else {
            Window::in_process()
        };
        let (thresholds, window) = self.stories.rule(default)?;
        let detection = match (&self.story_store, self.stories.no_stories) {
            (_, true) => StoryDetection::Off,
            (Some(url), false) => StoryDetection::Shared {
                url: url.clone(),
                prefix: self.story_store_prefix.clone(),
            },
            (None, false) => StoryDetection::InProcess,
        };
        Ok(StoryOptions {
            detection,
            thresholds,
            window,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{parse_command, Command};

    fn annotate(flags: &[&str]) -> crate::annotate::AnnotateArgs {
        match parse_command(&[&["annotate", "in.jsonl"][..], flags].concat()) {
            Command::Annotate(a) => a,
            other => panic!("{flags:?}: {other:?}"),
        }
    }

    #[test]
    fn thresholds_out_of_order_or_range_are_refused() {
        assert!(annotate(&[]).stories.memory_index().unwrap().is_some());
        assert!(annotate(&["--no-stories"])
            .stories
            .memory_index()
            .unwrap()
            .is_none());
        for bad in [
            &[
                "--same-story-threshold",
                "0.9",
                "--duplicate-threshold",
                "0.8",
            ][..],
            &["--duplicate-threshold", "1.5"],
            &["--same-story-threshold=-0.1"],
            &["--duplicate-containment", "1.2"],
            &["--same-story-containment", "1.2"],
        ] {
            let e = annotate(bad).stories.memory_index().err();
            assert!(
                e.is_some_and(|e| e.to_string().contains("thresholds")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_window_is_smaller_in_process_than_in_the_store() {
        let in_process = annotate(&[])
            .stories
            .rule(newsflow_stories::Window::in_process());
        assert_eq!(in_process.unwrap().1.max_articles, 5_000);
        let enrich = |flags: &[&str]| match parse_command(&[&["enrich"][..], flags].concat()) {
            Command::Enrich(e) => e.output.stories.options().unwrap().window.max_articles,
            other => panic!("{other:?}"),
        };
        assert_eq!(enrich(&[]), 5_000);
        assert_eq!(enrich(&["--story-store", "redis://r:6379/0"]), 100_000);
        assert_eq!(enrich(&["--story-window-articles", "500"]), 500);
    }
}

//! IPTC Media Topics: what an article is about.
//!
//! [`TopicModel`] scores all 17 top-level topics independently (a ceasefire
//! story is both politics and conflict) and adds second-level topics where
//! it is confident; [`train`] fits it and [`evaluate`] measures it.

pub mod calibration;
pub mod features;
pub(crate) mod file_layout;
mod laid_out;
pub mod model;
pub mod news;
pub mod train;

pub use model::{Scored, TopicModel};

/// An article with the topics it should get, main topic first.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Expected {
    /// The article's id, for reports.
    #[serde(default)]
    pub id: String,
    /// Its headline.
    pub title: String,
    /// Its text.
    pub body: String,
    /// top-level codes, the main one first
    pub topics: Vec<String>,
    /// Where the article's style comes from (agency, broadsheet, local),
    /// for reporting by style.
    #[serde(default)]
    pub style: String,
}

/// Accuracy of the top-level ranking.
#[derive(Debug, Clone, Default)]
pub struct TopicEvaluation {
    /// Articles scored.
    pub articles: usize,
    /// the best topic is one of the expected ones
    pub top1: usize,
    /// the best topic is the main expected one
    pub main1: usize,
    /// the main expected topic is among the three best
    pub top3: usize,
    /// (id, title, expected, best three with their scores) of the top-1
    /// misses
    pub misses: Vec<(String, String, Vec<String>, Vec<String>)>,
    /// per article: the best topic's score and whether it applies
    pub best: Vec<(f64, bool)>,
    /// per article: every top-level topic's score and whether it applies
    pub all: Vec<Vec<(f64, bool)>>,
}

impl TopicEvaluation {
    /// Share of articles whose best topic is one of the expected ones.
    pub fn top1_accuracy(&self) -> f64 {
        self.top1 as f64 / self.articles.max(1) as f64
    }
    /// Share whose three best topics hold an expected one.
    pub fn top3_accuracy(&self) -> f64 {
        self.top3 as f64 / self.articles.max(1) as f64
    }

    /// Expected calibration error of the best topic's score (does a best
    /// topic scored 0.7 apply 70% of the time?), with a 95% bootstrap
    /// interval over articles.
    pub fn best_topic_ece(&self) -> calibration::Ece {
        let groups: Vec<Vec<(f64, bool)>> = self.best.iter().map(|&p| vec![p]).collect();
        calibration::ece_with_interval(&groups, 1000, 17)
    }

    /// Expected calibration error over every (article, topic) score.
    pub fn all_topics_ece(&self) -> calibration::Ece {
        calibration::ece_with_interval(&self.all, 1000, 17)
    }
}

/// Scores `model`'s top-level ranking on `articles`.
pub fn evaluate(model: &TopicModel, articles: &[Expected]) -> TopicEvaluation {
    let mut eval = TopicEvaluation::default();
    for article in articles {
        let features = model.featurizer().features(&article.title, &article.body);
        let ranked = model.top_level(&features);
        let best: Vec<String> = ranked
            .iter()
            .take(3)
            .map(|t| format!("{} {:.2}", t.id, t.score))
            .collect();
        let best_ids: Vec<&str> = ranked.iter().take(3).map(|t| t.id.as_str()).collect();
        eval.articles += 1;
        let hit = best_ids
            .first()
            .is_some_and(|b| article.topics.iter().any(|t| t == b));
        if let Some(top) = ranked.first() {
            eval.best.push((top.score, hit));
        }
        eval.all.push(
            ranked
                .iter()
                .map(|t| (t.score, article.topics.contains(&t.id)))
                .collect(),
        );
        if best_ids
            .first()
            .is_some_and(|b| article.topics.first().is_some_and(|main| main == b))
        {
            eval.main1 += 1;
        }
        if hit {
            eval.top1 += 1;
        } else {
            eval.misses.push((
                article.id.clone(),
                article.title.clone(),
                article.topics.clone(),
                best.clone(),
            ));
        }
        if article
            .topics
            .first()
            .is_some_and(|main| best_ids.contains(&main.as_str()))
        {
            eval.top3 += 1;
        }
    }
    eval
}

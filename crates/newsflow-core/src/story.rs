//! Where an article stands among the articles before it: an original, a
//! copy of one (a reprint), or the same story written again.

use serde::{Deserialize, Serialize};

/// The `story` of a record (absent when story detection did not run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// The story the article belongs to: the id of the story's first
    /// article.
    pub id: String,
    /// Original, duplicate or the same story.
    pub kind: StoryKind,
    /// For a duplicate or the same story: the closest earlier article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// Estimated similarity to that article, in [0, 1]; 0 for an original.
    pub similarity: f64,
}

/// What an article is, against the articles before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryKind {
    /// Nothing close enough came before.
    Original,
    /// A copy of an earlier article: a reprint, a republication.
    Duplicate,
    /// The same story as an earlier article, written again.
    SameStory,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_written_as_the_schema_names_them() {
        let story = Story {
            id: "a".into(),
            kind: StoryKind::SameStory,
            duplicate_of: Some("b".into()),
            similarity: 0.6,
        };
        let json = serde_json::to_value(&story).unwrap();
        assert_eq!(json["kind"], "same_story");
        let original = Story {
            id: "a".into(),
            kind: StoryKind::Original,
            duplicate_of: None,
            similarity: 0.0,
        };
        let json = serde_json::to_string(&original).unwrap();
        assert_eq!(json, r#"{"id":"a","kind":"original","similarity":0.0}"#);
        assert_eq!(serde_json::from_str::<Story>(&json).unwrap(), original);
    }
}

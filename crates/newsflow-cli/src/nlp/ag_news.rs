//! Topics scored as AG News scores them: four classes, the best top-level
//! topic deciding. Two proxies for AG News' agency items, which no file
//! here holds: the BBC held-out fifth cut to title and first sentence, and
//! the Reuters documents of CoNLL-2003 `eng.testa`, which this project
//! labelled with AG News' classes (`eval/topics/reuters-ag.tsv`); and a
//! third for its science and technology items, which Reuters' documents
//! lack: items written here in AG News' style (`eval/topics/ag-style.tsv`).

use newsflow_nlp::training::{ConllDocument, Expected, TopicModel};
use newsflow_nlp::Document;

/// The AG News class of a top-level IPTC topic.
pub fn ag_class(code: &str) -> &'static str {
    match code {
        "medtop:15000000" => "Sports",
        "medtop:04000000" => "Business",
        "medtop:13000000" => "Sci/Tech",
        _ => "World",
    }
}

/// The AG News class of the best top-level topic of `title` and `body`.
fn best_class(model: &TopicModel, title: &str, body: &str) -> &'static str {
    let features = model.featurizer().features(title, body);
    model
        .top_level(&features)
        .into_iter()
        .next()
        .map_or("World", |best| ag_class(&best.id))
}

/// How many of `articles`, cut to their title and first sentence, get the
/// AG News class of their main topic from their best topic: a proxy for
/// short agency items, which BBC's long articles do not show.
pub fn short_as_ag_news(model: &TopicModel, articles: &[Expected]) -> (usize, usize) {
    let hits = articles
        .iter()
        .filter(|article| {
            let doc = Document::new(&article.title, &article.body);
            let main = article.topics.first().map(|m| ag_class(m));
            main == Some(best_class(model, doc.title(), doc.first_body_sentence()))
        })
        .count();
    (hits, articles.len())
}

/// A Reuters document as a user's article: its first sentence is the
/// headline, and the body starts after the dateline ("LONDON 1996-08-30"),
/// which comes in the first three sentences after a byline, if any.
#[derive(Debug, PartialEq)]
pub struct Story {
    pub headline: String,
    /// The body's sentences, one a line.
    pub sentences: Vec<String>,
}

impl Story {
    pub fn of(document: &ConllDocument) -> Story {
        let mut lines = document.sentences.iter().map(|s| s.tokens.join(" "));
        let headline = lines.next().unwrap_or_default();
        let rest: Vec<String> = lines.collect();
        let dateline = rest.iter().take(3).position(|line| {
            line.rsplit(' ')
                .next()
                .is_some_and(|last| is_iso_date(last.trim()))
        });
        let sentences = rest
            .into_iter()
            .skip(dateline.map_or(0, |d| d + 1))
            .collect();
        Story {
            headline,
            sentences,
        }
    }
}

fn is_iso_date(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// A labelled document: its index among the file's documents, its AG News
/// class and its headline, which must match the file's.
#[derive(Debug, PartialEq)]
pub struct Label {
    pub index: usize,
    pub class: String,
    pub headline: String,
}

/// `index<TAB>class<TAB>headline` lines; the error names the line.
pub fn parse_labels(text: &str) -> Result<Vec<Label>, String> {
    rows(
        text,
        "index, class and headline",
        |[index, class, headline]| {
            Ok(Label {
                index: index.parse().map_err(|e| format!("index {index:?}: {e}"))?,
                class: known_class(class)?,
                headline: headline.to_string(),
            })
        },
    )
}

fn known_class(class: &str) -> Result<String, String> {
    match class {
        "World" | "Sports" | "Business" | "Sci/Tech" => Ok(class.to_string()),
        _ => Err(format!("no AG News class {class:?}")),
    }
}

/// An item written in AG News' style: a headline and a sentence or two.
#[derive(Debug, PartialEq)]
pub struct Item {
    pub class: String,
    pub title: String,
    pub summary: String,
}

/// `class<TAB>title<TAB>summary` lines; the error names the line.
pub fn parse_items(text: &str) -> Result<Vec<Item>, String> {
    rows(
        text,
        "class, title and summary",
        |[class, title, summary]| {
            Ok(Item {
                class: known_class(class)?,
                title: title.to_string(),
                summary: summary.to_string(),
            })
        },
    )
}

/// Each non-blank line of three tab-separated fields (`what` names them)
/// read by `row`; an error names its line.
fn rows<T>(
    text: &str,
    what: &str,
    row: impl Fn([&str; 3]) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            let fields: Vec<&str> = line.splitn(3, '\t').collect();
            let [a, b, c] = fields[..] else {
                return Err(format!("line {}: expected {what}", n + 1));
            };
            row([a, b, c]).map_err(|e| format!("line {}: {e}", n + 1))
        })
        .collect()
}

/// The items of one AG News class: how many there are, how many get it
/// from their best topic, and the classes the others get, with their
/// counts, most first.
#[derive(Debug, PartialEq)]
pub struct ClassScore {
    pub class: String,
    pub items: usize,
    pub hits: usize,
    pub misses: Vec<(&'static str, usize)>,
}

/// Each class of `items`, in the order the file first names it: a set
/// of several classes shows whether one of them draws the others' items
/// (AG News' World and Sci/Tech items went to Business).
pub fn score_items(model: &TopicModel, items: &[Item]) -> Vec<ClassScore> {
    let mut scores: Vec<ClassScore> = Vec::new();
    for item in items {
        let got = best_class(model, &item.title, &item.summary);
        let i = match scores.iter().position(|s| s.class == item.class) {
            Some(i) => i,
            None => {
                scores.push(ClassScore {
                    class: item.class.clone(),
                    items: 0,
                    hits: 0,
                    misses: Vec::new(),
                });
                scores.len() - 1
            }
        };
        let score = &mut scores[i];
        score.items += 1;
        if got == item.class {
            score.hits += 1;
        } else {
            match score.misses.iter_mut().find(|(c, _)| *c == got) {
                Some((_, count)) => *count += 1,
                None => score.misses.push((got, 1)),
            }
        }
    }
    for score in &mut scores {
        score
            .misses
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    }
    scores
}

/// Hits of the whole stories and of their headline and first sentence,
/// out of the labelled ones.
#[derive(Debug, PartialEq)]
pub struct ReutersScore {
    pub whole: usize,
    pub short: usize,
    pub labelled: usize,
    /// "index headline: expected class, got whole / short" of each miss
    pub misses: Vec<String>,
}

pub fn score_reuters(
    model: &TopicModel,
    documents: &[ConllDocument],
    labels: &[Label],
) -> Result<ReutersScore, String> {
    let mut score = ReutersScore {
        whole: 0,
        short: 0,
        labelled: labels.len(),
        misses: Vec::new(),
    };
    for label in labels {
        let story = documents
            .get(label.index)
            .map(Story::of)
            .ok_or_else(|| format!("document {} is not in the file", label.index))?;
        if story.headline != label.headline {
            return Err(format!(
                "document {} begins {:?}, but its label was written for {:?}",
                label.index, story.headline, label.headline
            ));
        }
        let first = story.sentences.first().map_or("", String::as_str);
        let whole = best_class(model, &story.headline, &story.sentences.join("\n"));
        let short = best_class(model, &story.headline, first);
        score.whole += usize::from(whole == label.class);
        score.short += usize::from(short == label.class);
        if whole != label.class || short != label.class {
            score.misses.push(format!(
                "{} {:?}: expected {}, got {whole} whole, {short} short",
                label.index, story.headline, label.class
            ));
        }
    }
    Ok(score)
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsflow_nlp::training::parse_conll;

    const CONLL: &str = "-DOCSTART- -X- O O\n\n\
        SOCCER NN O O\n- : O O\nRESULTS NNS O O\n. . O O\n\n\
        LONDON NNP I-LOC I-LOC\n1996-08-30 CD O O\n\n\
        Results VBZ O O\nin IN O O\nEngland NNP I-LOC I-LOC\n. . O O\n\n\
        -DOCSTART- -X- O O\n\n\
        Shares NNS O O\nrise VBP O O\n. . O O\n\n\
        Jane NNP I-PER I-PER\nDoe NNP I-PER I-PER\n\n\
        NEW NNP I-LOC I-LOC\nYORK NNP I-LOC I-LOC\n1996-08-30 CD O O\n\n\
        Shares NNS O O\nrose VBD O O\n. . O O\n\nAnalysts NNS O O\ncheered VBD O O\n. . O O\n";

    #[test]
    fn a_story_starts_after_its_byline_and_dateline() {
        let documents = parse_conll(CONLL);
        assert_eq!(
            Story::of(&documents[0]),
            Story {
                headline: "SOCCER - RESULTS .".into(),
                sentences: vec!["Results in England .".into()],
            }
        );
        assert_eq!(
            Story::of(&documents[1]).sentences,
            ["Shares rose .", "Analysts cheered ."]
        );
        assert!(is_iso_date("1996-08-30"));
        assert!(!is_iso_date("1996-0830x"));
    }

    #[test]
    fn labels_name_their_line_when_wrong() {
        let labels = parse_labels("0\tSports\tSOCCER - RESULTS .\n\n1\tBusiness\tShares rise .\n")
            .expect("two labels");
        assert_eq!(labels[1].index, 1);
        assert_eq!(labels[1].class, "Business");
        assert!(parse_labels("0\tSport\tX\n")
            .unwrap_err()
            .contains("line 1"));
        assert!(parse_labels("x\tSports\tX\n")
            .unwrap_err()
            .contains("index"));
        assert!(parse_labels("0\tSports\n")
            .unwrap_err()
            .contains("headline"));
    }

    fn shipped_model() -> TopicModel {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/topics-iptc.bin");
        let bytes = std::fs::read(path).expect("the shipped topic model");
        TopicModel::from_bytes(&bytes).expect("a topic model")
    }

    #[test]
    fn stories_are_scored_whole_and_cut_short() {
        let model = shipped_model();
        let documents = parse_conll(CONLL);
        let labels = parse_labels("0\tSports\tSOCCER - RESULTS .\n1\tBusiness\tShares rise .\n")
            .expect("two labels");
        let score = score_reuters(&model, &documents, &labels).expect("scored");
        assert_eq!(score.labelled, 2);
        let labels = parse_labels("0\tBusiness\tSOCCER - RESULTS .\n").expect("a label");
        let wrong = score_reuters(&model, &documents, &labels).expect("scored");
        assert_eq!((score.whole, score.short), (2, 2), "{score:?}");
        assert_eq!((wrong.whole, wrong.short), (0, 0), "{wrong:?}");
    }

    #[test]
    fn a_label_for_another_headline_is_an_error() {
        let model = shipped_model();
        let documents = parse_conll(CONLL);
        let labels = parse_labels("1\tBusiness\tShares fall .\n").expect("a label");
        let err = score_reuters(&model, &documents, &labels).unwrap_err();
        assert!(err.contains("Shares rise ."), "{err}");
        let labels = parse_labels("7\tBusiness\tShares rise .\n").expect("a label");
        assert!(score_reuters(&model, &documents, &labels).is_err());
    }

    #[test]
    fn items_are_scored_by_their_best_topic_and_name_their_line_when_wrong() {
        let items = parse_items(
            "Sports\tStriker scores twice as United win the cup final\tThe forward \
             scored in each half at Wembley.\n\n\
             Sci/Tech\tStriker scores twice as United win the cup final\tThe forward \
             scored in each half at Wembley.\n",
        )
        .expect("two items");
        assert_eq!(items[1].class, "Sci/Tech");
        let scores = score_items(&shipped_model(), &items);
        let score = |class: &str, items, hits, misses: Vec<(&'static str, usize)>| ClassScore {
            class: class.to_string(),
            items,
            hits,
            misses,
        };
        assert_eq!(
            scores,
            vec![
                score("Sports", 1, 1, vec![]),
                score("Sci/Tech", 1, 0, vec![("Sports", 1)])
            ]
        );
        assert!(parse_items("Sport\tA\tB\n").unwrap_err().contains("line 1"));
        assert!(parse_items("Sports\tA\n").unwrap_err().contains("summary"));
    }

    #[test]
    fn topics_map_to_ag_news_classes() {
        assert_eq!(ag_class("medtop:15000000"), "Sports");
        assert_eq!(ag_class("medtop:04000000"), "Business");
        assert_eq!(ag_class("medtop:13000000"), "Sci/Tech");
        assert_eq!(ag_class("medtop:11000000"), "World");
        assert_eq!(ag_class("medtop:16000000"), "World");
    }
}

//! The language gate on the project's own sets (`eval/language`: English
//! that detectors get wrong, and news in 20 other languages, written for
//! the project) and on the English training data in `../shared/data` (BBC
//! articles and CoNLL-2003 documents as raw text).

mod common;

use common::{repo, shared};
use newsflow_core::RawArticle;
use newsflow_nlp::{Annotator, Document, LanguageGate};

fn lines(name: &str) -> Vec<serde_json::Value> {
    let path = repo().join("eval/language").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn field<'a>(value: &'a serde_json::Value, name: &str) -> &'a str {
    value[name].as_str().unwrap_or_default()
}

#[test]
fn english_that_detectors_get_wrong_is_analysed() {
    let annotator = Annotator::with_default_models().expect("built-in models load");
    let hard = lines("english-hard.jsonl");
    assert!(hard.len() >= 30);
    for case in &hard {
        let raw = RawArticle::new(field(case, "title"), field(case, "body"));
        let article = annotator.annotate(raw, None);
        assert_eq!(
            article.analysis_skipped,
            None,
            "{} case: {:?} -> {:?}",
            field(case, "case"),
            field(case, "title"),
            article.language
        );
        assert_eq!(article.language.code, "en", "{:?}", article.language);
    }
}

#[test]
fn news_in_other_languages_is_recognised_and_not_analysed() {
    let annotator = Annotator::with_default_models().expect("built-in models load");
    let other = lines("other-languages.jsonl");
    let mut analysed = Vec::new();
    for article in &other {
        let raw = RawArticle::new(field(article, "title"), field(article, "body"));
        let enriched = annotator.annotate(raw, None);
        match enriched.analysis_skipped {
            Some(_) => {
                assert_eq!(enriched.language.code, field(article, "language"));
                assert!(enriched.entities.is_empty() && enriched.topics.is_empty());
            }
            None => analysed.push(field(article, "title").to_string()),
        }
    }
    eprintln!(
        "language gate: {} of {} articles in other languages not analysed; analysed: {analysed:?}",
        other.len() - analysed.len(),
        other.len()
    );
    // One Polish article has as many English as Polish function words in
    // its sample (the English list has "i", "we" and "na").
    assert!(analysed.len() <= 1, "{analysed:?}");
}

#[test]
fn no_english_training_article_or_document_is_skipped() {
    let gate = LanguageGate::default();
    let mut articles: Vec<(String, String, String)> = Vec::new();
    if let Some(bbc) = shared("data/bbc/train.jsonl") {
        for line in bbc.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("a BBC line");
            articles.push((
                "bbc".into(),
                field(&v, "title").into(),
                field(&v, "text").into(),
            ));
        }
    }
    for file in ["data/conll2003/eng.train", "data/conll2003/eng.testa"] {
        if let Some(text) = shared(file) {
            for document in newsflow_nlp::training::parse_conll(&text) {
                let (body, _) = newsflow_nlp::training::raw_text(&document);
                articles.push((file.into(), String::new(), body));
            }
        }
    }
    if articles.is_empty() {
        return;
    }
    let skipped: Vec<String> = articles
        .iter()
        .filter(|(_, title, body)| {
            let doc = Document::new(title, body);
            !gate.decide(doc.language_sample(), None).analyse
        })
        .map(|(source, title, body)| format!("{source}: {title} {}", &body[..body.len().min(60)]))
        .collect();
    eprintln!(
        "language gate: {} of {} English articles and documents skipped",
        skipped.len(),
        articles.len()
    );
    assert!(articles.len() > 2_900, "{}", articles.len());
    assert!(skipped.is_empty(), "{skipped:#?}");
}

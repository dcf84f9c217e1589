//! Quality checks of the built-in entity model on data it was not trained
//! on. They need `../shared/data` (CoNLL-2003 is not redistributable) and
//! skip with a message when it is absent.

use std::path::PathBuf;

use newsflow_core::RawArticle;
use newsflow_nlp::conll;
use newsflow_nlp::gazetteer::Gazetteer;
use newsflow_nlp::ner::Tagger;
use newsflow_nlp::{Annotator, GAZETTEER_TSV};

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The micro F1 the model card reports (`eval_micro_f1_eng_testa: 0.xxxx`).
fn card_f1() -> f64 {
    let card = std::fs::read_to_string(repo().join("models/ner-conll2003.md")).expect("model card");
    card.lines()
        .find_map(|l| l.trim().strip_prefix("eval_micro_f1_eng_testa:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("the card states eval_micro_f1_eng_testa")
}

#[test]
fn committed_model_keeps_its_reported_f1_on_eng_testa() {
    let path = shared().join("data/conll2003/eng.testa");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is absent", path.display());
        return;
    };
    let bytes = std::fs::read(repo().join("models/ner-conll2003.bin")).unwrap();
    let tagger = Tagger::from_bytes(&bytes, Gazetteer::from_tsv(GAZETTEER_TSV)).unwrap();
    let mut evaluation = conll::Evaluation::default();
    for doc in conll::parse(&text) {
        let (raw, gold) = conll::raw_text(&doc);
        evaluation.add(&tagger.spans(&raw), &gold);
    }
    let f1 = evaluation.micro.f1();
    eprintln!("{}", evaluation.report());
    assert!(
        f1 >= card_f1() - 0.005,
        "micro F1 {f1:.4} is more than 0.5 point below the card's {:.4}",
        card_f1()
    );
}

#[test]
fn records_keep_what_the_tagger_finds_on_eng_testa() {
    let path = shared().join("data/conll2003/eng.testa");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is absent", path.display());
        return;
    };
    let annotator = Annotator::with_default_models().unwrap();
    let evaluation = newsflow_nlp::ner::eval::evaluate(&annotator, &conll::parse(&text));
    eprintln!("{}", evaluation.report());
    let (record, tagger) = (evaluation.record.micro.f1(), evaluation.tagger.micro.f1());
    assert!(
        record >= tagger - 0.003,
        "the record path ({record:.4}) is more than 0.3 point below the tagger ({tagger:.4})"
    );
    assert!(record >= card_f1() - 0.005, "record path {record:.4}");
}

#[test]
fn agency_story_entities_come_out_with_the_right_types() {
    let path = shared().join("samples/erdogan-putin-call.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is absent", path.display());
        return;
    };
    let article = RawArticle::from_text(&text).unwrap();
    let out = Annotator::with_default_models()
        .unwrap()
        .annotate(article, None);
    let kind_of = |canonical: &str| {
        out.entities
            .iter()
            .find(|e| e.canonical == canonical)
            .map(|e| e.kind.as_str())
    };
    for (name, kind) in [
        ("Recep Tayyip Erdoğan", "PER"),
        ("Vladimir Putin", "PER"),
        ("Khalifa Haftar", "PER"),
        ("Fayez Sarraj", "PER"),
        ("Turkey", "LOC"),
        ("Russia", "LOC"),
        ("Moscow", "LOC"),
        ("Azerbaijan", "LOC"),
        ("Armenia", "LOC"),
        ("Baku", "LOC"),
        ("Yerevan", "LOC"),
        ("Libya", "LOC"),
        ("Syria", "LOC"),
        ("Tripoli", "LOC"),
        ("Tarhuna", "LOC"),
        ("France", "LOC"),
        ("United Arab Emirates", "LOC"),
        ("Egypt", "LOC"),
        ("United Nations", "ORG"),
        ("Turkish Communications Directorate", "ORG"),
        ("Tovuz", "LOC"),
        ("Turkish", "MISC"),
        ("Azerbaijani", "MISC"),
        ("Syrian", "MISC"),
    ] {
        assert_eq!(
            kind_of(name),
            Some(kind),
            "{name}; got {:?}",
            out.entities
                .iter()
                .map(|e| (&e.canonical, &e.kind))
                .collect::<Vec<_>>()
        );
    }
    let erdogan = out
        .entities
        .iter()
        .find(|e| e.canonical == "Recep Tayyip Erdoğan")
        .unwrap();
    assert!(
        erdogan.count >= 4,
        "short and full mentions merge: {erdogan:?}"
    );
}

//! Scoring entities on CoNLL documents, on the path a user's records take.
//!
//! Each document becomes a RawArticle with an empty title and its raw text
//! (tokens joined by spaces, one sentence per line) as the body, goes
//! through the whole [`Annotator`], and the record's body mentions of PER,
//! ORG, LOC and MISC entities are compared with the gold spans: exact
//! character spans and types. The tagger alone is scored on the same text
//! beside it, so a loss between the tagger and the record (a language gate
//! that hides entities, a merge that moves a span) shows as a gap between
//! the two lines.

use newsflow_core::{MentionField, RawArticle};

use crate::conll::{self, CharSpan, Document, Evaluation};
use crate::ner::tags::TYPES;
use crate::ner::Tagger;
use crate::Annotator;

/// The record path's scores and the tagger's alone, on the same documents.
#[derive(Debug, Clone, Default)]
pub struct NerEvaluation {
    pub record: Evaluation,
    pub tagger: Evaluation,
}

impl NerEvaluation {
    /// Per-type precision, recall and F1 of the record path, then one line
    /// for the tagger alone.
    pub fn report(&self) -> String {
        let tagger = &self.tagger.micro;
        format!(
            "{}tagger {:>9.4} {:>9.4} {:>9.4} {:>7}   (the tagger alone, same text)\n",
            self.record.report(),
            tagger.precision(),
            tagger.recall(),
            tagger.f1(),
            tagger.gold
        )
    }
}

/// Scores `annotator` (its records) and its tagger on `documents`.
/// Without an entity model both come out empty.
pub fn evaluate(annotator: &Annotator, documents: &[Document]) -> NerEvaluation {
    let mut out = NerEvaluation::default();
    for document in documents {
        let (text, gold) = conll::raw_text(document);
        if let Some(tagger) = annotator.tagger() {
            out.tagger.add(&tagger.spans(&text), &gold);
        }
        let record = annotator.annotate(RawArticle::new("", text), None);
        let predicted: Vec<CharSpan> = record
            .entities
            .iter()
            .filter_map(|e| Some((TYPES.iter().position(|t| *t == e.kind)?, e)))
            .flat_map(|(kind, e)| {
                e.mentions
                    .iter()
                    .filter(|m| m.field == MentionField::Body)
                    .map(move |m| CharSpan {
                        kind,
                        start: m.start,
                        end: m.end,
                    })
            })
            .collect();
        out.record.add(&predicted, &gold);
    }
    out
}

/// Scores a tagger alone on `documents` (raw text, exact spans).
pub fn evaluate_tagger(tagger: &Tagger, documents: &[Document]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for document in documents {
        let (text, gold) = conll::raw_text(document);
        evaluation.add(&tagger.spans(&text), &gold);
    }
    evaluation
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\ncall NN I-NP O\n. . O O\n\nPeter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\nspoke VBD B-VP O\nin IN B-PP O\nBrussels NNP B-NP I-LOC\n. . O O\n";

    #[test]
    fn the_record_path_and_the_tagger_are_scored_on_the_same_gold() {
        let documents = conll::parse(DOC);
        let annotator = Annotator::with_default_models().expect("built-in models");
        let evaluation = evaluate(&annotator, &documents);
        assert_eq!(evaluation.record.micro.gold, 4);
        assert_eq!(evaluation.tagger.micro.gold, 4);
        assert!(
            evaluation.record.micro.true_positives >= 3,
            "{}",
            evaluation.report()
        );
        assert!(evaluation.report().contains("tagger"));
        let alone = evaluate_tagger(annotator.tagger().unwrap(), &documents);
        assert_eq!(
            alone.micro.true_positives,
            evaluation.tagger.micro.true_positives
        );
    }

    #[test]
    fn without_an_entity_model_nothing_is_found() {
        let documents = conll::parse(DOC);
        let evaluation = evaluate(&Annotator::new(), &documents);
        assert_eq!(evaluation.record.micro.predicted, 0);
        assert_eq!(evaluation.record.micro.gold, 4);
    }
}

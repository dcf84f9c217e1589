//! CoNLL-2003 data: reading the column format and scoring predictions.
//!
//! Files are read by the caller (this crate does no I/O) and parsed here.
//! For raw-text evaluation, a document is rebuilt as its tokens joined by
//! spaces with one sentence per line, and gold entities become character
//! spans in that text, so a system is scored on exactly what a user gets.

use std::collections::HashMap;

use crate::ner::tags::{TokenSpan, TYPES};

/// One sentence: tokens and their gold entity spans.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub spans: Vec<TokenSpan>,
}

/// Sentences between two `-DOCSTART-` lines.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Its sentences, in order.
    pub sentences: Vec<Sentence>,
}

/// Parses the CoNLL column format (token first, NER tag last, IOB1 or IOB2).
pub fn parse(text: &str) -> Vec<Document> {
    let mut documents = vec![Document::default()];
    let mut tokens: Vec<String> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    let flush =
        |documents: &mut Vec<Document>, tokens: &mut Vec<String>, labels: &mut Vec<String>| {
            if !tokens.is_empty() {
                let spans = spans_from_iob(labels);
                if let Some(doc) = documents.last_mut() {
                    doc.sentences.push(Sentence {
                        tokens: std::mem::take(tokens),
                        spans,
                    });
                }
                labels.clear();
            }
        };
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut documents, &mut tokens, &mut labels);
            continue;
        }
        let mut columns = line.split_whitespace();
        let Some(token) = columns.next() else {
            continue;
        };
        if token == "-DOCSTART-" {
            flush(&mut documents, &mut tokens, &mut labels);
            if documents.last().is_some_and(|d| !d.sentences.is_empty()) {
                documents.push(Document::default());
            }
            continue;
        }
        tokens.push(token.to_string());
        labels.push(columns.last().unwrap_or("O").to_string());
    }
    flush(&mut documents, &mut tokens, &mut labels);
    documents.retain(|d| !d.sentences.is_empty());
    documents
}

/// Spans from IOB1/IOB2 labels (`I-X` after something other than X opens a
/// new entity; `B-X` always does).
fn spans_from_iob(labels: &[String]) -> Vec<TokenSpan> {
    let kind_of = |label: &str| TYPES.iter().position(|t| label.get(2..) == Some(*t));
    let mut spans = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, label) in labels.iter().enumerate() {
        let kind = kind_of(label);
        let begins = label.starts_with("B-");
        match (open, kind) {
            (Some((k, _)), Some(kind)) if k == kind && !begins => {}
            _ => {
                if let Some((k, start)) = open.take() {
                    spans.push(TokenSpan {
                        kind: k,
                        start,
                        end: i,
                    });
                }
                if let Some(kind) = kind {
                    open = Some((kind, i));
                }
            }
        }
    }
    if let Some((k, start)) = open {
        spans.push(TokenSpan {
            kind: k,
            start,
            end: labels.len(),
        });
    }
    spans
}

/// A typed character span `[start, end)` in code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CharSpan {
    pub kind: usize,
    pub start: usize,
    pub end: usize,
}

/// The raw text of a document (tokens joined by spaces, one sentence per
/// line) and its gold entities as character spans.
pub fn raw_text(document: &Document) -> (String, Vec<CharSpan>) {
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut chars = 0;
    for sentence in &document.sentences {
        let mut starts = Vec::with_capacity(sentence.tokens.len());
        for (i, token) in sentence.tokens.iter().enumerate() {
            if i > 0 {
                text.push(' ');
                chars += 1;
            }
            starts.push(chars);
            text.push_str(token);
            chars += token.chars().count();
        }
        for span in &sentence.spans {
            let end_token = &sentence.tokens[span.end - 1];
            gold.push(CharSpan {
                kind: span.kind,
                start: starts[span.start],
                end: starts[span.end - 1] + end_token.chars().count(),
            });
        }
        text.push('\n');
        chars += 1;
    }
    (text, gold)
}

/// Exact-match precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    pub true_positives: usize,
    pub predicted: usize,
    pub gold: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores per type (indexed like [`TYPES`]) and micro-averaged.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub by_type: [Score; 4],
    pub micro: Score,
}

impl Evaluation {
    /// Adds one document's predicted and gold spans.
    pub fn add(&mut self, predicted: &[CharSpan], gold: &[CharSpan]) {
        let mut gold_set: HashMap<CharSpan, usize> = HashMap::new();
        for g in gold {
            *gold_set.entry(*g).or_default() += 1;
            self.by_type[g.kind].gold += 1;
            self.micro.gold += 1;
        }
        for p in predicted {
            self.by_type[p.kind].predicted += 1;
            self.micro.predicted += 1;
            if let Some(n) = gold_set.get_mut(p).filter(|n| **n > 0) {
                *n -= 1;
                self.by_type[p.kind].true_positives += 1;
                self.micro.true_positives += 1;
            }
        }
    }

    /// A conlleval-style table.
    pub fn report(&self) -> String {
        let mut out = format!(
            "{:<6} {:>9} {:>9} {:>9} {:>7}\n",
            "type", "precision", "recall", "f1", "gold"
        );
        for (i, s) in self.by_type.iter().enumerate() {
            out += &format!(
                "{:<6} {:>9.4} {:>9.4} {:>9.4} {:>7}\n",
                TYPES[i],
                s.precision(),
                s.recall(),
                s.f1(),
                s.gold
            );
        }
        let m = &self.micro;
        out += &format!(
            "{:<6} {:>9.4} {:>9.4} {:>9.4} {:>7}\n",
            "micro",
            m.precision(),
            m.recall(),
            m.f1(),
            m.gold
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\ncall NN I-NP O\n.\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\n\n-DOCSTART- -X- O O\n\nA B-LOC\nB I-LOC\nC B-LOC\n";

    #[test]
    fn parses_documents_sentences_and_iob1_spans() {
        let docs = parse(SAMPLE);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(
            docs[0].sentences[0].spans,
            [
                TokenSpan {
                    kind: 1,
                    start: 0,
                    end: 1
                },
                TokenSpan {
                    kind: 3,
                    start: 2,
                    end: 3
                }
            ]
        );
        assert_eq!(
            docs[0].sentences[1].spans,
            [TokenSpan {
                kind: 0,
                start: 0,
                end: 2
            }]
        );
        // B- starts a new entity even after the same type
        assert_eq!(
            docs[1].sentences[0].spans,
            [
                TokenSpan {
                    kind: 2,
                    start: 0,
                    end: 2
                },
                TokenSpan {
                    kind: 2,
                    start: 2,
                    end: 3
                }
            ]
        );
    }

    #[test]
    fn raw_text_places_gold_spans_on_characters() {
        let docs = parse(SAMPLE);
        let (text, gold) = raw_text(&docs[0]);
        assert_eq!(text, "EU rejects German call .\nPeter Blackburn\n");
        let slice = |s: &CharSpan| {
            text.chars()
                .skip(s.start)
                .take(s.end - s.start)
                .collect::<String>()
        };
        assert_eq!(
            gold.iter().map(slice).collect::<Vec<_>>(),
            ["EU", "German", "Peter Blackburn"]
        );
    }

    fn span(kind: usize, start: usize, end: usize) -> CharSpan {
        CharSpan { kind, start, end }
    }

    #[test]
    fn scores_exact_matches_only() {
        let mut e = Evaluation::default();
        let g = [span(0, 0, 5), span(2, 6, 9)];
        let p = [span(0, 0, 5), span(2, 6, 8)];
        e.add(&p, &g);
        assert_eq!(e.micro.true_positives, 1);
        assert!((e.micro.f1() - 0.5).abs() < 1e-9);
    }
}

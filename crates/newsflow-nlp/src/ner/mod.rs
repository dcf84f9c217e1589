//! Named-entity recognition: a structured averaged perceptron over BILOU
//! tags with Viterbi decoding, trained by [`train`] on CoNLL-2003.
//!
//! [`Tagger::spans`] takes raw text, tokenises it with
//! [`crate::tokenizer`], splits it into sentences (every line break ends
//! one), and returns typed spans in code points.

pub mod features;
pub mod model;
pub mod tags;
pub mod train;

use features::{is_headline, sentence_features, DocumentContext};
use model::Weights;
use tags::{decode, NUM_TAGS};

use crate::conll::CharSpan;
use crate::gazetteer::Gazetteer;
use crate::sentences::split_sentences;
use crate::tokenizer::{tokenize, Token};

/// A loaded NER model.
#[derive(Debug, Clone)]
pub struct Tagger {
    weights: Weights,
    gazetteer: Gazetteer,
}

/// A sentence as the tagger sees it.
pub(crate) struct TaggedSentence<'a> {
    pub tokens: &'a [Token],
    pub words: Vec<&'a str>,
}

impl Tagger {
    /// A tagger from trained weights and the gazetteer they were trained
    /// with.
    pub fn new(weights: Weights, gazetteer: Gazetteer) -> Self {
        Tagger { weights, gazetteer }
    }

    /// Loads a model file's bytes.
    pub fn from_bytes(bytes: &[u8], gazetteer: Gazetteer) -> Result<Self, String> {
        Weights::from_bytes(bytes).map(|w| Tagger::new(w, gazetteer))
    }

    /// The model's metadata (JSON written at training time).
    pub fn metadata(&self) -> &str {
        &self.weights.metadata
    }

    /// Tags already-tokenised sentences of one document.
    pub fn tag_sentences(&self, sentences: &[Vec<&str>]) -> Vec<Vec<tags::TokenSpan>> {
        let doc = DocumentContext::new(sentences.iter().map(Vec::as_slice));
        let mut features = Vec::new();
        let mut scores = Vec::new();
        sentences
            .iter()
            .map(|words| {
                if words.is_empty() {
                    return Vec::new();
                }
                let gaz = self.gazetteer.labels(words, is_headline(words));
                sentence_features(words, &doc, &gaz, &mut features);
                scores.clear();
                for f in &features[..words.len()] {
                    let mut s = [0.0; NUM_TAGS];
                    self.weights.score(f, &mut s);
                    scores.push(s);
                }
                decode(&self.weights.viterbi(&scores))
            })
            .collect()
    }

    /// Entities in `text` as code-point spans.
    pub fn spans(&self, text: &str) -> Vec<CharSpan> {
        let tokens = tokenize(text);
        let sentences = sentences_by_line(text, &tokens);
        let views: Vec<TaggedSentence> = sentences
            .iter()
            .map(|r| TaggedSentence {
                tokens: &tokens[r.clone()],
                words: tokens[r.clone()].iter().map(|t| t.text(text)).collect(),
            })
            .collect();
        let words: Vec<Vec<&str>> = views.iter().map(|v| v.words.clone()).collect();
        let tagged = self.tag_sentences(&words);
        let mut out = Vec::new();
        let mut surfaces = Vec::new();
        for (view, spans) in views.iter().zip(tagged) {
            for s in spans {
                out.push(CharSpan {
                    kind: s.kind,
                    start: view.tokens[s.start].start,
                    end: view.tokens[s.end - 1].end,
                });
                surfaces.push(view.words[s.start..s.end].join(" "));
            }
        }
        harmonise_types(&mut out, &surfaces);
        out
    }
}

/// News copy names one thing the same way throughout: where the same words
/// were given different types in one document, the type given most often
/// wins (ties keep what the tagger said).
fn harmonise_types(spans: &mut [CharSpan], surfaces: &[String]) {
    let mut votes: std::collections::HashMap<&str, [u32; tags::TYPES.len()]> = Default::default();
    for (span, surface) in spans.iter().zip(surfaces) {
        votes.entry(surface.as_str()).or_default()[span.kind] += 1;
    }
    for (span, surface) in spans.iter_mut().zip(surfaces) {
        let counts = votes[surface.as_str()];
        let best = (0..counts.len())
            .max_by_key(|&k| counts[k])
            .unwrap_or(span.kind);
        if counts[best] > counts[span.kind] {
            span.kind = best;
        }
    }
}

/// Sentences, with every line break ending one: in news copy a line break
/// separates a headline, a caption or a paragraph.
pub(crate) fn sentences_by_line(text: &str, tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for range in split_sentences(text, tokens) {
        let mut start = range.start;
        for i in range.start + 1..range.end {
            if text[tokens[i - 1].byte_end..tokens[i].byte_start].contains('\n') {
                out.push(start..i);
                start = i;
            }
        }
        out.push(start..range.end);
    }
    out
}

//! Training the tagger: a structured perceptron with weight averaging.
//!
//! Gold tokens are re-tokenised with the project's tokenizer, so the model
//! learns on the token boundaries it will see at run time. Features seen
//! fewer than `min_count` times are left out of the model. Training is
//! deterministic for a given seed.

// Tag-indexed loops over fixed-size score arrays read best as index loops.
#![allow(clippy::needless_range_loop)]

use super::features::{sentence_features, DocumentContext};
use super::model::{viterbi, FeatureMap, Weights};
use super::tags::{encode, TokenSpan, NUM_TAGS};
use super::Lexicon;
use crate::conll::Document;
use crate::rng::Rng;
use crate::tokenizer::tokenize;

/// How the tagger is trained.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training documents.
    pub epochs: usize,
    /// Seeds the order documents are seen in.
    pub seed: u64,
    /// Features seen fewer times than this are left out.
    pub min_count: u32,
    /// In training, every wrong tag's score is raised by this much before
    /// decoding (cost-augmented decoding), so that a sentence tagged right
    /// by a thin margin still teaches (0: plain perceptron).
    pub margin: f32,
    /// Cap of the passive-aggressive (PA-I) step: an update moves the
    /// weights just far enough to fix the mistake, at most this far
    /// (0: the perceptron's fixed step of 1).
    pub pa_cap: f32,
    /// Share of a token's features hidden from each training step, drawn
    /// afresh every time the sentence is seen (0: none), so that no feature
    /// can carry a decision alone.
    pub dropout: f32,
    /// Averaged weights this small or smaller are left out of the model.
    pub prune: f32,
}

/// The settings the shipped model was trained with (its card says how they
/// were chosen); `train-ner` and `cv-ner` take their defaults from here.
impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 30,
            seed: 1,
            min_count: 1,
            margin: 1.0,
            pa_cap: 1.0,
            dropout: 0.3,
            prune: 0.02,
        }
    }
}

/// A training sentence with its features computed once.
struct Example {
    features: Vec<Vec<u64>>,
    gold: Vec<usize>,
}

/// Splits gold tokens further where the project's tokenizer would, carrying
/// the entity spans over to the new token positions.
pub fn retokenize(tokens: &[String], spans: &[TokenSpan]) -> (Vec<String>, Vec<TokenSpan>) {
    let mut words = Vec::with_capacity(tokens.len());
    let mut first = Vec::with_capacity(tokens.len() + 1);
    for token in tokens {
        first.push(words.len());
        let pieces = tokenize(token);
        if pieces.is_empty() {
            words.push(token.clone());
        } else {
            words.extend(pieces.iter().map(|p| p.text(token).to_string()));
        }
    }
    first.push(words.len());
    let spans = spans
        .iter()
        .map(|s| TokenSpan {
            kind: s.kind,
            start: first[s.start],
            end: first[s.end],
        })
        .collect();
    (words, spans)
}

fn examples(documents: &[Document], lexicon: &Lexicon) -> Vec<Example> {
    let mut out = Vec::new();
    for doc in documents {
        let sentences: Vec<(Vec<String>, Vec<TokenSpan>)> = doc
            .sentences
            .iter()
            .map(|s| retokenize(&s.tokens, &s.spans))
            .collect();
        let words: Vec<Vec<&str>> = sentences
            .iter()
            .map(|(w, _)| w.iter().map(String::as_str).collect())
            .collect();
        let context = DocumentContext::new(words.iter().map(Vec::as_slice));
        for ((tokens, spans), words) in sentences.iter().zip(&words) {
            let mut features = Vec::new();
            sentence_features(words, &context, lexicon, &mut features);
            features.truncate(words.len());
            out.push(Example {
                features,
                gold: encode(tokens.len(), spans),
            });
        }
    }
    out
}

/// Weights being learnt: current values and the running sums for the
/// average (`w - acc / steps` is the averaged weight).
struct Learner {
    w: FeatureMap<[f32; NUM_TAGS]>,
    acc: FeatureMap<[f32; NUM_TAGS]>,
    trans: Vec<f32>,
    trans_acc: Vec<f32>,
    start: Vec<f32>,
    start_acc: Vec<f32>,
    steps: f32,
}

impl Learner {
    fn scores(&self, features: &[Vec<u64>]) -> Vec<[f32; NUM_TAGS]> {
        features
            .iter()
            .map(|fs| {
                let mut s = [0.0; NUM_TAGS];
                for f in fs {
                    if let Some(w) = self.w.get(f) {
                        for t in 0..NUM_TAGS {
                            s[t] += w[t];
                        }
                    }
                }
                s
            })
            .collect()
    }

    fn update(&mut self, example: &Example, predicted: &[usize], step: f32) {
        let c = self.steps * step;
        for (i, (&g, &p)) in example.gold.iter().zip(predicted).enumerate() {
            if g != p {
                for f in &example.features[i] {
                    if let Some(w) = self.w.get_mut(f) {
                        w[g] += step;
                        w[p] -= step;
                        let a = self.acc.get_mut(f).expect("acc mirrors w");
                        a[g] += c;
                        a[p] -= c;
                    }
                }
            }
            let (gp, pp) = if i == 0 {
                (None, None)
            } else {
                (Some(example.gold[i - 1]), Some(predicted[i - 1]))
            };
            if (gp, g) != (pp, p) {
                match gp {
                    None => {
                        self.start[g] += step;
                        self.start_acc[g] += c;
                    }
                    Some(gp) => {
                        self.trans[gp * NUM_TAGS + g] += step;
                        self.trans_acc[gp * NUM_TAGS + g] += c;
                    }
                }
                match pp {
                    None => {
                        self.start[p] -= step;
                        self.start_acc[p] -= c;
                    }
                    Some(pp) => {
                        self.trans[pp * NUM_TAGS + p] -= step;
                        self.trans_acc[pp * NUM_TAGS + p] -= c;
                    }
                }
            }
        }
    }

    /// The PA-I step (Crammer et al. 2006): the structured hinge loss
    /// (how far the wrong tagging outscores the right one, plus the square
    /// root of the number of wrong tags) over the squared norm of the
    /// feature difference, capped at `cap`. `scores` are the ones decoded.
    fn pa_step(
        &self,
        example: &Example,
        predicted: &[usize],
        scores: &[[f32; NUM_TAGS]],
        cap: f32,
    ) -> f32 {
        let (mut gap, mut wrong, mut norm) = (0.0f32, 0.0f32, 0.0f32);
        let link = |previous: Option<usize>, tag: usize| match previous {
            None => self.start[tag],
            Some(p) => self.trans[p * NUM_TAGS + tag],
        };
        for (i, (&g, &p)) in example.gold.iter().zip(predicted).enumerate() {
            gap += scores[i][p] - scores[i][g];
            if g != p {
                wrong += 1.0;
                // each feature moves on two tags
                norm += 2.0 * example.features[i].len() as f32;
            }
            let previous = |tags: &[usize]| i.checked_sub(1).map(|j| tags[j]);
            let (gp, pp) = (previous(&example.gold), previous(predicted));
            if (gp, g) != (pp, p) {
                norm += 2.0;
                gap += link(pp, p) - link(gp, g);
            }
        }
        let loss = (gap + wrong.sqrt()).max(0.0);
        // a small floor keeps a tie from being no update at all
        (loss / norm.max(1.0)).min(cap).max(1e-4)
    }

    fn averaged(&self, prune: f32, metadata: String) -> Weights {
        let c = self.steps.max(1.0);
        let mut index = FeatureMap::default();
        let mut entries = Vec::new();
        let mut keys: Vec<&u64> = self.w.keys().collect();
        keys.sort();
        for key in keys {
            let (w, a) = (&self.w[key], &self.acc[key]);
            let at = entries.len() as u32;
            for t in 0..NUM_TAGS {
                let avg = w[t] - a[t] / c;
                if avg.abs() > prune {
                    entries.push((t as u8, avg));
                }
            }
            let len = entries.len() as u32 - at;
            if len > 0 {
                index.insert(*key, (at, len as u8));
            }
        }
        let avg = |w: &[f32], a: &[f32]| w.iter().zip(a).map(|(w, a)| w - a / c).collect();
        Weights::new(
            index,
            entries,
            avg(&self.trans, &self.trans_acc),
            avg(&self.start, &self.start_acc),
            metadata,
        )
    }
}

/// Trains on `train`. `on_epoch` sees each epoch's averaged weights (to
/// report a development score); `metadata` is stored in the model.
pub fn train(
    train: &[Document],
    lexicon: &Lexicon,
    options: &TrainOptions,
    metadata: impl Fn(usize) -> String,
    mut on_epoch: impl FnMut(usize, &Weights),
) -> Weights {
    let mut data = examples(train, lexicon);
    let mut counts: FeatureMap<u32> = FeatureMap::default();
    for e in &data {
        for fs in &e.features {
            for f in fs {
                *counts.entry(*f).or_default() += 1;
            }
        }
    }
    let mut learner = Learner {
        w: FeatureMap::default(),
        acc: FeatureMap::default(),
        trans: vec![0.0; NUM_TAGS * NUM_TAGS],
        trans_acc: vec![0.0; NUM_TAGS * NUM_TAGS],
        start: vec![0.0; NUM_TAGS],
        start_acc: vec![0.0; NUM_TAGS],
        steps: 1.0,
    };
    for (f, n) in counts {
        if n >= options.min_count {
            learner.w.insert(f, [0.0; NUM_TAGS]);
            learner.acc.insert(f, [0.0; NUM_TAGS]);
        }
    }
    let mut rng = Rng::new(options.seed);
    // a generator of its own, so that the document order does not depend
    // on the dropout
    let mut hide = Rng::new(options.seed.wrapping_add(0x9e37_79b9));
    let mut weights = learner.averaged(options.prune, metadata(0));
    for epoch in 1..=options.epochs {
        rng.shuffle(&mut data);
        for example in &data {
            let thinned;
            let example = if options.dropout > 0.0 {
                thinned = thin(example, options.dropout, &mut hide);
                &thinned
            } else {
                example
            };
            let mut scores = learner.scores(&example.features);
            if options.margin > 0.0 {
                for (s, &g) in scores.iter_mut().zip(&example.gold) {
                    for (t, v) in s.iter_mut().enumerate() {
                        if t != g {
                            *v += options.margin;
                        }
                    }
                }
            }
            let predicted = viterbi(&scores, &learner.trans, &learner.start);
            if predicted != example.gold {
                let step = if options.pa_cap > 0.0 {
                    learner.pa_step(example, &predicted, &scores, options.pa_cap)
                } else {
                    1.0
                };
                learner.update(example, &predicted, step);
            }
            learner.steps += 1.0;
        }
        weights = learner.averaged(options.prune, metadata(epoch));
        on_epoch(epoch, &weights);
    }
    weights
}

/// `example` with each feature hidden with probability `share`.
fn thin(example: &Example, share: f32, rng: &mut Rng) -> Example {
    let cut = (f64::from(share.clamp(0.0, 1.0)) * u64::MAX as f64) as u64;
    Example {
        features: example
            .features
            .iter()
            .map(|fs| fs.iter().copied().filter(|_| rng.next() >= cut).collect())
            .collect(),
        gold: example.gold.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conll::parse;
    use crate::ner::Tagger;

    #[test]
    fn retokenize_moves_spans_with_split_tokens() {
        let tokens = vec!["S&P".to_string(), "rose".to_string()];
        let spans = [TokenSpan {
            kind: 1,
            start: 0,
            end: 1,
        }];
        let (words, spans) = retokenize(&tokens, &spans);
        assert_eq!(words, ["S", "&", "P", "rose"]);
        assert_eq!(
            spans,
            [TokenSpan {
                kind: 1,
                start: 0,
                end: 3
            }]
        );
    }

    #[test]
    fn thinning_hides_about_the_share_asked_for() {
        let example = Example {
            features: vec![(0..10_000).collect(), vec![7]],
            gold: vec![0, 0],
        };
        let mut rng = Rng::new(3);
        let thinned = thin(&example, 0.3, &mut rng);
        let kept = thinned.features[0].len();
        assert!((6_800..7_200).contains(&kept), "kept {kept} of 10,000");
        assert!(
            thinned.features[0].windows(2).all(|w| w[0] < w[1]),
            "order kept"
        );
        assert_eq!(thinned.gold, example.gold);
        assert_eq!(thin(&example, 0.0, &mut rng).features, example.features);
        assert!(thin(&example, 1.0, &mut rng).features[0].is_empty());
    }

    #[test]
    fn the_defaults_are_what_the_shipped_model_was_trained_with() {
        let bytes = include_bytes!("../../../../models/ner-conll2003.bin");
        let weights = Weights::load(bytes).expect("the shipped model loads");
        let metadata: serde_json::Value =
            serde_json::from_str(&weights.metadata).expect("JSON metadata");
        let options = TrainOptions::default();
        assert_eq!(metadata["epochs"], options.epochs);
        assert_eq!(metadata["seed"], options.seed);
        assert_eq!(metadata["min_count"], options.min_count);
        for (key, value) in [
            ("margin", options.margin),
            ("pa_cap", options.pa_cap),
            ("dropout", options.dropout),
            ("prune", options.prune),
        ] {
            let stored = metadata[key].as_f64().expect(key) as f32;
            assert_eq!(stored, value, "{key}");
        }
    }

    #[test]
    fn dropout_training_is_deterministic_for_a_seed() {
        let text = "Mr NNP O O\nSmith NNP O I-PER\nvisited VBD O O\nParis NNP O I-LOC\n. . O O\n\n"
            .repeat(4);
        let docs = parse(&text);
        let lexicon = Lexicon::default();
        let with = |dropout: f32| {
            let options = TrainOptions {
                epochs: 3,
                min_count: 1,
                dropout,
                ..TrainOptions::default()
            };
            train(&docs, &lexicon, &options, |_| String::new(), |_, _| {}).to_bytes()
        };
        assert_eq!(with(0.3), with(0.3));
        assert_ne!(with(0.3), with(0.0), "the dropout changes what is learnt");
    }

    #[test]
    fn learns_a_toy_pattern_deterministically() {
        let mut text = String::new();
        for name in ["Smith", "Jones", "Brown", "Taylor"] {
            for city in ["Paris", "Berlin", "Madrid"] {
                text += &format!("Mr NNP O O\n{name} NNP O I-PER\nvisited VBD O O\n{city} NNP O I-LOC\n. . O O\n\n");
            }
        }
        let docs = parse(&text);
        let options = TrainOptions {
            epochs: 5,
            seed: 7,
            min_count: 1,
            ..TrainOptions::default()
        };
        let lexicon = Lexicon::default();
        let a = train(&docs, &lexicon, &options, |_| String::new(), |_, _| {});
        let b = train(&docs, &lexicon, &options, |_| String::new(), |_, _| {});
        assert_eq!(a.to_bytes(), b.to_bytes(), "same seed, same model");
        let tagger = Tagger::new(a, lexicon);
        let spans = tagger.spans("Mr Jones visited Berlin .");
        assert_eq!(spans.len(), 2);
        assert_eq!((spans[0].kind, spans[0].start, spans[0].end), (0, 3, 8));
        assert_eq!((spans[1].kind, spans[1].start, spans[1].end), (2, 17, 23));
    }
}

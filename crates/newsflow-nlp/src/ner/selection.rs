//! Choosing the tagger's features and epochs without fitting the file they
//! are scored on.
//!
//! A fixed fifth of the development file's documents (every fifth by
//! position, ids 5, 10, 15... counting from 1) is the regression set: it
//! never trains the shipped model and only checks it. Choices are made by
//! k-fold cross-validation, split by document, over the training file plus
//! the development file's other four fifths, scored on the record path.

use crate::conll::Document;
use crate::ner::eval::{evaluate, NerEvaluation};
use crate::ner::train::{train, TrainOptions};
use crate::ner::{Lexicon, Tagger};
use crate::rng::Rng;
use crate::Annotator;

/// Splits the development file's documents into the regression fifth and
/// the four fifths that may be trained on.
pub fn regression_fifth(dev: Vec<Document>) -> (Vec<Document>, Vec<Document>) {
    let mut regression = Vec::new();
    let mut rest = Vec::new();
    for (i, doc) in dev.into_iter().enumerate() {
        if (i + 1) % 5 == 0 {
            regression.push(doc);
        } else {
            rest.push(doc);
        }
    }
    (regression, rest)
}

/// Document indices of `n` documents dealt into `k` folds after a seeded
/// shuffle; every document is in exactly one fold.
pub fn folds(n: usize, k: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..n).collect();
    Rng::new(seed).shuffle(&mut order);
    let mut out = vec![Vec::new(); k.max(1)];
    for (i, doc) in order.into_iter().enumerate() {
        out[i % k.max(1)].push(doc);
    }
    for fold in &mut out {
        fold.sort_unstable();
    }
    out
}

/// One fold's scores on its held-out documents.
#[derive(Debug, Clone)]
pub struct FoldScore {
    pub record_f1: f64,
    pub tagger_f1: f64,
    pub evaluation: NerEvaluation,
}

/// Cross-validation results, fold by fold.
#[derive(Debug, Clone, Default)]
pub struct CrossValidation {
    /// Each fold's scores, in fold order.
    pub folds: Vec<FoldScore>,
}

impl CrossValidation {
    /// Mean and sample standard deviation of the record path's micro F1.
    pub fn record(&self) -> (f64, f64) {
        mean_sd(self.folds.iter().map(|f| f.record_f1))
    }

    /// Mean and sample standard deviation of the tagger's micro F1.
    pub fn tagger(&self) -> (f64, f64) {
        mean_sd(self.folds.iter().map(|f| f.tagger_f1))
    }
}

/// Mean and sample standard deviation (0 for a single value).
pub fn mean_sd(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let values: Vec<f64> = values.collect();
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = if values.len() > 1 {
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// Trains on all folds but one and scores the record path (the default
/// models with this tagger) on that one, for every fold; up to `threads`
/// folds at a time.
pub fn cross_validate(
    pool: &[Document],
    lexicon: &Lexicon,
    options: &TrainOptions,
    k: usize,
    threads: usize,
) -> Result<CrossValidation, String> {
    let split = folds(pool.len(), k, options.seed);
    let run = |held: &[usize]| {
        let training: Vec<Document> = (0..pool.len())
            .filter(|i| held.binary_search(i).is_err())
            .map(|i| pool[i].clone())
            .collect();
        let test: Vec<Document> = held.iter().map(|&i| pool[i].clone()).collect();
        let weights = train(&training, lexicon, options, |_| String::new(), |_, _| {});
        let annotator = Annotator::with_default_models()
            .map_err(|e| e.to_string())?
            .with_ner(Tagger::new(weights, lexicon.clone()), "cv".into());
        let evaluation = evaluate(&annotator, &test);
        Ok::<_, String>(FoldScore {
            record_f1: evaluation.record.micro.f1(),
            tagger_f1: evaluation.tagger.micro.f1(),
            evaluation,
        })
    };
    let mut scores: Vec<Option<Result<FoldScore, String>>> = vec![None; split.len()];
    for chunk in (0..split.len()).collect::<Vec<_>>().chunks(threads.max(1)) {
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|&f| {
                    let (run, held) = (&run, &split[f]);
                    (f, scope.spawn(move || run(held)))
                })
                .collect();
            for (f, handle) in handles {
                scores[f] = handle.join().ok();
            }
        });
    }
    let folds = scores
        .into_iter()
        .enumerate()
        .map(|(f, s)| s.unwrap_or_else(|| Err(format!("fold {} panicked", f + 1))))
        .collect::<Result<_, _>>()?;
    Ok(CrossValidation { folds })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regression_fifth_is_every_fifth_document() {
        let docs: Vec<Document> = (0..12).map(|_| Document::default()).collect();
        let (regression, rest) = regression_fifth(docs);
        assert_eq!((regression.len(), rest.len()), (2, 10));
    }

    #[test]
    fn folds_cover_every_document_once_and_are_seeded() {
        let split = folds(23, 5, 3);
        let mut all: Vec<usize> = split.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..23).collect::<Vec<_>>());
        assert!(split.iter().all(|f| f.len() == 4 || f.len() == 5));
        assert_eq!(split, folds(23, 5, 3));
        assert_ne!(split, folds(23, 5, 4));
    }

    #[test]
    fn mean_and_spread() {
        let (m, sd) = mean_sd([0.9, 0.92, 0.94].into_iter());
        assert!((m - 0.92).abs() < 1e-12);
        assert!((sd - 0.02).abs() < 1e-12);
    }
}

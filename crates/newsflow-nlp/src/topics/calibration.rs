//! Calibration of the top-level scores, so that a score of 0.5 means the
//! topic applies about half the time.
//!
//! The raw scorers are trained on soft targets and on pseudo-articles, so
//! their probabilities say little by themselves. A Platt scaling,
//! `sigmoid(a × raw + b)`, is fitted on scores of articles the scorers
//! never saw (cross-validation folds, and the tuning sets): one for each
//! topic BBC labels, one shared by the twelve it does not (see
//! `train::calibrate`). Each is monotone, so a topic's ranking of articles
//! is unchanged; a second-level topic is scored parent × share, so it
//! never rises above its parent.

use crate::rng::Rng;

/// Platt scaling of a raw (logit) score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Platt {
    /// The slope on the raw score.
    pub a: f32,
    /// The offset.
    pub b: f32,
}

impl Default for Platt {
    /// The identity: the raw logistic score.
    fn default() -> Self {
        Platt { a: 1.0, b: 0.0 }
    }
}

impl Platt {
    /// The probability of a raw (logit) score.
    pub fn probability(&self, raw: f32) -> f64 {
        1.0 / (1.0 + (-(f64::from(self.a) * f64::from(raw) + f64::from(self.b))).exp())
    }

    /// Fits `a` and `b` to (raw score, applies, weight) triples by Newton's
    /// method on the weighted log loss, with Platt's smoothed targets
    /// (`(n₊ + 1) / (n₊ + 2)` and `1 / (n₋ + 2)`), which keep the fit finite
    /// when the classes separate.
    ///
    /// Each Newton step is halved until the loss falls (Lin, Lin and Weng,
    /// "A note on Platt's probabilistic outputs for support vector
    /// machines", 2007): raw scores far from zero make the full step from
    /// the identity overshoot, and without the search the fit ran off to
    /// slopes of 10¹⁰.
    pub fn fit(samples: &[(f32, bool, f64)]) -> Platt {
        let positives: f64 = samples.iter().filter(|s| s.1).map(|s| s.2).sum();
        let negatives: f64 = samples.iter().filter(|s| !s.1).map(|s| s.2).sum();
        let high = (positives + 1.0) / (positives + 2.0);
        let low = 1.0 / (negatives + 2.0);
        let target = |applies: bool| if applies { high } else { low };
        let loss = |a: f64, b: f64| -> f64 {
            samples
                .iter()
                .map(|&(raw, applies, w)| {
                    let z = a * f64::from(raw) + b;
                    let t = target(applies);
                    // −t·ln σ(z) − (1 − t)·ln σ(−z), each term computed
                    // without overflow
                    w * (t * softplus(-z) + (1.0 - t) * softplus(z))
                })
                .sum()
        };
        let (mut a, mut b) = (1.0f64, 0.0f64);
        let mut current = loss(a, b);
        for _ in 0..100 {
            // gradient and Hessian of the weighted log loss in (a, b)
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for &(raw, applies, w) in samples {
                let x = f64::from(raw);
                let p = 1.0 / (1.0 + (-(a * x + b)).exp());
                let d = w * (p - target(applies));
                ga += d * x;
                gb += d;
                let h = w * (p * (1.0 - p)).max(1e-12);
                haa += h * x * x;
                hab += h * x;
                hbb += h;
            }
            // a small ridge keeps the step defined on degenerate data
            haa += 1e-9;
            hbb += 1e-9;
            let det = haa * hbb - hab * hab;
            if det.abs() < 1e-18 {
                break;
            }
            let da = (hbb * ga - hab * gb) / det;
            let db = (haa * gb - hab * ga) / det;
            if da.abs() < 1e-9 && db.abs() < 1e-9 {
                a -= da;
                b -= db;
                break;
            }
            // the step's slope along the loss: negative, as the Hessian
            // is positive definite
            let slope = -(ga * da + gb * db);
            let mut step = 1.0;
            let accepted = loop {
                let (na, nb) = (a - step * da, b - step * db);
                let next = loss(na, nb);
                if next <= current + 1e-4 * step * slope {
                    break Some((na, nb, next));
                }
                step /= 2.0;
                if step < 1e-10 {
                    break None;
                }
            };
            let Some((na, nb, next)) = accepted else {
                break;
            };
            a = na;
            b = nb;
            current = next;
        }
        Platt {
            a: a as f32,
            b: b as f32,
        }
    }
}

/// ln(1 + eᶻ), without overflow for large z.
fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// Expected calibration error over (probability, correct) pairs, in ten
/// equal-width bins: the share-weighted gap between the mean probability
/// and the share correct in each bin.
pub fn expected_calibration_error(pairs: &[(f64, bool)]) -> f64 {
    const BINS: usize = 10;
    let mut sum_p = [0.0f64; BINS];
    let mut hits = [0.0f64; BINS];
    let mut count = [0usize; BINS];
    for &(p, correct) in pairs {
        let bin = ((p * BINS as f64) as usize).min(BINS - 1);
        sum_p[bin] += p;
        hits[bin] += f64::from(u8::from(correct));
        count[bin] += 1;
    }
    let n = pairs.len().max(1) as f64;
    (0..BINS)
        .filter(|&b| count[b] > 0)
        .map(|b| (sum_p[b] - hits[b]).abs() / n)
        .sum()
}

/// The ECE of `groups` (one group of pairs per article) and a 95%
/// bootstrap interval from resampling articles.
pub fn ece_with_interval(groups: &[Vec<(f64, bool)>], resamples: usize, seed: u64) -> Ece {
    let all: Vec<(f64, bool)> = groups.iter().flatten().copied().collect();
    let value = expected_calibration_error(&all);
    let mut rng = Rng::new(seed);
    let mut values: Vec<f64> = (0..resamples)
        .map(|_| {
            let sample: Vec<(f64, bool)> = (0..groups.len())
                .flat_map(|_| groups[rng.below(groups.len())].iter().copied())
                .collect();
            expected_calibration_error(&sample)
        })
        .collect();
    values.sort_by(f64::total_cmp);
    let at = |q: f64| {
        values
            .get(((values.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(value)
    };
    Ece {
        value,
        low: at(0.025),
        high: at(0.975),
    }
}

/// An expected calibration error with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ece {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platt_recovers_a_known_scaling() {
        // raw scores whose true probability is sigmoid(2 × raw − 1)
        let mut samples = Vec::new();
        let mut rng = Rng::new(3);
        for i in 0..4000 {
            let raw = (i % 400) as f32 / 100.0 - 2.0;
            let p = 1.0 / (1.0 + (-(2.0 * f64::from(raw) - 1.0)).exp());
            let applies = (rng.below(10_000) as f64) < p * 10_000.0;
            samples.push((raw, applies, 1.0));
        }
        let platt = Platt::fit(&samples);
        assert!((platt.a - 2.0).abs() < 0.25, "{platt:?}");
        assert!((platt.b + 1.0).abs() < 0.2, "{platt:?}");
    }

    #[test]
    fn platt_fits_raw_scores_far_below_zero() {
        // scores of a scorer trained on weak labels: −20 to 0, true
        // probability sigmoid(0.3 × raw + 3); the full Newton step from the
        // identity overshoots here
        let mut samples = Vec::new();
        let mut rng = Rng::new(5);
        for i in 0..2000 {
            let raw = -((i % 200) as f32) / 10.0;
            let p = 1.0 / (1.0 + (-(0.3 * f64::from(raw) + 3.0)).exp());
            let applies = (rng.below(10_000) as f64) < p * 10_000.0;
            samples.push((raw, applies, 1.0));
        }
        let platt = Platt::fit(&samples);
        assert!((platt.a - 0.3).abs() < 0.05, "{platt:?}");
        assert!((platt.b - 3.0).abs() < 0.4, "{platt:?}");
    }

    #[test]
    fn platt_stays_finite_when_the_classes_separate() {
        let samples = [(-1.0, false, 1.0), (1.0, true, 1.0)];
        let platt = Platt::fit(&samples);
        assert!(platt.a.is_finite() && platt.b.is_finite());
        assert!(platt.probability(1.0) > 0.5 && platt.probability(-1.0) < 0.5);
    }

    #[test]
    fn ece_is_the_gap_between_probability_and_outcome() {
        let matched: Vec<(f64, bool)> = (0..10).map(|i| (0.25, i < 2 || i == 9)).collect();
        assert!((expected_calibration_error(&matched) - 0.05).abs() < 1e-12);
        let perfect = [(0.0, false), (1.0, true)];
        assert_eq!(expected_calibration_error(&perfect), 0.0);
        let wrong = [(0.95, false), (0.95, false)];
        assert!((expected_calibration_error(&wrong) - 0.95).abs() < 1e-12);
    }

    #[test]
    fn the_interval_holds_the_value() {
        let groups: Vec<Vec<(f64, bool)>> = (0..50).map(|i| vec![(0.7, i % 3 != 0)]).collect();
        let ece = ece_with_interval(&groups, 200, 1);
        assert!(ece.low <= ece.value && ece.value <= ece.high, "{ece:?}");
        assert!(ece.high > ece.low);
    }
}

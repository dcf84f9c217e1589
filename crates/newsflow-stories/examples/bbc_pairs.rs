//! How well signatures measure the similarity of real articles: every
//! pair of a JSON-lines file (`text` field, as in `../shared/data/bbc`),
//! the signatures' similarity (counted on their fingerprints) against the
//! exact Jaccard similarity of the shingle sets, which is counted for
//! every pair the signatures put at 0.05 or more or whose signatures share
//! a band key (the rest are taken as unrelated).
//!
//!     cargo run --release -p newsflow-stories --example bbc_pairs -- ../shared/data/bbc/train.jsonl

use std::collections::HashSet;
use std::time::Instant;

use newsflow_core::StoryKind;
use newsflow_stories::{shingles, MemoryIndex, Signature, Thresholds, Window};

fn main() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: bbc_pairs FILE.jsonl")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut articles = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let record: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let body = record["text"].as_str().or(record["body"].as_str());
        articles.push(
            body.ok_or(format!("{path}:{}: no text", n + 1))?
                .to_string(),
        );
    }

    let started = Instant::now();
    let signatures: Vec<Signature> = articles.iter().map(|a| Signature::of(a)).collect();
    let elapsed = started.elapsed();
    let bands: Vec<HashSet<u64>> = signatures.iter().map(|s| s.bands().collect()).collect();
    let sets: Vec<HashSet<u64>> = articles
        .iter()
        .map(|a| shingles(a).into_iter().collect())
        .collect();

    let thresholds = [0.3, 0.5, 0.8, 0.99];
    let (mut by_estimate, mut by_truth) = ([0; 4], [0; 4]);
    let (mut errors, mut candidates, mut missed, mut worst_unrelated) = (Vec::new(), 0, 0, 0.0f64);
    for i in 0..articles.len() {
        for j in i + 1..articles.len() {
            let estimate = signatures[i].similarity(&signatures[j]);
            let candidate = !bands[i].is_disjoint(&bands[j]);
            candidates += usize::from(candidate);
            if estimate < 0.05 && !candidate {
                continue;
            }
            let union = sets[i].union(&sets[j]).count().max(1);
            let truth = sets[i].intersection(&sets[j]).count() as f64 / union as f64;
            errors.push(estimate - truth);
            if truth < 0.1 {
                worst_unrelated = worst_unrelated.max(estimate);
            }
            if truth >= 0.5 && !candidate {
                missed += 1;
            }
            for (k, &threshold) in thresholds.iter().enumerate() {
                by_estimate[k] += usize::from(estimate >= threshold);
                by_truth[k] += usize::from(truth >= threshold);
            }
        }
    }
    errors.sort_by(f64::total_cmp);
    let n = errors.len().max(1);
    let mean_abs = errors.iter().map(|e| e.abs()).sum::<f64>() / n as f64;
    let at = |q: usize| errors.get(q * (n - 1) / 100).copied().unwrap_or(f64::NAN);
    println!(
        "{} articles, {} pairs; signatures in {elapsed:?}",
        articles.len(),
        articles.len() * articles.len().saturating_sub(1) / 2
    );
    println!(
        "pairs at or above {thresholds:?}: by signatures {by_estimate:?}, exactly {by_truth:?}"
    );
    println!("pairs sharing a band key: {candidates}; pairs at 0.5 or more sharing none: {missed}");
    println!(
        "signatures - exact over {} pairs compared: mean absolute {mean_abs:.4}, 1st percentile {:.3}, 99th {:.3}",
        errors.len(),
        at(1),
        at(99)
    );
    println!("highest signature similarity of a pair under 0.1: {worst_unrelated:.3}");

    // The in-process index over the file in order, all at one time.
    let mut index = MemoryIndex::new(Thresholds::default(), Window::default());
    let started = Instant::now();
    let mut kinds = [0; 3];
    for (n, signature) in signatures.iter().enumerate() {
        let decision = index.decide(&n.to_string(), signature, None);
        kinds[match decision.kind {
            StoryKind::Original => 0,
            StoryKind::Duplicate => 1,
            StoryKind::SameStory => 2,
        }] += 1;
    }
    println!(
        "in-process index, default thresholds: {} originals, {} duplicates, {} same story, in {:?}",
        kinds[0],
        kinds[1],
        kinds[2],
        started.elapsed()
    );
    Ok(())
}

//! Precision and recall of duplicate and same-story decisions on the
//! labelled pair set: the hand-labelled pairs of BBC `train.jsonl`
//! (`eval/stories/bbc-pairs.tsv`) plus edits made here of articles outside
//! any labelled pair (headline rewritten, a paragraph dropped, a paragraph
//! of another article added, agency boilerplate, capitals), each a
//! duplicate of its article. Every other pair of the file counts as
//! unrelated. A pair is found when the two signatures share a band (as the
//! index finds candidates) and is then judged by its estimated similarity
//! against the thresholds, swept here.
//!
//!     cargo run --release -p newsflow-stories --example story_eval -- \
//!         ../shared/data/bbc/train.jsonl eval/stories/bbc-pairs.tsv

use std::collections::{HashMap, HashSet};

use newsflow_core::StoryKind;
use newsflow_stories::{kind_of, Signature, Thresholds};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Label {
    Duplicate,
    SameStory,
    /// Related or unrelated: never to be merged.
    Other,
}

/// A pair: its similarity and containment if its signatures share a band,
/// its label, and its name.
type Judged = (Option<(f64, f64)>, Label, String);

struct Article {
    id: String,
    category: String,
    title: String,
    text: String,
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: story_eval ARTICLES.jsonl PAIRS.tsv";
    let (articles_path, pairs_path) = (args.next().ok_or(usage)?, args.next().ok_or(usage)?);
    let articles = read_articles(&articles_path)?;
    let index: HashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut labels: HashMap<(usize, usize), Label> = HashMap::new();
    let text = std::fs::read_to_string(&pairs_path).map_err(|e| format!("{pairs_path}: {e}"))?;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let at = |i: usize| {
            fields
                .get(i)
                .and_then(|id| index.get(id))
                .copied()
                .ok_or(format!("{pairs_path}:{}: unknown article", n + 1))
        };
        let (a, b) = (at(0)?, at(1)?);
        let label = match fields.get(2) {
            Some(&"duplicate") => Label::Duplicate,
            Some(&"same_story") => Label::SameStory,
            Some(&"related") => Label::Other,
            other => return Err(format!("{pairs_path}:{}: label {other:?}", n + 1)),
        };
        labels.insert((a.min(b), a.max(b)), label);
    }
    let signatures: Vec<Signature> = articles
        .iter()
        .map(|a| Signature::of_article(&a.title, &a.text))
        .collect();

    // Pairs of the file that share a band; all others are never compared.
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, signature) in signatures.iter().enumerate() {
        for band in signature.bands() {
            buckets.entry(band).or_default().push(i);
        }
    }
    let mut compared: HashSet<(usize, usize)> = HashSet::new();
    for members in buckets.values() {
        for (k, &a) in members.iter().enumerate() {
            for &b in &members[k + 1..] {
                compared.insert((a.min(b), a.max(b)));
            }
        }
    }
    // (similarity if compared, label) for every pair that matters: the
    // labelled ones and the compared ones; the rest are unrelated and not
    // compared, so never merged.
    let mut judged: Vec<Judged> = Vec::new();
    let pairs: HashSet<(usize, usize)> = labels.keys().chain(compared.iter()).copied().collect();
    for &(a, b) in &pairs {
        let similarity = compared.contains(&(a, b)).then(|| {
            (
                signatures[a].similarity(&signatures[b]),
                signatures[a].containment(&signatures[b]),
            )
        });
        let label = labels.get(&(a, b)).copied().unwrap_or(Label::Other);
        judged.push((
            similarity,
            label,
            format!("{} {}", articles[a].id, articles[b].id),
        ));
    }
    judged.sort_by(|x, y| x.2.cmp(&y.2));
    let bbc_positive = labels.values().filter(|l| **l != Label::Other).count();

    // Edits of articles outside any labelled pair.
    let labelled: HashSet<usize> = labels.keys().flat_map(|&(a, b)| [a, b]).collect();
    let bases: Vec<usize> = (0..articles.len())
        .filter(|i| !labelled.contains(i) && i % 6 == 0)
        .collect();
    let mut edits_by_kind: HashMap<&str, usize> = HashMap::new();
    for (n, &base) in bases.iter().enumerate() {
        let donor = &articles[(base + articles.len() / 2 + n) % articles.len()];
        for (kind, title, text) in edits(&articles[base], donor) {
            let edited = Signature::of_article(&title, &text);
            let original = &signatures[base];
            let shares_band = original.bands().zip(edited.bands()).any(|(x, y)| x == y);
            let similarity =
                shares_band.then(|| (original.similarity(&edited), original.containment(&edited)));
            judged.push((
                similarity,
                Label::Duplicate,
                format!("{} {kind}", articles[base].id),
            ));
            *edits_by_kind.entry(kind).or_default() += 1;
        }
    }
    println!(
        "{} articles, {} pairs compared (sharing a band); labelled: {} BBC pairs ({} duplicate or same story), {} edits {:?}",
        articles.len(),
        compared.len(),
        labels.len(),
        bbc_positive,
        edits_by_kind.values().sum::<usize>(),
        {
            let mut kinds: Vec<_> = edits_by_kind.into_iter().collect();
            kinds.sort();
            kinds
        }
    );
    println!();
    println!("| duplicate ≥ | containment ≥ | same story ≥ | or containment ≥ | duplicates P | R | same story P | R | other pairs merged |");
    println!("|---|---|---|---|---|---|---|---|---|");
    // 1.01: that containment rule off.
    let off = |share: f64| {
        if share > 1.0 {
            "–".to_string()
        } else {
            share.to_string()
        }
    };
    for (duplicate, duplicate_containment) in [
        (0.7, 0.85),
        (0.8, 0.85),
        (0.8, 0.9),
        (0.8, 1.01),
        (0.9, 0.85),
    ] {
        for same_story in [0.25, 0.3, 0.35, 0.4] {
            for same_story_containment in [0.5, 0.55, 0.6, 0.7, 1.01] {
                let thresholds = Thresholds {
                    duplicate,
                    same_story,
                    duplicate_containment,
                    same_story_containment,
                };
                let score = Score::of(&judged, &thresholds);
                let marker = if thresholds == Thresholds::default() {
                    " (default)"
                } else {
                    ""
                };
                println!(
                    "| {duplicate}{marker} | {} | {same_story} | {} | {} | {} | {} | {} | {} |",
                    off(duplicate_containment),
                    off(same_story_containment),
                    ratio(score.duplicate.0, score.duplicate.1),
                    ratio(score.duplicate.0, score.duplicate.2),
                    ratio(score.same_story.0, score.same_story.1),
                    ratio(score.same_story.0, score.same_story.2),
                    score.merged,
                );
            }
        }
    }
    let chosen = Thresholds::default();
    println!();
    println!("errors at the default thresholds {chosen:?}:");
    for (similarity, label, name) in &judged {
        let predicted = predict(*similarity, &chosen);
        if predicted != *label && !(predicted == Label::Other && *label == Label::Other) {
            println!("  {name}: labelled {label:?}, decided {predicted:?} (similarity, containment {similarity:?})");
        }
    }
    Ok(())
}

fn ratio(hits: usize, of: usize) -> String {
    if of == 0 {
        "–".into()
    } else {
        format!("{:.3} ({hits}/{of})", hits as f64 / of as f64)
    }
}

fn predict(similarity: Option<(f64, f64)>, thresholds: &Thresholds) -> Label {
    let kind = similarity.and_then(|(s, c)| kind_of(s, c, thresholds));
    match kind {
        Some(StoryKind::Duplicate) => Label::Duplicate,
        Some(StoryKind::SameStory) => Label::SameStory,
        _ => Label::Other,
    }
}

/// (true positives, predicted, labelled) per kind, and pairs labelled
/// neither that were merged.
struct Score {
    duplicate: (usize, usize, usize),
    same_story: (usize, usize, usize),
    merged: usize,
}

impl Score {
    fn of(judged: &[Judged], thresholds: &Thresholds) -> Score {
        let mut score = Score {
            duplicate: (0, 0, 0),
            same_story: (0, 0, 0),
            merged: 0,
        };
        for (similarity, label, _) in judged {
            let predicted = predict(*similarity, thresholds);
            for (kind, counts) in [
                (Label::Duplicate, &mut score.duplicate),
                (Label::SameStory, &mut score.same_story),
            ] {
                counts.0 += usize::from(predicted == kind && *label == kind);
                counts.1 += usize::from(predicted == kind);
                counts.2 += usize::from(*label == kind);
            }
            score.merged += usize::from(*label == Label::Other && predicted != Label::Other);
        }
        score
    }
}

/// Copies of `article` as outlets make them, each with its kind.
fn edits(article: &Article, donor: &Article) -> Vec<(&'static str, String, String)> {
    let paragraphs: Vec<&str> = article
        .text
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let middle = paragraphs.len() / 2;
    let donor_paragraph = donor
        .text
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .max_by_key(|p| p.len())
        .unwrap_or_default();
    let join = |ps: &[&str]| ps.join("\n\n");
    let mut out = vec![
        (
            "headline",
            format!("UPDATE: {} - latest", article.title.to_lowercase()),
            article.text.clone(),
        ),
        (
            "boilerplate",
            article.title.clone(),
            format!(
                "LONDON (Newswire) - {}\n\nReporting by Jane Roe; editing by John Doe. (c) 2005 Newswire. All rights reserved. Click here for more news.",
                article.text
            ),
        ),
        (
            "capitals",
            article.title.to_uppercase(),
            article.text.to_uppercase(),
        ),
    ];
    if paragraphs.len() >= 4 {
        let mut dropped = paragraphs.clone();
        dropped.remove(middle);
        out.push(("paragraph dropped", article.title.clone(), join(&dropped)));
        if donor.category != article.category {
            let mut added = paragraphs.clone();
            added.insert(middle, donor_paragraph);
            out.push(("paragraph added", article.title.clone(), join(&added)));
        }
    }
    out
}

fn read_articles(path: &str) -> Result<Vec<Article>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            let record: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
            let field = |name: &str| record[name].as_str().unwrap_or_default().to_string();
            Ok(Article {
                id: field("id"),
                category: field("category"),
                title: field("title"),
                text: field("text"),
            })
        })
        .collect()
}

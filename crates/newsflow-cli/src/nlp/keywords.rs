//! `newsflow nlp eval-keywords`: key phrases against phrases written by
//! hand.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use newsflow_nlp::Annotator;

use super::file_name;

#[derive(Debug, Args)]
pub struct EvalKeywordsArgs {
    /// JSON lines: `file` (an article, title line first, relative to the
    /// current folder) and `phrases` (each with its acceptable forms
    /// separated by `|`). Repeatable: each set is scored alone, then all
    /// together.
    #[arg(
        long,
        default_values = ["eval/keywords/samples.jsonl", "eval/keywords/blind.jsonl"]
    )]
    pub set: Vec<PathBuf>,
    /// Score another extractor's phrases instead of newsflow's: JSON lines
    /// of `file` and `phrases`, best first (`scripts/yake-keyphrases.py`
    /// writes them for YAKE).
    #[arg(long)]
    pub predicted: Option<PathBuf>,
    /// Print every article's phrases.
    #[arg(long)]
    pub verbose: bool,
}

pub fn eval_keywords(args: EvalKeywordsArgs) -> anyhow::Result<ExitCode> {
    // Another extractor's phrases, by file, or newsflow's own annotator.
    let source = match &args.predicted {
        Some(path) => PhraseSource::Given(read_phrase_lines(path)?.into_iter().collect()),
        None => PhraseSource::Annotator(Box::new(Annotator::with_default_models()?)),
    };
    let mut all = PhraseTally::default();
    for set in &args.set {
        let mut tally = PhraseTally::default();
        for (file, gold) in read_phrase_lines(set)? {
            let phrases = source.phrases(&file)?;
            let predicted: Vec<&str> = phrases.iter().take(10).map(String::as_str).collect();
            let gold: Vec<&str> = gold.iter().map(String::as_str).collect();
            let hits = newsflow_nlp::training::keyphrase_matches(&predicted, &gold);
            if args.verbose {
                println!("{file} ({hits} of {}): {predicted:?}", predicted.len());
            }
            tally.add(predicted.len(), gold.len(), hits);
        }
        tally.print(&file_name(set));
        all.add(tally.predicted, tally.gold, tally.matched);
    }
    if args.set.len() > 1 {
        all.print("all sets");
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the key phrases under evaluation come from.
enum PhraseSource {
    Given(HashMap<String, Vec<String>>),
    Annotator(Box<Annotator>),
}

impl PhraseSource {
    fn phrases(&self, file: &str) -> anyhow::Result<Vec<String>> {
        match self {
            Self::Given(by_file) => by_file
                .get(file)
                .cloned()
                .with_context(|| format!("{file}: not in the predicted phrases")),
            Self::Annotator(annotator) => {
                let text =
                    std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
                let article = newsflow_core::RawArticle::from_text(&text)
                    .with_context(|| format!("{file}: no title line"))?;
                let out = annotator.annotate(article, None);
                Ok(out.keywords.into_iter().map(|k| k.text).collect())
            }
        }
    }
}

/// Counts for precision and recall of key phrases.
#[derive(Default)]
struct PhraseTally {
    predicted: usize,
    gold: usize,
    matched: usize,
}

impl PhraseTally {
    fn add(&mut self, predicted: usize, gold: usize, matched: usize) {
        self.predicted += predicted;
        self.gold += gold;
        self.matched += matched;
    }

    fn print(&self, name: &str) {
        let precision = self.matched as f64 / self.predicted.max(1) as f64;
        let recall = self.matched as f64 / self.gold.max(1) as f64;
        let f1 = if self.matched == 0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        println!(
            "key phrases on {name}: precision {precision:.3} ({} of {}), recall {recall:.3} (of {}), F1 {f1:.3}",
            self.matched, self.predicted, self.gold
        );
    }
}

/// Reads JSON lines of `file` and `phrases` (a key-phrase set, or another
/// extractor's output).
fn read_phrase_lines(path: &Path) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut items = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let at = || format!("{} line {}", path.display(), i + 1);
        let item: serde_json::Value = serde_json::from_str(line).with_context(at)?;
        let file = item["file"]
            .as_str()
            .with_context(|| format!("{}: no file", at()))?
            .to_owned();
        let phrases = item["phrases"]
            .as_array()
            .with_context(|| format!("{}: no phrases", at()))?
            .iter()
            .filter_map(serde_json::Value::as_str)
            .map(str::to_owned)
            .collect();
        items.push((file, phrases));
    }
    Ok(items)
}

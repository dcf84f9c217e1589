//! `newsflow bench`: throughput figures for `docs/performance.md`, measured on the
//! machine it runs on. Use a release build.

mod pipeline;

use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand};
use newsflow_core::{EnrichedArticle, RawArticle};
use newsflow_nlp::{tokenize, Annotator};
use newsflow_stories::{MemoryIndex, Signature, Thresholds, Window};

use crate::annotate::default_threads;
use crate::broker::BrokerArgs;
use crate::in_order::map_in_order;
use crate::samples::SAMPLES;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Offline: enrich the bundled samples over and over, on one thread and
    /// on --threads, in alternating pairs.
    Annotate(BenchAnnotateArgs),
    /// What the broker costs: offline annotate (before and after) against
    /// produce → enrich → sink through --brokers (enrich and sink as separate
    /// processes), the ratio, latency at --rate, and each process's CPU and
    /// peak RSS.
    Pipeline(Box<BenchPipelineArgs>),
}

#[derive(Debug, Args)]
pub struct BenchAnnotateArgs {
    #[arg(long, default_value_t = 20_000)]
    pub articles: usize,
    /// Threads of the parallel run, paired with a one-thread run. Default:
    /// one per core.
    #[arg(long, default_value_t = default_threads())]
    pub threads: usize,
    /// Pairs of runs (one thread, then --threads; the order alternates).
    #[arg(long, default_value_t = 3)]
    pub repetitions: usize,
}

#[derive(Debug, Args)]
pub struct BenchPipelineArgs {
    #[arg(long, default_value_t = 20_000)]
    pub articles: usize,
    #[arg(long, default_value_t = 6)]
    pub partitions: i32,
    #[arg(long, default_value_t = 600)]
    pub timeout_secs: u64,
    /// Offered rate of the latency run, in articles per second.
    #[arg(long, default_value_t = 200.0)]
    pub rate: f64,
    /// Length of the latency run, in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub latency_secs: f64,
    /// Articles to send instead of the bundled samples: a RawArticle JSONL
    /// file, cycled up to --articles with fresh ids. Real articles of
    /// varied length fill the enricher's story window as a feed would.
    #[arg(long, value_name = "JSONL")]
    pub corpus: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

pub async fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Annotate(args) => annotate(args),
        BenchCommand::Pipeline(args) => pipeline::run(*args).await,
    }
}

/// `count` articles cycled from a RawArticle JSONL file, with fresh ids.
fn corpus_from(path: &std::path::Path, count: usize, run: &str) -> anyhow::Result<Vec<RawArticle>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    let mut articles = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let article: RawArticle = serde_json::from_str(line)
            .map_err(|e| anyhow::anyhow!("{} line {}: {e}", path.display(), n + 1))?;
        articles.push(article);
    }
    if articles.is_empty() {
        anyhow::bail!("{} holds no articles", path.display());
    }
    Ok((0..count)
        .map(|i| {
            let mut article = articles[i % articles.len()].clone();
            article.id = format!("bench-{run}-{i}");
            article
        })
        .collect())
}

/// The bundled samples, made distinct by a suffix so ids differ.
fn corpus(count: usize, run: &str) -> impl Iterator<Item = RawArticle> + '_ {
    (0..count).map(move |i| {
        let (_, text) = SAMPLES[i % SAMPLES.len()];
        let mut article = RawArticle::from_text(text).unwrap_or_else(|| RawArticle::new("", ""));
        article.id = format!("bench-{run}-{i}");
        article
    })
}

fn annotate(args: BenchAnnotateArgs) -> anyhow::Result<ExitCode> {
    let annotator = Annotator::with_default_models()?;
    let articles: Vec<RawArticle> = corpus(args.articles, "annotate").collect();
    // one warm-up pass over the distinct samples
    for article in articles.iter().take(SAMPLES.len()) {
        std::hint::black_box(annotator.annotate(article.clone(), None));
    }
    let threads = args.threads.max(1);
    let mut ratios = Vec::new();
    for repetition in 0..args.repetitions.max(1) {
        // The control: the tokenizer alone on one thread, to show whether
        // the machine's speed moved between pairs.
        let started = Instant::now();
        let control: usize = articles
            .iter()
            .map(|a| tokenize(&a.title).len() + tokenize(&a.body).len())
            .sum();
        let control_rate = control as f64 / started.elapsed().as_secs_f64();
        // with one thread asked for there is no pair, and nothing to swap
        let swapped = repetition % 2 == 1 && threads > 1;
        let mut order = [1, threads];
        if swapped {
            order.reverse();
        }
        let mut rates = [0.0; 2];
        let mut tokens = 0;
        for (slot, &n) in order.iter().enumerate() {
            let (secs, counted, _) = annotate_on(&annotator, &articles, n, false)?;
            rates[slot] = articles.len() as f64 / secs;
            tokens = counted;
            if threads == 1 {
                break;
            }
        }
        if swapped {
            rates.reverse();
        }
        if threads == 1 {
            println!(
                "annotate: {} articles, {tokens} tokens on 1 thread: {:.0} articles/s, {:.0} tokens/s; tokenizer control {:.1} M tokens/s",
                articles.len(),
                rates[0],
                rates[0] * tokens as f64 / articles.len() as f64,
                control_rate / 1e6
            );
            continue;
        }
        let ratio = rates[1] / rates[0];
        ratios.push(ratio);
        println!(
            "annotate pair {}: {} articles, {tokens} tokens: 1 thread {:.0} articles/s, {threads} threads {:.0} articles/s: {ratio:.2}x; tokenizer control {:.1} M tokens/s",
            repetition + 1,
            articles.len(),
            rates[0],
            rates[1],
            control_rate / 1e6
        );
    }
    if !ratios.is_empty() {
        ratios.sort_by(f64::total_cmp);
        let middle = ratios.len() / 2;
        let median = if ratios.len() % 2 == 0 {
            (ratios[middle - 1] + ratios[middle]) / 2.0
        } else {
            ratios[middle]
        };
        println!(
            "annotate: 1 -> {threads} threads: {median:.2}x (median of {} alternating pairs; {:.2}-{:.2})",
            ratios.len(),
            ratios[0],
            ratios[ratios.len() - 1]
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Enriches `articles` on `threads` threads as `newsflow annotate` does:
/// each record serialised to a JSON line and, with `stories`, its story
/// decided first, in input order, in an in-process index, as the
/// enricher's is. Returns the seconds taken, the tokens seen and the
/// records given a story.
fn annotate_on(
    annotator: &Annotator,
    articles: &[RawArticle],
    threads: usize,
    stories: bool,
) -> anyhow::Result<(f64, usize, usize)> {
    let started = Instant::now();
    let (mut tokens, mut with_story) = (0, 0);
    let mut index = stories.then(|| MemoryIndex::new(Thresholds::default(), Window::in_process()));
    let work = |article: &RawArticle| -> anyhow::Result<(usize, Annotated)> {
        let enriched = annotator.annotate(article.clone(), None);
        let counted = enriched.stats.title_tokens + enriched.stats.body_tokens;
        Ok(if stories {
            let signature = Signature::of_article(&enriched.title, &enriched.body);
            (counted, Annotated::Pending(Box::new(enriched), signature))
        } else {
            (counted, Annotated::Line(serde_json::to_vec(&enriched)?))
        })
    };
    map_in_order(articles.iter(), threads, work, |done| {
        let (counted, annotated) = done?;
        tokens += counted;
        let line = match annotated {
            Annotated::Line(line) => line,
            Annotated::Pending(mut enriched, signature) => {
                if let Some(index) = index.as_mut() {
                    let time = enriched.event_time();
                    enriched.story = Some(index.decide(&enriched.id, &signature, time));
                    with_story += 1;
                }
                serde_json::to_vec(&enriched)?
            }
        };
        std::hint::black_box(line);
        anyhow::Ok(())
    })?;
    Ok((started.elapsed().as_secs_f64(), tokens, with_story))
}

/// An article annotated on a worker: its JSON line, or the record and its
/// signature while its story is still to be decided.
enum Annotated {
    Line(Vec<u8>),
    Pending(Box<EnrichedArticle>, Signature),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_annotate_decides_stories_only_when_asked() {
        let annotator = Annotator::with_default_models().unwrap();
        let articles: Vec<RawArticle> = corpus(6, "stories").collect();
        for threads in [1, 2] {
            let (_, tokens, with_story) =
                annotate_on(&annotator, &articles, threads, true).unwrap();
            assert!(tokens > 0);
            assert_eq!(with_story, articles.len());
            let (_, _, with_story) = annotate_on(&annotator, &articles, threads, false).unwrap();
            assert_eq!(with_story, 0);
        }
    }

    #[test]
    fn a_corpus_file_is_cycled_with_fresh_ids_and_a_bad_line_is_named() {
        let dir = std::env::temp_dir().join(format!("newsflow-corpus-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.jsonl");
        std::fs::write(
            &good,
            "{\"id\":\"a\",\"title\":\"One\",\"body\":\"First.\"}\n\n{\"id\":\"b\",\"title\":\"Two\",\"body\":\"Second.\"}\n",
        )
        .unwrap();
        let articles = corpus_from(&good, 5, "t").unwrap();
        let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["One", "Two", "One", "Two", "One"]);
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "bench-t-0",
                "bench-t-1",
                "bench-t-2",
                "bench-t-3",
                "bench-t-4"
            ]
        );

        let bad = dir.join("bad.jsonl");
        std::fs::write(
            &bad,
            "{\"id\":\"a\",\"title\":\"One\",\"body\":\"x\"}\nnot json\n",
        )
        .unwrap();
        let error = corpus_from(&bad, 5, "t").unwrap_err().to_string();
        assert!(error.contains("line 2"), "{error}");
        let empty = dir.join("empty.jsonl");
        std::fs::write(&empty, "\n").unwrap();
        assert!(corpus_from(&empty, 5, "t").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! `newsflow bench`: throughput figures for `docs/performance.md`, measured on the
//! machine it runs on. Use a release build.

mod pipeline;

use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand};
use newsflow_core::RawArticle;
use newsflow_nlp::{tokenize, Annotator};

use crate::annotate::default_threads;
use crate::broker::BrokerArgs;
use crate::in_order::map_in_order;
use crate::samples::SAMPLES;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Offline: enrich the bundled samples over and over, on one thread and
    /// on --threads, in alternating pairs.
    Annotate(BenchAnnotateArgs),
    /// What the broker costs: offline annotate against produce → enrich →
    /// sink through --brokers (enrich and sink as separate processes), the
    /// ratio, latency at --rate, and each process's peak RSS.
    Pipeline(BenchPipelineArgs),
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
    #[command(flatten)]
    pub broker: BrokerArgs,
}

pub async fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Annotate(args) => annotate(args),
        BenchCommand::Pipeline(args) => pipeline::run(args).await,
    }
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
        let mut order = [1, threads];
        if repetition % 2 == 1 {
            order.reverse();
        }
        let mut rates = [0.0; 2];
        let mut tokens = 0;
        for (slot, &n) in order.iter().enumerate() {
            let (secs, counted) = annotate_on(&annotator, &articles, n)?;
            rates[slot] = articles.len() as f64 / secs;
            tokens = counted;
            if threads == 1 {
                break;
            }
        }
        if repetition % 2 == 1 {
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

/// Enriches `articles` on `threads` threads as `newsflow annotate` does
/// (each record serialised to a JSON line); returns the seconds taken and
/// the tokens seen.
fn annotate_on(
    annotator: &Annotator,
    articles: &[RawArticle],
    threads: usize,
) -> anyhow::Result<(f64, usize)> {
    let started = Instant::now();
    let mut tokens = 0;
    let work = |article: &RawArticle| -> anyhow::Result<(usize, Vec<u8>)> {
        let enriched = annotator.annotate(article.clone(), None);
        let counted = enriched.stats.title_tokens + enriched.stats.body_tokens;
        Ok((counted, serde_json::to_vec(&enriched)?))
    };
    map_in_order(articles.iter(), threads, work, |done| {
        let (counted, line) = done?;
        tokens += counted;
        std::hint::black_box(line);
        anyhow::Ok(())
    })?;
    Ok((started.elapsed().as_secs_f64(), tokens))
}

//! `newsflow bench`: throughput figures for `docs/performance.md`, measured on the
//! machine it runs on. Use a release build.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use newsflow_core::RawArticle;
use newsflow_kafka::{ensure_topics, TopicSpec};
use newsflow_nlp::Annotator;
use newsflow_producer::{Item, Origin};

use crate::broker::BrokerArgs;
use crate::in_process::{self, Topics};
use crate::samples::SAMPLES;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Offline: enrich the bundled samples over and over on one thread.
    Annotate(BenchAnnotateArgs),
    /// Produce articles to fresh topics on --brokers, then enrich and sink
    /// them in this process; reports articles per second.
    Pipeline(BenchPipelineArgs),
}

#[derive(Debug, Args)]
pub struct BenchAnnotateArgs {
    #[arg(long, default_value_t = 20_000)]
    pub articles: usize,
}

#[derive(Debug, Args)]
pub struct BenchPipelineArgs {
    #[arg(long, default_value_t = 20_000)]
    pub articles: usize,
    #[arg(long, default_value_t = 6)]
    pub partitions: i32,
    #[arg(long, default_value_t = 600)]
    pub timeout_secs: u64,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

pub async fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Annotate(args) => annotate(args),
        BenchCommand::Pipeline(args) => pipeline(args).await,
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
    let started = Instant::now();
    let mut tokens = 0usize;
    for article in articles {
        let enriched = annotator.annotate(article, None);
        tokens += enriched.stats.title_tokens + enriched.stats.body_tokens;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "annotate: {} articles, {tokens} tokens in {secs:.3} s on 1 thread: {:.0} articles/s, {:.0} tokens/s",
        args.articles,
        args.articles as f64 / secs,
        tokens as f64 / secs
    );
    Ok(ExitCode::SUCCESS)
}

async fn pipeline(args: BenchPipelineArgs) -> anyhow::Result<ExitCode> {
    let kafka = &args.broker.connect().await?;
    let run = format!("{}", std::process::id());
    let topics = Topics {
        raw: format!("bench-{run}.raw"),
        enriched: format!("bench-{run}.enriched"),
        dlq: format!("bench-{run}.dlq"),
        group: format!("bench-{run}"),
    };
    let specs = [&topics.raw, &topics.enriched, &topics.dlq]
        .map(|t| TopicSpec::new(t.as_str(), args.partitions, 1));
    ensure_topics(kafka, &specs).await?;

    let items = corpus(args.articles, &run).map(|article| Item::Article {
        origin: Origin::Named(article.id.clone()),
        article: Box::new(article),
    });
    let started = Instant::now();
    let produced =
        newsflow_producer::produce(kafka, &topics.raw, items, Duration::from_secs(30)).await?;
    let produce_secs = started.elapsed().as_secs_f64();
    println!(
        "produce:  {} articles in {produce_secs:.2} s: {:.0} articles/s",
        produced.sent,
        produced.sent as f64 / produce_secs
    );

    let sink_dir = std::env::temp_dir().join(format!("newsflow-bench-{run}"));
    let outcome = in_process::run(
        kafka,
        &topics,
        sink_dir.clone(),
        produced.sent,
        Duration::from_secs(args.timeout_secs),
    )
    .await?;
    let _ = std::fs::remove_dir_all(&sink_dir);
    let done = outcome.sink.delivered();
    let total = outcome.elapsed.as_secs_f64();
    let warm = outcome.first_output.map_or(0.0, |d| d.as_secs_f64());
    println!(
        "enrich + JSONL sink: {done} articles in {total:.2} s ({:.0} articles/s); after the first output ({warm:.2} s of group joins): {:.0} articles/s",
        done as f64 / total,
        done.saturating_sub(1) as f64 / (total - warm).max(1e-9)
    );
    Ok(if done == produced.sent {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

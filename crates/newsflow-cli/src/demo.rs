//! `newsflow demo`: the whole pipeline in one process, on librdkafka's
//! in-process mock broker, over the bundled samples. The same produce,
//! enrich and sink code runs as in production; only the broker is embedded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use newsflow_core::{EnrichedArticle, RawArticle};
use newsflow_kafka::{KafkaConfig, PipelineStats};
use newsflow_producer::{Item, Origin};
use rdkafka::mocking::MockCluster;

use crate::in_process::{self, Topics};
use crate::samples::SAMPLES;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory for the JSONL output.
    #[arg(long, default_value = "demo-output")]
    pub output: PathBuf,
    /// Give up if the pipeline has not finished after this many seconds.
    #[arg(long, default_value_t = 120)]
    pub timeout_secs: u64,
}

const RAW: &str = "articles.raw";
const ENRICHED: &str = "articles.enriched";
const DLQ: &str = "articles.dlq";

pub async fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let cluster = MockCluster::new(1).context("starting the in-process broker")?;
    for topic in [RAW, ENRICHED, DLQ] {
        cluster.create_topic(topic, 3, 1)?;
    }
    let kafka = KafkaConfig::new(cluster.bootstrap_servers());
    println!("newsflow demo: in-process broker at {}", kafka.brokers);

    let items = SAMPLES
        .iter()
        .map(|(name, text)| match RawArticle::from_text(text) {
            Some(article) => Item::Article {
                origin: Origin::Named((*name).to_string()),
                article: Box::new(article),
            },
            None => Item::Failed {
                origin: Origin::Named((*name).to_string()),
                reason: "empty sample".into(),
            },
        });
    let produced = newsflow_producer::produce(&kafka, RAW, items, Duration::from_secs(10)).await?;
    println!("produced {} sample articles to {RAW}", produced.sent);

    let run_dir = args.output.join(chrono_stamp());
    let topics = Topics {
        raw: RAW.into(),
        enriched: ENRICHED.into(),
        dlq: DLQ.into(),
        group: "newsflow-demo".into(),
    };
    let expected = produced.sent;
    let timeout = Duration::from_secs(args.timeout_secs);
    let outcome = in_process::run(&kafka, &topics, run_dir.clone(), expected, timeout).await?;

    let records = read_output(&run_dir)?;
    print_summary(&records, &outcome.enrich, &run_dir, started.elapsed());
    Ok(if records.len() as u64 == expected {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "error: expected {expected} enriched articles, found {}",
            records.len()
        );
        ExitCode::FAILURE
    })
}

fn chrono_stamp() -> String {
    format!(
        "run-{}",
        newsflow_core::now_rfc3339().replace([':', '.'], "-")
    )
}

fn read_output(dir: &Path) -> anyhow::Result<Vec<EnrichedArticle>> {
    let mut records = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file)?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            records.push(
                serde_json::from_str(line)
                    .with_context(|| format!("reading {}", file.display()))?,
            );
        }
    }
    Ok(records)
}

fn print_summary(
    records: &[EnrichedArticle],
    enrich: &PipelineStats,
    dir: &Path,
    elapsed: Duration,
) {
    let mut languages: BTreeMap<&str, usize> = BTreeMap::new();
    let mut entity_types: BTreeMap<&str, usize> = BTreeMap::new();
    let mut topics: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tokens = 0;
    for r in records {
        *languages.entry(r.language.code.as_str()).or_default() += 1;
        for e in &r.entities {
            *entity_types.entry(e.kind.as_str()).or_default() += 1;
        }
        if let Some(top) = r.topics.first() {
            *topics.entry(top.label.as_str()).or_default() += 1;
        }
        tokens += r.stats.title_tokens + r.stats.body_tokens;
    }
    println!();
    println!("articles enriched:  {}", records.len());
    println!("dead-lettered:      {}", enrich.dead_lettered());
    println!("tokens analysed:    {tokens}");
    println!("languages:          {}", join(&languages));
    println!(
        "entities by type:   {}",
        if entity_types.is_empty() {
            "(no entity model yet)".into()
        } else {
            join(&entity_types)
        }
    );
    println!(
        "top topics:         {}",
        if topics.is_empty() {
            "(no topic model yet)".into()
        } else {
            join(&topics)
        }
    );
    println!("output:             {}", dir.display());
    println!("took:               {:.1} s", elapsed.as_secs_f64());
}

fn join(counts: &BTreeMap<&str, usize>) -> String {
    let mut v: Vec<_> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

//! `newsflow replay`: plan a range of the raw topic, then enrich it again
//! into an output topic, with a progress bar.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsflow_enricher::EnrichOptions;
use newsflow_kafka::Bound;
use newsflow_kafka::{PipelineOptions, PipelineStats};

use crate::broker::BrokerArgs;
use crate::enrich::EnrichOutputArgs;
use crate::http::HttpArgs;
use crate::watchdog::StallArgs;

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Topic to read again.
    #[arg(long, env = "NEWSFLOW_RAW_TOPIC", default_value = "articles.raw")]
    pub input_topic: String,
    /// Start: an RFC 3339 time, per-partition offsets (0:120,1:98; other
    /// partitions are not read), or earliest.
    #[arg(long, env = "NEWSFLOW_REPLAY_FROM", default_value = "earliest")]
    pub from: Bound,
    /// End (exclusive): an RFC 3339 time, per-partition offsets (others end
    /// at their high watermark), or latest. Default: the high watermarks
    /// when the replay starts.
    #[arg(long, env = "NEWSFLOW_REPLAY_TO", default_value = "latest")]
    pub to: Bound,
    /// Group id under which the replay commits its progress; never the live
    /// enrich group's. Partitions are assigned directly, so no group
    /// rebalances.
    #[arg(long, env = "NEWSFLOW_REPLAY_GROUP", default_value = "newsflow-replay")]
    pub group: String,
    /// Records per second at most.
    #[arg(long, env = "NEWSFLOW_REPLAY_RATE")]
    pub rate: Option<f64>,
    /// Print the plan (partitions, offsets, record counts) and stop.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: EnrichOutputArgs,
    #[command(flatten)]
    pub watchdog: StallArgs,
    #[command(flatten)]
    pub http: HttpArgs,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

impl ReplayArgs {
    pub fn options(&self) -> anyhow::Result<EnrichOptions> {
        self.output.options(&self.input_topic, &self.group)
    }
}

pub async fn run(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    let kafka = &args.broker.connect().await?;
    let plan = newsflow_kafka::plan_replay(kafka, &args.input_topic, &args.from, &args.to).await?;
    if args.dry_run {
        println!("{plan}");
        println!(
            "would enrich into {} (dead letters to {}) as group {}{}",
            args.output.output_topic,
            args.output.dlq_topic,
            args.group,
            args.rate
                .map(|r| format!(", at most {r} records/s"))
                .unwrap_or_default()
        );
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("{plan}");
    let total = plan.total();
    if total == 0 {
        eprintln!("replay: nothing to read");
        return Ok(ExitCode::SUCCESS);
    }
    let options = args.options()?;
    let annotator = Arc::new(args.output.languages.annotator()?);
    let mut pipeline = PipelineOptions::ranges(&args.group, plan.ranges, &options.dlq_topic);
    pipeline.max_rate = args.rate;
    pipeline.limit_in_flight(options.in_flight);
    pipeline.watchdog = args.watchdog.watchdog();

    let stats = Arc::new(PipelineStats::default());
    let shutdown = newsflow_kafka::shutdown_on_signals();
    args.http
        .serve(crate::http::Ops::Pipeline(stats.clone()), shutdown.clone())
        .await?;
    let started = Instant::now();
    let bar = progress_bar(total);
    let ticker = {
        let (bar, stats) = (bar.clone(), stats.clone());
        tokio::spawn(async move {
            loop {
                bar.set_position(stats.delivered() + stats.dead_lettered());
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let result = newsflow_enricher::run_pipeline(
        kafka,
        &options,
        pipeline,
        annotator,
        stats.clone(),
        shutdown,
    )
    .await;
    ticker.abort();
    let done = stats.delivered() + stats.dead_lettered();
    bar.set_position(done);
    bar.finish_and_clear();
    result?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "replay: {} enriched into {}, {} dead-lettered, in {seconds:.1} s ({:.0} records/s){}",
        stats.delivered(),
        options.output_topic,
        stats.dead_lettered(),
        done as f64 / seconds.max(1e-9),
        if done < total {
            format!("; stopped early, {} of {total} records done", done)
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Drawn on a terminal only; elsewhere (logs, CI) the summary line says it.
fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} records, {per_sec}, ETA {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

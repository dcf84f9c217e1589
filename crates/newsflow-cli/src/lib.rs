//! `newsflow`: one binary for every role of the pipeline. This crate parses
//! arguments and wires the other crates together; it holds no logic of its
//! own beyond that. It is a library so that the fuzz targets (`fuzz/`) can
//! reach the config-file reader; the binary only calls [`main`].

mod annotate;
mod args;
mod bench;
pub mod config_file;
mod demo;
mod deploy_check;
mod http;
mod in_process;
mod logging;
mod nlp;
mod nlp_topics;
mod replay;
mod samples;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use newsflow_kafka::topics::{ensure_topics, TopicSpec};
use newsflow_kafka::PipelineStats;

use args::{Cli, Command};

/// The whole `newsflow` command.
pub fn main() -> ExitCode {
    let file_properties = match apply_config_file() {
        Ok(properties) => properties,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let mut cli = Cli::parse();
    // The file's librdkafka properties come first: the command line's -X,
    // applied later, wins.
    cli.kafka.properties.splice(0..0, file_properties);
    // The demo prints its own summary; routine logs would bury it.
    let default_level = if matches!(cli.command, Command::Demo(_)) {
        "warn"
    } else {
        "info"
    };
    logging::init(cli.log_format, default_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(
            std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .max(2),
        )
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Finds `--config` (or `NEWSFLOW_CONFIG`) and the command with a lenient
/// first reading of the command line, and applies the file; the real
/// parse comes after, with the file's settings in place.
fn apply_config_file() -> anyhow::Result<Vec<(String, String)>> {
    use clap::CommandFactory;
    let Ok(matches) = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(std::env::args_os())
    else {
        return Ok(Vec::new());
    };
    let Some(path) = matches.get_one::<std::path::PathBuf>("config") else {
        return Ok(Vec::new());
    };
    let command = matches.subcommand_name().unwrap_or_default();
    config_file::apply(path, command)
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let kafka = cli.kafka.config();
    let uses_broker = matches!(
        cli.command,
        Command::Produce(_) | Command::Enrich(_) | Command::Sink(_) | Command::Replay(_)
    );
    if uses_broker && kafka.security != Default::default() {
        // Credentials are checked once, up front: a wrong password would
        // otherwise look like brokers that never answer.
        kafka.validate().map_err(anyhow::Error::msg)?;
        newsflow_kafka::connection::check(&kafka, std::time::Duration::from_secs(15)).await?;
    }
    match cli.command {
        Command::Produce(args) => {
            kafka.validate().map_err(anyhow::Error::msg)?;
            if !args.no_create_topic {
                ensure_topics(
                    &kafka,
                    &[TopicSpec::new(
                        &args.topic,
                        args.partitions,
                        args.replication,
                    )],
                )
                .await?;
            }
            let timeout = args.timeout();
            if let Some(addr) = args.http {
                return ingest(&kafka, &args, addr).await;
            }
            let items = newsflow_producer::sources::read_inputs(args.inputs, args.max_record_bytes);
            let summary = newsflow_producer::produce(&kafka, &args.topic, items, timeout).await?;
            eprintln!("produce: {summary} (topic {})", args.topic);
            Ok(if summary.failed > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Enrich(args) => {
            let annotator = Arc::new(args.output.languages.annotator()?);
            let stats = Arc::new(PipelineStats::default());
            let shutdown = newsflow_kafka::shutdown::on_signals();
            args.http
                .serve(http::Ops::Pipeline(stats.clone()), shutdown.clone())
                .await?;
            newsflow_enricher::run(&kafka, &args.options(), annotator, stats, shutdown).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Sink(args) => {
            let target = args.target()?;
            let stats = Arc::new(PipelineStats::default());
            let shutdown = newsflow_kafka::shutdown::on_signals();
            args.http
                .serve(http::Ops::Pipeline(stats.clone()), shutdown.clone())
                .await?;
            kafka.validate().map_err(anyhow::Error::msg)?;
            if let Some(from) = args.from {
                let offsets = newsflow_kafka::offsets::reset_group_to_time(
                    &kafka,
                    &args.group,
                    &args.input_topic,
                    from.timestamp_millis(),
                )
                .await?;
                tracing::info!(group = args.group, from = %from.to_rfc3339(), ?offsets, "group moved to the start time");
            }
            match target {
                args::SinkTarget::Jsonl(options) => {
                    newsflow_sink::run_jsonl(&kafka, &args.options(), options, stats, shutdown)
                        .await?
                }
                args::SinkTarget::Postgres(options) => {
                    tracing::info!(database = options.describe(), "PostgreSQL sink");
                    newsflow_sink::run_postgres(&kafka, &args.options(), options, stats, shutdown)
                        .await?
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Replay(args) => replay::run(&kafka, args).await,
        Command::Annotate(args) => annotate::run(args),
        Command::Demo(args) => demo::run(args).await,
        Command::Bench(command) => bench::run(&kafka, command).await,
        Command::Nlp(command) => nlp::run(command),
    }
}

/// `produce --http`: the ingest endpoint, until SIGTERM.
async fn ingest(
    kafka: &newsflow_kafka::KafkaConfig,
    args: &args::ProduceArgs,
    addr: std::net::SocketAddr,
) -> anyhow::Result<ExitCode> {
    use newsflow_producer::ingest::{Ingest, IngestOptions};
    let producer = kafka
        .ingest_producer(args.timeout().as_millis() as u64)
        .create()?;
    let ingest = Ingest::new(
        producer,
        IngestOptions {
            topic: args.topic.clone(),
            max_body_bytes: args.max_body_bytes,
            max_record_bytes: args.max_record_bytes,
            token: args.token.clone(),
        },
    );
    let shutdown = newsflow_kafka::shutdown::on_signals();
    let server = http::serve(
        addr,
        http::Ops::Always(ingest.clone()),
        ingest.router(),
        shutdown,
    )
    .await?;
    tracing::info!(%addr, topic = args.topic, "accepting articles at POST /v1/articles");
    server.await?;
    Ok(ExitCode::SUCCESS)
}

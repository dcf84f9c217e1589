//! `newsflow bench pipeline`: what the broker costs. In one run on one
//! machine it measures offline `annotate` on the threads the enricher gets,
//! then the same articles produced → enriched → sunk through the broker
//! with enrich and sink as separate processes, the latency from produce to
//! enriched record at a fixed offered rate, each process's CPU and peak
//! resident set, offline `annotate` once more, and the ratio of the rate
//! through the broker to the mean of the two offline rates.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{DateTime, SecondsFormat, Utc};
use newsflow_core::RawArticle;
use newsflow_kafka::{ensure_topics, KafkaConfig, Producer, TopicSpec};
use newsflow_nlp::Annotator;
use newsflow_producer::{Item, Origin};

use super::{annotate_on, corpus, BenchPipelineArgs};
use crate::annotate::default_threads;

/// One role (`enrich` or `sink`) running as a child process, watched
/// through its `/status`.
struct Role {
    name: &'static str,
    child: Child,
    port: u16,
}

impl Role {
    fn start(
        name: &'static str,
        args: &[String],
        kafka: &KafkaConfig,
        log: &Path,
    ) -> anyhow::Result<Role> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let exe = std::env::current_exe().context("finding this program")?;
        let mut command = Command::new(exe);
        command.arg(name).args(args).arg("-b").arg(&kafka.brokers);
        for (key, value) in &kafka.properties {
            command.arg("-X").arg(format!("{key}={value}"));
        }
        command
            .arg("--http")
            .arg(format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log)?);
        let child = command
            .spawn()
            .with_context(|| format!("starting {name}"))?;
        Ok(Role { name, child, port })
    }

    /// Its `/status`; `None` while it does not answer.
    fn status(&self) -> Option<serde_json::Value> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        stream
            .write_all(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        let (_, body) = response.split_once("\r\n\r\n")?;
        serde_json::from_str(body).ok()
    }

    /// Records it delivered so far; `None` while it does not answer.
    fn delivered(&self) -> Option<u64> {
        self.status()?["delivered"].as_u64()
    }

    /// Waits until the group has given it partitions, so that its join is
    /// not counted in the throughput of the role started after it.
    async fn joined(&self, timeout: Duration) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            let assigned = self
                .status()
                .and_then(|s| s["partitions"].as_array().map(Vec::len));
            if assigned.unwrap_or(0) > 0 {
                return Ok(());
            }
            anyhow::ensure!(
                started.elapsed() < timeout,
                "{} had no partitions after {timeout:?}",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Its peak resident set in MB, while it still runs (Linux).
    fn peak_rss_mb(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1000.0)
    }

    /// CPU seconds it has used so far, user and system (Linux).
    fn cpu_secs(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        cpu_secs_of_stat(&stat)
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// User plus system CPU seconds from a `/proc/PID/stat` line: fields 14
/// and 15, counted after the command name, which may hold spaces.
fn cpu_secs_of_stat(stat: &str) -> Option<f64> {
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    // SAFETY: sysconf reads a constant of the system and has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    (ticks > 0).then(|| (user + system) / ticks as f64)
}

/// Waits until `last` delivered `want` records; returns when `first`
/// delivered its first record and when `last` delivered the last, or an
/// error after `timeout`.
async fn wait_for(
    first: &Role,
    last: &Role,
    want: u64,
    timeout: Duration,
) -> anyhow::Result<(Duration, Duration)> {
    let started = Instant::now();
    let mut began = None;
    loop {
        if began.is_none() && first.delivered().unwrap_or(0) > 0 {
            began = Some(started.elapsed());
        }
        let delivered = last.delivered().unwrap_or(0);
        if delivered >= want {
            return Ok((began.unwrap_or_default(), started.elapsed()));
        }
        anyhow::ensure!(
            started.elapsed() < timeout,
            "{} delivered {delivered} of {want} in {timeout:?}",
            last.name
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sends `count` articles at `rate` per second, each stamped with the time
/// it was sent as its `ingested_at`. One warm-up article goes first and is
/// acknowledged before the clock starts: a new producer spends its first
/// few hundred milliseconds on metadata and its idempotence handshake, which
/// a long-running producer has long paid. Returns the articles sent.
async fn send_at_rate(
    kafka: &KafkaConfig,
    topic: &str,
    count: usize,
    rate: f64,
    run: &str,
) -> anyhow::Result<u64> {
    let producer = Producer::for_ingest(kafka, Duration::from_secs(30))?;
    if let Some(mut warm_up) = corpus(1, run).next() {
        warm_up.id = format!("warm-up-{run}");
        let record = newsflow_producer::to_record(&warm_up)?;
        let ack = producer
            .enqueue(topic, &record)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        ack.await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    let started = tokio::time::Instant::now();
    let mut acks = Vec::with_capacity(count);
    for (i, mut article) in corpus(count, run).enumerate() {
        tokio::time::sleep_until(started + Duration::from_secs_f64(i as f64 / rate)).await;
        article.id = format!("latency-{run}-{i}");
        article.ingested_at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let record = newsflow_producer::to_record(&article)?;
        acks.push(
            producer
                .enqueue(topic, &record)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?,
        );
    }
    for ack in acks {
        ack.await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    Ok(count as u64 + 1)
}

/// Milliseconds from `ingested_at` to `enriched_at` of the latency run's
/// records in the sink's files, sorted.
fn latencies(dir: &Path, run: &str) -> anyhow::Result<Vec<f64>> {
    let prefix = format!("latency-{run}-");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let text = std::fs::read_to_string(entry?.path())?;
        for line in text.lines() {
            let Ok(record) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if !record["id"]
                .as_str()
                .is_some_and(|id| id.starts_with(&prefix))
            {
                continue;
            }
            let time = |v: &serde_json::Value| {
                v.as_str()
                    .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            };
            if let (Some(sent), Some(enriched)) = (
                time(&record["ingested_at"]),
                time(&record["provenance"]["enriched_at"]),
            ) {
                out.push((enriched - sent).num_microseconds().unwrap_or(0) as f64 / 1000.0);
            }
        }
    }
    out.sort_by(f64::total_cmp);
    Ok(out)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub async fn run(args: BenchPipelineArgs) -> anyhow::Result<ExitCode> {
    let kafka = &args.broker.connect().await?;
    let run = format!("{}", std::process::id());
    let (raw, enriched, dlq) = (
        format!("bench-{run}.raw"),
        format!("bench-{run}.enriched"),
        format!("bench-{run}.dlq"),
    );
    let specs = [&raw, &enriched, &dlq].map(|t| TopicSpec::new(t.as_str(), args.partitions, 1));
    ensure_topics(kafka, &specs).await?;
    let work: PathBuf = std::env::temp_dir().join(format!("newsflow-bench-{run}"));
    std::fs::create_dir_all(&work)?;

    // Offline, on the threads the enricher gets (one per core), doing what
    // it does: the enricher decides stories by default, and so does
    // `newsflow annotate`.
    let threads = default_threads();
    let articles: Vec<RawArticle> = match &args.corpus {
        Some(path) => super::corpus_from(path, args.articles, &run)?,
        None => corpus(args.articles, &run).collect(),
    };
    // The machine's speed drifts over a run; offline annotate is measured
    // before the broker run and again after it, and the ratio uses both.
    let annotator = Annotator::with_default_models()?;
    let offline_rate = |when: &str| -> anyhow::Result<f64> {
        let (secs, _, _) = annotate_on(&annotator, &articles, threads, true)?;
        let rate = articles.len() as f64 / secs;
        println!(
            "offline annotate {when} (stories decided, as the enricher does): {} articles on {threads} threads: {rate:.0} articles/s",
            articles.len()
        );
        Ok(rate)
    };
    let offline_before = offline_rate("before")?;

    let items = articles.iter().cloned().map(|article| Item::Article {
        origin: Origin::Named(article.id.clone()),
        article: Box::new(article),
    });
    let produced = newsflow_producer::produce(kafka, &raw, items, Duration::from_secs(30)).await?;
    println!("produced {} articles to {raw}", produced.sent);

    // The sink joins its group first, so that the throughput below, from
    // the enricher's first record to the sink's last, holds no group join.
    let timeout = Duration::from_secs(args.timeout_secs);
    let sink_dir = work.join("jsonl");
    let sink = Role::start(
        "sink",
        &[
            "--input-topic",
            &enriched,
            "--dlq-topic",
            &dlq,
            "--group",
            &format!("bench-{run}-sink"),
            "--to",
            &format!("jsonl:{}", sink_dir.display()),
        ]
        .map(str::to_string),
        kafka,
        &work.join("sink.log"),
    )?;
    if let Err(e) = sink.joined(timeout).await {
        sink.stop();
        return Err(e);
    }
    let enrich = match Role::start(
        "enrich",
        &[
            "--input-topic",
            &raw,
            "--output-topic",
            &enriched,
            "--dlq-topic",
            &dlq,
            "--group",
            &format!("bench-{run}-enrich"),
        ]
        .map(str::to_string),
        kafka,
        &work.join("enrich.log"),
    ) {
        Ok(enrich) => enrich,
        Err(e) => {
            sink.stop();
            return Err(e);
        }
    };
    let outcome = async {
        let (first, last) = wait_for(&enrich, &sink, produced.sent, timeout).await?;
        let through = produced.sent.saturating_sub(1) as f64 / (last - first).as_secs_f64().max(1e-9);
        println!(
            "through the broker (enrich and JSONL sink as processes): {} articles in {:.2} s; {through:.0} articles/s from the enricher's first record to the sink's last ({:.2} s of the enricher's group join before)",
            produced.sent,
            last.as_secs_f64(),
            first.as_secs_f64()
        );
        // Where the cores went while the backlog drained (the broker's
        // share is the rest): a role's CPU per article says what it costs.
        for role in [&enrich, &sink] {
            if let Some(secs) = role.cpu_secs() {
                println!(
                    "CPU of {} so far: {secs:.2} s, {:.2} ms per article",
                    role.name,
                    secs * 1000.0 / produced.sent.max(1) as f64
                );
            }
        }

        let count = (args.rate * args.latency_secs).round() as usize;
        let sent = send_at_rate(kafka, &raw, count, args.rate, &run).await?;
        wait_for(&enrich, &sink, produced.sent + sent, timeout).await?;
        let sorted = latencies(&sink_dir, &run)?;
        println!(
            "latency at {:.0} articles/s offered, from `ingested_at` (sent) to `enriched_at` ({} records): p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
            args.rate,
            sorted.len(),
            percentile(&sorted, 50.0),
            percentile(&sorted, 95.0),
            percentile(&sorted, 99.0)
        );
        for role in [&enrich, &sink] {
            match role.peak_rss_mb() {
                Some(mb) => println!("peak RSS of {}: {mb:.1} MB", role.name),
                None => println!("peak RSS of {}: not known here", role.name),
            }
        }
        anyhow::Ok(through)
    }
    .await;
    enrich.stop();
    sink.stop();
    let _ = std::fs::remove_dir_all(&work);
    let through = outcome?;
    // with the roles stopped, so that they do not share the cores with it
    let offline_after = offline_rate("after")?;
    let offline = (offline_before + offline_after) / 2.0;
    println!(
        "ratio to offline annotate: {:.2} (to the mean of before and after; {:.2} to before alone)",
        through / offline,
        through / offline_before
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_is_read_after_a_command_name_with_spaces() {
        // utime 250 and stime 50 ticks; the name holds a space and a ')'
        let stat = "4242 (new flow) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 9 0";
        // SAFETY: as in `cpu_secs_of_stat`.
        let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        let secs = cpu_secs_of_stat(stat).expect("parsed");
        assert!((secs - 300.0 / ticks).abs() < 1e-9, "{secs}");
        assert_eq!(cpu_secs_of_stat("4242 (newsflow S 1"), None);
        assert_eq!(cpu_secs_of_stat("4242 (newsflow) S 1 2"), None);
    }
}

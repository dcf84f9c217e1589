//! The operator's bad day: 10,000 articles stream in while the broker
//! (Tansu on its SQLite file), the enricher and both sinks are killed with
//! SIGKILL and restarted on a fixed, seeded schedule. Every article the
//! producer said it sent reaches the JSONL files and PostgreSQL; duplicates
//! (JSONL only: PostgreSQL upserts) are counted and reported.
//!
//! Roles run with `--exit-when-stuck` and, like compose's `restart:
//! on-failure`, are started again when they exit with an error: after a
//! broker restart Tansu can leave a member without partitions for good,
//! and a new process is what gets them back. Restarts are reported.
//!
//! The test runs a Tansu of its own, since it kills and restarts it.
//! `NEWSFLOW_CHAOS_SEEDS=1,2,3` picks other schedules.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use newsflow_tests::postgres::TestDatabase;
use newsflow_tests::*;

const ARTICLES: usize = 10_000;
const BATCH: usize = 500;
/// One batch every this long: 20 batches span the 70 s of kills.
const PRODUCE_EVERY: Duration = Duration::from_millis(3_300);
/// The seeds CI runs: each is one kill schedule.
const SEEDS: &[u64] = &[1, 2];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Broker,
    Enrich,
    JsonlSink,
    PostgresSink,
}

/// What gets killed, and when (seconds after the stream starts): the
/// broker three times, the enricher twice, the JSONL sink once, the
/// PostgreSQL sink twice, at times drawn from `seed`.
fn schedule(seed: u64) -> Vec<(f64, Role)> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        // xorshift64*: enough to spread kills, the same for the same seed.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    };
    let roles = [
        Role::Broker,
        Role::Enrich,
        Role::PostgresSink,
        Role::Broker,
        Role::JsonlSink,
        Role::Enrich,
        Role::PostgresSink,
        Role::Broker,
    ];
    // One kill in each of eight 8-second windows, so that restarts have
    // time to happen in between.
    roles
        .iter()
        .enumerate()
        .map(|(i, role)| (4.0 + 8.0 * i as f64 + 6.0 * next(), *role))
        .collect()
}

/// `newsflow produce` of one batch file until it exits 0: the producer's
/// word that every record of it is acknowledged. Returns the attempts.
fn produce_batch(file: &Path, topic: &str, log: &Path) -> usize {
    for attempt in 1.. {
        let output = Command::new(newsflow_bin())
            .args([
                "produce",
                "-b",
                &brokers(),
                "--no-create-topic",
                "--timeout-secs",
                "10",
            ])
            .args(["--topic", topic])
            .arg(file)
            .output()
            .expect("running newsflow produce");
        let text = String::from_utf8_lossy(&output.stderr).into_owned();
        let _ = std::fs::write(log.join(format!("produce-{attempt}.log")), &text);
        // The exit status must agree with the summary: 0 only when
        // nothing failed, non-zero whenever something did.
        let clean = text.contains("failed 0 ");
        if output.status.success() {
            assert!(clean, "exit 0 with failures: {text}");
            return attempt;
        }
        assert!(
            !clean,
            "exit {:?} with nothing failed: {text}",
            output.status.code()
        );
        std::thread::sleep(Duration::from_secs(1));
    }
    unreachable!()
}

/// Ids and line count of the JSONL files; a torn last line of a file (the
/// sink killed mid-write, before it acknowledged) is not counted.
fn jsonl_ids(dir: &Path) -> (BTreeSet<String>, usize) {
    let mut ids = BTreeSet::new();
    let mut lines = 0;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (ids, 0);
    };
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        for (i, line) in all.iter().enumerate() {
            match serde_json::from_str::<serde_json::Value>(line) {
                Ok(value) => {
                    lines += 1;
                    if let Some(id) = value["id"].as_str() {
                        ids.insert(id.to_string());
                    }
                }
                Err(e) => assert!(i + 1 == all.len(), "a broken line inside {entry:?}: {e}"),
            }
        }
    }
    (ids, lines)
}

struct Roles {
    work: PathBuf,
    args: HashMap<Role, Vec<String>>,
    running: HashMap<Role, Newsflow>,
    starts: HashMap<Role, usize>,
}

impl Roles {
    fn start(&mut self, role: Role) {
        let n = self.starts.entry(role).or_insert(0);
        *n += 1;
        let name = format!("{role:?}-{n}");
        let process = Newsflow::start(&self.args[&role], &self.work, &name);
        self.running.insert(role, process);
    }

    fn kill(&mut self, role: Role) {
        if let Some(process) = self.running.remove(&role) {
            process.kill_hard();
        }
    }

    /// What compose's `restart: on-failure` does: starts again every role
    /// that exited with an error (with `--exit-when-stuck`, a member the
    /// group never gives partitions again exits). Returns how many.
    fn restart_failed(&mut self) -> usize {
        let failed: Vec<Role> = self
            .running
            .iter_mut()
            .filter_map(|(role, p)| p.exit_code().is_some_and(|c| c != 0).then_some(*role))
            .collect();
        for role in &failed {
            self.running.remove(role);
            self.start(*role);
        }
        failed.len()
    }

    /// Every process's log, the earlier ones of a role too: why a role
    /// exited stuck is in the log of the process that exited, not in its
    /// successor's. Earlier processes give their last lines only.
    fn logs(&self) -> String {
        let mut out = String::new();
        let mut roles: Vec<(&Role, &usize)> = self.starts.iter().collect();
        roles.sort_by_key(|(role, _)| format!("{role:?}"));
        for (role, starts) in roles {
            for n in 1..=*starts {
                let path = self.work.join(format!("{role:?}-{n}.log"));
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let lines: Vec<&str> = text.lines().collect();
                let keep = if n == *starts { lines.len() } else { 40 };
                let from = lines.len().saturating_sub(keep);
                out.push_str(&format!(
                    "--- {role:?}, process {n} of {starts} (last {} of {} lines) ---\n{}\n",
                    lines.len() - from,
                    lines.len(),
                    lines[from..].join("\n")
                ));
            }
        }
        out
    }
}

/// How long the drain may go without one more article reaching a sink
/// before the test calls it a stall. A drain that keeps moving is waited
/// for, however slow the machine: this test is about losing nothing and
/// never stalling; speed is measured by `newsflow bench`.
const STALL: Duration = Duration::from_secs(180);
/// And the whole drain's limit, so that a drain moving one article a few
/// minutes cannot hold CI for ever.
const DRAIN_LIMIT: Duration = Duration::from_secs(1_200);

async fn run(seed: u64, tansu: &Path) {
    let broker_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut broker = Some(start_tansu(tansu, broker_dir.path(), port, port, &[]));
    use_broker(&format!("127.0.0.1:{port}"));

    let names = Names::new();
    create_topic(&names.raw, 6).await;
    create_topic(&names.enriched, 6).await;
    create_topic(&names.dlq, 1).await;
    let db = TestDatabase::create().await;
    let work = tempfile::tempdir().unwrap();
    let jsonl_dir = work.path().join("jsonl");

    // The articles, in batch files of 500.
    let inputs = work.path().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let mut expected = BTreeSet::new();
    let mut files = Vec::new();
    for start in (0..ARTICLES).step_by(BATCH) {
        let lines: Vec<String> = (start..start + BATCH)
            .map(|i| {
                let id = format!("chaos-{seed}-{i}");
                expected.insert(id.clone());
                String::from_utf8(raw_article(&id, i)).unwrap()
            })
            .collect();
        let file = inputs.join(format!("batch-{start:05}.jsonl"));
        std::fs::write(&file, lines.join("\n")).unwrap();
        files.push(file);
    }

    let mut roles = Roles {
        work: work.path().to_path_buf(),
        args: HashMap::from([
            (
                Role::Enrich,
                names.enrich_args(&["--no-create-topic", "--exit-when-stuck"]),
            ),
            (
                Role::JsonlSink,
                sink_args(
                    &names.enriched,
                    &names.dlq,
                    &unique("sink-jsonl"),
                    &format!("jsonl:{}", jsonl_dir.display()),
                    &["--exit-when-stuck"],
                ),
            ),
            (
                Role::PostgresSink,
                sink_args(
                    &names.enriched,
                    &names.dlq,
                    &unique("sink-pg"),
                    &db.url(),
                    &["--exit-when-stuck"],
                ),
            ),
        ]),
        running: HashMap::new(),
        starts: HashMap::new(),
    };
    for role in [Role::Enrich, Role::JsonlSink, Role::PostgresSink] {
        roles.start(role);
    }

    // The producer keeps going through every outage, batch after batch.
    let attempts = Arc::new(Mutex::new(0usize));
    let producer = {
        let attempts = attempts.clone();
        let raw = names.raw.clone();
        let log = work.path().to_path_buf();
        std::thread::spawn(move || {
            // Spread over the whole kill schedule, so that every kill
            // lands while articles are on their way.
            let started = Instant::now();
            for (i, file) in files.iter().enumerate() {
                let due = PRODUCE_EVERY * i as u32;
                if let Some(wait) = due.checked_sub(started.elapsed()) {
                    std::thread::sleep(wait);
                }
                let tries = produce_batch(file, &raw, &log);
                *attempts.lock().unwrap() += tries;
            }
            Instant::now()
        })
    };

    let started = Instant::now();
    let plan = schedule(seed);
    eprintln!("chaos seed {seed}: {plan:?}");
    for (at, role) in &plan {
        let at = Duration::from_secs_f64(*at);
        if let Some(wait) = at.checked_sub(started.elapsed()) {
            tokio::time::sleep(wait).await;
        }
        match role {
            Role::Broker => {
                drop(broker.take());
                tokio::time::sleep(Duration::from_secs(2)).await;
                broker = Some(start_tansu(tansu, broker_dir.path(), port, port, &[]));
            }
            role => {
                roles.kill(*role);
                tokio::time::sleep(Duration::from_millis(500)).await;
                roles.start(*role);
            }
        }
    }
    let produced = producer.join().expect("the producer thread");

    // Every acknowledged article reaches both sinks.
    let drain = Instant::now();
    let mut progress = (0, 0, Instant::now());
    let mut restarts = 0;
    let (jsonl, lines, rows) = loop {
        let (jsonl, lines) = jsonl_ids(&jsonl_dir);
        let rows = db.articles().await as usize;
        restarts += roles.restart_failed();
        // A broker that exits on its own is one more broker crash, which
        // newsflow must also survive: it restarts like the roles do, and
        // the test prints the broker's last words, so that such a death is
        // seen rather than mistaken for a stall of newsflow's.
        if broker.as_mut().is_some_and(TansuBroker::has_exited) {
            let log =
                std::fs::read_to_string(broker_dir.path().join("tansu.log")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(20).collect();
            eprintln!(
                "seed {seed}: the broker exited on its own; restarting it. Its log ends:\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
            drop(broker.take());
            broker = Some(start_tansu(tansu, broker_dir.path(), port, port, &[]));
            restarts += 1;
        }
        if (jsonl.len(), rows) != (progress.0, progress.1) {
            progress = (jsonl.len(), rows, Instant::now());
        }
        let stalled = progress.2.elapsed() > STALL;
        if stalled || drain.elapsed() > DRAIN_LIMIT {
            eprintln!(
                "seed {seed}: {} in JSONL and {rows} in PostgreSQL {:.0} s into the drain; \
                 the last one arrived {:.0} s ago",
                jsonl.len(),
                drain.elapsed().as_secs_f64(),
                progress.2.elapsed().as_secs_f64()
            );
            break (jsonl, lines, rows);
        }
        if jsonl.len() >= ARTICLES && rows >= ARTICLES {
            break (jsonl, lines, rows);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let missing_jsonl: Vec<&String> = expected.difference(&jsonl).take(5).collect();
    assert!(
        jsonl.len() == ARTICLES && missing_jsonl.is_empty(),
        "seed {seed}: {} of {ARTICLES} in JSONL, e.g. missing {missing_jsonl:?}\n{}",
        jsonl.len(),
        roles.logs()
    );
    let pg: BTreeSet<String> = db.ids().await.into_iter().collect();
    assert_eq!(rows, ARTICLES, "seed {seed}: exactly one row per article");
    assert_eq!(pg, expected, "seed {seed}\n{}", roles.logs());
    eprintln!(
        "chaos seed {seed}: {ARTICLES} articles in both sinks {:.0} s after the start \
         ({:.0} s after the last batch was acknowledged); {} JSONL duplicates; \
         {} produce runs for {} batches; {restarts} roles restarted after exiting stuck",
        started.elapsed().as_secs_f64(),
        produced.elapsed().as_secs_f64(),
        lines - jsonl.len(),
        *attempts.lock().unwrap(),
        ARTICLES / BATCH
    );
    for role in [Role::Enrich, Role::JsonlSink, Role::PostgresSink] {
        let process = roles.running.get_mut(&role).unwrap();
        assert!(
            process.is_running(),
            "{role:?} died: {}",
            process.log_text()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_acknowledged_article_survives_kills_of_every_role() {
    let Some(tansu) = tansu_for_test() else {
        return;
    };
    let seeds: Vec<u64> = std::env::var("NEWSFLOW_CHAOS_SEEDS")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| SEEDS.to_vec());
    // One broker per process (`use_broker`): seeds run one after another in
    // child processes of this test binary.
    if let Ok(seed) = std::env::var("NEWSFLOW_CHAOS_SEED") {
        run(seed.parse().expect("a seed"), &tansu).await;
        return;
    }
    for seed in seeds {
        let status = Command::new(std::env::current_exe().unwrap())
            .args([
                "every_acknowledged_article_survives_kills_of_every_role",
                "--exact",
                "--nocapture",
            ])
            .env("NEWSFLOW_CHAOS_SEED", seed.to_string())
            .status()
            .expect("running one seed");
        assert!(
            status.success(),
            "chaos seed {seed} failed (its output is above)"
        );
    }
}

//! `newsflow` as a child process: names and arguments of one test, the
//! running process and its log.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::*;

/// Librdkafka properties every newsflow process in the tests gets: a short
/// session timeout so that group joins and crash detection take seconds
/// (Tansu waits for the session timeout on joins).
pub const GROUP_PROPERTIES: &[&str] = &["session.timeout.ms=6000", "heartbeat.interval.ms=1000"];

/// Topic and group names of one test, unique to it.
pub struct Names {
    pub raw: String,
    pub enriched: String,
    pub dlq: String,
    pub group: String,
}

impl Names {
    pub fn new() -> Self {
        Names {
            raw: unique("raw"),
            enriched: unique("enriched"),
            dlq: unique("dlq"),
            group: unique("enrich"),
        }
    }

    /// Arguments of `newsflow enrich` over these names, logging JSON, then
    /// `extra`.
    pub fn enrich_args(&self, extra: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = [
            "--log-format",
            "json",
            "enrich",
            "--input-topic",
            &self.raw,
            "--output-topic",
            &self.enriched,
            "--dlq-topic",
            &self.dlq,
            "--group",
            &self.group,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    }
}

/// Arguments of `newsflow sink` from `topic` to `to` as `group`, logging
/// JSON, then `extra`.
pub fn sink_args(topic: &str, dlq: &str, group: &str, to: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "--log-format",
        "json",
        "sink",
        "--to",
        to,
        "--input-topic",
        topic,
        "--dlq-topic",
        dlq,
        "--group",
        group,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

impl Default for Names {
    fn default() -> Self {
        Self::new()
    }
}

/// A name no other test run uses.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The `newsflow` binary: `NEWSFLOW_BIN`, or the debug build in the target
/// directory.
pub fn newsflow_bin() -> PathBuf {
    if let Ok(path) = std::env::var("NEWSFLOW_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let path = target.join("debug/newsflow");
    assert!(
        path.exists(),
        "{} does not exist: build it first (cargo build -p newsflow-cli)",
        path.display()
    );
    path
}

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A running `newsflow` process whose stderr goes to a log file.
pub struct Newsflow {
    child: Child,
    pub log: PathBuf,
}

impl Newsflow {
    /// Starts `newsflow ARGS -b BROKERS -X ...GROUP_PROPERTIES`.
    pub fn start<S: AsRef<std::ffi::OsStr>>(args: &[S], log_dir: &Path, name: &str) -> Self {
        let log = log_dir.join(format!("{name}.log"));
        let stderr = std::fs::File::create(&log).expect("log file");
        let mut command = Command::new(newsflow_bin());
        command.args(args).arg("-b").arg(brokers());
        for p in GROUP_PROPERTIES {
            command.arg("-X").arg(p);
        }
        // Extra properties for debugging a run, e.g. NEWSFLOW_TEST_X="debug=fetch"
        if let Ok(extra) = std::env::var("NEWSFLOW_TEST_X") {
            for p in extra.split_whitespace() {
                command.arg("-X").arg(p);
            }
        }
        let child = command
            .env(
                "NEWSFLOW_LOG",
                std::env::var("NEWSFLOW_TEST_LOG")
                    .unwrap_or_else(|_| "info,librdkafka=warn".into()),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("starting newsflow");
        Newsflow { child, log }
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The exit code once the process has ended by itself; `None` while it
    /// runs (or when a signal ended it).
    pub fn exit_code(&mut self) -> Option<i32> {
        self.child.try_wait().ok().flatten().and_then(|s| s.code())
    }

    /// `kill -9`: no chance to flush or commit.
    pub fn kill_hard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for the exit; returns the exit code. A process
    /// a signal ended (before the SIGTERM, or by it) gives `None`, and its
    /// signal and log are printed, since the caller's assertion cannot say.
    pub fn terminate(mut self, timeout: Duration) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt as _;
        let ended_before = self.child.try_wait().ok().flatten();
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(self.pid(), libc::SIGTERM) };
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                if status.code().is_none() {
                    eprintln!(
                        "newsflow ended by signal {:?}{}; log {}:\n{}",
                        status.signal(),
                        if ended_before.is_some() {
                            " before the SIGTERM"
                        } else {
                            ""
                        },
                        self.log.display(),
                        self.log_text()
                    );
                }
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!(
            "newsflow did not exit within {timeout:?} of SIGTERM; log: {}",
            self.log_text()
        );
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log contains `needle`.
    pub fn wait_for_log(&mut self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.log_text().contains(needle) {
                return;
            }
            assert!(
                self.is_running(),
                "newsflow exited early; log:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "{needle:?} not in the log after {timeout:?}; log:\n{}",
            self.log_text()
        );
    }
}

impl Drop for Newsflow {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- log of {} ---\n{}", self.log.display(), self.log_text());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The partition numbers of a rebalance log event's `partitions` field
/// (`topic/0 topic/3`).
pub fn logged_partitions(fields: &serde_json::Value) -> Vec<i32> {
    fields["partitions"]
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|tp| tp.rsplit_once('/').and_then(|(_, p)| p.parse().ok()))
        .collect()
}

/// Partitions of the last `partitions assigned` event in a JSON log, or
/// `None` when there was none.
pub fn last_assignment(log: &str) -> Option<Vec<i32>> {
    let mut last = None;
    for line in log.lines() {
        let Ok(event) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let fields = &event["fields"];
        if fields["message"] == PARTITIONS_ASSIGNED {
            let mut parsed = logged_partitions(fields);
            parsed.sort();
            last = Some(parsed);
        }
    }
    last
}

/// Waits until `member`'s last logged assignment satisfies `accept`, and
/// returns it; fails the test after two minutes or if the member exits.
pub fn wait_for_assignment(member: &mut Newsflow, accept: impl Fn(&[i32]) -> bool) -> Vec<i32> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(assigned) = last_assignment(&member.log_text()) {
            if accept(&assigned) {
                return assigned;
            }
        }
        assert!(
            Instant::now() < deadline,
            "assignment not reached; log:\n{}",
            member.log_text()
        );
        assert!(
            member.is_running(),
            "member exited; log:\n{}",
            member.log_text()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Runs `newsflow ARGS` to completion; returns (exit code, stderr).
pub fn run_newsflow(args: &[&str]) -> (Option<i32>, String) {
    let (code, _, stderr) = run_newsflow_with_stdout(args);
    (code, stderr)
}

/// Runs `newsflow ARGS` to completion; returns (exit code, stdout, stderr).
pub fn run_newsflow_with_stdout(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(newsflow_bin())
        .args(args)
        .arg("-b")
        .arg(brokers())
        .stdin(Stdio::null())
        .output()
        .expect("running newsflow");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

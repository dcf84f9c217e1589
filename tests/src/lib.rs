//! Support for the end-to-end tests: the broker under test, the `newsflow`
//! binary as a child process, and helpers to write and read topics.
//!
//! The tests need a real Kafka-compatible broker; `scripts/test.sh` starts
//! one (Tansu) and sets `NEWSFLOW_TEST_BROKERS`.

pub mod postgres;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

/// A broker of the test's own, set by [`use_broker`].
static OWN_BROKER: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Points every helper of this test process (producing, reading, starting
/// `newsflow`) at a broker the test started itself, one it may kill and
/// restart. Only for test files whose every test uses that broker.
pub fn use_broker(address: &str) {
    let set = OWN_BROKER.get_or_init(|| address.to_string());
    assert_eq!(set, address, "one own broker per test process");
}

/// Address of the broker under test.
pub fn brokers() -> String {
    if let Some(own) = OWN_BROKER.get() {
        return own.clone();
    }
    std::env::var("NEWSFLOW_TEST_BROKERS").unwrap_or_else(|_| {
        panic!("NEWSFLOW_TEST_BROKERS is not set: run the end-to-end tests with scripts/test.sh, which starts a broker")
    })
}

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

pub async fn create_topic(name: &str, partitions: i32) {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .create()
        .expect("admin client");
    let results = admin
        .create_topics(
            &[NewTopic::new(name, partitions, TopicReplication::Fixed(1))],
            &AdminOptions::new(),
        )
        .await
        .expect("create_topics request");
    for r in results {
        r.unwrap_or_else(|(t, e)| panic!("creating {t}: {e}"));
    }
}

pub fn producer() -> FutureProducer {
    ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("enable.idempotence", "true")
        .set("acks", "all")
        .set("message.max.bytes", (16 << 20).to_string())
        .create()
        .expect("producer")
}

/// Writes `(key, payload)` records to `topic` and waits for every ack.
pub async fn produce(topic: &str, records: &[(String, Vec<u8>)]) {
    produce_records(topic, None, records).await
}

/// Like [`produce`], every record to one partition.
pub async fn produce_to_partition(topic: &str, partition: i32, records: &[(String, Vec<u8>)]) {
    produce_records(topic, Some(partition), records).await
}

async fn produce_records(topic: &str, partition: Option<i32>, records: &[(String, Vec<u8>)]) {
    let producer = producer();
    let mut pending = Vec::with_capacity(records.len());
    for (key, payload) in records {
        let mut record = FutureRecord::to(topic)
            .key(key.as_str())
            .payload(payload.as_slice())
            .headers(OwnedHeaders::new());
        if let Some(partition) = partition {
            record = record.partition(partition);
        }
        let delivery = loop {
            match producer.send_result(record) {
                Ok(d) => break d,
                Err((e, returned)) => {
                    assert!(format!("{e}").contains("Queue full"), "produce failed: {e}");
                    record = returned;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        };
        pending.push(delivery);
    }
    for d in pending {
        d.await
            .expect("delivery future")
            .map_err(|(e, _)| e)
            .expect("delivered");
    }
}

/// A RawArticle JSON record with a known id.
pub fn raw_article(id: &str, n: usize) -> Vec<u8> {
    serde_json::json!({
        "schema": "newsflow.raw/1",
        "id": id,
        "title": format!("Council approves budget number {n}"),
        "body": format!("The city council in Springfield approved budget {n} on Monday after a long debate. The mayor said the plan would fund schools and roads."),
        "ingested_at": "2026-11-28T10:00:00Z",
        "published_at": "2026-11-27T08:30:00Z",
    })
    .to_string()
    .into_bytes()
}

/// An EnrichedArticle JSON record with a known id, as the enricher would
/// write it at `enriched_at`: two entities (one linked to GeoNames) and
/// two topics, so that every table of the PostgreSQL sink gets rows.
pub fn enriched_article(id: &str, n: usize, enriched_at: &str) -> Vec<u8> {
    serde_json::json!({
        "schema": "newsflow.enriched/1",
        "id": id,
        "title": format!("Council in Springfield approves budget number {n}"),
        "body": "The mayor said the plan would fund schools.",
        "ingested_at": "2026-11-28T10:00:00Z",
        "published_at": "2026-11-27T08:30:00Z",
        "language": {"code": "en", "confidence": 0.99},
        "entities": [
            {"text": "Springfield", "type": "LOC", "canonical": "Springfield", "count": 1,
             "salience": 0.8, "mentions": [{"field": "title", "start": 11, "end": 22}],
             "links": {"geonames_id": 4409896, "country": "US"}},
            {"text": format!("budget {n}"), "type": "MISC", "canonical": format!("Budget {}", n % 7),
             "count": 1, "mentions": [{"field": "title", "start": 31, "end": 37}]}
        ],
        "topics": [
            {"id": "medtop:11000000", "label": "politics", "score": 0.9},
            {"id": "medtop:04000000", "label": "economy, business and finance", "score": 0.4}
        ],
        "keywords": [{"text": "budget", "score": 0.5}],
        "tone": {"score": 0.1, "label": "neutral"},
        "dates": [],
        "stats": {"title_tokens": 7, "body_tokens": 8, "sentences": 2, "characters": 90},
        "provenance": {"pipeline": "0.1.0", "models": {"ner": "test"}, "enriched_at": enriched_at}
    })
    .to_string()
    .into_bytes()
}

/// Every record the JSONL sink wrote under `dir` (none while it has no
/// files yet).
pub fn read_jsonl_dir(dir: &Path) -> Vec<serde_json::Value> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for line in text.lines() {
            out.push(serde_json::from_str(line).expect("each line is JSON"));
        }
    }
    out
}

/// A record read back from a topic.
#[derive(Debug, Clone)]
pub struct Read {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<String>,
    pub payload: Vec<u8>,
    pub headers: HashMap<String, String>,
}

impl Read {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.payload).expect("record is JSON")
    }
}

/// Reads `topic` from the start until `done` says the records are enough or
/// `timeout` passes; returns what was read.
pub fn read_topic_until(
    topic: &str,
    timeout: Duration,
    done: impl Fn(&[Read]) -> bool,
) -> Vec<Read> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("group.id", unique("reader"))
        .set("enable.auto.commit", "false")
        .set("fetch.message.max.bytes", (16 << 20).to_string())
        .create()
        .expect("consumer");
    // The topic may not exist yet (a newsflow process is about to create
    // it): wait for it to have partitions.
    let deadline = Instant::now() + timeout;
    let partitions = loop {
        let metadata = consumer
            .fetch_metadata(Some(topic), Duration::from_secs(10))
            .expect("metadata");
        let ids: Vec<i32> = metadata.topics()[0]
            .partitions()
            .iter()
            .map(|p| p.id())
            .collect();
        if !ids.is_empty() || Instant::now() > deadline {
            break ids;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut assignment = TopicPartitionList::new();
    for p in partitions {
        assignment
            .add_partition_offset(topic, p, Offset::Beginning)
            .expect("assign");
    }
    consumer.assign(&assignment).expect("assign");
    let mut out = Vec::new();
    while Instant::now() < deadline && !done(&out) {
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => {
                let headers = m
                    .headers()
                    .map(|hs| {
                        hs.iter()
                            .map(|h| {
                                (
                                    h.key.to_string(),
                                    String::from_utf8_lossy(h.value.unwrap_or_default())
                                        .into_owned(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(Read {
                    partition: m.partition(),
                    offset: m.offset(),
                    key: m.key().map(|k| String::from_utf8_lossy(k).into_owned()),
                    payload: m.payload().unwrap_or_default().to_vec(),
                    headers,
                });
            }
            Some(Err(e)) => eprintln!("reader: {e}"),
            None => {}
        }
    }
    out
}

/// Distinct keys among `records`.
pub fn distinct_keys(records: &[Read]) -> std::collections::HashSet<String> {
    records.iter().filter_map(|r| r.key.clone()).collect()
}

/// Committed offsets of `group` on `topic`, by partition (missing when none).
pub fn committed_offsets(group: &str, topic: &str, partitions: i32) -> HashMap<i32, i64> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("group.id", group)
        .create()
        .expect("consumer");
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition(topic, p);
    }
    let committed = consumer
        .committed_offsets(tpl, Duration::from_secs(10))
        .expect("committed offsets");
    committed
        .elements()
        .iter()
        .filter_map(|e| match e.offset() {
            Offset::Offset(o) => Some((e.partition(), o)),
            _ => None,
        })
        .collect()
}

/// Whether the broker knows `topic`.
pub fn topic_exists(topic: &str) -> bool {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("allow.auto.create.topics", "false")
        .create()
        .expect("consumer");
    let metadata = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .expect("metadata");
    metadata
        .topics()
        .iter()
        .any(|t| t.name() == topic && t.error().is_none() && !t.partitions().is_empty())
}

/// High watermarks of `topic`, by partition.
pub fn high_watermarks(topic: &str, partitions: i32) -> HashMap<i32, i64> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .create()
        .expect("consumer");
    (0..partitions)
        .map(|p| {
            let (_, high) = consumer
                .fetch_watermarks(topic, p, Duration::from_secs(10))
                .expect("watermarks");
            (p, high)
        })
        .collect()
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

    /// SIGTERM, then waits for the exit; returns the exit code.
    pub fn terminate(mut self, timeout: Duration) -> Option<i32> {
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(self.pid(), libc::SIGTERM) };
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
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

/// Validates JSON against one of the repository's schemas.
pub struct Schemas {
    raw: jsonschema::Validator,
    enriched: jsonschema::Validator,
}

impl Schemas {
    pub fn load() -> Self {
        let load = |name: &str| {
            let path = repo_root().join("schemas").join(name);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
            jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .expect("schema compiles")
        };
        Schemas {
            raw: load("raw.schema.json"),
            enriched: load("enriched.schema.json"),
        }
    }

    pub fn assert_raw(&self, value: &serde_json::Value) {
        let errors: Vec<String> = self.raw.iter_errors(value).map(|e| e.to_string()).collect();
        assert!(
            errors.is_empty(),
            "not a valid RawArticle: {errors:?}\n{value}"
        );
    }

    pub fn assert_enriched(&self, value: &serde_json::Value) {
        let errors: Vec<String> = self
            .enriched
            .iter_errors(value)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "not a valid EnrichedArticle: {errors:?}\n{value}"
        );
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
        if fields["message"] == "partitions assigned" {
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

/// A local port nobody listens on (bound and released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// `GET path` on 127.0.0.1:`port`: (status, body), or `None` while nothing
/// answers.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    http_request(port, "GET", path, &[], b"").map(|r| (r.status, r.body))
}

/// An HTTP answer, read whole.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// Header lines, as sent.
    pub head: String,
    pub body: String,
}

/// One HTTP/1.1 request on 127.0.0.1:`port`, `Connection: close`; `None`
/// while nothing answers.
pub fn http_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<HttpResponse> {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    // A server may answer (413) before reading the whole body.
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    Some(HttpResponse {
        status,
        head: head.to_string(),
        body: body.to_string(),
    })
}

/// Scrapes until `done` holds for the scrape; panics after `timeout`.
pub fn scrape_until(port: u16, timeout: Duration, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some((200, body)) = http_get(port, "/metrics") {
            if done(&body) {
                return body;
            }
            assert!(Instant::now() < deadline, "last scrape:\n{body}");
        }
        assert!(Instant::now() < deadline, "no /metrics on port {port}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The value of the sample of `name` whose labels contain each of
/// `labels` (`key="value"` strings), in a Prometheus text scrape.
pub fn metric(scrape: &str, name: &str, labels: &[&str]) -> Option<f64> {
    scrape
        .lines()
        .filter(|line| !line.starts_with('#'))
        .find(|line| {
            let series = line.rsplit_once(' ').map_or("", |(s, _)| s);
            let base = series.split('{').next().unwrap_or("");
            base == name && labels.iter().all(|l| series.contains(l))
        })
        .and_then(|line| line.rsplit_once(' '))
        .and_then(|(_, value)| value.parse().ok())
}

/// The Tansu binary the test script installed, for tests that need a
/// broker of their own (`NEWSFLOW_TEST_TANSU`); `None` elsewhere.
fn tansu_binary() -> Option<PathBuf> {
    std::env::var_os("NEWSFLOW_TEST_TANSU").map(PathBuf::from)
}

/// The Tansu binary for a test that runs a broker of its own. Under the
/// test script (which sets `NEWSFLOW_TEST_BROKERS`) a missing one is a
/// failure; elsewhere the test is skipped, and says so.
pub fn tansu_for_test() -> Option<PathBuf> {
    match tansu_binary() {
        Some(path) => Some(path),
        None if std::env::var_os("NEWSFLOW_TEST_BROKERS").is_some() => {
            panic!("NEWSFLOW_TEST_TANSU is not set: scripts/test.sh sets it")
        }
        None => {
            eprintln!("skipped: NEWSFLOW_TEST_TANSU is not set (scripts/test.sh sets it)");
            None
        }
    }
}

/// A Tansu broker started by a test; stopped when dropped.
pub struct TansuBroker {
    child: Child,
}

impl Drop for TansuBroker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts Tansu on SQLite in `dir`, listening on `port` and telling
/// clients to come to `advertised` (a proxy's port, say).
pub fn start_tansu(
    tansu: &Path,
    dir: &Path,
    port: u16,
    advertised: u16,
    extra: &[&str],
) -> TansuBroker {
    let listen = format!("tcp://127.0.0.1:{port}");
    let advertise = format!("tcp://127.0.0.1:{advertised}");
    let child = Command::new(tansu)
        .current_dir(dir)
        .args(["broker", "--listener-url", &listen])
        .args(["--advertised-listener-url", &advertise])
        .args(["--storage-engine", "sqlite://tansu.db"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting tansu");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "tansu did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    TansuBroker { child }
}

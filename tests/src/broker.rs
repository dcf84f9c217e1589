//! The broker under test: its address, topics, producing and reading
//! records, and Tansu brokers of a test's own.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

use crate::*;

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

impl TansuBroker {
    /// Whether the broker process has ended on its own.
    pub fn has_exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }
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
        // Kept beside its database, so that a broker that dies says why.
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join("tansu.log"))
                .map(Stdio::from)
                .unwrap_or_else(|_| Stdio::null()),
        )
        .spawn()
        .expect("starting tansu");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "tansu did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    TansuBroker { child }
}

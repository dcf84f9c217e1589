//! The enrich stage against librdkafka's in-process mock broker: a fast
//! check of ordering and dead-lettering. The full suite against a real
//! broker lives in the repository's `tests/` folder.
//!
//! The mock keeps at most 5 MB of log per partition, so the oversized
//! record among others is 4 MiB (over the 2 MiB limit); the 10 MB record
//! is tested alone, for the reason given at its test.

use std::sync::Arc;
use std::time::{Duration, Instant};

use newsflow_enricher::{EnrichOptions, DEFAULT_MAX_RECORD_BYTES};
use newsflow_kafka::{KafkaConfig, PipelineStats};
use newsflow_nlp::Annotator;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{DefaultProducerContext, FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use tokio_util::sync::CancellationToken;

/// (key, payload size, headers) of a record read back.
type Read = (String, usize, Vec<(String, String)>);

fn read_all(brokers: &str, topic: &str, want: usize) -> Vec<Read> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "reader")
        .set("max.partition.fetch.bytes", (16 << 20).to_string())
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, Offset::Beginning)
        .unwrap();
    consumer.assign(&tpl).unwrap();
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while out.len() < want && Instant::now() < deadline {
        if let Some(Ok(m)) = consumer.poll(Duration::from_millis(100)) {
            let headers = m
                .headers()
                .map(|hs| {
                    hs.iter()
                        .map(|h| {
                            (
                                h.key.to_string(),
                                String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.push((
                String::from_utf8_lossy(m.key().unwrap_or_default()).into_owned(),
                m.payload().map_or(0, <[u8]>::len),
                headers,
            ));
        }
    }
    out
}

/// `read_all` off the test's runtime threads.
async fn read(brokers: &str, topic: &'static str, want: usize) -> Vec<Read> {
    let brokers = brokers.to_string();
    tokio::task::spawn_blocking(move || read_all(&brokers, topic, want))
        .await
        .unwrap()
}

/// A producer to the mock with one setting of the test's own.
fn producer(brokers: &str, (name, value): (&str, &str)) -> FutureProducer {
    ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set(name, value)
        .create()
        .unwrap()
}

/// Sends one record to `raw` and waits for the broker's acknowledgement.
async fn send(producer: &FutureProducer, key: &str, payload: &str) {
    producer
        .send(
            FutureRecord::to("raw").key(key).payload(payload),
            Duration::from_secs(10),
        )
        .await
        .map_err(|(e, _)| e)
        .unwrap();
}

/// An article of about `bytes` bytes, keyed and identified "huge".
fn huge(bytes: usize) -> String {
    format!(
        r#"{{"id":"huge","title":"T","body":"{}"}}"#,
        "x".repeat(bytes)
    )
}

/// The one dead letter is the record keyed "huge", as too large, with its
/// original bytes or, if the broker refused them whole, its original size.
fn assert_too_large(dead: &[Read], original_len: usize) {
    assert_eq!(dead.len(), 1);
    let (key, size, headers) = &dead[0];
    assert_eq!(key, "huge");
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("newsflow.error.kind"), Some("too_large"));
    match header("newsflow.payload.truncated") {
        None => assert_eq!(*size, original_len, "the original bytes, whole"),
        Some(original) => assert_eq!(original, original_len.to_string()),
    }
}

/// A one-broker mock cluster with the three topics, one partition each.
fn mock_cluster() -> (MockCluster<'static, DefaultProducerContext>, String) {
    let cluster = MockCluster::new(1).unwrap();
    for topic in ["raw", "enriched", "dlq"] {
        cluster.create_topic(topic, 1, 1).unwrap();
    }
    let brokers = cluster.bootstrap_servers();
    (cluster, brokers)
}

/// The enricher's client settings, with logs only on request:
/// `TEST_LOG=debug TEST_RDKAFKA_DEBUG=fetch`.
fn kafka_config(brokers: &str) -> KafkaConfig {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_env("TEST_LOG"))
            .with_test_writer()
            .try_init();
    }
    let mut kafka = KafkaConfig::new(brokers);
    if let Ok(debug) = std::env::var("TEST_RDKAFKA_DEBUG") {
        kafka.properties.push(("debug".into(), debug));
    }
    kafka
}

/// Runs the enrich stage from `raw` to `enriched` and `dlq` in a task.
fn start_enricher(
    kafka: KafkaConfig,
) -> (
    Arc<PipelineStats>,
    CancellationToken,
    tokio::task::JoinHandle<anyhow::Result<()>>,
) {
    let options = EnrichOptions {
        input_topic: "raw".into(),
        output_topic: "enriched".into(),
        dlq_topic: "dlq".into(),
        group_id: "enrich".into(),
        max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        max_output_bytes: None,
        watchdog: Default::default(),
        instance_id: None,
        in_flight: Default::default(),
        create_topics: None,
        stories: Default::default(),
    };
    let stats = Arc::new(PipelineStats::default());
    let shutdown = CancellationToken::new();
    let run = {
        let (stats, shutdown) = (stats.clone(), shutdown.clone());
        tokio::spawn(async move {
            newsflow_enricher::run(
                &kafka,
                &options,
                Arc::new(Annotator::new()),
                stats,
                shutdown,
            )
            .await
        })
    };
    (stats, shutdown, run)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oversized_record_is_dead_lettered_and_the_records_around_it_flow_in_order() {
    let (_cluster, brokers) = mock_cluster();
    let producer = producer(&brokers, ("message.max.bytes", "16777216"));
    let huge = huge(4 << 20);
    let records = [
        (
            "before",
            r#"{"id":"before","title":"Before","body":"A good article."}"#.to_string(),
        ),
        ("huge", huge.clone()),
        (
            "after",
            r#"{"id":"after","title":"After","body":"Another good article."}"#.to_string(),
        ),
    ];
    for (key, payload) in &records {
        send(&producer, key, payload).await;
    }

    let (stats, shutdown, run) = start_enricher(kafka_config(&brokers));

    let enriched = read(&brokers, "enriched", 2).await;
    let keys: Vec<&str> = enriched.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(keys, ["before", "after"], "order kept, huge one left out");
    assert_too_large(&read(&brokers, "dlq", 1).await, huge.len());

    shutdown.cancel();
    run.await.unwrap().unwrap();
    assert_eq!((stats.delivered(), stats.dead_lettered()), (2, 1));
}

/// The group's committed offset of `raw` partition 0, once it reaches
/// `want` (or what it was after a minute).
fn committed_offset(brokers: &str, group: &str, want: i64) -> Option<i64> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", group)
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition("raw", 0);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let offset = consumer
            .committed_offsets(tpl.clone(), Duration::from_secs(5))
            .ok()
            .and_then(|c| c.find_partition("raw", 0).map(|p| p.offset()))
            .and_then(|o| o.to_raw());
        if offset == Some(want) || Instant::now() > deadline {
            return offset;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A 10 MB record goes alone into an empty partition: the mock's log
/// pruning (librdkafka 2.12.1, `rd_kafka_mock_msgset_new`) runs before the
/// new message set is linked, so a record of more than 5 MB appended to a
/// non-empty partition empties the log and moves its start offset past
/// itself, and a record appended after it is lost the same way. Records flowing around an
/// oversized one are the 4 MiB test's part.
#[tokio::test(flavor = "multi_thread")]
async fn a_ten_megabyte_record_is_fetched_and_dead_lettered_and_its_offset_committed() {
    let (_cluster, brokers) = mock_cluster();
    let producer = producer(&brokers, ("message.max.bytes", "16777216"));
    let huge = huge(10 << 20);
    send(&producer, "huge", &huge).await;

    let (stats, shutdown, run) = start_enricher(kafka_config(&brokers));
    assert_too_large(&read(&brokers, "dlq", 1).await, huge.len());
    let committed = tokio::task::spawn_blocking(move || committed_offset(&brokers, "enrich", 1))
        .await
        .unwrap();
    assert_eq!(committed, Some(1), "the partition moved past the record");

    shutdown.cancel();
    run.await.unwrap().unwrap();
    assert_eq!((stats.delivered(), stats.dead_lettered()), (0, 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broker_outage_delays_output_but_loses_and_dead_letters_nothing() {
    let (cluster, brokers) = mock_cluster();
    let producer = producer(&brokers, ("message.timeout.ms", "0"));
    let article = move |i: usize| {
        let payload = format!(r#"{{"id":"a-{i}","title":"T {i}","body":"Body {i}."}}"#);
        let producer = producer.clone();
        async move { send(&producer, &format!("a-{i}"), &payload).await }
    };
    for i in 0..50 {
        article(i).await;
    }

    let (stats, shutdown, run) = start_enricher(kafka_config(&brokers));
    let deadline = Instant::now() + Duration::from_secs(60);
    while stats.delivered() < 50 {
        assert!(Instant::now() < deadline, "first batch not delivered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    cluster.broker_down(1).unwrap();
    let more = tokio::spawn(async move {
        for i in 50..100 {
            article(i).await;
        }
    });
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(!run.is_finished(), "the enricher waits out the outage");
    cluster.broker_up(1).unwrap();
    more.await.unwrap();

    let enriched = read(&brokers, "enriched", 100).await;
    let mut keys: Vec<String> = enriched.into_iter().map(|(k, _, _)| k).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 100, "every record delivered after the outage");
    shutdown.cancel();
    run.await.unwrap().unwrap();
    assert_eq!(stats.dead_lettered(), 0, "an outage is not bad input");
}

//! The PostgreSQL sink against a real broker and a real PostgreSQL: a
//! `kill -9` mid-batch and a 30-second database outage, each ending with
//! exactly one row per distinct article and offsets committed only for
//! what was written.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use newsflow_tests::postgres::{TcpProxy, TestDatabase, PROXY_PASSWORD};
use newsflow_tests::*;

const ENRICHED_AT: &str = "2026-11-28T12:00:00Z";

fn records(prefix: &str, range: std::ops::Range<usize>) -> Vec<(String, Vec<u8>)> {
    range
        .map(|i| {
            let id = format!("{prefix}-{i}");
            let payload = enriched_article(&id, i, ENRICHED_AT);
            (id, payload)
        })
        .collect()
}

fn ids(prefix: &str, range: std::ops::Range<usize>) -> BTreeSet<String> {
    range.map(|i| format!("{prefix}-{i}")).collect()
}

fn committed_total(group: &str, topic: &str, partitions: i32) -> i64 {
    committed_offsets(group, topic, partitions).values().sum()
}

async fn assert_rows_complete(db: &TestDatabase, expected: &BTreeSet<String>) {
    let got: BTreeSet<String> = db.ids().await.into_iter().collect();
    let missing: Vec<&String> = expected.difference(&got).take(5).collect();
    let extra: Vec<&String> = got.difference(expected).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{} rows for {} ids; missing e.g. {missing:?}, unexpected e.g. {extra:?}",
        got.len(),
        expected.len()
    );
    let n = expected.len() as i64;
    // Each test article has two entities and two topics.
    assert_eq!(db.count("SELECT count(*) FROM article_topics").await, 2 * n);
    assert_eq!(
        db.count("SELECT count(*) FROM article_entities").await,
        2 * n
    );
    assert_eq!(
        db.count("SELECT count(*) FROM entities WHERE canonical = 'Springfield'")
            .await,
        1,
        "one entity row however many articles mention it"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_mid_batch_then_restart_leaves_exactly_the_distinct_ids() {
    const ARTICLES: usize = 6_000;
    let names = Names::new();
    let partitions = 3;
    create_topic(&names.enriched, partitions).await;
    create_topic(&names.dlq, 1).await;
    produce(&names.enriched, &records("k", 0..ARTICLES)).await;
    // The same articles again: duplicates the sink must fold.
    produce(&names.enriched, &records("k", 0..500)).await;

    let db = TestDatabase::create().await;
    let work = tempfile::tempdir().unwrap();
    let args = sink_args(
        &names.enriched,
        &names.dlq,
        &names.group,
        &db.url(),
        &["--batch-records", "20"],
    );
    let mut sink = Newsflow::start(&args, work.path(), "sink-0");
    let deadline = Instant::now() + Duration::from_secs(120);
    while db.articles().await < 300 {
        assert!(
            Instant::now() < deadline,
            "no rows; log:\n{}",
            sink.log_text()
        );
        assert!(sink.is_running(), "sink died; log:\n{}", sink.log_text());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    sink.kill_hard();
    let at_kill = db.articles().await;
    eprintln!("kill -9 at {at_kill} rows");
    assert!(
        at_kill < ARTICLES as i64,
        "the sink had finished before the kill"
    );

    let sink = Newsflow::start(&args, work.path(), "sink-1");
    db.wait_for_articles(ARTICLES as i64, Duration::from_secs(180), || {
        sink.log_text()
    })
    .await;
    // Offsets are committed once a second; wait for the last commit.
    let high: i64 = high_watermarks(&names.enriched, partitions).values().sum();
    let deadline = Instant::now() + Duration::from_secs(30);
    while committed_total(&names.group, &names.enriched, partitions) < high {
        assert!(Instant::now() < deadline, "offsets not committed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(sink.terminate(Duration::from_secs(30)), Some(0));
    assert_rows_complete(&db, &ids("k", 0..ARTICLES)).await;
    assert_eq!(
        db.count("SELECT count(*) FROM newsflow_schema_migrations")
            .await,
        4,
        "every migration applied once, across two starts"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_30_second_database_outage_loses_nothing_and_commits_nothing() {
    let names = Names::new();
    let partitions = 2;
    create_topic(&names.enriched, partitions).await;
    create_topic(&names.dlq, 1).await;
    let db = TestDatabase::create().await;
    let proxy = TcpProxy::start().await;

    produce(&names.enriched, &records("o", 0..400)).await;
    let work = tempfile::tempdir().unwrap();
    let port = free_port();
    let address = format!("127.0.0.1:{port}");
    let args = sink_args(
        &names.enriched,
        &names.dlq,
        &names.group,
        &db.url_via(&proxy),
        &["--batch-records", "50", "--http", &address],
    );
    let mut sink = Newsflow::start(&args, work.path(), "sink");
    db.wait_for_articles(400, Duration::from_secs(120), || sink.log_text())
        .await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while committed_total(&names.group, &names.enriched, partitions) < 400 {
        assert!(Instant::now() < deadline, "offsets not committed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The database goes away; articles keep arriving.
    proxy.cut().await;
    let outage = Instant::now();
    produce(&names.enriched, &records("o", 400..800)).await;
    let mut committed_seen = HashMap::new();
    while outage.elapsed() < Duration::from_secs(30) {
        let committed = committed_total(&names.group, &names.enriched, partitions);
        *committed_seen.entry(committed).or_insert(0) += 1;
        assert_eq!(
            committed,
            400,
            "offsets moved during the outage; log:\n{}",
            sink.log_text()
        );
        assert_eq!(db.articles().await, 400);
        assert!(sink.is_running(), "sink died; log:\n{}", sink.log_text());
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let log = sink.log_text();
    assert!(log.contains(POSTGRES_UNAVAILABLE), "log:\n{log}");
    assert_eq!(
        http_get(port, "/readyz"),
        Some((503, "not ready: output unavailable\n".into()))
    );
    assert_eq!(http_get(port, "/healthz").map(|r| r.0), Some(200));

    // Back: the sink catches up by itself.
    proxy.restore().await;
    produce(&names.enriched, &records("o", 800..1000)).await;
    db.wait_for_articles(1000, Duration::from_secs(120), || sink.log_text())
        .await;
    sink.wait_for_log(POSTGRES_AVAILABLE_AGAIN, Duration::from_secs(10));
    sink.wait_for_log(FETCHING_RESUMED, Duration::from_secs(10));
    let deadline = Instant::now() + Duration::from_secs(30);
    while committed_total(&names.group, &names.enriched, partitions) < 1000 {
        assert!(
            Instant::now() < deadline,
            "offsets not committed after recovery"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(http_get(port, "/readyz").map(|r| r.0), Some(200));
    let (_, scrape) = http_get(port, "/metrics").expect("metrics");
    assert_eq!(
        metric(&scrape, "newsflow_postgres_articles_written_total", &[]),
        Some(1000.0),
        "{scrape}"
    );
    assert!(
        metric(&scrape, "newsflow_postgres_retries_total", &[]).is_some_and(|r| r > 0.0),
        "{scrape}"
    );
    assert!(
        !sink.log_text().contains(PROXY_PASSWORD),
        "the database password is never logged"
    );
    assert_eq!(sink.terminate(Duration::from_secs(30)), Some(0));
    assert_rows_complete(&db, &ids("o", 0..1000)).await;
    eprintln!("committed offsets seen during the outage: {committed_seen:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_records_go_to_the_dead_letter_topic_and_the_rest_is_written() {
    let names = Names::new();
    create_topic(&names.enriched, 1).await;
    create_topic(&names.dlq, 1).await;
    let mut batch = records("b", 0..10);
    batch.insert(3, ("bad-json".into(), b"{not json".to_vec()));
    let mut bad_time: serde_json::Value =
        serde_json::from_slice(&enriched_article("bad-time", 0, ENRICHED_AT)).unwrap();
    bad_time["provenance"]["enriched_at"] = "last Tuesday".into();
    batch.insert(6, ("bad-time".into(), bad_time.to_string().into_bytes()));
    let mut nul: serde_json::Value =
        serde_json::from_slice(&enriched_article("nul", 0, ENRICHED_AT)).unwrap();
    nul["body"] = "a\u{0}b".into();
    batch.push(("nul".into(), nul.to_string().into_bytes()));
    produce(&names.enriched, &batch).await;

    let db = TestDatabase::create().await;
    let work = tempfile::tempdir().unwrap();
    let sink = Newsflow::start(
        &sink_args(&names.enriched, &names.dlq, &names.group, &db.url(), &[]),
        work.path(),
        "sink",
    );
    db.wait_for_articles(10, Duration::from_secs(120), || sink.log_text())
        .await;
    let dead = read_topic_until(&names.dlq, Duration::from_secs(60), |r| r.len() >= 3);
    let mut kinds: Vec<(String, String)> = dead
        .iter()
        .map(|r| {
            (
                r.key.clone().unwrap_or_default(),
                r.headers
                    .get("newsflow.error.kind")
                    .cloned()
                    .unwrap_or_default(),
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("bad-json".to_string(), "invalid_json".to_string()),
            ("bad-time".to_string(), "invalid_field".to_string()),
            ("nul".to_string(), "unstorable_text".to_string()),
        ]
    );
    assert_eq!(sink.terminate(Duration::from_secs(30)), Some(0));
    assert_rows_complete(&db, &ids("b", 0..10)).await;
}

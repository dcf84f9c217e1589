//! `newsflow replay` against a real broker, with the PostgreSQL sink
//! downstream: a time window of the raw topic enriched again into a new
//! topic, sunk, then replayed once more; the live consumer group is never
//! touched.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{SecondsFormat, Utc};
use newsflow_tests::postgres::TestDatabase;
use newsflow_tests::*;

fn raw_records(prefix: &str, range: std::ops::Range<usize>) -> Vec<(String, Vec<u8>)> {
    range
        .map(|i| {
            let id = format!("{prefix}-{i}");
            let payload = raw_article(&id, i);
            (id, payload)
        })
        .collect()
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Waits until `group` has committed `total` offsets of `topic`.
async fn wait_committed(group: &str, topic: &str, partitions: i32, total: i64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let committed: i64 = committed_offsets(group, topic, partitions).values().sum();
        if committed >= total {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{group} committed {committed} of {total}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn replay_a_time_window_into_a_new_topic_sink_it_and_replay_it_again() {
    let names = Names::new();
    let v2 = unique("enriched-v2");
    let partitions = 3;
    create_topic(&names.raw, partitions).await;
    create_topic(&names.enriched, partitions).await;
    create_topic(&names.dlq, 1).await;

    // Before, in and after the window; ten articles of the window arrive
    // twice (a producer retried), so it holds 50 records of 40 articles.
    produce(&names.raw, &raw_records("before", 0..30)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let from = now();
    tokio::time::sleep(Duration::from_millis(100)).await;
    produce(&names.raw, &raw_records("w", 0..40)).await;
    produce(&names.raw, &raw_records("w", 0..10)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let to = now();
    tokio::time::sleep(Duration::from_millis(100)).await;
    produce(&names.raw, &raw_records("after", 0..30)).await;
    let window: BTreeSet<String> = (0..40).map(|i| format!("w-{i}")).collect();

    // The live enricher has done its work and committed.
    let work = tempfile::tempdir().unwrap();
    let live = Newsflow::start(
        &names.enrich_args(&["--no-create-topic"]),
        work.path(),
        "live",
    );
    wait_committed(&names.group, &names.raw, partitions, 110).await;
    assert_eq!(live.terminate(Duration::from_secs(30)), Some(0));
    let live_offsets = committed_offsets(&names.group, &names.raw, partitions);

    let replay_group = unique("replay");
    let replay_args = [
        "replay",
        "--input-topic",
        &names.raw,
        "--output-topic",
        &v2,
        "--dlq-topic",
        &names.dlq,
        "--from",
        &from,
        "--to",
        &to,
        "--group",
        &replay_group,
        "--rate",
        "500",
        "--partitions",
        "3",
    ];

    // The plan, without doing anything.
    let mut dry_run = replay_args.to_vec();
    dry_run.push("--dry-run");
    let (code, plan, stderr) = run_newsflow_with_stdout(&dry_run);
    assert_eq!(code, Some(0), "{stderr}");
    let total_line = plan
        .lines()
        .find(|l| l.trim_start().starts_with("total"))
        .unwrap_or_else(|| panic!("no total in the plan:\n{plan}"));
    assert_eq!(
        total_line.split_whitespace().last(),
        Some("50"),
        "plan:\n{plan}"
    );
    assert_eq!(
        plan.lines()
            .filter(|l| l.trim_start().starts_with(char::is_numeric))
            .count(),
        3,
        "one line per partition:\n{plan}"
    );
    assert!(!topic_exists(&v2), "a dry run creates nothing");

    // Replay the window into a new topic.
    let (code, stderr) = run_newsflow(&replay_args);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("replay: 50 enriched"), "{stderr}");
    assert_eq!(high_watermarks(&v2, partitions).values().sum::<i64>(), 50);
    let out = read_topic_until(&v2, Duration::from_secs(60), |r| r.len() >= 50);
    assert_eq!(distinct_keys(&out), window.iter().cloned().collect());

    // Sink it into a fresh database.
    let db = TestDatabase::create().await;
    let sink_group = unique("sink");
    let sink = Newsflow::start(
        &sink_args(&v2, &names.dlq, &sink_group, &db.url(), &[]),
        work.path(),
        "sink",
    );
    db.wait_for_articles(40, Duration::from_secs(120), || sink.log_text())
        .await;
    wait_committed(&sink_group, &v2, partitions, 50).await;
    assert_eq!(db.articles().await, 40);
    assert_eq!(db.ids().await.into_iter().collect::<BTreeSet<_>>(), window);
    let first_newest = db.timestamp("SELECT max(enriched_at) FROM articles").await;

    // The same window again: newer enrichments replace every row, and
    // still one row per article.
    let (code, stderr) = run_newsflow(&replay_args);
    assert_eq!(code, Some(0), "{stderr}");
    wait_committed(&sink_group, &v2, partitions, 100).await;
    assert_eq!(db.articles().await, 40);
    let replaced: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM articles WHERE enriched_at > $1",
            &[&first_newest],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        replaced, 40,
        "every row holds the second replay's enrichment"
    );

    // An older enrichment arriving late changes nothing.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let late = now();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let newest_w0 = db
        .timestamp("SELECT enriched_at FROM articles WHERE id = 'w-0'")
        .await;
    produce(
        &v2,
        &[(
            "w-0".into(),
            enriched_article("w-0", 0, "2020-01-01T00:00:00Z"),
        )],
    )
    .await;
    wait_committed(&sink_group, &v2, partitions, 101).await;
    let after = db
        .timestamp("SELECT enriched_at FROM articles WHERE id = 'w-0'")
        .await;
    assert_eq!(
        after, newest_w0,
        "an older enrichment never replaces a newer one"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM article_topics WHERE article_id = 'w-0'")
            .await,
        db.count("SELECT count(*) FROM article_topics WHERE article_id = 'w-1'")
            .await,
        "the newer enrichment's topics stay"
    );
    assert_eq!(sink.terminate(Duration::from_secs(30)), Some(0));

    // The views answer (the 7-day one depends on today's date, so only
    // that it runs is checked).
    db.count("SELECT count(*) FROM top_entities_7d").await;
    assert_eq!(
        db.count("SELECT sum(articles)::int8 FROM topic_counts_daily")
            .await,
        40,
        "each article counted once, under its best topic"
    );
    assert!(
        db.count("SELECT count(*) FROM entity_articles WHERE canonical = 'Springfield'")
            .await
            > 0
    );

    // A fresh database filled from a point in time: the sink's group
    // starts at the late record, the only one after that time.
    let db2 = TestDatabase::create().await;
    let from_group = unique("sink-from");
    let from_args = sink_args(&v2, &names.dlq, &from_group, &db2.url(), &["--from", &late]);
    let sink2 = Newsflow::start(&from_args, work.path(), "sink-from");
    wait_committed(&from_group, &v2, partitions, 101).await;
    assert_eq!(sink2.terminate(Duration::from_secs(30)), Some(0));
    assert_eq!(db2.ids().await, ["w-0"]);
    let w0 = db2.timestamp("SELECT enriched_at FROM articles").await;
    assert_eq!(w0.to_rfc3339(), "2020-01-01T00:00:00+00:00");

    assert_eq!(
        committed_offsets(&names.group, &names.raw, partitions),
        live_offsets,
        "the live group's offsets never moved"
    );
}

//! Odd but legitimate articles whose analysis would outgrow any broker's
//! record limit: a page of capitalised words and a page of dates. Each is
//! either delivered bounded (saying what it left out) or dead-lettered
//! with the reason, and the records behind them on their partition still
//! reach both sinks.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use newsflow_tests::postgres::TestDatabase;
use newsflow_tests::*;

/// Kafka's default `max.message.bytes`, which the enricher falls back to
/// when the broker does not say (Tansu 0.6.0 does not).
const LIMIT: usize = 1 << 20;

fn article(id: &str, body: String) -> Vec<u8> {
    serde_json::json!({
        "schema": "newsflow.raw/1",
        "id": id,
        "title": format!("Odd article {id}"),
        "body": body,
        "ingested_at": "2026-11-28T10:00:00Z",
        "published_at": "2026-11-27T08:30:00Z",
    })
    .to_string()
    .into_bytes()
}

fn repeated(phrase: &str, bytes: usize) -> String {
    phrase.repeat(bytes / phrase.len() + 1)
}

#[tokio::test(flavor = "multi_thread")]
async fn outputs_too_large_are_bounded_or_dead_lettered_and_the_partition_goes_on() {
    let names = Names::new();
    create_topic(&names.raw, 1).await;
    // 1.5 MB of names: the body alone is above the limit, so it cannot fit
    // however much analysis is left out.
    let names_page = repeated(
        "New York Bank of the United Nations Smith Jones Paris Reuters Microsoft ",
        1_500_000,
    );
    // 0.7 MB of dates: fits once its dates and DATE entities are bounded.
    let dates_page = repeated(
        "On March 6, 2020 and on Monday, since 2011, in April 2019, by 12 May 2021. ",
        700_000,
    );
    let records: Vec<(String, Vec<u8>)> = vec![
        ("good-0".into(), raw_article("good-0", 0)),
        ("names".into(), article("names", names_page)),
        ("good-1".into(), raw_article("good-1", 1)),
        ("dates".into(), article("dates", dates_page)),
        ("good-2".into(), raw_article("good-2", 2)),
    ];
    produce(&names.raw, &records).await;
    let all: BTreeSet<String> = records.iter().map(|(id, _)| id.clone()).collect();

    let work = tempfile::tempdir().unwrap();
    let mut enrich = Newsflow::start(
        &names.enrich_args(&["--partitions", "1"]),
        work.path(),
        "enrich",
    );
    let db = TestDatabase::create().await;
    let jsonl_dir = work.path().join("jsonl");
    let jsonl_to = format!("jsonl:{}", jsonl_dir.display());
    let sink_group = unique("sink");
    let _jsonl = Newsflow::start(
        &sink_args(&names.enriched, &names.dlq, &sink_group, &jsonl_to, &[]),
        work.path(),
        "sink-jsonl",
    );
    let _postgres = Newsflow::start(
        &sink_args(
            &names.enriched,
            &names.dlq,
            &unique("sink-pg"),
            &db.url(),
            &[],
        ),
        work.path(),
        "sink-pg",
    );

    // Every id is accounted for: in the output or in the DLQ.
    let deadline = Duration::from_secs(300);
    let out = read_topic_until(&names.enriched, deadline, |r| distinct_keys(r).len() >= 4);
    let dead = read_topic_until(&names.dlq, Duration::from_secs(60), |r| !r.is_empty());
    let delivered: BTreeSet<String> = distinct_keys(&out).into_iter().collect();
    let dead_lettered: BTreeSet<String> = distinct_keys(&dead).into_iter().collect();
    assert!(delivered.is_disjoint(&dead_lettered));
    let accounted: BTreeSet<String> = delivered.union(&dead_lettered).cloned().collect();
    assert_eq!(accounted, all, "log: {}", enrich.log_text());

    assert_eq!(dead_lettered, BTreeSet::from(["names".to_string()]));
    let letter = &dead[0];
    assert_eq!(letter.headers["newsflow.error.kind"], "output_too_large");
    assert!(
        letter.headers["newsflow.error.message"].contains("output limit is"),
        "{:?}",
        letter.headers
    );

    let schemas = Schemas::load();
    for record in &out {
        assert!(
            record.payload.len() <= LIMIT,
            "{:?}: {} bytes",
            record.key,
            record.payload.len()
        );
        schemas.assert_enriched(&record.json());
    }
    let dates = out
        .iter()
        .find(|r| r.key.as_deref() == Some("dates"))
        .expect("the dates article is delivered")
        .json();
    let truncated = &dates["truncated"];
    assert!(truncated["dates"].as_u64().unwrap_or(0) > 0, "{truncated}");
    for entity in dates["entities"].as_array().unwrap() {
        let listed = entity["mentions"].as_array().unwrap().len() as u64;
        assert!(entity["count"].as_u64().unwrap() >= listed);
    }
    for good in ["good-0", "good-1", "good-2"] {
        let record = out.iter().find(|r| r.key.as_deref() == Some(good)).unwrap();
        assert!(record.json().get("truncated").is_none(), "{good}");
    }

    // Both sinks take every delivered record.
    db.wait_for_articles(4, Duration::from_secs(120), String::new)
        .await;
    let rows: BTreeSet<String> = db.ids().await.into_iter().collect();
    assert_eq!(rows, delivered);
    assert_eq!(
        db.count("SELECT count(*) FROM articles WHERE truncated IS NOT NULL")
            .await,
        1
    );
    let started = Instant::now();
    let sunk = loop {
        let sunk: BTreeSet<String> = read_jsonl_dir(&jsonl_dir)
            .iter()
            .filter_map(|v| v["id"].as_str().map(str::to_string))
            .collect();
        if sunk.len() >= delivered.len() || started.elapsed() > Duration::from_secs(120) {
            break sunk;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(sunk, delivered);
    assert!(enrich.is_running());
}

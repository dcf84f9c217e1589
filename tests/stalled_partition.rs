//! A record the broker never hands over (Tansu 0.6.0 serves none above
//! 5 MiB) stops its partition. The stall is seen (log, metric, /readyz),
//! and only the opt-in policy moves past it, with a dead letter for the
//! offset.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use newsflow_tests::*;

#[tokio::test(flavor = "multi_thread")]
async fn an_unservable_record_is_reported_stalled_and_skipped_only_when_asked() {
    let names = Names::new();
    create_topic(&names.raw, 2).await;
    // Partition 0: good, unservable, good. Partition 1 keeps moving.
    let unservable = serde_json::json!({"id": "big", "title": "Big", "body": "x".repeat(6 << 20)})
        .to_string()
        .into_bytes();
    let before = ("before".to_string(), raw_article("before", 0));
    let big = ("big".to_string(), unservable);
    let after = ("after".to_string(), raw_article("after", 1));
    produce_to_partition(&names.raw, 0, &[before, big, after]).await;
    let others: Vec<(String, Vec<u8>)> = (0..5)
        .map(|i| (format!("other-{i}"), raw_article(&format!("other-{i}"), i)))
        .collect();
    produce_to_partition(&names.raw, 1, &others).await;

    let work = tempfile::tempdir().unwrap();
    let port = free_port();
    let http = format!("127.0.0.1:{port}");
    let args = names.enrich_args(&[
        "--partitions",
        "1",
        "--stall-timeout",
        "10",
        "--http",
        &http,
    ]);
    let enrich = Newsflow::start(&args, work.path(), "enrich");

    // Everything readable arrives; the partition stands at the big record.
    let out = read_topic_until(&names.enriched, Duration::from_secs(120), |r| {
        distinct_keys(r).len() >= 6
    });
    let delivered: BTreeSet<String> = distinct_keys(&out).into_iter().collect();
    assert!(delivered.contains("before") && !delivered.contains("after"));
    let scrape = scrape_until(port, Duration::from_secs(90), |s| {
        metric(s, "newsflow_stalled_partitions", &[]) == Some(1.0)
    });
    assert_eq!(
        metric(&scrape, "newsflow_partition_stalls_total", &[]),
        Some(1.0)
    );
    let log = enrich.log_text();
    let line = log
        .lines()
        .find(|l| l.contains(PARTITION_STALLED))
        .unwrap_or_else(|| panic!("no stall in the log:\n{log}"));
    assert!(
        line.contains(&names.raw) && line.contains("\"offset\":1"),
        "{line}"
    );
    let (status, body) = http_get(port, "/readyz").unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("stalled"), "{body}");
    assert_eq!(http_get(port, "/healthz").map(|(s, _)| s), Some(200));
    // By default nothing is given up: no dead letter, the record waits.
    assert!(read_topic_until(&names.dlq, Duration::from_secs(3), |r| !r.is_empty()).is_empty());
    assert_eq!(enrich.terminate(Duration::from_secs(60)), Some(0));

    // Opted in: a header-only dead letter for the offset, then the rest.
    let args = names.enrich_args(&[
        "--partitions",
        "1",
        "--stall-timeout",
        "10",
        "--skip-unreadable",
        "--http",
        &http,
    ]);
    let mut enrich = Newsflow::start(&args, work.path(), "enrich-skip");
    let dead = read_topic_until(&names.dlq, Duration::from_secs(120), |r| !r.is_empty());
    assert_eq!(dead.len(), 1);
    let letter = &dead[0];
    assert_eq!(letter.headers["newsflow.error.kind"], "unreadable");
    assert_eq!(letter.headers["newsflow.source.partition"], "0");
    assert_eq!(letter.headers["newsflow.source.offset"], "1");
    assert!(letter.payload.is_empty() && letter.key.is_none());
    let out = read_topic_until(&names.enriched, Duration::from_secs(60), |r| {
        distinct_keys(r).contains("after")
    });
    assert!(distinct_keys(&out).contains("after"));
    let scrape = scrape_until(port, Duration::from_secs(30), |s| {
        metric(s, "newsflow_unreadable_skipped_total", &[]) == Some(1.0)
    });
    assert_eq!(
        metric(&scrape, "newsflow_stalled_partitions", &[]),
        Some(0.0)
    );
    let ready_by = Instant::now() + Duration::from_secs(30);
    while http_get(port, "/readyz").map(|(s, _)| s) != Some(200) {
        assert!(Instant::now() < ready_by, "{:?}", http_get(port, "/readyz"));
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(enrich.is_running());
    assert_eq!(enrich.terminate(Duration::from_secs(60)), Some(0));
}

//! `--http`: `/metrics` counts exactly what the enricher processed, and
//! `/healthz` and `/readyz` answer.

use std::time::Duration;

use newsflow_tests::*;

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_what_the_enricher_processed() {
    let names = Names::new();
    let partitions = 2;
    create_topic(&names.raw, partitions).await;
    create_topic(&names.enriched, partitions).await;
    create_topic(&names.dlq, 1).await;
    let mut records: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| (format!("m-{i}"), raw_article(&format!("m-{i}"), i)))
        .collect();
    for i in 0..3 {
        records.push((format!("bad-{i}"), b"{not json".to_vec()));
    }
    produce(&names.raw, &records).await;

    let port = free_port();
    let address = format!("127.0.0.1:{port}");
    let work = tempfile::tempdir().unwrap();
    let enricher = Newsflow::start(
        &names.enrich_args(&["--no-create-topic", "--http", &address]),
        work.path(),
        "enrich",
    );
    let stage = "stage=\"enrich\"";
    let scrape = scrape_until(port, Duration::from_secs(120), |s| {
        metric(s, "newsflow_records_delivered_total", &[stage]) == Some(40.0)
            && metric(s, "newsflow_records_dead_lettered_total", &[stage]) == Some(3.0)
    });
    assert_eq!(
        metric(&scrape, "newsflow_records_received_total", &[stage]),
        Some(43.0)
    );
    assert_eq!(
        metric(&scrape, "newsflow_process_seconds_count", &[stage]),
        Some(43.0)
    );
    assert_eq!(
        metric(
            &scrape,
            "newsflow_process_seconds_bucket",
            &[stage, "le=\"+Inf\""]
        ),
        Some(43.0)
    );
    assert_eq!(
        metric(&scrape, "newsflow_assigned_partitions", &[stage]),
        Some(2.0)
    );

    // Consumer lag comes from librdkafka's statistics every 5 s; once the
    // offsets are committed it is zero on both partitions.
    let raw_topic = format!("topic=\"{}\"", names.raw);
    scrape_until(port, Duration::from_secs(30), |s| {
        (0..partitions).all(|p| {
            let partition = format!("partition=\"{p}\"");
            metric(s, "newsflow_consumer_lag", &[&raw_topic, &partition]) == Some(0.0)
        })
    });

    assert_eq!(http_get(port, "/healthz"), Some((200, "ok\n".into())));
    assert_eq!(http_get(port, "/readyz"), Some((200, "ready\n".into())));
    assert_eq!(enricher.terminate(Duration::from_secs(30)), Some(0));
    assert!(
        http_get(port, "/healthz").is_none(),
        "the server stops with the process"
    );
}

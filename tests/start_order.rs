//! Roles start in any order: a consumer whose topic does not exist yet
//! starts reading within seconds of its creation, not at librdkafka's next
//! metadata refresh (five minutes by default).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use newsflow_tests::*;

#[tokio::test(flavor = "multi_thread")]
async fn sink_then_enricher_then_producer_still_delivers_within_seconds() {
    let names = Names::new();
    let work = tempfile::tempdir().unwrap();
    let out_dir = work.path().join("out");
    let to = format!("jsonl:{}", out_dir.display());

    // The sink first: neither the enriched topic nor the raw one exists.
    let mut sink = Newsflow::start(
        &sink_args(&names.enriched, &names.dlq, &unique("sink"), &to, &[]),
        work.path(),
        "sink",
    );
    sink.wait_for_log(TOPIC_MISSING, Duration::from_secs(30));
    assert!(!topic_exists(&names.enriched), "the sink creates no topic");

    // Then the enricher, which creates its output topics; its input does
    // not exist yet either.
    let mut enrich = Newsflow::start(
        &names.enrich_args(&["--partitions", "2"]),
        work.path(),
        "enrich",
    );
    enrich.wait_for_log(TOPIC_MISSING, Duration::from_secs(30));
    assert!(topic_exists(&names.enriched));

    // Then the articles, on a topic made just now.
    create_topic(&names.raw, 2).await;
    let records: Vec<(String, Vec<u8>)> = (0..20)
        .map(|i| (format!("order-{i}"), raw_article(&format!("order-{i}"), i)))
        .collect();
    let produced = Instant::now();
    produce(&names.raw, &records).await;
    let expected: BTreeSet<String> = records.iter().map(|(id, _)| id.clone()).collect();

    // Far less than the five minutes librdkafka would wait by itself.
    let deadline = Duration::from_secs(60);
    let sunk = loop {
        let sunk: BTreeSet<String> = read_jsonl_dir(&out_dir)
            .iter()
            .filter_map(|v| v["id"].as_str().map(str::to_string))
            .collect();
        if sunk.len() >= expected.len() || produced.elapsed() > deadline {
            break sunk;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(
        sunk,
        expected,
        "after {:?}; enrich log:\n{}\nsink log:\n{}",
        produced.elapsed(),
        enrich.log_text(),
        sink.log_text()
    );
    eprintln!(
        "start_order: every article sunk {:.1} s after it was produced",
        produced.elapsed().as_secs_f64()
    );
    assert_eq!(enrich.terminate(Duration::from_secs(60)), Some(0));
    assert_eq!(sink.terminate(Duration::from_secs(60)), Some(0));
}

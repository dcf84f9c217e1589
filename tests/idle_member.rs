//! The stall seen in a chaos run: an enricher restarted after a `kill -9`
//! joins while the dead member still holds every partition, gets none,
//! and then the broker restarts. The member must not sit idle for good:
//! once its group's partitions lag and nobody moves them, it rejoins.
//!
//! The test runs a Tansu of its own, since it kills and restarts it.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use newsflow_tests::*;

const ARTICLES: usize = 3_000;

fn assigned_nothing(log: &str) -> bool {
    log.lines().any(|l| {
        l.contains(&format!("\"{PARTITIONS_ASSIGNED}\"")) && l.contains("\"partitions\":\"\"")
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_without_partitions_after_a_broker_restart_rejoins_and_the_stream_completes() {
    let Some(tansu) = tansu_for_test() else {
        return;
    };
    let broker_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let broker = start_tansu(&tansu, broker_dir.path(), port, port, &[]);
    use_broker(&format!("127.0.0.1:{port}"));

    let names = Names::new();
    create_topic(&names.raw, 6).await;
    let records: Vec<(String, Vec<u8>)> = (0..ARTICLES)
        .map(|i| (format!("idle-{i}"), raw_article(&format!("idle-{i}"), i)))
        .collect();
    produce(&names.raw, &records).await;
    let expected: BTreeSet<String> = records.iter().map(|(id, _)| id.clone()).collect();

    let work = tempfile::tempdir().unwrap();
    let args = names.enrich_args(&["--partitions", "6"]);
    let mut first = Newsflow::start(&args, work.path(), "enrich-a");
    first.wait_for_log(
        &format!("\"{PARTITIONS_ASSIGNED}\""),
        Duration::from_secs(60),
    );
    read_topic_until(&names.enriched, Duration::from_secs(120), |r| {
        r.len() >= 200
    });
    first.kill_hard();

    // A new member joins while the dead one's session has not expired.
    let http_port = free_port();
    let http = format!("127.0.0.1:{http_port}");
    let mut args_b = args.clone();
    args_b.extend(["--http".to_string(), http]);
    if let Ok(extra) = std::env::var("IDLE_EXTRA") {
        args_b.extend(extra.split_whitespace().map(str::to_string));
    }
    let mut second = Newsflow::start(&args_b, work.path(), "enrich-b");
    second.wait_for_log(&format!("\"{CONSUMING}\""), Duration::from_secs(30));
    std::thread::sleep(Duration::from_secs(1));
    // The precondition, or the test proves nothing: the new member holds
    // no partition when the broker goes.
    let log = second.log_text();
    assert!(
        !log.contains(&format!("\"{PARTITIONS_ASSIGNED}\"")) || assigned_nothing(&log),
        "precondition: the new member already has partitions; log:\n{log}"
    );

    // The broker restarts while the new member has no partitions.
    drop(broker);
    std::thread::sleep(Duration::from_secs(1));
    let _broker = start_tansu(&tansu, broker_dir.path(), port, port, &[]);
    let restarted = Instant::now();

    let out = read_topic_until(&names.enriched, Duration::from_secs(240), |r| {
        distinct_keys(r).len() >= ARTICLES
    });
    let got: BTreeSet<String> = distinct_keys(&out).into_iter().collect();
    let missing = expected.difference(&got).count();
    assert_eq!(
        missing,
        0,
        "{missing} articles never enriched; log:\n{}",
        second.log_text()
    );
    let scrape = http_get(http_port, "/metrics")
        .map(|(_, body)| body)
        .unwrap_or_default();
    eprintln!(
        "idle_member: stream complete {:.0} s after the broker restart; rejoins: {:?}; duplicates: {}",
        restarted.elapsed().as_secs_f64(),
        metric(&scrape, "newsflow_group_rejoins_total", &[]),
        out.len() - got.len()
    );
    assert!(second.is_running());
}

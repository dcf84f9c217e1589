//! `kill -9` during a stream loses nothing: offsets are stored only after
//! output is acknowledged, so a restarted member re-reads what was not.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use newsflow_tests::*;

const ARTICLES: usize = 5_000;
const KILLS: usize = 3;

fn output_count(topic: &str, partitions: i32) -> i64 {
    high_watermarks(topic, partitions).values().sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn crash_after_produce_before_commit_loses_nothing() {
    let names = Names::new();
    let (raw, enriched, dlq) = (names.raw.clone(), names.enriched.clone(), names.dlq.clone());
    let partitions = 4;
    create_topic(&raw, partitions).await;
    create_topic(&enriched, partitions).await;
    create_topic(&dlq, 1).await;

    // The stream: articles arrive in small batches while the enricher runs
    // and is killed.
    let stream_topic = raw.clone();
    let stream = tokio::spawn(async move {
        for start in (0..ARTICLES).step_by(100) {
            let batch: Vec<(String, Vec<u8>)> = (start..start + 100)
                .map(|i| (format!("c-{i}"), raw_article(&format!("c-{i}"), i)))
                .collect();
            produce(&stream_topic, &batch).await;
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
    });

    let work = tempfile::tempdir().unwrap();
    let args = names.enrich_args(&["--no-create-topic"]);
    let mut member = Newsflow::start(&args, work.path(), "enrich-0");
    for kill in 1..=KILLS {
        let threshold = (kill * ARTICLES / (KILLS + 1)) as i64;
        let deadline = Instant::now() + Duration::from_secs(180);
        while output_count(&enriched, partitions) < threshold {
            assert!(
                Instant::now() < deadline,
                "no progress to {threshold}; log:\n{}",
                member.log_text()
            );
            assert!(
                member.is_running(),
                "enricher died; log:\n{}",
                member.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let at = output_count(&enriched, partitions);
        assert!(
            at < ARTICLES as i64,
            "kill {kill} came after the stream was done"
        );
        eprintln!("kill -9 #{kill} at {at} output records");
        member.kill_hard();
        member = Newsflow::start(&args, work.path(), &format!("enrich-{kill}"));
    }
    stream.await.unwrap();

    let out = read_topic_until(&enriched, Duration::from_secs(300), |r| {
        distinct_keys(r).len() >= ARTICLES
    });
    let keys = distinct_keys(&out);
    let missing: Vec<String> = (0..ARTICLES)
        .map(|i| format!("c-{i}"))
        .filter(|k| !keys.contains(k))
        .collect();
    assert!(
        missing.is_empty(),
        "{} ids lost, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    // Each kill can repeat at most what was not yet committed, once.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for r in &out {
        *seen
            .entry(r.key.as_deref().unwrap_or_default())
            .or_default() += 1;
    }
    let most = seen.values().copied().max().unwrap_or(0);
    assert!(
        most <= KILLS + 1,
        "an article came out {most} times after {KILLS} kills"
    );
    let duplicates = out.len() - keys.len();
    eprintln!("crash test: {ARTICLES} articles, {KILLS} kills, {} output records, {duplicates} duplicates", out.len());
    assert!(
        read_topic_until(&dlq, Duration::from_secs(2), |r| !r.is_empty()).is_empty(),
        "nothing dead-lettered"
    );
    assert_eq!(member.terminate(Duration::from_secs(60)), Some(0));
}

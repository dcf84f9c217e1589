//! SIGTERM drains, commits and exits 0; a restarted member resumes where
//! the last one stopped, with no loss and no record processed twice.

use std::time::Duration;

use newsflow_tests::*;

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_commits_and_a_restarted_member_resumes_without_loss_or_reprocessing() {
    let names = Names::new();
    let (raw, enriched, group) = (
        names.raw.clone(),
        names.enriched.clone(),
        names.group.clone(),
    );
    let partitions = 3;
    create_topic(&raw, partitions).await;
    let batch = |from: usize, n: usize| -> Vec<(String, Vec<u8>)> {
        (from..from + n)
            .map(|i| (format!("a-{i}"), raw_article(&format!("a-{i}"), i)))
            .collect()
    };
    produce(&raw, &batch(0, 300)).await;

    let work = tempfile::tempdir().unwrap();
    let args = names.enrich_args(&["--partitions", "3"]);
    let first = Newsflow::start(&args, work.path(), "enrich-1");
    let out = read_topic_until(&enriched, Duration::from_secs(120), |r| r.len() >= 300);
    assert_eq!(distinct_keys(&out).len(), 300);

    let log = first.log.clone();
    assert_eq!(
        first.terminate(Duration::from_secs(60)),
        Some(0),
        "exit code after SIGTERM"
    );
    let text = std::fs::read_to_string(log).unwrap();
    assert!(
        text.contains(SHUTDOWN_REQUESTED) && text.contains(&format!("\"{STOPPED}\"")),
        "{text}"
    );
    assert_eq!(
        committed_offsets(&group, &raw, partitions),
        high_watermarks(&raw, partitions),
        "every consumed offset is committed"
    );

    produce(&raw, &batch(300, 100)).await;
    let second = Newsflow::start(&args, work.path(), "enrich-2");
    let out = read_topic_until(&enriched, Duration::from_secs(120), |r| r.len() >= 400);
    assert_eq!(distinct_keys(&out).len(), 400, "no loss");
    // give a wrongly re-processed record time to show up
    std::thread::sleep(Duration::from_secs(3));
    let out = read_topic_until(&enriched, Duration::from_secs(10), |r| r.len() > 400);
    assert_eq!(out.len(), 400, "nothing committed was processed again");
    assert_eq!(second.terminate(Duration::from_secs(60)), Some(0));
}

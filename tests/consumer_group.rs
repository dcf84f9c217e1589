//! Two enricher members share the partitions; when one stops, the other
//! takes them over without losing anything.

use std::collections::HashSet;
use std::time::Duration;

use newsflow_tests::*;

#[tokio::test(flavor = "multi_thread")]
async fn two_members_share_partitions_and_one_takes_over_when_the_other_stops() {
    let names = Names::new();
    let (raw, enriched) = (names.raw.clone(), names.enriched.clone());
    let partitions = 4;
    create_topic(&raw, partitions).await;
    let work = tempfile::tempdir().unwrap();
    let args = names.enrich_args(&["--partitions", "4"]);

    let mut a = Newsflow::start(&args, work.path(), "member-a");
    wait_for_assignment(&mut a, |p| p.len() == 4);
    let mut b = Newsflow::start(&args, work.path(), "member-b");
    let of_b = wait_for_assignment(&mut b, |p| !p.is_empty());
    let of_a = wait_for_assignment(&mut a, |p| !p.is_empty() && p.len() < 4);
    let all: HashSet<i32> = of_a.iter().chain(&of_b).copied().collect();
    assert_eq!(of_a.len() + of_b.len(), 4, "a has {of_a:?}, b has {of_b:?}");
    assert_eq!(all, (0..4).collect(), "together they cover every partition");

    let batch = |from: usize, n: usize| -> Vec<(String, Vec<u8>)> {
        (from..from + n)
            .map(|i| (format!("g-{i}"), raw_article(&format!("g-{i}"), i)))
            .collect()
    };
    produce(&raw, &batch(0, 400)).await;
    let out = read_topic_until(&enriched, Duration::from_secs(120), |r| {
        distinct_keys(r).len() >= 400
    });
    assert_eq!(distinct_keys(&out).len(), 400);
    // Both members did the work of their own partitions: the records'
    // provenance names every partition each of them holds.
    let sources: HashSet<i32> = out
        .iter()
        .filter_map(|r| serde_json::from_slice::<serde_json::Value>(&r.payload).ok())
        .filter_map(|v| v["provenance"]["source"]["partition"].as_i64())
        .map(|p| p as i32)
        .collect();
    for (member, held) in [("a", &of_a), ("b", &of_b)] {
        assert!(
            held.iter().all(|p| sources.contains(p)),
            "{member} holds {held:?}, but output came from {sources:?}"
        );
    }

    // b leaves; a takes everything over
    assert_eq!(b.terminate(Duration::from_secs(60)), Some(0));
    produce(&raw, &batch(400, 400)).await;
    wait_for_assignment(&mut a, |p| p.len() == 4);
    let out = read_topic_until(&enriched, Duration::from_secs(120), |r| {
        distinct_keys(r).len() >= 800
    });
    assert_eq!(
        distinct_keys(&out).len(),
        800,
        "no loss across the hand-over"
    );
    assert_eq!(
        out.len(),
        800,
        "a graceful hand-over processes nothing twice"
    );
    assert_eq!(a.terminate(Duration::from_secs(60)), Some(0));
}

//! Two enricher members share the partitions; when one stops, the other
//! takes them over without losing anything. Each member's assignment and
//! positions are read from its `/status`.

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
    let (port_a, port_b) = (free_port(), free_port());
    let member = |port: u16| {
        let http = format!("127.0.0.1:{port}");
        names.enrich_args(&["--partitions", "4", "--http", &http])
    };
    let assigned = |port: u16, accept: fn(&[i32]) -> bool| {
        status_partitions(&wait_for_status(port, Duration::from_secs(120), |s| {
            accept(&status_partitions(s))
        }))
    };

    let a = Newsflow::start(&member(port_a), work.path(), "member-a");
    assigned(port_a, |p| p.len() == 4);
    let b = Newsflow::start(&member(port_b), work.path(), "member-b");
    let of_b = assigned(port_b, |p| !p.is_empty());
    let of_a = assigned(port_a, |p| !p.is_empty() && p.len() < 4);
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
    // Their positions (the offset after the last delivered record) add up
    // to every record, once the last offsets are stored.
    let positions = |status: &serde_json::Value| -> i64 {
        status["partitions"]
            .as_array()
            .map(|list| list.iter().filter_map(|p| p["position"].as_i64()).sum())
            .unwrap_or(0)
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (sa, sb) = (status(port_a), status(port_b));
        let total = sa.as_ref().map_or(0, positions) + sb.as_ref().map_or(0, positions);
        if total == 400 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "positions add up to {total}, not 400: a {sa:?}, b {sb:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // b leaves; a takes everything over
    assert_eq!(b.terminate(Duration::from_secs(60)), Some(0));
    produce(&raw, &batch(400, 400)).await;
    assigned(port_a, |p| p.len() == 4);
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
    // a now stands at the end of every partition. A partition the
    // hand-over revoked from a and gave back may have had its new records
    // delivered before that: its position (since a took it again) is then
    // unknown, and its committed offset says where a stands.
    let standing = |status: &serde_json::Value| -> i64 {
        status["partitions"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|p| p["position"].as_i64().or(p["committed"].as_i64()))
                    .sum()
            })
            .unwrap_or(0)
    };
    wait_for_status(port_a, Duration::from_secs(60), |s| {
        status_partitions(s) == [0, 1, 2, 3] && standing(s) == 800
    });
    assert_eq!(a.terminate(Duration::from_secs(60)), Some(0));
}

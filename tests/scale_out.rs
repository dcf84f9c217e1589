//! Three enricher replicas in one group while articles stream, every
//! article in several versions under one key. A rolling restart (SIGTERM,
//! one replica at a time) loses nothing and repeats nothing; a SIGKILL loses
//! nothing and repeats only what the killed replica had not committed. In
//! both, each key's versions come out in the order they went in.
//!
//! One allowance, for the broker: a partition Tansu 0.6.0 gave two members
//! at the same time (read off their logs) may repeat records.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use newsflow_tests::*;

const KEYS: usize = 40;
const REPLICAS: usize = 3;

/// `(key, version)` of an enriched record (the version is the number in
/// the title `raw_article` writes).
fn version_of(read: &Read) -> (String, usize) {
    let value = read.json();
    let title = value["title"].as_str().unwrap_or_default();
    let version = title
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no version in {title:?}"));
    (
        value["id"].as_str().unwrap_or_default().to_string(),
        version,
    )
}

/// Produces versions `rounds` of every key, one round every `every`.
async fn stream(raw: String, rounds: std::ops::Range<usize>, every: Duration) {
    for version in rounds {
        let batch: Vec<(String, Vec<u8>)> = (0..KEYS)
            .map(|k| {
                let id = format!("key-{k}");
                let record = raw_article(&id, version);
                (id, record)
            })
            .collect();
        produce(&raw, &batch).await;
        tokio::time::sleep(every).await;
    }
}

/// Each key's versions in output order (partition, then offset), and how
/// many records repeat an earlier one.
fn by_key(out: &[Read]) -> (BTreeMap<String, Vec<usize>>, usize) {
    let mut sorted: Vec<&Read> = out.iter().collect();
    sorted.sort_by_key(|r| (r.partition, r.offset));
    let mut keys: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for read in sorted {
        let (key, version) = version_of(read);
        keys.entry(key).or_default().push(version);
    }
    let unique: usize = keys
        .values()
        .map(|v| v.iter().collect::<HashSet<_>>().len())
        .sum();
    (keys, out.len() - unique)
}

/// Output partitions holding a record twice. Raw and enriched topics have
/// the same partition count and both are keyed by article id, so an output
/// partition is also the input partition its records came from.
fn repeated_partitions(out: &[Read]) -> HashSet<i32> {
    let mut seen = HashSet::new();
    out.iter()
        .filter(|r| !seen.insert(version_of(r)))
        .map(|r| r.partition)
        .collect()
}

/// Input partitions that two replicas held at the same time, from the
/// replicas' logs (`partitions assigned` … `partitions revoked`/`stopped`).
/// Tansu 0.6.0's coordinator can hand a partition to a new generation's
/// member before the old owner has rejoined and given it up; both then
/// process it, and no client can tell. Kafka fences the old owner.
fn doubly_owned(logs: &std::path::Path) -> HashSet<i32> {
    // (partition, from, to) per replica log; RFC 3339 UTC times compare as text
    let mut held: Vec<(usize, i32, String, String)> = Vec::new();
    let files = std::fs::read_dir(logs).expect("log dir");
    for (n, file) in files.enumerate() {
        let text = std::fs::read_to_string(file.expect("entry").path()).unwrap_or_default();
        let mut open: HashMap<i32, String> = HashMap::new();
        for line in text.lines() {
            let Ok(event) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let at = event["timestamp"].as_str().unwrap_or_default().to_string();
            let fields = &event["fields"];
            match fields["message"].as_str().unwrap_or_default() {
                m if m == PARTITIONS_ASSIGNED => {
                    for p in logged_partitions(fields) {
                        open.insert(p, at.clone());
                    }
                }
                m if m == PARTITIONS_REVOKED => {
                    for p in logged_partitions(fields) {
                        if let Some(from) = open.remove(&p) {
                            held.push((n, p, from, at.clone()));
                        }
                    }
                }
                _ => {}
            }
        }
        // still held at the end, or when the process was killed
        for (p, from) in open {
            held.push((n, p, from, "9999".into()));
        }
    }
    let mut out = HashSet::new();
    for (i, a) in held.iter().enumerate() {
        for b in &held[i + 1..] {
            if a.0 != b.0 && a.1 == b.1 && a.2 < b.3 && b.2 < a.3 {
                out.insert(a.1);
            }
        }
    }
    out
}

/// Distinct `(key, version)` pairs among `out`.
fn distinct(out: &[Read]) -> usize {
    out.iter().map(version_of).collect::<HashSet<_>>().len()
}

/// Every key has versions `0..rounds`, and the first time each version
/// appears, it follows the one before: a replayed stretch may repeat
/// versions, but never brings an older one after a newer first sighting.
fn assert_complete_and_in_order(keys: &BTreeMap<String, Vec<usize>>, rounds: usize) {
    assert_eq!(keys.len(), KEYS, "every key came out");
    for (key, versions) in keys {
        let mut firsts = Vec::new();
        for v in versions {
            if !firsts.contains(v) {
                firsts.push(*v);
            }
        }
        assert_eq!(
            firsts,
            (0..rounds).collect::<Vec<_>>(),
            "{key}: versions out of order or missing: {versions:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn replicas_restarted_and_killed_under_load_keep_every_record_in_key_order() {
    let names = Names::new();
    create_topic(&names.raw, 6).await;
    let work = tempfile::Builder::new()
        .prefix("scale-out")
        .disable_cleanup(std::env::var_os("NEWSFLOW_TEST_KEEP").is_some())
        .tempdir()
        .unwrap();
    eprintln!("replica logs in {}", work.path().display());
    // A killed replica's partitions move on after its session times out.
    let args = names.enrich_args(&["--partitions", "6", "-X", "session.timeout.ms=6000"]);
    let start = |n: usize, generation: usize| {
        Newsflow::start(&args, work.path(), &format!("replica-{n}-{generation}"))
    };
    let mut replicas: Vec<Newsflow> = (0..REPLICAS).map(|n| start(n, 0)).collect();
    for replica in &mut replicas {
        wait_for_assignment(replica, |p| !p.is_empty() && p.len() < 6);
    }

    // Phase one: a rolling restart while articles stream.
    let producer = tokio::spawn(stream(names.raw.clone(), 0..15, Duration::from_millis(700)));
    for (n, replica) in replicas.iter_mut().enumerate() {
        let old = std::mem::replace(replica, start(n, 1));
        assert_eq!(
            old.terminate(Duration::from_secs(60)),
            Some(0),
            "SIGTERM ends it cleanly"
        );
        wait_for_assignment(replica, |p| !p.is_empty());
    }
    producer.await.unwrap();
    let phase_one = 15 * KEYS;
    let out = read_topic_until(&names.enriched, Duration::from_secs(180), |r| {
        distinct(r) >= phase_one
    });
    let (keys, repeated_in_phase_one) = by_key(&out);
    assert_complete_and_in_order(&keys, 15);
    let doubled = doubly_owned(work.path());
    let repeats = repeated_partitions(&out);
    assert!(
        repeats.is_subset(&doubled),
        "a rolling restart repeats nothing, except on a partition the broker gave two \
         members at once: repeats on {repeats:?}, doubly owned {doubled:?}"
    );
    eprintln!(
        "rolling restart: repeats on {repeats:?}; partitions owned twice at once {doubled:?}"
    );

    // Phase two: one replica is killed while articles stream.
    let producer = tokio::spawn(stream(
        names.raw.clone(),
        15..30,
        Duration::from_millis(400),
    ));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let killed = std::mem::replace(&mut replicas[0], start(0, 2));
    killed.kill_hard();
    producer.await.unwrap();
    let all = 30 * KEYS;
    let out = read_topic_until(&names.enriched, Duration::from_secs(180), |r| {
        distinct(r) >= all
    });
    if distinct(&out) < all {
        eprintln!(
            "committed {:?}\nhigh {:?}",
            committed_offsets(&names.group, &names.raw, 6),
            high_watermarks(&names.raw, 6)
        );
        for r in &replicas {
            let log = r.log_text();
            let tail: Vec<&str> = log.lines().rev().take(25).collect();
            eprintln!(
                "---- replica log tail:\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
    }
    let (keys, repeated) = by_key(&out);
    assert_complete_and_in_order(&keys, 30);
    // Repeats come only from the kill: none among the records of phase one,
    // which were all delivered and committed before it.
    let (_, repeated_before) = by_key(
        &out.iter()
            .filter(|r| version_of(r).1 < 15)
            .cloned()
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        repeated_before, repeated_in_phase_one,
        "records done before the kill are not repeated"
    );
    eprintln!(
        "scale-out: {} records out, {} repeated after the SIGKILL",
        out.len(),
        repeated - repeated_in_phase_one
    );
    for replica in replicas {
        assert_eq!(replica.terminate(Duration::from_secs(60)), Some(0));
    }
}

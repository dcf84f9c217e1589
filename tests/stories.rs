//! Near-duplicates across enricher replicas, through the shared story store
//! in a real Redis server: replicas racing on near-copies that land on
//! different partitions, a replay that gets the stored answers back, and a
//! store that goes away and comes back empty.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{SecondsFormat, Utc};
use newsflow_tests::*;

/// The machine's Redis server (`NEWSFLOW_TEST_REDIS`).
fn shared_redis() -> String {
    std::env::var("NEWSFLOW_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A raw article of `paragraphs` sentences of story `story`, with a
/// headline of its own: copies of one story differ in their headline and
/// capitalisation only, stories share nothing but boilerplate.
fn article(id: &str, story: usize, headline: &str, upper: bool) -> Vec<u8> {
    let body: String = (0..30)
        .map(|i| {
            // Every run of five words holds a word of this story's
            // paragraph only: stories share nothing.
            format!("Report {story} paragraph {i}: officials{story}x{i} in district{story}x{i} said measure{story}x{i} would be reviewed{story}x{i}.")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let body = if upper { body.to_uppercase() } else { body };
    serde_json::json!({
        "schema": "newsflow.raw/1",
        "id": id,
        "title": headline,
        "body": body,
        "ingested_at": "2026-11-28T10:00:00Z",
        "published_at": "2026-11-27T08:30:00Z",
    })
    .to_string()
    .into_bytes()
}

fn story_of(record: &Read) -> (String, serde_json::Value) {
    let json = record.json();
    (
        json["id"].as_str().unwrap_or_default().to_string(),
        json["story"].clone(),
    )
}

/// The last story read per article id.
fn stories(records: &[Read]) -> HashMap<String, serde_json::Value> {
    records.iter().map(story_of).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn replicas_racing_on_near_copies_agree_and_a_replay_gets_the_stored_answers() {
    let names = Names::new();
    let prefix = format!("{}:", unique("newsflow-test-stories"));
    create_topic(&names.raw, 4).await;
    let work = tempfile::tempdir().unwrap();
    let store = shared_redis();
    let args = names.enrich_args(&[
        "--partitions",
        "4",
        "-X",
        "session.timeout.ms=6000",
        "--story-store",
        &store,
        "--story-store-prefix",
        &prefix,
    ]);
    let mut one = Newsflow::start(&args, work.path(), "one");
    let mut two = Newsflow::start(&args, work.path(), "two");
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    let deadline = Instant::now() + Duration::from_secs(90);
    while mine.len() + theirs.len() < 4 || mine.is_empty() || theirs.is_empty() {
        assert!(
            Instant::now() < deadline,
            "the replicas never split the partitions"
        );
        mine = wait_for_assignment(&mut one, |_| true);
        theirs = wait_for_assignment(&mut two, |_| true);
        std::thread::sleep(Duration::from_millis(500));
    }

    // Each story's two copies go, at the same instant, to partitions that
    // different replicas read.
    let from = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let pairs = 30;
    let mut sends = Vec::new();
    for n in 0..pairs {
        let (a, b) = (format!("s{n}-a"), format!("s{n}-b"));
        let to_one = (
            mine[n % mine.len()],
            vec![(a.clone(), article(&a, n, "Measures reviewed", false))],
        );
        let to_two = (
            theirs[n % theirs.len()],
            vec![(
                b.clone(),
                article(&b, n, "Officials to review measures", true),
            )],
        );
        for (partition, records) in [to_one, to_two] {
            let topic = names.raw.clone();
            sends.push(tokio::spawn(async move {
                produce_to_partition(&topic, partition, &records).await
            }));
        }
    }
    for send in sends {
        send.await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let to = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let out = read_topic_until(&names.enriched, Duration::from_secs(180), |r| {
        distinct_keys(r).len() >= 2 * pairs
    });
    let decided = stories(&out);
    assert_eq!(decided.len(), 2 * pairs, "every article enriched");
    let mut duplicates = 0;
    for n in 0..pairs {
        let (a, b) = (format!("s{n}-a"), format!("s{n}-b"));
        let (sa, sb) = (&decided[&a], &decided[&b]);
        let kinds = [sa["kind"].as_str(), sb["kind"].as_str()];
        let (original, copy, copy_story) = match kinds {
            [Some("original"), Some("duplicate")] => (&a, &b, sb),
            [Some("duplicate"), Some("original")] => (&b, &a, sa),
            _ => panic!("story {n}: one original and one duplicate, not {sa} and {sb}"),
        };
        assert_eq!(
            copy_story["duplicate_of"].as_str(),
            Some(original.as_str()),
            "{copy}"
        );
        assert_eq!(copy_story["id"].as_str(), Some(original.as_str()), "{copy}");
        assert_eq!(sa["id"], sb["id"], "story {n}: one story id");
        duplicates += 1;
    }
    eprintln!(
        "stories: {duplicates} pairs split over two replicas, each one original and one duplicate"
    );
    for member in [one, two] {
        assert_eq!(member.terminate(Duration::from_secs(60)), Some(0));
    }

    // A replay of the same records gets the stored answers back.
    let v2 = unique("enriched-v2");
    let replay_group = unique("replay");
    let (code, stderr) = run_newsflow(&[
        "replay",
        "--input-topic",
        &names.raw,
        "--output-topic",
        &v2,
        "--dlq-topic",
        &names.dlq,
        "--from",
        &from,
        "--to",
        &to,
        "--group",
        &replay_group,
        "--partitions",
        "4",
        "--story-store",
        &store,
        "--story-store-prefix",
        &prefix,
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let replayed = read_topic_until(&v2, Duration::from_secs(60), |r| r.len() >= 2 * pairs);
    assert_eq!(
        stories(&replayed),
        decided,
        "the replay's stories are the stored ones"
    );
    clear_prefix(&prefix).await;
}

/// A Redis server of the test's own, on a free port, without persistence,
/// that the test stops and starts again.
struct OwnRedis {
    port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl OwnRedis {
    fn start() -> Self {
        let mut server = OwnRedis {
            port: free_port(),
            dir: tempfile::tempdir().unwrap(),
            child: None,
        };
        server.run();
        server
    }

    fn run(&mut self) {
        let binary =
            std::env::var("NEWSFLOW_TEST_REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        let child = Command::new(&binary)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("starting {binary} (set NEWSFLOW_TEST_REDIS_SERVER to its path): {e}")
            });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Two copies of each story in `stories`, ids tagged with `tag`.
fn story_copies(tag: &str, stories: std::ops::Range<usize>) -> Vec<(String, Vec<u8>)> {
    stories
        .flat_map(|n| {
            let (a, b) = (format!("{tag}{n}-a"), format!("{tag}{n}-b"));
            [
                (a.clone(), article(&a, n, "Measures reviewed", false)),
                (
                    b.clone(),
                    article(&b, n, "Officials to review measures", true),
                ),
            ]
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_outage_pauses_the_enricher_and_a_restarted_store_lets_it_go_on() {
    let names = Names::new();
    create_topic(&names.raw, 2).await;
    let mut redis = OwnRedis::start();
    let work = tempfile::tempdir().unwrap();
    let port = free_port();
    let store = redis.url();
    let port_arg = format!("127.0.0.1:{port}");
    let mut enricher = Newsflow::start(
        &names.enrich_args(&[
            "--partitions",
            "2",
            "--story-store",
            &store,
            "--http",
            &port_arg,
        ]),
        work.path(),
        "enricher",
    );
    wait_for_assignment(&mut enricher, |p| p.len() == 2);

    // Before the outage: copies are found.
    produce(&names.raw, &story_copies("before", 0..5)).await;
    let out = read_topic_until(&names.enriched, Duration::from_secs(60), |r| r.len() >= 10);
    let before = stories(&out);
    let duplicates = before.values().filter(|s| s["kind"] == "duplicate").count();
    assert_eq!(duplicates, 5, "{before:?}");

    // The store goes away: the enricher pauses and says why; records wait.
    redis.stop();
    produce(&names.raw, &story_copies("during", 0..5)).await;
    wait_for_status(port, Duration::from_secs(60), |s| {
        s["output_available"] == false
    });
    let (code, body) = http_get(port, "/readyz").unwrap();
    assert_eq!(code, 503, "{body}");
    std::thread::sleep(Duration::from_secs(3));
    let paused = read_topic_until(&names.enriched, Duration::from_secs(5), |_| false);
    assert_eq!(paused.len(), 10, "nothing goes out while the store is away");
    let scrape = scrape_until(port, Duration::from_secs(30), |s| {
        metric(s, "newsflow_story_store_errors_total", &[]).is_some_and(|v| v > 0.0)
    });
    assert!(
        metric(&scrape, "newsflow_stories_total", &["kind=\"duplicate\""]) == Some(5.0),
        "{scrape}"
    );

    // It comes back empty (no persistence): the waiting records go on and
    // their copies are found among themselves.
    redis.run();
    let out = read_topic_until(&names.enriched, Duration::from_secs(120), |r| r.len() >= 20);
    assert_eq!(out.len(), 20, "each record once");
    let after = stories(&out);
    let during: Vec<_> = after
        .iter()
        .filter(|(id, _)| id.starts_with("during"))
        .collect();
    assert_eq!(during.len(), 10);
    assert_eq!(
        during
            .iter()
            .filter(|(_, s)| s["kind"] == "duplicate")
            .count(),
        5,
        "{during:?}"
    );
    wait_for_status(port, Duration::from_secs(30), |s| {
        s["output_available"] == true
    });
    let dead = read_topic_until(&names.dlq, Duration::from_secs(3), |_| false);
    assert!(dead.is_empty(), "nothing dead-lettered: {dead:?}");
    let log = enricher.log_text();
    assert_eq!(enricher.terminate(Duration::from_secs(60)), Some(0));
    assert!(log.contains("the story store is unavailable"), "{log}");
    assert!(log.contains("the story store answers again"), "{log}");
}

/// Deletes the keys a test left under `prefix` on the machine's server.
async fn clear_prefix(prefix: &str) {
    let store = newsflow_stories::RedisStore::new(
        &shared_redis(),
        prefix,
        Default::default(),
        Default::default(),
    )
    .unwrap();
    store.clear().await.unwrap();
}

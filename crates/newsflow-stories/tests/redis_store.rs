//! The shared story store against the machine's Redis server
//! (`NEWSFLOW_TEST_REDIS`, default `redis://127.0.0.1:6379`), each test
//! under a prefix of its own.

use std::sync::Arc;

use newsflow_core::{Story, StoryKind};
use newsflow_stories::{MemoryIndex, RedisStore, Signature, Thresholds, Window};

fn server() -> String {
    std::env::var("NEWSFLOW_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A store under a fresh prefix, emptied when dropped.
struct TestStore {
    store: Arc<RedisStore>,
    prefix: String,
}

impl TestStore {
    async fn new(window: Window) -> Self {
        let prefix = format!(
            "newsflow-test:{}:{}:",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        TestStore {
            store: Arc::new(Self::client(&prefix, window)),
            prefix,
        }
    }

    fn client(prefix: &str, window: Window) -> RedisStore {
        RedisStore::new(&server(), prefix, Thresholds::default(), window).unwrap()
    }

    /// Another client of the same store: another replica.
    fn replica(&self) -> RedisStore {
        Self::client(&self.prefix, Window::default())
    }

    async fn decide(&self, id: &str, text: &str, time: i64) -> Story {
        self.store
            .decide(id, &Signature::of(text), Some(time))
            .await
            .unwrap_or_else(|e| panic!("deciding {id}: {e}"))
            .story
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        // The test's runtime, which drives the store's connection, is busy
        // dropping this: clear through a client and runtime of its own.
        let prefix = self.prefix.clone();
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime
                .block_on(async { Self::client(&prefix, Window::default()).clear().await })
                .map_err(std::io::Error::other)
        })
        .join();
    }
}

fn story(sentences: impl Iterator<Item = usize>) -> String {
    sentences
        .map(|i| {
            // Every run of five words holds a word of this paragraph only.
            format!("Paragraph {i}: minister{i} told reporters{i} in Ankara{i} that talks{i} would resume{i}.")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn a_reprint_is_a_duplicate_a_rewrite_the_same_story_and_answers_are_kept() {
    let store = TestStore::new(Window::default()).await;
    let first = store.decide("a", &story(0..40), 0).await;
    assert_eq!((first.kind, first.id.as_str()), (StoryKind::Original, "a"));
    let reprint = store.decide("b", &story(0..40).to_uppercase(), 60).await;
    assert_eq!(reprint.kind, StoryKind::Duplicate);
    assert_eq!(reprint.duplicate_of.as_deref(), Some("a"));
    let rewrite = store
        .decide("c", &story((0..27).chain(500..513)), 120)
        .await;
    assert_eq!(rewrite.kind, StoryKind::SameStory, "{rewrite:?}");
    assert_eq!(rewrite.id, "a");
    let other = store.decide("d", &story(900..940), 180).await;
    assert_eq!(other.kind, StoryKind::Original);

    // A replay, even of other text, gets the stored answer back, from
    // another client too.
    assert_eq!(store.decide("b", &story(700..740), 200).await, reprint);
    let replica = store.replica();
    let again = replica
        .decide("c", &Signature::of(&story(0..40)), Some(300))
        .await
        .unwrap();
    assert_eq!(again.story, rewrite);
    assert_eq!(again.round_trips, 1, "one look-up finds the stored answer");
}

#[tokio::test]
async fn the_store_decides_as_the_in_process_index_on_bbc_train() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/bbc/train.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let store = TestStore::new(Window::default()).await;
    let mut index = MemoryIndex::new(Thresholds::default(), Window::default());
    let (mut kinds, mut compared) = ([0usize; 3], 0);
    for line in text.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = record["id"].as_str().unwrap();
        let signature = Signature::of_article(
            record["title"].as_str().unwrap_or(""),
            record["text"].as_str().unwrap_or(""),
        );
        let expected = index.decide(id, &signature, Some(0));
        let got = store.store.decide(id, &signature, Some(0)).await.unwrap();
        assert_eq!(got.story, expected, "{id}");
        kinds[expected.kind as usize] += 1;
        compared += 1;
    }
    eprintln!("{compared} articles: originals, duplicates, same story {kinds:?}");
    assert!(
        kinds[1] > 50 && kinds[2] > 0,
        "BBC train holds dozens of copies: {kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_racing_on_near_copies_agree_on_which_came_first() {
    let store = TestStore::new(Window::default()).await;
    let replicas = [Arc::new(store.replica()), Arc::new(store.replica())];
    for round in 0..40 {
        let text = story(round * 100..round * 100 + 40);
        let copy = text.replace("minister", "Minister");
        let tasks: Vec<_> = [("x", text), ("y", copy)]
            .into_iter()
            .zip(replicas.iter().cloned())
            .map(|((name, text), replica)| {
                let id = format!("{name}{round}");
                tokio::spawn(async move {
                    let story = replica
                        .decide(&id, &Signature::of(&text), Some(round as i64))
                        .await
                        .unwrap()
                        .story;
                    (id, story)
                })
            })
            .collect();
        let mut decided = Vec::new();
        for task in tasks {
            decided.push(task.await.unwrap());
        }
        let originals: Vec<_> = decided
            .iter()
            .filter(|(_, s)| s.kind == StoryKind::Original)
            .collect();
        assert_eq!(originals.len(), 1, "round {round}: {decided:?}");
        let (first, _) = originals[0];
        let (_, copy) = decided.iter().find(|(id, _)| id != first).unwrap();
        assert_eq!(copy.kind, StoryKind::Duplicate, "round {round}");
        assert_eq!(copy.duplicate_of.as_ref(), Some(first));
        assert_eq!(&copy.id, first);
    }
}

#[tokio::test]
async fn the_window_is_capped_by_count_and_event_time() {
    let window = Window {
        max_age_secs: 10 * 86_400,
        max_articles: 3,
    };
    let store = TestStore::new(window).await;
    let day = 86_400;
    store.decide("a", &story(0..40), 0).await;
    for (n, id) in ["x", "y", "z"].into_iter().enumerate() {
        store
            .decide(id, &story(100 * (n + 1)..100 * (n + 1) + 40), 1)
            .await;
    }
    assert_eq!(store.store.articles().await.unwrap(), 3);
    // a fell out: its copy is an original, and a is decided afresh
    let copy = store.decide("a2", &story(0..40), 2).await;
    assert_eq!(copy.kind, StoryKind::Original);

    // eleven days on, everything before is out of the window
    let late = store.decide("late", &story(100..140), 11 * day).await;
    assert_eq!(late.kind, StoryKind::Original, "{late:?}");
    assert!(store.store.articles().await.unwrap() <= 2);
}

#[tokio::test]
async fn an_unreachable_server_is_a_transient_error_soon() {
    // a port nothing listens on
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let store = RedisStore::new(
        &format!("redis://127.0.0.1:{port}"),
        "newsflow-test:down:",
        Thresholds::default(),
        Window::default(),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let err = store
        .decide("a", &Signature::of(&story(0..40)), Some(0))
        .await
        .unwrap_err();
    assert!(err.is_transient(), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert!(RedisStore::new(
        "http://nowhere",
        "p:",
        Thresholds::default(),
        Window::default()
    )
    .is_err());
}

#[tokio::test]
async fn articles_without_words_are_originals_and_not_stored() {
    let store = TestStore::new(Window::default()).await;
    let d = store.decide("empty", "", 0).await;
    assert_eq!((d.kind, d.id.as_str()), (StoryKind::Original, "empty"));
    assert_eq!(store.store.articles().await.unwrap(), 0);
}

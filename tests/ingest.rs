//! `newsflow produce --http`: articles over HTTP into the raw topic, with a
//! token, a body limit, clear errors, and 202 only once the broker has them.

use std::time::{Duration, Instant};

use newsflow_tests::*;

const TOKEN: &str = "test-token-4f1c";

fn post(port: u16, token: Option<&str>, content_type: &str, body: &[u8]) -> HttpResponse {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", content_type)];
    if let Some(bearer) = &bearer {
        headers.push(("Authorization", bearer.as_str()));
    }
    http_request(port, "POST", "/v1/articles", &headers, body).expect("an answer")
}

fn start(topic: &str, port: u16, work: &std::path::Path, extra: &[&str]) -> Newsflow {
    let address = format!("127.0.0.1:{port}");
    let mut args = vec![
        "--log-format",
        "json",
        "produce",
        "--topic",
        topic,
        "--no-create-topic",
        "--http",
        &address,
        "--token",
        TOKEN,
        "--max-body-bytes",
        "4000",
    ];
    args.extend(extra);
    let mut server = Newsflow::start(&args, work, &format!("ingest-{port}"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while http_get(port, "/healthz").is_none() {
        assert!(
            Instant::now() < deadline,
            "no server; log:\n{}",
            server.log_text()
        );
        assert!(server.is_running(), "exited; log:\n{}", server.log_text());
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn articles_posted_over_http_reach_the_topic() {
    let topic = unique("ingest");
    create_topic(&topic, 2).await;
    let port = free_port();
    let work = tempfile::tempdir().unwrap();
    let server = start(&topic, port, work.path(), &[]);

    // JSON lines, with and without ids.
    let lines = concat!(
        r#"{"id": "h-1", "title": "First", "body": "One."}"#,
        "\n",
        r#"{"title": "Second", "body": "Two.", "url": "https://example.org/2"}"#,
        "\n"
    );
    let answer = post(port, Some(TOKEN), "application/x-ndjson", lines.as_bytes());
    assert_eq!(answer.status, 202, "{answer:?}");
    let accepted: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(accepted["accepted"], 2);
    let ids: Vec<String> = accepted["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids[0], "h-1");
    // 202 means acknowledged: the records are there now.
    assert_eq!(high_watermarks(&topic, 2).values().sum::<i64>(), 2);

    // One JSON object; the same article again gets the same id.
    let one = br#"{"title": "Second", "body": "Two.", "url": "https://example.org/2"}"#;
    let answer = post(port, Some(TOKEN), "application/json", one);
    assert_eq!(answer.status, 202, "{answer:?}");
    let again: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(again["ids"][0].as_str(), Some(ids[1].as_str()));

    // Refusals, each with a JSON error, and nothing sent.
    let refused = [
        (post(port, None, "application/json", one), 401),
        (post(port, Some("wrong"), "application/json", one), 401),
        (
            post(port, Some(TOKEN), "application/json", b"{not json"),
            400,
        ),
        (
            post(
                port,
                Some(TOKEN),
                "application/json",
                br#"{"title": "No body"}"#,
            ),
            400,
        ),
        (post(port, Some(TOKEN), "application/json", b""), 400),
        (
            post(port, Some(TOKEN), "application/json", &[b' '; 5000]),
            413,
        ),
    ];
    for (answer, status) in refused {
        assert_eq!(answer.status, status, "{answer:?}");
        let error: serde_json::Value = serde_json::from_str(&answer.body)
            .unwrap_or_else(|e| panic!("{answer:?} is not JSON: {e}"));
        assert!(
            error["error"].as_str().is_some_and(|m| !m.is_empty()),
            "{answer:?}"
        );
    }
    assert_eq!(high_watermarks(&topic, 2).values().sum::<i64>(), 3);

    let records = read_topic_until(&topic, Duration::from_secs(30), |r| r.len() >= 3);
    let keys: Vec<String> = records.iter().filter_map(|r| r.key.clone()).collect();
    assert!(keys.contains(&"h-1".to_string()), "{keys:?}");
    for record in &records {
        Schemas::load().assert_raw(&record.json());
    }

    let (_, scrape) = http_get(port, "/metrics").expect("metrics");
    assert_eq!(
        metric(&scrape, "newsflow_ingest_articles_accepted_total", &[]),
        Some(3.0)
    );
    assert_eq!(
        metric(&scrape, "newsflow_ingest_requests_refused_total", &[]),
        Some(6.0)
    );
    assert!(
        !server.log_text().contains(TOKEN),
        "the token is never logged"
    );
    assert_eq!(server.terminate(Duration::from_secs(30)), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_producer_queue_answers_503_with_retry_after() {
    let topic = unique("ingest-full");
    create_topic(&topic, 1).await;
    let port = free_port();
    let work = tempfile::tempdir().unwrap();
    // A queue of one message: the second article of a request finds it full.
    let server = start(
        &topic,
        port,
        work.path(),
        &["-X", "queue.buffering.max.messages=1"],
    );
    let body = concat!(
        r#"{"id": "q-1", "title": "A", "body": "a"}"#,
        "\n",
        r#"{"id": "q-2", "title": "B", "body": "b"}"#,
        "\n"
    );
    let answer = post(port, Some(TOKEN), "application/x-ndjson", body.as_bytes());
    assert_eq!(answer.status, 503, "{answer:?}");
    assert!(
        answer.head.to_ascii_lowercase().contains("retry-after: 1"),
        "{answer:?}"
    );
    assert_eq!(server.terminate(Duration::from_secs(30)), Some(0));
}

//! `newsflow produce URL`: an RSS feed served over HTTP (by the test, on
//! this machine) lands in the raw topic; reading it again sends the same
//! ids, so the items collapse downstream.

use std::collections::BTreeSet;
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::time::Duration;

use newsflow_tests::*;

const FEED: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local Desk</title>
<item><title>Council approves budget</title><link>https://example.org/budget</link>
<description>The council approved the budget on Monday.</description>
<pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>Storm closes schools</title><guid isPermaLink="false">storm-17</guid>
<description>&lt;p&gt;Schools closed as the storm hit.&lt;/p&gt;</description></item>
</channel></rss>"#;

/// Serves `FEED` to every request, for as long as the test runs.
fn serve_feed() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("port");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{FEED}",
                FEED.len()
            );
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread")]
async fn a_feed_read_twice_sends_the_same_ids() {
    let topic = unique("feed");
    create_topic(&topic, 1).await;
    let url = format!("http://127.0.0.1:{}/feed.xml", serve_feed());
    for _ in 0..2 {
        let (code, stderr) = run_newsflow(&["produce", "--topic", &topic, &url]);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(stderr.contains("sent 2"), "{stderr}");
    }
    let records = read_topic_until(&topic, Duration::from_secs(30), |r| r.len() >= 4);
    assert_eq!(records.len(), 4);
    let ids: BTreeSet<String> = records.iter().filter_map(|r| r.key.clone()).collect();
    assert_eq!(
        ids.len(),
        2,
        "two items, the same two ids each time: {ids:?}"
    );
    let schemas = Schemas::load();
    for record in &records {
        let article = record.json();
        schemas.assert_raw(&article);
        assert_eq!(article["source"], "Local Desk");
    }
    let storm = records
        .iter()
        .map(Read::json)
        .find(|a| a["title"] == "Storm closes schools")
        .expect("the second item");
    assert_eq!(storm["body"], "Schools closed as the storm hit.");
}

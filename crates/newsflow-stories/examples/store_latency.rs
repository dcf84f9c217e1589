//! How long a decision takes in the shared Redis store, and how many the
//! store makes per second: the articles of a JSON-lines file (`text`
//! field), repeated under new ids so that later rounds are duplicates of
//! the first, decided with CONCURRENCY requests in flight.
//!
//!     cargo run --release -p newsflow-stories --example store_latency -- \
//!         ../shared/data/bbc/train.jsonl [CONCURRENCY] [DECISIONS] [redis://127.0.0.1:6379]

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use newsflow_stories::{RedisStore, Signature, Thresholds, Window};

#[tokio::main]
async fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: store_latency FILE.jsonl [CONCURRENCY] [DECISIONS] [URL]")?;
    let concurrency: usize = args
        .next()
        .map_or(Ok(1), |a| a.parse())
        .map_err(|e| format!("{e}"))?;
    let decisions: usize = args
        .next()
        .map_or(Ok(20_000), |a| a.parse())
        .map_err(|e| format!("{e}"))?;
    let url = args
        .next()
        .unwrap_or_else(|| "redis://127.0.0.1:6379".into());
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let signatures: Vec<Signature> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|r| Signature::of(r["text"].as_str().unwrap_or("")))
        .collect();
    if signatures.is_empty() {
        return Err(format!("{path}: no articles"));
    }
    let prefix = format!("newsflow-bench:{}:", std::process::id());
    let store = Arc::new(
        RedisStore::new(&url, &prefix, Thresholds::default(), Window::default())
            .map_err(|e| e.to_string())?,
    );
    let memory_before = used_memory(&url).await?;
    let started = Instant::now();
    let mut timings: Vec<(Duration, usize)> = stream::iter(0..decisions)
        .map(|n| {
            let store = store.clone();
            let signature = &signatures[n % signatures.len()];
            async move {
                let decided = store
                    .decide(&format!("a{n}"), signature, Some(0))
                    .await
                    .map_err(|e| e.to_string())?;
                Ok::<_, String>((decided.store_time, decided.round_trips))
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    let elapsed = started.elapsed();
    let held = store.articles().await.map_err(|e| e.to_string())?;
    let memory = used_memory(&url).await?.saturating_sub(memory_before);
    store.clear().await.map_err(|e| e.to_string())?;
    timings.sort();
    let at = |q: f64| timings[((timings.len() - 1) as f64 * q) as usize].0;
    let trips: usize = timings.iter().map(|t| t.1).sum();
    println!(
        "{decisions} decisions, {concurrency} in flight: {:.0}/s; per decision p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {:.2} round trips each; {held} articles held in {:.1} MB, {:.0} bytes each",
        decisions as f64 / elapsed.as_secs_f64(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
        trips as f64 / decisions as f64,
        memory as f64 / 1e6,
        memory as f64 / held.max(1) as f64,
    );
    Ok(())
}

/// The server's `used_memory`, in bytes.
async fn used_memory(url: &str) -> Result<u64, String> {
    let client = redis::Client::open(url).map_err(|e| e.to_string())?;
    let mut connection = client
        .get_multiplexed_async_connection()
        .await
        .map_err(|e| e.to_string())?;
    let info: String = redis::cmd("INFO")
        .arg("memory")
        .query_async(&mut connection)
        .await
        .map_err(|e| e.to_string())?;
    info.lines()
        .find_map(|l| l.strip_prefix("used_memory:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| "no used_memory in INFO".to_string())
}

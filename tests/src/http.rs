//! HTTP against a running `newsflow`: requests, scrapes, metrics.

use std::time::{Duration, Instant};

/// A local port nobody listens on (bound and released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// `GET path` on 127.0.0.1:`port`: (status, body), or `None` while nothing
/// answers.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    http_request(port, "GET", path, &[], b"").map(|r| (r.status, r.body))
}

/// An HTTP answer, read whole.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// Header lines, as sent.
    pub head: String,
    pub body: String,
}

/// One HTTP/1.1 request on 127.0.0.1:`port`, `Connection: close`; `None`
/// while nothing answers.
pub fn http_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<HttpResponse> {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    // A server may answer (413) before reading the whole body.
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    Some(HttpResponse {
        status,
        head: head.to_string(),
        body: body.to_string(),
    })
}

/// Scrapes until `done` holds for the scrape; panics after `timeout`.
pub fn scrape_until(port: u16, timeout: Duration, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some((200, body)) = http_get(port, "/metrics") {
            if done(&body) {
                return body;
            }
            assert!(Instant::now() < deadline, "last scrape:\n{body}");
        }
        assert!(Instant::now() < deadline, "no /metrics on port {port}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The value of the sample of `name` whose labels contain each of
/// `labels` (`key="value"` strings), in a Prometheus text scrape.
pub fn metric(scrape: &str, name: &str, labels: &[&str]) -> Option<f64> {
    scrape
        .lines()
        .filter(|line| !line.starts_with('#'))
        .find(|line| {
            let series = line.rsplit_once(' ').map_or("", |(s, _)| s);
            let base = series.split('{').next().unwrap_or("");
            base == name && labels.iter().all(|l| series.contains(l))
        })
        .and_then(|line| line.rsplit_once(' '))
        .and_then(|(_, value)| value.parse().ok())
}

/// A member's `/status`, or `None` while nothing answers.
pub fn status(port: u16) -> Option<serde_json::Value> {
    match http_get(port, "/status") {
        Some((200, body)) => serde_json::from_str(&body).ok(),
        _ => None,
    }
}

/// The partition numbers a `/status` lists, in order.
pub fn status_partitions(status: &serde_json::Value) -> Vec<i32> {
    let mut partitions: Vec<i32> = status["partitions"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|p| p["partition"].as_i64())
                .map(|p| p as i32)
                .collect()
        })
        .unwrap_or_default();
    partitions.sort();
    partitions
}

/// Asks `/status` until `done` holds for it, and returns it; panics after
/// `timeout` with the last answer.
pub fn wait_for_status(
    port: u16,
    timeout: Duration,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + timeout;
    loop {
        let last = status(port);
        if let Some(answer) = &last {
            if done(answer) {
                return answer.clone();
            }
        }
        assert!(
            Instant::now() < deadline,
            "/status on port {port} never satisfied the test; last answer: {last:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

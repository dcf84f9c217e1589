//! `newsflow produce --http ADDR`: articles over HTTP.
//!
//! `POST /v1/articles` takes one RawArticle as JSON, a JSON array of them,
//! or JSON lines (`Content-Type: application/x-ndjson`). Every article is
//! validated before any is sent, so a bad request sends nothing; the answer
//! is 202 only after the broker acknowledged every record. A full producer
//! queue answers 503 with `Retry-After` (what was already sent is kept;
//! sending the same articles again is harmless, their ids are stable).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use futures::future::join_all;
use newsflow_kafka::metrics::{Exposition, Report};
use newsflow_kafka::NotEnqueued;
use newsflow_kafka::Producer;
use serde_json::json;

use crate::sources::{parse_body, Item};
use crate::to_record;
use newsflow_kafka::metrics::catalogue::{INGEST_ACCEPTED, INGEST_REFUSED, INGEST_REQUESTS};

#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub topic: String,
    /// Requests with a larger body get 413.
    pub max_body_bytes: usize,
    /// Articles larger than this are refused (400).
    pub max_record_bytes: usize,
    /// When set, requests must carry `Authorization: Bearer <token>`.
    pub token: Option<String>,
}

/// The ingest endpoint's state: the producer and its counters.
pub struct Ingest {
    producer: Producer,
    options: IngestOptions,
    accepted: AtomicU64,
    refused: AtomicU64,
    requests: AtomicU64,
}

impl Ingest {
    pub fn new(producer: Producer, options: IngestOptions) -> Arc<Self> {
        Arc::new(Ingest {
            producer,
            options,
            accepted: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            requests: AtomicU64::new(0),
        })
    }

    /// `POST /v1/articles`.
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/v1/articles", post(post_articles))
            .with_state(self.clone())
    }
}

impl Report for Ingest {
    fn report(&self, out: &mut Exposition) {
        out.counter(&INGEST_REQUESTS, &[], self.requests.load(Ordering::Relaxed));
        out.counter(&INGEST_ACCEPTED, &[], self.accepted.load(Ordering::Relaxed));
        out.counter(&INGEST_REFUSED, &[], self.refused.load(Ordering::Relaxed));
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

async fn post_articles(State(ingest): State<Arc<Ingest>>, request: Request) -> Response {
    ingest.requests.fetch_add(1, Ordering::Relaxed);
    let response = handle(&ingest, request).await;
    if response.status() != StatusCode::ACCEPTED {
        ingest.refused.fetch_add(1, Ordering::Relaxed);
    }
    response
}

async fn handle(ingest: &Ingest, request: Request) -> Response {
    let options = &ingest.options;
    if let Some(token) = &options.token {
        if !authorised(request.headers(), token) {
            return error(StatusCode::UNAUTHORIZED, "missing or wrong bearer token");
        }
    }
    let ndjson = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("ndjson") || v.contains("jsonl"));
    let body: Body = request.into_body();
    let Ok(bytes) = to_bytes(body, options.max_body_bytes).await else {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("body larger than {} bytes", options.max_body_bytes),
        );
    };
    let mut articles = Vec::new();
    for item in parse_body(&bytes, ndjson, options.max_record_bytes) {
        match item {
            Item::Article { article, .. } => articles.push(*article),
            Item::Failed { origin, reason } | Item::Skipped { origin, reason } => {
                return error(StatusCode::BAD_REQUEST, format!("{origin}: {reason}"));
            }
        }
    }
    if articles.is_empty() {
        return error(StatusCode::BAD_REQUEST, "no article in the body");
    }
    let mut deliveries = Vec::with_capacity(articles.len());
    for article in &articles {
        let record = match to_record(article) {
            Ok(record) => record,
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        };
        match ingest.producer.try_enqueue(&options.topic, &record) {
            Ok(ack) => deliveries.push(ack),
            Err(NotEnqueued::QueueFull) => {
                // Wait for what was queued, so the answer is about this
                // request only, then ask the client to come back.
                join_all(deliveries).await;
                let mut response = error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the producer queue is full; retry later",
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                return response;
            }
            Err(NotEnqueued::Failed(failure)) => {
                return error(StatusCode::SERVICE_UNAVAILABLE, failure.reason())
            }
        }
    }
    for result in join_all(deliveries).await {
        if let Err(failure) = result {
            return error(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not acknowledged by the broker: {}", failure.reason()),
            );
        }
    }
    ingest
        .accepted
        .fetch_add(articles.len() as u64, Ordering::Relaxed);
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    (
        StatusCode::ACCEPTED,
        Json(json!({ "accepted": ids.len(), "ids": ids })),
    )
        .into_response()
}

/// Compares the whole header in constant time, so that the time taken does
/// not tell how much of a guess was right.
fn authorised(headers: &HeaderMap, token: &str) -> bool {
    let expected = format!("Bearer {token}");
    let Some(given) = headers.get(header::AUTHORIZATION) else {
        return false;
    };
    let (given, expected) = (given.as_bytes(), expected.as_bytes());
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_token_must_match_exactly() {
        let mut headers = HeaderMap::new();
        assert!(!authorised(&headers, "s3cret"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer s3cret"),
        );
        assert!(authorised(&headers, "s3cret"));
        assert!(!authorised(&headers, "s3cre"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer s3creT"),
        );
        assert!(!authorised(&headers, "s3cret"));
    }
}

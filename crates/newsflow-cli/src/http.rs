//! `--http ADDR`: `/metrics` (Prometheus), `/healthz`, `/readyz` and
//! `/status` (JSON) for a long-running command, next to whatever routes the
//! command serves itself (the ingest endpoint of `produce`).

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use clap::Args;
use newsflow_kafka::metrics::{Exposition, Report};
use newsflow_kafka::{PipelineStats, Status};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone, Args)]
pub struct HttpArgs {
    /// Serve /metrics, /healthz, /readyz and /status on this address, e.g.
    /// 0.0.0.0:9100.
    #[arg(long, env = "NEWSFLOW_HTTP", value_name = "ADDR")]
    pub http: Option<SocketAddr>,
}

/// What `/metrics` and `/readyz` report.
#[derive(Clone)]
pub enum Ops {
    /// A consumer: ready when partitions are assigned and the output is up.
    Pipeline(Arc<PipelineStats>),
    /// Anything else that reports metrics; ready while it runs.
    Always(Arc<dyn Report>),
}

impl Ops {
    fn metrics(&self) -> String {
        match self {
            Ops::Pipeline(stats) => stats.render(),
            Ops::Always(report) => {
                let mut out = Exposition::default();
                report.report(&mut out);
                out.finish()
            }
        }
    }

    fn readiness(&self) -> Result<(), &'static str> {
        match self {
            Ops::Pipeline(stats) => stats.readiness(),
            Ops::Always(_) => Ok(()),
        }
    }

    /// Assignment, positions and lag per partition, with the counters and
    /// readiness: what an operator, or a test, asks a consumer.
    fn status(&self) -> serde_json::Value {
        match self {
            Ops::Pipeline(stats) => status_json(&stats.status()),
            Ops::Always(_) => serde_json::json!({ "ready": true, "partitions": [] }),
        }
    }

    /// Alive, unless the process cannot get on by itself and wants a
    /// restart (a member stuck without partitions).
    fn liveness(&self) -> Result<(), &'static str> {
        match self {
            Ops::Pipeline(stats) if stats.is_stuck() => Err(
                "stuck: no partitions while the group lags and nobody moves them, after rejoining",
            ),
            _ => Ok(()),
        }
    }
}

impl HttpArgs {
    /// Starts serving if asked to; stops with `shutdown`. Binds before
    /// returning, so a taken port fails the command at once.
    pub async fn serve(&self, ops: Ops, shutdown: CancellationToken) -> anyhow::Result<()> {
        if let Some(addr) = self.http {
            serve(addr, ops, Router::new(), shutdown).await?;
        }
        Ok(())
    }
}

/// Serves `routes` plus `/metrics`, `/healthz` and `/readyz` on `addr`
/// until `shutdown`; the handle ends once requests in progress are done.
pub async fn serve(
    addr: SocketAddr,
    ops: Ops,
    routes: Router,
    shutdown: CancellationToken,
) -> anyhow::Result<JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    tracing::info!(%addr, "serving HTTP (/metrics, /healthz, /readyz, /status)");
    let app = Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
        .route("/status", get(status))
        .with_state(ops)
        .merge(routes);
    Ok(tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await;
        if let Err(e) = served {
            tracing::warn!(error = %e, "the HTTP server stopped");
        }
    }))
}

async fn metrics(State(ops): State<Ops>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        ops.metrics(),
    )
}

async fn health(State(ops): State<Ops>) -> impl IntoResponse {
    answer(ops.liveness(), "ok")
}

async fn ready(State(ops): State<Ops>) -> impl IntoResponse {
    answer(ops.readiness(), "ready")
}

async fn status(State(ops): State<Ops>) -> impl IntoResponse {
    axum::Json(ops.status())
}

fn status_json(status: &Status) -> serde_json::Value {
    let partitions: Vec<serde_json::Value> = status
        .partitions
        .iter()
        .map(|p| {
            serde_json::json!({
                "topic": p.topic,
                "partition": p.partition,
                "position": p.position,
                "committed": p.committed,
                "high_watermark": p.high_watermark,
                "lag": p.lag,
                "stalled": p.stalled,
            })
        })
        .collect();
    serde_json::json!({
        "stage": status.stage,
        "ready": status.readiness.is_ok(),
        "not_ready_because": status.readiness.err(),
        "output_available": status.output_available,
        "stuck": status.stuck,
        "received": status.received,
        "delivered": status.delivered,
        "dead_lettered": status.dead_lettered,
        "partitions": partitions,
    })
}

fn answer(state: Result<(), &'static str>, fine: &str) -> impl IntoResponse {
    match state {
        Ok(()) => (StatusCode::OK, format!("{fine}\n")),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not {fine}: {reason}\n"),
        ),
    }
}

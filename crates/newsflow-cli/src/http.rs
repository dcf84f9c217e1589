//! `--http ADDR`: `/metrics` (Prometheus), `/healthz` and `/readyz` for a
//! long-running command.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use clap::Args;
use newsflow_kafka::PipelineStats;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone, Args)]
pub struct HttpArgs {
    /// Serve /metrics, /healthz and /readyz on this address, e.g.
    /// 0.0.0.0:9100.
    #[arg(long, env = "NEWSFLOW_HTTP", value_name = "ADDR")]
    pub http: Option<SocketAddr>,
}

impl HttpArgs {
    /// Starts serving if asked to; stops with `shutdown`. Binds before
    /// returning, so a taken port fails the command at once.
    pub async fn serve(
        &self,
        stats: Arc<PipelineStats>,
        shutdown: CancellationToken,
    ) -> anyhow::Result<()> {
        let Some(addr) = self.http else {
            return Ok(());
        };
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr} for --http"))?;
        tracing::info!(%addr, "serving /metrics, /healthz and /readyz");
        let app = Router::new()
            .route("/metrics", get(metrics))
            .route("/healthz", get(|| async { "ok\n" }))
            .route("/readyz", get(ready))
            .with_state(stats);
        tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown.cancelled_owned())
                .await;
            if let Err(e) = served {
                tracing::warn!(error = %e, "the metrics server stopped");
            }
        });
        Ok(())
    }
}

async fn metrics(State(stats): State<Arc<PipelineStats>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        stats.render(),
    )
}

/// Ready: partitions assigned and the output reachable. A member that the
/// group gave no partition (more members than partitions) is alive but not
/// ready.
async fn ready(State(stats): State<Arc<PipelineStats>>) -> impl IntoResponse {
    if stats.is_ready() {
        (StatusCode::OK, "ready\n")
    } else if stats.assigned() == 0 {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: no partitions assigned\n",
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: output unavailable\n",
        )
    }
}

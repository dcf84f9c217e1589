//! Checking at start that the brokers can be reached and accept our
//! credentials, so that a wrong password is one clear error instead of a
//! command that waits and retries in silence.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::error::KafkaError;
use rdkafka::ClientContext;

use crate::KafkaConfig;

/// Keeps the errors librdkafka reports while the check runs.
#[derive(Clone, Default)]
struct Errors(Arc<Mutex<Vec<String>>>);

impl ClientContext for Errors {
    fn error(&self, error: KafkaError, reason: &str) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(format!("{error}: {reason}"));
    }
}

impl ConsumerContext for Errors {}

/// Asks the brokers for metadata; fails with what librdkafka said (an
/// authentication error, say) when they do not answer within `timeout`.
pub async fn check(kafka: &KafkaConfig, timeout: Duration) -> anyhow::Result<()> {
    let config = kafka.admin();
    let errors = Errors::default();
    let seen = errors.clone();
    let who = describe(kafka);
    tokio::task::spawn_blocking(move || {
        let consumer: BaseConsumer<Errors> = config.create_with_context(errors)?;
        match consumer.fetch_metadata(None, timeout) {
            Ok(_) => Ok(()),
            Err(e) => {
                let reported = seen.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
                let detail = match reported.last() {
                    Some(last) => last.clone(),
                    None => e.to_string(),
                };
                anyhow::bail!(
                    "cannot use the brokers {who}: no answer within {timeout:?}; wrong \
                     credentials, mechanism or TLS settings, or brokers down? ({detail})"
                )
            }
        }
    })
    .await
    .context("the broker check stopped")?
}

/// `at HOSTS as USER (MECHANISM)`, without the password.
fn describe(kafka: &KafkaConfig) -> String {
    match &kafka.security.sasl {
        Some(sasl) => format!(
            "at {} as {} ({})",
            kafka.brokers,
            sasl.username,
            sasl.mechanism.property()
        ),
        None => format!("at {}", kafka.brokers),
    }
}

//! Creating the topics a command needs.

use std::time::Duration;

use anyhow::Context as _;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, ResourceSpecifier, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::types::RDKafkaErrorCode;

use crate::KafkaConfig;

/// A topic to create if it is missing.
#[derive(Debug, Clone)]
pub struct TopicSpec {
    /// The topic.
    pub name: String,
    /// Partitions, if it has to be created.
    pub partitions: i32,
    /// Replication factor, if it has to be created.
    pub replication: i32,
}

impl TopicSpec {
    /// A topic of `partitions` partitions, `replication` copies each.
    pub fn new(name: impl Into<String>, partitions: i32, replication: i32) -> Self {
        TopicSpec {
            name: name.into(),
            partitions,
            replication,
        }
    }
}

/// Creates every topic in `specs` that does not exist yet. Existing topics
/// are left as they are (their partition count is not changed). A request
/// that gets no answer is sent again (an existing topic is not an error, so
/// a retry after a lost answer is harmless); after a few tries it fails.
pub async fn ensure_topics(kafka: &KafkaConfig, specs: &[TopicSpec]) -> anyhow::Result<()> {
    if specs.is_empty() {
        return Ok(());
    }
    let admin: AdminClient<DefaultClientContext> = kafka
        .admin()
        .create()
        .context("creating the Kafka admin client")?;
    const ATTEMPTS: u32 = 4;
    const TIMEOUT: Duration = Duration::from_secs(15);
    for attempt in 1..=ATTEMPTS {
        match tokio::time::timeout(
            TIMEOUT + Duration::from_secs(5),
            create(&admin, specs, TIMEOUT),
        )
        .await
        {
            Ok(result) => {
                return result.with_context(|| format!("creating topics on {}", kafka.brokers))
            }
            Err(_) if attempt < ATTEMPTS => {
                tracing::warn!(
                    attempt,
                    brokers = kafka.brokers,
                    "no answer to CreateTopics; asking again"
                )
            }
            Err(_) => {}
        }
    }
    anyhow::bail!(
        "creating topics on {}: no answer after {ATTEMPTS} tries; is the broker reachable?",
        kafka.brokers
    )
}

async fn create(
    admin: &AdminClient<DefaultClientContext>,
    specs: &[TopicSpec],
    timeout: Duration,
) -> anyhow::Result<()> {
    let new_topics: Vec<NewTopic<'_>> = specs
        .iter()
        .map(|s| {
            NewTopic::new(
                &s.name,
                s.partitions,
                TopicReplication::Fixed(s.replication),
            )
        })
        .collect();
    let options = AdminOptions::new()
        .request_timeout(Some(timeout))
        .operation_timeout(Some(timeout));
    for result in admin.create_topics(&new_topics, &options).await? {
        match result {
            Ok(name) => tracing::info!(topic = name, "topic created"),
            Err((name, RDKafkaErrorCode::TopicAlreadyExists)) => {
                tracing::debug!(topic = name, "topic exists")
            }
            Err((name, code)) => anyhow::bail!("creating topic {name} failed: {code}"),
        }
    }
    Ok(())
}

/// The largest record `topic` takes (`max.message.bytes`), where the broker
/// says; `None` when it does not answer the question (or not in time), has
/// no such setting, or the topic does not exist.
pub async fn max_message_bytes(kafka: &KafkaConfig, topic: &str) -> Option<usize> {
    let admin: AdminClient<DefaultClientContext> = kafka.admin().create().ok()?;
    let timeout = Duration::from_secs(10);
    let options = AdminOptions::new().request_timeout(Some(timeout));
    let resource = ResourceSpecifier::Topic(topic);
    let answer = tokio::time::timeout(
        timeout + Duration::from_secs(2),
        admin.describe_configs([&resource], &options),
    )
    .await;
    let results = match answer {
        Ok(Ok(results)) => results,
        Ok(Err(e)) => {
            tracing::debug!(topic, error = %e, "DescribeConfigs failed");
            return None;
        }
        Err(_) => return None,
    };
    results.into_iter().find_map(|result| {
        let resource = result.ok()?;
        let value = resource.get("max.message.bytes")?.value.as_deref()?;
        value
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|&bytes| bytes > 0)
    })
}

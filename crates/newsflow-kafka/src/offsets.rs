//! Looking up and setting offsets: watermarks, offsets for a time, and a
//! consumer group's committed position.
//!
//! librdkafka's calls for these block, so each runs on the blocking pool
//! with a short-lived consumer.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context as _;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};

use crate::KafkaConfig;

const TIMEOUT: Duration = Duration::from_secs(15);

/// Low and high watermark of one partition: the first offset still held
/// and the offset the next record will get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watermarks {
    pub low: i64,
    pub high: i64,
}

/// The watermarks of every partition of `topic`, by partition.
pub async fn watermarks(
    kafka: &KafkaConfig,
    topic: &str,
) -> anyhow::Result<BTreeMap<i32, Watermarks>> {
    let config = kafka.admin();
    let topic = topic.to_string();
    blocking(move || {
        let consumer: BaseConsumer = config.create()?;
        let metadata = consumer
            .fetch_metadata(Some(&topic), TIMEOUT)
            .with_context(|| format!("reading the metadata of {topic}"))?;
        let Some(found) = metadata.topics().iter().find(|t| t.name() == topic) else {
            anyhow::bail!("topic {topic} not found");
        };
        if let Some(error) = found.error() {
            anyhow::bail!(
                "topic {topic}: {}",
                rdkafka::types::RDKafkaErrorCode::from(error)
            );
        }
        let mut marks = BTreeMap::new();
        for partition in found.partitions() {
            let (low, high) = consumer
                .fetch_watermarks(&topic, partition.id(), TIMEOUT)
                .with_context(|| {
                    format!("reading the watermarks of {topic}[{}]", partition.id())
                })?;
            marks.insert(partition.id(), Watermarks { low, high });
        }
        Ok(marks)
    })
    .await
}

/// For each of `partitions`, the offset of the first record whose timestamp
/// is at or after `millis` (milliseconds since the epoch), or `None` when
/// the partition has no such record yet.
pub async fn offsets_for_time(
    kafka: &KafkaConfig,
    topic: &str,
    partitions: &[i32],
    millis: i64,
) -> anyhow::Result<BTreeMap<i32, Option<i64>>> {
    let config = kafka.admin();
    let topic = topic.to_string();
    let partitions = partitions.to_vec();
    blocking(move || {
        let consumer: BaseConsumer = config.create()?;
        let mut query = TopicPartitionList::new();
        for &partition in &partitions {
            query.add_partition_offset(&topic, partition, Offset::Offset(millis))?;
        }
        let found = consumer
            .offsets_for_times(query, TIMEOUT)
            .with_context(|| format!("looking up the offsets of {topic} at time {millis}"))?;
        let mut offsets = BTreeMap::new();
        for element in found.elements() {
            let offset = match element.offset() {
                Offset::Offset(offset) if offset >= 0 => Some(offset),
                _ => None,
            };
            offsets.insert(element.partition(), offset);
        }
        Ok(offsets)
    })
    .await
}

/// Sets `group_id`'s committed offsets for `topic`: the next record each
/// partition's member will read. Only for a group with no running member
/// (brokers refuse commits from outside a live group).
pub async fn commit_group_offsets(
    kafka: &KafkaConfig,
    group_id: &str,
    topic: &str,
    offsets: &BTreeMap<i32, i64>,
) -> anyhow::Result<()> {
    let config = kafka.group_consumer(group_id);
    let topic = topic.to_string();
    let offsets = offsets.clone();
    blocking(move || {
        let consumer: BaseConsumer = config.create()?;
        let mut list = TopicPartitionList::new();
        for (&partition, &offset) in &offsets {
            list.add_partition_offset(&topic, partition, Offset::Offset(offset))?;
        }
        consumer
            .commit(&list, CommitMode::Sync)
            .with_context(|| format!("committing offsets of {topic} for the group"))?;
        Ok(())
    })
    .await
}

/// `group_id`'s committed offsets for `topic`, by partition; `None` where
/// it has none.
pub async fn committed_offsets(
    kafka: &KafkaConfig,
    group_id: &str,
    topic: &str,
    partitions: &[i32],
) -> anyhow::Result<BTreeMap<i32, Option<i64>>> {
    let config = kafka.group_consumer(group_id);
    let topic = topic.to_string();
    let partitions = partitions.to_vec();
    blocking(move || {
        let consumer: BaseConsumer = config.create()?;
        let mut list = TopicPartitionList::new();
        for &partition in &partitions {
            list.add_partition(&topic, partition);
        }
        let committed = consumer
            .committed_offsets(list, TIMEOUT)
            .with_context(|| format!("reading the group's offsets of {topic}"))?;
        Ok(committed
            .elements()
            .iter()
            .map(|e| match e.offset() {
                Offset::Offset(offset) => (e.partition(), Some(offset)),
                _ => (e.partition(), None),
            })
            .collect())
    })
    .await
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .context("a Kafka lookup task failed")?
}

/// Moves `group_id` on `topic` to the first record at or after `millis` in
/// every partition (or the partition's end, if it has none): the group's
/// members then start there. Returns the offsets set.
pub async fn reset_group_to_time(
    kafka: &KafkaConfig,
    group_id: &str,
    topic: &str,
    millis: i64,
) -> anyhow::Result<BTreeMap<i32, i64>> {
    let marks = watermarks(kafka, topic).await?;
    let partitions: Vec<i32> = marks.keys().copied().collect();
    let found = offsets_for_time(kafka, topic, &partitions, millis).await?;
    let offsets: BTreeMap<i32, i64> = marks
        .iter()
        .map(|(&p, m)| (p, found.get(&p).copied().flatten().unwrap_or(m.high)))
        .collect();
    commit_group_offsets(kafka, group_id, topic, &offsets).await?;
    Ok(offsets)
}

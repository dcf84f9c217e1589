//! Positions in a topic, looked up and set from outside the pipeline:
//! watermarks, offsets for a time, and a consumer group's committed
//! position.
//!
//! librdkafka's calls for these block, so each runs on the blocking pool
//! with a short-lived consumer.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::message::Message;
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

/// For each partition in `marks`, the offset of the first record whose
/// timestamp is at or after `millis` (milliseconds since the epoch), or
/// the partition's end (its high watermark) when it has no such record yet.
///
/// Each answer is checked by reading the record it points at: Tansu 0.6.0
/// answers a time later than every record with offset 0 rather than "none",
/// which would turn "from now on" into "from the beginning".
pub async fn offsets_for_time(
    kafka: &KafkaConfig,
    topic: &str,
    marks: &BTreeMap<i32, Watermarks>,
    millis: i64,
) -> anyhow::Result<BTreeMap<i32, i64>> {
    let mut config = kafka.admin();
    // Reading the records found needs an assignment, and librdkafka wants
    // a group for that; nothing is committed under it.
    config
        .set("group.id", "newsflow-offset-lookup")
        .set("enable.auto.commit", "false");
    let topic = topic.to_string();
    let marks = marks.clone();
    blocking(move || {
        let consumer: BaseConsumer = config.create()?;
        let mut query = TopicPartitionList::new();
        for &partition in marks.keys() {
            query.add_partition_offset(&topic, partition, Offset::Offset(millis))?;
        }
        let found = consumer
            .offsets_for_times(query, TIMEOUT)
            .with_context(|| format!("looking up the offsets of {topic} at time {millis}"))?;
        let mut offsets = BTreeMap::new();
        for element in found.elements() {
            let high = marks.get(&element.partition()).map_or(0, |m| m.high);
            let offset = match element.offset() {
                Offset::Offset(offset) if offset >= 0 && offset < high => Some(offset),
                _ => None,
            };
            offsets.insert(element.partition(), offset);
        }
        drop_answers_before(&consumer, &topic, &mut offsets, millis)?;
        Ok(marks
            .iter()
            .map(|(&p, m)| (p, offsets.get(&p).copied().flatten().unwrap_or(m.high)))
            .collect())
    })
    .await
}

/// Reads the record at each offset found and drops the answers whose record
/// is older than `millis`: the partition has no record that new.
fn drop_answers_before(
    consumer: &BaseConsumer,
    topic: &str,
    offsets: &mut BTreeMap<i32, Option<i64>>,
    millis: i64,
) -> anyhow::Result<()> {
    let mut list = TopicPartitionList::new();
    for (&partition, offset) in offsets.iter() {
        if let Some(offset) = offset {
            list.add_partition_offset(topic, partition, Offset::Offset(*offset))?;
        }
    }
    if list.count() == 0 {
        return Ok(());
    }
    consumer.assign(&list)?;
    let mut unchecked: BTreeSet<i32> = offsets.iter().filter_map(|(&p, o)| o.map(|_| p)).collect();
    let deadline = Instant::now() + TIMEOUT;
    while !unchecked.is_empty() {
        if Instant::now() > deadline {
            anyhow::bail!(
                "could not read {topic} partitions {unchecked:?} to check the offsets found for \
                 time {millis}"
            );
        }
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(message)) if unchecked.remove(&message.partition()) => {
                let stamp = message.timestamp().to_millis();
                if stamp.is_some_and(|t| t < millis) {
                    offsets.insert(message.partition(), None);
                }
            }
            Some(Err(e)) => tracing::debug!(error = %e, "checking offsets for a time"),
            _ => {}
        }
    }
    Ok(())
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
    let offsets = offsets_for_time(kafka, topic, &marks, millis).await?;
    commit_group_offsets(kafka, group_id, topic, &offsets).await?;
    Ok(offsets)
}

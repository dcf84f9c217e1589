//! Fixed offset ranges read by direct assignment (replay), and where
//! each stands.

use std::collections::{HashMap, HashSet};

use rdkafka::topic_partition_list::{Offset, TopicPartitionList};

use crate::SourceRecord;

/// Offsets `start..end` of one partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionRange {
    /// The topic.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// First offset read.
    pub start: i64,
    /// Exclusive.
    pub end: i64,
}

impl PartitionRange {
    /// Records in the range.
    pub fn len(&self) -> u64 {
        (self.end - self.start).max(0) as u64
    }

    /// Whether the range holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Where each range stands; empty for a group subscription (never done).
#[derive(Default)]
pub(crate) struct RangeTracker {
    ranges: HashMap<(String, i32), PartitionRange>,
    done: HashSet<(String, i32)>,
}

pub(crate) enum Admit {
    Yes,
    /// The range's last record: take it, then stop reading the partition.
    Last,
    /// Past the end: drop it.
    PastEnd,
}

impl RangeTracker {
    pub(crate) fn new(list: &[PartitionRange]) -> Self {
        let mut tracker = RangeTracker::default();
        for range in list {
            let key = (range.topic.clone(), range.partition);
            if range.is_empty() {
                tracker.done.insert(key.clone());
            }
            tracker.ranges.insert(key, range.clone());
        }
        tracker
    }

    pub(crate) fn assignment(&self) -> anyhow::Result<TopicPartitionList> {
        let mut list = TopicPartitionList::new();
        for range in self.ranges.values().filter(|r| !r.is_empty()) {
            list.add_partition_offset(&range.topic, range.partition, Offset::Offset(range.start))?;
        }
        Ok(list)
    }

    pub(crate) fn open(&self) -> usize {
        self.ranges.len() - self.done.len()
    }

    /// The partitions still being read.
    pub(crate) fn open_partitions(&self) -> Vec<(String, i32)> {
        self.ranges
            .keys()
            .filter(|key| !self.done.contains(*key))
            .cloned()
            .collect()
    }

    pub(crate) fn all_done(&self) -> bool {
        !self.ranges.is_empty() && self.open() == 0
    }

    pub(crate) fn is_done(&self, topic: &str, partition: i32) -> bool {
        self.done.contains(&(topic.to_string(), partition))
    }

    pub(crate) fn admit(&mut self, record: &SourceRecord) -> Admit {
        let key = (record.topic.clone(), record.partition);
        let Some(range) = self.ranges.get(&key) else {
            return Admit::Yes;
        };
        if record.offset >= range.end {
            self.done.insert(key);
            Admit::PastEnd
        } else if record.offset + 1 >= range.end {
            self.done.insert(key);
            Admit::Last
        } else {
            Admit::Yes
        }
    }
}

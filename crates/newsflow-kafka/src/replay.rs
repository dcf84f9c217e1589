//! Planning a replay: which offsets of which partitions to read again.
//!
//! A range starts at a time, at explicit offsets or at either end, and ends
//! likewise, or by default at the high watermarks read when planning, so
//! that a replay of a live topic stops instead of following it forever.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::positions::{offsets_for_time, watermarks, Watermarks};
use crate::{KafkaConfig, PartitionRange};

/// One end of a replay range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    /// The first offset still held.
    Earliest,
    /// The high watermark when planning.
    Latest,
    /// The first record at or after this time.
    Time(DateTime<Utc>),
    /// Per-partition offsets (`0:120,1:98`).
    Offsets(BTreeMap<i32, i64>),
}

impl FromStr for Bound {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text {
            "earliest" | "beginning" => return Ok(Bound::Earliest),
            "latest" | "end" => return Ok(Bound::Latest),
            _ => {}
        }
        if let Some(offsets) = parse_offsets(text) {
            return offsets.map(Bound::Offsets);
        }
        DateTime::parse_from_rfc3339(text)
            .map(|t| Bound::Time(t.with_timezone(&Utc)))
            .map_err(|e| {
                format!(
                    "{text:?} is neither an RFC 3339 time (2026-11-01T00:00:00Z: {e}), \
                     nor per-partition offsets (0:120,1:98), nor earliest/latest"
                )
            })
    }
}

/// `None` when `text` does not look like offsets at all.
fn parse_offsets(text: &str) -> Option<Result<BTreeMap<i32, i64>, String>> {
    let looks_like = text.split(',').all(|part| {
        part.split_once(':')
            .is_some_and(|(p, _)| p.trim().parse::<i32>().is_ok())
    });
    if !looks_like || text.contains('T') {
        return None;
    }
    let mut offsets = BTreeMap::new();
    for part in text.split(',') {
        let Some((partition, offset)) = part.split_once(':') else {
            return Some(Err(format!("{part:?} is not PARTITION:OFFSET")));
        };
        let partition: i32 = match partition.trim().parse() {
            Ok(p) if p >= 0 => p,
            _ => return Some(Err(format!("bad partition in {part:?}"))),
        };
        let offset: i64 = match offset.trim().parse() {
            Ok(o) if o >= 0 => o,
            _ => return Some(Err(format!("bad offset in {part:?}"))),
        };
        if offsets.insert(partition, offset).is_some() {
            return Some(Err(format!("partition {partition} given twice")));
        }
    }
    Some(Ok(offsets))
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Earliest => f.write_str("earliest"),
            Bound::Latest => f.write_str("high watermarks"),
            Bound::Time(t) => write!(f, "{}", t.to_rfc3339()),
            Bound::Offsets(offsets) => {
                let parts: Vec<String> = offsets.iter().map(|(p, o)| format!("{p}:{o}")).collect();
                f.write_str(&parts.join(","))
            }
        }
    }
}

/// What a replay will read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayPlan {
    /// The topic read.
    pub topic: String,
    /// Where it starts.
    pub from: Bound,
    /// Where it ends (exclusive).
    pub to: Bound,
    /// One per partition read, by partition.
    pub ranges: Vec<PartitionRange>,
}

impl ReplayPlan {
    /// Records in the plan (offsets; compacted topics may hold fewer).
    pub fn total(&self) -> u64 {
        self.ranges.iter().map(PartitionRange::len).sum()
    }
}

impl fmt::Display for ReplayPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "replay of {} from {} to {}",
            self.topic, self.from, self.to
        )?;
        writeln!(
            f,
            "{:>9} {:>12} {:>12} {:>10}",
            "partition", "start", "end", "records"
        )?;
        for range in &self.ranges {
            writeln!(
                f,
                "{:>9} {:>12} {:>12} {:>10}",
                range.partition,
                range.start,
                range.end,
                range.len()
            )?;
        }
        write!(
            f,
            "{:>9} {:>12} {:>12} {:>10}",
            "total",
            "",
            "",
            self.total()
        )
    }
}

/// Turns bounds into offsets: reads the watermarks (and the offsets for
/// any times) of every partition of `topic`.
pub async fn plan(
    kafka: &KafkaConfig,
    topic: &str,
    from: &Bound,
    to: &Bound,
) -> anyhow::Result<ReplayPlan> {
    let marks = watermarks(kafka, topic).await?;
    let partitions: Vec<i32> = marks.keys().copied().collect();
    let starts = resolve(kafka, topic, &partitions, &marks, from).await?;
    let ends = resolve(kafka, topic, &partitions, &marks, to).await?;
    Ok(ReplayPlan {
        topic: topic.to_string(),
        from: from.clone(),
        to: to.clone(),
        ranges: ranges(topic, &marks, &starts, &ends),
    })
}

/// Each partition's offset for `bound`; `None` where a list of offsets
/// leaves the partition out.
async fn resolve(
    kafka: &KafkaConfig,
    topic: &str,
    partitions: &[i32],
    marks: &BTreeMap<i32, Watermarks>,
    bound: &Bound,
) -> anyhow::Result<BTreeMap<i32, Option<i64>>> {
    Ok(match bound {
        Bound::Earliest => marks.iter().map(|(&p, m)| (p, Some(m.low))).collect(),
        Bound::Latest => marks.iter().map(|(&p, m)| (p, Some(m.high))).collect(),
        Bound::Offsets(offsets) => partitions
            .iter()
            .map(|p| (*p, offsets.get(p).copied()))
            .collect(),
        Bound::Time(time) => {
            // No record at or after the time: the range starts (or ends)
            // at the end of the partition.
            offsets_for_time(kafka, topic, marks, time.timestamp_millis())
                .await?
                .into_iter()
                .map(|(p, offset)| (p, Some(offset)))
                .collect()
        }
    })
}

/// The ranges, each clamped to what the partition holds. A partition left
/// out of a `--from` list is not read; one left out of a `--to` list is
/// read to its high watermark.
fn ranges(
    topic: &str,
    marks: &BTreeMap<i32, Watermarks>,
    starts: &BTreeMap<i32, Option<i64>>,
    ends: &BTreeMap<i32, Option<i64>>,
) -> Vec<PartitionRange> {
    let mut ranges = Vec::new();
    for (&partition, marks) in marks {
        let Some(Some(start)) = starts.get(&partition) else {
            continue;
        };
        let start = (*start).clamp(marks.low, marks.high);
        let end = ends
            .get(&partition)
            .copied()
            .flatten()
            .unwrap_or(marks.high);
        ranges.push(PartitionRange {
            topic: topic.to_string(),
            partition,
            start,
            end: end.clamp(start, marks.high),
        });
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind_of_bound() {
        assert_eq!("earliest".parse::<Bound>(), Ok(Bound::Earliest));
        assert_eq!("latest".parse::<Bound>(), Ok(Bound::Latest));
        assert_eq!(
            "0:120, 2:98".parse::<Bound>(),
            Ok(Bound::Offsets(BTreeMap::from([(0, 120), (2, 98)])))
        );
        let Ok(Bound::Time(t)) = "2026-11-01T10:00:00+01:00".parse::<Bound>() else {
            panic!("a time");
        };
        assert_eq!(t.to_rfc3339(), "2026-11-01T09:00:00+00:00");
    }

    #[test]
    fn refuses_what_is_not_a_bound() {
        assert!("yesterday".parse::<Bound>().is_err());
        assert!("0:1,0:2".parse::<Bound>().unwrap_err().contains("twice"));
        assert!("0:-5".parse::<Bound>().unwrap_err().contains("bad offset"));
    }

    #[test]
    fn ranges_are_clamped_to_the_partitions() {
        let marks = BTreeMap::from([
            (0, Watermarks { low: 10, high: 100 }),
            (1, Watermarks { low: 0, high: 50 }),
            (2, Watermarks { low: 0, high: 5 }),
        ]);
        // Partition 0 asks for data already deleted, partition 2 is left
        // out of the start list.
        let starts = BTreeMap::from([(0, Some(3)), (1, Some(20)), (2, None)]);
        let ends = BTreeMap::from([(0, Some(500)), (1, None), (2, None)]);
        let got = ranges("t", &marks, &starts, &ends);
        let spans: Vec<(i32, i64, i64)> =
            got.iter().map(|r| (r.partition, r.start, r.end)).collect();
        assert_eq!(spans, [(0, 10, 100), (1, 20, 50)]);
    }

    #[test]
    fn an_end_before_the_start_is_an_empty_range() {
        let marks = BTreeMap::from([(0, Watermarks { low: 0, high: 100 })]);
        let starts = BTreeMap::from([(0, Some(60))]);
        let ends = BTreeMap::from([(0, Some(40))]);
        let got = ranges("t", &marks, &starts, &ends);
        assert_eq!((got[0].start, got[0].end, got[0].len()), (60, 60, 0));
    }
}

//! Every metric newsflow exports, by name, type, labels and help, in one
//! place: the renderers take these, and a test holds
//! docs/metrics.md to them.

use super::{Kind, Metric};

const STAGE: &[&str] = &["stage"];

/// `newsflow_records_received_total`.
pub const RECORDS_RECEIVED: Metric = Metric {
    name: "newsflow_records_received_total",
    kind: Kind::Counter,
    labels: STAGE,
    help: "Records read from the input topic.",
};
/// `newsflow_records_delivered_total`.
pub const RECORDS_DELIVERED: Metric = Metric {
    name: "newsflow_records_delivered_total",
    kind: Kind::Counter,
    labels: STAGE,
    help: "Records whose output is durable (offset stored).",
};
/// `newsflow_records_dead_lettered_total`.
pub const RECORDS_DEAD_LETTERED: Metric = Metric {
    name: "newsflow_records_dead_lettered_total",
    kind: Kind::Counter,
    labels: STAGE,
    help: "Records sent to the dead-letter topic.",
};
/// `newsflow_process_seconds`.
pub const PROCESS_SECONDS: Metric = Metric {
    name: "newsflow_process_seconds",
    kind: Kind::Histogram,
    labels: STAGE,
    help: "Time to process one record (decode, enrich or convert), in seconds.",
};
/// `newsflow_assigned_partitions`.
pub const ASSIGNED_PARTITIONS: Metric = Metric {
    name: "newsflow_assigned_partitions",
    kind: Kind::Gauge,
    labels: STAGE,
    help: "Partitions this process reads.",
};
/// `newsflow_output_available`.
pub const OUTPUT_AVAILABLE: Metric = Metric {
    name: "newsflow_output_available",
    kind: Kind::Gauge,
    labels: STAGE,
    help: "1 while the stage's output (broker or database) takes writes.",
};
/// `newsflow_stalled_partitions`.
pub const STALLED_PARTITIONS: Metric = Metric {
    name: "newsflow_stalled_partitions",
    kind: Kind::Gauge,
    labels: STAGE,
    help:
        "Partitions standing below their end for the stall timeout while nothing holds them back.",
};
/// `newsflow_partition_stalls_total`.
pub const PARTITION_STALLS: Metric = Metric {
    name: "newsflow_partition_stalls_total",
    kind: Kind::Counter,
    labels: STAGE,
    help: "Times a partition was found stalled.",
};
/// `newsflow_unreadable_skipped_total`.
pub const UNREADABLE_SKIPPED: Metric = Metric {
    name: "newsflow_unreadable_skipped_total",
    kind: Kind::Counter,
    labels: STAGE,
    help: "Offsets dead-lettered and moved past under --skip-unreadable.",
};
/// `newsflow_group_rejoins_total`.
pub const GROUP_REJOINS: Metric = Metric {
    name: "newsflow_group_rejoins_total",
    kind: Kind::Counter,
    labels: STAGE,
    help: "Rejoins of this member after it sat without partitions while its group lagged.",
};
/// `newsflow_consumer_recreations_total`.
pub const CONSUMER_RECREATIONS: Metric = Metric {
    name: "newsflow_consumer_recreations_total",
    kind: Kind::Counter,
    labels: STAGE,
    help: "Consumers closed and made anew because rejoining did not get this member partitions.",
};
/// `newsflow_member_stuck`.
pub const MEMBER_STUCK: Metric = Metric {
    name: "newsflow_member_stuck",
    kind: Kind::Gauge,
    labels: STAGE,
    help: "1 when rejoining and a new consumer did not get this member partitions while its group lags and nobody moves them.",
};
/// `newsflow_consumer_lag`.
pub const CONSUMER_LAG: Metric = Metric {
    name: "newsflow_consumer_lag",
    kind: Kind::Gauge,
    labels: &["topic", "partition"],
    help: "Records between the committed offset and the partition's end (librdkafka statistics).",
};
/// `newsflow_analysis_skipped_total`.
pub const ANALYSIS_SKIPPED: Metric = Metric {
    name: "newsflow_analysis_skipped_total",
    kind: Kind::Counter,
    labels: &["language"],
    help: "Articles enriched without the language models, by the language they were taken for.",
};
/// `newsflow_ingest_requests_total`.
pub const INGEST_REQUESTS: Metric = Metric {
    name: "newsflow_ingest_requests_total",
    kind: Kind::Counter,
    labels: &[],
    help: "Requests to POST /v1/articles.",
};
/// `newsflow_ingest_articles_accepted_total`.
pub const INGEST_ACCEPTED: Metric = Metric {
    name: "newsflow_ingest_articles_accepted_total",
    kind: Kind::Counter,
    labels: &[],
    help: "Articles acknowledged by the broker (answered 202).",
};
/// `newsflow_ingest_requests_refused_total`.
pub const INGEST_REFUSED: Metric = Metric {
    name: "newsflow_ingest_requests_refused_total",
    kind: Kind::Counter,
    labels: &[],
    help: "Requests answered 4xx or 5xx.",
};
/// `newsflow_postgres_batch_rows`.
pub const POSTGRES_BATCH_ROWS: Metric = Metric {
    name: "newsflow_postgres_batch_rows",
    kind: Kind::Histogram,
    labels: &[],
    help: "Rows per PostgreSQL transaction.",
};
/// `newsflow_postgres_write_seconds`.
pub const POSTGRES_WRITE_SECONDS: Metric = Metric {
    name: "newsflow_postgres_write_seconds",
    kind: Kind::Histogram,
    labels: &[],
    help: "Time of one successful PostgreSQL transaction, in seconds.",
};
/// `newsflow_postgres_articles_written_total`.
pub const POSTGRES_WRITTEN: Metric = Metric {
    name: "newsflow_postgres_articles_written_total",
    kind: Kind::Counter,
    labels: &[],
    help: "Articles inserted or replaced by a newer enrichment.",
};
/// `newsflow_postgres_articles_unchanged_total`.
pub const POSTGRES_UNCHANGED: Metric = Metric {
    name: "newsflow_postgres_articles_unchanged_total",
    kind: Kind::Counter,
    labels: &[],
    help: "Articles left alone: the database held an enrichment as new or newer.",
};
/// `newsflow_postgres_retries_total`.
pub const POSTGRES_RETRIES: Metric = Metric {
    name: "newsflow_postgres_retries_total",
    kind: Kind::Counter,
    labels: &[],
    help: "Transactions retried because the database was unavailable.",
};
/// `newsflow_stories_total`.
pub const STORIES: Metric = Metric {
    name: "newsflow_stories_total",
    kind: Kind::Counter,
    labels: &["kind"],
    help: "Articles decided an original, a duplicate or the same story as an earlier one.",
};
/// `newsflow_story_store_seconds`.
pub const STORY_STORE_SECONDS: Metric = Metric {
    name: "newsflow_story_store_seconds",
    kind: Kind::Histogram,
    labels: &[],
    help: "Time of one successful decision in the shared story store, in seconds.",
};
/// `newsflow_story_store_errors_total`.
pub const STORY_STORE_ERRORS: Metric = Metric {
    name: "newsflow_story_store_errors_total",
    kind: Kind::Counter,
    labels: &[],
    help: "Requests to the shared story store that failed (each is retried).",
};

/// All of the above.
pub const ALL: &[Metric] = &[
    RECORDS_RECEIVED,
    RECORDS_DELIVERED,
    RECORDS_DEAD_LETTERED,
    PROCESS_SECONDS,
    ASSIGNED_PARTITIONS,
    OUTPUT_AVAILABLE,
    STALLED_PARTITIONS,
    PARTITION_STALLS,
    UNREADABLE_SKIPPED,
    GROUP_REJOINS,
    CONSUMER_RECREATIONS,
    MEMBER_STUCK,
    CONSUMER_LAG,
    ANALYSIS_SKIPPED,
    INGEST_REQUESTS,
    INGEST_ACCEPTED,
    INGEST_REFUSED,
    POSTGRES_BATCH_ROWS,
    POSTGRES_WRITE_SECONDS,
    POSTGRES_WRITTEN,
    POSTGRES_UNCHANGED,
    POSTGRES_RETRIES,
    STORIES,
    STORY_STORE_SECONDS,
    STORY_STORE_ERRORS,
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// docs/metrics.md: name → (type, labels).
    fn documented() -> BTreeMap<String, (String, Vec<String>)> {
        let doc = include_str!("../../../../docs/metrics.md");
        doc.lines()
            .filter(|l| l.starts_with("| `newsflow_"))
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                let unquote = |c: &str| c.trim_matches('`').to_owned();
                let labels = cells[3]
                    .split(',')
                    .map(|c| unquote(c.trim()))
                    .filter(|c| !c.is_empty())
                    .collect();
                (unquote(cells[1]), (cells[2].to_owned(), labels))
            })
            .collect()
    }

    #[test]
    fn the_operations_guide_lists_every_metric_as_exported() {
        let documented = documented();
        for metric in ALL {
            let Some((kind, labels)) = documented.get(metric.name) else {
                panic!("{} is missing from docs/metrics.md", metric.name);
            };
            assert_eq!(kind, metric.kind.as_str(), "{}", metric.name);
            assert_eq!(labels, metric.labels, "{}", metric.name);
        }
        for name in documented.keys() {
            assert!(
                ALL.iter().any(|m| m.name == name),
                "docs/metrics.md lists {name}, which nothing exports"
            );
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = ALL.iter().map(|m| m.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }
}

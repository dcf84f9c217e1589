//! The ordered asynchronous step (`Stage::resolve`) on librdkafka's
//! in-process mock broker: records of one partition resolve at the same
//! time, later ones first, and are still delivered in source order; a
//! rejected step dead-letters its record and the partition goes on.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::{BoxFuture, FutureExt};
use newsflow_core::DeadLetterReason;
use newsflow_kafka::{
    Ack, DeliveryFailure, KafkaConfig, PartitionRange, Pipeline, PipelineOptions, PipelineStats,
    Rejection, SourceRecord, Stage,
};
use tokio_util::sync::CancellationToken;

mod common;

const RECORDS: i64 = 40;
/// Resolving this offset fails, and its record goes to the DLQ.
const REJECTED: i64 = 17;

/// Waits longer for earlier records, so that later ones finish first.
#[derive(Default)]
struct SlowLookup {
    resolving: AtomicUsize,
    most_at_once: AtomicUsize,
    delivered: Mutex<Vec<i64>>,
    /// The threads `process` ran on.
    process_threads: Mutex<std::collections::BTreeSet<String>>,
}

impl Stage for SlowLookup {
    type Output = i64;

    fn name(&self) -> &'static str {
        "lookup"
    }

    fn process(&self, record: &SourceRecord) -> Result<i64, Rejection> {
        let thread = std::thread::current().name().unwrap_or("").to_string();
        self.process_threads.lock().unwrap().insert(thread);
        Ok(record.offset)
    }

    fn resolve<'a>(
        &'a self,
        offset: i64,
        _: &'a SourceRecord,
    ) -> BoxFuture<'a, Result<i64, DeliveryFailure>> {
        async move {
            let now = self.resolving.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_at_once.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(5 * (RECORDS - offset) as u64)).await;
            self.resolving.fetch_sub(1, Ordering::SeqCst);
            if offset == REJECTED {
                return Err(DeliveryFailure::Rejected(Rejection::new(
                    DeadLetterReason::InvalidField,
                    "no such story",
                )));
            }
            Ok(offset)
        }
        .boxed()
    }

    #[allow(clippy::async_yields_async)]
    fn deliver<'a>(&'a self, offset: i64, _: &'a SourceRecord) -> BoxFuture<'a, Ack> {
        self.delivered.lock().unwrap().push(offset);
        async { futures::future::ready(Ok(())).boxed() }.boxed()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn resolves_concurrently_and_delivers_in_source_order() {
    let cluster = common::cluster_with_records(1, RECORDS).await;
    let brokers = cluster.bootstrap_servers();

    let stage = Arc::new(SlowLookup::default());
    let stats = Arc::new(PipelineStats::default());
    let range = PartitionRange {
        topic: "raw".into(),
        partition: 0,
        start: 0,
        end: RECORDS,
    };
    let pipeline = Pipeline::new(
        &KafkaConfig::new(brokers),
        PipelineOptions::ranges("lookup-test", vec![range], "dlq"),
    )
    .expect("a pipeline");
    let run = pipeline.run(stage.clone(), stats.clone(), CancellationToken::new());
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the pipeline stops at the end of the range")
        .expect("no error");

    let expected: Vec<i64> = (0..RECORDS).filter(|&o| o != REJECTED).collect();
    assert_eq!(*stage.delivered.lock().unwrap(), expected);
    assert_eq!(stats.dead_lettered(), 1);
    assert_eq!(stats.delivered(), RECORDS as u64 - 1);
    assert!(
        stage.most_at_once.load(Ordering::SeqCst) > 1,
        "records of one partition resolve at the same time"
    );
    // the CPU step runs on the pipeline's own threads, one per core at most
    let threads = stage.process_threads.lock().unwrap().clone();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert!(threads.len() <= cores, "{threads:?}");
    assert!(
        threads.iter().all(|t| t.starts_with("newsflow-cpu-")),
        "{threads:?}"
    );
}

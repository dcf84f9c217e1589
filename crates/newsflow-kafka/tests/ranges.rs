//! Reading fixed offset ranges (what replay does) against librdkafka's
//! in-process mock broker: exactly the records of each range, in order,
//! and the pipeline stops by itself at the ends.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::{BoxFuture, FutureExt};
use newsflow_kafka::{
    Ack, KafkaConfig, PartitionRange, Pipeline, PipelineOptions, PipelineStats, Rejection,
    SourceRecord, Stage,
};
use tokio_util::sync::CancellationToken;

mod common;

/// Remembers (partition, offset) of every record it delivers.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<(i32, i64)>>,
}

impl Stage for Recorder {
    type Output = (i32, i64);

    fn name(&self) -> &'static str {
        "record"
    }

    fn process(&self, record: &SourceRecord) -> Result<(i32, i64), Rejection> {
        Ok((record.partition, record.offset))
    }

    #[allow(clippy::async_yields_async)]
    fn deliver<'a>(&'a self, output: (i32, i64), _: &'a SourceRecord) -> BoxFuture<'a, Ack> {
        self.seen.lock().unwrap().push(output);
        async { futures::future::ready(Ok(())).boxed() }.boxed()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn reads_exactly_the_ranges_then_stops() {
    let cluster = common::cluster_with_records(3, 20).await;
    let brokers = cluster.bootstrap_servers();

    let ranges = vec![
        PartitionRange {
            topic: "raw".into(),
            partition: 0,
            start: 5,
            end: 12,
        },
        PartitionRange {
            topic: "raw".into(),
            partition: 1,
            start: 0,
            end: 3,
        },
        // Empty: never assigned.
        PartitionRange {
            topic: "raw".into(),
            partition: 2,
            start: 7,
            end: 7,
        },
    ];
    let stage = Arc::new(Recorder::default());
    let kafka = KafkaConfig::new(brokers);
    let pipeline = Pipeline::new(
        &kafka,
        PipelineOptions::ranges("replay-test", ranges, "dlq"),
    )
    .expect("a pipeline");
    let run = pipeline.run(
        stage.clone(),
        Arc::new(PipelineStats::default()),
        CancellationToken::new(),
    );
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the pipeline stops by itself at the ends of the ranges")
        .expect("no error");

    let mut seen = stage.seen.lock().unwrap().clone();
    seen.sort();
    let expected: Vec<(i32, i64)> = (5..12)
        .map(|o| (0, o))
        .chain((0..3).map(|o| (1, o)))
        .collect();
    assert_eq!(seen, expected);
}

//! The byte budget on librdkafka's in-process mock broker: with large
//! records, what a pipeline holds in flight is bounded by bytes, not by the
//! count per partition; a record larger than the whole budget still goes
//! through, alone.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::future::{BoxFuture, FutureExt};
use newsflow_kafka::{
    Ack, DeliveryFailure, KafkaConfig, PartitionRange, Pipeline, PipelineOptions, PipelineStats,
    Rejection, SourceRecord, Stage,
};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::ClientConfig;
use tokio_util::sync::CancellationToken;

const RECORDS: i64 = 40;
const RECORD_BYTES: usize = 4 << 10;
const BUDGET: usize = 16 << 10;
/// This record is larger than the whole budget.
const LARGE: i64 = 10;

/// Holds every record in `resolve` until the gate opens.
#[derive(Default)]
struct Gated {
    open: AtomicBool,
    processed: AtomicUsize,
}

impl Stage for Gated {
    type Output = ();

    fn name(&self) -> &'static str {
        "gated"
    }

    fn process(&self, _: &SourceRecord) -> Result<(), Rejection> {
        self.processed.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn resolve<'a>(
        &'a self,
        _: (),
        _: &'a SourceRecord,
    ) -> BoxFuture<'a, Result<(), DeliveryFailure>> {
        async move {
            while !self.open.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Ok(())
        }
        .boxed()
    }

    #[allow(clippy::async_yields_async)]
    fn deliver<'a>(&'a self, _: (), _: &'a SourceRecord) -> BoxFuture<'a, Ack> {
        async { futures::future::ready(Ok(())).boxed() }.boxed()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn large_records_in_flight_are_bounded_by_bytes_and_one_over_the_budget_goes_alone() {
    let cluster = MockCluster::new(1).unwrap();
    cluster.create_topic("raw", 1, 1).unwrap();
    cluster.create_topic("dlq", 1, 1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .create()
        .unwrap();
    for offset in 0..RECORDS {
        let size = if offset == LARGE {
            2 * BUDGET
        } else {
            RECORD_BYTES
        };
        producer
            .send(
                FutureRecord::<str, [u8]>::to("raw").payload(&vec![b'x'; size]),
                Duration::from_secs(10),
            )
            .await
            .unwrap();
    }

    let stage = Arc::new(Gated::default());
    let stats = Arc::new(PipelineStats::default());
    let range = PartitionRange {
        topic: "raw".into(),
        partition: 0,
        start: 0,
        end: RECORDS,
    };
    let mut options = PipelineOptions::ranges("budget-test", vec![range], "dlq");
    options.max_in_flight_bytes = BUDGET;
    let pipeline = Pipeline::new(&KafkaConfig::new(brokers), options).expect("a pipeline");
    let run = tokio::spawn(pipeline.run(stage.clone(), stats.clone(), CancellationToken::new()));

    // Records pile up behind the gate as far as the budget lets them; the
    // count limit (256) would let all 40 in.
    let wanted = BUDGET / RECORD_BYTES;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while stage.processed.load(Ordering::SeqCst) < wanted {
        assert!(
            tokio::time::Instant::now() < deadline,
            "records never arrived"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        stage.processed.load(Ordering::SeqCst),
        wanted,
        "the budget holds"
    );

    stage.open.store(true, Ordering::SeqCst);
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the pipeline stops at the end of the range")
        .expect("no panic")
        .expect("no error");
    assert_eq!(stats.delivered(), RECORDS as u64, "the large one too");
}

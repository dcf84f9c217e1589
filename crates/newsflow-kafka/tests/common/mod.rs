//! What the mock-broker tests share.

use std::time::Duration;

use rdkafka::mocking::MockCluster;
use rdkafka::producer::{DefaultProducerContext, FutureProducer, FutureRecord};
use rdkafka::ClientConfig;

/// librdkafka's in-process broker with a `raw` topic of `partitions`
/// partitions, each holding `records` records whose payload is their
/// index, and an empty `dlq` topic.
pub async fn cluster_with_records(
    partitions: i32,
    records: i64,
) -> MockCluster<'static, DefaultProducerContext> {
    let cluster = MockCluster::new(1).unwrap();
    cluster.create_topic("raw", partitions, 1).unwrap();
    cluster.create_topic("dlq", 1, 1).unwrap();
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", cluster.bootstrap_servers())
        .create()
        .unwrap();
    for partition in 0..partitions {
        for i in 0..records {
            producer
                .send(
                    FutureRecord::<str, str>::to("raw")
                        .partition(partition)
                        .payload(&format!("{i}")),
                    Duration::from_secs(10),
                )
                .await
                .unwrap();
        }
    }
    cluster
}

//! Client configuration: typed options plus librdkafka passthrough.
//!
//! Defaults encode the delivery contract (idempotent producer with
//! `acks=all`; manual offset storage on the consumer). Properties given with
//! `-X key=value` are applied last, so they win over every default; a
//! passthrough that would break the contract is refused with an error.

use rdkafka::ClientConfig;

use crate::security::Security;

/// `fetch.wait.max.ms` for every consumer but the sink's, unless `-X`
/// says otherwise.
pub(crate) const FETCH_WAIT_MAX_MS: u32 = 30;

/// `fetch.wait.max.ms` for the sink's consumer, unless `-X` says otherwise.
/// The enricher's wait sets the latency to an enriched record, so it stays
/// short; the sink's only delays a file line or a row. A broker that holds
/// every fetch for its whole wait (Tansu) serves the sink's fetches every
/// 30 ms for nothing but latency; Kafka answers as soon as data arrives, so
/// there a longer wait only saves idle fetch requests.
pub const SINK_FETCH_WAIT_MAX_MS: u32 = 250;

/// `linger.ms` of pipeline output (the enricher's records, replays, dead
/// letters), which comes in a steady stream: a record waits up to this long
/// so that each request carries several, since a broker's cost is per
/// request and per batch as well as per record (Tansu's SQLite storage
/// most of all). The latency to `enriched_at` does not include it: that
/// time is stamped before the record is produced. With the sink's longer
/// wait, this took the broker's CPU while a backlog drained from about 5.8
/// to 3.6 seconds per 20,000 articles (docs/performance.md).
const PIPELINE_LINGER_MS: u32 = 20;

/// `linger.ms` of `newsflow produce`: an article waits at most this long
/// before it is sent, as it sets the latency of everything downstream.
const INGEST_LINGER_MS: u32 = 5;

/// Broker address, TLS and SASL, and raw librdkafka properties.
#[derive(Clone, Default)]
pub struct KafkaConfig {
    /// Bootstrap servers, `host:port` comma-separated.
    pub brokers: String,
    /// TLS and SASL.
    pub security: Security,
    /// `-X key=value` properties, applied after newsflow's defaults.
    pub properties: Vec<(String, String)>,
}

// Hand-written so that no secret given with -X reaches a log.
impl std::fmt::Debug for KafkaConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let properties: Vec<(&str, &str)> = self
            .properties
            .iter()
            .map(|(k, v)| {
                let secret = k.contains("password") || k.contains("secret");
                (k.as_str(), if secret { "<hidden>" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("KafkaConfig")
            .field("brokers", &self.brokers)
            .field("security", &self.security)
            .field("properties", &properties)
            .finish()
    }
}

/// Properties newsflow sets itself because correctness depends on them.
/// A configuration newsflow refuses to run with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A `-X` property that would weaken the delivery promise.
    #[error("-X {key}={value} is not allowed: {why}")]
    Weakens {
        /// The property.
        key: String,
        /// The value given.
        value: String,
        /// What it would break.
        why: &'static str,
    },
    /// A typed option and a `-X` property that say different things.
    #[error(
        "{option} sets {key}={value}, but -X {given_key} says otherwise; give one or the other"
    )]
    Contradiction {
        /// The typed option, e.g. `--sasl-mechanism`.
        option: &'static str,
        /// The librdkafka property it sets.
        key: &'static str,
        /// The option's value (`<password>` for the password).
        value: String,
        /// The `-X` property that disagrees.
        given_key: String,
    },
    /// A client certificate without its key, or a key without its certificate.
    #[error("--tls-cert and --tls-key go together")]
    HalfAKeyPair,
}

const PROTECTED: &[(&str, &str)] = &[
    (
        "enable.auto.offset.store",
        "offsets are stored only after delivery",
    ),
    ("enable.idempotence", "the producer must be idempotent"),
    (
        "acks",
        "output must be acknowledged by all in-sync replicas",
    ),
    (
        "statistics.interval.ms",
        "the consumer lag and the stall watch read the client's statistics, so they must stay on",
    ),
];

impl KafkaConfig {
    /// Plain connections to `brokers`, newsflow's defaults.
    pub fn new(brokers: impl Into<String>) -> Self {
        KafkaConfig {
            brokers: brokers.into(),
            security: Security::default(),
            properties: Vec::new(),
        }
    }

    /// Parses a `key=value` passthrough property.
    pub fn parse_property(s: &str) -> Result<(String, String), String> {
        match s.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(format!("expected key=value, got {s:?}")),
        }
    }

    /// Refuses passthrough properties that would silently weaken delivery
    /// guarantees, and security options that contradict each other.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.security.validate(&self.properties)?;
        for (key, value) in &self.properties {
            if let Some((_, why)) = PROTECTED.iter().find(|(k, _)| k == key) {
                let keeps = matches!(
                    (key.as_str(), value.as_str()),
                    ("enable.auto.offset.store", "false")
                        | ("enable.idempotence", "true")
                        | ("acks", "all" | "-1")
                ) || (key == "statistics.interval.ms"
                    && value.trim().parse::<u64>().is_ok_and(|ms| ms > 0));
                if !keeps {
                    return Err(ConfigError::Weakens {
                        key: key.clone(),
                        value: value.clone(),
                        why,
                    });
                }
            }
        }
        Ok(())
    }

    fn base(&self) -> ClientConfig {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", &self.brokers);
        config.set("client.id", "newsflow");
        for (key, value, _) in self.security.properties() {
            config.set(key, value);
        }
        config
    }

    fn apply_properties(&self, config: &mut ClientConfig) {
        for (key, value) in &self.properties {
            config.set(key, value);
        }
    }

    /// Producer for pipeline output: idempotent, `acks=all`, and retrying
    /// without a deadline, so that a broker outage delays output instead of
    /// failing it.
    pub(crate) fn pipeline_producer(&self) -> ClientConfig {
        let mut config = self.producer(0, PIPELINE_LINGER_MS);
        self.apply_properties(&mut config);
        config
    }

    /// Producer for `newsflow produce`, which gives up on a record after
    /// `timeout_ms` and reports it as failed.
    pub(crate) fn ingest_producer(&self, timeout_ms: u64) -> ClientConfig {
        let mut config = self.producer(timeout_ms, INGEST_LINGER_MS);
        self.apply_properties(&mut config);
        config
    }

    fn producer(&self, timeout_ms: u64, linger_ms: u32) -> ClientConfig {
        let mut config = self.base();
        config
            .set("enable.idempotence", "true")
            .set("acks", "all")
            .set("message.timeout.ms", timeout_ms.to_string())
            .set("linger.ms", linger_ms.to_string())
            // large enough for dead-lettering an oversized input whole
            .set("message.max.bytes", (16 << 20).to_string());
        config
    }

    /// Consumer-group member: offsets are stored by the pipeline once output
    /// is durable, and committed in the background and on rebalance or
    /// shutdown.
    pub fn group_consumer(&self, group_id: &str) -> ClientConfig {
        self.group_consumer_waiting(group_id, FETCH_WAIT_MAX_MS)
    }

    /// [`Self::group_consumer`] whose fetches wait up to `fetch_wait_ms`
    /// for data.
    pub fn group_consumer_waiting(&self, group_id: &str, fetch_wait_ms: u32) -> ClientConfig {
        let mut config = self.base();
        config
            .set("group.id", group_id)
            .set("enable.auto.commit", "true")
            .set("auto.commit.interval.ms", "1000")
            .set("enable.auto.offset.store", "false")
            .set("auto.offset.reset", "earliest")
            .set("enable.partition.eof", "false")
            // Consumer lag for /metrics and the stall watch come from these
            // statistics; `-X` may change how often, not turn them off.
            .set("statistics.interval.ms", "5000")
            // Brokers that hold a fetch for its whole wait even when data
            // arrives (Tansu among them) add that wait to every record's
            // latency; librdkafka's 500 ms made p99 550 ms at 200 records/s
            // on Tansu, 30 ms makes it 73 ms (docs/performance.md). Kafka
            // answers as soon as data arrives, so there the shorter wait
            // only costs idle fetch requests.
            .set("fetch.wait.max.ms", fetch_wait_ms.to_string())
            // With the short wait the client fills its prefetch queue
            // faster; librdkafka's 64 MiB of it made the PostgreSQL sink
            // peak at 155 MB, 16 MiB at 108 MB at the same speed. It stays
            // as large as one partition's fetch, so the largest record
            // still fits.
            .set("queued.max.messages.kbytes", (16 << 10).to_string())
            // Brokers that do not return an oversized first record anyway
            // (KIP-74; Tansu among them) would stall a partition on one
            // large record; fetch enough to read it and dead-letter it.
            .set("max.partition.fetch.bytes", (16 << 20).to_string());
        self.apply_properties(&mut config);
        config
    }

    /// The consumer-group session timeout in force: `-X session.timeout.ms`,
    /// else librdkafka's default of 45 s.
    pub fn session_timeout(&self) -> std::time::Duration {
        let ms = self
            .properties
            .iter()
            .rev()
            .find(|(k, _)| k == "session.timeout.ms")
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
            .unwrap_or(45_000);
        std::time::Duration::from_millis(ms)
    }

    /// Client for admin requests (topic creation, metadata).
    pub fn admin(&self) -> ClientConfig {
        let mut config = self.base();
        self.apply_properties(&mut config);
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passthrough_wins_over_defaults() {
        let mut k = KafkaConfig::new("127.0.0.1:9092");
        k.properties.push(("linger.ms".into(), "50".into()));
        assert_eq!(k.pipeline_producer().get("linger.ms"), Some("50"));
        assert_eq!(k.pipeline_producer().get("acks"), Some("all"));
    }

    #[test]
    fn consumers_wait_briefly_for_data_unless_told_otherwise() {
        let k = KafkaConfig::new("127.0.0.1:9092");
        assert_eq!(k.group_consumer("g").get("fetch.wait.max.ms"), Some("30"));
        assert_eq!(
            k.group_consumer("g").get("queued.max.messages.kbytes"),
            Some("16384")
        );
        assert_eq!(
            k.group_consumer_waiting("g", SINK_FETCH_WAIT_MAX_MS)
                .get("fetch.wait.max.ms"),
            Some("250")
        );
        let mut k = KafkaConfig::new("127.0.0.1:9092");
        k.properties
            .push(("fetch.wait.max.ms".into(), "500".into()));
        assert_eq!(k.group_consumer("g").get("fetch.wait.max.ms"), Some("500"));
        assert_eq!(
            k.group_consumer_waiting("g", SINK_FETCH_WAIT_MAX_MS)
                .get("fetch.wait.max.ms"),
            Some("500")
        );
    }

    #[test]
    fn statistics_can_come_more_or_less_often_but_not_stop() {
        let k = KafkaConfig::new("b");
        assert_eq!(
            k.group_consumer("g").get("statistics.interval.ms"),
            Some("5000")
        );
        let mut k = KafkaConfig::new("b");
        k.properties
            .push(("statistics.interval.ms".into(), "1000".into()));
        assert!(k.validate().is_ok());
        assert_eq!(
            k.group_consumer("g").get("statistics.interval.ms"),
            Some("1000")
        );
        for off in ["0", "never"] {
            let mut k = KafkaConfig::new("b");
            k.properties
                .push(("statistics.interval.ms".into(), off.into()));
            let e = k.validate().unwrap_err();
            assert!(
                matches!(&e, ConfigError::Weakens { key, .. } if key == "statistics.interval.ms"),
                "{e}"
            );
        }
    }

    #[test]
    fn pipeline_output_lingers_longer_than_ingest() {
        let k = KafkaConfig::new("127.0.0.1:9092");
        assert_eq!(k.pipeline_producer().get("linger.ms"), Some("20"));
        assert_eq!(k.ingest_producer(1000).get("linger.ms"), Some("5"));
    }

    #[test]
    fn refuses_properties_that_weaken_delivery() {
        let mut k = KafkaConfig::new("b");
        k.properties.push(("acks".into(), "1".into()));
        let e = k.validate().unwrap_err();
        assert!(matches!(&e, ConfigError::Weakens { key, .. } if key == "acks"));
        assert!(e.to_string().contains("-X acks=1 is not allowed"), "{e}");
        let mut k = KafkaConfig::new("b");
        k.properties.push(("acks".into(), "all".into()));
        assert!(k.validate().is_ok());
    }

    #[test]
    fn parses_key_value() {
        assert_eq!(
            KafkaConfig::parse_property("security.protocol=SASL_SSL"),
            Ok(("security.protocol".into(), "SASL_SSL".into()))
        );
        assert!(KafkaConfig::parse_property("novalue").is_err());
    }
}

//! The command line. Every option also reads a `NEWSFLOW_*` environment
//! variable, which is how containers configure it.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use newsflow_enricher::EnrichOptions;
use newsflow_kafka::replay::Bound;
use newsflow_kafka::security::{Sasl, SaslMechanism, Security};
use newsflow_kafka::{KafkaConfig, Watchdog};
use newsflow_sink::{JsonlOptions, PostgresOptions, SinkOptions};

use crate::http::HttpArgs;
use crate::logging::LogFormat;

#[derive(Debug, Parser)]
#[command(
    name = "newsflow",
    version,
    about = "Streaming news enrichment over Kafka"
)]
pub struct Cli {
    #[command(flatten)]
    pub kafka: KafkaArgs,
    /// TOML config file: each setting under its NEWSFLOW_* name without the
    /// prefix (brokers, group, sink_to...), in a [command] table to apply
    /// to one command only, and [librdkafka] for -X properties. Flags and
    /// the environment win over it.
    #[arg(long, global = true, env = "NEWSFLOW_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log format on stderr.
    #[arg(
        long,
        global = true,
        env = "NEWSFLOW_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct KafkaArgs {
    /// Kafka bootstrap servers (host:port, comma-separated).
    #[arg(
        short = 'b',
        long,
        global = true,
        env = "NEWSFLOW_BROKERS",
        default_value = "127.0.0.1:9092"
    )]
    pub brokers: String,
    /// Any librdkafka property, applied after newsflow's defaults
    /// (repeatable): -X security.protocol=SASL_SSL
    #[arg(short = 'X', value_name = "KEY=VALUE", global = true, value_parser = KafkaConfig::parse_property)]
    pub properties: Vec<(String, String)>,
    /// Talk TLS to the brokers (implied by the other --tls-* options).
    #[arg(long, global = true, env = "NEWSFLOW_TLS")]
    pub tls: bool,
    /// CA certificate(s) to verify the brokers with (PEM file).
    #[arg(long, global = true, env = "NEWSFLOW_TLS_CA", value_name = "FILE")]
    pub tls_ca: Option<PathBuf>,
    /// Client certificate for mutual TLS (PEM file); needs --tls-key.
    #[arg(long, global = true, env = "NEWSFLOW_TLS_CERT", value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// Client private key for mutual TLS (PEM file).
    #[arg(long, global = true, env = "NEWSFLOW_TLS_KEY", value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// SASL mechanism; needs --sasl-username and --sasl-password.
    #[arg(
        long,
        global = true,
        env = "NEWSFLOW_SASL_MECHANISM",
        value_enum,
        requires_all = ["sasl_username", "sasl_password"]
    )]
    pub sasl_mechanism: Option<SaslArg>,
    #[arg(long, global = true, env = "NEWSFLOW_SASL_USERNAME")]
    pub sasl_username: Option<String>,
    /// Better given as NEWSFLOW_SASL_PASSWORD than on the command line,
    /// where other users of the machine can see it.
    #[arg(
        long,
        global = true,
        env = "NEWSFLOW_SASL_PASSWORD",
        hide_env_values = true
    )]
    pub sasl_password: Option<String>,
}

/// `--sasl-mechanism` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SaslArg {
    Plain,
    #[value(name = "scram-sha-256")]
    ScramSha256,
    #[value(name = "scram-sha-512")]
    ScramSha512,
}

impl KafkaArgs {
    pub fn config(&self) -> KafkaConfig {
        let sasl = match (
            self.sasl_mechanism,
            &self.sasl_username,
            &self.sasl_password,
        ) {
            (Some(mechanism), Some(username), Some(password)) => Some(Sasl {
                mechanism: match mechanism {
                    SaslArg::Plain => SaslMechanism::Plain,
                    SaslArg::ScramSha256 => SaslMechanism::ScramSha256,
                    SaslArg::ScramSha512 => SaslMechanism::ScramSha512,
                },
                username: username.clone(),
                password: password.clone(),
            }),
            _ => None,
        };
        KafkaConfig {
            brokers: self.brokers.clone(),
            security: Security {
                tls: self.tls,
                ca: self.tls_ca.clone(),
                cert: self.tls_cert.clone(),
                key: self.tls_key.clone(),
                sasl,
            },
            properties: self.properties.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send articles from files, directories or stdin to the raw topic.
    Produce(ProduceArgs),
    /// Enrich raw articles as a member of a consumer group.
    Enrich(EnrichArgs),
    /// Write enriched articles to a sink.
    Sink(SinkArgs),
    /// Enrich a range of the raw topic again (backfill), outside the live
    /// consumer group.
    Replay(ReplayArgs),
    /// Enrich files offline, without a broker.
    Annotate(AnnotateArgs),
    /// Run the whole pipeline on an in-process broker over bundled samples.
    Demo(DemoArgs),
    /// Measure throughput (use a release build).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Train and evaluate the NLP models.
    #[command(subcommand)]
    Nlp(NlpCommand),
}

#[derive(Debug, Subcommand)]
pub enum NlpCommand {
    /// Train the entity tagger on CoNLL-format files.
    TrainNer(TrainNerArgs),
    /// Cross-validate the entity tagger by document over the training file
    /// and four fifths of the development file, scoring the record path.
    CvNer(CvNerArgs),
    /// Score the entity model on a CoNLL file: each document goes through the
    /// whole enrichment as an article, and its record is scored; the tagger
    /// alone is scored beside it.
    EvalNer(EvalNerArgs),
    /// Build the gazetteer TSV files from the public data sets.
    BuildGazetteer(BuildGazetteerArgs),
    /// Build the word-class table key phrases read (verbs, adjectives,
    /// numbers) from a part-of-speech tagged CoNLL file.
    BuildWordClasses(BuildWordClassesArgs),
    /// Train the IPTC topic model (BBC News, the taxonomy, the lexicon).
    TrainTopics(TrainTopicsArgs),
    /// Score the topic model on the held-out BBC fifth and the check set.
    EvalTopics(EvalTopicsArgs),
    /// Score the key phrases against phrases written by hand: precision
    /// and recall of the ten best.
    EvalKeywords(EvalKeywordsArgs),
}

#[derive(Debug, Args)]
pub struct TrainTopicsArgs {
    /// The IPTC Media Topics file.
    #[arg(long, default_value = "../shared/data/iptc/media_topics.json")]
    pub taxonomy: PathBuf,
    /// BBC News articles (`{id, category, title, text}` lines); the fixed
    /// held-out fifth is left out.
    #[arg(long, default_value = "../shared/data/bbc/train.jsonl")]
    pub bbc: PathBuf,
    /// The topic lexicon.
    #[arg(long, default_value = "crates/newsflow-nlp/data/topics/lexicon.txt")]
    pub lexicon: PathBuf,
    #[arg(long, default_value = "models/topics-iptc.bin")]
    pub output: PathBuf,
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Pseudo-articles drawn per lexicon entry.
    #[arg(long, default_value_t = 300)]
    pub pseudo_per_entry: usize,
    #[arg(long, default_value_t = 1.0)]
    pub learning_rate: f32,
    /// The rate at epoch e is learning-rate / (1 + decay × e).
    #[arg(long, default_value_t = 0.2)]
    pub decay: f32,
    /// L2 penalty per step.
    #[arg(long, default_value_t = 1e-6)]
    pub l2: f32,
    /// Share of pseudo-articles that get sentences of a random BBC article
    /// as background, so that everyday news words do not point at a topic.
    #[arg(long, default_value_t = 0.7)]
    pub background: f32,
    /// Target of the background article's own topic in such a pseudo-article.
    #[arg(long, default_value_t = 0.3)]
    pub background_target: f32,
    /// Weight of a BBC article against one pseudo-article.
    #[arg(long, default_value_t = 8.0)]
    pub bbc_weight: f32,
    /// Train without the word-cluster features (to measure what they add).
    #[arg(long)]
    pub no_clusters: bool,
    /// Weight of a BBC article as a negative example for the twelve topics
    /// BBC does not label (1: as for the five it labels).
    #[arg(long, default_value_t = 0.1)]
    pub bbc_other_topics: f32,
    /// A BBC article with at least this many distinct lexicon terms of a
    /// topic BBC does not label is a weak positive for it (0: never).
    #[arg(long, default_value_t = 0)]
    pub lexicon_min_terms: usize,
    /// Target of such a weak positive.
    #[arg(long, default_value_t = 0.7)]
    pub lexicon_target: f32,
    /// The tuning set, one of the two sources the calibration is fitted
    /// on (the other: cross-validation folds of the BBC articles).
    #[arg(long, default_value = "eval/topics/check.jsonl")]
    pub check: PathBuf,
    /// BBC folds for the calibration; 0 leaves the scores uncalibrated.
    #[arg(long, default_value_t = 5)]
    pub calibration_folds: usize,
}

#[derive(Debug, Args)]
pub struct EvalTopicsArgs {
    #[arg(long, default_value = "models/topics-iptc.bin")]
    pub model: PathBuf,
    /// BBC News articles; only the held-out fifth is scored.
    #[arg(long, default_value = "../shared/data/bbc/train.jsonl")]
    pub bbc: PathBuf,
    /// Hand-written articles with their expected topics (JSON lines).
    #[arg(long, default_value = "eval/topics/check.jsonl")]
    pub check: PathBuf,
    /// The evaluation set (JSON lines, written for the project, never
    /// trained or tuned on): only its totals are printed.
    #[arg(long, default_value = "eval/topics/eval.jsonl")]
    pub eval: PathBuf,
    /// List every miss of the BBC fifth and the check set.
    #[arg(long)]
    pub verbose: bool,
    /// Also print the five best top-level topics of this article (a text
    /// file, title line first; repeatable), e.g. the agency sample.
    #[arg(long)]
    pub article: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalKeywordsArgs {
    /// JSON lines: `file` (an article, title line first, relative to the
    /// current folder) and `phrases` (each with its acceptable forms
    /// separated by `|`). Repeatable: each set is scored alone, then all
    /// together.
    #[arg(
        long,
        default_values = ["eval/keywords/samples.jsonl", "eval/keywords/blind.jsonl"]
    )]
    pub set: Vec<PathBuf>,
    /// Score another extractor's phrases instead of newsflow's: JSON lines
    /// of `file` and `phrases`, best first (`scripts/yake-keyphrases.py`
    /// writes them for YAKE).
    #[arg(long)]
    pub predicted: Option<PathBuf>,
    /// Print every article's phrases.
    #[arg(long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct BuildWordClassesArgs {
    /// CoNLL-format files with the part-of-speech tag in the second column
    /// (repeatable).
    #[arg(
        long,
        default_values = ["../shared/data/conll2003/eng.train", "../shared/data/conll2003/eng.testa"]
    )]
    pub conll: Vec<PathBuf>,
    #[arg(long, default_value = "models/word-classes.tsv")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct BuildGazetteerArgs {
    /// The gazetteers folder of the shared data.
    #[arg(long, default_value = "../shared/data/gazetteers")]
    pub data: PathBuf,
    #[arg(long, default_value = "models/gazetteer")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct TrainNerArgs {
    #[command(flatten)]
    pub data: NerDataArgs,
    #[command(flatten)]
    pub training: NerTrainingArgs,
    /// Where to write the model.
    #[arg(long, default_value = "models/ner-conll2003.bin")]
    pub output: PathBuf,
}

/// The documents a tagger learns from.
#[derive(Debug, Args)]
pub struct NerDataArgs {
    /// CoNLL-format training files (repeatable).
    #[arg(long, default_value = "../shared/data/conll2003/eng.train")]
    pub train: Vec<PathBuf>,
    /// The development file: every fifth document (ids 5, 10...) is the
    /// regression set, never trained on; the other four fifths are trained
    /// on like --train.
    #[arg(long, default_value = "../shared/data/conll2003/eng.testa")]
    pub dev: Option<PathBuf>,
}

/// How a tagger is trained.
#[derive(Debug, Args)]
pub struct NerTrainingArgs {
    #[arg(long, default_value_t = 10)]
    pub epochs: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Leave out features seen fewer times than this.
    #[arg(long, default_value_t = 1)]
    pub min_count: u32,
    /// Train without the word-cluster features (to measure what they add).
    #[arg(long)]
    pub no_clusters: bool,
}

#[derive(Debug, Args)]
pub struct CvNerArgs {
    #[command(flatten)]
    pub data: NerDataArgs,
    #[command(flatten)]
    pub training: NerTrainingArgs,
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Folds trained at the same time.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
}

#[derive(Debug, Args)]
pub struct EvalNerArgs {
    /// CoNLL-format file with gold entities.
    #[arg(long)]
    pub conll: PathBuf,
    /// Score only the regression fifth of the file (ids 5, 10, 15...).
    #[arg(long)]
    pub regression_fifth: bool,
    #[arg(long, default_value = "models/ner-conll2003.bin")]
    pub model: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Offline: enrich the bundled samples over and over on one thread.
    Annotate(BenchAnnotateArgs),
    /// Produce articles to fresh topics on --brokers, then enrich and sink
    /// them in this process; reports articles per second.
    Pipeline(BenchPipelineArgs),
}

#[derive(Debug, Args)]
pub struct BenchAnnotateArgs {
    #[arg(long, default_value_t = 20_000)]
    pub articles: usize,
}

#[derive(Debug, Args)]
pub struct BenchPipelineArgs {
    #[arg(long, default_value_t = 20_000)]
    pub articles: usize,
    #[arg(long, default_value_t = 6)]
    pub partitions: i32,
    #[arg(long, default_value_t = 600)]
    pub timeout_secs: u64,
}

#[derive(Debug, Args)]
pub struct ProduceArgs {
    /// Files (.txt, .json, .jsonl), directories, or - for stdin.
    #[arg(required_unless_present = "http")]
    pub inputs: Vec<PathBuf>,
    /// Instead of reading files, serve POST /v1/articles (and /metrics,
    /// /healthz, /readyz) on this address, e.g. 0.0.0.0:8080.
    #[arg(
        long,
        env = "NEWSFLOW_HTTP",
        value_name = "ADDR",
        conflicts_with = "inputs"
    )]
    pub http: Option<std::net::SocketAddr>,
    /// With --http: requests must carry `Authorization: Bearer TOKEN`.
    #[arg(long, env = "NEWSFLOW_INGEST_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// With --http: larger request bodies are refused (413).
    #[arg(long, env = "NEWSFLOW_MAX_BODY_BYTES", default_value_t = 16 << 20)]
    pub max_body_bytes: usize,
    #[arg(long, env = "NEWSFLOW_RAW_TOPIC", default_value = "articles.raw")]
    pub topic: String,
    /// Partitions for the topic if it has to be created.
    #[arg(long, env = "NEWSFLOW_PARTITIONS", default_value_t = 6)]
    pub partitions: i32,
    /// Replication factor for the topic if it has to be created.
    #[arg(long, env = "NEWSFLOW_REPLICATION", default_value_t = 1)]
    pub replication: i32,
    /// Do not create the topic when it is missing.
    #[arg(long, env = "NEWSFLOW_NO_CREATE_TOPIC")]
    pub no_create_topic: bool,
    /// Largest record accepted, in bytes.
    #[arg(long, env = "NEWSFLOW_MAX_RECORD_BYTES", default_value_t = newsflow_enricher::DEFAULT_MAX_RECORD_BYTES)]
    pub max_record_bytes: usize,
    /// Seconds to wait for the broker to acknowledge a record.
    #[arg(long, env = "NEWSFLOW_TIMEOUT_SECS", default_value_t = 30)]
    pub timeout_secs: u64,
}

impl ProduceArgs {
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs)
    }
}

#[derive(Debug, Args)]
pub struct EnrichArgs {
    #[arg(long, env = "NEWSFLOW_RAW_TOPIC", default_value = "articles.raw")]
    pub input_topic: String,
    #[arg(long, env = "NEWSFLOW_GROUP", default_value = "newsflow-enrich")]
    pub group: String,
    #[command(flatten)]
    pub output: EnrichOutputArgs,
    #[command(flatten)]
    pub watchdog: MembershipArgs,
    #[command(flatten)]
    pub http: HttpArgs,
}

impl EnrichArgs {
    pub fn options(&self) -> EnrichOptions {
        let mut options = self.output.options(&self.input_topic, &self.group);
        options.watchdog = self.watchdog.watchdog();
        options.instance_id = self.watchdog.instance_id.clone();
        options
    }
}

/// Where enrich and replay write, and how they treat their input.
#[derive(Debug, Args)]
pub struct EnrichOutputArgs {
    /// Topic for the enriched records (e.g. articles.enriched.v2 for a
    /// replay with a new model).
    #[arg(
        long,
        env = "NEWSFLOW_ENRICHED_TOPIC",
        default_value = "articles.enriched"
    )]
    pub output_topic: String,
    #[arg(long, env = "NEWSFLOW_DLQ_TOPIC", default_value = "articles.dlq")]
    pub dlq_topic: String,
    /// Raw records larger than this go to the DLQ.
    #[arg(long, env = "NEWSFLOW_MAX_RECORD_BYTES", default_value_t = newsflow_enricher::DEFAULT_MAX_RECORD_BYTES)]
    pub max_record_bytes: usize,
    /// Enriched records are bounded (fewer entities, mentions and dates,
    /// said in `truncated`) to fit in this; what cannot fit goes to the DLQ.
    /// Default: the output topic's max.message.bytes, else 1 MiB.
    #[arg(long, env = "NEWSFLOW_MAX_OUTPUT_BYTES", value_name = "BYTES")]
    pub max_output_bytes: Option<usize>,
    #[command(flatten)]
    pub languages: LanguageArgs,
    /// Partitions for output topics if they have to be created.
    #[arg(long, env = "NEWSFLOW_PARTITIONS", default_value_t = 6)]
    pub partitions: i32,
    #[arg(long, env = "NEWSFLOW_REPLICATION", default_value_t = 1)]
    pub replication: i32,
    /// Do not create the output topics when they are missing.
    #[arg(long, env = "NEWSFLOW_NO_CREATE_TOPIC")]
    pub no_create_topic: bool,
}

impl EnrichOutputArgs {
    pub fn options(&self, input_topic: &str, group: &str) -> EnrichOptions {
        EnrichOptions {
            input_topic: input_topic.to_string(),
            output_topic: self.output_topic.clone(),
            dlq_topic: self.dlq_topic.clone(),
            group_id: group.to_string(),
            max_record_bytes: self.max_record_bytes,
            max_output_bytes: self.max_output_bytes,
            watchdog: Watchdog::default(),
            instance_id: None,
            create_topics: (!self.no_create_topic).then_some((self.partitions, self.replication)),
        }
    }
}

/// Which articles get the analysis.
#[derive(Debug, Args)]
pub struct LanguageArgs {
    /// Languages (ISO 639-1, comma-separated) whose articles are analysed;
    /// others keep their language and say why in analysis_skipped. The
    /// models are trained for English. Rule: docs/language.md.
    #[arg(
        long,
        env = "NEWSFLOW_LANGUAGES",
        value_delimiter = ',',
        default_value = "en",
        value_name = "CODES"
    )]
    pub languages: Vec<String>,
}

impl LanguageArgs {
    /// The built-in models, analysing these languages.
    pub fn annotator(&self) -> anyhow::Result<newsflow_nlp::Annotator> {
        let annotator =
            newsflow_nlp::Annotator::with_default_models().map_err(anyhow::Error::msg)?;
        Ok(annotator.with_languages(newsflow_nlp::LanguageGate::new(&self.languages)))
    }
}

/// Partitions that stop moving (every consumer, replay included).
#[derive(Debug, Args)]
pub struct StallArgs {
    /// Report a partition stalled (log, newsflow_stalled_partitions,
    /// /readyz) once it stands this many seconds below its end with
    /// nothing holding it back.
    #[arg(
        long,
        env = "NEWSFLOW_STALL_TIMEOUT",
        value_name = "SECS",
        default_value_t = 120
    )]
    pub stall_timeout: u64,
    /// Dead-letter a stalled partition's offset, headers only, and read on
    /// from the next one. Off by default: a slow broker must not make a
    /// record disappear.
    #[arg(long, env = "NEWSFLOW_SKIP_UNREADABLE")]
    pub skip_unreadable: bool,
}

impl StallArgs {
    /// The watchdog of a command that reads by direct assignment (replay).
    pub fn watchdog(&self) -> Watchdog {
        Watchdog {
            stall_timeout: Duration::from_secs(self.stall_timeout.max(1)),
            skip_unreadable: self.skip_unreadable,
            ..Watchdog::default()
        }
    }
}

/// Consumer-group membership (enrich and sink; replay is in no group).
#[derive(Debug, Args)]
pub struct MembershipArgs {
    #[command(flatten)]
    pub stall: StallArgs,
    /// Rejoin the group after this many seconds without partitions while
    /// the group's partitions lag and nobody moves them. Default: three
    /// session timeouts.
    #[arg(long, env = "NEWSFLOW_REJOIN_AFTER", value_name = "SECS")]
    pub rejoin_after: Option<u64>,
    /// Exit non-zero when rejoining did not help (/healthz fails either
    /// way), for runs that have no probe to restart them.
    #[arg(long, env = "NEWSFLOW_EXIT_WHEN_STUCK")]
    pub exit_when_stuck: bool,
    /// Static group membership (group.instance.id, KIP-345): restarted
    /// under the same id within the session timeout, the member gets its
    /// partitions back without a rebalance; stopped for good, its
    /// partitions wait out the session timeout. Must be unique in the group.
    #[arg(long, env = "NEWSFLOW_INSTANCE_ID", value_name = "ID")]
    pub instance_id: Option<String>,
}

impl MembershipArgs {
    pub fn watchdog(&self) -> Watchdog {
        Watchdog {
            rejoin_after: self.rejoin_after.map(Duration::from_secs),
            exit_when_stuck: self.exit_when_stuck,
            ..self.stall.watchdog()
        }
    }
}

#[derive(Debug, Args)]
pub struct SinkArgs {
    /// Where to write: jsonl:DIR, or a PostgreSQL URL
    /// (postgres://user@host:5432/db).
    #[arg(
        long,
        env = "NEWSFLOW_SINK_TO",
        default_value = "jsonl:./newsflow-output"
    )]
    pub to: String,
    #[arg(
        long,
        env = "NEWSFLOW_ENRICHED_TOPIC",
        default_value = "articles.enriched"
    )]
    pub input_topic: String,
    #[arg(long, env = "NEWSFLOW_DLQ_TOPIC", default_value = "articles.dlq")]
    pub dlq_topic: String,
    #[arg(long, env = "NEWSFLOW_GROUP", default_value = "newsflow-sink")]
    pub group: String,
    #[arg(long, env = "NEWSFLOW_MAX_RECORD_BYTES", default_value_t = newsflow_sink::DEFAULT_MAX_RECORD_BYTES)]
    pub max_record_bytes: usize,
    /// Start a new JSONL file after this many bytes.
    #[arg(long, env = "NEWSFLOW_ROTATE_BYTES", default_value_t = 128 << 20)]
    pub rotate_bytes: u64,
    /// Start a new JSONL file after this many seconds.
    #[arg(long, env = "NEWSFLOW_ROTATE_SECS", default_value_t = 3600)]
    pub rotate_secs: u64,
    /// PostgreSQL: articles per transaction at most.
    #[arg(long, env = "NEWSFLOW_BATCH_RECORDS", default_value_t = 500)]
    pub batch_records: usize,
    /// PostgreSQL: transactions in flight at once.
    #[arg(long, env = "NEWSFLOW_PG_WRITERS", default_value_t = 2)]
    pub writers: usize,
    /// PostgreSQL: CA certificate(s) to verify the server's certificate and
    /// name with. Without it, TLS (the URL's sslmode: prefer by default,
    /// require, disable) encrypts without verifying, as libpq does.
    #[arg(long, env = "NEWSFLOW_PG_CA", value_name = "FILE")]
    pub pg_ca: Option<PathBuf>,
    /// Before joining, set the group's position to the first record at or
    /// after this time (RFC 3339), to sink history again into a fresh
    /// target. No member of the group may be running.
    #[arg(long, env = "NEWSFLOW_SINK_FROM", value_name = "TIME")]
    pub from: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[command(flatten)]
    pub watchdog: MembershipArgs,
    #[command(flatten)]
    pub http: HttpArgs,
}

pub enum SinkTarget {
    Jsonl(JsonlOptions),
    Postgres(PostgresOptions),
}

impl SinkArgs {
    pub fn target(&self) -> anyhow::Result<SinkTarget> {
        match self.to.split_once(':') {
            Some(("jsonl", dir)) if !dir.is_empty() => {
                let mut options = JsonlOptions::new(dir);
                options.rotate_bytes = self.rotate_bytes;
                options.rotate_after = Duration::from_secs(self.rotate_secs);
                Ok(SinkTarget::Jsonl(options))
            }
            Some(("postgres" | "postgresql", _)) => {
                let mut options = PostgresOptions::new(&self.to);
                options.writer.batch_records = self.batch_records.max(1);
                options.writer.writers = self.writers.max(1);
                options.ca = self.pg_ca.clone();
                Ok(SinkTarget::Postgres(options))
            }
            _ => anyhow::bail!(
                "unsupported sink target {:?}: expected jsonl:DIR or postgres://...",
                self.to
            ),
        }
    }

    pub fn options(&self) -> SinkOptions {
        SinkOptions {
            input_topic: self.input_topic.clone(),
            dlq_topic: self.dlq_topic.clone(),
            group_id: self.group.clone(),
            max_record_bytes: self.max_record_bytes,
            watchdog: self.watchdog.watchdog(),
            instance_id: self.watchdog.instance_id.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// RawArticle JSONL / JSON files, .txt files, directories, or - for stdin.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Write here instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[arg(long, env = "NEWSFLOW_MAX_RECORD_BYTES", default_value_t = newsflow_enricher::DEFAULT_MAX_RECORD_BYTES)]
    pub max_record_bytes: usize,
    #[command(flatten)]
    pub languages: LanguageArgs,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory for the JSONL output.
    #[arg(long, default_value = "demo-output")]
    pub output: PathBuf,
    /// Give up if the pipeline has not finished after this many seconds.
    #[arg(long, default_value_t = 120)]
    pub timeout_secs: u64,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Topic to read again.
    #[arg(long, env = "NEWSFLOW_RAW_TOPIC", default_value = "articles.raw")]
    pub input_topic: String,
    /// Start: an RFC 3339 time, per-partition offsets (0:120,1:98; other
    /// partitions are not read), or earliest.
    #[arg(long, env = "NEWSFLOW_REPLAY_FROM", default_value = "earliest")]
    pub from: Bound,
    /// End (exclusive): an RFC 3339 time, per-partition offsets (others end
    /// at their high watermark), or latest. Default: the high watermarks
    /// when the replay starts.
    #[arg(long, env = "NEWSFLOW_REPLAY_TO", default_value = "latest")]
    pub to: Bound,
    /// Group id under which the replay commits its progress; never the live
    /// enrich group's. Partitions are assigned directly, so no group
    /// rebalances.
    #[arg(long, env = "NEWSFLOW_REPLAY_GROUP", default_value = "newsflow-replay")]
    pub group: String,
    /// Records per second at most.
    #[arg(long, env = "NEWSFLOW_REPLAY_RATE")]
    pub rate: Option<f64>,
    /// Print the plan (partitions, offsets, record counts) and stop.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: EnrichOutputArgs,
    #[command(flatten)]
    pub watchdog: StallArgs,
    #[command(flatten)]
    pub http: HttpArgs,
}

impl ReplayArgs {
    pub fn options(&self) -> EnrichOptions {
        self.output.options(&self.input_topic, &self.group)
    }
}

//! `newsflow enrich`: a consumer-group member that enriches raw articles.
//! Its output options and the language gate serve `replay` too.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use newsflow_enricher::EnrichOptions;
use newsflow_kafka::{PipelineStats, Watchdog};

use crate::broker::BrokerArgs;
use crate::http::{self, HttpArgs};
use crate::in_flight_args::InFlightArgs;
use crate::story_args::PipelineStoryArgs;
use crate::topic_args::CreateTopicArgs;
use crate::watchdog::MembershipArgs;

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
    #[command(flatten)]
    pub broker: BrokerArgs,
}

impl EnrichArgs {
    pub fn options(&self) -> anyhow::Result<EnrichOptions> {
        let mut options = self.output.options(&self.input_topic, &self.group)?;
        options.watchdog = self.watchdog.watchdog();
        options.instance_id = self.watchdog.instance_id.clone();
        Ok(options)
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
    #[command(flatten)]
    pub in_flight: InFlightArgs,
    #[command(flatten)]
    pub topics: CreateTopicArgs,
    #[command(flatten)]
    pub stories: PipelineStoryArgs,
}

impl EnrichOutputArgs {
    pub fn options(&self, input_topic: &str, group: &str) -> anyhow::Result<EnrichOptions> {
        Ok(EnrichOptions {
            input_topic: input_topic.to_string(),
            output_topic: self.output_topic.clone(),
            dlq_topic: self.dlq_topic.clone(),
            group_id: group.to_string(),
            max_record_bytes: self.max_record_bytes,
            max_output_bytes: self.max_output_bytes,
            watchdog: Watchdog::default(),
            instance_id: None,
            in_flight: self.in_flight.in_flight(),
            create_topics: self.topics.create(),
            stories: self.stories.options()?,
        })
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
        let annotator = newsflow_nlp::Annotator::with_default_models()?;
        Ok(annotator.with_languages(newsflow_nlp::LanguageGate::new(&self.languages)))
    }
}

pub async fn run(args: EnrichArgs) -> anyhow::Result<ExitCode> {
    let kafka = args.broker.connect().await?;
    let annotator = Arc::new(args.output.languages.annotator()?);
    let stats = Arc::new(PipelineStats::default());
    let shutdown = newsflow_kafka::shutdown_on_signals();
    args.http
        .serve(http::Ops::Pipeline(stats.clone()), shutdown.clone())
        .await?;
    let options = args.options()?;
    newsflow_enricher::run(&kafka, &options, annotator, stats, shutdown).await?;
    Ok(ExitCode::SUCCESS)
}

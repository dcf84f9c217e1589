//! `newsflow annotate`: the enrich code path over files, no broker.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use newsflow_core::EnrichedArticle;
use newsflow_producer::sources::{read_inputs, Item};
use newsflow_stories::Signature;

use crate::enrich::LanguageArgs;
use crate::in_order::map_in_order;
use crate::story_args::StoryArgs;

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
    /// Threads that annotate; the output keeps the input's order whatever
    /// the number. Default: one per core.
    #[arg(long, default_value_t = default_threads())]
    pub threads: usize,
    #[command(flatten)]
    pub stories: StoryArgs,
    #[command(flatten)]
    pub languages: LanguageArgs,
}

/// One per core, as the operating system reports them.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What one input item became.
enum Outcome {
    /// An enriched record, and its signature for story detection.
    Article(Box<EnrichedArticle>, Option<Signature>),
    Skipped,
    Failed(String),
}

pub fn run(args: AnnotateArgs) -> anyhow::Result<ExitCode> {
    let annotator = args.languages.annotator()?;
    // Sendable: whichever worker thread finds the next record ready writes it.
    let sink: Box<dyn Write + Send> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout()),
    };
    let mut out = BufWriter::new(sink);
    // Reading standard input, each record is written as soon as it is
    // made: whoever feeds the pipe (a feed follower, say) should not wait
    // for 8 KiB of output, or for the end of the input, to see it.
    let flush_each = args.inputs.iter().any(|path| path.as_os_str() == "-");
    let (mut written, mut failed) = (0u64, 0u64);
    // Stories are decided here, in input order, so that the records are the
    // same whatever the number of threads.
    let mut stories = args.stories.memory_index()?;
    let detect = stories.is_some();
    let annotate = |item: Item| -> anyhow::Result<Outcome> {
        Ok(match item {
            Item::Article { article, .. } => {
                let enriched = annotator.annotate(*article, None);
                let signature =
                    detect.then(|| Signature::of_article(&enriched.title, &enriched.body));
                Outcome::Article(Box::new(enriched), signature)
            }
            Item::Skipped { .. } => Outcome::Skipped,
            Item::Failed { origin, reason } => Outcome::Failed(format!("{origin}: {reason}")),
        })
    };
    let items = read_inputs(args.inputs, args.max_record_bytes);
    map_in_order(items, args.threads, annotate, |outcome| {
        match outcome? {
            Outcome::Article(mut enriched, signature) => {
                if let (Some(index), Some(signature)) = (stories.as_mut(), signature) {
                    let time = enriched.event_time();
                    enriched.story = Some(index.decide(&enriched.id, &signature, time));
                }
                serde_json::to_writer(&mut out, &enriched)?;
                out.write_all(b"\n")?;
                if flush_each {
                    out.flush()?;
                }
                written += 1;
            }
            Outcome::Skipped => {}
            Outcome::Failed(why) => {
                eprintln!("error: {why}");
                failed += 1;
            }
        }
        anyhow::Ok(())
    })?;
    out.flush()?;
    eprintln!("annotate: {written} written, {failed} failed");
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

//! `newsflow annotate`: the enrich code path over files, no broker.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use newsflow_producer::sources::{read_inputs, Item};

use crate::enrich::LanguageArgs;

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

pub fn run(args: AnnotateArgs) -> anyhow::Result<ExitCode> {
    let annotator = args.languages.annotator()?;
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    let (mut written, mut failed) = (0u64, 0u64);
    for item in read_inputs(args.inputs, args.max_record_bytes) {
        match item {
            Item::Article { article, .. } => {
                let enriched = annotator.annotate(*article, None);
                serde_json::to_writer(&mut out, &enriched)?;
                out.write_all(b"\n")?;
                written += 1;
            }
            Item::Skipped { .. } => {}
            Item::Failed { origin, reason } => {
                eprintln!("error: {origin}: {reason}");
                failed += 1;
            }
        }
    }
    out.flush()?;
    eprintln!("annotate: {written} written, {failed} failed");
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

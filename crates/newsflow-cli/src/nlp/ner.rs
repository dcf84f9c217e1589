//! `newsflow nlp train-ner`, `cv-ner` and `eval-ner`: the entity tagger.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use newsflow_nlp::training::{
    cross_validate, evaluate_ner, evaluate_tagger, parse_conll, regression_fifth,
    ConllDocument as Document, Lexicon, NerTrainOptions as TrainOptions, WordClusters,
};
use newsflow_nlp::Annotator;
use newsflow_nlp::Tagger;

use super::file_name;

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
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    pub epochs: usize,
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    pub seed: u64,
    /// Leave out features seen fewer times than this.
    #[arg(long, default_value_t = TrainOptions::default().min_count)]
    pub min_count: u32,
    /// Train without the word-cluster features (to measure what they add).
    #[arg(long)]
    pub no_clusters: bool,
    /// Train without the silver name lists (to measure what they add).
    #[arg(long)]
    pub no_silver_names: bool,
    /// Train without the cased word clusters (to measure what they add).
    #[arg(long)]
    pub no_cased_clusters: bool,
    /// In training, every wrong tag's score is raised by this much before
    /// decoding, so that the update also fixes near misses (0: plain
    /// perceptron decoding).
    #[arg(long, default_value_t = TrainOptions::default().margin)]
    pub margin: f32,
    /// Cap of the passive-aggressive step (PA-I): an update moves the
    /// weights just far enough to fix the mistake, at most this far
    /// (0: the perceptron's fixed step of 1).
    #[arg(long, default_value_t = TrainOptions::default().pa_cap)]
    pub pa_cap: f32,
    /// Share of a token's features hidden from each training step, drawn
    /// afresh each epoch (0: none).
    #[arg(long, default_value_t = TrainOptions::default().dropout)]
    pub dropout: f32,
    /// Averaged weights this small or smaller are left out of the model.
    #[arg(long, default_value_t = TrainOptions::default().prune)]
    pub prune: f32,
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

fn read_conll(path: &Path) -> anyhow::Result<Vec<Document>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let docs = parse_conll(&text);
    anyhow::ensure!(
        !docs.is_empty(),
        "{} holds no CoNLL sentences",
        path.display()
    );
    Ok(docs)
}

/// Training documents (all of --train, four fifths of --dev) and the
/// regression fifth of --dev.
fn ner_data(args: &NerDataArgs) -> anyhow::Result<(Vec<Document>, Vec<Document>)> {
    let mut documents = Vec::new();
    for path in &args.train {
        documents.extend(read_conll(path)?);
    }
    let mut regression = Vec::new();
    if let Some(dev) = &args.dev {
        let (fifth, rest) = regression_fifth(read_conll(dev)?);
        documents.extend(rest);
        regression = fifth;
    }
    Ok((documents, regression))
}

fn ner_training(args: &NerTrainingArgs) -> (TrainOptions, Lexicon) {
    let options = TrainOptions {
        epochs: args.epochs,
        seed: args.seed,
        min_count: args.min_count,
        margin: args.margin,
        pa_cap: args.pa_cap,
        dropout: args.dropout,
        prune: args.prune,
    };
    let mut lexicon = Lexicon::builtin();
    if args.no_clusters {
        lexicon.clusters = WordClusters::default();
    }
    if args.no_cased_clusters {
        lexicon.cased = Default::default();
    }
    if args.no_silver_names {
        lexicon.silver_names = Default::default();
        lexicon.silver_words = Default::default();
    }
    (options, lexicon)
}

pub fn train_ner(args: TrainNerArgs) -> anyhow::Result<ExitCode> {
    let (documents, regression) = ner_data(&args.data)?;
    let (options, lexicon) = ner_training(&args.training);
    let sentences: usize = documents.iter().map(|d| d.sentences.len()).sum();
    eprintln!(
        "training on {} documents, {sentences} sentences, {} epochs, seed {}; {} regression documents held out",
        documents.len(),
        options.epochs,
        options.seed,
        regression.len()
    );
    let mut trained_on: Vec<String> = args.data.train.iter().map(|p| file_name(p)).collect();
    if let Some(dev) = &args.data.dev {
        trained_on.push(format!("{} without its regression fifth", file_name(dev)));
    }
    let started = Instant::now();
    let metadata = |epoch: usize| {
        serde_json::json!({
            "name": "ner-conll2003",
            "trained_on": trained_on,
            "epochs": epoch,
            "seed": options.seed,
            "min_count": options.min_count,
            "word_clusters": !lexicon.clusters.is_empty(),
            "silver_names": !lexicon.silver_names.is_empty(),
            "margin": options.margin,
            "pa_cap": options.pa_cap,
            "dropout": options.dropout,
            "prune": options.prune,
        })
        .to_string()
    };
    let weights = newsflow_nlp::training::train_ner(
        &documents,
        &lexicon,
        &options,
        metadata,
        |epoch, weights| {
            let line = if regression.is_empty() {
                String::new()
            } else {
                let tagger = Tagger::new(weights.clone(), lexicon.clone());
                format!(
                    "regression-fifth micro F1 {:.4} (tagger)",
                    evaluate_tagger(&tagger, &regression).micro.f1()
                )
            };
            eprintln!(
                "epoch {epoch}: {} features, {:.0} s {line}",
                weights.index.len(),
                started.elapsed().as_secs_f64()
            );
        },
    );
    let bytes = weights.to_bytes();
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!(
        "wrote {} ({:.1} MB)",
        args.output.display(),
        bytes.len() as f64 / 1e6
    );
    Ok(ExitCode::SUCCESS)
}

pub fn cv_ner(args: CvNerArgs) -> anyhow::Result<ExitCode> {
    let (pool, _regression) = ner_data(&args.data)?;
    let (options, lexicon) = ner_training(&args.training);
    eprintln!(
        "{}-fold cross-validation over {} documents, {} epochs, seed {}, min count {}, margin {}, PA cap {}, dropout {}, pruned at {}, word clusters {}, silver names {}",
        args.folds,
        pool.len(),
        options.epochs,
        options.seed,
        options.min_count,
        options.margin,
        options.pa_cap,
        options.dropout,
        options.prune,
        if lexicon.clusters.is_empty() { "off" } else { "on" },
        if lexicon.silver_names.is_empty() { "off" } else { "on" }
    );
    let started = Instant::now();
    let cv = cross_validate(&pool, &lexicon, &options, args.folds, args.threads)
        .map_err(anyhow::Error::msg)?;
    for (i, fold) in cv.folds.iter().enumerate() {
        println!(
            "fold {}: record micro F1 {:.4}, tagger {:.4} ({} gold entities)",
            i + 1,
            fold.record_f1,
            fold.tagger_f1,
            fold.evaluation.record.micro.gold
        );
    }
    let (mean, sd) = cv.record();
    let (tagger_mean, tagger_sd) = cv.tagger();
    println!("record path micro F1 {mean:.4} ± {sd:.4} (mean ± sd over folds)");
    println!("tagger alone micro F1 {tagger_mean:.4} ± {tagger_sd:.4}");
    eprintln!(
        "cross-validated in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn eval_ner(args: EvalNerArgs) -> anyhow::Result<ExitCode> {
    let bytes =
        std::fs::read(&args.model).with_context(|| format!("reading {}", args.model.display()))?;
    let tagger = Tagger::from_bytes(&bytes, Lexicon::builtin())
        .with_context(|| args.model.display().to_string())?;
    let annotator = Annotator::with_default_models()?.with_ner(tagger, file_name(&args.model));
    let mut documents = read_conll(&args.conll)?;
    if args.regression_fifth {
        documents = regression_fifth(documents).0;
    }
    let started = Instant::now();
    let evaluation = evaluate_ner(&annotator, &documents);
    let secs = started.elapsed().as_secs_f64();
    let part = if args.regression_fifth {
        " (regression fifth)"
    } else {
        ""
    };
    println!(
        "{} on {}{part}: the records' body mentions (raw text as an article body, exact character spans)",
        file_name(&args.model),
        file_name(&args.conll),
    );
    print!("{}", evaluation.report());
    eprintln!("evaluated in {secs:.2} s");
    Ok(ExitCode::SUCCESS)
}

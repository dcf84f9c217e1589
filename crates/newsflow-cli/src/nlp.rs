//! `newsflow nlp`: training and evaluating the models.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use newsflow_nlp::conll::{self, Document};
use newsflow_nlp::gazetteer;
use newsflow_nlp::ner::eval::evaluate_tagger;
use newsflow_nlp::ner::selection::{cross_validate, regression_fifth};
use newsflow_nlp::ner::train::{train, TrainOptions};
use newsflow_nlp::ner::{Lexicon, Tagger};
use newsflow_nlp::word_clusters::WordClusters;
use newsflow_nlp::Annotator;

use crate::args::{
    BuildGazetteerArgs, BuildWordClassesArgs, CvNerArgs, EvalKeywordsArgs, EvalNerArgs,
    NerDataArgs, NerTrainingArgs, NlpCommand, TrainNerArgs,
};

pub fn run(command: NlpCommand) -> anyhow::Result<ExitCode> {
    match command {
        NlpCommand::TrainNer(args) => train_ner(args),
        NlpCommand::CvNer(args) => cv_ner(args),
        NlpCommand::EvalNer(args) => eval_ner(args),
        NlpCommand::BuildGazetteer(args) => build_gazetteer(args),
        NlpCommand::BuildWordClasses(args) => build_word_classes(args),
        NlpCommand::EvalKeywords(args) => eval_keywords(args),
        NlpCommand::TrainTopics(args) => crate::nlp_topics::train_topics(args),
        NlpCommand::EvalTopics(args) => crate::nlp_topics::eval_topics(args),
    }
}

fn eval_keywords(args: EvalKeywordsArgs) -> anyhow::Result<ExitCode> {
    // Another extractor's phrases, by file, or newsflow's own annotator.
    let source = match &args.predicted {
        Some(path) => PhraseSource::Given(read_phrase_lines(path)?.into_iter().collect()),
        None => PhraseSource::Annotator(Box::new(
            Annotator::with_default_models().map_err(anyhow::Error::msg)?,
        )),
    };
    let mut all = PhraseTally::default();
    for set in &args.set {
        let mut tally = PhraseTally::default();
        for (file, gold) in read_phrase_lines(set)? {
            let phrases = source.phrases(&file)?;
            let predicted: Vec<&str> = phrases.iter().take(10).map(String::as_str).collect();
            let gold: Vec<&str> = gold.iter().map(String::as_str).collect();
            let hits = newsflow_nlp::keywords::matches(&predicted, &gold);
            if args.verbose {
                println!("{file} ({hits} of {}): {predicted:?}", predicted.len());
            }
            tally.add(predicted.len(), gold.len(), hits);
        }
        tally.print(&file_name(set));
        all.add(tally.predicted, tally.gold, tally.matched);
    }
    if args.set.len() > 1 {
        all.print("all sets");
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the key phrases under evaluation come from.
enum PhraseSource {
    Given(HashMap<String, Vec<String>>),
    Annotator(Box<Annotator>),
}

impl PhraseSource {
    fn phrases(&self, file: &str) -> anyhow::Result<Vec<String>> {
        match self {
            Self::Given(by_file) => by_file
                .get(file)
                .cloned()
                .with_context(|| format!("{file}: not in the predicted phrases")),
            Self::Annotator(annotator) => {
                let text =
                    std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
                let article = newsflow_core::RawArticle::from_text(&text)
                    .with_context(|| format!("{file}: no title line"))?;
                let out = annotator.annotate(article, None);
                Ok(out.keywords.into_iter().map(|k| k.text).collect())
            }
        }
    }
}

/// Counts for precision and recall of key phrases.
#[derive(Default)]
struct PhraseTally {
    predicted: usize,
    gold: usize,
    matched: usize,
}

impl PhraseTally {
    fn add(&mut self, predicted: usize, gold: usize, matched: usize) {
        self.predicted += predicted;
        self.gold += gold;
        self.matched += matched;
    }

    fn print(&self, name: &str) {
        let precision = self.matched as f64 / self.predicted.max(1) as f64;
        let recall = self.matched as f64 / self.gold.max(1) as f64;
        let f1 = if self.matched == 0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        println!(
            "key phrases on {name}: precision {precision:.3} ({} of {}), recall {recall:.3} (of {}), F1 {f1:.3}",
            self.matched, self.predicted, self.gold
        );
    }
}

/// Reads JSON lines of `file` and `phrases` (a key-phrase set, or another
/// extractor's output).
fn read_phrase_lines(path: &Path) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut items = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let at = || format!("{} line {}", path.display(), i + 1);
        let item: serde_json::Value = serde_json::from_str(line).with_context(at)?;
        let file = item["file"]
            .as_str()
            .with_context(|| format!("{}: no file", at()))?
            .to_owned();
        let phrases = item["phrases"]
            .as_array()
            .with_context(|| format!("{}: no phrases", at()))?
            .iter()
            .filter_map(serde_json::Value::as_str)
            .map(str::to_owned)
            .collect();
        items.push((file, phrases));
    }
    Ok(items)
}

fn build_word_classes(args: BuildWordClassesArgs) -> anyhow::Result<ExitCode> {
    let mut conll = String::new();
    for path in &args.conll {
        conll += &std::fs::read_to_string(path)
            .with_context(|| format!("reading {}", path.display()))?;
        conll.push('\n');
    }
    let table = newsflow_nlp::word_classes::build(&conll);
    std::fs::write(&args.output, &table)
        .with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!(
        "wrote {} ({} words)",
        args.output.display(),
        table.lines().count()
    );
    Ok(ExitCode::SUCCESS)
}

fn build_gazetteer(args: BuildGazetteerArgs) -> anyhow::Result<ExitCode> {
    let read = |path: &str| {
        let path = args.data.join(path);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let sources = gazetteer::Sources {
        geonames_cities: &read("geonames/cities15000.json")?,
        geonames_countries: &read("geonames/countries.json")?,
        geonames_us_states: &read("geonames/us_states.json")?,
        geonames_continents: &read("geonames/continents.json")?,
        world_countries: &read("world-countries/countries.json")?,
        demonyms: &read("demonyms/country_demonyms.json")?,
        orgs_yaml: &read("orgs/general_list.yaml")?,
        orgs_csv: &read("orgs/CountrycodesOrgs.csv")?,
    };
    std::fs::create_dir_all(&args.output)?;
    for (name, tsv) in gazetteer::build(&sources).map_err(anyhow::Error::msg)? {
        let path = args.output.join(name);
        std::fs::write(&path, &tsv).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {} ({} names)", path.display(), tsv.lines().count());
    }
    Ok(ExitCode::SUCCESS)
}

fn read_conll(path: &Path) -> anyhow::Result<Vec<Document>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let docs = conll::parse(&text);
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
    };
    let mut lexicon = Lexicon::builtin();
    if args.no_clusters {
        lexicon.clusters = WordClusters::default();
    }
    (options, lexicon)
}

fn train_ner(args: TrainNerArgs) -> anyhow::Result<ExitCode> {
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
        })
        .to_string()
    };
    let weights = train(
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

fn cv_ner(args: CvNerArgs) -> anyhow::Result<ExitCode> {
    let (pool, _regression) = ner_data(&args.data)?;
    let (options, lexicon) = ner_training(&args.training);
    eprintln!(
        "{}-fold cross-validation over {} documents, {} epochs, seed {}, min count {}, word clusters {}",
        args.folds,
        pool.len(),
        options.epochs,
        options.seed,
        options.min_count,
        if lexicon.clusters.is_empty() { "off" } else { "on" }
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

fn eval_ner(args: EvalNerArgs) -> anyhow::Result<ExitCode> {
    let bytes =
        std::fs::read(&args.model).with_context(|| format!("reading {}", args.model.display()))?;
    let tagger = Tagger::from_bytes(&bytes, Lexicon::builtin())
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.model.display()))?;
    let annotator = Annotator::with_default_models()
        .map_err(anyhow::Error::msg)?
        .with_ner(tagger, file_name(&args.model));
    let mut documents = read_conll(&args.conll)?;
    if args.regression_fifth {
        documents = regression_fifth(documents).0;
    }
    let started = Instant::now();
    let evaluation = newsflow_nlp::ner::eval::evaluate(&annotator, &documents);
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

pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

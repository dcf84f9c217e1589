//! `newsflow nlp`: training and evaluating the models.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use newsflow_nlp::conll::{self, Document};
use newsflow_nlp::gazetteer::{self, Gazetteer};
use newsflow_nlp::ner::eval::evaluate_tagger;
use newsflow_nlp::ner::train::{train, TrainOptions};
use newsflow_nlp::ner::Tagger;
use newsflow_nlp::{Annotator, GAZETTEER_TSV};

use crate::args::{BuildGazetteerArgs, EvalNerArgs, NlpCommand, TrainNerArgs};

pub fn run(command: NlpCommand) -> anyhow::Result<ExitCode> {
    match command {
        NlpCommand::TrainNer(args) => train_ner(args),
        NlpCommand::EvalNer(args) => eval_ner(args),
        NlpCommand::BuildGazetteer(args) => build_gazetteer(args),
        NlpCommand::TrainTopics(args) => crate::nlp_topics::train_topics(args),
        NlpCommand::EvalTopics(args) => crate::nlp_topics::eval_topics(args),
    }
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

/// The gazetteer built into the binary, which models are trained with.
fn builtin_gazetteer() -> Gazetteer {
    Gazetteer::from_tsv(GAZETTEER_TSV)
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

fn train_ner(args: TrainNerArgs) -> anyhow::Result<ExitCode> {
    let mut documents = Vec::new();
    for path in &args.train {
        documents.extend(read_conll(path)?);
    }
    let dev = args.dev.as_deref().map(read_conll).transpose()?;
    let options = TrainOptions {
        epochs: args.epochs,
        seed: args.seed,
        min_count: args.min_count,
    };
    let sentences: usize = documents.iter().map(|d| d.sentences.len()).sum();
    eprintln!(
        "training on {} documents, {sentences} sentences, {} epochs, seed {}",
        documents.len(),
        options.epochs,
        options.seed
    );
    let train_files: Vec<String> = args.train.iter().map(|p| file_name(p)).collect();
    let started = Instant::now();
    let metadata = |epoch: usize| {
        serde_json::json!({
            "name": "ner-conll2003",
            "trained_on": train_files,
            "epochs": epoch,
            "seed": options.seed,
            "min_count": options.min_count,
        })
        .to_string()
    };
    let gazetteer = builtin_gazetteer();
    let weights = train(
        &documents,
        &gazetteer,
        &options,
        metadata,
        |epoch, weights| {
            let line = match &dev {
                Some(dev) => format!(
                    "dev micro F1 {:.4}",
                    evaluate_tagger(&Tagger::new(weights.clone(), gazetteer.clone()), dev)
                        .micro
                        .f1()
                ),
                None => String::new(),
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

fn eval_ner(args: EvalNerArgs) -> anyhow::Result<ExitCode> {
    let bytes =
        std::fs::read(&args.model).with_context(|| format!("reading {}", args.model.display()))?;
    let tagger = Tagger::from_bytes(&bytes, builtin_gazetteer())
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.model.display()))?;
    let annotator = Annotator::with_default_models()
        .map_err(anyhow::Error::msg)?
        .with_ner(tagger, file_name(&args.model));
    let documents = read_conll(&args.conll)?;
    let started = Instant::now();
    let evaluation = newsflow_nlp::ner::eval::evaluate(&annotator, &documents);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} on {}: the records' body mentions (raw text as an article body, exact character spans)",
        file_name(&args.model),
        file_name(&args.conll)
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

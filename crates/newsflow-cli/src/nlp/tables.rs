//! `newsflow nlp build-gazetteer` and `build-word-classes`: the tables
//! the models read, derived from the shared data.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use newsflow_nlp::training::{self, GazetteerSources};

#[derive(Debug, Args)]
pub struct BuildWordClassesArgs {
    /// CoNLL-format files with the part-of-speech tag in the second column
    /// (repeatable).
    #[arg(
        long,
        default_values = ["../shared/data/conll2003/eng.train", "../shared/data/conll2003/eng.testa"]
    )]
    pub conll: Vec<PathBuf>,
    /// GMB's tagged CSV: with the CoNLL files, it tells which words of
    /// mixed use can be a headline's verb.
    #[arg(long, default_value = "../shared/data/gmb/ner_dataset.utf8.csv")]
    pub gmb: PathBuf,
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

pub fn build_word_classes(args: BuildWordClassesArgs) -> anyhow::Result<ExitCode> {
    let mut conll = String::new();
    for path in &args.conll {
        conll += &std::fs::read_to_string(path)
            .with_context(|| format!("reading {}", path.display()))?;
        conll.push('\n');
    }
    let gmb = std::fs::read_to_string(&args.gmb)
        .with_context(|| format!("reading {}", args.gmb.display()))?;
    let table = training::build_word_classes(&conll, &training::gmb_tagged(&gmb));
    std::fs::write(&args.output, &table)
        .with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!(
        "wrote {} ({} words)",
        args.output.display(),
        table.lines().count()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn build_gazetteer(args: BuildGazetteerArgs) -> anyhow::Result<ExitCode> {
    let read = |path: &str| {
        let path = args.data.join(path);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let sources = GazetteerSources {
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
    for (name, tsv) in training::build_gazetteer(&sources).map_err(anyhow::Error::msg)? {
        let path = args.output.join(name);
        std::fs::write(&path, &tsv).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {} ({} names)", path.display(), tsv.lines().count());
    }
    Ok(ExitCode::SUCCESS)
}

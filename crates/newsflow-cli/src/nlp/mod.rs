//! `newsflow nlp`: training and evaluating the models, one module per
//! model.

mod ag_news;
mod keywords;
mod ner;
mod tables;
mod topics;

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum NlpCommand {
    /// Train the entity tagger on CoNLL-format files.
    TrainNer(ner::TrainNerArgs),
    /// Cross-validate the entity tagger by document over the training file
    /// and four fifths of the development file, scoring the record path.
    CvNer(ner::CvNerArgs),
    /// Score the entity model on a CoNLL file: each document goes through the
    /// whole enrichment as an article, and its record is scored; the tagger
    /// alone is scored beside it.
    EvalNer(ner::EvalNerArgs),
    /// Build the gazetteer TSV files from the public data sets.
    BuildGazetteer(tables::BuildGazetteerArgs),
    /// Build the word-class table key phrases read (verbs, adjectives,
    /// numbers) from a part-of-speech tagged CoNLL file.
    BuildWordClasses(tables::BuildWordClassesArgs),
    /// Train the IPTC topic model (BBC News, the taxonomy, the lexicon).
    TrainTopics(topics::TrainTopicsArgs),
    /// Score the topic model on the held-out BBC fifth and the check set.
    EvalTopics(topics::EvalTopicsArgs),
    /// Score the key phrases against phrases written by hand: precision
    /// and recall of the ten best.
    EvalKeywords(keywords::EvalKeywordsArgs),
}

pub fn run(command: NlpCommand) -> anyhow::Result<ExitCode> {
    match command {
        NlpCommand::TrainNer(args) => ner::train_ner(args),
        NlpCommand::CvNer(args) => ner::cv_ner(args),
        NlpCommand::EvalNer(args) => ner::eval_ner(args),
        NlpCommand::BuildGazetteer(args) => tables::build_gazetteer(args),
        NlpCommand::BuildWordClasses(args) => tables::build_word_classes(args),
        NlpCommand::EvalKeywords(args) => keywords::eval_keywords(args),
        NlpCommand::TrainTopics(args) => topics::train_topics(args),
        NlpCommand::EvalTopics(args) => topics::eval_topics(args),
    }
}

pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

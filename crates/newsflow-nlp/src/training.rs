//! Training and evaluating the models: what the `newsflow nlp` commands
//! and the quality tests use. The enrichment itself needs none of it.

pub use crate::conll::{parse as parse_conll, raw_text, Document as ConllDocument};
pub use crate::gazetteer::{build as build_gazetteer, Gazetteer, Sources as GazetteerSources};
pub use crate::keywords::matches as keyphrase_matches;
pub use crate::ner::eval::{evaluate as evaluate_ner, evaluate_tagger};
pub use crate::ner::selection::{cross_validate, mean_sd, regression_fifth, CrossValidation};
pub use crate::ner::tags::TYPES as ENTITY_TYPES;
pub use crate::ner::train::{train as train_ner, TrainOptions as NerTrainOptions};
pub use crate::ner::Lexicon;
pub use crate::topics::calibration::Platt;
pub use crate::topics::news::{gmb_windows, SENTENCES_PER_WINDOW};
pub use crate::topics::train::{
    calibrate, held_out, parse_bbc, parse_lexicon, train as train_topics, CalibrationOptions,
    Sources as TopicSources, Taxonomy, TrainOptions as TopicTrainOptions,
};
pub use crate::topics::{
    evaluate as evaluate_topics, Expected, Scored, TopicEvaluation, TopicModel,
};
pub use crate::word_classes::{build as build_word_classes, gmb_tagged};
pub use crate::word_clusters::WordClusters;

//! The trained topic model: one logistic scorer per top-level IPTC Media
//! Topic (multi-label: each score is independent) and, under each, a
//! softmax over its second-level topics.

use std::collections::HashMap;

use crate::byte_reader::ByteReader;
use crate::le_bytes::le_f32;
use crate::ner::model::FeatureMap;
use crate::topics::calibration::Platt;
use crate::topics::features::Featurizer;
use crate::topics::file_layout::{sections, ScorerAt, MAGIC, TRUNCATED};
use crate::topics::laid_out::KeyedRows;

/// Marks the optional calibration block at the end of a model file
/// (files written before it have none and read as uncalibrated): one
/// scaling for every topic…
const CALIBRATION: &[u8; 4] = b"CAL1";
/// …or, since topics learnt from different data need different
/// scalings, one per top-level topic in the scorer's label order.
const CALIBRATION_PER_TOPIC: &[u8; 4] = b"CAL2";

/// A second-level topic is reported when its parent scores at least this…
pub const CHILD_MIN_PARENT: f64 = 0.5;
/// …and it takes at least this share among its siblings.
pub const CHILD_MIN_SHARE: f64 = 0.6;

#[derive(Debug, Clone, PartialEq)]
pub struct TopicLabel {
    /// `medtop:…`
    pub id: String,
    pub label: String,
}

/// A linear scorer over hashed features: `bias[k] + Σ x_f · w[f][k]`.
#[derive(Debug, Clone, Default)]
pub struct Linear {
    pub labels: Vec<TopicLabel>,
    pub bias: Vec<f32>,
    /// feature key → row of `labels.len()` weights
    pub rows: FeatureMap<u32>,
    pub weights: Vec<f32>,
    /// The built-in model's rows, read in place; `rows` and `weights` are
    /// then empty.
    laid_out: Option<KeyedRows>,
}

impl Linear {
    pub fn new(labels: Vec<TopicLabel>) -> Self {
        let n = labels.len();
        Linear {
            labels,
            bias: vec![0.0; n],
            rows: FeatureMap::default(),
            weights: Vec::new(),
            laid_out: None,
        }
    }

    /// A scorer of the file's, its rows read into memory.
    fn read(at: &ScorerAt) -> Self {
        let mut linear = Linear::with_labels_of(at);
        let n = linear.labels.len();
        // sized up front: growing the map rehashes every key already in it
        linear.rows.reserve(at.rows.count);
        linear.weights.reserve(at.rows.count * n);
        for (i, (key, row)) in at.rows.entries().enumerate() {
            linear.rows.insert(key, i as u32);
            linear.weights.extend(row.chunks_exact(4).map(le_f32));
        }
        linear
    }

    /// A scorer of the file's, its rows read in place through `rows`.
    fn laid_out(at: &ScorerAt, rows: KeyedRows) -> Self {
        Linear {
            laid_out: Some(rows),
            ..Linear::with_labels_of(at)
        }
    }

    fn with_labels_of(at: &ScorerAt) -> Self {
        let labels = at.labels.iter().map(|(id, label)| TopicLabel {
            id: id.clone(),
            label: label.clone(),
        });
        Linear {
            bias: at.bias.clone(),
            ..Linear::new(labels.collect())
        }
    }

    pub fn scores(&self, features: &[(u64, f32)]) -> Vec<f32> {
        let n = self.labels.len();
        let mut out = self.bias.clone();
        if let Some(rows) = &self.laid_out {
            // Every feature's place asked of memory first, then every
            // row found asked for, then the sums: the table and the rows
            // are megabytes read at random, and so their cache misses
            // overlap. The sums keep the features' order.
            for (key, _) in features {
                rows.prefetch(*key);
            }
            let found: Vec<(&[u8], f32)> = features
                .iter()
                .filter_map(|(key, x)| {
                    let row = rows.get(*key)?;
                    crate::cache::prefetch(row);
                    Some((row, *x))
                })
                .collect();
            for (row, x) in found {
                for (o, w) in out.iter_mut().zip(row.chunks_exact(4)) {
                    *o += x * le_f32(w);
                }
            }
            return out;
        }
        for (key, x) in features {
            if let Some(&row) = self.rows.get(key) {
                let w = &self.weights[row as usize * n..(row as usize + 1) * n];
                for (o, w) in out.iter_mut().zip(w) {
                    *o += x * w;
                }
            }
        }
        out
    }

    /// The row of a feature, added with zero weights if new.
    pub fn row_mut(&mut self, key: u64) -> &mut [f32] {
        let n = self.labels.len();
        let next = self.rows.len() as u32;
        let row = *self.rows.entry(key).or_insert(next) as usize;
        if row == next as usize {
            self.weights.resize(self.weights.len() + n, 0.0);
        }
        &mut self.weights[row * n..(row + 1) * n]
    }

    /// Drops features whose weights are all below `threshold` in size.
    pub fn prune(&mut self, threshold: f32) {
        let n = self.labels.len();
        let mut kept = Linear::new(self.labels.clone());
        kept.bias = self.bias.clone();
        let mut keys: Vec<(u64, u32)> = self.rows.iter().map(|(&k, &r)| (k, r)).collect();
        keys.sort_unstable();
        for (key, row) in keys {
            let w = &self.weights[row as usize * n..(row as usize + 1) * n];
            if w.iter().any(|w| w.abs() >= threshold) {
                kept.row_mut(key).copy_from_slice(w);
            }
        }
        *self = kept;
    }

    fn write(&self, out: &mut Vec<u8>) {
        put_u32(out, self.labels.len() as u32);
        for l in &self.labels {
            put_str(out, &l.id);
            put_str(out, &l.label);
        }
        for b in &self.bias {
            out.extend_from_slice(&b.to_le_bytes());
        }
        let mut keys: Vec<(u64, u32)> = self.rows.iter().map(|(&k, &r)| (k, r)).collect();
        keys.sort_unstable();
        put_u32(out, keys.len() as u32);
        let n = self.labels.len();
        for (key, row) in keys {
            out.extend_from_slice(&key.to_le_bytes());
            for w in &self.weights[row as usize * n..(row as usize + 1) * n] {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
    }
}

/// Top-level scorer plus one child scorer per top-level topic that has
/// second-level topics.
#[derive(Debug, Clone, Default)]
pub struct TopicModel {
    /// Scores the top-level topics.
    pub top: Linear,
    /// parent id → softmax over its children
    pub children: HashMap<String, Linear>,
    featurizer: Featurizer,
    /// Maps each top-level scorer's raw score to a probability, one
    /// scaling per topic in `top.labels` order (none: the raw logistic
    /// score).
    pub calibration: Vec<Platt>,
    /// The built-in model's file, which it is scored from in place.
    file: Option<&'static [u8]>,
}

/// A scored topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The IPTC Media Topic id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// In [0, 1].
    pub score: f64,
}

pub(crate) fn softmax(scores: &[f32]) -> Vec<f64> {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exp: Vec<f64> = scores.iter().map(|s| f64::from(s - max).exp()).collect();
    let sum: f64 = exp.iter().sum();
    exp.iter().map(|e| e / sum).collect()
}

impl TopicModel {
    /// `vocabulary`: every feature key the model knows, with its inverse
    /// document frequency.
    pub fn new(
        top: Linear,
        children: HashMap<String, Linear>,
        vocabulary: FeatureMap<f32>,
    ) -> Self {
        TopicModel {
            top,
            children,
            featurizer: Featurizer::default()
                .with_clusters(crate::word_clusters::WordClusters::builtin())
                .with_vocabulary(vocabulary),
            calibration: Vec::new(),
            file: None,
        }
    }

    /// The built-in model: its file, scored in place through the key
    /// tables the build laid out over its rows (`file_layout`).
    pub(crate) fn builtin(
        model: &'static [u8],
        tables: &'static [u8],
    ) -> Result<Self, crate::ModelError> {
        crate::model_error::load("topic", MAGIC, model, |_| {
            let file = sections(model)?;
            let (vocabulary, tables) = KeyedRows::read(tables, file.vocabulary)?;
            let (rows, mut tables) = KeyedRows::read(tables, file.top.rows)?;
            let top = Linear::laid_out(&file.top, rows);
            let mut children = HashMap::with_capacity(file.children.len());
            for (parent, scorer) in &file.children {
                let (rows, rest) = KeyedRows::read(tables, scorer.rows)?;
                children.insert(parent.clone(), Linear::laid_out(scorer, rows));
                tables = rest;
            }
            if !tables.is_empty() {
                return Err("the build's tables are of another topic model".into());
            }
            let calibration = calibration(file.rest, top.labels.len())?;
            Ok(TopicModel {
                top,
                children,
                featurizer: Featurizer::default()
                    .with_clusters(crate::word_clusters::WordClusters::builtin())
                    .with_laid_out_vocabulary(vocabulary),
                calibration,
                file: Some(model),
            })
        })
    }

    /// The same model with these calibration parameters, one per
    /// top-level topic in `top.labels` order.
    pub fn with_calibration(mut self, calibration: Vec<Platt>) -> Self {
        self.calibration = calibration;
        self
    }

    /// The scaling of the top-level topic at `index`.
    fn platt(&self, index: usize) -> Platt {
        self.calibration.get(index).copied().unwrap_or_default()
    }

    /// Turns text into the model's features.
    pub fn featurizer(&self) -> &Featurizer {
        &self.featurizer
    }

    /// Every top-level topic with its score, best first.
    pub fn top_level(&self, features: &[(u64, f32)]) -> Vec<Scored> {
        let mut out: Vec<Scored> = self
            .top
            .scores(features)
            .into_iter()
            .zip(&self.top.labels)
            .enumerate()
            .map(|(i, (s, l))| Scored {
                id: l.id.clone(),
                label: l.label.clone(),
                score: self.platt(i).probability(s),
            })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        out
    }

    /// The article's topics, best first (see [`TopicModel::classify`]).
    pub fn classify_document(&self, doc: &crate::Document) -> Vec<Scored> {
        self.classify(doc.title(), doc.body())
    }

    /// All top-level topics, and the second-level topics the model is
    /// confident of (parent ≥ [`CHILD_MIN_PARENT`], share among siblings
    /// ≥ [`CHILD_MIN_SHARE`], scored parent × share), best first.
    pub fn classify(&self, title: &str, body: &str) -> Vec<Scored> {
        let features = self.featurizer.features(title, body);
        let mut out = self.top_level(&features);
        let mut children = Vec::new();
        for parent in out.iter().filter(|p| p.score >= CHILD_MIN_PARENT) {
            let Some(model) = self.children.get(&parent.id) else {
                continue;
            };
            let shares = softmax(&model.scores(&features));
            if let Some((share, label)) = shares
                .iter()
                .zip(&model.labels)
                .max_by(|a, b| a.0.total_cmp(b.0))
                .filter(|(share, _)| **share >= CHILD_MIN_SHARE)
            {
                children.push(Scored {
                    id: label.id.clone(),
                    label: label.label.clone(),
                    score: parent.score * share,
                });
            }
        }
        out.extend(children);
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        out
    }

    /// The model file's bytes, which [`TopicModel::from_bytes`] reads.
    pub fn to_bytes(&self) -> Vec<u8> {
        if let Some(file) = self.file {
            return file.to_vec();
        }
        let mut out = MAGIC.to_vec();
        let mut vocabulary: Vec<(u64, f32)> = self
            .featurizer
            .vocabulary()
            .map(|v| v.iter().map(|(&k, &idf)| (k, idf)).collect())
            .unwrap_or_default();
        vocabulary.sort_unstable_by_key(|&(k, _)| k);
        put_u32(&mut out, vocabulary.len() as u32);
        for (key, idf) in vocabulary {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&idf.to_le_bytes());
        }
        self.top.write(&mut out);
        let mut parents: Vec<&String> = self.children.keys().collect();
        parents.sort();
        put_u32(&mut out, parents.len() as u32);
        for parent in parents {
            put_str(&mut out, parent);
            self.children[parent].write(&mut out);
        }
        if !self.calibration.is_empty() {
            out.extend_from_slice(CALIBRATION_PER_TOPIC);
            put_u32(&mut out, self.calibration.len() as u32);
            for platt in &self.calibration {
                out.extend_from_slice(&platt.a.to_le_bytes());
                out.extend_from_slice(&platt.b.to_le_bytes());
            }
        }
        out
    }

    /// Loads a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, crate::ModelError> {
        crate::model_error::load("topic", MAGIC, bytes, Self::parse)
    }

    fn parse(bytes: &[u8]) -> Result<Self, String> {
        let file = sections(bytes)?;
        let mut vocabulary = FeatureMap::default();
        vocabulary.reserve(file.vocabulary.count);
        for (key, idf) in file.vocabulary.entries() {
            vocabulary.insert(key, le_f32(idf));
        }
        let top = Linear::read(&file.top);
        let children = file
            .children
            .iter()
            .map(|(parent, scorer)| (parent.clone(), Linear::read(scorer)))
            .collect();
        let calibration = calibration(file.rest, top.labels.len())?;
        Ok(TopicModel::new(top, children, vocabulary).with_calibration(calibration))
    }
}

/// The calibration block after the scorers, if the file has one, as one
/// scaling per topic (`topics` of them).
fn calibration(rest: &[u8], topics: usize) -> Result<Vec<Platt>, String> {
    let mut r = ByteReader::new(rest, TRUNCATED);
    let mut calibration = Vec::new();
    if !rest.is_empty() {
        let mark = r.take(CALIBRATION.len())?;
        let count = if mark == CALIBRATION_PER_TOPIC {
            r.u32()? as usize
        } else if mark == CALIBRATION {
            1
        } else {
            return Err("trailing bytes after the topic model".into());
        };
        if count != 1 && count != topics {
            return Err(format!("{count} calibrations for {topics} topics"));
        }
        for _ in 0..count {
            calibration.push(Platt {
                a: r.f32()?,
                b: r.f32()?,
            });
        }
        if count == 1 {
            // the older block: one scaling shared by every topic
            calibration.resize(topics, calibration[0]);
        }
    }
    if !r.rest().is_empty() {
        return Err("trailing bytes after the topic model".into());
    }
    Ok(calibration)
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_survives_a_round_trip_and_scores_the_same() {
        let label = |id: &str, l: &str| TopicLabel {
            id: id.into(),
            label: l.into(),
        };
        let mut top = Linear::new(vec![
            label("medtop:15000000", "sport"),
            label("medtop:17000000", "weather"),
        ]);
        top.row_mut(crate::topics::features::unigram_key("goal"))
            .copy_from_slice(&[4.0, -1.0]);
        let mut child = Linear::new(vec![
            label("medtop:20000822", "sport event"),
            label("medtop:20001103", "sport venue"),
        ]);
        child
            .row_mut(crate::topics::features::unigram_key("goal"))
            .copy_from_slice(&[3.0, 0.0]);
        let vocabulary = ["late", "goal", "won"]
            .iter()
            .map(|w| (crate::topics::features::unigram_key(w), 1.0))
            .collect();
        let model = TopicModel::new(
            top,
            HashMap::from([("medtop:15000000".to_string(), child)]),
            vocabulary,
        );
        let back = TopicModel::from_bytes(&model.to_bytes()).unwrap();
        let a = model.classify("Late goal", "A late goal won it.");
        assert_eq!(a, back.classify("Late goal", "A late goal won it."));
        assert_eq!(a[0].label, "sport");
        assert!(a.iter().any(|t| t.label == "sport event"));
        assert!(TopicModel::from_bytes(&model.to_bytes()[..20]).is_err());

        // a calibrated model keeps each topic's scaling; a file written
        // before calibration (no trailer) reads as uncalibrated, and one
        // written with a single shared scaling gives it to every topic
        let scalings = vec![Platt { a: 0.5, b: -1.0 }, Platt { a: 2.0, b: 0.5 }];
        let calibrated = model.clone().with_calibration(scalings.clone());
        let bytes = calibrated.to_bytes();
        assert_eq!(
            TopicModel::from_bytes(&bytes).unwrap().calibration,
            scalings
        );
        let bare = &bytes[..bytes.len() - 4 - 4 - 8 * scalings.len()];
        assert!(TopicModel::from_bytes(bare).unwrap().calibration.is_empty());
        let mut shared = bare.to_vec();
        shared.extend_from_slice(b"CAL1");
        shared.extend_from_slice(&0.5f32.to_le_bytes());
        shared.extend_from_slice(&(-1.0f32).to_le_bytes());
        assert_eq!(
            TopicModel::from_bytes(&shared).unwrap().calibration,
            vec![scalings[0]; 2]
        );
        let mut damaged = bytes.clone();
        damaged.extend_from_slice(b"x");
        assert!(TopicModel::from_bytes(&damaged).is_err());
        let mut miscounted = bare.to_vec();
        miscounted.extend_from_slice(b"CAL2");
        miscounted.extend_from_slice(&3u32.to_le_bytes());
        miscounted.extend_from_slice(&[0; 24]);
        assert!(TopicModel::from_bytes(&miscounted).is_err());
        // one scaling shared by every topic moves scores, never their
        // order; each topic's own scaling applies to that topic
        let order = |m: &TopicModel| -> Vec<String> {
            m.classify("Late goal", "A late goal won it.")
                .into_iter()
                .map(|t| t.id)
                .collect()
        };
        let uniform = model.clone().with_calibration(vec![scalings[0]; 2]);
        assert_eq!(order(&model), order(&uniform));
        let score_of = |m: &TopicModel, id: &str| {
            let features = m.featurizer().features("Late goal", "");
            let raw = m.top.scores(&features);
            let at = m.top.labels.iter().position(|l| l.id == id).unwrap();
            let scored = m.top_level(&features);
            (raw[at], scored.iter().find(|t| t.id == id).unwrap().score)
        };
        for (id, platt) in ["medtop:15000000", "medtop:17000000"].iter().zip(&scalings) {
            let (raw, score) = score_of(&calibrated, id);
            assert_eq!(score, platt.probability(raw));
        }
    }

    #[test]
    fn a_model_laid_out_by_the_build_scores_as_its_file() {
        let label = |id: &str| TopicLabel {
            id: id.into(),
            label: id.into(),
        };
        let key = crate::topics::features::unigram_key;
        let mut top = Linear::new(vec![label("medtop:15000000"), label("medtop:17000000")]);
        let mut child = Linear::new(vec![label("medtop:20000822"), label("medtop:20001103")]);
        // more keys than a table's 16 places hold at half fill, so that
        // some share a place
        let words: Vec<String> = (0..40).map(|n| format!("word{n}")).collect();
        for (n, word) in words.iter().enumerate() {
            top.row_mut(key(word))
                .copy_from_slice(&[n as f32 * 0.25, -(n as f32)]);
            if n % 3 == 0 {
                child.row_mut(key(word)).copy_from_slice(&[1.0, n as f32]);
            }
        }
        let vocabulary = words
            .iter()
            .enumerate()
            .map(|(n, w)| (key(w), 1.0 + n as f32 / 8.0))
            .collect();
        let model = TopicModel::new(
            top,
            HashMap::from([("medtop:15000000".to_string(), child)]),
            vocabulary,
        )
        .with_calibration(vec![Platt { a: 0.5, b: -1.0 }, Platt { a: 2.0, b: 0.5 }]);
        let file: &'static [u8] = Box::leak(model.to_bytes().into_boxed_slice());
        let tables = super::super::file_layout::lay_out(file).unwrap();
        let tables: &'static [u8] = Box::leak(tables.into_boxed_slice());
        let laid_out = TopicModel::builtin(file, tables).unwrap();
        assert!(laid_out.top.rows.is_empty() && laid_out.top.laid_out.is_some());
        let parsed = TopicModel::from_bytes(file).unwrap();
        for text in ["word3 word4 word9 word39", "word0", "nothing known", ""] {
            let features = parsed.featurizer().features("word12", text);
            assert_eq!(features, laid_out.featurizer().features("word12", text));
            assert_eq!(parsed.top.scores(&features), laid_out.top.scores(&features));
            let (a, b) = (
                &parsed.children["medtop:15000000"],
                &laid_out.children["medtop:15000000"],
            );
            assert_eq!(a.scores(&features), b.scores(&features));
            assert_eq!(
                parsed.classify("word12", text),
                laid_out.classify("word12", text)
            );
        }
        assert_eq!(laid_out.to_bytes(), file);
        assert_eq!(laid_out.calibration, parsed.calibration);
        // tables cut short, with bytes after them, or of another model
        let longer: &'static [u8] = Box::leak([tables, &[0]].concat().into_boxed_slice());
        let mut other = model.clone();
        other.top.row_mut(key("new")).copy_from_slice(&[1.0, 1.0]);
        let other: &'static [u8] = Box::leak(other.to_bytes().into_boxed_slice());
        for (file, tables) in [
            (file, &tables[..tables.len() - 1]),
            (file, longer),
            (other, tables),
        ] {
            assert!(matches!(
                TopicModel::builtin(file, tables),
                Err(crate::ModelError::Damaged { .. })
            ));
        }
    }
}

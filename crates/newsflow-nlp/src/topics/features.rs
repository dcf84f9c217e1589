//! What the topic model sees of an article: lower-cased content words,
//! crudely singularised, and pairs of neighbouring content words, each
//! hashed to a 64-bit key and weighted by a damped count.

use crate::hash::{FNV_OFFSET, FNV_PRIME};
use crate::le_bytes::le_f32;
use crate::ner::model::FeatureMap;
use crate::topics::laid_out::KeyedRows;
use crate::word_clusters::WordClusters;

/// Words of the title count this many times: headlines name the subject.
const TITLE_WEIGHT: f32 = 2.0;

/// Splits text into the model's terms and hashes them.
#[derive(Debug, Clone, Default)]
pub struct Featurizer {
    /// The model's vocabulary with each term's inverse document frequency;
    /// terms outside it are ignored. `None` while training collects it.
    vocabulary: Option<FeatureMap<f32>>,
    /// The built-in model's vocabulary, read in place instead.
    laid_out: Option<KeyedRows>,
    /// Word clusters learnt from large unlabelled text: a word the
    /// training data never used still counts for the topics of the words
    /// it clusters with ("shelling" beside "airstrike").
    clusters: WordClusters,
}

/// Plural and possessive endings off, so that "troops" and "troop" meet.
pub fn stem(word: &str) -> &str {
    let word = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word);
    if word.len() > 4
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        &word[..word.len() - 1]
    } else {
        word
    }
}

fn hash_str(h: u64, s: &str) -> u64 {
    s.bytes()
        .fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// Key of one term.
pub fn unigram_key(term: &str) -> u64 {
    hash_str(FNV_OFFSET, term)
}

/// Key of a term's cluster at one level (0 fine, 1 mid).
pub fn cluster_key(level: usize, name: &str) -> u64 {
    hash_str(
        hash_str(FNV_OFFSET, ["\u{1}fine:", "\u{1}mid:"][level]),
        name,
    )
}

/// Key of two neighbouring terms.
pub fn bigram_key(first: &str, second: &str) -> u64 {
    hash_str(hash_str(hash_str(FNV_OFFSET, first), " "), second)
}

/// Like [`Featurizer::terms`], with the terms as ranges of one buffer
/// (appended to): no allocation per word.
fn terms_into(text: &str, buffer: &mut String, out: &mut Vec<Option<std::ops::Range<usize>>>) {
    let mut word = String::new();
    let mut flush = |word: &mut String, out: &mut Vec<Option<std::ops::Range<usize>>>| {
        if word.is_empty() {
            return;
        }
        let w = word.trim_matches(|c| c == '-' || c == '\'' || c == '’');
        let keep = w.chars().count() >= 2
            && w.chars().any(char::is_alphabetic)
            && !crate::keywords::is_stop(w);
        out.push(keep.then(|| {
            let start = buffer.len();
            buffer.push_str(stem(w));
            start..buffer.len()
        }));
        word.clear();
    };
    for c in text.chars() {
        // ASCII first: the same answer as the Unicode branch, more cheaply
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() || ((c == '-' || c == '\'' || c == '’') && !word.is_empty())
        {
            word.extend(c.to_lowercase());
        } else {
            flush(&mut word, out);
            if !c.is_whitespace() {
                out.push(None);
            }
        }
    }
    flush(&mut word, out);
}

impl Featurizer {
    /// The content terms of `text` in order; `None` marks a stop word or
    /// punctuation, which breaks word pairs.
    pub fn terms(&self, text: &str, out: &mut Vec<Option<String>>) {
        let mut buffer = String::new();
        let mut spans = Vec::new();
        terms_into(text, &mut buffer, &mut spans);
        out.extend(
            spans
                .into_iter()
                .map(|span| span.map(|r| buffer[r].to_string())),
        );
    }

    /// Adds the clusters of every term to its features.
    pub fn with_clusters(mut self, clusters: WordClusters) -> Self {
        self.clusters = clusters;
        self
    }

    pub fn with_vocabulary(mut self, vocabulary: FeatureMap<f32>) -> Self {
        self.vocabulary = Some(vocabulary);
        self
    }

    pub(crate) fn with_laid_out_vocabulary(mut self, vocabulary: KeyedRows) -> Self {
        self.laid_out = Some(vocabulary);
        self
    }

    pub fn vocabulary(&self) -> Option<&FeatureMap<f32>> {
        self.vocabulary.as_ref()
    }

    /// A feature's idf, if the vocabulary holds it.
    fn idf(&self, key: u64) -> Option<f32> {
        match (&self.laid_out, &self.vocabulary) {
            (Some(rows), _) => rows.get(key).map(le_f32),
            (None, Some(vocabulary)) => vocabulary.get(&key).copied(),
            (None, None) => None,
        }
    }

    /// Feature keys and weights of an article: (1 + ln count) × idf over
    /// the vocabulary, title words counted [`TITLE_WEIGHT`] times, scaled
    /// to unit length.
    pub fn features(&self, title: &str, body: &str) -> Vec<(u64, f32)> {
        self.weigh(self.counts(title, body))
    }

    /// Applies the vocabulary and scales to unit length.
    pub fn weigh(&self, mut features: Vec<(u64, f32)>) -> Vec<(u64, f32)> {
        if let Some(rows) = &self.laid_out {
            // the places asked of memory before they are read, so that
            // their cache misses overlap
            for (key, _) in &features {
                rows.prefetch(*key);
            }
        }
        if self.vocabulary.is_some() || self.laid_out.is_some() {
            features.retain_mut(|(key, w)| match self.idf(*key) {
                Some(idf) => {
                    *w = (1.0 + w.ln()) * idf;
                    true
                }
                None => false,
            });
        } else {
            for (_, w) in &mut features {
                *w = 1.0 + w.ln();
            }
        }
        let norm = features.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut features {
                *w /= norm;
            }
        }
        features
    }

    /// Feature keys with their (title-weighted) counts, sorted by key.
    pub fn counts(&self, title: &str, body: &str) -> Vec<(u64, f32)> {
        // Room from the start, by the longer text's length: about one term
        // in six bytes of English, and up to four features a term. Grown
        // from empty, these were reallocated a dozen times an article.
        let longest = title.len().max(body.len());
        let mut counts: Vec<(u64, f32)> = Vec::with_capacity((title.len() + body.len()) * 2 / 3);
        let mut buffer = String::with_capacity(longest);
        let mut terms = Vec::with_capacity(longest / 5);
        for (text, weight) in [(title, TITLE_WEIGHT), (body, 1.0)] {
            buffer.clear();
            terms.clear();
            terms_into(text, &mut buffer, &mut terms);
            let term_at =
                |i: usize| -> Option<&str> { terms.get(i).cloned().flatten().map(|r| &buffer[r]) };
            // the clusters' places asked of memory before they are read,
            // so that their cache misses overlap
            let mut cluster_keys = Vec::with_capacity(terms.len());
            if !self.clusters.is_empty() {
                cluster_keys.extend((0..terms.len()).map(|i| {
                    let key = term_at(i).map_or(0, WordClusters::key_of);
                    self.clusters.prefetch(key);
                    key
                }));
            }
            for i in 0..terms.len() {
                let Some(term) = term_at(i) else { continue };
                counts.push((unigram_key(term), weight));
                if let Some(&key) = cluster_keys.get(i) {
                    let [fine, mid, _] = self.clusters.names_by_key(key);
                    if fine != "-" {
                        counts.push((cluster_key(0, fine), weight));
                        counts.push((cluster_key(1, mid), weight));
                    }
                }
                if let Some(next) = term_at(i + 1) {
                    counts.push((bigram_key(term, next), weight));
                }
            }
        }
        counts.sort_unstable_by_key(|&(k, _)| k);
        let mut features: Vec<(u64, f32)> = Vec::with_capacity(counts.len());
        for (key, weight) in counts {
            match features.last_mut() {
                Some((k, w)) if *k == key => *w += weight,
                _ => features.push((key, weight)),
            }
        }
        features
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_drop_stop_words_and_plurals() {
        let mut terms = Vec::new();
        Featurizer::default().terms("The troops' ceasefire talks, in Libya's east.", &mut terms);
        let words: Vec<&str> = terms.iter().flatten().map(String::as_str).collect();
        assert_eq!(words, ["troop", "ceasefire", "talk", "libya", "east"]);
        // "the" and the comma break pairs
        assert!(terms[0].is_none());
    }

    #[test]
    fn terms_are_lower_cased_in_any_script() {
        let mut terms = Vec::new();
        // letter by letter, so a final Σ becomes σ
        Featurizer::default().terms("ÉCONOMIE São-Paulo ΔΗΜΟΣ Straße", &mut terms);
        let words: Vec<&str> = terms.iter().flatten().map(String::as_str).collect();
        assert_eq!(words, ["économie", "são-paulo", "δημοσ", "straße"]);
    }

    #[test]
    fn features_have_unit_length_and_pairs() {
        let f = Featurizer::default().features("Climate change", "Climate change talks.");
        let norm: f32 = f.iter().map(|(_, w)| w * w).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        assert!(f.iter().any(|(k, _)| *k == bigram_key("climate", "change")));
        assert!(f.iter().any(|(k, _)| *k == unigram_key("talk")));
    }
}

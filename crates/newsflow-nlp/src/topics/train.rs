//! Training the topic model from three sources:
//!
//! - BBC News articles (five labelled categories, mapped to their IPTC
//!   top-level topic), except the held-out fifth ([`is_held_out`]);
//! - the IPTC taxonomy itself: every code's name and definition is a tiny
//!   document labelled with its top-level ancestor (and its second-level
//!   one, for the child scorers);
//! - the project's topic lexicon (`data/topics/lexicon.txt`), from which
//!   seeded random pseudo-articles are drawn for every topic, with soft
//!   labels for the topics that usually go with it;
//! - unlabelled news (windows of GMB's newswire sentences, [`news`]),
//!   which the lexicon labels where one of the twelve topics BBC does not
//!   label clearly leads: real prose about wars, crimes and floods, where
//!   the pseudo-articles only list their words.
//!
//! [`news`]: crate::topics::news
//!
//! The scorers are logistic (top level, one-vs-rest) and softmax (children)
//! regressions fitted by stochastic gradient descent.

use crate::rng::Rng;
use std::collections::HashMap;

use serde::Deserialize;

use crate::hash::fnv1a;
use crate::ner::model::FeatureMap;
use crate::topics::calibration::Platt;
use crate::topics::features::{bigram_key, unigram_key, Featurizer};
use crate::topics::model::{softmax, Linear, TopicLabel, TopicModel};
use crate::topics::Expected;

/// A feature must occur in this many training examples to be learnt.
const MIN_DOCUMENTS: u32 = 2;

/// BBC category → IPTC top-level code.
pub const BBC_TOPICS: [(&str, &str); 5] = [
    ("business", "medtop:04000000"),
    ("entertainment", "medtop:01000000"),
    ("politics", "medtop:11000000"),
    ("sport", "medtop:15000000"),
    ("tech", "medtop:13000000"),
];

/// The fixed evaluation split: one BBC article in five, chosen by a hash
/// of its id so that it never changes.
pub fn is_held_out(id: &str) -> bool {
    fnv1a(id.as_bytes()) % 5 == 0
}

/// The held-out fifth of the BBC articles with their IPTC topic, to score
/// a model on.
pub fn held_out(articles: Vec<BbcArticle>) -> Vec<Expected> {
    articles
        .into_iter()
        .filter(|a| is_held_out(&a.id))
        .filter_map(|a| {
            let (_, code) = BBC_TOPICS.iter().find(|(c, _)| *c == a.category)?;
            Some(Expected {
                id: a.id,
                title: a.title,
                body: a.text,
                topics: vec![code.to_string()],
                style: "bbc".into(),
            })
        })
        .collect()
}

#[derive(Debug, Clone, Deserialize)]
pub struct BbcArticle {
    pub id: String,
    pub category: String,
    pub title: String,
    pub text: String,
}

/// Parses `bbc/train.jsonl`.
pub fn parse_bbc(jsonl: &str) -> Result<Vec<BbcArticle>, String> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

#[derive(Debug, Deserialize)]
struct Code {
    id: String,
    name: String,
    #[serde(default)]
    definition: Option<String>,
    parent: Option<String>,
    #[serde(default)]
    retired: bool,
}

/// The live codes of the IPTC Media Topics file with their top-level and
/// second-level ancestors.
pub struct Taxonomy {
    codes: Vec<Code>,
    by_id: HashMap<String, usize>,
}

impl Taxonomy {
    /// Reads the IPTC Media Topics JSON file.
    pub fn parse(json: &str) -> Result<Self, String> {
        let codes: Vec<Code> =
            serde_json::from_str(json).map_err(|e| format!("media topics: {e}"))?;
        let codes: Vec<Code> = codes.into_iter().filter(|c| !c.retired).collect();
        let by_id = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        Ok(Taxonomy { codes, by_id })
    }

    /// The path from the top-level code down to `id`.
    fn path(&self, id: &str) -> Vec<&Code> {
        let mut path = Vec::new();
        let mut at = self.by_id.get(id).map(|&i| &self.codes[i]);
        while let Some(code) = at {
            path.push(code);
            if path.len() > 8 {
                break; // a cycle would be a broken file
            }
            at = code
                .parent
                .as_ref()
                .and_then(|p| self.by_id.get(p))
                .map(|&i| &self.codes[i]);
        }
        path.reverse();
        path
    }

    /// The top-level topics.
    pub fn top_level(&self) -> Vec<TopicLabel> {
        self.labels_where(|c| c.parent.is_none())
    }

    fn children_of(&self, parent: &str) -> Vec<TopicLabel> {
        self.labels_where(|c| c.parent.as_deref() == Some(parent))
    }

    /// The codes that `keep` accepts, as labels sorted by id.
    fn labels_where(&self, keep: impl Fn(&Code) -> bool) -> Vec<TopicLabel> {
        let mut labels: Vec<TopicLabel> = self
            .codes
            .iter()
            .filter(|c| keep(c))
            .map(|c| TopicLabel {
                id: c.id.clone(),
                label: c.name.clone(),
            })
            .collect();
        labels.sort_by(|a, b| a.id.cmp(&b.id));
        labels
    }
}

/// One lexicon entry: a code, the codes that go with it, its terms.
#[derive(Debug, Clone)]
pub struct LexiconEntry {
    pub code: String,
    pub also: Vec<String>,
    pub terms: Vec<String>,
}

/// Parses `code<TAB>also<TAB>term, term, …` lines; `#` starts a comment.
pub fn parse_lexicon(text: &str) -> Result<Vec<LexiconEntry>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(code), Some(also), Some(terms)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(format!(
                "lexicon line {}: expected code, also, terms",
                i + 1
            ));
        };
        out.push(LexiconEntry {
            code: code.trim().to_string(),
            also: also
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty() && *a != "-")
                .map(str::to_string)
                .collect(),
            terms: terms
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
        });
    }
    Ok(out)
}

/// How the topic model is trained.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training articles.
    pub epochs: usize,
    /// Seeds the pseudo-articles and the order of examples.
    pub seed: u64,
    /// Pseudo-articles drawn per lexicon entry.
    pub pseudo_per_entry: usize,
    /// Target of the topics that go with a lexicon entry ("also").
    pub also_target: f32,
    /// Step size at the first epoch.
    pub learning_rate: f32,
    /// The rate at epoch e is learning_rate / (1 + decay × e).
    pub decay: f32,
    /// L2 penalty per step.
    pub l2: f32,
    /// Share of pseudo-articles padded with sentences of a random BBC
    /// article, so that everyday news words lose their pull.
    pub background: f32,
    /// Target of the background article's own topic.
    pub background_target: f32,
    /// Weight of a BBC article's gradient step.
    pub bbc_weight: f32,
    /// Word-cluster features (see `features.rs`).
    pub clusters: bool,
    /// Weight of a BBC article as a negative for the twelve topics BBC
    /// does not label (1: as strong as for the five it does).
    pub bbc_other_topics: f32,
    /// A BBC article that holds at least this many distinct lexicon terms
    /// of one of the twelve topics BBC does not label counts as a weak
    /// positive for it (0: never). The lexicon as a labelling function:
    /// real prose about a war, where pseudo-articles only list its words.
    pub lexicon_min_terms: usize,
    /// Target of such a weak positive, and of a news window's.
    pub lexicon_target: f32,
    /// A window of unlabelled news is a weak positive for one of the
    /// twelve topics BBC does not label when it holds at least this many
    /// distinct lexicon terms of that topic (0: windows are not used)…
    pub news_min_terms: usize,
    /// …and this many more than of any other topic.
    pub news_margin: usize,
    /// The windows of one topic weigh this many windows at most in all:
    /// war news is most of GMB, and at full weight it taught crimes and
    /// fires to look like wars.
    pub news_per_topic: f32,
    /// Weight of a labelled news window as a negative for each of the five
    /// BBC topics it holds no lexicon term of (0: the window says nothing
    /// of them). News of a war or a flood is not business, and BBC alone
    /// teaches economy that any figure rising or falling is.
    pub news_bbc_negative: f32,
    /// Weight of a BBC article cut to its title and first sentence, as an
    /// example of its own beside the whole article (0: no cuts). BBC's
    /// articles run to 380 words, agency items to 30: the cuts teach the
    /// five BBC topics what a short item of theirs looks like.
    pub bbc_cut_weight: f32,
    /// Leave the lexicon terms of the twelve topics BBC does not label out
    /// of BBC articles' features (after counting them for the idf), so that
    /// BBC's politics stories do not teach politics that "police" or
    /// "killed" is theirs, nor the twelve that such words count against
    /// them.
    pub bbc_mask_lexicon: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 30,
            seed: 7,
            pseudo_per_entry: 300,
            also_target: 0.7,
            learning_rate: 1.0,
            decay: 0.2,
            l2: 1e-6,
            background: 0.7,
            background_target: 0.3,
            bbc_weight: 8.0,
            clusters: true,
            bbc_other_topics: 0.1,
            lexicon_min_terms: 0,
            lexicon_target: 0.7,
            news_min_terms: 3,
            news_margin: 1,
            news_per_topic: 300.0,
            news_bbc_negative: 1.0,
            bbc_cut_weight: 0.0,
            bbc_mask_lexicon: false,
        }
    }
}

struct Example {
    features: Vec<(u64, f32)>,
    /// target per top-level topic
    targets: Vec<f32>,
    /// the second-level code, when the example has one
    child: Option<String>,
    /// topics the lexicon labelled this BBC article or news window with
    lexicon: Vec<usize>,
    /// the topic the lexicon labelled this news window with; the window
    /// says little of the topics it was not labelled with
    news: Option<NewsLabel>,
}

struct NewsLabel {
    topic: usize,
    /// the five BBC topics of which the window holds no lexicon term
    unmentioned_bbc: Vec<usize>,
}

/// What went into a model, for its card.
#[derive(Debug, Default, Clone)]
pub struct TrainReport {
    pub bbc_articles: usize,
    /// BBC articles cut to title and first sentence, which follow the
    /// articles among the examples
    pub bbc_cuts: usize,
    pub taxonomy_documents: usize,
    pub pseudo_articles: usize,
    /// (BBC article, topic) pairs the lexicon labelled
    pub lexicon_labels: usize,
    /// news windows the lexicon labelled…
    pub news_windows: usize,
    /// …of those given
    pub news_given: usize,
    /// (top-level code, news windows labelled with it)
    pub news_by_topic: Vec<(String, usize)>,
    pub top_features: usize,
    pub child_features: usize,
}

/// What the model learns from.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    /// the IPTC taxonomy: codes, names and definitions
    pub taxonomy: &'a Taxonomy,
    /// BBC articles, the held-out fifth among them (left out here)
    pub bbc: &'a [BbcArticle],
    /// the project's topic lexicon
    pub lexicon: &'a [LexiconEntry],
    /// windows of unlabelled news ([`crate::topics::news`])
    pub news: &'a [String],
}

/// Trains the model on BBC articles, the taxonomy, the lexicon and the
/// windows of unlabelled news the lexicon can label.
pub fn train(
    sources: Sources,
    options: &TrainOptions,
) -> Result<(TopicModel, TrainReport), String> {
    let Sources {
        taxonomy,
        bbc,
        lexicon,
        news,
    } = sources;
    let mut featurizer = Featurizer::default();
    if options.clusters {
        featurizer = featurizer.with_clusters(crate::word_clusters::WordClusters::builtin());
    }
    let labels = taxonomy.top_level();
    let index = label_index(&labels);
    let mut rng = Rng::new(options.seed);
    let mut report = TrainReport::default();
    let mut examples = Vec::new();
    let one_hot = |code: &str| -> Option<Vec<f32>> {
        let mut t = vec![0.0; labels.len()];
        t[*index.get(code)?] = 1.0;
        Some(t)
    };

    for article in bbc.iter().filter(|a| !is_held_out(&a.id)) {
        let Some((_, code)) = BBC_TOPICS.iter().find(|(c, _)| *c == article.category) else {
            continue;
        };
        let targets = one_hot(code).ok_or_else(|| format!("{code} is not in the taxonomy"))?;
        examples.push(Example {
            features: featurizer.counts(&article.title, &article.text),
            targets,
            child: None,
            lexicon: Vec::new(),
            news: None,
        });
        report.bbc_articles += 1;
    }

    if options.lexicon_min_terms > 0 {
        let terms = LexiconTerms::new(&featurizer, lexicon, &index, taxonomy);
        for (example, article) in examples.iter_mut().zip(trained_bbc(bbc)) {
            for (topic, found) in terms.count(&featurizer, &article.title, &article.text) {
                if found >= options.lexicon_min_terms && !bbc_known(&labels[topic].id) {
                    example.targets[topic] = example.targets[topic].max(options.lexicon_target);
                    example.lexicon.push(topic);
                    report.lexicon_labels += 1;
                }
            }
        }
    }

    if options.bbc_cut_weight > 0.0 {
        let cuts: Vec<Example> = examples[..report.bbc_articles]
            .iter()
            .zip(trained_bbc(bbc))
            .map(|(example, article)| {
                let doc = crate::document::Document::new(&article.title, &article.text);
                Example {
                    features: featurizer.counts(&article.title, doc.first_body_sentence()),
                    targets: example.targets.clone(),
                    child: None,
                    lexicon: example.lexicon.clone(),
                    news: None,
                }
            })
            .collect();
        report.bbc_cuts = cuts.len();
        examples.extend(cuts);
    }

    report.news_given = news.len();
    if options.news_min_terms > 0 && !news.is_empty() {
        let terms = LexiconTerms::new(&featurizer, lexicon, &index, taxonomy);
        let also = also_by_topic(lexicon, &index, taxonomy);
        let masked: Vec<Vec<u64>> = (0..labels.len()).map(|t| terms.keys(t)).collect();
        for window in news {
            let counts = terms.count(&featurizer, "", window);
            let Some(topic) = news_label(&counts, options) else {
                continue;
            };
            if bbc_known(&labels[topic].id) {
                continue;
            }
            let mut targets = vec![0.0; labels.len()];
            targets[topic] = options.lexicon_target;
            let mut labelled = vec![topic];
            // a war is politics too: the entry's usual companions, softly
            for &(from, to) in &also {
                if from == topic {
                    targets[to] = targets[to].max(options.also_target * options.lexicon_target);
                    labelled.push(to);
                }
            }
            // The terms that chose the label are left out: the pseudo-
            // articles already drive them to the topic, so with them in, a
            // window aiming at `lexicon_target` would teach the words around
            // them to count against it.
            let mut features = featurizer.counts("", window);
            features.retain(|(key, _)| !masked[topic].contains(key));
            examples.push(Example {
                features,
                targets,
                child: None,
                news: Some(NewsLabel {
                    topic,
                    unmentioned_bbc: counts
                        .iter()
                        .filter(|&&(t, found)| {
                            found == 0 && bbc_known(&labels[t].id) && !labelled.contains(&t)
                        })
                        .map(|&(t, _)| t)
                        .collect(),
                }),
                lexicon: labelled,
            });
            report.news_windows += 1;
            match report
                .news_by_topic
                .iter_mut()
                .find(|(c, _)| *c == labels[topic].id)
            {
                Some((_, n)) => *n += 1,
                None => report.news_by_topic.push((labels[topic].id.clone(), 1)),
            }
        }
    }

    for code in &taxonomy.codes {
        let path = taxonomy.path(&code.id);
        let Some(targets) = path.first().and_then(|top| one_hot(&top.id)) else {
            continue;
        };
        let text = format!(
            "{}. {}",
            code.name,
            code.definition.as_deref().unwrap_or("")
        );
        examples.push(Example {
            features: featurizer.counts(&code.name, &text),
            targets,
            child: path.get(1).map(|c| c.id.clone()),
            lexicon: Vec::new(),
            news: None,
        });
        report.taxonomy_documents += 1;
    }

    let background: Vec<(&str, Option<usize>)> = bbc
        .iter()
        .filter(|a| !is_held_out(&a.id))
        .map(|a| {
            let topic = BBC_TOPICS
                .iter()
                .find(|(c, _)| *c == a.category)
                .and_then(|(_, code)| index.get(code).copied());
            (a.text.as_str(), topic)
        })
        .collect();
    for entry in lexicon {
        let path = taxonomy.path(&entry.code);
        let top = path
            .first()
            .ok_or_else(|| format!("lexicon code {} is not in the taxonomy", entry.code))?;
        let mut targets = one_hot(&top.id).unwrap_or_default();
        for also in &entry.also {
            let i = index
                .get(also.as_str())
                .ok_or_else(|| format!("lexicon code {also} is not a top-level topic"))?;
            targets[*i] = targets[*i].max(options.also_target);
        }
        for _ in 0..options.pseudo_per_entry {
            let n = 6 + rng.below(14);
            let words: Vec<&str> = (0..n)
                .map(|_| entry.terms[rng.below(entry.terms.len())].as_str())
                .collect();
            // one or two terms make a headline
            let title = words[..1 + rng.below(2)].join(" ");
            let mut body = words.join(". ");
            let mut targets = targets.clone();
            if !background.is_empty() && (rng.below(1000) as f32) < options.background * 1000.0 {
                let (article, topic) = background[rng.below(background.len())];
                if let Some(t) = topic {
                    targets[t] = targets[t].max(options.background_target);
                }
                let sentences: Vec<&str> = article.split(". ").collect();
                let from = rng.below(sentences.len());
                for s in sentences.iter().skip(from).take(1 + rng.below(3)) {
                    body.push_str(". ");
                    body.push_str(s);
                }
            }
            examples.push(Example {
                features: featurizer.counts(&title, &body),
                targets,
                child: path.get(1).map(|c| c.id.clone()),
                lexicon: Vec::new(),
                news: None,
            });
            report.pseudo_articles += 1;
        }
    }

    // The vocabulary: features in at least MIN_DOCUMENTS examples, weighted
    // by their inverse document frequency among the BBC articles (real
    // prose; the pseudo-articles repeat their terms on purpose).
    let mut documents: FeatureMap<u32> = FeatureMap::default();
    let mut bbc_documents: FeatureMap<u32> = FeatureMap::default();
    for (i, example) in examples.iter().enumerate() {
        for &(key, _) in &example.features {
            *documents.entry(key).or_default() += 1;
            if i < report.bbc_articles {
                *bbc_documents.entry(key).or_default() += 1;
            }
        }
    }
    let n = report.bbc_articles as f32;
    let vocabulary: FeatureMap<f32> = documents
        .into_iter()
        .filter(|&(_, count)| count >= MIN_DOCUMENTS)
        .map(|(key, _)| {
            let df = bbc_documents.get(&key).copied().unwrap_or(0) as f32;
            (key, ((n + 1.0) / (df + 1.0)).ln() + 1.0)
        })
        .collect();
    let featurizer = featurizer.with_vocabulary(vocabulary.clone());
    // the BBC articles, then their cuts
    let bbc_end = report.bbc_articles + report.bbc_cuts;
    if options.bbc_mask_lexicon {
        let terms = LexiconTerms::new(&featurizer, lexicon, &index, taxonomy);
        let masked: std::collections::HashSet<u64> = (0..labels.len())
            .filter(|&t| !bbc_known(&labels[t].id))
            .flat_map(|t| terms.keys(t))
            .collect();
        for example in &mut examples[..bbc_end] {
            example.features.retain(|(key, _)| !masked.contains(key));
        }
    }
    for example in &mut examples {
        example.features = featurizer.weigh(std::mem::take(&mut example.features));
    }

    let known_to_bbc: Vec<bool> = labels.iter().map(|l| bbc_known(&l.id)).collect();
    let news_weight = news_weights(&labels, &report.news_by_topic, options.news_per_topic);
    let mut top = Linear::new(labels.clone());
    let mut order: Vec<usize> = (0..examples.len()).collect();
    for epoch in 0..options.epochs {
        rng.shuffle(&mut order);
        let rate = options.learning_rate / (1.0 + options.decay * epoch as f32);
        for &i in &order {
            let example = &examples[i];
            let scores = top.scores(&example.features);
            let mut gradients: Vec<f32> = scores
                .iter()
                .zip(&example.targets)
                .map(|(s, t)| 1.0 / (1.0 + (-s).exp()) - t)
                .collect();
            // A BBC label names one of five topics and says little of the
            // other twelve: a politics story may well be about a war too,
            // so it is only a weak negative for those scorers.
            if i < bbc_end {
                for (topic, (g, known)) in gradients.iter_mut().zip(&known_to_bbc).enumerate() {
                    if !known && !example.lexicon.contains(&topic) {
                        *g *= options.bbc_other_topics;
                    }
                }
            }
            // A news window's lexicon label says little of the topics it
            // was not labelled with: a negative for the twelve weighs what
            // a BBC article's does, one for a BBC topic whose terms it
            // lacks `news_bbc_negative`, one for the others nothing.
            if let Some(news) = &example.news {
                for (topic, (g, known)) in gradients.iter_mut().zip(&known_to_bbc).enumerate() {
                    if !example.lexicon.contains(&topic) {
                        *g *= if !*known {
                            options.bbc_other_topics
                        } else if news.unmentioned_bbc.contains(&topic) {
                            options.news_bbc_negative
                        } else {
                            0.0
                        };
                    }
                }
            }
            // BBC articles are the only real prose among the examples:
            // each counts for several pseudo-articles.
            let weight = if i < report.bbc_articles {
                options.bbc_weight
            } else if i < bbc_end {
                options.bbc_weight * options.bbc_cut_weight
            } else if let Some(news) = &example.news {
                news_weight[news.topic]
            } else {
                1.0
            };
            step(
                &mut top,
                &example.features,
                &gradients,
                rate * weight,
                options.l2,
            );
        }
    }
    top.prune(1e-3);
    report.top_features = top.rows.len();

    let mut children = HashMap::new();
    for parent in &labels {
        let child_labels = taxonomy.children_of(&parent.id);
        if child_labels.len() < 2 {
            continue;
        }
        let child_index: HashMap<&str, usize> = child_labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), i))
            .collect();
        let mine: Vec<(usize, usize)> = examples
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((i, *child_index.get(e.child.as_deref()?)?)))
            .collect();
        let mut model = Linear::new(child_labels.clone());
        let mut order = mine.clone();
        for epoch in 0..options.epochs {
            rng.shuffle(&mut order);
            let rate = options.learning_rate / (1.0 + options.decay * epoch as f32);
            for &(i, class) in &order {
                let features = &examples[i].features;
                let mut gradients = softmax(&model.scores(features))
                    .into_iter()
                    .map(|p| p as f32)
                    .collect::<Vec<f32>>();
                gradients[class] -= 1.0;
                step(&mut model, features, &gradients, rate, options.l2);
            }
        }
        model.prune(1e-3);
        report.child_features += model.rows.len();
        children.insert(parent.id.clone(), model);
    }

    Ok((TopicModel::new(top, children, vocabulary), report))
}

/// Whether BBC's categories name this top-level code.
/// The BBC articles the scorers train on, in the order of their examples:
/// outside the held-out fifth, in one of [`BBC_TOPICS`].
fn trained_bbc(bbc: &[BbcArticle]) -> impl Iterator<Item = &BbcArticle> {
    bbc.iter()
        .filter(|a| !is_held_out(&a.id))
        .filter(|a| BBC_TOPICS.iter().any(|(c, _)| *c == a.category))
}

fn bbc_known(code: &str) -> bool {
    BBC_TOPICS.iter().any(|(_, c)| *c == code)
}

/// The one topic a news window is about by the lexicon: the most distinct
/// terms, at least `news_min_terms` of them and `news_margin` more than
/// any other topic's (`counts`: topic, distinct terms found).
fn news_label(counts: &[(usize, usize)], options: &TrainOptions) -> Option<usize> {
    let &(topic, found) = counts.iter().max_by_key(|c| c.1)?;
    let runner_up = counts
        .iter()
        .filter(|c| c.0 != topic)
        .map(|c| c.1)
        .max()
        .unwrap_or(0);
    (found >= options.news_min_terms && found >= runner_up + options.news_margin).then_some(topic)
}

/// The step weight of a news window of each topic, so that one topic's
/// windows weigh `per_topic` windows at most in all (`by_topic`: code,
/// windows).
fn news_weights(labels: &[TopicLabel], by_topic: &[(String, usize)], per_topic: f32) -> Vec<f32> {
    labels
        .iter()
        .map(|l| {
            let windows = by_topic.iter().find(|(code, _)| *code == l.id);
            windows.map_or(1.0, |&(_, n)| (per_topic / n as f32).min(1.0))
        })
        .collect()
}

/// (topic, topic that usually goes with it) from the lexicon's "also"
/// column, as top-level indices.
fn also_by_topic(
    lexicon: &[LexiconEntry],
    index: &HashMap<&str, usize>,
    taxonomy: &Taxonomy,
) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for entry in lexicon {
        let Some(&from) = taxonomy
            .path(&entry.code)
            .first()
            .and_then(|top| index.get(top.id.as_str()))
        else {
            continue;
        };
        for also in &entry.also {
            if let Some(&to) = index.get(also.as_str()) {
                if !pairs.contains(&(from, to)) {
                    pairs.push((from, to));
                }
            }
        }
    }
    pairs
}

/// The lexicon's terms per top-level topic, as sequences of the topic
/// tokeniser's terms, for labelling real articles.
struct LexiconTerms {
    /// (topic, terms of every entry under it)
    by_topic: Vec<(usize, Vec<Vec<String>>)>,
}

impl LexiconTerms {
    fn new(
        featurizer: &Featurizer,
        lexicon: &[LexiconEntry],
        index: &HashMap<&str, usize>,
        taxonomy: &Taxonomy,
    ) -> Self {
        let mut by_topic: Vec<(usize, Vec<Vec<String>>)> = Vec::new();
        for entry in lexicon {
            let Some(top) = taxonomy.path(&entry.code).first().map(|c| c.id.as_str()) else {
                continue;
            };
            let Some(&topic) = index.get(top) else {
                continue;
            };
            let at = match by_topic.iter().position(|(t, _)| *t == topic) {
                Some(at) => at,
                None => {
                    by_topic.push((topic, Vec::new()));
                    by_topic.len() - 1
                }
            };
            for term in &entry.terms {
                let mut words = Vec::new();
                featurizer.terms(term, &mut words);
                // A term of stop words only ("who") would match everywhere.
                if let Some(words) = words.into_iter().collect::<Option<Vec<String>>>() {
                    if !words.is_empty() {
                        by_topic[at].1.push(words);
                    }
                }
            }
        }
        LexiconTerms { by_topic }
    }

    /// The feature keys of one topic's one- and two-word terms.
    fn keys(&self, topic: usize) -> Vec<u64> {
        self.by_topic
            .iter()
            .filter(|(t, _)| *t == topic)
            .flat_map(|(_, terms)| terms)
            .filter_map(|term| match term.as_slice() {
                [one] => Some(unigram_key(one)),
                [first, second] => Some(bigram_key(first, second)),
                _ => None,
            })
            .collect()
    }

    /// How many distinct terms of each topic the article holds.
    fn count(&self, featurizer: &Featurizer, title: &str, body: &str) -> Vec<(usize, usize)> {
        let mut words = Vec::new();
        featurizer.terms(title, &mut words);
        words.push(None);
        featurizer.terms(body, &mut words);
        self.by_topic
            .iter()
            .map(|(topic, terms)| {
                let found = terms
                    .iter()
                    .filter(|term| {
                        words.windows(term.len()).any(|w| {
                            w.iter()
                                .zip(term.iter())
                                .all(|(a, b)| a.as_deref() == Some(b.as_str()))
                        })
                    })
                    .count();
                (*topic, found)
            })
            .collect()
    }
}

/// What [`calibrate`] fitted and measured.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The scaling of the topics BBC labels (all topics when not
    /// separated).
    pub platt: Platt,
    /// The scaling of the topics learnt from the taxonomy and the lexicon
    /// alone, when separated.
    pub lexicon_only: Option<Platt>,
    /// One scaling per top-level topic, in the scorer's label order.
    pub per_topic: Vec<Platt>,
    /// (article, topic) scores from the BBC folds and from the tuning set
    pub bbc_pairs: usize,
    /// BBC fold pairs of the five topics BBC labels left out of the fits
    /// (see [`CalibrationOptions::cross_desk_min_terms`])
    pub cross_desk_pairs: usize,
    pub tuning_pairs: usize,
    /// top-1 accuracy of each fold's model on its held-out BBC articles,
    /// on raw scores…
    pub fold_top1: Vec<f64>,
    /// …and on calibrated ones, which can rank differently when the
    /// topics have different scalings
    pub fold_top1_calibrated: Vec<f64>,
    /// The scalings fitted without each fold of the tuning articles and
    /// scored on it.
    pub tuning_cv: TuningCv,
}

/// Folds of the tuning articles in [`tuning_cross_validation`].
const TUNING_FOLDS: usize = 5;

/// How scalings fitted without a fold of the tuning articles score on it.
#[derive(Debug, Clone, Default)]
pub struct TuningCv {
    /// mean log loss of every (article, topic) pair, per fold
    pub log_loss: Vec<f64>,
    /// share of articles whose best calibrated topic applies, per fold
    pub top1: Vec<f64>,
    /// (probability of the best topic, applies) of every held-out article
    pub best: Vec<(f64, bool)>,
}

impl TuningCv {
    /// The expected calibration error of the held-out articles' best
    /// topics.
    pub fn best_ece(&self) -> f64 {
        crate::topics::calibration::expected_calibration_error(&self.best)
    }
}

/// The scalings [`calibrate`] fits.
struct Scalings {
    platt: Platt,
    lexicon_only: Option<Platt>,
    per_topic: Vec<Platt>,
}

/// Fits the scalings on (raw score, applies, topic index) pairs of the BBC
/// folds and of the tuning articles.
fn scalings(
    bbc_pairs: &[(f32, bool, usize)],
    tuning_pairs: &[(f32, bool, usize)],
    bbc_labelled: &[bool],
    options: &CalibrationOptions,
) -> Scalings {
    let in_group = |t: usize| !options.separate_lexicon_topics || bbc_labelled[t];
    let platt = Platt::fit(&equally_weighted(&[
        &of_topics(bbc_pairs, in_group),
        &of_topics(tuning_pairs, in_group),
    ]));
    let lexicon_fit = |keep: &dyn Fn(usize) -> bool| {
        let mut samples = equally_weighted(&[&of_topics(tuning_pairs, keep)]);
        let negatives = of_topics(bbc_pairs, keep);
        if options.lexicon_topics_bbc_weight > 0.0 && !negatives.is_empty() {
            let weight =
                options.lexicon_topics_bbc_weight * samples.len() as f64 / negatives.len() as f64;
            samples.extend(negatives.iter().map(|&(s, y)| (s, y, weight)));
        }
        Platt::fit(&samples)
    };
    let lexicon_only = options
        .separate_lexicon_topics
        .then(|| lexicon_fit(&|t: usize| !bbc_labelled[t]));
    let per_topic = bbc_labelled
        .iter()
        .enumerate()
        .map(|(t, &labelled)| match lexicon_only {
            Some(_) if !labelled && options.per_lexicon_topic => lexicon_fit(&|x| x == t),
            Some(other) if !labelled => other,
            _ if options.per_bbc_topic && labelled => Platt::fit(&equally_weighted(&[
                &of_topics(bbc_pairs, |x| x == t),
                &of_topics(tuning_pairs, |x| x == t),
            ])),
            _ => platt,
        })
        .collect();
    Scalings {
        platt,
        lexicon_only,
        per_topic,
    }
}

/// Scores the way [`scalings`] fits by cross-validation over the tuning
/// articles: the tuning set is the only source that says where the
/// twelve topics BBC does not label apply, so its scores in the fit
/// itself flatter any scaling.
fn tuning_cross_validation(
    bbc_pairs: &[(f32, bool, usize)],
    tuning_pairs: &[(f32, bool, usize)],
    bbc_labelled: &[bool],
    options: &CalibrationOptions,
    folds: usize,
) -> TuningCv {
    let topics = bbc_labelled.len().max(1);
    // one article's scores are `topics` pairs in a row
    let articles: Vec<&[(f32, bool, usize)]> = tuning_pairs.chunks(topics).collect();
    let mut cv = TuningCv::default();
    for fold in 0..folds.min(articles.len()) {
        let held = |i: usize| i % folds == fold;
        let rest: Vec<(f32, bool, usize)> = articles
            .iter()
            .enumerate()
            .filter(|&(i, _)| !held(i))
            .flat_map(|(_, pairs)| pairs.iter().copied())
            .collect();
        let fitted = scalings(bbc_pairs, &rest, bbc_labelled, options).per_topic;
        let (mut loss, mut pairs, mut hits, mut n) = (0.0, 0usize, 0usize, 0usize);
        for (_, article) in articles.iter().enumerate().filter(|&(i, _)| held(i)) {
            let probability = |q: &(f32, bool, usize)| fitted[q.2].probability(q.0);
            for q in article.iter() {
                let p = probability(q).clamp(1e-6, 1.0 - 1e-6);
                loss -= if q.1 { p.ln() } else { (1.0 - p).ln() };
                pairs += 1;
            }
            if let Some(best) = article
                .iter()
                .max_by(|x, y| probability(x).total_cmp(&probability(y)))
            {
                hits += usize::from(best.1);
                cv.best.push((probability(best), best.1));
            }
            n += 1;
        }
        cv.log_loss.push(loss / pairs.max(1) as f64);
        cv.top1.push(hits as f64 / n.max(1) as f64);
    }
    cv
}

/// How [`calibrate`] fits.
#[derive(Debug, Clone, Copy)]
pub struct CalibrationOptions {
    /// Cross-validation folds of the BBC articles.
    pub folds: usize,
    /// Give the twelve topics BBC does not label their own scaling.
    pub separate_lexicon_topics: bool,
    /// In that scaling's fit, the weight of the BBC folds' scores (every
    /// one a negative) against the tuning set's: 0 fits it on the tuning
    /// set alone.
    pub lexicon_topics_bbc_weight: f64,
    /// Each of the five topics BBC labels gets a scaling of its own,
    /// fitted on its own pairs of the BBC folds and the tuning set.
    pub per_bbc_topic: bool,
    /// Each of the other twelve gets a scaling of its own too.
    pub per_lexicon_topic: bool,
    /// A BBC fold article that holds at least this many distinct lexicon
    /// terms of another of the five BBC topics says nothing of that
    /// topic in the fit (0: it is a negative as any other).
    pub cross_desk_min_terms: usize,
}

/// Fits the calibration of `model`'s top-level scores on scores of
/// articles it never trained on: each of `folds` folds of the trainable
/// BBC articles scored by a model trained without it (the other settings
/// as `options`), and the `tuning` articles scored by `model` itself. The
/// two sources weigh the same in the fit. The folds also give the
/// model's cross-validated top-1 accuracy on BBC.
///
/// With `separate_lexicon_topics`, the twelve topics BBC does not label
/// get their own scaling, fitted on the tuning set alone: a BBC article's
/// label does not say whether they apply, and their scores come from
/// word lists rather than articles, so they sit on a different scale.
/// With `per_bbc_topic`, each of the five BBC labels gets its own: one
/// shared scaling left economy overconfident and politics underconfident
/// on news other than BBC's. With `cross_desk_min_terms`, a fold
/// article's pair for another of the five is left out where the article
/// holds that many of the other topic's lexicon terms: BBC files a story
/// under one desk, and a politics story on the minimum wage is economy
/// news too. The way of fitting is also scored by cross-validation over
/// the tuning articles.
pub fn calibrate(
    model: &TopicModel,
    sources: Sources,
    options: &TrainOptions,
    tuning: &[Expected],
    calibration: CalibrationOptions,
) -> Result<Calibration, String> {
    let bbc = sources.bbc;
    let folds = calibration.folds;
    let labels = &model.top.labels;
    let bbc_labelled: Vec<bool> = labels.iter().map(|l| bbc_known(&l.id)).collect();
    let trainable: Vec<&BbcArticle> = bbc.iter().filter(|a| !is_held_out(&a.id)).collect();
    // (raw score, applies, topic index)
    let mut bbc_pairs: Vec<(f32, bool, usize)> = Vec::new();
    let mut fold_top1 = Vec::new();
    // per fold, the range of `bbc_pairs` its articles gave
    let mut fold_pairs = Vec::new();
    // pairs of `bbc_pairs` left out of the fits (see `cross_desk_min_terms`)
    let mut unsure: Vec<bool> = Vec::new();
    let index = label_index(labels);
    let terms = LexiconTerms::new(
        model.featurizer(),
        sources.lexicon,
        &index,
        sources.taxonomy,
    );
    for held in crate::ner::selection::folds(trainable.len(), folds, options.seed) {
        let mut hits = 0;
        let first_pair = bbc_pairs.len();
        let others: Vec<BbcArticle> = (0..trainable.len())
            .filter(|i| held.binary_search(i).is_err())
            .map(|i| trainable[i].clone())
            .collect();
        let (fold_model, _) = train(
            Sources {
                bbc: &others,
                ..sources
            },
            options,
        )?;
        for &i in &held {
            let article = trainable[i];
            let Some((_, code)) = BBC_TOPICS.iter().find(|(c, _)| *c == article.category) else {
                continue;
            };
            let features = fold_model
                .featurizer()
                .features(&article.title, &article.text);
            let raw = fold_model.top.scores(&features);
            let best = (0..raw.len()).max_by(|&x, &y| raw[x].total_cmp(&raw[y]));
            if best.is_some_and(|b| fold_model.top.labels[b].id == *code) {
                hits += 1;
            }
            let counts = if calibration.cross_desk_min_terms > 0 {
                terms.count(model.featurizer(), &article.title, &article.text)
            } else {
                Vec::new()
            };
            let desk = index.get(code).copied();
            for (t, (score, label)) in raw.into_iter().zip(&fold_model.top.labels).enumerate() {
                bbc_pairs.push((score, label.id == *code, t));
                unsure.push(desk.is_some_and(|desk| {
                    other_desk(
                        &counts,
                        t,
                        desk,
                        &bbc_labelled,
                        calibration.cross_desk_min_terms,
                    )
                }));
            }
        }
        fold_top1.push(f64::from(hits) / held.len().max(1) as f64);
        fold_pairs.push(first_pair..bbc_pairs.len());
    }
    let mut tuning_pairs: Vec<(f32, bool, usize)> = Vec::new();
    for article in tuning {
        let features = model.featurizer().features(&article.title, &article.body);
        let raw = model.top.scores(&features);
        for (t, (score, label)) in raw.into_iter().zip(labels).enumerate() {
            tuning_pairs.push((score, article.topics.contains(&label.id), t));
        }
    }
    let fit_pairs: Vec<(f32, bool, usize)> = bbc_pairs
        .iter()
        .zip(&unsure)
        .filter(|(_, &u)| !u)
        .map(|(p, _)| *p)
        .collect();
    let Scalings {
        platt,
        lexicon_only,
        per_topic,
    } = scalings(&fit_pairs, &tuning_pairs, &bbc_labelled, &calibration);
    let tuning_cv = tuning_cross_validation(
        &fit_pairs,
        &tuning_pairs,
        &bbc_labelled,
        &calibration,
        TUNING_FOLDS,
    );
    let fold_top1_calibrated = fold_pairs
        .iter()
        .map(|range| {
            // one article's scores are `labels.len()` pairs in a row
            let articles = bbc_pairs[range.clone()].chunks(labels.len().max(1));
            let n = articles.len().max(1);
            let hits = articles
                .filter(|pairs| {
                    pairs
                        .iter()
                        .max_by(|x, y| {
                            let p = |q: &(f32, bool, usize)| per_topic[q.2].probability(q.0);
                            p(x).total_cmp(&p(y))
                        })
                        .is_some_and(|best| best.1)
                })
                .count();
            hits as f64 / n as f64
        })
        .collect();
    Ok(Calibration {
        platt,
        lexicon_only,
        per_topic,
        fold_top1_calibrated,
        tuning_cv,
        bbc_pairs: bbc_pairs.len(),
        cross_desk_pairs: unsure.iter().filter(|&&u| u).count(),
        tuning_pairs: tuning_pairs.len(),
        fold_top1,
    })
}

/// Each label's code with its index.
fn label_index(labels: &[TopicLabel]) -> HashMap<&str, usize> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect()
}

/// Whether a BBC article of desk `desk` that holds `counts` distinct
/// lexicon terms per topic also reads as BBC topic `topic`, with at least
/// `min` of its terms (0: never): BBC gives a story one desk, so such an
/// article is no sure negative for the other.
fn other_desk(
    counts: &[(usize, usize)],
    topic: usize,
    desk: usize,
    bbc_labelled: &[bool],
    min: usize,
) -> bool {
    min > 0
        && topic != desk
        && bbc_labelled.get(topic).copied().unwrap_or(false)
        && counts.iter().any(|&(t, n)| t == topic && n >= min)
}

/// The (score, applies) pairs of the topics `keep` takes, from (score,
/// applies, topic index) triples.
fn of_topics(pairs: &[(f32, bool, usize)], keep: impl Fn(usize) -> bool) -> Vec<(f32, bool)> {
    pairs
        .iter()
        .filter(|p| keep(p.2))
        .map(|p| (p.0, p.1))
        .collect()
}

/// (score, applies, weight) samples in which each non-empty source
/// weighs the same in all, whatever its size.
fn equally_weighted(sources: &[&[(f32, bool)]]) -> Vec<(f32, bool, f64)> {
    let total: usize = sources.iter().map(|s| s.len()).sum();
    let filled = sources.iter().filter(|s| !s.is_empty()).count();
    sources
        .iter()
        .flat_map(|source| {
            let weight = total as f64 / (filled.max(1) * source.len().max(1)) as f64;
            source.iter().map(move |&(s, y)| (s, y, weight))
        })
        .collect()
}

/// One gradient step on the features present in an example.
fn step(model: &mut Linear, features: &[(u64, f32)], gradients: &[f32], rate: f32, l2: f32) {
    for (b, g) in model.bias.iter_mut().zip(gradients) {
        *b -= rate * g;
    }
    for &(key, x) in features {
        for (w, g) in model.row_mut(key).iter_mut().zip(gradients) {
            *w -= rate * (g * x + l2 * *w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources<'a>(
        taxonomy: &'a Taxonomy,
        bbc: &'a [BbcArticle],
        lexicon: &'a [LexiconEntry],
        news: &'a [String],
    ) -> Sources<'a> {
        Sources {
            taxonomy,
            bbc,
            lexicon,
            news,
        }
    }

    /// The calibrated score `model` gives topic `id` for an article.
    fn score_of(model: &TopicModel, title: &str, body: &str, id: &str) -> f64 {
        model
            .classify(title, body)
            .into_iter()
            .find(|t| t.id == id)
            .map(|t| t.score)
            .unwrap()
    }

    /// A taxonomy of politics and one other top-level topic.
    fn politics_and(id: &str, name: &str, definition: &str) -> Taxonomy {
        let other = serde_json::json!({
            "id": id, "name": name, "definition": definition,
            "level": 1, "parent": null, "retired": false
        });
        let politics = serde_json::json!({
            "id": "medtop:11000000", "name": "politics",
            "definition": "Government and elections",
            "level": 1, "parent": null, "retired": false
        });
        Taxonomy::parse(&serde_json::json!([politics, other]).to_string()).unwrap()
    }

    const TAXONOMY: &str = r#"[
      {"id": "medtop:15000000", "name": "sport", "definition": "Competitive activity", "level": 1, "parent": null, "retired": false},
      {"id": "medtop:17000000", "name": "weather", "definition": "The study of the atmosphere", "level": 1, "parent": null, "retired": false},
      {"id": "medtop:20000001", "name": "weather forecast", "definition": "Predictions of rain and snow", "level": 2, "parent": "medtop:17000000", "retired": false},
      {"id": "medtop:20000002", "name": "weather warning", "definition": "Alerts about storms and floods", "level": 2, "parent": "medtop:17000000", "retired": false},
      {"id": "medtop:20000003", "name": "old code", "definition": "gone", "level": 2, "parent": "medtop:17000000", "retired": true}
    ]"#;

    #[test]
    fn the_lexicon_teaches_topics_without_labelled_articles() {
        let taxonomy = Taxonomy::parse(TAXONOMY).unwrap();
        assert_eq!(taxonomy.top_level().len(), 2);
        let lexicon = parse_lexicon(
            "# comment\nmedtop:15000000\t-\tgoal, match, striker, league\n\
             medtop:17000000\t-\train, snow, storm, forecast\n",
        )
        .unwrap();
        let options = TrainOptions {
            pseudo_per_entry: 50,
            ..TrainOptions::default()
        };
        let (model, report) = train(sources(&taxonomy, &[], &lexicon, &[]), &options).unwrap();
        assert_eq!(report.pseudo_articles, 100);
        let topics = model.classify("Storm ahead", "Heavy rain and snow are forecast.");
        assert_eq!(topics[0].label, "weather");
        let sport = model.classify("Late winner", "The striker scored in the league match.");
        assert_eq!(sport[0].label, "sport");
        // the retired code is not a child
        assert_eq!(model.children["medtop:17000000"].labels.len(), 2);
    }

    #[test]
    fn bbc_labels_are_weak_negatives_for_the_topics_bbc_does_not_label() {
        let taxonomy = politics_and(
            "medtop:16000000",
            "conflict, war and peace",
            "Armed conflict",
        );
        let lexicon =
            parse_lexicon("medtop:16000000\t-\ttroops, shelling, soldiers, ceasefire\n").unwrap();
        // BBC politics stories that are about a war as well
        let bbc: Vec<BbcArticle> = (0..40)
            .map(|i| BbcArticle {
                id: format!("politics/{i:03}"),
                category: "politics".into(),
                title: "MPs debate troops".into(),
                text: "MPs debated the troops, the shelling and the ceasefire. Soldiers wait."
                    .into(),
            })
            .collect();
        let conflict = |weight: f32| {
            let options = TrainOptions {
                pseudo_per_entry: 50,
                bbc_other_topics: weight,
                background: 0.0,
                ..TrainOptions::default()
            };
            let (model, _) = train(sources(&taxonomy, &bbc, &lexicon, &[]), &options).unwrap();
            score_of(
                &model,
                "MPs debate the shelling",
                "MPs debated troops and soldiers.",
                "medtop:16000000",
            )
        };
        let (weak, strong) = (conflict(0.0), conflict(1.0));
        assert!(weak > 0.5, "{weak}");
        assert!(strong < weak - 0.2, "{strong} vs {weak}");
    }

    #[test]
    fn bbc_articles_cut_short_are_examples_of_their_own() {
        let taxonomy = politics_and("medtop:15000000", "sport", "Competitive activity");
        let filler = " The council met on Tuesday and officials spoke at length.".repeat(12);
        let bbc: Vec<BbcArticle> = (0..60)
            .map(|i| {
                let (category, lead) = if i % 2 == 0 {
                    ("sport", "Wanderers edged it late.")
                } else {
                    ("politics", "Ministers clashed again.")
                };
                BbcArticle {
                    id: format!("{category}/{i:03}"),
                    category: category.into(),
                    title: "Weekend round-up".into(),
                    text: format!("{lead}{filler}"),
                }
            })
            .collect();
        let trainable = bbc.iter().filter(|a| !is_held_out(&a.id)).count();
        let sport = |cut_weight: f32| {
            let options = TrainOptions {
                pseudo_per_entry: 0,
                bbc_cut_weight: cut_weight,
                epochs: 5,
                ..TrainOptions::default()
            };
            let (model, report) = train(sources(&taxonomy, &bbc, &[], &[]), &options).unwrap();
            let score = score_of(
                &model,
                "Weekend round-up",
                "Wanderers edged it late.",
                "medtop:15000000",
            );
            (score, report.bbc_cuts)
        };
        let ((without, none), (with, cuts)) = (sport(0.0), sport(1.0));
        assert_eq!((none, cuts), (0, trainable));
        // the cuts are examples too: the scores move
        assert!((with - without).abs() > 1e-9, "{with} vs {without}");
    }

    #[test]
    fn masked_lexicon_terms_teach_bbc_topics_nothing() {
        let taxonomy = politics_and("medtop:02000000", "crime, law and justice", "Crime");
        let lexicon = parse_lexicon("medtop:02000000\t-\tpolice, robbery, arrest\n").unwrap();
        // BBC politics stories that talk of the police
        let bbc: Vec<BbcArticle> = (0..40)
            .map(|i| BbcArticle {
                id: format!("politics/{i:03}"),
                category: "politics".into(),
                title: "MPs question police powers".into(),
                text: "Ministers and MPs debated police powers in the Commons.".into(),
            })
            .collect();
        let politics = |mask: bool| {
            let options = TrainOptions {
                pseudo_per_entry: 20,
                bbc_mask_lexicon: mask,
                background: 0.0,
                epochs: 5,
                ..TrainOptions::default()
            };
            let (model, _) = train(sources(&taxonomy, &bbc, &lexicon, &[]), &options).unwrap();
            score_of(&model, "Police", "The police said.", "medtop:11000000")
        };
        let (learnt, masked) = (politics(false), politics(true));
        assert!(masked < learnt - 0.1, "{masked} vs {learnt}");
    }

    #[test]
    fn news_windows_teach_a_topic_the_words_around_its_terms() {
        const THREE: &str = r#"[
          {"id": "medtop:11000000", "name": "politics", "definition": "Government and elections", "level": 1, "parent": null, "retired": false},
          {"id": "medtop:15000000", "name": "sport", "definition": "Competitive activity", "level": 1, "parent": null, "retired": false},
          {"id": "medtop:16000000", "name": "conflict, war and peace", "definition": "Armed conflict", "level": 1, "parent": null, "retired": false}
        ]"#;
        let taxonomy = Taxonomy::parse(THREE).unwrap();
        let lexicon = parse_lexicon(
            "medtop:16000000\tmedtop:11000000\ttroops, shelling, soldiers, ceasefire\n\
             medtop:11000000\t-\tparliament, election, minister, vote\n\
             medtop:15000000\t-\tgoal, match, striker, league\n",
        )
        .unwrap();
        let mut news = vec![
            "Troops and soldiers broke the ceasefire as militants regrouped near Mogadishu."
                .to_string();
            30
        ];
        // conflict windows that name a sport term as well
        news.extend(vec![
            "Troops, soldiers and shelling near the league stadium."
                .to_string();
            5
        ]);
        // no lexicon term, a tie, and a politics lead: none is labelled
        news.push("Markets opened calmly near Mogadishu.".into());
        news.push("Troops, soldiers, shelling: the minister wants a vote in parliament.".into());
        news.push("The minister lost the vote in parliament before the election.".into());
        // without clusters, which would carry "militants" to the topic of
        // "troops" on their own
        let options = TrainOptions {
            pseudo_per_entry: 50,
            background: 0.0,
            clusters: false,
            news_bbc_negative: 1.0,
            ..TrainOptions::default()
        };
        let (model, report) = train(sources(&taxonomy, &[], &lexicon, &news), &options).unwrap();
        assert_eq!(report.news_given, 38);
        assert_eq!(report.news_windows, 35);
        assert_eq!(
            report.news_by_topic,
            vec![("medtop:16000000".to_string(), 35)]
        );
        // what one word adds to a topic's score
        let pull = |model: &TopicModel, word: &str, topic: &str| {
            let with = model.top.scores(&[(unigram_key(word), 1.0)]);
            let without = model.top.scores(&[]);
            let at = model.top.labels.iter().position(|l| l.id == topic);
            with[at.unwrap()] - without[at.unwrap()]
        };
        let conflict = |word: &str| pull(&model, word, "medtop:16000000");
        assert!(conflict("militant") > 0.2, "{}", conflict("militant"));
        assert!(conflict("mogadishu") > 0.2, "{}", conflict("mogadishu"));
        // a word of the news the lexicon did not label learns nothing
        assert_eq!(conflict("calmly"), 0.0);
        // a BBC topic learns that war news without its terms is not it,
        // and nothing from windows that name one of its terms
        let sport = |model: &TopicModel, word: &str| pull(model, word, "medtop:15000000");
        assert!(
            sport(&model, "militant") < -0.1,
            "{}",
            sport(&model, "militant")
        );
        assert_eq!(sport(&model, "stadium"), 0.0);
        let silent = TrainOptions {
            news_bbc_negative: 0.0,
            ..options
        };
        let (model, _) = train(sources(&taxonomy, &[], &lexicon, &news), &silent).unwrap();
        assert_eq!(sport(&model, "militant"), 0.0);
        let (model, _) = train(sources(&taxonomy, &[], &lexicon, &[]), &options).unwrap();
        assert_eq!(
            model.top.scores(&[(unigram_key("militant"), 1.0)]),
            model.top.scores(&[])
        );
    }

    #[test]
    fn one_topics_windows_weigh_at_most_the_cap() {
        let label = |id: &str| TopicLabel {
            id: id.into(),
            label: id.into(),
        };
        let labels = [
            label("medtop:16000000"),
            label("medtop:02000000"),
            label("medtop:03000000"),
        ];
        let by_topic = [
            ("medtop:16000000".to_string(), 1200),
            ("medtop:02000000".to_string(), 150),
        ];
        assert_eq!(
            news_weights(&labels, &by_topic, 300.0),
            vec![0.25, 1.0, 1.0]
        );
    }

    #[test]
    fn a_news_label_needs_enough_terms_and_a_lead() {
        let options = TrainOptions {
            news_min_terms: 3,
            news_margin: 1,
            ..TrainOptions::default()
        };
        assert_eq!(news_label(&[(0, 1), (4, 3)], &options), Some(4));
        assert_eq!(news_label(&[(0, 3), (4, 3)], &options), None);
        assert_eq!(news_label(&[(0, 2), (4, 0)], &options), None);
        assert_eq!(news_label(&[], &options), None);
        let wider = TrainOptions {
            news_margin: 2,
            ..options
        };
        assert_eq!(news_label(&[(0, 3), (4, 2)], &wider), None);
        assert_eq!(news_label(&[(0, 4), (4, 2)], &wider), Some(0));
    }

    #[test]
    fn the_split_is_fixed_and_about_a_fifth() {
        let held = (0..1000)
            .filter(|i| is_held_out(&format!("business/{i:03}")))
            .count();
        assert!((150..250).contains(&held), "{held}");
        assert_eq!(is_held_out("sport/001"), is_held_out("sport/001"));
    }

    /// (raw score, applies, topic) pairs of `articles` articles over three
    /// topics, the first two labelled by BBC: at the same raw score, the
    /// first topic applies less often than the second (`offsets`).
    fn offset_pairs(articles: usize, offsets: [f32; 3], seed: u64) -> Vec<(f32, bool, usize)> {
        let mut rng = Rng::new(seed);
        let mut pairs = Vec::new();
        for _ in 0..articles {
            for (t, offset) in offsets.iter().enumerate() {
                let raw = rng.below(800) as f32 / 100.0 - 4.0;
                let p = 1.0 / (1.0 + (-(raw + offset)).exp());
                pairs.push((raw, (rng.below(1000) as f32) < p * 1000.0, t));
            }
        }
        pairs
    }

    #[test]
    fn each_bbc_topic_can_have_its_own_scaling() {
        let bbc = offset_pairs(600, [-2.0, 2.0, 0.0], 1);
        let tuning = offset_pairs(200, [-2.0, 2.0, 0.0], 2);
        let labelled = [true, true, false];
        let options = CalibrationOptions {
            folds: 5,
            separate_lexicon_topics: true,
            lexicon_topics_bbc_weight: 0.0,
            per_bbc_topic: false,
            per_lexicon_topic: false,
            cross_desk_min_terms: 0,
        };
        let own_options = CalibrationOptions {
            per_bbc_topic: true,
            ..options
        };
        let shared = scalings(&bbc, &tuning, &labelled, &options);
        assert_eq!(shared.per_topic[0], shared.per_topic[1]);
        let own = scalings(&bbc, &tuning, &labelled, &own_options);
        // the offsets come back, and the twelve's scaling is untouched
        assert!(
            (own.per_topic[0].b + 2.0).abs() < 0.5,
            "{:?}",
            own.per_topic
        );
        assert!(
            (own.per_topic[1].b - 2.0).abs() < 0.5,
            "{:?}",
            own.per_topic
        );
        assert_eq!(own.per_topic[2], shared.per_topic[2]);
        // held-out tuning articles tell the two apart
        let shared_cv = tuning_cross_validation(&bbc, &tuning, &labelled, &options, 5);
        let own_cv = tuning_cross_validation(&bbc, &tuning, &labelled, &own_options, 5);
        assert_eq!(own_cv.log_loss.len(), 5);
        assert_eq!(own_cv.best.len(), 200);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        assert!(
            mean(&own_cv.log_loss) < mean(&shared_cv.log_loss) - 0.02,
            "{:?} {:?}",
            own_cv.log_loss,
            shared_cv.log_loss
        );
    }

    #[test]
    fn an_article_holding_another_desks_terms_is_no_sure_negative_for_it() {
        let taxonomy = politics_and("medtop:15000000", "sport", "Competitive activity");
        let lexicon = parse_lexicon(
            "medtop:11000000\t-\tminister, election, parliament\n\
             medtop:15000000\t-\tgoal, match, striker, league\n",
        )
        .unwrap();
        let labels = taxonomy.top_level();
        let index = label_index(&labels);
        let (politics, sport) = (index["medtop:11000000"], index["medtop:15000000"]);
        let featurizer = Featurizer::default();
        let terms = LexiconTerms::new(&featurizer, &lexicon, &index, &taxonomy);
        // a politics story about a football league's finances
        let counts = terms.count(
            &featurizer,
            "Minister backs league",
            "The minister said the league would pay for a camera at every match to judge a goal.",
        );
        let both = [true, true];
        assert!(other_desk(&counts, sport, politics, &both, 3));
        // too few of sport's terms, the story's own desk, a topic BBC does
        // not label, and the option off
        assert!(!other_desk(&counts, sport, politics, &both, 4));
        assert!(!other_desk(&counts, politics, politics, &both, 1));
        assert!(!other_desk(&counts, sport, politics, &[true, false], 1));
        assert!(!other_desk(&counts, sport, politics, &both, 0));
    }

    #[test]
    fn bad_lexicon_lines_are_reported() {
        assert!(parse_lexicon("medtop:1 only two").is_err());
    }
}

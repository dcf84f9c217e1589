//! The one entry point of the NLP stage.

use newsflow_core::{
    now_rfc3339, DateMention, EnrichedArticle, Mention, MentionField, Provenance, RawArticle,
    RecordBounds, SourcePosition, PIPELINE_VERSION,
};

use crate::document::Document;
use crate::entities::{self, Found};
use crate::geo::Places;
use crate::language::LanguageGate;
use crate::ner::Tagger;
use crate::topics::TopicModel;

/// The entity model trained by `newsflow nlp train-ner`, built into the
/// binary so that every role of the one image has it.
const NER_MODEL: &[u8] = include_bytes!("../../../models/ner-conll2003.bin");
/// The model's weights as the build laid them out (`ner/score_layout.rs`),
/// aligned so that a place never straddles two cache lines.
static NER_SCORES: &Aligned<[u8]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/ner-scores.bin")));
/// Its version in provenance, hashed by the build (`build.rs`).
const NER_MODEL_VERSION: &str = env!("NEWSFLOW_NER_MODEL_VERSION");

/// Bytes at the start of a cache line.
#[repr(C, align(64))]
struct Aligned<Bytes: ?Sized>(Bytes);

/// The gazetteer the entity model was trained with (see
/// `models/gazetteer/ATTRIBUTION.md`).
pub const GAZETTEER_TSV: [&str; 4] = [
    include_str!("../../../models/gazetteer/geonames.tsv"),
    include_str!("../../../models/gazetteer/world-countries.tsv"),
    include_str!("../../../models/gazetteer/demonyms.tsv"),
    include_str!("../../../models/gazetteer/orgs.tsv"),
];

const ORG_ABBREVIATIONS_TSV: &str = include_str!("../../../models/gazetteer/org-abbreviations.tsv");
/// The topic model trained by `newsflow nlp train-topics`.
const TOPIC_MODEL: &[u8] = include_bytes!("../../../models/topics-iptc.bin");
/// Key tables over its rows, laid out by the build (`topics/file_layout.rs`).
static TOPIC_ROWS: &Aligned<[u8]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/topic-rows.bin")));
const TOPIC_MODEL_VERSION: &str = env!("NEWSFLOW_TOPIC_MODEL_VERSION");
const NATIONALITIES_TSV: &str = include_str!("../../../models/gazetteer/nationalities.tsv");

/// Enriches raw articles. Cheap to share between threads; build one at
/// start-up: it owns the loaded models.
#[derive(Debug, Default)]
pub struct Annotator {
    ner: Option<(Tagger, String)>,
    abbreviations: entities::Abbreviations,
    places: Places,
    topics: Option<(TopicModel, String)>,
    languages: LanguageGate,
}

impl Annotator {
    /// An annotator without models: language and text statistics only.
    pub fn new() -> Self {
        Annotator::default()
    }

    /// An annotator with the models shipped in `models/`.
    pub fn with_default_models() -> Result<Self, crate::ModelError> {
        let tagger = Tagger::builtin(NER_MODEL, &NER_SCORES.0, crate::ner::Lexicon::builtin())?;
        let mut annotator = Self::new().with_ner(tagger, NER_MODEL_VERSION.to_string());
        annotator.abbreviations = entities::abbreviations_from_tsv(ORG_ABBREVIATIONS_TSV);
        annotator
            .abbreviations
            .extend(entities::abbreviations_from_tsv(entities::CLIPPED_NAMES));
        annotator.places =
            Places::builtin(NATIONALITIES_TSV).ok_or_else(|| crate::ModelError::Damaged {
                kind: "place list",
                reason: "the build's table of places.tsv does not read".into(),
            })?;
        let topics = TopicModel::builtin(TOPIC_MODEL, &TOPIC_ROWS.0)?;
        annotator.topics = Some((topics, TOPIC_MODEL_VERSION.to_string()));
        Ok(annotator)
    }

    /// Analyses only articles in these languages (see [`LanguageGate`]).
    pub fn with_languages(mut self, languages: LanguageGate) -> Self {
        self.languages = languages;
        self
    }

    /// The languages analysed.
    pub fn languages(&self) -> &LanguageGate {
        &self.languages
    }

    /// The entity tagger, when there is one.
    pub fn tagger(&self) -> Option<&Tagger> {
        self.ner.as_ref().map(|(tagger, _)| tagger)
    }

    /// Adds an entity tagger, recorded in provenance as `version`.
    pub fn with_ner(mut self, tagger: Tagger, version: String) -> Self {
        self.ner = Some((tagger, version));
        self
    }

    /// Entities of an article (tokenise, tag, merge, link places), without the rest of
    /// the analysis; empty without an entity model.
    pub fn entities(&self, title: &str, body: &str) -> Vec<newsflow_core::Entity> {
        match &self.ner {
            Some((tagger, _)) => {
                let doc = Document::new(title, body);
                let mut dates = find_date_mentions(&doc, None);
                let mut entities = find_entities(tagger, &self.abbreviations, &doc, &mut dates);
                self.places.link(&mut entities);
                entities
            }
            None => Vec::new(),
        }
    }

    /// Analyses one article. `source` is where it was read from, for
    /// provenance.
    pub fn annotate(&self, raw: RawArticle, source: Option<SourcePosition>) -> EnrichedArticle {
        let doc = Document::new(&raw.title, &raw.body);
        let decision = self
            .languages
            .decide(doc.language_sample(), raw.language.as_deref());
        let mut models = std::collections::BTreeMap::new();
        if let Some((_, version)) = &self.ner {
            models.insert("ner".to_string(), version.clone());
        }
        if let Some((_, version)) = &self.topics {
            models.insert("topics".to_string(), version.clone());
        }
        let provenance = Provenance {
            pipeline: PIPELINE_VERSION.to_string(),
            models,
            source,
            enriched_at: now_rfc3339(),
        };
        let analyse = decision.analyse;
        let language_code = decision.language.code.clone();
        let mut enriched = EnrichedArticle::from_raw(raw, decision.language, provenance);
        enriched.stats = doc.stats();
        let published = enriched
            .published_at
            .as_deref()
            .and_then(|p| chrono::DateTime::parse_from_rfc3339(p).ok())
            .map(|p| p.date_naive());
        let mut dates = if analyse {
            find_date_mentions(&doc, published)
        } else {
            Vec::new()
        };
        match &self.ner {
            Some(_) if !analyse => {
                enriched.analysis_skipped = Some(format!(
                    "language {language_code}: analysed languages are {}",
                    self.languages.languages().join(", ")
                ));
            }
            Some((tagger, _)) => {
                enriched.entities = find_entities(tagger, &self.abbreviations, &doc, &mut dates);
                self.places.link(&mut enriched.entities);
            }
            None => {}
        }
        if analyse {
            enriched.dates = dates;
            let tone = crate::tone::of_document(&doc);
            enriched.tone = Some(newsflow_core::Tone {
                score: tone.score,
                label: Some(tone.label.to_string()),
            });
            if let Some((model, _)) = &self.topics {
                enriched.topics = model
                    .classify_document(&doc)
                    .into_iter()
                    .map(|t| newsflow_core::Topic {
                        id: t.id,
                        label: t.label,
                        score: (t.score * 1e4).round() / 1e4,
                    })
                    .collect();
            }
            enriched.entities.extend(date_entities(&enriched.dates));
            // after the dates: their words make no key phrase
            let names = crate::keywords::names(&doc, &enriched.entities);
            enriched.keywords = crate::keywords::of_document(&doc, &names, 10);
        }
        // Odd input (a page of capitalised words or of dates) must not make
        // a record larger than a broker takes.
        enriched.bound(RecordBounds::default());
        enriched
    }
}

/// The entities of `doc`; `dates` are its date mentions, of which a
/// holiday inside a longer name is taken out (see [`holidays_are_dates`]).
fn find_entities(
    tagger: &Tagger,
    abbreviations: &entities::Abbreviations,
    doc: &Document,
    dates: &mut Vec<DateMention>,
) -> Vec<newsflow_core::Entity> {
    let chars: Vec<char> = doc.text().chars().collect();
    let mut found = tagger
        .spans_in(
            doc.text(),
            doc.tokens(),
            doc.tagger_sentences(),
            doc.dateline_places(),
            doc.title_tokens().len(),
        )
        .into_iter()
        // a credit names who took the photo or sent the copy, not who the
        // story is about
        .filter(|span| !doc.in_credit(span.start))
        .filter_map(|span| {
            let mention_text: String = chars.get(span.start..span.end)?.iter().collect();
            let (field, start) = doc.locate(span.start, span.end)?;
            let weight = match field {
                MentionField::Title => 3.0,
                MentionField::Body if start < doc.lead_end() => 2.0,
                MentionField::Body => 1.0,
            };
            let end = start + (span.end - span.start);
            Some(Found {
                kind: span.kind,
                text: mention_text,
                mention: Mention { field, start, end },
                weight,
            })
        })
        .collect();
    holidays_are_dates(&mut found, dates);
    entities::build(found, abbreviations)
}

/// A holiday the tagger took for a name ("Christmas" as a place) is a date
/// alone, so the mention is left out of the entities; one inside a longer
/// name ("The Office Christmas Special") is part of that name, not a date.
fn holidays_are_dates(found: &mut Vec<Found>, dates: &mut Vec<DateMention>) {
    let holidays: Vec<DateMention> = dates
        .iter()
        .filter(|d| crate::dates::is_holiday(&d.text))
        .cloned()
        .collect();
    if holidays.is_empty() {
        return;
    }
    let within =
        |m: &Mention, d: &DateMention| m.field == d.field && d.start <= m.start && m.end <= d.end;
    let around = |m: &Mention, d: &DateMention| {
        m.field == d.field
            && m.start <= d.start
            && d.end <= m.end
            && m.end - m.start > d.end - d.start
    };
    found.retain(|f| !holidays.iter().any(|d| within(&f.mention, d)));
    dates.retain(|d| !holidays.contains(d) || !found.iter().any(|f| around(&f.mention, d)));
}

/// Dates of the title, then of the body; an expression never spans both.
fn find_date_mentions(doc: &Document, published: Option<chrono::NaiveDate>) -> Vec<DateMention> {
    let mut out = Vec::new();
    for tokens in [doc.title_tokens(), doc.body_tokens()] {
        for d in crate::dates::find_dates(doc.text(), tokens, published) {
            let Some((field, start)) = doc.locate(d.start, d.end) else {
                continue;
            };
            out.push(DateMention {
                text: d.text,
                date: d.value,
                field,
                start,
                end: start + (d.end - d.start),
            });
        }
    }
    out
}

/// One DATE entity per distinct date (or per text, when it has no value).
fn date_entities(dates: &[DateMention]) -> Vec<newsflow_core::Entity> {
    let mut entities: Vec<newsflow_core::Entity> = Vec::new();
    for d in dates {
        let canonical = d.date.clone().unwrap_or_else(|| d.text.clone());
        let mention = Mention {
            field: d.field,
            start: d.start,
            end: d.end,
        };
        match entities.iter_mut().find(|e| e.canonical == canonical) {
            Some(e) => {
                e.count += 1;
                e.mentions.push(mention);
            }
            None => entities.push(newsflow_core::Entity {
                text: d.text.clone(),
                kind: "DATE".into(),
                canonical,
                count: 1,
                salience: None,
                mentions: vec![mention],
                links: None,
                geo: None,
            }),
        }
    }
    entities
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_laid_out_entity_weights_score_every_feature_as_the_model_file() {
        use crate::ner::model::Weights;
        use crate::ner::tags::NUM_TAGS;
        let owned = Weights::load(NER_MODEL).expect("the shipped model loads");
        let laid_out = Weights::builtin(NER_MODEL, &NER_SCORES.0).expect("the build's table");
        assert!(owned.index.len() > 100_000);
        let mut keys: Vec<u64> = owned.index.keys().copied().collect();
        keys.sort_unstable();
        // a key the model lacks scores nothing
        keys.push(keys.iter().max().map_or(1, |k| k.wrapping_add(1)));
        for key in keys {
            let (mut a, mut b) = ([0.0; NUM_TAGS], [0.0; NUM_TAGS]);
            owned.add(&[key], &mut a);
            laid_out.add(&[key], &mut b);
            assert_eq!(a.map(f32::to_bits), b.map(f32::to_bits), "feature {key:x}");
        }
        assert_eq!(laid_out.to_bytes(), NER_MODEL);
    }

    #[test]
    fn the_laid_out_topic_model_scores_every_feature_as_the_model_file() {
        let parsed = TopicModel::from_bytes(TOPIC_MODEL).expect("the shipped model loads");
        let laid_out = TopicModel::builtin(TOPIC_MODEL, &TOPIC_ROWS.0).expect("the build's tables");
        assert!(parsed.top.rows.len() > 50_000);
        let vocabulary = parsed.featurizer().vocabulary().expect("a vocabulary");
        for &key in vocabulary.keys() {
            let one = vec![(key, 2.0)];
            let features = parsed.featurizer().weigh(one.clone());
            assert_eq!(features, laid_out.featurizer().weigh(one), "{key:x}");
        }
        let mut scorers = vec![(&parsed.top, &laid_out.top)];
        for (parent, child) in &parsed.children {
            scorers.push((child, &laid_out.children[parent]));
        }
        for (a, b) in scorers {
            for &key in a.rows.keys() {
                assert_eq!(a.scores(&[(key, 0.5)]), b.scores(&[(key, 0.5)]), "{key:x}");
            }
            assert_eq!(a.labels, b.labels);
        }
        assert_eq!(laid_out.to_bytes(), TOPIC_MODEL);
        assert_eq!(laid_out.calibration, parsed.calibration);
    }

    #[test]
    fn model_versions_name_the_embedded_files() {
        let version =
            |name: &str, bytes: &[u8]| format!("{name}@{:08x}", crate::hash::fnv1a(bytes) >> 32);
        assert_eq!(NER_MODEL_VERSION, version("ner-conll2003", NER_MODEL));
        assert_eq!(TOPIC_MODEL_VERSION, version("topics-iptc", TOPIC_MODEL));
    }

    #[test]
    fn annotate_keeps_raw_fields_and_counts_text() {
        let mut raw = RawArticle::new(
            "Storm hits coast",
            "Winds reached 150 km/h. Thousands lost power.",
        );
        raw.language = Some("en".into());
        raw.extra
            .insert("custom".into(), serde_json::Value::Bool(true));
        let id = raw.id.clone();
        let out = Annotator::new().annotate(raw, None);
        assert_eq!(out.id, id);
        assert_eq!(out.language.declared.as_deref(), Some("en"));
        assert_eq!(out.stats.title_tokens, 3);
        assert_eq!(out.stats.sentences, 3);
        assert!(out.extra.contains_key("custom"));
        assert!(out.entities.is_empty());
    }

    #[test]
    fn entities_come_with_offsets_into_their_field() {
        let annotator = Annotator::with_default_models().unwrap();
        let raw = RawArticle::new(
            "Merkel meets Macron in Berlin",
            "German Chancellor Angela Merkel met French President Emmanuel Macron in Berlin on Monday. Merkel said the European Union must act.",
        );
        let out = annotator.annotate(raw, None);
        assert!(out.provenance.models["ner"].starts_with("ner-conll2003@"));
        for e in &out.entities {
            for m in &e.mentions {
                let field = match m.field {
                    MentionField::Title => &out.title,
                    MentionField::Body => &out.body,
                };
                let slice: String = field.chars().skip(m.start).take(m.end - m.start).collect();
                assert!(
                    e.canonical.contains(slice.trim_end_matches("'s"))
                        || slice.contains(&e.canonical),
                    "{slice:?} vs {e:?}"
                );
            }
        }
        let merkel = out
            .entities
            .iter()
            .find(|e| e.canonical == "Angela Merkel")
            .expect("Merkel found");
        assert_eq!(merkel.kind, "PER");
        assert_eq!(merkel.count, 3, "{merkel:?}");
        assert_eq!(merkel.mentions[0].field, MentionField::Title);
        let berlin = out
            .entities
            .iter()
            .find(|e| e.canonical == "Berlin")
            .expect("Berlin found");
        assert_eq!(berlin.kind, "LOC");
    }

    #[test]
    fn photo_credits_give_no_entity_or_key_phrase() {
        let annotator = Annotator::with_default_models().unwrap();
        let raw = RawArticle::new(
            "Merkel meets Macron in Berlin",
            "Angela Merkel greets Emmanuel Macron in Berlin on Monday. (AA Photo)\n\
             Merkel said the European Union must act, and Macron agreed.",
        );
        let out = annotator.annotate(raw, None);
        let names: Vec<&str> = out.entities.iter().map(|e| e.canonical.as_str()).collect();
        assert!(names.contains(&"Angela Merkel"), "{names:?}");
        assert!(!names.iter().any(|n| n.contains("AA")), "{names:?}");
        let phrases: Vec<&str> = out.keywords.iter().map(|k| k.text.as_str()).collect();
        assert!(
            !phrases
                .iter()
                .any(|p| p.contains("AA") || p.contains("Photo")),
            "{phrases:?}"
        );
    }

    #[test]
    fn a_datelines_place_is_a_place() {
        let annotator = Annotator::with_default_models().unwrap();
        let raw = RawArticle::new(
            "European Parliament approves landmark AI rules",
            "Strasbourg, March 13 (Reuters) - The European Parliament on Wednesday \
             approved the world's first rules for artificial intelligence.",
        );
        let out = annotator.annotate(raw, None);
        let kinds: Vec<(&str, &str)> = out
            .entities
            .iter()
            .map(|e| (e.canonical.as_str(), e.kind.as_str()))
            .collect();
        assert!(kinds.contains(&("Strasbourg", "LOC")), "{kinds:?}");
        assert!(
            !kinds.iter().any(|(name, _)| name.contains("Reuters")),
            "{kinds:?}"
        );
    }

    #[test]
    fn a_nationality_word_counts_for_its_country_when_the_article_names_it() {
        let annotator = Annotator::with_default_models().unwrap();
        let raw = RawArticle::new(
            "Russia and Turkey discuss Libya",
            "Russian officials met Turkish diplomats in Moscow on Monday. \
             Russia said the Russian proposal for Libya stands. Greek ministers were not invited.",
        );
        let out = annotator.annotate(raw, None);
        let phrases: Vec<&str> = out.keywords.iter().map(|k| k.text.as_str()).collect();
        // the article names Russia and Turkey: their nationality words fold in
        for (word, country) in [("Russian", "Russia"), ("Turkish", "Turkey")] {
            assert!(phrases.contains(&country), "{phrases:?}");
            assert!(!phrases.contains(&word), "{phrases:?}");
        }
        // it does not name Greece: "Greek" stands for itself
        assert!(phrases.contains(&"Greek"), "{phrases:?}");

        // two names of one country make one phrase, the one used most
        let raw = RawArticle::new(
            "UK exports rise",
            "Exports from the UK rose in March. Britain sold more cars abroad, \
             and UK officials said British factories were busy.",
        );
        let out = annotator.annotate(raw, None);
        let phrases: Vec<&str> = out.keywords.iter().map(|k| k.text.as_str()).collect();
        assert!(phrases.contains(&"UK"), "{phrases:?}");
        for other in ["Britain", "British"] {
            assert!(!phrases.contains(&other), "{phrases:?}");
        }
    }

    #[test]
    fn a_contraction_is_no_entity_or_key_phrase() {
        let annotator = Annotator::with_default_models().unwrap();
        // mid-sentence, the tagger takes a capital "I'm" for a person
        let raw = RawArticle::new(
            "Smith wary of injuries",
            "Smith won bronze in Madrid. \"It was great winning bronze but I'm wary of \
             injuries,\" said Smith. \"I had hoped to race but I've been ill,\" she added. \
             \"The coach said I'd be fine but I'll wait. Don't rush, he said.\" \
             Jones, who won gold, said Smith didn't need to.",
        );
        let out = annotator.annotate(raw, None);
        let names: Vec<&str> = out.entities.iter().map(|e| e.text.as_str()).collect();
        assert!(names.contains(&"Smith"), "{names:?}");
        assert!(!names.iter().any(|n| n.contains('\'')), "{names:?}");
        let smith = out.entities.iter().find(|e| e.text == "Smith");
        assert_eq!(smith.map(|e| e.count), Some(4), "{:?}", out.entities);
        for m in smith.iter().flat_map(|e| &e.mentions) {
            let field = if m.field == MentionField::Title {
                &out.title
            } else {
                &out.body
            };
            let text: String = field.chars().skip(m.start).take(m.end - m.start).collect();
            assert_eq!(text, "Smith");
        }
        let phrases: Vec<&str> = out.keywords.iter().map(|k| k.text.as_str()).collect();
        assert!(!phrases.iter().any(|p| p.contains('\'')), "{phrases:?}");
    }

    #[test]
    fn key_phrases_hold_no_stray_mark_or_full_stop_and_one_spelling_of_a_name() {
        let annotator = Annotator::with_default_models().unwrap();
        let raw = RawArticle::new(
            "TimeWarner profits rise",
            "Quarterly profits at TimeWarner jumped 76%, the firm said.\n\nTime Warner \
             said on Friday that film sales rose, helped by Tears of the Sun.\n\n\
             \"It would be a timely reminder to Mike [Ruddock] as to what they can do,\" \
             said Mr P. \"Never known such a fuss,\" said M&S.\n\nTime Warner shares rose.",
        );
        let out = annotator.annotate(raw, None);
        let phrases: Vec<&str> = out.keywords.iter().map(|k| k.text.as_str()).collect();
        assert!(
            !phrases
                .iter()
                .any(|p| p.ends_with('.') || p.contains(['[', ']']) || *p == "P"),
            "{phrases:?}"
        );
        let time_warner: Vec<&str> = phrases
            .iter()
            .copied()
            .filter(|p| p.replace(' ', "") == "TimeWarner")
            .collect();
        assert_eq!(time_warner.len(), 1, "{phrases:?}");
        let canonical: Vec<&str> = out.entities.iter().map(|e| e.canonical.as_str()).collect();
        assert!(canonical.contains(&"Mike Ruddock"), "{canonical:?}");
    }

    #[test]
    fn an_acronym_plural_is_no_entity() {
        let annotator = Annotator::with_default_models().unwrap();
        let raw = RawArticle::new(
            "PCs outsell DVDs",
            "Sales of PCs rose in Europe, Intel said on Monday. Shops sold more PCs \
             than DVDs, and MSPs at Holyrood asked the NHS why.",
        );
        let out = annotator.annotate(raw, None);
        let names: Vec<&str> = out.entities.iter().map(|e| e.text.as_str()).collect();
        assert!(
            names.contains(&"Intel") && names.contains(&"NHS"),
            "{names:?}"
        );
        assert!(
            !names.iter().any(|n| ["PCs", "DVDs", "MSPs"].contains(n)),
            "{names:?}"
        );
    }

    #[test]
    fn a_planet_in_a_story_about_space_is_a_place() {
        let annotator = Annotator::with_default_models().unwrap();
        let raw = RawArticle::new(
            "Rover finds possible signs of ancient life on Mars",
            "NASA's rover has found a rock on Mars with features that microbes could \
             have formed billions of years ago, scientists said on Thursday.",
        );
        let out = annotator.annotate(raw, None);
        let mars = out.entities.iter().find(|e| e.text == "Mars");
        assert_eq!(
            mars.map(|e| e.kind.as_str()),
            Some("LOC"),
            "{:?}",
            out.entities
        );
    }

    #[test]
    fn the_fed_is_the_federal_reserve() {
        let annotator = Annotator::with_default_models().unwrap();
        let raw = RawArticle::new(
            "Federal Reserve holds rates",
            "The Federal Reserve kept rates on hold on Wednesday. The Fed said \
             inflation had eased.",
        );
        let out = annotator.annotate(raw, None);
        let reserve: Vec<(&str, u32)> = out
            .entities
            .iter()
            .filter(|e| e.text == "Fed" || e.canonical.contains("Federal"))
            .map(|e| (e.canonical.as_str(), e.count))
            .collect();
        assert_eq!(reserve, [("Federal Reserve", 3)]);
    }

    #[test]
    fn clipped_names_join_their_full_names() {
        let annotator = Annotator::with_default_models().unwrap();
        let raw = RawArticle::new(
            "Lib Dems unveil tax plans",
            "The Liberal Democrats set out their tax plans on Monday. Lib Dem leader \
             Charles Kennedy said the Lib Dems would scrap council tax. Man Utd fans \
             protested outside Old Trafford as Manchester United met.",
        );
        let out = annotator.annotate(raw, None);
        let named = |full: &str| -> Vec<(&str, &str)> {
            out.entities
                .iter()
                .filter(|e| e.canonical == full || e.text.starts_with(&full[..3]))
                .map(|e| (e.kind.as_str(), e.canonical.as_str()))
                .collect()
        };
        assert_eq!(named("Liberal Democrats"), [("ORG", "Liberal Democrats")]);
        assert_eq!(named("Manchester United"), [("ORG", "Manchester United")]);
    }

    #[test]
    fn a_headline_s_ordinary_first_word_is_no_name() {
        let annotator = Annotator::with_default_models().unwrap();
        let names = |title: &str, body: &str| -> Vec<String> {
            let out = annotator.annotate(RawArticle::new(title, body), None);
            out.entities.into_iter().map(|e| e.text).collect()
        };
        let got = names(
            "Singer's film to show at festival",
            "A documentary about the singer will be shown at the Berlin Film Festival. \
             The singer, who grew up in Glasgow, said she was delighted.",
        );
        assert!(!got.iter().any(|n| n == "Singer"), "{got:?}");
        assert!(got.iter().any(|n| n == "Glasgow"), "{got:?}");
        // a name the article also writes in lower case stays one
        let got = names(
            "Reading sign striker",
            "Championship side Reading have signed a striker. Manager Steve Coppell said \
             he liked reading the game, and Reading fans agreed.",
        );
        assert!(got.iter().any(|n| n == "Reading"), "{got:?}");
    }

    /// Each entity of an article: its canonical name and its type.
    fn entity_types(annotator: &Annotator, title: &str, body: &str) -> Vec<(String, String)> {
        let out = annotator.annotate(RawArticle::new(title, body), None);
        out.entities
            .into_iter()
            .map(|e| (e.canonical, e.kind))
            .collect()
    }

    #[test]
    fn a_county_or_a_city_after_in_or_near_is_a_place() {
        let annotator = Annotator::with_default_models().unwrap();
        let types = |title: &str, body: &str| entity_types(&annotator, title, body);
        let has_places = |got: &[(String, String)], places: &[&str]| {
            for place in places {
                assert!(
                    got.contains(&(place.to_string(), "LOC".to_string())),
                    "{place}: {got:?}"
                );
            }
        };
        let got = types(
            "Council approves cycle lanes",
            "Councillors in Leeds have approved a scheme to build cycle lanes. The man \
             was taken to hospital after a violent clash in Kent.",
        );
        has_places(&got, &["Leeds", "Kent"]);
        // after "near" or "north of", and before a noun for a part of a
        // place
        let got = types(
            "Wildfire forces 3,000 from homes near Marseille",
            "Police found a cannabis farm in a disused bank in Bradford city centre. \
             A wildfire forced 3,000 people to leave their homes north of Marseille on \
             Tuesday.",
        );
        has_places(&got, &["Marseille", "Bradford"]);
        assert!(!got.iter().any(|(_, kind)| kind == "ORG"), "{got:?}");
        // off the coast of a county
        let got = types(
            "Migrants rescued from boat",
            "More than 60 migrants were rescued from a small boat on Thursday after it \
             got into difficulty off the coast of Kent, the coastguard said.",
        );
        has_places(&got, &["Kent"]);
        // a club's name before a noun stays the club
        let got = types(
            "Tykes sign prop",
            "The Tykes have brought in Newcastle prop Ed Kalman for the rest of the season.",
        );
        assert!(
            got.iter()
                .all(|(name, kind)| name != "Newcastle" || kind == "ORG"),
            "{got:?}"
        );
    }

    #[test]
    fn companies_the_tagger_never_saw_are_organisations() {
        let annotator = Annotator::with_default_models().unwrap();
        let types = |title: &str, body: &str| entity_types(&annotator, title, body);
        let chips = types(
            "Chipmaker profits jump",
            "Chief executive Jensen Huang said customers including Microsoft, Amazon and \
             Meta were building new data centres. Technology companies including Google and \
             OpenAI will have to comply.",
        );
        for name in ["Amazon", "Meta", "OpenAI"] {
            assert!(
                chips.contains(&(name.to_string(), "ORG".to_string())),
                "{name}: {chips:?}"
            );
        }
        // the river keeps its type
        let river = types(
            "Brazil to use hovercrafts for Amazon travel",
            "Hovercrafts will soon ply the waters of the Amazon, the ministry said.",
        );
        assert!(
            river
                .iter()
                .all(|(name, kind)| name != "Amazon" || kind == "LOC"),
            "{river:?}"
        );
    }

    #[test]
    fn charities_the_silver_lists_call_places_are_organisations() {
        let annotator = Annotator::with_default_models().unwrap();
        let got = entity_types(
            &annotator,
            "Activists climb refinery chimney",
            "Greenpeace activists climbed the refinery's chimney on Tuesday to protest \
             against new drilling licences. Oxfam said the number of people facing hunger \
             had doubled.",
        );
        for name in ["Greenpeace", "Oxfam"] {
            assert!(
                got.contains(&(name.to_string(), "ORG".to_string())),
                "{name}: {got:?}"
            );
        }
    }

    #[test]
    fn a_holiday_is_a_date_and_still_a_key_phrase() {
        let mut raw = RawArticle::new(
            "Shops brace for Christmas rush",
            "Retailers expect record Christmas sales, the British Retail Consortium said. \
             Shoppers spent more before Christmas than a year ago, and stores open on Boxing Day.",
        );
        raw.published_at = Some("2004-11-20T10:00:00Z".into());
        let out = Annotator::with_default_models()
            .unwrap()
            .annotate(raw, None);
        let kinds: Vec<(&str, &str)> = out
            .entities
            .iter()
            .map(|e| (e.text.as_str(), e.kind.as_str()))
            .collect();
        assert!(
            !kinds
                .iter()
                .any(|(text, kind)| text.contains("Christmas") && *kind != "DATE"),
            "{kinds:?}"
        );
        let christmas = out
            .entities
            .iter()
            .find(|e| e.kind == "DATE" && e.text == "Christmas")
            .expect("Christmas as a date");
        assert_eq!(christmas.canonical, "2004-12-25");
        assert_eq!(christmas.count, 3);
        let phrases: Vec<&str> = out.keywords.iter().map(|k| k.text.as_str()).collect();
        assert!(phrases.contains(&"Christmas"), "{phrases:?}");
    }

    #[test]
    fn a_holiday_inside_a_name_is_part_of_it() {
        let found = |text: &str, kind: &str, start: usize| Found {
            kind: crate::ner::tags::TYPES
                .iter()
                .position(|t| *t == kind)
                .expect("a type"),
            text: text.into(),
            mention: Mention {
                field: MentionField::Body,
                start,
                end: start + text.len(),
            },
            weight: 1.0,
        };
        let date = |text: &str, start| DateMention {
            text: text.into(),
            date: None,
            field: MentionField::Body,
            start,
            end: start + text.len(),
        };
        // "The Office Christmas Special" at 0, "Christmas" alone at 40 and 60
        let mut mentions = vec![
            found("The Office Christmas Special", "MISC", 0),
            found("Christmas", "LOC", 40),
            found("Christmas", "LOC", 60),
            found("Monday", "PER", 80),
        ];
        let mut dates = vec![
            date("Christmas", 11),
            date("Christmas", 40),
            date("Christmas", 60),
            date("Monday", 80),
        ];
        holidays_are_dates(&mut mentions, &mut dates);
        let names: Vec<&str> = mentions.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            names,
            ["The Office Christmas Special", "Monday"],
            "only holidays"
        );
        let starts: Vec<usize> = dates.iter().map(|d| d.start).collect();
        assert_eq!(starts, [40, 60, 80]);
    }

    #[test]
    fn dates_are_normalised_against_publication() {
        let mut raw = RawArticle::new(
            "Leaders speak",
            "The two leaders spoke on Monday. Fighting has gone on since April 2019.",
        );
        raw.published_at = Some("2020-07-15T10:00:00Z".into());
        let out = Annotator::with_default_models()
            .unwrap()
            .annotate(raw, None);
        let values: Vec<Option<&str>> = out.dates.iter().map(|d| d.date.as_deref()).collect();
        assert_eq!(values, [Some("2020-07-13"), Some("2019-04")]);
        let monday = out
            .entities
            .iter()
            .find(|e| e.kind == "DATE" && e.canonical == "2020-07-13")
            .expect("DATE entity");
        assert_eq!(monday.text, "Monday");
        let m = monday.mentions[0];
        assert_eq!(
            out.body
                .chars()
                .skip(m.start)
                .take(m.end - m.start)
                .collect::<String>(),
            "Monday"
        );
    }

    #[test]
    fn non_english_articles_skip_the_english_models() {
        let annotator = Annotator::with_default_models().unwrap();
        let raw = RawArticle::new("Le gouvernement annonce des mesures", "Le Premier ministre a présenté mardi à Paris un plan pour soutenir les ménages face à l'inflation.");
        let out = annotator.annotate(raw, None);
        assert_eq!(out.language.code, "fr");
        assert!(out.entities.is_empty());
        assert!(out
            .analysis_skipped
            .as_deref()
            .unwrap_or("")
            .contains("analysed languages are en"));
    }
}

//! The one entry point of the NLP stage.

use newsflow_core::{
    now_rfc3339, DateMention, EnrichedArticle, Mention, MentionField, Provenance, RawArticle,
    RecordBounds, SourcePosition, TextStats, PIPELINE_VERSION,
};

use std::ops::Range;

use crate::detect_language;
use crate::entities::{self, Found};
use crate::geo::Places;
use crate::ner::{sentences_by_line, Tagger};
use crate::sentences::split_sentences;
use crate::tokenizer::{tokenize, Token};
use crate::topics::TopicModel;

/// The entity model trained by `newsflow nlp train-ner`, built into the
/// binary so that every role of the one image has it.
const NER_MODEL: &[u8] = include_bytes!("../../../models/ner-conll2003.bin");

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
const PLACES_TSV: &str = include_str!("../../../models/gazetteer/places.tsv");
const NATIONALITIES_TSV: &str = include_str!("../../../models/gazetteer/nationalities.tsv");

/// Enriches raw articles. Cheap to share between threads; build one at
/// start-up: it owns the loaded models.
#[derive(Debug, Default)]
pub struct Annotator {
    ner: Option<(Tagger, String)>,
    abbreviations: entities::Abbreviations,
    places: Places,
    topics: Option<(TopicModel, String)>,
}

impl Annotator {
    /// An annotator without models: language and text statistics only.
    pub fn new() -> Self {
        Annotator::default()
    }

    /// An annotator with the models shipped in `models/`.
    pub fn with_default_models() -> Result<Self, String> {
        let gazetteer = crate::gazetteer::Gazetteer::from_tsv(GAZETTEER_TSV);
        let tagger = Tagger::from_bytes(NER_MODEL, gazetteer)
            .map_err(|e| format!("loading the built-in NER model: {e}"))?;
        let mut annotator = Self::new().with_ner(tagger, model_version("ner-conll2003", NER_MODEL));
        annotator.abbreviations = entities::abbreviations_from_tsv(ORG_ABBREVIATIONS_TSV);
        annotator.places = Places::from_tsv(PLACES_TSV, NATIONALITIES_TSV);
        let topics = TopicModel::from_bytes(TOPIC_MODEL)
            .map_err(|e| format!("loading the built-in topic model: {e}"))?;
        annotator.topics = Some((topics, model_version("topics-iptc", TOPIC_MODEL)));
        Ok(annotator)
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
                let mut entities =
                    find_entities(tagger, &self.abbreviations, &Joined::new(title, body));
                self.places.link(&mut entities);
                entities
            }
            None => Vec::new(),
        }
    }

    /// Analyses one article. `source` is where it was read from, for
    /// provenance.
    pub fn annotate(&self, raw: RawArticle, source: Option<SourcePosition>) -> EnrichedArticle {
        let joined = Joined::new(&raw.title, &raw.body);
        let characters = joined.title_chars + raw.body.chars().count();

        let sample = language_sample(&raw.title, &raw.body);
        let language = detect_language(&sample);
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
        let english = language.code == "en" || language.code == "und";
        let language_code = language.code.clone();
        let mut enriched = EnrichedArticle::from_raw(raw, language, provenance);
        enriched.stats = TextStats {
            title_tokens: joined.title_tokens,
            body_tokens: joined.tokens.len() - joined.title_tokens,
            sentences: joined.body_sentences.len() + usize::from(joined.title_tokens > 0),
            characters,
        };
        match &self.ner {
            Some(_) if !english => {
                enriched.analysis_skipped = Some(format!(
                    "language {language_code}: the entity model covers English only"
                ));
            }
            Some((tagger, _)) => {
                enriched.entities = find_entities(tagger, &self.abbreviations, &joined);
                self.places.link(&mut enriched.entities);
            }
            None => {}
        }
        if english {
            let published = enriched
                .published_at
                .as_deref()
                .and_then(|p| chrono::DateTime::parse_from_rfc3339(p).ok())
                .map(|p| p.date_naive());
            enriched.dates = find_date_mentions(&joined, published);
            enriched.keywords = find_keywords(&joined);
            let (score, label) = crate::tone::tone(&joined.text, &joined.tokens);
            enriched.tone = Some(newsflow_core::Tone {
                score,
                label: Some(label.to_string()),
            });
            if let Some((model, _)) = &self.topics {
                enriched.topics = model
                    .classify(&enriched.title, &enriched.body)
                    .into_iter()
                    .map(|t| newsflow_core::Topic {
                        id: t.id,
                        label: t.label,
                        score: (t.score * 1e4).round() / 1e4,
                    })
                    .collect();
            }
            enriched.entities.extend(date_entities(&enriched.dates));
        }
        // Odd input (a page of capitalised words or of dates) must not make
        // a record larger than a broker takes.
        enriched.bound(RecordBounds::default());
        enriched
    }
}

/// Title and body as one text, `title\nbody`, tokenised and split into
/// sentences once for every analysis: the tagger reads the whole article
/// (the title benefits from the body's context), and spans are mapped back
/// to their field afterwards.
struct Joined {
    text: String,
    tokens: Vec<Token>,
    /// Sentences with every line break ending one (the tagger's view).
    sentences: Vec<Range<usize>>,
    /// The body's sentences, as index ranges into `tokens[title_tokens..]`.
    body_sentences: Vec<Range<usize>>,
    title_chars: usize,
    /// `tokens[..title_tokens]` are the title's.
    title_tokens: usize,
    /// End of the lead (the body's first two sentences), in body code points.
    lead_end: usize,
}

impl Joined {
    fn new(title: &str, body: &str) -> Self {
        let text = format!("{title}\n{body}");
        let tokens = tokenize(&text);
        let title_chars = title.chars().count();
        let title_tokens = tokens.iter().take_while(|t| t.end <= title_chars).count();
        let sentences = sentences_by_line(&text, &tokens);
        let body_tokens = &tokens[title_tokens..];
        let body_sentences = split_sentences(&text, body_tokens);
        let lead_end = body_sentences
            .get(1)
            .or(body_sentences.first())
            .map_or(0, |r| body_tokens[r.end - 1].end - title_chars - 1);
        Joined {
            text,
            tokens,
            sentences,
            body_sentences,
            title_chars,
            title_tokens,
            lead_end,
        }
    }

    /// The field a span of the joined text lies in, and its start there;
    /// `None` for a span across the line break between them.
    fn locate(&self, start: usize, end: usize) -> Option<(MentionField, usize)> {
        if end <= self.title_chars {
            Some((MentionField::Title, start))
        } else if start > self.title_chars {
            Some((MentionField::Body, start - self.title_chars - 1))
        } else {
            None
        }
    }
}

fn find_entities(
    tagger: &Tagger,
    abbreviations: &entities::Abbreviations,
    joined: &Joined,
) -> Vec<newsflow_core::Entity> {
    let chars: Vec<char> = joined.text.chars().collect();
    let found = tagger
        .spans_in(&joined.text, &joined.tokens, &joined.sentences)
        .into_iter()
        .filter_map(|span| {
            let mention_text: String = chars.get(span.start..span.end)?.iter().collect();
            let (field, start) = joined.locate(span.start, span.end)?;
            let weight = match field {
                MentionField::Title => 3.0,
                MentionField::Body if start < joined.lead_end => 2.0,
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
    entities::build(found, abbreviations)
}

/// The ten best key phrases of title and body together.
fn find_keywords(joined: &Joined) -> Vec<newsflow_core::Keyword> {
    crate::keywords::keywords(&joined.text, &joined.tokens, &joined.sentences, 10)
        .into_iter()
        .map(|(text, score)| newsflow_core::Keyword { text, score })
        .collect()
}

/// Dates of the title, then of the body; an expression never spans both.
fn find_date_mentions(joined: &Joined, published: Option<chrono::NaiveDate>) -> Vec<DateMention> {
    let (title, body) = joined.tokens.split_at(joined.title_tokens);
    let mut out = Vec::new();
    for tokens in [title, body] {
        for d in crate::dates::find_dates(&joined.text, tokens, published) {
            let Some((field, start)) = joined.locate(d.start, d.end) else {
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

/// `name@xxxxxxxx`: the model's name and a hash of its bytes, so records
/// say exactly which model produced them.
fn model_version(name: &str, bytes: &[u8]) -> String {
    format!("{name}@{:08x}", crate::hash::fnv1a(bytes) >> 32)
}

/// Title plus the start of the body: enough for a reliable guess, and it
/// bounds the cost on very long articles.
fn language_sample(title: &str, body: &str) -> String {
    const SAMPLE_BYTES: usize = 400;
    let mut end = body.len().min(SAMPLE_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{title}\n{}", &body[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

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
            .contains("English only"));
    }
}

//! Validation of records read from a topic. Every way a record can be bad
//! maps to a [`DeadLetterReason`], whose stable name the dead-letter
//! headers carry so that operators can count and filter failures.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{DeadLetterReason, EnrichedArticle, RawArticle, ENRICHED_SCHEMA, RAW_SCHEMA};

/// A record that cannot be processed, with a message for a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RecordError {
    /// Why, as the dead-letter header names it.
    pub kind: DeadLetterReason,
    /// What is wrong, for a person.
    pub message: String,
}

impl RecordError {
    /// An error of `kind` saying `message`.
    pub fn new(kind: DeadLetterReason, message: impl Into<String>) -> Self {
        RecordError {
            kind,
            message: message.into(),
        }
    }
}

/// Decodes and validates a RawArticle. Records larger than `max_bytes` are
/// rejected before parsing. A missing `schema`, `id` or `ingested_at` is
/// filled in (records from other producers may lack them); a wrong `schema`
/// is an error.
pub fn decode_raw(bytes: &[u8], max_bytes: usize) -> Result<RawArticle, RecordError> {
    let text = checked_text(bytes, max_bytes)?;
    let mut article = match serde_json::from_str::<RawArticle>(text) {
        Ok(article) if article.schema == RAW_SCHEMA => article,
        _ => raw_by_object(text)?,
    };
    if let Some(published) = &article.published_at {
        check_timestamp("published_at", published)?;
    }
    // The schemas make `meta` an object; passed through as anything else,
    // it would make the enriched record invalid downstream.
    if let Some(meta) = article.meta.as_ref().filter(|m| !m.is_object()) {
        return Err(RecordError::new(
            DeadLetterReason::InvalidField,
            format!("field `meta` must be an object, found {}", kind_of(meta)),
        ));
    }
    article.fill_defaults();
    Ok(article)
}

/// The checks of [`decode_raw`] field by field, over a parsed object, so
/// that a record the typed parse refuses is told exactly what is wrong.
fn raw_by_object(text: &str) -> Result<RawArticle, RecordError> {
    let object = decode_object(text)?;
    check_schema(&object, RAW_SCHEMA, true)?;
    for field in ["title", "body"] {
        require_string(&object, field)?;
    }
    from_object(object)
}

/// Decodes and validates an EnrichedArticle, as sinks read them.
pub fn decode_enriched(bytes: &[u8], max_bytes: usize) -> Result<EnrichedArticle, RecordError> {
    let text = checked_text(bytes, max_bytes)?;
    let article = match serde_json::from_str::<EnrichedArticle>(text) {
        Ok(article) if article.schema == ENRICHED_SCHEMA => article,
        _ => enriched_by_object(text)?,
    };
    if article.id.trim().is_empty() {
        return Err(RecordError::new(
            DeadLetterReason::InvalidField,
            "field `id` is empty",
        ));
    }
    Ok(article)
}

/// The checks of [`decode_enriched`] field by field, as [`raw_by_object`].
fn enriched_by_object(text: &str) -> Result<EnrichedArticle, RecordError> {
    let object = decode_object(text)?;
    check_schema(&object, ENRICHED_SCHEMA, false)?;
    for field in ["id", "title", "body", "ingested_at"] {
        require_string(&object, field)?;
    }
    from_object(object)
}

type Object = serde_json::Map<String, Value>;

/// The record as text, once its size and encoding are known good. Records
/// are parsed straight into their type (one pass, no intermediate tree);
/// only a record that parse refuses is read again as a JSON object, to name
/// what is wrong with it.
fn checked_text(bytes: &[u8], max_bytes: usize) -> Result<&str, RecordError> {
    if bytes.len() > max_bytes {
        return Err(RecordError::new(
            DeadLetterReason::TooLarge,
            format!(
                "record is {} bytes, more than the limit of {max_bytes} bytes",
                bytes.len()
            ),
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        RecordError::new(
            DeadLetterReason::InvalidUtf8,
            format!("record is not valid UTF-8: {e}"),
        )
    })
}

fn decode_object(text: &str) -> Result<Object, RecordError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(RecordError::new(
            DeadLetterReason::InvalidJson,
            format!(
                "record is JSON but not an object (found {})",
                kind_of(&other)
            ),
        )),
        Err(e) => Err(RecordError::new(
            DeadLetterReason::InvalidJson,
            format!("record is not valid JSON: {e}"),
        )),
    }
}

fn check_schema(object: &Object, expected: &str, may_be_absent: bool) -> Result<(), RecordError> {
    match object.get("schema") {
        None if may_be_absent => Ok(()),
        None => Err(RecordError::new(
            DeadLetterReason::MissingField,
            format!("field `schema` is missing; expected \"{expected}\""),
        )),
        Some(Value::String(s)) if s == expected => Ok(()),
        Some(other) => Err(RecordError::new(
            DeadLetterReason::WrongSchema,
            format!("field `schema` is {other}; expected \"{expected}\""),
        )),
    }
}

fn require_string(object: &Object, field: &str) -> Result<(), RecordError> {
    match object.get(field) {
        Some(Value::String(_)) => Ok(()),
        None | Some(Value::Null) => Err(RecordError::new(
            DeadLetterReason::MissingField,
            format!("field `{field}` is missing"),
        )),
        Some(other) => Err(RecordError::new(
            DeadLetterReason::InvalidField,
            format!("field `{field}` must be a string, found {}", kind_of(other)),
        )),
    }
}

fn check_timestamp(field: &str, value: &str) -> Result<(), RecordError> {
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|_| ())
        .map_err(|e| {
            RecordError::new(
                DeadLetterReason::InvalidField,
                format!("field `{field}` is not an RFC 3339 timestamp ({value:?}): {e}"),
            )
        })
}

fn from_object<T: DeserializeOwned>(object: Object) -> Result<T, RecordError> {
    serde_json::from_value(Value::Object(object)).map_err(|e| {
        RecordError::new(
            DeadLetterReason::InvalidField,
            format!("record does not match the schema: {e}"),
        )
    })
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 1 << 20;

    fn kind(bytes: &[u8]) -> DeadLetterReason {
        decode_raw(bytes, LIMIT).unwrap_err().kind
    }

    #[test]
    fn accepts_minimal_record_and_fills_defaults() {
        let a = decode_raw(br#"{"title":"T","body":"B","x":1}"#, LIMIT).unwrap();
        assert_eq!(a.schema, RAW_SCHEMA);
        assert_eq!(a.id.len(), 32);
        assert!(!a.ingested_at.is_empty());
        assert_eq!(a.extra.get("x"), Some(&Value::from(1)));
    }

    #[test]
    fn names_each_kind_of_bad_input() {
        assert_eq!(kind(b"{not json"), DeadLetterReason::InvalidJson);
        assert_eq!(kind(b"[1,2]"), DeadLetterReason::InvalidJson);
        assert_eq!(kind(b"{\"title\":\"\xff\"}"), DeadLetterReason::InvalidUtf8);
        assert_eq!(kind(br#"{"title":"T"}"#), DeadLetterReason::MissingField);
        assert_eq!(
            kind(br#"{"title":"T","body":3}"#),
            DeadLetterReason::InvalidField
        );
        assert_eq!(
            kind(br#"{"schema":"newsflow.raw/9","title":"T","body":"B"}"#),
            DeadLetterReason::WrongSchema
        );
        assert_eq!(
            kind(br#"{"title":"T","body":"B","published_at":"yesterday"}"#),
            DeadLetterReason::InvalidField
        );
        for meta in ["\"rss\"", "[1]", "2"] {
            let record = format!(r#"{{"title":"T","body":"B","meta":{meta}}}"#);
            let error = decode_raw(record.as_bytes(), LIMIT).unwrap_err();
            assert_eq!(error.kind, DeadLetterReason::InvalidField, "{meta}");
            assert!(
                error.message.contains("`meta` must be an object"),
                "{error:?}"
            );
        }
        assert!(decode_raw(br#"{"title":"T","body":"B","meta":null}"#, LIMIT).is_ok());
        let big = format!(r#"{{"title":"T","body":"{}"}}"#, "a".repeat(LIMIT));
        assert_eq!(kind(big.as_bytes()), DeadLetterReason::TooLarge);
    }

    #[test]
    fn the_typed_parse_reads_what_the_object_checks_read() {
        let raw = br#"{"schema":"newsflow.raw/1","id":"a1","title":"T","body":"B",
            "published_at":"2026-01-02T03:04:05Z","language":"en","ingested_at":"2026-01-02T03:04:06Z",
            "meta":{"feed":[1,2.5,null]},"x":{"y":true}}"#;
        let text = std::str::from_utf8(raw).unwrap();
        let mut by_object = raw_by_object(text).unwrap();
        by_object.fill_defaults();
        assert_eq!(decode_raw(raw, LIMIT).unwrap(), by_object);
        assert_eq!(
            by_object.extra.get("x"),
            Some(&serde_json::json!({"y": true}))
        );

        let enriched = enriched_from(by_object);
        let bytes = serde_json::to_vec(&enriched).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        assert_eq!(decode_enriched(&bytes, LIMIT).unwrap(), enriched);
        assert_eq!(enriched_by_object(text).unwrap(), enriched);
    }

    fn enriched_from(raw: RawArticle) -> EnrichedArticle {
        EnrichedArticle::from_raw(
            raw,
            crate::LanguageGuess {
                code: "en".into(),
                confidence: 1.0,
                declared: None,
                detected: None,
            },
            crate::Provenance {
                pipeline: "newsflow test".into(),
                models: Default::default(),
                source: None,
                enriched_at: "2026-01-02T03:04:07Z".into(),
            },
        )
    }

    #[test]
    fn a_raw_field_named_like_an_analysis_field_is_kept_in_meta() {
        // A feed's own keywords and topics: before, the record carried two
        // `keywords` keys and the sinks dead-lettered it.
        let raw = decode_raw(
            br#"{"id":"a1","title":"T","body":"B","meta":{"feed":"f","topics":1},
                "topics":["markets"],"keywords":"a, b","story":null,"x":2}"#,
            LIMIT,
        )
        .unwrap();
        let enriched = enriched_from(raw);
        assert_eq!(
            enriched.meta,
            Some(
                serde_json::json!({"feed": "f", "topics": 1, "topics_2": ["markets"],
                "keywords": "a, b", "story": null})
            )
        );
        assert_eq!(
            enriched.extra,
            serde_json::json!({"x": 2}).as_object().cloned().unwrap()
        );
        let bytes = serde_json::to_vec(&enriched).unwrap();
        assert_eq!(decode_enriched(&bytes, LIMIT).unwrap(), enriched);

        // a `meta` that is not an object (only a caller's own, as decoding
        // refuses it) is kept beside them
        let mut raw = decode_raw(br#"{"title":"T","body":"B","tone":0.5}"#, LIMIT).unwrap();
        raw.meta = Some(serde_json::json!("m"));
        assert_eq!(
            enriched_from(raw).meta,
            Some(serde_json::json!({"meta": "m", "tone": 0.5}))
        );
    }

    #[test]
    fn analysis_fields_name_every_field_a_raw_record_lacks() {
        let mut raw = RawArticle::new("T", "B");
        raw.url = Some("u".into());
        raw.source = Some("s".into());
        raw.published_at = Some("2026-01-02T03:04:05Z".into());
        raw.language = Some("en".into());
        raw.meta = Some(serde_json::json!({}));
        let raw_keys: Vec<String> = match serde_json::to_value(&raw).unwrap() {
            Value::Object(object) => object.keys().cloned().collect(),
            other => panic!("{other}"),
        };
        let mut enriched = enriched_from(raw);
        enriched.tone = Some(crate::Tone {
            score: 0.0,
            label: None,
        });
        enriched.analysis_skipped = Some("why".into());
        enriched.truncated = Some(crate::Truncated::default());
        enriched.story = Some(crate::Story {
            id: "a".into(),
            kind: crate::StoryKind::Original,
            duplicate_of: None,
            similarity: 0.0,
        });
        let Value::Object(record) = serde_json::to_value(&enriched).unwrap() else {
            panic!("not an object");
        };
        for key in record.keys() {
            assert!(
                raw_keys.contains(key) || crate::ANALYSIS_FIELDS.contains(&key.as_str()),
                "`{key}` is in neither the raw record nor ANALYSIS_FIELDS"
            );
        }
        for name in crate::ANALYSIS_FIELDS {
            assert!(record.contains_key(name), "{name}");
            assert!(!raw_keys.iter().any(|k| k == name), "{name}");
        }
    }

    #[test]
    fn records_the_typed_parse_refuses_get_the_object_checks_reason() {
        // a wrong or empty schema parses as a string, and is still refused
        for (record, reason) in [
            (
                &br#"{"schema":"","title":"T","body":"B"}"#[..],
                DeadLetterReason::WrongSchema,
            ),
            (
                br#"{"schema":null,"title":"T","body":"B"}"#,
                DeadLetterReason::WrongSchema,
            ),
            (
                br#"{"title":null,"body":"B"}"#,
                DeadLetterReason::MissingField,
            ),
            (
                br#"{"title":"T","body":"B","language":7}"#,
                DeadLetterReason::InvalidField,
            ),
        ] {
            assert_eq!(kind(record), reason, "{}", String::from_utf8_lossy(record));
        }
        let wrong =
            br#"{"schema":"newsflow.raw/1","id":"a","title":"T","body":"B","ingested_at":"t"}"#;
        let err = decode_enriched(wrong, LIMIT).unwrap_err();
        assert_eq!(err.kind, DeadLetterReason::WrongSchema);
        assert!(
            err.message.contains("newsflow.enriched/1"),
            "{}",
            err.message
        );
    }

    #[test]
    fn enriched_requires_its_schema() {
        let err = decode_enriched(br#"{"title":"T","body":"B"}"#, LIMIT).unwrap_err();
        assert_eq!(err.kind, DeadLetterReason::MissingField);
    }
}

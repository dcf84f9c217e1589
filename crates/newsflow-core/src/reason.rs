//! Why a record went to the dead-letter topic. The names are a contract:
//! operators filter dead letters on the `newsflow.error.kind` header and
//! count them by it, so a name never changes once released.

use std::fmt;
use std::str::FromStr;

/// Every reason a stage dead-letters a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeadLetterReason {
    /// The input record is larger than the stage accepts.
    TooLarge,
    /// The input is not UTF-8.
    InvalidUtf8,
    /// The input is not a JSON object.
    InvalidJson,
    /// The input's `schema` names another record type or version.
    WrongSchema,
    /// A required field is absent.
    MissingField,
    /// A field has the wrong type or an unusable value.
    InvalidField,
    /// The enriched record cannot be bounded to the output's size limit.
    OutputTooLarge,
    /// The output could not be serialised.
    Serialize,
    /// The broker refused the output record itself.
    ProduceRejected,
    /// PostgreSQL refused the row (a constraint, say).
    DatabaseRefused,
    /// The record holds text PostgreSQL cannot store (a NUL character).
    UnstorableText,
    /// Processing the record panicked.
    Panic,
    /// The broker never handed the offset over; skipped under
    /// `--skip-unreadable`.
    Unreadable,
}

impl DeadLetterReason {
    /// All reasons, in declaration order.
    pub const ALL: [DeadLetterReason; 13] = [
        DeadLetterReason::TooLarge,
        DeadLetterReason::InvalidUtf8,
        DeadLetterReason::InvalidJson,
        DeadLetterReason::WrongSchema,
        DeadLetterReason::MissingField,
        DeadLetterReason::InvalidField,
        DeadLetterReason::OutputTooLarge,
        DeadLetterReason::Serialize,
        DeadLetterReason::ProduceRejected,
        DeadLetterReason::DatabaseRefused,
        DeadLetterReason::UnstorableText,
        DeadLetterReason::Panic,
        DeadLetterReason::Unreadable,
    ];

    /// The stable name carried by the `newsflow.error.kind` header.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadLetterReason::TooLarge => "too_large",
            DeadLetterReason::InvalidUtf8 => "invalid_utf8",
            DeadLetterReason::InvalidJson => "invalid_json",
            DeadLetterReason::WrongSchema => "wrong_schema",
            DeadLetterReason::MissingField => "missing_field",
            DeadLetterReason::InvalidField => "invalid_field",
            DeadLetterReason::OutputTooLarge => "output_too_large",
            DeadLetterReason::Serialize => "serialize",
            DeadLetterReason::ProduceRejected => "produce_rejected",
            DeadLetterReason::DatabaseRefused => "database_refused",
            DeadLetterReason::UnstorableText => "unstorable_text",
            DeadLetterReason::Panic => "panic",
            DeadLetterReason::Unreadable => "unreadable",
        }
    }
}

impl fmt::Display for DeadLetterReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A header value that names no reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown dead-letter reason {0:?}")]
pub struct UnknownReason(pub String);

impl FromStr for DeadLetterReason {
    type Err = UnknownReason;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        DeadLetterReason::ALL
            .into_iter()
            .find(|r| r.as_str() == name)
            .ok_or_else(|| UnknownReason(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header values as released; a change here breaks every
    /// operator's filters.
    #[test]
    fn names_are_the_released_header_values() {
        let names: Vec<&str> = DeadLetterReason::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            names,
            [
                "too_large",
                "invalid_utf8",
                "invalid_json",
                "wrong_schema",
                "missing_field",
                "invalid_field",
                "output_too_large",
                "serialize",
                "produce_rejected",
                "database_refused",
                "unstorable_text",
                "panic",
                "unreadable",
            ]
        );
    }

    #[test]
    fn the_operations_guide_explains_every_reason() {
        let doc = include_str!("../../../docs/operate.md");
        let documented: Vec<&str> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .filter(|name| name.parse::<DeadLetterReason>().is_ok())
            .collect();
        let names: Vec<&str> = DeadLetterReason::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(documented, names, "docs/operate.md#dead-letters");
    }

    #[test]
    fn every_name_reads_back_as_its_reason() {
        for reason in DeadLetterReason::ALL {
            assert_eq!(reason.as_str().parse::<DeadLetterReason>(), Ok(reason));
            assert_eq!(reason.to_string(), reason.as_str());
        }
        assert_eq!(
            "invalid-json".parse::<DeadLetterReason>(),
            Err(UnknownReason("invalid-json".into()))
        );
    }
}

//! The repository's JSON Schemas, for validating records.

use crate::*;

/// Validates JSON against one of the repository's schemas.
pub struct Schemas {
    raw: jsonschema::Validator,
    enriched: jsonschema::Validator,
}

impl Schemas {
    pub fn load() -> Self {
        let load = |name: &str| {
            let path = repo_root().join("schemas").join(name);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
            jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .expect("schema compiles")
        };
        Schemas {
            raw: load("raw.schema.json"),
            enriched: load("enriched.schema.json"),
        }
    }

    pub fn assert_raw(&self, value: &serde_json::Value) {
        let errors: Vec<String> = self.raw.iter_errors(value).map(|e| e.to_string()).collect();
        assert!(
            errors.is_empty(),
            "not a valid RawArticle: {errors:?}\n{value}"
        );
    }

    pub fn assert_enriched(&self, value: &serde_json::Value) {
        let errors: Vec<String> = self
            .enriched
            .iter_errors(value)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "not a valid EnrichedArticle: {errors:?}\n{value}"
        );
    }
}

//! The TOML config file (`--config FILE` or `NEWSFLOW_CONFIG`).
//!
//! Every option already reads a `NEWSFLOW_*` variable, so the file is
//! applied as variables: each of its settings becomes the variable of the
//! same name, unless the environment already sets it. clap then reads flag,
//! else variable, else default, which gives flag > environment > file >
//! default without a second set of rules.
//!
//! ```toml
//! brokers = "kafka-1:9092,kafka-2:9092"   # NEWSFLOW_BROKERS, every command
//! log_format = "json"
//!
//! [enrich]                                # only for `newsflow enrich`
//! group = "newsflow-enrich"
//!
//! [sink]
//! group = "newsflow-pg"
//! sink_to = "postgres://newsflow@db/news"
//!
//! [replay]
//! replay_group = "backfill-2026-11"       # NEWSFLOW_REPLAY_GROUP
//!
//! [librdkafka]                            # like -X, before the command line's
//! "security.protocol" = "SASL_SSL"
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Context as _;
use clap::CommandFactory;

use crate::Cli;

/// Tables for one command each.
const COMMANDS: &[&str] = &["produce", "enrich", "sink", "replay", "annotate", "demo"];

/// What a config file asks for, for one command.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FileConfig {
    /// `NEWSFLOW_*` variable → value.
    pub variables: BTreeMap<String, String>,
    /// librdkafka properties, to go before the command line's `-X`.
    pub properties: Vec<(String, String)>,
}

/// The variables the options of `command` read (global options
/// included); every command's when `command` is `None`. `NEWSFLOW_LOG`,
/// the log filter, is read at start by every command.
pub fn known_variables(command: Option<&str>) -> BTreeSet<String> {
    fn walk(command: &clap::Command, only: Option<&str>, into: &mut BTreeSet<String>) {
        for arg in command.get_arguments() {
            if let Some(env) = arg.get_env() {
                into.insert(env.to_string_lossy().into_owned());
            }
        }
        for sub in command.get_subcommands() {
            if only.is_none_or(|name| sub.get_name() == name) {
                walk(sub, None, into);
            }
        }
    }
    let mut known = BTreeSet::from([crate::logging::FILTER_VARIABLE.to_string()]);
    walk(&Cli::command(), command, &mut known);
    known
}

/// Reads `text` for `command` (the subcommand being run): the top-level
/// settings, then the command's table over them.
pub fn parse(text: &str, command: &str) -> anyhow::Result<FileConfig> {
    let table: toml::Table = text.parse().context("not valid TOML")?;
    let known = known_variables(None);
    let mut config = FileConfig::default();
    let mut commands: Vec<(&str, &toml::Table)> = Vec::new();
    for (key, value) in &table {
        match value {
            toml::Value::Table(inner) if key == "librdkafka" => {
                for (property, value) in inner {
                    config
                        .properties
                        .push((property.clone(), scalar(value, property)?));
                }
            }
            toml::Value::Table(inner) if COMMANDS.contains(&key.as_str()) => {
                commands.push((key, inner));
            }
            toml::Value::Table(_) => {
                anyhow::bail!("unknown table [{key}]: expected [librdkafka] or one of {COMMANDS:?}")
            }
            value => {
                let variable = variable(key, &known)?;
                config.variables.insert(variable, scalar(value, key)?);
            }
        }
    }
    for (name, inner) in commands {
        let known = known_variables(Some(name));
        for (key, value) in inner {
            let variable = variable(key, &known).with_context(|| format!("in [{name}]"))?;
            if name == command {
                config.variables.insert(variable, scalar(value, key)?);
            }
        }
    }
    Ok(config)
}

/// `sink_to` → `NEWSFLOW_SINK_TO`, if an option reads it.
fn variable(key: &str, known: &BTreeSet<String>) -> anyhow::Result<String> {
    let variable = format!("NEWSFLOW_{}", key.to_ascii_uppercase().replace('-', "_"));
    if known.contains(&variable) {
        return Ok(variable);
    }
    let names: Vec<String> = known
        .iter()
        .filter_map(|v| v.strip_prefix("NEWSFLOW_"))
        .map(str::to_ascii_lowercase)
        .collect();
    anyhow::bail!(
        "unknown setting `{key}`; settings are the NEWSFLOW_* variables without the prefix: {}",
        names.join(", ")
    )
}

fn scalar(value: &toml::Value, key: &str) -> anyhow::Result<String> {
    match value {
        toml::Value::String(s) => Ok(s.clone()),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Float(f) => Ok(f.to_string()),
        toml::Value::Boolean(b) => Ok(b.to_string()),
        _ => anyhow::bail!("`{key}` must be a string, number or boolean"),
    }
}

/// Loads `path` for `command` and sets each variable the environment does
/// not set already. Call before any thread starts (it changes the
/// environment) and before the command line is parsed for real.
pub fn apply(path: &Path, command: &str) -> anyhow::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the config file {}", path.display()))?;
    let config =
        parse(&text, command).with_context(|| format!("in the config file {}", path.display()))?;
    for (variable, value) in config.variables {
        if std::env::var_os(&variable).is_none() {
            std::env::set_var(variable, value);
        }
    }
    Ok(config.properties)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
brokers = "a:9092"
partitions = 3
no_create_topic = true

[enrich]
group = "from-enrich"

[sink]
group = "from-sink"
sink_to = "postgres://db/news"

[librdkafka]
"security.protocol" = "SASL_SSL"
"#;

    #[test]
    fn top_level_settings_and_the_commands_own_table_apply() {
        let enrich = parse(FILE, "enrich").unwrap();
        assert_eq!(
            enrich.variables,
            BTreeMap::from([
                ("NEWSFLOW_BROKERS".to_string(), "a:9092".to_string()),
                ("NEWSFLOW_PARTITIONS".to_string(), "3".to_string()),
                ("NEWSFLOW_NO_CREATE_TOPIC".to_string(), "true".to_string()),
                ("NEWSFLOW_GROUP".to_string(), "from-enrich".to_string()),
            ])
        );
        let sink = parse(FILE, "sink").unwrap();
        assert_eq!(sink.variables["NEWSFLOW_GROUP"], "from-sink");
        assert_eq!(sink.variables["NEWSFLOW_SINK_TO"], "postgres://db/news");
        let log = parse("[sink]\nlog = \"debug\"", "sink").unwrap();
        assert_eq!(log.variables["NEWSFLOW_LOG"], "debug", "the log filter too");
        assert_eq!(
            sink.properties,
            [("security.protocol".to_string(), "SASL_SSL".to_string())]
        );
    }

    #[test]
    fn unknown_settings_and_tables_are_errors_that_say_what_is_known() {
        let e = parse("brokerz = \"x\"", "enrich").unwrap_err();
        assert!(
            format!("{e:#}").contains("unknown setting `brokerz`"),
            "{e:#}"
        );
        assert!(format!("{e:#}").contains("brokers"), "{e:#}");
        let e = parse("[sink]\ngrop = \"x\"", "enrich").unwrap_err();
        assert!(format!("{e:#}").contains("in [sink]"), "{e:#}");
        let e = parse("[replay]\ngroup = \"x\"", "replay").unwrap_err();
        assert!(
            format!("{e:#}").contains("replay_group"),
            "only replay's own: {e:#}"
        );
        let e = parse("[kafka]\nx = 1", "enrich").unwrap_err();
        assert!(format!("{e:#}").contains("unknown table [kafka]"), "{e:#}");
        assert!(parse("brokers = [1]", "enrich").is_err());
        assert!(parse("not toml", "enrich").is_err());
    }
}

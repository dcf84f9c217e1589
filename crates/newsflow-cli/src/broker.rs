//! The broker options: one struct, flattened into each command that talks
//! to Kafka (`newsflow replay -b HOST`, as kcat puts them), so that offline
//! commands neither show nor accept them.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use newsflow_kafka::KafkaConfig;
use newsflow_kafka::{Sasl, SaslMechanism, Security};

#[derive(Debug, Args)]
#[command(next_help_heading = "Broker")]
pub struct BrokerArgs {
    /// Kafka bootstrap servers (host:port, comma-separated).
    #[arg(
        short = 'b',
        long,
        env = "NEWSFLOW_BROKERS",
        default_value = "127.0.0.1:9092"
    )]
    pub brokers: String,
    /// Any librdkafka property, applied after newsflow's defaults
    /// (repeatable): -X security.protocol=SASL_SSL
    #[arg(short = 'X', value_name = "KEY=VALUE", value_parser = KafkaConfig::parse_property)]
    pub properties: Vec<(String, String)>,
    /// Talk TLS to the brokers (implied by the other --tls-* options).
    #[arg(long, env = "NEWSFLOW_TLS")]
    pub tls: bool,
    /// CA certificate(s) to verify the brokers with (PEM file).
    #[arg(long, env = "NEWSFLOW_TLS_CA", value_name = "FILE")]
    pub tls_ca: Option<PathBuf>,
    /// Client certificate for mutual TLS (PEM file); needs --tls-key.
    #[arg(long, env = "NEWSFLOW_TLS_CERT", value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// Client private key for mutual TLS (PEM file).
    #[arg(long, env = "NEWSFLOW_TLS_KEY", value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// SASL mechanism; needs --sasl-username and --sasl-password.
    #[arg(
        long,
        env = "NEWSFLOW_SASL_MECHANISM",
        value_enum,
        requires_all = ["sasl_username", "sasl_password"]
    )]
    pub sasl_mechanism: Option<SaslArg>,
    #[arg(long, env = "NEWSFLOW_SASL_USERNAME")]
    pub sasl_username: Option<String>,
    /// Better given as NEWSFLOW_SASL_PASSWORD than on the command line,
    /// where other users of the machine can see it.
    #[arg(long, env = "NEWSFLOW_SASL_PASSWORD", hide_env_values = true)]
    pub sasl_password: Option<String>,
}

/// `--sasl-mechanism` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SaslArg {
    Plain,
    #[value(name = "scram-sha-256")]
    ScramSha256,
    #[value(name = "scram-sha-512")]
    ScramSha512,
}

impl BrokerArgs {
    pub fn config(&self) -> KafkaConfig {
        let sasl = match (
            self.sasl_mechanism,
            &self.sasl_username,
            &self.sasl_password,
        ) {
            (Some(mechanism), Some(username), Some(password)) => Some(Sasl {
                mechanism: match mechanism {
                    SaslArg::Plain => SaslMechanism::Plain,
                    SaslArg::ScramSha256 => SaslMechanism::ScramSha256,
                    SaslArg::ScramSha512 => SaslMechanism::ScramSha512,
                },
                username: username.clone(),
                password: password.clone(),
            }),
            _ => None,
        };
        KafkaConfig {
            brokers: self.brokers.clone(),
            security: Security {
                tls: self.tls,
                ca: self.tls_ca.clone(),
                cert: self.tls_cert.clone(),
                key: self.tls_key.clone(),
                sasl,
            },
            properties: self.properties.clone(),
        }
    }

    /// The checked configuration. With TLS or SASL set, the credentials
    /// are tried once, up front: a wrong password would otherwise look
    /// like brokers that never answer.
    pub async fn connect(&self) -> anyhow::Result<KafkaConfig> {
        let kafka = self.config();
        kafka.validate()?;
        if kafka.security != Security::default() {
            newsflow_kafka::check_connection(&kafka, Duration::from_secs(15)).await?;
        }
        Ok(kafka)
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use crate::Cli;

    /// The long options of the command at `path` (`["nlp", "eval-ner"]`).
    fn options(path: &[&str]) -> Vec<String> {
        let mut command = Cli::command();
        for name in path {
            command = command
                .find_subcommand(name)
                .unwrap_or_else(|| panic!("no command {name}"))
                .clone();
        }
        command
            .get_arguments()
            .filter_map(|a| a.get_long().map(str::to_owned))
            .collect()
    }

    #[test]
    fn only_commands_that_talk_to_kafka_take_broker_options() {
        let broker = ["brokers", "tls-ca", "sasl-password"];
        for path in [
            &["produce"][..],
            &["enrich"],
            &["sink"],
            &["replay"],
            &["bench", "pipeline"],
        ] {
            let have = options(path);
            for option in broker {
                assert!(
                    have.iter().any(|o| o == option),
                    "{path:?} lacks --{option}"
                );
            }
        }
        for path in [
            &["annotate"][..],
            &["demo"],
            &["bench", "annotate"],
            &["nlp", "eval-ner"],
            &["nlp", "train-topics"],
        ] {
            let have = options(path);
            for option in broker {
                assert!(
                    !have.iter().any(|o| o == option),
                    "{path:?} shows --{option}"
                );
            }
        }
    }

    #[test]
    fn broker_options_follow_the_command() {
        let parse = |args: &[&str]| Cli::try_parse_from([&["newsflow"][..], args].concat());
        assert!(parse(&["replay", "-b", "kafka-1:9092", "-X", "a=b"]).is_ok());
        assert!(parse(&["-b", "kafka-1:9092", "replay"]).is_err());
        assert!(parse(&["annotate", "a.txt", "-b", "kafka-1:9092"]).is_err());
        // The global options still go anywhere.
        assert!(parse(&["--log-format", "json", "replay", "--config", "f.toml"]).is_ok());
    }
}

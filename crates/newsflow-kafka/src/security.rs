//! Typed TLS and SASL options, mapped onto librdkafka's properties.
//!
//! The same can be said with `-X`; the typed options are the documented
//! way, and a `-X` that contradicts one of them is an error rather than a
//! silent override.

use std::fmt;
use std::path::PathBuf;

use crate::config::ConfigError;

/// SASL mechanisms librdkafka speaks without Kerberos.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaslMechanism {
    /// `PLAIN`: the password as it is, so only over TLS outside a test.
    Plain,
    /// `SCRAM-SHA-256`.
    ScramSha256,
    /// `SCRAM-SHA-512`.
    ScramSha512,
}

impl SaslMechanism {
    /// The name librdkafka and brokers use.
    pub fn property(self) -> &'static str {
        match self {
            SaslMechanism::Plain => "PLAIN",
            SaslMechanism::ScramSha256 => "SCRAM-SHA-256",
            SaslMechanism::ScramSha512 => "SCRAM-SHA-512",
        }
    }
}

/// How to reach the brokers safely: TLS and SASL.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Security {
    /// Use TLS (with the system's CAs unless `ca` is given).
    pub tls: bool,
    /// CA certificate(s) to verify the brokers with (PEM).
    pub ca: Option<PathBuf>,
    /// Client certificate for mutual TLS (PEM).
    pub cert: Option<PathBuf>,
    /// Its private key (PEM).
    pub key: Option<PathBuf>,
    /// SASL credentials.
    pub sasl: Option<Sasl>,
}

/// SASL credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Sasl {
    /// The mechanism.
    pub mechanism: SaslMechanism,
    /// The user.
    pub username: String,
    /// The password; never logged.
    pub password: String,
}

// Hand-written so that a password never reaches a log through `{:?}`.
impl fmt::Debug for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Security")
            .field("tls", &self.uses_tls())
            .field("ca", &self.ca)
            .field("cert", &self.cert)
            .field("key", &self.key)
            .field(
                "sasl",
                &self
                    .sasl
                    .as_ref()
                    .map(|s| (s.mechanism, &s.username, "<password>")),
            )
            .finish()
    }
}

impl Security {
    fn uses_tls(&self) -> bool {
        self.tls || self.ca.is_some() || self.cert.is_some() || self.key.is_some()
    }

    /// The librdkafka properties these options stand for, each with the
    /// option that sets it (for error messages).
    pub fn properties(&self) -> Vec<(&'static str, String, &'static str)> {
        let mut out = Vec::new();
        let protocol = match (self.uses_tls(), self.sasl.is_some()) {
            (false, false) => return out,
            (true, false) => "SSL",
            (false, true) => "SASL_PLAINTEXT",
            (true, true) => "SASL_SSL",
        };
        out.push((
            "security.protocol",
            protocol.to_string(),
            "--tls/--sasl-mechanism",
        ));
        let path = |p: &PathBuf| p.display().to_string();
        if let Some(ca) = &self.ca {
            out.push(("ssl.ca.location", path(ca), "--tls-ca"));
        }
        if let Some(cert) = &self.cert {
            out.push(("ssl.certificate.location", path(cert), "--tls-cert"));
        }
        if let Some(key) = &self.key {
            out.push(("ssl.key.location", path(key), "--tls-key"));
        }
        if let Some(sasl) = &self.sasl {
            out.push((
                "sasl.mechanism",
                sasl.mechanism.property().to_string(),
                "--sasl-mechanism",
            ));
            out.push(("sasl.username", sasl.username.clone(), "--sasl-username"));
            out.push(("sasl.password", sasl.password.clone(), "--sasl-password"));
        }
        out
    }

    /// Checks the options against each other and against the `-X`
    /// properties: a `-X` may repeat a typed option's value, not contradict
    /// it.
    pub fn validate(&self, passthrough: &[(String, String)]) -> Result<(), ConfigError> {
        if self.cert.is_some() != self.key.is_some() {
            return Err(ConfigError::HalfAKeyPair);
        }
        for (key, value, option) in self.properties() {
            // librdkafka takes `sasl.mechanisms` as an alias.
            let aliases: &[&str] = if key == "sasl.mechanism" {
                &["sasl.mechanism", "sasl.mechanisms"]
            } else {
                &[key]
            };
            for (given_key, given) in passthrough {
                if aliases.contains(&given_key.as_str()) && !given.eq_ignore_ascii_case(&value) {
                    let shown = if key == "sasl.password" {
                        "<password>".to_string()
                    } else {
                        value.clone()
                    };
                    return Err(ConfigError::Contradiction {
                        option,
                        key,
                        value: shown,
                        given_key: given_key.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scram() -> Security {
        Security {
            tls: false,
            ca: Some("/etc/ca.pem".into()),
            cert: None,
            key: None,
            sasl: Some(Sasl {
                mechanism: SaslMechanism::ScramSha512,
                username: "alice".into(),
                password: "pw-123".into(),
            }),
        }
    }

    #[test]
    fn typed_options_become_librdkafka_properties() {
        let props: Vec<(&str, String)> = scram()
            .properties()
            .into_iter()
            .map(|(k, v, _)| (k, v))
            .collect();
        assert_eq!(
            props,
            [
                ("security.protocol", "SASL_SSL".to_string()),
                ("ssl.ca.location", "/etc/ca.pem".to_string()),
                ("sasl.mechanism", "SCRAM-SHA-512".to_string()),
                ("sasl.username", "alice".to_string()),
                ("sasl.password", "pw-123".to_string()),
            ]
        );
        let plain = Security {
            sasl: Some(Sasl {
                mechanism: SaslMechanism::Plain,
                username: "u".into(),
                password: "p".into(),
            }),
            ..Security::default()
        };
        assert_eq!(plain.properties()[0].1, "SASL_PLAINTEXT");
        assert!(Security::default().properties().is_empty());
    }

    #[test]
    fn a_contradicting_passthrough_is_an_error_an_agreeing_one_is_not() {
        let x = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert!(scram()
            .validate(&x("sasl.mechanisms", "scram-sha-512"))
            .is_ok());
        let e = scram().validate(&x("sasl.mechanism", "PLAIN")).unwrap_err();
        assert!(
            matches!(
                &e,
                ConfigError::Contradiction {
                    option: "--sasl-mechanism",
                    ..
                }
            ),
            "{e:?}"
        );
        let text = e.to_string();
        assert!(
            text.contains("--sasl-mechanism") && text.contains("-X sasl.mechanism"),
            "{text}"
        );
        let e = scram()
            .validate(&x("sasl.password", "other"))
            .unwrap_err()
            .to_string();
        assert!(
            !e.contains("pw-123"),
            "the password stays out of messages: {e}"
        );
        let half = Security {
            cert: Some("c.pem".into()),
            ..Security::default()
        };
        assert_eq!(half.validate(&[]), Err(ConfigError::HalfAKeyPair));
    }

    #[test]
    fn debug_output_hides_the_password() {
        assert!(!format!("{:?}", scram()).contains("pw-123"));
    }
}

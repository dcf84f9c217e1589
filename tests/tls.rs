//! TLS to the brokers, end to end. Tansu 0.6.0 cannot serve TLS itself, so
//! the test puts a TLS-terminating proxy (a CA and a certificate for
//! 127.0.0.1 made here) in front of a Tansu that advertises the proxy's
//! port: every byte newsflow exchanges with the broker goes over TLS.

use std::pin::Pin;
use std::process::Command;
use std::time::{Duration, Instant};

use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::ssl::{Ssl, SslAcceptor, SslMethod};
use openssl::x509::extension::{BasicConstraints, SubjectAlternativeName};
use openssl::x509::{X509NameBuilder, X509};
use tokio::net::{TcpListener, TcpStream};
use tokio_openssl::SslStream;

use newsflow_tests::*;

fn key() -> PKey<Private> {
    PKey::from_rsa(Rsa::generate(2048).expect("RSA key")).expect("key")
}

/// A certificate for `cn`, signed by `issuer` (self-signed when `None`).
fn certificate(cn: &str, key: &PKey<Private>, issuer: Option<(&X509, &PKey<Private>)>) -> X509 {
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", cn).unwrap();
    let name = name.build();
    let mut cert = X509::builder().unwrap();
    cert.set_version(2).unwrap();
    cert.set_subject_name(&name).unwrap();
    cert.set_pubkey(key).unwrap();
    cert.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    cert.set_not_after(&Asn1Time::days_from_now(1).unwrap())
        .unwrap();
    match issuer {
        None => {
            cert.set_issuer_name(&name).unwrap();
            cert.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
                .unwrap();
            cert.sign(key, MessageDigest::sha256()).unwrap();
        }
        Some((ca, ca_key)) => {
            cert.set_issuer_name(ca.subject_name()).unwrap();
            let san = SubjectAlternativeName::new()
                .ip("127.0.0.1")
                .build(&cert.x509v3_context(Some(ca), None))
                .unwrap();
            cert.append_extension(san).unwrap();
            cert.sign(ca_key, MessageDigest::sha256()).unwrap();
        }
    }
    cert.build()
}

/// Accepts TLS on a free port and forwards the plain bytes to `target`.
async fn tls_proxy(acceptor: SslAcceptor, listener: TcpListener, target: u16) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        let Ok(ssl) = Ssl::new(acceptor.context()) else {
            continue;
        };
        tokio::spawn(async move {
            let Ok(mut tls) = SslStream::new(ssl, client) else {
                return;
            };
            if Pin::new(&mut tls).accept().await.is_err() {
                return;
            }
            let Ok(mut server) = TcpStream::connect(("127.0.0.1", target)).await else {
                return;
            };
            let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
        });
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn produces_over_tls_verified_against_the_ca() {
    let Some(tansu) = tansu_for_test() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (ca_key, server_key) = (key(), key());
    let ca = certificate("newsflow test CA", &ca_key, None);
    let server = certificate("127.0.0.1", &server_key, Some((&ca, &ca_key)));
    let other_ca = certificate("some other CA", &key(), None);
    let ca_file = dir.path().join("ca.pem");
    let other_ca_file = dir.path().join("other-ca.pem");
    std::fs::write(&ca_file, ca.to_pem().unwrap()).unwrap();
    std::fs::write(&other_ca_file, other_ca.to_pem().unwrap()).unwrap();

    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).unwrap();
    acceptor.set_private_key(&server_key).unwrap();
    acceptor.set_certificate(&server).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_port = listener.local_addr().unwrap().port();
    let broker_port = free_port();
    let _broker = start_tansu(&tansu, dir.path(), broker_port, proxy_port, &[]);
    tokio::spawn(tls_proxy(acceptor.build(), listener, broker_port));

    let article = dir.path().join("a.jsonl");
    std::fs::write(
        &article,
        "{\"id\": \"tls-1\", \"title\": \"T\", \"body\": \"B\"}\n",
    )
    .unwrap();
    let topic = unique("tls");
    let run = |ca: &std::path::Path| {
        let started = Instant::now();
        let output = Command::new(newsflow_bin())
            .args(["produce", "--topic", &topic, "--partitions", "1"])
            .arg(&article)
            .args(["-b", &format!("127.0.0.1:{proxy_port}"), "--tls-ca"])
            .arg(ca)
            .output()
            .expect("running newsflow");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
            started.elapsed(),
        )
    };
    let (code, stderr, _) = tokio::task::block_in_place(|| run(&ca_file));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("sent 1"), "{stderr}");

    let (code, stderr, took) = tokio::task::block_in_place(|| run(&other_ca_file));
    assert_eq!(
        code,
        Some(1),
        "a broker the CA does not vouch for: {stderr}"
    );
    assert!(stderr.contains("cannot use the brokers"), "{stderr}");
    assert!(took < Duration::from_secs(40), "{took:?}");
}

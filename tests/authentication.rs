//! SASL/SCRAM against a Tansu broker with authentication on (started here,
//! on its own port): the right credentials work, wrong ones fail at once
//! with a message that names the user and not the password, and a `-X`
//! that contradicts a typed option is refused.

use std::process::Command;
use std::time::{Duration, Instant};

use newsflow_tests::*;

const USER: &str = "alice";
const PASSWORD: &str = "s3cret-pw-7d2e";

fn newsflow(port: u16, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(newsflow_bin())
        .args(args)
        .arg("-b")
        .arg(format!("127.0.0.1:{port}"))
        .env_remove("NEWSFLOW_SASL_PASSWORD")
        .output()
        .expect("running newsflow");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

#[test]
fn scram_credentials_are_checked_and_never_shown() {
    let Some(tansu) = tansu_for_test() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    // Users are made while authentication is off, then the broker restarts
    // with it on (Tansu's own user command has to get in first).
    {
        let _open = start_tansu(&tansu, dir.path(), port, port, &[]);
        let status = Command::new(&tansu)
            .args([
                "user",
                "create",
                "--broker",
                &format!("tcp://127.0.0.1:{port}"),
            ])
            .args([USER, PASSWORD, "--mechanism", "scram512"])
            .status()
            .expect("tansu user create");
        assert!(status.success());
    }
    let _broker = start_tansu(&tansu, dir.path(), port, port, &["--authentication"]);

    let article = dir.path().join("a.jsonl");
    std::fs::write(
        &article,
        "{\"id\": \"s-1\", \"title\": \"T\", \"body\": \"B\"}\n",
    )
    .unwrap();
    let article = article.to_str().unwrap();
    let topic = unique("secure");
    let sasl = |password: &'static str| {
        vec![
            "--sasl-mechanism",
            "scram-sha-512",
            "--sasl-username",
            USER,
            "--sasl-password",
            password,
        ]
    };

    let mut right = vec!["produce", "--topic", &topic, "--partitions", "1", article];
    right.extend(sasl(PASSWORD));
    let (code, text) = newsflow(port, &right);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("sent 1"), "{text}");
    let mut plan = vec!["replay", "--input-topic", &topic, "--dry-run"];
    plan.extend(sasl(PASSWORD));
    let (code, text) = newsflow(port, &plan);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("total") && l.ends_with(" 1")),
        "{text}"
    );

    let started = Instant::now();
    let mut wrong = vec!["produce", "--topic", &topic, article];
    wrong.extend(sasl("not-the-password"));
    let (code, text) = newsflow(port, &wrong);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("cannot use the brokers"), "{text}");
    assert!(text.contains("as alice (SCRAM-SHA-512)"), "{text}");
    assert!(text.contains("credentials"), "{text}");
    assert!(!text.contains("not-the-password"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "fails within the check's time"
    );

    let mut conflict = vec!["produce", "--topic", &topic, article];
    conflict.extend(sasl(PASSWORD));
    conflict.extend(["-X", "sasl.mechanism=PLAIN"]);
    let (code, text) = newsflow(port, &conflict);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("--sasl-mechanism sets sasl.mechanism=SCRAM-SHA-512, but -X sasl.mechanism says otherwise"),
        "{text}"
    );
    for run in [&right, &plan, &conflict] {
        let (_, text) = newsflow(port, run);
        assert!(
            !text.contains(PASSWORD),
            "the password is never printed:\n{text}"
        );
    }
}

//! The config file against a real broker: flag > environment > file >
//! default, seen through `replay --dry-run`, which prints the group it
//! would use and reaches the broker named in the file.

use std::process::Command;

use newsflow_tests::*;

/// Runs newsflow with `args` and `env`, without the harness's `-b`: the
/// broker comes from the config file. Returns (exit code, stdout, stderr).
fn run(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut command = Command::new(newsflow_bin());
    command.args(args);
    for variable in [
        "NEWSFLOW_REPLAY_GROUP",
        "NEWSFLOW_BROKERS",
        "NEWSFLOW_CONFIG",
    ] {
        command.env_remove(variable);
    }
    command.envs(env.iter().copied());
    let output = command.output().expect("running newsflow");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn flags_beat_environment_beats_file_beats_defaults() {
    let topic = unique("config");
    create_topic(&topic, 1).await;
    produce(&topic, &[("c-1".into(), raw_article("c-1", 1))]).await;

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("newsflow.toml");
    std::fs::write(
        &file,
        format!(
            "brokers = \"{}\"\n\n[replay]\nreplay_group = \"g-file\"\n\n[enrich]\ngroup = \"g-enrich\"\n",
            brokers()
        ),
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let dry_run = ["replay", "--input-topic", &topic, "--dry-run"];

    let with_file: Vec<&str> = ["--config", file].iter().chain(&dry_run).copied().collect();
    let (code, out, err) = run(&with_file, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("as group g-file"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("total") && l.ends_with(" 1")),
        "{out}"
    );

    let (code, out, err) = run(&dry_run, &[("NEWSFLOW_CONFIG", file)]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("as group g-file"),
        "NEWSFLOW_CONFIG names the file too:\n{out}"
    );

    let (_, out, _) = run(&with_file, &[("NEWSFLOW_REPLAY_GROUP", "g-env")]);
    assert!(out.contains("as group g-env"), "{out}");

    let mut with_flag = with_file.clone();
    with_flag.extend(["--group", "g-flag"]);
    let (_, out, _) = run(&with_flag, &[("NEWSFLOW_REPLAY_GROUP", "g-env")]);
    assert!(out.contains("as group g-flag"), "{out}");

    let (_, out, _) = run(
        &[
            "replay",
            "--input-topic",
            &topic,
            "--dry-run",
            "-b",
            &brokers(),
        ],
        &[],
    );
    assert!(
        out.contains("as group newsflow-replay"),
        "the default:\n{out}"
    );

    // Mistakes are named.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "brokers = \"x\"\ngrup = \"typo\"\n").unwrap();
    let (code, _, err) = run(
        &["--config", bad.to_str().unwrap(), "replay", "--dry-run"],
        &[],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("unknown setting `grup`"), "{err}");
    let (code, _, err) = run(
        &["--config", "/nonexistent.toml", "replay", "--dry-run"],
        &[],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("/nonexistent.toml"), "{err}");
}

//! Articles from files travel produce → enrich → sink over a real broker.

use std::collections::HashSet;
use std::time::Duration;

use newsflow_tests::*;

#[tokio::test(flavor = "multi_thread")]
async fn every_article_from_files_reaches_the_jsonl_sink_with_the_same_id_and_valid_schema() {
    let schemas = Schemas::load();
    let names = Names::new();
    let (raw, enriched, dlq) = (names.raw.clone(), names.enriched.clone(), names.dlq.clone());
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("inputs");
    std::fs::create_dir_all(inputs.join("nested")).unwrap();
    for i in 0..20 {
        std::fs::write(
            inputs.join(format!("nested/article-{i:02}.txt")),
            format!("Harbour reopens after storm {i}\n\nThe port of Rotterdam reopened on Tuesday after storm number {i} forced a two-day closure."),
        )
        .unwrap();
    }
    let lines: Vec<String> = (0..30)
        .map(|i| {
            serde_json::json!({"url": format!("https://news.example/markets/{i}"), "title": format!("Markets update {i}"), "body": "Stocks in Tokyo rose.", "published_at": "2026-11-27T08:30:00Z", "x-custom": i, "keywords": format!("markets, update {i}")})
                .to_string()
        })
        .collect();
    std::fs::write(inputs.join("batch.jsonl"), lines.join("\n")).unwrap();
    std::fs::write(
        inputs.join("one.json"),
        r#"{"id":"given-id-1","title":"Given id","body":"An article that names its own id."}"#,
    )
    .unwrap();
    std::fs::write(inputs.join("broken.json"), r#"{"title": "no body here"}"#).unwrap();
    std::fs::write(inputs.join("notes.md"), "not an article").unwrap();
    let expected = 51;

    // produce: the bad file is reported by name, the others still go, exit is non-zero
    let input_dir = inputs.to_str().unwrap();
    let (code, stderr) =
        run_newsflow(&["produce", input_dir, "--topic", &raw, "--partitions", "3"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("broken.json: field `body` is missing"),
        "{stderr}"
    );
    assert!(stderr.contains("sent 51, skipped 1, failed 1"), "{stderr}");

    let produced = read_topic_until(&raw, Duration::from_secs(30), |r| r.len() >= expected);
    assert_eq!(produced.len(), expected);
    let mut ids = HashSet::new();
    for record in &produced {
        let value = record.json();
        schemas.assert_raw(&value);
        assert_eq!(record.key.as_deref(), value["id"].as_str());
        ids.insert(value["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), expected, "ids are distinct");
    assert!(ids.contains("given-id-1"));

    let sink_dir = work.path().join("sink");
    let sink_to = format!("jsonl:{}", sink_dir.display());
    let mut enrich = Newsflow::start(
        &names.enrich_args(&["--partitions", "3"]),
        work.path(),
        "enrich",
    );
    enrich.wait_for_log(PARTITIONS_ASSIGNED, Duration::from_secs(60));
    let mut sink = Newsflow::start(
        &[
            "--log-format",
            "json",
            "sink",
            "--to",
            &sink_to,
            "--input-topic",
            &enriched,
            "--dlq-topic",
            &dlq,
            "--group",
            &unique("sink"),
        ],
        work.path(),
        "sink",
    );

    let output = read_topic_until(&enriched, Duration::from_secs(120), |r| {
        distinct_keys(r).len() >= expected
    });
    assert_eq!(
        distinct_keys(&output),
        ids,
        "enriched ids equal produced ids"
    );
    for record in &output {
        let value = record.json();
        schemas.assert_enriched(&value);
        assert_eq!(record.key.as_deref(), value["id"].as_str());
        assert_eq!(value["provenance"]["source"]["topic"], raw.as_str());
    }
    let custom = output
        .iter()
        .map(|r| r.json())
        .find(|v| v["x-custom"] == 7)
        .expect("unknown fields are carried through");
    assert_eq!(custom["published_at"], "2026-11-27T08:30:00Z");
    // a source field named like an analysis field is kept in meta, and the
    // record (which the sink must read back) has the analysis' own
    assert_eq!(custom["meta"]["keywords"], "markets, update 7");
    assert!(custom["keywords"].is_array(), "{custom}");

    let mut sunk = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while std::time::Instant::now() < deadline {
        sunk = read_jsonl_dir(&sink_dir);
        if sunk.len() >= expected {
            break;
        }
        assert!(sink.is_running(), "sink exited: {}", sink.log_text());
        std::thread::sleep(Duration::from_millis(200));
    }
    let sunk_ids: HashSet<String> = sunk
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sunk.len(), expected, "one line per article");
    assert_eq!(sunk_ids, ids);
    for value in &sunk {
        schemas.assert_enriched(value);
    }

    assert_eq!(enrich.terminate(Duration::from_secs(60)), Some(0));
    assert_eq!(sink.terminate(Duration::from_secs(60)), Some(0));
}

#[test]
fn annotate_writes_one_schema_valid_record_per_sample() {
    let schemas = Schemas::load();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out.jsonl");
    let samples = repo_root().join("samples");
    let status = std::process::Command::new(newsflow_bin())
        .args([
            "annotate",
            samples.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let sample_count = std::fs::read_dir(&samples).unwrap().count();
    assert_eq!(records.len(), sample_count);
    for r in &records {
        schemas.assert_enriched(r);
        assert_eq!(r["language"]["code"], "en");
    }
}

#[test]
fn annotate_of_standard_input_writes_each_record_before_the_input_ends() {
    // A pipe that stays open, as `tail -f feed.jsonl | newsflow annotate -`
    // keeps it: the record must come out while more input may follow.
    let mut child = std::process::Command::new(newsflow_bin())
        .args(["annotate", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (line_tx, line_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
        let _ = line_tx.send(line);
    });
    let article = serde_json::json!({"id": "live-1", "title": "Markets rally in Tokyo", "body": "Shares in Tokyo rose on Monday."});
    std::io::Write::write_all(&mut stdin, format!("{article}\n").as_bytes()).unwrap();
    std::io::Write::flush(&mut stdin).unwrap();
    let line = line_rx.recv_timeout(Duration::from_secs(30));
    drop(stdin);
    let _ = child.wait();
    let line = line.expect("no record while the input was still open");
    let record: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(record["id"], "live-1");
}

#[test]
fn annotate_on_several_threads_writes_what_one_thread_writes_in_input_order() {
    let work = tempfile::tempdir().unwrap();
    let samples: Vec<String> = std::fs::read_dir(repo_root().join("samples"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let mut lines: Vec<String> = (0..60)
        .map(|i| {
            let text = &samples[i % samples.len()];
            let (title, body) = text.split_once('\n').unwrap_or((text, ""));
            serde_json::json!({"id": format!("a-{i}"), "title": format!("{title} {i}"), "body": body, "ingested_at": "2026-12-01T08:00:00Z"})
                .to_string()
        })
        .collect();
    lines.insert(17, "{not json".to_string());
    let input = work.path().join("in.jsonl");
    std::fs::write(&input, lines.join("\n")).unwrap();

    let run = |threads: &str| {
        let out = work.path().join(format!("out-{threads}.jsonl"));
        let done = std::process::Command::new(newsflow_bin())
            .args(["annotate", "--threads", threads, "--output"])
            .arg(&out)
            .arg(&input)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&done.stderr).into_owned();
        assert_eq!(
            done.status.code(),
            Some(1),
            "one bad line fails the run: {stderr}"
        );
        assert!(
            stderr.contains("in.jsonl:18"),
            "the bad line is named: {stderr}"
        );
        assert!(stderr.contains("60 written, 1 failed"), "{stderr}");
        std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .map(|l| {
                let mut record: serde_json::Value = serde_json::from_str(l).unwrap();
                // The one field that differs between runs.
                record["provenance"]["enriched_at"] = serde_json::Value::Null;
                record
            })
            .collect::<Vec<_>>()
    };
    let one = run("1");
    let three = run("3");
    let ids: Vec<&str> = three.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let expected: Vec<String> = (0..60).map(|i| format!("a-{i}")).collect();
    assert_eq!(ids, expected, "input order");
    // Articles 12 and on repeat the bodies of 0 to 11 under new titles: the
    // first of each is the original, the others its duplicates.
    for (i, record) in three.iter().enumerate() {
        let story = &record["story"];
        let first = format!("a-{}", i % samples.len());
        assert_eq!(story["id"], first.as_str(), "{record}");
        if i < samples.len() {
            assert_eq!(story["kind"], "original", "{record}");
        } else {
            assert_eq!(story["kind"], "duplicate", "{record}");
            assert_eq!(story["duplicate_of"], first.as_str(), "{record}");
        }
    }
    let differs = one.iter().zip(&three).position(|(a, b)| a != b);
    assert_eq!(
        differs, None,
        "the first record that differs between 1 and 3 threads"
    );
    assert_eq!(one.len(), three.len());
}

#[test]
fn demo_runs_the_whole_pipeline_and_writes_schema_valid_records() {
    let schemas = Schemas::load();
    let work = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(newsflow_bin())
        .args(["demo", "--output", work.path().to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("articles enriched:  12"), "{stdout}");
    let run_dir = std::fs::read_dir(work.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let records = read_jsonl_dir(&run_dir);
    assert_eq!(records.len(), 12);
    for r in &records {
        schemas.assert_enriched(r);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn produce_reads_json_lines_from_stdin() {
    use std::io::Write;
    let topic = unique("stdin");
    let mut child = std::process::Command::new(newsflow_bin())
        .args([
            "produce",
            "-",
            "--topic",
            &topic,
            "--partitions",
            "1",
            "-b",
            &brokers(),
        ])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(
            b"{\"title\":\"One\",\"body\":\"First.\"}\n{\"title\":\"Two\",\"body\":\"Second.\"}\n",
        )
        .unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("sent 2, skipped 0, failed 0"), "{stderr}");
    let records = read_topic_until(&topic, Duration::from_secs(30), |r| r.len() >= 2);
    let titles: Vec<String> = records
        .iter()
        .map(|r| r.json()["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["One", "Two"]);
}

//! JSONL files, rotated by size and age, fsynced before acknowledging.
//!
//! One task owns the open file. The sinks' batching writer
//! ([`crate::batcher`]) gathers lines into a batch (up to `batch_records`
//! lines, 8 MiB, or `linger` after the first); the batch is written,
//! `fsync`ed on the blocking pool, and only then is every line in it
//! acknowledged. Files are named `<prefix>-<UTC time>-<pid>-<seq>.jsonl` and never
//! reopened, so a restarted sink never appends to a half-written file.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use futures::future::{BoxFuture, FutureExt};
use newsflow_core::{decode_enriched, DeadLetterReason};
use newsflow_kafka::{Ack, DeliveryFailure, Rejection, SourceRecord, Stage};

use crate::batcher::{Acknowledge, Batcher, Durable, Flush, Limits};

#[derive(Debug, Clone)]
pub struct JsonlOptions {
    pub dir: PathBuf,
    pub prefix: String,
    /// Start a new file once the current one holds this many bytes.
    pub rotate_bytes: u64,
    /// Start a new file once the current one is this old.
    pub rotate_after: Duration,
    /// Lines per fsync at most.
    pub batch_records: usize,
    /// How long the first line of a batch waits for company.
    pub linger: Duration,
}

impl JsonlOptions {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        JsonlOptions {
            dir: dir.into(),
            prefix: "enriched".into(),
            rotate_bytes: 128 << 20,
            rotate_after: Duration::from_secs(3600),
            batch_records: 2000,
            linger: Duration::from_millis(50),
        }
    }
}

/// Handle on the writer task; clones share it.
#[derive(Clone)]
pub struct JsonlWriter {
    lines: Batcher<Vec<u8>>,
}

impl JsonlWriter {
    /// Creates the directory if needed and starts the writer task.
    pub fn start(options: JsonlOptions) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&options.dir)
            .with_context(|| format!("creating the output directory {}", options.dir.display()))?;
        let limits = Limits {
            max_items: options.batch_records.max(1),
            max_bytes: 8 << 20,
            linger: options.linger,
        };
        let files = Files {
            options,
            current: None,
            sequence: 0,
        };
        Ok(JsonlWriter {
            lines: Batcher::start("JSONL writer", limits, files),
        })
    }

    /// Queues one line (without its newline). The receiver resolves once the
    /// line is on disk.
    pub async fn append(&self, line: Vec<u8>) -> Result<Durable, DeliveryFailure> {
        self.lines.append(line).await
    }

    /// Writes what is queued, syncs it and stops the task.
    pub async fn close(&self) {
        self.lines.close(None, || {}).await;
    }
}

/// Validates enriched records and queues them as lines for the writer.
pub struct JsonlStage {
    writer: JsonlWriter,
    max_record_bytes: usize,
}

impl JsonlStage {
    pub fn new(writer: JsonlWriter, max_record_bytes: usize) -> Self {
        JsonlStage {
            writer,
            max_record_bytes,
        }
    }
}

impl Stage for JsonlStage {
    type Output = Vec<u8>;

    fn name(&self) -> &'static str {
        "sink"
    }

    fn process(&self, record: &SourceRecord) -> Result<Vec<u8>, Rejection> {
        let payload = record.payload();
        let article = decode_enriched(payload, self.max_record_bytes)?;
        // A valid record already on one line is written as it came, byte
        // for byte (the enricher's are); one spread over several lines is
        // re-serialised, so that every line is one JSON object, with
        // unknown fields riding along in `extra`.
        if !payload.iter().any(|&b| b == b'\n' || b == b'\r') {
            return Ok(payload.to_vec());
        }
        serde_json::to_vec(&article)
            .map_err(|e| Rejection::new(DeadLetterReason::Serialize, e.to_string()))
    }

    // Yielding a future is the point: enqueue now, acknowledge later.
    #[allow(clippy::async_yields_async)]
    fn deliver<'a>(&'a self, line: Vec<u8>, _source: &'a SourceRecord) -> BoxFuture<'a, Ack> {
        self.writer.lines.deliver(line).boxed()
    }
}

struct OpenFile {
    file: File,
    path: PathBuf,
    bytes: u64,
    opened: Instant,
}

/// The files lines go to: one open at a time, each batch written and
/// fsynced before its lines are acknowledged.
struct Files {
    options: JsonlOptions,
    current: Option<OpenFile>,
    sequence: u64,
}

impl Flush for Files {
    type Item = Vec<u8>;

    fn size(line: &Vec<u8>) -> usize {
        line.len() + 1
    }

    async fn flush(&mut self, batch: Vec<(Vec<u8>, Acknowledge)>) {
        let mut data = Vec::with_capacity(batch.iter().map(|(l, _)| l.len() + 1).sum());
        let mut acks = Vec::with_capacity(batch.len());
        for (line, ack) in batch {
            data.extend_from_slice(&line);
            data.push(b'\n');
            acks.push(ack);
        }
        let current = self.current.take();
        self.current = write(&self.options, current, &mut self.sequence, data, acks).await;
    }
}

/// Writes and syncs a batch, then acknowledges it. Returns the file to
/// keep writing to (none after an error: the next batch starts a new file).
async fn write(
    options: &JsonlOptions,
    current: Option<OpenFile>,
    sequence: &mut u64,
    data: Vec<u8>,
    acks: Vec<Acknowledge>,
) -> Option<OpenFile> {
    let current = current
        .filter(|f| f.bytes < options.rotate_bytes && f.opened.elapsed() < options.rotate_after);
    let file = match current {
        Some(file) => file,
        None => {
            *sequence += 1;
            match open_new(&options.dir, &options.prefix, *sequence) {
                Ok(file) => file,
                Err(e) => {
                    fail_all(acks, format!("{e:#}"));
                    return None;
                }
            }
        }
    };
    let written = tokio::task::spawn_blocking(move || {
        let mut file = file;
        let result = file
            .file
            .write_all(&data)
            .and_then(|()| file.file.sync_data());
        file.bytes += data.len() as u64;
        (file, result)
    })
    .await;
    match written {
        Ok((file, Ok(()))) => {
            for ack in acks {
                let _ = ack.send(Ok(()));
            }
            Some(file)
        }
        Ok((file, Err(e))) => {
            fail_all(acks, format!("writing {}: {e}", file.path.display()));
            None
        }
        Err(e) => {
            fail_all(acks, format!("the write task failed: {e}"));
            None
        }
    }
}

fn fail_all(acks: Vec<Acknowledge>, reason: String) {
    tracing::error!(reason, "JSONL write failed");
    for ack in acks {
        let _ = ack.send(Err(DeliveryFailure::Fatal(reason.clone())));
    }
}

fn open_new(dir: &Path, prefix: &str, sequence: u64) -> anyhow::Result<OpenFile> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let path = dir.join(format!(
        "{prefix}-{stamp}-{}-{sequence:04}.jsonl",
        std::process::id()
    ));
    let file = File::options()
        .create_new(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    // The new directory entry must survive a crash too.
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("syncing directory {}", dir.display()))?;
    tracing::info!(path = %path.display(), "writing to new file");
    Ok(OpenFile {
        file,
        path,
        bytes: 0,
        opened: Instant::now(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    }

    fn record(payload: Vec<u8>) -> SourceRecord {
        SourceRecord {
            topic: "enriched".into(),
            partition: 0,
            offset: 0,
            key: None,
            payload: Some(payload),
            headers: Vec::new(),
            timestamp: None,
        }
    }

    #[tokio::test]
    async fn a_record_on_one_line_is_written_as_it_came() {
        let dir = tempfile::tempdir().unwrap();
        let writer = JsonlWriter::start(JsonlOptions::new(dir.path())).unwrap();
        let stage = JsonlStage::new(writer, 1 << 20);
        let article = newsflow_core::EnrichedArticle::from_raw(
            newsflow_core::RawArticle::new("Title", "Body"),
            newsflow_core::LanguageGuess {
                code: "en".into(),
                confidence: 1.0,
                declared: None,
                detected: None,
            },
            newsflow_core::Provenance {
                pipeline: "test".into(),
                models: Default::default(),
                source: None,
                enriched_at: "2026-01-02T03:04:05Z".into(),
            },
        );
        // spaces and an unknown field: valid, and kept byte for byte
        let mut value = serde_json::to_value(&article).unwrap();
        value["later_field"] = serde_json::json!([1, 2]);
        let spaced = serde_json::to_string(&value)
            .unwrap()
            .replace(",\"", ", \"");
        let line = stage.process(&record(spaced.clone().into_bytes())).unwrap();
        assert_eq!(line, spaced.as_bytes());
        // a record over several lines becomes one compact line
        let pretty = serde_json::to_vec_pretty(&value).unwrap();
        let line = stage.process(&record(pretty)).unwrap();
        assert!(!line.contains(&b'\n'));
        let back: serde_json::Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(back, value);
        // an invalid one is still refused
        let refused = stage.process(&record(b"{\"schema\":\"x\"}".to_vec()));
        assert!(refused.is_err());
        stage.writer.close().await;
    }

    #[tokio::test]
    async fn acknowledges_only_after_lines_are_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let writer = JsonlWriter::start(JsonlOptions::new(dir.path())).unwrap();
        let first = writer.append(b"{\"a\":1}".to_vec()).await.unwrap();
        let second = writer.append(b"{\"a\":2}".to_vec()).await.unwrap();
        first.await.unwrap().unwrap();
        second.await.unwrap().unwrap();
        let content = std::fs::read_to_string(&files(dir.path())[0]).unwrap();
        assert_eq!(content, "{\"a\":1}\n{\"a\":2}\n");
        writer.close().await;
    }

    #[tokio::test]
    async fn rotates_by_size() {
        let dir = tempfile::tempdir().unwrap();
        let mut options = JsonlOptions::new(dir.path());
        options.rotate_bytes = 10;
        options.batch_records = 1;
        let writer = JsonlWriter::start(options).unwrap();
        for i in 0..3 {
            let durable = writer
                .append(format!("{{\"n\":{i:08}}}").into_bytes())
                .await
                .unwrap();
            durable.await.unwrap().unwrap();
        }
        writer.close().await;
        let files = files(dir.path());
        assert_eq!(files.len(), 3);
        assert!(std::fs::read_to_string(&files[2])
            .unwrap()
            .contains("00000002"));
    }

    #[tokio::test]
    async fn rotates_by_age() {
        let dir = tempfile::tempdir().unwrap();
        let mut options = JsonlOptions::new(dir.path());
        options.rotate_after = Duration::from_millis(30);
        let writer = JsonlWriter::start(options).unwrap();
        writer
            .append(b"1".to_vec())
            .await
            .unwrap()
            .await
            .unwrap()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(60)).await;
        writer
            .append(b"2".to_vec())
            .await
            .unwrap()
            .await
            .unwrap()
            .unwrap();
        writer.close().await;
        assert_eq!(files(dir.path()).len(), 2);
    }

    #[tokio::test]
    async fn unwritable_directory_fails_the_acknowledgement() {
        let dir = tempfile::tempdir().unwrap();
        let writer = JsonlWriter::start(JsonlOptions::new(dir.path())).unwrap();
        drop(dir); // the directory is gone: creating the file fails
        let result = writer.append(b"x".to_vec()).await.unwrap().await.unwrap();
        assert!(
            matches!(result, Err(DeliveryFailure::Fatal(reason)) if reason.contains("creating"))
        );
    }
}

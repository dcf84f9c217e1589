//! JSONL files, rotated by size and age, fsynced before acknowledging.
//!
//! One task owns the open file. Lines arrive on a channel with a one-shot
//! acknowledgement each; the task gathers them into a batch (up to
//! `batch_records` lines or `linger` after the first), writes the batch,
//! `fsync`s it on the blocking pool, and only then acknowledges every line
//! in it. Files are named `<prefix>-<UTC time>-<pid>-<seq>.jsonl` and never
//! reopened, so a restarted sink never appends to a half-written file.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use newsflow_kafka::DeliveryFailure;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

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

type Durable = oneshot::Receiver<Result<(), DeliveryFailure>>;

enum Command {
    Line(Vec<u8>, oneshot::Sender<Result<(), DeliveryFailure>>),
    Close,
}

/// Handle on the writer task; clones share it.
#[derive(Clone)]
pub struct JsonlWriter {
    commands: mpsc::Sender<Command>,
    task: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl JsonlWriter {
    /// Creates the directory if needed and starts the writer task.
    pub fn start(options: JsonlOptions) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&options.dir)
            .with_context(|| format!("creating the output directory {}", options.dir.display()))?;
        let (commands, receiver) = mpsc::channel(options.batch_records.max(1) * 2);
        let task = tokio::spawn(write_loop(options, receiver));
        Ok(JsonlWriter {
            commands,
            task: Arc::new(Mutex::new(Some(task))),
        })
    }

    /// Queues one line (without its newline). The receiver resolves once the
    /// line is on disk.
    pub async fn append(&self, line: Vec<u8>) -> Result<Durable, DeliveryFailure> {
        let (ack, durable) = oneshot::channel();
        self.commands
            .send(Command::Line(line, ack))
            .await
            .map_err(|_| DeliveryFailure::Fatal("the JSONL writer has stopped".into()))?;
        Ok(durable)
    }

    /// Writes what is queued, syncs it and stops the task.
    pub async fn close(&self) {
        let _ = self.commands.send(Command::Close).await;
        let task = self.task.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

struct OpenFile {
    file: File,
    path: PathBuf,
    bytes: u64,
    opened: Instant,
}

struct Batch {
    data: Vec<u8>,
    acks: Vec<oneshot::Sender<Result<(), DeliveryFailure>>>,
}

async fn write_loop(options: JsonlOptions, mut commands: mpsc::Receiver<Command>) {
    let mut current: Option<OpenFile> = None;
    let mut sequence = 0u64;
    let mut batch = Batch {
        data: Vec::new(),
        acks: Vec::new(),
    };
    let mut deadline = tokio::time::Instant::now();
    loop {
        let command = if batch.acks.is_empty() {
            commands.recv().await
        } else {
            match tokio::time::timeout_at(deadline, commands.recv()).await {
                Ok(command) => command,
                Err(_) => {
                    current = flush(&options, current, &mut sequence, &mut batch).await;
                    continue;
                }
            }
        };
        match command {
            Some(Command::Line(line, ack)) => {
                if batch.acks.is_empty() {
                    deadline = tokio::time::Instant::now() + options.linger;
                }
                batch.data.extend_from_slice(&line);
                batch.data.push(b'\n');
                batch.acks.push(ack);
                if batch.acks.len() >= options.batch_records || batch.data.len() >= 8 << 20 {
                    current = flush(&options, current, &mut sequence, &mut batch).await;
                }
            }
            Some(Command::Close) | None => {
                flush(&options, current, &mut sequence, &mut batch).await;
                return;
            }
        }
    }
}

/// Writes and syncs the batch, then acknowledges it. Returns the file to
/// keep writing to (none after an error: the next batch starts a new file).
async fn flush(
    options: &JsonlOptions,
    current: Option<OpenFile>,
    sequence: &mut u64,
    batch: &mut Batch,
) -> Option<OpenFile> {
    if batch.acks.is_empty() {
        return current;
    }
    let data = std::mem::take(&mut batch.data);
    let acks = std::mem::take(&mut batch.acks);
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

fn fail_all(acks: Vec<oneshot::Sender<Result<(), DeliveryFailure>>>, reason: String) {
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

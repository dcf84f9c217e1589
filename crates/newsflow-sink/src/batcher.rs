//! The batching writer both sinks share.
//!
//! Items arrive on a channel, each with a one-shot acknowledgement. One
//! task gathers them into batches (up to `max_items` or `max_bytes`, or
//! `linger` after the first) and hands each batch to the sink's [`Flush`],
//! which acknowledges every item of it once the batch is durable: fsynced
//! for JSONL, committed for PostgreSQL. The stage turns the
//! acknowledgement into the pipeline's [`Ack`], so an offset is stored only
//! then.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use newsflow_kafka::{Ack, DeliveryFailure};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// Resolves an item's acknowledgement.
pub(crate) type Acknowledge = oneshot::Sender<Result<(), DeliveryFailure>>;
/// Waits for an item's acknowledgement.
pub(crate) type Durable = oneshot::Receiver<Result<(), DeliveryFailure>>;

/// When a batch is full.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_items: usize,
    pub max_bytes: usize,
    /// How long the first item of a batch waits for company.
    pub linger: Duration,
}

/// Where a sink's batches go.
pub(crate) trait Flush: Send + 'static {
    type Item: Send + 'static;

    /// The item's share of `max_bytes`.
    fn size(item: &Self::Item) -> usize;

    /// Writes a batch, or starts writing it, and acknowledges each item
    /// once it is durable. The next batch waits until this returns.
    fn flush(&mut self, batch: Vec<(Self::Item, Acknowledge)>) -> impl Future<Output = ()> + Send;

    /// After the last batch: waits for writes still running.
    fn finish(&mut self) -> impl Future<Output = ()> + Send {
        std::future::ready(())
    }
}

enum Command<T> {
    Item(T, Acknowledge),
    Close,
}

/// Handle on a batching task; clones share it.
pub(crate) struct Batcher<T> {
    commands: mpsc::Sender<Command<T>>,
    task: Arc<Mutex<Option<JoinHandle<()>>>>,
    /// Names the writer in failures ("the JSONL writer stopped").
    name: &'static str,
}

impl<T> Clone for Batcher<T> {
    fn clone(&self) -> Self {
        Batcher {
            commands: self.commands.clone(),
            task: self.task.clone(),
            name: self.name,
        }
    }
}

impl<T: Send + 'static> Batcher<T> {
    pub(crate) fn start<F: Flush<Item = T>>(name: &'static str, limits: Limits, sink: F) -> Self {
        let (commands, receiver) = mpsc::channel(limits.max_items.max(1) * 2);
        let task = tokio::spawn(batch_loop(limits, sink, receiver));
        Batcher {
            commands,
            task: Arc::new(Mutex::new(Some(task))),
            name,
        }
    }

    /// Queues one item; the receiver resolves once it is durable.
    pub(crate) async fn append(&self, item: T) -> Result<Durable, DeliveryFailure> {
        let (ack, durable) = oneshot::channel();
        self.commands
            .send(Command::Item(item, ack))
            .await
            .map_err(|_| DeliveryFailure::Fatal(format!("the {} has stopped", self.name)))?;
        Ok(durable)
    }

    /// The pipeline's acknowledgement of an item queued with [`append`].
    ///
    /// [`append`]: Batcher::append
    pub(crate) async fn deliver(&self, item: T) -> Ack {
        let name = self.name;
        match self.append(item).await {
            Ok(durable) => Box::pin(async move {
                durable
                    .await
                    .unwrap_or_else(|_| Err(DeliveryFailure::Fatal(format!("the {name} stopped"))))
            }),
            Err(failure) => Box::pin(std::future::ready(Err(failure))),
        }
    }

    /// Writes what is queued and stops. With a `grace`, waits that long,
    /// then calls `overrun` (which should make the sink give up) and waits
    /// for the task to end.
    pub(crate) async fn close(&self, grace: Option<Duration>, overrun: impl FnOnce()) {
        let _ = self.commands.send(Command::Close).await;
        let task = self.task.lock().unwrap_or_else(|p| p.into_inner()).take();
        let Some(mut task) = task else {
            return;
        };
        if let Some(grace) = grace {
            if tokio::time::timeout(grace, &mut task).await.is_ok() {
                return;
            }
            overrun();
        }
        let _ = task.await;
    }
}

async fn batch_loop<F: Flush>(
    limits: Limits,
    mut sink: F,
    mut commands: mpsc::Receiver<Command<F::Item>>,
) {
    let mut batch: Vec<(F::Item, Acknowledge)> = Vec::new();
    let mut bytes = 0usize;
    let mut deadline = tokio::time::Instant::now();
    loop {
        let command = if batch.is_empty() {
            commands.recv().await
        } else {
            match tokio::time::timeout_at(deadline, commands.recv()).await {
                Ok(command) => command,
                Err(_) => {
                    bytes = 0;
                    sink.flush(std::mem::take(&mut batch)).await;
                    continue;
                }
            }
        };
        match command {
            Some(Command::Item(item, ack)) => {
                if batch.is_empty() {
                    deadline = tokio::time::Instant::now() + limits.linger;
                }
                bytes += F::size(&item);
                batch.push((item, ack));
                if batch.len() >= limits.max_items.max(1) || bytes >= limits.max_bytes {
                    bytes = 0;
                    sink.flush(std::mem::take(&mut batch)).await;
                }
            }
            Some(Command::Close) | None => break,
        }
    }
    if !batch.is_empty() {
        sink.flush(batch).await;
    }
    sink.finish().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the batches it is given and acknowledges them.
    struct Recorder(Arc<Mutex<Vec<Vec<u32>>>>);

    impl Flush for Recorder {
        type Item = u32;

        fn size(_: &u32) -> usize {
            4
        }

        async fn flush(&mut self, batch: Vec<(u32, Acknowledge)>) {
            let mut items = Vec::new();
            for (item, ack) in batch {
                items.push(item);
                let _ = ack.send(Ok(()));
            }
            self.0.lock().unwrap().push(items);
        }
    }

    #[tokio::test]
    async fn batches_by_count_and_bytes_and_acknowledges_after_flushing() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let limits = Limits {
            max_items: 3,
            max_bytes: 8,
            linger: Duration::from_secs(60),
        };
        let batcher = Batcher::start("test writer", limits, Recorder(seen.clone()));
        let mut acks = Vec::new();
        for i in 0..5 {
            acks.push(batcher.deliver(i).await);
        }
        // Two by bytes (8 bytes), two more, then the last one at close.
        for ack in acks.drain(..4) {
            ack.await.unwrap();
        }
        batcher.close(None, || {}).await;
        for ack in acks {
            ack.await.unwrap();
        }
        assert_eq!(*seen.lock().unwrap(), vec![vec![0, 1], vec![2, 3], vec![4]]);
        let after = batcher.deliver(9).await.await;
        assert!(matches!(after, Err(DeliveryFailure::Fatal(m)) if m.contains("test writer")));
    }

    #[tokio::test]
    async fn a_lone_item_goes_after_the_linger() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let limits = Limits {
            max_items: 100,
            max_bytes: usize::MAX,
            linger: Duration::from_millis(20),
        };
        let batcher = Batcher::start("test writer", limits, Recorder(seen.clone()));
        batcher.deliver(7).await.await.unwrap();
        assert_eq!(*seen.lock().unwrap(), vec![vec![7]]);
        batcher.close(None, || {}).await;
    }
}

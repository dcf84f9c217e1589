//! One partition's work: process → deliver → store offset.
//!
//! Three tasks joined by bounded channels form a pipeline, so a partition
//! can have several records being processed, several outputs awaiting
//! acknowledgement, and still keep order:
//!
//! 1. *intake* starts `Stage::process` on the CPU pool (`cpu_pool`) for
//!    each record as it arrives (CPU work never runs on the async threads),
//!    followed by the stage's asynchronous `Stage::resolve`;
//! 2. *emit* takes the results in arrival order and hands each to
//!    `Stage::deliver` (or to the dead-letter topic), so outputs are
//!    enqueued in source order;
//! 3. *commit* awaits the acknowledgements in that same order and stores
//!    each offset only after its record's output is durable. An offset is
//!    therefore never stored past a record that was not delivered.
//!
//! Closing the input channel drains the three in turn; the worker is done
//! when the commit task has stored the last offset.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;

use crate::cpu_pool::CpuPool;
use crate::dlq::DeadLetters;
use crate::events::DeadLettered;
use crate::failure::Failure;
use crate::offsets::OffsetStore;
use crate::{Ack, DeliveryFailure, PipelineStats, Rejection, SourceRecord, Stage};
use newsflow_core::DeadLetterReason;

/// A partition of a topic.
pub(crate) type PartitionKey = (String, i32);

/// A record handed to a worker, with its share of the pipeline's byte
/// budget, given back once its offset is stored (or the record dropped).
pub(crate) type Handed = (SourceRecord, OwnedSemaphorePermit);

/// The running workers of one consumer, by partition.
pub(crate) type Workers = Mutex<HashMap<PartitionKey, PartitionWorker>>;

/// What every partition worker of one pipeline shares.
pub(crate) struct WorkerEnv<S: Stage> {
    pub stage: Arc<S>,
    pub dead_letters: DeadLetters,
    pub store_offset: OffsetStore,
    pub stats: Arc<PipelineStats>,
    pub failure: Arc<Failure>,
    pub max_in_flight: usize,
    /// Permits for the CPU step, shared by every partition, so that records
    /// in flight wait as records: unbounded, tokio's blocking pool grew a
    /// thread per record in flight (413 seen, 254 MB peak RSS for the
    /// enricher). Four per core keep the speed one per core lost, since a
    /// permit is held from before the job is queued until after its
    /// answer is read (measured in docs/performance.md); `pool` runs at
    /// most one job per core at a time.
    pub cpu: Arc<Semaphore>,
    /// The threads the CPU step runs on, one per core.
    pub pool: Arc<CpuPool>,
}

/// Handle on a running partition worker.
pub(crate) struct PartitionWorker {
    pub input: mpsc::Sender<Handed>,
    pub done: JoinHandle<()>,
    /// Records handed to the worker and not yet done with.
    in_flight: Arc<AtomicUsize>,
}

impl PartitionWorker {
    /// The count the pipeline raises for each record it hands over; the
    /// worker lowers it once the record's offset is stored (or its
    /// delivery failed).
    pub(crate) fn in_flight_counter(&self) -> Arc<AtomicUsize> {
        self.in_flight.clone()
    }

    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }
}

enum Outcome {
    Delivered,
    DeadLettered {
        rejection: Rejection,
        output_refused: bool,
    },
}

/// Removes the matching workers and closes their input, returning what to
/// wait on.
pub(crate) fn take_workers(
    workers: &Workers,
    matches: impl Fn(&PartitionKey) -> bool,
) -> Vec<JoinHandle<()>> {
    let mut workers = workers.lock().unwrap_or_else(|p| p.into_inner());
    let keys: Vec<PartitionKey> = workers.keys().filter(|k| matches(k)).cloned().collect();
    keys.into_iter()
        .filter_map(|k| workers.remove(&k))
        .map(|w| w.done) // dropping `w.input` closes the worker's channel
        .collect()
}

type Processed<O> = (
    SourceRecord,
    Result<O, DeliveryFailure>,
    OwnedSemaphorePermit,
);

pub(crate) fn spawn<S: Stage>(env: Arc<WorkerEnv<S>>) -> PartitionWorker {
    let depth = env.max_in_flight.max(1);
    let (input, mut records) = mpsc::channel::<Handed>(depth);
    let (to_emit, mut processed) = mpsc::channel::<JoinHandle<Option<Processed<S::Output>>>>(depth);
    let (to_commit, mut acks) =
        mpsc::channel::<(SourceRecord, Ack, Outcome, OwnedSemaphorePermit)>(depth * 4);
    let in_flight = Arc::new(AtomicUsize::new(0));
    let in_flight_done = in_flight.clone();

    let intake_env = env.clone();
    tokio::spawn(async move {
        while let Some((record, budget)) = records.recv().await {
            let stage = intake_env.stage.clone();
            let stats = intake_env.stats.clone();
            let Ok(core) = intake_env.cpu.clone().acquire_owned().await else {
                break; // closed: the pipeline is going away
            };
            let pool = intake_env.pool.clone();
            let job = tokio::spawn(async move {
                let cpu = {
                    let stage = stage.clone();
                    pool.run(move || {
                        let _core = core;
                        let started = std::time::Instant::now();
                        let result = process_catching_panics(&*stage, &record);
                        stats.record_processing(started.elapsed());
                        (record, result)
                    })
                };
                let (record, result) = cpu.await?;
                let result = match result {
                    Ok(output) => stage.resolve(output, &record).await,
                    Err(rejection) => Err(DeliveryFailure::Rejected(rejection)),
                };
                Some((record, result, budget))
            });
            if to_emit.send(job).await.is_err() {
                break;
            }
        }
    });

    let emit_env = env.clone();
    tokio::spawn(async move {
        while let Some(job) = processed.recv().await {
            let Ok(Some((record, result, budget))) = job.await else {
                emit_env
                    .failure
                    .fail("a processing task was cancelled or panicked".into());
                break;
            };
            let stage = &emit_env.stage;
            let (ack, outcome) = match result {
                Ok(output) => (stage.deliver(output, &record).await, Outcome::Delivered),
                Err(DeliveryFailure::Fatal(reason)) => {
                    // Nothing from here on is stored: read again after a
                    // restart.
                    emit_env.failure.fail(format!(
                        "{} of {}[{}] offset {}: {reason}",
                        stage.name(),
                        record.topic,
                        record.partition,
                        record.offset
                    ));
                    break;
                }
                Err(DeliveryFailure::Rejected(rejection)) => {
                    let ack = emit_env
                        .dead_letters
                        .send(&record, stage.name(), &rejection)
                        .await;
                    let outcome = Outcome::DeadLettered {
                        rejection,
                        output_refused: false,
                    };
                    (ack, outcome)
                }
            };
            if to_commit
                .send((record, ack, outcome, budget))
                .await
                .is_err()
            {
                break;
            }
        }
    });

    let done = tokio::spawn(async move {
        while let Some((record, ack, outcome, budget)) = acks.recv().await {
            let result = match ack.await {
                Err(DeliveryFailure::Rejected(rejection)) => {
                    // The output itself was refused (too large, say): the
                    // input goes to the dead-letter topic instead.
                    let name = env.stage.name();
                    match env.dead_letters.send(&record, name, &rejection).await.await {
                        Ok(()) => Ok(Outcome::DeadLettered {
                            rejection,
                            output_refused: true,
                        }),
                        Err(e) => Err(e),
                    }
                }
                other => other.map(|()| outcome),
            };
            in_flight_done.fetch_sub(1, Ordering::Relaxed);
            // Done with, whatever the outcome: its bytes may be read again.
            drop(budget);
            match result {
                Ok(outcome) => {
                    (env.store_offset)(&record.topic, record.partition, record.offset);
                    match outcome {
                        Outcome::Delivered => env.stats.record_delivered(),
                        Outcome::DeadLettered {
                            rejection,
                            output_refused,
                        } => DeadLettered {
                            stage: env.stage.name(),
                            record: &record,
                            rejection: &rejection,
                            output_refused,
                        }
                        .emit(&env.stats),
                    }
                }
                Err(failure) => {
                    env.failure.fail(format!(
                        "{} of {}[{}] offset {}: {}",
                        env.stage.name(),
                        record.topic,
                        record.partition,
                        record.offset,
                        failure.reason()
                    ));
                    // Store nothing more for this partition: everything from
                    // here on is read again after a restart.
                    break;
                }
            }
        }
    });

    PartitionWorker {
        input,
        done,
        in_flight,
    }
}

/// A panic while processing one record must not take the partition down
/// with it: the record is dead-lettered with the panic message.
fn process_catching_panics<S: Stage>(
    stage: &S,
    record: &SourceRecord,
) -> Result<S::Output, Rejection> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stage.process(record))) {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Rejection::new(
                DeadLetterReason::Panic,
                format!("processing panicked: {message}"),
            ))
        }
    }
}

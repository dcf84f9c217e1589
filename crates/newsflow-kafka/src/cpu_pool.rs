//! The threads that run the CPU step of every partition: one per core.
//!
//! Tokio's blocking pool starts a thread whenever none is idle at the
//! moment a job comes, so with four CPU permits per core (which keep the
//! cores busy between one record and the next) it grew to a dozen or more
//! threads, each with a glibc arena of its own that holds on to what its
//! articles freed. A fixed pool runs the same jobs on as many threads as
//! there are cores; the jobs the permits let through wait in its queue, as
//! records, not as threads.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads taking jobs from one queue. Dropping the last
/// handle lets each thread finish the job it has and end.
pub(crate) struct CpuPool {
    queue: mpsc::Sender<Job>,
}

impl CpuPool {
    /// A pool of `threads` threads (at least one), named `newsflow-cpu-N`.
    pub(crate) fn new(threads: usize) -> std::io::Result<Arc<CpuPool>> {
        let (queue, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..threads.max(1) {
            let jobs = jobs.clone();
            std::thread::Builder::new()
                .name(format!("newsflow-cpu-{n}"))
                .spawn(move || loop {
                    // The lock is held only while waiting for a job, so
                    // the threads take jobs one after another.
                    let job = match jobs.lock() {
                        Ok(jobs) => jobs.recv(),
                        Err(poisoned) => poisoned.into_inner().recv(),
                    };
                    let Ok(job) = job else {
                        return; // the pool is gone
                    };
                    // A job that panics drops its answer, which its
                    // caller sees; the thread goes on with the next job.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                })?;
        }
        Ok(Arc::new(CpuPool { queue }))
    }

    /// Runs `work` on one of the pool's threads; the answer is `None` if
    /// it panicked or the pool is gone.
    pub(crate) async fn run<R: Send + 'static>(
        &self,
        work: impl FnOnce() -> R + Send + 'static,
    ) -> Option<R> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(work());
        });
        self.queue.send(job).ok()?;
        answered.await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_the_pools_threads_and_a_panic_is_an_empty_answer() {
        let pool = CpuPool::new(2).unwrap();
        let names: Vec<Option<String>> = futures::future::join_all(
            (0..8).map(|_| pool.run(|| std::thread::current().name().map(str::to_string))),
        )
        .await
        .into_iter()
        .map(Option::flatten)
        .collect();
        for name in &names {
            let name = name.as_deref().unwrap_or("");
            assert!(
                name == "newsflow-cpu-0" || name == "newsflow-cpu-1",
                "{names:?}"
            );
        }
        // one thread: the job after a panic runs only if it survived
        let pool = CpuPool::new(1).unwrap();
        assert_eq!(pool.run(|| -> u32 { panic!("a bad job") }).await, None);
        assert_eq!(pool.run(|| 2 + 2).await, Some(4));
    }
}

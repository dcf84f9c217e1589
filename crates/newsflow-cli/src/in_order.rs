//! Work spread over threads, results taken in input order, memory bounded.
//!
//! Item `i` goes to worker `i mod N`, and the consumer takes result `i`
//! from that worker. Each worker answers in the order it was given, so no
//! reordering buffer is needed, and every queue is bounded: at most
//! `N × (2 × depth + 1)` items are in the air, whatever the input's size.
//! The price of the fixed round is that one slow item holds the results
//! behind it for the others' `depth` items; news articles are alike enough
//! in cost for that not to matter.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Items each worker may hold queued, on each side of it.
pub const DEPTH: usize = 16;

/// Runs `work` over `items` on `threads` threads and hands the results to
/// `consume` in input order. Stops early, returning its error, when
/// `consume` fails.
pub fn map_in_order<T, U, E>(
    items: impl Iterator<Item = T> + Send,
    threads: usize,
    work: impl Fn(T) -> U + Sync,
    mut consume: impl FnMut(U) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    U: Send,
{
    let threads = threads.max(1);
    if threads == 1 {
        // No thread hand-offs for one thread: the same results, cheaper.
        return items.map(&work).try_for_each(consume);
    }
    std::thread::scope(|scope| {
        let mut inputs: Vec<SyncSender<T>> = Vec::with_capacity(threads);
        let mut outputs: Vec<Receiver<U>> = Vec::with_capacity(threads);
        for _ in 0..threads {
            let (give, take) = sync_channel::<T>(DEPTH);
            let (answer, collect) = sync_channel::<U>(DEPTH);
            let work = &work;
            scope.spawn(move || {
                for item in take {
                    if answer.send(work(item)).is_err() {
                        return; // the consumer stopped
                    }
                }
            });
            inputs.push(give);
            outputs.push(collect);
        }
        // The reader feeds the workers in turn; dropping the senders at
        // the end lets the workers finish.
        scope.spawn(move || {
            for (i, item) in items.enumerate() {
                if inputs[i % threads].send(item).is_err() {
                    return; // the consumer stopped
                }
            }
        });
        let mut turn = 0;
        // A worker's channel closes after its last result; the first
        // closed channel in turn is the end of the input.
        while let Ok(result) = outputs[turn].recv() {
            consume(result)?;
            turn = (turn + 1) % threads;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn results_come_in_input_order_whatever_each_takes() {
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            let outcome: Result<(), ()> = map_in_order(
                0..200u64,
                threads,
                |i| {
                    // Early items take longest, so workers finish out of
                    // order.
                    if i < 10 {
                        std::thread::sleep(Duration::from_millis(10 - i));
                    }
                    i * 2
                },
                |doubled| {
                    seen.push(doubled);
                    Ok(())
                },
            );
            assert_eq!(outcome, Ok(()));
            assert_eq!(
                seen,
                (0..200).map(|i| i * 2).collect::<Vec<_>>(),
                "{threads} threads"
            );
        }
    }

    #[test]
    fn an_empty_input_and_fewer_items_than_threads_end() {
        let mut seen = Vec::new();
        let outcome: Result<(), ()> = map_in_order(
            0..0u8,
            4,
            |i| i,
            |i| {
                seen.push(i);
                Ok(())
            },
        );
        assert_eq!((outcome, seen.len()), (Ok(()), 0));
        let outcome: Result<(), ()> = map_in_order(
            0..3u8,
            8,
            |i| i,
            |i| {
                seen.push(i);
                Ok(())
            },
        );
        assert_eq!((outcome, seen), (Ok(()), vec![0, 1, 2]));
    }

    #[test]
    fn a_failing_consumer_stops_the_work_without_reading_everything() {
        let read = std::sync::atomic::AtomicUsize::new(0);
        let items = (0..1_000_000u32).inspect(|_| {
            read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        let outcome = map_in_order(items, 2, |i| i, |i| if i == 5 { Err(i) } else { Ok(()) });
        assert_eq!(outcome, Err(5));
        // Bounded queues: the reader got at most a few rounds ahead.
        assert!(read.into_inner() < 1_000, "the reader ran on");
    }
}

//! Work spread over threads, results taken in input order, memory bounded.
//!
//! There is no reader or writer thread: each worker takes the next item
//! from the input (under a lock, so items get consecutive numbers), works
//! on it, and puts the result among those waiting. Whichever worker finds
//! the next result in input order waiting hands it, and every one after it
//! that is ready, to `consume`. So an item is read, worked on and most
//! often consumed on one thread, with no hand-off between threads and no
//! thread woken for it: with a reader and a writer thread fed through
//! channels, `annotate` on two threads spent about a tenth more CPU than on
//! one (docs/performance.md).
//!
//! Memory stays bounded: a worker takes an item only while it is fewer
//! than `WINDOW` items ahead of the oldest result not yet consumed, so at
//! most `WINDOW` results wait, whatever the input's size. A slow input (a
//! pipe) holds nothing back: an item is worked on as soon as it is read.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};

/// How far ahead of the oldest unconsumed result a worker may read.
pub const WINDOW: usize = 64;

/// Runs `work` over `items` on `threads` threads and hands the results to
/// `consume` in input order. Stops early, returning its error, when
/// `consume` fails.
pub fn map_in_order<T, U, E>(
    items: impl Iterator<Item = T> + Send,
    threads: usize,
    work: impl Fn(T) -> U + Sync,
    consume: impl FnMut(U) -> Result<(), E> + Send,
) -> Result<(), E>
where
    T: Send,
    U: Send,
    E: Send,
{
    let threads = threads.max(1);
    if threads == 1 {
        // No locks for one thread: the same results, cheaper.
        return items.map(&work).try_for_each(consume);
    }
    let input = Mutex::new(Input { items, taken: 0 });
    let output = Mutex::new(Output {
        next: 0,
        ready: BTreeMap::new(),
        consume,
        error: None,
        stop: false,
    });
    let room = Condvar::new();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                // A worker that panics stops the others, which would
                // otherwise wait for its result for ever.
                let _stop_on_panic = StopOnPanic {
                    output: &output,
                    room: &room,
                };
                worker(&input, &output, &room, &work);
            });
        }
    });
    let error = output
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .error;
    error.map_or(Ok(()), Err)
}

struct Input<I> {
    items: I,
    /// Items taken so far: the number of the next one.
    taken: usize,
}

struct Output<U, C, E> {
    /// The number of the next result to consume.
    next: usize,
    /// Results waiting for those before them, by item number.
    ready: BTreeMap<usize, U>,
    consume: C,
    error: Option<E>,
    /// The consumer failed or a worker panicked: take no more items.
    stop: bool,
}

fn lock<V>(mutex: &Mutex<V>) -> MutexGuard<'_, V> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn worker<T, U, E, I, C>(
    input: &Mutex<Input<I>>,
    output: &Mutex<Output<U, C, E>>,
    room: &Condvar,
    work: &(impl Fn(T) -> U + Sync),
) where
    I: Iterator<Item = T>,
    C: FnMut(U) -> Result<(), E>,
{
    loop {
        let (number, item) = {
            let mut input = lock(input);
            {
                let mut out = lock(output);
                while !out.stop && input.taken >= out.next + WINDOW {
                    out = room.wait(out).unwrap_or_else(|p| p.into_inner());
                }
                if out.stop {
                    return;
                }
            }
            let Some(item) = input.items.next() else {
                return;
            };
            input.taken += 1;
            (input.taken - 1, item)
        };
        let result = work(item);
        let mut out = lock(output);
        if out.stop {
            return;
        }
        out.ready.insert(number, result);
        let before = out.next;
        loop {
            let next = out.next;
            let Some(result) = out.ready.remove(&next) else {
                break;
            };
            out.next += 1;
            if let Err(error) = (out.consume)(result) {
                out.error = Some(error);
                out.stop = true;
                out.ready.clear();
                break;
            }
        }
        if out.next != before || out.stop {
            room.notify_all();
        }
    }
}

/// Sets `stop` if its thread unwinds, and wakes the workers waiting.
struct StopOnPanic<'a, U, C, E> {
    output: &'a Mutex<Output<U, C, E>>,
    room: &'a Condvar,
}

impl<U, C, E> Drop for StopOnPanic<'_, U, C, E> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(self.output).stop = true;
            self.room.notify_all();
        }
    }
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
    fn a_slow_input_is_worked_on_as_it_comes() {
        // Item i is read only once the consumer has seen item i - 1, as
        // when a pipe's writer waits for the answer: a worker that read
        // ahead before handing results on would wait for ever, and here
        // time out.
        let (seen_tx, seen_rx) = std::sync::mpsc::channel::<u32>();
        let timed_out = std::sync::atomic::AtomicBool::new(false);
        let flag = &timed_out;
        let items = (0..20u32).map_while(move |i| {
            if i > 0 && seen_rx.recv_timeout(Duration::from_secs(5)).is_err() {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
                return None;
            }
            Some(i)
        });
        let mut seen = Vec::new();
        let outcome: Result<(), ()> = map_in_order(
            items,
            2,
            |i| i,
            |i| {
                seen.push(i);
                let _ = seen_tx.send(i);
                Ok(())
            },
        );
        assert_eq!(outcome, Ok(()));
        assert!(!timed_out.into_inner(), "the reader held items back");
        assert_eq!(seen, (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn a_panicking_worker_stops_the_others_instead_of_leaving_them_waiting() {
        // Without the stop, the other worker would wait for ever for item
        // 5's result once it is a window ahead; here the panic comes back
        // within the timeout.
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| {
                map_in_order(
                    0..10_000u32,
                    2,
                    |i| {
                        assert_ne!(i, 5, "item 5 is bad");
                        i
                    },
                    |_| Ok::<(), ()>(()),
                )
            });
            let _ = done_tx.send(outcome.is_err());
        });
        let panicked = done_rx.recv_timeout(Duration::from_secs(20));
        assert_eq!(panicked, Ok(true), "the workers hung or did not panic");
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

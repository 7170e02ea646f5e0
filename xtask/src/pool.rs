//! Independent pieces of work (corpus specs, fuzzing mutants, the
//! directory's APIs) spread over the machine's cores: one owner for the
//! worker threads, the shared cursor and the order of the results.

use std::sync::atomic::{AtomicUsize, Ordering};

/// As many workers as the machine has cores (2 when it cannot tell).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// `work` applied to every item on at most `workers` threads, each taking
/// the next item as it finishes one; the results in the items' order. A
/// worker that panicked loses the results it held: `Err` says how many
/// items have none, so a caller never takes a short run for a whole one.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Result<Vec<R>, String> {
    let workers = workers.clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, work(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    if done.len() < items.len() {
        return Err(format!(
            "a worker panicked: {} of {} items have no result",
            items.len() - done.len(),
            items.len()
        ));
    }
    done.sort_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_whatever_the_workers() {
        let items: Vec<u64> = (0..200).collect();
        for workers in [1, 2, 7, 500] {
            let out = map(&items, workers, |n| {
                // Uneven work, so workers finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((n % 7) * 50));
                n * 2
            });
            assert_eq!(out, Ok(items.iter().map(|n| n * 2).collect::<Vec<_>>()));
        }
        assert_eq!(map(&[] as &[u8], 4, |_| 0), Ok(vec![]));
    }

    #[test]
    fn a_worker_that_panics_is_an_error_not_a_short_result() {
        let items: Vec<u32> = (0..20).collect();
        let out = map(&items, 2, |n| {
            assert!(*n != 13, "the unlucky item");
            *n
        });
        let err = out.expect_err("a panic is an error");
        assert!(err.starts_with("a worker panicked: "), "{err}");
    }
}

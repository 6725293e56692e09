//! Queues between the stages of an indexing run, bounded by the bytes of
//! what waits in them as well as by a count. A count alone either stalls
//! the pipeline or risks memory: a few dozen typical pages are gone in a
//! moment when the writer pauses to commit, while a few dozen pages of
//! tens of megabytes each fill gigabytes. An item larger than the whole
//! budget still goes, alone, so no page is ever stuck.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Condvar, Mutex, MutexGuard};

/// The bytes waiting in one queue, shared by its two ends.
pub struct Backlog {
    limit: usize,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    held: usize,
    /// Set when the receiving end stops: senders waiting give up.
    closed: bool,
}

impl Backlog {
    /// A backlog that lets at most `limit` bytes wait (see [`Backlog::hold`]).
    pub fn new(limit: usize) -> Backlog {
        Backlog {
            limit,
            state: Mutex::default(),
            changed: Condvar::new(),
        }
    }

    /// Waits until `bytes` more fit under the limit, or until nothing
    /// waits at all, and counts them; false when the receiving end has
    /// stopped.
    fn hold(&self, bytes: usize) -> bool {
        let mut state = self.lock();
        while !state.closed && state.held > 0 && state.held + bytes > self.limit {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        if state.closed {
            return false;
        }
        state.held += bytes;
        true
    }

    /// Uncounts `bytes` that no longer wait.
    pub fn release(&self, bytes: usize) {
        let mut state = self.lock();
        state.held = state.held.saturating_sub(bytes);
        self.changed.notify_all();
    }

    /// Stops the queue: every sender waiting now or later gives up.
    pub fn close(&self) {
        self.lock().closed = true;
        self.changed.notify_all();
    }

    /// Closes the backlog when dropped, however its holder stops.
    pub fn closer(&self) -> Closer<'_> {
        Closer(self)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent whatever a panicking thread was doing.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Closes its backlog when dropped.
pub struct Closer<'a>(&'a Backlog);

impl Drop for Closer<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Why an item was not sent: the receiving end has stopped.
#[derive(Debug)]
pub struct Stopped;

/// The sending end of a queue bounded by `backlog` and by a count.
pub struct Sender<'a, T> {
    tx: SyncSender<(T, usize)>,
    backlog: &'a Backlog,
}

impl<T> Clone for Sender<'_, T> {
    fn clone(&self) -> Self {
        Sender {
            tx: self.tx.clone(),
            backlog: self.backlog,
        }
    }
}

impl<T> Sender<'_, T> {
    /// Sends `item`, which weighs `bytes`, once they fit in the backlog.
    pub fn send(&self, item: T, bytes: usize) -> Result<(), Stopped> {
        if !self.backlog.hold(bytes) {
            return Err(Stopped);
        }
        self.tx.send((item, bytes)).map_err(|_| {
            self.backlog.release(bytes);
            Stopped
        })
    }
}

/// A queue of at most `count` items and about `backlog`'s limit of bytes.
/// The receiver gets each item with its weight, to release from
/// `backlog` once the item is dealt with.
pub fn channel<T>(backlog: &Backlog, count: usize) -> (Sender<'_, T>, Receiver<(T, usize)>) {
    let (tx, rx) = sync_channel(count);
    (Sender { tx, backlog }, rx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn senders_wait_for_room_and_an_oversized_item_goes_alone() {
        let backlog = Backlog::new(10);
        let (tx, rx) = channel(&backlog, 100);
        std::thread::scope(|scope| {
            let sender = scope.spawn(move || {
                for (item, bytes) in [("a", 6), ("b", 6), ("huge", 50), ("c", 1)] {
                    tx.send(item, bytes).unwrap();
                }
            });
            std::thread::sleep(Duration::from_millis(50));
            // "b" does not fit next to "a".
            assert_eq!(
                rx.try_iter().map(|(item, _)| item).collect::<Vec<_>>(),
                ["a"]
            );
            backlog.release(6);
            let (item, bytes) = rx.recv().unwrap();
            assert_eq!((item, bytes), ("b", 6));
            std::thread::sleep(Duration::from_millis(50));
            assert!(
                rx.try_recv().is_err(),
                "the huge item waits for an empty backlog"
            );
            backlog.release(6);
            assert_eq!(rx.recv().unwrap(), ("huge", 50));
            backlog.release(50);
            assert_eq!(rx.recv().unwrap(), ("c", 1));
            sender.join().unwrap();
        });
    }

    #[test]
    fn a_closed_backlog_wakes_waiting_senders() {
        let backlog = Backlog::new(4);
        let (tx, rx) = channel(&backlog, 100);
        tx.send(1, 4).unwrap();
        std::thread::scope(|scope| {
            let waiting = scope.spawn(|| tx.send(2, 4));
            std::thread::sleep(Duration::from_millis(50));
            let closer = backlog.closer();
            drop(closer);
            assert!(waiting.join().unwrap().is_err());
        });
        assert_eq!(rx.try_iter().count(), 1);
    }
}

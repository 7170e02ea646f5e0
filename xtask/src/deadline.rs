//! Runs one piece of pipeline work in a thread of its own, with a deadline,
//! its panic caught and its message kept: a hang or a panic becomes a
//! finding of the run (`fuzz`, `directory`), never the end of it.

use std::cell::RefCell;
use std::sync::mpsc;
use std::time::Duration;

/// The name of the threads [`run`] starts; the hook keeps their panics
/// quiet.
const THREAD: &str = "xtask-deadline";

thread_local! {
    /// The message of a panic in a [`run`] thread, kept by the hook.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// How the work ended.
#[derive(Debug)]
pub enum Ended<T> {
    /// It returned.
    Done(T),
    /// It panicked, with this message.
    Panicked(String),
    /// It was still running at the deadline (the thread is left to the
    /// process's exit: nothing can stop it).
    Hung(Duration),
    /// No thread could be started.
    NoThread(String),
}

/// Keeps the panics of [`run`]'s threads quiet (they are findings, reported
/// by the caller); other panics print as usual. Call once, first.
pub fn install_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some(THREAD) {
            let message = codegen::generate::panic_message(info);
            PANIC.with(|p| *p.borrow_mut() = Some(message));
        } else {
            previous(info);
        }
    }));
}

/// Runs `work` in a thread of its own and waits for it until `deadline`.
pub fn run<T: Send + 'static>(deadline: Duration, work: impl FnOnce() -> T + Send + 'static) -> Ended<T> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new().name(THREAD.into()).spawn(move || {
        let ended = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
            Ok(value) => Ended::Done(value),
            Err(_) => Ended::Panicked(PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default()),
        };
        let _ = tx.send(ended);
    });
    if let Err(e) = spawned {
        return Ended::NoThread(e.to_string());
    }
    rx.recv_timeout(deadline).unwrap_or(Ended::Hung(deadline))
}

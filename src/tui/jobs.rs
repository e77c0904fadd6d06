//! Work that must not run in a frame (reading git history): a layer holds a [`Job`] until
//! the event loop takes it ([`super::stack::Stack::take_jobs`]), runs it on a worker thread
//! and hands the result back to the layers ([`super::stack::Stack::deliver`]). Tests run
//! jobs in place with [`Job::run`].

use std::any::Any;

/// A job's result: the layer that asked recognises its own by type (and record id).
pub type Done = Box<dyn Any + Send>;

/// A piece of work for a worker thread.
pub struct Job {
    /// The worker thread's name, for debuggers.
    pub name: &'static str,
    work: Box<dyn FnOnce() -> Done + Send>,
}

impl Job {
    pub fn new<T: Any + Send>(
        name: &'static str,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Job {
        Job {
            name,
            work: Box::new(move || Box::new(work()) as Done),
        }
    }

    /// Runs the work here (on the worker, or in a test).
    pub fn run(self) -> Done {
        (self.work)()
    }
}

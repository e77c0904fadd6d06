//! The workspace's repository as the workbench keeps it: the working tree against `HEAD`
//! (the status bar's uncommitted count, and the `HEAD` the trends follow), and the commit
//! the commit dialog asked for. Both run git on a worker ([`Job`]); the count is read again
//! after every change the app follows (a save, a reload) and after every commit.

use super::jobs::{Done, Job};
use crate::domain::text::one_line;
use crate::workspace::commit::{CommitRequest, WorkingState, commit, working_state};
use std::path::Path;
use std::time::{Duration, Instant};

/// The longest a read waits after the one before: the count is never more behind.
const MOST_PAUSE: Duration = Duration::from_secs(10);

#[derive(Default)]
pub struct RepoState {
    /// The last answer: `Some(None)` outside git (nothing shown), `None` before the first.
    working: Option<Option<WorkingState>>,
    /// The change count (see `Index::refreshes`) the last read was asked for.
    asked: Option<usize>,
    reading: bool,
    /// A commit waiting for the event loop to run it.
    commit: Option<Job>,
    committing: bool,
    /// Commits finished: each asks for the count again.
    commits: usize,
    /// How long the last read took: the next one waits nine times that (see `jobs`).
    last_cost: Duration,
}

/// The workers' answers: the working tree, and what reading it cost.
struct StatusRead(Option<WorkingState>, Duration);
struct Committed(Result<String, String>);

impl RepoState {
    /// The working tree as last read (`None`: not read yet, or outside git).
    pub fn working(&self) -> Option<&WorkingState> {
        self.working.as_ref()?.as_ref()
    }

    /// The `HEAD` the trends should be read for: `None` until the repository was read once
    /// (so they are not read twice at start), `Some(None)` outside git.
    pub fn head(&self) -> Option<Option<&str>> {
        self.working
            .as_ref()
            .map(|w| w.as_ref().map(|w| w.head.as_str()))
    }

    /// The status bar's words: `3 uncommitted`, or during a merge `merge in progress`;
    /// nothing when clean, outside git, or not read yet.
    pub fn summary(&self) -> Option<String> {
        let w = self.working()?;
        let n = w.records + usize::from(w.settings);
        match (&w.blocked, n) {
            // "a merge is in progress: …" → "merge in progress".
            (Some(b), _) => Some(format!(
                "{n} uncommitted, {} in progress",
                b.split(' ').nth(1).unwrap_or("merge")
            )),
            (None, 0) => None,
            (None, n) => Some(format!("{n} uncommitted")),
        }
    }

    /// Queues a commit; the event loop runs it on a worker. One at a time: a second one
    /// asked for meanwhile is refused (two would fight over git's index lock).
    pub fn commit(&mut self, root: &Path, request: CommitRequest) {
        let root = root.to_path_buf();
        let busy = self.committing || self.commit.is_some();
        self.commit = Some(Job::new("aims-commit", move || {
            Committed(match busy {
                true => Err("not committed: the previous commit is still running; open the dialog again when it is done".into()),
                false => commit(&root, &request),
            })
        }));
    }

    /// The jobs to run now: a queued commit, and a read of the working tree when the
    /// workspace changed (`changes`: the app's change count) since the last one.
    pub fn jobs(&mut self, root: &Path, changes: usize) -> Vec<Job> {
        let mut jobs = Vec::new();
        if let Some(job) = self.commit.take() {
            self.committing = true;
            jobs.push(job);
        }
        let wanted = changes + self.commits;
        if !self.reading && !self.committing && self.asked != Some(wanted) {
            self.reading = true;
            self.asked = Some(wanted);
            let root = root.to_path_buf();
            // `git diff HEAD` stats every tracked file: 0.2–0.4 s of CPU at 100,000
            // records, after every save (an audit walk saves at every key). Waiting nine
            // times the last read's cost before the next keeps git to a tenth of a core;
            // saves meanwhile are counted by that next read.
            let pause = (self.last_cost * 9).min(MOST_PAUSE);
            jobs.push(Job::new("aims-git-status", move || {
                std::thread::sleep(pause);
                let started = Instant::now();
                let read = working_state(&root).ok();
                StatusRead(read, started.elapsed())
            }));
        }
        jobs
    }

    /// Takes a finished job's result if it is one of these: `Ok` with the status line a
    /// commit ends with, `Err` with a result that is someone else's.
    pub fn on_done(&mut self, done: Done) -> Result<Option<(String, bool)>, Done> {
        let done = match done.downcast::<StatusRead>() {
            Ok(read) => {
                self.working = Some(read.0);
                self.last_cost = read.1;
                self.reading = false;
                return Ok(None);
            }
            Err(other) => other,
        };
        let committed = done.downcast::<Committed>()?;
        self.committing = false;
        self.commits += 1;
        Ok(Some(match committed.0 {
            Ok(done) => (format!("committed {}", one_line(&done)), false),
            Err(e) => (one_line(&e), true),
        }))
    }
}

//! The Trends pane's state: the series read from git ([`crate::workspace::trends`]) on a
//! worker thread the first time the pane is shown, then kept until a reload asks again.

use super::jobs::{Done, Job};
use crate::workspace::trends::{Trends, trends};
use std::path::Path;

/// Where the pane's series are.
#[derive(Default)]
pub enum TrendsState {
    /// Not asked for yet: the pane was never shown.
    #[default]
    NotAsked,
    /// A worker is reading git.
    Reading,
    Ready(Box<Trends>),
}

/// The worker's answer.
struct TrendsLoaded(Trends);

impl TrendsState {
    /// The job that reads the series, when the pane is shown and they were never asked for.
    pub fn wanted(&mut self, shown: bool, root: &Path) -> Option<Job> {
        if !shown || !matches!(self, TrendsState::NotAsked) {
            return None;
        }
        *self = TrendsState::Reading;
        let root = root.to_path_buf();
        Some(Job::new("aims-trends", move || TrendsLoaded(trends(&root))))
    }

    /// Takes a finished job's result if it is the series.
    pub fn on_done(&mut self, done: Done) -> Option<Done> {
        match done.downcast::<TrendsLoaded>() {
            Ok(t) => {
                *self = TrendsState::Ready(Box::new(t.0));
                None
            }
            Err(other) => Some(other),
        }
    }
}

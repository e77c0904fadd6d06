//! The trends' state, for the Trends pane and Home's sparklines: the series read from git
//! ([`crate::workspace::trends`]) on a worker thread, and read again when `HEAD` moves (a
//! commit from the workbench or outside it, a pull seen by a reload). The last series stay
//! on screen while newer ones are read.

use super::jobs::{Done, Job};
use crate::workspace::trends::{Trends, trends};
use std::path::Path;

#[derive(Default)]
pub struct TrendsState {
    series: Option<Box<Trends>>,
    /// The `HEAD` the last job was asked for (`Some(None)`: no `HEAD`, outside git).
    asked: Option<Option<String>>,
    reading: bool,
}

/// The worker's answer.
struct TrendsLoaded(Trends);

impl TrendsState {
    /// The last series read, if any.
    pub fn ready(&self) -> Option<&Trends> {
        self.series.as_deref()
    }

    /// The job that reads the series, when they are shown and were never read for this
    /// `head` (and no job is out already).
    pub fn wanted(&mut self, shown: bool, root: &Path, head: Option<&str>) -> Option<Job> {
        let head = head.map(str::to_string);
        if !shown || self.reading || self.asked.as_ref() == Some(&head) {
            return None;
        }
        self.reading = true;
        self.asked = Some(head);
        let root = root.to_path_buf();
        Some(Job::new("aims-trends", move || TrendsLoaded(read(&root))))
    }

    /// Takes a finished job's result if it is the series.
    pub fn on_done(&mut self, done: Done) -> Option<Done> {
        match done.downcast::<TrendsLoaded>() {
            Ok(t) => {
                self.series = Some(Box::new(t.0));
                self.reading = false;
                None
            }
            Err(other) => Some(other),
        }
    }
}

/// The series, read by a child `aims trends` when this process is the `aims` binary, else
/// in this process (the tests). Reading them holds a second copy of the workspace's records
/// (about 450 MB at 100,000 records) for as long as it runs; a child gives that memory back
/// to the system when it exits, where this process would keep it at its peak. The child
/// writes the same cache, so the next read costs only the new commits either way.
fn read(root: &Path) -> Trends {
    child(root).unwrap_or_else(|| trends(root))
}

fn child(root: &Path) -> Option<Trends> {
    let exe = std::env::current_exe().ok()?;
    if exe.file_stem()? != "aims" {
        return None;
    }
    let out = std::process::Command::new(exe)
        .arg("trends")
        .arg(root)
        .args(["--format", "json"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

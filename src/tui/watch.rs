//! Watching the workspace for other people's edits (another SSH user, a `git pull`).
//!
//! Only events that signal a change of content are kept: create, remove, rename, write,
//! close-after-write. Opening and reading a file, which aims itself does whenever it loads,
//! and attribute changes are dropped: passing them on made every load trigger the next
//! one, a reload loop that ate a core at 10,000 records. Hidden and temporary files
//! (`.aims/`, `.git/`, the save path's `.aims-tmp-*`, editor swap files) are dropped too.
//!
//! A burst of events (a `git checkout` of 500 files) is coalesced into one [`Update`] that
//! names the paths; events are hints, so the receiver re-stats and re-hashes them. An error
//! or an overflowed event queue asks for one full rescan.
//!
//! Only the root (for `aims.yaml` and record folders appearing), each record folder and
//! `evidence/` are watched, not `.git/`, whose churn during a checkout would wake us for
//! nothing.

use crate::domain::RecordType;
use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the workspace must stay quiet before a burst is passed on.
pub const QUIET: Duration = Duration::from_millis(100);
/// The longest a burst is held back while events keep coming.
pub const MAX_WAIT: Duration = Duration::from_millis(1000);

/// One coalesced burst of changes.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Update {
    /// Paths that may have changed, absolute (under the watched root).
    pub paths: BTreeSet<PathBuf>,
    /// Events were lost or the watcher failed: only a full rescan is safe.
    pub rescan: bool,
}

enum Raw {
    Paths(Vec<PathBuf>),
    Rescan,
    Stop,
}

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watcher {
    stop: mpsc::Sender<Raw>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.stop.send(Raw::Stop);
    }
}

/// Whether an event kind says that content may have changed.
pub fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        // chmod, touch, atime: not a change of what the file says.
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        // Open, read, close-after-read: what our own loading does.
        EventKind::Access(_) => false,
        // Unknown: treat as a change; it costs a stat and a hash.
        EventKind::Any | EventKind::Other => true,
    }
}

/// Whether a path is hidden or temporary (any component under the root starts with `.`).
pub fn is_ignored(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().any(|c| match c {
        Component::Normal(s) => s.to_str().is_none_or(|s| s.starts_with('.')),
        _ => false,
    })
}

/// The paths of an event worth passing on, if any.
fn relevant(roots: &[PathBuf], event: &Event) -> Vec<PathBuf> {
    if !is_change(&event.kind) {
        return Vec::new();
    }
    event
        .paths
        .iter()
        .filter(|p| {
            let root = roots.iter().find(|r| p.starts_with(r));
            root.is_some_and(|r| !is_ignored(r, p))
        })
        .cloned()
        .collect()
}

/// Starts watching `root`; `deliver` is called once per coalesced burst and returns false
/// when nobody listens any more (then watching stops).
pub fn watch(
    root: &Path,
    deliver: impl Fn(Update) -> bool + Send + 'static,
) -> notify::Result<Watcher> {
    let root = root.to_path_buf();
    // Events may name the root as given or its canonical form.
    let mut roots = vec![root.clone()];
    if let Ok(c) = std::fs::canonicalize(&root)
        && c != root
    {
        roots.push(c);
    }
    let (raw_tx, raw_rx) = mpsc::channel::<Raw>();
    let tx = raw_tx.clone();
    let filter_roots = roots.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<Event>| {
        let raw = match res {
            Ok(e) if e.need_rescan() => Raw::Rescan,
            Ok(e) => {
                let paths = relevant(&filter_roots, &e);
                if paths.is_empty() {
                    return;
                }
                Raw::Paths(paths)
            }
            Err(_) => Raw::Rescan,
        };
        let _ = tx.send(raw);
    })?;
    watcher.watch(&root, RecursiveMode::NonRecursive)?;
    for kind in RecordType::ALL {
        let dir = root.join(kind.dir());
        if dir.is_dir() {
            watcher.watch(&dir, RecursiveMode::NonRecursive)?;
        }
    }
    let evidence = root.join("evidence");
    if evidence.is_dir() {
        watcher.watch(&evidence, RecursiveMode::Recursive)?;
    }
    std::thread::Builder::new()
        .name("aims-watch".into())
        .spawn(move || coalesce(watcher, &root, raw_rx, deliver))
        .map_err(notify::Error::io)?;
    Ok(Watcher { stop: raw_tx })
}

/// Collects raw events into bursts: a burst ends after [`QUIET`] without events, or
/// [`MAX_WAIT`] after it began. Owns the watcher so it can watch record folders that
/// appear later (a checkout that creates `risks/`).
fn coalesce(
    mut watcher: notify::RecommendedWatcher,
    root: &Path,
    rx: mpsc::Receiver<Raw>,
    deliver: impl Fn(Update) -> bool,
) {
    loop {
        let mut update = Update::default();
        let Ok(first) = rx.recv() else { return };
        let start = Instant::now();
        let mut last = start;
        let mut next = Some(first);
        while let Some(raw) = next.take() {
            match raw {
                Raw::Stop => return,
                Raw::Rescan => update.rescan = true,
                Raw::Paths(paths) => {
                    for p in paths {
                        if p.parent() == Some(root) && p.is_dir() {
                            // A new record folder or evidence/: watch it from now on (an
                            // error here just means it went again).
                            let name = p.file_name().and_then(|n| n.to_str());
                            if name.and_then(RecordType::from_dir).is_some() {
                                let _ = watcher.watch(&p, RecursiveMode::NonRecursive);
                            } else if name == Some("evidence") {
                                let _ = watcher.watch(&p, RecursiveMode::Recursive);
                            }
                        }
                        update.paths.insert(p);
                    }
                }
            }
            last = Instant::now().max(last);
            let deadline = (last + QUIET).min(start + MAX_WAIT);
            let wait = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(wait) {
                Ok(raw) => next = Some(raw),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        if !deliver(update) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, MetadataKind, RenameMode};

    #[test]
    fn keeps_changes_and_drops_reads() {
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Name(
            RenameMode::Both
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Read)));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::Any
        ))));
    }

    #[test]
    fn ignores_hidden_and_temporary_files() {
        let root = Path::new("/ws");
        assert!(is_ignored(root, Path::new("/ws/.aims/lock")));
        assert!(is_ignored(root, Path::new("/ws/risks/.aims-tmp-123")));
        assert!(is_ignored(root, Path::new("/ws/.git/index")));
        assert!(!is_ignored(root, Path::new("/ws/risks/RISK-001.yaml")));
    }
}

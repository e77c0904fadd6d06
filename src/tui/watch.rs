//! Watching the workspace for other people's edits (another SSH user, a `git pull`).
//! Events are only hints: on any of them the workspace is reloaded and re-hashed.

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::path::Path;
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watcher {
    _debouncer: notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
}

/// Starts watching `root`; `tx` receives `()` after each burst of changes outside `.aims/`.
pub fn watch(root: &Path, tx: Sender<()>) -> notify::Result<Watcher> {
    let state_dir = root.join(crate::workspace::lock::STATE_DIR);
    let canonical_state = std::fs::canonicalize(root)
        .map(|r| r.join(crate::workspace::lock::STATE_DIR))
        .ok();
    let mut debouncer = new_debouncer(
        Duration::from_millis(200),
        None,
        move |result: DebounceEventResult| {
            let relevant = match result {
                Ok(events) => events.iter().any(|e| {
                    e.paths.iter().any(|p| {
                        !p.starts_with(&state_dir)
                            && canonical_state.as_ref().is_none_or(|c| !p.starts_with(c))
                    })
                }),
                // Overflow or an error: rescan to be safe.
                Err(_) => true,
            };
            if relevant {
                let _ = tx.send(());
            }
        },
    )?;
    debouncer.watch(root, RecursiveMode::Recursive)?;
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

//! The workspace write lock: `.aims/lock`, held with `flock` while one save runs.
//!
//! Advisory only: the content-hash check before each save is what really protects a file.
//! The lock just keeps two writers from interleaving, and never blocks for long.

use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

pub const STATE_DIR: &str = ".aims";

pub struct WriteLock {
    _file: File,
}

/// Takes the lock, retrying for up to `patience`; `None` if another writer holds it longer.
pub fn acquire(root: &Path, patience: Duration) -> std::io::Result<Option<WriteLock>> {
    let dir = root.join(STATE_DIR);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("lock");
    // flock needs no write access: opening read-only means a lock file created by one
    // user (with a 022 umask) does not lock the rest of the group out.
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?,
        Err(e) => return Err(e),
    };
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(WriteLock { _file: file })),
            Err(TryLockError::WouldBlock) if start.elapsed() < patience => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(e),
        }
    }
}

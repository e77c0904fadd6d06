//! The workspace write lock: `.aims/lock`, held with `flock` while one save runs.
//!
//! Advisory only: the compare-and-replace of each save is what really protects a file.
//! The lock just keeps two aims writers from interleaving, and never blocks for long.

use super::fsio;
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub const STATE_DIR: &str = ".aims";

pub struct WriteLock {
    _file: File,
}

#[derive(Debug)]
pub enum LockError {
    /// Another process holds the lock (who, as well as we can tell).
    Busy(String),
    /// `.aims` exists but is not a folder.
    StateNotDir(PathBuf),
    /// The lock file is not a regular file (a FIFO, a device…).
    NotRegular(PathBuf, fsio::ReadError),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Busy(who) => write!(f, "the workspace lock is held by {who}"),
            LockError::StateNotDir(p) => write!(
                f,
                "{} is a file, but aims keeps its lock and trash in a folder of that name: move the file away",
                p.display()
            ),
            LockError::NotRegular(p, e) => write!(f, "the lock file {} {e}", p.display()),
            LockError::Io(p, e) => write!(f, "cannot use {}: {}", p.display(), fsio::io_reason(e)),
        }
    }
}

impl std::error::Error for LockError {}

/// `.aims/` under `root`, created if missing; a clear error when something else is there.
pub fn state_dir(root: &Path) -> Result<PathBuf, LockError> {
    let dir = root.join(STATE_DIR);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.is_dir() => Ok(dir),
        Ok(m) if m.file_type().is_symlink() && dir.is_dir() => Ok(dir),
        Ok(_) => Err(LockError::StateNotDir(dir)),
        Err(_) => match std::fs::create_dir(&dir) {
            Ok(()) => Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(dir),
            Err(e) => Err(LockError::Io(dir, e)),
        },
    }
}

/// Takes the lock, retrying for up to `patience`.
pub fn acquire(root: &Path, patience: Duration) -> Result<WriteLock, LockError> {
    let path = state_dir(root)?.join("lock");
    // flock needs no write access: opening read-only means a lock file created by one
    // user (with a 022 umask) does not lock the rest of the group out. Opened without
    // blocking and checked on the handle: a FIFO here must never hang a save.
    let file = match fsio::open_regular(&path) {
        Ok(f) => f,
        Err(fsio::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            use std::os::unix::fs::OpenOptionsExt;
            // create_new: never opens (and blocks on) whatever appeared there meanwhile.
            match File::options()
                .create_new(true)
                .write(true)
                .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
                .open(&path)
            {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(LockError::Io(path.clone(), e)),
            }
            fsio::open_regular(&path).map_err(|e| LockError::NotRegular(path.clone(), e))?
        }
        Err(e) => return Err(LockError::NotRegular(path, e)),
    };
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(WriteLock { _file: file }),
            Err(TryLockError::WouldBlock) if start.elapsed() < patience => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => return Err(LockError::Busy(holder(&file))),
            Err(TryLockError::Error(e)) => return Err(LockError::Io(path, e)),
        }
    }
}

/// Who holds the lock on `file`: from `/proc/locks` on Linux ("process 1234 (aims)"),
/// else "another process".
fn holder(file: &File) -> String {
    use std::os::unix::fs::MetadataExt;
    let unknown = "another process (another aims, or a program that locked it)".to_string();
    let Ok(meta) = file.metadata() else {
        return unknown;
    };
    let Ok(locks) = fsio::read_capped(Path::new("/proc/locks"), 4 * 1024 * 1024) else {
        return unknown;
    };
    let locks = String::from_utf8_lossy(&locks);
    // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF": pid, then major:minor:inode.
    let inode = format!(":{}", meta.ino());
    for line in locks.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let Some(pos) = cols.iter().position(|c| c.ends_with(&inode)) else {
            continue;
        };
        let Some(pid) = pos.checked_sub(1).and_then(|i| cols.get(i)) else {
            continue;
        };
        if pid.parse::<u32>().is_err() {
            continue;
        }
        let comm = fsio::read_capped(&Path::new("/proc").join(pid).join("comm"), 4096)
            .map(|b| String::from_utf8_lossy(&b).trim().to_string())
            .unwrap_or_default();
        let what = if comm == "aims" {
            "another aims".to_string()
        } else if comm.is_empty() {
            "a program".to_string()
        } else {
            format!("`{}`", crate::domain::text::one_line(&comm))
        };
        return format!("{what} (process {pid})");
    }
    unknown
}

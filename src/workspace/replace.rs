//! Replacing a file only if it is still what was read: a compare-and-replace that no
//! writer can slip through, whether or not it takes our lock (git, editors, sync tools, a
//! shell).
//!
//! The new text goes to a temporary file in the same folder (synced), which is then
//! *exchanged* with the record file in one atomic step (`renameat2(RENAME_EXCHANGE)` on
//! Linux, `renamex_np(RENAME_SWAP)` on macOS). What comes out of the exchange is exactly
//! what we replaced: if its hash is what was read, the save stands; if not, another writer
//! got in between, so we exchange back — their version is in place again, untouched — and
//! report a conflict. Nothing is lost: at worst both versions are kept and the user is told
//! where.
//!
//! Where the exchange is not available (another OS, or a file system that refuses it) the
//! fallback re-checks the hash just before a plain rename; a writer landing in the
//! microseconds between the two is then not detected. The code says so where it happens.
//!
//! Two limits no rename-based save can close, both an instant wide: a writer that rewrites
//! the *old inode in place* (a shell `>` redirect) between our exchange and our check of
//! what came out; and a writer that *reads* the file in the instant our version is in
//! place before it is swapped back, and writes a version built on ours over theirs. The
//! file is re-checked right before the exchange so that instant is rarely entered at all.

use super::fsio;
use super::load::{MAX_FILE_BYTES, content_hash};
use std::cell::RefCell;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Every temporary file aims writes starts with this, so it is recognisable: ignored by the
/// loader and the watcher, covered by the workspace's `.gitignore`, and cleaned up.
pub const TEMP_PREFIX: &str = ".aims-tmp.";

/// The `.gitignore` lines every workspace needs: the lock, trash and cache, and temp files.
pub const GITIGNORE: &str = "# aims' lock, trash and cache, and the temporary files of saves in progress\n.aims/\n.aims-tmp.*\n";

/// A temp file left by a killed process is removed once it is this old.
const STALE_AFTER: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub enum ReplaceError {
    /// The file is not what was read. `on_disk` is what is there now (None: gone or not
    /// readable); `kept` names a copy of a version that could not be put back in place.
    Conflict {
        on_disk: Option<Vec<u8>>,
        kept: Option<PathBuf>,
    },
    /// The file (or the path) could not be read or written; `path` says which one.
    Io(PathBuf, std::io::Error),
    /// The file at the path is not a regular file, or too large to be a record.
    Unreadable(PathBuf, fsio::ReadError),
    /// A new file: something already exists at the path.
    Exists,
}

/// A test's action at the moment before a replace.
type Hook = Box<dyn FnMut(&Path)>;

thread_local! {
    /// Tests inject an outside write at the one moment that matters: after the new text is
    /// ready and before it replaces the file. Thread-local, so parallel tests don't meet.
    static BEFORE_REPLACE: RefCell<Option<Hook>> = const { RefCell::new(None) };
}

/// Test support: runs `hook` (with the target path) between preparing and replacing, on
/// this thread, until [`clear_replace_hook`].
#[doc(hidden)]
pub fn set_replace_hook(hook: impl FnMut(&Path) + 'static) {
    BEFORE_REPLACE.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
}

#[doc(hidden)]
pub fn clear_replace_hook() {
    BEFORE_REPLACE.with(|h| *h.borrow_mut() = None);
}

fn run_hook(path: &Path) {
    BEFORE_REPLACE.with(|h| {
        if let Some(f) = h.borrow_mut().as_mut() {
            f(path);
        }
    });
}

/// A temp file of ours; removed on drop unless it was consumed.
struct Temp {
    path: Option<PathBuf>,
}

impl Temp {
    fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }
    /// The file has become something else (renamed into place): don't remove it.
    fn consumed(mut self) {
        self.path = None;
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(p) = &self.path {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Writes `bytes` to a new temp file beside `target`, with `mode` (and `gid` when we may),
/// synced to disk. Removed again if anything fails.
fn write_temp(
    target: &Path,
    bytes: &[u8],
    like: Option<&std::fs::Metadata>,
) -> std::io::Result<Temp> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
    static NONCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = parent_of(target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nonce = NONCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!(
        "{TEMP_PREFIX}{}.{nonce}.{name}",
        std::process::id()
    ));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o666)
        .open(&path)?;
    let temp = Temp { path: Some(path) };
    // The record keeps its permissions (a group-writable 664 file stays 664) and, where
    // this user may set it, its group.
    if let Some(meta) = like {
        file.set_permissions(std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
        let _ = std::os::unix::fs::fchown(&file, None, Some(meta.gid()));
    }
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(temp)
}

pub(crate) fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Syncs a folder so a rename in it survives a crash.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

enum Exchange {
    Done,
    /// The platform or file system cannot exchange: use the fallback.
    Unsupported,
    Failed(std::io::Error),
}

#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
))]
fn exchange(a: &Path, b: &Path) -> Exchange {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Exchange::Done,
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::OPNOTSUPP => {
            Exchange::Unsupported
        }
        Err(e) => Exchange::Failed(e.into()),
    }
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
)))]
fn exchange(_: &Path, _: &Path) -> Exchange {
    Exchange::Unsupported
}

/// Reads the file at `path` (regular, capped), for comparing with what was read.
fn read_current(path: &Path) -> Result<Option<Vec<u8>>, ReplaceError> {
    match fsio::read_capped(path, MAX_FILE_BYTES) {
        Ok(b) => Ok(Some(b)),
        Err(fsio::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(fsio::ReadError::TooLarge(..)) => Ok(None),
        Err(e) => Err(ReplaceError::Unreadable(path.to_path_buf(), e)),
    }
}

/// A conflict unless the file at `path` hashes to `expected`.
fn ensure_unchanged(path: &Path, expected: u64) -> Result<(), ReplaceError> {
    match read_current(path)? {
        Some(current) if content_hash(&current) == expected => Ok(()),
        other => Err(ReplaceError::Conflict {
            on_disk: other,
            kept: None,
        }),
    }
}

/// Replaces `path` with `bytes` if, and only if, the file there hashes to `expected`.
pub fn replace_if_unchanged(path: &Path, bytes: &[u8], expected: u64) -> Result<(), ReplaceError> {
    let dir = parent_of(path);
    clean_stale_temps(dir);
    let meta = std::fs::metadata(path).ok();
    let temp = write_temp(path, bytes, meta.as_ref())
        .map_err(|e| ReplaceError::Io(dir.to_path_buf(), e))?;
    // Checked after the (slow, synced) temp write, right before the exchange: a save bound
    // to conflict should not put our version in place even for an instant, because a
    // writer that reads the file in that instant builds on a version that is then undone.
    // The fallback below relies on this check too.
    ensure_unchanged(path, expected)?;
    run_hook(path);
    match exchange(temp.path(), path) {
        Exchange::Done => {}
        Exchange::Unsupported => return fallback_replace(temp, path),
        Exchange::Failed(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // Deleted (or moved away) since it was read: not ours to recreate.
            return Err(ReplaceError::Conflict {
                on_disk: None,
                kept: None,
            });
        }
        Exchange::Failed(e) => return Err(ReplaceError::Io(path.to_path_buf(), e)),
    }
    // The temp path now holds exactly what was in place an instant ago.
    let displaced = fsio::read_capped(temp.path(), MAX_FILE_BYTES).ok();
    if displaced.as_deref().map(content_hash) == Some(expected) {
        drop(temp);
        sync_dir(dir);
        return Ok(());
    }
    // Another writer got in between: put their version back.
    if !matches!(exchange(temp.path(), path), Exchange::Done) {
        // Cannot swap back: ours stays in place and theirs is kept beside it.
        let kept = keep_copy(temp, path)?;
        return Err(ReplaceError::Conflict {
            on_disk: displaced,
            kept: Some(kept),
        });
    }
    // The temp path should hold ours again. Anything else is a newer version the other
    // writer put in place while ours was there (built on ours, so it may lack what the
    // displaced version had). The newest goes back in place; the displaced one is kept.
    let back = fsio::read_capped(temp.path(), MAX_FILE_BYTES).ok();
    if back.as_deref() == Some(bytes) {
        drop(temp);
        return Err(ReplaceError::Conflict {
            on_disk: displaced,
            kept: None,
        });
    }
    let _ = exchange(temp.path(), path);
    let kept = keep_copy(temp, path)?;
    Err(ReplaceError::Conflict {
        on_disk: fsio::read_capped(path, MAX_FILE_BYTES).ok(),
        kept: Some(kept),
    })
}

/// The fallback where files cannot be exchanged: a plain rename, right after the caller's
/// check. A writer that lands between that check and the rename is not detected here.
fn fallback_replace(temp: Temp, path: &Path) -> Result<(), ReplaceError> {
    std::fs::rename(temp.path(), path).map_err(|e| ReplaceError::Io(path.to_path_buf(), e))?;
    temp.consumed();
    sync_dir(parent_of(path));
    Ok(())
}

/// Moves a version that could not be put back to a visible name beside the record:
/// `<name>.conflict-<pid>-<n>` (not a record file, so the loader leaves it alone), never
/// replacing anything. If no such name can be had, the error says where the version is.
fn keep_copy(temp: Temp, path: &Path) -> Result<PathBuf, ReplaceError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = parent_of(path);
    for n in 0..1000 {
        let kept = dir.join(format!("{name}.conflict-{}-{n}", std::process::id()));
        if rename_no_replace(temp.path(), &kept).is_ok() {
            temp.consumed();
            return Ok(kept);
        }
    }
    let p = temp.path().to_path_buf();
    temp.consumed();
    Err(ReplaceError::Io(
        p,
        std::io::Error::other(
            "another version could not be moved beside the record; it is kept at this temporary name: move it away before the next save cleans it",
        ),
    ))
}

/// Renames `from` to `to` only if `to` does not exist, atomically where the platform can.
pub fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "ios"
    ))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    // Fallback: a hard link fails if the name exists; then the old name goes.
    std::fs::hard_link(from, to)?;
    std::fs::remove_file(from)
}

/// Creates `path` with `bytes`, never replacing anything that is there (even a file that
/// appears between our check and the write).
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), ReplaceError> {
    let dir = parent_of(path);
    clean_stale_temps(dir);
    let temp = write_temp(path, bytes, None).map_err(|e| ReplaceError::Io(dir.to_path_buf(), e))?;
    run_hook(path);
    // A hard link fails if the name exists: an atomic "create, never replace" that every
    // POSIX file system offers. Where links are not supported, a rename after a check.
    match std::fs::hard_link(temp.path(), path) {
        Ok(()) => {
            drop(temp);
            sync_dir(dir);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(ReplaceError::Exists),
        Err(_) if !path.exists() => {
            std::fs::rename(temp.path(), path)
                .map_err(|e| ReplaceError::Io(path.to_path_buf(), e))?;
            temp.consumed();
            sync_dir(dir);
            Ok(())
        }
        Err(_) => Err(ReplaceError::Exists),
    }
}

/// Writes a file whole and atomically, replacing whatever is there (new workspaces,
/// caches): temp file, sync, rename.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let meta = std::fs::metadata(path).ok();
    let temp = write_temp(path, bytes, meta.as_ref())?;
    std::fs::rename(temp.path(), path)?;
    temp.consumed();
    sync_dir(parent_of(path));
    Ok(())
}

/// Removes temp files that a killed process left in `dir`: ours (`.aims-tmp.<pid>.…`) once
/// their writer is gone or they are a minute old, and the `.<name>.yaml.XXXXXX` files of
/// earlier versions once a minute old. Called under the workspace lock, so no live save
/// of another aims is writing them.
pub fn clean_stale_temps(dir: &Path) {
    // Listing a folder of 50,000 risks costs milliseconds; a process needs to look at most
    // once a minute per folder (a temp file is stale after a minute anyway).
    static LAST: std::sync::Mutex<Vec<(PathBuf, std::time::Instant)>> =
        std::sync::Mutex::new(Vec::new());
    if let Ok(mut last) = LAST.lock() {
        let now = std::time::Instant::now();
        match last.iter_mut().find(|(d, _)| d == dir) {
            Some((_, at)) if now.duration_since(*at) < STALE_AFTER => return,
            Some((_, at)) => *at = now,
            None => last.push((dir.to_path_buf(), now)),
        }
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name.strip_prefix(TEMP_PREFIX);
        if ours.is_none() && !is_old_style_temp(dir, name) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > STALE_AFTER);
        let writer_gone = ours
            .and_then(|rest| rest.split('.').next())
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_some_and(|pid| pid != std::process::id() && !process_alive(pid));
        if old || writer_gone {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The temp names of earlier versions (atomic-write-file): `.RISK-001.yaml.AbC123`, beside
/// the record `RISK-001.yaml`. Narrow on purpose: a person's own hidden file
/// (`.RISK-001.yaml.backup`, `.notes.yml.draft1`) must never match — the random suffix has
/// upper and lower case letters, which words people choose rarely do.
fn is_old_style_temp(dir: &Path, name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    let Some((base, suffix)) = rest.rsplit_once('.') else {
        return false;
    };
    (base.ends_with(".yaml") || base.ends_with(".yml"))
        && suffix.len() == 6
        && suffix.chars().all(|c| c.is_ascii_alphanumeric())
        && suffix.chars().any(|c| c.is_ascii_uppercase())
        && suffix.chars().any(|c| c.is_ascii_lowercase())
        && dir.join(base).is_file()
}

fn process_alive(pid: u32) -> bool {
    // Without /proc nothing can be told: assume alive and let the age decide.
    if Path::new("/proc").is_dir() {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_style_temp_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("RISK-001.yaml"), "id: RISK-001\n").unwrap();
        let d = dir.path();
        assert!(is_old_style_temp(d, ".RISK-001.yaml.aB3xYz"));
        assert!(
            !is_old_style_temp(d, ".RISK-002.yaml.aB3xYz"),
            "no record beside it"
        );
        assert!(!is_old_style_temp(d, ".RISK-001.yaml.backup"));
        assert!(!is_old_style_temp(d, ".RISK-001.yaml.draft1"));
        assert!(!is_old_style_temp(d, "RISK-001.yaml"));
        assert!(!is_old_style_temp(d, ".gitignore"));
    }
}

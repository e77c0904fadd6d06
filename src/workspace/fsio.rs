//! Opening files without trusting what is at the path.
//!
//! Anything aims reads (records, settings, the lock, the user config, themes, the file a
//! save replaces) may have been swapped for a FIFO, a socket or a device by the time it is
//! opened; a blocking `open` of a FIFO never returns. So every file is opened
//! non-blocking, its type is taken from the opened handle (not from an earlier `stat`
//! that could be stale), and it is read with a size cap.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Why a file could not be read, in words a person can act on.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: a FIFO, socket, device or folder.
    NotRegular(&'static str),
    /// Larger than the cap: (size, cap) in bytes.
    TooLarge(u64, u64),
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(what) => write!(
                f,
                "is {what}, not a regular file: aims never reads it (it could block forever); remove it or put a file there"
            ),
            ReadError::TooLarge(size, cap) => write!(
                f,
                "is {} ({size} bytes); at most {} may be read",
                human_size(*size),
                human_size(*cap)
            ),
            ReadError::Io(e) => write!(f, "{}", io_reason(e)),
        }
    }
}

/// A size for a message: exact enough that "too large" never reads as "equal to the cap".
pub fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// What an I/O error means, said plainly (the OS text in parentheses).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let why = match e.kind() {
        PermissionDenied => {
            "permission denied: give this user read access (chmod u+r, or the group g+r)"
        }
        NotFound => "does not exist",
        _ if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            "is a symlink loop (a link that leads back to itself): fix or remove the link"
        }
        _ if e.raw_os_error() == Some(rustix::io::Errno::NOTDIR.raw_os_error()) => {
            "a part of its path is a file, not a folder"
        }
        _ => return format!("cannot be read ({e})"),
    };
    format!("{why} ({e})")
}

/// The kind of a non-regular file, for messages.
fn kind_of(ft: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_dir() {
        "a folder"
    } else if ft.is_fifo() {
        "a FIFO (named pipe)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_char_device() || ft.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// Opens `path` for reading without blocking and checks, on the opened handle, that it is a
/// regular file. Symlinks are followed (the caller decides whether that is allowed).
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    open_regular_stat(path, true).map(|(file, _)| file)
}

/// [`open_regular`], with the stat of the opened file; `follow: false` refuses a symlink
/// as the last component (the error is `ELOOP`), so a caller can check links apart without
/// a `lstat` of every plain file first.
pub fn open_regular_stat(
    path: &Path,
    follow: bool,
) -> Result<(File, std::fs::Metadata), ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
    if !follow {
        flags |= rustix::fs::OFlags::NOFOLLOW;
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting;
        // O_NOCTTY: a terminal device at the path never becomes our controlling terminal.
        .custom_flags(flags.bits() as i32)
        .open(path)
        .map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    Ok((file, meta))
}

/// Reads a whole regular file of at most `cap` bytes.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    read_file_capped(file, cap)
}

/// Reads an opened file, refusing more than `cap` bytes (the file may grow while read).
pub fn read_file_capped(file: File, cap: u64) -> Result<Vec<u8>, ReadError> {
    let size = file.metadata().map_err(ReadError::Io)?.len();
    read_sized(file, size, cap)
}

/// [`read_file_capped`] of a file whose stat says it holds `size` bytes.
pub fn read_sized(file: File, size: u64, cap: u64) -> Result<Vec<u8>, ReadError> {
    if size > cap {
        return Err(ReadError::TooLarge(size, cap));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(bytes.len() as u64, cap));
    }
    Ok(bytes)
}

/// Reads a small UTF-8 text file (config, theme) safely; `None` when it does not exist.
pub fn read_text_if_exists(path: &Path, cap: u64) -> Result<Option<String>, String> {
    match read_capped(path, cap) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| format!("{} is not UTF-8 text: re-save it as UTF-8", path.display())),
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{} {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
        )
        .unwrap();
        let started = std::time::Instant::now();
        let err = read_capped(&fifo, 10).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(err.to_string().contains("FIFO"), "{err}");
    }

    #[test]
    fn sizes_never_read_as_equal_to_the_cap() {
        assert_eq!(human_size(1024 * 1024), "1 MiB");
        assert_eq!(human_size(1024 * 1024 + 1), "1048577 bytes");
        assert_eq!(human_size(2048), "2 KiB");
    }
}

//! The parse cache: what each record file parsed to, kept under `.aims/cache/` so the next
//! load takes an unchanged file without parsing it (as git's index and ruff's cache do).
//!
//! Trust nothing: a cache file that is missing, from another version of aims, damaged
//! (its checksum does not match) or unreadable is ignored and rebuilt. An entry is used
//! only when the file's size, mtime, ctime, inode and device are all what they were; and
//! when the file was modified within a second of the cache being written (git's "racy"
//! case: a rewrite in the same timestamp tick could leave the stat unchanged), its bytes
//! are read and hashed too. A file that did not parse is never cached, so it is read and
//! reported every time. The cache never changes what a check reports: it only skips work.

use super::fsio;
use super::load::content_hash;
use crate::domain::{Map, Value};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Shards, decoded and written on separate threads; a record's shard is fixed by its path.
pub const SHARDS: usize = 8;
const MAGIC: &[u8; 8] = b"AIMSPC01";
/// Bump when what a file parses to changes (parser options, the value model): a cache of
/// another schema is ignored even within one version of aims.
const SCHEMA: u32 = 1;
/// A shard is at most this large (100,000 records make about 14 MB a shard).
const MAX_SHARD_BYTES: u64 = 256 << 20;
/// Modification times this close to the start of the load that cached them may hide a
/// same-tick rewrite on file systems with coarse timestamps (FAT has 2 s).
const RACY_SECS: i64 = 2;

/// The stat of a file, as far as the cache compares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub mtime: (i64, i64),
    pub ctime: (i64, i64),
    pub ino: u64,
    pub dev: u64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        Stamp {
            size: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
            dev: meta.dev(),
        }
    }
}

/// What a file parsed to, and the stat and hash of the bytes it was parsed from.
#[derive(Debug, Clone)]
pub struct Entry {
    pub stamp: Stamp,
    pub hash: u64,
    pub fields: Map,
}

/// Everything in the cache, by path relative to the workspace, with the time (seconds
/// since the epoch) at which the load that cached it began.
#[derive(Default)]
pub struct Cache {
    /// Keyed by the relative path as text (`risks/RISK-001.yaml`): hashing a `PathBuf`
    /// walks its components, which showed in profiles at 100,000 records.
    pub entries: super::load::FastMap<String, (Entry, i64)>,
    /// How many entries each shard held, to tell which shards a load leaves out of date.
    pub counts: [usize; SHARDS],
}

/// Each user has a cache of their own, readable by them alone: a cache written by someone
/// who may read every record must not show them to someone who may not.
fn dir(root: &Path) -> PathBuf {
    user_dir(root)
}

/// This user's folder under `.aims/cache/`, shared with the trends cache.
pub(crate) fn user_dir(root: &Path) -> PathBuf {
    let uid = rustix::process::geteuid().as_raw();
    root.join(super::lock::STATE_DIR)
        .join("cache")
        .join(format!("u{uid}"))
}

fn shard_path(root: &Path, shard: usize) -> PathBuf {
    dir(root).join(format!("parse-{shard}.bin"))
}

/// The shard of a path: FNV-1a of its bytes (stable across builds, unlike std's hasher).
pub fn shard_of(rel: &Path) -> usize {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in rel.as_os_str().as_encoded_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    (h % SHARDS as u64) as usize
}

/// What makes a cache ours: the format, this version of aims, and the content hash
/// function (std's hasher may change between compilers; a probe value says if it did).
fn fingerprint() -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(MAGIC);
    f.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    f.push(0);
    f.extend_from_slice(&SCHEMA.to_le_bytes());
    f.extend_from_slice(&content_hash(b"aims parse cache probe").to_le_bytes());
    f
}

impl Cache {
    /// Reads every shard that is there and sound; anything else is simply not in it.
    pub fn load(root: &Path) -> Cache {
        let shards: Vec<usize> = (0..SHARDS).collect();
        let parts = super::par::map(
            &shards,
            super::par::threads(),
            |&s| read_shard(&shard_path(root, s)),
            |_| None,
        );
        let mut cache = Cache::default();
        // Room for every entry at once: growing a map of 100,000 entries rehashes it many times.
        let total = parts
            .iter()
            .flatten()
            .map(|(entries, _)| entries.len())
            .sum();
        cache.entries.reserve(total);
        for (n, part) in parts.into_iter().enumerate() {
            let Some((entries, loaded_at)) = part else {
                continue;
            };
            cache.counts[n] = entries.len();
            cache
                .entries
                .extend(entries.into_iter().map(|(p, e)| (p, (e, loaded_at))));
        }
        cache
    }
}

/// The cached entry, if the file (its stat `meta`, not through a symlink) is provably
/// what was parsed and this user may still read it. `loaded_at`: when the load that
/// cached it began (seconds since the epoch).
pub fn take_if_current(
    entry: Entry,
    loaded_at: i64,
    path: &Path,
    meta: &std::fs::Metadata,
) -> Option<Entry> {
    let stamp = Stamp::of(meta);
    if entry.stamp != stamp {
        return None;
    }
    // Unreadable now (a group membership changed, which leaves the file's ctime alone):
    // parse it, so the check reports it. A file this user owns and may read needs no
    // `access` call: the owner's permission bits decide for the owner (an ACL cannot
    // override them), and changing them changes the ctime.
    let own_readable =
        meta.uid() == rustix::process::geteuid().as_raw() && meta.mode() & 0o400 != 0;
    if !own_readable && rustix::fs::access(path, rustix::fs::Access::READ_OK).is_err() {
        return None;
    }
    // Changed within a tick of the load that read it: the stat alone cannot tell a
    // same-tick rewrite from the original (git's "racy" entries). Compare the bytes.
    if stamp.mtime.0.max(stamp.ctime.0) >= loaded_at - RACY_SECS {
        let bytes = fsio::read_capped(path, super::load::MAX_FILE_BYTES).ok()?;
        if content_hash(&bytes) != entry.hash {
            return None;
        }
    }
    Some(entry)
}

/// One record as the cache stores it.
pub struct Item<'a> {
    pub rel: &'a Path,
    pub stamp: Stamp,
    pub hash: u64,
    pub fields: &'a Map,
}

/// Rewrites the shards numbered in `dirty` from `items` (every cacheable record); errors
/// are ignored (a read-only workspace simply has no cache). `loaded_at`: when the load
/// that read them began, seconds since the epoch.
pub fn store(root: &Path, items: &[Item], dirty: &[usize], loaded_at: i64) {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir(root);
    if dirty.is_empty()
        || super::lock::state_dir(root).is_err()
        || std::fs::create_dir_all(&dir).is_err()
        || std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).is_err()
    {
        return;
    }
    // Shards a killed check was writing.
    super::replace::clean_stale_temps(&dir);
    let mut shards: Vec<Vec<&Item>> = (0..SHARDS).map(|_| Vec::new()).collect();
    for item in items {
        shards[shard_of(item.rel)].push(item);
    }
    let work: Vec<(usize, Vec<&Item>)> = shards
        .into_iter()
        .enumerate()
        .filter(|(n, _)| dirty.contains(n))
        .collect();
    super::par::map(
        &work,
        super::par::threads(),
        |(n, items)| {
            let bytes = encode_shard(items, loaded_at);
            let _ = super::replace::write_whole(&shard_path(root, *n), &bytes);
        },
        |_| (),
    );
}

fn encode_shard(items: &[&Item], loaded_at: i64) -> Vec<u8> {
    let mut body = Vec::with_capacity(items.len() * 1024);
    put_u64(&mut body, items.len() as u64);
    for e in items {
        put_bytes(&mut body, e.rel.as_os_str().as_encoded_bytes());
        put_u64(&mut body, e.stamp.size);
        put_i64(&mut body, e.stamp.mtime.0);
        put_i64(&mut body, e.stamp.mtime.1);
        put_i64(&mut body, e.stamp.ctime.0);
        put_i64(&mut body, e.stamp.ctime.1);
        put_u64(&mut body, e.stamp.ino);
        put_u64(&mut body, e.stamp.dev);
        put_u64(&mut body, e.hash);
        put_map(&mut body, e.fields);
    }
    let mut out = fingerprint();
    put_i64(&mut out, loaded_at);
    put_u64(&mut out, content_hash(&body));
    put_u64(&mut out, body.len() as u64);
    out.extend_from_slice(&body);
    out
}

fn read_shard(path: &Path) -> Option<(Vec<(String, Entry)>, i64)> {
    use std::io::Read;
    let mut file = fsio::open_regular(path).ok()?;
    let size = file.metadata().ok()?.len();
    // The header first: a damaged or foreign file is refused before anything large is
    // read, and the body must be exactly as long as the header says.
    let fp = fingerprint();
    let mut head = vec![0u8; fp.len() + 24];
    file.read_exact(&mut head).ok()?;
    let rest = head.strip_prefix(fp.as_slice())?;
    let mut r = Reader { bytes: rest, at: 0 };
    let loaded_at = r.i64()?;
    let sum = r.u64()?;
    let len = r.u64()?;
    if len > MAX_SHARD_BYTES || size != head.len() as u64 + len {
        return None;
    }
    let mut body = Vec::with_capacity(len as usize);
    file.take(len).read_to_end(&mut body).ok()?;
    if body.len() as u64 != len || content_hash(&body) != sum {
        return None;
    }
    let body = body.as_slice();
    let mut r = Reader { bytes: body, at: 0 };
    let count = r.u64()?;
    let mut entries = Vec::with_capacity(count.min(1 << 20) as usize);
    for _ in 0..count {
        let rel = r.text()?;
        let stamp = Stamp {
            size: r.u64()?,
            mtime: (r.i64()?, r.i64()?),
            ctime: (r.i64()?, r.i64()?),
            ino: r.u64()?,
            dev: r.u64()?,
        };
        let hash = r.u64()?;
        let Value::Map(fields) = r.value(0)? else {
            return None;
        };
        entries.push((
            rel,
            Entry {
                stamp,
                hash,
                fields,
            },
        ));
    }
    (r.at == body.len()).then_some((entries, loaded_at))
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn put_i64(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn put_len(out: &mut Vec<u8>, mut v: usize) {
    // LEB128: most lengths are one byte.
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}
fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_len(out, b.len());
    out.extend_from_slice(b);
}
fn put_map(out: &mut Vec<u8>, m: &Map) {
    out.push(7);
    put_len(out, m.len());
    for e in m.entries() {
        put_bytes(out, e.key.as_bytes());
        put_len(out, e.line as usize);
        put_value(out, &e.value);
    }
}
fn put_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => out.push(0),
        Value::Bool(false) => out.push(1),
        Value::Bool(true) => out.push(2),
        Value::Int(i) => {
            out.push(3);
            put_i64(out, *i);
        }
        Value::Float(f) => {
            out.push(4);
            put_u64(out, f.to_bits());
        }
        Value::Str(s) => {
            out.push(5);
            put_bytes(out, s.as_bytes());
        }
        Value::List(items) => {
            out.push(6);
            put_len(out, items.len());
            for i in items {
                put_value(out, i);
            }
        }
        Value::Map(m) => put_map(out, m),
    }
}

/// Reads what the encoder wrote; every read is bounds-checked, so a damaged shard is
/// refused, never trusted and never a panic.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(out)
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn len(&mut self) -> Option<usize> {
        let mut v: usize = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.take(1)?.first()?;
            v |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    fn bytes_field(&mut self) -> Option<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }
    fn text(&mut self) -> Option<String> {
        std::str::from_utf8(self.bytes_field()?)
            .ok()
            .map(str::to_string)
    }
    fn value(&mut self, depth: usize) -> Option<Value> {
        // The parser's own depth limit is 32; deeper is damage.
        if depth > 64 {
            return None;
        }
        let tag = *self.take(1)?.first()?;
        Some(match tag {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => Value::Int(self.i64()?),
            4 => Value::Float(f64::from_bits(self.u64()?)),
            5 => Value::Str(self.text()?.into()),
            6 => {
                let n = self.len()?;
                let mut items = Vec::with_capacity(n.min(4096));
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Value::List(items)
            }
            7 => {
                let n = self.len()?;
                let mut m = Map::with_capacity(n.min(4096));
                for _ in 0..n {
                    let key = std::str::from_utf8(self.bytes_field()?).ok()?;
                    let line = u32::try_from(self.len()?).ok()?;
                    let value = self.value(depth + 1)?;
                    m.push_read(key, line, value);
                }
                Value::Map(m)
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_with_their_lines() {
        let text = "id: RISK-001\nlikelihood: 3\nscore: 2.5\nok: true\nnone: null\nlist: [a, 1]\nnested:\n  k: v\n";
        let Value::Map(m) = super::super::load::parse_yaml(text, Path::new("x")).unwrap() else {
            panic!()
        };
        let mut out = Vec::new();
        put_map(&mut out, &m);
        let back = Reader { bytes: &out, at: 0 }.value(0).unwrap();
        let Value::Map(back) = back else { panic!() };
        assert_eq!(back, m);
        assert_eq!(back.line_of("nested"), Some(7));
        assert_eq!(
            back.get("nested")
                .and_then(Value::as_map)
                .and_then(|n| n.line_of("k")),
            Some(8)
        );
    }

    #[test]
    fn damage_is_refused_not_trusted() {
        let mut out = Vec::new();
        let mut m = Map::new();
        m.set("id", Value::str("RISK-001"));
        put_map(&mut out, &m);
        for cut in 0..out.len() {
            assert!(
                Reader {
                    bytes: &out[..cut],
                    at: 0
                }
                .value(0)
                .is_none()
            );
        }
    }
}

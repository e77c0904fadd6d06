//! Saving records: surgical, checked and atomic.
//!
//! 1. the file on disk must still be what was read (else: conflict, both versions kept);
//! 2. only the top-level fields that changed are rewritten in the file's own text, so
//!    comments, order, quoting and unknown fields stay byte for byte;
//! 3. the result is parsed back and must equal the intended record (else nothing is written);
//! 4. it is written to a temporary file in the same folder, synced and renamed into place.

use super::load::{Workspace, content_hash, parse_yaml};
use super::replace::{self, ReplaceError};
use super::{emit, fsio, lock};
use crate::domain::dates::Date;
use crate::domain::{Finding, Map, Record, RecordType, Value};
use crate::rules::{self, Ctx};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug)]
pub enum SaveError {
    /// Another writer held the workspace lock for too long; says who, when it can.
    Locked(String),
    /// The workspace's lock could not be taken (`.aims` is a file, the lock a FIFO…).
    Lock(String),
    /// The file changed on disk since it was read; `on_disk` is its current text. `kept`
    /// names a copy of a version that could not be put back in place (see the message).
    Conflict {
        path: PathBuf,
        on_disk: Option<String>,
        kept: Option<PathBuf>,
    },
    /// The file on disk is not something aims reads (a FIFO, a device, unreadable).
    NotReadable(PathBuf, fsio::ReadError),
    /// The file could not be read when the workspace was loaded: it is never written.
    Unreadable(PathBuf),
    /// The record file is a symlink: saving would replace the link.
    Symlink(PathBuf),
    /// The record breaks rules it did not break before.
    Invalid(Vec<Finding>),
    /// A new record's file already exists.
    Exists(PathBuf),
    NotFound(String),
    /// The edit would not have produced the intended record; nothing was written.
    EditMismatch(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::Locked(who) => write!(
                f,
                "the workspace lock (.aims/lock) is held by {who}; nothing was saved: try again in a moment"
            ),
            SaveError::Lock(why) => write!(f, "{why}; nothing was saved"),
            SaveError::Conflict {
                path,
                kept: Some(kept),
                ..
            } => write!(
                f,
                "{} changed on disk while it was being saved; both versions are kept: the other one is in {}. Compare them and merge by hand",
                path.display(),
                kept.display()
            ),
            SaveError::Conflict { path, .. } => write!(
                f,
                "{} changed on disk since it was opened; nothing was saved: reload it and re-apply the change",
                path.display()
            ),
            SaveError::NotReadable(p, e) => write!(f, "{} {e}; nothing was saved", p.display()),
            SaveError::Unreadable(p) => write!(
                f,
                "{} could not be read when loaded, so it is never overwritten: fix it by hand first",
                p.display()
            ),
            SaveError::Invalid(findings) => {
                write!(f, "not saved: ")?;
                let msgs: Vec<_> = findings.iter().map(|x| x.message.as_str()).collect();
                write!(f, "{}", msgs.join("; "))
            }
            SaveError::Symlink(p) => write!(
                f,
                "{} is a symbolic link: edit the file it points to instead; nothing was saved",
                p.display()
            ),
            SaveError::Exists(p) => write!(f, "{} already exists: choose another id", p.display()),
            SaveError::NotFound(id) => write!(
                f,
                "no record `{}` in the workspace",
                crate::domain::text::one_line(id)
            ),
            SaveError::EditMismatch(p) => write!(
                f,
                "{}: the edit could not be written without disturbing other content; nothing was saved (please report this)",
                p.display()
            ),
            SaveError::Io(p, e) if e.kind() == std::io::ErrorKind::PermissionDenied => write!(
                f,
                "cannot write in {}: permission denied ({e}): this user needs write access there; on a shared workspace give the group write access (chmod g+w, see the README)",
                p.display()
            ),
            SaveError::Io(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for SaveError {}

/// Applies the changed top-level fields of `new` to the document `text`, leaving every
/// other byte alone. Fields new to the file go where the spec's field order puts them.
pub fn surgical_edit(text: &str, old: &Map, new: &Map, order: &[&str]) -> Option<String> {
    // Text in folded or literal blocks is rewritten in its own style first; the rest of
    // the edit then sees those fields as already done.
    if let Some((styled, done)) = super::blocks::keep_block_styles(text, old, new)
        && let Some(out) = edit_fields(&styled, &done, new, order)
    {
        return Some(out);
    }
    edit_fields(text, old, new, order)
}

fn edit_fields(text: &str, old: &Map, new: &Map, order: &[&str]) -> Option<String> {
    // First the finest edit: inside lists and nested mappings too, so one audit result
    // changes one line. If that does not give exactly the intended record, the whole
    // changed top-level value is rewritten instead (the caller verifies again).
    if let Some(out) = edit_text(text, old, new, order, true)
        && parse_yaml(&out, std::path::Path::new(""))
            .is_ok_and(|v| v.as_map().is_some_and(|m| same_fields(m, new)))
    {
        return Some(out);
    }
    edit_text(text, old, new, order, false).filter(|out| {
        parse_yaml(out, Path::new(""))
            .is_ok_and(|v| v.as_map().is_some_and(|m| same_fields(m, new)))
    })
}

fn edit_text(text: &str, old: &Map, new: &Map, order: &[&str], deep: bool) -> Option<String> {
    let doc = yaml_edit::Document::from_str(text).ok()?;
    // The file's own key order first, then the spec's, so new keys land near their kin.
    let mut full_order: Vec<&str> = order.to_vec();
    for k in new.keys() {
        if !full_order.contains(&k) {
            full_order.push(k);
        }
    }
    match doc.as_mapping() {
        Some(root) => edit_mapping(&root, old, new, &full_order, deep)?,
        // An empty document: build it through the document.
        None => {
            for e in new.entries() {
                if !doc.set(e.key.as_str(), &node_of(&e.value)?) {
                    return None;
                }
            }
        }
    }
    let mut out = doc.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Some(out)
}

/// Applies the changes from `old` to `new` to one mapping node, key by key; with `deep`,
/// changed lists and mappings are edited inside rather than rewritten.
fn edit_mapping(
    m: &yaml_edit::Mapping,
    old: &Map,
    new: &Map,
    order: &[&str],
    deep: bool,
) -> Option<()> {
    for key in old.keys() {
        if !new.contains(key) {
            m.remove(key);
        }
    }
    for e in new.entries() {
        let key = e.key.as_str();
        let before = old.get(key);
        if before == Some(&e.value) {
            continue;
        }
        let inside = match (before, &e.value) {
            (Some(Value::Map(o)), Value::Map(n)) if deep => m
                .get_mapping(key)
                .and_then(|sub| edit_mapping(&sub, o, n, &[], deep)),
            (Some(Value::List(o)), Value::List(n))
                if deep && n.len() >= o.len() && !o.is_empty() =>
            {
                m.get_sequence(key)
                    .and_then(|seq| edit_sequence(&seq, o, n))
            }
            (Some(Value::List(_)), Value::List(items)) if append_only(before, items) => {
                let count = old.list(key).len();
                m.get_sequence(key)
                    .and_then(|seq| append_items(&seq, &items[count..]))
            }
            _ => None,
        };
        if inside.is_some() {
            continue;
        }
        let node = node_of(&e.value)?;
        if before.is_some() || order.is_empty() {
            m.set(key, &node);
        } else {
            m.set_with_field_order(key, &node, order.iter().copied());
        }
    }
    Some(())
}

/// Edits a list in place: changed items (mappings edited inside), then appended ones.
fn edit_sequence(seq: &yaml_edit::Sequence, old: &[Value], new: &[Value]) -> Option<()> {
    if seq.len() != old.len() {
        return None;
    }
    for (i, (o, n)) in old.iter().zip(new).enumerate() {
        if o == n {
            continue;
        }
        match (o, n) {
            (Value::Map(om), Value::Map(nm)) => {
                let item = seq.get(i)?;
                edit_mapping(item.as_mapping()?, om, nm, &[], true)?;
            }
            _ => {
                if !seq.set(i, &node_of(n)?) {
                    return None;
                }
            }
        }
    }
    if new.len() > old.len() {
        append_items(seq, &new[old.len()..])?;
    }
    Some(())
}

/// A value as a yaml-edit node: scalars as themselves, lists and mappings emitted under a
/// key so a block keeps the usual two-space indentation.
fn node_of(value: &Value) -> Option<yaml_edit::YamlNode> {
    let mut wrapped = Map::new();
    wrapped.set("v", value.clone());
    let text = match value {
        Value::List(_) | Value::Map(_) => emit::to_yaml(&wrapped),
        scalar => format!("v: {}\n", emit::scalar_text(scalar, 2)),
    };
    let frag = yaml_edit::Document::from_str(&text).ok()?;
    frag.as_mapping()?.get("v")
}

/// True when `new` is the old list with items added at the end (a log entry appended).
fn append_only(old: Option<&Value>, new: &[Value]) -> bool {
    match old {
        Some(Value::List(before)) => {
            !before.is_empty()
                && new.len() > before.len()
                && before.iter().zip(new).all(|(a, b)| a == b)
        }
        _ => false,
    }
}

/// Appends items to the list under `key`, leaving the existing items' text alone. New items
/// follow the style of the last one: `- {date: …, by: …}` stays one line.
fn append_items(seq: &yaml_edit::Sequence, items: &[Value]) -> Option<()> {
    let flow_items = seq.is_flow_style()
        || seq
            .last()
            .is_some_and(|n| n.as_mapping().is_some_and(|m| m.is_flow_style()));
    for item in items {
        let text = match item {
            Value::Map(m) if flow_items => format!("v: {}\n", emit::flow_map(m)?),
            other => {
                let mut wrapped = Map::new();
                wrapped.set("v", other.clone());
                emit::to_yaml(&wrapped)
            }
        };
        let frag = yaml_edit::Document::from_str(&text).ok()?;
        let node = frag.as_mapping()?.get("v")?;
        seq.push(&node);
    }
    Some(())
}

/// Writes `bytes` to `path` atomically: temp file in the same folder, fsync, rename, fsync
/// dir. For files written whole (a new workspace); records go through the checked paths.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace::write_whole(path, bytes)
}

impl Workspace {
    /// Saves new field values for an existing record. `today` is needed by the rules that
    /// compare dates (a stale impact assessment).
    pub fn save_record(&mut self, id: &str, fields: Map, today: Date) -> Result<(), SaveError> {
        let record = self
            .get(id)
            .ok_or_else(|| SaveError::NotFound(id.to_string()))?
            .clone();
        if self.unreadable.contains(&record.path) {
            return Err(SaveError::Unreadable(record.path));
        }
        let updated = Record {
            fields,
            ..record.clone()
        };
        self.refuse_new_errors(Some(&record), &updated, today)?;

        if let Some(lost) = rewritten_reviews(&record.fields, &updated.fields) {
            return Err(SaveError::Invalid(vec![
                Finding::error(&record.path, lost)
                    .record(&record.id)
                    .field("reviews"),
            ]));
        }

        let path = self.path_of(&record);
        let _lock = self.lock()?;
        // A save replaces the file; through a symlink it would replace the link, not the
        // file it points at. Such records are edited at their target.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(SaveError::Symlink(record.path));
        }
        let current = match fsio::read_capped(&path, super::load::MAX_FILE_BYTES) {
            Ok(bytes) => bytes,
            // Deleted, or too large to be what was read: a conflict, never recreated.
            Err(e) if gone_or_oversize(&e) => {
                return Err(SaveError::Conflict {
                    path: record.path,
                    on_disk: None,
                    kept: None,
                });
            }
            Err(e) => return Err(SaveError::NotReadable(record.path, e)),
        };
        if content_hash(&current) != record.content_hash {
            return Err(SaveError::Conflict {
                path: record.path,
                on_disk: String::from_utf8(current).ok(),
                kept: None,
            });
        }
        let text =
            String::from_utf8(current).map_err(|_| SaveError::Unreadable(record.path.clone()))?;
        let order = rules::spec(record.kind).field_order();
        let new_text = surgical_edit(&text, &record.fields, &updated.fields, &order)
            .ok_or_else(|| SaveError::EditMismatch(record.path.clone()))?;
        self.verify_and_write(updated, &new_text, Some(record.content_hash))
    }

    /// Creates a new record file, written whole in the spec's field order.
    pub fn create_record(
        &mut self,
        kind: RecordType,
        fields: Map,
        today: Date,
    ) -> Result<(), SaveError> {
        // Untrimmed: an id is a file name, and "RISK-9 " is not "RISK-9".
        let id = fields
            .get("id")
            .and_then(Value::as_text)
            .unwrap_or_default();
        let valid = if kind == RecordType::Soa {
            crate::domain::catalog::control(&id).is_some()
        } else {
            crate::domain::ids::is_record_id(&id)
        };
        if !valid {
            return Err(SaveError::Invalid(vec![Finding::error(
                kind.dir(),
                format!(
                    "`{}` is not a valid id (like {}-001)",
                    crate::domain::text::show_id(&id),
                    kind.prefix()
                ),
            )]));
        }
        let rel = PathBuf::from(kind.dir()).join(format!("{id}.yaml"));
        if self.get(&id).is_some() || self.root.join(&rel).exists() {
            return Err(SaveError::Exists(rel));
        }
        let ordered = in_spec_order(kind, &fields);
        let record = Record {
            kind,
            id,
            fields: ordered,
            path: rel,
            content_hash: 0,
        };
        self.refuse_new_errors(None, &record, today)?;
        let dir = self.root.join(kind.dir());
        std::fs::create_dir_all(&dir).map_err(|e| SaveError::Io(dir, e))?;
        let _lock = self.lock()?;
        // Checked again under the lock: two people pressing `n` at once get one file each
        // or an error, never one file silently replacing the other.
        let twin = record.path.with_extension("yml");
        if self.root.join(&record.path).exists() || self.root.join(&twin).exists() {
            return Err(SaveError::Exists(record.path));
        }
        let text = emit::to_yaml(&record.fields);
        self.verify_and_write(record, &text, None)
    }

    pub(super) fn lock(&self) -> Result<lock::WriteLock, SaveError> {
        lock::acquire(&self.root, Duration::from_secs(2)).map_err(|e| match e {
            lock::LockError::Busy(who) => SaveError::Locked(who),
            other => SaveError::Lock(other.to_string()),
        })
    }

    /// Errors block a save, but only the ones this edit would introduce: marking a record
    /// reviewed must not be refused because of an old problem elsewhere in it. Errors only
    /// another record can cure (an impact assessment of a new system) never block: the
    /// record must exist before the other can name it.
    fn refuse_new_errors(
        &self,
        before: Option<&Record>,
        after: &Record,
        today: Date,
    ) -> Result<(), SaveError> {
        let ctx = Ctx { view: self, today };
        let old: Vec<String> = before
            .map(|r| rules::validate_record(r, &ctx))
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.message)
            .collect();
        let new: Vec<Finding> = rules::validate_record(after, &ctx)
            .into_iter()
            .filter(|f| rules::registry::blocks_save(f) && !old.contains(&f.message))
            .collect();
        if new.is_empty() {
            Ok(())
        } else {
            Err(SaveError::Invalid(new))
        }
    }

    /// Parses the new text back, checks it is exactly the intended record, writes it
    /// atomically and updates the in-memory record. `replacing`: the hash of the file as it
    /// was read (an edit), or None (a new file, which must not exist).
    fn verify_and_write(
        &mut self,
        mut record: Record,
        text: &str,
        replacing: Option<u64>,
    ) -> Result<(), SaveError> {
        let back = parse_yaml(text, &record.path)
            .map_err(|_| SaveError::EditMismatch(record.path.clone()))?;
        match back {
            // New keys may land in spec order rather than the caller's: compare by key.
            Value::Map(m) if same_fields(&m, &record.fields) => record.fields = m,
            _ => return Err(SaveError::EditMismatch(record.path.clone())),
        }
        let path = self.root.join(&record.path);
        let written = match replacing {
            Some(hash) => replace::replace_if_unchanged(&path, text.as_bytes(), hash),
            None => replace::create_new(&path, text.as_bytes()),
        };
        written.map_err(|e| match e {
            ReplaceError::Conflict { on_disk, kept } => SaveError::Conflict {
                path: record.path.clone(),
                on_disk: on_disk.and_then(|b| String::from_utf8(b).ok()),
                kept: kept.map(|k| k.strip_prefix(&self.root).map(PathBuf::from).unwrap_or(k)),
            },
            ReplaceError::Exists => SaveError::Exists(record.path.clone()),
            ReplaceError::Unreadable(_, e) => SaveError::NotReadable(record.path.clone(), e),
            ReplaceError::Io(p, e) => SaveError::Io(p, e),
        })?;
        record.content_hash = content_hash(text.as_bytes());
        self.replace(record);
        Ok(())
    }
}

/// The fields rearranged in the spec's order, unknown fields after them in their own order.
pub fn in_spec_order(kind: RecordType, fields: &Map) -> Map {
    let order = rules::spec(kind).field_order();
    let mut out = Map::new();
    for name in &order {
        if let Some(v) = fields.get(name) {
            out.set(name, v.clone());
        }
    }
    for e in fields.entries() {
        if !order.contains(&e.key.as_str()) {
            out.set(&e.key, e.value.clone());
        }
    }
    out
}

/// Same keys with equal values, in any top-level order.
pub(super) fn same_fields(a: &Map, b: &Map) -> bool {
    a.len() == b.len() && a.entries().iter().all(|e| b.get(&e.key) == Some(&e.value))
}

/// The review log is append-only evidence: an edit may add entries, never change or drop
/// one. Returns the reason when it would.
fn rewritten_reviews(old: &Map, new: &Map) -> Option<String> {
    ["reviews", "history"].into_iter().find_map(|log| {
        let (before, after) = (old.list(log), new.list(log));
        let kept = after.len() >= before.len() && before.iter().zip(after).all(|(a, b)| a == b);
        (!kept).then(|| {
            format!("the `{log}` log is append-only: add a new entry instead of changing or removing earlier ones")
        })
    })
}

impl Workspace {
    /// Deletes a record by moving its file to `.aims/trash/<id>.<stamp>.yaml` (never
    /// erasing it). Refused when the file changed on disk since it was read. Returns the
    /// trash path, relative to the workspace.
    pub fn trash_record(&mut self, id: &str, stamp: &str) -> Result<PathBuf, SaveError> {
        let record = self
            .get(id)
            .ok_or_else(|| SaveError::NotFound(id.to_string()))?
            .clone();
        if self.unreadable.contains(&record.path) {
            return Err(SaveError::Unreadable(record.path));
        }
        let _lock = self.lock()?;
        let path = self.path_of(&record);
        // Moving a symlink would move the link, not the record it points at.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(SaveError::Symlink(record.path));
        }
        let current = fsio::read_capped(&path, super::load::MAX_FILE_BYTES)
            .map_err(|e| SaveError::NotReadable(record.path.clone(), e))?;
        if content_hash(&current) != record.content_hash {
            return Err(SaveError::Conflict {
                path: record.path,
                on_disk: String::from_utf8(current).ok(),
                kept: None,
            });
        }
        let trash_dir = lock::state_dir(&self.root)
            .map_err(|e| SaveError::Lock(e.to_string()))?
            .join("trash");
        std::fs::create_dir_all(&trash_dir).map_err(|e| SaveError::Io(trash_dir.clone(), e))?;
        let stamp: String = stamp
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let mut n = 0;
        let target = loop {
            let suffix = if n == 0 {
                String::new()
            } else {
                format!("-{n}")
            };
            let candidate = trash_dir.join(format!("{id}.{stamp}{suffix}.yaml"));
            if !candidate.exists() {
                break candidate;
            }
            n += 1;
        };
        std::fs::rename(&path, &target).map_err(|e| {
            // A move needs write access to both folders: name the one that refused.
            let blame = [trash_dir.as_path(), replace::parent_of(&path)]
                .into_iter()
                .find(|d| {
                    rustix::fs::access(
                        *d,
                        rustix::fs::Access::WRITE_OK | rustix::fs::Access::EXEC_OK,
                    )
                    .is_err()
                })
                .map_or_else(|| path.clone(), Path::to_path_buf);
            SaveError::Io(blame, e)
        })?;
        // What was moved must be what was read; if another writer replaced the file in the
        // instant between, their version goes back in place (or stays in the trash, named).
        let moved = fsio::read_capped(&target, super::load::MAX_FILE_BYTES).ok();
        if moved.as_deref().map(content_hash) != Some(record.content_hash) {
            let restored = replace::rename_no_replace(&target, &path).is_ok();
            let kept = (!restored).then(|| {
                target
                    .strip_prefix(&self.root)
                    .map(PathBuf::from)
                    .unwrap_or(target.clone())
            });
            return Err(SaveError::Conflict {
                path: record.path,
                on_disk: moved.and_then(|b| String::from_utf8(b).ok()),
                kept,
            });
        }
        self.remove(id);
        Ok(target
            .strip_prefix(&self.root)
            .map(PathBuf::from)
            .unwrap_or(target))
    }
}

/// A read that shows the file is not what was loaded: deleted, or larger than any record.
pub(super) fn gone_or_oversize(e: &fsio::ReadError) -> bool {
    match e {
        fsio::ReadError::TooLarge(..) => true,
        fsio::ReadError::Io(io) => io.kind() == std::io::ErrorKind::NotFound,
        fsio::ReadError::NotRegular(_) => false,
    }
}

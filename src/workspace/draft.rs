//! Drafts: what a person was typing, kept on disk until it is saved or discarded.
//!
//! Why: a dropped SSH connection or a killed terminal must not lose a half-filled form or
//! a long audit note. The workbench writes the edit here within a second of each change
//! ([`Drafts::save`]), removes it on save or discard ([`Drafts::remove`]), and on the next
//! start offers what [`Drafts::list`] finds. A draft remembers the version of the record
//! the edit started from (its content hash, the one the save path checks, and its fields),
//! so restoring it later goes through the three-way merge instead of overwriting a newer
//! file (see `workspace::rebase`).
//!
//! Where: `.aims/drafts/u<uid>/`, one folder per user, readable by that user alone (like
//! the parse cache: a draft may hold text of a record others may not read). One file per
//! record and kind of edit, `<key>.json`, written whole through a temp file and a rename,
//! so a kill mid-write leaves the old draft or the new one, never half of either. Writes
//! never touch record files.
//!
//! Format: JSON, because it is written often and read rarely, by aims. Values are encoded
//! so that every [`Value`] comes back exactly: mappings as `{"map": [[key, value], …]}`
//! (key order kept), floats as `{"float": "<text>"}` (NaN and infinities included), other
//! scalars and lists as plain JSON. A file in the folder that is not such a draft
//! (damaged, from another version, put there by hand) is reported with its path by
//! [`Drafts::list`] and left alone: it is never deleted silently.
//!
//! The time a draft was written is passed in by the caller (never read from the clock
//! here), so what is stored is what tests expect.

use super::replace::{self, TEMP_PREFIX};
use super::{fsio, lock};
use crate::domain::{Map, RecordType, Value};
use chrono::{DateTime, FixedOffset};
use std::path::{Path, PathBuf};

/// The file beside the drafts that keeps when a live walk started (see `walk_started`).
const WALK_SUFFIX: &str = ".walk-started";

/// The format of the draft files this version writes and reads.
const FORMAT: u64 = 1;
/// A draft holds two copies of a record's fields (base and typed); a record file is at
/// most 1 MiB of YAML, and JSON with tags is larger.
pub const MAX_DRAFT_BYTES: u64 = 8 * super::load::MAX_FILE_BYTES;

/// Which record an edit is of.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// An existing record, as it was when the edit started: `path` relative to the
    /// workspace, `base_hash` the content hash of its file then (what the save checks).
    Record {
        kind: RecordType,
        id: String,
        path: PathBuf,
        base_hash: u64,
    },
    /// A record not saved yet (its id, if typed, is in the fields).
    New(RecordType),
    /// The workspace's settings (`aims.yaml`), `base_hash` the content hash of the file
    /// when the edit started: a dropped connection must not lose a settings edit either.
    Settings { base_hash: u64 },
}

/// What kind of edit it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The record's form.
    Form,
    /// The note of checklist item `item` (counted from 0) in the audit walk.
    WalkNote { item: usize },
}

/// One unsaved edit. `fields` and `base` are whole records' fields (for a walk note: the
/// audit with the note typed in), so restoring and merging work the same for both kinds.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub target: Target,
    pub edit: Edit,
    /// The fields as typed.
    pub fields: Map,
    /// The fields when the edit started (empty for a new record): the merge's base.
    pub base: Map,
    /// When the draft was written, in the writer's local offset (shown on restore).
    pub written_at: DateTime<FixedOffset>,
}

/// Names one draft file: a record (or a new record's type) and a kind of edit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DraftKey(String);

impl DraftKey {
    pub fn new(target: &Target, edit: Edit) -> DraftKey {
        let edit = match edit {
            Edit::Form => "form".to_string(),
            Edit::WalkNote { item } => format!("note-{item}"),
        };
        // An escaped id never holds a dot, so `new.<type>.<edit>` cannot be an id's key.
        match target {
            Target::Record { id, .. } => DraftKey(format!("{}.{edit}", escape(id))),
            Target::New(kind) => DraftKey(format!("new.{}.{edit}", kind.key())),
            // Two dots and no `new.`: neither an id's key nor a new record's.
            Target::Settings { .. } => DraftKey(format!("settings.aims.{edit}")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn file_name(&self) -> String {
        format!("{}.json", self.0)
    }
}

impl std::fmt::Display for DraftKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Ids are file names already, but a draft key must never name a path whatever the id:
/// every byte but letters, digits and `-` is written `%XX`.
fn escape(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Draft {
    /// A draft of an edit of `record` (as the workspace held it when the edit started).
    pub fn of_record(
        record: &crate::domain::Record,
        edit: Edit,
        fields: Map,
        written_at: DateTime<FixedOffset>,
    ) -> Draft {
        Draft {
            target: Target::Record {
                kind: record.kind,
                id: record.id.clone(),
                path: record.path.clone(),
                base_hash: record.content_hash,
            },
            edit,
            fields,
            base: record.fields.clone(),
            written_at,
        }
    }

    /// A draft of a new record's form.
    pub fn of_new(kind: RecordType, fields: Map, written_at: DateTime<FixedOffset>) -> Draft {
        Draft {
            target: Target::New(kind),
            edit: Edit::Form,
            fields,
            base: Map::new(),
            written_at,
        }
    }

    pub fn key(&self) -> DraftKey {
        DraftKey::new(&self.target, self.edit)
    }

    /// The record's id: the target's, or the id typed into a new record's form (none for
    /// the settings).
    pub fn id(&self) -> Option<String> {
        match &self.target {
            Target::Record { id, .. } => Some(id.clone()),
            Target::New(_) => self.fields.text("id"),
            Target::Settings { .. } => None,
        }
    }

    /// The record type edited; `None` for the settings.
    pub fn kind(&self) -> Option<RecordType> {
        match &self.target {
            Target::Record { kind, .. } | Target::New(kind) => Some(*kind),
            Target::Settings { .. } => None,
        }
    }
}

/// Why a draft could not be written, read or removed. Every variant names the path.
#[derive(Debug)]
pub enum DraftError {
    /// The drafts folder cannot be used (not a folder, another user's, no permission).
    Dir(PathBuf, String),
    /// A file in the drafts folder is not a draft this version reads (damaged, from
    /// another version, put there by hand). It is kept as it is.
    Damaged(PathBuf, String),
    /// A draft file could not be read (too large, not a regular file, permissions).
    Unreadable(PathBuf, fsio::ReadError),
    /// The draft is larger than a draft may be; nothing was written.
    TooLarge(PathBuf, u64),
    Io(PathBuf, std::io::Error),
}

impl DraftError {
    pub fn path(&self) -> &Path {
        match self {
            DraftError::Dir(p, _)
            | DraftError::Damaged(p, _)
            | DraftError::Unreadable(p, _)
            | DraftError::TooLarge(p, _)
            | DraftError::Io(p, _) => p,
        }
    }
}

impl std::fmt::Display for DraftError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DraftError::Dir(p, why) => write!(
                f,
                "cannot keep drafts in {}: {why}; unsaved edits are not protected until this is fixed",
                p.display()
            ),
            DraftError::Damaged(p, why) => write!(
                f,
                "{} is not a draft aims can read ({why}); it is kept: look at it, then delete it by hand",
                p.display()
            ),
            DraftError::Unreadable(p, e) => write!(f, "the draft {} {e}; it is kept", p.display()),
            DraftError::TooLarge(p, size) => write!(
                f,
                "the draft {} would be {}, more than the {} a draft may be; it was not written",
                p.display(),
                fsio::human_size(*size),
                fsio::human_size(MAX_DRAFT_BYTES)
            ),
            DraftError::Io(p, e) => write!(
                f,
                "cannot write the draft {}: {}",
                p.display(),
                fsio::io_reason(e)
            ),
        }
    }
}

impl std::error::Error for DraftError {}

/// The drafts of the current user in one workspace.
#[derive(Debug, Clone)]
pub struct Drafts {
    root: PathBuf,
    dir: PathBuf,
}

impl Drafts {
    /// Nothing is created until the first save: a read-only workspace can still be listed.
    pub fn open(root: &Path) -> Drafts {
        let uid = rustix::process::geteuid().as_raw();
        Drafts {
            root: root.to_path_buf(),
            dir: root
                .join(lock::STATE_DIR)
                .join("drafts")
                .join(format!("u{uid}")),
        }
    }

    /// The folder the drafts are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a draft with this key is written to.
    pub fn path_of(&self, key: &DraftKey) -> PathBuf {
        self.dir.join(key.file_name())
    }

    /// Writes the draft whole and atomically (temp file, sync, rename), replacing the
    /// previous draft of the same key. Returns its path. Meant to be called on each change,
    /// at most about once a second.
    pub fn save(&self, draft: &Draft) -> Result<PathBuf, DraftError> {
        self.ensure_dir()?;
        let path = self.path_of(&draft.key());
        let bytes = encode(draft);
        if bytes.len() as u64 > MAX_DRAFT_BYTES {
            return Err(DraftError::TooLarge(path, bytes.len() as u64));
        }
        // Temp files a killed workbench left here (checked at most once a minute).
        replace::clean_stale_temps(&self.dir);
        replace::write_whole(&path, &bytes).map_err(|e| DraftError::Io(path.clone(), e))?;
        Ok(path)
    }

    /// Every draft in the folder, in file-name order; a file that is not a readable draft
    /// is an `Err` naming it (and stays on disk). No folder: no drafts.
    pub fn list(&self) -> Vec<Result<Draft, DraftError>> {
        if std::fs::symlink_metadata(&self.dir)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            return Vec::new();
        }
        if let Err(e) = self.own_dir() {
            return vec![Err(e)];
        }
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) => return vec![Err(DraftError::Dir(self.dir.clone(), fsio::io_reason(&e)))],
        };
        let mut names: Vec<std::ffi::OsString> = entries
            .flatten()
            .map(|e| e.file_name())
            // A save in progress (or one a kill interrupted): not a draft yet. A walk's
            // clock (`walk_started`) is not a draft either.
            .filter(|n| {
                let n = n.to_string_lossy();
                !n.starts_with(TEMP_PREFIX) && !n.ends_with(WALK_SUFFIX)
            })
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|name| self.read(&self.dir.join(name)))
            .collect()
    }

    /// When this person's live walk of `audit` started (unix seconds), so that a walk
    /// resumed after a dropped connection keeps its clock instead of starting at 0:00:00.
    /// The first call writes `now`; later calls return what it wrote until
    /// [`Drafts::walk_ended`]. A start over 12 hours old is a walk of its own, restarted.
    /// Best effort: a folder that cannot be written only costs the clock.
    pub fn walk_started(&self, audit: &str, now: u64) -> u64 {
        const STALE: u64 = 12 * 3600;
        let path = self.walk_path(audit);
        let kept = fsio::read_text_if_exists(&path, 64)
            .ok()
            .flatten()
            .and_then(|t| t.trim().parse::<u64>().ok())
            .filter(|&t| t <= now && now - t < STALE);
        if let Some(t) = kept {
            return t;
        }
        if self.ensure_dir().is_ok() {
            let _ = replace::write_whole(&path, now.to_string().as_bytes());
        }
        now
    }

    /// The walk of `audit` was left on purpose: the next one starts its clock afresh.
    pub fn walk_ended(&self, audit: &str) {
        let _ = std::fs::remove_file(self.walk_path(audit));
    }

    fn walk_path(&self, audit: &str) -> PathBuf {
        self.dir.join(format!("{}{WALK_SUFFIX}", escape(audit)))
    }

    /// The folder's metadata, when it is this user's own folder (not a link, not another
    /// user's: drafts planted there by someone else must never be offered as one's own).
    fn own_dir(&self) -> Result<std::fs::Metadata, DraftError> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::symlink_metadata(&self.dir)
            .map_err(|e| DraftError::Dir(self.dir.clone(), fsio::io_reason(&e)))?;
        if !meta.is_dir() {
            return Err(DraftError::Dir(
                self.dir.clone(),
                "it is not a folder: move it away".into(),
            ));
        }
        if meta.uid() != rustix::process::geteuid().as_raw() {
            return Err(DraftError::Dir(
                self.dir.clone(),
                "it belongs to another user: remove it so aims can create this user's own".into(),
            ));
        }
        Ok(meta)
    }

    /// Removes the draft with this key (after a save or a discard). Absent is fine.
    pub fn remove(&self, key: &DraftKey) -> Result<(), DraftError> {
        let path = self.path_of(key);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(DraftError::Io(path, e)),
        }
    }

    fn read(&self, path: &Path) -> Result<Draft, DraftError> {
        // Not through a symlink: a link here could make aims read (and show) any file.
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(DraftError::Damaged(
                path.to_path_buf(),
                "a symbolic link, not a draft".into(),
            ));
        }
        let bytes = fsio::read_capped(path, MAX_DRAFT_BYTES)
            .map_err(|e| DraftError::Unreadable(path.to_path_buf(), e))?;
        let damaged = |why: String| DraftError::Damaged(path.to_path_buf(), why);
        let draft = decode(&bytes).map_err(damaged)?;
        let expected = draft.key().file_name();
        if path.file_name().and_then(|n| n.to_str()) != Some(expected.as_str()) {
            return Err(damaged(format!(
                "it holds the draft {} but is not named {expected}",
                draft.key()
            )));
        }
        Ok(draft)
    }

    /// `.aims/drafts/u<uid>/`, created 0700, and refused when it is not this user's own
    /// folder (someone else's folder could let them read the drafts).
    fn ensure_dir(&self) -> Result<(), DraftError> {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        let state = lock::state_dir(&self.root)
            .map_err(|e| DraftError::Dir(self.dir.clone(), e.to_string()))?;
        let parent = state.join("drafts");
        let io =
            |p: &Path, e: std::io::Error| DraftError::Dir(p.to_path_buf(), fsio::io_reason(&e));
        match std::fs::create_dir(&parent) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(&parent, e)),
        }
        match std::fs::DirBuilder::new().mode(0o700).create(&self.dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(&self.dir, e)),
        }
        let meta = self.own_dir()?;
        if meta.mode() & 0o077 != 0 {
            std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| io(&self.dir, e))?;
        }
        Ok(())
    }
}

// ---- encoding ----

fn encode(draft: &Draft) -> Vec<u8> {
    use serde_json::{Value as J, json};
    let record = match &draft.target {
        Target::Record {
            kind,
            id,
            path,
            base_hash,
        } => json!({
            "type": kind.key(),
            "id": id,
            "path": path.to_string_lossy(),
            // Text: a u64 is more than some JSON readers keep exactly.
            "base_hash": format!("{base_hash:016x}"),
        }),
        Target::New(kind) => json!({ "type": kind.key(), "new": true }),
        Target::Settings { base_hash } => json!({
            "settings": true,
            "base_hash": format!("{base_hash:016x}"),
        }),
    };
    let edit = match draft.edit {
        Edit::Form => J::from("form"),
        Edit::WalkNote { item } => json!({ "walk_note": item }),
    };
    let doc = json!({
        "aims_draft": FORMAT,
        "record": record,
        "edit": edit,
        "written_at": draft.written_at.to_rfc3339(),
        "base": map_to_json(&draft.base),
        "fields": map_to_json(&draft.fields),
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn decode(bytes: &[u8]) -> Result<Draft, String> {
    use serde_json::Value as J;
    let doc: J = serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    match doc.get("aims_draft").and_then(J::as_u64) {
        Some(FORMAT) => {}
        Some(n) => {
            return Err(format!(
                "written by another version of aims (draft format {n})"
            ));
        }
        None => return Err("no `aims_draft` format number".into()),
    }
    let record = doc.get("record").ok_or("no `record`")?;
    let text = |v: &J, key: &str| -> Result<String, String> {
        v.get(key)
            .and_then(J::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("no `{key}` text"))
    };
    let base_hash = || -> Result<u64, String> {
        let hash = text(record, "base_hash")?;
        u64::from_str_radix(&hash, 16).map_err(|_| format!("`base_hash` `{hash}` is not a hash"))
    };
    let target = if record.get("settings").and_then(J::as_bool) == Some(true) {
        Target::Settings {
            base_hash: base_hash()?,
        }
    } else {
        let kind_key = text(record, "type")?;
        let kind = RecordType::from_key(&kind_key)
            .ok_or_else(|| format!("unknown record type `{kind_key}`"))?;
        if record.get("new").and_then(J::as_bool) == Some(true) {
            Target::New(kind)
        } else {
            Target::Record {
                kind,
                id: text(record, "id")?,
                path: PathBuf::from(text(record, "path")?),
                base_hash: base_hash()?,
            }
        }
    };
    let edit = match doc.get("edit") {
        Some(J::String(s)) if s == "form" => Edit::Form,
        Some(e) => match e.get("walk_note").and_then(J::as_u64) {
            Some(n) => Edit::WalkNote {
                item: usize::try_from(n).map_err(|_| "walk note item out of range")?,
            },
            None => return Err("unknown `edit`".into()),
        },
        None => return Err("no `edit`".into()),
    };
    let written = text(&doc, "written_at")?;
    let written_at = DateTime::parse_from_rfc3339(&written)
        .map_err(|_| format!("`written_at` `{written}` is not a time"))?;
    let as_map = |key: &str| -> Result<Map, String> {
        match value_from_json(doc.get(key).ok_or_else(|| format!("no `{key}`"))?)? {
            Value::Map(m) => Ok(m),
            _ => Err(format!("`{key}` is not a mapping")),
        }
    };
    Ok(Draft {
        target,
        edit,
        base: as_map("base")?,
        fields: as_map("fields")?,
        written_at,
    })
}

fn map_to_json(m: &Map) -> serde_json::Value {
    let pairs: Vec<serde_json::Value> = m
        .entries()
        .iter()
        .map(|e| serde_json::Value::Array(vec![e.key.as_str().into(), value_to_json(&e.value)]))
        .collect();
    serde_json::json!({ "map": pairs })
}

/// A value as JSON that reads back as exactly this value (see the module's notes).
pub fn value_to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        // Rust prints the shortest text that parses back to the same float.
        Value::Float(f) => serde_json::json!({ "float": format!("{f:?}") }),
        Value::Str(s) => J::String(s.to_string()),
        Value::List(items) => J::Array(items.iter().map(value_to_json).collect()),
        Value::Map(m) => map_to_json(m),
    }
}

/// The inverse of [`value_to_json`]; anything it would not write is an error.
pub fn value_from_json(j: &serde_json::Value) -> Result<Value, String> {
    use serde_json::Value as J;
    Ok(match j {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Int(
            n.as_i64()
                .ok_or_else(|| format!("the number {n} is not a whole number aims wrote"))?,
        ),
        J::String(s) => Value::Str(s.as_str().into()),
        J::Array(items) => Value::List(
            items
                .iter()
                .map(value_from_json)
                .collect::<Result<_, _>>()?,
        ),
        J::Object(o) if o.len() == 1 => {
            if let Some(text) = o.get("float").and_then(J::as_str) {
                Value::Float(
                    text.parse::<f64>()
                        .map_err(|_| format!("`{text}` is not a number"))?,
                )
            } else if let Some(J::Array(pairs)) = o.get("map") {
                let mut m = Map::with_capacity(pairs.len());
                // A set, not `Map::contains`: a mapping of 50,000 keys must not cost 50,000².
                let mut seen = std::collections::HashSet::with_capacity(pairs.len());
                for pair in pairs {
                    match pair.as_array().map(Vec::as_slice) {
                        Some([J::String(k), v]) if seen.insert(k.as_str()) => {
                            m.push_read(k, 0, value_from_json(v)?)
                        }
                        Some([J::String(k), _]) => {
                            return Err(format!("the key `{k}` appears twice"));
                        }
                        _ => return Err("a mapping entry is not a [key, value] pair".into()),
                    }
                }
                Value::Map(m)
            } else {
                return Err("an object that is neither {\"map\": …} nor {\"float\": …}".into());
            }
        }
        J::Object(_) => {
            return Err("an object that is neither {\"map\": …} nor {\"float\": …}".into());
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Map {
        let mut inner = Map::new();
        inner.set("z", Value::Int(1));
        inner.set("a", Value::str("first key is z, order kept"));
        let mut m = Map::new();
        m.set("null", Value::Null);
        m.set("yes", Value::Bool(true));
        m.set("no", Value::Bool(false));
        m.set("int", Value::Int(i64::MIN));
        m.set("max", Value::Int(i64::MAX));
        m.set("float", Value::Float(0.1 + 0.2));
        m.set("neg_zero", Value::Float(-0.0));
        m.set("nan", Value::Float(f64::NAN));
        m.set("inf", Value::Float(f64::NEG_INFINITY));
        m.set("tiny", Value::Float(5e-324));
        m.set("text", Value::str("line 1\nline \"2\" é ✓ \u{0}"));
        m.set("looks_like_map", Value::str("{\"map\": []}"));
        m.set(
            "list",
            Value::List(vec![
                Value::Int(1),
                Value::str("1"),
                Value::Float(1.5),
                Value::Null,
            ]),
        );
        m.set("map", Value::Map(inner));
        m.set("empty_map", Value::Map(Map::new()));
        m.set("empty_list", Value::List(vec![]));
        m
    }

    #[test]
    fn every_value_kind_round_trips_exactly() {
        let m = every_kind();
        let back = value_from_json(&value_to_json(&Value::Map(m.clone()))).unwrap();
        let Value::Map(back) = back else { panic!() };
        assert_eq!(back, m);
        // Equality treats 1 and 1.0 alike; the kinds must come back too.
        for (a, b) in m.entries().iter().zip(back.entries()) {
            assert_eq!(
                format!("{:?}", a.value),
                format!("{:?}", b.value),
                "{}",
                a.key.as_str()
            );
        }
        assert!(matches!(back.get("neg_zero"), Some(Value::Float(f)) if f.is_sign_negative()));
    }

    #[test]
    fn keys_are_file_names_that_cannot_escape_the_folder() {
        let t = |id: &str| Target::Record {
            kind: RecordType::Risk,
            id: id.into(),
            path: PathBuf::from("risks/x.yaml"),
            base_hash: 0,
        };
        assert_eq!(
            DraftKey::new(&t("RISK-004"), Edit::Form).as_str(),
            "RISK-004.form"
        );
        assert_eq!(
            DraftKey::new(&t("AUD-1"), Edit::WalkNote { item: 3 }).as_str(),
            "AUD-1.note-3"
        );
        assert_eq!(
            DraftKey::new(&t("../x"), Edit::Form).as_str(),
            "%2E%2E%2Fx.form"
        );
        assert_eq!(
            DraftKey::new(&Target::New(RecordType::Risk), Edit::Form).as_str(),
            "new.risk.form"
        );
    }

    #[test]
    fn foreign_documents_are_refused_with_a_reason() {
        assert!(decode(b"{}").unwrap_err().contains("aims_draft"));
        assert!(
            decode(b"{\"aims_draft\": 2}")
                .unwrap_err()
                .contains("another version")
        );
        assert!(decode(b"not json").unwrap_err().contains("JSON"));
        assert!(value_from_json(&serde_json::json!({"map": [["a", 1], ["a", 2]]})).is_err());
        assert!(value_from_json(&serde_json::json!(1.5)).is_err());
    }
}

//! A record's history from git: every commit that touched its file (following renames),
//! and per commit what changed field by field — both versions parsed with our own loader,
//! never a text diff — with uncommitted edits as a first "not committed" entry.
//!
//! Viewers (the CLI's `aims history`, the TUI's history view and review prompt) only render
//! [`RecordHistory`] and [`SinceReview`]; this module has no terminal code. Reading runs
//! git, so a viewer calls it off its drawing thread.

use super::git::{self, Lack, Repo};
use crate::domain::{Map, Record, Value};
use serde::Serialize;
use std::path::Path;

/// One field that differs between two versions of a record (`None`: absent on that side).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// How a commit touched the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Touch {
    Added,
    Modified,
    Deleted,
    /// Renamed (or copied) from this path, possibly edited too.
    Renamed {
        from: String,
    },
    /// Working-tree edits not committed yet.
    Uncommitted,
}

/// One version of the record: a commit (or the working tree) and its field changes.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    /// `None` for the "not committed" entry.
    pub commit: Option<String>,
    /// Author date as git printed it (ISO 8601 with offset); empty when not committed.
    pub date: String,
    pub author: String,
    pub message: String,
    /// The file's path (relative to the workspace) after this change.
    pub path: String,
    pub touch: Touch,
    pub changes: Vec<FieldChange>,
    /// A version that did not parse: said here, and its changes left empty.
    pub problem: Option<String>,
}

/// A record's history, newest first, and what it could not include.
#[derive(Debug, Clone, Default)]
pub struct RecordHistory {
    pub id: String,
    pub entries: Vec<HistoryEntry>,
    /// Why history is missing or partial (not a repository, shallow clone...): shown, not
    /// failed on.
    pub notes: Vec<String>,
}

/// The field differences from `old` to `new`, in the new version's field order (removed
/// fields last).
pub fn diff_fields(old: Option<&Map>, new: Option<&Map>) -> Vec<FieldChange> {
    let empty = Map::new();
    let (old, new) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let mut out = Vec::new();
    for e in new.entries() {
        let before = old.get(&e.key);
        if before != Some(&e.value) {
            out.push(FieldChange {
                field: e.key.to_string(),
                old: before.cloned(),
                new: Some(e.value.clone()),
            });
        }
    }
    for e in old.entries() {
        if !new.contains(&e.key) {
            out.push(FieldChange {
                field: e.key.to_string(),
                old: Some(e.value.clone()),
                new: None,
            });
        }
    }
    out
}

/// Parses one version of a record file with the workspace loader's parser and budgets.
pub(crate) fn parse_version(bytes: &[u8], rel: &str) -> Result<Map, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
    match super::load::parse_yaml(text, Path::new(rel)) {
        Ok(Value::Map(m)) => Ok(m),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(other) => Err(format!("holds {}, not a record", other.shape())),
        Err(f) => Err(match f.line {
            Some(l) => format!("line {l}: {}", f.message),
            None => f.message,
        }),
    }
}

/// What the loader makes of a blob (`None` for the null object id: no file on that side).
fn version_at(blobs: &mut git::Blobs, oid: &str, rel: &str) -> Result<Option<Map>, String> {
    if oid.bytes().all(|b| b == b'0') {
        return Ok(None);
    }
    match blobs.get(oid) {
        Ok(Some(bytes)) => parse_version(&bytes, rel).map(Some),
        Ok(None) => Err("this version is too large or missing from the repository".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// The history of `record` in the workspace at `root`: its committed versions (following
/// renames) and, when the working tree differs from the last commit, a first entry "not
/// committed". Never fails: what it lacks is in `notes`.
pub fn record_history(root: &Path, record: &Record) -> RecordHistory {
    let mut history = RecordHistory {
        id: record.id.clone(),
        ..RecordHistory::default()
    };
    let repo = match Repo::open(root) {
        Ok(repo) => repo,
        Err(lack) => {
            history.notes.push(lack.to_string());
            return history;
        }
    };
    if repo.shallow {
        history.notes.push(
            "shallow clone: commits before its oldest fetched one are not shown; run `git fetch --unshallow` for the full history".into(),
        );
    }
    let rel = record.path.to_string_lossy().replace('\\', "/");
    match committed(&repo, &rel) {
        Ok(entries) => history.entries = entries,
        Err(lack) => {
            history.notes.push(lack.to_string());
            return history;
        }
    }
    // The working tree against the last committed version: a first entry when they differ.
    let last = history.entries.first().and_then(|e| {
        (e.touch != Touch::Deleted)
            .then(|| e.commit.clone())
            .flatten()
    });
    let committed_fields = match &last {
        None => None,
        Some(_) => latest_fields(&repo, &history.entries[0]),
    };
    let changes = diff_fields(committed_fields.as_ref(), Some(&record.fields));
    if !changes.is_empty() {
        history.entries.insert(
            0,
            HistoryEntry {
                commit: None,
                date: String::new(),
                author: String::new(),
                message: "not committed".into(),
                path: rel.clone(),
                touch: Touch::Uncommitted,
                changes,
                problem: None,
            },
        );
    }
    history
}

/// The fields of the newest committed version (its blob was parsed for `changes` already;
/// reading it again keeps [`HistoryEntry`] free of whole-record copies).
fn latest_fields(repo: &Repo, entry: &HistoryEntry) -> Option<Map> {
    let commit = entry.commit.as_deref()?;
    let mut blobs = repo.blobs().ok()?;
    let bytes = blobs.get(&format!("{commit}:./{}", entry.path)).ok()??;
    parse_version(&bytes, &entry.path).ok()
}

/// The commits that touched `rel`, newest first, with their field changes.
fn committed(repo: &Repo, rel: &str) -> Result<Vec<HistoryEntry>, Lack> {
    let out = repo.run(&[
        "log",
        "--follow",
        "--relative",
        "--raw",
        "--no-abbrev",
        "-z",
        "--format=%x1e%H%x1f%an%x1f%aI%x1f%s",
        "--",
        rel,
    ])?;
    let mut blobs = repo.blobs()?;
    let mut entries = Vec::new();
    for chunk in out.split(|b| *b == 0x1e).filter(|c| !c.is_empty()) {
        let mut parts = chunk.split(|b| *b == 0);
        let header = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
        let head: Vec<&str> = header.split('\x1f').collect();
        let [commit, author, date, message] = head[..] else {
            continue;
        };
        let rest: Vec<String> = parts
            .map(|p| {
                String::from_utf8_lossy(p)
                    .trim_start_matches('\n')
                    .to_string()
            })
            .filter(|p| !p.is_empty())
            .collect();
        // `:old-mode new-mode old-oid new-oid STATUS`, then one path (two for a rename).
        let Some(raw) = rest.first().filter(|r| r.starts_with(':')) else {
            continue;
        };
        let cols: Vec<&str> = raw[1..].split(' ').collect();
        let [_, _, old_oid, new_oid, status] = cols[..] else {
            continue;
        };
        let (touch, path) = match (status.chars().next(), rest.get(1), rest.get(2)) {
            (Some('R' | 'C'), Some(from), Some(to)) => (Touch::Renamed { from: from.clone() }, to),
            (Some('A'), Some(p), _) => (Touch::Added, p),
            (Some('D'), Some(p), _) => (Touch::Deleted, p),
            (_, Some(p), _) => (Touch::Modified, p),
            _ => continue,
        };
        let (changes, problem) = match (
            version_at(&mut blobs, old_oid, path),
            version_at(&mut blobs, new_oid, path),
        ) {
            (Ok(old), Ok(new)) => (diff_fields(old.as_ref(), new.as_ref()), None),
            (Err(p), _) => (Vec::new(), Some(format!("the previous version: {p}"))),
            (_, Err(p)) => (Vec::new(), Some(format!("this version: {p}"))),
        };
        entries.push(HistoryEntry {
            commit: Some(commit.to_string()),
            date: date.to_string(),
            author: author.to_string(),
            message: message.to_string(),
            path: path.clone(),
            touch,
            changes,
            problem,
        });
    }
    Ok(entries)
}

/// What changed in a record since its last review entry, for the review prompt.
#[derive(Debug, Clone, Default)]
pub struct SinceReview {
    /// The date of the last review (`last_reviewed`, else the newest `reviews` entry).
    pub reviewed_on: Option<String>,
    /// The commit that recorded that review: the baseline of `changes`.
    pub baseline: Option<String>,
    /// Field changes from the reviewed version to the working tree (review fields left out).
    pub changes: Vec<FieldChange>,
    /// Why the answer is missing or partial.
    pub notes: Vec<String>,
}

/// The fields a review itself changes: not "changes since the review".
const REVIEW_FIELDS: [&str; 3] = ["last_reviewed", "next_review", "reviews"];

/// The date of a record's last review: `last_reviewed`, else its newest `reviews` entry.
fn review_date(fields: &Map) -> Option<String> {
    fields.text("last_reviewed").or_else(|| {
        fields
            .list("reviews")
            .iter()
            .filter_map(Value::as_map)
            .filter_map(|m| m.text("date"))
            .max()
    })
}

/// The changes to `record` since the commit that recorded its last review: the oldest
/// commit whose version already carries today's review date, compared with the working
/// tree. Without a review, or without history, `notes` says so.
pub fn since_last_review(root: &Path, record: &Record) -> SinceReview {
    let mut out = SinceReview {
        reviewed_on: review_date(&record.fields),
        ..SinceReview::default()
    };
    let Some(reviewed_on) = out.reviewed_on.clone() else {
        out.notes
            .push("never reviewed: every field is as first recorded".into());
        return out;
    };
    let history = record_history(root, record);
    out.notes = history.notes;
    let repo = match Repo::open(root) {
        Ok(r) => r,
        Err(_) => return out,
    };
    let Ok(mut blobs) = repo.blobs() else {
        return out;
    };
    // Walk back while the committed version still carries this review; the last such
    // version is the one the review was recorded in.
    let mut baseline: Option<(String, Map)> = None;
    for entry in history.entries.iter().filter(|e| e.commit.is_some()) {
        let commit = entry.commit.as_deref().unwrap_or_default();
        if entry.touch == Touch::Deleted {
            break;
        }
        let Ok(Some(bytes)) = blobs.get(&format!("{commit}:./{}", entry.path)) else {
            break;
        };
        let Ok(fields) = parse_version(&bytes, &entry.path) else {
            break;
        };
        if review_date(&fields).as_deref() != Some(reviewed_on.as_str()) {
            break;
        }
        baseline = Some((commit.to_string(), fields));
    }
    match baseline {
        Some((commit, fields)) => {
            out.baseline = Some(commit);
            out.changes = diff_fields(Some(&fields), Some(&record.fields))
                .into_iter()
                .filter(|c| !REVIEW_FIELDS.contains(&c.field.as_str()))
                .collect();
        }
        None if out.notes.is_empty() => out.notes.push(format!(
            "the review of {reviewed_on} is not committed yet: nothing to compare with"
        )),
        None => {}
    }
    out
}

/// A value on one line, for a change list: scalars as written, lists and maps in flow style.
pub fn show_value(v: &Value) -> String {
    match v {
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(show_value).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(m) => format!(
            "{{{}}}",
            m.entries()
                .iter()
                .map(|e| format!("{}: {}", e.key, show_value(&e.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Null => "null".into(),
        other => crate::domain::text::one_line(other.as_text().unwrap_or_default().trim()),
    }
}

impl FieldChange {
    /// `old → new` on one line; a list that only grew shows what was added.
    pub fn summary(&self) -> String {
        match (&self.old, &self.new) {
            (Some(Value::List(a)), Some(Value::List(b)))
                if b.len() > a.len() && b[..a.len()] == a[..] =>
            {
                let added: Vec<String> = b[a.len()..].iter().map(show_value).collect();
                format!("+ {}", added.join(", "))
            }
            (None, Some(n)) => format!("(none) → {}", show_value(n)),
            (Some(o), None) => format!("{} → (removed)", show_value(o)),
            (Some(o), Some(n)) => format!("{} → {}", show_value(o), show_value(n)),
            (None, None) => String::new(),
        }
    }
}

/// A value as JSON, for `--format json`.
pub fn value_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Str(s) => J::String(s.to_string()),
        Value::List(items) => J::Array(items.iter().map(value_json).collect()),
        Value::Map(m) => J::Object(
            m.entries()
                .iter()
                .map(|e| (e.key.to_string(), value_json(&e.value)))
                .collect(),
        ),
    }
}

impl RecordHistory {
    /// The history as JSON: `{id, notes, entries: [{commit, date, author, message, path,
    /// touch, problem, changes: [{field, old, new}]}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let entries: Vec<serde_json::Value> = self
            .entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "commit": e.commit,
                    "date": e.date,
                    "author": e.author,
                    "message": e.message,
                    "path": e.path,
                    "touch": e.touch,
                    "problem": e.problem,
                    "changes": changes_json(&e.changes),
                })
            })
            .collect();
        serde_json::json!({ "id": self.id, "notes": self.notes, "entries": entries })
    }
}

/// Field changes as JSON: `[{field, old, new}]`, `null` for an absent side.
pub fn changes_json(changes: &[FieldChange]) -> serde_json::Value {
    changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "field": c.field,
                "old": c.old.as_ref().map(value_json),
                "new": c.new.as_ref().map(value_json),
            })
        })
        .collect()
}

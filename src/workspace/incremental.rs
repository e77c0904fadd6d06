//! Applying outside changes (another user's save, a `git pull`) to a loaded workspace, one
//! file at a time, instead of loading the whole workspace again.
//!
//! The watcher only says which paths may have changed. Each is re-stated and re-hashed: a
//! file whose bytes are what we hold costs a read and a hash, nothing more (aims's own
//! saves come back this way). Only a changed file is parsed again, and the index and the
//! reverse links are patched for that record alone, so a change costs the same at 100
//! records as at 100,000. What cannot be settled file by file (the settings, a duplicate
//! id) asks the caller for a full reload.

use super::load::{Workspace, load_record, read_guarded};
use crate::domain::settings::SETTINGS_FILE;
use crate::domain::{Finding, Record, RecordType};
use crate::rules::{self, Ctx};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// What [`Workspace::apply_changes`] did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ChangeSet {
    /// Ids of records created, changed or removed (both ids of a rename).
    pub changed: BTreeSet<String>,
    /// Ids whose file stopped parsing: the last good version stays in memory, stale, and
    /// its path is unreadable so it is never written.
    pub stale: BTreeSet<String>,
    /// Ids that are no longer stale (their file parses again, or is gone).
    pub recovered: BTreeSet<String>,
    /// Records whose rules must run again: the changed ones, those that refer to them
    /// (their references may now resolve differently) and those they refer to or used to
    /// (a system's rules read the impact assessments that name it).
    pub affected: BTreeSet<String>,
    /// A file's load finding appeared or went.
    pub findings_changed: bool,
    /// Records were added or removed, so record indices moved.
    pub moved: bool,
    /// Records that were not changed but took the index of a removed one (see
    /// [`Workspace::take`]): caches by index must re-read them.
    pub relocated: BTreeSet<String>,
    /// Something outside the records that rules read changed (evidence files): every
    /// record's rules must run again, without reading the records again.
    pub recheck_all: bool,
    /// Only a full reload can settle this change (the settings, a duplicate id, a folder
    /// that could not be listed); nothing was applied after it was seen.
    pub full_reload: bool,
}

impl ChangeSet {
    /// Nothing the screen shows changed.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty()
            && self.stale.is_empty()
            && self.recovered.is_empty()
            && !self.findings_changed
            && !self.recheck_all
            && !self.full_reload
    }
}

/// What a changed path is, relative to the workspace root.
enum Target {
    Settings,
    Folder(RecordType),
    File(RecordType, String),
    Evidence,
    Other,
}

fn classify(rel: &Path) -> Target {
    let parts: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    // Hidden and temporary files (`.aims/`, `.git/`, `.aims-tmp-*`, editor swap files)
    // are never records.
    if parts.is_empty() || parts.iter().any(|p| p.starts_with('.')) {
        return Target::Other;
    }
    if parts.len() != rel.components().count() {
        // A `..` or a name that is not UTF-8: not something a record can be.
        return Target::Other;
    }
    match parts.as_slice() {
        [name] if *name == SETTINGS_FILE => Target::Settings,
        ["evidence", ..] => Target::Evidence,
        [dir] => RecordType::from_dir(dir).map_or(Target::Other, Target::Folder),
        [dir, name] if name.ends_with(".yaml") || name.ends_with(".yml") => {
            RecordType::from_dir(dir).map_or(Target::Other, |k| Target::File(k, name.to_string()))
        }
        _ => Target::Other,
    }
}

/// The id a record file's name gives it (the loader's rule).
fn id_of(name: &str) -> &str {
    name.strip_suffix(".yaml")
        .or(name.strip_suffix(".yml"))
        .unwrap_or(name)
}

impl Workspace {
    /// Applies the changes the watcher reported at `paths` (absolute, or relative to the
    /// root). Returns what changed; when `full_reload` is set the caller must open the
    /// workspace again (what was applied before is still consistent, but incomplete).
    pub fn apply_changes<P: AsRef<Path>>(&mut self, paths: &[P]) -> ChangeSet {
        let mut cs = ChangeSet::default();
        let root_canon = match std::fs::canonicalize(&self.root) {
            Ok(c) => c,
            Err(_) => {
                cs.full_reload = true;
                return cs;
            }
        };
        // Files to look at, once each, in a stable order.
        let mut files: BTreeSet<(RecordType, String)> = BTreeSet::new();
        for path in paths {
            let path = path.as_ref();
            let rel = path
                .strip_prefix(&self.root)
                .or_else(|_| path.strip_prefix(&root_canon))
                .unwrap_or(path);
            match classify(rel) {
                Target::Settings => {
                    cs.full_reload = true;
                    return cs;
                }
                Target::Evidence => cs.recheck_all = true,
                Target::File(kind, name) => {
                    files.insert((kind, name));
                }
                // A folder created, removed or renamed: every file in it, and every record
                // held from it, is looked at.
                Target::Folder(kind) => {
                    if let Ok(entries) = std::fs::read_dir(self.root.join(kind.dir())) {
                        for entry in entries.flatten() {
                            if let Some(name) = entry.file_name().to_str()
                                && matches!(
                                    classify(&Path::new(kind.dir()).join(name)),
                                    Target::File(..)
                                )
                            {
                                files.insert((kind, name.to_string()));
                            }
                        }
                    }
                    for r in self.of_type(kind) {
                        if let Some(name) = r.path.file_name().and_then(|n| n.to_str()) {
                            files.insert((kind, name.to_string()));
                        }
                    }
                    for p in &self.unreadable {
                        if p.parent() == Some(Path::new(kind.dir()))
                            && let Some(name) = p.file_name().and_then(|n| n.to_str())
                        {
                            files.insert((kind, name.to_string()));
                        }
                    }
                }
                Target::Other => {}
            }
        }
        for (kind, name) in files {
            self.apply_file(&root_canon, kind, &name, &mut cs);
            if cs.full_reload {
                return cs;
            }
        }
        cs
    }

    /// Looks at one record file again and brings memory in line with it.
    fn apply_file(&mut self, root_canon: &Path, kind: RecordType, name: &str, cs: &mut ChangeSet) {
        let rel = PathBuf::from(kind.dir()).join(name);
        let id = id_of(name).to_string();
        let held = self.get(&id).filter(|r| r.path == rel).cloned();
        let was_unreadable = self.unreadable.contains(&rel);
        let full = self.root.join(&rel);

        if std::fs::symlink_metadata(&full).is_err() {
            // The file is gone.
            if let Some(old) = held {
                // Another file with the same id was left out as a duplicate: which one
                // loads now is the loader's decision.
                if self.duplicate_waiting(&id, &rel) {
                    cs.full_reload = true;
                    return;
                }
                self.note_touched(&old, cs);
                let at = self.index_of(&id);
                self.take(&id);
                if let Some(moved) = at.and_then(|i| self.records.get(i)) {
                    cs.relocated.insert(moved.id.clone());
                }
                cs.changed.insert(id.clone());
                cs.moved = true;
                if was_unreadable {
                    cs.recovered.insert(id);
                }
            }
            if was_unreadable {
                self.unreadable.remove(&rel);
                self.drop_load_findings(&rel);
                cs.findings_changed = true;
            }
            return;
        }

        // Same bytes as held and nothing wrong with it: aims's own save, or a touch.
        if let Some(old) = &held
            && !was_unreadable
            && let Ok((_, hash)) = read_guarded(root_canon, &full, &rel)
            && hash == old.content_hash
        {
            return;
        }

        match load_record(root_canon, &self.root, kind, name) {
            Ok(record) => {
                if held.is_none() && (self.get(&id).is_some() || self.duplicate_waiting(&id, &rel))
                {
                    // The id is taken by another file: the loader decides which one wins.
                    cs.full_reload = true;
                    return;
                }
                if let Some(old) = &held {
                    if old.content_hash == record.content_hash && !was_unreadable {
                        return;
                    }
                    self.note_touched(old, cs);
                } else {
                    cs.moved = true;
                }
                if was_unreadable {
                    self.unreadable.remove(&rel);
                    self.drop_load_findings(&rel);
                    cs.findings_changed = true;
                    if held.is_some() {
                        cs.recovered.insert(id.clone());
                    }
                }
                self.note_touched(&record, cs);
                cs.changed.insert(id);
                self.put(record);
            }
            Err(finding) => {
                // Unchanged bad file: nothing to do.
                if was_unreadable
                    && self
                        .load_findings
                        .iter()
                        .any(|f| f.file == rel && *f == finding)
                {
                    return;
                }
                self.drop_load_findings(&rel);
                self.load_findings.push(finding);
                self.unreadable.insert(rel);
                cs.findings_changed = true;
                // The record keeps its last good version, marked stale (see App::reload).
                if held.is_some() {
                    cs.stale.insert(id.clone());
                    cs.recovered.remove(&id);
                }
            }
        }
    }

    /// Whether a file other than `rel` with id `id` was left out of the load (as a duplicate).
    fn duplicate_waiting(&self, id: &str, rel: &Path) -> bool {
        self.unreadable
            .iter()
            .any(|p| p != rel && p.file_name().and_then(|n| n.to_str()).map(id_of) == Some(id))
            || self.get(id).is_some_and(|r| r.path != rel)
    }

    fn drop_load_findings(&mut self, rel: &Path) {
        self.load_findings.retain(|f| f.file != rel);
    }

    /// Adds to `affected` a record and every record whose rules read it.
    fn note_touched(&self, record: &Record, cs: &mut ChangeSet) {
        cs.affected.insert(record.id.clone());
        cs.affected
            .extend(self.referrers(&record.id).map(|r| r.id.clone()));
        // The records it names: a system's rules read the assessments that name it.
        cs.affected
            .extend(rules::refs::references(record).into_iter().map(|(t, _)| t));
        // A nonconformity names its source audit, incident or review in a text field
        // (`source_ref`, which may also be an outside reference), so it has no reverse
        // link; the scan is over a field of one record type and costs microseconds.
        cs.affected.extend(
            self.of_type(RecordType::Nonconformity)
                .filter(|nc| nc.fields.text("source_ref").as_deref() == Some(&record.id))
                .map(|nc| nc.id.clone()),
        );
    }

    /// Puts a record in, new or in place of the one with its id, and patches the index and
    /// the reverse links for it alone.
    pub(crate) fn put(&mut self, record: Record) {
        let i = match self.index.get(&record.id) {
            Some(&i) => {
                let old = std::mem::replace(&mut self.records[i], record);
                self.unlink(i, &old);
                i
            }
            None => {
                let i = self.records.len();
                self.index.insert(record.id.clone(), i);
                self.records.push(record);
                i
            }
        };
        self.link(i);
    }

    /// Removes a record by id: the last record takes its place, so only that one's index
    /// and links move.
    pub(crate) fn take(&mut self, id: &str) -> Option<Record> {
        let i = self.index.remove(id)?;
        let last = self.records.len() - 1;
        let old = self.records.swap_remove(i);
        self.unlink(i, &old);
        if i != last {
            let moved = &self.records[i];
            self.index.insert(moved.id.clone(), i);
            for (target, _) in rules::refs::references(moved) {
                if let Some(list) = self.backlinks.get_mut(&target) {
                    list.retain(|&x| x != last);
                    if let Err(pos) = list.binary_search(&i) {
                        list.insert(pos, i);
                    }
                }
            }
        }
        Some(old)
    }

    fn link(&mut self, i: usize) {
        for (target, _) in rules::refs::references(&self.records[i]) {
            let list = self.backlinks.entry(target).or_default();
            if let Err(pos) = list.binary_search(&i) {
                list.insert(pos, i);
            }
        }
    }

    fn unlink(&mut self, i: usize, old: &Record) {
        for (target, _) in rules::refs::references(old) {
            if let Some(list) = self.backlinks.get_mut(&target) {
                list.retain(|&x| x != i);
                if list.is_empty() {
                    self.backlinks.remove(&target);
                }
            }
        }
    }

    /// Where a record sits in `records` (indices move when records are added or removed).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The records whose rules read record `id`: itself, its referrers, what it names.
    /// Taken before and after a save, their union is what the save must re-validate.
    pub fn touched_by(&self, id: &str) -> BTreeSet<String> {
        let mut cs = ChangeSet::default();
        if let Some(r) = self.get(id) {
            self.note_touched(r, &mut cs);
        }
        cs.affected
    }

    /// Runs the rules of the given records (those that exist), for re-validating only what
    /// a change touched. Workspace-wide checks are [`Workspace::workspace_findings`].
    pub fn validate_ids<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a String>,
        today: crate::domain::dates::Date,
    ) -> Vec<(String, Vec<Finding>)> {
        let ctx = Ctx { view: self, today };
        ids.into_iter()
            .filter_map(|id| self.get(id))
            .map(|r| (r.id.clone(), rules::validate_record(r, &ctx)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert!(matches!(
            classify(Path::new("risks/RISK-001.yaml")),
            Target::File(RecordType::Risk, _)
        ));
        assert!(matches!(classify(Path::new("aims.yaml")), Target::Settings));
        assert!(matches!(
            classify(Path::new("risks")),
            Target::Folder(RecordType::Risk)
        ));
        for other in [
            "risks/.aims-tmp-123",
            "risks/.RISK-001.yaml.swp",
            ".aims/lock",
            ".git/index",
            "risks/notes.txt",
            "risks/sub/RISK-1.yaml",
            "README.md",
        ] {
            assert!(
                matches!(classify(Path::new(other)), Target::Other),
                "{other}"
            );
        }
        assert!(matches!(
            classify(Path::new("evidence/a/b.pdf")),
            Target::Evidence
        ));
    }
}

//! Putting an edit on top of the version of its record that is on disk now: after a save
//! hit "changed on disk", and when a draft is restored.
//!
//! Why: the save path refuses to write over a file that changed since it was read; this
//! is what comes next. [`Workspace::rebase`] merges the edit (the fields it started from,
//! and the fields typed) with the record as the workspace now holds it; fields only one
//! side changed merge without asking, and each field both changed is a conflict showing
//! theirs and mine. Whatever is then saved goes through [`Workspace::save_over`], which
//! refuses when the record moved on again after the merge was computed, so a third
//! person's save is never overwritten with a merge that did not see it.
//!
//! The record "as the workspace holds it" should be what is on disk: `rebase` takes the
//! workspace as it is (a reload or the watcher refreshed it), `refresh_and_rebase` reads
//! the file again first. A stale workspace cannot cause an overwrite, only another round:
//! the save compares the file with the hash the merge was made against.
//!
//! The flow, for a form whose save returned `SaveError::Conflict`:
//! 1. `ws.refresh_and_rebase(id, &form.base, &form.values)` (or, after a reload of its
//!    own, `ws.rebase(…)`);
//! 2. `Rebase::Merged { theirs, merge }` with `merge.is_clean()`: save `merge.fields`;
//!    otherwise show each `merge.conflicts` item (path, theirs, mine), collect one
//!    `Choice` each, and save `merge.resolve(&choices)`;
//! 3. save with `ws.save_over(id, theirs.hash, fields, today)`, and make `theirs.fields`
//!    the form's new base (mine is now "theirs plus my changes");
//! 4. `Rebase::Gone`/`Unreadable`: nothing to merge with; offer to save as a new record.

use super::draft::{Draft, Target};
use super::incremental::ChangeSet;
use super::load::Workspace;
use super::save::SaveError;
use crate::domain::Map;
use crate::domain::dates::Date;
use crate::domain::merge::{self, Merged};
use std::path::PathBuf;

/// The record as it is now: its fields and the content hash of its file.
#[derive(Debug, Clone, PartialEq)]
pub struct OnDisk {
    pub fields: Map,
    pub hash: u64,
}

/// The outcome of putting an edit on the current version of its record.
#[derive(Debug, Clone, PartialEq)]
pub enum Rebase {
    /// Merged with the current version: clean, or with conflicts to resolve.
    Merged { theirs: OnDisk, merge: Merged },
    /// The record is no longer in the workspace (deleted, or renamed to another id).
    Gone,
    /// Its file no longer reads or parses; it is never written until fixed by hand.
    Unreadable(PathBuf),
}

/// What restoring a draft involves, given the workspace as it is now.
#[derive(Debug, Clone, PartialEq)]
pub enum Restore {
    /// The record is as it was when the edit started: open the draft's fields directly.
    Unchanged,
    /// The record was saved by someone since: restoring goes through the merge.
    Changed { theirs: OnDisk, merge: Merged },
    /// The record was deleted (or renamed) since.
    Deleted,
    /// Its file no longer reads or parses.
    Unreadable(PathBuf),
    /// A new record whose id is free (or not typed yet): open it as a new form.
    New,
    /// A new record whose id another record now has: choose another id.
    IdTaken(String),
}

impl Workspace {
    /// Merges an edit (`base`: the fields it started from, `mine`: as typed) with record
    /// `id` as the workspace holds it now.
    pub fn rebase(&self, id: &str, base: &Map, mine: &Map) -> Rebase {
        let Some(record) = self.get(id) else {
            return Rebase::Gone;
        };
        // A record whose file stopped parsing is kept in memory (stale) but never written.
        if self.unreadable.contains(&record.path) {
            return Rebase::Unreadable(record.path.clone());
        }
        Rebase::Merged {
            theirs: OnDisk {
                fields: record.fields.clone(),
                hash: record.content_hash,
            },
            merge: merge::merge(base, &record.fields, mine),
        }
    }

    /// Reads record `id`'s file again (as the watcher does) and then [`rebase`]s on it:
    /// for a caller that has not refreshed since the save said "changed on disk". The
    /// change set says what the refresh changed, for the caller's views (with
    /// `full_reload` set, reopen the workspace and rebase again).
    ///
    /// [`rebase`]: Workspace::rebase
    pub fn refresh_and_rebase(&mut self, id: &str, base: &Map, mine: &Map) -> (Rebase, ChangeSet) {
        let changes = match self.get(id) {
            Some(record) => {
                let path = record.path.clone();
                self.apply_changes(&[path])
            }
            None => ChangeSet::default(),
        };
        (self.rebase(id, base, mine), changes)
    }

    /// Saves `fields` for record `id`, but only if the workspace still holds the version
    /// with content hash `theirs_hash` (the one a merge was made against); otherwise a
    /// conflict, and nothing is written. The save itself checks the file on disk too.
    pub fn save_over(
        &mut self,
        id: &str,
        theirs_hash: u64,
        fields: Map,
        today: Date,
    ) -> Result<(), SaveError> {
        let record = self
            .get(id)
            .ok_or_else(|| SaveError::NotFound(id.to_string()))?;
        if record.content_hash != theirs_hash {
            return Err(SaveError::Conflict {
                path: record.path.clone(),
                on_disk: None,
                kept: None,
            });
        }
        self.save_record(id, fields, today)
    }

    /// What restoring `draft` involves now.
    pub fn restore_state(&self, draft: &Draft) -> Restore {
        match &draft.target {
            // aims.yaml as the workspace read it: the same rules as a record's file.
            Target::Settings { base_hash } => match &self.settings_file {
                None => Restore::Unreadable(PathBuf::from(crate::domain::settings::SETTINGS_FILE)),
                Some((fields, hash)) if hash == base_hash || *fields == draft.base => {
                    Restore::Unchanged
                }
                Some((fields, hash)) => Restore::Changed {
                    theirs: OnDisk {
                        fields: fields.clone(),
                        hash: *hash,
                    },
                    merge: merge::merge(&draft.base, fields, &draft.fields),
                },
            },
            Target::New(kind) => match draft.fields.text("id") {
                Some(id)
                    if self.get(&id).is_some()
                        || self
                            .root
                            .join(kind.dir())
                            .join(format!("{id}.yaml"))
                            .exists()
                        || self
                            .root
                            .join(kind.dir())
                            .join(format!("{id}.yml"))
                            .exists() =>
                {
                    Restore::IdTaken(id)
                }
                _ => Restore::New,
            },
            Target::Record { id, base_hash, .. } => {
                match self.rebase(id, &draft.base, &draft.fields) {
                    Rebase::Gone => Restore::Deleted,
                    Rebase::Unreadable(p) => Restore::Unreadable(p),
                    // Same bytes, or the same fields (a comment edited, or a hash from another
                    // build of aims): nothing of theirs to merge.
                    Rebase::Merged { theirs, .. }
                        if theirs.hash == *base_hash || theirs.fields == draft.base =>
                    {
                        Restore::Unchanged
                    }
                    Rebase::Merged { theirs, merge } => Restore::Changed { theirs, merge },
                }
            }
        }
    }
}

//! Saving `aims.yaml` from the Settings form: the same surgical, checked and atomic path as
//! a record's save (see `save.rs`): the file must still be what was read, only the changed
//! settings are rewritten in the file's own text (its comments stay), the result must read
//! back as exactly the intended settings, and it replaces the file atomically.

use super::load::{Workspace, content_hash, parse_yaml};
use super::replace::{self, ReplaceError};
use super::save::{SaveError, gone_or_oversize, same_fields, surgical_edit};
use super::{fsio, load};
use crate::domain::settings::SETTINGS_FILE;
use crate::domain::{Finding, Map, Settings, Value};
use std::path::{Path, PathBuf};

impl Workspace {
    /// Saves `values` as aims.yaml's settings over `base` (the fields the form opened on).
    /// Refused when the file changed since it was read, when the edit brings a new error
    /// (a removed person still named by records among them), or when it cannot be written
    /// without disturbing the rest of the file.
    pub fn save_settings(&mut self, base: &Map, values: &Map) -> Result<(), SaveError> {
        let rel = PathBuf::from(SETTINGS_FILE);
        if self.unreadable.contains(&rel) {
            return Err(SaveError::Unreadable(rel));
        }
        let Some((read, hash)) = self.settings_file.clone() else {
            return Err(SaveError::Unreadable(rel));
        };
        if read != *base {
            return Err(SaveError::Conflict {
                path: rel,
                on_disk: None,
                kept: None,
            });
        }
        let old: Vec<String> = crate::rules::settings::validate(base, base, &self.records)
            .into_iter()
            .map(|f| f.message)
            .collect();
        let new: Vec<Finding> = crate::rules::settings::validate(base, values, &self.records)
            .into_iter()
            .filter(|f| f.is_error() && !old.contains(&f.message))
            .collect();
        if !new.is_empty() {
            return Err(SaveError::Invalid(new));
        }

        let path = self.root.join(&rel);
        let _lock = self.lock()?;
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(SaveError::Symlink(rel));
        }
        let current = match fsio::read_capped(&path, load::MAX_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if gone_or_oversize(&e) => {
                return Err(SaveError::Conflict {
                    path: rel,
                    on_disk: None,
                    kept: None,
                });
            }
            Err(e) => return Err(SaveError::NotReadable(rel, e)),
        };
        if content_hash(&current) != hash {
            return Err(SaveError::Conflict {
                path: rel,
                on_disk: String::from_utf8(current).ok(),
                kept: None,
            });
        }
        let text = String::from_utf8(current).map_err(|_| SaveError::Unreadable(rel.clone()))?;
        let order = crate::rules::settings::field_order();
        let new_text = surgical_edit(&text, base, values, &order)
            .ok_or_else(|| SaveError::EditMismatch(rel.clone()))?;
        let back = match parse_yaml(&new_text, Path::new(SETTINGS_FILE)) {
            Ok(Value::Map(m)) if same_fields(&m, values) => m,
            _ => return Err(SaveError::EditMismatch(rel)),
        };
        replace::replace_if_unchanged(&path, new_text.as_bytes(), hash).map_err(|e| match e {
            ReplaceError::Conflict { on_disk, kept } => SaveError::Conflict {
                path: rel.clone(),
                on_disk: on_disk.and_then(|b| String::from_utf8(b).ok()),
                kept: kept.map(|k| k.strip_prefix(&self.root).map(PathBuf::from).unwrap_or(k)),
            },
            ReplaceError::Exists => SaveError::Exists(rel.clone()),
            ReplaceError::Unreadable(_, e) => SaveError::NotReadable(rel.clone(), e),
            ReplaceError::Io(p, e) => SaveError::Io(p, e),
        })?;
        // The settings in memory follow; the records are judged by them at the next load
        // (the workbench reloads after this save).
        let (settings, problems) = Settings::from_map(&back);
        self.settings = settings;
        self.load_findings.retain(|f| f.file != rel);
        self.load_findings.extend(problems);
        self.settings_file = Some((back, content_hash(new_text.as_bytes())));
        Ok(())
    }
}

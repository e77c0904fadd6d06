//! The live audit walk: one requirement at a time, every keystroke saved at once.

use super::app::App;
use super::form::Form;
use super::keys::{self, Action, Scope};
use crate::domain::text::one_line;
use crate::domain::{Map, RecordType, Value};
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{TextArea, WrapMode};

pub enum WalkEditor {
    /// The item's notes; Esc keeps them. `reason` when asked for by a not-audited result.
    Notes {
        area: Box<TextArea<'static>>,
        reason: bool,
    },
    /// Evidence sampled: first the path or URL, then a label.
    EvidenceTarget(String),
    EvidenceLabel {
        target: String,
        text: String,
    },
}

pub struct Walk {
    pub audit: String,
    pub cursor: usize,
    /// Seconds since the walk opened, kept up to date by the event loop (tests leave 0).
    pub elapsed_secs: u64,
    pub editor: Option<WalkEditor>,
}

impl App {
    /// Opens the walk of an audit at its first item without a result (where a dropped
    /// connection left off).
    pub fn open_walk(&mut self, audit: &str) {
        let Some(record) = self.ws.get(audit).filter(|r| r.kind == RecordType::Audit) else {
            self.status = Some((format!("{} is not an audit", one_line(audit)), true));
            return;
        };
        // Results are written by position: every item must be a mapping (`- ref: 4.1`).
        if let Some(i) = record
            .fields
            .list("checklist")
            .iter()
            .position(|v| v.as_map().is_none())
        {
            self.status = Some((
                format!(
                    "{audit}: checklist item {} is not a mapping such as `- ref: 4.1`: fix the file first",
                    i + 1
                ),
                true,
            ));
            return;
        }
        if record.fields.list("checklist").is_empty() {
            self.status = Some((
                format!("{audit} has no checklist yet: edit it (e) to add requirements"),
                true,
            ));
            return;
        }
        let cursor = first_open(&record.fields).unwrap_or(0);
        self.walk = Some(Walk {
            audit: audit.to_string(),
            cursor,
            elapsed_secs: 0,
            editor: None,
        });
    }

    pub fn walk_items(&self) -> Vec<Map> {
        let Some(w) = &self.walk else {
            return Vec::new();
        };
        self.ws
            .get(&w.audit)
            .map(|r| {
                r.fields
                    .list("checklist")
                    .iter()
                    .filter_map(|v| v.as_map().cloned())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn on_walk_key(&mut self, key: KeyEvent) {
        let current_notes = {
            let cursor = self.walk.as_ref().map_or(0, |w| w.cursor);
            self.walk_items()
                .get(cursor)
                .and_then(|m| m.text("notes"))
                .unwrap_or_default()
        };
        let Some(walk) = self.walk.as_mut() else {
            return;
        };
        if let Some(editor) = walk.editor.as_mut() {
            let action = keys::action_in(&key, Scope::TextInput);
            match editor {
                WalkEditor::Notes { area, reason } => {
                    if action == Some(Action::Back) {
                        let text = area.lines().join("\n");
                        let text: String = text
                            .chars()
                            .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
                            .collect();
                        let reason = *reason;
                        walk.editor = None;
                        // Opened and left unchanged: nothing to save.
                        if !reason && text.trim_end() == current_notes.trim_end() {
                            return;
                        }
                        if reason && text.trim().is_empty() {
                            self.status = Some((
                                "not audited needs a reason in the notes: result not changed"
                                    .into(),
                                true,
                            ));
                            return;
                        }
                        let mut changes = vec![("notes", Some(Value::str(text.trim_end())))];
                        if reason {
                            changes.push(("result", Some(Value::str("not-audited"))));
                        }
                        self.set_item(&changes);
                    } else {
                        area.input(key);
                    }
                }
                WalkEditor::EvidenceTarget(text) | WalkEditor::EvidenceLabel { text, .. } => {
                    match action {
                        Some(Action::Back) => walk.editor = None,
                        Some(Action::DeleteBack) => {
                            text.pop();
                        }
                        None => text.extend(keys::typed_char(&key)),
                        Some(Action::Open) => {
                            let next = match walk.editor.take() {
                                Some(WalkEditor::EvidenceTarget(target))
                                    if !target.trim().is_empty() =>
                                {
                                    Some(WalkEditor::EvidenceLabel {
                                        target: target.trim().to_string(),
                                        text: String::new(),
                                    })
                                }
                                Some(WalkEditor::EvidenceLabel { target, text }) => {
                                    self.add_evidence(&target, text.trim());
                                    None
                                }
                                _ => None,
                            };
                            if let Some(w) = self.walk.as_mut() {
                                w.editor = next;
                            }
                        }
                        _ => {}
                    }
                }
            }
            return;
        }
        let Some(action) = keys::action_in(&key, Scope::Walk) else {
            return;
        };
        let edits = matches!(
            action,
            Action::SetResult(_)
                | Action::Open
                | Action::AddItem
                | Action::RaiseNc
                | Action::Complete
        );
        if edits && self.read_only {
            self.status = Some((
                "read-only: started with --read-only, so results are not recorded".into(),
                true,
            ));
            return;
        }
        let items = self.walk_items();
        let Some(walk) = self.walk.as_mut() else {
            return;
        };
        let n = items.len();
        if n == 0 {
            self.walk = None;
            return;
        }
        walk.cursor = walk.cursor.min(n - 1);
        match action {
            Action::Back => self.walk = None,
            Action::Down => walk.cursor = (walk.cursor + 1).min(n.saturating_sub(1)),
            Action::Up => walk.cursor = walk.cursor.saturating_sub(1),
            Action::NextOpen => {
                let after = (walk.cursor + 1..n).chain(0..walk.cursor);
                match after
                    .into_iter()
                    .find(|&i| items.get(i).is_some_and(|m| m.is_blank("result")))
                {
                    Some(i) => walk.cursor = i,
                    None => {
                        self.status = Some((
                            "every item has a result: C completes the audit".into(),
                            false,
                        ))
                    }
                }
            }
            // Notes, and the reason a requirement was not audited, use the same editor.
            Action::Open | Action::SetResult("not-audited") => {
                let reason = action != Action::Open;
                walk.editor = Some(WalkEditor::Notes {
                    area: Box::new(area(&current_notes)),
                    reason,
                });
                if reason {
                    self.status =
                        Some(("why was it not audited? write it, then Esc".into(), false));
                }
            }
            Action::SetResult(result) => {
                self.set_item(&[("result", Some(Value::str(result)))]);
            }
            Action::AddItem => walk.editor = Some(WalkEditor::EvidenceTarget(String::new())),
            Action::RaiseNc => self.raise_nc(),
            Action::Complete => self.complete_audit(),
            _ => {}
        }
    }

    /// Writes fields of the current item and saves the audit at once. The first result
    /// also marks a planned audit as started.
    fn set_item(&mut self, changes: &[(&str, Option<Value>)]) {
        let Some(walk) = &self.walk else { return };
        let (audit, index) = (walk.audit.clone(), walk.cursor);
        let Some(mut fields) = self.ws.fields_of(&audit) else {
            return;
        };
        let mut list = fields.list("checklist").to_vec();
        let Some(Value::Map(item)) = list.get_mut(index) else {
            return;
        };
        for (key, value) in changes {
            match value {
                Some(v) => item.set(key, v.clone()),
                None => {
                    item.remove(key);
                }
            }
        }
        fields.set("checklist", Value::List(list));
        if fields.text("status").as_deref() == Some("planned") {
            fields.set("status", Value::str("in-progress"));
            if fields.is_blank("started_on") {
                fields.set("started_on", Value::str(self.today.to_string()));
            }
        }
        let before = self.before_save(&audit);
        match self.ws.save_record(&audit, fields, self.today) {
            Ok(()) => {
                self.refresh_saved(&audit, before);
                let what = changes
                    .iter()
                    .map(|(k, _)| *k)
                    .collect::<Vec<_>>()
                    .join(", ");
                self.status = Some((format!("{audit}: item {} {what} saved", index + 1), false));
            }
            Err(e) => self.status = Some((one_line(&e.to_string()), true)),
        }
    }

    fn add_evidence(&mut self, target: &str, label: &str) {
        let items = self.walk_items();
        let Some(walk) = &self.walk else { return };
        let mut evidence = items
            .get(walk.cursor)
            .map(|m| m.list("evidence").to_vec())
            .unwrap_or_default();
        let mut link = Map::new();
        if !label.is_empty() {
            link.set("label", Value::str(label));
        }
        link.set("target", Value::str(target));
        evidence.push(Value::Map(link));
        self.set_item(&[("evidence", Some(Value::List(evidence)))]);
    }

    /// `N`: the nonconformity form, prefilled from the item; on save the two link up.
    fn raise_nc(&mut self) {
        let items = self.walk_items();
        let Some(walk) = &self.walk else { return };
        let Some(item) = items.get(walk.cursor) else {
            return;
        };
        let severity = match item.text("result").as_deref() {
            Some("minor-nc") => "minor",
            Some("major-nc") => "major",
            _ => {
                self.status = Some((
                    "record a minor (m) or major (M) NC result first, then raise it".into(),
                    true,
                ));
                return;
            }
        };
        if let Some(nc) = item.text("nc") {
            self.status = Some((format!("this item already links {nc}"), true));
            return;
        }
        let requirement = item.text("ref").unwrap_or_default();
        let mut form = Form::create(
            RecordType::Nonconformity,
            &self.ws,
            self.user.as_deref(),
            self.today,
        );
        let v = &mut form.values;
        v.set("source", Value::str("audit"));
        v.set("source_ref", Value::str(&walk.audit));
        v.set("audit_item", Value::str(&requirement));
        v.set("requirement", Value::str(&requirement));
        v.set("severity", Value::str(severity));
        if let Some(notes) = item.text("notes") {
            v.set("description", Value::str(notes));
        }
        v.set(
            "due",
            Value::str(
                crate::domain::dates::Cadence::Months(1)
                    .after(self.today)
                    .to_string(),
            ),
        );
        // The corrective action belongs to whoever runs the requirement: the control's
        // owner in the SoA, else the first auditee; the auditor only when neither is known.
        let owner = self
            .ws
            .get(&requirement)
            .and_then(|soa| soa.fields.text("owner"))
            .or_else(|| {
                self.ws
                    .get(&walk.audit)
                    .and_then(|a| a.fields.texts("auditees").into_iter().next())
            });
        if let Some(owner) = owner {
            v.set("owner", Value::str(owner));
        }
        form.validate(&self.ws, self.today);
        self.pending_nc_link = Some((walk.audit.clone(), walk.cursor));
        self.form = Some(form);
    }

    /// After the raised NC is saved: the item points at it.
    pub(crate) fn link_raised_nc(&mut self, nc: &str) {
        let Some((audit, index)) = self.pending_nc_link.take() else {
            return;
        };
        if self.walk.as_ref().is_some_and(|w| w.audit == audit) {
            if let Some(w) = self.walk.as_mut() {
                w.cursor = index;
            }
            self.set_item(&[("nc", Some(Value::str(nc)))]);
            self.status = Some((
                format!("{nc} raised and linked to item {}", index + 1),
                false,
            ));
        }
    }

    /// `C`: completes the audit; the save refuses while items are open or NC results
    /// link no nonconformity, and the status bar says what is left.
    fn complete_audit(&mut self) {
        let Some(walk) = &self.walk else { return };
        let audit = walk.audit.clone();
        let items = self.walk_items();
        let open: Vec<String> = items
            .iter()
            .filter(|m| m.is_blank("result"))
            .filter_map(|m| m.text("ref"))
            .collect();
        let unlinked: Vec<String> = items
            .iter()
            .filter(|m| {
                matches!(m.text("result").as_deref(), Some("minor-nc" | "major-nc"))
                    && m.is_blank("nc")
            })
            .filter_map(|m| m.text("ref"))
            .collect();
        if !open.is_empty() || !unlinked.is_empty() {
            let mut parts = Vec::new();
            if !open.is_empty() {
                parts.push(format!(
                    "{} item(s) without a result ({})",
                    open.len(),
                    open.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            if !unlinked.is_empty() {
                parts.push(format!(
                    "NC results without a nonconformity: {}",
                    unlinked.join(", ")
                ));
            }
            self.status = Some((format!("not completed: {}", parts.join("; ")), true));
            return;
        }
        let Some(mut fields) = self.ws.fields_of(&audit) else {
            return;
        };
        fields.set("status", Value::str("completed"));
        fields.set("completed_on", Value::str(self.today.to_string()));
        let before = self.before_save(&audit);
        match self.ws.save_record(&audit, fields, self.today) {
            Ok(()) => {
                self.refresh_saved(&audit, before);
                self.status = Some((format!("{audit} completed"), false));
            }
            Err(e) => self.status = Some((one_line(&e.to_string()), true)),
        }
    }
}

fn area(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.lines().map(str::to_string).collect()
    };
    let mut a = TextArea::new(lines);
    a.set_wrap_mode(WrapMode::Word);
    a
}

/// The first checklist item without a result.
pub fn first_open(fields: &Map) -> Option<usize> {
    fields
        .list("checklist")
        .iter()
        .position(|i| i.as_map().is_none_or(|m| m.is_blank("result")))
}

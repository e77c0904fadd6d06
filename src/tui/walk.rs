//! The live audit walk: one requirement at a time, every keystroke saved at once.

use super::app::App;
use super::form::Form;
use super::keys::{self, Action, Scope};
use super::walk_dialogs::{CompleteDialog, DialogKey, ReopenPrompt};
use crate::domain::text::one_line;
use crate::domain::{Map, RecordType, Value};
use crate::rules::audit::{self, Completion, ItemResult};
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
    /// `R` on a completed audit: why it is reopened.
    Reopen(ReopenPrompt),
    /// `C`: what completing will record, and the conclusion and sign-off it asks for.
    Complete(CompleteDialog),
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
        let cursor = audit::first_open(&record.fields).unwrap_or(0);
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
        if self.walk.as_ref().is_some_and(|w| {
            matches!(
                w.editor,
                Some(WalkEditor::Reopen(_) | WalkEditor::Complete(_))
            )
        }) {
            self.on_dialog_key(key);
            return;
        }
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
                // Handled above.
                WalkEditor::Reopen(_) | WalkEditor::Complete(_) => {}
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
                | Action::Reopen
        );
        if edits && self.read_only {
            self.status = Some((
                "read-only: started with --read-only, so results are not recorded".into(),
                true,
            ));
            return;
        }
        // A completed audit is read-only until reopened (the core refuses too; this says
        // which key reopens it).
        if edits && action != Action::Reopen && self.walk_audit_completed() {
            let audit = self
                .walk
                .as_ref()
                .map(|w| w.audit.clone())
                .unwrap_or_default();
            self.status = Some((
                // Short enough for 80 columns: the key that helps must not be cut off.
                format!("{audit} is completed, read-only: R reopens it"),
                true,
            ));
            return;
        }
        let items = self.walk_items();
        let fields = self
            .walk
            .as_ref()
            .and_then(|w| self.ws.get(&w.audit))
            .map(|r| r.fields.clone())
            .unwrap_or_default();
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
            Action::NextOpen => match audit::next_open(&fields, walk.cursor) {
                Some(i) => walk.cursor = i,
                None => {
                    self.status = Some((
                        "every item has a result: C completes the audit".into(),
                        false,
                    ))
                }
            },
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
                let linked = items.get(walk.cursor).and_then(|m| m.text("nc"));
                let saved = self.set_item(&[("result", Some(Value::str(result)))]);
                // Saved, but now contradicting the NC it links: say so at once, not only
                // in `aims check` (audit-result-links-nc).
                if let (true, Some(nc)) = (saved, linked)
                    && ItemResult::parse(result).is_some_and(ItemResult::says_met)
                {
                    self.status = Some((
                        format!("saved; still links {nc}: withdraw it or record an NC"),
                        true,
                    ));
                }
            }
            Action::AddItem => walk.editor = Some(WalkEditor::EvidenceTarget(String::new())),
            Action::RaiseNc => self.raise_nc(),
            Action::Complete => self.ask_complete(),
            Action::Reopen => self.ask_reopen(),
            _ => {}
        }
    }

    /// Writes fields of the current item and saves the audit at once. The first result
    /// also marks a planned audit as started; a completed audit refuses (the core says why).
    /// True when saved.
    fn set_item(&mut self, changes: &[(&str, Option<Value>)]) -> bool {
        let Some(walk) = &self.walk else { return false };
        let (id, index, today) = (walk.audit.clone(), walk.cursor, self.today);
        let what = changes
            .iter()
            .map(|(k, _)| *k)
            .collect::<Vec<_>>()
            .join(", ");
        self.save_audit(
            &id,
            |f| audit::set_item(&id, f, index, changes, today),
            format!("{id}: item {} {what} saved", index + 1),
        )
    }

    /// Saves the audit as `change` makes it, through the surgical save, or puts why not in
    /// the status bar. True when saved.
    fn save_audit(
        &mut self,
        id: &str,
        change: impl FnOnce(&Map) -> Result<Map, String>,
        done: String,
    ) -> bool {
        let Some(fields) = self.ws.fields_of(id) else {
            return false;
        };
        let new = match change(&fields) {
            Ok(m) => m,
            Err(e) => {
                self.status = Some((one_line(&e), true));
                return false;
            }
        };
        let before = self.before_save(id);
        match self.ws.save_record(id, new, self.today) {
            Ok(()) => {
                self.refresh_saved(id, before);
                self.status = Some((done, false));
                true
            }
            Err(e) => {
                self.status = Some((one_line(&e.to_string()), true));
                false
            }
        }
    }

    fn walk_audit_completed(&self) -> bool {
        self.walk
            .as_ref()
            .and_then(|w| self.ws.get(&w.audit))
            .is_some_and(|r| audit::is_completed(&r.fields))
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
        let severity = match audit::result_of(item).and_then(ItemResult::nc_severity) {
            Some(severity) => severity,
            None => {
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

    /// `C`: refused while items are open or NC results link no nonconformity (the status
    /// bar says what is left); otherwise a dialog shows what completing records and asks
    /// for the conclusion and sign-off.
    fn ask_complete(&mut self) {
        let Some(walk) = &self.walk else { return };
        let Some(record) = self.ws.get(&walk.audit) else {
            return;
        };
        let summary = Completion::of(&record.fields);
        if let Some(why) = summary.blockers() {
            self.status = Some((format!("not completed: {why}"), true));
            return;
        }
        let dialog = CompleteDialog::new(summary, &record.fields, self.today);
        if let Some(w) = self.walk.as_mut() {
            w.editor = Some(WalkEditor::Complete(dialog));
        }
    }

    /// `R`: asks why a completed audit is reopened.
    fn ask_reopen(&mut self) {
        if !self.walk_audit_completed() {
            let audit = self
                .walk
                .as_ref()
                .map(|w| w.audit.clone())
                .unwrap_or_default();
            self.status = Some((format!("{audit} is not completed: nothing to reopen"), true));
            return;
        }
        if let Some(w) = self.walk.as_mut() {
            w.editor = Some(WalkEditor::Reopen(ReopenPrompt::default()));
        }
    }

    /// Keys in the reopen prompt and the completion dialog: the dialog answers; on
    /// Confirm the core's rule makes the change and the walk saves it. Not saved: the
    /// dialog stays open with the reason, so nothing typed is lost.
    fn on_dialog_key(&mut self, key: KeyEvent) {
        let Some(walk) = self.walk.as_mut() else {
            return;
        };
        let id = walk.audit.clone();
        let outcome = match walk.editor.as_mut() {
            Some(WalkEditor::Reopen(p)) => p.on_key(&key),
            Some(WalkEditor::Complete(d)) => d.on_key(&key),
            _ => return,
        };
        match outcome {
            DialogKey::Stay => return,
            DialogKey::Cancel => {
                walk.editor = None;
                self.status = Some(("nothing changed".into(), false));
                return;
            }
            DialogKey::Confirm => {}
        }
        // Who acts is logged in the history, so it must be known.
        let Some(by) = self.user.clone() else {
            self.status = Some((
                "who is acting is not known: start aims with --as PERSON".into(),
                true,
            ));
            return;
        };
        let today = self.today;
        let Some(editor) = self.walk.as_mut().and_then(|w| w.editor.take()) else {
            return;
        };
        let kept = match editor {
            WalkEditor::Reopen(p) if p.reason.trim().is_empty() => {
                self.status = Some(("a reopen needs a reason: type it, then Enter".into(), true));
                Some(WalkEditor::Reopen(p))
            }
            WalkEditor::Reopen(p) => {
                let saved = self.save_audit(
                    &id,
                    |f| audit::reopen(&id, f, &p.reason, today, &by),
                    format!("{id} reopened: the reason is in its history"),
                );
                (!saved).then_some(WalkEditor::Reopen(p))
            }
            WalkEditor::Complete(mut d) => {
                let saved = match d.sign_off(&self.ws.settings) {
                    Ok(sign) => self.save_audit(
                        &id,
                        |f| audit::complete(&id, f, &sign, today, &by),
                        format!("{id} completed and signed off by {}", sign.by),
                    ),
                    Err(e) => {
                        self.status = Some((e, true));
                        false
                    }
                };
                if !saved {
                    d.error = self.status.as_ref().map(|s| s.0.clone());
                }
                (!saved).then_some(WalkEditor::Complete(d))
            }
            other => Some(other),
        };
        if let (Some(w), Some(editor)) = (self.walk.as_mut(), kept) {
            w.editor = Some(editor);
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

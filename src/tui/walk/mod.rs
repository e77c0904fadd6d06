//! The live audit walk: one requirement at a time, every keystroke saved at once. A layer
//! like any other: it reads the audit from the workspace and asks the app to save.

mod complete;
mod draw;
pub mod evidence;

pub use complete::{CompleteDialog, DialogKey};

use super::component::{Component, Ctx, Effect, Outcome};
use super::editor::TextInput;
use super::form::Form;
use super::keys::{self, Action, Scope};
use crate::any_component;
use crate::domain::dates::Date;
use crate::domain::text::one_line;
use crate::domain::{Map, RecordType, Value};
use crate::rules::audit::{self, Completion, ItemResult};
use crate::workspace::Workspace;
use ratatui::crossterm::event::KeyEvent;

pub enum WalkEditor {
    /// The item's notes; Esc keeps them. `reason` when asked for by a not-audited result.
    Notes {
        input: TextInput,
        reason: bool,
        /// The notes as last saved (saved as they are typed, see `Walk::flush`).
        saved: String,
    },
    /// Evidence sampled: first the path or URL, then a label. `editing`: the entry being
    /// changed (`None`: a new one); `matches`: what Tab found when it could not finish.
    EvidenceTarget {
        input: TextInput,
        editing: Option<usize>,
        matches: Vec<String>,
    },
    EvidenceLabel {
        target: String,
        input: TextInput,
        editing: Option<usize>,
    },
    /// `e`: the item's evidence as a list, to edit or remove an entry.
    EvidenceList { cursor: usize },
    /// `R` on a completed audit: why it is reopened.
    Reopen(TextInput),
    /// `C`: what completing will record, and the conclusion and sign-off it asks for.
    Complete(Box<CompleteDialog>),
}

pub struct Walk {
    pub audit: String,
    pub cursor: usize,
    /// Seconds since the walk opened, kept up to date by the event loop (tests leave 0).
    pub elapsed_secs: u64,
    pub editor: Option<WalkEditor>,
    /// Started by `aims audit`: leaving the walk ends the program.
    pub exit_on_leave: bool,
}

impl Walk {
    /// The walk of an audit at its first item without a result (where a dropped
    /// connection left off), or why it cannot open.
    pub fn open(audit: &str, ws: &Workspace) -> Result<Walk, String> {
        let Some(record) = ws.get(audit).filter(|r| r.kind == RecordType::Audit) else {
            return Err(format!("{} is not an audit", one_line(audit)));
        };
        // Results are written by position: every item must be a mapping (`- ref: 4.1`).
        if let Some(i) = record
            .fields
            .list("checklist")
            .iter()
            .position(|v| v.as_map().is_none())
        {
            return Err(format!(
                "{audit}: checklist item {} is not a mapping such as `- ref: 4.1`: fix the file first",
                i + 1
            ));
        }
        if record.fields.list("checklist").is_empty() {
            return Err(format!(
                "{audit} has no checklist yet: edit it (e) to add requirements"
            ));
        }
        let cursor = audit::first_open(&record.fields).unwrap_or(0);
        Ok(Walk {
            audit: audit.to_string(),
            cursor,
            elapsed_secs: 0,
            editor: None,
            exit_on_leave: false,
        })
    }

    pub fn items(&self, ws: &Workspace) -> Vec<Map> {
        ws.get(&self.audit)
            .map(|r| {
                r.fields
                    .list("checklist")
                    .iter()
                    .filter_map(|v| v.as_map().cloned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Saves fields of the current item (a completed audit refuses: the core says why).
    fn set_item(&self, cx: &Ctx, changes: &[(&str, Option<Value>)]) -> Outcome {
        let what = changes
            .iter()
            .map(|(k, _)| *k)
            .collect::<Vec<_>>()
            .join(", ");
        let done = format!("{}: item {} {what} saved", self.audit, self.cursor + 1);
        self.save(cx, done, |id, f| {
            audit::set_item(id, f, self.cursor, changes, cx.today)
        })
    }

    /// Asks the app to save the audit as `change` makes it, or says why not.
    fn save(
        &self,
        cx: &Ctx,
        done: String,
        change: impl FnOnce(&str, &Map) -> Result<Map, String>,
    ) -> Outcome {
        let Some(fields) = cx.ws.fields_of(&self.audit) else {
            return Outcome::done();
        };
        match change(&self.audit, &fields) {
            Ok(fields) => Outcome::Consumed(vec![Effect::SaveFields {
                id: self.audit.clone(),
                fields,
                done,
            }]),
            Err(e) => Outcome::status(one_line(&e), true),
        }
    }

    fn completed(&self, ws: &Workspace) -> bool {
        ws.get(&self.audit)
            .is_some_and(|r| audit::is_completed(&r.fields))
    }

    /// A key while an editor is open: notes, the two steps of evidence, the reopen reason
    /// or the completion dialog.
    fn on_editor_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome {
        if let Some(WalkEditor::EvidenceList { cursor }) = self.editor {
            return self.on_evidence_list_key(key, cx, cursor);
        }
        if matches!(
            self.editor,
            Some(WalkEditor::Reopen(_) | WalkEditor::Complete(_))
        ) {
            return self.on_dialog_key(key, cx);
        }
        let current_notes = self
            .items(cx.ws)
            .get(self.cursor)
            .and_then(|m| m.text("notes"))
            .unwrap_or_default();
        let answer = keys::action_in(key, Scope::Prompt);
        let Some(editor) = self.editor.as_mut() else {
            return Outcome::Ignored;
        };
        match editor {
            WalkEditor::Notes { input, reason, .. } => {
                if answer != Some(Action::Back) {
                    input.on_key(key);
                    return Outcome::done();
                }
                let text = clean_notes(input);
                let reason = *reason;
                self.editor = None;
                // Opened and left unchanged: nothing to save.
                if !reason && text.trim_end() == current_notes.trim_end() {
                    return Outcome::done();
                }
                if reason && text.trim().is_empty() {
                    return Outcome::status(
                        "not audited needs a reason in the notes: result not changed",
                        true,
                    );
                }
                let mut changes = vec![("notes", Some(Value::str(text.trim_end())))];
                if reason {
                    changes.push(("result", Some(Value::str("not-audited"))));
                }
                self.set_item(cx, &changes)
            }
            // Answered by `on_dialog_key` and `on_evidence_list_key`.
            WalkEditor::Reopen(_) | WalkEditor::Complete(_) | WalkEditor::EvidenceList { .. } => {
                Outcome::done()
            }
            // Tab completes a path under the workspace.
            WalkEditor::EvidenceTarget { input, matches, .. } if answer == Some(Action::Down) => {
                let (text, found) = evidence::complete(&cx.ws.root, &input.text());
                *input = TextInput::line(&text);
                *matches = found;
                Outcome::done()
            }
            WalkEditor::EvidenceTarget { .. } | WalkEditor::EvidenceLabel { .. } => {
                match answer {
                    Some(Action::Back) => {
                        self.editor = None;
                        Outcome::done()
                    }
                    Some(Action::Open) => match self.editor.take() {
                        Some(WalkEditor::EvidenceTarget { input, editing, .. })
                            if !input.text().trim().is_empty() =>
                        {
                            // Editing keeps the label to change, not to retype.
                            let label = editing
                                .and_then(|i| self.evidence(cx).get(i).cloned())
                                .map(|e| evidence_parts(&e).0)
                                .unwrap_or_default();
                            self.editor = Some(WalkEditor::EvidenceLabel {
                                target: input.text().trim().to_string(),
                                input: TextInput::line(&label),
                                editing,
                            });
                            Outcome::done()
                        }
                        Some(WalkEditor::EvidenceLabel {
                            target,
                            input,
                            editing,
                        }) => self.put_evidence(cx, editing, &target, input.text().trim()),
                        other => {
                            self.editor = other;
                            Outcome::done()
                        }
                    },
                    _ => {
                        if let Some(WalkEditor::EvidenceTarget { matches, .. }) =
                            self.editor.as_mut()
                        {
                            matches.clear();
                        }
                        if let Some(
                            WalkEditor::EvidenceTarget { input, .. }
                            | WalkEditor::EvidenceLabel { input, .. },
                        ) = self.editor.as_mut()
                        {
                            input.on_key(key);
                        }
                        Outcome::done()
                    }
                }
            }
        }
    }

    /// The evidence sampled for the current item.
    fn evidence(&self, cx: &Ctx) -> Vec<Value> {
        self.items(cx.ws)
            .get(self.cursor)
            .map(|m| m.list("evidence").to_vec())
            .unwrap_or_default()
    }

    /// Adds an entry (`editing: None`) or replaces entry `editing`.
    fn put_evidence(&self, cx: &Ctx, editing: Option<usize>, target: &str, label: &str) -> Outcome {
        let mut evidence = self.evidence(cx);
        let mut link = Map::new();
        if !label.is_empty() {
            link.set("label", Value::str(label));
        }
        link.set("target", Value::str(target));
        match editing {
            Some(i) if i < evidence.len() => evidence[i] = Value::Map(link),
            _ => evidence.push(Value::Map(link)),
        }
        self.set_item(cx, &[("evidence", Some(Value::List(evidence)))])
    }

    /// A key in the evidence list (`e`): move, edit, add, remove, back.
    fn on_evidence_list_key(&mut self, key: &KeyEvent, cx: &Ctx, cursor: usize) -> Outcome {
        let evidence = self.evidence(cx);
        let last = evidence.len().saturating_sub(1);
        let Some(action) = keys::action_in(key, Scope::WalkEvidence) else {
            return Outcome::Ignored;
        };
        match action {
            Action::Help => return Outcome::Ignored,
            Action::Back => self.editor = None,
            Action::Up => {
                self.editor = Some(WalkEditor::EvidenceList {
                    cursor: cursor.saturating_sub(1),
                })
            }
            Action::Down => {
                self.editor = Some(WalkEditor::EvidenceList {
                    cursor: (cursor + 1).min(last),
                })
            }
            Action::AddItem => self.editor = Some(evidence_target("", None)),
            Action::Open => match evidence.get(cursor) {
                Some(e) => self.editor = Some(evidence_target(&evidence_parts(e).1, Some(cursor))),
                None => return Outcome::status("no evidence yet: a adds some", false),
            },
            Action::RemoveItem if cursor < evidence.len() => {
                let mut rest = evidence;
                let gone = evidence_parts(&rest.remove(cursor)).1;
                self.editor = Some(WalkEditor::EvidenceList {
                    cursor: cursor.min(rest.len().saturating_sub(1)),
                });
                let value = (!rest.is_empty()).then_some(Value::List(rest));
                let done = format!(
                    "{}: item {} evidence {} removed",
                    self.audit,
                    self.cursor + 1,
                    one_line(&gone)
                );
                return self.save(cx, done, |id, f| {
                    audit::set_item(id, f, self.cursor, &[("evidence", value)], cx.today)
                });
            }
            _ => {}
        }
        Outcome::done()
    }

    /// `N`: the nonconformity form, prefilled from the item; on save the two link up.
    fn raise_nc(&self, cx: &Ctx) -> Outcome {
        let items = self.items(cx.ws);
        let Some(item) = items.get(self.cursor) else {
            return Outcome::done();
        };
        let severity = match audit::result_of(item).and_then(ItemResult::nc_severity) {
            Some(severity) => severity,
            None => {
                return Outcome::status(
                    "record a minor (m) or major (M) NC result first, then raise it",
                    true,
                );
            }
        };
        if let Some(nc) = item.text("nc") {
            return Outcome::status(format!("this item already links {nc}"), true);
        }
        let requirement = item.text("ref").unwrap_or_default();
        let mut form = Form::create(RecordType::Nonconformity, cx.ws, cx.user, cx.today);
        let v = &mut form.values;
        v.set("source", Value::str("audit"));
        v.set("source_ref", Value::str(&self.audit));
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
                    .after(cx.today)
                    .to_string(),
            ),
        );
        // The corrective action belongs to whoever runs the requirement: the control's
        // owner in the SoA, else the first auditee; the auditor only when neither is known.
        let owner = cx
            .ws
            .get(&requirement)
            .and_then(|soa| soa.fields.text("owner"))
            .or_else(|| {
                cx.ws
                    .get(&self.audit)
                    .and_then(|a| a.fields.texts("auditees").into_iter().next())
            });
        if let Some(owner) = owner {
            v.set("owner", Value::str(owner));
        }
        form.validate(cx.ws, cx.today);
        form.initial = form.values.clone();
        form.link_nc = Some((self.audit.clone(), self.cursor));
        Outcome::Consumed(vec![Effect::Push(Box::new(form))])
    }

    /// `C`: refused while items are open or NC results link no nonconformity (the status
    /// bar says what is left); otherwise a dialog shows what completing records and asks
    /// for the conclusion and sign-off.
    fn ask_complete(&mut self, cx: &Ctx) -> Outcome {
        let Some(record) = cx.ws.get(&self.audit) else {
            return Outcome::done();
        };
        let summary = Completion::of(&record.fields);
        if let Some(why) = summary.blockers() {
            return Outcome::status(format!("not completed: {why}"), true);
        }
        self.editor = Some(WalkEditor::Complete(Box::new(CompleteDialog::new(
            summary,
            &record.fields,
            cx.today,
        ))));
        Outcome::done()
    }

    /// `R`: asks why a completed audit is reopened.
    fn ask_reopen(&mut self, cx: &Ctx) -> Outcome {
        if !self.completed(cx.ws) {
            return Outcome::status(
                format!("{} is not completed: nothing to reopen", self.audit),
                true,
            );
        }
        self.editor = Some(WalkEditor::Reopen(TextInput::line("")));
        Outcome::done()
    }

    /// Keys in the reopen prompt and the completion dialog: the dialog answers; on
    /// Confirm the core's rule makes the change and the app saves it. Refused: the dialog
    /// stays open with what was typed, so nothing is lost.
    fn on_dialog_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome {
        let outcome = match self.editor.as_mut() {
            Some(WalkEditor::Reopen(input)) => match keys::action_in(key, Scope::Prompt) {
                Some(Action::Open) => DialogKey::Confirm,
                Some(Action::Back) => DialogKey::Cancel,
                _ => {
                    input.on_key(key);
                    DialogKey::Stay
                }
            },
            Some(WalkEditor::Complete(d)) => d.on_key(key),
            _ => return Outcome::Ignored,
        };
        match outcome {
            DialogKey::Stay => return Outcome::done(),
            DialogKey::Cancel => {
                self.editor = None;
                return Outcome::status("nothing changed", false);
            }
            DialogKey::Confirm => {}
        }
        // Who acts is logged in the history, so it must be known.
        let Some(by) = cx.user else {
            return Outcome::status(
                "who is acting is not known: start aims with --as PERSON",
                true,
            );
        };
        let today = cx.today;
        let answer = match &self.editor {
            Some(WalkEditor::Reopen(input)) => {
                let reason = input.text();
                if reason.trim().is_empty() {
                    return Outcome::status("a reopen needs a reason: type it, then Enter", true);
                }
                self.save(
                    cx,
                    format!("{} reopened: the reason is in its history", self.audit),
                    |id, f| audit::reopen(id, f, &reason, today, by),
                )
            }
            Some(WalkEditor::Complete(d)) => match d.sign_off(&cx.ws.settings) {
                Ok(sign) => {
                    let done = format!("{} completed and signed off by {}", self.audit, sign.by);
                    self.save(cx, done, |id, f| audit::complete(id, f, &sign, today, by))
                }
                Err(e) => Outcome::status(e, true),
            },
            _ => return Outcome::done(),
        };
        // A save asked for closes the dialog; a refusal stays in it, with the reason.
        match &answer {
            Outcome::Consumed(effects)
                if effects
                    .iter()
                    .any(|e| matches!(e, Effect::SaveFields { .. })) =>
            {
                self.editor = None;
            }
            Outcome::Consumed(effects) => {
                if let Some(WalkEditor::Complete(d)) = self.editor.as_mut() {
                    d.error = effects.iter().find_map(|e| match e {
                        Effect::Status(text, true) => Some(text.clone()),
                        _ => None,
                    });
                }
            }
            _ => {}
        }
        answer
    }
}

impl Component for Walk {
    fn on_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome {
        if self.editor.is_some() {
            return self.on_editor_key(key, cx);
        }
        let Some(action) = keys::action_in(key, Scope::Walk) else {
            return Outcome::Ignored;
        };
        // Help is the app's (it knows the layers under this one).
        if action == Action::Help {
            return Outcome::Ignored;
        }
        let edits = matches!(
            action,
            Action::SetResult(_)
                | Action::Open
                | Action::AddItem
                | Action::Evidence
                | Action::RaiseNc
                | Action::Complete
                | Action::Reopen
        );
        if edits && cx.read_only {
            return Outcome::status(
                "read-only: started with --read-only, so results are not recorded",
                true,
            );
        }
        // A completed audit is read-only until reopened (the core refuses too; this says
        // which key reopens it, short enough for 80 columns).
        if edits && action != Action::Reopen && self.completed(cx.ws) {
            return Outcome::status(
                format!("{} is completed, read-only: R reopens it", self.audit),
                true,
            );
        }
        let items = self.items(cx.ws);
        let n = items.len();
        if n == 0 {
            return Outcome::close();
        }
        self.cursor = self.cursor.min(n - 1);
        match action {
            Action::Back if self.exit_on_leave => return Outcome::Close(vec![Effect::Quit]),
            Action::Back => return Outcome::close(),
            Action::Down => self.cursor = (self.cursor + 1).min(n - 1),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::NextOpen => {
                let fields = cx
                    .ws
                    .get(&self.audit)
                    .map(|r| r.fields.clone())
                    .unwrap_or_default();
                match audit::next_open(&fields, self.cursor) {
                    Some(i) => self.cursor = i,
                    None => {
                        return Outcome::status(
                            "every item has a result: C completes the audit",
                            false,
                        );
                    }
                }
            }
            // Notes, and the reason a requirement was not audited, use the same editor.
            Action::Open | Action::SetResult("not-audited") => {
                let reason = action != Action::Open;
                let notes = items
                    .get(self.cursor)
                    .and_then(|m| m.text("notes"))
                    .unwrap_or_default();
                self.editor = Some(WalkEditor::Notes {
                    input: TextInput::area(&notes),
                    reason,
                    saved: notes,
                });
                if reason {
                    return Outcome::status("why was it not audited? write it, then Esc", false);
                }
            }
            Action::SetResult(result) => {
                let linked = items.get(self.cursor).and_then(|m| m.text("nc"));
                let mut outcome = self.set_item(cx, &[("result", Some(Value::str(result)))]);
                // Saved, but now contradicting the NC it links: say so at once, not only
                // in `aims check` (audit-result-links-nc).
                if let (Some(nc), Outcome::Consumed(effects)) = (linked, &mut outcome)
                    && ItemResult::parse(result).is_some_and(ItemResult::says_met)
                {
                    // After the save (a failed save drops it).
                    effects.push(Effect::Status(
                        format!("saved; still links {nc}: withdraw it or record an NC"),
                        true,
                    ));
                }
                return outcome;
            }
            Action::AddItem => self.editor = Some(evidence_target("", None)),
            Action::Evidence => {
                if items
                    .get(self.cursor)
                    .is_none_or(|m| m.list("evidence").is_empty())
                {
                    return Outcome::status(
                        "no evidence sampled for this item: a adds some",
                        false,
                    );
                }
                self.editor = Some(WalkEditor::EvidenceList { cursor: 0 });
            }
            Action::RaiseNc => return self.raise_nc(cx),
            Action::Complete => return self.ask_complete(cx),
            Action::Reopen => return self.ask_reopen(cx),
            _ => {}
        }
        Outcome::done()
    }
    fn on_paste(&mut self, text: &str, _cx: &Ctx) -> Outcome {
        let input = match self.editor.as_mut() {
            Some(WalkEditor::Notes { input, .. })
            | Some(WalkEditor::EvidenceTarget { input, .. })
            | Some(WalkEditor::EvidenceLabel { input, .. })
            | Some(WalkEditor::Reopen(input)) => input,
            Some(WalkEditor::Complete(d)) => {
                return match d.paste(text) {
                    Ok(()) => Outcome::done(),
                    Err(e) => Outcome::status(e, true),
                };
            }
            Some(WalkEditor::EvidenceList { .. }) | None => return Outcome::Ignored,
        };
        match input.paste(text) {
            Ok(()) => Outcome::done(),
            Err(e) => Outcome::status(e, true),
        }
    }
    fn draw(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, cx: &Ctx) {
        draw::draw(frame, cx, self, area);
    }
    fn hints(&self) -> Vec<(String, String)> {
        match &self.editor {
            Some(WalkEditor::Notes { .. }) => vec![
                ("type".into(), "(Enter: new line)".into()),
                ("Esc".into(), "keep".into()),
                ("Ctrl-U/W/K".into(), "edit".into()),
            ],
            Some(WalkEditor::Complete(_)) => vec![
                ("Tab".into(), "next field".into()),
                ("Enter".into(), "complete".into()),
                ("Esc".into(), "cancel".into()),
            ],
            Some(WalkEditor::EvidenceList { .. }) => {
                super::component::scope_hints(Scope::WalkEvidence)
            }
            Some(WalkEditor::EvidenceTarget { .. }) => vec![
                ("type".into(), "path or URL".into()),
                ("Tab".into(), "complete".into()),
                ("Enter".into(), "next".into()),
                ("Esc".into(), "cancel".into()),
            ],
            Some(WalkEditor::Reopen(_)) => vec![
                ("type".into(), "the reason".into()),
                ("Enter".into(), "reopen".into()),
                ("Esc".into(), "cancel".into()),
            ],
            Some(_) => vec![
                ("type".into(), "text".into()),
                ("Enter".into(), "next".into()),
                ("Esc".into(), "cancel".into()),
            ],
            None => super::component::scope_hints(Scope::Walk),
        }
    }
    fn scopes(&self) -> Vec<Scope> {
        match self.editor {
            Some(WalkEditor::EvidenceList { .. }) => vec![Scope::WalkEvidence],
            Some(_) => vec![Scope::TextInput, Scope::Prompt],
            None => vec![Scope::Walk],
        }
    }
    fn takes_text(&self) -> bool {
        self.editor
            .as_ref()
            .is_some_and(|e| !matches!(e, WalkEditor::EvidenceList { .. }))
    }
    /// Notes typed and not saved yet (the event loop saves them within a second).
    fn pending(&self) -> bool {
        matches!(&self.editor, Some(WalkEditor::Notes { input, saved, .. })
            if clean_notes(input).trim_end() != saved.trim_end())
    }
    /// Saves the notes being typed, through the same surgical save as Esc: a dropped
    /// connection loses at most the last second of a note. (The result a not-audited
    /// reason sets still waits for Esc; the reason typed so far is kept.)
    fn flush(&mut self, cx: &Ctx) -> Vec<Effect> {
        let text = match &mut self.editor {
            Some(WalkEditor::Notes { input, saved, .. }) => {
                let text = clean_notes(input).trim_end().to_string();
                // Marked saved whatever the answer: a refusal is said once, not every second.
                *saved = text.clone();
                text
            }
            _ => return Vec::new(),
        };
        match self.set_item(cx, &[("notes", Some(Value::str(text)))]) {
            Outcome::Consumed(effects) | Outcome::Close(effects) => effects,
            Outcome::Ignored => Vec::new(),
        }
    }
    fn on_change(&mut self, cx: &Ctx) -> Option<String> {
        // The walk follows its audit: gone, or a shorter checklist.
        match cx
            .ws
            .get(&self.audit)
            .map(|a| a.fields.list("checklist").len())
        {
            Some(n) if n > 0 => {
                self.cursor = self.cursor.min(n - 1);
                None
            }
            _ => Some(format!(
                "{} is gone or has no checklist: walk closed",
                self.audit
            )),
        }
    }
    any_component!();
}

/// The notes as typed, without control characters a terminal may send.
fn clean_notes(input: &TextInput) -> String {
    input
        .text()
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect()
}

/// A fresh evidence prompt, with `text` in it (the cursor at its end).
fn evidence_target(text: &str, editing: Option<usize>) -> WalkEditor {
    WalkEditor::EvidenceTarget {
        input: TextInput::line(text),
        editing,
        matches: Vec::new(),
    }
}

/// An evidence entry's (label, target): a mapping, or a bare string as its target.
pub fn evidence_parts(e: &Value) -> (String, String) {
    match e.as_map() {
        Some(m) => (
            m.text("label").unwrap_or_default(),
            m.text("target").unwrap_or_default(),
        ),
        None => (String::new(), e.as_text().unwrap_or_default()),
    }
}

/// The save that links audit item `index` to the nonconformity `nc` raised from it.
pub fn link_nc(ws: &Workspace, audit: &str, index: usize, nc: &str, today: Date) -> Option<Effect> {
    let fields = audit::set_item(
        audit,
        &ws.fields_of(audit)?,
        index,
        &[("nc", Some(Value::str(nc)))],
        today,
    )
    .ok()?;
    Some(Effect::SaveFields {
        id: audit.to_string(),
        fields,
        done: format!("{nc} raised and linked to item {}", index + 1),
    })
}

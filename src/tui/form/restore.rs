//! Drafts of forms: what a form holds unsaved is written to a per-user draft within a
//! second of each change (`workspace::draft`), removed on save or discard; on the next
//! start the workbench offers to restore it. A draft never overwrites a newer file: if the
//! record was saved since, restoring opens the conflict dialog (the three-way merge).

use super::super::component::{Component, Ctx, DraftOp, Effect, Outcome};
use super::super::keys::{self, Action, Scope};
use super::super::widgets::{block, centered};
use super::{Clash, Dialog, Form};
use crate::any_component;
use crate::domain::text::one_line;
use crate::domain::{Map, Value};
use crate::workspace::draft::{Draft, DraftKey, Drafts, Edit, Target};
use crate::workspace::rebase::{Rebase, Restore};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use std::path::Path;

impl Form {
    /// What this form's draft is of (the written time is set by the app, at the edge).
    pub fn draft(&self) -> Draft {
        let target = match (self.subject.record_kind(), &self.original, &self.origin) {
            (None, _, origin) => Target::Settings {
                base_hash: origin.as_ref().map_or(0, |(_, hash)| *hash),
            },
            (Some(kind), Some(id), Some((path, hash))) => Target::Record {
                kind,
                id: id.clone(),
                path: path.clone(),
                base_hash: *hash,
            },
            (Some(kind), _, _) => Target::New(kind),
        };
        Draft {
            target,
            edit: Edit::Form,
            fields: self.typed_values(),
            base: self.base.clone(),
            written_at: chrono::DateTime::UNIX_EPOCH.fixed_offset(),
        }
    }

    pub fn draft_key(&self) -> DraftKey {
        self.draft().key()
    }

    /// A form holding `draft` again, as the workspace now stands (`state`).
    pub fn restored(draft: &Draft, state: Restore, cx: &Ctx) -> Form {
        let Some(kind) = draft.kind() else {
            return Form::restored_settings(draft, state, cx);
        };
        let subject = super::Subject::Record(kind);
        let edit_of = |id: &str, path, hash| {
            let mut f = Form::open(
                subject,
                Some(id.to_string()),
                draft.base.clone(),
                draft.fields.clone(),
                cx.ws,
                cx.today,
            );
            // Changed against the record, so leaving asks and the draft stays current.
            f.initial = draft.base.clone();
            f.drafted = draft.fields.clone();
            f.origin = Some((path, hash));
            f
        };
        let as_new = |why: String| {
            let mut fields = draft.fields.clone();
            let id = crate::domain::ids::next_id(
                kind.prefix(),
                cx.ws.records.iter().map(|r| r.id.as_str()),
            );
            fields.set("id", Value::str(id));
            let mut f = Form::open(subject, None, Map::new(), fields, cx.ws, cx.today);
            f.initial = Map::new();
            f.message = Some(why);
            f
        };
        match (&draft.target, state) {
            (Target::Record { id, path, .. }, Restore::Unchanged) => {
                let hash = cx.ws.get(id).map_or(0, |r| r.content_hash);
                edit_of(id, path.clone(), hash)
            }
            (Target::Record { id, path, .. }, Restore::Changed { theirs, merge }) => {
                let mut f = edit_of(id, path.clone(), theirs.hash);
                f.dialog = Some(Dialog::Conflict(Box::new(Clash::of(
                    id,
                    Rebase::Merged { theirs, merge },
                ))));
                f
            }
            (_, Restore::Deleted | Restore::Unreadable(_)) => as_new(format!(
                "{} is gone or unreadable on disk: saving makes a new record",
                one_line(&draft.id().unwrap_or_default())
            )),
            (_, Restore::IdTaken(id)) => as_new(format!(
                "id {} is taken now: a free id is proposed",
                one_line(&id)
            )),
            (_, _) => {
                let mut f = Form::open(
                    subject,
                    None,
                    Map::new(),
                    draft.fields.clone(),
                    cx.ws,
                    cx.today,
                );
                f.initial = Map::new();
                f
            }
        }
    }
}

impl Form {
    /// The Settings form holding a settings draft again: on aims.yaml as it is now, through
    /// the three-way merge when it was saved since (the save then checks it is still that).
    fn restored_settings(draft: &Draft, state: Restore, cx: &Ctx) -> Form {
        let file = crate::domain::settings::SETTINGS_FILE;
        let (base, hash) = match &cx.ws.settings_file {
            Some((map, hash)) => (map.clone(), *hash),
            None => (draft.base.clone(), 0),
        };
        let mut f = Form::open(
            super::Subject::Settings,
            Some(file.into()),
            base.clone(),
            draft.fields.clone(),
            cx.ws,
            cx.today,
        );
        f.initial = base;
        f.drafted = draft.fields.clone();
        f.origin = Some((file.into(), hash));
        match state {
            Restore::Changed { theirs, merge } => {
                let mut clash = Clash::of(file, Rebase::Merged { theirs, merge });
                clash.as_new = false;
                f.dialog = Some(Dialog::Conflict(Box::new(clash)));
            }
            Restore::Unreadable(_) => {
                f.message = Some(format!(
                    "{file} does not read now: fix it by hand, then save (the draft is kept)"
                ));
            }
            _ => {}
        }
        f
    }
}

/// At the start: the offer of the first form draft this user left (the others are offered
/// at later starts), and each damaged draft file, named (it stays on disk).
pub fn offer_drafts(root: &Path, read_only: bool) -> (Option<RestoreDraft>, Vec<String>) {
    let mut offer = None;
    let mut damaged = Vec::new();
    if read_only {
        return (offer, damaged);
    }
    for found in Drafts::open(root).list() {
        match found {
            Ok(draft) if draft.edit == Edit::Form && offer.is_none() => {
                offer = Some(RestoreDraft { draft });
            }
            Ok(_) => {}
            Err(e) => damaged.push(one_line(&e.to_string())),
        }
    }
    (offer, damaged)
}

/// Writes a form's draft, stamped with the time now (shown when it is offered), or
/// removes it.
pub fn apply_draft(root: &Path, op: DraftOp) -> Result<(), String> {
    let drafts = Drafts::open(root);
    let done = match op {
        DraftOp::Keep(mut draft) => {
            draft.written_at = chrono::Local::now().fixed_offset();
            drafts.save(&draft).map(|_| ())
        }
        DraftOp::Drop(key) => drafts.remove(&key),
    };
    done.map_err(|e| one_line(&e.to_string()))
}

/// "Restore your unsaved edit of RISK-004 from 10:42?" — y restore, n later, d discard.
pub struct RestoreDraft {
    pub draft: Draft,
}

impl RestoreDraft {
    pub fn question(&self, cx: &Ctx) -> String {
        let what = match &self.draft.target {
            Target::Record { id, .. } => one_line(id),
            Target::New(kind) => format!("a new {}", kind.label()),
            Target::Settings { .. } => "the settings".into(),
        };
        let at = self.draft.written_at;
        let when = if at.date_naive().to_string() == cx.today.to_string() {
            at.format("%H:%M").to_string()
        } else {
            at.format("%Y-%m-%d %H:%M").to_string()
        };
        format!("Restore your unsaved edit of {what} from {when}?")
    }
}

impl Component for RestoreDraft {
    fn on_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome {
        match keys::action_in(key, Scope::Dialog) {
            Some(Action::Yes) => {
                let state = cx.ws.restore_state(&self.draft);
                let form = Form::restored(&self.draft, state, cx);
                let mut effects = Vec::new();
                // Restored as a new record: the old draft gives way to the new form's.
                if form.draft_key() != self.draft.key() {
                    effects.push(Effect::Draft(DraftOp::Drop(self.draft.key())));
                }
                effects.push(Effect::Push(Box::new(form)));
                Outcome::Close(effects)
            }
            Some(Action::Discard) => Outcome::Close(vec![
                Effect::Draft(DraftOp::Drop(self.draft.key())),
                Effect::Status("draft discarded".into(), false),
            ]),
            Some(Action::Back | Action::No) => Outcome::Close(vec![Effect::Status(
                "the draft is kept: offered again at the next start".into(),
                false,
            )]),
            _ => Outcome::done(),
        }
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let t = cx.theme;
        let r = centered(area, 64.min(area.width), 5);
        frame.render_widget(Clear, r);
        let lines = vec![
            Line::from(self.question(cx)),
            Line::from(""),
            Line::from(vec![
                Span::styled("y", t.key),
                Span::raw(" restore · "),
                Span::styled("n", t.key),
                Span::raw(" later · "),
                Span::styled("d", t.key),
                Span::raw(" discard"),
            ]),
        ];
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block(t, "Unsaved edit")),
            r,
        );
    }
    fn hints(&self) -> Vec<(String, String)> {
        super::super::component::hints(&[("y", "restore"), ("n", "later"), ("d", "discard")])
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Dialog]
    }
    any_component!();
}

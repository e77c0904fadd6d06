//! The application: the panes underneath and one stack of layers on top. A key goes to
//! the top layer; only when there is none do the panes get it. Layers answer with effects
//! (save, trash, reload, open), which run here, at the edge: the only place that writes.

use super::component::{Component, Ctx, Effect, Outcome, SaveRequest, Target};
use super::form::{Dialog, Form};
use super::index::Index;
use super::keys::{self, Action, Scope};
use super::overlays::{
    Ask, ChooseKind, ConfirmDelete, Finder, Help, ListFilter, Message, PersonPicker, Prompt,
    RecordView,
};
use super::pane::Pane;
use super::panes::{Panes, default_target};
use super::theme::Theme;
use super::walk::Walk;
use crate::domain::dates::Date;
use crate::domain::{RecordType, text::one_line};
use crate::rules::{spec, triage};
use crate::workspace::{SaveError, Workspace};
use ratatui::crossterm::event::KeyEvent;
use std::collections::{BTreeSet, HashMap, HashSet};

pub use crate::domain::dates::parse_relative as parse_relative_date;
pub use super::panes::grid_start;

pub struct App {
    pub ws: Workspace,
    /// Everything derived from the workspace (findings, due list, flags).
    pub index: Index,
    pub panes: Panes,
    /// The layers over the panes, bottom first; the last one gets the keys.
    pub stack: Vec<Box<dyn Component>>,
    pub today: Date,
    /// The person acting (person id), from `--as` or `$USER`.
    pub user: Option<String>,
    pub read_only: bool,
    pub theme: Theme,
    /// A one-line message for the status bar, and whether it is an error.
    pub status: Option<(String, bool)>,
    /// The last message, kept after the status bar clears (`!` shows it in full).
    pub last_message: Option<String>,
    pub quit: bool,
}

/// What a layer may read, borrowed field by field (so the stack can be borrowed mutably
/// at the same time).
macro_rules! cx {
    ($app:expr) => {
        Ctx {
            ws: &$app.ws,
            index: &$app.index,
            theme: &$app.theme,
            today: $app.today,
            user: $app.user.as_deref(),
            read_only: $app.read_only,
        }
    };
}

impl App {
    pub fn new(
        ws: Workspace,
        today: Date,
        user: Option<String>,
        read_only: bool,
        theme: Theme,
    ) -> App {
        let mut app = App {
            index: Index::default(),
            ws,
            panes: Panes::new(today),
            stack: Vec::new(),
            today,
            user,
            read_only,
            theme,
            status: None,
            last_message: None,
            quit: false,
        };
        app.refresh();
        app
    }

    pub fn cx(&self) -> Ctx<'_> {
        cx!(self)
    }

    // ---- the stack ----------------------------------------------------------------------

    /// The top layer, if it is a `T`.
    pub fn top<T: 'static>(&self) -> Option<&T> {
        self.stack.last()?.as_any().downcast_ref()
    }

    /// The topmost layer that is a `T`.
    pub fn find<T: 'static>(&self) -> Option<&T> {
        self.stack
            .iter()
            .rev()
            .find_map(|c| c.as_any().downcast_ref())
    }

    pub fn find_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.stack
            .iter_mut()
            .rev()
            .find_map(|c| c.as_any_mut().downcast_mut())
    }

    /// The open form (the topmost).
    pub fn form(&self) -> Option<&Form> {
        self.find()
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        self.find_mut()
    }

    pub fn walk(&self) -> Option<&Walk> {
        self.find()
    }

    pub fn push(&mut self, layer: impl Component) {
        self.stack.push(Box::new(layer));
    }

    fn set_status(&mut self, text: impl Into<String>, error: bool) {
        let text = text.into();
        self.last_message = Some(text.clone());
        self.status = Some((text, error));
    }

    // ---- keys ---------------------------------------------------------------------------

    /// Handles one key press: the top layer's, else the pane's.
    pub fn on_key(&mut self, key: KeyEvent) {
        self.status = None;
        if let Some(top) = self.stack.last_mut() {
            let cx = cx!(self);
            match top.on_key(&key, &cx) {
                // `?` works in every layer that does not take it as text.
                Outcome::Ignored => {
                    if keys::action_for(&key, &[]) == Some(Action::Help) {
                        let scopes = top.scopes();
                        self.push(Help::new(scopes));
                    }
                }
                Outcome::Consumed(effects) => self.run(effects),
                Outcome::Close(effects) => {
                    self.stack.pop();
                    self.run(effects);
                }
            }
            return;
        }
        if let Some(action) = keys::action_for(&key, &self.pane_scopes()) {
            self.update(action);
        }
    }

    /// Pasted text goes to the top layer's text field as one edit, never as keystrokes.
    pub fn on_paste(&mut self, text: &str) {
        if let Some(top) = self.stack.last_mut() {
            let cx = cx!(self);
            if let Outcome::Consumed(effects) | Outcome::Close(effects) = top.on_paste(text, &cx) {
                self.run(effects);
            }
        }
    }

    /// The scopes of the pane's keys, most specific first.
    pub fn pane_scopes(&self) -> Vec<Scope> {
        match self.panes.pane {
            Pane::Risks => vec![Scope::Heatmap],
            Pane::Calendar => vec![Scope::Calendar],
            _ => vec![Scope::List],
        }
    }

    /// The scopes whose keys are active now: the top layer's, or the pane's.
    pub fn scopes(&self) -> Vec<Scope> {
        match self.stack.last() {
            Some(top) => top.scopes(),
            None => self.pane_scopes(),
        }
    }

    /// A pane key (no layer open).
    pub fn update(&mut self, action: Action) {
        if action.edits() && self.read_only {
            self.set_status(
                "read-only: started with --read-only, so nothing can be changed here",
                true,
            );
            return;
        }
        let pane = self.panes.pane;
        match action {
            Action::Quit => self.quit = true,
            Action::Back => {
                if self.panes.list(pane).is_some_and(|l| !l.filter.is_empty()) {
                    self.panes.set_filter(pane, &self.ws, &self.index, "");
                }
            }
            Action::Help => self.push(Help::new(self.pane_scopes())),
            Action::Finder => {
                let finder = Finder::new(&cx!(self));
                self.push(finder);
            }
            Action::LastMessage => match self.last_message.clone() {
                Some(text) => self.push(Message {
                    title: "Last message".into(),
                    text,
                }),
                None => self.set_status("no message yet", false),
            },
            Action::NextPane => self.panes.pane = pane.next(),
            Action::PrevPane => self.panes.pane = pane.prev(),
            Action::GoPane(p) => self.panes.pane = p,
            Action::Reload => {
                if self.reload_from_disk() {
                    self.set_status("reloaded from disk", false);
                }
            }
            Action::Open => self.open_selected(),
            Action::Filter => match self.panes.list(pane) {
                Some(list) => {
                    let filter = ListFilter::new(&list.filter);
                    self.push(filter);
                }
                None => self.set_status(
                    format!("{} has no filter: Ctrl-P finds any record", pane.title()),
                    false,
                ),
            },
            Action::Sort => self.panes.sort_next(&self.ws, &self.index),
            Action::ToggleResidual => {
                self.panes.heat.residual = !self.panes.heat.residual;
                self.panes.heat.cursor = 0;
            }
            Action::MarkReviewed | Action::Reschedule | Action::Reassign => {
                match self.selection() {
                    Some(target) => self.start_triage(action, target),
                    None => self.set_status("nothing selected", true),
                }
            }
            Action::New => self.open_new_form(),
            Action::Edit => match self.selection() {
                Some(t) => self.open_edit(&t.record),
                None => self.set_status("nothing selected to edit", true),
            },
            Action::Delete => self.ask_delete(),
            Action::Today => self.panes.calendar.day = self.today,
            Action::Mine => {
                self.panes.calendar.mine = !self.panes.calendar.mine;
                self.panes.calendar.cursor = 0;
            }
            Action::PrevMonth | Action::NextMonth => {
                let months = chrono::Months::new(1);
                let day = self.panes.calendar.day;
                self.panes.calendar.day = if action == Action::NextMonth {
                    day.checked_add_months(months)
                } else {
                    day.checked_sub_months(months)
                }
                .unwrap_or(day);
            }
            Action::Up
            | Action::Down
            | Action::Left
            | Action::Right
            | Action::ListUp
            | Action::ListDown
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                self.panes
                    .move_cursor(action, &self.ws, &self.index, self.user.as_deref())
            }
            // Keys of the layers: not bound on the panes.
            _ => {}
        }
    }

    /// The record under the cursor of the current pane, with the obligation it stands for.
    pub fn selection(&self) -> Option<Target> {
        self.panes
            .selection(&self.ws, &self.index, self.user.as_deref())
    }

    // ---- effects ------------------------------------------------------------------------

    /// Runs what the layers asked for, in order.
    pub fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Status(text, error) => self.set_status(text, error),
                Effect::SaveFields { id, fields, done } => {
                    let before = self.index.before_save(&self.ws, &id);
                    match self.ws.save_record(&id, fields, self.today) {
                        Ok(()) => {
                            self.after_save(&id, before);
                            self.set_status(done, false);
                        }
                        Err(e) => self.set_status(one_line(&e.to_string()), true),
                    }
                }
                Effect::SaveForm(request) => self.save_form(request),
                Effect::Reapply(request) => self.reapply(request),
                Effect::Trash(id) => self.delete(&id),
                Effect::Reload => {
                    self.reload_from_disk();
                }
                Effect::OpenRecord(id) => self.open_record(&id),
                Effect::GoToRecord(id) => {
                    if let Some(r) = self.ws.get(&id) {
                        let pane = Pane::of_type(r.kind);
                        if !pane.record_types().is_empty() {
                            self.panes.pane = pane;
                        }
                    }
                    self.open_record(&id);
                }
                Effect::EditRecord(id) => self.open_edit(&id),
                Effect::NewRecord(kind) => {
                    let form = Form::create(kind, &self.ws, self.user.as_deref(), self.today);
                    self.push(form);
                }
                Effect::Triage(action, id) => {
                    let target = default_target(&self.ws, &id);
                    self.start_triage(action, target);
                }
                Effect::Push(layer) => self.stack.push(layer),
                Effect::SetFilter(text) => {
                    let pane = self.panes.pane;
                    self.panes.set_filter(pane, &self.ws, &self.index, &text);
                }
                Effect::Quit => self.quit = true,
            }
        }
    }

    // ---- after the workspace changed --------------------------------------------------

    /// Rebuilds every cache after the workspace changed, keeping each cursor on its record.
    pub fn refresh(&mut self) {
        self.index.rebuild(&self.ws, self.today);
        self.follow(None, None);
    }

    /// The panes and the layers follow a change: cursors back on their records (or the
    /// nearest row, said in the status bar), layers whose record is gone closed.
    fn follow(&mut self, kinds: Option<&HashSet<RecordType>>, patch: Option<&BTreeSet<String>>) {
        self.index.refreshes += 1;
        let user = self.user.clone();
        if let Some(gone) =
            self.panes
                .follow(&self.ws, &self.index, kinds, patch, user.as_deref())
        {
            self.set_status(gone, true);
        }
        let cx = cx!(self);
        let mut closed = Vec::new();
        let mut i = 0;
        while i < self.stack.len() {
            match self.stack[i].on_change(&cx) {
                Some(message) => {
                    self.stack.remove(i);
                    closed.push(message);
                }
                None => i += 1,
            }
        }
        for message in closed {
            self.set_status(message, true);
        }
    }

    /// After this program saved record `id`: `before` is what the old version was read by
    /// ([`Index::before_save`]); only those and the new version's readers are re-validated.
    pub fn after_save(&mut self, id: &str, mut before: BTreeSet<String>) {
        before.extend(self.ws.touched_by(id));
        let unchanged = self.index.unchanged_rules(&self.ws, id);
        // A created record is pushed at the end: rows are rebuilt to take it in.
        let moved = self.index.haystacks.len() != self.ws.records.len();
        let changed = BTreeSet::from([id.to_string()]);
        let kinds = self.index.update(
            &self.ws,
            self.today,
            &changed,
            &before,
            &BTreeSet::new(),
            &[],
            &unchanged,
        );
        self.follow(Some(&kinds), (!moved).then_some(&before));
    }

    /// Replaces the workspace with a fresh load (another user's edit, a `git pull`). A file
    /// that no longer parses keeps its last good version on screen, marked stale.
    pub fn reload(&mut self, mut fresh: Workspace) {
        let mut stale = HashSet::new();
        for old in &self.ws.records {
            if fresh.unreadable.contains(&old.path) && fresh.get(&old.id).is_none() {
                stale.insert(old.id.clone());
                fresh.keep_stale(old.clone());
            }
        }
        self.ws = fresh;
        self.index.stale = stale;
        self.refresh();
    }

    /// Opens the workspace again from disk and shows it; an error goes to the status bar.
    pub fn reload_from_disk(&mut self) -> bool {
        match Workspace::open(&self.ws.root) {
            Ok(fresh) => {
                self.reload(fresh);
                true
            }
            Err(e) => {
                self.set_status(one_line(&e.to_string()), true);
                false
            }
        }
    }

    /// Applies what the watcher reported, reloading everything at once when events were
    /// lost (`rescan`) or the change needs it. Returns whether anything on screen may have
    /// changed. The event loop uses [`App::try_apply_outside`] and runs full reloads on a
    /// worker instead.
    pub fn apply_outside_changes<P: AsRef<std::path::Path>>(
        &mut self,
        paths: &[P],
        rescan: bool,
    ) -> bool {
        let applied = if rescan {
            None
        } else {
            self.try_apply_outside(paths)
        };
        // A failed reload says why in the status bar: that changes the screen too.
        applied.unwrap_or_else(|| {
            self.reload_from_disk();
            true
        })
    }

    /// Applies the watcher's paths: only records whose bytes changed are parsed and
    /// re-validated, with the records that read them. Returns whether anything on screen
    /// may have changed, or `None` when only a full reload can settle it.
    pub fn try_apply_outside<P: AsRef<std::path::Path>>(&mut self, paths: &[P]) -> Option<bool> {
        let kinds_before: HashMap<String, RecordType> = paths
            .iter()
            .filter_map(|p| {
                let name = p.as_ref().file_stem()?.to_str()?;
                self.ws.get(name).map(|r| (r.id.clone(), r.kind))
            })
            .collect();
        let cs = self.ws.apply_changes(paths);
        if cs.full_reload {
            return None;
        }
        if cs.is_empty() {
            self.index.validated = 0;
            return Some(false);
        }
        let stale = &mut self.index.stale;
        stale.extend(cs.stale.iter().cloned());
        for id in cs.recovered.iter().chain(&cs.changed) {
            if !cs.stale.contains(id)
                && self
                    .ws
                    .get(id)
                    .is_none_or(|r| !self.ws.unreadable.contains(&r.path))
            {
                stale.remove(id);
            }
        }
        // A record gone whose type is not known (its folder went): the workspace-wide
        // rules cannot tell whether they read it.
        let unknown = cs
            .changed
            .iter()
            .any(|id| self.ws.get(id).is_none() && !kinds_before.contains_key(id));
        if cs.recheck_all || unknown {
            self.refresh();
            return Some(true);
        }
        let removed_kinds: Vec<RecordType> = kinds_before.values().copied().collect();
        let kinds = self.index.update(
            &self.ws,
            self.today,
            &cs.changed,
            &cs.affected,
            &cs.relocated,
            &removed_kinds,
            &[],
        );
        // Only edits in place can be patched: an added or removed record moves positions.
        let patch = (cs.relocated.is_empty() && !cs.moved).then_some(&cs.affected);
        self.follow(Some(&kinds), patch);
        Some(true)
    }

    // ---- opening things ---------------------------------------------------------------

    fn open_selected(&mut self) {
        let pane = self.panes.pane;
        if pane == Pane::Audits
            && let Some(r) = self.panes.list(pane).and_then(|l| l.selected(&self.ws))
            && !r.fields.list("checklist").is_empty()
        {
            let id = r.id.clone();
            self.open_walk(&id);
            return;
        }
        // Problems jump to the record and the field the finding names.
        let focus = match pane {
            Pane::Problems => self
                .index
                .findings
                .get(self.panes.problems_cursor)
                .and_then(|f| f.field.clone()),
            _ => None,
        };
        if let Some(t) = self.selection() {
            self.open_record(&t.record);
            if let Some(view) = self.find_mut::<RecordView>() {
                view.focus_field = focus;
            }
        }
    }

    /// Opens a record: its pane's cursor on it (the filter kept when it shows the record),
    /// and its detail on top.
    pub fn open_record(&mut self, id: &str) {
        let Some(record) = self.ws.get(id) else {
            self.set_status(format!("{} is not in the workspace", one_line(id)), true);
            return;
        };
        let pane = Pane::of_type(record.kind);
        if !pane.record_types().is_empty() && self.stack.is_empty() {
            if !matches!(self.panes.pane, Pane::Home | Pane::Calendar | Pane::Problems) {
                self.panes.pane = pane;
            }
            self.panes.select_in(pane, &self.ws, id);
        }
        self.push(RecordView::new(id, None));
    }

    /// Opens the walk of an audit (`exit_on_leave`: started by `aims audit`).
    pub fn open_walk(&mut self, audit: &str) {
        match Walk::open(audit, &self.ws) {
            Ok(walk) => self.push(walk),
            Err(e) => self.set_status(e, true),
        }
    }

    fn start_triage(&mut self, action: Action, target: Target) {
        if self.user.is_none() {
            self.set_status("who are you? start aims with --as PERSON, or add your login to people in aims.yaml", true);
            return;
        }
        let record = self.ws.get(&target.record);
        if record.is_some_and(|r| self.ws.unreadable.contains(&r.path)) {
            self.set_status(
                format!("{} no longer parses: fix the file first", target.record),
                true,
            );
            return;
        }
        let check = match action {
            Action::MarkReviewed => record
                .map(|r| r.kind)
                .filter(|k| spec(*k).reviewed)
                .map(|_| ())
                .ok_or_else(|| {
                    format!(
                        "{} has no review cycle: open it (Enter) to update it",
                        target.record
                    )
                }),
            Action::Reschedule => triage::date_field(target.kind).map(|_| ()),
            _ => triage::owner_field(target.kind).map(|_| ()),
        };
        if let Err(e) = check {
            self.set_status(e, true);
            return;
        }
        match action {
            Action::MarkReviewed => self.push(Prompt::new(Ask::ReviewNote, target)),
            Action::Reschedule => self.push(Prompt::new(Ask::RescheduleDate, target)),
            _ => {
                let picker = PersonPicker::new(target, &cx!(self));
                self.push(picker);
            }
        }
    }

    fn open_new_form(&mut self) {
        let kind = match self.panes.pane {
            Pane::Soa => {
                self.set_status("SoA entries are edited, not created: there is one per Annex A control (e edits)", true);
                return;
            }
            pane => match pane.record_types() {
                [] => {
                    self.set_status("go to a list (2–9) to create a record of its type", true);
                    return;
                }
                [k] => *k,
                // Findings lists nonconformities and incidents: ask which.
                kinds => {
                    self.push(ChooseKind {
                        kinds: kinds.to_vec(),
                        cursor: 0,
                    });
                    return;
                }
            },
        };
        let form = Form::create(kind, &self.ws, self.user.as_deref(), self.today);
        self.push(form);
    }

    fn open_edit(&mut self, id: &str) {
        if self.read_only {
            self.set_status("read-only: started with --read-only, so nothing is saved", true);
            return;
        }
        let Some(record) = self.ws.get(id).cloned() else {
            self.set_status("nothing selected to edit", true);
            return;
        };
        if self.index.stale.contains(&record.id) || self.ws.unreadable.contains(&record.path) {
            self.set_status(
                format!(
                    "{} no longer parses: fix the file first (see Problems)",
                    record.id
                ),
                true,
            );
            return;
        }
        // The form replaces the record popups it was opened from.
        while self.top::<RecordView>().is_some() {
            self.stack.pop();
        }
        self.push(Form::edit(&record, &self.ws, self.today));
    }

    fn ask_delete(&mut self) {
        let Some(target) = self.selection() else {
            self.set_status("nothing selected to delete", true);
            return;
        };
        if self
            .ws
            .get(&target.record)
            .is_some_and(|r| r.kind == RecordType::Soa)
        {
            self.set_status(
                "SoA entries are not deleted: mark the control excluded, with a justification",
                true,
            );
            return;
        }
        let referrers = self
            .ws
            .referrers(&target.record)
            .map(|r| r.id.clone())
            .collect();
        self.push(ConfirmDelete {
            id: target.record,
            referrers,
        });
    }

    fn delete(&mut self, id: &str) {
        match self.ws.trash_record(id, &self.today.to_string()) {
            Ok(path) => {
                let referrers: HashSet<String> =
                    self.ws.referrers(id).map(|r| r.id.clone()).collect();
                self.refresh();
                // Matched by rule code and record, never by message text.
                let dangling = self
                    .index
                    .findings
                    .iter()
                    .filter(|f| {
                        f.code == "broken-reference"
                            && f.record.as_ref().is_some_and(|r| referrers.contains(r))
                    })
                    .count()
                    .max(referrers.len());
                self.set_status(
                    format!(
                        "{id} moved to {}; {} to it now dangle (see Problems)",
                        path.display(),
                        super::widgets::plural(dangling, "reference")
                    ),
                    false,
                );
            }
            Err(e) => self.set_status(one_line(&e.to_string()), true),
        }
    }

    // ---- saving a form ----------------------------------------------------------------

    /// Saves the form on top through the core's save; a conflict becomes its dialog.
    fn save_form(&mut self, req: SaveRequest) {
        if self.read_only {
            self.set_status("read-only: started with --read-only, so nothing is saved", true);
            return;
        }
        // The watcher may already have loaded someone else's save: the form's base is then
        // not what the workspace holds, and saving would quietly undo their change.
        if let Some(current) = req.original.as_ref().and_then(|id| self.ws.get(id))
            && current.fields != req.base
        {
            let changed = changed_keys(&current.fields, &req.base);
            if let Some(form) = self.form_mut() {
                form.dialog = Some(Dialog::Conflict {
                    changed,
                    on_disk: None,
                });
            }
            return;
        }
        let id = req.values.text("id").unwrap_or_default();
        let before = self
            .index
            .before_save(&self.ws, req.original.as_deref().unwrap_or(&id));
        let result = match &req.original {
            Some(original) => self.ws.save_record(original, req.values.clone(), self.today),
            None => self
                .ws
                .create_record(req.kind, req.values.clone(), self.today),
        };
        let problem = match result {
            Ok(()) => {
                if self.top::<Form>().is_some() {
                    self.stack.pop();
                }
                if req.original.as_ref().is_none_or(|o| *o == id) {
                    self.after_save(&id, before);
                } else {
                    self.refresh();
                }
                if let Some((audit, index)) = req.link_nc {
                    return self.link_raised_nc(&audit, index, &id);
                }
                let pane = Pane::of_type(req.kind);
                if !pane.record_types().is_empty() && self.stack.is_empty() {
                    self.panes.pane = pane;
                    self.panes.select_in(pane, &self.ws, &id);
                    let user = self.user.clone();
                    self.panes.remember(&self.ws, &self.index, user.as_deref());
                }
                // On the heat map, go to the saved risk's cell.
                self.panes.show_risk(&self.ws, &id);
                return self.set_status(format!("{id} saved"), false);
            }
            Err(SaveError::Conflict { on_disk, kept, .. }) => {
                if let Some(kept) = kept {
                    self.set_status(
                        format!(
                            "a third version landed during the save; it is kept in {}",
                            one_line(&kept.display().to_string())
                        ),
                        true,
                    );
                }
                let theirs = on_disk
                    .as_deref()
                    .and_then(|t| {
                        crate::workspace::load::parse_yaml(t, std::path::Path::new("")).ok()
                    })
                    .and_then(|v| v.as_map().cloned());
                let changed = match &theirs {
                    Some(m) => changed_keys(m, &req.base),
                    None => vec!["(the file was deleted or no longer parses)".to_string()],
                };
                Err(Dialog::Conflict { changed, on_disk })
            }
            Err(SaveError::Invalid(findings)) => Err(Dialog::Errors(
                findings.iter().map(|f| one_line(&f.message)).collect(),
            )),
            Err(e) => Ok(one_line(&e.to_string())),
        };
        if let Some(form) = self.form_mut() {
            match problem {
                Err(dialog) => form.dialog = Some(dialog),
                Ok(message) => form.message = Some(message),
            }
        }
    }

    /// After a conflict: reload, put my changed fields on top of the version on disk, save.
    fn reapply(&mut self, req: SaveRequest) {
        let Some(id) = req.original.clone() else {
            return;
        };
        match Workspace::open(&self.ws.root) {
            Ok(fresh) => self.reload(fresh),
            Err(e) => {
                if let Some(form) = self.form_mut() {
                    form.message = Some(one_line(&e.to_string()));
                }
                return;
            }
        }
        let theirs = self
            .ws
            .get(&id)
            .filter(|_| !self.index.stale.contains(&id))
            .map(|r| r.fields.clone());
        let (ws, today) = (&self.ws, self.today);
        let Some(form) = self.stack.iter_mut().rev().find_map(|c| c.as_any_mut().downcast_mut::<Form>()) else {
            return;
        };
        let Some(theirs) = theirs else {
            form.message = Some(format!(
                "{id} was deleted or no longer parses: save yours as a new record (n) instead"
            ));
            form.dialog = Some(Dialog::Conflict {
                changed: vec![],
                on_disk: None,
            });
            return;
        };
        let mut merged = theirs.clone();
        for key in form.changed_fields() {
            match form.values.get(&key) {
                Some(v) => merged.set(&key, v.clone()),
                None => {
                    merged.remove(&key);
                }
            }
        }
        form.base = theirs;
        form.values = merged;
        form.validate(ws, today);
        if form.errors().is_empty() {
            let req = form.request();
            self.save_form(req);
        } else {
            form.message =
                Some("re-applied on the new version: fix what is marked, then Ctrl-S".into());
        }
    }

    /// After the raised NC is saved: the audit item points at it.
    fn link_raised_nc(&mut self, audit: &str, index: usize, nc: &str) {
        let Some(fields) = self.ws.fields_of(audit) else {
            return;
        };
        let Some(fields) =
            super::walk::with_item(&fields, index, &[("nc", Some(crate::domain::Value::str(nc)))], self.today)
        else {
            return;
        };
        if let Some(walk) = self.find_mut::<Walk>() {
            walk.cursor = index;
        }
        self.run(vec![Effect::SaveFields {
            id: audit.to_string(),
            fields,
            done: format!("{nc} raised and linked to item {}", index + 1),
        }]);
    }
}

/// The fields whose values differ between two versions of a record.
fn changed_keys(a: &crate::domain::Map, b: &crate::domain::Map) -> Vec<String> {
    let mut keys: Vec<String> = a.keys().chain(b.keys()).map(str::to_string).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().filter(|k| a.get(k) != b.get(k)).collect()
}

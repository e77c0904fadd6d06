//! The application: the panes underneath and one stack of layers on top. A key goes to
//! the top layer; only when there is none do the panes get it. Layers answer with effects
//! (save, trash, reload, open), which run here, at the edge: the only place that writes.

use super::commit::CommitDialog;
use super::component::{Ctx, DraftOp, Effect, Outcome, SaveRequest, Subject, Target};
use super::form::Form;
use super::history::HistoryView;
use super::index::{Applied, Index, Loaded};
use super::keys::{self, Action, Scope};
use super::overlays::{ConfirmDelete, Finder, Help, ListFilter, Message, RecordView};
use super::pane::Pane;
use super::panes::{Enter, Panes, default_target};
use super::review_offer::ReviewOffer;
use super::stack::Stack;
use super::theme::Theme;
use super::walk::Walk;
use crate::domain::dates::Date;
use crate::domain::{RecordType, text::one_line};
use crate::workspace::Workspace;
use ratatui::crossterm::event::KeyEvent;
use std::collections::{BTreeSet, HashSet};

pub use super::panes::grid_start;
pub use crate::domain::dates::parse_relative as parse_relative_date;

pub struct App {
    pub ws: Workspace,
    /// Everything derived from the workspace (findings, due list, flags).
    pub index: Index,
    pub panes: Panes,
    /// The layers over the panes, bottom first; the last one gets the keys.
    pub stack: Stack,
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
    /// Ctrl-R was pressed: the event loop reloads on a worker (a test reloads by hand).
    pub reload_wanted: bool,
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
    /// `loaded`: a workspace, or a workspace with the index a worker built for it.
    pub fn new(
        loaded: impl Into<Loaded>,
        today: Date,
        user: Option<String>,
        read_only: bool,
        theme: Theme,
    ) -> App {
        let Loaded(ws, built) = loaded.into();
        let mut app = App {
            index: built.unwrap_or_else(|| Index::new(&ws, today)),
            ws,
            panes: Panes::new(today),
            stack: Stack::default(),
            today,
            user,
            read_only,
            theme,
            status: None,
            last_message: None,
            quit: false,
            reload_wanted: false,
        };
        app.follow(None, None);
        app
    }

    pub fn cx(&self) -> Ctx<'_> {
        cx!(self)
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
        if let Some(help) = self
            .stack
            .last()
            .and_then(|top| Help::asked_over(&**top, &key))
        {
            self.stack.open(help);
            return;
        }
        if let Some(top) = self.stack.last_mut() {
            let cx = cx!(self);
            match top.on_key(&key, &cx) {
                // `?` works in every layer that does not take it as text.
                Outcome::Ignored => {
                    if keys::action_for(&key, &[]) == Some(Action::Help) {
                        let scopes = top.scopes();
                        self.stack.open(Help::new(scopes));
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
        if let Some(action) = keys::action_for(&key, &self.panes.scopes()) {
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

    /// The scopes whose keys act now, most specific first: what help and hints show.
    pub fn key_scopes(&self) -> Vec<Scope> {
        match self.stack.last() {
            Some(top) => top.scopes(),
            None => [self.panes.scopes(), vec![Scope::Global]].concat(),
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
            Action::Help => self.stack.open(Help::new(self.key_scopes())),
            Action::Finder => self.stack.open(Finder::new(&cx!(self))),
            Action::LastMessage => match self.last_message.clone() {
                Some(text) => self.stack.open(Message {
                    title: "Last message".into(),
                    text,
                }),
                None => self.set_status("no message yet", false),
            },
            // A full reload runs on a worker (the event loop's); keys are answered meanwhile.
            Action::Reload => self.reload_wanted = true,
            Action::Open => self.open_selected(),
            Action::Filter => match self.panes.list(pane) {
                Some(list) => self.stack.open(ListFilter::new(&list.filter)),
                None => self.set_status(
                    format!("{} has no filter: Ctrl-P finds any record", pane.title()),
                    false,
                ),
            },
            Action::MarkReviewed
            | Action::Reschedule
            | Action::Reassign
            | Action::Exclude
            | Action::Edit
            | Action::History => match self.selection() {
                Some(t) if action == Action::Edit => self.open_edit(&t.record),
                Some(t) if action == Action::History => {
                    self.stack.open(HistoryView::new(&self.ws, &t.record))
                }
                Some(t) => self.start_triage(action, t),
                None => self.set_status("nothing selected", true),
            },
            Action::New => match super::form::new_layer(pane, &cx!(self)) {
                Ok(layer) => self.stack.push(layer),
                Err(e) => self.set_status(e, true),
            },
            Action::Delete => self.open_or_say(ConfirmDelete::of(&self.ws, self.selection())),
            Action::Commit => self.stack.open(CommitDialog::new(&cx!(self))),
            Action::Settings => self.run(vec![Effect::OpenSettings(None)]),
            Action::HideSetup => self.run(vec![Effect::HideSetup(None)]),
            Action::NewReview => self.stack.open(ReviewOffer::new(&self.ws, self.today)),
            Action::ShowRisks => match self.selection() {
                Some(t) => self.run(vec![Effect::ShowRisks(t.record)]),
                None => self.set_status("nothing selected", true),
            },
            // Moving, sorting, switching panes: the panes' own.
            _ => self.panes.apply(
                action,
                &self.ws,
                &self.index,
                self.today,
                self.user.as_deref(),
            ),
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
                        Err(e) => {
                            // What came after the save assumed it landed: dropped.
                            self.set_status(one_line(&e.to_string()), true);
                            return;
                        }
                    }
                }
                Effect::SaveForm(request) => self.save_form(request),
                Effect::Draft(op) => {
                    if let Err(e) = super::form::apply_draft(&self.ws.root, op) {
                        self.set_status(e, true);
                    }
                }
                Effect::Trash(id) => self.delete(&id),
                Effect::GoToRecord(id) => {
                    self.panes.show_pane_of(&self.ws, &id);
                    self.open_record(&id);
                }
                Effect::EditRecord(id) => self.open_edit(&id),
                Effect::NewRecord(kind) => self.stack.open(Form::create_in(kind, &cx!(self))),
                Effect::Triage(action, id) => {
                    let target = default_target(&self.ws, &id);
                    self.start_triage(action, target);
                }
                Effect::Push(layer) => self.stack.push(layer),
                Effect::SetFilter(text) => {
                    let pane = self.panes.pane;
                    self.panes.set_filter(pane, &self.ws, &self.index, &text);
                }
                Effect::ShowRisks(id) => {
                    let shown = self.panes.show_risks(&self.ws, &self.index, &id);
                    if shown.is_ok() {
                        self.stack.close_top::<RecordView>();
                    }
                    let (text, error) = shown.map_or_else(|e| (e, true), |s| (s, false));
                    self.set_status(text, error);
                }
                Effect::RaiseForBreach(kind, id) => {
                    let next = super::raise::breach(&cx!(self), &id, kind);
                    self.run(vec![next]);
                }
                Effect::Commit(request) => self.panes.repo.commit(&self.ws.root, request),
                Effect::OpenSettings(at) => self.open_or_say(Form::settings(&cx!(self), at)),
                Effect::GoPane(pane, filter) => self.panes.go(pane, filter, &self.ws, &self.index),
                Effect::HideSetup(hide) => {
                    let (text, error) = self.panes.hide_setup(&self.ws, hide);
                    self.set_status(text, error);
                }
                Effect::Quit => self.quit = true,
            }
        }
    }

    /// Whether a layer holds typed text not on disk yet (see [`Component::pending`]).
    pub fn pending(&self) -> bool {
        self.stack.pending()
    }

    /// Writes what the layers hold unsaved (the event loop calls this within a second).
    pub fn flush(&mut self) {
        let cx = cx!(self);
        let stack = self.stack.iter_mut().filter(|l| l.pending());
        let effects = stack.flat_map(|layer| layer.flush(&cx)).collect();
        self.run(effects);
    }

    /// At the start: offers to restore a form draft this user left (see `form::restore`).
    pub fn offer_drafts(&mut self) {
        let (offer, damaged) = super::form::offer_drafts(&self.ws.root, self.read_only);
        damaged.into_iter().for_each(|e| self.set_status(e, true));
        offer.into_iter().for_each(|layer| self.stack.open(layer));
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
        if let Some(gone) = self
            .panes
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

    /// After this program saved record `id` (`before`: from [`Index::before_save`]).
    pub fn after_save(&mut self, id: &str, before: BTreeSet<String>) {
        let (kinds, patch) = self.index.saved(&self.ws, self.today, id, before);
        self.follow(Some(&kinds), patch.as_ref());
    }

    /// Replaces the workspace with a fresh load (another user's edit, a `git pull`). A file
    /// that no longer parses keeps its last good version on screen, marked stale.
    pub fn reload(&mut self, fresh: Workspace) {
        self.reload_indexed(fresh, None);
    }

    /// [`App::reload`] with the index a worker built for `fresh`: only the cursors follow.
    pub fn reload_indexed(&mut self, mut fresh: Workspace, built: Option<Index>) {
        self.index.reload(&self.ws, &mut fresh, built, self.today);
        self.ws = fresh;
        self.follow(None, None);
    }

    /// Opens the workspace again from disk and shows it; an error goes to the status bar.
    pub fn reload_from_disk(&mut self) -> bool {
        let opened = Workspace::open(&self.ws.root).map(|fresh| self.reload(fresh));
        if let Err(e) = &opened {
            self.set_status(one_line(&e.to_string()), true);
        }
        opened.is_ok()
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

    /// Applies the watcher's paths (see [`Index::apply_outside`]). Returns whether anything
    /// on screen may have changed, or `None` when only a full reload can settle it.
    pub fn try_apply_outside<P: AsRef<std::path::Path>>(&mut self, paths: &[P]) -> Option<bool> {
        match self.index.apply_outside(&mut self.ws, self.today, paths)? {
            Applied::Nothing => return Some(false),
            Applied::All => self.follow(None, None),
            Applied::Some { kinds, patch } => self.follow(Some(&kinds), patch.as_ref()),
        }
        Some(true)
    }

    // ---- opening things ---------------------------------------------------------------

    /// Enter on a pane: an audit's walk, or the record's detail (at the field a finding
    /// names, from Problems).
    fn open_selected(&mut self) {
        match self
            .panes
            .enter(&self.ws, &self.index, self.user.as_deref())
        {
            Some(Enter::Walk(id)) => self.open_walk(&id),
            Some(Enter::Effects(effects)) => self.run(effects),
            Some(Enter::Record(id, focus)) => {
                self.open_record(&id);
                if let Some(view) = self.stack.find_mut::<RecordView>() {
                    view.focus_field = focus;
                }
            }
            None => {}
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
            if !matches!(
                self.panes.pane,
                Pane::Home | Pane::Calendar | Pane::Problems
            ) {
                self.panes.pane = pane;
            }
            self.panes.select_in(pane, &self.ws, id);
        }
        self.stack.open(RecordView::new(id, None));
    }

    /// Opens the walk of an audit (`exit_on_leave`: started by `aims audit`).
    pub fn open_walk(&mut self, audit: &str) {
        self.open_or_say(Walk::open(audit, &self.ws));
    }

    /// Opens a layer, or says why it cannot open.
    fn open_or_say(&mut self, layer: Result<impl super::component::Component, String>) {
        match layer {
            Ok(layer) => self.stack.open(layer),
            Err(e) => self.set_status(e, true),
        }
    }

    fn start_triage(&mut self, action: Action, target: Target) {
        match super::overlays::triage_layer(action, target, &cx!(self)) {
            Ok(layer) => self.stack.push(layer),
            Err(e) => self.set_status(e, true),
        }
    }

    fn open_edit(&mut self, id: &str) {
        let form = Form::edit_checked(id, &cx!(self));
        // The form replaces the record popups it was opened from.
        if form.is_ok() {
            self.stack.close_top::<RecordView>();
        }
        self.open_or_say(form);
    }

    fn delete(&mut self, id: &str) {
        let referrers: HashSet<String> = self.ws.referrers(id).map(|r| r.id.clone()).collect();
        match self.ws.trash_record(id, &self.today.to_string()) {
            Ok(path) => {
                self.refresh();
                let dangling = self.index.dangling(&referrers);
                self.set_status(trashed(id, &path, dangling), false);
            }
            Err(e) => self.set_status(one_line(&e.to_string()), true),
        }
    }

    // ---- saving a form ----------------------------------------------------------------

    /// Saves the form on top through the core's save; a refusal goes back to the form.
    fn save_form(&mut self, req: SaveRequest) {
        if self.read_only {
            self.set_status(
                "read-only: started with --read-only, so nothing is saved",
                true,
            );
            return;
        }
        let before = self.index.before_save(&self.ws, &req.id());
        let id = match super::form::save(&mut self.ws, &req, self.today, self.user.as_deref()) {
            Ok(id) => id,
            Err(refusal) => {
                if refusal.refreshed {
                    self.refresh();
                }
                if let Some(status) = refusal.status {
                    self.set_status(status, true);
                }
                if let Some(form) = self.stack.form_mut() {
                    form.dialog = refusal.dialog;
                    form.message = refusal.message;
                }
                return;
            }
        };
        if let Some(form) = self.stack.top::<Form>() {
            let key = form.draft_key();
            self.stack.pop();
            self.run(vec![Effect::Draft(DraftOp::Drop(key))]);
        }
        let Subject::Record(kind) = req.subject else {
            self.reload_from_disk();
            return self.set_status(format!("{id} saved"), false);
        };
        if req.original.as_ref().is_none_or(|o| *o == id) {
            self.after_save(&id, before);
        } else {
            self.refresh();
        }
        if let Some((audit, index)) = req.link_nc {
            return self.link_raised_nc(&audit, index, &id);
        }
        let (select, user) = (self.stack.is_empty(), self.user.as_deref());
        (self.panes).show_saved(&self.ws, &self.index, user, kind, &id, select);
        self.set_status(format!("{id} saved"), false);
        if let Some(next) = req.then {
            self.stack.open(Form::follow_up(next, &id, &cx!(self)));
        }
    }

    /// After the raised NC is saved: the audit item points at it.
    fn link_raised_nc(&mut self, audit: &str, index: usize, nc: &str) {
        if let Some(walk) = self.stack.find_mut::<Walk>() {
            walk.cursor = index;
        }
        if let Some(save) = super::raise::link_raised(&self.ws, audit, index, nc, self.today) {
            self.run(vec![save]);
        }
    }
}

/// What the status line says after a record went to the trash.
fn trashed(id: &str, path: &std::path::Path, dangling: usize) -> String {
    format!(
        "{id} moved to {}; {} to it now dangle (see Problems)",
        path.display(),
        super::widgets::plural(dangling, "reference")
    )
}

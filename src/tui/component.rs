//! The layer stack's contract. Every overlay (form, audit walk, record popup, pickers,
//! prompts, dialogs, help, finder, list filter) is a [`Component`]: it owns its state,
//! answers a key with an [`Outcome`], and draws itself. A component never touches the disk:
//! what must happen outside it is an [`Effect`] that the app runs at the edge, so the state
//! logic is testable without one. (The models: helix's compositor, gitui's popup queue.)

use super::index::Index;
use super::keys::Scope;
use super::theme::Theme;
use crate::domain::dates::Date;
use crate::domain::{Map, RecordType};
use crate::rules::due::DueKind;
use crate::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use std::any::Any;

/// What a component may read: the workspace, the caches derived from it, and who acts when.
pub struct Ctx<'a> {
    pub ws: &'a Workspace,
    pub index: &'a Index,
    pub theme: &'a Theme,
    pub today: Date,
    pub user: Option<&'a str>,
    pub read_only: bool,
}

/// What a triage prompt acts on: a record, and which of its obligations.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub record: String,
    pub kind: DueKind,
    pub index: Option<usize>,
}

/// What a form edits: a record of a type, or the workspace's settings (`aims.yaml`), whose
/// fields are declared like a record type's (`rules::settings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Record(RecordType),
    Settings,
}

impl Subject {
    /// The fields a form on this subject edits.
    pub fn fields(self) -> Vec<&'static crate::rules::FieldSpec> {
        match self {
            // A record's, less the append-only logs (written by `r`, `s` and `o`, never by
            // hand).
            Subject::Record(kind) => crate::rules::spec(kind)
                .all_fields()
                .filter(|f| !matches!(f.name, "reviews" | "history"))
                .collect(),
            Subject::Settings => crate::rules::settings::SETTINGS_FIELDS.iter().collect(),
        }
    }

    /// "AI risk", "settings": for titles.
    pub fn label(self) -> &'static str {
        match self {
            Subject::Record(kind) => kind.label(),
            Subject::Settings => "settings",
        }
    }

    pub fn record_kind(self) -> Option<RecordType> {
        match self {
            Subject::Record(kind) => Some(kind),
            Subject::Settings => None,
        }
    }
}

/// A save a form asks for; the form stays open until the app says it landed.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveRequest {
    pub subject: Subject,
    /// The id being edited; `None` for a new record.
    pub original: Option<String>,
    pub values: Map,
    /// The fields when the form opened (to tell whether someone else saved meanwhile).
    pub base: Map,
    /// What waits for the record this form raises, to link it: an audit item (audit,
    /// item) its nonconformity, or a metric's measurement (metric, index) its NC or incident.
    pub link_nc: Option<(String, usize)>,
    /// After a conflict was merged: save over exactly this version on disk (its content
    /// hash), or not at all.
    pub over: Option<u64>,
    /// Once saved, open a new form of this type naming the record (its impact assessment).
    pub then: Option<crate::domain::RecordType>,
}

impl SaveRequest {
    /// The id of the record saved: the one edited, or the new record's.
    pub fn id(&self) -> String {
        (self.original.clone()).unwrap_or_else(|| self.values.text("id").unwrap_or_default())
    }
}

/// Work for the app to do outside the component (disk, other layers, the panes).
pub enum Effect {
    /// A line for the status bar, and whether it is an error.
    Status(String, bool),
    /// Save these fields of an existing record (triage, the walk); `done` is the status on
    /// success.
    SaveFields {
        id: String,
        fields: Map,
        done: String,
    },
    /// Save the form on top of the stack.
    SaveForm(SaveRequest),
    /// Write or remove a form's draft (see `workspace::draft`).
    Draft(DraftOp),
    /// Move a record to the trash.
    Trash(String),
    /// Go to the record's pane, select it there and show its detail (the finder).
    GoToRecord(String),
    /// Open the edit form of a record.
    EditRecord(String),
    /// Open the form for a new record of this type.
    NewRecord(RecordType),
    /// Ask for a triage step (mark reviewed, reschedule, reassign) on a record.
    Triage(super::keys::Action, String),
    /// Put a layer on top.
    Push(Box<dyn Component>),
    /// Set the filter of the current list pane.
    SetFilter(String),
    /// A system's risks (or a risk's cell) on the heat map.
    ShowRisks(String),
    /// Raise an NC or incident (the type) for the latest breach of a metric (the id).
    RaiseForBreach(RecordType, String),
    /// Commit these record files to git (on a worker; the status bar says how it went).
    Commit(crate::workspace::commit::CommitRequest),
    /// Open the Settings form (aims.yaml), on this field when given.
    OpenSettings(Option<&'static str>),
    /// Show a pane, filtered to this text when given (the finder's views and registers).
    GoPane(super::pane::Pane, Option<&'static str>),
    /// Hide Home's setup steps (true), show them again (false), or toggle (None).
    HideSetup(Option<bool>),
    Quit,
}

/// What to do with a form's draft.
pub enum DraftOp {
    /// Write it (the app stamps the time).
    Keep(Box<crate::workspace::draft::Draft>),
    /// Remove it (saved, discarded, or restored under another key).
    Drop(crate::workspace::draft::DraftKey),
}

/// A component's answer to a key.
pub enum Outcome {
    /// Not a key of this component: the app may give it a global meaning (`?`).
    Ignored,
    /// Handled; the component stays, and the effects run.
    Consumed(Vec<Effect>),
    /// Handled; the component goes, then the effects run.
    Close(Vec<Effect>),
}

impl Outcome {
    pub fn done() -> Outcome {
        Outcome::Consumed(Vec::new())
    }
    pub fn close() -> Outcome {
        Outcome::Close(Vec::new())
    }
    pub fn status(text: impl Into<String>, error: bool) -> Outcome {
        Outcome::Consumed(vec![Effect::Status(text.into(), error)])
    }
}

/// One layer of the stack.
pub trait Component: Any {
    fn on_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome;
    /// Pasted text, as one edit.
    fn on_paste(&mut self, _text: &str, _cx: &Ctx) -> Outcome {
        Outcome::Ignored
    }
    /// Draws over `area` (the body between the pane bar and the status bar).
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx);
    /// The status-bar hint: `(key, what)` pairs.
    fn hints(&self) -> Vec<(String, String)>;
    /// The key scopes `?` lists here.
    fn scopes(&self) -> Vec<Scope>;
    /// Whether typed letters go into text here (then `q` is text, not quit).
    fn takes_text(&self) -> bool {
        false
    }
    /// The workspace changed (a save, a reload): follow it. `Some(message)` closes the
    /// layer with that status.
    fn on_change(&mut self, _cx: &Ctx) -> Option<String> {
        None
    }
    /// Work this layer wants done off the UI thread (git history): the event loop takes it
    /// after each message and runs it on a worker; the result comes back to `on_done`.
    fn take_jobs(&mut self) -> Vec<super::jobs::Job> {
        Vec::new()
    }
    /// A background job finished: take `done` (leave `None`) if it is this layer's.
    fn on_done(&mut self, _done: &mut Option<super::jobs::Done>) {}
    /// Something typed here is not on disk yet. The event loop then wakes within a second
    /// and calls [`Component::flush`] (and only then: an idle workbench never wakes).
    fn pending(&self) -> bool {
        false
    }
    /// Writes what `pending` reported, as effects (a walk note saved as it is typed), so a
    /// dropped connection loses at most the last second of typing.
    fn flush(&mut self, _cx: &Ctx) -> Vec<Effect> {
        Vec::new()
    }
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// Implements the two `Any` accessors of [`Component`].
#[macro_export]
macro_rules! any_component {
    () => {
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
        fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
            self
        }
    };
}

/// Hints from literal pairs.
pub fn hints(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect()
}

/// The hints of one key scope, from the key table.
pub fn scope_hints(scope: Scope) -> Vec<(String, String)> {
    super::keys::hints_only(&[scope])
        .into_iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect()
}

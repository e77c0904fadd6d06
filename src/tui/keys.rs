//! The key bindings, as data: the embedded default keymap (`keymap.txt`), with the user's
//! `keys.txt` merged on top, maps keys to actions per scope. The help overlay, the
//! status-bar hints and the README's key table are all read from it, so they can never
//! disagree with what the keys do.

use super::pane::Pane;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::OnceLock;

/// The default bindings, one line per binding, grouped by scope.
pub const DEFAULT_KEYMAP: &str = include_str!("keymap.txt");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Back,
    Help,
    Finder,
    NextPane,
    PrevPane,
    GoPane(Pane),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Filter,
    Sort,
    ToggleResidual,
    ListUp,
    ListDown,
    PrevMonth,
    NextMonth,
    Today,
    Mine,
    /// The selected system's risks (or the selected risk) on the heat map.
    ShowRisks,
    /// The Risks pane: heat map or flat register.
    ToggleRegister,
    MarkReviewed,
    Reschedule,
    Reassign,
    Edit,
    New,
    Delete,
    Reload,
    // In the audit walk.
    SetResult(&'static str),
    NextOpen,
    RaiseNc,
    Complete,
    Reopen,
    /// The evidence sampled for the item: edit or remove.
    Evidence,
    // In a form.
    Save,
    ClearField,
    Toggle,
    AddItem,
    RemoveItem,
    MoveItemUp,
    MoveItemDown,
    // In text inputs, pickers and dialogs.
    DeleteBack,
    Yes,
    No,
    Discard,
    /// In the save dialog: save, then create the record this one still needs.
    CreateNext,
    /// On Home: hide the setup steps, or show them again.
    HideSetup,
    /// In a save conflict: keep the version on disk for one field (`Mine`: mine).
    Theirs,
    // The one text editor's keys (every text input, one line or several).
    CharLeft,
    CharRight,
    LineStart,
    LineEnd,
    WordLeft,
    WordRight,
    KillToStart,
    KillWordBack,
    KillToEnd,
    DeleteForward,
    NewLine,
    /// Tick or untick a choice in a list of several.
    Tick,
    /// Show the last status message in full.
    LastMessage,
    /// After a conflict: save mine as a new record.
    SaveAsNew,
    /// A record's history from git.
    History,
    /// The SoA pane: exclude the control (asks only for the justification).
    Exclude,
    /// A metric's detail: raise an incident for its latest breach (`RaiseNc`: an NC).
    RaiseIncident,
    /// The commit dialog: the changed records, committed to git.
    Commit,
    /// The Settings form: aims.yaml's organisation, scope, people, risk method, cadences.
    Settings,
    /// In Reviews: a new management review prefilled with the review pack's inputs.
    NewReview,
}

/// The actions without an argument, for reading names back. `Action::name` matches every
/// variant, so a new one cannot be added without a name; add it here too.
const PLAIN_ACTIONS: &[Action] = &[
    Action::Quit,
    Action::Back,
    Action::Help,
    Action::Finder,
    Action::NextPane,
    Action::PrevPane,
    Action::Up,
    Action::Down,
    Action::Left,
    Action::Right,
    Action::PageUp,
    Action::PageDown,
    Action::Top,
    Action::Bottom,
    Action::Open,
    Action::Filter,
    Action::Sort,
    Action::ToggleResidual,
    Action::ListUp,
    Action::ListDown,
    Action::PrevMonth,
    Action::NextMonth,
    Action::Today,
    Action::Mine,
    Action::ShowRisks,
    Action::ToggleRegister,
    Action::MarkReviewed,
    Action::Reschedule,
    Action::Reassign,
    Action::Edit,
    Action::New,
    Action::Delete,
    Action::Reload,
    Action::NextOpen,
    Action::RaiseNc,
    Action::Complete,
    Action::Reopen,
    Action::Evidence,
    Action::Save,
    Action::ClearField,
    Action::Toggle,
    Action::AddItem,
    Action::RemoveItem,
    Action::MoveItemUp,
    Action::MoveItemDown,
    Action::DeleteBack,
    Action::Yes,
    Action::No,
    Action::Discard,
    Action::CreateNext,
    Action::HideSetup,
    Action::Theirs,
    Action::CharLeft,
    Action::CharRight,
    Action::LineStart,
    Action::LineEnd,
    Action::WordLeft,
    Action::WordRight,
    Action::KillToStart,
    Action::KillWordBack,
    Action::KillToEnd,
    Action::DeleteForward,
    Action::NewLine,
    Action::Tick,
    Action::LastMessage,
    Action::SaveAsNew,
    Action::History,
    Action::Exclude,
    Action::RaiseIncident,
    Action::Commit,
    Action::Settings,
    Action::NewReview,
];

impl Action {
    /// Actions that change the workspace: refused in read-only mode.
    pub fn edits(self) -> bool {
        matches!(
            self,
            Action::MarkReviewed
                | Action::Reschedule
                | Action::Reassign
                | Action::Edit
                | Action::New
                | Action::NewReview
                | Action::Delete
                | Action::Exclude
                | Action::Commit
        )
    }

    /// The name in a keymap file: `Down`, `GoPane(risks)`, `SetResult(conforming)`.
    pub fn name(self) -> String {
        let plain = match self {
            Action::GoPane(p) => return format!("GoPane({})", p.title().to_lowercase()),
            Action::SetResult(r) => return format!("SetResult({r})"),
            Action::Quit => "Quit",
            Action::Back => "Back",
            Action::Help => "Help",
            Action::Finder => "Finder",
            Action::NextPane => "NextPane",
            Action::PrevPane => "PrevPane",
            Action::Up => "Up",
            Action::Down => "Down",
            Action::Left => "Left",
            Action::Right => "Right",
            Action::PageUp => "PageUp",
            Action::PageDown => "PageDown",
            Action::Top => "Top",
            Action::Bottom => "Bottom",
            Action::Open => "Open",
            Action::Filter => "Filter",
            Action::Sort => "Sort",
            Action::ToggleResidual => "ToggleResidual",
            Action::ListUp => "ListUp",
            Action::ListDown => "ListDown",
            Action::PrevMonth => "PrevMonth",
            Action::NextMonth => "NextMonth",
            Action::Today => "Today",
            Action::Mine => "Mine",
            Action::ShowRisks => "ShowRisks",
            Action::ToggleRegister => "ToggleRegister",
            Action::MarkReviewed => "MarkReviewed",
            Action::Reschedule => "Reschedule",
            Action::Reassign => "Reassign",
            Action::Edit => "Edit",
            Action::New => "New",
            Action::Delete => "Delete",
            Action::Reload => "Reload",
            Action::NextOpen => "NextOpen",
            Action::RaiseNc => "RaiseNc",
            Action::Complete => "Complete",
            Action::Reopen => "Reopen",
            Action::Evidence => "Evidence",
            Action::Save => "Save",
            Action::ClearField => "ClearField",
            Action::Toggle => "Toggle",
            Action::AddItem => "AddItem",
            Action::RemoveItem => "RemoveItem",
            Action::MoveItemUp => "MoveItemUp",
            Action::MoveItemDown => "MoveItemDown",
            Action::DeleteBack => "DeleteBack",
            Action::Yes => "Yes",
            Action::No => "No",
            Action::Discard => "Discard",
            Action::CreateNext => "CreateNext",
            Action::HideSetup => "HideSetup",
            Action::Theirs => "Theirs",
            Action::CharLeft => "CharLeft",
            Action::CharRight => "CharRight",
            Action::LineStart => "LineStart",
            Action::LineEnd => "LineEnd",
            Action::WordLeft => "WordLeft",
            Action::WordRight => "WordRight",
            Action::KillToStart => "KillToStart",
            Action::KillWordBack => "KillWordBack",
            Action::KillToEnd => "KillToEnd",
            Action::DeleteForward => "DeleteForward",
            Action::NewLine => "NewLine",
            Action::Tick => "Tick",
            Action::LastMessage => "LastMessage",
            Action::SaveAsNew => "SaveAsNew",
            Action::History => "History",
            Action::Exclude => "Exclude",
            Action::RaiseIncident => "RaiseIncident",
            Action::Commit => "Commit",
            Action::Settings => "Settings",
            Action::NewReview => "NewReview",
        };
        plain.to_string()
    }

    /// Every action, each argument included: what a keymap file may name.
    pub fn all() -> Vec<Action> {
        let mut all = PLAIN_ACTIONS.to_vec();
        all.extend(Pane::ALL.iter().map(|p| Action::GoPane(*p)));
        all.extend(
            crate::rules::specs::AUDIT_RESULTS
                .iter()
                .map(|(r, _)| Action::SetResult(r)),
        );
        all
    }

    /// Reads a name written by [`Action::name`].
    pub fn parse(name: &str) -> Option<Action> {
        Action::all().into_iter().find(|a| a.name() == name)
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    /// Panes that list records (and the Calendar agenda).
    List,
    /// Home's agenda (its own keys beside the list's).
    Home,
    /// The Risks pane, as a heat map or a register.
    Risks,
    /// The risk heat map.
    Heatmap,
    Calendar,
    /// A guided form: its fields, and the items of a list field.
    Form,
    FormList,
    /// The live audit walk.
    Walk,
    /// The evidence sampled for a walk item, as a list.
    WalkEvidence,
    /// A choice list: a form's picker, the person and record-type choosers.
    Picker,
    /// A line of text being typed: prompts, a form field, the list filter, walk notes.
    TextInput,
    /// A one-line question: a note, a date, a reason.
    Prompt,
    /// A question: leave the form, save with warnings, delete, complete an audit.
    Dialog,
    /// A form's save met a newer version on disk.
    Conflict,
    Help,
    Finder,
    /// A record's detail popup.
    Record,
    /// A record's history from git.
    History,
    /// The SoA pane (beside the list's keys).
    Soa,
    /// The commit dialog.
    Commit,
    /// The Reviews pane (management reviews).
    Reviews,
    /// The offer of a new management review (`n` in Reviews): prefilled, blank or cancel.
    ReviewOffer,
}

impl Scope {
    pub const ALL: [Scope; 23] = [
        Scope::Global,
        Scope::List,
        Scope::Home,
        Scope::Risks,
        Scope::Heatmap,
        Scope::Calendar,
        Scope::Form,
        Scope::FormList,
        Scope::Walk,
        Scope::WalkEvidence,
        Scope::Picker,
        Scope::TextInput,
        Scope::Prompt,
        Scope::Dialog,
        Scope::Conflict,
        Scope::Help,
        Scope::Finder,
        Scope::Record,
        Scope::History,
        Scope::Soa,
        Scope::Commit,
        Scope::Reviews,
        Scope::ReviewOffer,
    ];

    /// The name of its `[section]` in a keymap file.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::List => "list",
            Scope::Home => "home",
            Scope::Risks => "risks",
            Scope::Heatmap => "heatmap",
            Scope::Calendar => "calendar",
            Scope::Form => "form",
            Scope::FormList => "form-list",
            Scope::Walk => "walk",
            Scope::WalkEvidence => "walk-evidence",
            Scope::Picker => "picker",
            Scope::TextInput => "text-input",
            Scope::Prompt => "prompt",
            Scope::Dialog => "dialog",
            Scope::Conflict => "conflict",
            Scope::Help => "help",
            Scope::Finder => "finder",
            Scope::Record => "record",
            Scope::History => "history",
            Scope::Soa => "soa",
            Scope::Commit => "commit",
            Scope::Reviews => "reviews",
            Scope::ReviewOffer => "review-offer",
        }
    }

    /// How help and the README name it.
    pub fn label(self) -> &'static str {
        match self {
            Scope::Global => "everywhere",
            Scope::List => "lists",
            Scope::Home => "home",
            Scope::Risks => "risks pane",
            Scope::Heatmap => "risk heat map",
            Scope::Calendar => "calendar",
            Scope::Form => "forms",
            Scope::FormList => "list fields in forms",
            Scope::Walk => "audit walk",
            Scope::WalkEvidence => "evidence in the walk",
            Scope::Picker => "pickers",
            Scope::TextInput => "typing text",
            Scope::Prompt => "prompts",
            Scope::Dialog => "questions",
            Scope::Conflict => "save conflicts",
            Scope::Help => "help",
            Scope::Finder => "finder",
            Scope::Record => "a record's detail",
            Scope::History => "a record's history",
            Scope::Soa => "SoA pane",
            Scope::Commit => "the commit dialog",
            Scope::Reviews => "reviews pane",
            Scope::ReviewOffer => "the new-review offer",
        }
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// One key: a character, Ctrl or Alt with a character, a named key, or Ctrl with a named
/// key (Ctrl-Left). A plain character or named key never matches a press with Ctrl or
/// Alt held, so `Ctrl-w` cannot type a `w` and `Ctrl-Left` is not `Left`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Alt(char),
    Code(KeyCode),
    CtrlCode(KeyCode),
}

/// Named keys: (name in the file, code, how help shows it).
const NAMED: &[(&str, KeyCode, &str)] = &[
    ("Up", KeyCode::Up, "↑"),
    ("Down", KeyCode::Down, "↓"),
    ("Left", KeyCode::Left, "←"),
    ("Right", KeyCode::Right, "→"),
    ("Enter", KeyCode::Enter, "Enter"),
    ("Esc", KeyCode::Esc, "Esc"),
    ("Tab", KeyCode::Tab, "Tab"),
    ("Shift-Tab", KeyCode::BackTab, "Shift-Tab"),
    ("Backspace", KeyCode::Backspace, "Backspace"),
    ("Del", KeyCode::Delete, "Del"),
    ("Insert", KeyCode::Insert, "Insert"),
    ("Home", KeyCode::Home, "Home"),
    ("End", KeyCode::End, "End"),
    ("PgUp", KeyCode::PageUp, "PgUp"),
    ("PgDn", KeyCode::PageDown, "PgDn"),
];

const KEY_HELP: &str = "write a character (j, J, ?), a name (Up, Down, Left, Right, Enter, Esc, Tab, Shift-Tab, Backspace, Del, Home, End, PgUp, PgDn, Space, F1…F12), Ctrl- with a letter or a name (Ctrl-s, Ctrl-Left) or Alt- with a letter (Alt-b)";

impl Key {
    pub fn parse(word: &str) -> Result<Key, String> {
        let mut chars = word.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Key::Char(c));
        }
        if word.eq_ignore_ascii_case("space") {
            return Ok(Key::Char(' '));
        }
        if let Some((_, code, _)) = NAMED.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(word)) {
            return Ok(Key::Code(*code));
        }
        if let Some(n) = word
            .strip_prefix(['F', 'f'])
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=12).contains(n))
        {
            return Ok(Key::Code(KeyCode::F(n)));
        }
        if let Some(rest) = word
            .strip_prefix("Ctrl-")
            .or_else(|| word.strip_prefix("ctrl-"))
        {
            let mut chars = rest.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && c.is_ascii_graphic()
            {
                return Ok(Key::Ctrl(c.to_ascii_lowercase()));
            }
            // Ctrl with a named key: the arrows and Backspace (word moves and deletes).
            if let Some((_, code, _)) = NAMED.iter().find(|(n, code, _)| {
                n.eq_ignore_ascii_case(rest) && !matches!(code, KeyCode::BackTab)
            }) {
                return Ok(Key::CtrlCode(*code));
            }
        }
        if let Some(rest) = word
            .strip_prefix("Alt-")
            .or_else(|| word.strip_prefix("alt-"))
        {
            let mut chars = rest.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && c.is_ascii_graphic()
            {
                return Ok(Key::Alt(c));
            }
        }
        Err(format!("`{word}` is not a key — {KEY_HELP}"))
    }

    /// How help and hints show it: `j`, `↓`, `Ctrl-S`, `Space`.
    pub fn display(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Alt(c) => format!("Alt-{}", c.to_ascii_uppercase()),
            Key::CtrlCode(code) => format!("Ctrl-{}", Key::Code(code).display()),
            Key::Code(KeyCode::F(n)) => format!("F{n}"),
            Key::Code(code) => NAMED
                .iter()
                .find(|(_, c, _)| *c == code)
                .map_or_else(|| format!("{code:?}"), |(_, _, shown)| shown.to_string()),
        }
    }

    /// The key press a terminal sends for it (tests press bindings with this).
    pub fn event(self) -> KeyEvent {
        match self {
            Key::Char(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
            Key::Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            Key::Alt(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT),
            Key::CtrlCode(code) => KeyEvent::new(code, KeyModifiers::CONTROL),
            Key::Code(KeyCode::BackTab) => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
            Key::Code(code) => KeyEvent::new(code, KeyModifiers::NONE),
        }
    }

    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        match self {
            Key::Char(c) => !ctrl && !alt && ev.code == KeyCode::Char(c),
            Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
            Key::Alt(c) => alt && !ctrl && ev.code == KeyCode::Char(c),
            Key::Code(code) => !ctrl && !alt && ev.code == code,
            Key::CtrlCode(code) => ctrl && ev.code == code,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub scope: Scope,
    pub keys: Vec<Key>,
    pub action: Action,
    /// How the keys are written in help: `↓/j`.
    pub label: String,
    pub help: String,
    /// Shown in the status bar when its scope is active.
    pub hint: Option<String>,
    /// The keys the hint shows: the first key, or a pair such as `↑↓`.
    pub hint_key: String,
}

/// A line of a keymap file that could not be used: its number and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

/// What one line of a keymap file says.
enum Entry {
    Bind {
        action: Action,
        help: Option<String>,
        hint: Option<String>,
    },
    /// `keys | unbind`: these keys do nothing in the scope.
    Unbind,
}

struct Line {
    number: usize,
    scope: Scope,
    keys: Vec<Key>,
    entry: Entry,
}

/// Reads a keymap file: the good lines, and an error for each bad one.
fn read_lines(text: &str) -> (Vec<Line>, Vec<LineError>) {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    // `None` before the first section; `Some(None)` under an unknown one (already reported).
    let mut scope: Option<Option<Scope>> = None;
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let error = |message: String| LineError {
            line: number,
            message,
        };
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let found = Scope::parse(name.trim());
            if found.is_none() {
                let names: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
                errors.push(error(format!(
                    "unknown scope `[{}]` — use one of {}; its lines are ignored",
                    name.trim(),
                    names.join(", ")
                )));
            }
            scope = Some(found);
            continue;
        }
        let scope = match scope {
            Some(Some(s)) => s,
            Some(None) => continue,
            None => {
                errors.push(error(
                    "a binding before any `[scope]` line — put it under a section such as `[list]`"
                        .into(),
                ));
                continue;
            }
        };
        let fields: Vec<&str> = line.split('|').map(str::trim).collect();
        if fields.len() < 2 || fields.len() > 4 {
            errors.push(error(
                "expected `keys | action | what it does | hint` — separate the fields with `|` (the last two may be left out)"
                    .into(),
            ));
            continue;
        }
        let keys: Result<Vec<Key>, String> = fields[0].split_whitespace().map(Key::parse).collect();
        let keys = match keys {
            Ok(k) if k.is_empty() => {
                errors.push(error(format!("no key before the first `|` — {KEY_HELP}")));
                continue;
            }
            Ok(k) => k,
            Err(e) => {
                errors.push(error(e));
                continue;
            }
        };
        let text_at = |i: usize| {
            fields
                .get(i)
                .filter(|t| !t.is_empty())
                .map(|t| t.to_string())
        };
        let entry = if fields[1].eq_ignore_ascii_case("unbind") {
            Entry::Unbind
        } else if let Some(action) = Action::parse(fields[1]) {
            Entry::Bind {
                action,
                help: text_at(2),
                hint: text_at(3),
            }
        } else {
            errors.push(error(format!(
                "unknown action `{}` — write `unbind` or an action such as Down, Open, GoPane(risks) or SetResult(conforming) (the README's key table lists them)",
                fields[1]
            )));
            continue;
        };
        lines.push(Line {
            number,
            scope,
            keys,
            entry,
        });
    }
    (lines, errors)
}

/// The bindings in force: the defaults, with the user's lines on top.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Keymap {
    /// Reads a complete keymap (the defaults): every line must be good, every binding must
    /// say what it does, and a key has one meaning per scope.
    pub fn parse(text: &str) -> Result<Keymap, Vec<LineError>> {
        let (lines, mut errors) = read_lines(text);
        let mut bindings: Vec<Binding> = Vec::new();
        for line in lines {
            let Entry::Bind { action, help, hint } = line.entry else {
                errors.push(LineError {
                    line: line.number,
                    message:
                        "`unbind` belongs in a user's keys.txt — remove the line from the keymap"
                            .into(),
                });
                continue;
            };
            let Some(help) = help else {
                errors.push(LineError {
                    line: line.number,
                    message: "no text saying what the key does — add it after the action: `keys | action | what it does`".into(),
                });
                continue;
            };
            if let Some(k) = line.keys.iter().find(|k| {
                bindings
                    .iter()
                    .any(|b| b.scope == line.scope && b.keys.contains(k))
            }) {
                errors.push(LineError {
                    line: line.number,
                    message: format!(
                        "`{}` is already bound in [{}] — a key has one meaning per scope",
                        k.display(),
                        line.scope.name()
                    ),
                });
                continue;
            }
            bindings.push(Binding {
                scope: line.scope,
                keys: line.keys,
                action,
                label: String::new(),
                help,
                hint,
                hint_key: String::new(),
            });
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(errors);
        }
        let mut keymap = Keymap { bindings };
        keymap.relabel();
        Ok(keymap)
    }

    /// The embedded defaults (a test proves they parse).
    pub fn defaults() -> Keymap {
        Keymap::parse(DEFAULT_KEYMAP).expect("the embedded keymap.txt parses")
    }

    /// Merges a user's keymap on top. A line `keys | action` gives the action exactly these
    /// keys in its scope (replacing its default keys; help and hint stay unless given);
    /// `keys | unbind` takes keys away. A bad line is reported and left out, so the
    /// default stays in force for it.
    pub fn with_overrides(mut self, text: &str) -> (Keymap, Vec<LineError>) {
        let (lines, errors) = read_lines(text);
        for line in lines {
            let scope = line.scope;
            let existing = match &line.entry {
                Entry::Bind { action, .. } => self
                    .bindings
                    .iter()
                    .position(|b| b.scope == scope && b.action == *action),
                Entry::Unbind => None,
            };
            // The keys now mean this action only.
            for (i, b) in self.bindings.iter_mut().enumerate() {
                if b.scope == scope && Some(i) != existing {
                    b.keys.retain(|k| !line.keys.contains(k));
                }
            }
            if let Entry::Bind { action, help, hint } = line.entry {
                match existing {
                    Some(i) => {
                        let b = &mut self.bindings[i];
                        b.keys = line.keys;
                        b.help = help.unwrap_or(std::mem::take(&mut b.help));
                        b.hint = hint.or(b.hint.take());
                    }
                    None => self.bindings.push(Binding {
                        scope,
                        keys: line.keys,
                        action,
                        label: String::new(),
                        help: help.unwrap_or_else(|| action.name()),
                        hint,
                        hint_key: String::new(),
                    }),
                }
            }
        }
        self.bindings.retain(|b| !b.keys.is_empty());
        self.relabel();
        (self, errors)
    }

    /// Reads the user's keymap file (absent: the defaults). Problems come back as
    /// `path:line: what is wrong — what to do`; the defaults stand in for the bad lines.
    pub fn with_user_file(self, path: &std::path::Path) -> (Keymap, Vec<String>) {
        match crate::workspace::fsio::read_text_if_exists(path, 256 * 1024) {
            Ok(None) => (self, Vec::new()),
            Ok(Some(text)) => {
                let (keymap, errors) = self.with_overrides(&text);
                let problems = errors
                    .iter()
                    .map(|e| format!("{}:{}: {}", path.display(), e.line, e.message))
                    .collect();
                (keymap, problems)
            }
            Err(e) => (self, vec![format!("{e} — the default keys are used")]),
        }
    }

    /// Sets the labels and hint keys from the keys, so help shows the user's own keys.
    fn relabel(&mut self) {
        let first_key = |scope: Scope, action: Action, bindings: &[Binding]| {
            bindings
                .iter()
                .find(|b| b.scope == scope && b.action == action)
                .and_then(|b| b.keys.first())
                .map(|k| k.display())
        };
        let mut hint_keys = Vec::with_capacity(self.bindings.len());
        for b in &self.bindings {
            // A movement hint covers both directions.
            let pair = match b.action {
                Action::Up | Action::Down => Some((Action::Up, Action::Down)),
                Action::ListUp | Action::ListDown => Some((Action::ListUp, Action::ListDown)),
                Action::PrevMonth | Action::NextMonth => {
                    Some((Action::PrevMonth, Action::NextMonth))
                }
                _ => None,
            };
            let own = b.keys.first().map(|k| k.display()).unwrap_or_default();
            let key = match pair.map(|(a, z)| {
                (
                    first_key(b.scope, a, &self.bindings),
                    first_key(b.scope, z, &self.bindings),
                )
            }) {
                Some((Some(a), Some(z))) if a.chars().count() == 1 && z.chars().count() == 1 => {
                    let arrows = a.chars().chain(z.chars()).all(|c| "↑↓←→".contains(c));
                    if arrows {
                        format!("{a}{z}")
                    } else {
                        format!("{a}/{z}")
                    }
                }
                Some((Some(a), Some(z))) => format!("{a}/{z}"),
                _ => own,
            };
            hint_keys.push(key);
        }
        for (b, hint_key) in self.bindings.iter_mut().zip(hint_keys) {
            b.label = b
                .keys
                .iter()
                .map(|k| k.display())
                .collect::<Vec<_>>()
                .join("/");
            b.hint_key = hint_key;
        }
    }

    /// The bindings of one scope, in file order.
    pub fn in_scope(&self, scope: Scope) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.scope == scope)
    }

    pub fn action_in(&self, ev: &KeyEvent, scope: Scope) -> Option<Action> {
        self.in_scope(scope)
            .find(|b| b.keys.iter().any(|k| k.matches(ev)))
            .map(|b| b.action)
    }

    pub fn action_for(&self, ev: &KeyEvent, scopes: &[Scope]) -> Option<Action> {
        scopes
            .iter()
            .chain([&Scope::Global])
            .find_map(|s| self.action_in(ev, *s))
    }

    /// The bindings of these scopes that a key can still reach, with the keys that reach
    /// them (`↓/j`): a key an earlier scope binds is its, so help never lists a key twice.
    pub fn visible(&self, scopes: &[Scope]) -> Vec<(&Binding, String)> {
        let mut out = Vec::new();
        for (i, scope) in scopes.iter().enumerate() {
            for b in self.in_scope(*scope) {
                let keys: Vec<String> = b
                    .keys
                    .iter()
                    .filter(|k| {
                        !scopes[..i]
                            .iter()
                            .any(|s| self.in_scope(*s).any(|o| o.keys.contains(k)))
                    })
                    .map(|k| k.display())
                    .collect();
                if !keys.is_empty() {
                    out.push((b, keys.join("/")));
                }
            }
        }
        out
    }

    pub fn hints_only(&self, scopes: &[Scope]) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        let visible = self.visible(scopes);
        for scope in scopes {
            for b in self
                .in_scope(*scope)
                .filter(|b| visible.iter().any(|(v, _)| std::ptr::eq(*v, *b)))
            {
                if let Some(h) = &b.hint
                    && !out.iter().any(|(_, x)| x == h)
                {
                    out.push((&b.hint_key, h));
                }
            }
        }
        out
    }

    pub fn markdown_table(&self) -> String {
        let mut out = String::from("| where | key | what it does |\n|---|---|---|\n");
        for b in &self.bindings {
            out.push_str(&format!(
                "| {} | `{}` | {} |\n",
                b.scope.label(),
                b.label,
                b.help
            ));
        }
        out
    }
}

static ACTIVE: OnceLock<Keymap> = OnceLock::new();

/// Sets the keymap for the rest of the run (at startup, before the first key). Later
/// calls change nothing.
pub fn install(keymap: Keymap) {
    let _ = ACTIVE.set(keymap);
}

/// The keymap in force: the installed one, or the defaults.
pub fn keymap() -> &'static Keymap {
    ACTIVE.get_or_init(Keymap::defaults)
}

/// The action of a key in the given scopes (most specific first), then the global ones.
pub fn action_for(ev: &KeyEvent, scopes: &[Scope]) -> Option<Action> {
    keymap().action_for(ev, scopes)
}

/// The action of a key in one scope only (forms: no global keys).
pub fn action_in(ev: &KeyEvent, scope: Scope) -> Option<Action> {
    keymap().action_in(ev, scope)
}

/// The status-bar hints for the active scopes, then the global ones: `(keys, label)`.
pub fn hints(scopes: &[Scope]) -> Vec<(&'static str, &'static str)> {
    let with_global: Vec<Scope> = scopes.iter().copied().chain([Scope::Global]).collect();
    hints_only(&with_global)
}

/// The hints of exactly these scopes (a form has no global keys).
pub fn hints_only(scopes: &[Scope]) -> Vec<(&'static str, &'static str)> {
    keymap().hints_only(scopes)
}

/// The default key table as Markdown, for the README (a test keeps the two the same).
pub fn markdown_table() -> String {
    Keymap::defaults().markdown_table()
}

/// A key that types a character (no Ctrl, not a control character).
pub fn typed_char(ev: &KeyEvent) -> Option<char> {
    match ev.code {
        KeyCode::Char(c)
            if !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                && !c.is_control() =>
        {
            Some(c)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ch(c: char) -> KeyEvent {
        press(KeyCode::Char(c))
    }

    #[test]
    fn the_readme_lists_every_key() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&markdown_table()),
            "README.md's key table is out of date; replace it with:\n{}",
            markdown_table()
        );
    }

    #[test]
    fn the_default_keymap_parses_and_every_scope_has_keys() {
        let keymap = Keymap::parse(DEFAULT_KEYMAP).unwrap_or_else(|e| panic!("{e:?}"));
        for scope in Scope::ALL {
            assert!(
                keymap.in_scope(scope).next().is_some(),
                "{scope:?} has no keys"
            );
            assert_eq!(Scope::parse(scope.name()), Some(scope));
        }
    }

    #[test]
    fn every_action_has_a_name_that_reads_back() {
        let all = Action::all();
        for a in &all {
            assert_eq!(Action::parse(&a.name()), Some(*a), "{a:?}");
        }
        let mut names: Vec<String> = all.iter().map(|a| a.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len(), "two actions share a name");
        assert_eq!(
            Action::parse("SetResult(minor-nc)"),
            Some(Action::SetResult("minor-nc"))
        );
        assert_eq!(
            Action::parse("GoPane(soa)"),
            Some(Action::GoPane(Pane::Soa))
        );
        assert_eq!(Action::parse("SetResult(maybe)"), None);
    }

    #[test]
    fn keys_read_and_show() {
        for (word, key, shown) in [
            ("j", Key::Char('j'), "j"),
            ("Down", Key::Code(KeyCode::Down), "↓"),
            ("Ctrl-u", Key::Ctrl('u'), "Ctrl-U"),
            ("Ctrl-U", Key::Ctrl('u'), "Ctrl-U"),
            ("Shift-Tab", Key::Code(KeyCode::BackTab), "Shift-Tab"),
            ("F1", Key::Code(KeyCode::F(1)), "F1"),
            ("Space", Key::Char(' '), "Space"),
            ("pgdn", Key::Code(KeyCode::PageDown), "PgDn"),
            ("Alt-b", Key::Alt('b'), "Alt-B"),
            ("Ctrl-Left", Key::CtrlCode(KeyCode::Left), "Ctrl-←"),
            (
                "Ctrl-Backspace",
                Key::CtrlCode(KeyCode::Backspace),
                "Ctrl-Backspace",
            ),
        ] {
            assert_eq!(Key::parse(word), Ok(key), "{word}");
            assert_eq!(key.display(), shown);
        }
        for bad in [
            "Ctrl-",
            "F13",
            "Shift-x",
            "jj",
            "Ctrl-Shift-Tab",
            "Alt-",
            "Alt-Up",
        ] {
            assert!(Key::parse(bad).is_err(), "{bad} read as a key");
        }
    }

    #[test]
    fn plain_keys_do_not_match_ctrl_or_alt_presses() {
        let keymap = Keymap::parse(
            "[text-input]\nw | Up | plain w\nCtrl-w | KillWordBack | word back\nAlt-b | WordLeft | word left\nLeft | CharLeft | left\nCtrl-Left | WordRight | ctrl left\n",
        )
        .unwrap();
        let with = |code, m| KeyEvent::new(code, m);
        let s = Scope::TextInput;
        let (ctrl, alt) = (KeyModifiers::CONTROL, KeyModifiers::ALT);
        assert_eq!(keymap.action_in(&ch('w'), s), Some(Action::Up));
        assert_eq!(
            keymap.action_in(&with(KeyCode::Char('w'), ctrl), s),
            Some(Action::KillWordBack)
        );
        assert_eq!(keymap.action_in(&with(KeyCode::Char('w'), alt), s), None);
        assert_eq!(
            keymap.action_in(&with(KeyCode::Char('b'), alt), s),
            Some(Action::WordLeft)
        );
        assert_eq!(keymap.action_in(&ch('b'), s), None);
        assert_eq!(
            keymap.action_in(&press(KeyCode::Left), s),
            Some(Action::CharLeft)
        );
        assert_eq!(
            keymap.action_in(&with(KeyCode::Left, ctrl), s),
            Some(Action::WordRight)
        );
        assert_eq!(keymap.action_in(&with(KeyCode::Left, alt), s), None);
        assert_eq!(typed_char(&with(KeyCode::Char('x'), alt)), None);
    }

    #[test]
    fn a_good_file_parses_with_labels_and_hints() {
        let keymap = Keymap::parse(
            "# comment\n\n[list]\nDown j | Down | next row | move\nUp k | Up | previous row\n\n[global]\nCtrl-p | Finder | find | find\n",
        )
        .unwrap();
        assert_eq!(keymap.bindings.len(), 3);
        assert_eq!(keymap.bindings[0].label, "↓/j");
        assert_eq!(keymap.action_in(&ch('j'), Scope::List), Some(Action::Down));
        assert_eq!(
            keymap.action_for(&ch('k'), &[Scope::List]),
            Some(Action::Up)
        );
        let ctrl_p = KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL);
        assert_eq!(
            keymap.action_for(&ctrl_p, &[Scope::List]),
            Some(Action::Finder)
        );
        assert_eq!(keymap.action_in(&ch('p'), Scope::Global), None);
        assert_eq!(
            keymap.hints_only(&[Scope::List, Scope::Global]),
            vec![("↑↓", "move"), ("Ctrl-P", "find")]
        );
    }

    #[test]
    fn every_kind_of_broken_line_is_named_by_its_number() {
        let text = "\
j | Down | before any scope
[lists]
j | Down | under an unknown scope: ignored, not reported again
[list]
Ctrl-Upp | Down | not a key
j | Dwn | unknown action
j
 | Down | no key
j | Down | next
j | Up | j again
k | Up
a | b | c | d | e
o | unbind | not in a default keymap
";
        let errors = Keymap::parse(text).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 2, 5, 6, 7, 8, 10, 11, 12, 13], "{errors:#?}");
        assert!(errors[1].message.contains("unknown scope `[lists]`"));
        assert!(errors[1].message.contains("global, list"));
        assert!(
            errors[2]
                .message
                .contains("`Ctrl-Upp` is not a key — write")
        );
        assert!(errors[3].message.contains("unknown action `Dwn`"));
        assert!(errors[6].message.contains("`j` is already bound in [list]"));
        assert!(
            errors[7]
                .message
                .contains("no text saying what the key does")
        );
        // Every message says what to do.
        assert!(
            errors.iter().all(|e| e.message.contains(" — ")),
            "{errors:#?}"
        );
    }

    #[test]
    fn overrides_remap_keys_and_keep_the_rest() {
        let (keymap, errors) = Keymap::defaults()
            .with_overrides("[list]\nn | Down\ne | Up | up one row\n[global]\nq | unbind\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(keymap.action_in(&ch('n'), Scope::List), Some(Action::Down));
        assert_eq!(keymap.action_in(&ch('e'), Scope::List), Some(Action::Up));
        // The old keys and the arrows (not listed) no longer move; Global's `n`/`e` are
        // shadowed in lists only.
        assert_eq!(keymap.action_in(&ch('j'), Scope::List), None);
        assert_eq!(keymap.action_in(&press(KeyCode::Down), Scope::List), None);
        assert_eq!(
            keymap.action_for(&ch('n'), &[Scope::List]),
            Some(Action::Down)
        );
        assert_eq!(
            keymap.action_for(&ch('n'), &[Scope::Heatmap]),
            Some(Action::New)
        );
        assert_eq!(keymap.action_for(&ch('q'), &[Scope::List]), None);
        // Help and hints show the new keys, the default text unless replaced.
        let down = keymap
            .in_scope(Scope::List)
            .find(|b| b.action == Action::Down)
            .unwrap();
        assert_eq!((down.label.as_str(), down.help.as_str()), ("n", "next row"));
        let up = keymap
            .in_scope(Scope::List)
            .find(|b| b.action == Action::Up)
            .unwrap();
        assert_eq!((up.label.as_str(), up.help.as_str()), ("e", "up one row"));
        assert!(keymap.hints_only(&[Scope::List]).contains(&("e/n", "move")));
        // Other scopes keep j/k.
        assert_eq!(
            keymap.action_in(&ch('j'), Scope::Heatmap),
            Some(Action::Down)
        );
    }

    #[test]
    fn help_and_hints_leave_out_global_keys_a_scope_took() {
        let (keymap, _) = Keymap::defaults().with_overrides("[list]\nDown n | Down\n");
        let visible = keymap.visible(&[Scope::List, Scope::Global]);
        let labels: Vec<&str> = visible
            .iter()
            .filter(|(b, _)| b.action == Action::New || b.action == Action::Down)
            .map(|(_, l)| l.as_str())
            .collect();
        assert_eq!(labels, vec!["↓/n"], "`n` is shown twice or not at all");
        let hints = keymap.hints_only(&[Scope::List, Scope::Global]);
        assert!(!hints.iter().any(|(_, h)| *h == "new"), "{hints:?}");
    }

    #[test]
    fn a_key_taken_by_another_action_leaves_it() {
        let (keymap, errors) = Keymap::defaults().with_overrides("[list]\nj | Top\n");
        assert!(errors.is_empty());
        assert_eq!(keymap.action_in(&ch('j'), Scope::List), Some(Action::Top));
        assert_eq!(
            keymap.action_in(&press(KeyCode::Down), Scope::List),
            Some(Action::Down)
        );
    }

    #[test]
    fn a_broken_override_falls_back_to_the_defaults() {
        let (keymap, errors) = Keymap::defaults().with_overrides(
            "[list]\nDown Ctrl-Upp | Down\nUp | Upp\n[nowhere]\nj | Up\n[list]\nk | Down\n",
        );
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4]);
        // The bad lines changed nothing; the good one after them is applied (k is now
        // Down's only key).
        assert_eq!(keymap.action_in(&ch('j'), Scope::List), None);
        assert_eq!(keymap.action_in(&ch('k'), Scope::List), Some(Action::Down));
        assert_eq!(
            keymap.action_in(&press(KeyCode::Up), Scope::List),
            Some(Action::Up)
        );
    }

    #[test]
    fn a_user_file_problem_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.txt");
        std::fs::write(&path, "[list]\n\nj | Jump\n").unwrap();
        let (keymap, problems) = Keymap::defaults().with_user_file(&path);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with(&format!("{}:3: unknown action `Jump`", path.display())),
            "{problems:?}"
        );
        assert_eq!(keymap.action_in(&ch('j'), Scope::List), Some(Action::Down));
        let (_, none) = Keymap::defaults().with_user_file(&dir.path().join("absent.txt"));
        assert!(none.is_empty());
    }

    #[test]
    fn every_key_has_one_meaning_per_scope() {
        let keymap = Keymap::defaults();
        for scope in Scope::ALL {
            for c in (b' '..=b'~').map(char::from) {
                let hits = keymap
                    .in_scope(scope)
                    .filter(|b| b.keys.iter().any(|k| k.matches(&ch(c))))
                    .count();
                assert!(hits <= 1, "{c:?} is bound twice in {scope:?}");
            }
        }
    }
}

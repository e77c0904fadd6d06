//! The one key table: it maps keys to actions, and the help overlay and the status-bar
//! hints are both drawn from it, so they can never disagree with what the keys do.

use super::pane::Pane;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    // In a form.
    Save,
    ClearField,
    Toggle,
    AddItem,
    RemoveItem,
    MoveItemUp,
    MoveItemDown,
    // Text input and pickers (added by stack).
    CharLeft,
    CharRight,
    LineStart,
    LineEnd,
    WordLeft,
    WordRight,
    KillToStart,
    KillWordBack,
    KillToEnd,
    DeleteBack,
    DeleteForward,
    NewLine,
    Tick,
    /// Show the last status message in full.
    LastMessage,
    // A form's questions.
    Discard,
    Confirm,
    Reapply,
    SaveAsNew,
}

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
                | Action::Delete
        )
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    /// Panes that list records (and the Calendar agenda).
    List,
    /// The risk heat map.
    Heatmap,
    Calendar,
    /// A guided form: its fields, and the items of a list field.
    Form,
    FormList,
    /// The live audit walk.
    Walk,
    /// Every text input, one line or several (added by stack).
    TextInput,
    /// A choice list: enum values, people, records.
    Picker,
    /// A one-line question: a note, a date, a reason.
    Prompt,
    /// A form's questions: unsaved changes, warnings before a save.
    Dialog,
    /// A form's save met a newer version on disk.
    Conflict,
    /// A record's detail over the panes.
    Record,
}

impl Scope {
    pub fn label(self) -> &'static str {
        match self {
            Scope::Global => "everywhere",
            Scope::List => "lists",
            Scope::Heatmap => "risk heat map",
            Scope::Calendar => "calendar",
            Scope::Form => "forms",
            Scope::FormList => "list fields in forms",
            Scope::Walk => "audit walk",
            Scope::TextInput => "text input",
            Scope::Picker => "pickers",
            Scope::Prompt => "prompts",
            Scope::Dialog => "form questions",
            Scope::Conflict => "save conflicts",
            Scope::Record => "a record's detail",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum K {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
    Alt(char),
    CtrlCode(KeyCode),
}

pub struct Binding {
    keys: &'static [K],
    /// How the keys are written in help and hints.
    pub label: &'static str,
    pub action: Action,
    pub scope: Scope,
    pub help: &'static str,
    /// Shown in the status bar when its scope is active.
    pub hint: Option<&'static str>,
}

const fn b(
    keys: &'static [K],
    label: &'static str,
    action: Action,
    scope: Scope,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        scope,
        help,
        hint,
    }
}

use Action as A;
use KeyCode as C;
use Scope as S;

/// Scoped bindings come before global ones, so a pane may give a key its own meaning.
pub static BINDINGS: &[Binding] = &[
    // the live audit walk
    b(
        &[K::Code(C::Down), K::Char('j')],
        "↓/j",
        A::Down,
        S::Walk,
        "next requirement",
        None,
    ),
    b(
        &[K::Code(C::Up), K::Char('k')],
        "↑/k",
        A::Up,
        S::Walk,
        "previous requirement",
        None,
    ),
    b(
        &[K::Code(C::Tab)],
        "Tab",
        A::NextOpen,
        S::Walk,
        "next requirement without a result",
        Some("next open"),
    ),
    b(
        &[K::Char('c')],
        "c",
        A::SetResult("conforming"),
        S::Walk,
        "result: conforming",
        Some("conf"),
    ),
    b(
        &[K::Char('m')],
        "m",
        A::SetResult("minor-nc"),
        S::Walk,
        "result: minor nonconformity",
        Some("minor"),
    ),
    b(
        &[K::Char('M')],
        "M",
        A::SetResult("major-nc"),
        S::Walk,
        "result: major nonconformity",
        Some("major"),
    ),
    b(
        &[K::Char('o')],
        "o",
        A::SetResult("observation"),
        S::Walk,
        "result: observation",
        Some("obs"),
    ),
    b(
        &[K::Char('i')],
        "i",
        A::SetResult("ofi"),
        S::Walk,
        "result: opportunity for improvement",
        Some("ofi"),
    ),
    b(
        &[K::Char('x')],
        "x",
        A::SetResult("not-audited"),
        S::Walk,
        "result: not audited (asks why)",
        Some("n/a"),
    ),
    b(
        &[K::Code(C::Enter)],
        "Enter",
        A::Open,
        S::Walk,
        "write the notes (Esc keeps them)",
        Some("notes"),
    ),
    b(
        &[K::Char('a')],
        "a",
        A::AddItem,
        S::Walk,
        "add evidence sampled (path or URL, then a label)",
        Some("evidence"),
    ),
    b(
        &[K::Char('N')],
        "N",
        A::RaiseNc,
        S::Walk,
        "raise a nonconformity from a minor or major NC result",
        Some("raise NC"),
    ),
    b(
        &[K::Char('C')],
        "C",
        A::Complete,
        S::Walk,
        "complete the audit (refused while items are open)",
        None,
    ),
    b(
        &[K::Code(C::Esc), K::Char('q')],
        "Esc/q",
        A::Back,
        S::Walk,
        "leave the walk (everything is already saved)",
        Some("leave"),
    ),
    // forms (no global keys there: typing must not switch panes)
    b(
        &[K::Code(C::Up), K::Code(C::BackTab)],
        "↑/Shift-Tab",
        A::Up,
        S::Form,
        "previous field",
        None,
    ),
    b(
        &[K::Code(C::Down), K::Code(C::Tab)],
        "↓/Tab",
        A::Down,
        S::Form,
        "next field",
        Some("field"),
    ),
    b(
        &[K::Code(C::Enter)],
        "Enter",
        A::Open,
        S::Form,
        "edit the field: type, pick from a list, or open its items",
        Some("edit"),
    ),
    b(
        &[K::Char(' ')],
        "Space",
        A::Toggle,
        S::Form,
        "flip a yes/no field",
        None,
    ),
    b(
        &[K::Char('x'), K::Code(C::Delete)],
        "x/Del",
        A::ClearField,
        S::Form,
        "clear the field",
        Some("clear"),
    ),
    b(
        &[K::Ctrl('s')],
        "Ctrl-S",
        A::Save,
        S::Form,
        "save (refused while errors remain; warnings ask first)",
        Some("save"),
    ),
    b(
        &[K::Code(C::Esc)],
        "Esc",
        A::Back,
        S::Form,
        "leave the field list, or the form (asks when there are changes)",
        Some("leave"),
    ),
    b(
        &[K::Code(C::Up), K::Char('k')],
        "↑/k",
        A::Up,
        S::FormList,
        "previous item",
        None,
    ),
    b(
        &[K::Code(C::Down), K::Char('j')],
        "↓/j",
        A::Down,
        S::FormList,
        "next item",
        Some("item"),
    ),
    b(
        &[K::Code(C::Enter)],
        "Enter",
        A::Open,
        S::FormList,
        "edit the item",
        Some("edit"),
    ),
    b(
        &[K::Char('a')],
        "a",
        A::AddItem,
        S::FormList,
        "add an item",
        Some("add"),
    ),
    b(
        &[K::Char('d'), K::Code(C::Delete)],
        "d/Del",
        A::RemoveItem,
        S::FormList,
        "remove the item",
        Some("remove"),
    ),
    b(
        &[K::Char('K')],
        "K",
        A::MoveItemUp,
        S::FormList,
        "move the item up",
        None,
    ),
    b(
        &[K::Char('J')],
        "J",
        A::MoveItemDown,
        S::FormList,
        "move the item down",
        Some("reorder"),
    ),
    b(
        &[K::Ctrl('s')],
        "Ctrl-S",
        A::Save,
        S::FormList,
        "save the record",
        Some("save"),
    ),
    b(
        &[K::Code(C::Esc)],
        "Esc",
        A::Back,
        S::FormList,
        "back to the fields",
        Some("back"),
    ),
    // risk heat map
    b(
        &[K::Code(C::Left), K::Char('h')],
        "←/h",
        A::Left,
        S::Heatmap,
        "cell to the left (lower likelihood)",
        None,
    ),
    b(
        &[K::Code(C::Right), K::Char('l')],
        "→/l",
        A::Right,
        S::Heatmap,
        "cell to the right (higher likelihood)",
        None,
    ),
    b(
        &[K::Code(C::Up), K::Char('k')],
        "↑/k",
        A::Up,
        S::Heatmap,
        "cell above (higher impact)",
        Some("move"),
    ),
    b(
        &[K::Code(C::Down), K::Char('j')],
        "↓/j",
        A::Down,
        S::Heatmap,
        "cell below (lower impact)",
        None,
    ),
    b(
        &[K::Char('J')],
        "J",
        A::ListDown,
        S::Heatmap,
        "next risk in the cell",
        None,
    ),
    b(
        &[K::Char('K')],
        "K",
        A::ListUp,
        S::Heatmap,
        "previous risk in the cell",
        Some("risk"),
    ),
    b(
        &[K::Char('i')],
        "i",
        A::ToggleResidual,
        S::Heatmap,
        "inherent / residual scores",
        Some("inherent/residual"),
    ),
    b(
        &[K::Char('/')],
        "/",
        A::Filter,
        S::Heatmap,
        "filter risks by system, category or owner",
        Some("filter"),
    ),
    // calendar
    b(
        &[K::Code(C::Left), K::Char('h')],
        "←/h",
        A::Left,
        S::Calendar,
        "previous day",
        None,
    ),
    b(
        &[K::Code(C::Right), K::Char('l')],
        "→/l",
        A::Right,
        S::Calendar,
        "next day",
        None,
    ),
    b(
        &[K::Code(C::Up), K::Char('k')],
        "↑/k",
        A::Up,
        S::Calendar,
        "previous week",
        None,
    ),
    b(
        &[K::Code(C::Down), K::Char('j')],
        "↓/j",
        A::Down,
        S::Calendar,
        "next week",
        Some("day"),
    ),
    b(
        &[K::Char('['), K::Code(C::PageUp)],
        "[",
        A::PrevMonth,
        S::Calendar,
        "previous month",
        None,
    ),
    b(
        &[K::Char(']'), K::Code(C::PageDown)],
        "]",
        A::NextMonth,
        S::Calendar,
        "next month",
        Some("month"),
    ),
    b(
        &[K::Char('J')],
        "J",
        A::ListDown,
        S::Calendar,
        "next agenda item",
        None,
    ),
    b(
        &[K::Char('K')],
        "K",
        A::ListUp,
        S::Calendar,
        "previous agenda item",
        Some("item"),
    ),
    b(
        &[K::Char('t')],
        "t",
        A::Today,
        S::Calendar,
        "back to today",
        None,
    ),
    b(
        &[K::Char('m')],
        "m",
        A::Mine,
        S::Calendar,
        "only my items / everyone's",
        Some("mine"),
    ),
    // lists
    b(
        &[K::Code(C::Up), K::Char('k')],
        "↑/k",
        A::Up,
        S::List,
        "previous row",
        None,
    ),
    b(
        &[K::Code(C::Down), K::Char('j')],
        "↓/j",
        A::Down,
        S::List,
        "next row",
        Some("move"),
    ),
    b(
        &[K::Code(C::PageUp)],
        "PgUp",
        A::PageUp,
        S::List,
        "page up",
        None,
    ),
    b(
        &[K::Code(C::PageDown)],
        "PgDn",
        A::PageDown,
        S::List,
        "page down",
        None,
    ),
    b(
        &[K::Code(C::Home), K::Char('g')],
        "g/Home",
        A::Top,
        S::List,
        "first row",
        None,
    ),
    b(
        &[K::Code(C::End), K::Char('G')],
        "G/End",
        A::Bottom,
        S::List,
        "last row",
        None,
    ),
    b(
        &[K::Char('/')],
        "/",
        A::Filter,
        S::List,
        "filter the list",
        Some("filter"),
    ),
    b(
        &[K::Char('S')],
        "S",
        A::Sort,
        S::List,
        "sort by the next column",
        None,
    ),
    // everywhere
    b(
        &[K::Code(C::Enter)],
        "Enter",
        A::Open,
        S::Global,
        "open the selected record or link",
        Some("open"),
    ),
    b(
        &[K::Char('n')],
        "n",
        A::New,
        S::Global,
        "new record of this pane's type",
        Some("new"),
    ),
    b(
        &[K::Char('e')],
        "e",
        A::Edit,
        S::Global,
        "edit the selected record",
        Some("edit"),
    ),
    b(
        &[K::Char('r')],
        "r",
        A::MarkReviewed,
        S::Global,
        "mark the selected record reviewed (optional note)",
        Some("reviewed"),
    ),
    b(
        &[K::Char('s')],
        "s",
        A::Reschedule,
        S::Global,
        "reschedule it: new date and a reason",
        Some("reschedule"),
    ),
    b(
        &[K::Char('o')],
        "o",
        A::Reassign,
        S::Global,
        "reassign it to another person",
        Some("reassign"),
    ),
    b(
        &[K::Char('D')],
        "D",
        A::Delete,
        S::Global,
        "delete the selected record",
        None,
    ),
    b(
        &[K::Ctrl('p')],
        "Ctrl-P",
        A::Finder,
        S::Global,
        "find any record",
        Some("find"),
    ),
    b(
        &[K::Code(C::Tab)],
        "Tab",
        A::NextPane,
        S::Global,
        "next pane",
        None,
    ),
    b(
        &[K::Code(C::BackTab)],
        "Shift-Tab",
        A::PrevPane,
        S::Global,
        "previous pane",
        None,
    ),
    b(
        &[K::Char('1')],
        "1",
        A::GoPane(Pane::Home),
        S::Global,
        "Home: today at a glance",
        None,
    ),
    b(
        &[K::Char('2')],
        "2",
        A::GoPane(Pane::Inventory),
        S::Global,
        "Inventory of AI systems",
        None,
    ),
    b(
        &[K::Char('3')],
        "3",
        A::GoPane(Pane::Risks),
        S::Global,
        "Risks: heat map and register",
        None,
    ),
    b(
        &[K::Char('4')],
        "4",
        A::GoPane(Pane::Soa),
        S::Global,
        "Statement of Applicability",
        None,
    ),
    b(
        &[K::Char('5')],
        "5",
        A::GoPane(Pane::Calendar),
        S::Global,
        "Calendar: what is due when",
        None,
    ),
    b(
        &[K::Char('6')],
        "6",
        A::GoPane(Pane::Findings),
        S::Global,
        "Findings: nonconformities and incidents",
        None,
    ),
    b(
        &[K::Char('7')],
        "7",
        A::GoPane(Pane::Assessments),
        S::Global,
        "Impact assessments",
        None,
    ),
    b(
        &[K::Char('8')],
        "8",
        A::GoPane(Pane::Audits),
        S::Global,
        "Internal audits",
        None,
    ),
    b(
        &[K::Char('9')],
        "9",
        A::GoPane(Pane::Suppliers),
        S::Global,
        "Suppliers (Tab on: documents, reviews, objectives)",
        None,
    ),
    b(
        &[K::Char('0')],
        "0",
        A::GoPane(Pane::Problems),
        S::Global,
        "Problems: every validation finding",
        None,
    ),
    b(
        &[K::Ctrl('r')],
        "Ctrl-R",
        A::Reload,
        S::Global,
        "reload the workspace from disk",
        None,
    ),
    b(
        &[K::Char('?')],
        "?",
        A::Help,
        S::Global,
        "help: every key",
        Some("help"),
    ),
    b(
        &[K::Code(C::Esc)],
        "Esc",
        A::Back,
        S::Global,
        "back: close, clear the filter, leave the detail",
        None,
    ),
    b(
        &[K::Char('q'), K::Ctrl('c')],
        "q",
        A::Quit,
        S::Global,
        "quit (Esc first where there is something to close)",
        Some("quit"),
    ),
    // added by stack
    b(
        &[K::Char('!')],
        "!",
        A::LastMessage,
        S::Global,
        "show the last status message in full",
        None,
    ),
    b(
        &[K::Code(C::Left), K::Ctrl('b')],
        "←",
        A::CharLeft,
        S::TextInput,
        "cursor one character left",
        None,
    ),
    b(
        &[K::Code(C::Right), K::Ctrl('f')],
        "→",
        A::CharRight,
        S::TextInput,
        "cursor one character right",
        None,
    ),
    b(
        &[K::Code(C::Home), K::Ctrl('a')],
        "Home/Ctrl-A",
        A::LineStart,
        S::TextInput,
        "start of the line",
        None,
    ),
    b(
        &[K::Code(C::End), K::Ctrl('e')],
        "End/Ctrl-E",
        A::LineEnd,
        S::TextInput,
        "end of the line",
        None,
    ),
    b(
        &[K::Alt('b'), K::CtrlCode(C::Left)],
        "Alt-B/Ctrl-←",
        A::WordLeft,
        S::TextInput,
        "one word left",
        None,
    ),
    b(
        &[K::Alt('f'), K::CtrlCode(C::Right)],
        "Alt-F/Ctrl-→",
        A::WordRight,
        S::TextInput,
        "one word right",
        None,
    ),
    b(
        &[K::Ctrl('u')],
        "Ctrl-U",
        A::KillToStart,
        S::TextInput,
        "delete to the start of the line",
        None,
    ),
    b(
        &[K::Ctrl('w'), K::CtrlCode(C::Backspace), K::Ctrl('h')],
        "Ctrl-W",
        A::KillWordBack,
        S::TextInput,
        "delete the word before the cursor",
        None,
    ),
    b(
        &[K::Ctrl('k')],
        "Ctrl-K",
        A::KillToEnd,
        S::TextInput,
        "delete to the end of the line",
        None,
    ),
    b(
        &[K::Code(C::Backspace)],
        "Backspace",
        A::DeleteBack,
        S::TextInput,
        "delete the character before the cursor",
        None,
    ),
    b(
        &[K::Code(C::Delete), K::Ctrl('d')],
        "Del",
        A::DeleteForward,
        S::TextInput,
        "delete the character under the cursor",
        None,
    ),
    b(
        &[K::Code(C::Up)],
        "↑",
        A::Up,
        S::TextInput,
        "line up (text areas)",
        None,
    ),
    b(
        &[K::Code(C::Down)],
        "↓",
        A::Down,
        S::TextInput,
        "line down (text areas)",
        None,
    ),
    b(
        &[K::Code(C::Enter)],
        "Enter",
        A::NewLine,
        S::TextInput,
        "new line (text areas); one-line inputs: done",
        None,
    ),
    b(
        &[K::Code(C::Up), K::Char('k')],
        "↑/k",
        A::Up,
        S::Picker,
        "previous choice",
        None,
    ),
    b(
        &[K::Code(C::Down), K::Char('j')],
        "↓/j",
        A::Down,
        S::Picker,
        "next choice",
        Some("move"),
    ),
    b(
        &[K::Char('/')],
        "/",
        A::Filter,
        S::Picker,
        "filter the choices (type, then ↑↓)",
        Some("filter"),
    ),
    b(
        &[K::Char(' ')],
        "Space",
        A::Tick,
        S::Picker,
        "tick or untick (lists of several)",
        None,
    ),
    b(
        &[K::Code(C::Enter)],
        "Enter",
        A::Open,
        S::Picker,
        "take the choice",
        Some("choose"),
    ),
    b(
        &[K::Code(C::Esc)],
        "Esc",
        A::Back,
        S::Picker,
        "clear the filter, or cancel",
        Some("cancel"),
    ),
    b(
        &[K::Code(C::Enter)],
        "Enter",
        A::Open,
        S::Prompt,
        "done: save or go on",
        Some("done"),
    ),
    b(
        &[K::Code(C::Esc)],
        "Esc",
        A::Back,
        S::Prompt,
        "cancel",
        Some("cancel"),
    ),
    b(
        &[K::Char('s'), K::Char('S')],
        "s",
        A::Save,
        S::Dialog,
        "unsaved changes: save them",
        Some("save"),
    ),
    b(
        &[K::Char('d'), K::Char('D')],
        "d",
        A::Discard,
        S::Dialog,
        "unsaved changes: discard them",
        Some("discard"),
    ),
    b(
        &[K::Char('y'), K::Char('Y'), K::Code(C::Enter)],
        "y/Enter",
        A::Confirm,
        S::Dialog,
        "warnings: save anyway",
        Some("save anyway"),
    ),
    b(
        &[K::Char('n'), K::Char('N'), K::Char('c'), K::Code(C::Esc)],
        "n/Esc",
        A::Back,
        S::Dialog,
        "back to the form, nothing saved",
        Some("back"),
    ),
    b(
        &[K::Char('r'), K::Char('R')],
        "r",
        A::Reapply,
        S::Conflict,
        "re-apply my changes on top of the version on disk",
        Some("re-apply"),
    ),
    b(
        &[K::Char('n'), K::Char('N')],
        "n",
        A::SaveAsNew,
        S::Conflict,
        "save mine as a new record (next free id)",
        Some("as new"),
    ),
    b(
        &[K::Char('c'), K::Char('C'), K::Code(C::Esc)],
        "c/Esc",
        A::Back,
        S::Conflict,
        "cancel: back to the form, nothing saved",
        Some("cancel"),
    ),
    b(
        &[K::Code(C::Up), K::Char('k')],
        "↑/k",
        A::Up,
        S::Record,
        "previous link",
        None,
    ),
    b(
        &[K::Code(C::Down), K::Char('j')],
        "↓/j",
        A::Down,
        S::Record,
        "next link",
        Some("links"),
    ),
    b(
        &[K::Code(C::Enter)],
        "Enter",
        A::Open,
        S::Record,
        "follow the selected link (scrolled into view first)",
        Some("follow"),
    ),
    b(
        &[K::Code(C::PageUp)],
        "PgUp",
        A::PageUp,
        S::Record,
        "scroll up a page",
        None,
    ),
    b(
        &[K::Code(C::PageDown), K::Char(' ')],
        "PgDn",
        A::PageDown,
        S::Record,
        "scroll down a page",
        Some("scroll"),
    ),
    b(
        &[K::Code(C::Home), K::Char('g')],
        "g/Home",
        A::Top,
        S::Record,
        "the top, first link",
        None,
    ),
    b(
        &[K::Code(C::End), K::Char('G')],
        "G/End",
        A::Bottom,
        S::Record,
        "the end, last link",
        None,
    ),
    b(
        &[K::Char('e')],
        "e",
        A::Edit,
        S::Record,
        "edit this record",
        Some("edit"),
    ),
    b(
        &[K::Char('r')],
        "r",
        A::MarkReviewed,
        S::Record,
        "mark it reviewed (optional note)",
        Some("reviewed"),
    ),
    b(
        &[K::Char('s')],
        "s",
        A::Reschedule,
        S::Record,
        "reschedule it",
        None,
    ),
    b(
        &[K::Char('o')],
        "o",
        A::Reassign,
        S::Record,
        "reassign it",
        None,
    ),
    b(
        &[K::Code(C::Esc), K::Char('q')],
        "Esc/q",
        A::Back,
        S::Record,
        "back (to the previous record, or the pane)",
        Some("back"),
    ),
];

fn matches(k: &K, ev: &KeyEvent) -> bool {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let alt = ev.modifiers.contains(KeyModifiers::ALT);
    match *k {
        K::Char(c) => !ctrl && !alt && ev.code == KeyCode::Char(c),
        K::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
        K::Code(code) => !ctrl && ev.code == code,
        K::Alt(c) => alt && ev.code == KeyCode::Char(c),
        K::CtrlCode(code) => ctrl && ev.code == code,
    }
}

/// The action of a key in the given scopes (most specific first).
pub fn action_for(ev: &KeyEvent, scopes: &[Scope]) -> Option<Action> {
    for scope in scopes.iter().chain([&Scope::Global]) {
        if let Some(binding) = BINDINGS
            .iter()
            .filter(|b| b.scope == *scope)
            .find(|b| b.keys.iter().any(|k| matches(k, ev)))
        {
            return Some(binding.action);
        }
    }
    None
}

/// The action of a key in one scope only (forms: no global keys).
pub fn action_in(ev: &KeyEvent, scope: Scope) -> Option<Action> {
    BINDINGS
        .iter()
        .filter(|b| b.scope == scope)
        .find(|b| b.keys.iter().any(|k| matches(k, ev)))
        .map(|b| b.action)
}

/// The status-bar hints for the active scopes: `key label` pairs.
pub fn hints(scopes: &[Scope]) -> Vec<(&'static str, &'static str)> {
    let with_global: Vec<Scope> = scopes.iter().copied().chain([Scope::Global]).collect();
    hints_only(&with_global)
}

/// The hints of exactly these scopes (a form has no global keys).
pub fn hints_only(scopes: &[Scope]) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for scope in scopes {
        for binding in BINDINGS.iter().filter(|b| b.scope == *scope) {
            if let Some(h) = binding.hint
                && !out.iter().any(|(_, x)| *x == h)
            {
                let label = match binding.action {
                    // The movement hints cover a pair of keys.
                    Action::Up | Action::Down => "↑↓",
                    Action::ListUp | Action::ListDown => "J/K",
                    Action::PrevMonth | Action::NextMonth => "[ ]",
                    _ => binding.label,
                };
                out.push((label, h));
            }
        }
    }
    out
}

/// The key table as Markdown, for the README (a test keeps the two the same).
pub fn markdown_table() -> String {
    let mut out = String::from("| where | key | what it does |\n|---|---|---|\n");
    for b in BINDINGS {
        out.push_str(&format!(
            "| {} | `{}` | {} |\n",
            b.scope.label(),
            b.label,
            b.help
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn every_key_has_one_meaning_per_scope() {
        use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
        for scope in [
            Scope::Global,
            Scope::List,
            Scope::Heatmap,
            Scope::Calendar,
            Scope::Form,
            Scope::FormList,
            Scope::Walk,
            Scope::TextInput,
            Scope::Picker,
            Scope::Prompt,
            Scope::Dialog,
            Scope::Conflict,
            Scope::Record,
        ] {
            for c in (b' '..=b'~').map(char::from) {
                let ev = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
                let hits = BINDINGS
                    .iter()
                    .filter(|b| b.scope == scope && b.keys.iter().any(|k| matches(k, &ev)))
                    .count();
                assert!(hits <= 1, "{c:?} is bound twice in {scope:?}");
            }
        }
    }
}

//! The small layers: help, the finder, a record's detail, the triage prompts and pickers,
//! the dialogs, and the list filter. Each owns its state, answers keys with an
//! [`Outcome`] and draws itself.

use super::component::{self, Component, Ctx, Effect, Outcome, Target};
use super::editor::{Edit, TextInput};
use super::index::Index;
use super::keys::{self, Action, Binding, Scope};
use super::widgets::{block, centered, truncate, width};
use crate::any_component;
use crate::domain::RecordType;
use crate::domain::dates::{Date, parse_relative};
use crate::domain::text::one_line;
use crate::rules::triage;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Wrap};
use std::cell::Cell;

/// A text-taking layer's keys: its own scope's (Enter, Esc, moves) first, then the
/// editor, then the list moves.
enum Key {
    Act(Action),
    Edited,
    Moved,
    None,
}

fn text_key(key: &KeyEvent, input: &mut TextInput, scope: Scope) -> Key {
    if let Some(a) = keys::action_in(key, scope) {
        return Key::Act(a);
    }
    match input.on_key(key) {
        Edit::Changed => Key::Edited,
        Edit::Moved => Key::Moved,
        Edit::Ignored => match keys::action_in(key, Scope::List) {
            Some(a) => Key::Act(a),
            None => Key::None,
        },
    }
}

/// Pasted text for a search: control characters (escapes, line breaks) dropped.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// Saves `change` of a record's fields, or says why not.
fn save_change(
    cx: &Ctx,
    id: &str,
    change: impl FnOnce(&crate::domain::Map, &str) -> Result<crate::domain::Map, String>,
) -> Outcome {
    let Some(by) = cx.user else {
        return Outcome::status("who are you? start aims with --as PERSON", true);
    };
    let Some(fields) = cx.ws.fields_of(id) else {
        return Outcome::status(format!("{id} is not in the workspace"), true);
    };
    match change(&fields, by) {
        Ok(fields) => Outcome::Close(vec![Effect::SaveFields {
            id: id.to_string(),
            fields,
            done: format!("{id} saved"),
        }]),
        Err(e) => Outcome::status(e, true),
    }
}

// ---- help -------------------------------------------------------------------------------

pub struct Help {
    pub filter: TextInput,
    pub scroll: usize,
    pub scopes: Vec<Scope>,
    /// Rows of content and rows shown at the last draw: scrolling stops at the end.
    shown: Cell<(usize, usize)>,
}

impl Help {
    pub fn new(scopes: Vec<Scope>) -> Help {
        Help {
            filter: TextInput::line(""),
            scroll: 0,
            scopes,
            shown: Cell::new((usize::MAX, 1)),
        }
    }

    /// Help over `top` when its own scope binds the key to help (F1 where `?` is typed
    /// text, `?` in the walk and forms): asked before the layer sees the key.
    pub fn asked_over(top: &dyn Component, key: &KeyEvent) -> Option<Help> {
        let scopes = top.scopes();
        let own = keys::action_in(key, *scopes.first()?) == Some(Action::Help);
        (own && !top.as_any().is::<Help>()).then(|| Help::new(scopes))
    }
}

/// The help's content: the bindings of `scopes` that a key still reaches and that match
/// `filter`, scope by scope, each with the keys that reach it (`↓/j`). The one place the
/// help is made from the keymap.
pub fn help_entries(scopes: &[Scope], filter: &str) -> Vec<(&'static Binding, String)> {
    let needle = filter.to_lowercase();
    let visible = keys::keymap().visible(scopes);
    let mut out = Vec::new();
    for scope in scopes {
        for (b, label) in visible.iter().filter(|(b, _)| b.scope == *scope) {
            let hit = needle.is_empty()
                || b.help.to_lowercase().contains(&needle)
                || label.to_lowercase().contains(&needle)
                || b.scope.label().contains(&needle);
            if hit {
                out.push((*b, label.clone()));
            }
        }
    }
    out
}

fn help_lines<'a>(cx: &Ctx, scopes: &[Scope], filter: &str) -> Vec<Line<'a>> {
    let t = cx.theme;
    let mut lines = Vec::new();
    let mut last = None;
    for (b, label) in help_entries(scopes, filter) {
        if last != Some(b.scope) {
            lines.push(Line::from(Span::styled(
                format!("— {} —", b.scope.label()),
                t.header,
            )));
            last = Some(b.scope);
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {label:<12} "), t.key),
            Span::raw(b.help.clone()),
        ]));
    }
    lines
}

impl Component for Help {
    fn on_key(&mut self, key: &KeyEvent, _cx: &Ctx) -> Outcome {
        let (rows, shown) = self.shown.get();
        let last = rows.saturating_sub(shown);
        match text_key(key, &mut self.filter, Scope::Help) {
            Key::Act(Action::Back | Action::Quit) => return Outcome::close(),
            Key::Act(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Key::Act(Action::Down) => self.scroll = (self.scroll + 1).min(last),
            Key::Act(Action::PageUp) => self.scroll = self.scroll.saturating_sub(shown),
            Key::Act(Action::PageDown) => self.scroll = (self.scroll + shown).min(last),
            Key::Edited => self.scroll = 0,
            Key::Moved | Key::Act(_) => {}
            Key::None => return Outcome::Ignored,
        }
        Outcome::done()
    }
    fn on_paste(&mut self, text: &str, _cx: &Ctx) -> Outcome {
        let _ = self.filter.paste(text);
        self.scroll = 0;
        Outcome::done()
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let r = centered(area, 90, area.height);
        frame.render_widget(Clear, r);
        let outer = block(cx.theme, "Help: the keys of this view");
        let inner = outer.inner(r);
        frame.render_widget(outer, r);
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        let [label, input] =
            Layout::horizontal([Constraint::Length(16), Constraint::Min(1)]).areas(head);
        frame.render_widget(Span::styled("type to filter: ", cx.theme.muted), label);
        self.filter.draw(frame, input);
        let lines = help_lines(cx, &self.scopes, &self.filter.text());
        let shown = body.height as usize;
        self.shown.set((lines.len(), shown));
        let scroll = self.scroll.min(lines.len().saturating_sub(shown));
        let body_lines: Vec<Line> = lines.into_iter().skip(scroll).take(shown).collect();
        frame.render_widget(Paragraph::new(body_lines), body);
    }
    fn hints(&self) -> Vec<(String, String)> {
        let mut h = component::hints(&[("type", "filter")]);
        h.extend(component::scope_hints(Scope::Help));
        h
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Help, Scope::TextInput]
    }
    fn takes_text(&self) -> bool {
        true
    }
    any_component!();
}

// ---- finder -----------------------------------------------------------------------------

/// The finder's entry for the Settings form (no record id has this form).
const SETTINGS_ENTRY: &str = "aims.yaml";
const SETTINGS_WORDS: &str = "settings aims.yaml organisation organization scope people cadences";

pub struct Finder {
    pub query: TextInput,
    /// The records found, by id, best first.
    pub results: Vec<String>,
    pub cursor: usize,
    /// Everything the query matches: the next character narrows it.
    found: super::finder::Found,
}

impl Finder {
    pub fn new(cx: &Ctx) -> Finder {
        let mut f = Finder {
            query: TextInput::line(""),
            results: Vec::new(),
            cursor: 0,
            found: Default::default(),
        };
        f.search(cx);
        f
    }

    fn search(&mut self, cx: &Ctx) {
        let query = self.query.text();
        let haystacks = &cx.index.haystacks;
        self.found.search(haystacks, &query, 200);
        self.results = (self.found.best(200.min(haystacks.len())).into_iter())
            .filter_map(|i| cx.ws.records.get(i).map(|r| r.id.clone()))
            .collect();
        // Settings is found by name (or what it holds), first: a word that starts with
        // what is typed, so "risk" still finds risks first and not the settings.
        let q = query.trim().to_lowercase();
        if q.len() >= 3 && SETTINGS_WORDS.split(' ').any(|w| w.starts_with(&q)) {
            self.results.insert(0, SETTINGS_ENTRY.to_string());
        }
        // Views and registers by name ("Datasets", "Reviews"), before the records.
        let places = super::places::matching(&q)
            .into_iter()
            .map(super::places::id);
        self.results.splice(0..0, places);
        self.cursor = self.cursor.min(self.results.len().saturating_sub(1));
    }
}

impl Component for Finder {
    fn on_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome {
        let n = self.results.len();
        match text_key(key, &mut self.query, Scope::Finder) {
            Key::Act(Action::Back | Action::Quit) => return Outcome::close(),
            Key::Act(Action::Open) => {
                return match self.results.get(self.cursor) {
                    Some(id) if id == SETTINGS_ENTRY => {
                        Outcome::Close(vec![Effect::OpenSettings(None)])
                    }
                    Some(id) if let Some(place) = super::places::by_id(id) => {
                        Outcome::Close(vec![super::places::go(place)])
                    }
                    Some(id) => Outcome::Close(vec![Effect::GoToRecord(id.clone())]),
                    None => Outcome::done(),
                };
            }
            Key::Act(Action::Up) => self.cursor = self.cursor.saturating_sub(1),
            Key::Act(Action::Down) => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Key::Act(Action::PageUp) => self.cursor = self.cursor.saturating_sub(10),
            Key::Act(Action::PageDown) => self.cursor = (self.cursor + 10).min(n.saturating_sub(1)),
            Key::Edited => {
                self.cursor = 0;
                self.search(cx);
            }
            Key::Moved | Key::Act(_) => {}
            Key::None => return Outcome::Ignored,
        }
        Outcome::done()
    }
    fn on_paste(&mut self, text: &str, cx: &Ctx) -> Outcome {
        let _ = self.query.paste(&printable(text));
        self.cursor = 0;
        self.search(cx);
        Outcome::done()
    }
    fn on_change(&mut self, cx: &Ctx) -> Option<String> {
        let at = self.results.get(self.cursor).cloned();
        // The records changed: the last matches may not hold.
        self.found.clear();
        self.search(cx);
        if let Some(i) = at.and_then(|id| self.results.iter().position(|r| *r == id)) {
            self.cursor = i;
        }
        None
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let t = cx.theme;
        let r = centered(area, 74, area.height.saturating_sub(2).max(8));
        let [input, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(r);
        frame.render_widget(Clear, r);
        let title = format!(
            "Find a record ({} of {})",
            self.results.len(),
            cx.ws.records.len()
        );
        let b = block(t, &title);
        let inner = b.inner(input);
        frame.render_widget(b, input);
        let [prompt, field] =
            Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
        frame.render_widget(Span::styled("> ", t.key), prompt);
        self.query.draw(frame, field);
        let room_w = rest.width.saturating_sub(2) as usize;
        let items: Vec<ListItem> = self
            .results
            .iter()
            .filter_map(|id| match cx.ws.get(id) {
                Some(rec) => Some((rec.id.clone(), rec.kind.label(), rec.title())),
                None if id == SETTINGS_ENTRY => Some((
                    "Settings".into(),
                    "aims.yaml",
                    "organisation, scope, people, risk method, cadences".into(),
                )),
                None if let Some(p) = super::places::by_id(id) => Some((
                    p.name.to_string(),
                    p.what,
                    format!("go to {}", p.pane.title()),
                )),
                None => None,
            })
            .map(|(id, label, title)| {
                let head = format!("{:<11} {:<18} ", one_line(&id), label);
                let room = room_w.saturating_sub(width(&head));
                ListItem::new(Line::from(vec![
                    Span::styled(head, t.muted),
                    Span::raw(truncate(&one_line(&title), room)),
                ]))
            })
            .collect();
        let list = List::new(items)
            .highlight_style(t.selection)
            .block(block(t, "Enter opens · Esc closes"));
        let mut state =
            ListState::default().with_selected((!self.results.is_empty()).then_some(self.cursor));
        frame.render_stateful_widget(list, rest, &mut state);
    }
    fn hints(&self) -> Vec<(String, String)> {
        let mut h = component::hints(&[("type", "search")]);
        h.extend(component::scope_hints(Scope::Finder));
        h
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Finder, Scope::TextInput]
    }
    fn takes_text(&self) -> bool {
        true
    }
    any_component!();
}

// ---- a record's detail ------------------------------------------------------------------

/// A record's full detail; the cursor walks its links. Scrolls by wrapped lines.
pub struct RecordView {
    pub id: String,
    pub cursor: usize,
    /// The field a finding points at, highlighted (opened from Problems).
    pub focus_field: Option<String>,
    /// First wrapped row shown.
    scroll: Cell<usize>,
    /// Scroll the selected link into view at the next draw.
    reveal: Cell<bool>,
    /// At the last draw: rows shown, total rows, and each link's first row.
    layout: std::cell::RefCell<(usize, usize, Vec<usize>)>,
}

impl RecordView {
    pub fn new(id: &str, focus_field: Option<String>) -> RecordView {
        RecordView {
            id: id.to_string(),
            cursor: 0,
            focus_field,
            scroll: Cell::new(0),
            reveal: Cell::new(false),
            layout: Default::default(),
        }
    }

    /// Whether the selected link was on screen at the last draw.
    pub fn link_visible(&self) -> bool {
        let (shown, _, links) = &*self.layout.borrow();
        let scroll = self.scroll.get();
        links
            .get(self.cursor)
            .is_some_and(|&row| row >= scroll && row < scroll + shown)
    }

    pub fn scroll(&self) -> usize {
        self.scroll.get()
    }
}

impl Component for RecordView {
    fn on_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome {
        let Some(action) = keys::action_in(key, Scope::Record) else {
            return Outcome::Ignored;
        };
        let n = Index::links_of(cx.ws, &self.id).len();
        let (shown, total, _) = self.layout.borrow().clone();
        let last_scroll = total.saturating_sub(shown);
        match action {
            Action::Back => return Outcome::close(),
            Action::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                self.reveal.set(true);
            }
            Action::Down => {
                self.cursor = (self.cursor + 1).min(n.saturating_sub(1));
                self.reveal.set(true);
            }
            Action::PageUp => {
                self.scroll.set(
                    self.scroll
                        .get()
                        .saturating_sub(shown.saturating_sub(1).max(1)),
                );
                self.reveal.set(false);
            }
            Action::PageDown => {
                self.scroll
                    .set((self.scroll.get() + shown.saturating_sub(1).max(1)).min(last_scroll));
                self.reveal.set(false);
            }
            Action::Top => {
                self.cursor = 0;
                self.scroll.set(0);
                self.reveal.set(false);
            }
            Action::Bottom => {
                self.cursor = n.saturating_sub(1);
                self.scroll.set(last_scroll);
                self.reveal.set(true);
            }
            Action::Open => {
                let Some(link) = Index::links_of(cx.ws, &self.id).get(self.cursor).cloned() else {
                    return Outcome::done();
                };
                if !self.link_visible() {
                    self.reveal.set(true);
                    return Outcome::status(
                        format!("{link} is the selected link (now in view): Enter follows it"),
                        false,
                    );
                }
                return Outcome::Consumed(vec![Effect::Push(Box::new(RecordView::new(
                    &link, None,
                )))]);
            }
            Action::Edit => return Outcome::Consumed(vec![Effect::EditRecord(self.id.clone())]),
            Action::History => {
                let view = super::history::HistoryView::new(cx.ws, &self.id);
                return Outcome::Consumed(vec![Effect::Push(Box::new(view))]);
            }
            Action::ShowRisks => {
                return Outcome::Consumed(vec![Effect::ShowRisks(self.id.clone())]);
            }
            Action::RaiseNc | Action::RaiseIncident => {
                let kind = if action == Action::RaiseNc {
                    RecordType::Nonconformity
                } else {
                    RecordType::Incident
                };
                return Outcome::Consumed(vec![Effect::RaiseForBreach(kind, self.id.clone())]);
            }
            Action::MarkReviewed | Action::Reschedule | Action::Reassign => {
                return Outcome::Consumed(vec![Effect::Triage(action, self.id.clone())]);
            }
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let r = centered(area, area.width.saturating_sub(4).min(110), area.height);
        frame.render_widget(Clear, r);
        let Some(rec) = cx.ws.get(&self.id) else {
            return;
        };
        let lines = super::detail::lines(cx, rec, Some(self.cursor), self.focus_field.as_deref());
        let n_links = Index::links_of(cx.ws, &self.id).len();
        let inner_w = r.width.saturating_sub(2).max(1);
        let shown = r.height.saturating_sub(2) as usize;
        // Each line's height once wrapped, as the paragraph will wrap it.
        let heights: Vec<usize> = lines
            .iter()
            .map(|l| {
                Paragraph::new(l.clone())
                    .wrap(Wrap { trim: false })
                    .line_count(inner_w)
                    .max(1)
            })
            .collect();
        let mut starts = Vec::with_capacity(heights.len());
        let mut total = 0;
        for h in &heights {
            starts.push(total);
            total += h;
        }
        let first_link = lines.len().saturating_sub(n_links);
        let links: Vec<usize> = starts[first_link..].to_vec();
        let mut scroll = self.scroll.get().min(total.saturating_sub(shown));
        if self.reveal.get()
            && let Some(&row) = links.get(self.cursor)
        {
            let h = heights[first_link + self.cursor];
            if row < scroll {
                scroll = row;
            } else if row + h > scroll + shown {
                scroll = (row + h).saturating_sub(shown);
            }
            self.reveal.set(false);
        }
        self.scroll.set(scroll);
        *self.layout.borrow_mut() = (shown, total, links);
        // The keys are in the status bar; the title says where the view is.
        let more = match (scroll > 0, scroll + shown < total) {
            (false, true) => " · more below (PgDn)",
            (true, true) => " · more above and below",
            (true, false) => " · more above (PgUp)",
            (false, false) => "",
        };
        let title = format!("{}{more}", rec.kind.label());
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((scroll.min(u16::MAX as usize) as u16, 0))
                .block(block(cx.theme, &title)),
            r,
        );
    }
    fn hints(&self) -> Vec<(String, String)> {
        component::scope_hints(Scope::Record)
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Record]
    }
    fn on_change(&mut self, cx: &Ctx) -> Option<String> {
        let n = Index::links_of(cx.ws, &self.id).len();
        self.cursor = self.cursor.min(n.saturating_sub(1));
        None
    }
    any_component!();
}

// ---- triage prompts ---------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    ReviewNote,
    /// `r` on an action (a review's, a corrective one): done, with a note.
    DoneNote,
    RescheduleDate,
    RescheduleReason(Date),
    /// `x` in the SoA pane: why the control does not apply.
    Exclude,
}

/// A one-line question: the review note, the new date, the reason.
pub struct Prompt {
    pub ask: Ask,
    pub target: Target,
    pub input: TextInput,
    pub error: Option<String>,
    /// Marking reviewed: what changed since the last review, under the prompt.
    pub since: Option<super::history::SinceReviewPanel>,
}

impl Prompt {
    pub fn new(ask: Ask, target: Target) -> Prompt {
        Prompt {
            ask,
            target,
            input: TextInput::line(""),
            error: None,
            since: None,
        }
    }

    fn submit(&mut self, cx: &Ctx) -> Outcome {
        let text = self.input.text();
        let target = self.target.clone();
        match self.ask.clone() {
            Ask::ReviewNote => {
                let kind = cx
                    .ws
                    .get(&target.record)
                    .map_or(RecordType::Risk, |r| r.kind);
                save_change(cx, &target.record, |f, by| {
                    triage::mark_reviewed(f, kind, &cx.ws.settings, cx.today, by, &text)
                })
            }
            Ask::DoneNote => save_change(cx, &target.record, |f, by| {
                triage::mark_done(f, target.kind, target.index, cx.today, by, &text)
            }),
            Ask::RescheduleDate => match parse_relative(&text, cx.today) {
                Some(date) if date >= cx.today => Outcome::Close(vec![Effect::Push(Box::new(
                    Prompt::new(Ask::RescheduleReason(date), target),
                ))]),
                Some(_) => {
                    self.error = Some("that date is in the past".into());
                    Outcome::done()
                }
                None => {
                    self.error = Some("write YYYY-MM-DD, t for today, or +7d / +2w / +3m".into());
                    Outcome::done()
                }
            },
            Ask::Exclude => save_change(cx, &target.record, |f, by| {
                crate::rules::soa::exclude(f, &text, cx.today, by)
            }),
            Ask::RescheduleReason(date) => {
                if text.trim().is_empty() {
                    return Outcome::status("a reschedule needs a reason", true);
                }
                // The date it was due, for the log (a derived review has no field).
                let was = cx
                    .index
                    .due
                    .iter()
                    .find(|d| {
                        d.record == target.record
                            && d.kind == target.kind
                            && d.index == target.index
                    })
                    .map(|d| d.due);
                save_change(cx, &target.record, |f, by| {
                    triage::reschedule(
                        f,
                        target.kind,
                        target.index,
                        (was, date),
                        &text,
                        cx.today,
                        by,
                    )
                })
            }
        }
    }
}

impl Component for Prompt {
    fn on_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome {
        match text_key(key, &mut self.input, Scope::Prompt) {
            Key::Act(Action::Back) => Outcome::close(),
            Key::Act(Action::Open) => self.submit(cx),
            Key::Edited => {
                self.error = None;
                Outcome::done()
            }
            Key::Moved | Key::Act(_) => Outcome::done(),
            Key::None => Outcome::Ignored,
        }
    }
    fn on_paste(&mut self, text: &str, _cx: &Ctx) -> Outcome {
        match self.input.paste(text) {
            Ok(()) => Outcome::done(),
            Err(e) => Outcome::status(e, true),
        }
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let (title, label) = match &self.ask {
            Ask::ReviewNote => (
                format!("Mark {} reviewed", self.target.record),
                "Note (optional), Enter saves, Esc cancels:".to_string(),
            ),
            Ask::DoneNote => (
                match self.target.index {
                    Some(i) => format!("Mark {} action {} done", self.target.record, i + 1),
                    None => format!("Mark {} corrective action done", self.target.record),
                },
                "What was done (optional note), Enter saves:".to_string(),
            ),
            Ask::RescheduleDate => (
                format!(
                    "Reschedule {} ({})",
                    self.target.record,
                    self.target.kind.label()
                ),
                "New date: YYYY-MM-DD, or +7d, +2w, +3m:".to_string(),
            ),
            Ask::RescheduleReason(date) => (
                format!("Reschedule {} to {date}", self.target.record),
                "Reason (required), Enter saves:".to_string(),
            ),
            Ask::Exclude => (
                format!(
                    "Exclude {} {}",
                    self.target.record,
                    crate::domain::catalog::control(&self.target.record).map_or("", |c| c.title)
                ),
                "Why does it not apply? (required) Enter excludes it, Esc cancels:".to_string(),
            ),
        };
        let area = match &self.since {
            Some(panel) => panel.draw_below(frame, area, cx),
            None => area,
        };
        prompt_box(
            frame,
            area,
            cx,
            &title,
            &label,
            &self.input,
            self.error.as_deref(),
        );
    }
    fn take_jobs(&mut self) -> Vec<super::jobs::Job> {
        self.since
            .as_mut()
            .map(|p| p.take_jobs())
            .unwrap_or_default()
    }
    fn on_done(&mut self, done: &mut Option<super::jobs::Done>) {
        if let Some(p) = &mut self.since {
            p.on_done(done);
        }
    }
    fn hints(&self) -> Vec<(String, String)> {
        let mut h = component::scope_hints(Scope::Prompt);
        h.insert(0, ("type".into(), "text".into()));
        if self.ask == Ask::RescheduleDate {
            h.insert(1, ("t +7d +2w".into(), "dates".into()));
        }
        h
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Prompt, Scope::TextInput]
    }
    fn takes_text(&self) -> bool {
        true
    }
    any_component!();
}

/// A framed one-line input with a label and an error line.
pub fn prompt_box(
    frame: &mut Frame,
    area: Rect,
    cx: &Ctx,
    title: &str,
    label: &str,
    input: &TextInput,
    error: Option<&str>,
) {
    let r = centered(area, 70, 6);
    frame.render_widget(Clear, r);
    let b = block(cx.theme, title);
    let inner = b.inner(r);
    frame.render_widget(b, r);
    let [l, i, e] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(inner);
    frame.render_widget(Span::styled(label.to_string(), cx.theme.muted), l);
    let [arrow, field] = Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(i);
    frame.render_widget(Span::raw("> "), arrow);
    input.draw(frame, field);
    if let Some(err) = error {
        frame.render_widget(
            Paragraph::new(Span::styled(one_line(err), cx.theme.error)).wrap(Wrap { trim: true }),
            e,
        );
    }
}

// ---- pickers ------------------------------------------------------------------------------

/// Reassign: who takes it. Starts on the current owner.
pub struct PersonPicker {
    pub target: Target,
    pub cursor: usize,
}

impl PersonPicker {
    pub fn new(target: Target, cx: &Ctx) -> PersonPicker {
        let owner = triage::owner_field(target.kind).ok().and_then(|field| {
            let fields = cx.ws.fields_of(&target.record)?;
            match target.index {
                None => fields.text(field),
                Some(i) => fields.list("actions").get(i)?.as_map()?.text(field),
            }
        });
        let cursor = owner
            .and_then(|o| cx.ws.settings.people.iter().position(|p| p.id == o))
            .unwrap_or(0);
        PersonPicker { target, cursor }
    }
}

impl Component for PersonPicker {
    fn on_key(&mut self, key: &KeyEvent, cx: &Ctx) -> Outcome {
        let n = cx.ws.settings.people.len();
        match keys::action_in(key, Scope::Picker) {
            Some(Action::Back) => Outcome::close(),
            Some(Action::Up) => {
                self.cursor = self.cursor.saturating_sub(1);
                Outcome::done()
            }
            Some(Action::Down) => {
                self.cursor = (self.cursor + 1).min(n.saturating_sub(1));
                Outcome::done()
            }
            Some(Action::Open) => {
                let Some(person) = cx.ws.settings.people.get(self.cursor).map(|p| p.id.clone())
                else {
                    return Outcome::done();
                };
                let t = self.target.clone();
                save_change(cx, &t.record, |f, by| {
                    triage::reassign(f, t.kind, t.index, &person, cx.today, by)
                })
            }
            _ => Outcome::Ignored,
        }
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let people = &cx.ws.settings.people;
        let r = centered(area, 60, (people.len() as u16 + 2).max(4));
        frame.render_widget(Clear, r);
        let items: Vec<ListItem> = people
            .iter()
            .map(|p| {
                ListItem::new(format!(
                    "{:<12} {} — {}",
                    one_line(&p.id),
                    one_line(&p.name),
                    one_line(&p.role)
                ))
            })
            .collect();
        let title = format!("Reassign {} to…", self.target.record);
        let list = List::new(items)
            .highlight_style(cx.theme.selection)
            .block(block(cx.theme, &title));
        let mut state = ListState::default().with_selected(Some(self.cursor));
        frame.render_stateful_widget(list, r, &mut state);
    }
    fn hints(&self) -> Vec<(String, String)> {
        component::hints(&[
            ("↑↓/jk", "choose"),
            ("Enter", "reassign"),
            ("Esc", "cancel"),
        ])
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Picker]
    }
    any_component!();
}

/// `n` where a pane lists several types: which one to create.
pub struct ChooseKind {
    pub kinds: Vec<RecordType>,
    pub cursor: usize,
}

impl Component for ChooseKind {
    fn on_key(&mut self, key: &KeyEvent, _cx: &Ctx) -> Outcome {
        match keys::action_in(key, Scope::Picker) {
            Some(Action::Back) => Outcome::close(),
            Some(Action::Up) => {
                self.cursor = self.cursor.saturating_sub(1);
                Outcome::done()
            }
            Some(Action::Down) => {
                self.cursor = (self.cursor + 1).min(self.kinds.len().saturating_sub(1));
                Outcome::done()
            }
            Some(Action::Open) => match self.kinds.get(self.cursor) {
                Some(k) => Outcome::Close(vec![Effect::NewRecord(*k)]),
                None => Outcome::close(),
            },
            _ => Outcome::Ignored,
        }
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let r = centered(area, 40, self.kinds.len() as u16 + 2);
        frame.render_widget(Clear, r);
        let items: Vec<ListItem> = self
            .kinds
            .iter()
            .map(|k| ListItem::new(format!("new {}", k.label())))
            .collect();
        let list = List::new(items)
            .highlight_style(cx.theme.selection)
            .block(block(cx.theme, "Create"));
        let mut state = ListState::default().with_selected(Some(self.cursor));
        frame.render_stateful_widget(list, r, &mut state);
    }
    fn hints(&self) -> Vec<(String, String)> {
        component::hints(&[("↑↓/jk", "choose"), ("Enter", "create"), ("Esc", "cancel")])
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Picker]
    }
    any_component!();
}

// ---- dialogs ------------------------------------------------------------------------------

/// Delete: the record and everything that links to it.
pub struct ConfirmDelete {
    pub id: String,
    pub referrers: Vec<String>,
}

impl ConfirmDelete {
    /// Asks to delete the selected record, or says that nothing is selected.
    pub fn of(
        ws: &crate::workspace::Workspace,
        selected: Option<super::component::Target>,
    ) -> Result<ConfirmDelete, String> {
        let target = selected.ok_or("nothing selected to delete")?;
        ConfirmDelete::new(ws, &target.record)
    }

    /// Asks to delete `id`, naming what links to it; SoA entries are never deleted.
    pub fn new(ws: &crate::workspace::Workspace, id: &str) -> Result<ConfirmDelete, String> {
        if ws.get(id).is_some_and(|r| r.kind == RecordType::Soa) {
            return Err(
                "SoA entries are not deleted: mark the control excluded, with a justification"
                    .into(),
            );
        }
        Ok(ConfirmDelete {
            id: id.to_string(),
            referrers: ws.referrers(id).map(|r| r.id.clone()).collect(),
        })
    }
}

impl Component for ConfirmDelete {
    fn on_key(&mut self, key: &KeyEvent, _cx: &Ctx) -> Outcome {
        match keys::action_in(key, Scope::Dialog) {
            Some(Action::Yes) => Outcome::Close(vec![Effect::Trash(self.id.clone())]),
            Some(Action::Back | Action::No) => Outcome::close(),
            _ => Outcome::Ignored,
        }
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let t = cx.theme;
        let r = centered(area, 70, (self.referrers.len() as u16 + 7).min(area.height));
        frame.render_widget(Clear, r);
        let title = cx
            .ws
            .get(&self.id)
            .map(|rec| one_line(&rec.title()))
            .unwrap_or_default();
        let mut lines = vec![
            Line::from(vec![
                Span::styled(format!("Delete {} ", one_line(&self.id)), t.error),
                Span::raw(title),
            ]),
            Line::from(Span::styled(
                "The file moves to .aims/trash/; it is not erased.",
                t.muted,
            )),
        ];
        if self.referrers.is_empty() {
            lines.push(Line::from("Nothing links to it."));
        } else {
            lines.push(Line::from(format!(
                "{} link to it and will show a dangling reference:",
                super::widgets::plural(self.referrers.len(), "record")
            )));
            for other in &self.referrers {
                let what = cx
                    .ws
                    .get(other)
                    .map(|r| one_line(&r.title()))
                    .unwrap_or_default();
                lines.push(Line::from(format!(
                    "  {} {}",
                    one_line(other),
                    truncate(&what, 50)
                )));
            }
        }
        lines.push(Line::from(vec![
            Span::styled("Enter", t.key),
            Span::raw(" delete · "),
            Span::styled("Esc", t.key),
            Span::raw(" keep"),
        ]));
        frame.render_widget(Paragraph::new(lines).block(block(t, "Delete?")), r);
    }
    fn hints(&self) -> Vec<(String, String)> {
        component::hints(&[
            ("Enter", "delete (moved to .aims/trash)"),
            ("Esc", "keep it"),
        ])
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Dialog]
    }
    any_component!();
}

/// A message to read in full (a long status line, say).
pub struct Message {
    pub title: String,
    pub text: String,
}

impl Component for Message {
    fn on_key(&mut self, key: &KeyEvent, _cx: &Ctx) -> Outcome {
        match keys::action_in(key, Scope::Prompt) {
            Some(Action::Open | Action::Back) => Outcome::close(),
            _ => Outcome::Ignored,
        }
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let w = 70u16.min(area.width);
        let rows = (width(&self.text) / w.saturating_sub(2).max(1) as usize) as u16 + 3;
        let r = centered(area, w, rows.min(area.height));
        frame.render_widget(Clear, r);
        frame.render_widget(
            Paragraph::new(self.text.clone())
                .wrap(Wrap { trim: true })
                .block(block(cx.theme, &self.title)),
            r,
        );
    }
    fn hints(&self) -> Vec<(String, String)> {
        component::hints(&[("Enter/Esc", "close")])
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Prompt]
    }
    any_component!();
}

// ---- the list filter --------------------------------------------------------------------

/// `/` in a list: each edit filters the rows at once; Enter keeps the filter, Esc clears it.
pub struct ListFilter {
    pub input: TextInput,
}

impl ListFilter {
    pub fn new(current: &str) -> ListFilter {
        ListFilter {
            input: TextInput::line(current),
        }
    }
}

impl Component for ListFilter {
    fn on_key(&mut self, key: &KeyEvent, _cx: &Ctx) -> Outcome {
        match text_key(key, &mut self.input, Scope::Prompt) {
            Key::Act(Action::Open) => Outcome::close(),
            Key::Act(Action::Back) => Outcome::Close(vec![Effect::SetFilter(String::new())]),
            Key::Edited => Outcome::Consumed(vec![Effect::SetFilter(self.input.text())]),
            Key::Moved | Key::Act(_) => Outcome::done(),
            Key::None => Outcome::Ignored,
        }
    }
    fn on_paste(&mut self, text: &str, _cx: &Ctx) -> Outcome {
        let _ = self.input.paste(&printable(text));
        Outcome::Consumed(vec![Effect::SetFilter(self.input.text())])
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        // A line at the foot of the pane, above the status bar.
        let r = Rect {
            y: area.y + area.height.saturating_sub(1),
            height: 1.min(area.height),
            ..area
        };
        frame.render_widget(Clear, r);
        let [label, field, help] = Layout::horizontal([
            Constraint::Length(9),
            Constraint::Min(10),
            Constraint::Length(24),
        ])
        .areas(r);
        frame.render_widget(Span::styled(" filter: ", cx.theme.key), label);
        self.input.draw(frame, field);
        frame.render_widget(
            Span::styled("  Enter keep · Esc clear", cx.theme.muted),
            help,
        );
    }
    fn hints(&self) -> Vec<(String, String)> {
        component::hints(&[("type", "filter"), ("Enter", "keep"), ("Esc", "clear")])
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Prompt, Scope::TextInput]
    }
    fn takes_text(&self) -> bool {
        true
    }
    any_component!();
}

/// The layer that asks for a triage step (`r`, `s`, `o`) on `target`, or why it cannot.
pub fn triage_layer(
    action: Action,
    target: Target,
    cx: &Ctx,
) -> Result<Box<dyn Component>, String> {
    if cx.user.is_none() {
        return Err(
            "who are you? start aims with --as PERSON, or add your login to people in aims.yaml"
                .into(),
        );
    }
    let record = cx.ws.get(&target.record);
    if record.is_some_and(|r| cx.ws.unreadable.contains(&r.path)) {
        return Err(format!(
            "{} no longer parses: fix the file first",
            target.record
        ));
    }
    match action {
        Action::MarkReviewed if triage::is_action(target.kind) => {
            Ok(Box::new(Prompt::new(Ask::DoneNote, target)))
        }
        Action::MarkReviewed => {
            if !record.is_some_and(|r| crate::rules::spec(r.kind).reviewed) {
                return Err(format!(
                    "{} has no review cycle: open it (Enter) to update it",
                    target.record
                ));
            }
            let since = super::history::SinceReviewPanel::new(cx.ws, &target.record);
            let mut prompt = Prompt::new(Ask::ReviewNote, target);
            prompt.since = Some(since);
            Ok(Box::new(prompt))
        }
        Action::Reschedule => {
            triage::date_field(target.kind)?;
            Ok(Box::new(Prompt::new(Ask::RescheduleDate, target)))
        }
        Action::Exclude => {
            let Some(r) = record.filter(|r| r.kind == RecordType::Soa) else {
                return Err(format!(
                    "x excludes an SoA control: {} is not an SoA entry",
                    target.record
                ));
            };
            // Re-excluding starts from the justification already written.
            let mut prompt = Prompt::new(Ask::Exclude, target);
            if r.fields.text_is("status", "excluded")
                && let Some(why) = r.fields.text("justification")
            {
                prompt.input = TextInput::line(&one_line(&why));
            }
            Ok(Box::new(prompt))
        }
        _ => {
            triage::owner_field(target.kind)?;
            Ok(Box::new(PersonPicker::new(target, cx)))
        }
    }
}

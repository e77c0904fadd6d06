//! A record's history from git, as layers: `H` opens [`HistoryView`] (each commit that
//! touched the record, and per commit its field changes old → new); marking a record
//! reviewed shows [`SinceReview`] under the note prompt ([`SinceReviewPanel`]). Both read
//! git on a worker thread ([`Job`]): the layer opens at once and fills in when the answer
//! comes.

use super::component::{self, Component, Ctx, Outcome};
use super::jobs::{Done, Job};
use super::keys::{self, Action, Scope};
use super::theme::Theme;
use super::widgets::{block, centered, truncate};
use crate::any_component;
use crate::domain::text::one_line;
use crate::workspace::Workspace;
use crate::workspace::history::{
    RecordHistory, SinceReview, Touch, record_history, since_last_review,
};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use std::cell::Cell;

/// The worker's answer for [`HistoryView`].
struct HistoryLoaded(RecordHistory);

/// The worker's answer for [`SinceReviewPanel`].
struct SinceLoaded(String, SinceReview);

/// `H`: a record's history, newest first, scrolled with the arrows.
pub struct HistoryView {
    pub id: String,
    /// `None` while git is being read.
    pub history: Option<RecordHistory>,
    job: Option<Job>,
    scroll: usize,
    /// Rows shown at the last draw, for paging and for clamping the scroll.
    shown: Cell<(usize, usize)>,
}

impl HistoryView {
    /// The view of record `id`, with the job that reads its history. A record not in the
    /// workspace gets an empty history saying so.
    pub fn new(ws: &Workspace, id: &str) -> HistoryView {
        let (job, history) = match ws.get(id) {
            Some(record) => {
                let (root, record) = (ws.root.clone(), record.clone());
                let job = Job::new("aims-history", move || {
                    HistoryLoaded(record_history(&root, &record))
                });
                (Some(job), None)
            }
            None => (
                None,
                Some(RecordHistory {
                    id: id.to_string(),
                    notes: vec![format!("{} is not in the workspace", one_line(id))],
                    ..RecordHistory::default()
                }),
            ),
        };
        HistoryView {
            id: id.to_string(),
            history,
            job,
            scroll: 0,
            shown: Cell::new((0, 0)),
        }
    }

    /// The lines of the view: notes first, then one block per commit.
    pub fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let Some(h) = &self.history else {
            return vec![Line::styled("reading the history from git…", theme.muted)];
        };
        let mut out: Vec<Line> = h
            .notes
            .iter()
            .map(|n| Line::styled(format!("! {}", one_line(n)), theme.warning))
            .collect();
        if h.entries.is_empty() && h.notes.is_empty() {
            out.push(Line::styled(
                "no commit has touched this record yet",
                theme.muted,
            ));
        }
        for e in &h.entries {
            if !out.is_empty() {
                out.push(Line::raw(""));
            }
            let when = match &e.commit {
                Some(c) => format!("{}  {}", short_date(&e.date), &c[..c.len().min(7)]),
                None => "not committed".to_string(),
            };
            out.push(Line::from(vec![
                Span::styled(when, theme.header),
                Span::raw("  "),
                Span::styled(one_line(&e.author), theme.key),
                Span::raw("  "),
                Span::styled(one_line(&e.message), theme.base),
            ]));
            let touch = match &e.touch {
                // A new record's fields are its first version, not changes: counted only.
                Touch::Added => Some(format!(
                    "created: {}",
                    super::widgets::plural(e.changes.len(), "field")
                )),
                Touch::Deleted => Some("deleted".to_string()),
                Touch::Renamed { from } => Some(format!("renamed from {from}")),
                Touch::Modified | Touch::Uncommitted => None,
            };
            if let Some(t) = touch {
                out.push(Line::styled(format!("  {t}"), theme.muted));
            }
            if let Some(p) = &e.problem {
                out.push(Line::styled(format!("  {}", one_line(p)), theme.error));
            }
            if e.changes.is_empty() && e.problem.is_none() && e.touch == Touch::Modified {
                out.push(Line::styled("  no field changed", theme.muted));
            }
            let changes = if e.touch == Touch::Added {
                &[][..]
            } else {
                &e.changes[..]
            };
            for c in changes {
                out.push(Line::from(vec![
                    Span::styled(format!("  {}: ", c.field), theme.muted),
                    Span::styled(c.summary(), theme.base),
                ]));
            }
        }
        out
    }
}

/// `2026-03-04T10:15:00+01:00` → `2026-03-04 10:15`.
fn short_date(iso: &str) -> String {
    match (iso.get(..10), iso.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => iso.to_string(),
    }
}

impl Component for HistoryView {
    fn on_key(&mut self, key: &KeyEvent, _cx: &Ctx) -> Outcome {
        let Some(action) = keys::action_in(key, Scope::History) else {
            return Outcome::Ignored;
        };
        let (shown, total) = self.shown.get();
        let last = total.saturating_sub(shown);
        let page = shown.saturating_sub(1).max(1);
        self.scroll = match action {
            Action::Back => return Outcome::close(),
            Action::Up => self.scroll.saturating_sub(1),
            Action::Down => self.scroll + 1,
            Action::PageUp => self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll + page,
            Action::Top => 0,
            Action::Bottom => last,
            _ => return Outcome::Ignored,
        }
        .min(last);
        Outcome::done()
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let r = centered(area, 100, area.height);
        frame.render_widget(Clear, r);
        let title = format!("History of {}", self.id);
        let outer = block(cx.theme, &title);
        let inner = outer.inner(r);
        frame.render_widget(outer, r);
        let width = usize::from(inner.width);
        let lines: Vec<Line> = self
            .lines(cx.theme)
            .into_iter()
            .map(|l| fit(l, width))
            .collect();
        let shown = usize::from(inner.height);
        self.shown.set((shown, lines.len()));
        let scroll = self.scroll.min(lines.len().saturating_sub(shown));
        frame.render_widget(
            Paragraph::new(lines[scroll..].to_vec()).style(cx.theme.base),
            inner,
        );
    }
    fn hints(&self) -> Vec<(String, String)> {
        component::scope_hints(Scope::History)
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::History]
    }
    fn take_jobs(&mut self) -> Vec<Job> {
        self.job.take().into_iter().collect()
    }
    fn on_done(&mut self, done: &mut Option<Done>) {
        if self.history.is_some() {
            return;
        }
        if let Some(d) = done.take() {
            match d.downcast::<HistoryLoaded>() {
                Ok(h) if h.0.id == self.id => self.history = Some(h.0),
                Ok(other) => *done = Some(other),
                Err(other) => *done = Some(other),
            }
        }
    }
    any_component!();
}

/// A line cut to `width` columns (one row per line, so scrolling counts rows).
pub fn fit(line: Line<'static>, width: usize) -> Line<'static> {
    let mut left = width;
    let spans = line
        .spans
        .into_iter()
        .filter_map(|s| {
            if left == 0 {
                return None;
            }
            let text = truncate(&s.content, left);
            left = left.saturating_sub(super::widgets::width(&text));
            Some(Span::styled(text, s.style))
        })
        .collect::<Vec<_>>();
    Line::from(spans).style(line.style)
}

/// What changed in a record since its last review, shown under the review note prompt
/// (read in the background: the prompt takes the note at once, the list fills in).
pub struct SinceReviewPanel {
    pub id: String,
    /// `None` while git is being read.
    pub since: Option<SinceReview>,
    job: Option<Job>,
}

impl SinceReviewPanel {
    pub fn new(ws: &Workspace, id: &str) -> SinceReviewPanel {
        let job = ws.get(id).map(|record| {
            let (root, record, id) = (ws.root.clone(), record.clone(), id.to_string());
            Job::new("aims-since-review", move || {
                SinceLoaded(id, since_last_review(&root, &record))
            })
        });
        SinceReviewPanel {
            id: id.to_string(),
            since: None,
            job,
        }
    }

    /// What the panel says.
    pub fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let Some(s) = &self.since else {
            return vec![Line::styled(
                "reading what changed since the last review…",
                theme.muted,
            )];
        };
        let mut out = Vec::new();
        if let Some(on) = &s.reviewed_on {
            let head = match s.changes.len() {
                0 if s.baseline.is_some() => format!("nothing changed since the review of {on}"),
                _ if s.baseline.is_none() => format!("last reviewed {on}"),
                n => format!(
                    "changed since the review of {on}: {}",
                    super::widgets::plural(n, "field")
                ),
            };
            out.push(Line::styled(head, theme.header));
        }
        for n in &s.notes {
            out.push(Line::styled(one_line(n), theme.warning));
        }
        for c in &s.changes {
            out.push(Line::from(vec![
                Span::styled(format!("{}: ", c.field), theme.muted),
                Span::styled(c.summary(), theme.base),
            ]));
        }
        out
    }

    /// Splits `area`: the part above for the prompt (returned), the panel drawn below.
    pub fn draw_below(&self, frame: &mut Frame, area: Rect, cx: &Ctx) -> Rect {
        let lines = self.lines(cx.theme);
        let want = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let [top, bottom] = Layout::vertical([
            Constraint::Min(5),
            Constraint::Length(want.min(area.height / 2)),
        ])
        .areas(area);
        let r = centered(bottom, 70, bottom.height);
        frame.render_widget(Clear, r);
        let title = format!("{}: since the last review", self.id);
        let outer = block(cx.theme, &title);
        let inner = outer.inner(r);
        frame.render_widget(outer, r);
        let width = usize::from(inner.width);
        let lines: Vec<Line> = lines.into_iter().map(|l| fit(l, width)).collect();
        frame.render_widget(Paragraph::new(lines).style(cx.theme.base), inner);
        top
    }

    pub fn take_jobs(&mut self) -> Vec<Job> {
        self.job.take().into_iter().collect()
    }

    pub fn on_done(&mut self, done: &mut Option<Done>) {
        if self.since.is_some() {
            return;
        }
        if let Some(d) = done.take() {
            match d.downcast::<SinceLoaded>() {
                Ok(s) if s.0 == self.id => self.since = Some(s.1),
                Ok(other) => *done = Some(other),
                Err(other) => *done = Some(other),
            }
        }
    }
}

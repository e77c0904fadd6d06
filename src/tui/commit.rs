//! The commit dialog (`Ctrl-G`): the records changed since the last commit, each with its
//! field changes (`HEAD`'s version against the file), and a message written from them
//! that the user edits before `Ctrl-S` commits. The changes are read by a job (git runs off
//! the UI thread); the commit is an [`Effect::Commit`] the app hands to a worker too.

use super::component::{self, Component, Ctx, Effect, Outcome};
use super::editor::TextInput;
use super::history::fit;
use super::jobs::{Done, Job};
use super::keys::{self, Action, Scope};
use super::theme::Theme;
use super::widgets::{block, centered, plural};
use crate::any_component;
use crate::domain::text::one_line;
use crate::workspace::commit::{CommitRequest, Pending, pending};
use crate::workspace::history::Touch;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use std::cell::Cell;

/// The worker's answer.
struct PendingRead(Pending);

/// Rows of the message editor at least.
const MESSAGE_ROWS: u16 = 3;

pub struct CommitDialog {
    /// `None` while git is being read.
    pub pending: Option<Pending>,
    /// The message, editable once the changes are read.
    pub message: TextInput,
    job: Option<Job>,
    scroll: usize,
    /// Rows of changes shown at the last draw, for paging.
    shown: Cell<usize>,
}

impl CommitDialog {
    /// The dialog, with the job that reads what changed.
    pub fn new(cx: &Ctx) -> CommitDialog {
        let (root, settings) = (cx.ws.root.clone(), cx.ws.settings.clone());
        let (user, today) = (cx.user.map(str::to_string), cx.today);
        let job = Job::new("aims-commit-read", move || {
            PendingRead(pending(&root, &settings, user.as_deref(), today))
        });
        CommitDialog {
            pending: None,
            message: TextInput::area(""),
            job: Some(job),
            scroll: 0,
            shown: Cell::new(0),
        }
    }

    /// The changes, record by record: what the commit will hold.
    pub fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let Some(p) = &self.pending else {
            return vec![Line::styled("reading the changes from git…", theme.muted)];
        };
        let mut out = Vec::new();
        if let Some(r) = &p.refusal {
            out.push(Line::styled(format!("! {}", one_line(r)), theme.warning));
        }
        if !p.records.is_empty() || p.settings {
            let who = match (&p.author, &p.git_identity) {
                (Some((name, email)), _) => format!("{} <{}>", one_line(name), one_line(email)),
                (None, Some(git)) => format!("{} (git config)", one_line(git)),
                (None, None) => "nobody yet: add `email:` to your entry in aims.yaml".into(),
            };
            let mut what = plural(p.records.len(), "record");
            if p.settings {
                what.push_str(" and aims.yaml");
            }
            out.push(Line::from(vec![
                Span::styled(format!("{what}, committed as "), theme.muted),
                Span::styled(who, theme.key),
            ]));
        }
        for r in &p.records {
            let how = match r.touch {
                Touch::Added => "new",
                Touch::Deleted => "deleted",
                _ => "changed",
            };
            out.push(Line::from(vec![
                Span::styled(one_line(&r.id), theme.header),
                Span::styled(format!("  {how}  {}", r.path), theme.muted),
            ]));
            if let Some(problem) = &r.problem {
                out.push(Line::styled(
                    format!("  {}", one_line(problem)),
                    theme.error,
                ));
            }
            // A new record's fields are its first version, not changes: counted only.
            if r.touch == Touch::Added || r.touch == Touch::Deleted {
                continue;
            }
            for c in &r.changes {
                out.push(Line::from(vec![
                    Span::styled(format!("  {}: ", c.field), theme.muted),
                    Span::styled(c.summary(), theme.base),
                ]));
            }
        }
        if p.settings {
            out.push(Line::from(vec![
                Span::styled("aims.yaml", theme.header),
                Span::styled("  changed  (the settings)", theme.muted),
            ]));
        }
        out
    }

    /// What `Ctrl-S` does: the commit request, or why there is none.
    fn request(&self) -> Result<CommitRequest, String> {
        let p = self
            .pending
            .as_ref()
            .ok_or("still reading the changes from git: a moment")?;
        if let Some(r) = &p.refusal {
            return Err(one_line(r));
        }
        if self.message.text().trim().is_empty() {
            return Err("the message is empty: write what changed".into());
        }
        Ok(CommitRequest {
            message: self.message.text().trim_end().to_string(),
            paths: p.paths.clone(),
            author: p.author.clone(),
        })
    }
}

impl Component for CommitDialog {
    fn on_key(&mut self, key: &KeyEvent, _cx: &Ctx) -> Outcome {
        let page = self.shown.get().saturating_sub(1).max(1);
        match keys::action_in(key, Scope::Commit) {
            Some(Action::Back) => return Outcome::close(),
            Some(Action::Save) => {
                return match self.request() {
                    Ok(req) => Outcome::Close(vec![
                        Effect::Status("committing…".into(), false),
                        Effect::Commit(req),
                    ]),
                    Err(e) => Outcome::status(e, true),
                };
            }
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(page),
            Some(Action::PageDown) => self.scroll += page,
            _ if self.pending.is_some() => {
                if self.message.on_key(key) == super::editor::Edit::Ignored {
                    return Outcome::Ignored;
                }
            }
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }
    fn on_paste(&mut self, text: &str, _cx: &Ctx) -> Outcome {
        match self.message.paste(text) {
            Ok(()) => Outcome::done(),
            Err(e) => Outcome::status(e, true),
        }
    }
    fn draw(&self, frame: &mut Frame, area: Rect, cx: &Ctx) {
        let r = centered(area, 100, area.height);
        frame.render_widget(Clear, r);
        let outer = block(cx.theme, "Commit to git");
        let inner = outer.inner(r);
        frame.render_widget(outer, r);
        // The message as tall as it is (a line to grow into), up to half the dialog.
        let rows = (self.message.lines().len() as u16 + 1)
            .max(MESSAGE_ROWS)
            .min(inner.height / 2);
        let [changes, label, message] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(rows),
        ])
        .areas(inner);
        let width = usize::from(changes.width);
        let lines: Vec<Line> = self
            .lines(cx.theme)
            .into_iter()
            .map(|l| fit(l, width))
            .collect();
        let shown = usize::from(changes.height);
        self.shown.set(shown);
        let scroll = self.scroll.min(lines.len().saturating_sub(shown));
        frame.render_widget(
            Paragraph::new(lines[scroll..].to_vec()).style(cx.theme.base),
            changes,
        );
        let more = lines.len().saturating_sub(scroll + shown);
        let title = match more {
            0 => "Message".to_string(),
            n => format!("Message · {n} more lines of changes above it (PgDn)"),
        };
        frame.render_widget(
            Paragraph::new(fit(Line::styled(title, cx.theme.header), width)),
            label,
        );
        self.message.draw(frame, message);
    }
    fn hints(&self) -> Vec<(String, String)> {
        component::scope_hints(Scope::Commit)
    }
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Commit, Scope::TextInput]
    }
    fn takes_text(&self) -> bool {
        true
    }
    fn take_jobs(&mut self) -> Vec<Job> {
        self.job.take().into_iter().collect()
    }
    fn on_done(&mut self, done: &mut Option<Done>) {
        if self.pending.is_some() {
            return;
        }
        if let Some(d) = done.take() {
            match d.downcast::<PendingRead>() {
                Ok(p) => {
                    // The cursor on a paragraph of its own, after a blank line: what is
                    // typed adds to the message instead of running into its last line.
                    // (The editor reads lines, so the final line break makes no line.)
                    self.message = TextInput::area(&format!("{}\n\n\n", p.0.message));
                    self.pending = Some(p.0);
                }
                Err(other) => *done = Some(other),
            }
        }
    }
    any_component!();
}

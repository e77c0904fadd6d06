//! Home's setup steps: on a new or nearly empty workspace, what to set up next, in order,
//! each with its state; Enter on a step goes to do it. Which steps are done is the core's
//! (`rules::setup`); this is where they are shown and chosen. The section stays until every
//! step is done, or the user hides it (`x` on Home; remembered per workspace in
//! `.aims/setup-dismissed`); `x` again, or "setup" in the finder, brings it back.

use super::component::{Ctx, Effect};
use super::index::Index;
use super::pane::Pane;
use super::widgets::{block, truncate, width};
use crate::domain::RecordType;
use crate::rules::setup::{Step, StepKind, all_done, steps};
use crate::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};
use std::cell::RefCell;

/// The setup section's cursor (Home's j/k move it while the section is shown): on the
/// first step still to do until moved, and again once a step was entered.
#[derive(Debug, Default)]
pub struct Setup {
    pub cursor: Option<usize>,
    /// The steps as last worked out, for which change of the workspace
    /// (`Index::refreshes`) and hidden state: Home draws them on every frame, and working
    /// them out passes over every record (100,000 of them at scale).
    memo: RefCell<Option<(MemoKey, Option<Vec<Step>>)>>,
}

/// `Index::refreshes` and whether the steps are hidden.
type MemoKey = (usize, bool);

/// The marker of hidden setup steps, under the workspace (a preference of this workspace,
/// not a record).
pub const DISMISSED: &str = ".aims/setup-dismissed";

pub fn hidden(ws: &Workspace) -> bool {
    ws.root.join(DISMISSED).exists()
}

/// What Enter on a step does: effects to run, or a pane to show.
pub enum Go {
    Effects(Vec<Effect>),
    Pane(Pane),
}

impl Setup {
    /// The steps while the section is shown; `None` once every step is done, or hidden.
    pub fn shown(&self, ws: &Workspace, index: &Index) -> Option<Vec<Step>> {
        let key = (index.refreshes, hidden(ws));
        let mut memo = self.memo.borrow_mut();
        match &*memo {
            Some((k, steps)) if *k == key => steps.clone(),
            _ => {
                let steps =
                    Some(steps(&ws.settings, &ws.records)).filter(|s| !key.1 && !all_done(s));
                *memo = Some((key, steps.clone()));
                steps
            }
        }
    }

    /// Hides the steps, or shows them again (`show`); what the status line says.
    pub fn set_hidden(ws: &Workspace, hide: bool) -> Result<String, String> {
        let marker = ws.root.join(DISMISSED);
        let done = if hide {
            std::fs::create_dir_all(ws.root.join(".aims"))
                .and_then(|()| std::fs::write(&marker, "the setup steps are hidden on Home\n"))
        } else {
            std::fs::remove_file(&marker).or_else(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Ok(()),
                _ => Err(e),
            })
        };
        done.map_err(|e| format!("{}: {e}", marker.display()))?;
        Ok(if hide {
            "setup steps hidden: x on Home (or \"setup\" in Ctrl-P) shows them again".into()
        } else {
            "setup steps shown on Home".into()
        })
    }

    fn at(&self, steps: &[Step]) -> usize {
        self.cursor
            .or_else(|| steps.iter().position(|s| !s.done))
            .unwrap_or(0)
            .min(steps.len().saturating_sub(1))
    }

    pub fn step_by(&mut self, delta: isize, ws: &Workspace, index: &Index) {
        let Some(steps) = self.shown(ws, index) else {
            return;
        };
        let n = steps.len() as isize;
        self.cursor = Some((self.at(&steps) as isize + delta).clamp(0, n - 1) as usize);
    }

    /// Enter on the step under the cursor: the Settings form for settings and the risk
    /// method; a step to do opens the form of its first record (the SoA: the first control
    /// not assessed); a step done shows its pane.
    pub fn enter(&mut self, ws: &Workspace, index: &Index) -> Option<Go> {
        let steps = self.shown(ws, index)?;
        let step = steps.get(self.at(&steps))?;
        self.cursor = None;
        let kind = match step.kind {
            StepKind::Settings => {
                // On the first thing missing.
                let s = &ws.settings;
                let at = if s.scope.trim().is_empty() {
                    "scope"
                } else if s.roles_held.is_empty() {
                    "roles_held"
                } else {
                    "people"
                };
                return Some(Go::Effects(vec![Effect::OpenSettings(Some(at))]));
            }
            // Who accepts risks above appetite is the step left to do here.
            StepKind::RiskMethod => {
                let at = if step.done {
                    "risk_method"
                } else {
                    "top_management"
                };
                return Some(Go::Effects(vec![Effect::OpenSettings(Some(at))]));
            }
            _ => step.kind.record_type()?,
        };
        if step.done {
            return Some(Go::Pane(Pane::of_type(kind)));
        }
        if kind == RecordType::Soa {
            // In Annex A order (A.2.2 first), not the files' order (A.10.2 sorts first).
            let open = (crate::domain::catalog::CONTROLS.iter())
                .filter_map(|c| ws.get(c.id))
                .find(|r| r.fields.text("status").as_deref() == Some("not-assessed"));
            return Some(match open {
                Some(r) => Go::Effects(vec![Effect::EditRecord(r.id.clone())]),
                None => Go::Pane(Pane::Soa),
            });
        }
        Some(Go::Effects(vec![Effect::NewRecord(kind)]))
    }

    /// Draws the steps at the top of `area` while they are shown; returns the area left.
    pub fn draw(&self, frame: &mut Frame, cx: &Ctx, area: Rect) -> Rect {
        let Some(steps) = self.shown(cx.ws, cx.index) else {
            return area;
        };
        let t = cx.theme;
        let rows = steps.len() as u16 + 2;
        let [top, rest] =
            Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(area);
        let room = top.width.saturating_sub(2) as usize;
        let items: Vec<ListItem> = steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (mark, style) = if s.done {
                    ("✓ done ", t.ok)
                } else {
                    ("□ to do", t.warning)
                };
                let head = format!("{}. {:<26}", i + 1, s.title);
                let left = room.saturating_sub(width(mark) + width(&head) + 2);
                ListItem::new(Line::from(vec![
                    Span::styled(mark, style),
                    Span::raw(format!(" {head} ")),
                    Span::styled(truncate(&s.state, left), t.muted),
                ]))
            })
            .collect();
        let list = List::new(items).highlight_style(t.selection).block(block(
            t,
            "Set up the AIMS · j/k choose · Enter does it · x hides",
        ));
        let mut state = ListState::default().with_selected(Some(self.at(&steps)));
        frame.render_stateful_widget(list, top, &mut state);
        rest
    }
}

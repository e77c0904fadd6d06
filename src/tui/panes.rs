//! The panes under the layers: each one's cursor, filter, sort and scroll. Every cursor
//! remembers the record (or obligation) it is on by id, so a reload that moves records
//! keeps it on the same one; the rows are a cache of positions rebuilt after any change.

use super::component::Target;
use super::index::Index;
use super::keys::{Action, Scope};
use super::pane::Pane;
use crate::domain::dates::Date;
use crate::domain::{Record, RecordType};
use crate::rules::due::{DueItem, DueKind, DueState};
use crate::workspace::Workspace;
use chrono::Datelike;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A list pane's cursor, filter and sort; `rows` caches the record positions it shows.
#[derive(Debug, Default, Clone)]
pub struct ListState {
    pub cursor: usize,
    /// The id of the record under the cursor: the cursor follows it across reloads.
    pub selected: Option<String>,
    pub filter: String,
    /// Index into the pane's columns (0 = id).
    pub sort: usize,
    pub rows: Vec<usize>,
}

impl ListState {
    pub fn selected<'a>(&self, ws: &'a Workspace) -> Option<&'a Record> {
        self.rows.get(self.cursor).and_then(|&i| ws.records.get(i))
    }
}

#[derive(Debug, Clone)]
pub struct HeatState {
    /// (likelihood, impact), 1-based.
    pub cell: (u32, u32),
    pub residual: bool,
    /// The Risks pane shows the flat register (the Risks list) instead of the map.
    pub register: bool,
    pub cursor: usize,
    /// The risk under the cursor, by id.
    pub selected: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CalendarState {
    pub day: Date,
    pub cursor: usize,
    pub mine: bool,
}

/// What Enter on a pane opens.
pub enum Enter {
    /// The walk of an audit with a checklist.
    Walk(String),
    /// A record's detail, and the field to highlight (a finding's, from Problems).
    Record(String, Option<String>),
    /// Effects to run (a setup step on Home: open Settings, a new record's form).
    Effects(Vec<super::component::Effect>),
}

/// An obligation by what it is about, not by its place in the due list.
type DueKey = (String, DueKind, Option<usize>);

fn due_key(d: &DueItem) -> DueKey {
    (d.record.clone(), d.kind, d.index)
}

pub struct Panes {
    pub pane: Pane,
    pub lists: HashMap<Pane, ListState>,
    pub heat: HeatState,
    pub calendar: CalendarState,
    pub home_cursor: usize,
    /// Home shows only the user's items (`m`, as in the Calendar).
    pub home_mine: bool,
    pub problems_cursor: usize,
    /// The Home and Calendar items under their cursors, by what they are about.
    home_selected: Option<DueKey>,
    calendar_selected: Option<DueKey>,
    /// The finding under the Problems cursor.
    problems_selected: Option<crate::domain::Finding>,
    /// The series of the Trends pane and Home's sparklines (read from git while one of
    /// them is shown, and again when `HEAD` moves).
    pub trends: super::trends::TrendsState,
    /// The working tree against git's `HEAD` (the uncommitted count), and a commit.
    pub repo: super::repo::RepoState,
    /// Home's setup steps (shown on a new workspace; they take Home's j/k and Enter).
    pub setup: super::setup::Setup,
}

impl Panes {
    /// The scopes of the pane's keys, most specific first.
    pub fn scopes(&self) -> Vec<Scope> {
        match self.pane {
            Pane::Risks if self.heat.register => vec![Scope::List, Scope::Risks],
            Pane::Risks => vec![Scope::Heatmap, Scope::Risks],
            Pane::Calendar => vec![Scope::Calendar],
            Pane::Trends => vec![],
            Pane::Home => vec![Scope::List, Scope::Home],
            Pane::Soa => vec![Scope::List, Scope::Soa],
            Pane::Reviews => vec![Scope::List, Scope::Reviews],
            _ => vec![Scope::List],
        }
    }

    pub fn new(today: Date) -> Panes {
        Panes {
            pane: Pane::Home,
            lists: HashMap::new(),
            heat: HeatState {
                cell: (3, 3),
                residual: false,
                register: false,
                cursor: 0,
                selected: None,
            },
            calendar: CalendarState {
                day: today,
                cursor: 0,
                mine: false,
            },
            home_cursor: 0,
            home_mine: false,
            problems_cursor: 0,
            home_selected: None,
            calendar_selected: None,
            problems_selected: None,
            trends: Default::default(),
            repo: Default::default(),
            setup: Default::default(),
        }
    }

    pub fn list(&self, pane: Pane) -> Option<&ListState> {
        self.lists.get(&pane)
    }

    /// After the workspace changed: rebuilds (or patches, when no record moved) the rows
    /// of the panes showing `kinds` (all when `None`) and puts every cursor back on the
    /// record it was on. Returns a status line when a selected record is gone.
    pub fn follow(
        &mut self,
        ws: &Workspace,
        index: &Index,
        kinds: Option<&HashSet<RecordType>>,
        patch: Option<&BTreeSet<String>>,
        user: Option<&str>,
    ) -> Option<String> {
        let mut gone = None;
        for pane in Pane::ALL {
            let types = pane.record_types();
            if types.is_empty() || kinds.is_some_and(|k| !types.iter().any(|t| k.contains(t))) {
                continue;
            }
            match patch {
                Some(ids) => self.patch_rows(pane, ws, index, ids),
                None => self.rebuild_rows(pane, ws, index),
            }
            self.reselect(pane, ws, &mut gone);
        }
        if let Some(i) = self
            .problems_selected
            .as_ref()
            .and_then(|f| index.findings.iter().position(|x| x == f))
        {
            self.problems_cursor = i;
        }
        self.problems_cursor = self
            .problems_cursor
            .min(index.findings.len().saturating_sub(1));
        // Home and Calendar: back on the same obligation, or the nearest row.
        if let Some(key) = &self.home_selected {
            let items = self.home_items(index, user);
            if let Some(i) = items.iter().position(|d| due_key(d) == *key) {
                self.home_cursor = i;
            }
            self.home_cursor = self.home_cursor.min(items.len().saturating_sub(1));
        }
        if let Some(key) = &self.calendar_selected {
            let items = self.agenda(index, user);
            if let Some(i) = items.iter().position(|d| due_key(d) == *key) {
                self.calendar.cursor = i;
            }
            self.calendar.cursor = self.calendar.cursor.min(items.len().saturating_sub(1));
        }
        // The heat map: back on the same risk in its cell (a walk that stops at it, not a
        // list of the cell's risks: a save must not cost a pass over every risk).
        let at = self
            .heat
            .selected
            .as_ref()
            .and_then(|id| self.cell_iter(ws).position(|r| r.id == *id));
        match at {
            Some(i) => self.heat.cursor = i,
            None if self.heat.cursor > 0 => {
                let n = self.cell_iter(ws).take(self.heat.cursor + 1).count();
                self.heat.cursor = self.heat.cursor.min(n.saturating_sub(1));
            }
            None => {}
        }
        self.remember(ws, index, user);
        gone
    }

    /// Puts a list's cursor back on its remembered record, or on the nearest row.
    fn reselect(&mut self, pane: Pane, ws: &Workspace, gone: &mut Option<String>) {
        let Some(list) = self.lists.get_mut(&pane) else {
            return;
        };
        let Some(id) = list.selected.clone() else {
            return;
        };
        match ws
            .index_of(&id)
            .and_then(|i| list.rows.iter().position(|&x| x == i))
        {
            Some(pos) => list.cursor = pos,
            None => {
                list.cursor = list.cursor.min(list.rows.len().saturating_sub(1));
                let now = list.selected(ws).map(|r| r.id.clone());
                if ws.get(&id).is_none() && pane == self.pane {
                    *gone = Some(match &now {
                        Some(n) => format!("{id} is gone (deleted or renamed outside): now on {n}"),
                        None => format!("{id} is gone (deleted or renamed outside)"),
                    });
                }
                list.selected = now;
            }
        }
    }

    /// Records what every cursor is on now, by id (after the workspace changed).
    pub fn remember(&mut self, ws: &Workspace, index: &Index, user: Option<&str>) {
        let current = self.pane;
        for pane in [Pane::Home, Pane::Calendar, Pane::Problems, Pane::Risks] {
            self.pane = pane;
            self.remember_here(ws, index, user);
        }
        for list in self.lists.values_mut() {
            list.selected = list.selected(ws).map(|r| r.id.clone());
        }
        self.pane = current;
    }

    /// Records what the current pane's cursor is on (after a move: one pane's work, not
    /// every pane's, so a key costs the same in a large workspace).
    fn remember_here(&mut self, ws: &Workspace, index: &Index, user: Option<&str>) {
        match self.pane {
            Pane::Home => {
                self.home_selected = self
                    .home_items(index, user)
                    .get(self.home_cursor)
                    .map(|d| due_key(d))
            }
            Pane::Problems => {
                self.problems_selected = index.findings.get(self.problems_cursor).cloned()
            }
            Pane::Calendar => {
                self.calendar_selected = self
                    .agenda(index, user)
                    .get(self.calendar.cursor)
                    .map(|d| due_key(d))
            }
            Pane::Risks => {
                let selected = self
                    .cell_iter(ws)
                    .nth(self.heat.cursor)
                    .map(|r| r.id.clone());
                self.heat.selected = selected;
                if let Some(list) = self.lists.get_mut(&Pane::Risks) {
                    list.selected = list.selected(ws).map(|r| r.id.clone());
                }
            }
            pane => {
                if let Some(list) = self.lists.get_mut(&pane) {
                    list.selected = list.selected(ws).map(|r| r.id.clone());
                }
            }
        }
    }

    pub fn rebuild_rows(&mut self, pane: Pane, ws: &Workspace, index: &Index) {
        let types = pane.record_types();
        let state = self.lists.entry(pane).or_default().clone();
        let needle = state.filter.to_lowercase();
        let mut rows: Vec<usize> = ws
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| types.contains(&r.kind))
            .filter(|(i, _)| row_shown(ws, index, pane, &needle, *i))
            .map(|(i, _)| i)
            .collect();
        rows.sort_by_cached_key(|&i| row_key(ws, index, pane, state.sort, i));
        let entry = self.lists.entry(pane).or_default();
        entry.rows = rows;
        entry.cursor = entry.cursor.min(entry.rows.len().saturating_sub(1));
    }

    /// Moves the rows of `ids` to where a rebuild would put them (or out, if the filter no
    /// longer keeps them), without sorting the whole pane. Positions must not have moved.
    fn patch_rows(&mut self, pane: Pane, ws: &Workspace, index: &Index, ids: &BTreeSet<String>) {
        let types = pane.record_types();
        let Some(state) = self.lists.get(&pane).cloned() else {
            return self.rebuild_rows(pane, ws, index);
        };
        let needle = state.filter.to_lowercase();
        let touched: Vec<usize> = ids
            .iter()
            .filter_map(|id| ws.index_of(id))
            .filter(|&i| types.contains(&ws.records[i].kind))
            .collect();
        let mut rows = state.rows;
        rows.retain(|i| !touched.contains(i));
        for i in touched {
            if !row_shown(ws, index, pane, &needle, i) {
                continue;
            }
            // Keys end with the id (or are unique per SoA control), so the place is exact.
            let key = row_key(ws, index, pane, state.sort, i);
            let at = rows.partition_point(|&j| row_key(ws, index, pane, state.sort, j) < key);
            rows.insert(at, i);
        }
        let entry = self.lists.entry(pane).or_default();
        entry.rows = rows;
        entry.cursor = entry.cursor.min(entry.rows.len().saturating_sub(1));
    }

    /// Puts a pane's cursor on record `id` (when its rows show it).
    pub fn select_in(&mut self, pane: Pane, ws: &Workspace, id: &str) {
        let Some(i) = ws.index_of(id) else {
            return;
        };
        if let Some(list) = self.lists.get_mut(&pane)
            && let Some(pos) = list.rows.iter().position(|&x| x == i)
        {
            list.cursor = pos;
            list.selected = Some(id.to_string());
        }
    }

    /// Sets a list's filter, keeping the cursor on its record when the filter keeps it.
    pub fn set_filter(&mut self, pane: Pane, ws: &Workspace, index: &Index, filter: &str) {
        let Some(list) = self.lists.get_mut(&pane) else {
            return;
        };
        let old = std::mem::replace(&mut list.filter, filter.to_string()).to_lowercase();
        let keep = list.selected.clone();
        let needle = filter.to_lowercase();
        if !old.is_empty() && needle.starts_with(&old) {
            // The query grew: only rows the shorter one kept can match (already in order).
            list.rows
                .retain(|&i| row_shown(ws, index, pane, &needle, i));
            list.cursor = list.cursor.min(list.rows.len().saturating_sub(1));
        } else {
            self.rebuild_rows(pane, ws, index);
        }
        match keep {
            Some(id)
                if ws.index_of(&id).is_some_and(|i| {
                    self.lists.get(&pane).is_some_and(|l| l.rows.contains(&i))
                }) =>
            {
                self.select_in(pane, ws, &id)
            }
            _ => {
                // On the first row now: remembered, so clearing the filter stays on it.
                if let Some(list) = self.lists.get_mut(&pane) {
                    list.cursor = 0;
                    list.selected = list.selected(ws).map(|r| r.id.clone());
                }
            }
        }
    }

    pub fn sort_next(&mut self, ws: &Workspace, index: &Index) {
        let pane = self.pane;
        let n = Index::columns(pane).len().max(1);
        if let Some(list) = self.lists.get_mut(&pane) {
            list.sort = (list.sort + 1) % n;
        }
        self.rebuild_rows(pane, ws, index);
        if let Some(id) = self.list(pane).and_then(|l| l.selected.clone()) {
            self.select_in(pane, ws, &id);
        }
    }

    /// Shows `pane`, filtered to `filter` when given (the finder's views and registers).
    pub fn go(&mut self, pane: Pane, filter: Option<&str>, ws: &Workspace, index: &Index) {
        self.pane = pane;
        if let Some(text) = filter {
            self.set_filter(pane, ws, index, text);
        }
    }

    /// Hides Home's setup steps, shows them again (and Home), or toggles (`None`); what the
    /// status line says, and whether it is an error.
    pub fn hide_setup(&mut self, ws: &Workspace, hide: Option<bool>) -> (String, bool) {
        let hide = hide.unwrap_or_else(|| !super::setup::hidden(ws));
        if !hide {
            self.pane = Pane::Home;
        }
        super::setup::Setup::set_hidden(ws, hide).map_or_else(|e| (e, true), |s| (s, false))
    }

    /// A key of the panes themselves: moving, sorting, switching, the calendar's month.
    pub fn apply(
        &mut self,
        action: Action,
        ws: &Workspace,
        index: &Index,
        today: Date,
        user: Option<&str>,
    ) {
        let pane = self.pane;
        match action {
            Action::Back if self.list(pane).is_some_and(|l| !l.filter.is_empty()) => {
                self.set_filter(pane, ws, index, "");
            }
            Action::NextPane => self.pane = pane.next(),
            Action::PrevPane => self.pane = pane.prev(),
            Action::GoPane(p) => self.pane = p,
            Action::Sort => self.sort_next(ws, index),
            Action::ToggleResidual => {
                self.heat.residual = !self.heat.residual;
                self.heat.cursor = 0;
            }
            Action::ToggleRegister => {
                self.heat.register = !self.heat.register;
                // The same risk stays under the cursor in either view.
                if self.heat.register {
                    if let Some(id) = self.heat.selected.clone() {
                        self.select_in(Pane::Risks, ws, &id);
                    }
                } else if let Some(id) = self.list(Pane::Risks).and_then(|l| l.selected.clone()) {
                    self.show_risk(ws, &id);
                }
            }
            Action::Today => self.calendar.day = today,
            Action::Mine if pane == Pane::Home => {
                self.home_mine = !self.home_mine;
                self.home_cursor = 0;
                self.remember_here(ws, index, user);
            }
            Action::Mine => {
                self.calendar.mine = !self.calendar.mine;
                self.calendar.cursor = 0;
            }
            Action::PrevMonth | Action::NextMonth => {
                let months = chrono::Months::new(1);
                let day = self.calendar.day;
                self.calendar.day = if action == Action::NextMonth {
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
            | Action::Bottom => self.move_cursor(action, ws, index, user),
            // Keys of the layers: not bound on the panes.
            _ => {}
        }
    }

    pub fn move_cursor(
        &mut self,
        action: Action,
        ws: &Workspace,
        index: &Index,
        user: Option<&str>,
    ) {
        let step = |cursor: usize, len: usize| -> usize {
            let last = len.saturating_sub(1);
            match action {
                Action::Up | Action::ListUp => cursor.saturating_sub(1),
                Action::Down | Action::ListDown => (cursor + 1).min(last),
                Action::PageUp => cursor.saturating_sub(10),
                Action::PageDown => (cursor + 10).min(last),
                Action::Top => 0,
                Action::Bottom => last,
                _ => cursor,
            }
        };
        match self.pane {
            Pane::Risks if !self.heat.register => {
                let (l, i) = self.heat.cell;
                let (nl, ni) = (
                    ws.settings.risk.likelihood.len() as u32,
                    ws.settings.risk.impact.len() as u32,
                );
                self.heat.cell = match action {
                    Action::Left => (l.saturating_sub(1).max(1), i),
                    Action::Right => ((l + 1).min(nl), i),
                    Action::Up => (l, (i + 1).min(ni)),
                    Action::Down => (l, i.saturating_sub(1).max(1)),
                    _ => (l, i),
                };
                if matches!(
                    action,
                    Action::Left | Action::Right | Action::Up | Action::Down
                ) {
                    self.heat.cursor = 0;
                } else {
                    let n = self.cell_risks(ws).len();
                    self.heat.cursor = step(self.heat.cursor, n);
                }
            }
            Pane::Calendar => {
                let days = match action {
                    Action::Left => -1,
                    Action::Right => 1,
                    Action::Up => -7,
                    Action::Down => 7,
                    _ => 0,
                };
                if days != 0 {
                    self.calendar.day += chrono::Duration::days(days);
                } else {
                    let n = self.agenda(index, user).len();
                    self.calendar.cursor = step(self.calendar.cursor, n);
                }
            }
            Pane::Home if self.setup.shown(ws, index).is_some() => {
                let delta = match action {
                    Action::Up | Action::ListUp | Action::PageUp | Action::Top => -1,
                    _ => 1,
                };
                self.setup.step_by(delta, ws, index)
            }
            Pane::Home => {
                self.home_cursor = step(self.home_cursor, self.home_items(index, user).len())
            }
            Pane::Problems => {
                self.problems_cursor = step(self.problems_cursor, index.findings.len())
            }
            pane => {
                if let Some(list) = self.lists.get_mut(&pane) {
                    list.cursor = step(list.cursor, list.rows.len());
                }
            }
        }
        self.remember_here(ws, index, user);
    }

    /// The record under the cursor of the current pane, with the obligation it stands for.
    pub fn selection(&self, ws: &Workspace, index: &Index, user: Option<&str>) -> Option<Target> {
        let due_target = |d: &DueItem| Target {
            record: d.record.clone(),
            kind: d.kind,
            index: d.index,
        };
        match self.pane {
            Pane::Home => self
                .home_items(index, user)
                .get(self.home_cursor)
                .map(|d| due_target(d)),
            Pane::Calendar => self
                .agenda(index, user)
                .get(self.calendar.cursor)
                .map(|d| due_target(d)),
            Pane::Problems => {
                let id = index.findings.get(self.problems_cursor)?.record.clone()?;
                Some(default_target(ws, &id))
            }
            Pane::Risks if !self.heat.register => self
                .cell_risks(ws)
                .get(self.heat.cursor)
                .map(|r| default_target(ws, &r.id)),
            pane => {
                let r = self.lists.get(&pane)?.selected(ws)?;
                Some(default_target(ws, &r.id))
            }
        }
    }

    /// What Enter opens here.
    pub fn enter(&mut self, ws: &Workspace, index: &Index, user: Option<&str>) -> Option<Enter> {
        if self.pane == Pane::Home {
            match self.setup.enter(ws, index) {
                Some(super::setup::Go::Effects(effects)) => return Some(Enter::Effects(effects)),
                Some(super::setup::Go::Pane(pane)) => {
                    self.pane = pane;
                    return None;
                }
                None => {}
            }
        }
        if self.pane == Pane::Audits
            && let Some(r) = self.list(Pane::Audits).and_then(|l| l.selected(ws))
            && !r.fields.list("checklist").is_empty()
        {
            return Some(Enter::Walk(r.id.clone()));
        }
        let focus = match self.pane {
            Pane::Problems => index
                .findings
                .get(self.problems_cursor)
                .and_then(|f| f.field.clone()),
            _ => None,
        };
        let target = self.selection(ws, index, user)?;
        Some(Enter::Record(target.record, focus))
    }

    /// The risks in the heat map's selected cell, among those the Risks filter keeps.
    pub fn cell_risks<'a>(&self, ws: &'a Workspace) -> Vec<&'a Record> {
        let shown = self
            .list(Pane::Risks)
            .map(|l| l.rows.as_slice())
            .unwrap_or(&[]);
        self.cell_risks_filtered(ws, shown)
    }

    /// The risks of the heat map's cell, in the register's order, lazily.
    fn cell_iter<'a>(&'a self, ws: &'a Workspace) -> impl Iterator<Item = &'a Record> + 'a {
        self.list(Pane::Risks)
            .map(|l| l.rows.as_slice())
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| ws.records.get(i))
            .filter(|r| self.risk_cell(r) == Some(self.heat.cell))
    }

    pub fn cell_risks_filtered<'a>(&self, ws: &'a Workspace, shown: &[usize]) -> Vec<&'a Record> {
        shown
            .iter()
            .filter_map(|&i| ws.records.get(i))
            .filter(|r| self.risk_cell(r) == Some(self.heat.cell))
            .collect()
    }

    /// A risk's (likelihood, impact) on the map: residual when toggled and recorded.
    pub fn risk_cell(&self, r: &Record) -> Option<(u32, u32)> {
        let f = &r.fields;
        let (l, i) = if self.heat.residual {
            (
                f.int("residual_likelihood").or(f.int("likelihood"))?,
                f.int("residual_impact").or(f.int("impact"))?,
            )
        } else {
            (f.int("likelihood")?, f.int("impact")?)
        };
        Some((u32::try_from(l).ok()?, u32::try_from(i).ok()?))
    }

    /// Puts the heat map on a risk's cell, the cursor on it.
    pub fn show_risk(&mut self, ws: &Workspace, id: &str) {
        if let Some(cell) = ws
            .get(id)
            .filter(|r| r.kind == RecordType::Risk)
            .and_then(|r| self.risk_cell(r))
        {
            self.heat.cell = cell;
            self.heat.cursor = self
                .cell_risks(ws)
                .iter()
                .position(|r| r.id == id)
                .unwrap_or(0);
            self.heat.selected = Some(id.to_string());
        }
    }

    /// The agenda items of Home: overdue first, then due soon; mine only when toggled.
    pub fn home_items<'a>(&self, index: &'a Index, user: Option<&str>) -> Vec<&'a DueItem> {
        index
            .due
            .iter()
            .filter(|d| d.state != DueState::Later)
            .filter(|d| !self.home_mine || is_mine(d, user))
            .collect()
    }

    /// After a save: with no layer left over the panes (`select`), the saved record is
    /// selected in its pane; on the heat map the cursor goes to a saved risk's cell.
    pub fn show_saved(
        &mut self,
        ws: &Workspace,
        index: &Index,
        user: Option<&str>,
        kind: RecordType,
        id: &str,
        select: bool,
    ) {
        let pane = Pane::of_type(kind);
        if !pane.record_types().is_empty() && select {
            self.pane = pane;
            self.select_in(pane, ws, id);
            self.remember(ws, index, user);
        }
        self.show_risk(ws, id);
    }

    /// Going to a record (a link, the finder): its pane, when it has one of its own.
    pub fn show_pane_of(&mut self, ws: &Workspace, id: &str) {
        if let Some(r) = ws.get(id) {
            let pane = Pane::of_type(r.kind);
            if !pane.record_types().is_empty() {
                self.pane = pane;
            }
        }
    }

    /// `R`: a system's risks on the heat map (the Risks filter set to the system, the
    /// cursor on the highest-scoring cell that holds one), or a risk's own cell. Returns
    /// the status line.
    pub fn show_risks(
        &mut self,
        ws: &Workspace,
        index: &Index,
        id: &str,
    ) -> Result<String, String> {
        let kind = ws.get(id).map(|r| r.kind);
        match kind {
            Some(RecordType::System) => {
                self.pane = Pane::Risks;
                self.heat.register = false;
                self.set_filter(Pane::Risks, ws, index, id);
                let best = self
                    .list(Pane::Risks)
                    .map(|l| l.rows.clone())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&i| self.risk_cell(&ws.records[i]))
                    .max_by_key(|&(l, i)| (l * i, i, l));
                let n = self.list(Pane::Risks).map_or(0, |l| l.rows.len());
                match best {
                    Some(cell) => {
                        self.heat.cell = cell;
                        self.heat.cursor = 0;
                        self.heat.selected = self.cell_risks(ws).first().map(|r| r.id.clone());
                    }
                    None => self.heat.selected = None,
                }
                Ok(match n {
                    0 => format!("{id} has no risks (Esc clears the filter)"),
                    n => format!(
                        "{} of {id} (filter: Esc clears; L lists them)",
                        super::widgets::plural(n, "risk")
                    ),
                })
            }
            Some(RecordType::Risk) => {
                self.pane = Pane::Risks;
                self.heat.register = false;
                let shown = ws
                    .index_of(id)
                    .is_some_and(|i| self.list(Pane::Risks).is_some_and(|l| l.rows.contains(&i)));
                if !shown {
                    self.set_filter(Pane::Risks, ws, index, "");
                }
                self.show_risk(ws, id);
                Ok(format!("{id} on the heat map"))
            }
            _ => Err(format!(
                "R shows a system's risks on the heat map: {id} is not a system or a risk"
            )),
        }
    }

    /// The calendar agenda: everything due, mine only when toggled.
    pub fn agenda<'a>(&self, index: &'a Index, user: Option<&str>) -> Vec<&'a DueItem> {
        index
            .due
            .iter()
            .filter(|d| !self.calendar.mine || is_mine(d, user))
            .collect()
    }
}

/// Whether an obligation is the user's own.
fn is_mine(d: &DueItem, user: Option<&str>) -> bool {
    d.owner.is_some() && d.owner.as_deref() == user
}

/// A record's main obligation: its review, or its due date where it has no review.
pub fn default_target(ws: &Workspace, id: &str) -> Target {
    let kind = match ws.get(id).map(|r| r.kind) {
        Some(RecordType::Nonconformity) => DueKind::CorrectiveAction,
        Some(RecordType::Audit) => DueKind::Audit,
        Some(RecordType::ImpactAssessment) => DueKind::ImpactAssessmentRefresh,
        // A competence record has no review: its obligation is the next training.
        Some(RecordType::Competence) => DueKind::Training,
        _ => DueKind::Review,
    };
    Target {
        record: id.to_string(),
        kind,
        index: None,
    }
}

/// Whether a list row passes the filter: any field of the record (from the index's
/// lowercase text, kept up to date by its patches), or a computed column (flags, dates).
fn row_shown(ws: &Workspace, index: &Index, pane: Pane, needle: &str, i: usize) -> bool {
    needle.is_empty()
        || index.filter_text(ws, i).is_some_and(|t| t.contains(needle))
        || super::index::may_match_computed(needle)
            && computed_text(ws, index, pane, &ws.records[i])
                .to_lowercase()
                .contains(needle)
}

/// What a list pane sorts by: unique per record (the id breaks ties).
fn row_key(
    ws: &Workspace,
    index: &Index,
    pane: Pane,
    sort: usize,
    i: usize,
) -> (u8, String, String) {
    let cols = Index::columns(pane);
    let sort_col = cols.get(sort).copied().unwrap_or("id");
    let r = &ws.records[i];
    match pane {
        // Overdue first, then by due date.
        Pane::Findings if sort == 0 => {
            let overdue = index.is_overdue(&r.id);
            let closed = r.fields.text("status").as_deref() == Some("closed");
            let rank = if overdue {
                0
            } else if closed {
                2
            } else {
                1
            };
            (rank, index.cell(ws, r, "due"), r.id.clone())
        }
        Pane::Soa if sort == 0 => (0, control_order(&r.id), String::new()),
        // Scores: the highest first, unscored last.
        _ if matches!(sort_col, "score" | "residual") => {
            match index.cell(ws, r, sort_col).parse::<u32>() {
                Ok(n) => (0, format!("{:010}", u32::MAX - n), r.id.clone()),
                Err(_) => (1, String::new(), r.id.clone()),
            }
        }
        _ => (0, index.cell(ws, r, sort_col), r.id.clone()),
    }
}

/// The text of the columns that are not fields (flags, next review...).
fn computed_text(ws: &Workspace, index: &Index, pane: Pane, r: &Record) -> String {
    Index::columns(pane)
        .iter()
        .filter(|c| matches!(**c, "next review" | "flags" | "next due"))
        .map(|c| index.cell(ws, r, c))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sort key that puts A.2.2 before A.10.4.
fn control_order(id: &str) -> String {
    id.trim_start_matches("A.")
        .split('.')
        .map(|n| format!("{:>3}", n))
        .collect::<Vec<_>>()
        .join(".")
}

/// The first day of the month grid (a Monday on or before the 1st).
pub fn grid_start(day: Date) -> Date {
    let first = day.with_day(1).unwrap_or(day);
    first - chrono::Duration::days(i64::from(first.weekday().num_days_from_monday()))
}

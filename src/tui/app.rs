//! The application state and `update`: every input becomes an [`Action`] or a popup edit,
//! and only `update` changes the state. Views read it and draw; they change nothing.

use super::form::{Dialog, Form, Outcome};
use super::keys::{self, Action, Scope};
use super::pane::Pane;
use super::theme::Theme;
use crate::domain::dates::Date;
use crate::domain::{Finding, Record, RecordType, text::one_line};
use crate::rules::due::{DueItem, DueKind, DueState, obligations, obligations_of};
use crate::rules::whole::{WHOLE_RULES, whole_rule, whole_rule_inputs, whole_rule_reads};
use crate::rules::{Ctx, spec, triage};
use crate::workspace::{SaveError, Workspace};
use chrono::Datelike;
use ratatui::crossterm::event::KeyEvent;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The record each list pane had selected, by id.
pub type Selections = Vec<(Pane, String)>;

/// What the finder matches a record by.
fn haystack(r: &Record) -> String {
    format!("{} {} {}", r.id, r.title(), r.kind.label())
}

/// A list pane's cursor, filter and sort; `rows` caches the record indices it shows.
#[derive(Debug, Default, Clone)]
pub struct ListState {
    pub cursor: usize,
    pub filter: String,
    pub filtering: bool,
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
    pub cursor: usize,
}

#[derive(Debug, Clone)]
pub struct CalendarState {
    pub day: Date,
    pub cursor: usize,
    pub mine: bool,
}

/// What a triage popup acts on: a record, and which of its obligations.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub record: String,
    pub kind: DueKind,
    pub index: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    /// `scopes`: the keys of the view it was opened from, then the global ones.
    Help {
        filter: String,
        scroll: usize,
        scopes: Vec<Scope>,
    },
    Finder {
        query: String,
        results: Vec<usize>,
        cursor: usize,
    },
    /// A record's full detail; `cursor` walks its links.
    Record {
        id: String,
        cursor: usize,
    },
    ReviewNote {
        target: Target,
        text: String,
    },
    RescheduleDate {
        target: Target,
        text: String,
        error: Option<String>,
    },
    RescheduleReason {
        target: Target,
        date: Date,
        text: String,
    },
    PersonPicker {
        target: Target,
        cursor: usize,
    },
    Message {
        title: String,
        text: String,
    },
    /// Delete: the record and everything that links to it.
    ConfirmDelete {
        id: String,
        referrers: Vec<String>,
    },
    /// `n` where a pane lists several types: which one to create.
    ChooseKind {
        kinds: Vec<RecordType>,
        cursor: usize,
    },
}

impl Popup {
    /// The scope of the keys that act on it.
    pub fn scope(&self) -> Scope {
        match self {
            Popup::Help { .. } => Scope::Help,
            Popup::Finder { .. } => Scope::Finder,
            Popup::Record { .. } => Scope::Record,
            Popup::ReviewNote { .. }
            | Popup::RescheduleDate { .. }
            | Popup::RescheduleReason { .. } => Scope::TextInput,
            Popup::PersonPicker { .. } | Popup::ChooseKind { .. } => Scope::Picker,
            Popup::Message { .. } | Popup::ConfirmDelete { .. } => Scope::Dialog,
        }
    }
}

pub struct App {
    pub ws: Workspace,
    pub today: Date,
    /// The person acting (person id), from `--as` or `$USER`.
    pub user: Option<String>,
    pub read_only: bool,
    pub theme: Theme,
    pub pane: Pane,
    pub lists: HashMap<Pane, ListState>,
    pub heat: HeatState,
    pub calendar: CalendarState,
    pub home_cursor: usize,
    pub problems_cursor: usize,
    pub popups: Vec<Popup>,
    /// A one-line message for the status bar, and whether it is an error.
    pub status: Option<(String, bool)>,
    pub quit: bool,
    /// Caches, rebuilt whenever the workspace changes.
    pub findings: Vec<Finding>,
    /// Each record's own findings, so a change re-runs the rules of the records it touches
    /// only; `findings` is assembled from these.
    validation: HashMap<String, Vec<Finding>>,
    /// How many records the last refresh validated (a change to one record validates it
    /// and the records that read it); for tests and diagnostics.
    pub validated: usize,
    /// How many times the caches were rebuilt: the watcher must not cause one without an
    /// outside change.
    pub refreshes: usize,
    pub due: Vec<DueItem>,
    /// "ID title" of every record, for the finder.
    pub haystacks: Vec<String>,
    /// Records whose file no longer parses: their last good version is shown, marked.
    pub stale: HashSet<String>,
    /// The field a finding points at, highlighted when its record is opened from Problems.
    pub focus_field: Option<String>,
    /// The open form, over the current pane.
    pub form: Option<super::form::Form>,
    /// The live audit walk, when one is open.
    pub walk: Option<super::walk::Walk>,
    /// An audit item waiting for the nonconformity raised from it to be saved.
    pub pending_nc_link: Option<(String, usize)>,
    /// Per-record flags, derived from `due` and `findings` once per refresh (not per frame).
    /// How many overdue items, findings about `risk_tier` and errors each record has:
    /// patched by the changes, not recounted.
    overdue: Counts,
    no_current_ia: Counts,
    with_errors: Counts,
    /// The findings of each workspace-wide rule, and those about aims.yaml's overrides:
    /// a change re-runs only the rules that read the types of the records it changed.
    whole: Vec<Vec<Finding>>,
    settings_findings: Vec<Finding>,
    /// The workspace's load findings as `findings` holds them.
    load_findings: Vec<Finding>,
    /// The version of the record being saved, from [`App::before_save`].
    old_version: Option<Record>,
}

/// How many of something each record id has; an id is in when its count is above zero.
#[derive(Default)]
struct Counts(HashMap<String, usize>);

impl Counts {
    fn contains(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }
    fn add(&mut self, id: &str) {
        match self.0.get_mut(id) {
            Some(n) => *n += 1,
            None => {
                self.0.insert(id.to_string(), 1);
            }
        }
    }
    fn sub(&mut self, id: &str) {
        if let Some(n) = self.0.get_mut(id) {
            *n -= 1;
            if *n == 0 {
                self.0.remove(id);
            }
        }
    }
}

/// The order of the finding list: that of `aims check`, with every field as a tie-break
/// so that the order does not depend on the order validation ran in.
fn finding_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (
        &a.file,
        a.line.unwrap_or(0),
        a.severity,
        &a.message,
        a.column,
        &a.field,
        &a.record,
        a.code,
        &a.severity_reason,
    )
        .cmp(&(
            &b.file,
            b.line.unwrap_or(0),
            b.severity,
            &b.message,
            b.column,
            &b.field,
            &b.record,
            b.code,
            &b.severity_reason,
        ))
}

/// The order of the due list (that of `obligations`).
fn due_order(a: &DueItem, b: &DueItem) -> std::cmp::Ordering {
    (a.due, a.kind, &a.record).cmp(&(b.due, b.kind, &b.record))
}

/// Merges `added` (any order) into the sorted `list`, in place of the elements equal to
/// those of `removed` (which `list` holds): a patch costs one pass, not a sort.
fn patch_sorted<T: PartialEq>(
    list: &mut Vec<T>,
    mut removed: Vec<T>,
    mut added: Vec<T>,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) {
    if !removed.is_empty() {
        removed.sort_by(&order);
        let mut used = vec![false; removed.len()];
        list.retain(|x| {
            let from = removed.partition_point(|r| order(r, x).is_lt());
            for k in from..removed.len() {
                if !order(&removed[k], x).is_eq() {
                    break;
                }
                if !used[k] && removed[k] == *x {
                    used[k] = true;
                    return false;
                }
            }
            true
        });
    }
    if added.is_empty() {
        return;
    }
    added.sort_by(&order);
    let old = std::mem::take(list);
    let mut merged = Vec::with_capacity(old.len() + added.len());
    let mut new = added.into_iter().peekable();
    for x in old {
        while new.peek().is_some_and(|n| order(n, &x).is_lt()) {
            merged.extend(new.next());
        }
        merged.push(x);
    }
    merged.extend(new);
    *list = merged;
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
            ws,
            today,
            user,
            read_only,
            theme,
            pane: Pane::Home,
            lists: HashMap::new(),
            heat: HeatState {
                cell: (3, 3),
                residual: false,
                cursor: 0,
            },
            calendar: CalendarState {
                day: today,
                cursor: 0,
                mine: false,
            },
            home_cursor: 0,
            problems_cursor: 0,
            popups: Vec::new(),
            status: None,
            quit: false,
            findings: Vec::new(),
            validation: HashMap::new(),
            validated: 0,
            refreshes: 0,
            due: Vec::new(),
            haystacks: Vec::new(),
            stale: HashSet::new(),
            focus_field: None,
            form: None,
            walk: None,
            pending_nc_link: None,
            overdue: Counts::default(),
            no_current_ia: Counts::default(),
            with_errors: Counts::default(),
            whole: Vec::new(),
            settings_findings: Vec::new(),
            load_findings: Vec::new(),
            old_version: None,
        };
        app.refresh();
        app
    }

    /// The record each list pane has selected, by id: taken before the workspace changes,
    /// because rows are indices into the records and a change may move them.
    pub fn selections(&self) -> Selections {
        self.lists
            .iter()
            .filter_map(|(p, l)| l.selected(&self.ws).map(|r| (*p, r.id.clone())))
            .collect()
    }

    /// Rebuilds every cache after the workspace changed, keeping each cursor on its record.
    pub fn refresh(&mut self) {
        let selected = self.selections();
        self.refresh_keeping(selected);
    }

    /// Rebuilds every cache; `selected` (from [`App::selections`] before the change) keeps
    /// each list on its record.
    pub fn refresh_keeping(&mut self, selected: Selections) {
        self.validation = self
            .ws
            .validate_ids(self.ws.records.iter().map(|r| &r.id), self.today)
            .into_iter()
            .collect();
        self.validated = self.validation.len();
        self.haystacks = self.ws.records.iter().map(haystack).collect();
        self.due = obligations(&self.ws.records, &self.ws.settings, self.today);
        let ctx = Ctx {
            view: &self.ws,
            today: self.today,
        };
        self.whole = (0..WHOLE_RULES)
            .map(|rule| whole_rule(rule, &self.ws.records, &ctx))
            .collect();
        self.settings_findings = crate::rules::registry::override_findings(&self.ws.settings);
        self.load_findings = self.ws.load_findings.clone();
        let mut findings = self.load_findings.clone();
        findings.extend(self.validation.values().flatten().cloned());
        findings.extend(self.whole.iter().flatten().cloned());
        findings.extend(self.settings_findings.iter().cloned());
        findings.sort_by(finding_order);
        self.findings = findings;
        self.overdue = Counts::default();
        for d in self.due.iter().filter(|d| d.state == DueState::Overdue) {
            self.overdue.add(&d.record);
        }
        self.no_current_ia = Counts::default();
        self.with_errors = Counts::default();
        for f in &self.findings {
            count_finding(&mut self.no_current_ia, &mut self.with_errors, f, true);
        }
        self.derive(None, None, &selected);
    }

    /// Updates the caches after a change to a few records: re-runs the rules of `affected`
    /// only (the changed records, their referrers and what they refer to), re-reads the
    /// finder text of `changed` and `relocated` (records that took a removed record's
    /// index), and rebuilds the rows of the panes that show any of them or a record of
    /// `removed_kinds`. Other panes keep their rows: none of their indices moved.
    /// `unchanged_rules[rule]`: the change left every field workspace-wide rule `rule`
    /// reads as it was, so its findings are kept.
    #[allow(clippy::too_many_arguments)]
    pub fn refresh_records(
        &mut self,
        changed: &BTreeSet<String>,
        affected: &BTreeSet<String>,
        relocated: &BTreeSet<String>,
        removed_kinds: &[RecordType],
        moved: bool,
        selected: Selections,
        unchanged_rules: &[bool],
    ) {
        let mut removed = Vec::new();
        let mut added = Vec::new();
        for id in affected {
            removed.extend(self.validation.remove(id).into_iter().flatten());
        }
        let fresh = self.ws.validate_ids(affected, self.today);
        self.validated = fresh.len();
        added.extend(fresh.iter().flat_map(|(_, f)| f.iter().cloned()));
        self.validation.extend(fresh);
        if self.ws.load_findings != self.load_findings {
            removed.append(&mut self.load_findings);
            self.load_findings = self.ws.load_findings.clone();
            added.extend(self.load_findings.iter().cloned());
        }
        // The workspace-wide rules that read a type of record that changed.
        let changed_kinds: HashSet<RecordType> = changed
            .iter()
            .filter_map(|id| self.ws.get(id).map(|r| r.kind))
            .chain(removed_kinds.iter().copied())
            .collect();
        let ctx = Ctx {
            view: &self.ws,
            today: self.today,
        };
        for (rule, held) in self.whole.iter_mut().enumerate() {
            if !unchanged_rules.get(rule).copied().unwrap_or(false)
                && whole_rule_inputs(rule)
                    .iter()
                    .any(|k| changed_kinds.contains(k))
            {
                removed.append(held);
                *held = whole_rule(rule, &self.ws.records, &ctx);
                added.extend(held.iter().cloned());
            }
        }
        for f in &removed {
            count_finding(&mut self.no_current_ia, &mut self.with_errors, f, false);
        }
        for f in &added {
            count_finding(&mut self.no_current_ia, &mut self.with_errors, f, true);
        }
        patch_sorted(&mut self.findings, removed, added, finding_order);
        // Every index whose record differs from before holds a changed or relocated one.
        self.haystacks.resize(self.ws.records.len(), String::new());
        for id in changed.iter().chain(relocated) {
            if let Some(i) = self.ws.index_of(id) {
                self.haystacks[i] = haystack(&self.ws.records[i]);
            }
        }
        let kinds: HashSet<RecordType> = affected
            .iter()
            .chain(relocated)
            .filter_map(|id| self.ws.get(id).map(|r| r.kind))
            .chain(removed_kinds.iter().copied())
            .collect();
        self.refresh_due(changed);
        // Only edits in place can be patched: an added or removed record moves indices.
        let patch = (relocated.is_empty() && !moved).then_some(affected);
        self.derive(Some(&kinds), patch, &selected);
    }

    /// Patches the due list after `changed` records changed: their obligations, and the
    /// cross-record ones (recomputed from the assessments, audits and reviews and the
    /// systems the assessments name: a few thousand records, not the whole workspace).
    fn refresh_due(&mut self, changed: &BTreeSet<String>) {
        let cross = |k: RecordType| {
            matches!(
                k,
                RecordType::ImpactAssessment | RecordType::Audit | RecordType::ManagementReview
            )
        };
        // Only assessments, audits, reviews and systems take part in cross-record
        // obligations; a record that is gone may have been one.
        let crossing = changed.iter().any(|id| {
            self.ws
                .get(id)
                .is_none_or(|r| cross(r.kind) || r.kind == RecordType::System)
        });
        if !crossing {
            // A risk's or model card's review also reads the systems it names (their
            // material changes); their own items are not taken from this subset.
            let own: Vec<&Record> = changed.iter().filter_map(|id| self.ws.get(id)).collect();
            let named: Vec<&Record> = own
                .iter()
                .flat_map(|r| r.fields.texts("systems"))
                .filter_map(|id| self.ws.get(&id))
                .filter(|s| s.kind == RecordType::System && !changed.contains(&s.id))
                .collect();
            let subset: Vec<&Record> = own.into_iter().chain(named).collect();
            let ids: HashSet<&str> = changed.iter().map(String::as_str).collect();
            // Without the audits and reviews, the subset also yields the workspace's
            // "none held yet" items: only the changed records' own are wanted.
            let mut fresh = obligations_of(&subset, &self.ws.settings, self.today);
            fresh.retain(|d| ids.contains(d.record.as_str()));
            let mut removed = Vec::new();
            let mut overdue = Vec::new();
            for (i, d) in self.due.iter().enumerate() {
                if ids.contains(d.record.as_str()) {
                    removed.push(i);
                    if d.state == DueState::Overdue {
                        overdue.push(d.record.clone());
                    }
                }
            }
            for id in overdue {
                self.overdue.sub(&id);
            }
            for d in fresh.iter().filter(|d| d.state == DueState::Overdue) {
                self.overdue.add(&d.record);
            }
            let mut k = 0;
            let mut n = 0;
            self.due.retain(|_| {
                let drop = removed.get(k) == Some(&n);
                if drop {
                    k += 1;
                }
                n += 1;
                !drop
            });
            patch_sorted(&mut self.due, Vec::new(), fresh, due_order);
            return;
        }
        let named: HashSet<String> = self
            .ws
            .of_type(RecordType::ImpactAssessment)
            .filter_map(|ia| ia.fields.text("system"))
            .collect();
        let subset: Vec<&Record> = self
            .ws
            .records
            .iter()
            .filter(|r| {
                cross(r.kind)
                    || changed.contains(&r.id)
                    || (r.kind == RecordType::System && named.contains(&r.id))
            })
            .collect();
        let ids: HashSet<&str> = subset
            .iter()
            .map(|r| r.id.as_str())
            .chain(changed.iter().map(String::as_str))
            .collect();
        let fresh = obligations_of(&subset, &self.ws.settings, self.today);
        let mut due = std::mem::take(&mut self.due);
        let mut removed = Vec::new();
        due.retain(|d| {
            let keep = !ids.contains(d.record.as_str());
            if !keep && d.state == DueState::Overdue {
                removed.push(d.record.clone());
            }
            keep
        });
        for id in removed {
            self.overdue.sub(&id);
        }
        for d in fresh.iter().filter(|d| d.state == DueState::Overdue) {
            self.overdue.add(&d.record);
        }
        patch_sorted(&mut due, Vec::new(), fresh, due_order);
        self.due = due;
    }

    /// After this program saved record `id`: `before` is [`Workspace::touched_by`] taken
    /// before the save (what the old version was read by); the new version's readers are
    /// added, and only those are re-validated.
    pub fn refresh_saved(&mut self, id: &str, mut before: BTreeSet<String>) {
        before.extend(self.ws.touched_by(id));
        // The workspace-wide rules that read no field the save changed keep their findings.
        let old = self.old_version.take().filter(|o| o.id == id);
        let unchanged: Vec<bool> = (0..WHOLE_RULES)
            .map(|rule| {
                let (Some(old), Some(new)) = (&old, self.ws.get(id)) else {
                    return false;
                };
                old.kind == new.kind
                    && whole_rule_reads(rule, new.kind).is_some_and(|fields| {
                        fields
                            .iter()
                            .all(|f| old.fields.get(f) == new.fields.get(f))
                    })
            })
            .collect();
        let changed = BTreeSet::from([id.to_string()]);
        // A created record is pushed at the end: no other record moved, but rows are
        // rebuilt to take it in.
        let moved = self.haystacks.len() != self.ws.records.len();
        let selected = self.selections();
        self.refresh_records(
            &changed,
            &before,
            &BTreeSet::new(),
            &[],
            moved,
            selected,
            &unchanged,
        );
    }

    /// What a save of record `id` must re-validate as its old version is read
    /// ([`Workspace::touched_by`]), to pass to [`App::refresh_saved`] after the save; the old
    /// version is kept so that the refresh can tell which fields changed.
    pub fn before_save(&mut self, id: &str) -> BTreeSet<String> {
        self.old_version = self.ws.get(id).cloned();
        self.ws.touched_by(id)
    }

    /// The caches derived from the per-record findings and the due list: the finding list,
    /// the flags, the rows of the panes showing `kinds` (all when `None`), and the cursors.
    fn derive(
        &mut self,
        kinds: Option<&HashSet<RecordType>>,
        patch: Option<&BTreeSet<String>>,
        selected: &Selections,
    ) {
        self.refreshes += 1;
        for pane in Pane::ALL {
            let types = pane.record_types();
            if types.is_empty() || kinds.is_some_and(|k| !types.iter().any(|t| k.contains(t))) {
                continue;
            }
            match patch {
                Some(ids) => self.patch_rows(pane, ids),
                None => self.rebuild_rows(pane),
            }
            if let Some((_, id)) = selected.iter().find(|(p, _)| *p == pane) {
                self.select_in(pane, id);
            }
        }
        self.problems_cursor = self
            .problems_cursor
            .min(self.findings.len().saturating_sub(1));
        // The walk follows its audit: gone, or a shorter checklist.
        if let Some(w) = &mut self.walk {
            match self
                .ws
                .get(&w.audit)
                .map(|a| a.fields.list("checklist").len())
            {
                Some(n) if n > 0 => w.cursor = w.cursor.min(n - 1),
                _ => {
                    let id = w.audit.clone();
                    self.walk = None;
                    self.status = Some((
                        format!("{id} is gone or has no checklist: walk closed"),
                        true,
                    ));
                }
            }
        }
        // Finder results are indices into the records: recompute them for the new ones.
        for popup in &mut self.popups {
            if let Popup::Finder {
                query,
                results,
                cursor,
            } = popup
            {
                *results = super::finder::search(&self.haystacks, query, 200);
                *cursor = (*cursor).min(results.len().saturating_sub(1));
            }
        }
    }

    /// Replaces the workspace with a fresh load (another user's edit, a `git pull`). A file
    /// that no longer parses keeps its last good version on screen, marked stale.
    pub fn reload(&mut self, mut fresh: Workspace) {
        let selected = self.selections();
        let mut stale = HashSet::new();
        for old in &self.ws.records {
            if fresh.unreadable.contains(&old.path) && fresh.get(&old.id).is_none() {
                stale.insert(old.id.clone());
                fresh.keep_stale(old.clone());
            }
        }
        self.ws = fresh;
        self.stale = stale;
        self.refresh_keeping(selected);
    }

    /// Opens the workspace again from disk and shows it; an error goes to the status bar.
    pub fn reload_from_disk(&mut self) -> bool {
        match Workspace::open(&self.ws.root) {
            Ok(fresh) => {
                self.reload(fresh);
                true
            }
            Err(e) => {
                self.status = Some((one_line(&e.to_string()), true));
                true
            }
        }
    }

    /// Applies what the watcher reported, reloading everything at once when events were
    /// lost (`rescan`) or the change needs it. Returns whether anything on screen may have
    /// changed (false: no redraw needed). The event loop uses [`App::try_apply_outside`]
    /// and runs full reloads on a worker instead.
    pub fn apply_outside_changes<P: AsRef<std::path::Path>>(
        &mut self,
        paths: &[P],
        rescan: bool,
    ) -> bool {
        if rescan {
            return self.reload_from_disk();
        }
        match self.try_apply_outside(paths) {
            Some(changed) => changed,
            None => self.reload_from_disk(),
        }
    }

    /// Applies the watcher's paths: the files are re-stated and re-hashed, and only records
    /// whose bytes changed are parsed and re-validated, with the records that read them.
    /// Returns whether anything on screen may have changed, or `None` when only a full
    /// reload can settle it (the settings changed, an id is held by two files): the
    /// loader decides then, as at start, and what was applied so far stays consistent.
    pub fn try_apply_outside<P: AsRef<std::path::Path>>(&mut self, paths: &[P]) -> Option<bool> {
        let selected = self.selections();
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
            self.validated = 0;
            return Some(false);
        }
        self.stale.extend(cs.stale.iter().cloned());
        for id in cs.recovered.iter().chain(&cs.changed) {
            if !cs.stale.contains(id)
                && self
                    .ws
                    .get(id)
                    .is_none_or(|r| !self.ws.unreadable.contains(&r.path))
            {
                self.stale.remove(id);
            }
        }
        // A record gone whose type is not known (its folder went): the workspace-wide
        // rules cannot tell whether they read it.
        let unknown = cs
            .changed
            .iter()
            .any(|id| self.ws.get(id).is_none() && !kinds_before.contains_key(id));
        if cs.recheck_all || unknown {
            self.refresh_keeping(selected);
            return Some(true);
        }
        let removed_kinds: Vec<RecordType> = kinds_before.values().copied().collect();
        self.refresh_records(
            &cs.changed,
            &cs.affected,
            &cs.relocated,
            &removed_kinds,
            cs.moved,
            selected,
            &[],
        );
        Some(true)
    }

    pub fn list(&self, pane: Pane) -> Option<&ListState> {
        self.lists.get(&pane)
    }

    /// The columns of a list pane: the id, then the spec's columns of its (first) type.
    pub fn columns(pane: Pane) -> Vec<&'static str> {
        let Some(kind) = pane.record_types().first() else {
            return Vec::new();
        };
        let mut cols = vec!["id"];
        match pane {
            Pane::Findings => cols.extend(["title", "severity", "status", "owner", "due"]),
            // Six types with different dates: the soonest obligation of each says it all.
            Pane::Registers => cols.extend(["title", "owner", "next due"]),
            Pane::Soa => cols.extend([
                "title",
                "applicable",
                "status",
                "owner",
                "evidence",
                "next review",
            ]),
            Pane::Inventory => cols.extend([
                "name",
                "risk_tier",
                "lifecycle_stage",
                "owner",
                "next review",
                "flags",
            ]),
            _ => {
                cols.extend(spec(*kind).columns.iter().copied());
                if spec(*kind).reviewed {
                    cols.push("next review");
                }
            }
        }
        cols
    }

    /// The text of one cell: a field, or one of the computed columns.
    pub fn cell(&self, r: &Record, col: &str) -> String {
        match col {
            "id" => r.id.clone(),
            "title" => r.title(),
            "evidence" => r.fields.list("links").len().to_string(),
            "next review" => crate::rules::due::next_review(&r.fields, r.kind, &self.ws.settings)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            "due" => r.fields.text("due").unwrap_or_default(),
            "next due" => self
                .due
                .iter()
                .filter(|i| i.record == r.id)
                .map(|i| i.due)
                .min()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            "flags" => self.flags(r).join(" "),
            field => match r.fields.get(field) {
                Some(crate::domain::Value::List(items)) => items
                    .iter()
                    .filter_map(|v| v.as_text())
                    .collect::<Vec<_>>()
                    .join(", "),
                Some(crate::domain::Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
                Some(v) => v.as_text().unwrap_or_default(),
                None => String::new(),
            },
        }
    }

    /// Short warnings about a record for list rows: review overdue, impact assessment, errors.
    pub fn flags(&self, r: &Record) -> Vec<&'static str> {
        let mut flags = Vec::new();
        if self.overdue.contains(&r.id) {
            flags.push("overdue");
        }
        if self.no_current_ia.contains(&r.id) {
            flags.push("no current IA");
        }
        if self.with_errors.contains(&r.id) {
            flags.push("errors");
        }
        if self.stale.contains(&r.id) {
            flags.push("stale");
        }
        flags
    }

    fn rebuild_rows(&mut self, pane: Pane) {
        let types = pane.record_types();
        let state = self.lists.entry(pane).or_default().clone();
        let needle = state.filter.to_lowercase();
        let mut rows: Vec<usize> = self
            .ws
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| types.contains(&r.kind))
            .filter(|(_, r)| self.row_shown(pane, &needle, r))
            .map(|(i, _)| i)
            .collect();
        rows.sort_by_cached_key(|&i| self.row_key(pane, state.sort, i));
        let entry = self.lists.entry(pane).or_default();
        entry.rows = rows;
        entry.cursor = entry.cursor.min(entry.rows.len().saturating_sub(1));
    }

    /// Moves the rows of `ids` to where a rebuild would put them (or out, if the filter no
    /// longer keeps them), without sorting the whole pane. Indices must not have moved.
    fn patch_rows(&mut self, pane: Pane, ids: &BTreeSet<String>) {
        let types = pane.record_types();
        let Some(state) = self.lists.get(&pane).cloned() else {
            return self.rebuild_rows(pane);
        };
        let needle = state.filter.to_lowercase();
        let touched: Vec<usize> = ids
            .iter()
            .filter_map(|id| self.ws.index_of(id))
            .filter(|&i| types.contains(&self.ws.records[i].kind))
            .collect();
        let mut rows = state.rows;
        rows.retain(|i| !touched.contains(i));
        for i in touched {
            if !self.row_shown(pane, &needle, &self.ws.records[i]) {
                continue;
            }
            // Keys end with the id (or are unique per SoA control), so the place is exact.
            let key = self.row_key(pane, state.sort, i);
            let at = rows.partition_point(|&j| self.row_key(pane, state.sort, j) < key);
            rows.insert(at, i);
        }
        let entry = self.lists.entry(pane).or_default();
        entry.rows = rows;
        entry.cursor = entry.cursor.min(entry.rows.len().saturating_sub(1));
    }

    fn row_shown(&self, pane: Pane, needle: &str, r: &Record) -> bool {
        needle.is_empty() || self.row_text(pane, r).to_lowercase().contains(needle)
    }

    /// What a list pane sorts by: unique per record (the id breaks ties).
    fn row_key(&self, pane: Pane, sort: usize, i: usize) -> (u8, String, String) {
        let cols = App::columns(pane);
        let sort_col = cols.get(sort).copied().unwrap_or("id");
        let r = &self.ws.records[i];
        match pane {
            // Overdue first, then by due date.
            Pane::Findings if sort == 0 => {
                let overdue = self.overdue.contains(&r.id);
                let closed = r.fields.text("status").as_deref() == Some("closed");
                let rank = if overdue {
                    0
                } else if closed {
                    2
                } else {
                    1
                };
                (rank, self.cell(r, "due"), r.id.clone())
            }
            Pane::Soa if sort == 0 => (0, control_order(&r.id), String::new()),
            _ => (0, self.cell(r, sort_col), r.id.clone()),
        }
    }

    fn row_text(&self, pane: Pane, r: &Record) -> String {
        let mut text = App::columns(pane)
            .iter()
            .map(|c| self.cell(r, c))
            .collect::<Vec<_>>()
            .join(" ");
        // The heat map filters by system too.
        if pane == Pane::Risks {
            text.push(' ');
            text.push_str(&r.fields.texts("systems").join(" "));
        }
        text
    }

    fn select_in(&mut self, pane: Pane, id: &str) {
        let Some(i) = self.ws.index_of(id) else {
            return;
        };
        if let Some(list) = self.lists.get_mut(&pane)
            && let Some(pos) = list.rows.iter().position(|&x| x == i)
        {
            list.cursor = pos;
        }
    }

    /// The risks in the heat map's selected cell, by inherent or residual score, among
    /// those the Risks filter keeps.
    pub fn cell_risks(&self) -> Vec<&Record> {
        let shown = self
            .list(Pane::Risks)
            .map(|l| l.rows.as_slice())
            .unwrap_or(&[]);
        self.cell_risks_filtered(shown)
    }

    pub fn cell_risks_filtered(&self, shown: &[usize]) -> Vec<&Record> {
        shown
            .iter()
            .map(|&i| &self.ws.records[i])
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

    /// The calendar agenda: everything due, mine only when toggled.
    pub fn agenda(&self) -> Vec<&DueItem> {
        self.due
            .iter()
            .filter(|d| !self.calendar.mine || d.owner.is_some() && d.owner == self.user)
            .collect()
    }

    /// The agenda items of Home: overdue first, then due soon.
    pub fn home_items(&self) -> Vec<&DueItem> {
        self.due
            .iter()
            .filter(|d| d.state != DueState::Later)
            .collect()
    }

    /// The scopes of the keys active now, most specific first.
    pub fn scopes(&self) -> Vec<Scope> {
        match self.pane {
            Pane::Risks => vec![Scope::Heatmap],
            Pane::Calendar => vec![Scope::Calendar],
            _ => vec![Scope::List],
        }
    }

    // ---- update ---------------------------------------------------------------------------

    /// The scopes whose keys act now, most specific first: what help and hints show.
    pub fn key_scopes(&self) -> Vec<Scope> {
        if let Some(top) = self.popups.last() {
            return vec![top.scope()];
        }
        if let Some(form) = &self.form {
            return vec![form.key_scope()];
        }
        if let Some(walk) = &self.walk {
            return vec![if walk.editor.is_some() {
                Scope::TextInput
            } else {
                Scope::Walk
            }];
        }
        if self.list(self.pane).is_some_and(|l| l.filtering) {
            return vec![Scope::TextInput];
        }
        let mut scopes = self.scopes();
        scopes.push(Scope::Global);
        scopes
    }

    /// Handles one key press.
    pub fn on_key(&mut self, key: KeyEvent) {
        self.status = None;
        // Help where the scope binds it (`?`, or F1 where `?` is typed text).
        let scopes = self.key_scopes();
        if !matches!(self.popups.last(), Some(Popup::Help { .. }))
            && keys::action_in(&key, scopes[0]) == Some(Action::Help)
        {
            self.popups.push(Popup::Help {
                filter: String::new(),
                scroll: 0,
                scopes,
            });
            return;
        }
        if self.popups.is_empty()
            && let Some(form) = self.form.as_mut()
        {
            let outcome = form.on_key(key, &self.ws, self.today);
            self.on_form_outcome(outcome);
            return;
        }
        if self.popups.is_empty() && self.walk.is_some() {
            self.on_walk_key(key);
            return;
        }
        if let Some(top) = self.popups.last_mut()
            && let Some(handled) = popup_text_input(top, &key)
        {
            if handled {
                self.after_popup_edit();
            }
            return;
        }
        if self.popups.is_empty()
            && let Some(list) = self.lists.get_mut(&self.pane)
            && list.filtering
        {
            match keys::action_in(&key, Scope::TextInput) {
                Some(Action::Back) => {
                    list.filtering = false;
                    list.filter.clear();
                }
                Some(Action::Open) => list.filtering = false,
                Some(Action::DeleteBack) => {
                    list.filter.pop();
                }
                Some(_) => return,
                None => match keys::typed_char(&key) {
                    Some(c) => list.filter.push(c),
                    None => return,
                },
            }
            list.cursor = 0;
            self.rebuild_rows(self.pane);
            return;
        }
        let action = match self.popups.last() {
            Some(top) => keys::action_in(&key, top.scope()),
            None => keys::action_for(&key, &self.scopes()),
        };
        if let Some(action) = action {
            self.update(action);
        }
    }

    /// Pasted text goes to the open text field as one edit, never as keystrokes.
    pub fn on_paste(&mut self, text: &str) {
        if self.popups.is_empty()
            && let Some(form) = self.form.as_mut()
        {
            form.on_paste(text, &self.ws, self.today);
            return;
        }
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        match self.popups.last_mut() {
            Some(Popup::Help { filter: t, .. })
            | Some(Popup::Finder { query: t, .. })
            | Some(Popup::ReviewNote { text: t, .. })
            | Some(Popup::RescheduleDate { text: t, .. })
            | Some(Popup::RescheduleReason { text: t, .. }) => t.push_str(&clean),
            _ => {
                if let Some(list) = self.lists.get_mut(&self.pane)
                    && list.filtering
                {
                    list.filter.push_str(&clean);
                    self.rebuild_rows(self.pane);
                }
                return;
            }
        }
        self.after_popup_edit();
    }

    fn after_popup_edit(&mut self) {
        if let Some(Popup::Finder {
            query,
            results,
            cursor,
        }) = self.popups.last_mut()
        {
            *results = super::finder::search(&self.haystacks, query, 200);
            *cursor = 0;
        }
    }

    pub fn update(&mut self, action: Action) {
        if action.edits() && self.read_only {
            self.status = Some((
                "read-only: started with --read-only, so nothing can be changed here".into(),
                true,
            ));
            return;
        }
        if !self.popups.is_empty() {
            self.update_popup(action);
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Back => {
                if let Some(list) = self.lists.get_mut(&self.pane)
                    && !list.filter.is_empty()
                {
                    list.filter.clear();
                    self.rebuild_rows(self.pane);
                }
            }
            Action::Help => {
                let scopes = self.key_scopes();
                self.popups.push(Popup::Help {
                    filter: String::new(),
                    scroll: 0,
                    scopes,
                })
            }
            Action::Finder => {
                let results = super::finder::search(&self.haystacks, "", 200);
                self.popups.push(Popup::Finder {
                    query: String::new(),
                    results,
                    cursor: 0,
                });
            }
            Action::NextPane => self.pane = self.pane.next(),
            Action::PrevPane => self.pane = self.pane.prev(),
            Action::GoPane(p) => self.pane = p,
            Action::Reload => match Workspace::open(&self.ws.root) {
                Ok(ws) => {
                    self.reload(ws);
                    self.status = Some(("reloaded from disk".into(), false));
                }
                Err(e) => self.status = Some((one_line(&e.to_string()), true)),
            },
            Action::Open => self.open_selected(),
            Action::Filter => {
                if let Some(list) = self.lists.get_mut(&self.pane) {
                    list.filtering = true;
                }
            }
            Action::Sort => {
                let n = App::columns(self.pane).len().max(1);
                if let Some(list) = self.lists.get_mut(&self.pane) {
                    list.sort = (list.sort + 1) % n;
                }
                self.rebuild_rows(self.pane);
            }
            Action::ToggleResidual => {
                self.heat.residual = !self.heat.residual;
                self.heat.cursor = 0;
            }
            Action::MarkReviewed | Action::Reschedule | Action::Reassign => {
                self.start_triage(action)
            }
            // Form and walk keys only act there.
            Action::SetResult(_) | Action::NextOpen | Action::RaiseNc | Action::Complete | Action::Reopen => {}
            Action::DeleteBack
            | Action::Yes
            | Action::No
            | Action::Discard
            | Action::Reapply
            | Action::Save
            | Action::ClearField
            | Action::Toggle
            | Action::AddItem
            | Action::RemoveItem
            | Action::MoveItemUp
            | Action::MoveItemDown => {}
            Action::New => self.open_new_form(),
            Action::Edit => self.open_edit_form(),
            Action::Delete => self.ask_delete(),
            Action::Today => {
                self.calendar.day = self.today;
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
            Action::Up | Action::Down | Action::Left | Action::Right => self.move_cursor(action),
            Action::ListUp
            | Action::ListDown
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => self.move_cursor(action),
        }
    }

    fn move_cursor(&mut self, action: Action) {
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
            Pane::Risks => {
                let (l, i) = self.heat.cell;
                let (nl, ni) = (
                    self.ws.settings.risk.likelihood.len() as u32,
                    self.ws.settings.risk.impact.len() as u32,
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
                    let n = self.cell_risks().len();
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
                    let n = self.agenda().len();
                    self.calendar.cursor = step(self.calendar.cursor, n);
                }
            }
            Pane::Home => self.home_cursor = step(self.home_cursor, self.home_items().len()),
            Pane::Problems => {
                self.problems_cursor = step(self.problems_cursor, self.findings.len())
            }
            pane => {
                if let Some(list) = self.lists.get_mut(&pane) {
                    list.cursor = step(list.cursor, list.rows.len());
                }
            }
        }
    }

    /// The record under the cursor of the current pane, with the obligation it stands for.
    pub fn selection(&self) -> Option<Target> {
        let due_target = |d: &DueItem| Target {
            record: d.record.clone(),
            kind: d.kind,
            index: d.index,
        };
        match self.pane {
            Pane::Home => self
                .home_items()
                .get(self.home_cursor)
                .map(|d| due_target(d)),
            Pane::Calendar => self
                .agenda()
                .get(self.calendar.cursor)
                .map(|d| due_target(d)),
            Pane::Problems => {
                let id = self.findings.get(self.problems_cursor)?.record.clone()?;
                Some(self.default_target(&id))
            }
            Pane::Risks => self
                .cell_risks()
                .get(self.heat.cursor)
                .map(|r| self.default_target(&r.id)),
            pane => {
                let r = self.lists.get(&pane)?.selected(&self.ws)?;
                Some(self.default_target(&r.id))
            }
        }
    }

    /// A record's main obligation: its review, or its due date where it has no review.
    fn default_target(&self, id: &str) -> Target {
        let kind = match self.ws.get(id).map(|r| r.kind) {
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

    fn open_selected(&mut self) {
        if self.pane == Pane::Audits
            && let Some(r) = self.list(Pane::Audits).and_then(|l| l.selected(&self.ws))
            && !r.fields.list("checklist").is_empty()
        {
            let id = r.id.clone();
            self.open_walk(&id);
            return;
        }
        self.focus_field = match self.pane {
            // Problems jump to the record and the field the finding names.
            Pane::Problems => self
                .findings
                .get(self.problems_cursor)
                .and_then(|f| f.field.clone()),
            _ => None,
        };
        if let Some(t) = self.selection() {
            self.open_record(&t.record);
        }
    }

    /// Opens a record: its pane, the cursor on it, and its detail on top.
    pub fn open_record(&mut self, id: &str) {
        let Some(record) = self.ws.get(id) else {
            self.status = Some((format!("{} is not in the workspace", one_line(id)), true));
            return;
        };
        let pane = Pane::of_type(record.kind);
        if !pane.record_types().is_empty() && self.popups.is_empty() {
            if self.pane != Pane::Home && self.pane != Pane::Calendar && self.pane != Pane::Problems
            {
                self.pane = pane;
            }
            if let Some(list) = self.lists.get_mut(&pane) {
                list.filter.clear();
            }
            self.rebuild_rows(pane);
            self.select_in(pane, id);
        }
        self.popups.push(Popup::Record {
            id: id.to_string(),
            cursor: 0,
        });
    }

    /// The records linked to one: what it refers to, then what refers to it.
    pub fn links_of(&self, id: &str) -> Vec<String> {
        let Some(r) = self.ws.get(id) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for (target, _) in crate::rules::refs::references(r) {
            if self.ws.get(&target).is_some() && !out.contains(&target) {
                out.push(target);
            }
        }
        for other in self.ws.referrers(id) {
            if !out.contains(&other.id) {
                out.push(other.id.clone());
            }
        }
        // A system also leads to the controls its risks cite.
        if r.kind == RecordType::System {
            let cited: Vec<String> = self
                .ws
                .referrers(id)
                .filter(|x| x.kind == RecordType::Risk)
                .flat_map(|risk| risk.fields.texts("controls"))
                .collect();
            for control in cited {
                if self.ws.get(&control).is_some() && !out.contains(&control) {
                    out.push(control);
                }
            }
        }
        out
    }

    fn start_triage(&mut self, action: Action) {
        let target = match self.popups.last() {
            Some(Popup::Record { id, .. }) => Some(self.default_target(id)),
            _ => self.selection(),
        };
        let Some(target) = target else {
            self.status = Some(("nothing selected".into(), true));
            return;
        };
        if self.user.is_none() {
            self.status = Some((
                "who are you? start aims with --as PERSON, or add your login to people in aims.yaml".into(),
                true,
            ));
            return;
        }
        if self.ws.unreadable.contains(
            &self
                .ws
                .get(&target.record)
                .map(|r| r.path.clone())
                .unwrap_or_default(),
        ) {
            self.status = Some((
                format!("{} no longer parses: fix the file first", target.record),
                true,
            ));
            return;
        }
        let check = match action {
            Action::MarkReviewed => self
                .ws
                .get(&target.record)
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
            self.status = Some((e, true));
            return;
        }
        let popup = match action {
            Action::MarkReviewed => Popup::ReviewNote {
                target,
                text: String::new(),
            },
            Action::Reschedule => Popup::RescheduleDate {
                target,
                text: String::new(),
                error: None,
            },
            _ => Popup::PersonPicker { target, cursor: 0 },
        };
        self.popups.push(popup);
    }

    fn update_popup(&mut self, action: Action) {
        // Work on a copy of the top popup: it is written back, replaced or popped below.
        let Some(mut top) = self.popups.last().cloned() else {
            return;
        };
        let clamp = |c: usize, n: usize| c.min(n.saturating_sub(1));
        let step = |c: usize, n: usize| match action {
            Action::Up | Action::ListUp => c.saturating_sub(1),
            Action::PageUp => c.saturating_sub(10),
            Action::PageDown => clamp(c + 10, n),
            _ => clamp(c + 1, n),
        };
        let moves = matches!(
            action,
            Action::Up | Action::Down | Action::PageUp | Action::PageDown
        );
        match (&mut top, action) {
            (_, Action::Back | Action::Quit)
            | (Popup::Message { .. }, Action::Yes | Action::No) => {
                self.popups.pop();
                return;
            }
            (_, Action::Help) => {
                self.popups.push(Popup::Help {
                    filter: String::new(),
                    scroll: 0,
                    scopes: vec![top.scope()],
                });
                return;
            }
            (Popup::ConfirmDelete { .. }, Action::No) => {
                self.popups.pop();
                return;
            }
            (Popup::Help { scroll, .. }, _) if moves => {
                *scroll = step(*scroll, keys::keymap().bindings.len())
            }
            (
                Popup::Finder {
                    results, cursor, ..
                },
                _,
            ) if moves => *cursor = step(*cursor, results.len()),
            (
                Popup::Finder {
                    results, cursor, ..
                },
                Action::Open,
            ) => {
                let Some(&i) = results.get(*cursor) else {
                    return;
                };
                let Some((id, kind)) = self.ws.records.get(i).map(|r| (r.id.clone(), r.kind))
                else {
                    return;
                };
                self.popups.clear();
                let pane = Pane::of_type(kind);
                if !pane.record_types().is_empty() {
                    self.pane = pane;
                }
                self.open_record(&id);
                return;
            }
            (Popup::Record { id, cursor }, _) if moves => {
                *cursor = step(*cursor, self.links_of(id).len())
            }
            (Popup::Record { id, cursor }, Action::Open) => {
                if let Some(link) = self.links_of(id).get(*cursor).cloned() {
                    self.popups.push(Popup::Record {
                        id: link,
                        cursor: 0,
                    });
                }
                return;
            }
            (Popup::Record { .. }, Action::Edit) => {
                self.open_edit_form();
                return;
            }
            (
                Popup::Record { .. },
                Action::MarkReviewed | Action::Reschedule | Action::Reassign,
            ) => {
                self.start_triage(action);
                return;
            }
            (Popup::ChooseKind { kinds, cursor }, _) if moves => {
                *cursor = step(*cursor, kinds.len())
            }
            (Popup::ChooseKind { kinds, cursor }, Action::Open) => {
                let kind = kinds[(*cursor).min(kinds.len() - 1)];
                self.popups.pop();
                self.form = Some(Form::create(
                    kind,
                    &self.ws,
                    self.user.as_deref(),
                    self.today,
                ));
                return;
            }
            (Popup::ConfirmDelete { id, .. }, Action::Open | Action::Yes) => {
                let id = id.clone();
                self.popups.pop();
                self.delete(&id);
                return;
            }
            (Popup::PersonPicker { cursor, .. }, _) if moves => {
                *cursor = step(*cursor, self.ws.settings.people.len())
            }
            (Popup::PersonPicker { target, cursor }, Action::Open) => {
                let Some(person) = self.ws.settings.people.get(*cursor).map(|p| p.id.clone())
                else {
                    return;
                };
                let target = target.clone();
                self.popups.pop();
                self.apply(&target, |f, app, by| {
                    triage::reassign(f, target.kind, target.index, &person, app.today, by)
                });
                return;
            }
            (Popup::ReviewNote { target, text }, Action::Open) => {
                let (target, note) = (target.clone(), text.clone());
                self.popups.pop();
                self.apply(&target, |f, app, by| {
                    let kind = app
                        .ws
                        .get(&target.record)
                        .map_or(RecordType::Risk, |r| r.kind);
                    triage::mark_reviewed(f, kind, &app.ws.settings, app.today, by, &note)
                });
                return;
            }
            (
                Popup::RescheduleDate {
                    target,
                    text,
                    error,
                },
                Action::Open,
            ) => match parse_relative_date(text, self.today) {
                Some(date) if date >= self.today => {
                    let target = target.clone();
                    self.popups.pop();
                    self.popups.push(Popup::RescheduleReason {
                        target,
                        date,
                        text: String::new(),
                    });
                    return;
                }
                Some(_) => *error = Some("that date is in the past".into()),
                None => *error = Some("write YYYY-MM-DD, t for today, or +7d / +2w / +3m".into()),
            },
            (Popup::RescheduleReason { target, date, text }, Action::Open) => {
                if text.trim().is_empty() {
                    self.status = Some(("a reschedule needs a reason".into(), true));
                    return;
                }
                let (target, date, reason) = (target.clone(), *date, text.clone());
                self.popups.pop();
                self.apply(&target, |f, app, by| {
                    triage::reschedule(f, target.kind, target.index, date, &reason, app.today, by)
                });
                return;
            }
            _ => return,
        }
        if let Some(last) = self.popups.last_mut() {
            *last = top;
        }
    }

    // ---- forms and delete -----------------------------------------------------------------

    fn open_new_form(&mut self) {
        let kind = match self.pane {
            Pane::Soa => {
                self.status = Some(("SoA entries are edited, not created: there is one per Annex A control (e edits)".into(), true));
                return;
            }
            pane => match pane.record_types() {
                [] => {
                    self.status = Some((
                        "go to a list (2–9) to create a record of its type".into(),
                        true,
                    ));
                    return;
                }
                [k] => *k,
                // Findings lists nonconformities and incidents: ask which.
                kinds => {
                    self.popups.push(Popup::ChooseKind {
                        kinds: kinds.to_vec(),
                        cursor: 0,
                    });
                    return;
                }
            },
        };
        self.form = Some(Form::create(
            kind,
            &self.ws,
            self.user.as_deref(),
            self.today,
        ));
    }

    fn open_edit_form(&mut self) {
        let id = match self.popups.last() {
            Some(Popup::Record { id, .. }) => Some(id.clone()),
            _ => self.selection().map(|t| t.record),
        };
        let Some(record) = id.and_then(|id| self.ws.get(&id).cloned()) else {
            self.status = Some(("nothing selected to edit".into(), true));
            return;
        };
        if self.stale.contains(&record.id) || self.ws.unreadable.contains(&record.path) {
            self.status = Some((
                format!(
                    "{} no longer parses: fix the file first (see Problems)",
                    record.id
                ),
                true,
            ));
            return;
        }
        self.popups.clear();
        self.form = Some(Form::edit(&record, &self.ws, self.today));
    }

    fn ask_delete(&mut self) {
        let Some(target) = self.selection() else {
            self.status = Some(("nothing selected to delete".into(), true));
            return;
        };
        if self
            .ws
            .get(&target.record)
            .is_some_and(|r| r.kind == RecordType::Soa)
        {
            self.status = Some((
                "SoA entries are not deleted: mark the control excluded, with a justification"
                    .into(),
                true,
            ));
            return;
        }
        let referrers = self
            .ws
            .referrers(&target.record)
            .map(|r| r.id.clone())
            .collect();
        self.popups.push(Popup::ConfirmDelete {
            id: target.record,
            referrers,
        });
    }

    fn delete(&mut self, id: &str) {
        let selected = self.selections();
        match self.ws.trash_record(id, &self.today.to_string()) {
            Ok(path) => {
                let referrers: std::collections::HashSet<String> =
                    self.ws.referrers(id).map(|r| r.id.clone()).collect();
                self.refresh_keeping(selected);
                // Matched by rule code and record, never by message text.
                let dangling = self
                    .findings
                    .iter()
                    .filter(|f| {
                        f.code == "broken-reference"
                            && f.record.as_ref().is_some_and(|r| referrers.contains(r))
                    })
                    .count()
                    .max(referrers.len());
                self.status = Some((
                    format!(
                        "{id} moved to {}; {dangling} reference(s) to it now dangle (see Problems)",
                        path.display()
                    ),
                    false,
                ));
            }
            Err(e) => self.status = Some((one_line(&e.to_string()), true)),
        }
    }

    fn on_form_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Stay => {}
            Outcome::Close => {
                self.form = None;
                self.pending_nc_link = None;
            }
            Outcome::Save => self.save_form(),
            Outcome::Reapply => self.reapply_form(),
            Outcome::SaveAsNew => {
                if let Some(form) = self.form.as_mut() {
                    let id = crate::domain::ids::next_id(
                        form.kind.prefix(),
                        self.ws.records.iter().map(|r| r.id.as_str()),
                    );
                    form.values.set("id", crate::domain::Value::str(id));
                    form.original = None;
                    form.validate(&self.ws, self.today);
                }
                self.save_form();
            }
        }
    }

    /// Saves the open form through the core's save; a conflict becomes a dialog.
    fn save_form(&mut self) {
        let Some(mut form) = self.form.take() else {
            return;
        };
        if self.read_only {
            self.status = Some((
                "read-only: started with --read-only, so nothing is saved".into(),
                true,
            ));
            return;
        }
        // The watcher may already have loaded someone else's save: the form's base is then
        // not what the workspace holds, and saving would quietly undo their change.
        if let Some(current) = form.original.as_ref().and_then(|id| self.ws.get(id))
            && current.fields != form.base
        {
            let mut keys: Vec<String> = current
                .fields
                .keys()
                .chain(form.base.keys())
                .map(str::to_string)
                .collect();
            keys.sort();
            keys.dedup();
            let changed = keys
                .into_iter()
                .filter(|k| current.fields.get(k) != form.base.get(k))
                .collect();
            form.dialog = Some(Dialog::Conflict {
                changed,
                on_disk: None,
            });
            self.form = Some(form);
            return;
        }
        let before = self
            .ws
            .touched_by(&form.original.clone().unwrap_or_else(|| form.id()));
        let result = match &form.original {
            Some(id) => self.ws.save_record(id, form.values.clone(), self.today),
            None => self
                .ws
                .create_record(form.kind, form.values.clone(), self.today),
        };
        match result {
            Ok(()) => {
                let (id, kind) = (form.id(), form.kind);
                if form.original.as_ref().is_none_or(|o| *o == id) {
                    self.refresh_saved(&id, before);
                } else {
                    self.refresh();
                }
                if kind == RecordType::Nonconformity && self.pending_nc_link.is_some() {
                    self.link_raised_nc(&id);
                    return;
                }
                let pane = Pane::of_type(kind);
                if !pane.record_types().is_empty() {
                    self.pane = pane;
                    if let Some(list) = self.lists.get_mut(&pane) {
                        list.filter.clear();
                    }
                    self.rebuild_rows(pane);
                    self.select_in(pane, &id);
                }
                // On the heat map, go to the saved risk's cell.
                if let Some(cell) = self
                    .ws
                    .get(&id)
                    .filter(|r| r.kind == RecordType::Risk)
                    .and_then(|r| self.risk_cell(r))
                {
                    self.heat.cell = cell;
                    self.heat.cursor = self
                        .cell_risks()
                        .iter()
                        .position(|r| r.id == id)
                        .unwrap_or(0);
                }
                self.status = Some((format!("{id} saved"), false));
                return;
            }
            Err(SaveError::Conflict { on_disk, kept, .. }) => {
                if let Some(kept) = kept {
                    self.status = Some((
                        format!(
                            "a third version landed during the save; it is kept in {}",
                            one_line(&kept.display().to_string())
                        ),
                        true,
                    ));
                }
                let theirs = on_disk
                    .as_deref()
                    .and_then(|t| {
                        crate::workspace::load::parse_yaml(t, std::path::Path::new("")).ok()
                    })
                    .and_then(|v| v.as_map().cloned());
                let changed = match &theirs {
                    Some(m) => {
                        let mut keys: Vec<String> = m
                            .keys()
                            .chain(form.base.keys())
                            .map(str::to_string)
                            .collect();
                        keys.sort();
                        keys.dedup();
                        keys.into_iter()
                            .filter(|k| m.get(k) != form.base.get(k))
                            .collect()
                    }
                    None => vec!["(the file was deleted or no longer parses)".to_string()],
                };
                form.dialog = Some(Dialog::Conflict { changed, on_disk });
            }
            Err(SaveError::Invalid(findings)) => {
                form.dialog = Some(Dialog::Errors(
                    findings.iter().map(|f| one_line(&f.message)).collect(),
                ));
            }
            Err(e) => form.message = Some(one_line(&e.to_string())),
        }
        self.form = Some(form);
    }

    /// After a conflict: reload, put my changed fields on top of the version on disk, save.
    fn reapply_form(&mut self) {
        let Some(mut form) = self.form.take() else {
            return;
        };
        let Some(id) = form.original.clone() else {
            self.form = Some(form);
            return;
        };
        match Workspace::open(&self.ws.root) {
            Ok(fresh) => self.reload(fresh),
            Err(e) => {
                form.message = Some(one_line(&e.to_string()));
                self.form = Some(form);
                return;
            }
        }
        let Some(theirs) = self
            .ws
            .get(&id)
            .filter(|_| !self.stale.contains(&id))
            .map(|r| r.fields.clone())
        else {
            form.message = Some(format!(
                "{id} was deleted or no longer parses: save yours as a new record (n) instead"
            ));
            form.dialog = Some(Dialog::Conflict {
                changed: vec![],
                on_disk: None,
            });
            self.form = Some(form);
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
        form.validate(&self.ws, self.today);
        self.form = Some(form);
        if self.form.as_ref().is_some_and(|f| f.errors().is_empty()) {
            self.save_form();
        } else if let Some(f) = self.form.as_mut() {
            f.message =
                Some("re-applied on the new version: fix what is marked, then Ctrl-S".into());
        }
    }

    /// Runs a triage change and saves it through the workspace's surgical atomic save.
    fn apply(
        &mut self,
        target: &Target,
        change: impl FnOnce(&crate::domain::Map, &App, &str) -> Result<crate::domain::Map, String>,
    ) {
        let Some(by) = self.user.clone() else { return };
        let Some(fields) = self.ws.fields_of(&target.record) else {
            return;
        };
        let new = match change(&fields, self, &by) {
            Ok(m) => m,
            Err(e) => {
                self.status = Some((e, true));
                return;
            }
        };
        let before = self.before_save(&target.record);
        match self.ws.save_record(&target.record, new, self.today) {
            Ok(()) => {
                self.refresh_saved(&target.record, before);
                self.status = Some((format!("{} saved", target.record), false));
            }
            Err(e) => self.status = Some((one_line(&e.to_string()), true)),
        }
    }
}

/// Typing into the top popup's text field. `None`: not a text key for this popup (a key
/// its scope binds, other than deleting a character, acts instead).
fn popup_text_input(popup: &mut Popup, key: &KeyEvent) -> Option<bool> {
    let action = keys::action_in(key, popup.scope());
    let text = match popup {
        Popup::Help { filter, scroll, .. } => {
            // Typing changes the filter (back to the top); arrows scroll.
            if action == Some(Action::DeleteBack)
                || (action.is_none() && keys::typed_char(key).is_some())
            {
                *scroll = 0;
            }
            filter
        }
        Popup::Finder { query, .. } => query,
        Popup::ReviewNote { text, .. }
        | Popup::RescheduleDate { text, .. }
        | Popup::RescheduleReason { text, .. } => text,
        _ => return None,
    };
    match action {
        Some(Action::DeleteBack) => {
            text.pop();
            Some(true)
        }
        Some(_) => None,
        None => keys::typed_char(key).map(|c| {
            text.push(c);
            true
        }),
    }
}

/// `2026-12-01`, `t` (today), `+7d`, `+2w`, `+3m`, `+1y`.
pub fn parse_relative_date(text: &str, today: Date) -> Option<Date> {
    let t = text.trim();
    if t == "t" {
        return Some(today);
    }
    if let Some(rest) = t.strip_prefix('+') {
        return crate::domain::dates::Cadence::parse(rest).map(|c| c.after(today));
    }
    crate::domain::dates::parse_date(t)
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

/// Counts a finding in (or out of) the per-record flags.
fn count_finding(no_current_ia: &mut Counts, with_errors: &mut Counts, f: &Finding, add: bool) {
    let Some(id) = f.record.as_deref() else {
        return;
    };
    let step = |c: &mut Counts| if add { c.add(id) } else { c.sub(id) };
    if f.field.as_deref() == Some("risk_tier") {
        step(no_current_ia);
    }
    if f.is_error() {
        step(with_errors);
    }
}

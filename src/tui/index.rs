//! The caches derived from the workspace: findings, the due list, per-record flags, the
//! finder's text. Rebuilt after a load, patched after a change to a few records. No
//! terminal code: the panes and the layers read it through [`super::component::Ctx`].

use super::pane::Pane;
use crate::domain::dates::Date;
use crate::domain::{Finding, Record, RecordType};
use crate::rules::due::{DueItem, DueState, obligations, obligations_of, same_obligations};
use crate::rules::whole::{WHOLE_RULES, whole_rule, whole_rule_inputs, whole_rule_reads};
use crate::rules::{Ctx, spec};
use crate::workspace::Workspace;
use std::collections::{BTreeSet, HashMap, HashSet};

/// What the finder matches a record by.
pub fn haystack(r: &Record) -> String {
    format!("{} {} {}", r.id, r.title(), r.kind.label())
}

/// What a list filter matches a record by: its id, type and every value of every field
/// (nested lists and maps too), lowercased once per change of the record, not per key.
pub fn filter_text(r: &Record) -> String {
    fn push(out: &mut String, v: &crate::domain::Value) {
        match v {
            crate::domain::Value::List(items) => items.iter().for_each(|x| push(out, x)),
            crate::domain::Value::Map(m) => m.entries().iter().for_each(|e| push(out, &e.value)),
            // "yes"/"no" as the lists show them, and the YAML word too.
            crate::domain::Value::Bool(b) => {
                out.push_str(if *b { "yes true " } else { "no false " })
            }
            other => {
                if let Some(t) = other.as_text() {
                    out.push_str(&t.to_lowercase());
                    out.push(' ');
                }
            }
        }
    }
    let mut out = format!("{} {} ", r.id, r.kind.label()).to_lowercase();
    for e in r.fields.entries() {
        push(&mut out, &e.value);
    }
    out
}

/// The words of the `flags` column.
/// `breach`: a metric's measurement crossed its threshold and nothing was raised for it.
pub const FLAGS: [&str; 5] = ["overdue", "no current IA", "errors", "stale", "breach"];

/// Whether a (lowercase) filter could match a computed column (flags, dates) rather than
/// a field: only then are those computed per row, so `/llm` over 100,000 records is a scan
/// of the cached texts.
pub fn may_match_computed(needle: &str) -> bool {
    needle.chars().all(|c| c.is_ascii_digit() || c == '-')
        || FLAGS.iter().any(|f| f.to_lowercase().contains(needle))
}

/// A loaded workspace, with its index when a worker built it beside the load (so the
/// event loop never builds one of 100,000 records while keys wait).
pub struct Loaded(pub Workspace, pub Option<Index>);

impl From<Workspace> for Loaded {
    fn from(ws: Workspace) -> Loaded {
        Loaded(ws, None)
    }
}

/// What applying outside changes did to the caches.
pub enum Applied {
    /// No record's bytes changed.
    Nothing,
    /// Everything was rebuilt.
    All,
    /// Records of `kinds` changed; `patch`: the ids whose rows move, when no position did.
    Some {
        kinds: HashSet<RecordType>,
        patch: Option<BTreeSet<String>>,
    },
}

#[derive(Default)]
pub struct Index {
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
    /// [`filter_text`] of every record, by position: what list filters search. Made at a
    /// record's first filtering, not at load: it is a second copy of every value (tens of
    /// megabytes at 100,000 records), and only the panes that are filtered need it.
    filter_texts: Vec<std::cell::OnceCell<String>>,
    /// Records whose file no longer parses: their last good version is shown, marked.
    pub stale: HashSet<String>,
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
    /// The version of the record being saved, from [`Index::before_save`].
    old_version: Option<Record>,
    /// Each record's soonest obligation (the Registers' "next due" column), patched with
    /// the due list: a row reads it instead of scanning the whole list.
    next_due: HashMap<String, Date>,
    /// Open risks above the risk appetite, highest residual score first (Home's count and
    /// ids), and each one's score: patched for the records a change touches.
    above: BTreeSet<(std::cmp::Reverse<u32>, String)>,
    above_score: HashMap<String, u32>,
    /// How many of `findings` are errors (Home's problem count), patched with them.
    errors: usize,
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
    // A few new elements (a save): each moved into place, no second list of 100,000.
    if added.len() <= 16 {
        for x in added {
            let at = list.partition_point(|y| !order(&x, y).is_lt());
            list.insert(at, x);
        }
        return;
    }
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

impl Index {
    pub fn new(ws: &Workspace, today: Date) -> Index {
        let mut index = Index::default();
        index.rebuild(ws, today);
        index
    }

    /// Rebuilds every cache from the whole workspace.
    pub fn rebuild(&mut self, ws: &Workspace, today: Date) {
        let all = ws.validate_ids(ws.records.iter().map(|r| &r.id), today);
        self.validated = all.len();
        // Only records with findings: an entry per clean record was 100,000 keys for nothing.
        self.validation = all.into_iter().filter(|(_, f)| !f.is_empty()).collect();
        self.haystacks = ws.records.iter().map(haystack).collect();
        self.filter_texts = vec![Default::default(); ws.records.len()];
        self.due = obligations(&ws.records, &ws.settings, today);
        let ctx = Ctx { view: ws, today };
        self.whole = (0..WHOLE_RULES)
            .map(|rule| whole_rule(rule, &ws.records, &ctx))
            .collect();
        self.settings_findings = crate::rules::registry::override_findings(&ws.settings);
        self.load_findings = ws.load_findings.clone();
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
        self.errors = self.findings.iter().filter(|f| f.is_error()).count();
        self.next_due.clear();
        note_next_due(&mut self.next_due, &self.due);
        self.above.clear();
        self.above_score.clear();
        for r in ws.of_type(RecordType::Risk) {
            self.note_above(ws, &r.id);
        }
    }

    /// Puts risk `id` in (or out of) the above-appetite set as the workspace has it now.
    fn note_above(&mut self, ws: &Workspace, id: &str) {
        if let Some(old) = self.above_score.remove(id) {
            self.above.remove(&(std::cmp::Reverse(old), id.to_string()));
        }
        let Some(r) = ws.get(id).filter(|r| r.kind == RecordType::Risk) else {
            return;
        };
        if r.fields.text_is("status", "closed") {
            return;
        }
        if let Some(score) = crate::rules::specs::residual_score(&r.fields)
            .filter(|s| ws.settings.risk.above_appetite(*s))
        {
            self.above_score.insert(id.to_string(), score);
            self.above
                .insert((std::cmp::Reverse(score), id.to_string()));
        }
    }

    /// Open risks above the appetite, highest residual score first.
    pub fn above_appetite(&self) -> impl ExactSizeIterator<Item = &str> {
        self.above.iter().map(|(_, id)| id.as_str())
    }

    /// How many findings are errors, and how many warnings.
    pub fn problem_counts(&self) -> (usize, usize) {
        (self.errors, self.findings.len() - self.errors)
    }

    /// Updates the caches after a change to a few records: re-runs the rules of `affected`
    /// only (the changed records, their referrers and what they refer to), re-reads the
    /// finder text of `changed` and `relocated` (records that took a removed record's
    /// index). Returns the types of the records whose rows may have changed.
    /// `unchanged_rules[rule]`: the change left every field workspace-wide rule `rule`
    /// reads as it was, so its findings are kept.
    #[allow(clippy::too_many_arguments)]
    pub fn update(
        &mut self,
        ws: &Workspace,
        today: Date,
        changed: &BTreeSet<String>,
        affected: &BTreeSet<String>,
        relocated: &BTreeSet<String>,
        removed_kinds: &[RecordType],
        unchanged_rules: &[bool],
        same_due: bool,
    ) -> HashSet<RecordType> {
        let mut removed = Vec::new();
        let mut added = Vec::new();
        for id in affected {
            removed.extend(self.validation.remove(id).into_iter().flatten());
        }
        let fresh = ws.validate_ids(affected, today);
        self.validated = fresh.len();
        added.extend(fresh.iter().flat_map(|(_, f)| f.iter().cloned()));
        self.validation
            .extend(fresh.into_iter().filter(|(_, f)| !f.is_empty()));
        if ws.load_findings != self.load_findings {
            removed.append(&mut self.load_findings);
            self.load_findings = ws.load_findings.clone();
            added.extend(self.load_findings.iter().cloned());
        }
        // The workspace-wide rules that read a type of record that changed.
        let changed_kinds: HashSet<RecordType> = changed
            .iter()
            .filter_map(|id| ws.get(id).map(|r| r.kind))
            .chain(removed_kinds.iter().copied())
            .collect();
        let ctx = Ctx { view: ws, today };
        for (rule, held) in self.whole.iter_mut().enumerate() {
            if !unchanged_rules.get(rule).copied().unwrap_or(false)
                && whole_rule_inputs(rule)
                    .iter()
                    .any(|k| changed_kinds.contains(k))
            {
                removed.append(held);
                *held = whole_rule(rule, &ws.records, &ctx);
                added.extend(held.iter().cloned());
            }
        }
        for f in &removed {
            count_finding(&mut self.no_current_ia, &mut self.with_errors, f, false);
        }
        for f in &added {
            count_finding(&mut self.no_current_ia, &mut self.with_errors, f, true);
        }
        self.errors -= removed.iter().filter(|f| f.is_error()).count();
        self.errors += added.iter().filter(|f| f.is_error()).count();
        patch_sorted(&mut self.findings, removed, added, finding_order);
        // Every index whose record differs from before holds a changed or relocated one.
        self.haystacks.resize(ws.records.len(), String::new());
        self.filter_texts
            .resize(ws.records.len(), Default::default());
        for id in changed.iter().chain(relocated) {
            if let Some(i) = ws.index_of(id) {
                self.haystacks[i] = haystack(&ws.records[i]);
                self.filter_texts[i] = Default::default();
            }
        }
        let kinds: HashSet<RecordType> = affected
            .iter()
            .chain(relocated)
            .filter_map(|id| ws.get(id).map(|r| r.kind))
            .chain(removed_kinds.iter().copied())
            .collect();
        for id in changed.iter().chain(relocated) {
            self.note_above(ws, id);
        }
        if !same_due {
            self.refresh_due(ws, today, changed);
        }
        kinds
    }

    /// Patches the due list after `changed` records changed: their obligations, and the
    /// cross-record ones (recomputed from the assessments, audits and reviews and the
    /// systems the assessments name: a few thousand records, not the whole workspace).
    fn refresh_due(&mut self, ws: &Workspace, today: Date, changed: &BTreeSet<String>) {
        let cross = |k: RecordType| {
            matches!(
                k,
                RecordType::ImpactAssessment | RecordType::Audit | RecordType::ManagementReview
            )
        };
        // Only assessments, audits, reviews and systems take part in cross-record
        // obligations; a record that is gone may have been one.
        let crossing = changed.iter().any(|id| {
            ws.get(id)
                .is_none_or(|r| cross(r.kind) || r.kind == RecordType::System)
        });
        if !crossing {
            // A risk's or model card's review also reads the systems it names (their
            // material changes); their own items are not taken from this subset.
            let own: Vec<&Record> = changed.iter().filter_map(|id| ws.get(id)).collect();
            let named: Vec<&Record> = own
                .iter()
                .flat_map(|r| r.fields.texts("systems"))
                .filter_map(|id| ws.get(&id))
                .filter(|s| s.kind == RecordType::System && !changed.contains(&s.id))
                .collect();
            let subset: Vec<&Record> = own.into_iter().chain(named).collect();
            let ids: HashSet<&str> = changed.iter().map(String::as_str).collect();
            // Without the audits and reviews, the subset also yields the workspace's
            // "none held yet" items: only the changed records' own are wanted.
            let mut fresh = obligations_of(&subset, &ws.settings, today);
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
            for id in &ids {
                self.next_due.remove(*id);
            }
            note_next_due(&mut self.next_due, &fresh);
            patch_sorted(&mut self.due, Vec::new(), fresh, due_order);
            return;
        }
        let named: HashSet<String> = ws
            .of_type(RecordType::ImpactAssessment)
            .filter_map(|ia| ia.fields.text("system"))
            .collect();
        let subset: Vec<&Record> = ws
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
        let fresh = obligations_of(&subset, &ws.settings, today);
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
        for id in &ids {
            self.next_due.remove(*id);
        }
        note_next_due(&mut self.next_due, &fresh);
        patch_sorted(&mut due, Vec::new(), fresh, due_order);
        self.due = due;
    }

    /// After this program saved record `id`: which workspace-wide rules read no field the
    /// save changed (they keep their findings), from the version [`Index::before_save`] kept.
    fn unchanged_rules(ws: &Workspace, id: &str, old: &Option<Record>) -> Vec<bool> {
        (0..WHOLE_RULES)
            .map(|rule| {
                let (Some(old), Some(new)) = (old, ws.get(id)) else {
                    return false;
                };
                old.kind == new.kind
                    && whole_rule_reads(rule, new.kind).is_some_and(|fields| {
                        fields
                            .iter()
                            .all(|f| old.fields.get(f) == new.fields.get(f))
                    })
            })
            .collect()
    }

    /// After this program saved record `id`: `before` is [`Index::before_save`] taken
    /// before the save (what the old version was read by); the new version's readers are
    /// added, and only those are re-validated. Returns the types whose rows may change, and
    /// the ids to patch them with when no position moved.
    pub fn saved(
        &mut self,
        ws: &Workspace,
        today: Date,
        id: &str,
        mut before: BTreeSet<String>,
    ) -> (HashSet<RecordType>, Option<BTreeSet<String>>) {
        before.extend(ws.touched_by(id));
        let old = self.old_version.take().filter(|o| o.id == id);
        let unchanged = Self::unchanged_rules(ws, id, &old);
        let same_due = old
            .as_ref()
            .zip(ws.get(id))
            .is_some_and(|(o, n)| same_obligations(o, n));
        // A created record is pushed at the end: rows are rebuilt to take it in.
        let moved = self.haystacks.len() != ws.records.len();
        let changed = BTreeSet::from([id.to_string()]);
        let kinds = self.update(
            ws,
            today,
            &changed,
            &before,
            &BTreeSet::new(),
            &[],
            &unchanged,
            same_due,
        );
        (kinds, (!moved).then_some(before))
    }

    /// Applies the watcher's paths: the files are re-stated and re-hashed, and only records
    /// whose bytes changed are parsed and re-validated, with the records that read them.
    /// `None` when only a full reload can settle it (the settings changed, an id is held
    /// by two files): the loader decides then, as at start.
    pub fn apply_outside<P: AsRef<std::path::Path>>(
        &mut self,
        ws: &mut Workspace,
        today: Date,
        paths: &[P],
    ) -> Option<Applied> {
        let kinds_before: HashMap<String, RecordType> = paths
            .iter()
            .filter_map(|p| {
                let name = p.as_ref().file_stem()?.to_str()?;
                ws.get(name).map(|r| (r.id.clone(), r.kind))
            })
            .collect();
        let cs = ws.apply_changes(paths);
        if cs.full_reload {
            return None;
        }
        if cs.is_empty() {
            self.validated = 0;
            return Some(Applied::Nothing);
        }
        self.stale.extend(cs.stale.iter().cloned());
        for id in cs.recovered.iter().chain(&cs.changed) {
            if !cs.stale.contains(id) && ws.get(id).is_none_or(|r| !ws.unreadable.contains(&r.path))
            {
                self.stale.remove(id);
            }
        }
        // A record gone whose type is not known (its folder went): the workspace-wide
        // rules cannot tell whether they read it.
        let unknown = cs
            .changed
            .iter()
            .any(|id| ws.get(id).is_none() && !kinds_before.contains_key(id));
        if cs.recheck_all || unknown {
            self.rebuild(ws, today);
            return Some(Applied::All);
        }
        let removed_kinds: Vec<RecordType> = kinds_before.values().copied().collect();
        let kinds = self.update(
            ws,
            today,
            &cs.changed,
            &cs.affected,
            &cs.relocated,
            &removed_kinds,
            &[],
            false,
        );
        // Only edits in place can be patched: an added or removed record moves positions.
        let patch = (cs.relocated.is_empty() && !cs.moved).then_some(cs.affected);
        Some(Applied::Some { kinds, patch })
    }

    /// Before a fresh load replaces `old`: takes `built` (a worker's index of `fresh`) in
    /// place of this one, or rebuilds from `fresh` when there is none or when files that
    /// no longer parse kept their last good version (not in `built`). The refresh count
    /// is the session's.
    pub fn reload(
        &mut self,
        old: &Workspace,
        fresh: &mut Workspace,
        built: Option<Index>,
        today: Date,
    ) {
        let records = fresh.records.len();
        self.carry_stale(old, fresh);
        match built.filter(|_| fresh.records.len() == records) {
            Some(built) => {
                let stale = std::mem::take(&mut self.stale);
                let refreshes = self.refreshes;
                *self = built;
                self.stale = stale;
                self.refreshes = refreshes;
            }
            None => self.rebuild(fresh, today),
        }
    }

    /// Before a fresh load replaces `old`: a file that no longer parses keeps its last good
    /// version in `fresh`, marked stale.
    pub fn carry_stale(&mut self, old: &Workspace, fresh: &mut Workspace) {
        let mut stale = HashSet::new();
        for r in &old.records {
            if fresh.unreadable.contains(&r.path) && fresh.get(&r.id).is_none() {
                stale.insert(r.id.clone());
                fresh.keep_stale(r.clone());
            }
        }
        self.stale = stale;
    }

    /// What a save of record `id` must re-validate as its old version is read
    /// ([`Workspace::touched_by`]); the old version is kept so that the refresh after the
    /// save can tell which fields changed.
    pub fn before_save(&mut self, ws: &Workspace, id: &str) -> BTreeSet<String> {
        self.old_version = ws.get(id).cloned();
        ws.touched_by(id)
    }

    /// How many references to a deleted record now dangle, from the records that linked
    /// to it (matched by rule code and record, never by message text).
    pub fn dangling(&self, referrers: &HashSet<String>) -> usize {
        self.findings
            .iter()
            .filter(|f| {
                f.code == "broken-reference"
                    && f.record.as_ref().is_some_and(|r| referrers.contains(r))
            })
            .count()
            .max(referrers.len())
    }

    /// [`filter_text`] of the record at position `i`, made once.
    pub fn filter_text(&self, ws: &Workspace, i: usize) -> Option<&str> {
        let r = ws.records.get(i)?;
        Some(self.filter_texts.get(i)?.get_or_init(|| filter_text(r)))
    }

    pub fn is_overdue(&self, id: &str) -> bool {
        self.overdue.contains(id)
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
            // `who`: the person a row is about (the one trained, for competence), else its owner.
            Pane::Registers => cols.extend(["title", "who", "next due", "flags"]),
            // The flat register beside the heat map: the scores first, as a register reads.
            Pane::Risks => cols.extend([
                "title",
                "score",
                "residual",
                "owner",
                "status",
                "next review",
            ]),
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
    pub fn cell(&self, ws: &Workspace, r: &Record, col: &str) -> String {
        match col {
            "id" => r.id.clone(),
            "title" => r.title(),
            "evidence" => r.fields.list("links").len().to_string(),
            "next review" => crate::rules::due::next_review(&r.fields, r.kind, &ws.settings)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            "due" => r.fields.text("due").unwrap_or_default(),
            "who" => r
                .fields
                .text(if r.kind == RecordType::Competence {
                    "person"
                } else {
                    "owner"
                })
                .unwrap_or_default(),
            "next due" => self
                .next_due
                .get(&r.id)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            "flags" => self.flags(r).join(" "),
            "score" => crate::rules::specs::inherent_score(&r.fields)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            "residual" => crate::rules::specs::residual_score(&r.fields)
                .map(|s| s.to_string())
                .unwrap_or_default(),
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
            flags.push(FLAGS[0]);
        }
        if self.no_current_ia.contains(&r.id) {
            flags.push(FLAGS[1]);
        }
        if self.with_errors.contains(&r.id) {
            flags.push(FLAGS[2]);
        }
        if self.stale.contains(&r.id) {
            flags.push(FLAGS[3]);
        }
        if crate::rules::metric::has_open_breach(r) {
            flags.push(FLAGS[4]);
        }
        flags
    }

    /// The records linked to one: what it refers to, then what refers to it.
    pub fn links_of(ws: &Workspace, id: &str) -> Vec<String> {
        let Some(r) = ws.get(id) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for (target, _) in crate::rules::refs::references(r) {
            if ws.get(&target).is_some() && !out.contains(&target) {
                out.push(target);
            }
        }
        for other in ws.referrers(id) {
            if !out.contains(&other.id) {
                out.push(other.id.clone());
            }
        }
        // A system also leads to the controls its risks cite.
        if r.kind == RecordType::System {
            let cited: Vec<String> = ws
                .referrers(id)
                .filter(|x| x.kind == RecordType::Risk)
                .flat_map(|risk| risk.fields.texts("controls"))
                .collect();
            for control in cited {
                if ws.get(&control).is_some() && !out.contains(&control) {
                    out.push(control);
                }
            }
        }
        out
    }
}

/// Lowers each record's soonest obligation to those of `items`.
fn note_next_due(next: &mut HashMap<String, Date>, items: &[DueItem]) {
    for d in items {
        match next.get_mut(&d.record) {
            Some(at) => *at = (*at).min(d.due),
            None => {
                next.insert(d.record.clone(), d.due);
            }
        }
    }
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

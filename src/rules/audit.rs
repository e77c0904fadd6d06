//! The rules of an internal audit, apart from any screen: the result vocabulary, which
//! checklist items are open, what completing requires and records, planning a checklist
//! from the catalog and the SoA, and the state rules (a completed audit is read-only until
//! it is reopened with a reason).
//!
//! Every change is a function from the audit's fields to the fields to save, so the walk,
//! the tests and any future command apply the same rules; saving stays with the caller
//! (the workspace's surgical save).

use super::check::WorkspaceView;
use super::triage::{append, log_entry};
use crate::domain::dates::{Date, parse_date};
use crate::domain::{Map, Value, catalog};
use std::fmt;

/// The result of one checklist item, as the files write it (`result: minor-nc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemResult {
    Conforming,
    MinorNc,
    MajorNc,
    Observation,
    Ofi,
    NotAudited,
}

impl ItemResult {
    /// In the order reports count them (and `AUDIT_RESULTS` in the specs lists them).
    pub const ALL: [ItemResult; 6] = [
        ItemResult::Conforming,
        ItemResult::MinorNc,
        ItemResult::MajorNc,
        ItemResult::Observation,
        ItemResult::Ofi,
        ItemResult::NotAudited,
    ];

    /// The word in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemResult::Conforming => "conforming",
            ItemResult::MinorNc => "minor-nc",
            ItemResult::MajorNc => "major-nc",
            ItemResult::Observation => "observation",
            ItemResult::Ofi => "ofi",
            ItemResult::NotAudited => "not-audited",
        }
    }

    /// Reads the word of a file; `None` for a word the rules do not know.
    pub fn parse(s: &str) -> Option<ItemResult> {
        ItemResult::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// A short label for counts: "minor NC", "OFI".
    pub fn label(self) -> &'static str {
        match self {
            ItemResult::Conforming => "conforming",
            ItemResult::MinorNc => "minor NC",
            ItemResult::MajorNc => "major NC",
            ItemResult::Observation => "observation",
            ItemResult::Ofi => "OFI",
            ItemResult::NotAudited => "not audited",
        }
    }

    /// A minor or major nonconformity: it must link the NC raised for it.
    pub fn is_nc(self) -> bool {
        matches!(self, ItemResult::MinorNc | ItemResult::MajorNc)
    }

    /// The NC's `severity` for an NC result.
    pub fn nc_severity(self) -> Option<&'static str> {
        match self {
            ItemResult::MinorNc => Some("minor"),
            ItemResult::MajorNc => Some("major"),
            _ => None,
        }
    }

    /// A result that says the requirement is met: it cannot also link a nonconformity.
    pub fn says_met(self) -> bool {
        matches!(
            self,
            ItemResult::Conforming | ItemResult::Observation | ItemResult::Ofi
        )
    }
}

impl fmt::Display for ItemResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ItemResult {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ItemResult::parse(s).ok_or_else(|| {
            let known: Vec<_> = ItemResult::ALL.iter().map(|r| r.as_str()).collect();
            format!("`{s}` is not an audit result: use {}", known.join(", "))
        })
    }
}

/// The result an item records; `None` when it has none yet (or one the rules do not know,
/// which `aims check` reports).
pub fn result_of(item: &Map) -> Option<ItemResult> {
    item.text("result").and_then(|r| ItemResult::parse(&r))
}

/// An item is open while it has no result.
pub fn is_open(item: &Map) -> bool {
    item.is_blank("result")
}

/// The checklist items that are mappings (a scalar item is a file error `aims check` names).
fn items(fields: &Map) -> impl Iterator<Item = (usize, &Map)> {
    fields
        .list("checklist")
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_map().map(|m| (i, m)))
}

fn reference(i: usize, item: &Map) -> String {
    item.text("ref")
        .unwrap_or_else(|| format!("item {}", i + 1))
}

/// The requirement of every open item, in checklist order.
pub fn open_items(fields: &Map) -> Vec<String> {
    items(fields)
        .filter(|(_, m)| is_open(m))
        .map(|(i, m)| reference(i, m))
        .collect()
}

/// The first checklist item without a result (where a dropped connection left off).
pub fn first_open(fields: &Map) -> Option<usize> {
    fields
        .list("checklist")
        .iter()
        .position(|i| i.as_map().is_none_or(is_open))
}

/// The next open item after `from`, wrapping round (never `from` itself); `None` when no
/// other item is open.
pub fn next_open(fields: &Map, from: usize) -> Option<usize> {
    let list = fields.list("checklist");
    let n = list.len();
    (from + 1..n)
        .chain(0..from.min(n))
        .find(|&i| list[i].as_map().is_some_and(is_open))
}

pub fn is_completed(fields: &Map) -> bool {
    fields.text_is("status", "completed")
}

/// What completing an audit would record, and what stands in its way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    pub items: usize,
    /// Items per result, in [`ItemResult::ALL`] order, zero counts included.
    pub counts: Vec<(ItemResult, usize)>,
    /// The nonconformities the checklist links, in checklist order.
    pub ncs: Vec<String>,
    /// Items without a result: completion waits for them.
    pub open: Vec<String>,
    /// Items with an NC result that link no nonconformity: completion waits for them.
    pub unlinked: Vec<String>,
}

impl Completion {
    pub fn of(fields: &Map) -> Completion {
        let mut c = Completion {
            counts: ItemResult::ALL.iter().map(|r| (*r, 0)).collect(),
            ..Completion::default()
        };
        for (i, m) in items(fields) {
            c.items += 1;
            let result = result_of(m);
            if is_open(m) {
                c.open.push(reference(i, m));
            }
            if let Some(r) = result
                && let Some(slot) = c.counts.iter_mut().find(|(x, _)| *x == r)
            {
                slot.1 += 1;
            }
            match m.text("nc") {
                Some(nc) => c.ncs.push(nc),
                None if result.is_some_and(ItemResult::is_nc) => c.unlinked.push(reference(i, m)),
                None => {}
            }
        }
        c
    }

    pub fn count(&self, r: ItemResult) -> usize {
        self.counts
            .iter()
            .find(|(x, _)| *x == r)
            .map_or(0, |(_, n)| *n)
    }

    /// Why the audit cannot be completed yet, or `None` when it can.
    pub fn blockers(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.open.is_empty() {
            let shown: Vec<_> = self.open.iter().take(5).cloned().collect();
            let more = if self.open.len() > 5 { ", …" } else { "" };
            parts.push(format!(
                "{} without a result ({}{more})",
                crate::domain::text::plural(self.open.len(), "item"),
                shown.join(", ")
            ));
        }
        if !self.unlinked.is_empty() {
            parts.push(format!(
                "NC results without a nonconformity: {}",
                self.unlinked.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// "30 conforming, 2 minor NC, 1 OFI": the results that occur, in order.
    pub fn counts_line(&self) -> String {
        let parts: Vec<String> = self
            .counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(r, n)| format!("{n} {}", r.label()))
            .collect();
        if parts.is_empty() {
            "no results".into()
        } else {
            parts.join(", ")
        }
    }

    /// The lines a confirmation shows: what completing will record.
    pub fn summary_lines(&self) -> Vec<String> {
        let list = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        vec![
            format!("{} items: {}", self.items, self.counts_line()),
            format!("Nonconformities raised: {}", list(&self.ncs)),
            format!("Open items: {}", list(&self.open)),
        ]
    }
}

/// Why an item of this audit cannot change now, or `None` when it can.
pub fn refuse_change(id: &str, fields: &Map) -> Option<String> {
    is_completed(fields).then(|| {
        format!("{id} is completed, so its results are read-only: reopen it with a reason first")
    })
}

/// Sets fields of checklist item `index` (`None` removes one). Refused on a completed
/// audit; the first result marks a planned audit as started today.
pub fn set_item(
    id: &str,
    fields: &Map,
    index: usize,
    changes: &[(&str, Option<Value>)],
    today: Date,
) -> Result<Map, String> {
    if let Some(why) = refuse_change(id, fields) {
        return Err(why);
    }
    let mut out = fields.clone();
    let mut list = out.list("checklist").to_vec();
    let Some(Value::Map(item)) = list.get_mut(index) else {
        return Err(format!("{id} has no checklist item {}", index + 1));
    };
    for (key, value) in changes {
        match value {
            Some(v) => item.set(key, v.clone()),
            None => {
                item.remove(key);
            }
        }
    }
    out.set("checklist", Value::List(list));
    if out.text_is("status", "planned") {
        out.set("status", Value::str("in-progress"));
        if out.is_blank("started_on") {
            out.set("started_on", Value::str(today.to_string()));
        }
    }
    Ok(out)
}

/// What the lead auditor signs when completing an audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    pub conclusion: String,
    /// Person id.
    pub by: String,
    pub on: Date,
}

/// Completes the audit: status, completion date, conclusion and sign-off, and a history
/// entry saying what was recorded. Refused while items are open or NC results link no
/// nonconformity, and without a conclusion or signatory.
pub fn complete(
    id: &str,
    fields: &Map,
    sign: &SignOff,
    today: Date,
    by: &str,
) -> Result<Map, String> {
    if is_completed(fields) {
        return Err(format!("{id} is already completed"));
    }
    let summary = Completion::of(fields);
    if let Some(why) = summary.blockers() {
        return Err(format!("not completed: {why}"));
    }
    if sign.conclusion.trim().is_empty() {
        return Err("write the audit's conclusion: it goes into the report".into());
    }
    if sign.by.trim().is_empty() {
        return Err("name who signs the audit off (the lead auditor)".into());
    }
    if sign.on > today {
        return Err(format!(
            "{} is in the future: sign off today or earlier",
            sign.on
        ));
    }
    let mut out = fields.clone();
    out.set("status", Value::str("completed"));
    out.set("completed_on", Value::str(today.to_string()));
    out.set("conclusion", Value::str(sign.conclusion.trim()));
    out.set("signed_off_by", Value::str(sign.by.trim()));
    out.set("signed_off_on", Value::str(sign.on.to_string()));
    let ncs = if summary.ncs.is_empty() {
        String::new()
    } else {
        format!("; NCs {}", summary.ncs.join(", "))
    };
    append(
        &mut out,
        "history",
        log_entry(
            today,
            by,
            &format!(
                "completed: {}{ncs}; signed off by {} on {}",
                summary.counts_line(),
                sign.by.trim(),
                sign.on
            ),
        ),
    );
    Ok(out)
}

/// Reopens a completed audit so its results can change again. The completion and its
/// sign-off no longer hold, so they are removed; the history keeps them with the reason.
/// The conclusion stays as a draft for the next completion.
pub fn reopen(id: &str, fields: &Map, reason: &str, today: Date, by: &str) -> Result<Map, String> {
    if !is_completed(fields) {
        return Err(format!("{id} is not completed: nothing to reopen"));
    }
    if reason.trim().is_empty() {
        return Err("reopening a completed audit needs a reason".into());
    }
    let mut out = fields.clone();
    let was = match (
        fields.text("completed_on"),
        fields.text("signed_off_by"),
        fields.text("signed_off_on"),
    ) {
        (Some(on), Some(who), Some(when)) => {
            format!(" (completed {on}, signed off by {who} on {when})")
        }
        (Some(on), _, _) => format!(" (completed {on})"),
        _ => String::new(),
    };
    out.set("status", Value::str("in-progress"));
    for key in ["completed_on", "signed_off_by", "signed_off_on"] {
        out.remove(key);
    }
    append(
        &mut out,
        "history",
        log_entry(today, by, &format!("reopened{was}: {}", reason.trim())),
    );
    Ok(out)
}

/// The completion fields a completed audit lacks: `conclusion`, `signed_off_by`,
/// `signed_off_on` (for `aims check` and the report).
pub fn missing_sign_off(fields: &Map) -> Vec<&'static str> {
    ["conclusion", "signed_off_by", "signed_off_on"]
        .into_iter()
        .filter(|k| fields.is_blank(k))
        .collect()
}

/// The date of the sign-off, when it is a valid one.
pub fn signed_off_on(fields: &Map) -> Option<Date> {
    fields.text("signed_off_on").and_then(|t| parse_date(&t))
}

/// A new audit's plan: every clause of 4-10 and every Annex A control the SoA marks
/// applicable, one checklist item each, with the scope saying so; the lead is who plans it.
pub fn plan(values: &mut Map, view: &dyn WorkspaceView, lead: Option<&str>) {
    let applicable: Vec<&str> = catalog::CONTROLS
        .iter()
        .map(|c| c.id)
        .filter(|id| {
            view.record(id)
                .is_some_and(|r| r.fields.bool("applicable") == Some(true))
        })
        .collect();
    let items: Vec<Value> = catalog::CLAUSES
        .iter()
        .map(|c| c.id)
        .chain(applicable.iter().copied())
        .map(|id| {
            let mut m = Map::new();
            m.set("ref", Value::str(id));
            Value::Map(m)
        })
        .collect();
    values.set(
        "scope",
        Value::str(format!(
            "Clauses 4-10 and the {} Annex A controls the Statement of Applicability marks applicable.",
            applicable.len()
        )),
    );
    if let Some(lead) = lead {
        values.set("lead_auditor", Value::str(lead));
    }
    values.set("checklist", Value::List(items));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Record, RecordType, Settings};

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn item(pairs: &[(&str, &str)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::str(*v)))
                .collect(),
        )
    }

    /// An audit in progress: 4.1 conforming, 5.2 minor NC linked to NC-001, 6.1 open,
    /// 7.2 OFI.
    fn audit(status: &str) -> Map {
        let mut m = Map::new();
        m.set("id", Value::str("AUD-1"));
        m.set("status", Value::str(status));
        m.set("lead_auditor", Value::str("jk"));
        m.set(
            "checklist",
            Value::List(vec![
                item(&[("ref", "4.1"), ("result", "conforming")]),
                item(&[("ref", "5.2"), ("result", "minor-nc"), ("nc", "NC-001")]),
                item(&[("ref", "6.1")]),
                item(&[("ref", "7.2"), ("result", "ofi")]),
            ]),
        );
        m
    }

    fn sign() -> SignOff {
        SignOff {
            conclusion: "Effective, one minor NC.".into(),
            by: "jk".into(),
            on: d("2026-11-22"),
        }
    }

    #[test]
    fn results_read_and_print_the_words_of_the_files() {
        for r in ItemResult::ALL {
            assert_eq!(ItemResult::parse(r.as_str()), Some(r));
            assert_eq!(r.to_string().parse::<ItemResult>(), Ok(r));
        }
        assert_eq!(ItemResult::parse("conformant"), None);
        assert!(
            "nope"
                .parse::<ItemResult>()
                .unwrap_err()
                .contains("minor-nc")
        );
        // The spec's choices are the same words in the same order.
        let spec: Vec<&str> = crate::rules::specs::AUDIT_RESULTS
            .iter()
            .map(|c| c.0)
            .collect();
        let ours: Vec<&str> = ItemResult::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(spec, ours);
        assert!(ItemResult::MinorNc.is_nc() && !ItemResult::Ofi.is_nc());
        assert!(ItemResult::Observation.says_met() && !ItemResult::NotAudited.says_met());
    }

    #[test]
    fn open_items_are_those_without_a_result() {
        let a = audit("in-progress");
        assert_eq!(open_items(&a), vec!["6.1"]);
        assert_eq!(first_open(&a), Some(2));
        assert_eq!(
            next_open(&a, 2),
            None,
            "the current item is not the next one"
        );
        assert_eq!(next_open(&a, 0), Some(2));
        assert_eq!(next_open(&a, 3), Some(2));
        let done = set_item(
            "AUD-1",
            &a,
            2,
            &[("result", Some(Value::str("conforming")))],
            d("2026-11-22"),
        )
        .unwrap();
        assert_eq!(open_items(&done), Vec::<String>::new());
        assert_eq!(first_open(&done), None);
        assert_eq!(next_open(&done, 0), None);
    }

    #[test]
    fn the_completion_summary_counts_results_ncs_and_blockers() {
        let c = Completion::of(&audit("in-progress"));
        assert_eq!(c.items, 4);
        assert_eq!(c.count(ItemResult::Conforming), 1);
        assert_eq!(c.count(ItemResult::MinorNc), 1);
        assert_eq!(c.count(ItemResult::MajorNc), 0);
        assert_eq!(c.ncs, vec!["NC-001"]);
        assert_eq!(c.open, vec!["6.1"]);
        assert_eq!(c.counts_line(), "1 conforming, 1 minor NC, 1 OFI");
        assert!(
            c.blockers()
                .unwrap()
                .contains("1 item without a result (6.1)")
        );
        assert_eq!(
            c.summary_lines(),
            vec![
                "4 items: 1 conforming, 1 minor NC, 1 OFI",
                "Nonconformities raised: NC-001",
                "Open items: 6.1",
            ]
        );
        // An NC result without its NC blocks too.
        let mut a = audit("in-progress");
        a = set_item(
            "AUD-1",
            &a,
            2,
            &[("result", Some(Value::str("major-nc")))],
            d("2026-11-22"),
        )
        .unwrap();
        let c = Completion::of(&a);
        assert_eq!(
            c.blockers().unwrap(),
            "NC results without a nonconformity: 6.1"
        );
    }

    #[test]
    fn completing_records_the_sign_off_and_history_and_is_refused_while_open() {
        let today = d("2026-11-22");
        let a = audit("in-progress");
        let err = complete("AUD-1", &a, &sign(), today, "jk").unwrap_err();
        assert!(err.contains("6.1"), "{err}");
        let a = set_item(
            "AUD-1",
            &a,
            2,
            &[("result", Some(Value::str("conforming")))],
            today,
        )
        .unwrap();
        let mut blank = sign();
        blank.conclusion = " ".into();
        assert!(
            complete("AUD-1", &a, &blank, today, "jk")
                .unwrap_err()
                .contains("conclusion")
        );
        let mut later = sign();
        later.on = d("2026-11-23");
        assert!(
            complete("AUD-1", &a, &later, today, "jk")
                .unwrap_err()
                .contains("future")
        );
        let done = complete("AUD-1", &a, &sign(), today, "jk").unwrap();
        assert!(is_completed(&done));
        assert_eq!(done.text("completed_on").as_deref(), Some("2026-11-22"));
        assert_eq!(
            done.text("conclusion").as_deref(),
            Some("Effective, one minor NC.")
        );
        assert_eq!(done.text("signed_off_by").as_deref(), Some("jk"));
        assert_eq!(signed_off_on(&done), Some(today));
        assert!(missing_sign_off(&done).is_empty());
        let log = done.list("history")[0].as_map().unwrap();
        assert_eq!(log.text("by").as_deref(), Some("jk"));
        assert_eq!(
            log.text("note").as_deref(),
            Some(
                "completed: 2 conforming, 1 minor NC, 1 OFI; NCs NC-001; signed off by jk on 2026-11-22"
            )
        );
        assert!(
            complete("AUD-1", &done, &sign(), today, "jk")
                .unwrap_err()
                .contains("already")
        );
    }

    #[test]
    fn a_completed_audit_is_read_only_until_reopened_with_a_reason() {
        let today = d("2026-11-22");
        let mut done = audit("completed");
        done.set("completed_on", Value::str("2026-11-20"));
        done.set("signed_off_by", Value::str("jk"));
        done.set("signed_off_on", Value::str("2026-11-20"));
        let err = set_item(
            "AUD-1",
            &done,
            0,
            &[("result", Some(Value::str("minor-nc")))],
            today,
        )
        .unwrap_err();
        assert!(
            err.contains("AUD-1 is completed") && err.contains("reopen"),
            "{err}"
        );
        assert!(
            reopen("AUD-1", &done, "  ", today, "am")
                .unwrap_err()
                .contains("reason")
        );
        let open = reopen("AUD-1", &done, "NC-001 was withdrawn", today, "am").unwrap();
        assert_eq!(open.text("status").as_deref(), Some("in-progress"));
        assert!(open.is_blank("completed_on") && open.is_blank("signed_off_by"));
        let log = open.list("history")[0].as_map().unwrap();
        assert_eq!(log.text("date").as_deref(), Some("2026-11-22"));
        assert_eq!(log.text("by").as_deref(), Some("am"));
        assert_eq!(
            log.text("note").as_deref(),
            Some(
                "reopened (completed 2026-11-20, signed off by jk on 2026-11-20): NC-001 was withdrawn"
            )
        );
        assert!(
            set_item(
                "AUD-1",
                &open,
                0,
                &[("result", Some(Value::str("minor-nc")))],
                today
            )
            .is_ok()
        );
        assert!(
            reopen("AUD-1", &open, "again", today, "am")
                .unwrap_err()
                .contains("not completed")
        );
    }

    #[test]
    fn the_first_result_starts_a_planned_audit() {
        let a = audit("planned");
        let out = set_item(
            "AUD-1",
            &a,
            2,
            &[("notes", Some(Value::str("seen")))],
            d("2026-11-22"),
        )
        .unwrap();
        assert_eq!(out.text("status").as_deref(), Some("in-progress"));
        assert_eq!(out.text("started_on").as_deref(), Some("2026-11-22"));
        assert!(set_item("AUD-1", &a, 9, &[], d("2026-11-22")).is_err());
    }

    struct View(Vec<Record>, Settings);
    impl WorkspaceView for View {
        fn settings(&self) -> &Settings {
            &self.1
        }
        fn record(&self, id: &str) -> Option<&Record> {
            self.0.iter().find(|r| r.id == id)
        }
        fn linked_from(&self, _: &str) -> Vec<&Record> {
            Vec::new()
        }
        fn evidence_exists(&self, _: &str) -> bool {
            true
        }
    }

    #[test]
    fn planning_lists_every_clause_and_the_applicable_controls_only() {
        let soa = |id: &str, applicable: bool| {
            let mut f = Map::new();
            f.set("id", Value::str(id));
            f.set("applicable", Value::Bool(applicable));
            Record {
                kind: RecordType::Soa,
                id: id.to_string(),
                fields: f,
                path: format!("soa/{id}.yaml").into(),
                content_hash: 0,
            }
        };
        let view = View(
            vec![soa("A.2.2", true), soa("A.10.4", false)],
            Settings::default(),
        );
        let mut values = Map::new();
        plan(&mut values, &view, Some("jk"));
        let refs: Vec<String> = values
            .list("checklist")
            .iter()
            .filter_map(|v| v.as_map()?.text("ref"))
            .collect();
        assert_eq!(refs.len(), catalog::CLAUSES.len() + 1);
        assert!(refs.contains(&"A.2.2".to_string()));
        assert!(!refs.contains(&"A.10.4".to_string()));
        assert_eq!(refs[0], catalog::CLAUSES[0].id);
        assert_eq!(values.text("lead_auditor").as_deref(), Some("jk"));
        assert!(
            values
                .text("scope")
                .unwrap()
                .contains("the 1 Annex A controls")
        );
        assert!(open_items(&values).len() == refs.len());
    }
}

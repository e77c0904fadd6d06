//! Due dates: every dated obligation in the workspace, given "today".

use super::spec;
use super::specs::date_of;
use crate::domain::dates::{Cadence, Date};
use crate::domain::{Map, Record, RecordType, Settings};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DueKind {
    Review,
    ImpactAssessmentRefresh,
    CorrectiveAction,
    RiskTreatment,
    Audit,
    InternalAudit,
    ManagementReview,
    ReviewAction,
    Objective,
    AcceptanceRenewal,
    IncidentReport,
    Training,
    Communication,
    Measurement,
}

impl DueKind {
    pub fn label(self) -> &'static str {
        match self {
            DueKind::Review => "review",
            DueKind::ImpactAssessmentRefresh => "IA refresh",
            DueKind::CorrectiveAction => "corrective action",
            DueKind::RiskTreatment => "risk treatment",
            DueKind::Audit => "planned audit",
            DueKind::InternalAudit => "internal audit",
            DueKind::ManagementReview => "management review",
            DueKind::ReviewAction => "review action",
            DueKind::Objective => "objective",
            DueKind::AcceptanceRenewal => "acceptance renewal",
            DueKind::IncidentReport => "incident report",
            DueKind::Training => "training",
            DueKind::Communication => "communication",
            DueKind::Measurement => "measurement",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DueState {
    Overdue,
    DueSoon,
    Later,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueItem {
    pub due: Date,
    pub kind: DueKind,
    pub record: String,
    #[serde(serialize_with = "ser_type")]
    pub record_type: RecordType,
    pub title: String,
    pub owner: Option<String>,
    pub state: DueState,
    /// Days from today: negative when overdue.
    pub days: i64,
    /// Which sub-item it is (the index of a management-review action).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
}

fn ser_type<S: serde::Serializer>(t: &RecordType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.key())
}

/// The next review of a record: `next_review`, else `last_reviewed` + the type's cadence.
pub fn next_review(fields: &Map, kind: RecordType, settings: &Settings) -> Option<Date> {
    let last = date_of(fields, "last_reviewed");
    let by_cadence = last.and_then(|l| Some(settings.cadence(kind)?.after(l)));
    match date_of(fields, "next_review") {
        // A next review on or before the last one is stale (someone recorded a review
        // and left the old date): the cadence from the new review applies.
        Some(next) if last.is_none_or(|l| next > l) => Some(next),
        _ => by_cadence,
    }
}

/// When a competence record falls due again: `next_due` (unless the training was redone
/// since), else completed on + its renewal period. `None` for a one-off competence.
pub fn next_training(fields: &Map) -> Option<Date> {
    let done = date_of(fields, "completed_on");
    let every = fields.text("every").and_then(|t| Cadence::parse(&t));
    match date_of(fields, "next_due") {
        Some(next) if done.is_none_or(|d| next > d) => Some(next),
        _ => Some(every?.after(done?)),
    }
}

/// The latest date of a log table (`log`, `measurements`).
pub fn last_logged(fields: &Map, table: &str) -> Option<Date> {
    fields
        .list(table)
        .iter()
        .filter_map(|v| v.as_map())
        .filter_map(|m| date_of(m, "date"))
        .max()
}

/// When something recurring (a planned communication, a metric's measurement) is next due:
/// `next_due` when it is later than the last time, else the last time (or, never done,
/// the record's first date) + the period in `period_field`. An event-driven cadence
/// ("on each model release") has no date unless `next_due` gives one.
pub fn next_recurrence(
    r: &Record,
    table: &str,
    period_field: &str,
    settings: &Settings,
) -> Option<Date> {
    let last = last_logged(&r.fields, table);
    if let Some(next) = date_of(&r.fields, "next_due")
        && last.is_none_or(|l| next > l)
    {
        return Some(next);
    }
    let period = r
        .fields
        .text(period_field)
        .and_then(|t| Cadence::parse(&t))?;
    Some(period.after(last.or_else(|| created_on(r, settings))?))
}

/// When an approved impact assessment must be refreshed: `next_refresh`, else approval +
/// the impact-assessment cadence.
pub fn ia_refresh_date(fields: &Map, approved_on: Date, settings: &Settings) -> Date {
    // The cadence is a maximum age: a `next_refresh` further out does not extend it.
    let by_cadence = settings
        .cadence(RecordType::ImpactAssessment)
        .map(|c| c.after(approved_on));
    match (date_of(fields, "next_refresh"), by_cadence) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(approved_on),
    }
}

/// Statuses after which a record no longer carries obligations.
fn finished(r: &Record) -> bool {
    let status = r.fields.text("status");
    let status = status.as_deref();
    match r.kind {
        RecordType::System => r.fields.text("lifecycle_stage").as_deref() == Some("retired"),
        RecordType::Risk | RecordType::Nonconformity | RecordType::Incident => {
            status == Some("closed")
        }
        RecordType::Document => status == Some("retired"),
        RecordType::Objective => matches!(status, Some("achieved" | "missed")),
        RecordType::Audit => matches!(status, Some("completed" | "cancelled")),
        RecordType::ImpactAssessment => status == Some("superseded"),
        RecordType::ContextIssue
        | RecordType::InterestedParty
        | RecordType::Communication
        | RecordType::Metric => status == Some("retired"),
        RecordType::Dataset => status == Some("disposed"),
        _ => false,
    }
}

fn state_of(days: i64, settings: &Settings) -> DueState {
    if days < 0 {
        DueState::Overdue
    } else if days <= i64::from(settings.due_soon_days) {
        DueState::DueSoon
    } else {
        DueState::Later
    }
}

/// When a record came into being, for a first review: the earliest date the record
/// itself carries (a log entry, an approval, an acceptance...), else the date the AIMS was
/// established. The core reads no git history, so a record that carries no date at all
/// counts from `established`: a new record with no date is due at once in a long-running
/// AIMS, which is what an auditor would expect of a record nobody has looked at.
pub fn created_on(r: &Record, settings: &Settings) -> Option<Date> {
    fn earliest(v: &crate::domain::Value) -> Option<Date> {
        use crate::domain::Value;
        match v {
            Value::Map(m) => m.entries().iter().filter_map(|e| earliest(&e.value)).min(),
            Value::List(items) => items.iter().filter_map(earliest).min(),
            other => other
                .as_text()
                .and_then(|t| crate::domain::dates::parse_date(&t)),
        }
    }
    r.fields
        .entries()
        .iter()
        .filter(|e| e.key != "next_review")
        .filter_map(|e| earliest(&e.value))
        .min()
        .or(settings.established)
}

/// Every dated obligation, soonest first.
pub fn obligations(records: &[Record], settings: &Settings, today: Date) -> Vec<DueItem> {
    obligations_of(&records.iter().collect::<Vec<_>>(), settings, today)
}

/// Fields of a record type that no obligation reads, its own or a cross-record one (an
/// audit's checklist: answering an item in the walk cannot move a date).
fn unread_by_obligations(kind: RecordType) -> &'static [&'static str] {
    match kind {
        RecordType::Audit => &["checklist"],
        _ => &[],
    }
}

/// Whether two versions of a record give the workspace the same obligations: they differ
/// only in fields no obligation reads, so a save of it leaves the due list as it was.
pub fn same_obligations(old: &Record, new: &Record) -> bool {
    let unread = unread_by_obligations(new.kind);
    if old.kind != new.kind || old.id != new.id || unread.is_empty() {
        return false;
    }
    let differs = |a: &Record, b: &Record| {
        a.fields.entries().iter().any(|e| {
            !unread.contains(&e.key.as_str()) && b.fields.get(e.key.as_str()) != Some(&e.value)
        })
    };
    !differs(old, new) && !differs(new, old)
}

/// The obligations of some records: each record's own, and those that come from the
/// records given together (the latest approved assessment of each system, the last audit
/// and management review), soonest first. Given every impact assessment, audit and
/// management review and the systems they name, the cross-record obligations are those of
/// the whole workspace, so a change can recompute only what it touches.
pub fn obligations_of(records: &[&Record], settings: &Settings, today: Date) -> Vec<DueItem> {
    let mut out = Vec::new();
    let mut push = |due: Date,
                    kind: DueKind,
                    r: &Record,
                    title: String,
                    owner: Option<String>,
                    index: Option<usize>| {
        let days = (due - today).num_days();
        let state = state_of(days, settings);
        out.push(DueItem {
            due,
            kind,
            record: r.id.clone(),
            record_type: r.kind,
            title,
            owner,
            state,
            days,
            index,
        });
    };

    let by_id: std::collections::HashMap<&str, &Record> =
        records.iter().map(|r| (r.id.as_str(), *r)).collect();
    let mut latest_ia: std::collections::BTreeMap<String, (Date, &Record)> = Default::default();
    let (mut last_audit, mut audit_pending) = (None::<(Date, &Record)>, false);
    let (mut last_review, mut review_pending) = (None::<(Date, &Record)>, false);

    for &r in records {
        let f = &r.fields;
        if finished(r) && r.kind != RecordType::Audit {
            continue;
        }
        if spec(r.kind).reviewed {
            // A record never reviewed is due a cadence after it was created.
            let first = || Some(settings.cadence(r.kind)?.after(created_on(r, settings)?));
            if let Some(d) = next_review(f, r.kind, settings).or_else(first) {
                push(d, DueKind::Review, r, r.title(), r.owner(), None);
            }
        }
        match r.kind {
            RecordType::ImpactAssessment => {
                if let (Some("approved"), Some(system), Some(approved)) = (
                    f.text("status").as_deref(),
                    f.text("system"),
                    date_of(f, "approved_on"),
                ) {
                    let slot = latest_ia.entry(system).or_insert((approved, r));
                    if approved >= slot.0 {
                        *slot = (approved, r);
                    }
                }
            }
            RecordType::Nonconformity => {
                // Verifying: the corrective action is done; its effectiveness is checked.
                if f.text("status").as_deref() != Some("verifying")
                    && let Some(d) = date_of(f, "due")
                {
                    push(
                        d,
                        DueKind::CorrectiveAction,
                        r,
                        first_line(f, "description", r),
                        r.owner(),
                        None,
                    );
                }
            }
            RecordType::Risk => {
                let treating =
                    matches!(f.text("status").as_deref(), Some("identified" | "treating"));
                if treating
                    && f.text("treatment").as_deref() == Some("mitigate")
                    && let Some(d) = date_of(f, "treatment_due")
                {
                    push(d, DueKind::RiskTreatment, r, r.title(), r.owner(), None);
                }
                if !f.is_blank("accepted_by")
                    && let Some(d) = super::check::acceptance_expiry(f, settings)
                {
                    push(
                        d,
                        DueKind::AcceptanceRenewal,
                        r,
                        r.title(),
                        f.text("accepted_by"),
                        None,
                    );
                }
            }
            RecordType::Audit => match f.text("status").as_deref() {
                Some("planned") => {
                    audit_pending = true;
                    if let Some(d) = date_of(f, "planned_on") {
                        push(
                            d,
                            DueKind::Audit,
                            r,
                            r.title(),
                            f.text("lead_auditor"),
                            None,
                        );
                    }
                }
                Some("in-progress") => audit_pending = true,
                Some("completed") => {
                    if let Some(d) = date_of(f, "completed_on").or(date_of(f, "planned_on"))
                        && last_audit.is_none_or(|(l, _)| d > l)
                    {
                        last_audit = Some((d, r));
                    }
                }
                _ => {}
            },
            RecordType::ManagementReview => {
                let held = date_of(f, "held_on");
                match (f.text("status").as_deref(), held) {
                    (Some("planned"), Some(d)) => {
                        review_pending = true;
                        push(
                            d,
                            DueKind::ManagementReview,
                            r,
                            r.title(),
                            f.text("chair"),
                            None,
                        );
                    }
                    (Some("held"), Some(d)) if last_review.is_none_or(|(l, _)| d > l) => {
                        last_review = Some((d, r))
                    }
                    _ => {}
                }
                for (i, action) in f.list("actions").iter().enumerate() {
                    let Some(action) = action.as_map() else {
                        continue;
                    };
                    if action.text("status").as_deref() != Some("done")
                        && let Some(d) = date_of(action, "due")
                    {
                        let text = action.text("action").unwrap_or_default();
                        push(
                            d,
                            DueKind::ReviewAction,
                            r,
                            text,
                            action.text("owner"),
                            Some(i),
                        );
                    }
                }
            }
            RecordType::Incident if super::check::reporting_status(f) == "pending" => {
                for (regime, d) in super::check::report_deadlines(f, settings) {
                    push(
                        d,
                        DueKind::IncidentReport,
                        r,
                        format!("{}: {}", regime.name, r.title()),
                        r.owner(),
                        None,
                    );
                }
            }
            RecordType::Objective => {
                if let Some(d) = date_of(f, "due") {
                    push(d, DueKind::Objective, r, r.title(), r.owner(), None);
                }
            }
            RecordType::Competence => {
                if let Some(d) = next_training(f) {
                    let person = f.text("person").unwrap_or_default();
                    let owner = r.owner().or(f.text("person"));
                    let title = format!("{}: {person}", r.title());
                    push(d, DueKind::Training, r, title, owner, None);
                }
            }
            RecordType::Communication => {
                if let Some(d) = next_recurrence(r, "log", "cadence", settings) {
                    push(d, DueKind::Communication, r, r.title(), r.owner(), None);
                }
            }
            RecordType::Metric => {
                if let Some(d) = next_recurrence(r, "measurements", "frequency", settings) {
                    push(d, DueKind::Measurement, r, r.title(), r.owner(), None);
                }
            }
            _ => {}
        }
    }
    // A material change to a system makes its risks and its model card due for review now.
    for r in records {
        let systems: Vec<String> = match r.kind {
            RecordType::Risk if !finished(r) => r.fields.texts("systems"),
            RecordType::Document
                if !finished(r) && r.fields.text("kind").as_deref() == Some("model-card") =>
            {
                r.fields.texts("systems")
            }
            _ => continue,
        };
        let looked_at = [
            date_of(&r.fields, "last_reviewed"),
            date_of(&r.fields, "approved_on"),
        ]
        .into_iter()
        .flatten()
        .max();
        let change = systems
            .iter()
            .filter_map(|id| by_id.get(id.as_str()))
            .filter(|s| !finished(s))
            .filter_map(|s| {
                Some((
                    super::check::last_material_change(&s.fields)?,
                    s.id.as_str(),
                ))
            })
            .max();
        if let Some((changed, system)) = change
            && looked_at.is_none_or(|l| l < changed)
        {
            push(
                changed,
                DueKind::Review,
                r,
                format!("{} (after the material change of {system})", r.title()),
                r.owner(),
                None,
            );
        }
    }
    for (system, (approved, ia)) in &latest_ia {
        let due = ia_refresh_date(&ia.fields, *approved, settings);
        let owner = by_id
            .get(system.as_str())
            .and_then(|r| r.owner())
            .or(ia.fields.text("assessor"));
        push(
            due,
            DueKind::ImpactAssessmentRefresh,
            ia,
            format!("impact assessment of {system}"),
            owner,
            None,
        );
    }
    // The yearly cycles: one cadence after the last one held, unless the next is planned.
    let cycles = [
        (
            last_audit,
            audit_pending,
            RecordType::Audit,
            DueKind::InternalAudit,
            "lead_auditor",
        ),
        (
            last_review,
            review_pending,
            RecordType::ManagementReview,
            DueKind::ManagementReview,
            "chair",
        ),
    ];
    for (last, pending, kind, due_kind, owner_field) in cycles {
        if let (Some((last, r)), false) = (last, pending)
            && let Some(c) = settings.cadence(kind)
        {
            let title = format!("next {} (last: {})", kind.label(), r.id);
            push(
                c.after(last),
                due_kind,
                r,
                title,
                r.fields.text(owner_field),
                None,
            );
        }
    }
    // Never held at all: due a cadence after the AIMS was established. There is no record
    // to point at yet, so the item names aims.yaml, where `established` lives.
    for (last, pending, kind, due_kind) in [
        (
            last_audit,
            audit_pending,
            RecordType::Audit,
            DueKind::InternalAudit,
        ),
        (
            last_review,
            review_pending,
            RecordType::ManagementReview,
            DueKind::ManagementReview,
        ),
    ] {
        if last.is_none()
            && !pending
            && let (Some(est), Some(c)) = (settings.established, settings.cadence(kind))
        {
            let due = c.after(est);
            let days = (due - today).num_days();
            out.push(DueItem {
                due,
                kind: due_kind,
                record: crate::domain::settings::SETTINGS_FILE.to_string(),
                record_type: kind,
                title: format!("first {} (none held since {est})", kind.label()),
                owner: None,
                state: state_of(days, settings),
                days,
                index: None,
            });
        }
    }
    out.sort_by(|a, b| (a.due, a.kind, &a.record).cmp(&(b.due, b.kind, &b.record)));
    out
}

/// The first sentence of a long text field, as a title for records that have none.
fn first_line(f: &Map, key: &str, r: &Record) -> String {
    let Some(text) = f.text(key) else {
        return r.title();
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(end) => flat[..=end].to_string(),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Value;

    fn audit(status: &str, answered: &str) -> Record {
        let mut fields = Map::default();
        fields.set("status", Value::Str(status.into()));
        fields.set("planned_on", Value::Str("2026-10-01".into()));
        let mut item = Map::default();
        item.set("result", Value::Str(answered.into()));
        fields.set("checklist", Value::List(vec![Value::Map(item)]));
        Record {
            kind: RecordType::Audit,
            id: "AUD-1".into(),
            fields,
            path: "audits/AUD-1.yaml".into(),
            content_hash: 0,
        }
    }

    #[test]
    fn an_answered_checklist_item_keeps_the_obligations_and_a_status_does_not() {
        let open = audit("in-progress", "");
        assert!(same_obligations(&open, &audit("in-progress", "conforming")));
        assert!(!same_obligations(&open, &audit("completed", "")));
        // A field added or removed counts as a change.
        let mut more = audit("in-progress", "");
        more.fields
            .set("completed_on", Value::Str("2026-11-01".into()));
        assert!(!same_obligations(&open, &more) && !same_obligations(&more, &open));
        // Other types have no field no obligation reads.
        let mut risk = audit("in-progress", "");
        risk.kind = RecordType::Risk;
        assert!(!same_obligations(&risk, &risk.clone()));
    }
}

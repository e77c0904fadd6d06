//! The triage actions of the morning list: mark reviewed, reschedule, reassign.
//!
//! Each takes a record's fields and returns the fields to save (through the workspace's
//! surgical save); every change appends to a log, so the evidence of who did what stays.

use super::due::{DueKind, next_review};
use super::spec;
use crate::domain::dates::Date;
use crate::domain::{Map, RecordType, Settings, Value};

/// One entry of a log (`history`, `reviews`): date, by, note.
pub(crate) fn log_entry(today: Date, by: &str, note: &str) -> Value {
    let mut m = Map::new();
    m.set("date", Value::str(today.to_string()));
    m.set("by", Value::str(by));
    if !note.trim().is_empty() {
        m.set("note", Value::str(note.trim()));
    }
    Value::Map(m)
}

/// Appends an entry to a log field of the record.
pub(crate) fn append(fields: &mut Map, log: &str, entry: Value) {
    let mut list = fields.list(log).to_vec();
    list.push(entry);
    fields.set(log, Value::List(list));
}

/// `r`: records today's review by `by`, with an optional note, and moves the next review
/// one cadence on.
pub fn mark_reviewed(
    fields: &Map,
    kind: RecordType,
    settings: &Settings,
    today: Date,
    by: &str,
    note: &str,
) -> Result<Map, String> {
    if !spec(kind).reviewed {
        return Err(format!(
            "{} records have no review cycle: open it (Enter) to update its status",
            kind.label()
        ));
    }
    let mut out = fields.clone();
    append(&mut out, "reviews", log_entry(today, by, note));
    out.set("last_reviewed", Value::str(today.to_string()));
    // An explicit next review moves on by the cadence; a derived one follows by itself.
    if out.contains("next_review") {
        match settings.cadence(kind) {
            Some(c) => out.set("next_review", Value::str(c.after(today).to_string())),
            None => {
                out.remove("next_review");
            }
        }
    }
    debug_assert!(next_review(&out, kind, settings).is_none_or(|d| d > today));
    Ok(out)
}

/// Whether `r` on a due item marks it done (an action) rather than reviewed.
pub fn is_action(kind: DueKind) -> bool {
    matches!(kind, DueKind::CorrectiveAction | DueKind::ReviewAction)
}

/// `r` on an action: a management review's action becomes `done`; a nonconformity's
/// corrective action is done, so the NC moves on to `verifying` (its effectiveness is
/// checked next). Logged in `history` with the note, like the other triage actions.
pub fn mark_done(
    fields: &Map,
    kind: DueKind,
    index: Option<usize>,
    today: Date,
    by: &str,
    note: &str,
) -> Result<Map, String> {
    let mut out = fields.clone();
    let what = match (kind, index) {
        (DueKind::ReviewAction, Some(i)) => {
            let item = item_map(&mut out, Some(i))?;
            if item.text("status").as_deref() == Some("done") {
                return Err(format!("action {} is already done", i + 1));
            }
            item.set("status", Value::str("done"));
            format!("action {} done", i + 1)
        }
        (DueKind::CorrectiveAction, None) => {
            match out.text("status").as_deref() {
                Some("verifying") => {
                    return Err("the corrective action is already done (verifying)".into());
                }
                Some("closed") => return Err("the nonconformity is closed".into()),
                _ => {}
            }
            out.set("status", Value::str("verifying"));
            "corrective action done: status verifying".to_string()
        }
        _ => {
            return Err(format!(
                "a {} is not an action: r marks actions done",
                kind.label()
            ));
        }
    };
    let text = match note.trim() {
        "" => what,
        n => format!("{what}: {n}"),
    };
    append(&mut out, "history", log_entry(today, by, &text));
    Ok(out)
}

/// The date field a due item's date lives in.
pub fn date_field(kind: DueKind) -> Result<&'static str, String> {
    match kind {
        DueKind::Review => Ok("next_review"),
        DueKind::CorrectiveAction | DueKind::Objective | DueKind::ReviewAction => Ok("due"),
        DueKind::RiskTreatment => Ok("treatment_due"),
        DueKind::Audit => Ok("planned_on"),
        DueKind::ImpactAssessmentRefresh => Ok("next_refresh"),
        DueKind::InternalAudit | DueKind::ManagementReview => Err(
            "the next one is due a cadence after the last: plan it by creating the record with its date".into(),
        ),
        DueKind::AcceptanceRenewal => Ok("accepted_until"),
        DueKind::IncidentReport => Err(
            "a regulator's deadline cannot be moved: report the incident, then record `reported_on`".into(),
        ),
        // A recurring item moves by its `next_due`; doing it (a log entry) moves it too.
        DueKind::Training | DueKind::Communication | DueKind::Measurement => Ok("next_due"),
    }
}

/// The person field that owns a due item.
pub fn owner_field(kind: DueKind) -> Result<&'static str, String> {
    match kind {
        DueKind::Review
        | DueKind::CorrectiveAction
        | DueKind::RiskTreatment
        | DueKind::Objective => Ok("owner"),
        DueKind::ReviewAction => Ok("owner"),
        DueKind::Audit => Ok("lead_auditor"),
        DueKind::ImpactAssessmentRefresh => Err(
            "an impact-assessment refresh belongs to the system's owner: reassign the system"
                .into(),
        ),
        DueKind::InternalAudit | DueKind::ManagementReview => {
            Err("the next one has no record yet: plan it by creating the record".into())
        }
        DueKind::AcceptanceRenewal => Ok("accepted_by"),
        DueKind::IncidentReport
        | DueKind::Training
        | DueKind::Communication
        | DueKind::Measurement => Ok("owner"),
    }
}

/// Reads or writes the field of the item: top-level, or inside `actions[index]`.
fn item_map(fields: &mut Map, index: Option<usize>) -> Result<&mut Map, String> {
    match index {
        None => Ok(fields),
        Some(i) => match fields.get_mut("actions") {
            Some(Value::List(items)) => match items.get_mut(i) {
                Some(Value::Map(m)) => Ok(m),
                _ => Err(format!("action {} no longer exists", i + 1)),
            },
            _ => Err("the record has no actions".into()),
        },
    }
}

/// How the log names the changed field: `due`, or `action 2 due` inside an MR.
fn described(field: &str, index: Option<usize>) -> String {
    match index {
        Some(i) => format!("action {} {field}", i + 1),
        None => field.to_string(),
    }
}

/// `s`: moves a due date, with a required reason, logged in `history`. `was` is the date
/// it was due (a derived next review has no field to read it from).
pub fn reschedule(
    fields: &Map,
    kind: DueKind,
    index: Option<usize>,
    (was, new_date): (Option<Date>, Date),
    reason: &str,
    today: Date,
    by: &str,
) -> Result<Map, String> {
    if reason.trim().is_empty() {
        return Err("a reschedule needs a reason".into());
    }
    if new_date < today {
        return Err(format!("{new_date} is in the past: choose today or later"));
    }
    let field = date_field(kind)?;
    let mut out = fields.clone();
    let item = item_map(&mut out, index)?;
    let old = item
        .text(field)
        .or_else(|| was.map(|d| d.to_string()))
        .unwrap_or_else(|| "(not set)".into());
    item.set(field, Value::str(new_date.to_string()));
    let what = described(field, index);
    append(
        &mut out,
        "history",
        log_entry(
            today,
            by,
            &format!(
                "rescheduled {what} from {old} to {new_date}: {}",
                reason.trim()
            ),
        ),
    );
    Ok(out)
}

/// `o`: hands the item to another person, logged in `history`.
pub fn reassign(
    fields: &Map,
    kind: DueKind,
    index: Option<usize>,
    person: &str,
    today: Date,
    by: &str,
) -> Result<Map, String> {
    let field = owner_field(kind)?;
    let mut out = fields.clone();
    let item = item_map(&mut out, index)?;
    let old = item.text(field).unwrap_or_else(|| "nobody".into());
    if old == person {
        return Err(format!("{person} already owns it"));
    }
    item.set(field, Value::str(person));
    let what = described(field, index);
    append(
        &mut out,
        "history",
        log_entry(
            today,
            by,
            &format!("reassigned {what} from {old} to {person}"),
        ),
    );
    Ok(out)
}

/// A form that changed a record's owner logs it in `history` as `o` does, so a handover
/// leaves the same evidence whichever way it was made. Nothing is logged for a new record
/// (its owner was never anyone else) or a type without an owner or a change log.
pub fn log_owner_change(kind: RecordType, base: &Map, fields: &mut Map, today: Date, by: &str) {
    let sp = spec(kind);
    if base.is_empty() || sp.field("owner").is_none() || sp.field("history").is_none() {
        return;
    }
    let (old, new) = (base.text("owner"), fields.text("owner"));
    if old == new {
        return;
    }
    let [old, new] = [old, new].map(|p| p.unwrap_or_else(|| "nobody".into()));
    append(
        fields,
        "history",
        log_entry(today, by, &format!("reassigned owner from {old} to {new}")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_done_closes_a_review_action_and_logs_it() {
        let mut a = Map::new();
        a.set("action", Value::str("Publish the page"));
        a.set("status", Value::str("open"));
        let mut f = Map::new();
        f.set(
            "actions",
            Value::List(vec![Value::Map(Map::new()), Value::Map(a)]),
        );
        let out = mark_done(
            &f,
            DueKind::ReviewAction,
            Some(1),
            d("2026-11-22"),
            "amoreau",
            "page live",
        )
        .unwrap();
        let action = out.list("actions")[1].as_map().unwrap();
        assert_eq!(action.text("status").as_deref(), Some("done"));
        let log = out.list("history")[0].as_map().unwrap();
        assert_eq!(log.text("by").as_deref(), Some("amoreau"));
        assert_eq!(log.text("date").as_deref(), Some("2026-11-22"));
        assert_eq!(
            log.text("note").as_deref(),
            Some("action 2 done: page live")
        );
        let again = mark_done(
            &out,
            DueKind::ReviewAction,
            Some(1),
            d("2026-11-22"),
            "x",
            "",
        );
        assert_eq!(again.unwrap_err(), "action 2 is already done");
    }

    #[test]
    fn mark_done_moves_a_nonconformity_to_verifying() {
        let f = map(&[("status", "in-progress")]);
        let out = mark_done(
            &f,
            DueKind::CorrectiveAction,
            None,
            d("2026-11-22"),
            "rsantos",
            "",
        )
        .unwrap();
        assert_eq!(out.text("status").as_deref(), Some("verifying"));
        let log = out.list("history")[0].as_map().unwrap();
        assert_eq!(
            log.text("note").as_deref(),
            Some("corrective action done: status verifying")
        );
        assert!(
            mark_done(
                &out,
                DueKind::CorrectiveAction,
                None,
                d("2026-11-22"),
                "x",
                ""
            )
            .is_err()
        );
        assert!(mark_done(&f, DueKind::Review, None, d("2026-11-22"), "x", "").is_err());
    }
    use crate::domain::dates::parse_date;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn map(pairs: &[(&str, &str)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::str(*v)))
            .collect()
    }

    #[test]
    fn reviewed_appends_and_moves_the_next_review() {
        let f = map(&[
            ("id", "RISK-001"),
            ("last_reviewed", "2026-01-01"),
            ("next_review", "2026-07-01"),
        ]);
        let out = mark_reviewed(
            &f,
            RecordType::Risk,
            &Settings::default(),
            d("2026-11-22"),
            "ann",
            "ok",
        )
        .unwrap();
        assert_eq!(out.text("last_reviewed").as_deref(), Some("2026-11-22"));
        assert_eq!(out.text("next_review").as_deref(), Some("2027-05-22"));
        let log = out.list("reviews");
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].as_map().unwrap().text("note").as_deref(), Some("ok"));
        assert!(
            mark_reviewed(
                &f,
                RecordType::Nonconformity,
                &Settings::default(),
                d("2026-11-22"),
                "ann",
                ""
            )
            .is_err()
        );
    }

    #[test]
    fn reschedule_needs_a_reason_and_a_future_date() {
        let f = map(&[("id", "NC-001"), ("due", "2026-11-01")]);
        let today = d("2026-11-22");
        assert!(
            reschedule(
                &f,
                DueKind::CorrectiveAction,
                None,
                (None, d("2026-12-31")),
                " ",
                today,
                "ann"
            )
            .is_err()
        );
        assert!(
            reschedule(
                &f,
                DueKind::CorrectiveAction,
                None,
                (None, d("2026-11-01")),
                "x",
                today,
                "ann"
            )
            .is_err()
        );
        let out = reschedule(
            &f,
            DueKind::CorrectiveAction,
            None,
            (None, d("2026-12-31")),
            "vendor late",
            today,
            "ann",
        )
        .unwrap();
        assert_eq!(out.text("due").as_deref(), Some("2026-12-31"));
        let note = out.list("history")[0]
            .as_map()
            .unwrap()
            .text("note")
            .unwrap();
        assert_eq!(
            note,
            "rescheduled due from 2026-11-01 to 2026-12-31: vendor late"
        );
    }

    #[test]
    fn reassign_an_action_of_a_review() {
        let mut action = Map::new();
        action.set("action", Value::str("Publish page"));
        action.set("owner", Value::str("ann"));
        let mut f = map(&[("id", "MR-2025")]);
        f.set("actions", Value::List(vec![Value::Map(action)]));
        let out = reassign(
            &f,
            DueKind::ReviewAction,
            Some(0),
            "bob",
            d("2026-11-22"),
            "ann",
        )
        .unwrap();
        let a = out.list("actions")[0].as_map().unwrap();
        assert_eq!(a.text("owner").as_deref(), Some("bob"));
        assert!(
            reassign(
                &out,
                DueKind::ReviewAction,
                Some(0),
                "bob",
                d("2026-11-22"),
                "ann"
            )
            .is_err()
        );
        assert!(
            reassign(
                &f,
                DueKind::ReviewAction,
                Some(3),
                "bob",
                d("2026-11-22"),
                "ann"
            )
            .is_err()
        );
    }

    #[test]
    fn an_owner_changed_in_a_form_is_logged_like_a_reassign() {
        let base = map(&[("id", "SYS-003"), ("owner", "rsantos")]);
        let mut fields = map(&[("id", "SYS-003"), ("owner", "pnair")]);
        log_owner_change(
            RecordType::System,
            &base,
            &mut fields,
            d("2026-11-22"),
            "amoreau",
        );
        let entry = fields.list("history")[0].as_map().unwrap().clone();
        assert_eq!(entry.text("by").as_deref(), Some("amoreau"));
        assert_eq!(
            entry.text("note").as_deref(),
            Some("reassigned owner from rsantos to pnair")
        );
        // Unchanged owner, or a new record: nothing logged.
        let mut same = base.clone();
        log_owner_change(
            RecordType::System,
            &base,
            &mut same,
            d("2026-11-22"),
            "amoreau",
        );
        assert!(same.list("history").is_empty());
        let mut new = fields.clone();
        new.remove("history");
        log_owner_change(
            RecordType::System,
            &Map::new(),
            &mut new,
            d("2026-11-22"),
            "x",
        );
        assert!(new.list("history").is_empty());
    }
}

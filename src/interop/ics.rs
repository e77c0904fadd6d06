//! The calendar feed: every dated obligation as an all-day event (RFC 5545), for Google
//! Calendar, Outlook and Apple Calendar. Each obligation keeps its UID from one export to
//! the next (it is made of the record, the kind of obligation and the sub-item, never of
//! the date), so importing a newer file moves an event instead of adding a second one.

use crate::domain::dates::Date;
use crate::domain::{RecordType, Settings};
use crate::rules::due::{DueItem, DueKind};

/// The calendar: `items` in order; `today` stamps DTSTAMP (reproducible with `--today`).
pub fn calendar(items: &[DueItem], settings: &Settings, today: Date, name: &str) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//AIMS Workbench//aims due//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", text(name)),
    ];
    let stamp = format!("{}T000000Z", today.format("%Y%m%d"));
    let mut seen = std::collections::HashSet::new();
    for item in items {
        // A record can owe the same kind twice (its review, and one after a material
        // change of its system): the second is told apart by its title, not its position.
        let mut id = uid(item);
        if !seen.insert(id.clone()) {
            id = id.replacen('@', &format!(".{:08x}@", fnv(&item.title)), 1);
            seen.insert(id.clone());
        }
        let end = item.due.succ_opt().unwrap_or(item.due);
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{id}"));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART;VALUE=DATE:{}", item.due.format("%Y%m%d")));
        lines.push(format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")));
        lines.push(format!(
            "SUMMARY:{}",
            text(&format!(
                "{}: {} {}",
                capitalize(item.kind.label()),
                item.record,
                item.title
            ))
        ));
        lines.push(format!(
            "DESCRIPTION:{}",
            text(&description(item, settings))
        ));
        // A list property: the commas between items are separators, not escaped.
        lines.push(format!("CATEGORIES:AIMS,{}", text(item.kind.label())));
        lines.push("TRANSP:TRANSPARENT".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in lines {
        out.push_str(&fold(&l));
    }
    out
}

/// `record.kind[.index]@aims-workbench`: stable across exports while the obligation exists.
pub fn uid(item: &DueItem) -> String {
    let kind = serde_json::to_value(item.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| item.kind.label().replace(' ', "-"));
    let safe: String = item
        .record
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    match item.index {
        Some(i) => format!("{safe}.{kind}.{i}@aims-workbench"),
        None => format!("{safe}.{kind}@aims-workbench"),
    }
}

/// A small stable hash (FNV-1a, 32 bits): the same on every machine and run.
fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Owner, the record's file and what to do.
fn description(item: &DueItem, settings: &Settings) -> String {
    let owner = match &item.owner {
        Some(id) => match settings.person(id) {
            Some(p) if !p.name.trim().is_empty() => format!("{} ({id})", p.name),
            _ => id.clone(),
        },
        None => "no owner".into(),
    };
    format!(
        "Owner: {owner}\nRecord: {}/{}.yaml\nTo do: {}",
        item.record_type.dir(),
        item.record,
        what_to_do(item.kind, item.record_type)
    )
}

fn what_to_do(kind: DueKind, t: RecordType) -> String {
    match kind {
        DueKind::Review => format!(
            "review the {} and record the review (date, by, note)",
            t.label()
        ),
        DueKind::ImpactAssessmentRefresh => {
            "refresh the impact assessment and have it approved again".into()
        }
        DueKind::CorrectiveAction => {
            "complete the corrective action and record its effectiveness".into()
        }
        DueKind::RiskTreatment => {
            "complete the treatment plan and rescore the residual risk".into()
        }
        DueKind::Audit => "hold the planned audit and record its findings".into(),
        DueKind::InternalAudit => "plan and hold the next internal audit".into(),
        DueKind::ManagementReview => "hold the management review".into(),
        DueKind::ReviewAction => "complete the action decided by the management review".into(),
        DueKind::Objective => "reach the objective or record why not".into(),
        DueKind::AcceptanceRenewal => "renew or withdraw the risk acceptance".into(),
        DueKind::IncidentReport => "report the incident to the authority".into(),
        DueKind::Training => "complete the training and record it (date, evidence)".into(),
        DueKind::Communication => "hold the planned communication and log when it happened".into(),
        DueKind::Measurement => "take the measurement and record it (date, value, by)".into(),
    }
}

/// TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character,
/// with CRLF line ends; continuation lines start with a space.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        // The first line holds 75 octets; continuations 74 after their leading space.
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

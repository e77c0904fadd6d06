//! What the workspace already holds for a requirement: the evidence an auditor looks at
//! before asking the question (the SoA entry and its links, the documents and records that
//! bear on it), and the result the same requirement got in the previous audit.

use super::load::Workspace;
use crate::domain::dates::parse_date;
use crate::domain::{Record, RecordType};
use crate::rules::check::is_url;
use crate::rules::specs::residual_score;

/// One line of evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The record it comes from, when it is a record (Enter opens it).
    pub record: Option<String>,
    pub text: String,
    /// An evidence link that points at a file the workspace does not have.
    pub missing_file: bool,
}

fn line(record: Option<&str>, text: String) -> Evidence {
    Evidence {
        record: record.map(str::to_string),
        text,
        missing_file: false,
    }
}

/// The record types whose register bears on a requirement, by clause or control.
fn registers(requirement: &str) -> &'static [RecordType] {
    let r = requirement;
    // The registers of clauses 4, 7 and 9, and the training-data inventory of A.7.
    match r {
        "4.1" => return &[RecordType::ContextIssue],
        "4.2" => return &[RecordType::InterestedParty],
        "7.2" => return &[RecordType::Competence],
        "7.4" => return &[RecordType::Communication],
        "9.1" => return &[RecordType::Metric],
        "A.4.3" => return &[RecordType::Dataset],
        _ if r.starts_with("A.7.") => return &[RecordType::Dataset],
        _ => {}
    }
    if r == "6.1.4" || r == "8.4" || r.starts_with("A.5.") {
        &[RecordType::ImpactAssessment]
    } else if matches!(r, "6.1.1" | "6.1.2" | "6.1.3" | "8.2" | "8.3") {
        &[RecordType::Risk]
    } else if r.starts_with("A.10.") {
        &[RecordType::Supplier]
    } else if r.starts_with("9.3") {
        &[RecordType::ManagementReview]
    } else if r.starts_with("9.2") {
        &[RecordType::Audit]
    } else if r == "10.2" || r == "10.1" {
        &[RecordType::Nonconformity]
    } else if r == "6.2" || r == "A.6.1.2" || r == "A.9.3" {
        &[RecordType::Objective]
    } else if r.starts_with("7.5") || r == "5.2" || r.starts_with("A.2.") {
        &[RecordType::Document]
    } else if r == "A.8.4" || r == "A.8.3" {
        &[RecordType::Incident]
    } else if r == "4.3" || r == "8.1" || r.starts_with("A.6.2.") || r == "A.4.2" {
        &[RecordType::System]
    } else {
        &[]
    }
}

/// Where a record stands: its status, or for a system its lifecycle stage.
fn status(r: &Record) -> String {
    let key = if r.kind == RecordType::System {
        "lifecycle_stage"
    } else {
        "status"
    };
    r.fields.text(key).unwrap_or_else(|| "-".into())
}

/// Everything the workspace holds for a requirement, most direct first.
pub fn evidence_for(ws: &Workspace, requirement: &str) -> Vec<Evidence> {
    let mut out = Vec::new();
    if requirement == "4.3" {
        let scope = &ws.settings.scope;
        out.push(line(
            None,
            if scope.is_empty() {
                "no AIMS scope statement in aims.yaml".into()
            } else {
                format!("scope statement: {} characters", scope.chars().count())
            },
        ));
    }
    // The SoA entry and its evidence links.
    if let Some(soa) = ws.get(requirement).filter(|r| r.kind == RecordType::Soa) {
        let applicable = match soa.fields.bool("applicable") {
            Some(true) => "applicable",
            Some(false) => "excluded",
            None => "not assessed",
        };
        let owner = soa
            .fields
            .text("owner")
            .unwrap_or_else(|| "no owner".into());
        out.push(line(
            Some(&soa.id),
            format!("SoA: {applicable}, {}, owner {owner}", status(soa)),
        ));
        for link in soa.fields.list("links") {
            let (label, target) = match link.as_map() {
                Some(m) => (
                    m.text("label").unwrap_or_default(),
                    m.text("target").unwrap_or_default(),
                ),
                None => (String::new(), link.as_text().unwrap_or_default()),
            };
            // Paths outside the workspace are never looked up; the checker reports them.
            let outside = target.starts_with('/') || target.split(['/', '\\']).any(|p| p == "..");
            let missing = !target.is_empty()
                && !is_url(&target)
                && (outside || !ws.root.join(&target).exists());
            let mark = if outside {
                " (outside the workspace)"
            } else if missing {
                " (file missing)"
            } else {
                ""
            };
            out.push(Evidence {
                record: None,
                text: format!("  evidence: {label} → {target}{mark}"),
                missing_file: missing,
            });
        }
    }
    // Documents that say they support it, and those the SoA entry names.
    let mut docs: Vec<&Record> = ws
        .referrers(requirement)
        .filter(|r| r.kind == RecordType::Document)
        .collect();
    if let Some(soa) = ws.get(requirement) {
        for id in soa.fields.texts("documents") {
            if let Some(d) = ws.get(&id)
                && !docs.iter().any(|x| x.id == d.id)
            {
                docs.push(d);
            }
        }
    }
    for d in docs {
        let version = d.fields.text("version").unwrap_or_default();
        out.push(line(
            Some(&d.id),
            format!("document {}: {} v{version}", d.id, d.title()),
        ));
    }
    // Nonconformities raised against it, open ones first.
    let mut ncs: Vec<&Record> = ws
        .referrers(requirement)
        .filter(|r| {
            r.kind == RecordType::Nonconformity
                && r.fields.text("requirement").as_deref() == Some(requirement)
        })
        .collect();
    ncs.sort_by_key(|r| (status(r) == "closed", r.id.clone()));
    for nc in ncs {
        out.push(line(
            Some(&nc.id),
            format!("nonconformity {} ({}): {}", nc.id, status(nc), nc.title()),
        ));
    }
    // Risks that cite the control.
    let citing: Vec<&Record> = ws
        .referrers(requirement)
        .filter(|r| r.kind == RecordType::Risk)
        .collect();
    if !citing.is_empty() {
        let ids: Vec<&str> = citing.iter().take(8).map(|r| r.id.as_str()).collect();
        out.push(line(
            None,
            format!(
                "cited by {}: {}",
                crate::domain::text::plural(citing.len(), "risk"),
                ids.join(" ")
            ),
        ));
    }
    // The register that bears on it.
    for kind in registers(requirement) {
        let records: Vec<&Record> = ws.of_type(*kind).collect();
        match kind {
            RecordType::Risk => {
                let above = records
                    .iter()
                    .filter(|r| {
                        residual_score(&r.fields)
                            .is_some_and(|s| ws.settings.risk.above_appetite(s))
                    })
                    .count();
                let treating = records.iter().filter(|r| status(r) == "treating").count();
                out.push(line(None, format!("risk register: {} risks, {above} above appetite, {treating} under treatment", records.len())));
            }
            _ => {
                for r in records.iter().take(6) {
                    out.push(line(
                        Some(&r.id),
                        format!("{} {} ({})", r.id, r.title(), status(r)),
                    ));
                }
                if records.len() > 6 {
                    out.push(line(
                        None,
                        format!("… and {} more {}s", records.len() - 6, kind.label()),
                    ));
                }
                if records.is_empty() {
                    out.push(line(None, format!("no {} records yet", kind.label())));
                }
            }
        }
    }
    out
}

/// The result `requirement` got in the latest other audit held before `audit`.
pub fn previous_result(ws: &Workspace, audit: &str, requirement: &str) -> Option<(String, String)> {
    let this = ws.get(audit)?;
    let this_date = parse_date(&this.fields.text("planned_on").unwrap_or_default());
    ws.of_type(RecordType::Audit)
        .filter(|a| a.id != audit)
        .filter_map(|a| {
            let date = a
                .fields
                .text("completed_on")
                .or(a.fields.text("planned_on"))
                .and_then(|d| parse_date(&d))?;
            if this_date.is_some_and(|t| date > t) {
                return None;
            }
            let item = a
                .fields
                .list("checklist")
                .iter()
                .filter_map(|i| i.as_map())
                .find(|m| m.text_is("ref", requirement))?;
            Some((date, a.id.clone(), item.text("result")?))
        })
        .max_by_key(|(d, _, _)| *d)
        .map(|(_, id, result)| (id, result))
}

//! Rules over the workspace as a whole: what no single record can show (coverage of the SoA,
//! of the risk register, of the audit programme). `Workspace::check` runs these after each
//! record's own rules.

use super::check::{Ctx, validate_record};
use super::registry;
use super::specs::date_of;
use crate::domain::dates::Date;
use crate::domain::{Finding, Record, RecordType, catalog};
use std::collections::HashSet;

/// Every finding of the records and of the workspace as a whole, with the severity
/// overrides of aims.yaml applied.
pub fn check_workspace(records: &[Record], ctx: &Ctx) -> Vec<Finding> {
    let mut all = Vec::new();
    for r in records {
        all.extend(validate_record(r, ctx));
    }
    all.extend(whole_findings(records, ctx));
    all
}

/// The findings about the workspace as a whole, overrides applied. An incremental
/// re-check that re-validates only the records a change touched must still recompute
/// these: one changed risk can change the register's coverage or a cycle. They take one
/// pass over the records.
pub fn whole_findings(records: &[Record], ctx: &Ctx) -> Vec<Finding> {
    let mut all = Vec::new();
    for rule in 0..WHOLE_RULES {
        all.extend(whole_rule(rule, records, ctx));
    }
    all.extend(registry::override_findings(ctx.view.settings()));
    all
}

/// How many workspace-wide rules [`whole_rule`] runs; [`whole_findings`] is all of them,
/// then the findings about aims.yaml's overrides.
pub const WHOLE_RULES: usize = 9;

/// The record types workspace-wide rule `rule` reads: a change to records of other types
/// cannot change its findings, so an incremental update keeps them (the settings and the
/// date are fixed between full refreshes).
pub fn whole_rule_inputs(rule: usize) -> &'static [RecordType] {
    use RecordType::*;
    match rule {
        0 => &[Soa],
        1 => &[Risk, System],
        2 => &[ManagementReview, Audit],
        3 => &[Audit, Soa],
        // The records that name a retired system: risks, assessments, incidents.
        4 => &[System, Risk, ImpactAssessment, Incident],
        5 => &[ImpactAssessment, Supplier, Soa],
        6 => &[Supplier, System],
        7 => &[Document, Objective, Audit, ImpactAssessment, Soa],
        _ => &[
            System,
            ContextIssue,
            InterestedParty,
            Competence,
            Communication,
            Metric,
        ],
    }
}

/// The fields of a record of type `kind` that workspace-wide rule `rule` reads, when its
/// findings are never pinned to such a record: a save that leaves them as they were
/// (marking a risk reviewed) cannot change the rule's findings. `None`: any change may.
pub fn whole_rule_reads(rule: usize, kind: RecordType) -> Option<&'static [&'static str]> {
    use RecordType::*;
    match (rule, kind) {
        (1, Risk) => Some(&["status", "systems", "category"]),
        (2, Audit) => Some(&["status", "completed_on"]),
        (2, ManagementReview) => Some(&["status", "held_on"]),
        (4, Risk) => Some(&["status", "systems"]),
        (4, ImpactAssessment | Incident) => Some(&["status", "system"]),
        // Only how many there are.
        (5, ImpactAssessment | Supplier) => Some(&[]),
        (7, Document) => Some(&["status", "controls", "kind"]),
        (7, Objective) => Some(&["controls"]),
        (7, Audit) => Some(&["checklist"]),
        (7, ImpactAssessment) => Some(&["status"]),
        // Only whether there are any.
        (8, _) => Some(&[]),
        _ => None,
    }
}

/// The findings of one workspace-wide rule, overrides applied.
pub fn whole_rule(rule: usize, records: &[Record], ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    let w = Whole { records, ctx };
    match rule {
        0 => soa_coverage(records, &mut out),
        1 => w.risk_coverage(&mut out),
        2 => w.cycles(&mut out),
        3 => w.audit_coverage(&mut out),
        4 => w.retired_systems(&mut out),
        5 => w.contradicted_exclusions(&mut out),
        6 => w.supplier_links(&mut out),
        7 => w.evidence_quality(&mut out),
        _ => w.empty_registers(&mut out),
    }
    registry::apply_overrides(&mut out, ctx.view.settings());
    out
}

fn soa_coverage(records: &[Record], out: &mut Vec<Finding>) {
    let soa: HashSet<&str> = records
        .iter()
        .filter(|r| r.kind == RecordType::Soa)
        .map(|r| r.id.as_str())
        .collect();
    let missing: Vec<&str> = catalog::CONTROLS
        .iter()
        .map(|c| c.id)
        .filter(|id| !soa.contains(id))
        .collect();
    if missing.is_empty() {
        return;
    }
    let shown = missing
        .iter()
        .take(10)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let more = if missing.len() > 10 {
        format!(" and {} more", missing.len() - 10)
    } else {
        String::new()
    };
    out.push(Finding::warning(
        "soa",
        format!(
            "the Statement of Applicability covers {} of 38 Annex A controls; missing: {shown}{more}: add one file per control (soa/<control>.yaml)",
            38 - missing.len()
        ),
    ).code("soa-coverage"));
}

struct Whole<'a> {
    records: &'a [Record],
    ctx: &'a Ctx<'a>,
}

/// A finding pinned to a record's file.
fn on(r: &Record, error: bool, code: &'static str, field: &str, message: String) -> Finding {
    let f = if error {
        Finding::error(&r.path, message)
    } else {
        Finding::warning(&r.path, message)
    };
    f.at(r.fields.line_of(field))
        .record(&r.id)
        .field(field)
        .code(code)
}

fn list_some(items: &[String]) -> String {
    let shown = items
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > 10 {
        format!("{shown} and {} more", items.len() - 10)
    } else {
        shown
    }
}

/// Whether an evidence link is about AI, judged by its label and target: a record of the
/// workspace (an IA, a model card) or words an AI artefact carries. A security policy or a
/// vulnerability scan carries none of them. A heuristic, hence a warning.
fn is_ai_link(link: &crate::domain::Value) -> bool {
    let text = match link {
        crate::domain::Value::Map(m) => format!(
            "{} {}",
            m.text("label").unwrap_or_default(),
            m.text("target").unwrap_or_default()
        ),
        other => other.as_text().unwrap_or_default(),
    };
    let lower = text.to_lowercase();
    if ["impact-assessments/", "documents/DOC-"]
        .iter()
        .any(|p| text.contains(p))
    {
        return true;
    }
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| {
            matches!(
                w,
                "ai" | "ml" | "llm" | "genai" | "algorithm" | "algorithmic" | "bias" | "fairness"
            ) || ["model", "data", "explainab", "machine", "training"]
                .iter()
                .any(|p| w.starts_with(p))
        })
}

/// The categories of harm to people that an AI risk register is expected to consider
/// (clause 6.1.2 d, A.5): a register of security risks alone is an information-security
/// register, not an AI one.
const AI_CATEGORIES: [&str; 4] = ["bias-fairness", "transparency", "human-rights", "safety"];

impl Whole<'_> {
    fn of(&self, kind: RecordType) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(move |r| r.kind == kind)
    }

    fn live_systems(&self) -> impl Iterator<Item = &Record> {
        self.of(RecordType::System)
            .filter(|s| !s.fields.text_is("lifecycle_stage", "retired"))
    }

    fn risk_coverage(&self, out: &mut Vec<Finding>) {
        // One pass over the register, borrowing its text, so a large workspace is neither
        // systems × risks nor an allocation per risk.
        let mut named: HashSet<std::borrow::Cow<str>> = HashSet::new();
        let mut categories = [false; AI_CATEGORIES.len()];
        let mut any_open = false;
        for r in self
            .of(RecordType::Risk)
            .filter(|r| !r.fields.text_is("status", "closed"))
        {
            any_open = true;
            named.extend(r.fields.texts_cow("systems"));
            for (seen, c) in categories.iter_mut().zip(AI_CATEGORIES) {
                *seen |= r.fields.text_is("category", c);
            }
        }
        let mut affects_people = false;
        for sys in self.live_systems() {
            let f = &sys.fields;
            affects_people |= f.bool("personal_data") == Some(true)
                || f.text_is("risk_tier", "limited")
                || f.text_is("risk_tier", "high");
            if !named.contains(sys.id.as_str()) {
                // A warning: an org-wide risk may cover the system, which an auditor samples.
                out.push(on(sys, false, "system-has-risk", "risk_tier", format!(
                    "no open risk names {}: assess its risks (clause 6.1.2) and record them with `systems: [{}]`",
                    sys.id, sys.id
                )));
            }
        }
        if !affects_people || !any_open {
            return;
        }
        let missing: Vec<String> = AI_CATEGORIES
            .iter()
            .zip(categories)
            .filter(|(_, seen)| !seen)
            .map(|(c, _)| c.to_string())
            .collect();
        if missing.is_empty() {
            return;
        }
        let none = missing.len() == AI_CATEGORIES.len();
        let msg = if none {
            format!(
                "the risk register holds none of the AI-specific categories ({}) although systems affect people: assess harms to individuals and society, not only security (clause 6.1.2, A.5)",
                missing.join(", ")
            )
        } else {
            format!(
                "no open risk of category {}: consider these harms for the systems that affect people (clause 6.1.2)",
                missing.join(", ")
            )
        };
        let f = if none {
            Finding::error("risks", msg)
        } else {
            Finding::warning("risks", msg)
        };
        out.push(f.code("risk-categories"));
    }

    /// Management reviews and internal audits at planned intervals (9.2, 9.3): the last one
    /// held, or the establishment of the AIMS, plus the cadence.
    fn cycles(&self, out: &mut Vec<Finding>) {
        let settings = self.ctx.view.settings();
        let today = self.ctx.today;
        let last_held = |kind: RecordType, status: &str, field: &str| -> Option<Date> {
            self.of(kind)
                .filter(|r| r.fields.text("status").as_deref() == Some(status))
                .filter_map(|r| date_of(&r.fields, field))
                .filter(|d| *d <= today)
                .max()
        };
        for (kind, status, field, code, what) in [
            (
                RecordType::ManagementReview,
                "held",
                "held_on",
                "management-review-cycle",
                "management review (clause 9.3)",
            ),
            (
                RecordType::Audit,
                "completed",
                "completed_on",
                "internal-audit-cycle",
                "completed internal audit (clause 9.2)",
            ),
        ] {
            let Some(cadence) = settings.cadence(kind) else {
                continue;
            };
            let last = last_held(kind, status, field);
            let msg = match (last, settings.established) {
                (Some(l), _) if cadence.after(l) < today => {
                    format!("no {what} since {l}: one was due by {}", cadence.after(l))
                }
                (Some(_), _) => continue,
                (None, Some(est)) if cadence.after(est) < today => format!(
                    "no {what} has ever been recorded; the AIMS was established on {est}, so one was due by {}",
                    cadence.after(est)
                ),
                (None, Some(_)) => continue,
                (None, None) => format!(
                    "no {what} has ever been recorded: hold one, and set `established:` in aims.yaml so the cycle can be counted"
                ),
            };
            out.push(Finding::warning(kind.dir(), msg).code(code));
        }
    }

    /// A completed audit, with the other audits completed in the same cycle, covers every
    /// clause of 4-10 and every applicable control.
    fn audit_coverage(&self, out: &mut Vec<Finding>) {
        let settings = self.ctx.view.settings();
        let Some(cadence) = settings.cadence(RecordType::Audit) else {
            return;
        };
        let completed: Vec<(&Record, Date)> = self
            .of(RecordType::Audit)
            .filter(|r| r.fields.text("status").as_deref() == Some("completed"))
            .filter_map(|r| Some((r, date_of(&r.fields, "completed_on")?)))
            .collect();
        let applicable: Vec<&str> = self
            .of(RecordType::Soa)
            .filter(|r| r.fields.bool("applicable") == Some(true))
            .map(|r| r.id.as_str())
            .collect();
        // Each requirement's completion dates, sorted: an audit's cycle covers a requirement
        // when the latest audit covering it completed on or before this one lies within one
        // cadence of it (`after` only grows with its date, so the latest one decides).
        // Audits × requirements, not audits² × checklist items.
        let mut covered_on: std::collections::HashMap<String, Vec<Date>> = Default::default();
        for (other, d) in &completed {
            for item in other
                .fields
                .list("checklist")
                .iter()
                .filter_map(|v| v.as_map())
            {
                if !matches!(item.text("result").as_deref(), None | Some("not-audited"))
                    && let Some(r) = item.text("ref")
                {
                    covered_on.entry(r).or_default().push(*d);
                }
            }
        }
        for dates in covered_on.values_mut() {
            dates.sort_unstable();
        }
        let covers = |req: &str, done: Date| {
            covered_on.get(req).is_some_and(|dates| {
                let n = dates.partition_point(|d| *d <= done);
                n > 0 && cadence.after(dates[n - 1]) > done
            })
        };
        for (audit, done) in &completed {
            let missing: Vec<String> = catalog::CLAUSES
                .iter()
                .map(|c| c.id)
                .chain(applicable.iter().copied())
                .filter(|id| !covers(id, *done))
                .map(str::to_string)
                .collect();
            if !missing.is_empty() {
                out.push(on(audit, true, "audit-coverage", "checklist", format!(
                    "the audit programme's cycle up to {} leaves {} requirement(s) unaudited ({}): an audit cycle covers every clause of 4-10 and every applicable control (clause 9.2.2); add them to this or another audit of the cycle",
                    audit.id,
                    missing.len(),
                    list_some(&missing)
                )));
            }
        }
    }

    fn retired_systems(&self, out: &mut Vec<Finding>) {
        for sys in self
            .of(RecordType::System)
            .filter(|s| s.fields.text_is("lifecycle_stage", "retired"))
        {
            let mut open = Vec::new();
            for r in self.ctx.view.linked_from(&sys.id) {
                let status = r.fields.text("status");
                let active = match r.kind {
                    RecordType::Risk => {
                        r.fields.texts("systems").contains(&sys.id)
                            && status.as_deref() != Some("closed")
                    }
                    RecordType::ImpactAssessment => {
                        r.fields.text("system").as_deref() == Some(sys.id.as_str())
                            && status.as_deref() == Some("approved")
                    }
                    RecordType::Incident => {
                        r.fields.text("system").as_deref() == Some(sys.id.as_str())
                            && !matches!(status.as_deref(), Some("closed" | "resolved"))
                    }
                    _ => false,
                };
                if active {
                    open.push(r.id.clone());
                }
            }
            if !open.is_empty() {
                out.push(on(sys, false, "retired-system-open", "lifecycle_stage", format!(
                    "{} is retired but these records still treat it as live: {}; close the risks and incidents, supersede the impact assessment",
                    sys.id,
                    open.join(", ")
                )));
            }
        }
    }

    /// An exclusion the workspace itself contradicts.
    fn contradicted_exclusions(&self, out: &mut Vec<Finding>) {
        let ias = self.of(RecordType::ImpactAssessment).count();
        let suppliers = self.of(RecordType::Supplier).count();
        for soa in self
            .of(RecordType::Soa)
            .filter(|r| r.fields.text("status").as_deref() == Some("excluded"))
        {
            let why = if soa.id.starts_with("A.5.") && ias > 0 {
                match ias {
                    1 => "1 impact assessment exists".to_string(),
                    n => format!("{n} impact assessments exist"),
                }
            } else if soa.id.starts_with("A.10.") && soa.id != "A.10.4" && suppliers > 0 {
                // A.10.4 is about our customers, not our suppliers.
                match suppliers {
                    1 => "1 supplier is recorded".to_string(),
                    n => format!("{n} suppliers are recorded"),
                }
            } else {
                continue;
            };
            out.push(on(soa, false, "exclusion-contradicted", "status", format!(
                "{} is excluded, but {why}: the records show the control applies; include it, or explain the exclusion against them",
                soa.id
            )));
        }
    }

    /// An implemented control is backed by a record that is about AI and names it, and the
    /// documents it cites are in force. A file link alone (a security policy, a scan report)
    /// shows that something exists, not that this AI control is implemented.
    fn evidence_quality(&self, out: &mut Vec<Finding>) {
        let in_force = |d: &Record| {
            !matches!(
                d.fields.text("status").as_deref(),
                Some("draft" | "retired")
            )
        };
        let mut backed: std::collections::HashMap<&str, Vec<String>> = Default::default();
        for r in self.records {
            let names: Vec<String> = match r.kind {
                RecordType::Document if in_force(r) => r.fields.texts("controls"),
                RecordType::Objective => r.fields.texts("controls"),
                RecordType::Audit => r
                    .fields
                    .list("checklist")
                    .iter()
                    .filter_map(|v| v.as_map())
                    .filter(|m| {
                        matches!(
                            m.text("result").as_deref(),
                            Some("conforming" | "observation" | "ofi")
                        )
                    })
                    .filter_map(|m| m.text("ref"))
                    .collect(),
                _ => continue,
            };
            for n in names {
                if let Some(c) = catalog::control(&n) {
                    backed.entry(c.id).or_default().push(r.id.clone());
                }
            }
        }
        let approved_ia = self
            .of(RecordType::ImpactAssessment)
            .any(|r| r.fields.text("status").as_deref() == Some("approved"));
        for soa in self.of(RecordType::Soa) {
            let f = &soa.fields;
            if f.text("status").as_deref() != Some("implemented")
                || f.bool("applicable") != Some(true)
            {
                continue;
            }
            let mut ok = backed.contains_key(soa.id.as_str())
                || (soa.id.starts_with("A.5.") && approved_ia)
                || f.list("links").iter().any(is_ai_link);
            for id in f.texts("documents") {
                let Some(doc) = self.ctx.view.record(&id) else {
                    continue;
                };
                if doc.kind != RecordType::Document {
                    continue;
                }
                if !in_force(doc) {
                    out.push(on(soa, true, "evidence-draft-document", "documents", format!(
                        "{} is implemented on the strength of {}, which is {}: approve the document, or cite the one in force",
                        soa.id,
                        doc.id,
                        doc.fields.text("status").unwrap_or_default()
                    )));
                } else if matches!(
                    doc.fields.text("kind").as_deref(),
                    Some("model-card" | "data-sheet")
                ) {
                    ok = true;
                }
            }
            if !ok {
                out.push(on(soa, false, "evidence-ai-specific", "links", format!(
                    "{} is implemented, but no AI record backs it: no approved document, objective or audit item names the control; link the AI-specific procedure (set its `controls:` to include {}), or an audit result",
                    soa.id, soa.id
                )));
            }
        }
    }

    /// Once there is an AI system to govern, the registers clauses 4, 7 and 9 ask for are
    /// kept: an empty one is a finding an auditor writes from the folder listing alone.
    fn empty_registers(&self, out: &mut Vec<Finding>) {
        if self.of(RecordType::System).next().is_none() {
            return;
        }
        let registers = [
            (
                RecordType::ContextIssue,
                "context issues",
                "4.1",
                "the internal and external issues that affect the AIMS",
            ),
            (
                RecordType::InterestedParty,
                "interested parties",
                "4.2",
                "the interested parties and their relevant requirements",
            ),
            (
                RecordType::Competence,
                "competence or training records",
                "7.2",
                "the competence of the people whose work affects the AIMS, with evidence",
            ),
            (
                RecordType::Communication,
                "planned communications",
                "7.4",
                "what is communicated, when, with whom and by whom",
            ),
            (
                RecordType::Metric,
                "monitoring metrics",
                "9.1",
                "what is monitored and measured, how often, and the results",
            ),
        ];
        for (kind, name, clause, what) in registers {
            if self.of(kind).next().is_none() {
                out.push(
                    Finding::warning(
                        kind.dir(),
                        format!(
                            "no {name} yet: clause {clause} asks for {what}; add them under {}/ ({}-001.yaml...)",
                            kind.dir(),
                            kind.prefix()
                        ),
                    )
                    .code("register-empty"),
                );
            }
        }
    }

    /// Suppliers and systems name each other; an in-house system is not served by a model API.
    fn supplier_links(&self, out: &mut Vec<Finding>) {
        for sup in self.of(RecordType::Supplier) {
            let api = sup.fields.text("ai_service").as_deref() == Some("model-api");
            for sys_id in sup.fields.texts("systems") {
                let Some(sys) = self.ctx.view.record(&sys_id) else {
                    continue;
                };
                if sys.kind != RecordType::System {
                    continue;
                }
                if !sys.fields.texts("suppliers").contains(&sup.id) {
                    out.push(on(sys, false, "supplier-system-link", "suppliers", format!(
                        "{} says it serves {}, but the system does not list it: add {} to `suppliers` (A.10.3), or correct the supplier",
                        sup.id, sys.id, sup.id
                    )));
                }
                if api && sys.fields.text("provenance").as_deref() == Some("in-house") {
                    out.push(on(sys, false, "provenance-mismatch", "provenance", format!(
                        "{} is marked in-house, but {} serves it through a model API: set `provenance: foundation-model-api` (or third-party), or correct the supplier",
                        sys.id, sup.id
                    )));
                }
            }
        }
        for sys in self.of(RecordType::System) {
            for sup_id in sys.fields.texts("suppliers") {
                if let Some(sup) = self.ctx.view.record(&sup_id)
                    && sup.kind == RecordType::Supplier
                    && !sup.fields.texts("systems").contains(&sys.id)
                {
                    out.push(on(sup, false, "supplier-system-link", "systems", format!(
                        "{} lists {} as a supplier, but the supplier does not list the system: add {} to its `systems`",
                        sys.id, sup.id, sys.id
                    )));
                }
            }
        }
    }
}

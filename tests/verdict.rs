//! Issue 10, "an audit-ready verdict": rule codes and per-workspace severity, and the rules
//! a certification auditor would raise, each with a passing and a failing case.

mod common;
use aims_workbench::domain::Severity;
use aims_workbench::rules::registry::{self, RULES};
use common::{SETTINGS, check, codes_in};
use std::process::Command;

fn aims(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aims"))
        .args(args)
        .env_remove("AIMS_TODAY")
        .env_remove("USER")
        .output()
        .unwrap()
}

// ---- codes and severity -------------------------------------------------------------------

#[test]
fn rule_codes_are_unique_and_each_has_an_explanation() {
    let mut seen = std::collections::HashSet::new();
    for r in RULES {
        assert!(seen.insert(r.code), "two rules share the code {}", r.code);
        let text = registry::explain(r);
        for part in ["What it checks", "Why an auditor cares", "How to fix it"] {
            assert!(text.contains(part), "{} explains no {part}", r.code);
        }
        assert!(!r.why.is_empty() && !r.fix.is_empty() && !r.checks.is_empty());
    }
}

#[test]
fn list_rules_and_explain_on_the_command_line() {
    let o = aims(&["check", "--list-rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    for r in RULES {
        assert!(out.contains(r.code), "--list-rules lacks {}", r.code);
    }
    let o = aims(&["check", "--explain", "required-field"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Why an auditor cares"));
    let o = aims(&["check", "--explain", "no-such-rule"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--list-rules"));
}

const OWNERLESS_OBJ: &str =
    "id: OBJ-001\ntitle: t\nmeasure: m\ntarget: x\nowner: zed\ndue: 2027-01-01\n";

#[test]
fn json_findings_carry_their_code() {
    let dir = common::workspace(&[("objectives/OBJ-001.yaml", OWNERLESS_OBJ)]);
    let o = aims(&[
        "check",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
        "--today",
        "2026-11-22",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"unknown-person"), "{codes:?}");
}

fn settings_with(rules: &str) -> String {
    format!("{SETTINGS}rules:\n{rules}")
}

#[test]
fn aims_yaml_sets_a_rules_severity_with_a_reason() {
    let obj = ("objectives/OBJ-001.yaml", OWNERLESS_OBJ);
    // Default: an error.
    let f = check(&[obj]);
    assert!(f.iter().any(|f| f.code == "unknown-person" && f.is_error()));

    // Demoted to a warning, with the reason on the finding and in the text output.
    let s = settings_with(
        "  unknown-person: {severity: warning, reason: contractors are listed in HR only}\n",
    );
    let f = check(&[("aims.yaml", &s), obj]);
    let hit = f.iter().find(|f| f.code == "unknown-person").unwrap();
    assert_eq!(hit.severity, Severity::Warning);
    assert!(
        hit.severity_reason
            .as_deref()
            .is_some_and(|r| r.contains("contractors are listed in HR only"))
    );
    let dir = common::workspace(&[("aims.yaml", &s), obj]);
    let o = aims(&[
        "check",
        dir.path().to_str().unwrap(),
        "--today",
        "2026-11-22",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("contractors are listed in HR only"), "{out}");
    assert!(out.contains("(unknown-person)"), "{out}");

    // Off: gone.
    let s = settings_with("  unknown-person: {severity: 'off', reason: pilot}\n");
    let f = check(&[("aims.yaml", &s), obj]);
    assert!(!f.iter().any(|f| f.code == "unknown-person"), "{f:#?}");

    // Promoted: a warning rule becomes an error.
    let s = settings_with("  evidence-missing: {severity: error, reason: CI gate}\n");
    let doc = "id: DOC-001\ntitle: p\nkind: policy\nversion: '1'\nowner: ann\napproved_by: bob\napproved_on: 2026-01-10\nlocation: x\nlinks: [evidence/none.md]\n";
    let f = check(&[("aims.yaml", &s), ("documents/DOC-001.yaml", doc)]);
    assert!(
        f.iter()
            .any(|f| f.code == "evidence-missing" && f.is_error()),
        "{f:#?}"
    );
}

#[test]
fn bad_rule_settings_are_reported() {
    let s = settings_with(
        "  no-such-rule: {severity: 'off', reason: x}\n  unreadable-file: {severity: 'off', reason: x}\n  unknown-person: loud\n  field-value: warning\n",
    );
    let f = check(&[("aims.yaml", &s)]);
    let msgs: Vec<&str> = f
        .iter()
        .filter(|f| f.code == "settings")
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("`no-such-rule`, which is not a rule")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("`unreadable-file` cannot be changed")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("must be error, warning or off")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("without a reason")),
        "{msgs:#?}"
    );
    assert!(codes_in(&f, "aims.yaml").iter().all(|c| *c == "settings"));
}

// ---- helpers for cases on a copy of the sample ---------------------------------------------

use aims_workbench::domain::Finding;
use aims_workbench::workspace::Workspace;

/// Checks a copy of the sample after replacing `from` by `to` in each named file, and
/// writing the extra files.
fn sample_with(edits: &[(&str, &str, &str)], extra: &[(&str, &str)]) -> Vec<Finding> {
    let dir = common::copy_sample();
    for (file, from, to) in edits {
        let p = dir.path().join(file);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }
    common::write_files(dir.path(), extra);
    let findings = Workspace::open(dir.path()).unwrap().check(common::today());
    common::assert_registered(&findings);
    findings
}

/// The finding of a rule about a file, if any.
fn hit<'a>(findings: &'a [Finding], file: &str, code: &str) -> Option<&'a Finding> {
    findings
        .iter()
        .find(|f| f.code == code && f.file == std::path::Path::new(file))
}

fn assert_error(findings: &[Finding], file: &str, code: &str) {
    assert!(
        hit(findings, file, code).is_some_and(|f| f.is_error()),
        "expected an error {code} on {file}, got {:#?}",
        findings
            .iter()
            .filter(|f| f.file == std::path::Path::new(file))
            .collect::<Vec<_>>()
    );
}

fn assert_warning(findings: &[Finding], file: &str, code: &str) {
    assert!(
        hit(findings, file, code).is_some_and(|f| !f.is_error()),
        "expected a warning {code} on {file}, got {:#?}",
        findings
            .iter()
            .filter(|f| f.file == std::path::Path::new(file))
            .collect::<Vec<_>>()
    );
}

fn sample() -> Vec<Finding> {
    sample_with(&[], &[])
}

fn assert_none(findings: &[Finding], code: &str) {
    let hits: Vec<_> = findings.iter().filter(|f| f.code == code).collect();
    assert!(hits.is_empty(), "the sample should pass {code}: {hits:#?}");
}

#[test]
fn the_sample_has_no_errors() {
    let f = sample();
    let errors: Vec<_> = f.iter().filter(|f| f.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

// ---- authority and segregation ------------------------------------------------------------

#[test]
fn a_critical_risk_accepted_by_its_own_owner_three_years_ago() {
    let pass = sample();
    for code in [
        "acceptor-not-owner",
        "acceptance-authority",
        "acceptance-expired",
    ] {
        assert_none(&pass, code);
    }
    let f = sample_with(
        &[
            (
                "risks/RISK-020.yaml",
                "accepted_on: 2026-03-18",
                "accepted_on: 2023-03-18",
            ),
            ("risks/RISK-020.yaml", "owner: lchen", "owner: dokafor"),
        ],
        &[],
    );
    assert_error(&f, "risks/RISK-020.yaml", "acceptor-not-owner");
    assert_error(&f, "risks/RISK-020.yaml", "acceptance-expired");
}

#[test]
fn a_high_risk_accepted_by_someone_outside_top_management() {
    let f = sample_with(
        &[(
            "risks/RISK-020.yaml",
            "accepted_by: dokafor",
            "accepted_by: amoreau",
        )],
        &[],
    );
    assert_error(&f, "risks/RISK-020.yaml", "acceptance-authority");
}

#[test]
fn an_nc_verified_by_its_own_owner() {
    assert_none(&sample(), "verifier-not-owner");
    let f = sample_with(
        &[(
            "nonconformities/NC-001.yaml",
            "verified_by: jkowalski",
            "verified_by: amoreau",
        )],
        &[],
    );
    assert_error(&f, "nonconformities/NC-001.yaml", "verifier-not-owner");
}

#[test]
fn a_document_approved_by_its_own_owner() {
    assert_none(&sample(), "doc-approver-not-owner");
    let f = sample_with(
        &[(
            "documents/DOC-001.yaml",
            "approved_by: dokafor",
            "approved_by: amoreau",
        )],
        &[],
    );
    assert_error(&f, "documents/DOC-001.yaml", "doc-approver-not-owner");
}

#[test]
fn an_ia_approved_by_its_assessor() {
    assert_none(&sample(), "ia-approver-not-assessor");
    let f = sample_with(
        &[(
            "impact-assessments/IA-001.yaml",
            "approved_by: dokafor",
            "approved_by: amoreau",
        )],
        &[],
    );
    assert_error(
        &f,
        "impact-assessments/IA-001.yaml",
        "ia-approver-not-assessor",
    );
}

#[test]
fn a_lead_auditor_auditing_their_own_area() {
    assert_none(&sample(), "auditor-independence");
    let f = sample_with(
        &[(
            "audits/AUD-2026-01.yaml",
            "auditees: [amoreau",
            "auditees: [jkowalski, amoreau",
        )],
        &[],
    );
    assert_error(&f, "audits/AUD-2026-01.yaml", "auditor-independence");
    // The auditor owns a control the audit samples.
    let f = sample_with(
        &[
            (
                "audits/AUD-2025-01.yaml",
                "lead_auditor: jkowalski",
                "lead_auditor: amoreau",
            ),
            (
                "audits/AUD-2025-01.yaml",
                "auditors: [jkowalski]",
                "auditors: [amoreau]",
            ),
            (
                "audits/AUD-2025-01.yaml",
                "auditees: [amoreau, ",
                "auditees: [",
            ),
        ],
        &[],
    );
    let hit = hit(&f, "audits/AUD-2025-01.yaml", "auditor-independence");
    assert!(
        hit.is_some_and(|h| h.is_error() && h.message.contains("owns what was audited")),
        "{hit:#?}"
    );
}

// ---- review dates, consistency ------------------------------------------------------------

#[test]
fn a_last_reviewed_in_the_future() {
    assert_none(&sample(), "review-in-future");
    let f = sample_with(
        &[(
            "systems/SYS-001.yaml",
            "last_reviewed: 2026-02-12",
            "last_reviewed: 2027-02-12",
        )],
        &[],
    );
    assert_error(&f, "systems/SYS-001.yaml", "review-in-future");
}

#[test]
fn a_risk_treated_by_an_excluded_control() {
    assert_none(&sample(), "excluded-control-treats-risk");
    let f = sample_with(
        &[(
            "risks/RISK-001.yaml",
            "controls: [A.5.4,",
            "controls: [A.10.4, A.5.4,",
        )],
        &[],
    );
    assert_error(&f, "risks/RISK-001.yaml", "excluded-control-treats-risk");
}

#[test]
fn isms_evidence_inherited_from_a_mapped_27001_control_passes() {
    assert_none(&sample(), "inherited-isms-evidence");
    // A.5.1 (policies for information security) maps to A.2.2 (AI policy): its ISMS
    // evidence may serve, and stands in for the entry's own links.
    let f = sample_with(
        &[(
            "soa/A.2.2.yaml",
            "links:\n  - {label: AI policy v2.1, target: evidence/ai-policy-v2.md}\n",
            "inherited_isms: [A.5.1]\n",
        )],
        &[],
    );
    assert!(hit(&f, "soa/A.2.2.yaml", "inherited-isms-evidence").is_none());
    assert!(hit(&f, "soa/A.2.2.yaml", "required-field").is_none());
}

#[test]
fn isms_evidence_from_an_unknown_or_unmapped_27001_control() {
    let f = sample_with(
        &[(
            "soa/A.2.2.yaml",
            "documents: [DOC-001]",
            "documents: [DOC-001]\ninherited_isms: [A.5.99]",
        )],
        &[],
    );
    assert_error(&f, "soa/A.2.2.yaml", "inherited-isms-evidence");
    let msg = &hit(&f, "soa/A.2.2.yaml", "inherited-isms-evidence")
        .unwrap()
        .message;
    assert!(
        msg.contains("A.5.99 is not an ISO/IEC 27001:2022 Annex A control"),
        "{msg}"
    );
    // A.7.1 (physical perimeters) exists but maps to nothing in 42001: a warning that
    // names the controls that do map.
    let f = sample_with(
        &[(
            "soa/A.2.2.yaml",
            "documents: [DOC-001]",
            "documents: [DOC-001]\ninherited_isms: [A.7.1]",
        )],
        &[],
    );
    assert_warning(&f, "soa/A.2.2.yaml", "inherited-isms-evidence");
    let msg = &hit(&f, "soa/A.2.2.yaml", "inherited-isms-evidence")
        .unwrap()
        .message;
    assert!(msg.contains("those that do: A.5.1"), "{msg}");
}

#[test]
fn an_exclusion_justified_with_not_needed() {
    assert_none(&sample(), "exclusion-justification");
    let dir = common::copy_sample();
    let p = dir.path().join("soa/A.10.4.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    let start = text.find("justification:").unwrap();
    let end = start
        + text[start..]
            .find("\nowner:")
            .or(text[start..].find("\nlast_reviewed:"))
            .unwrap_or(text.len() - start);
    let cut = format!(
        "{}justification: Not needed.{}",
        &text[..start],
        &text[end..]
    );
    std::fs::write(&p, cut).unwrap();
    let f = Workspace::open(dir.path()).unwrap().check(common::today());
    assert_warning(&f, "soa/A.10.4.yaml", "exclusion-justification");
}

#[test]
fn an_overdue_corrective_action_is_a_check_warning() {
    let f = sample();
    // NC-004 is two days late in the sample; NC-002 is not due yet.
    assert_warning(&f, "nonconformities/NC-004.yaml", "nc-overdue");
    assert!(hit(&f, "nonconformities/NC-002.yaml", "nc-overdue").is_none());
}

#[test]
fn dates_in_the_wrong_order() {
    assert_none(&sample(), "date-order");
    let f = sample_with(
        &[(
            "impact-assessments/IA-001.yaml",
            "approved_on: 2026-02-10",
            "approved_on: 2026-01-10",
        )],
        &[],
    );
    assert_error(&f, "impact-assessments/IA-001.yaml", "date-order");
}

#[test]
fn an_accepted_risk_still_under_treatment() {
    assert_none(&sample(), "accepted-risk-treating");
    let f = sample_with(
        &[(
            "risks/RISK-020.yaml",
            "status: monitoring",
            "status: treating",
        )],
        &[],
    );
    assert_warning(&f, "risks/RISK-020.yaml", "accepted-risk-treating");
}

#[test]
fn an_nc_audit_item_outside_its_audits_checklist() {
    assert_none(&sample(), "nc-audit-item");
    // AUD-2026-01 has no item for 10.1.
    let f = sample_with(
        &[(
            "nonconformities/NC-004.yaml",
            "requirement:",
            "audit_item: '10.1'\nrequirement:",
        )],
        &[],
    );
    assert_error(&f, "nonconformities/NC-004.yaml", "nc-audit-item");
}

// ---- external audits ----------------------------------------------------------------------

const EXTERNAL_NC: &str = "id: NC-005\nsource: external-audit\naudit_type: stage-1\naudit_body: Certis Assurance Ltd\n\
source_ref: CA-2026-0412 stage 1 report, finding 2\nrequirement: '6.1.4'\nseverity: minor\n\
description: Impact assessments exist for high-risk systems only.\nowner: amoreau\ndue: 2027-01-31\nstatus: open\nraised_on: 2026-11-10\n";

#[test]
fn a_certification_body_finding_can_be_recorded() {
    let f = sample_with(&[], &[("nonconformities/NC-005.yaml", EXTERNAL_NC)]);
    let errors: Vec<_> = f
        .iter()
        .filter(|f| f.is_error() && f.file == std::path::Path::new("nonconformities/NC-005.yaml"))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let without_body = EXTERNAL_NC.replace("audit_body: Certis Assurance Ltd\n", "");
    let f = sample_with(&[], &[("nonconformities/NC-005.yaml", &without_body)]);
    assert_error(&f, "nonconformities/NC-005.yaml", "required-field");
}

// ---- coverage of the register, cycles, audits ---------------------------------------------

#[test]
fn a_register_of_security_risks_only() {
    assert_none(&sample(), "risk-categories");
    let dir = common::copy_sample();
    for e in std::fs::read_dir(dir.path().join("risks")).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let start = text.find("category: ").unwrap();
        let end = start + text[start..].find('\n').unwrap();
        std::fs::write(
            &p,
            format!("{}category: security{}", &text[..start], &text[end..]),
        )
        .unwrap();
    }
    let f = Workspace::open(dir.path()).unwrap().check(common::today());
    assert_error(&f, "risks", "risk-categories");
}

#[test]
fn a_system_with_no_risk() {
    // SYS-008's only risk is closed.
    assert_warning(&sample(), "systems/SYS-008.yaml", "system-has-risk");
    assert!(hit(&sample(), "systems/SYS-001.yaml", "system-has-risk").is_none());
    let f = sample_with(
        &[
            (
                "risks/RISK-001.yaml",
                "systems: [SYS-001]",
                "systems: [SYS-002]",
            ),
            (
                "risks/RISK-006.yaml",
                "systems: [SYS-001]",
                "systems: [SYS-002]",
            ),
            (
                "risks/RISK-011.yaml",
                "systems: [SYS-001, SYS-004]",
                "systems: [SYS-004]",
            ),
            (
                "risks/RISK-020.yaml",
                "systems: [SYS-001]",
                "systems: [SYS-002]",
            ),
        ],
        &[],
    );
    assert_warning(&f, "systems/SYS-001.yaml", "system-has-risk");
}

#[test]
fn never_a_management_review_or_an_internal_audit() {
    let est = "organization: Test Org\nestablished: 2025-01-01\n";
    let settings = SETTINGS.replace("organization: Test Org\n", est);
    // The base fixture has one planned audit and no review at all.
    let f = check(&[("aims.yaml", &settings)]);
    assert!(
        f.iter()
            .any(|f| f.code == "management-review-cycle" && !f.is_error()),
        "{f:#?}"
    );
    assert!(f.iter().any(|f| f.code == "internal-audit-cycle"), "{f:#?}");
    // And they are due items, counted from `established`.
    let dir = common::workspace(&[("aims.yaml", &settings)]);
    let ws = Workspace::open(dir.path()).unwrap();
    let due = aims_workbench::rules::due::obligations(&ws.records, &ws.settings, common::today());
    assert!(
        due.iter().any(
            |d| d.kind == aims_workbench::rules::due::DueKind::ManagementReview
                && d.due.to_string() == "2026-01-01"
        ),
        "{due:#?}"
    );
    // A recent review passes.
    let mr = "id: MR-2026\nheld_on: 2026-03-01\nstatus: held\nattendees: [ann, bob]\ninputs:\n  previous_actions: a\n  internal_external_issues: b\n  interested_parties: c\n  performance: d\n  improvement_opportunities: e\ndecisions: [x]\n";
    let f = check(&[
        ("aims.yaml", &settings),
        ("management-reviews/MR-2026.yaml", mr),
    ]);
    assert!(
        !f.iter().any(|f| f.code == "management-review-cycle"),
        "{f:#?}"
    );
}

#[test]
fn a_completed_audit_covering_three_requirements() {
    let audit = "id: AUD-2026-02\ntitle: Quick audit\nscope: all\nlead_auditor: ann\nplanned_on: 2026-10-01\nstatus: completed\ncompleted_on: 2026-10-02\n\
checklist:\n  - {ref: '4.1', result: conforming}\n  - {ref: '5.2', result: conforming}\n  - {ref: A.7.4, result: conforming}\n";
    let f = check(&[("audits/AUD-2026-02.yaml", audit)]);
    let hit = hit(&f, "audits/AUD-2026-02.yaml", "audit-coverage").unwrap();
    assert!(hit.is_error() && hit.message.contains("4.2"), "{hit:#?}");
    // A full checklist passes.
    let mut full = String::from(
        "id: AUD-2026-02\ntitle: Full audit\nscope: all\nlead_auditor: ann\nplanned_on: 2026-10-01\nstatus: completed\ncompleted_on: 2026-10-02\nchecklist:\n",
    );
    for c in aims_workbench::domain::catalog::CLAUSES.iter() {
        full.push_str(&format!("  - {{ref: '{}', result: conforming}}\n", c.id));
    }
    let f = check(&[("audits/AUD-2026-02.yaml", &full)]);
    assert!(!f.iter().any(|f| f.code == "audit-coverage"), "{f:#?}");
    // On the sample, the partial pilot audit is a warning by aims.yaml, with its reason.
    let s = sample();
    let h = super_hit(&s, "audits/AUD-2025-01.yaml", "audit-coverage");
    assert!(
        !h.is_error()
            && h.severity_reason
                .as_deref()
                .is_some_and(|r| r.contains("pilot"))
    );
}

fn super_hit<'a>(f: &'a [Finding], file: &str, code: &str) -> &'a Finding {
    hit(f, file, code).unwrap_or_else(|| panic!("no {code} on {file}"))
}

#[test]
fn a_retired_system_whose_risks_stay_open() {
    assert_warning(&sample(), "systems/SYS-009.yaml", "retired-system-open");
    let f = sample_with(
        &[("risks/RISK-025.yaml", "status: treating", "status: closed")],
        &[],
    );
    assert!(hit(&f, "systems/SYS-009.yaml", "retired-system-open").is_none());
}

#[test]
fn an_exclusion_contradicted_by_the_records() {
    assert_none(&sample(), "exclusion-contradicted");
    let f = sample_with(
        &[
            ("soa/A.10.3.yaml", "applicable: true", "applicable: false"),
            ("soa/A.10.3.yaml", "status: implemented", "status: excluded"),
        ],
        &[],
    );
    assert_warning(&f, "soa/A.10.3.yaml", "exclusion-contradicted");
}

#[test]
fn a_supplier_serving_a_system_that_does_not_list_it() {
    assert_none(&sample(), "supplier-system-link");
    let f = sample_with(
        &[(
            "systems/SYS-003.yaml",
            "suppliers: [SUP-001, SUP-005]",
            "suppliers: [SUP-005]",
        )],
        &[],
    );
    assert_warning(&f, "systems/SYS-003.yaml", "supplier-system-link");
}

#[test]
fn an_in_house_system_served_through_a_model_api() {
    assert_none(&sample(), "provenance-mismatch");
    let f = sample_with(
        &[(
            "systems/SYS-003.yaml",
            "provenance: foundation-model-api",
            "provenance: in-house",
        )],
        &[],
    );
    assert_warning(&f, "systems/SYS-003.yaml", "provenance-mismatch");
}

#[test]
fn a_record_never_reviewed_is_due_a_cadence_after_its_creation() {
    use aims_workbench::rules::due::{DueKind, obligations};
    let sup = "id: SUP-009\nname: NewCo\nservices: LLM API\nsystems: [SYS-001]\nowner: bob\ndue_diligence:\n  model_provenance: a\n  training_data_origin: b\n  performance_claims: c\n  ip_terms: d\n  contract_terms: e\n\
history:\n  - {date: 2025-06-01, by: bob, note: onboarded}\n";
    let dir = common::workspace(&[("suppliers/SUP-009.yaml", sup)]);
    let ws = Workspace::open(dir.path()).unwrap();
    let due = obligations(&ws.records, &ws.settings, common::today());
    let item = due
        .iter()
        .find(|d| d.record == "SUP-009" && d.kind == DueKind::Review)
        .expect("a first review is due");
    assert_eq!(item.due.to_string(), "2026-06-01");
    // A record with a review keeps its own date.
    let reviewed = format!("{sup}last_reviewed: 2026-10-01\n");
    let dir = common::workspace(&[("suppliers/SUP-009.yaml", &reviewed)]);
    let ws = Workspace::open(dir.path()).unwrap();
    let due = obligations(&ws.records, &ws.settings, common::today());
    assert!(
        due.iter()
            .any(|d| d.record == "SUP-009" && d.due.to_string() == "2027-10-01")
    );
}

#[test]
fn acceptances_are_due_for_renewal() {
    use aims_workbench::rules::due::{DueKind, obligations};
    let ws = Workspace::open(std::path::Path::new(common::SAMPLE)).unwrap();
    let due = obligations(&ws.records, &ws.settings, common::today());
    let item = due
        .iter()
        .find(|d| d.record == "RISK-009" && d.kind == DueKind::AcceptanceRenewal)
        .expect("RISK-009's acceptance is due for renewal");
    assert_eq!(item.due.to_string(), "2027-04-15");
    // RISK-020 names no accepted_until: accepted on + 12 months.
    assert!(due.iter().any(|d| d.record == "RISK-020"
        && d.kind == DueKind::AcceptanceRenewal
        && d.due.to_string() == "2027-03-18"));
}

// ---- impact assessments, model cards, changes ---------------------------------------------

#[test]
fn an_organisation_wide_ia_attached_to_one_system() {
    assert_none(&sample(), "model-card");
    let pass = sample();
    assert!(hit(&pass, "systems/SYS-002.yaml", "ia-per-system").is_none());
    let f = sample_with(
        &[(
            "impact-assessments/IA-004.yaml",
            "status: approved",
            "status: approved\norg_wide: true",
        )],
        &[],
    );
    let h = hit(&f, "systems/SYS-002.yaml", "ia-per-system").expect("org-wide IA does not count");
    assert!(
        h.is_error() && h.message.contains("organisation-wide"),
        "{h:#?}"
    );
}

#[test]
fn a_non_high_system_in_operation_without_an_ia() {
    // SYS-005 is minimal-tier and in operation: without IA-005, an error.
    let dir = common::copy_sample();
    std::fs::remove_file(dir.path().join("impact-assessments/IA-005.yaml")).unwrap();
    let f = Workspace::open(dir.path()).unwrap().check(common::today());
    assert_error(&f, "systems/SYS-005.yaml", "ia-per-system");
    // SYS-008 is in development: a warning.
    assert_warning(&sample(), "systems/SYS-008.yaml", "ia-per-system");
}

#[test]
fn a_high_risk_in_house_system_without_its_model_card() {
    let dir = common::copy_sample();
    std::fs::remove_file(dir.path().join("documents/DOC-004.yaml")).unwrap();
    let p = dir.path().join("systems/SYS-001.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("documents: [DOC-004, DOC-005]", "documents: [DOC-005]"),
    )
    .unwrap();
    let f = Workspace::open(dir.path()).unwrap().check(common::today());
    assert_error(&f, "systems/SYS-001.yaml", "model-card");
    // A draft model card does not count either.
    let f = sample_with(
        &[(
            "documents/DOC-007.yaml",
            "status: approved",
            "status: draft",
        )],
        &[],
    );
    assert_error(&f, "systems/SYS-002.yaml", "model-card");
    // Third-party systems need none.
    assert!(hit(&sample(), "systems/SYS-004.yaml", "model-card").is_none());
}

#[test]
fn a_material_change_makes_the_ia_stale() {
    // The sample's SYS-007 was retrained after IA-007: a warning (limited tier).
    assert_warning(&sample(), "systems/SYS-007.yaml", "change-after-approval");
    assert!(hit(&sample(), "systems/SYS-001.yaml", "change-after-approval").is_none());
    // A high-risk system retrained after its IA: an error, and its model card is stale.
    let f = sample_with(
        &[(
            "systems/SYS-001.yaml",
            "changes:\n",
            "changes:\n  - {date: 2026-10-01, kind: model-version, material: true, note: retrained}\n",
        )],
        &[],
    );
    assert_error(&f, "systems/SYS-001.yaml", "change-after-approval");
    assert_error(&f, "systems/SYS-001.yaml", "model-card");
    // A change that is not material leaves both current.
    let f = sample_with(
        &[(
            "systems/SYS-001.yaml",
            "changes:\n",
            "changes:\n  - {date: 2026-10-01, kind: deployment, material: false, note: new cluster}\n",
        )],
        &[],
    );
    assert!(hit(&f, "systems/SYS-001.yaml", "change-after-approval").is_none());
}

#[test]
fn a_material_change_puts_risks_and_model_card_on_the_due_list() {
    use aims_workbench::rules::due::{DueKind, obligations};
    let ws = Workspace::open(std::path::Path::new(common::SAMPLE)).unwrap();
    let due = obligations(&ws.records, &ws.settings, common::today());
    // RISK-017 (SYS-007) was last reviewed before the retraining of 2026-10-05.
    assert!(
        due.iter().any(|d| d.record == "RISK-017"
            && d.kind == DueKind::Review
            && d.due.to_string() == "2026-10-05"),
        "{:#?}",
        due.iter()
            .filter(|d| d.record == "RISK-017")
            .collect::<Vec<_>>()
    );
    // DOC-008 was approved after it: not due for that reason.
    assert!(
        !due.iter()
            .any(|d| d.record == "DOC-008" && d.due.to_string() == "2026-10-05")
    );
}

// ---- incidents and the regulator's clock --------------------------------------------------

#[test]
fn a_pending_external_report_is_valid_and_on_the_due_list() {
    use aims_workbench::rules::due::{DueKind, obligations};
    // The sample's INC-004 awaits its GDPR report: no error, a due item in 72 hours.
    let f = sample();
    assert!(
        !f.iter()
            .any(|f| f.is_error() && f.file == std::path::Path::new("incidents/INC-004.yaml")),
        "{f:#?}"
    );
    let ws = Workspace::open(std::path::Path::new(common::SAMPLE)).unwrap();
    let due = obligations(&ws.records, &ws.settings, common::today());
    let item = due
        .iter()
        .find(|d| d.record == "INC-004" && d.kind == DueKind::IncidentReport)
        .expect("the report deadline is due");
    assert_eq!(item.due.to_string(), "2026-11-24");
    // Without `reporting_status`, an unreported incident that must be reported is pending,
    // not an error.
    let f = sample_with(
        &[("incidents/INC-004.yaml", "reporting_status: pending\n", "")],
        &[],
    );
    assert!(
        !f.iter()
            .any(|f| f.is_error() && f.file == std::path::Path::new("incidents/INC-004.yaml")),
        "{f:#?}"
    );
}

#[test]
fn a_pending_report_past_its_deadline() {
    let f = sample_with(
        &[(
            "incidents/INC-004.yaml",
            "aware_on: 2026-11-21",
            "aware_on: 2026-11-18",
        )],
        &[],
    );
    assert_error(&f, "incidents/INC-004.yaml", "incident-report-overdue");
}

#[test]
fn a_report_made_after_its_deadline() {
    assert_none(&sample(), "incident-reported-late");
    let f = sample_with(
        &[
            (
                "incidents/INC-001.yaml",
                "reported_on: 2026-08-16",
                "reported_on: 2026-08-30",
            ),
            (
                "incidents/INC-001.yaml",
                "resolved_on: 2026-08-16",
                "resolved_on: 2026-08-30",
            ),
        ],
        &[],
    );
    assert_warning(&f, "incidents/INC-001.yaml", "incident-reported-late");
}

#[test]
fn eu_ai_act_deadlines_depend_on_the_facts() {
    use aims_workbench::domain::Settings;
    let r = &Settings::default().regimes[0];
    assert_eq!(r.id, "eu-ai-act");
    assert_eq!(r.days_for(Some("high"), &[]), 15);
    assert_eq!(r.days_for(Some("critical"), &["death".into()]), 10);
    assert_eq!(r.days_for(None, &["critical-infrastructure".into()]), 2);
    let gdpr = &Settings::default().regimes[1];
    assert_eq!(gdpr.days_for(None, &[]), 3);
}

#[test]
fn regimes_are_data_in_aims_yaml() {
    let s = format!(
        "{SETTINGS}reporting_regimes:\n  - {{id: nis2, name: NIS2 early warning, hours: 24}}\n"
    );
    let inc = "id: INC-001\nsystem: SYS-001\noccurred_on: 2026-11-01\ntype: outage\nseverity: high\ndescription: d\nowner: bob\nstatus: open\nexternal_reporting_required: true\nregimes: [nis2]\n";
    let f = check(&[("aims.yaml", &s), ("incidents/INC-001.yaml", inc)]);
    assert!(
        f.iter().any(|f| f.code == "incident-report-overdue"
            && f.message.contains("NIS2 early warning")
            && f.message.contains("2026-11-02")),
        "{f:#?}"
    );
    let unknown = inc.replace("[nis2]", "[dora]");
    let f = check(&[("aims.yaml", &s), ("incidents/INC-001.yaml", &unknown)]);
    assert!(
        f.iter()
            .any(|f| f.code == "incident-reporting" && f.is_error()),
        "{f:#?}"
    );
}

// ---- evidence quality ---------------------------------------------------------------------

#[test]
fn an_implemented_control_evidenced_by_security_material_only() {
    assert_none(&sample(), "evidence-ai-specific");
    let f = sample_with(
        &[(
            "soa/A.4.5.yaml",
            "  - {label: ML platform runbook, target: \"https://wiki.northwind-lending.example/platform/ml-serving-runbook\"}",
            "  - {label: Information security policy, target: \"https://wiki.northwind-lending.example/isms/security-policy\"}\n  - {label: Vulnerability scan Q3, target: \"https://scans.northwind-lending.example/q3.pdf\"}",
        )],
        &[],
    );
    assert_warning(&f, "soa/A.4.5.yaml", "evidence-ai-specific");
}

#[test]
fn an_implemented_control_citing_a_draft_document() {
    assert_none(&sample(), "evidence-draft-document");
    let f = sample_with(
        &[(
            "documents/DOC-001.yaml",
            "status: approved",
            "status: draft",
        )],
        &[],
    );
    assert_error(&f, "soa/A.2.2.yaml", "evidence-draft-document");
}

#[test]
fn the_sample_records_an_external_stage_1_finding() {
    let f = sample();
    assert!(
        !f.iter()
            .any(|f| f.file == std::path::Path::new("nonconformities/NC-005.yaml")),
        "{f:#?}"
    );
}

#[test]
fn the_sample_without_any_review_or_audit() {
    use aims_workbench::rules::due::{DueKind, obligations};
    let dir = common::copy_sample();
    for f in [
        "management-reviews/MR-2025.yaml",
        "audits/AUD-2025-01.yaml",
        "audits/AUD-2026-01.yaml",
    ] {
        std::fs::remove_file(dir.path().join(f)).unwrap();
    }
    // NCs that name the removed records are not what this case is about.
    for nc in ["NC-001", "NC-003", "NC-004"] {
        std::fs::remove_file(dir.path().join(format!("nonconformities/{nc}.yaml"))).unwrap();
    }
    let ws = Workspace::open(dir.path()).unwrap();
    let f = ws.check(common::today());
    assert_warning(&f, "management-reviews", "management-review-cycle");
    assert_warning(&f, "audits", "internal-audit-cycle");
    let due = obligations(&ws.records, &ws.settings, common::today());
    for kind in [DueKind::ManagementReview, DueKind::InternalAudit] {
        assert!(
            due.iter()
                .any(|d| d.kind == kind && d.due.to_string() == "2026-04-01"),
            "{kind:?} is due a year after `established`: {due:#?}"
        );
    }
}

#[test]
fn the_sample_with_a_three_item_completed_audit() {
    // AUD-2026-01 completed with three results: an error naming what is missing.
    let dir = common::copy_sample();
    let audit = "id: AUD-2026-01\ntitle: Internal audit of the AIMS (2026)\nscope: all\nlead_auditor: jkowalski\nauditors: [jkowalski]\nplanned_on: 2026-11-02\nstatus: completed\ncompleted_on: 2026-11-05\n\
checklist:\n  - {ref: '4.1', result: conforming}\n  - {ref: '5.2', result: conforming}\n  - {ref: '6.1.4', result: minor-nc, nc: NC-004}\n";
    common::write_files(dir.path(), &[("audits/AUD-2026-01.yaml", audit)]);
    // Without the sample's override for its pilot audit: the default severity.
    let settings = std::fs::read_to_string(dir.path().join("aims.yaml")).unwrap();
    let cut = settings.find("\n# Rule severities").unwrap();
    std::fs::write(dir.path().join("aims.yaml"), &settings[..cut]).unwrap();
    let f = Workspace::open(dir.path()).unwrap().check(common::today());
    let h = hit(&f, "audits/AUD-2026-01.yaml", "audit-coverage").expect("coverage");
    assert!(h.is_error() && h.message.contains("4.2"), "{h:#?}");
}

// ---- the rules that predate the codes: one passing and one failing case each --------------

/// The rule `code` reports nothing on `pass` and something on `fail` (base records plus
/// these files).
fn pair(code: &str, pass: &[(&str, &str)], fail: &[(&str, &str)]) {
    let p = check(pass);
    assert!(
        !p.iter().any(|f| f.code == code),
        "{code} should pass: {:#?}",
        p.iter().filter(|f| f.code == code).collect::<Vec<_>>()
    );
    let f = check(fail);
    assert!(
        f.iter().any(|f| f.code == code),
        "{code} should fail: {f:#?}"
    );
}

const OBJ: &str = "id: OBJ-001\ntitle: t\nmeasure: m\ntarget: x\nowner: ann\ndue: 2027-01-01\n";
const RISK: &str = "id: RISK-001\ntitle: t\ndescription: d\nsystems: [SYS-001]\ncategory: bias-fairness\n\
likelihood: 3\nimpact: 3\ntreatment: avoid\nowner: ann\nstatus: monitoring\n";
const SOA: &str = "id: A.7.4\nstatus: implemented\napplicable: true\njustification: We train models on data.\nowner: bob\n\
implementation: Gates.\nlinks:\n  - {label: Data quality gate, target: https://example.org/gates}\n";
const NC: &str = "id: NC-001\nsource: audit\nsource_ref: AUD-2026-01\nrequirement: A.7.4\nseverity: minor\n\
description: d\nowner: bob\ndue: 2027-12-31\nstatus: open\n";

fn audit(items: &str) -> String {
    format!(
        "id: AUD-2026-01\ntitle: Audit\nscope: all\nlead_auditor: ann\nplanned_on: 2026-10-01\nstatus: in-progress\nchecklist:\n{items}"
    )
}

#[test]
fn record_and_field_rules_have_their_pairs() {
    let o = "objectives/OBJ-001.yaml";
    pair(
        "record-id",
        &[(o, OBJ)],
        &[(o, &OBJ.replace("id: OBJ-001", "id: OBJ-002"))],
    );
    pair(
        "field-value",
        &[(o, OBJ)],
        &[(o, &OBJ.replace("2027-01-01", "01/01/2027"))],
    );
    pair(
        "required-field",
        &[(o, OBJ)],
        &[(o, &OBJ.replace("measure: m\n", ""))],
    );
    pair("unreadable-file", &[(o, OBJ)], &[(o, "id: [unclosed\n")]);
    pair(
        "settings",
        &[],
        &[(
            "aims.yaml",
            &SETTINGS.replace("organization: Test Org\n", ""),
        )],
    );
    let r = "risks/RISK-001.yaml";
    pair(
        "broken-reference",
        &[(r, RISK)],
        &[(r, &RISK.replace("SYS-001", "SYS-404"))],
    );
    pair(
        "unknown-requirement",
        &[(r, &format!("{RISK}controls: [A.7.4]\n"))],
        &[(r, &format!("{RISK}controls: [A.99]\n"))],
    );
    pair(
        "evidence-outside-workspace",
        &[(o, &format!("{OBJ}links: [https://example.org/x]\n"))],
        &[(o, &format!("{OBJ}links: [/etc/passwd]\n"))],
    );
    pair(
        "residual-above-inherent",
        &[(
            r,
            &format!("{RISK}residual_likelihood: 2\nresidual_impact: 2\n"),
        )],
        &[(
            r,
            &format!("{RISK}residual_likelihood: 4\nresidual_impact: 2\n"),
        )],
    );
    pair(
        "residual-incomplete",
        &[(
            r,
            &format!("{RISK}residual_likelihood: 2\nresidual_impact: 2\n"),
        )],
        &[(r, &format!("{RISK}residual_likelihood: 2\n"))],
    );
    let held = format!("{SETTINGS}roles_held: [producer, user]\n");
    let only_user = format!("{SETTINGS}roles_held: [user]\n");
    pair(
        "role-not-held",
        &[("aims.yaml", &held)],
        &[("aims.yaml", &only_user)],
    );
}

#[test]
fn soa_rules_have_their_pairs() {
    let s = "soa/A.7.4.yaml";
    pair(
        "soa-status",
        &[(s, SOA)],
        &[(s, &SOA.replace("status: implemented", "status: excluded"))],
    );
    pair(
        "soa-not-assessed",
        &[(s, SOA)],
        &[(s, "id: A.7.4\nstatus: not-assessed\n")],
    );
    // The base workspace has no SoA at all; one file per control passes.
    let all: Vec<(String, String)> = aims_workbench::domain::catalog::CONTROLS
        .iter()
        .map(|c| {
            (
                format!("soa/{}.yaml", c.id),
                format!("id: {}\nstatus: not-assessed\n", c.id),
            )
        })
        .collect();
    let all: Vec<(&str, &str)> = all.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    pair("soa-coverage", &all, &[]);
}

#[test]
fn audit_rules_have_their_pairs() {
    let a = "audits/AUD-2026-01.yaml";
    let n = "nonconformities/NC-001.yaml";
    let ok = audit(
        "  - {ref: '4.1', result: conforming}\n  - {ref: A.7.4, result: minor-nc, nc: NC-001}\n",
    );
    pair(
        "checklist-duplicate",
        &[(a, &ok), (n, NC)],
        &[(
            a,
            &audit("  - {ref: '4.1', result: conforming}\n  - {ref: '4.1'}\n"),
        )],
    );
    pair(
        "audit-nc-backlink",
        &[(a, &ok), (n, NC)],
        &[
            (a, &ok),
            (
                n,
                &NC.replace("source_ref: AUD-2026-01", "source_ref: AUD-2025-09"),
            ),
        ],
    );
    pair(
        "audit-nc-missing",
        &[(a, &ok), (n, NC)],
        &[(a, &ok.replace(", nc: NC-001", "")), (n, NC)],
    );
    let done = |items: &str| {
        audit(items).replace(
            "status: in-progress",
            "status: completed\ncompleted_on: 2026-10-02",
        )
    };
    pair(
        "audit-incomplete",
        &[(a, &done("  - {ref: '4.1', result: conforming}\n"))],
        &[(a, &done("  - {ref: '4.1'}\n"))],
    );
    pair(
        "nc-source-ref",
        &[(a, &ok), (n, NC)],
        &[
            (a, &ok),
            (
                n,
                &NC.replace("source_ref: AUD-2026-01", "source_ref: SUP-001"),
            ),
        ],
    );
}

#[test]
fn ia_stale_has_its_pair() {
    let sys = common::BASE[1]
        .1
        .replace("risk_tier: limited", "risk_tier: high");
    let ia = "id: IA-001\nsystem: SYS-001\nversion: '1.0'\nassessor: bob\nperformed_on: 2026-05-01\n\
intended_use: u\nforeseeable_misuse: m\naffected_parties:\n  - {party: p, kind: individuals, impact: i, severity: high, likelihood: low}\n\
mitigations: m\nconclusion: c\nstatus: approved\napproved_by: ann\napproved_on: 2026-05-10\nnext_refresh: 2027-05-10\n";
    let s = "systems/SYS-001.yaml";
    let i = "impact-assessments/IA-001.yaml";
    pair(
        "ia-stale",
        &[(s, &sys), (i, ia)],
        &[
            (s, &sys),
            (
                i,
                &ia.replace("next_refresh: 2027-05-10", "next_refresh: 2026-10-01"),
            ),
        ],
    );
}

/// Each rule of the registry is named in a test of this file (its pair), so a rule added
/// without one fails here.
#[test]
fn every_rule_has_a_test_pair() {
    let tests = include_str!("verdict.rs");
    for r in RULES {
        assert!(
            tests.contains(&format!("\"{}\"", r.code)),
            "rule {} has no test in tests/verdict.rs",
            r.code
        );
    }
}

#[test]
fn a_live_system_with_an_out_of_date_ia() {
    assert_none(&sample(), "ia-stale");
    // SYS-006 is limited-tier and in operation: an out-of-date IA is an error.
    let f = sample_with(
        &[(
            "impact-assessments/IA-006.yaml",
            "next_refresh: 2027-01-15",
            "next_refresh: 2026-11-01",
        )],
        &[],
    );
    assert_error(&f, "systems/SYS-006.yaml", "ia-stale");
    // SYS-008 in development with an out-of-date IA: a warning.
    let ia = std::fs::read_to_string(format!("{}/impact-assessments/IA-006.yaml", common::SAMPLE))
        .unwrap()
        .replace("id: IA-006", "id: IA-009")
        .replace("system: SYS-006", "system: SYS-008")
        .replace("next_refresh: 2027-01-15", "next_refresh: 2026-11-01");
    let f = sample_with(&[], &[("impact-assessments/IA-009.yaml", &ia)]);
    assert_warning(&f, "systems/SYS-008.yaml", "ia-stale");
}

// ---- audits: a result that contradicts its NC; completion without sign-off ----------------

#[test]
fn an_audit_item_that_says_the_requirement_is_met_but_links_an_nc() {
    assert_none(&sample(), "audit-result-links-nc");
    // The completed audit: an error, on the line of the result.
    let f = sample_with(
        &[(
            "audits/AUD-2025-01.yaml",
            "    result: minor-nc\n    nc: NC-001",
            "    result: conforming\n    nc: NC-001",
        )],
        &[],
    );
    assert_error(&f, "audits/AUD-2025-01.yaml", "audit-result-links-nc");
    let h = hit(&f, "audits/AUD-2025-01.yaml", "audit-result-links-nc").unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-workspace/audits/AUD-2025-01.yaml"
    ))
    .unwrap();
    let line = text
        .lines()
        .position(|l| l == "    result: minor-nc")
        .unwrap() as u32
        + 1;
    assert_eq!(h.line, Some(line));
    assert!(
        h.message
            .contains("7.5.3 is conforming but still links NC-001"),
        "{}",
        h.message
    );
    // The audit in progress: a warning (the auditor may be mid-change); observation and
    // OFI say "met" as well.
    for met in ["observation", "ofi"] {
        let f = sample_with(
            &[(
                "audits/AUD-2026-01.yaml",
                "    result: minor-nc\n    nc: NC-004",
                &format!("    result: {met}\n    nc: NC-004"),
            )],
            &[],
        );
        assert_warning(&f, "audits/AUD-2026-01.yaml", "audit-result-links-nc");
    }
    // not-audited with an NC is not this rule's business.
    let f = sample_with(
        &[(
            "audits/AUD-2026-01.yaml",
            "    result: minor-nc\n    nc: NC-004",
            "    result: not-audited\n    nc: NC-004",
        )],
        &[],
    );
    assert!(hit(&f, "audits/AUD-2026-01.yaml", "audit-result-links-nc").is_none());
}

#[test]
fn a_completed_audit_without_a_conclusion_or_sign_off() {
    assert_none(&sample(), "audit-sign-off");
    let f = sample_with(
        &[(
            "audits/AUD-2025-01.yaml",
            "signed_off_by: jkowalski\nsigned_off_on: 2025-10-24\n",
            "",
        )],
        &[],
    );
    assert_warning(&f, "audits/AUD-2025-01.yaml", "audit-sign-off");
    let h = hit(&f, "audits/AUD-2025-01.yaml", "audit-sign-off").unwrap();
    assert!(
        h.message.contains("without signed_off_by, signed_off_on"),
        "{}",
        h.message
    );
    assert_eq!(h.line, Some(14), "the line of `status: completed`");
    // Not asked of an audit in progress.
    assert!(hit(&f, "audits/AUD-2026-01.yaml", "audit-sign-off").is_none());
    // A sign-off before the audit started is out of order; a signatory must be a person.
    let f = sample_with(
        &[(
            "audits/AUD-2025-01.yaml",
            "signed_off_by: jkowalski\nsigned_off_on: 2025-10-24",
            "signed_off_by: nobody\nsigned_off_on: 2025-10-01",
        )],
        &[],
    );
    assert_error(&f, "audits/AUD-2025-01.yaml", "date-order");
    assert_error(&f, "audits/AUD-2025-01.yaml", "unknown-person");
}

// ---- the registers of clauses 4, 7 and 9 ----------------------------------------------------

#[test]
fn an_in_house_model_in_operation_without_its_training_data() {
    assert_none(&sample(), "system-datasets");
    let f = sample_with(&[("systems/SYS-002.yaml", "datasets: [DS-003]\n", "")], &[]);
    assert_warning(&f, "systems/SYS-002.yaml", "system-datasets");
    // A bought-in system (SYS-003, customer and user) is not asked for its datasets.
    assert!(hit(&f, "systems/SYS-003.yaml", "system-datasets").is_none());
}

#[test]
fn yearly_training_that_lapsed() {
    assert_none(&sample(), "training-overdue");
    // COMP-008 was rescheduled to December; without the new date it is four days late.
    let f = sample_with(
        &[("competence/COMP-008.yaml", "next_due: 2026-12-08\n", "")],
        &[],
    );
    assert_warning(&f, "competence/COMP-008.yaml", "training-overdue");
}

#[test]
fn a_communication_logged_before_it_happened() {
    assert_none(&sample(), "logged-in-future");
    let f = sample_with(
        &[("communications/COMM-001.yaml", "2026-09-10", "2026-12-10")],
        &[],
    );
    assert_error(&f, "communications/COMM-001.yaml", "logged-in-future");
}

#[test]
fn a_metric_breach_is_shown_until_something_is_raised() {
    // The sample's one breach: MET-004's November PSI.
    let f = sample();
    let breaches: Vec<_> = f.iter().filter(|f| f.code == "metric-breach").collect();
    assert_eq!(breaches.len(), 1, "{breaches:#?}");
    assert_warning(&f, "metrics/MET-004.yaml", "metric-breach");
    assert!(breaches[0].message.contains("2026-11-15"), "{breaches:#?}");
    // MET-002's March breach names the incident it raised (INC-002), so it is quiet.
    assert!(hit(&f, "metrics/MET-002.yaml", "metric-breach").is_none());
    let f = sample_with(
        &[(
            "metrics/MET-004.yaml",
            "value: 0.27, by: lchen",
            "value: 0.27, by: lchen, raised: NC-005",
        )],
        &[],
    );
    assert_none(&f, "metric-breach");
}

#[test]
fn empty_registers_once_there_is_a_system_to_govern() {
    assert_none(&sample(), "register-empty");
    // The base fixture has one system and none of the five registers.
    let f = check(&[]);
    let empty: Vec<&str> = f
        .iter()
        .filter(|f| f.code == "register-empty")
        .map(|f| f.file.to_str().unwrap())
        .collect();
    assert_eq!(
        empty,
        [
            "communications",
            "competence",
            "context-issues",
            "interested-parties",
            "metrics"
        ]
    );
    assert!(
        f.iter()
            .all(|f| f.code != "register-empty" || !f.is_error())
    );
    // A workspace with no AI system yet is not asked for them.
    let dir = tempfile::tempdir().unwrap();
    common::write_files(dir.path(), &[("aims.yaml", SETTINGS)]);
    let f = Workspace::open(dir.path()).unwrap().check(common::today());
    assert_none(&f, "register-empty");
}

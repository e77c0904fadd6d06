//! Every rule of the record-type table, each with a record that passes and one that fails.

mod common;
use common::{check, errors_in, warnings_in};

const RISK: &str = "id: RISK-001\ntitle: Biased declines\ndescription: Thin-file applicants declined more often.\n\
systems: [SYS-001]\ncategory: bias-fairness\nlikelihood: 3\nimpact: 3\ntreatment: mitigate\ncontrols: [A.7.4]\n\
treatment_plan: Reweigh training data.\ntreatment_due: 2027-01-31\nowner: ann\nstatus: treating\n";

const IA: &str = "id: IA-001\nsystem: SYS-001\nversion: '1.0'\nassessor: bob\nperformed_on: 2026-05-01\n\
intended_use: Score applications.\nforeseeable_misuse: Used for pricing.\naffected_parties:\n  - {party: applicants, kind: individuals, impact: declined, severity: high, likelihood: medium}\n\
mitigations: Human review.\nconclusion: Acceptable with review.\nstatus: approved\napproved_by: ann\napproved_on: 2026-05-10\nnext_refresh: 2027-05-10\n";

const SOA: &str = "id: A.7.4\nstatus: implemented\napplicable: true\njustification: We train models.\nowner: bob\n\
implementation: Data quality gates in the pipeline.\nlinks:\n  - {label: Gate config, target: https://example.org/gates}\n";

const NC: &str = "id: NC-001\nsource: audit\nsource_ref: AUD-2026-01\nrequirement: A.7.4\nseverity: minor\n\
description: Gate skipped once.\nowner: bob\ndue: 2026-12-31\nstatus: open\n";

const INC: &str = "id: INC-001\nsystem: SYS-001\noccurred_on: 2026-09-01\ntype: model-degradation\nseverity: medium\n\
description: AUC dropped.\nowner: bob\nstatus: open\nexternal_reporting_required: false\n";

const MR: &str = "id: MR-2026\nheld_on: 2026-03-01\nstatus: held\nattendees: [ann, bob]\ninputs:\n  previous_actions: a\n  internal_external_issues: b\n  interested_parties: c\n  performance: d\n  improvement_opportunities: e\n\
decisions: [Fund a fairness review]\nactions:\n  - {action: Fairness review, owner: bob, due: 2026-12-01, status: open}\n";

const DOC: &str = "id: DOC-001\ntitle: AI policy\nkind: policy\nversion: '2'\nowner: ann\napproved_by: bob\napproved_on: 2026-01-10\nlocation: https://example.org/policy\n";

const OBJ: &str = "id: OBJ-001\ntitle: Fair lending\nmeasure: approval-rate gap\ntarget: under 2 points\nowner: ann\ndue: 2027-06-30\n";

const AUDIT_DONE: &str = "id: AUD-2025-01\ntitle: 2025 audit\nscope: clauses 4-10\nlead_auditor: ann\nplanned_on: 2025-10-01\nstatus: completed\ncompleted_on: 2025-10-03\n\
conclusion: effective\nsigned_off_by: ann\nsigned_off_on: 2025-10-03\n\
checklist:\n  - {ref: '4.1', result: conforming}\n  - {ref: A.7.4, result: minor-nc, nc: NC-001}\n";

/// Runs one case: the file must have no errors when `expect` is empty, else an error
/// containing each expected fragment.
fn case(path: &str, text: &str, expect: &[&str]) {
    let mut files = vec![(path, text)];
    // Records other cases refer to.
    if path != "nonconformities/NC-001.yaml" {
        files.push(("nonconformities/NC-001.yaml", NC));
    }
    // SYS-001 has a risk, so the cases of systems are not about `system-has-risk`.
    if path != "risks/RISK-001.yaml" {
        files.push(("risks/RISK-001.yaml", RISK));
    }
    // The audit fixtures are two-item audits: their coverage is tested in tests/verdict.rs.
    let settings = format!(
        "{}rules:\n  audit-coverage: {{severity: 'off', reason: two-item fixtures}}\n",
        common::SETTINGS
    );
    if path != "aims.yaml" {
        files.push(("aims.yaml", &settings));
    }
    let findings = check(&files);
    let errors = errors_in(&findings, path);
    if expect.is_empty() {
        assert!(
            errors.is_empty(),
            "{path} should pass, got {errors:#?}\n{text}"
        );
    }
    for e in expect {
        assert!(
            errors.iter().any(|m| m.contains(e)),
            "{path}: expected an error containing {e:?}, got {errors:#?}\n{text}"
        );
    }
}

fn with(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "fixture has no {from:?}");
    base.replacen(from, to, 1)
}

// ---- AI system ----------------------------------------------------------------------------

#[test]
fn system_required_fields() {
    let sys = common::BASE[1].1;
    case("systems/SYS-001.yaml", sys, &[]);
    case(
        "systems/SYS-001.yaml",
        &with(sys, "owner: ann\n", ""),
        &["missing `owner`"],
    );
    case(
        "systems/SYS-001.yaml",
        &with(sys, "human_oversight: Analysts review declines.\n", ""),
        &["missing `human_oversight`"],
    );
    case(
        "systems/SYS-001.yaml",
        &with(sys, "risk_tier: limited", "risk_tier: extreme"),
        &["`risk_tier` cannot be `extreme`"],
    );
    case(
        "systems/SYS-001.yaml",
        &with(sys, "roles: [producer, user]", "roles: [owner]"),
        &["`roles` cannot be `owner`"],
    );
    case(
        "systems/SYS-001.yaml",
        &with(sys, "personal_data: false", "personal_data: yes"),
        &["must be true or false"],
    );
}

#[test]
fn system_third_party_needs_supplier() {
    let sys = with(
        common::BASE[1].1,
        "provenance: in-house",
        "provenance: foundation-model-api",
    );
    case(
        "systems/SYS-001.yaml",
        &sys,
        &[
            "missing `suppliers`",
            "provenance is third-party or foundation-model-api",
        ],
    );
    case(
        "systems/SYS-001.yaml",
        &format!("{sys}suppliers: [SUP-001]\n"),
        &[],
    );
    case(
        "systems/SYS-001.yaml",
        &format!("{sys}suppliers: [SUP-404]\n"),
        &["`SUP-404`, which does not exist"],
    );
    case(
        "systems/SYS-001.yaml",
        &format!("{sys}suppliers: [AUD-2026-01]\n"),
        &["which is an internal audit, not a supplier"],
    );
}

#[test]
fn system_personal_data_needs_lawful_basis_or_dpia() {
    let sys = with(
        common::BASE[1].1,
        "personal_data: false",
        "personal_data: true",
    );
    case(
        "systems/SYS-001.yaml",
        &sys,
        &["missing `lawful_basis` or `dpia`"],
    );
    case(
        "systems/SYS-001.yaml",
        &format!("{sys}lawful_basis: contract\n"),
        &[],
    );
    case(
        "systems/SYS-001.yaml",
        &format!("{sys}dpia: https://example.org/dpia\n"),
        &[],
    );
}

#[test]
fn system_retired_needs_date() {
    let sys = with(
        common::BASE[1].1,
        "lifecycle_stage: development",
        "lifecycle_stage: retired",
    );
    case("systems/SYS-001.yaml", &sys, &["missing `retired_on`"]);
    case(
        "systems/SYS-001.yaml",
        &format!("{sys}retired_on: 2026-01-31\n"),
        &[],
    );
    case(
        "systems/SYS-001.yaml",
        &format!("{sys}retired_on: 31/01/2026\n"),
        &["must be a date written YYYY-MM-DD"],
    );
}

#[test]
fn high_risk_system_needs_current_approved_impact_assessment() {
    let sys = with(common::BASE[1].1, "risk_tier: limited", "risk_tier: high");
    let findings = check(&[
        ("systems/SYS-001.yaml", &sys),
        ("risks/RISK-001.yaml", RISK),
    ]);
    // In development without an impact assessment: a warning (rule `ia-per-system`; an
    // error once deployed, tested in tests/verdict.rs).
    let warnings = warnings_in(&findings, "systems/SYS-001.yaml");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("no approved impact assessment")),
        "{warnings:?}"
    );
    assert!(errors_in(&findings, "systems/SYS-001.yaml").is_empty());

    let current = check(&[
        ("systems/SYS-001.yaml", &sys),
        ("risks/RISK-001.yaml", RISK),
        ("impact-assessments/IA-001.yaml", IA),
    ]);
    assert!(errors_in(&current, "systems/SYS-001.yaml").is_empty());
    assert!(
        !warnings_in(&current, "systems/SYS-001.yaml")
            .iter()
            .any(|w| w.contains("impact assessment"))
    );

    let stale_ia = with(IA, "next_refresh: 2027-05-10", "next_refresh: 2026-10-01");
    let stale = check(&[
        ("systems/SYS-001.yaml", &sys),
        ("risks/RISK-001.yaml", RISK),
        ("impact-assessments/IA-001.yaml", &stale_ia),
    ]);
    let errors = errors_in(&stale, "systems/SYS-001.yaml");
    assert!(
        errors.iter().any(|e| e.contains("IA-001 is out of date")),
        "{errors:?}"
    );

    let draft = with(IA, "status: approved", "status: draft");
    let only_draft = check(&[
        ("systems/SYS-001.yaml", &sys),
        ("risks/RISK-001.yaml", RISK),
        ("impact-assessments/IA-001.yaml", &draft),
    ]);
    assert!(
        warnings_in(&only_draft, "systems/SYS-001.yaml")
            .iter()
            .any(|w| w.contains("no approved impact assessment"))
    );
}

// ---- AI risk ------------------------------------------------------------------------------

#[test]
fn risk_required_and_mitigation() {
    let p = "risks/RISK-001.yaml";
    case(p, RISK, &[]);
    case(
        p,
        &with(RISK, "category: bias-fairness", "category: vibes"),
        &["`category` cannot be `vibes`"],
    );
    case(
        p,
        &with(RISK, "likelihood: 3", "likelihood: 6"),
        &["`likelihood` must be a whole number from 1 (Rare) to 5 (Almost certain)"],
    );
    case(
        p,
        &with(RISK, "controls: [A.7.4]\n", ""),
        &["missing `controls`", "treatment is mitigate"],
    );
    case(
        p,
        &with(RISK, "controls: [A.7.4]", "controls: [A.99]"),
        &["`A.99` is not a known requirement"],
    );
    case(
        p,
        &with(RISK, "treatment_plan: Reweigh training data.\n", ""),
        &["missing `treatment_plan`"],
    );
    case(
        p,
        &with(RISK, "treatment_due: 2027-01-31\n", ""),
        &["missing `treatment_due`"],
    );
    case(
        p,
        &with(RISK, "systems: [SYS-001]\n", ""),
        &["missing `systems`"],
    );
    case(
        p,
        &with(RISK, "systems: [SYS-001]\n", "org_wide: true\n"),
        &[],
    );
    case(
        p,
        &with(RISK, "owner: ann", "owner: zed"),
        &["names `zed`, who is not in the people"],
    );
}

#[test]
fn risk_acceptance() {
    let p = "risks/RISK-001.yaml";
    let accept = with(RISK, "treatment: mitigate", "treatment: accept");
    case(
        p,
        &accept,
        &[
            "missing `accepted_by`",
            "missing `accepted_on`",
            "missing `acceptance_rationale`",
        ],
    );
    let accepted = format!(
        "{accept}accepted_by: bob\naccepted_on: 2026-06-01\nacceptance_rationale: Low harm.\n"
    );
    case(p, &accepted, &[]);
    // Residual above appetite (medium, up to 9) and not under treatment needs acceptance.
    let high = with(
        &with(RISK, "likelihood: 3\nimpact: 3", "likelihood: 4\nimpact: 4"),
        "status: treating",
        "status: monitoring",
    );
    case(
        p,
        &high,
        &["missing `accepted_by`", "residual risk is above appetite"],
    );
    case(
        p,
        &format!("{high}residual_likelihood: 2\nresidual_impact: 4\n"),
        &[],
    );
    case(
        p,
        &with(&high, "status: monitoring", "status: treating"),
        &[],
    );
}

#[test]
fn residual_cannot_exceed_inherent() {
    let p = "risks/RISK-001.yaml";
    case(
        p,
        &format!("{RISK}residual_likelihood: 2\nresidual_impact: 3\n"),
        &[],
    );
    case(
        p,
        &format!("{RISK}residual_likelihood: 4\nresidual_impact: 1\n"),
        &["`residual_likelihood` (4) is higher than the inherent `likelihood` (3)"],
    );
    let findings = check(&[
        (p, &format!("{RISK}residual_likelihood: 2\n")),
        ("nonconformities/NC-001.yaml", NC),
    ]);
    assert!(
        warnings_in(&findings, p)
            .iter()
            .any(|w| w.contains("give both residual scores"))
    );
}

// ---- impact assessment --------------------------------------------------------------------

#[test]
fn impact_assessment_rules() {
    let p = "impact-assessments/IA-001.yaml";
    case(p, IA, &[]);
    case(
        p,
        &with(IA, "foreseeable_misuse: Used for pricing.\n", ""),
        &["missing `foreseeable_misuse`"],
    );
    case(
        p,
        &with(IA, "approved_by: ann\n", ""),
        &["missing `approved_by`", "status is approved"],
    );
    case(
        p,
        &with(IA, "next_refresh: 2027-05-10\n", ""),
        &["missing `next_refresh` or `refresh_trigger`"],
    );
    case(
        p,
        &with(
            IA,
            "next_refresh: 2027-05-10\n",
            "refresh_trigger: model retrained\n",
        ),
        &[],
    );
    case(
        p,
        &with(IA, "kind: individuals", "kind: aliens"),
        &["`affected_parties[1].kind` cannot be `aliens`"],
    );
    case(
        p,
        &with(IA, "severity: high, ", ""),
        &["missing `affected_parties[1].severity`"],
    );
    let draft = with(
        &with(
            &with(IA, "status: approved", "status: draft"),
            "approved_by: ann\n",
            "",
        ),
        "approved_on: 2026-05-10\n",
        "",
    );
    case(p, &draft, &[]);
}

// ---- SoA entry ----------------------------------------------------------------------------

#[test]
fn soa_rules() {
    let p = "soa/A.7.4.yaml";
    case(p, SOA, &[]);
    case(
        p,
        &with(SOA, "owner: bob\n", ""),
        &["missing `owner`", "applicable is yes"],
    );
    case(
        p,
        &with(
            SOA,
            "implementation: Data quality gates in the pipeline.\n",
            "",
        ),
        &["missing `implementation`"],
    );
    let no_links = SOA.split("links:").next().unwrap().to_string();
    case(p, &no_links, &["missing `links`", "status is implemented"]);
    case(
        p,
        &with(&no_links, "status: implemented", "status: in-progress"),
        &[],
    );
    let inherited = with(&no_links, "status: implemented", "status: inherited");
    case(p, &inherited, &["missing `inherited_from`"]);
    case(
        p,
        &format!("{inherited}inherited_from: Group security framework\n"),
        &[],
    );
    let excluded = "id: A.7.4\nstatus: excluded\napplicable: false\njustification: We train no models; all AI is bought.\n";
    case(p, excluded, &[]);
    case(
        p,
        &with(
            excluded,
            "justification: We train no models; all AI is bought.\n",
            "",
        ),
        &["missing `justification`"],
    );
    case(
        p,
        &with(
            excluded,
            "applicable: false",
            "applicable: true\nowner: bob\nimplementation: x",
        ),
        &["status is excluded but `applicable: true`"],
    );
    case(
        p,
        &with(excluded, "status: excluded", "status: planned"),
        &["a control that does not apply is `status: excluded`"],
    );
    case("soa/A.7.4.yaml", "id: A.7.4\nstatus: not-assessed\n", &[]);
    case(
        p,
        &format!("{SOA}documents: [DOC-404]\n"),
        &["`documents` refers to `DOC-404`, which does not exist"],
    );
    case(
        p,
        &format!("{SOA}documents: [SYS-001]\n"),
        &["which is an AI system, not a document"],
    );
}

#[test]
fn soa_reports_missing_controls_and_unknown_ones() {
    let findings = check(&[("soa/A.7.4.yaml", SOA)]);
    assert!(
        findings
            .iter()
            .any(|f| !f.is_error() && f.message.contains("covers 1 of 38 Annex A controls"))
    );
    let findings = check(&[("soa/A.1.1.yaml", "id: A.1.1\nstatus: planned\n")]);
    assert!(
        errors_in(&findings, "soa/A.1.1.yaml")
            .iter()
            .any(|m| m.contains("not a valid record id"))
    );
}

// ---- internal audit -----------------------------------------------------------------------

#[test]
fn audit_rules() {
    let p = "audits/AUD-2025-01.yaml";
    case(p, AUDIT_DONE, &[]);
    case(
        p,
        &with(AUDIT_DONE, "completed_on: 2025-10-03\n", ""),
        &["missing `completed_on`"],
    );
    case(
        p,
        &with(
            AUDIT_DONE,
            "{ref: '4.1', result: conforming}",
            "{ref: '4.1'}",
        ),
        &["1 checklist item(s) have no result (4.1"],
    );
    case(
        p,
        &with(AUDIT_DONE, ", nc: NC-001", ""),
        &["A.7.4 has a minor-nc result but links no nonconformity"],
    );
    case(
        p,
        &with(AUDIT_DONE, "nc: NC-001", "nc: NC-404"),
        &["`NC-404`, which does not exist"],
    );
    case(
        p,
        &with(
            AUDIT_DONE,
            "{ref: '4.1', result: conforming}",
            "{ref: '4.1', result: not-audited}",
        ),
        &["missing `checklist[1].notes`"],
    );
    case(
        p,
        &with(AUDIT_DONE, "ref: '4.1'", "ref: '11.1'"),
        &["`11.1` is not a known requirement"],
    );
    // In progress: open items are fine and an unlinked NC result is only a warning.
    let in_progress = with(
        &with(
            &with(AUDIT_DONE, "status: completed", "status: in-progress"),
            ", nc: NC-001",
            "",
        ),
        "{ref: '4.1', result: conforming}",
        "{ref: '4.1'}",
    );
    let findings = check(&[(p, &in_progress), ("nonconformities/NC-001.yaml", NC)]);
    assert!(
        errors_in(&findings, p)
            .iter()
            .all(|m| m.contains("completed_on")),
        "{:?}",
        errors_in(&findings, p)
    );
    assert!(
        warnings_in(&findings, p)
            .iter()
            .any(|w| w.contains("links no nonconformity"))
    );
}

// ---- nonconformity ------------------------------------------------------------------------

#[test]
fn nonconformity_rules() {
    let p = "nonconformities/NC-001.yaml";
    case(p, NC, &[]);
    case(p, &with(NC, "due: 2026-12-31\n", ""), &["missing `due`"]);
    case(
        p,
        &with(NC, "source_ref: AUD-2026-01", "source_ref: AUD-1999-01"),
        &["`AUD-1999-01`, which does not exist"],
    );
    case(
        p,
        &with(NC, "source_ref: AUD-2026-01", "source_ref: SYS-001"),
        &["SYS-001 is an AI system, but the source is an internal audit"],
    );
    case(
        p,
        &with(NC, "requirement: A.7.4", "requirement: '6.1.2'"),
        &[],
    );
    let closed = with(NC, "status: open", "status: closed");
    case(
        p,
        &closed,
        &[
            "missing `root_cause`",
            "missing `corrective_action`",
            "missing `verified_by`",
            "missing `verified_on`",
        ],
    );
    case(
        p,
        &format!(
            "{closed}root_cause: r\ncorrective_action: c\nverified_by: ann\nverified_on: 2026-11-01\nclosed_on: 2026-11-02\n"
        ),
        &[],
    );
}

// ---- incident -----------------------------------------------------------------------------

#[test]
fn incident_rules() {
    let p = "incidents/INC-001.yaml";
    case(p, INC, &[]);
    case(
        p,
        &with(INC, "type: model-degradation", "type: gremlins"),
        &["`type` cannot be `gremlins`"],
    );
    let reportable = with(
        INC,
        "external_reporting_required: false",
        "external_reporting_required: true",
    );
    // Reporting required and not yet done is a pending report, not an error (issue 10);
    // once it says `reported`, who and when are required.
    case(p, &reportable, &[]);
    case(
        p,
        &format!("{reportable}reporting_status: reported\n"),
        &["missing `reported_to`", "missing `reported_on`"],
    );
    case(
        p,
        &format!("{reportable}reported_to: Financial regulator\nreported_on: 2026-09-03\n"),
        &[],
    );
    let closed = with(INC, "status: open", "status: closed");
    case(p, &closed, &["missing `lessons_learned`"]);
    case(
        p,
        &format!("{closed}lessons_learned: Add drift alerts.\n"),
        &[],
    );
    case(
        p,
        &with(INC, "system: SYS-001", "system: SYS-999"),
        &["`SYS-999`, which does not exist"],
    );
}

// ---- supplier, management review, document, objective -------------------------------------

#[test]
fn supplier_due_diligence_is_required() {
    let p = "suppliers/SUP-001.yaml";
    let sup = common::BASE[2].1;
    case(p, sup, &[]);
    case(
        p,
        &with(sup, "  ip_terms: d\n", ""),
        &["missing `due_diligence.ip_terms`"],
    );
    case(
        p,
        &with(sup, "systems: [SYS-001]", "systems: [SYS-002]"),
        &["`SYS-002`, which does not exist"],
    );
}

#[test]
fn management_review_rules() {
    let p = "management-reviews/MR-2026.yaml";
    case(p, MR, &[]);
    case(
        p,
        &with(MR, "  performance: d\n", ""),
        &["missing `inputs.performance`"],
    );
    case(
        p,
        &with(MR, "owner: bob, ", ""),
        &["missing `actions[1].owner`"],
    );
    case(
        p,
        &with(MR, "attendees: [ann, bob]", "attendees: [ann, zed]"),
        &["names `zed`"],
    );
    let planned = "id: MR-2026\nheld_on: 2026-12-01\nstatus: planned\nattendees: [ann]\n";
    case(p, planned, &[]);
}

#[test]
fn document_and_objective_rules() {
    case("documents/DOC-001.yaml", DOC, &[]);
    case(
        "documents/DOC-001.yaml",
        &with(DOC, "approved_by: bob\n", ""),
        &["missing `approved_by`"],
    );
    case(
        "documents/DOC-001.yaml",
        &with(DOC, "kind: policy", "kind: memo"),
        &["`kind` cannot be `memo`"],
    );
    case("objectives/OBJ-001.yaml", OBJ, &[]);
    case(
        "objectives/OBJ-001.yaml",
        &with(OBJ, "target: under 2 points\n", ""),
        &["missing `target`"],
    );
}

// ---- common fields ------------------------------------------------------------------------

#[test]
fn review_log_and_links_are_checked() {
    let p = "documents/DOC-001.yaml";
    case(
        p,
        &format!("{DOC}reviews:\n  - {{date: 2026-02-01, by: ann, note: ok}}\n"),
        &[],
    );
    case(
        p,
        &format!("{DOC}reviews:\n  - {{date: 2026-02-01, by: zed}}\n"),
        &["`reviews[1].by` names `zed`"],
    );
    case(
        p,
        &format!("{DOC}links:\n  - {{label: x, target: ../../etc/passwd}}\n"),
        &["points outside the workspace"],
    );
    case(
        p,
        &format!("{DOC}links:\n  - {{label: x, target: /etc/passwd}}\n"),
        &["points outside the workspace"],
    );
    let findings = check(&[(
        p,
        &format!("{DOC}links:\n  - {{label: x, target: evidence/none.pdf}}\n"),
    )]);
    assert!(
        warnings_in(&findings, p)
            .iter()
            .any(|w| w.contains("evidence file `evidence/none.pdf` does not exist"))
    );
    case(
        p,
        &format!("{DOC}last_reviewed: 2026-13-01\n"),
        &["`last_reviewed` must be a date"],
    );
}

#[test]
fn id_must_match_file_name() {
    case(
        "documents/DOC-001.yaml",
        &with(DOC, "id: DOC-001", "id: DOC-002"),
        &["does not match the file name"],
    );
    case(
        "documents/DOC-001.yaml",
        &with(DOC, "id: DOC-001\n", ""),
        &["missing `id`"],
    );
}

#[test]
fn findings_carry_the_line() {
    let text = with(RISK, "category: bias-fairness", "category: vibes");
    let findings = check(&[
        ("risks/RISK-001.yaml", &text),
        ("nonconformities/NC-001.yaml", NC),
    ]);
    let f = findings
        .iter()
        .find(|f| f.message.contains("vibes"))
        .unwrap();
    assert_eq!(f.line, Some(5));
    assert_eq!(f.field.as_deref(), Some("category"));
    assert_eq!(f.record.as_deref(), Some("RISK-001"));
}

#[test]
fn absurd_scores_are_errors_not_panics() {
    let p = "risks/RISK-001.yaml";
    let huge = with(
        &with(RISK, "likelihood: 3", "likelihood: 9223372036854775807"),
        "status: treating",
        "status: identified",
    );
    case(p, &huge, &["`likelihood` must be a whole number from 1"]);
    case(
        p,
        &with(RISK, "impact: 3", "impact: 1e300"),
        &["`impact` must be a whole number from 1"],
    );
}

#[test]
fn audit_nc_should_name_the_audit_as_its_source() {
    let p = "audits/AUD-2025-01.yaml";
    let findings = check(&[(p, AUDIT_DONE), ("nonconformities/NC-001.yaml", NC)]);
    let w = warnings_in(&findings, p);
    assert!(
        w.iter()
            .any(|m| m.contains("links NC-001, whose `source_ref` is not AUD-2025-01")),
        "{w:?}"
    );
    let own = with(NC, "source_ref: AUD-2026-01", "source_ref: AUD-2025-01");
    let findings = check(&[(p, AUDIT_DONE), ("nonconformities/NC-001.yaml", &own)]);
    assert!(warnings_in(&findings, p).is_empty());
}

// ---- the registers of clauses 4, 7 and 9 ----------------------------------------------------

/// Warnings about one file, with the same fixtures as [`case`].
fn warnings(path: &str, text: &str, extra: &[(&str, &str)]) -> Vec<String> {
    let settings = format!(
        "{}rules:\n  audit-coverage: {{severity: 'off', reason: two-item fixtures}}\n",
        common::SETTINGS
    );
    let mut files = vec![
        (path, text),
        ("nonconformities/NC-001.yaml", NC),
        ("risks/RISK-001.yaml", RISK),
        ("aims.yaml", &settings),
    ];
    files.extend_from_slice(extra);
    warnings_in(&check(&files), path)
}

const CTX: &str = "id: CTX-001\ntitle: AI Act obligations\nkind: external\ndescription: Credit scoring is high-risk.\n\
effect: Stricter impact assessments.\nowner: ann\n";

#[test]
fn context_issue_fields() {
    case("context-issues/CTX-001.yaml", CTX, &[]);
    case(
        "context-issues/CTX-001.yaml",
        &with(CTX, "effect: Stricter impact assessments.\n", ""),
        &["missing `effect`"],
    );
    case(
        "context-issues/CTX-001.yaml",
        &with(CTX, "kind: external", "kind: both"),
        &["`kind` cannot be `both`: use one of internal, external"],
    );
}

const IP: &str = "id: IP-001\nname: Central Bank\nkind: regulator\nrequirements:\n  - {requirement: Validated credit models, basis: legal}\n\
addressed: Yearly independent validation.\nowner: bob\n";

#[test]
fn interested_party_requirements() {
    case("interested-parties/IP-001.yaml", IP, &[]);
    case(
        "interested-parties/IP-001.yaml",
        &with(IP, "requirement: Validated credit models, ", ""),
        &["missing `requirements[1].requirement`"],
    );
    case(
        "interested-parties/IP-001.yaml",
        &with(IP, "basis: legal", "basis: moral"),
        &["`requirements[1].basis` cannot be `moral`"],
    );
    case(
        "interested-parties/IP-001.yaml",
        &with(IP, "owner: bob", "owner: zed"),
        &["`owner` names `zed`"],
    );
}

const COMP: &str = "id: COMP-001\ntitle: Yearly AI-governance training\nperson: bob\nrole: ML lead\n\
required: AI regulation and ethics.\nevidence: LMS record\ncompleted_on: 2026-03-01\nevery: 1y\n";

#[test]
fn competence_needs_a_date_and_a_period() {
    case("competence/COMP-001.yaml", COMP, &[]);
    case(
        "competence/COMP-001.yaml",
        &with(COMP, "completed_on: 2026-03-01\n", ""),
        &["missing `completed_on` or `next_due`"],
    );
    case(
        "competence/COMP-001.yaml",
        &with(COMP, "every: 1y", "every: yearly"),
        &["`every` must be a period such as 1m, 3m or 1y"],
    );
    case(
        "competence/COMP-001.yaml",
        &with(COMP, "completed_on: 2026-03-01", "completed_on: 2026-12-01"),
        &["`completed_on` is 2026-12-01, after today"],
    );
}

#[test]
fn overdue_training_is_a_warning_until_done_or_rescheduled() {
    let lapsed = with(COMP, "completed_on: 2026-03-01", "completed_on: 2025-06-01");
    let w = warnings("competence/COMP-001.yaml", &lapsed, &[]);
    assert!(
        w.iter()
            .any(|m| m.contains("Yearly AI-governance training of `bob` was due on 2026-06-01")),
        "{w:#?}"
    );
    let planned = format!("{lapsed}next_due: 2026-12-10\n");
    assert!(warnings("competence/COMP-001.yaml", &planned, &[]).is_empty());
    assert!(warnings("competence/COMP-001.yaml", COMP, &[]).is_empty());
}

const COMM: &str = "id: COMM-001\ntitle: Quarterly AIMS report\naudience: AI risk committee\nchannel: Meeting\ncadence: 3m\nowner: ann\n\
log:\n  - {date: 2026-09-10, by: ann}\n";

#[test]
fn communication_log_records_the_past() {
    case("communications/COMM-001.yaml", COMM, &[]);
    case(
        "communications/COMM-001.yaml",
        &with(COMM, "2026-09-10", "2026-12-10"),
        &["an entry of `log` is dated 2026-12-10, after today"],
    );
    case(
        "communications/COMM-001.yaml",
        &with(COMM, "audience: AI risk committee\n", ""),
        &["missing `audience`"],
    );
}

const DS: &str = "id: DS-001\nname: Application history\nsource: Origination system 2021-2024.\ncollection: Applications.\n\
legal_basis: GDPR Art. 6(1)(b)\npersonal_data: true\nsensitive_attributes: [age]\nquality_checks: Completeness checks.\n\
known_biases: Few applicants over 65.\nretention: Model life + 7 years\nowner: bob\n";

#[test]
fn dataset_fields() {
    case("datasets/DS-001.yaml", DS, &[]);
    case(
        "datasets/DS-001.yaml",
        &with(DS, "known_biases: Few applicants over 65.\n", ""),
        &["missing `known_biases`"],
    );
    case(
        "datasets/DS-001.yaml",
        &format!("{DS}status: disposed\n"),
        &["missing `disposed_on`", "status is disposed"],
    );
}

#[test]
fn a_system_we_develop_in_operation_lists_its_datasets() {
    let live = with(
        common::BASE[1].1,
        "lifecycle_stage: development",
        "lifecycle_stage: operation",
    );
    let code = "lists no datasets";
    let w = warnings("systems/SYS-001.yaml", &live, &[]);
    assert!(w.iter().any(|m| m.contains(code)), "{w:#?}");
    // Listing them, or still in development, or bought in: no warning.
    let listed = format!("{live}datasets: [DS-001]\n");
    let ds = [("datasets/DS-001.yaml", DS)];
    let w = warnings("systems/SYS-001.yaml", &listed, &ds);
    assert!(!w.iter().any(|m| m.contains(code)), "{w:#?}");
    let w = warnings("systems/SYS-001.yaml", common::BASE[1].1, &[]);
    assert!(!w.iter().any(|m| m.contains(code)), "{w:#?}");
    // A disposed dataset no longer counts.
    let disposed = format!("{DS}status: disposed\ndisposed_on: 2026-10-01\n");
    let w = warnings(
        "systems/SYS-001.yaml",
        &listed,
        &[("datasets/DS-001.yaml", &disposed)],
    );
    assert!(
        w.iter()
            .any(|m| m.contains("dataset `DS-001` is disposed of")),
        "{w:#?}"
    );
    // A reference to a dataset that does not exist is broken, like any other.
    case(
        "systems/SYS-001.yaml",
        &format!("{}datasets: [DS-404]\n", common::BASE[1].1),
        &["`datasets` refers to `DS-404`, which does not exist"],
    );
}

const MET: &str = "id: MET-001\ntitle: Approval-rate ratio 65+\nmethod: Monthly query.\nfrequency: 1m\ndirection: min\nthreshold: 0.8\nowner: bob\n\
systems: [SYS-001]\nmeasurements:\n  - {date: 2026-10-05, value: 0.86, by: bob}\n  - {date: 2026-11-05, value: 0.84, by: bob}\n";

#[test]
fn metric_values_and_thresholds_are_numbers() {
    case("metrics/MET-001.yaml", MET, &[]);
    case(
        "metrics/MET-001.yaml",
        &with(MET, "threshold: 0.8", "threshold: high"),
        &["`threshold` must be a number"],
    );
    case(
        "metrics/MET-001.yaml",
        &with(MET, "value: 0.84", "value: n/a"),
        &["`measurements[2].value` must be a number"],
    );
    // Rust's float parser takes these; a measurement is never one of them.
    // (YAML's own `.inf` and `.nan` are refused by the loader already.)
    for (bad, shown) in [("inf", "inf"), ("NaN", "NaN"), ("-infinity", "-infinity")] {
        case(
            "metrics/MET-001.yaml",
            &with(MET, "value: 0.84", &format!("value: {bad}")),
            &[&format!(
                "`measurements[2].value` must be a number, e.g. 0.87 or 5%, not `{shown}`"
            )],
        );
    }
    case(
        "metrics/MET-001.yaml",
        &with(MET, "threshold: 0.8", "threshold: NaN"),
        &["`threshold` must be a number, e.g. 0.8 or 5%, not `NaN`"],
    );
    case(
        "metrics/MET-001.yaml",
        &with(MET, "frequency: 1m", "frequency: monthly"),
        &["`frequency` must be a period"],
    );
    case(
        "metrics/MET-001.yaml",
        &with(MET, "2026-11-05", "2026-11-30"),
        &["an entry of `measurements` is dated 2026-11-30, after today"],
    );
}

#[test]
fn a_breach_is_a_warning_naming_the_metric_and_date_until_something_is_raised() {
    assert!(warnings("metrics/MET-001.yaml", MET, &[]).is_empty());
    let breach = with(MET, "value: 0.84", "value: 0.74");
    let w = warnings("metrics/MET-001.yaml", &breach, &[]);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].contains("MET-001 measured 0.74 on 2026-11-05, below its threshold 0.8"),
        "{w:#?}"
    );
    // A max metric breaches above; a raised NC answers the breach; a retired metric is quiet.
    let max = with(
        &with(MET, "direction: min", "direction: max"),
        "0.8\n",
        "0.85\n",
    );
    assert_eq!(warnings("metrics/MET-001.yaml", &max, &[]).len(), 1);
    let raised = with(
        &breach,
        "value: 0.74, by: bob",
        "value: 0.74, by: bob, raised: NC-001",
    );
    assert!(warnings("metrics/MET-001.yaml", &raised, &[]).is_empty());
    let retired = format!("{breach}status: retired\n");
    assert!(warnings("metrics/MET-001.yaml", &retired, &[]).is_empty());
}

#[test]
fn a_management_review_links_its_input_records() {
    // Links beside the free text: checked like every reference.
    let linked = MR.replace(
        "  performance: d\n",
        "  performance: d\n  context_issues: [CTX-001]\n  nonconformities: [NC-001]\n",
    );
    let mut files = vec![("management-reviews/MR-2026.yaml", linked.as_str())];
    files.push(("context-issues/CTX-001.yaml", CTX));
    files.push(("nonconformities/NC-001.yaml", NC));
    let findings = check(&files);
    assert!(errors_in(&findings, "management-reviews/MR-2026.yaml").is_empty());
    case(
        "management-reviews/MR-2026.yaml",
        &MR.replace(
            "  performance: d\n",
            "  performance: d\n  metrics: [SUP-001]\n",
        ),
        &["`inputs.metrics` refers to `SUP-001`, which is a supplier"],
    );
}

#[test]
fn a_linked_input_needs_no_free_text_but_an_unlinked_one_does() {
    // The free text of an input is optional once its records are linked...
    let linked = MR
        .replace(
            "  internal_external_issues: b\n",
            "  context_issues: [CTX-001]\n",
        )
        .replace("  performance: d\n", "  nonconformities: [NC-001]\n");
    let files = [
        ("management-reviews/MR-2026.yaml", linked.as_str()),
        ("context-issues/CTX-001.yaml", CTX),
        ("nonconformities/NC-001.yaml", NC),
    ];
    let findings = check(&files);
    assert!(
        errors_in(&findings, "management-reviews/MR-2026.yaml").is_empty(),
        "{findings:?}"
    );
    // ...and still required when nothing stands in for it (an old review's text).
    case(
        "management-reviews/MR-2026.yaml",
        &MR.replace("  internal_external_issues: b\n", ""),
        &["internal_external_issues"],
    );
}

/// Once there is a system, each register clauses 4, 7 and 9 ask for is kept: an empty one
/// is a warning naming its folder; one record in it settles it.
#[test]
fn an_empty_register_is_a_warning_until_it_has_a_record() {
    let empty = |findings: &[aims_workbench::domain::Finding], dir: &str| {
        findings
            .iter()
            .any(|f| f.code == "register-empty" && f.file == std::path::Path::new(dir))
    };
    let none = check(&[]);
    for dir in [
        "context-issues",
        "interested-parties",
        "competence",
        "communications",
        "metrics",
    ] {
        assert!(empty(&none, dir), "{dir}: {none:#?}");
    }
    let kept = check(&[
        ("context-issues/CTX-001.yaml", CTX),
        ("interested-parties/IP-001.yaml", IP),
        ("competence/COMP-001.yaml", COMP),
        ("communications/COMM-001.yaml", COMM),
        ("metrics/MET-001.yaml", MET),
    ]);
    assert!(
        !kept.iter().any(|f| f.code == "register-empty"),
        "{kept:#?}"
    );
}

/// An NC raised from monitoring names the metric as its source; another record is refused.
#[test]
fn an_nc_from_monitoring_names_its_metric() {
    let nc = with(
        &with(NC, "source: audit", "source: monitoring"),
        "source_ref: AUD-2026-01",
        "source_ref: MET-001",
    );
    let met = [("metrics/MET-001.yaml", MET)];
    let findings = check(&[("nonconformities/NC-001.yaml", nc.as_str()), met[0]]);
    assert!(
        errors_in(&findings, "nonconformities/NC-001.yaml").is_empty(),
        "{findings:#?}"
    );
    case(
        "nonconformities/NC-001.yaml",
        &with(
            &with(NC, "source: audit", "source: monitoring"),
            "source_ref: AUD-2026-01",
            "source_ref: RISK-001",
        ),
        &["`source_ref` RISK-001 is an AI risk, but the source is a monitoring metric"],
    );
}

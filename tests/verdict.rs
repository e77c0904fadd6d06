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

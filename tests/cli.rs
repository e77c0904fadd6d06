//! The command line: exit codes and output, run through the real binary.

mod common;
use std::path::Path;
use std::process::{Command, Output};

fn aims(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aims"))
        .args(args)
        .env_remove("AIMS_TODAY")
        .env_remove("USER")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-workspace");

#[test]
fn check_passes_on_the_sample_workspace() {
    let o = aims(&["check", SAMPLE, "--today", "2026-11-22"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // No errors; a few warnings that read like the organization's to-do list.
    let text = stdout(&o);
    let last = text.lines().last().unwrap_or_default();
    assert!(last.starts_with("0 errors, "), "{text}");
    assert!(!last.starts_with("0 errors, 0 warnings"), "{text}");
    // The summary (piped `aims DIR`) gives the SoA headline of the workbench.
    let summary = stdout(&aims(&[SAMPLE, "--today", "2026-11-22"]));
    assert!(
        summary.contains("SoA: assessed 38/38 · applicable 37 · in place 28/37 (75%)\n"),
        "{summary}"
    );
    // --strict fails on those warnings.
    assert_eq!(
        aims(&["check", SAMPLE, "--strict", "--today", "2026-11-22"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn check_exit_codes_and_output_on_a_broken_workspace() {
    let dir = common::workspace(&[
        ("risks/RISK-001.yaml", "id: RISK-001\ntitle: [unclosed\n"),
        (
            "objectives/OBJ-001.yaml",
            "id: OBJ-001\ntitle: t\nmeasure: m\ntarget: x\nowner: zed\ndue: 2027-01-01\n",
        ),
    ]);
    let d = dir.path().to_str().unwrap();
    let o = aims(&["check", d, "--today", "2026-11-22"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("check_broken", stdout(&o));

    let json = aims(&["check", d, "--format", "json", "--today", "2026-11-22"]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["errors"], 2);
    let owner = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "owner")
        .unwrap();
    assert_eq!(owner["severity"], "error");
    assert_eq!(owner["code"], "unknown-person");

    let not_ws = tempfile::tempdir().unwrap();
    let o = aims(&["check", not_ws.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("is not an AIMS workspace (no aims.yaml): create one with `aims init DIR`")
    );
}

#[test]
fn check_strict_fails_on_warnings() {
    let dir = common::workspace(&[]);
    let d = dir.path().to_str().unwrap();
    // The base workspace has no SoA entries: a warning.
    assert_eq!(
        aims(&["check", d, "--today", "2026-11-22"]).status.code(),
        Some(0)
    );
    assert_eq!(
        aims(&["check", d, "--strict", "--today", "2026-11-22"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn due_lists_overdue_and_due_soon_with_owners() {
    let o = aims(&["due", SAMPLE, "--today", "2026-11-22"]);
    assert_eq!(o.status.code(), Some(1), "overdue items exit 1");
    insta::assert_snapshot!("due_sample", stdout(&o));
}

#[test]
fn due_filters_by_owner_and_me() {
    let o = aims(&["due", SAMPLE, "--today", "2026-11-22", "--owner", "pnair"]);
    let out = stdout(&o);
    assert!(
        out.contains("RISK-004") && !out.contains("RISK-021"),
        "{out}"
    );
    let me = aims(&[
        "due",
        SAMPLE,
        "--today",
        "2026-11-22",
        "--owner",
        "me",
        "--as",
        "pnair",
    ]);
    assert_eq!(stdout(&me), out);
    let by_login = Command::new(env!("CARGO_BIN_EXE_aims"))
        .args(["due", SAMPLE, "--owner", "me"])
        .env("AIMS_TODAY", "2026-11-22")
        .env("USER", "pnair")
        .output()
        .unwrap();
    assert_eq!(
        stdout(&by_login),
        out,
        "$USER is matched against people's login"
    );
    let nobody = aims(&["due", SAMPLE, "--today", "2026-11-22", "--owner", "me"]);
    assert_eq!(nobody.status.code(), Some(2));
    assert!(stderr(&nobody).contains("--as PERSON"));
}

#[test]
fn due_json_and_within() {
    let o = aims(&[
        "due",
        SAMPLE,
        "--today",
        "2026-11-22",
        "--within",
        "0",
        "--format",
        "json",
    ]);
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let items = items.as_array().unwrap();
    assert!(
        items.iter().all(|i| i["state"] == "overdue"),
        "within 0 leaves only overdue items"
    );
    assert_eq!(items.len(), 13);
    assert_eq!(items[0]["record"], "RISK-021");
    assert_eq!(items[0]["days"], -63);
}

#[test]
fn due_exits_0_when_nothing_is_overdue() {
    let o = aims(&["due", SAMPLE, "--today", "2025-01-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn init_creates_a_workspace_that_passes_check_and_refuses_a_non_empty_dir() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("aims");
    let d = dir.to_str().unwrap();
    let o = aims(&["init", d, "--organization", "Acme: AI Ltd", "--as", "j.doe"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(dir.join("soa")).unwrap().count(), 38);
    let check = aims(&["check", d, "--today", "2026-11-22"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let settings = std::fs::read_to_string(dir.join("aims.yaml")).unwrap();
    assert!(
        settings.contains("organization: \"Acme: AI Ltd\""),
        "{settings}"
    );
    assert!(settings.contains("login: j.doe"));
    assert!(Path::new(&dir.join(".gitignore")).exists());

    // The summary counts the SoA against the 38 controls: a new workspace has assessed none.
    let summary = stdout(&aims(&[d, "--today", "2026-11-22"]));
    assert!(
        summary.contains("SoA: assessed 0/38 · applicable 0 · in place 0/38 (0%)\n"),
        "{summary}"
    );

    let again = aims(&["init", d]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("is not empty"));
}

#[test]
fn a_bad_today_is_a_usage_error() {
    let o = aims(&["due", SAMPLE, "--today", "22/11/2026"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a date: write YYYY-MM-DD"));
}

#[test]
fn init_writes_the_org_scope_and_first_person_and_never_waits_without_a_terminal() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("acme");
    let d = dir.to_str().unwrap();
    let scope = "Every AI system Acme Lending builds or buys, at its Dublin office";
    let o = aims(&[
        "init",
        d,
        "--org",
        "Acme Lending",
        "--scope",
        scope,
        "--as",
        "amoreau",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("nothing was asked"), "{}", stdout(&o));
    let settings = std::fs::read_to_string(dir.join("aims.yaml")).unwrap();
    for line in [
        "organization: Acme Lending",
        &format!("scope: {scope}"),
        "  - id: amoreau",
        "    login: amoreau",
    ] {
        assert!(settings.contains(line), "no {line:?} in\n{settings}");
    }
    let check = aims(&["check", d, "--today", "2026-11-22"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(!stdout(&check).contains("no AIMS scope statement"));

    // No flags and no terminal (stdin is not one here): the defaults, said, at once.
    let other = parent.path().join("other");
    let o = aims(&["init", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("nothing was asked: no --org, --scope, --as given"),
        "{}",
        stdout(&o)
    );
}

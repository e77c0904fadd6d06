//! Shared helpers: build a workspace in a temp dir from (path, text) pairs.
#![allow(dead_code)]

pub mod git;

use aims_workbench::domain::dates::{Date, parse_date};
use aims_workbench::domain::{Finding, Severity};
use aims_workbench::workspace::Workspace;
use std::path::Path;
use tempfile::TempDir;

pub fn today() -> Date {
    parse_date("2026-11-22").unwrap()
}

pub const SETTINGS: &str = "\
version: 1
organization: Test Org
scope: Every AI system of Test Org.
people:
  - {id: ann, name: Ann Lee, role: AI governance lead, login: alee}
  - {id: bob, name: Bob Ray, role: ML lead, login: bray}
";

/// A valid record of every type that others refer to.
pub const BASE: &[(&str, &str)] = &[
    ("aims.yaml", SETTINGS),
    (
        "systems/SYS-001.yaml",
        "id: SYS-001\nname: Scorer\npurpose: Scores credit applications.\nroles: [producer, user]\nowner: ann\n\
         lifecycle_stage: development\ndeployment_environment: internal cloud\ndata_inputs: [bureau data]\n\
         personal_data: false\nprovenance: in-house\nrisk_tier: limited\nhuman_oversight: Analysts review declines.\n",
    ),
    (
        "suppliers/SUP-001.yaml",
        "id: SUP-001\nname: ModelCo\nservices: LLM API\nsystems: [SYS-001]\nowner: bob\ndue_diligence:\n  model_provenance: a\n  training_data_origin: b\n  performance_claims: c\n  ip_terms: d\n  contract_terms: e\n",
    ),
    (
        "audits/AUD-2026-01.yaml",
        "id: AUD-2026-01\ntitle: Audit\nscope: all\nlead_auditor: ann\nplanned_on: 2026-10-01\nstatus: planned\n",
    ),
];

pub fn workspace(extra: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), BASE);
    write_files(dir.path(), extra);
    dir
}

pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// All findings of a workspace made of the base records plus `extra`.
pub fn check(extra: &[(&str, &str)]) -> Vec<Finding> {
    let dir = workspace(extra);
    let findings = Workspace::open(dir.path()).unwrap().check(today());
    assert_registered(&findings);
    findings
}

/// Every finding carries the code of a rule in the registry.
pub fn assert_registered(findings: &[Finding]) {
    for f in findings {
        assert!(
            aims_workbench::rules::registry::rule_of(f.code).is_some(),
            "finding with an unregistered code {:?}: {f:?}",
            f.code
        );
    }
}

/// The codes of the findings about one file.
pub fn codes_in(findings: &[Finding], file: &str) -> Vec<&'static str> {
    findings
        .iter()
        .filter(|f| f.file == Path::new(file))
        .map(|f| f.code)
        .collect()
}

/// Error messages about one file.
pub fn errors_in(findings: &[Finding], file: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.file == Path::new(file))
        .map(|f| f.message.clone())
        .collect()
}

pub fn warnings_in(findings: &[Finding], file: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Warning && f.file == Path::new(file))
        .map(|f| f.message.clone())
        .collect()
}

pub const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-workspace");

/// A writable copy of the sample workspace.
pub fn copy_sample() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(SAMPLE), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        // Not aims' own state (`.aims/`: lock, parse cache) or a save's temp file: the
        // sample's cache is written by other tests running at the same time.
        if e.file_name().to_string_lossy().starts_with(".aims") {
            continue;
        }
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

use aims_workbench::tui::app::App;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key press in the workbench.
pub fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Types each character as a key press.
pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

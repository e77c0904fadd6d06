//! Saving: surgical (comments and unknown fields survive), atomic, and never over a change.

mod common;
use aims_workbench::domain::{Map, RecordType, Value};
use aims_workbench::workspace::{SaveError, Workspace};
use common::{today, workspace};

const COMMENTED: &str = "\
# Credit scoring: bias against thin-file applicants.
# Raised at the 2026-03 risk workshop.
id: RISK-001
title: Biased declines   # wording agreed with Legal
description: |
  Thin-file applicants are declined more often.
  Seen in the 2025 fairness review.
systems: [SYS-001]
category: bias-fairness
likelihood: 3
impact: 3
treatment: mitigate
controls:
  - A.7.4   # data quality
treatment_plan: Reweigh training data.
treatment_due: 2027-01-31
owner: ann
status: treating
x-jira: RISK-42        # unknown to aims: must survive
last_reviewed: 2026-05-01
";

fn review_entry(date: &str, by: &str, note: &str) -> Value {
    let mut m = Map::new();
    m.set("date", Value::str(date));
    m.set("by", Value::str(by));
    m.set("note", Value::str(note));
    Value::Map(m)
}

#[test]
fn an_edit_changes_only_the_touched_fields() {
    let dir = workspace(&[("risks/RISK-001.yaml", COMMENTED)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    fields.set("last_reviewed", Value::str("2026-11-22"));
    fields.set(
        "reviews",
        Value::List(vec![review_entry(
            "2026-11-22",
            "ann",
            "Rescored: plan on track",
        )]),
    );
    ws.save_record("RISK-001", fields, today()).unwrap();

    let after = std::fs::read_to_string(dir.path().join("risks/RISK-001.yaml")).unwrap();
    let expected = COMMENTED
        .replace("status: treating", "status: monitoring")
        .replace("last_reviewed: 2026-05-01\n", "last_reviewed: 2026-11-22\nreviews:\n  - date: 2026-11-22\n    by: ann\n    note: \"Rescored: plan on track\"\n");
    assert_eq!(after, expected);

    // The in-memory record follows, and a second save works from the new content.
    assert_eq!(
        ws.get("RISK-001").unwrap().fields.text("status").as_deref(),
        Some("monitoring")
    );
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.remove("x-jira");
    fields.set("owner", Value::str("bob"));
    ws.save_record("RISK-001", fields, today()).unwrap();
    let after2 = std::fs::read_to_string(dir.path().join("risks/RISK-001.yaml")).unwrap();
    assert!(!after2.contains("x-jira"));
    assert!(after2.contains("owner: bob\n"));
    assert!(
        after2.contains("  - A.7.4   # data quality\n"),
        "comments inside other fields stay"
    );
}

#[test]
fn a_file_changed_on_disk_is_never_overwritten() {
    let dir = workspace(&[("risks/RISK-001.yaml", COMMENTED)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let path = dir.path().join("risks/RISK-001.yaml");
    let theirs = COMMENTED.replace("impact: 3", "impact: 4");
    std::fs::write(&path, &theirs).unwrap();

    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    match ws.save_record("RISK-001", fields, today()) {
        Err(SaveError::Conflict { on_disk, .. }) => {
            assert_eq!(on_disk.as_deref(), Some(theirs.as_str()))
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "their version is kept"
    );
}

#[test]
fn a_save_that_adds_an_error_is_refused_and_nothing_is_written() {
    let dir = workspace(&[("risks/RISK-001.yaml", COMMENTED)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.remove("treatment_plan");
    match ws.save_record("RISK-001", fields, today()) {
        Err(SaveError::Invalid(f)) => assert!(f[0].message.contains("missing `treatment_plan`")),
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("risks/RISK-001.yaml")).unwrap(),
        COMMENTED
    );
}

#[test]
fn the_save_is_atomic_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace(&[("risks/RISK-001.yaml", COMMENTED)]);
    let path = dir.path().join("risks/RISK-001.yaml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    ws.save_record("RISK-001", fields, today()).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o664);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("risks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "RISK-001.yaml")
        .collect();
    assert!(leftovers.is_empty(), "no temp files left: {leftovers:?}");
}

#[test]
fn an_unreadable_file_is_never_written() {
    let dir = workspace(&[("risks/RISK-001.yaml", "id: RISK-001\ntitle: [broken\n")]);
    let ws = Workspace::open(dir.path()).unwrap();
    assert!(ws.get("RISK-001").is_none());
    let mut ws = ws;
    let mut fields = Map::new();
    fields.set("id", Value::str("RISK-001"));
    // Creating over it is refused too: the broken file exists.
    assert!(matches!(
        ws.create_record(RecordType::Risk, fields, today()),
        Err(SaveError::Exists(_))
    ));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("risks/RISK-001.yaml")).unwrap(),
        "id: RISK-001\ntitle: [broken\n"
    );
}

#[test]
fn new_records_are_written_whole_in_spec_order_and_pass_check() {
    let dir = workspace(&[]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut f = Map::new();
    for (k, v) in [
        ("owner", "ann"),
        ("title", "Reach 95% model-card coverage"),
        ("id", "OBJ-001"),
        (
            "measure",
            "share of production systems with a current model card",
        ),
        ("target", "95%"),
        ("due", "2027-03-31"),
    ] {
        f.set(k, Value::str(v));
    }
    ws.create_record(RecordType::Objective, f.clone(), today())
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join("objectives/OBJ-001.yaml")).unwrap();
    assert!(
        text.starts_with("id: OBJ-001\ntitle: Reach 95% model-card coverage\nmeasure:"),
        "{text}"
    );
    assert!(matches!(
        ws.create_record(RecordType::Objective, f, today()),
        Err(SaveError::Exists(_))
    ));
    let reopened = Workspace::open(dir.path()).unwrap();
    assert!(common::errors_in(&reopened.check(today()), "objectives/OBJ-001.yaml").is_empty());

    let mut bad = Map::new();
    bad.set("id", Value::str("../../escape"));
    assert!(matches!(
        ws.create_record(RecordType::Objective, bad, today()),
        Err(SaveError::Invalid(_))
    ));
    assert!(!dir.path().join("escape.yaml").exists());
}

#[test]
fn a_held_lock_makes_the_save_wait_then_give_up() {
    let dir = workspace(&[("risks/RISK-001.yaml", COMMENTED)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let holder =
        aims_workbench::workspace::lock::acquire(dir.path(), std::time::Duration::ZERO).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    let start = std::time::Instant::now();
    assert!(matches!(
        ws.save_record("RISK-001", fields.clone(), today()),
        Err(SaveError::Locked(_))
    ));
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    drop(holder);
    ws.save_record("RISK-001", fields, today()).unwrap();
}

#[test]
fn the_review_log_is_append_only() {
    let text = format!("{COMMENTED}reviews:\n  - {{date: 2026-05-01, by: ann, note: first}}\n");
    let dir = workspace(&[("risks/RISK-001.yaml", &text)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set(
        "reviews",
        Value::List(vec![review_entry("2026-05-01", "ann", "rewritten")]),
    );
    match ws.save_record("RISK-001", fields, today()) {
        Err(SaveError::Invalid(f)) => {
            assert!(f[0].message.contains("`reviews` log is append-only"))
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    let mut fields = ws.fields_of("RISK-001").unwrap();
    let mut log = fields.list("reviews").to_vec();
    log.push(review_entry("2026-11-22", "bob", "second"));
    fields.set("reviews", Value::List(log));
    ws.save_record("RISK-001", fields, today()).unwrap();
}

#[test]
fn a_symlinked_record_is_not_replaced_by_a_save() {
    let dir = workspace(&[("evidence/risk.yaml", COMMENTED)]);
    std::fs::create_dir_all(dir.path().join("risks")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("evidence/risk.yaml"),
        dir.path().join("risks/RISK-001.yaml"),
    )
    .unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    assert!(matches!(
        ws.save_record("RISK-001", fields, today()),
        Err(SaveError::Symlink(_))
    ));
    assert!(
        std::fs::symlink_metadata(dir.path().join("risks/RISK-001.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn appending_to_a_log_leaves_the_existing_entries_as_written() {
    let text = format!(
        "{COMMENTED}reviews:\n  - {{date: 2026-05-01, by: ann, note: \"first: ok\"}}   # kept\n"
    );
    let dir = workspace(&[("risks/RISK-001.yaml", &text)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    let mut log = fields.list("reviews").to_vec();
    log.push(review_entry("2026-11-22", "bob", "second, with a comma"));
    fields.set("reviews", Value::List(log));
    ws.save_record("RISK-001", fields, today()).unwrap();
    let after = std::fs::read_to_string(dir.path().join("risks/RISK-001.yaml")).unwrap();
    assert_eq!(
        after,
        format!("{text}  - {{date: 2026-11-22, by: bob, note: \"second, with a comma\"}}\n"),
        "one line added, nothing else touched"
    );
}

#[test]
fn delete_moves_the_file_to_the_trash_and_leaves_dangling_references_visible() {
    let dir = workspace(&[("risks/RISK-001.yaml", COMMENTED)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let trashed = ws.trash_record("SYS-001", "2026-11-22").unwrap();
    assert_eq!(
        trashed,
        std::path::Path::new(".aims/trash/SYS-001.2026-11-22.yaml")
    );
    assert!(!dir.path().join("systems/SYS-001.yaml").exists());
    assert!(dir.path().join(&trashed).exists(), "moved, not erased");
    assert!(ws.get("SYS-001").is_none());
    let errors = common::errors_in(&ws.check(today()), "risks/RISK-001.yaml");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`SYS-001`, which does not exist")),
        "{errors:?}"
    );
    // A second delete of the same id on the same day does not overwrite the first.
    std::fs::write(dir.path().join("systems/SYS-001.yaml"), "id: SYS-001\n").unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let again = ws.trash_record("SYS-001", "2026-11-22").unwrap();
    assert_ne!(again, trashed);
}

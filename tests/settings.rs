//! Saving aims.yaml from the Settings form's values: the same surgical, checked and atomic
//! save as records — comments kept, a person still named by records never removed, a file
//! changed on disk never overwritten.

mod common;

use aims_workbench::domain::{Map, Value};
use aims_workbench::workspace::{SaveError, Workspace};

const COMMENTED: &str = "\
# Acme's AIMS settings: changes need the CRO's approval.
version: 1
organization: Test Org
# Clause 4.3.
scope: Every AI system of Test Org.
people:
  # The governance office.
  - {id: ann, name: Ann Lee, role: AI governance lead, login: alee}
  - {id: bob, name: Bob Ray, role: ML lead, login: bray}
# 5x5, agreed 2025.
risk_method:
  bands:
    - {name: low, max: 4}
    - {name: medium, max: 9}
    - {name: high, max: 16}
    - {name: critical, max: 25}
  appetite: medium # board statement
due_soon_days: 14
";

fn open_commented() -> (tempfile::TempDir, Workspace) {
    let dir = common::workspace(&[("aims.yaml", COMMENTED)]);
    let ws = Workspace::open(dir.path()).unwrap();
    (dir, ws)
}

fn base(ws: &Workspace) -> Map {
    ws.settings_file.clone().expect("aims.yaml was read").0
}

fn person(id: &str, name: &str) -> Value {
    let mut m = Map::new();
    m.set("id", Value::str(id));
    m.set("name", Value::str(name));
    Value::Map(m)
}

#[test]
fn an_edit_keeps_every_comment_and_changes_only_what_changed() {
    let (dir, mut ws) = open_commented();
    let old = base(&ws);
    let mut new = old.clone();
    new.set(
        "scope",
        Value::str("Every AI system of Test Org, in Dublin."),
    );
    new.set("roles_held", Value::List(vec![Value::str("user")]));
    let mut people = old.list("people").to_vec();
    people.push(person("cat", "Cat Ng"));
    new.set("people", Value::List(people));
    new.set("due_soon_days", Value::Int(21));
    ws.save_settings(&old, &new).unwrap();

    let text = std::fs::read_to_string(dir.path().join("aims.yaml")).unwrap();
    for line in COMMENTED.lines().filter(|l| l.contains('#')) {
        assert!(text.contains(line), "lost {line:?}:\n{text}");
    }
    assert!(
        text.contains("scope: Every AI system of Test Org, in Dublin."),
        "{text}"
    );
    assert!(text.contains("due_soon_days: 21"), "{text}");
    assert!(text.contains("cat"), "{text}");
    // The settings in memory follow, and a fresh load reads the same.
    assert_eq!(ws.settings.due_soon_days, 21);
    let again = Workspace::open(dir.path()).unwrap();
    assert_eq!(again.settings.people.len(), 3);
    assert_eq!(again.settings.roles_held, ["user"]);
}

#[test]
fn removing_or_renaming_a_person_named_by_records_is_refused_with_the_records() {
    let (dir, mut ws) = open_commented();
    let old = base(&ws);
    // SYS-001 is owned by ann, SUP-001 by bob, AUD-2026-01 led by ann.
    let mut renamed = old.clone();
    let people: Vec<Value> = old
        .list("people")
        .iter()
        .map(|p| {
            let mut m = p.as_map().unwrap().clone();
            if m.text("id").as_deref() == Some("bob") {
                m.set("id", Value::str("rbob"));
            }
            Value::Map(m)
        })
        .collect();
    renamed.set("people", Value::List(people));
    let Err(SaveError::Invalid(findings)) = ws.save_settings(&old, &renamed) else {
        panic!("renaming bob was not refused");
    };
    let message = &findings[0].message;
    assert!(
        message.contains("bob cannot be removed or renamed") && message.contains("SUP-001 (owner)"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("aims.yaml")).unwrap(),
        COMMENTED,
        "written despite the refusal"
    );
    // A person no record names may go.
    let mut with_cat = old.clone();
    let mut people = old.list("people").to_vec();
    people.push(person("cat", "Cat Ng"));
    with_cat.set("people", Value::List(people));
    ws.save_settings(&old, &with_cat).unwrap();
    ws.save_settings(&with_cat, &old).unwrap();
}

#[test]
fn a_file_changed_on_disk_since_it_was_read_is_not_overwritten() {
    let (dir, mut ws) = open_commented();
    let old = base(&ws);
    let theirs = COMMENTED.replace("due_soon_days: 14", "due_soon_days: 30");
    std::fs::write(dir.path().join("aims.yaml"), &theirs).unwrap();
    let mut new = old.clone();
    new.set("organization", Value::str("Test Org Ltd"));
    assert!(matches!(
        ws.save_settings(&old, &new),
        Err(SaveError::Conflict { .. })
    ));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("aims.yaml")).unwrap(),
        theirs
    );
}

#[test]
fn a_new_error_is_refused_and_a_deputy_must_be_a_person() {
    let (_dir, mut ws) = open_commented();
    let old = base(&ws);
    let mut new = old.clone();
    let people: Vec<Value> = old
        .list("people")
        .iter()
        .map(|p| {
            let mut m = p.as_map().unwrap().clone();
            m.set("deputy", Value::str("zed"));
            Value::Map(m)
        })
        .collect();
    new.set("people", Value::List(people));
    let Err(SaveError::Invalid(findings)) = ws.save_settings(&old, &new) else {
        panic!("a deputy who is not a person was saved");
    };
    assert!(
        findings[0]
            .message
            .contains("the deputy of ann is `zed`, who is not in people"),
        "{findings:?}"
    );
}

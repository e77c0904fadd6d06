//! Loading: broken files are reported with their place and left out; the rest still loads.

mod common;
use aims_workbench::workspace::Workspace;
use common::{errors_in, today, workspace};
use std::path::Path;
use std::time::{Duration, Instant};

fn open(dir: &Path) -> Workspace {
    Workspace::open(dir).unwrap()
}

#[test]
fn broken_yaml_is_reported_with_line_and_the_rest_loads() {
    let dir = workspace(&[(
        "risks/RISK-001.yaml",
        "id: RISK-001\ntitle: ok\ndescription: [unclosed\nowner: ann\n",
    )]);
    let ws = open(dir.path());
    assert!(ws.get("RISK-001").is_none());
    assert!(
        ws.get("SYS-001").is_some(),
        "the rest of the workspace still loads"
    );
    let f = ws
        .load_findings
        .iter()
        .find(|f| f.file == Path::new("risks/RISK-001.yaml"))
        .expect("a finding for the broken file");
    assert!(f.is_error());
    assert!(f.message.starts_with("invalid YAML"), "{}", f.message);
    assert!(
        f.line.is_some_and(|l| (3..=5).contains(&l)),
        "line {:?}",
        f.line
    );
    assert!(ws.unreadable.contains(Path::new("risks/RISK-001.yaml")));
}

#[test]
fn duplicate_keys_are_refused_with_their_line() {
    let dir = workspace(&[(
        "objectives/OBJ-001.yaml",
        "id: OBJ-001\ntitle: a\ntitle: b\n",
    )]);
    let ws = open(dir.path());
    let f = &errors_in(&ws.check(today()), "objectives/OBJ-001.yaml");
    assert!(
        f.iter().any(|m| m.to_lowercase().contains("duplicate")),
        "{f:?}"
    );
}

#[test]
fn dangling_reference_is_an_error() {
    let findings = common::check(&[(
        "incidents/INC-001.yaml",
        "id: INC-001\nsystem: SYS-404\noccurred_on: 2026-01-01\ntype: outage\nseverity: low\ndescription: d\nowner: ann\nstatus: open\nexternal_reporting_required: false\n",
    )]);
    let errors = errors_in(&findings, "incidents/INC-001.yaml");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("`SYS-404`, which does not exist"));
}

#[test]
fn ids_that_are_not_file_names_are_refused() {
    let dir = workspace(&[("risks/RISK-002.yaml", "id: ../../etc/passwd\n")]);
    std::fs::write(dir.path().join("risks/..risk.yaml"), "id: x\n").unwrap();
    std::fs::write(dir.path().join("risks/risk 3.yaml"), "id: x\n").unwrap();
    let ws = open(dir.path());
    let errors = errors_in(&ws.check(today()), "risks/RISK-002.yaml");
    assert!(
        errors
            .iter()
            .any(|m| m.contains("does not match the file name")),
        "{errors:?}"
    );
    let bad_name = errors_in(&ws.check(today()), "risks/risk 3.yaml");
    assert!(
        bad_name[0].contains("is not a valid record id"),
        "{bad_name:?}"
    );
    assert!(
        ws.records
            .iter()
            .all(|r| !r.id.contains('/') && !r.id.contains(".."))
    );
}

#[test]
fn symlink_out_of_the_workspace_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::write(&secret, "id: RISK-009\ntitle: not yours\n").unwrap();
    let dir = workspace(&[]);
    std::fs::create_dir_all(dir.path().join("risks")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("risks/RISK-009.yaml")).unwrap();
    // A symlink that stays inside is fine.
    std::os::unix::fs::symlink(
        dir.path().join("systems/SYS-001.yaml"),
        dir.path().join("systems/SYS-002.yaml"),
    )
    .unwrap();
    let ws = open(dir.path());
    assert!(ws.get("RISK-009").is_none());
    let errors = errors_in(&ws.load_findings, "risks/RISK-009.yaml");
    assert!(
        errors[0].contains("symlink leads outside the workspace"),
        "{errors:?}"
    );
    assert!(errors_in(&ws.load_findings, "systems/SYS-002.yaml").is_empty());
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    bomb.push_str("id: RISK-001\n");
    let dir = workspace(&[("risks/RISK-001.yaml", &bomb)]);
    let start = Instant::now();
    let ws = open(dir.path());
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
    let errors = errors_in(&ws.load_findings, "risks/RISK-001.yaml");
    assert!(
        errors[0].starts_with("refused: the YAML exceeds the parser's safety limits"),
        "{errors:?}"
    );
}

#[test]
fn deep_nesting_is_refused_cleanly() {
    let depth = 10_000;
    let text = format!(
        "id: RISK-001\nx: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let block: String = (0..200)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i * 2)))
        .collect();
    let dir = workspace(&[
        ("risks/RISK-001.yaml", &text),
        ("risks/RISK-002.yaml", &block),
    ]);
    let start = Instant::now();
    let ws = open(dir.path());
    assert!(start.elapsed() < Duration::from_secs(2));
    for file in ["risks/RISK-001.yaml", "risks/RISK-002.yaml"] {
        let errors = errors_in(&ws.load_findings, file);
        assert_eq!(errors.len(), 1, "{file}: {errors:?}");
        assert!(
            errors[0].contains("refused") || errors[0].contains("invalid YAML"),
            "{errors:?}"
        );
    }
}

#[test]
fn oversized_and_non_utf8_files_are_refused() {
    let big = format!("id: DOC-009\nnotes: \"{}\"\n", "x".repeat(1_100_000));
    let dir = workspace(&[("documents/DOC-009.yaml", &big)]);
    std::fs::write(
        dir.path().join("documents/DOC-008.yaml"),
        b"id: DOC-008\ntitle: caf\xe9\n",
    )
    .unwrap();
    let ws = open(dir.path());
    let e = errors_in(&ws.load_findings, "documents/DOC-009.yaml");
    assert!(e[0].contains("a record may be at most 1 MiB"), "{e:?}");
    let f = ws
        .load_findings
        .iter()
        .find(|f| f.file == Path::new("documents/DOC-008.yaml"))
        .unwrap();
    assert!(f.message.contains("not UTF-8"));
    assert_eq!((f.line, f.column), (Some(2), Some(11)));
}

#[test]
fn missing_aims_yaml_is_not_a_workspace_and_broken_settings_still_open() {
    let empty = tempfile::tempdir().unwrap();
    assert!(Workspace::open(empty.path()).is_err());
    let dir = workspace(&[("aims.yaml", "organization: [oops\n")]);
    let ws = open(dir.path());
    assert!(ws.get("SYS-001").is_some());
    assert!(errors_in(&ws.load_findings, "aims.yaml")[0].contains("invalid YAML"));
}

#[test]
fn reverse_links_are_indexed() {
    let dir = workspace(&[(
        "risks/RISK-001.yaml",
        "id: RISK-001\ntitle: t\ndescription: d\nsystems: [SYS-001]\ncategory: privacy\nlikelihood: 1\nimpact: 1\ntreatment: mitigate\ncontrols: [A.7.4]\ntreatment_plan: p\ntreatment_due: 2027-01-01\nowner: ann\nstatus: treating\n",
    )]);
    let ws = open(dir.path());
    let of_system: Vec<_> = ws.referrers("SYS-001").map(|r| r.id.as_str()).collect();
    assert!(
        of_system.contains(&"RISK-001") && of_system.contains(&"SUP-001"),
        "{of_system:?}"
    );
    let citing: Vec<_> = ws.referrers("A.7.4").map(|r| r.id.as_str()).collect();
    assert_eq!(citing, ["RISK-001"]);
}

#[test]
fn text_with_escape_sequences_is_printed_safely() {
    let dir = workspace(&[(
        "objectives/OBJ-001.yaml",
        "id: OBJ-001\ntitle: t\nowner: \"\\e[2J\\tnobody\"\n",
    )]);
    let ws = open(dir.path());
    let mut out = Vec::new();
    aims_workbench::cli::check::write_text(&mut out, &ws.check(today()));
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains('\u{1b}'), "raw escape reached the output");
    assert!(text.contains("names `␛[2J    nobody`"), "{text}");
}

#[test]
fn aliases_cannot_inflate_a_file_in_memory() {
    let mut text = format!("id: DOC-001\nbig: &x \"{}\"\nmany: [", "y".repeat(200_000));
    text.push_str(&vec!["*x"; 60].join(", "));
    text.push_str("]\n");
    let dir = workspace(&[("documents/DOC-001.yaml", &text)]);
    let ws = open(dir.path());
    assert!(ws.get("DOC-001").is_none());
    assert!(errors_in(&ws.load_findings, "documents/DOC-001.yaml")[0].starts_with("refused"));
}

#[test]
fn settings_of_the_wrong_shape_are_reported() {
    let dir = workspace(&[(
        "aims.yaml",
        "organization: X\nscope: y\ncadences: 6m\npeople:\n  - {id: a, login: same}\n  - {id: b, login: same}\nrisk_method:\n  bands:\n    - {name: low, max: 10}\n    - {name: high, max: 25}\n",
    )]);
    let errors = errors_in(&open(dir.path()).load_findings, "aims.yaml");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`cadences` must be a mapping")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("login `same` belongs to two people"))
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("custom risk bands need `appetite:`"))
    );
}

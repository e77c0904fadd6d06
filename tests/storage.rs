//! The storage layer against other writers and odd files: compare-and-replace, no hang on
//! FIFOs, fail closed on what cannot be read, temp files, messages, block scalar styles.
#![cfg(unix)]

mod common;
use aims_workbench::domain::Value;
use aims_workbench::workspace::replace::{self, TEMP_PREFIX};
use aims_workbench::workspace::{SaveError, Workspace};
use common::{today, workspace};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

const RISK: &str = "\
# Hand-written: the comment must survive.
id: RISK-001
title: Biased declines
description: >
  Thin-file applicants are declined more often than others with the same
  repayment record; seen in the 2025 fairness review.
systems: [SYS-001]
category: bias-fairness
likelihood: 3
impact: 3
treatment: mitigate
controls: [A.7.4]
treatment_plan: |
  Reweigh the training data.
  Add a fairness gate to the release checklist.
treatment_due: 2027-01-31
owner: ann
status: treating
last_reviewed: 2026-05-01
";

fn mkfifo(path: &Path) {
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        path,
        rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
    )
    .unwrap();
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

fn aims(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aims"))
        .args(args)
        .env("AIMS_TODAY", "2026-11-22")
        .output()
        .unwrap()
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(TEMP_PREFIX))
        })
        .collect()
}

// ---- compare-and-replace ------------------------------------------------------------

#[test]
fn an_outside_write_between_read_and_replace_is_kept_and_reported() {
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let path = dir.path().join("risks/RISK-001.yaml");
    let theirs = RISK.replace("likelihood: 3", "likelihood: 4");
    // Another program (no lock) replaces the file at the worst moment: after our check
    // of the file, before our replace. Written as git and editors do: temp + rename.
    let t = theirs.clone();
    replace::set_replace_hook(move |target| {
        let tmp = target.with_file_name("outside.tmp");
        std::fs::write(&tmp, &t).unwrap();
        std::fs::rename(&tmp, target).unwrap();
    });
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    let result = ws.save_record("RISK-001", fields, today());
    replace::clear_replace_hook();
    match result {
        Err(SaveError::Conflict { on_disk, kept, .. }) => {
            assert_eq!(on_disk.as_deref(), Some(theirs.as_str()));
            assert!(kept.is_none(), "their version is back in place: {kept:?}");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "their write survives"
    );
    assert!(
        temp_files(path.parent().unwrap()).is_empty(),
        "no temp file left"
    );
    assert_eq!(
        ws.get("RISK-001").unwrap().fields.text("status").unwrap(),
        "treating"
    );
}

#[test]
fn an_outside_write_in_place_is_kept_too() {
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let path = dir.path().join("risks/RISK-001.yaml");
    let theirs = RISK.replace("impact: 3", "impact: 5");
    let t = theirs.clone();
    // A shell `>` redirect: the same inode rewritten.
    replace::set_replace_hook(move |target| std::fs::write(target, &t).unwrap());
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    let result = ws.save_record("RISK-001", fields, today());
    replace::clear_replace_hook();
    assert!(
        matches!(result, Err(SaveError::Conflict { .. })),
        "{result:?}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
}

#[test]
fn a_record_deleted_before_the_replace_is_not_recreated() {
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let path = dir.path().join("risks/RISK-001.yaml");
    replace::set_replace_hook(|target| std::fs::remove_file(target).unwrap());
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    let result = ws.save_record("RISK-001", fields, today());
    replace::clear_replace_hook();
    assert!(
        matches!(result, Err(SaveError::Conflict { on_disk: None, .. })),
        "{result:?}"
    );
    assert!(!path.exists());
    assert!(temp_files(path.parent().unwrap()).is_empty());
}

#[test]
fn a_new_record_never_replaces_a_file_that_appeared_meanwhile() {
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("id", Value::str("RISK-002"));
    replace::set_replace_hook(|target| std::fs::write(target, "id: RISK-002\n").unwrap());
    let result = ws.create_record(aims_workbench::domain::RecordType::Risk, fields, today());
    replace::clear_replace_hook();
    assert!(matches!(result, Err(SaveError::Exists(_))), "{result:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("risks/RISK-002.yaml")).unwrap(),
        "id: RISK-002\n"
    );
}

#[test]
fn a_save_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    let path = dir.path().join("risks/RISK-001.yaml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    ws.save_record("RISK-001", fields, today()).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o664);
}

// ---- no hang on odd files -----------------------------------------------------------

#[test]
fn a_fifo_as_the_lock_is_an_error_at_once() {
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    std::fs::create_dir_all(dir.path().join(".aims")).unwrap();
    mkfifo(&dir.path().join(".aims/lock"));
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    let start = Instant::now();
    let err = ws.save_record("RISK-001", fields, today()).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(1));
    let msg = err.to_string();
    assert!(msg.contains(".aims/lock") && msg.contains("FIFO"), "{msg}");
}

#[test]
fn a_record_replaced_by_a_fifo_fails_fast_and_holds_no_lock() {
    let dir = workspace(&[
        ("risks/RISK-001.yaml", RISK),
        ("risks/RISK-002.yaml", &RISK.replace("RISK-001", "RISK-002")),
    ]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let path = dir.path().join("risks/RISK-001.yaml");
    std::fs::remove_file(&path).unwrap();
    mkfifo(&path);
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    let start = Instant::now();
    let err = ws.save_record("RISK-001", fields, today()).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(err.to_string().contains("FIFO"), "{err}");
    // The delete path checks too.
    let err = ws.trash_record("RISK-001", "x").unwrap_err();
    assert!(err.to_string().contains("FIFO"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(1));
    // Nothing is held: another save goes through at once.
    let mut other = ws.fields_of("RISK-002").unwrap();
    other.set("status", Value::str("monitoring"));
    ws.save_record("RISK-002", other, today()).unwrap();
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[test]
fn a_fifo_in_a_record_folder_or_as_settings_is_a_finding_not_a_hang() {
    let dir = workspace(&[]);
    mkfifo(&dir.path().join("risks/RISK-009.yaml").tap_parent());
    let start = Instant::now();
    let ws = Workspace::open(dir.path()).unwrap();
    let findings = ws.check(today());
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(
        findings
            .iter()
            .any(|f| f.file.ends_with("RISK-009.yaml") && f.message.contains("FIFO")),
        "{findings:?}"
    );
    std::fs::remove_file(dir.path().join("aims.yaml")).unwrap();
    mkfifo(&dir.path().join("aims.yaml"));
    let out = aims(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("aims.yaml") && text.contains("FIFO"),
        "{text}"
    );
}

trait TapParent {
    fn tap_parent(self) -> Self;
}
impl TapParent for PathBuf {
    /// Creates the parent folder, for a path about to be made.
    fn tap_parent(self) -> Self {
        std::fs::create_dir_all(self.parent().unwrap()).unwrap();
        self
    }
}

#[test]
fn a_fifo_as_theme_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("theme.yaml");
    mkfifo(&fifo);
    let start = Instant::now();
    let (_, warning) = aims_workbench::tui::theme::Theme::resolve(
        fifo.to_str().unwrap(),
        aims_workbench::tui::theme::color_mode(None),
    );
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(warning.unwrap().contains("FIFO"));
}

// ---- fail closed --------------------------------------------------------------------

#[test]
fn a_record_folder_that_is_a_file_fails_the_check() {
    let dir = workspace(&[]);
    std::fs::write(dir.path().join("risks"), "not a folder").unwrap();
    let out = aims(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("`risks` is a file, not a folder"), "{text}");
}

#[test]
fn a_record_folder_that_cannot_be_listed_fails_the_check() {
    let dir = workspace(&[]);
    // A symlink loop cannot be listed by anyone, root included.
    std::os::unix::fs::symlink("risks", dir.path().join("risks")).unwrap();
    let out = aims(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("risks/ cannot be listed"), "{text}");
    assert!(text.contains("symlink loop"), "{text}");
}

#[test]
fn an_unreadable_record_folder_fails_the_check() {
    use std::os::unix::fs::PermissionsExt;
    if is_root() {
        // Permissions do not stop root; the symlink-loop test covers the same path.
        return;
    }
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    let risks = dir.path().join("risks");
    std::fs::set_permissions(&risks, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = aims(&["check", dir.path().to_str().unwrap()]);
    std::fs::set_permissions(&risks, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("permission denied"));
}

#[test]
fn a_dangling_record_folder_link_fails_the_check() {
    let dir = workspace(&[]);
    std::os::unix::fs::symlink("gone", dir.path().join("risks")).unwrap();
    let out = aims(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

// ---- temp files ---------------------------------------------------------------------

#[test]
fn temp_files_are_ignored_by_git_and_stale_ones_are_cleaned() {
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    aims_workbench::workspace::init::write_gitignore(dir.path()).unwrap();
    let risks = dir.path().join("risks");
    // Left by a process killed mid-save: one of ours from a pid that no longer runs, one
    // of an earlier version two minutes old, and a fresh one of a live writer (us).
    let dead = risks.join(format!("{TEMP_PREFIX}4000000000.0.RISK-001.yaml"));
    let old_style = risks.join(".RISK-001.yaml.Ab12Cd");
    let live = risks.join(format!(
        "{TEMP_PREFIX}{}.999.RISK-001.yaml",
        std::process::id()
    ));
    for p in [&dead, &old_style, &live] {
        std::fs::write(p, "id: RISK-0").unwrap();
    }
    let two_minutes_ago = SystemTime::now() - Duration::from_secs(120);
    std::fs::File::options()
        .write(true)
        .open(&old_style)
        .unwrap()
        .set_modified(two_minutes_ago)
        .unwrap();

    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
    };
    if git(&["init", "-q"]).is_ok_and(|o| o.status.success()) {
        let status = git(&["status", "--porcelain", "--untracked-files=all"]).unwrap();
        let status = String::from_utf8_lossy(&status.stdout);
        assert!(
            !status.contains(TEMP_PREFIX),
            "git sees a temp file: {status}"
        );
    }

    let mut ws = Workspace::open(dir.path()).unwrap();
    assert!(ws.load_findings.is_empty(), "temp files are not records");
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    ws.save_record("RISK-001", fields, today()).unwrap();
    assert!(!dead.exists(), "a dead writer's temp file is removed");
    assert!(
        !old_style.exists(),
        "a temp file older than a minute is removed"
    );
    assert!(
        live.exists(),
        "a live writer's fresh temp file is left alone"
    );
}

#[test]
fn a_failed_save_leaves_no_temp_file() {
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    replace::set_replace_hook(|target| std::fs::write(target, "id: RISK-001\n").unwrap());
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    assert!(ws.save_record("RISK-001", fields, today()).is_err());
    replace::clear_replace_hook();
    assert!(temp_files(&dir.path().join("risks")).is_empty());
}

// ---- messages -----------------------------------------------------------------------

fn load_messages(dir: &Path) -> Vec<String> {
    Workspace::open(dir)
        .unwrap()
        .check(today())
        .into_iter()
        .map(|f| format!("{}: {}", f.file.display(), f.message))
        .collect()
}

#[test]
fn a_symlink_loop_is_called_a_loop() {
    let dir = workspace(&[]);
    std::fs::create_dir_all(dir.path().join("risks")).unwrap();
    std::os::unix::fs::symlink("RISK-001.yaml", dir.path().join("risks/RISK-001.yaml")).unwrap();
    let msgs = load_messages(dir.path());
    assert!(msgs.iter().any(|m| m.contains("symlink loop")), "{msgs:?}");
    assert!(
        !msgs.iter().any(|m| m.contains("does not exist")),
        "{msgs:?}"
    );
}

#[test]
fn a_file_just_over_the_cap_says_so() {
    let big = format!("id: RISK-001\nnotes: \"{}\"\n", "x".repeat(1024 * 1024));
    let dir = workspace(&[("risks/RISK-001.yaml", &big)]);
    let msgs = load_messages(dir.path());
    let m = msgs.iter().find(|m| m.contains("at most")).unwrap();
    assert!(
        m.contains("1048599 bytes") && m.contains("at most 1 MiB"),
        "{m}"
    );
}

#[test]
fn two_documents_in_one_file_are_called_that() {
    let dir = workspace(&[(
        "risks/RISK-001.yaml",
        "id: RISK-001\ntitle: a\n---\nid: RISK-002\n",
    )]);
    let msgs = load_messages(dir.path());
    assert!(
        msgs.iter()
            .any(|m| m.contains("more than one YAML document")),
        "{msgs:?}"
    );
    assert!(
        !msgs.iter().any(|m| m.contains("safety limits")),
        "{msgs:?}"
    );
}

#[test]
fn a_lock_held_by_another_program_names_it() {
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    std::fs::create_dir_all(dir.path().join(".aims")).unwrap();
    std::fs::write(dir.path().join(".aims/lock"), "").unwrap();
    let mut holder = Command::new("flock")
        .arg(dir.path().join(".aims/lock"))
        .args(["sleep", "30"])
        .spawn();
    let Ok(child) = holder.as_mut() else {
        return; // util-linux's flock is not installed here
    };
    // Wait (with a deadline) until the lock is really held.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline
        && aims_workbench::workspace::lock::acquire(dir.path(), Duration::ZERO).is_ok()
    {
        std::thread::yield_now();
    }
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    let err = ws.save_record("RISK-001", fields, today()).unwrap_err();
    let _ = child.kill();
    let _ = child.wait();
    let msg = err.to_string();
    assert!(!msg.contains("another aims"), "{msg}");
    assert!(msg.contains("process"), "{msg}");
}

#[test]
fn a_state_folder_that_is_a_file_is_named() {
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    std::fs::write(dir.path().join(".aims"), "").unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set("status", Value::str("monitoring"));
    let msg = ws
        .save_record("RISK-001", fields, today())
        .unwrap_err()
        .to_string();
    assert!(msg.contains(".aims is a file"), "{msg}");
    assert!(!msg.contains("os error 17"), "{msg}");
}

#[test]
fn a_trash_folder_without_write_access_is_named() {
    use std::os::unix::fs::PermissionsExt;
    if is_root() {
        return; // root may write anywhere; the message logic is the same
    }
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    let trash = dir.path().join(".aims/trash");
    std::fs::create_dir_all(&trash).unwrap();
    std::fs::set_permissions(&trash, std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let msg = ws.trash_record("RISK-001", "x").unwrap_err().to_string();
    std::fs::set_permissions(&trash, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(msg.contains(".aims/trash"), "{msg}");
}

#[test]
fn ids_are_checked_untrimmed_and_shown_with_invisible_characters_escaped() {
    let dir = workspace(&[
        (
            "risks/RISK-9.yaml",
            &RISK.replace("id: RISK-001", "id: \"RISK-9 \""),
        ),
        (
            "risks/RISK-8.yaml",
            &RISK.replace("id: RISK-001", "id: R\u{406}SK-8"),
        ),
        (
            "risks/RISK-7.yaml",
            &RISK.replace("id: RISK-001", "id: RISK\u{200b}-7"),
        ),
    ]);
    let msgs = load_messages(dir.path());
    let find = |needle: &str| msgs.iter().find(|m| m.contains(needle)).cloned();
    assert!(find("`RISK-9\\u{20}`").is_some(), "{msgs:?}");
    assert!(find("`R\\u{406}SK-8`").is_some(), "{msgs:?}");
    assert!(find("`RISK\\u{200b}-7`").is_some(), "{msgs:?}");
}

#[test]
fn json_output_escapes_c1_controls() {
    // YAML escapes put raw C1 controls (NEL, and CSI: a terminal's escape) in a title.
    let dir = workspace(&[(
        "risks/RISK-001.yaml",
        &RISK.replace(
            "title: Biased declines",
            "title: \"Biased\\x85declines\\x9b2J\"",
        ),
    )]);
    let out = aims(&["due", dir.path().to_str().unwrap(), "--format", "json"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("RISK-001"), "{text}");
    assert!(
        !text.contains('\u{85}') && !text.contains('\u{9b}'),
        "{text:?}"
    );
    assert!(
        text.contains("\\u0085") && text.contains("\\u009b"),
        "{text}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(parsed.to_string().contains("Biased\u{85}declines"));
}

// ---- block scalars keep their style -------------------------------------------------

fn edit_field(field: &str, value: &str) -> (String, Value) {
    let dir = workspace(&[("risks/RISK-001.yaml", RISK)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("RISK-001").unwrap();
    fields.set(field, Value::str(value));
    ws.save_record("RISK-001", fields, today()).unwrap();
    let text = std::fs::read_to_string(dir.path().join("risks/RISK-001.yaml")).unwrap();
    let back = Workspace::open(dir.path())
        .unwrap()
        .get("RISK-001")
        .unwrap()
        .fields
        .get(field)
        .cloned()
        .unwrap();
    (text, back)
}

#[test]
fn a_folded_block_stays_folded_and_reads_back_as_typed() {
    let typed = "Thin-file applicants are declined more often than others with the same \
                 repayment record; seen in the 2025 fairness review and again in 2026.\n";
    let (text, back) = edit_field("description", typed);
    assert_eq!(back, Value::str(typed));
    assert!(text.contains("description: >\n  Thin-file"), "{text}");
    assert!(!text.contains('"'), "no quoted line: {text}");
    // Everything else is byte for byte.
    assert!(text.starts_with("# Hand-written: the comment must survive.\nid: RISK-001\n"));
    assert!(text.contains("treatment_plan: |\n  Reweigh the training data.\n"));
}

#[test]
fn a_literal_block_stays_literal_without_a_stray_newline() {
    let typed = "Reweigh the training data.\nAdd a fairness gate.\nRetrain quarterly.";
    let (text, back) = edit_field("treatment_plan", typed);
    assert_eq!(back, Value::str(typed));
    assert!(
        text.contains("treatment_plan: |-\n  Reweigh the training data.\n  Add a fairness gate.\n  Retrain quarterly.\ntreatment_due"),
        "{text}"
    );
}

#[test]
fn multi_line_text_in_a_plain_field_becomes_a_literal_block() {
    let typed = "Biased declines\nfor thin files";
    let (text, back) = edit_field("notes", typed);
    assert_eq!(back, Value::str(typed));
    assert!(
        text.contains("notes: |-\n  Biased declines\n  for thin files\n"),
        "{text}"
    );
}

//! Drafts of unsaved edits, and putting an edit on the current version of its record:
//! nothing typed is lost, and nobody's save is overwritten silently.

mod common;
use aims_workbench::domain::merge::{Choice, Side};
use aims_workbench::domain::{Map, RecordType, Value};
use aims_workbench::workspace::draft::{Draft, DraftError, DraftKey, Drafts, Edit, Target};
use aims_workbench::workspace::rebase::{Rebase, Restore};
use aims_workbench::workspace::{SaveError, Workspace};
use chrono::DateTime;
use common::{today, workspace};
use std::path::{Path, PathBuf};

fn at(time: &str) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(time).unwrap()
}

/// A form draft of `id` as the workspace holds it, with `edit` applied to the fields.
fn form_draft(ws: &Workspace, id: &str, edit: impl FnOnce(&mut Map)) -> Draft {
    let record = ws.get(id).unwrap();
    let mut fields = record.fields.clone();
    edit(&mut fields);
    Draft::of_record(record, Edit::Form, fields, at("2026-11-22T10:42:00+01:00"))
}

/// Every file under `root` outside `.aims`, with its bytes.
fn record_files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".aims") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Rewrites a record file as another user's save would, and lets the workspace see it.
fn their_save(ws: &mut Workspace, rel: &str, from: &str, to: &str) {
    let path = ws.root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{text}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    ws.apply_changes(&[rel]);
}

#[test]
fn a_draft_survives_a_kill_and_restores_what_was_typed() {
    let dir = workspace(&[]);
    let typed;
    {
        let ws = Workspace::open(dir.path()).unwrap();
        let drafts = Drafts::open(dir.path());
        let draft = form_draft(&ws, "SYS-001", |f| {
            f.set(
                "purpose",
                Value::str("Scores credit applications.\nSecond line, half typed"),
            );
            f.set("personal_data", Value::Bool(true));
            f.set(
                "data_inputs",
                Value::List(vec![Value::str("bureau data"), Value::str("open banking")]),
            );
        });
        drafts.save(&draft).unwrap();
        typed = draft;
        // The process is killed here: nothing is closed or flushed by aims.
    }
    let ws = Workspace::open(dir.path()).unwrap();
    let found: Vec<Draft> = Drafts::open(dir.path())
        .list()
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(found, vec![typed.clone()]);
    assert_eq!(found[0].written_at.format("%H:%M").to_string(), "10:42");
    assert_eq!(ws.restore_state(&found[0]), Restore::Unchanged);
}

#[test]
fn drafts_live_in_a_private_folder_never_touch_records_and_leave_no_temp_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace(&[]);
    let ws = Workspace::open(dir.path()).unwrap();
    let before = record_files(dir.path());
    let drafts = Drafts::open(dir.path());
    for n in 0..20 {
        let draft = form_draft(&ws, "SYS-001", |f| {
            f.set("name", Value::str(format!("typing {n}")))
        });
        drafts.save(&draft).unwrap();
    }
    assert_eq!(record_files(dir.path()), before);
    let uid = rustix::process::geteuid().as_raw();
    let folder = dir.path().join(format!(".aims/drafts/u{uid}"));
    assert_eq!(drafts.dir(), folder);
    let mode = std::fs::metadata(&folder).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["SYS-001.form.json"]);
    // The last write is the one kept.
    let listed = drafts.list();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].as_ref().unwrap().fields.text("name").as_deref(),
        Some("typing 19")
    );
    // A folder someone opened up is closed again on the next save.
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    drafts.save(&listed[0].as_ref().unwrap().clone()).unwrap();
    let mode = std::fs::metadata(&folder).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
}

#[test]
fn damaged_and_foreign_files_are_reported_and_kept() {
    let dir = workspace(&[]);
    let ws = Workspace::open(dir.path()).unwrap();
    let drafts = Drafts::open(dir.path());
    let good = form_draft(&ws, "SYS-001", |f| f.set("owner", Value::str("bob")));
    let good_path = drafts.save(&good).unwrap();
    // Cut in half (as a disk-full copy would), a stranger's file, and a renamed draft.
    let bytes = std::fs::read(&good_path).unwrap();
    let cut = drafts.dir().join("SUP-001.form.json");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let foreign = drafts.dir().join("notes.txt");
    std::fs::write(&foreign, "my own notes").unwrap();
    let renamed = drafts.dir().join("RISK-009.form.json");
    std::fs::write(&renamed, &bytes).unwrap();

    let listed = drafts.list();
    assert_eq!(listed.len(), 4);
    let errors: Vec<&DraftError> = listed.iter().filter_map(|r| r.as_ref().err()).collect();
    let paths: Vec<&Path> = errors.iter().map(|e| e.path()).collect();
    assert_eq!(paths, [renamed.as_path(), cut.as_path(), foreign.as_path()]);
    for e in &errors {
        let msg = e.to_string();
        assert!(msg.contains("it is kept"), "{msg}");
        assert!(msg.contains(&e.path().display().to_string()), "{msg}");
    }
    assert!(
        errors[0]
            .to_string()
            .contains("holds the draft SYS-001.form"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].to_string().contains("not valid JSON"),
        "{}",
        errors[1]
    );
    assert_eq!(
        listed
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .collect::<Vec<_>>(),
        [&good]
    );
    // Still there, byte for byte.
    assert_eq!(std::fs::read(&cut).unwrap(), &bytes[..bytes.len() / 2]);
    assert_eq!(std::fs::read_to_string(&foreign).unwrap(), "my own notes");
    assert!(renamed.exists());
}

#[test]
fn remove_deletes_only_its_own_draft() {
    let dir = workspace(&[]);
    let ws = Workspace::open(dir.path()).unwrap();
    let drafts = Drafts::open(dir.path());
    let form = form_draft(&ws, "AUD-2026-01", |f| {
        f.set("title", Value::str("Audit 2026"))
    });
    let mut note = form_draft(&ws, "AUD-2026-01", |f| f.set("scope", Value::str("x")));
    note.edit = Edit::WalkNote { item: 2 };
    let mut fields = Map::new();
    fields.set("id", Value::str("SYS-009"));
    let new = Draft::of_new(RecordType::System, fields, at("2026-11-22T10:43:00Z"));
    for d in [&form, &note, &new] {
        drafts.save(d).unwrap();
    }
    drafts.remove(&form.key()).unwrap();
    drafts.remove(&form.key()).unwrap(); // already gone: fine
    let keys: Vec<DraftKey> = drafts
        .list()
        .into_iter()
        .map(|d| d.unwrap().key())
        .collect();
    assert_eq!(keys, [note.key(), new.key()]);
    assert_eq!(keys[0].as_str(), "AUD-2026-01.note-2");
    assert_eq!(keys[1].as_str(), "new.system.form");
}

#[test]
fn restore_says_what_happened_to_the_record_since() {
    let dir = workspace(&[]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let owner = form_draft(&ws, "SYS-001", |f| f.set("owner", Value::str("bob")));
    let name = form_draft(&ws, "SUP-001", |f| f.set("name", Value::str("ModelCo Ltd")));
    assert_eq!(ws.restore_state(&owner), Restore::Unchanged);

    // Someone changed another field: merges without asking.
    their_save(
        &mut ws,
        "systems/SYS-001.yaml",
        "name: Scorer",
        "name: Credit scorer",
    );
    let Restore::Changed { theirs, merge } = ws.restore_state(&owner) else {
        panic!("{:?}", ws.restore_state(&owner))
    };
    assert!(merge.is_clean());
    assert_eq!(merge.fields.text("name").as_deref(), Some("Credit scorer"));
    assert_eq!(merge.fields.text("owner").as_deref(), Some("bob"));
    assert_eq!(theirs.hash, ws.get("SYS-001").unwrap().content_hash);

    // Someone changed the same field: a conflict with both values.
    their_save(&mut ws, "systems/SYS-001.yaml", "owner: ann", "owner: cid");
    let Restore::Changed { merge, .. } = ws.restore_state(&owner) else {
        panic!()
    };
    assert_eq!(merge.conflicts.len(), 1);
    let c = &merge.conflicts[0];
    assert_eq!(c.path.to_string(), "owner");
    assert_eq!(
        (c.base.clone(), c.theirs.clone(), c.mine.clone()),
        (
            Some(Value::str("ann")),
            Some(Value::str("cid")),
            Some(Value::str("bob"))
        )
    );

    // Only a comment changed: the same fields, restored directly.
    let sup = ws.root.join("suppliers/SUP-001.yaml");
    let text = std::fs::read_to_string(&sup).unwrap();
    std::fs::write(&sup, format!("# reviewed\n{text}")).unwrap();
    ws.apply_changes(&["suppliers/SUP-001.yaml"]);
    assert_ne!(
        ws.get("SUP-001").unwrap().content_hash,
        match name.target {
            Target::Record { base_hash, .. } => base_hash,
            _ => 0,
        }
    );
    assert_eq!(ws.restore_state(&name), Restore::Unchanged);

    // The file no longer parses.
    std::fs::write(&sup, "id: SUP-001\nname: [unclosed\n").unwrap();
    ws.apply_changes(&["suppliers/SUP-001.yaml"]);
    assert_eq!(
        ws.restore_state(&name),
        Restore::Unreadable(PathBuf::from("suppliers/SUP-001.yaml"))
    );

    // Deleted.
    std::fs::remove_file(ws.root.join("systems/SYS-001.yaml")).unwrap();
    ws.apply_changes(&["systems/SYS-001.yaml"]);
    assert_eq!(ws.restore_state(&owner), Restore::Deleted);

    // A new record: its id free, then taken.
    let mut new = owner.clone();
    new.target = Target::New(RecordType::Risk);
    new.base = Map::new();
    new.fields = Map::new();
    assert_eq!(ws.restore_state(&new), Restore::New);
    new.fields.set("id", Value::str("RISK-001"));
    assert_eq!(ws.restore_state(&new), Restore::New);
    common::write_files(
        ws.root.clone().as_path(),
        &[("risks/RISK-001.yaml", "id: RISK-001\n")],
    );
    assert_eq!(ws.restore_state(&new), Restore::IdTaken("RISK-001".into()));
}

#[test]
fn a_same_field_conflict_shows_both_values_and_keeps_the_one_chosen() {
    let dir = workspace(&[]);
    let mut ann = Workspace::open(dir.path()).unwrap();
    let mut bob = Workspace::open(dir.path()).unwrap();
    let base = ann.fields_of("SYS-001").unwrap();

    let mut theirs = base.clone();
    theirs.set("name", Value::str("Bob's scorer"));
    bob.save_record("SYS-001", theirs, today()).unwrap();

    let mut mine = base.clone();
    mine.set("name", Value::str("Ann's scorer"));
    mine.set("risk_tier", Value::str("high"));
    let err = ann
        .save_record("SYS-001", mine.clone(), today())
        .unwrap_err();
    assert!(matches!(err, SaveError::Conflict { .. }), "{err}");

    let (rebased, changes) = ann.refresh_and_rebase("SYS-001", &base, &mine);
    assert!(changes.changed.contains("SYS-001"));
    let Rebase::Merged { theirs, merge } = rebased else {
        panic!()
    };
    assert_eq!(merge.conflicts.len(), 1);
    assert_eq!(merge.conflicts[0].path.to_string(), "name");
    assert_eq!(merge.conflicts[0].base, Some(Value::str("Scorer")));
    assert_eq!(merge.conflicts[0].theirs, Some(Value::str("Bob's scorer")));
    assert_eq!(merge.conflicts[0].mine, Some(Value::str("Ann's scorer")));
    assert!(
        merge
            .auto
            .iter()
            .any(|(p, s)| p.to_string() == "risk_tier" && *s == Side::Mine)
    );

    // A third save lands while the dialog is open: the merge did not see it, so it is
    // refused, and the file keeps the third person's value.
    let fields = merge.resolve(&[Choice::Mine]).unwrap();
    let path = dir.path().join("systems/SYS-001.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("name: Bob's scorer", "name: Dee's scorer"),
    )
    .unwrap();
    ann.apply_changes(&["systems/SYS-001.yaml"]);
    let err = ann
        .save_over("SYS-001", theirs.hash, fields, today())
        .unwrap_err();
    assert!(matches!(err, SaveError::Conflict { .. }), "{err}");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("name: Dee's scorer")
    );

    // Again against the current version: the choice is saved with the automatic merge.
    let Rebase::Merged { theirs, merge } = ann.rebase("SYS-001", &base, &mine) else {
        panic!()
    };
    assert_eq!(merge.conflicts[0].theirs, Some(Value::str("Dee's scorer")));
    let fields = merge.resolve(&[Choice::Mine]).unwrap();
    ann.save_over("SYS-001", theirs.hash, fields, today())
        .unwrap();
    let saved = Workspace::open(dir.path()).unwrap();
    let record = saved.get("SYS-001").unwrap();
    assert_eq!(record.fields.text("name").as_deref(), Some("Ann's scorer"));
    assert_eq!(record.fields.text("risk_tier").as_deref(), Some("high"));
}

#[test]
fn reviews_both_sides_appended_merge_and_save_as_an_append() {
    let dir = workspace(&[]);
    let mut ann = Workspace::open(dir.path()).unwrap();
    let mut bob = Workspace::open(dir.path()).unwrap();
    let base = ann.fields_of("SYS-001").unwrap();
    let entry = |by: &str| {
        let mut m = Map::new();
        m.set("date", Value::str("2026-11-22"));
        m.set("by", Value::str(by));
        m.set("note", Value::str(format!("reviewed by {by}")));
        Value::Map(m)
    };
    let mut theirs = base.clone();
    theirs.set("reviews", Value::List(vec![entry("bob")]));
    bob.save_record("SYS-001", theirs, today()).unwrap();
    let mut mine = base.clone();
    mine.set("reviews", Value::List(vec![entry("ann")]));

    ann.apply_changes(&["systems/SYS-001.yaml"]);
    let Rebase::Merged { theirs, merge } = ann.rebase("SYS-001", &base, &mine) else {
        panic!()
    };
    assert!(merge.is_clean(), "{:?}", merge.conflicts);
    ann.save_over("SYS-001", theirs.hash, merge.fields, today())
        .unwrap();
    let saved = Workspace::open(dir.path()).unwrap();
    assert_eq!(
        saved.get("SYS-001").unwrap().fields.list("reviews"),
        [entry("bob"), entry("ann")]
    );
}

#[test]
fn a_deleted_record_cannot_be_rebased_on() {
    let dir = workspace(&[]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let base = ws.fields_of("SUP-001").unwrap();
    std::fs::remove_file(dir.path().join("suppliers/SUP-001.yaml")).unwrap();
    ws.apply_changes(&["suppliers/SUP-001.yaml"]);
    assert_eq!(ws.rebase("SUP-001", &base, &base), Rebase::Gone);
    let err = ws.save_over("SUP-001", 0, base, today()).unwrap_err();
    assert!(matches!(err, SaveError::NotFound(_)), "{err}");
}

#[test]
fn a_walk_note_draft_merges_with_results_another_auditor_recorded() {
    let audit = "id: AUD-2026-02\ntitle: Audit\nscope: all\nlead_auditor: ann\nplanned_on: 2026-10-01\n\
                 status: in-progress\nchecklist:\n  - ref: \"4.1\"\n  - ref: \"4.2\"\n";
    let dir = workspace(&[("audits/AUD-2026-02.yaml", audit)]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut draft = form_draft(&ws, "AUD-2026-02", |f| {
        let Some(Value::List(items)) = f.get_mut("checklist") else {
            panic!()
        };
        let Value::Map(item) = &mut items[1] else {
            panic!()
        };
        item.set(
            "notes",
            Value::str("A long note, typed when the connection dropped"),
        );
    });
    draft.edit = Edit::WalkNote { item: 1 };
    let drafts = Drafts::open(dir.path());
    drafts.save(&draft).unwrap();
    // A stale temp file of a killed write is not a draft.
    std::fs::write(
        drafts
            .dir()
            .join(".aims-tmp.999999.0.AUD-2026-02.note-1.json"),
        "{",
    )
    .unwrap();

    // Meanwhile the other auditor recorded item 1's result.
    their_save(
        &mut ws,
        "audits/AUD-2026-02.yaml",
        "  - ref: \"4.1\"\n",
        "  - ref: \"4.1\"\n    result: conforming\n",
    );
    let listed = drafts.list();
    assert_eq!(listed.len(), 1);
    let restored = listed[0].as_ref().unwrap();
    assert_eq!(restored.key().as_str(), "AUD-2026-02.note-1");
    let Restore::Changed { theirs, merge } = ws.restore_state(restored) else {
        panic!()
    };
    assert!(merge.is_clean(), "{:?}", merge.conflicts);
    ws.save_over("AUD-2026-02", theirs.hash, merge.fields, today())
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join("audits/AUD-2026-02.yaml")).unwrap();
    assert!(text.contains("result: conforming"), "{text}");
    assert!(
        text.contains("notes: A long note, typed when the connection dropped"),
        "{text}"
    );
}

#[test]
fn a_drafts_folder_that_is_a_link_is_refused_not_read() {
    let dir = workspace(&[]);
    let ws = Workspace::open(dir.path()).unwrap();
    // Someone plants a folder of drafts and links this user's drafts folder to it.
    let elsewhere = tempfile::tempdir().unwrap();
    let planted = Drafts::open(elsewhere.path());
    let mut bad = form_draft(&ws, "SYS-001", |f| f.set("owner", Value::str("bob")));
    bad.base = bad.fields.clone();
    planted.save(&bad).unwrap();
    let drafts = Drafts::open(dir.path());
    std::fs::create_dir_all(drafts.dir().parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(planted.dir(), drafts.dir()).unwrap();
    let listed = drafts.list();
    assert_eq!(listed.len(), 1);
    let err = listed[0].as_ref().unwrap_err();
    assert!(err.to_string().contains("not a folder"), "{err}");
    assert!(drafts.save(&bad).is_err());
}

/// Run by `a_killed_writer_leaves_a_whole_draft` in a child process: saves drafts in a
/// loop until it is killed. Does nothing in a normal test run.
#[test]
fn child_saving_drafts_until_killed() {
    let Some(root) = std::env::var_os("AIMS_DRAFTS_CHILD_ROOT") else {
        return;
    };
    let ws = Workspace::open(Path::new(&root)).unwrap();
    let drafts = Drafts::open(Path::new(&root));
    let long = "x".repeat(200_000);
    for n in 0u64.. {
        let draft = form_draft(&ws, "SYS-001", |f| {
            f.set("purpose", Value::str(format!("{n} {long}")));
            f.set("name", Value::str(n.to_string()));
        });
        drafts.save(&draft).unwrap();
    }
}

#[test]
fn a_killed_writer_leaves_a_whole_draft() {
    let dir = workspace(&[]);
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_saving_drafts_until_killed", "--nocapture"])
        .env("AIMS_DRAFTS_CHILD_ROOT", dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let drafts = Drafts::open(dir.path());
    // Wait (polling, bounded) until it has written a few drafts, then kill it mid-loop.
    let started = std::time::Instant::now();
    let written = |d: &Drafts| {
        d.list()
            .first()
            .and_then(|r| r.as_ref().ok())
            .and_then(|d| {
                d.fields
                    .int("name")
                    .or_else(|| d.fields.text("name")?.parse().ok())
            })
            .unwrap_or(0)
    };
    while written(&drafts) < 5 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the child wrote no drafts"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    rustix::process::kill_process(
        rustix::process::Pid::from_child(&child),
        rustix::process::Signal::KILL,
    )
    .unwrap();
    child.wait().unwrap();
    let listed = drafts.list();
    assert_eq!(listed.len(), 1, "{listed:?}");
    let draft = listed[0].as_ref().unwrap();
    let n = draft.fields.text("name").unwrap();
    assert!(
        draft
            .fields
            .text("purpose")
            .unwrap()
            .starts_with(&format!("{n} "))
    );
}

/// A live walk's clock survives a dropped connection: the start is kept beside the drafts
/// until the walk is left on purpose, is not itself offered as a draft, and a start half a
/// day old is a new walk.
#[test]
fn a_walk_resumed_after_a_drop_keeps_its_clock() {
    let dir = workspace(&[]);
    let drafts = Drafts::open(dir.path());
    let t0 = 1_790_000_000;
    assert_eq!(drafts.walk_started("AUD-2026-01", t0), t0);
    // Reconnected ten minutes later: the same walk, the same start.
    assert_eq!(drafts.walk_started("AUD-2026-01", t0 + 600), t0);
    // Another audit has a clock of its own.
    assert_eq!(drafts.walk_started("AUD/../x", t0 + 5), t0 + 5);
    assert!(drafts.list().is_empty(), "a walk's clock is not a draft");
    // Left on purpose: the next walk starts afresh.
    drafts.walk_ended("AUD-2026-01");
    assert_eq!(drafts.walk_started("AUD-2026-01", t0 + 900), t0 + 900);
    // Twelve hours later it is another day's walk.
    let later = t0 + 900 + 12 * 3600;
    assert_eq!(drafts.walk_started("AUD-2026-01", later), later);
    // Nothing outside the user's folder was written.
    for e in std::fs::read_dir(drafts.dir()).unwrap().flatten() {
        assert!(e.path().starts_with(drafts.dir()));
    }
}

/// A settings draft reads back whole, and is checked against aims.yaml as it is now: the
/// same file means Unchanged, a file saved since means the merge with theirs.
#[test]
fn a_settings_draft_round_trips_and_merges_with_a_newer_aims_yaml() {
    let dir = workspace(&[]);
    let mut ws = Workspace::open(dir.path()).unwrap();
    let (base, hash) = ws.settings_file.clone().unwrap();
    let mut fields = base.clone();
    fields.set("organization", Value::str("Typed Org"));
    let draft = Draft {
        target: Target::Settings { base_hash: hash },
        edit: Edit::Form,
        fields,
        base,
        written_at: at("2026-11-22T10:42:00+01:00"),
    };
    let drafts = Drafts::open(dir.path());
    drafts.save(&draft).unwrap();
    assert_eq!(draft.key().as_str(), "settings.aims.form");
    let found: Vec<Draft> = drafts.list().into_iter().map(Result::unwrap).collect();
    assert_eq!(found, vec![draft.clone()]);
    assert_eq!(found[0].kind(), None);
    assert_eq!(ws.restore_state(&found[0]), Restore::Unchanged);

    let path = dir.path().join("aims.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}due_soon_days: 9\n")).unwrap();
    ws = Workspace::open(dir.path()).unwrap();
    let Restore::Changed { theirs, merge } = ws.restore_state(&found[0]) else {
        panic!("aims.yaml changed since: the merge");
    };
    assert_eq!(theirs.fields.get("due_soon_days"), Some(&Value::Int(9)));
    assert!(merge.conflicts.is_empty());
}

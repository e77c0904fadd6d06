//! The live internal audit: plan from the catalog and the SoA, walk item by item with
//! every keystroke saved at once, raise nonconformities, complete.

mod common;
use aims_workbench::domain::RecordType;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::tui::app::App;
use aims_workbench::tui::form::Dialog;
use aims_workbench::tui::pane::Pane;
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::view;
use aims_workbench::workspace::Workspace;
use common::{key, typed};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

fn open(dir: &Path) -> App {
    let ws = Workspace::open(dir).unwrap();
    let theme = Theme::resolve("dark", ColorMode::TrueColor).0;
    App::new(
        ws,
        parse_date("2026-11-22").unwrap(),
        Some("jkowalski".into()),
        false,
        theme,
    )
}

fn copy() -> tempfile::TempDir {
    common::copy_sample()
}

/// Opens the walk of AUD-2026-01 (the sample's audit in progress) from the Audits pane.
fn walk_in_progress(app: &mut App) {
    typed(app, "8");
    while app
        .panes
        .list(Pane::Audits)
        .unwrap()
        .selected(&app.ws)
        .unwrap()
        .id
        != "AUD-2026-01"
    {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter);
    assert!(app.stack.walk().is_some(), "{:?}", app.status);
}

fn item_of(dir: &Path, index: usize) -> aims_workbench::domain::Map {
    let ws = Workspace::open(dir).unwrap();
    ws.get("AUD-2026-01").unwrap().fields.list("checklist")[index]
        .as_map()
        .unwrap()
        .clone()
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn a_new_audit_covers_every_clause_and_the_applicable_controls() {
    let dir = copy();
    let mut app = open(dir.path());
    typed(&mut app, "8n");
    let form = app.stack.form().unwrap();
    let refs: Vec<String> = form
        .values
        .list("checklist")
        .iter()
        .filter_map(|i| i.as_map()?.text("ref"))
        .collect();
    let applicable = app
        .ws
        .of_type(RecordType::Soa)
        .filter(|r| r.fields.bool("applicable") == Some(true))
        .count();
    assert_eq!(refs.len(), 32 + applicable);
    assert_eq!(refs[0], "4.1");
    assert!(refs.contains(&"10.2".to_string()) && refs.contains(&"A.2.2".to_string()));
    assert!(
        !refs.contains(&"A.10.4".to_string()),
        "the excluded control is not audited"
    );
    assert_eq!(
        form.values.text("lead_auditor").as_deref(),
        Some("jkowalski")
    );
}

#[test]
fn a_result_is_on_disk_at_once_and_the_walk_resumes_at_the_first_open_item() {
    let dir = copy();
    let mut app = open(dir.path());
    walk_in_progress(&mut app);
    let first_open = app.stack.walk().unwrap().cursor;
    assert_eq!(first_open, 12, "items 1-12 of the sample have results");
    assert!(item_of(dir.path(), first_open).is_blank("result"));
    typed(&mut app, "c");
    assert_eq!(
        item_of(dir.path(), first_open).text("result").as_deref(),
        Some("conforming")
    );
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Training records sampled for two reviewers.");
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        item_of(dir.path(), first_open).text("notes").as_deref(),
        Some("Training records sampled for two reviewers.")
    );
    // A dropped connection: start again from disk.
    let mut again = open(dir.path());
    walk_in_progress(&mut again);
    assert_eq!(again.stack.walk().unwrap().cursor, first_open + 1);
    // Tab goes to the next item without a result.
    key(&mut again, KeyCode::Up);
    key(&mut again, KeyCode::Up);
    key(&mut again, KeyCode::Tab);
    assert_eq!(again.stack.walk().unwrap().cursor, first_open + 1);
}

/// A note is saved as it is typed (the event loop flushes within a second), through the
/// same save as Esc: a dropped connection loses at most the last second of it.
#[test]
fn a_note_being_typed_is_saved_without_esc() {
    let dir = copy();
    let mut app = open(dir.path());
    walk_in_progress(&mut app);
    let at = app.stack.walk().unwrap().cursor;
    key(&mut app, KeyCode::Enter);
    assert!(!app.pending(), "an editor just opened holds nothing new");
    typed(&mut app, "Half a sentence");
    assert!(app.pending());
    assert!(
        item_of(dir.path(), at).is_blank("notes"),
        "not before the flush"
    );
    app.flush();
    assert!(!app.pending());
    assert_eq!(
        item_of(dir.path(), at).text("notes").as_deref(),
        Some("Half a sentence")
    );
    assert!(app.stack.walk().unwrap().editor.is_some(), "still typing");
    typed(&mut app, ", and the rest.");
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        item_of(dir.path(), at).text("notes").as_deref(),
        Some("Half a sentence, and the rest.")
    );
    assert!(!app.pending());
}

#[test]
fn not_audited_needs_a_reason() {
    let dir = copy();
    let mut app = open(dir.path());
    walk_in_progress(&mut app);
    let at = app.stack.walk().unwrap().cursor;
    typed(&mut app, "x");
    key(&mut app, KeyCode::Esc);
    assert!(
        item_of(dir.path(), at).is_blank("result"),
        "no reason, no result"
    );
    typed(&mut app, "x");
    typed(&mut app, "Owner on leave; moved to the 2027 audit.");
    key(&mut app, KeyCode::Esc);
    let item = item_of(dir.path(), at);
    assert_eq!(item.text("result").as_deref(), Some("not-audited"));
    assert!(item.text("notes").unwrap().contains("Owner on leave"));
}

#[test]
fn completion_is_refused_while_items_are_open() {
    let dir = copy();
    let mut app = open(dir.path());
    walk_in_progress(&mut app);
    typed(&mut app, "C");
    let (msg, error) = app.status.clone().unwrap();
    assert!(
        error && msg.starts_with("not completed: 18 items without a result"),
        "{msg}"
    );
    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(
        ws.get("AUD-2026-01")
            .unwrap()
            .fields
            .text("status")
            .as_deref(),
        Some("in-progress")
    );
}

#[test]
fn raising_a_nonconformity_creates_a_valid_nc_linked_both_ways() {
    let dir = copy();
    let mut app = open(dir.path());
    walk_in_progress(&mut app);
    let at = app.stack.walk().unwrap().cursor;
    let requirement = item_of(dir.path(), at).text("ref").unwrap();
    typed(&mut app, "m");
    key(&mut app, KeyCode::Enter);
    typed(
        &mut app,
        "No competence records for the two fraud reviewers sampled.",
    );
    key(&mut app, KeyCode::Esc);
    typed(&mut app, "N");
    let form = app.stack.form().expect("the NC form opens prefilled");
    assert_eq!(form.values.text("source").as_deref(), Some("audit"));
    assert_eq!(
        form.values.text("source_ref").as_deref(),
        Some("AUD-2026-01")
    );
    assert_eq!(
        form.values.text("requirement").as_deref(),
        Some(requirement.as_str())
    );
    assert_eq!(form.values.text("severity").as_deref(), Some("minor"));
    assert!(
        form.values
            .text("description")
            .unwrap()
            .contains("competence records")
    );
    let nc = form.id();
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    if let Some(Dialog::Warnings(_)) = app.stack.form().and_then(|f| f.dialog.clone()) {
        typed(&mut app, "y");
    }
    assert!(
        app.stack.form().is_none(),
        "{:?}",
        app.stack.form().map(|f| (&f.dialog, &f.message))
    );
    assert!(app.stack.walk().is_some(), "back in the walk");
    assert_eq!(
        item_of(dir.path(), at).text("nc").as_deref(),
        Some(nc.as_str())
    );
    let ws = Workspace::open(dir.path()).unwrap();
    let saved = ws.get(&nc).unwrap();
    assert_eq!(
        saved.fields.text("audit_item").as_deref(),
        Some(requirement.as_str())
    );
    let findings = ws.check(common::today());
    let errors: Vec<_> = findings.iter().filter(|f| f.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_walk_at_80x24_and_160x48() {
    let dir = copy();
    let mut app = open(dir.path());
    walk_in_progress(&mut app);
    // An Annex A item: the SoA entry and its evidence show beside the question.
    for _ in 0..40 {
        if app.stack.walk().unwrap().items(&app.ws)[app.stack.walk().unwrap().cursor]
            .text("ref")
            .as_deref()
            == Some("A.6.2.4")
        {
            break;
        }
        key(&mut app, KeyCode::Down);
    }
    insta::assert_snapshot!("walk_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("walk_160x48", screen(&app, 160, 48));
}

#[test]
fn a_result_changes_one_line_of_the_audit_file() {
    let dir = copy();
    let path = dir.path().join("audits/AUD-2026-01.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    let mut app = open(dir.path());
    walk_in_progress(&mut app);
    typed(&mut app, "c");
    let after = std::fs::read_to_string(&path).unwrap();
    let removed: Vec<&str> = before
        .lines()
        .filter(|l| !after.lines().any(|a| a == *l))
        .collect();
    let added: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert!(
        removed.len() <= 1,
        "only the item's own line may change: {removed:?}"
    );
    assert!(added.iter().all(|l| l.contains("conforming")), "{added:?}");
    for comment in before.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(after.contains(comment), "comment kept: {comment}");
    }
}

#[test]
fn read_only_records_no_results_and_a_shrunk_checklist_does_not_crash_the_walk() {
    let dir = copy();
    let ws = Workspace::open(dir.path()).unwrap();
    let theme = Theme::resolve("dark", ColorMode::TrueColor).0;
    let mut viewer = App::new(
        ws,
        parse_date("2026-11-22").unwrap(),
        Some("jkowalski".into()),
        true,
        theme,
    );
    walk_in_progress(&mut viewer);
    let before = std::fs::read_to_string(dir.path().join("audits/AUD-2026-01.yaml")).unwrap();
    typed(&mut viewer, "c");
    assert!(viewer.status.as_ref().unwrap().0.contains("read-only"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("audits/AUD-2026-01.yaml")).unwrap(),
        before
    );

    let mut app = open(dir.path());
    walk_in_progress(&mut app);
    // Someone trims the checklist to its first three items.
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut fields = ws.fields_of("AUD-2026-01").unwrap();
    let short: Vec<_> = fields.list("checklist")[..3].to_vec();
    fields.set("checklist", aims_workbench::domain::Value::List(short));
    ws.save_record("AUD-2026-01", fields, common::today())
        .unwrap();
    app.reload(Workspace::open(dir.path()).unwrap());
    key(&mut app, KeyCode::Tab);
    let _ = screen(&app, 80, 24);
    assert!(app.stack.walk().unwrap().cursor < 3);
}

// ---- a completed audit: read-only until reopened; completing asks and records ---------------

/// Opens the walk of AUD-2025-01 (the sample's completed audit) from the Audits pane.
fn walk_completed(app: &mut App) {
    typed(app, "8");
    while app
        .panes
        .list(Pane::Audits)
        .unwrap()
        .selected(&app.ws)
        .unwrap()
        .id
        != "AUD-2025-01"
    {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter);
    assert!(app.stack.walk().is_some(), "{:?}", app.status);
}

fn completed_audit(dir: &Path) -> aims_workbench::domain::Map {
    Workspace::open(dir)
        .unwrap()
        .get("AUD-2025-01")
        .unwrap()
        .fields
        .clone()
}

fn result_of_item(fields: &aims_workbench::domain::Map, index: usize) -> Option<String> {
    fields.list("checklist")[index].as_map()?.text("result")
}

#[test]
fn a_completed_audit_refuses_a_result_until_reopened_with_r() {
    let dir = copy();
    let before = std::fs::read(dir.path().join("audits/AUD-2025-01.yaml")).unwrap();
    let mut app = open(dir.path());
    walk_completed(&mut app);
    let at = app.stack.walk().unwrap().cursor;
    // The header says why before any key is pressed.
    assert!(
        screen(&app, 80, 24).contains("completed·R reopens"),
        "{}",
        screen(&app, 80, 24)
    );
    // The keys that change an item are refused, each saying which key reopens it.
    for keys in ["m", "c", "N", "a"] {
        typed(&mut app, keys);
        let (msg, error) = app.status.clone().unwrap();
        assert!(
            error && msg == "AUD-2025-01 is completed, read-only: R reopens it",
            "{keys}: {msg}"
        );
        assert!(app.stack.walk().unwrap().editor.is_none(), "{keys}");
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.stack.walk().unwrap().editor.is_none(), "notes");
    assert_eq!(
        std::fs::read(dir.path().join("audits/AUD-2025-01.yaml")).unwrap(),
        before,
        "nothing was written"
    );
    // R asks why; an empty reason is refused and the prompt stays.
    typed(&mut app, "R");
    key(&mut app, KeyCode::Enter);
    assert!(app.status.as_ref().unwrap().1, "{:?}", app.status);
    assert!(app.stack.walk().unwrap().editor.is_some());
    assert_eq!(
        completed_audit(dir.path()).text("status").as_deref(),
        Some("completed")
    );
    typed(&mut app, "NC-001 follow-up found the old policy in use");
    key(&mut app, KeyCode::Enter);
    let fields = completed_audit(dir.path());
    assert_eq!(fields.text("status").as_deref(), Some("in-progress"));
    assert!(fields.is_blank("completed_on") && fields.is_blank("signed_off_by"));
    // The conclusion stays as the draft of the next completion.
    assert!(!fields.is_blank("conclusion"));
    let log = fields.list("history").last().unwrap().as_map().unwrap();
    assert_eq!(log.text("date").as_deref(), Some("2026-11-22"));
    assert_eq!(log.text("by").as_deref(), Some("jkowalski"));
    assert_eq!(
        log.text("note").as_deref(),
        Some(
            "reopened (completed 2025-10-24, signed off by jkowalski on 2025-10-24): NC-001 follow-up found the old policy in use"
        )
    );
    // Now the result key works.
    typed(&mut app, "o");
    assert_eq!(
        result_of_item(&completed_audit(dir.path()), at).as_deref(),
        Some("observation")
    );
    assert!(!screen(&app, 80, 24).contains("completed·R reopens"));
    // A "met" result on the item that links NC-001 is saved, and the walk says at once
    // that the two now disagree (aims check reports it too).
    while app.stack.walk().unwrap().items(&app.ws)[app.stack.walk().unwrap().cursor]
        .text("ref")
        .as_deref()
        != Some("7.5.3")
    {
        key(&mut app, KeyCode::Down);
    }
    typed(&mut app, "c");
    let (msg, error) = app.status.clone().unwrap();
    assert!(
        error && msg == "saved; still links NC-001: withdraw it or record an NC",
        "{msg}"
    );
    // R on an audit that is not completed says so and opens nothing.
    typed(&mut app, "R");
    assert!(app.status.as_ref().unwrap().0.contains("not completed"));
    assert!(app.stack.walk().unwrap().editor.is_none());
}

#[test]
fn completing_shows_what_it_records_and_writes_the_conclusion_and_sign_off() {
    let dir = copy();
    let mut app = open(dir.path());
    walk_completed(&mut app);
    typed(&mut app, "R");
    typed(&mut app, "recheck");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "C");
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("walk_complete_dialog_80x24", shown);
    for line in [
        "Complete AUD-2025-01?",
        "20 items: 16 conforming, 1 minor NC, 1 observation, 1 OFI, 1 not audited",
        "Nonconformities raised: NC-001",
        "Open items: none",
        "Signed off by: jkowalski",
        "Signed off on: 2026-11-22",
    ] {
        assert!(shown.contains(line), "{line} not shown:\n{shown}");
    }
    // Nothing is written until Enter; a signatory who is not a person keeps the dialog
    // open with the reason.
    assert_eq!(
        completed_audit(dir.path()).text("status").as_deref(),
        Some("in-progress")
    );
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "x");
    key(&mut app, KeyCode::Enter);
    assert!(
        screen(&app, 80, 24).contains("jkowalskix is not a person in aims.yaml"),
        "{}",
        screen(&app, 80, 24)
    );
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::BackTab);
    typed(&mut app, " Rechecked.");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.stack.walk().unwrap().editor.is_none(),
        "{:?}",
        app.status
    );
    let fields = completed_audit(dir.path());
    assert_eq!(fields.text("status").as_deref(), Some("completed"));
    assert_eq!(fields.text("completed_on").as_deref(), Some("2026-11-22"));
    assert!(
        fields
            .text("conclusion")
            .unwrap()
            .ends_with("Ready for the first management review. Rechecked."),
        "{:?}",
        fields.text("conclusion")
    );
    assert_eq!(fields.text("signed_off_by").as_deref(), Some("jkowalski"));
    assert_eq!(fields.text("signed_off_on").as_deref(), Some("2026-11-22"));
    let log = fields.list("history").last().unwrap().as_map().unwrap();
    assert_eq!(
        log.text("note").as_deref(),
        Some(
            "completed: 16 conforming, 1 minor NC, 1 observation, 1 OFI, 1 not audited; NCs NC-001; signed off by jkowalski on 2026-11-22"
        )
    );
    // The saved audit has no error and no sign-off warning (the sample's coverage
    // warning on this pilot audit stays).
    let ws = Workspace::open(dir.path()).unwrap();
    let findings: Vec<_> = ws
        .check(parse_date("2026-11-22").unwrap())
        .into_iter()
        .filter(|f| f.file.ends_with("AUD-2025-01.yaml"))
        .filter(|f| f.is_error() || f.code == "audit-sign-off")
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    // Esc in the dialog changes nothing.
    typed(&mut app, "R");
    typed(&mut app, "again");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "C");
    key(&mut app, KeyCode::Esc);
    assert!(app.stack.walk().unwrap().editor.is_none());
    assert_eq!(
        completed_audit(dir.path()).text("status").as_deref(),
        Some("in-progress")
    );
}

#[test]
fn the_walk_shows_the_registers_of_clauses_4_7_and_9() {
    use aims_workbench::workspace::evidence::evidence_for;
    let ws =
        aims_workbench::workspace::Workspace::open(std::path::Path::new(common::SAMPLE)).unwrap();
    for (requirement, first) in [
        ("4.1", "CTX-001"),
        ("4.2", "IP-001"),
        ("7.2", "COMP-001"),
        ("7.4", "COMM-001"),
        ("9.1", "MET-001"),
        ("A.7.4", "DS-001"),
    ] {
        let lines = evidence_for(&ws, requirement);
        assert!(
            lines.iter().any(|e| e.record.as_deref() == Some(first)),
            "{requirement}: {lines:#?}"
        );
    }
}

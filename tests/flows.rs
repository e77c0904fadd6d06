//! The three flows, smoother (issue 9): `m` on Home, `r` on an action, filters over every
//! field, a system's risks on the heat map and the flat register, evidence in the walk.
//! Through key presses on the App (no terminal), with snapshots at 80×24.

mod common;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::rules::due::DueKind;
use aims_workbench::tui::app::App;
use aims_workbench::tui::overlays::{Ask, Prompt};
use aims_workbench::tui::pane::Pane;
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::view;
use aims_workbench::tui::walk::{Walk, WalkEditor};
use aims_workbench::workspace::Workspace;
use common::{SAMPLE, key, typed};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

fn app_at(dir: &Path) -> App {
    let ws = Workspace::open(dir).unwrap();
    App::new(
        ws,
        parse_date("2026-11-22").unwrap(),
        Some("amoreau".into()),
        false,
        Theme::resolve("dark", ColorMode::TrueColor).0,
    )
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn status(app: &App) -> String {
    app.status.as_ref().map(|s| s.0.clone()).unwrap_or_default()
}

/// Moves Home's cursor onto the item of `record` of `kind`.
fn home_to(app: &mut App, record: &str, kind: DueKind) {
    let items = app.panes.home_items(&app.index, app.user.as_deref());
    let at = items
        .iter()
        .position(|d| d.record == record && d.kind == kind)
        .unwrap_or_else(|| panic!("{record} {kind:?} not on Home"));
    typed(app, "g");
    for _ in 0..at {
        typed(app, "j");
    }
}

// ---- Home: mine, due dates ----------------------------------------------------------------

#[test]
fn m_on_home_shows_only_my_items_with_their_due_dates() {
    let mut app = app_at(Path::new(SAMPLE));
    let all = app.panes.home_items(&app.index, Some("amoreau")).len();
    typed(&mut app, "m");
    let mine = app.panes.home_items(&app.index, Some("amoreau"));
    assert!(!mine.is_empty() && mine.len() < all);
    assert!(mine.iter().all(|d| d.owner.as_deref() == Some("amoreau")));
    let shown = screen(&app);
    assert!(shown.contains("Mine 2026-11-22"), "{shown}");
    // The due date of the first item, as the row shows it.
    assert!(shown.contains("15 Oct RISK-009"), "{shown}");
    insta::assert_snapshot!("home_mine_80x24", shown);
    typed(&mut app, "m");
    assert_eq!(app.panes.home_items(&app.index, Some("amoreau")).len(), all);
    // `m` belongs to Home and the Calendar, not to the other lists.
    typed(&mut app, "2m");
    assert!(!app.panes.home_mine && !app.panes.calendar.mine);
}

// ---- r on an action -------------------------------------------------------------------------

#[test]
fn r_on_a_review_action_marks_it_done_with_a_note_and_logs_it() {
    let dir = common::copy_sample();
    let mut app = app_at(dir.path());
    home_to(&mut app, "MR-2025", DueKind::ReviewAction);
    typed(&mut app, "r");
    assert!(
        app.stack
            .top::<Prompt>()
            .is_some_and(|p| p.ask == Ask::DoneNote)
    );
    typed(&mut app, "transparency page live");
    insta::assert_snapshot!("review_action_done_prompt_80x24", screen(&app));
    key(&mut app, KeyCode::Enter);
    assert_eq!(status(&app), "MR-2025 saved");
    let text = std::fs::read_to_string(dir.path().join("management-reviews/MR-2025.yaml")).unwrap();
    assert!(
        text.contains(
            "transparency page (A.8.5)\", owner: amoreau, due: 2026-10-31, status: done}"
        ),
        "{text}"
    );
    assert!(
        text.contains("note: \"action 5 done: transparency page live\""),
        "{text}"
    );
    assert!(text.contains("by: amoreau"));
    // Off the list, and the next one is not touched.
    assert!(
        !app.index
            .due
            .iter()
            .any(|d| d.record == "MR-2025" && d.index == Some(4))
    );
    assert!(text.contains("due: 2026-12-15, status: open}"));
}

#[test]
fn r_on_a_corrective_action_moves_the_nc_to_verifying() {
    let dir = common::copy_sample();
    let mut app = app_at(dir.path());
    home_to(&mut app, "NC-004", DueKind::CorrectiveAction);
    typed(&mut app, "r");
    key(&mut app, KeyCode::Enter);
    let text = std::fs::read_to_string(dir.path().join("nonconformities/NC-004.yaml")).unwrap();
    assert!(text.contains("status: verifying\n"), "{text}");
    assert!(
        text.contains("note: \"corrective action done: status verifying\""),
        "{text}"
    );
    assert!(
        !app.index
            .due
            .iter()
            .any(|d| d.record == "NC-004" && d.kind == DueKind::CorrectiveAction)
    );
    // A second `r` from the Findings list says it is done, and writes nothing.
    typed(&mut app, "6");
    let before = std::fs::read_to_string(dir.path().join("nonconformities/NC-004.yaml")).unwrap();
    while app.selection().is_some_and(|t| t.record != "NC-004") {
        let at = app.selection();
        typed(&mut app, "j");
        assert_ne!(app.selection(), at, "NC-004 not in Findings");
    }
    typed(&mut app, "r");
    key(&mut app, KeyCode::Enter);
    assert!(status(&app).contains("already done"), "{}", status(&app));
    let after = std::fs::read_to_string(dir.path().join("nonconformities/NC-004.yaml")).unwrap();
    assert_eq!(before, after);
}

// ---- filters over every field ---------------------------------------------------------------

fn inventory_ids(app: &App) -> Vec<String> {
    let list = app.panes.list(Pane::Inventory).unwrap();
    list.rows
        .iter()
        .map(|&i| app.ws.records[i].id.clone())
        .collect()
}

#[test]
fn a_filter_matches_any_field_not_only_the_columns() {
    let mut app = app_at(Path::new(SAMPLE));
    // "LLM" is only in SYS-003's purpose, not in a column.
    typed(&mut app, "2/llm");
    assert_eq!(inventory_ids(&app), ["SYS-003"]);
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("inventory_filter_llm_80x24", screen(&app));
}

#[test]
fn a_growing_query_filters_the_previous_rows_as_a_fresh_filter_would() {
    let mut app = app_at(Path::new(SAMPLE));
    typed(&mut app, "2/");
    for (typed_so_far, c) in ["c", "cr", "cre", "cred"].iter().zip("cred".chars()) {
        typed(&mut app, &c.to_string());
        let grown = inventory_ids(&app);
        let mut fresh = app_at(Path::new(SAMPLE));
        typed(&mut fresh, &format!("2/{typed_so_far}"));
        assert_eq!(grown, inventory_ids(&fresh), "after {typed_so_far:?}");
    }
    assert!(!inventory_ids(&app).is_empty());
    // Backspace widens it again.
    key(&mut app, KeyCode::Backspace);
    let mut fresh = app_at(Path::new(SAMPLE));
    typed(&mut fresh, "2/cre");
    assert_eq!(inventory_ids(&app), inventory_ids(&fresh));
}

#[test]
fn a_filter_sees_what_a_save_just_wrote() {
    let dir = common::copy_sample();
    let mut app = app_at(dir.path());
    typed(&mut app, "2");
    typed(&mut app, "r");
    typed(&mut app, "zebracrossing");
    key(&mut app, KeyCode::Enter);
    let saved = app.selection().unwrap().record;
    typed(&mut app, "/zebra");
    assert_eq!(inventory_ids(&app), [saved]);
}

#[test]
fn a_filter_sees_an_outside_edit_through_the_index_patch() {
    let dir = common::copy_sample();
    let mut app = app_at(dir.path());
    typed(&mut app, "2/quokka");
    key(&mut app, KeyCode::Enter);
    assert!(inventory_ids(&app).is_empty());
    // Another user writes the word into SYS-004's purpose (no column shows it).
    let path = dir.path().join("systems/SYS-004.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("purpose: >\n", "purpose: >\n  quokka\n", 1),
    )
    .unwrap();
    let changed = app.try_apply_outside(&[&path]);
    assert_eq!(changed, Some(true), "patched, not reloaded");
    assert_eq!(inventory_ids(&app), ["SYS-004"]);
}

// ---- a system's risks on the heat map, the flat register ------------------------------------

#[test]
fn r_from_a_system_shows_its_risks_on_the_heat_map() {
    let mut app = app_at(Path::new(SAMPLE));
    typed(&mut app, "2/SYS-003");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    // Esc cleared the filter; the cursor stays on SYS-003.
    assert_eq!(app.selection().unwrap().record, "SYS-003");
    typed(&mut app, "R");
    assert_eq!(app.panes.pane, Pane::Risks);
    assert_eq!(app.panes.list(Pane::Risks).unwrap().filter, "SYS-003");
    let shown = app.panes.list(Pane::Risks).unwrap().rows.clone();
    assert_eq!(shown.len(), 5);
    for &i in &shown {
        assert!(
            app.ws.records[i]
                .fields
                .texts("systems")
                .contains(&"SYS-003".to_string())
        );
    }
    // The cursor is on the highest-scoring cell that holds one of them.
    assert_eq!(app.panes.heat.cell, (4, 5));
    assert_eq!(app.selection().unwrap().record, "RISK-004");
    assert!(
        status(&app).contains("5 risks of SYS-003"),
        "{}",
        status(&app)
    );
    insta::assert_snapshot!("heatmap_of_sys_003_80x24", screen(&app));

    // L: the same risks as a register, the same risk under the cursor.
    typed(&mut app, "L");
    assert!(app.panes.heat.register);
    assert_eq!(app.selection().unwrap().record, "RISK-004");
    typed(&mut app, "j");
    let next = app.selection().unwrap().record;
    assert_ne!(next, "RISK-004");
    insta::assert_snapshot!("risk_register_of_sys_003_80x24", screen(&app));
    // Back on the map, on the risk the register was on.
    typed(&mut app, "L");
    assert!(!app.panes.heat.register);
    assert_eq!(app.selection().unwrap().record, next);
}

#[test]
fn r_in_a_systems_detail_shows_its_risks_on_the_heat_map() {
    let mut app = app_at(Path::new(SAMPLE));
    typed(&mut app, "2/SYS-003");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(!app.stack.is_empty(), "the detail is open");
    typed(&mut app, "R");
    assert!(app.stack.is_empty(), "the popup gave way to the map");
    assert_eq!(app.panes.pane, Pane::Risks);
    assert_eq!(app.panes.list(Pane::Risks).unwrap().rows.len(), 5);
    assert_eq!(app.selection().unwrap().record, "RISK-004");
}

#[test]
fn r_on_something_else_says_what_it_does() {
    let mut app = app_at(Path::new(SAMPLE));
    typed(&mut app, "4R");
    assert_eq!(app.panes.pane, Pane::Soa);
    assert!(
        status(&app).contains("not a system or a risk"),
        "{}",
        status(&app)
    );
}

// ---- evidence in the walk -------------------------------------------------------------------

fn walk_on_copy() -> (tempfile::TempDir, App) {
    let dir = common::copy_sample();
    let mut app = app_at(dir.path());
    typed(&mut app, "8j");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.stack
            .top::<Walk>()
            .is_some_and(|w| w.audit == "AUD-2026-01")
    );
    (dir, app)
}

fn walk_item_evidence(dir: &Path, app: &App) -> Vec<String> {
    let ws = Workspace::open(dir).unwrap();
    let walk = app.stack.top::<Walk>().unwrap();
    let audit = ws.get("AUD-2026-01").unwrap();
    audit.fields.list("checklist")[walk.cursor]
        .as_map()
        .unwrap()
        .list("evidence")
        .iter()
        .map(aims_workbench::tui::walk::evidence_parts)
        .map(|(label, target)| format!("{target} [{label}]"))
        .collect()
}

fn walk_input(app: &App) -> String {
    match &app.stack.top::<Walk>().unwrap().editor {
        Some(WalkEditor::EvidenceTarget { input, .. }) => input.text(),
        _ => panic!("no evidence prompt"),
    }
}

#[test]
fn evidence_in_the_walk_completes_paths_flags_missing_ones_and_can_be_edited_and_removed() {
    let (dir, mut app) = walk_on_copy();
    let before = walk_item_evidence(dir.path(), &app);
    typed(&mut app, "a");
    typed(&mut app, "evid");
    key(&mut app, KeyCode::Tab);
    assert_eq!(walk_input(&app), "evidence/");
    typed(&mut app, "ai-p");
    key(&mut app, KeyCode::Tab);
    assert_eq!(walk_input(&app), "evidence/ai-policy-v2.md");
    typed(&mut app, "x");
    let flagged = screen(&app);
    assert!(
        flagged.contains("no such file under the workspace"),
        "{flagged}"
    );
    insta::assert_snapshot!("walk_evidence_missing_80x24", flagged);
    key(&mut app, KeyCode::Backspace);
    assert!(!screen(&app).contains("no such file"));
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "policy");
    key(&mut app, KeyCode::Enter);
    // A missing path is kept as typed.
    typed(&mut app, "a");
    typed(&mut app, "evidence/not-there.md");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let mut want = before.clone();
    want.push("evidence/ai-policy-v2.md [policy]".into());
    want.push("evidence/not-there.md []".into());
    assert_eq!(walk_item_evidence(dir.path(), &app), want);

    // e: the list; Enter edits the path (the label kept to change), d removes.
    typed(&mut app, "e");
    let n = want.len();
    for _ in 1..n - 1 {
        typed(&mut app, "j");
    }
    insta::assert_snapshot!("walk_evidence_list_80x24", screen(&app));
    key(&mut app, KeyCode::Enter);
    assert_eq!(walk_input(&app), "evidence/ai-policy-v2.md");
    app.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    typed(&mut app, "evidence/ai-risk-method.md");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, " v3");
    key(&mut app, KeyCode::Enter);
    want[n - 2] = "evidence/ai-risk-method.md [policy v3]".into();
    assert_eq!(walk_item_evidence(dir.path(), &app), want);
    typed(&mut app, "e");
    for _ in 0..n {
        typed(&mut app, "j");
    }
    typed(&mut app, "d");
    want.pop();
    assert_eq!(walk_item_evidence(dir.path(), &app), want);
    assert!(
        status(&app).contains("evidence/not-there.md removed"),
        "{}",
        status(&app)
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.stack.top::<Walk>().is_some_and(|w| w.editor.is_none()));
}

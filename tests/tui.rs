//! The workbench's state and views, without a terminal: `update` through key presses, and
//! every pane drawn into ratatui's TestBackend and compared with reviewed snapshots.

mod common;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::tui::app::App;
use aims_workbench::tui::index::Index;
use aims_workbench::tui::overlays::{
    Ask, Finder, Help, ListFilter, PersonPicker, Prompt, RecordView,
};
use aims_workbench::tui::pane::Pane;
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::view;
use aims_workbench::workspace::Workspace;
use common::{key, typed};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

use common::SAMPLE;

fn app_at(dir: &Path, theme: Theme) -> App {
    let ws = Workspace::open(dir).unwrap();
    App::new(
        ws,
        parse_date("2026-11-22").unwrap(),
        Some("amoreau".into()),
        false,
        theme,
    )
}

fn dark() -> Theme {
    Theme::resolve("dark", ColorMode::TrueColor).0
}

fn sample() -> App {
    app_at(Path::new(SAMPLE), dark())
}

fn sample_copy() -> tempfile::TempDir {
    common::copy_sample()
}

fn render(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal
}

fn screen(app: &App, w: u16, h: u16) -> String {
    render(app, w, h).backend().to_string()
}

// ---- snapshots ----------------------------------------------------------------------------

#[test]
fn every_pane_at_80x24_and_160x48() {
    let mut app = sample();
    for pane in Pane::ALL {
        app.panes.pane = pane;
        let name = pane.title().to_lowercase();
        insta::assert_snapshot!(format!("pane_{name}_80x24"), screen(&app, 80, 24));
        insta::assert_snapshot!(format!("pane_{name}_160x48"), screen(&app, 160, 48));
    }
}

#[test]
fn help_overlay_lists_the_keys_of_the_view() {
    let mut app = sample();
    typed(&mut app, "3?");
    insta::assert_snapshot!("help_risks", screen(&app, 80, 24));
    typed(&mut app, "resid");
    insta::assert_snapshot!("help_filtered", screen(&app, 80, 24));
}

#[test]
fn finder_with_a_query() {
    let mut app = sample();
    app.on_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    typed(&mut app, "prompt inj");
    insta::assert_snapshot!("finder_prompt_injection", screen(&app, 80, 24));
}

#[test]
fn too_small_terminal_says_what_it_needs() {
    let app = sample();
    insta::assert_snapshot!("too_small", screen(&app, 60, 20));
}

#[test]
fn monochrome_theme_uses_only_modifiers() {
    let app = app_at(Path::new(SAMPLE), Theme::monochrome());
    let terminal = render(&app, 80, 24);
    insta::assert_snapshot!(
        "monochrome_home_styles",
        format!("{:?}", terminal.backend().buffer())
    );
}

#[test]
fn escape_sequences_and_tabs_in_records_are_shown_harmlessly() {
    let dir = common::workspace(&[(
        "objectives/OBJ-001.yaml",
        "id: OBJ-001\ntitle: \"Evil \\e[2J\\e]0;pwned\\a title\\twith tab\"\nmeasure: \"\\e[31mred\"\ntarget: x\nowner: ann\ndue: 2027-01-01\n",
    )]);
    let ws = Workspace::open(dir.path()).unwrap();
    let mut app = App::new(ws, common::today(), Some("ann".into()), false, dark());
    app.panes.pane = Pane::Objectives;
    let text = screen(&app, 80, 24);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\t'));
    insta::assert_snapshot!("escapes_objectives", text);
}

// ---- update -------------------------------------------------------------------------------

#[test]
fn number_keys_and_tab_switch_panes() {
    let mut app = sample();
    assert_eq!(app.panes.pane, Pane::Home);
    typed(&mut app, "3");
    assert_eq!(app.panes.pane, Pane::Risks);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.panes.pane, Pane::Soa);
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.panes.pane, Pane::Inventory);
    typed(&mut app, "0");
    assert_eq!(app.panes.pane, Pane::Problems);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.panes.pane, Pane::Trends);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.panes.pane, Pane::Home, "Tab wraps around");
}

#[test]
fn filter_narrows_the_list_and_esc_clears_it() {
    let mut app = sample();
    typed(&mut app, "2/");
    assert!(app.stack.top::<ListFilter>().is_some());
    typed(&mut app, "talent");
    let list = app.panes.list(Pane::Inventory).unwrap();
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.selected(&app.ws).unwrap().id, "SYS-004");
    key(&mut app, KeyCode::Enter);
    assert!(app.stack.is_empty(), "Enter keeps the filter");
    assert_eq!(app.panes.list(Pane::Inventory).unwrap().rows.len(), 1);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.panes.list(Pane::Inventory).unwrap().rows.len(), 9);
}

#[test]
fn finder_opens_the_record_in_its_pane() {
    let mut app = sample();
    app.on_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    typed(&mut app, "talentsift");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.panes.pane, Pane::Inventory);
    assert_eq!(
        app.panes
            .list(Pane::Inventory)
            .unwrap()
            .selected(&app.ws)
            .unwrap()
            .id,
        "SYS-004"
    );
    assert_eq!(
        app.stack.top::<RecordView>().map(|v| v.id.as_str()),
        Some("SYS-004")
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.stack.is_empty());
}

#[test]
fn heat_map_cell_selection_lists_its_risks() {
    let mut app = sample();
    typed(&mut app, "3");
    // From the middle (3,3) to likelihood 4, impact 5.
    typed(&mut app, "lkk");
    assert_eq!(app.panes.heat.cell, (4, 5));
    let ids: Vec<_> = app
        .panes
        .cell_risks(&app.ws)
        .iter()
        .map(|r| r.id.clone())
        .collect();
    assert!(!ids.is_empty());
    for id in &ids {
        let r = app.ws.get(id).unwrap();
        assert_eq!(
            (r.fields.int("likelihood"), r.fields.int("impact")),
            (Some(4), Some(5))
        );
    }
    // Moving past the edge stays on the grid.
    typed(&mut app, "kkkllll");
    assert_eq!(app.panes.heat.cell, (5, 5));
    typed(&mut app, "i");
    assert!(app.panes.heat.residual);
    for r in app.panes.cell_risks(&app.ws) {
        let l = r
            .fields
            .int("residual_likelihood")
            .or(r.fields.int("likelihood"));
        assert_eq!(l, Some(5));
    }
}

/// Opens a copy of the sample on the Calendar, cursor on the first (most overdue) item.
fn calendar_on_copy() -> (tempfile::TempDir, App) {
    let dir = sample_copy();
    let mut app = app_at(dir.path(), dark());
    typed(&mut app, "5");
    assert_eq!(
        app.panes.agenda(&app.index, app.user.as_deref())[0].record,
        "RISK-021"
    );
    (dir, app)
}

#[test]
fn mark_reviewed_from_the_calendar_saves_to_disk() {
    let (dir, mut app) = calendar_on_copy();
    let path = dir.path().join("risks/RISK-021.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    typed(&mut app, "r");
    assert!(
        app.stack
            .top::<Prompt>()
            .is_some_and(|p| p.ask == Ask::ReviewNote)
    );
    typed(&mut app, "walked through with rsantos");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.status.as_ref().map(|s| s.0.as_str()),
        Some("RISK-021 saved")
    );
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("last_reviewed: 2026-11-22\n"), "{after}");
    assert!(after.contains("by: amoreau") && after.contains("note: walked through with rsantos"));
    for line in before.lines().filter(|l| l.starts_with('#')) {
        assert!(after.contains(line), "comment kept: {line}");
    }
    // The agenda no longer has it overdue.
    assert!(
        app.panes
            .agenda(&app.index, app.user.as_deref())
            .iter()
            .all(|d| !(d.record == "RISK-021" && d.days < 0))
    );
}

#[test]
fn reschedule_needs_a_date_and_a_reason_and_is_logged() {
    let (dir, mut app) = calendar_on_copy();
    typed(&mut app, "s");
    typed(&mut app, "2026-01-01");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.stack
            .top::<Prompt>()
            .is_some_and(|p| p.ask == Ask::RescheduleDate && p.error.is_some()),
        "a past date is refused"
    );
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "+3w");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.stack
            .top::<Prompt>()
            .is_some_and(|p| matches!(p.ask, Ask::RescheduleReason(_)))
    );
    key(&mut app, KeyCode::Enter);
    assert!(
        app.status.as_ref().is_some_and(|s| s.1),
        "an empty reason is refused"
    );
    typed(&mut app, "owner on leave");
    key(&mut app, KeyCode::Enter);
    let after = std::fs::read_to_string(dir.path().join("risks/RISK-021.yaml")).unwrap();
    assert!(after.contains("next_review: 2026-12-13\n"), "{after}");
    assert!(
        after.contains("rescheduled next_review from 2026-09-20 to 2026-12-13: owner on leave"),
        "{after}"
    );
    assert!(
        Workspace::open(dir.path())
            .unwrap()
            .check(common::today())
            .iter()
            .all(|f| !f.is_error())
    );
}

#[test]
fn reassign_picks_a_person_and_is_logged() {
    let (dir, mut app) = calendar_on_copy();
    typed(&mut app, "o");
    // It starts on the current owner.
    let owner_at = app
        .ws
        .settings
        .people
        .iter()
        .position(|p| p.id == "rsantos");
    assert_eq!(app.stack.top::<PersonPicker>().map(|p| p.cursor), owner_at);
    // People in aims.yaml order: amoreau, dokafor, lchen, ...
    for _ in 0..20 {
        typed(&mut app, "k");
    }
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let after = std::fs::read_to_string(dir.path().join("risks/RISK-021.yaml")).unwrap();
    assert!(after.contains("owner: lchen\n"), "{after}");
    assert!(after.contains("reassigned owner from rsantos to lchen"));
}

#[test]
fn read_only_refuses_every_edit_with_a_reason() {
    let ws = Workspace::open(Path::new(SAMPLE)).unwrap();
    let mut app = App::new(ws, common::today(), Some("amoreau".into()), true, dark());
    typed(&mut app, "5r");
    assert!(app.stack.is_empty());
    assert!(app.status.as_ref().unwrap().0.contains("read-only"));
}

#[test]
fn a_file_that_stops_parsing_stays_on_screen_marked_stale() {
    let dir = sample_copy();
    let mut app = app_at(dir.path(), dark());
    std::fs::write(
        dir.path().join("systems/SYS-002.yaml"),
        "id: SYS-002\nname: [broken\n",
    )
    .unwrap();
    app.reload(Workspace::open(dir.path()).unwrap());
    assert!(app.ws.get("SYS-002").is_some(), "last good version kept");
    assert!(app.index.stale.contains("SYS-002"));
    assert!(
        app.index
            .findings
            .iter()
            .any(|f| f.file == Path::new("systems/SYS-002.yaml") && f.is_error())
    );
    typed(&mut app, "2");
    assert!(screen(&app, 100, 30).contains("stale"));
}

#[test]
fn pasted_text_arrives_as_one_edit() {
    let mut app = sample();
    app.on_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    app.on_paste("talent\u{1b}[31m\nsift");
    let finder = app.stack.top::<Finder>().expect("the finder");
    assert_eq!(finder.query.text(), "talent[31msift");
    assert!(finder.results.is_empty() || finder.results[0] == "SYS-004");
}

#[test]
fn problems_open_the_record_at_its_field() {
    let dir = common::workspace(&[(
        "objectives/OBJ-001.yaml",
        "id: OBJ-001\ntitle: t\nmeasure: m\ntarget: x\nowner: zed\ndue: 2027-01-01\n",
    )]);
    let ws = Workspace::open(dir.path()).unwrap();
    let mut app = App::new(ws, common::today(), Some("ann".into()), false, dark());
    typed(&mut app, "0");
    let first = app
        .index
        .findings
        .iter()
        .position(|f| f.record.as_deref() == Some("OBJ-001"))
        .unwrap();
    app.panes.problems_cursor = first;
    key(&mut app, KeyCode::Enter);
    let view = app.stack.top::<RecordView>().expect("the record");
    assert_eq!(view.id, "OBJ-001");
    assert_eq!(view.focus_field.as_deref(), Some("owner"));
}

#[test]
fn a_system_links_to_its_risks_suppliers_assessments_and_the_controls_its_risks_cite() {
    let app = sample();
    let links = Index::links_of(&app.ws, "SYS-001");
    for id in ["RISK-001", "IA-001", "SUP-005", "DOC-004"] {
        assert!(links.contains(&id.to_string()), "{id} in {links:?}");
    }
    assert!(
        links.iter().any(|l| l.starts_with("A.")),
        "a control cited by its risks: {links:?}"
    );
}

#[test]
fn a_reload_under_an_open_finder_keeps_its_results_valid() {
    let dir = sample_copy();
    let mut app = app_at(dir.path(), dark());
    app.on_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    typed(&mut app, "obj");
    for f in std::fs::read_dir(dir.path().join("risks")).unwrap() {
        std::fs::remove_file(f.unwrap().path()).unwrap();
    }
    app.reload(Workspace::open(dir.path()).unwrap());
    let _ = screen(&app, 80, 24);
    for _ in 0..5 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.stack.is_empty() || app.stack.top::<RecordView>().is_some());
}

#[test]
fn help_scrolls_with_the_arrows() {
    let mut app = sample();
    typed(&mut app, "?");
    for _ in 0..5 {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(app.stack.top::<Help>().map(|h| h.scroll), Some(5));
    typed(&mut app, "q");
    assert_eq!(
        app.stack.top::<Help>().map(|h| h.scroll),
        Some(0),
        "typing filters from the top"
    );
}

#[test]
fn registers_list_the_datasets_and_the_finder_opens_a_metric() {
    let mut app = sample();
    app.panes.pane = Pane::Registers;
    typed(&mut app, "/DS-");
    key(&mut app, KeyCode::Enter);
    let list = app.panes.list(Pane::Registers).unwrap();
    let ids: Vec<&str> = list
        .rows
        .iter()
        .map(|&i| app.ws.records[i].id.as_str())
        .collect();
    let datasets = ids.iter().filter(|id| id.starts_with("DS-")).count();
    assert_eq!(datasets, 6, "the six datasets of the sample: {ids:?}");
    // The filter reads every field: the records that name a dataset are kept too.
    for id in ids.iter().filter(|id| !id.starts_with("DS-")) {
        assert!(
            aims_workbench::tui::index::filter_text(app.ws.get(id).unwrap()).contains("ds-"),
            "{id}"
        );
    }
    insta::assert_snapshot!("registers_datasets_80x24", screen(&app, 80, 24));
    key(&mut app, KeyCode::Esc);

    app.on_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    typed(&mut app, "MET-004");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.panes.pane, Pane::Registers);
    let popup = app.stack.top::<RecordView>().expect("the record popup");
    assert_eq!((popup.id.as_str(), popup.cursor), ("MET-004", 0));
    key(&mut app, KeyCode::Esc);

    // The metrics (and the records that name one: the filter reads every field), with the
    // breaching one's detail: the breach first, then the metric.
    typed(&mut app, "/MET-");
    key(&mut app, KeyCode::Enter);
    while app
        .panes
        .list(Pane::Registers)
        .unwrap()
        .selected(&app.ws)
        .is_some_and(|r| r.id != "MET-004")
    {
        key(&mut app, KeyCode::Down);
    }
    insta::assert_snapshot!("metric_detail_80x24", screen(&app, 80, 24));
}

#[test]
fn rescheduling_a_competence_record_from_the_registers_moves_its_training() {
    let dir = sample_copy();
    let mut app = app_at(dir.path(), dark());
    app.panes.pane = Pane::Registers;
    typed(&mut app, "/COMP-002");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "s2026-12-15");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "LMS outage");
    key(&mut app, KeyCode::Enter);
    let after = std::fs::read_to_string(dir.path().join("competence/COMP-002.yaml")).unwrap();
    assert!(after.contains("next_due: 2026-12-15\n"), "{after}");
    assert!(!after.contains("next_review"), "{after}");
    assert!(
        after.contains("rescheduled next_due from 2026-12-02 to 2026-12-15: LMS outage"),
        "{after}"
    );
}

// ---- the six registers, the SoA headline and exclusion, a metric's breach -------------

/// Puts the Registers cursor on record `id` (filtered by its id prefix).
fn select_in_registers(app: &mut App, id: &str) {
    app.panes.pane = Pane::Registers;
    key(app, KeyCode::Esc);
    let prefix = &id[..=id.find('-').unwrap()];
    typed(app, &format!("/{prefix}"));
    key(app, KeyCode::Enter);
    while app
        .panes
        .list(Pane::Registers)
        .unwrap()
        .selected(&app.ws)
        .is_some_and(|r| r.id != id)
    {
        key(app, KeyCode::Down);
    }
    assert_eq!(
        app.panes
            .list(Pane::Registers)
            .unwrap()
            .selected(&app.ws)
            .map(|r| r.id.as_str()),
        Some(id)
    );
}

/// Each of the six register types: its list (the Registers pane filtered by its prefix)
/// and its detail, at 80×24.
#[test]
fn each_register_type_list_and_detail_at_80x24() {
    let mut app = sample();
    for (id, name) in [
        ("CTX-001", "context_issue"),
        ("IP-001", "interested_party"),
        ("COMP-002", "competence"),
        ("COMM-001", "communication"),
        ("DS-001", "dataset"),
        ("MET-004", "metric"),
    ] {
        select_in_registers(&mut app, id);
        insta::assert_snapshot!(format!("register_{name}_list_80x24"), screen(&app, 80, 24));
        key(&mut app, KeyCode::Enter);
        let view = app.stack.top::<RecordView>().expect("the detail");
        assert_eq!(view.id, id);
        insta::assert_snapshot!(
            format!("register_{name}_detail_80x24"),
            screen(&app, 80, 24)
        );
        key(&mut app, KeyCode::Esc);
    }
}

/// The metric's chart draws in monochrome with the breach marked by a character, not a
/// colour only.
#[test]
fn the_metric_chart_reads_in_monochrome() {
    let mut app = app_at(Path::new(SAMPLE), Theme::monochrome());
    select_in_registers(&mut app, "MET-004");
    key(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24);
    assert!(text.contains("0.25┤╌╌╌"), "the threshold line: {text}");
    assert!(text.contains("threshold"), "{text}");
    // The row under the bars marks the one breach (the last measurement) with `!`.
    let lines: Vec<&str> = text.lines().collect();
    let bottom = lines.iter().position(|l| l.contains("      0┤")).unwrap();
    assert_eq!(lines[bottom + 1].matches('!').count(), 1, "{text}");
    let last_bar = lines[bottom]
        .chars()
        .collect::<Vec<_>>()
        .iter()
        .rposition(|c| *c == '█');
    let mark = lines[bottom + 1].chars().position(|c| c == '!');
    assert_eq!(mark, last_bar, "under the last bar: {text}");
}

/// The SoA headline counts against all 38 controls: one assessed entry is 1/38, not 100%.
#[test]
fn the_soa_headline_counts_against_all_38_controls() {
    let dir = tempfile::tempdir().unwrap();
    let new = aims_workbench::workspace::init::NewWorkspace {
        organization: "Acme",
        person: Some("ann"),
        ..Default::default()
    };
    aims_workbench::workspace::init::init(dir.path(), new).unwrap();
    let entry = dir.path().join("soa/A.2.2.yaml");
    let text = std::fs::read_to_string(&entry).unwrap();
    let text = text.replace(
        "status: not-assessed",
        "status: implemented\napplicable: true",
    );
    std::fs::write(&entry, text).unwrap();
    let mut app = app_at(dir.path(), dark());
    let home = screen(&app, 80, 24);
    assert!(home.contains("SoA assessed 1/38"), "{home}");
    assert!(home.contains("in place 1/38"), "{home}");
    typed(&mut app, "4");
    let soa = screen(&app, 80, 24);
    assert!(
        soa.contains("assessed 1/38 · applicable 1 · in place 1/38 (2%)"),
        "{soa}"
    );
    assert!(!soa.contains("100%"), "{soa}");
}

/// `x` in the SoA pane excludes the control, asking only why; the headline follows.
#[test]
fn x_excludes_an_soa_control_with_its_justification() {
    let dir = sample_copy();
    let mut app = app_at(dir.path(), dark());
    typed(&mut app, "4");
    while app
        .panes
        .list(Pane::Soa)
        .unwrap()
        .selected(&app.ws)
        .is_some_and(|r| r.id != "A.4.4")
    {
        key(&mut app, KeyCode::Down);
    }
    let before = screen(&app, 80, 24);
    assert!(
        before.contains("applicable 37 · in place 28/37"),
        "{before}"
    );
    typed(&mut app, "x");
    let prompt = app.stack.top::<Prompt>().expect("the justification prompt");
    assert_eq!(prompt.ask, Ask::Exclude);
    key(&mut app, KeyCode::Enter);
    assert!(
        app.stack.top::<Prompt>().is_some(),
        "an empty justification is refused"
    );
    typed(&mut app, "The group platform team provides all tooling");
    key(&mut app, KeyCode::Enter);
    assert!(app.stack.is_empty());
    let after = std::fs::read_to_string(dir.path().join("soa/A.4.4.yaml")).unwrap();
    assert!(after.contains("status: excluded\n"), "{after}");
    assert!(after.contains("applicable: false\n"), "{after}");
    assert!(
        after.contains("justification: The group platform team provides all tooling\n"),
        "{after}"
    );
    assert!(
        after.contains("excluded: The group platform team provides all tooling"),
        "logged in its reviews: {after}"
    );
    let now = screen(&app, 80, 24);
    assert!(now.contains("applicable 36 · in place 28/36"), "{now}");
    // Anywhere but the SoA pane, x is not exclusion.
    typed(&mut app, "2x");
    assert!(app.stack.is_empty());
}

/// A breaching measurement is flagged in the list; `N` on the metric's detail opens the
/// NC form prefilled from it, and saving links the NC to the measurement, which settles
/// the breach warning. `I` does the same with an incident.
#[test]
fn a_metric_breach_is_flagged_and_raises_a_prefilled_nc() {
    let dir = sample_copy();
    let mut app = app_at(dir.path(), dark());
    select_in_registers(&mut app, "MET-004");
    let r = app.ws.get("MET-004").unwrap();
    assert_eq!(app.index.cell(&app.ws, r, "flags"), "breach");
    let other = app.ws.get("MET-001").unwrap();
    assert_eq!(app.index.cell(&app.ws, other, "flags"), "");
    key(&mut app, KeyCode::Enter);

    typed(&mut app, "I");
    let form = app.stack.form().expect("the incident form");
    assert_eq!(form.values.text("system").as_deref(), Some("SYS-007"));
    assert_eq!(
        form.values.text("occurred_on").as_deref(),
        Some("2026-11-15")
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.stack.form().is_none(), "unchanged: it closes at once");

    typed(&mut app, "N");
    let form = app.stack.form().expect("the NC form");
    let id = form.id();
    assert_eq!(form.values.text("source").as_deref(), Some("monitoring"));
    assert_eq!(form.values.text("source_ref").as_deref(), Some("MET-004"));
    let description = form.values.text("description").unwrap();
    assert!(
        description.contains("measured 0.27 on 2026-11-15, above its threshold 0.25"),
        "{description}"
    );
    assert!(form.errors().is_empty(), "{:?}", form.errors());
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(app.stack.form().is_none());
    let metric = std::fs::read_to_string(dir.path().join("metrics/MET-004.yaml")).unwrap();
    assert!(
        metric.contains(&format!("value: 0.27, by: lchen, note: \"Breach: the new hardship scheme changed the arrears mix; root-cause analysis started.\", raised: {id}}}")),
        "{metric}"
    );
    let findings = Workspace::open(dir.path())
        .unwrap()
        .check(parse_date("2026-11-22").unwrap());
    assert!(
        !findings.iter().any(|f| f.code == "metric-breach"),
        "{findings:#?}"
    );
    assert!(!findings.iter().any(|f| f.is_error()), "{findings:#?}");
    // Nothing is left to raise now.
    let r = app.ws.get("MET-004").unwrap();
    assert_eq!(app.index.cell(&app.ws, r, "flags"), "");
    typed(&mut app, "N");
    assert!(app.stack.form().is_none());
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.0.contains("no breach left to raise")),
        "{:?}",
        app.status
    );
}

/// A competence row names the person trained (not the record's owner, the manager who
/// keeps it), and its detail shows the next training aims computed from the completion
/// date and the renewal period.
#[test]
fn a_competence_record_shows_the_person_trained_and_its_next_training() {
    let mut app = sample();
    select_in_registers(&mut app, "COMP-002");
    let comp = app.ws.get("COMP-002").unwrap();
    assert_eq!(comp.fields.text("owner").as_deref(), Some("dokafor"));
    assert!(Index::columns(Pane::Registers).contains(&"who"));
    assert_eq!(app.index.cell(&app.ws, comp, "who"), "amoreau");
    let ctx = app.ws.get("CTX-001").unwrap();
    assert_eq!(
        app.index.cell(&app.ws, ctx, "who"),
        "amoreau",
        "others: the owner"
    );
    let list = screen(&app, 80, 24);
    let row = list.lines().find(|l| l.contains("│COMP-002")).unwrap();
    assert!(row.contains("amoreau") && !row.contains("dokafor"), "{row}");

    key(&mut app, KeyCode::Enter);
    typed(&mut app, "G"); // the end of the detail
    let detail = screen(&app, 80, 40);
    assert!(
        detail.contains("Next due: 2026-12-02 (completed on + renewed every)"),
        "{detail}"
    );
}

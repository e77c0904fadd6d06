//! A new workspace in the workbench: Home's setup steps, the Settings form (from `,`, the
//! finder and the steps), and empty lists that say what belongs in them.

mod common;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::tui::app::App;
use aims_workbench::tui::form::{Dialog, Level, Subject};
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::view;
use aims_workbench::workspace::Workspace;
use common::{key, typed};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

fn app_at(dir: &Path) -> App {
    App::new(
        Workspace::open(dir).unwrap(),
        parse_date("2026-11-22").unwrap(),
        Some("amoreau".into()),
        false,
        Theme::resolve("dark", ColorMode::TrueColor).0,
    )
}

/// A workspace as `aims init --org Acme --as amoreau` leaves it.
fn fresh() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let new = aims_workbench::workspace::init::NewWorkspace {
        organization: "Acme Lending",
        person: Some("amoreau"),
        ..Default::default()
    };
    aims_workbench::workspace::init::init(&ws, new).unwrap();
    dir
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

/// The name of the field under the top-level cursor of the open form.
fn field_at_cursor(app: &App) -> &'static str {
    let form = app.stack.form().expect("a form is open");
    match &form.levels[0] {
        Level::Fields { specs, cursor, .. } => specs[*cursor].name,
        Level::List { .. } => panic!("not on the fields"),
    }
}

#[test]
fn a_new_workspace_shows_the_setup_steps_and_enter_opens_settings_on_what_is_missing() {
    let dir = fresh();
    let mut app = app_at(&dir.path().join("ws"));
    insta::assert_snapshot!("first_run_home_80x24", screen(&app));
    key(&mut app, KeyCode::Enter);
    let form = app.stack.form().expect("Enter opened a form");
    assert_eq!(form.subject, Subject::Settings);
    assert_eq!(field_at_cursor(&app), "scope");
    insta::assert_snapshot!("first_run_settings_80x24", screen(&app));
}

#[test]
fn comma_and_the_finder_open_settings() {
    let dir = fresh();
    let mut app = app_at(&dir.path().join("ws"));
    typed(&mut app, ",");
    assert_eq!(app.stack.form().map(|f| f.subject), Some(Subject::Settings));
    assert_eq!(field_at_cursor(&app), "organization");
    key(&mut app, KeyCode::Esc);
    assert!(
        app.stack.is_empty(),
        "Esc leaves an unchanged Settings form"
    );

    app.on_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    typed(&mut app, "sett");
    assert!(
        screen(&app).contains("Settings    aims.yaml"),
        "{}",
        screen(&app)
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.stack.form().map(|f| f.subject), Some(Subject::Settings));
}

#[test]
fn empty_lists_say_what_belongs_there_and_which_key_creates_the_first() {
    let dir = fresh();
    let mut app = app_at(&dir.path().join("ws"));
    typed(&mut app, "2");
    let text = screen(&app);
    assert!(text.contains("No AI systems yet. The inventory:"), "{text}");
    assert!(text.contains("n creates the first one."), "{text}");
    insta::assert_snapshot!("first_run_inventory_empty_80x24", text);
}

#[test]
fn removing_a_person_records_name_is_refused_with_those_records() {
    // SYS-001 and AUD-2026-01 name ann; bob owns SUP-001.
    let dir = common::workspace(&[]);
    let mut app = app_at(dir.path());
    typed(&mut app, ",");
    while field_at_cursor(&app) != "people" {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "d");
    let form = app.stack.form().unwrap();
    assert!(
        form.errors()
            .iter()
            .any(|f| f.message.contains("ann cannot be removed or renamed")),
        "{:?}",
        form.findings
    );
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let Some(Dialog::Errors(errors)) = &app.stack.form().unwrap().dialog else {
        panic!("saved without ann\n{}", screen(&app));
    };
    assert!(
        errors
            .iter()
            .any(|e| e.contains("SYS-001 (owner)") && e.contains("AUD-2026-01 (lead_auditor)")),
        "{errors:?}"
    );
    let text = std::fs::read_to_string(dir.path().join("aims.yaml")).unwrap();
    assert!(text.contains("id: ann"), "{text}");
}

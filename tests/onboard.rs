//! What a new user hit on a first run (issue 11, tried at 80×24): a new system in operation
//! that could not be saved, the setup steps that went too early, places the finder did not
//! know, marks that read alike, keys that did nothing.

mod common;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::domain::{RecordType, Value};
use aims_workbench::tui::app::App;
use aims_workbench::tui::form::{Dialog, Level, Subject};
use aims_workbench::tui::pane::Pane;
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
        Some("ann".into()),
        false,
        Theme::resolve("dark", ColorMode::TrueColor).0,
    )
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn cursor(app: &App) -> usize {
    match &app.stack.form().expect("a form").levels[0] {
        Level::Fields { cursor, .. } => *cursor,
        Level::List { .. } => panic!("in a list"),
    }
}

/// Moves the open form's cursor onto `field`.
fn go_to(app: &mut App, field: &str) {
    for _ in 0..80 {
        let form = app.stack.form().unwrap();
        if let Level::Fields { specs, cursor, .. } = &form.levels[0]
            && specs[*cursor].name == field
        {
            return;
        }
        key(app, KeyCode::Down);
    }
    panic!("no field {field}");
}

/// A new system in operation that we develop, every field of its own filled in.
fn new_live_system(app: &mut App) {
    typed(app, "2n");
    let form = app.stack.form_mut().expect("n opened a form");
    for (k, v) in [
        ("name", "Scorer 2"),
        ("purpose", "Scores applications."),
        ("owner", "ann"),
        ("lifecycle_stage", "operation"),
        ("deployment_environment", "cloud"),
        ("provenance", "in-house"),
        ("risk_tier", "limited"),
        ("human_oversight", "Analysts review."),
    ] {
        form.values.set(k, Value::str(v));
    }
    form.values
        .set("roles", Value::List(vec![Value::str("producer")]));
    form.values.set("personal_data", Value::Bool(false));
    form.values
        .set("data_inputs", Value::List(vec![Value::str("bureau data")]));
    // A move validates the form again.
    key(app, KeyCode::Down);
    key(app, KeyCode::Up);
}

#[test]
fn a_new_system_in_operation_saves_and_offers_its_impact_assessment_next() {
    let dir = common::workspace(&[]);
    let mut app = app_at(dir.path());
    new_live_system(&mut app);
    ctrl(&mut app, 's');
    let form = app.stack.form().unwrap();
    let Some(Dialog::Warnings(_)) = &form.dialog else {
        panic!("the save was refused:\n{}", screen(&app));
    };
    assert!(
        (form.after_save.iter()).any(|m| m.contains("no approved impact assessment")),
        "{:?}",
        form.after_save
    );
    let text = screen(&app);
    assert!(text.contains("Still to do after saving"), "{text}");
    assert!(
        text.contains("0 to fix · 1 warning · 2 after saving"),
        "{text}"
    );
    assert!(
        text.contains("i save, then create its impact assessment"),
        "{text}"
    );
    typed(&mut app, "i");
    assert!(dir.path().join("systems/SYS-002.yaml").exists());
    let ia = app.stack.form().expect("i opened the IA's form");
    assert_eq!(
        ia.subject,
        Subject::Record(RecordType::ImpactAssessment),
        "{}",
        screen(&app)
    );
    assert_eq!(ia.values.text("system").as_deref(), Some("SYS-002"));

    // `aims check` keeps its verdict: the missing IA and model card are errors.
    let findings = Workspace::open(dir.path()).unwrap().check(common::today());
    let on_it = common::errors_in(&findings, "systems/SYS-002.yaml");
    assert!(
        on_it
            .iter()
            .any(|e| e.contains("no approved impact assessment")),
        "{on_it:?}"
    );
    assert!(on_it.iter().any(|e| e.contains("model card")), "{on_it:?}");
}

#[test]
fn an_error_of_the_record_itself_still_refuses_the_save_and_reads_apart_from_a_warning() {
    let dir = common::workspace(&[]);
    let mut app = app_at(dir.path());
    new_live_system(&mut app);
    app.stack.form_mut().unwrap().values.remove("owner");
    key(&mut app, KeyCode::Down);
    ctrl(&mut app, 's');
    let Some(Dialog::Errors(errors)) = &app.stack.form().unwrap().dialog else {
        panic!("saved without an owner:\n{}", screen(&app));
    };
    assert!(
        errors.iter().all(|e| !e.contains("impact assessment")),
        "{errors:?}"
    );
    key(&mut app, KeyCode::Esc);
    go_to(&mut app, "owner");
    let text = screen(&app);
    assert!(text.contains("✗ "), "a blocking error is marked ✗:\n{text}");
    go_to(&mut app, "risk_tier");
    let text = screen(&app);
    assert!(
        text.contains("→ no approved impact assessment"),
        "to do after saving is marked →:\n{text}"
    );
}

#[test]
fn j_and_k_move_in_a_form_and_a_digit_chooses_a_numbered_entry() {
    let dir = common::workspace(&[]);
    let mut app = app_at(dir.path());
    typed(&mut app, "3n");
    let at = cursor(&app);
    typed(&mut app, "j");
    assert_eq!(cursor(&app), at + 1);
    typed(&mut app, "k");
    assert_eq!(cursor(&app), at);
    go_to(&mut app, "likelihood");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "4");
    let form = app.stack.form().unwrap();
    assert!(
        form.editor.is_none(),
        "4 took the entry and closed the picker"
    );
    assert_eq!(form.values.get("likelihood"), Some(&Value::Int(4)));
}

#[test]
fn the_setup_steps_stay_until_all_are_done_and_x_hides_them_for_this_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let new = aims_workbench::workspace::init::NewWorkspace {
        organization: "Acme Lending",
        person: Some("amoreau"),
        ..Default::default()
    };
    aims_workbench::workspace::init::init(&ws, new).unwrap();
    let mut app = app_at(&ws);
    let text = screen(&app);
    assert!(text.contains("Datasets (training data)"), "{text}");
    assert!(text.contains("x hides"), "{text}");
    // The SoA step opens the first control in Annex A order.
    for _ in 0..6 {
        typed(&mut app, "j");
    }
    key(&mut app, KeyCode::Enter);
    assert!(
        screen(&app).contains("Edit SoA entry A.2.2"),
        "{}",
        screen(&app)
    );
    key(&mut app, KeyCode::Esc);
    typed(&mut app, "1x");
    assert!(ws.join(".aims/setup-dismissed").exists());
    assert!(
        !screen(&app).contains("Set up the AIMS"),
        "{}",
        screen(&app)
    );
    // Remembered: a new session of the same workspace does not show them.
    let mut again = app_at(&ws);
    assert!(!screen(&again).contains("Set up the AIMS"));
    // The finder brings them back.
    ctrl(&mut again, 'p');
    typed(&mut again, "setup");
    key(&mut again, KeyCode::Enter);
    assert!(
        screen(&again).contains("Set up the AIMS"),
        "{}",
        screen(&again)
    );
    assert!(!ws.join(".aims/setup-dismissed").exists());
}

#[test]
fn the_finder_goes_to_a_register_by_name() {
    let dir = common::copy_sample();
    let mut app = app_at(dir.path());
    ctrl(&mut app, 'p');
    typed(&mut app, "datasets");
    let text = screen(&app);
    assert!(text.contains("Datasets    register"), "{text}");
    key(&mut app, KeyCode::Enter);
    assert!(app.stack.is_empty());
    assert_eq!(app.panes.pane, Pane::Registers);
    let list = app.panes.list(Pane::Registers).unwrap();
    assert_eq!(list.filter, "DS-");
    assert!(!list.rows.is_empty());
    let text = screen(&app);
    assert!(text.contains("DS-"), "{text}");
}

#[test]
fn the_soa_area_bar_counts_what_the_headline_counts() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    aims_workbench::workspace::init::init(&ws, Default::default()).unwrap();
    let path = ws.join("soa/A.7.4.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("status: not-assessed", "status: planned"),
    )
    .unwrap();
    let mut app = app_at(&ws);
    typed(&mut app, "4");
    let text = screen(&app);
    assert!(text.contains("assessed 1/38"), "{text}");
    assert!(text.contains("A.7 1/5"), "{text}");
}

#[test]
fn n_in_a_picker_of_records_creates_one_and_comes_back_with_it_chosen() {
    let dir = common::workspace(&[]);
    let mut app = app_at(dir.path());
    new_live_system(&mut app);
    go_to(&mut app, "datasets");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("n: new dataset"), "{}", screen(&app));
    typed(&mut app, "n");
    let ds = app.stack.form_mut().expect("n opened a form");
    assert_eq!(ds.subject, Subject::Record(RecordType::Dataset));
    let src = "Loan applications 2021-2024 from the origination system.";
    for (k, v) in [
        ("name", "Applications 2021-2024"),
        ("source", src),
        ("collection", "In the normal course of applications."),
        ("legal_basis", "GDPR Art. 6(1)(b)"),
        ("quality_checks", "Completeness checks."),
        ("known_biases", "Older applicants under-represented."),
        ("preparation", "Binning."),
        ("retention", "7 years."),
        ("owner", "ann"),
        ("status", "active"),
    ] {
        ds.values.set(k, Value::str(v));
    }
    ds.values.set("personal_data", Value::Bool(true));
    key(&mut app, KeyCode::Down);
    ctrl(&mut app, 's');
    if let Some(Dialog::Warnings(_)) = app.stack.form().and_then(|f| f.dialog.clone()) {
        typed(&mut app, "y");
    }
    assert!(
        dir.path().join("datasets/DS-001.yaml").exists(),
        "{}",
        screen(&app)
    );
    // Back in the system's form, in the picker, the new dataset ticked.
    let form = app.stack.form().unwrap();
    assert_eq!(form.subject, Subject::Record(RecordType::System));
    key(&mut app, KeyCode::Enter);
    let form = app.stack.form().unwrap();
    assert_eq!(
        form.values.get("datasets"),
        Some(&Value::List(vec![Value::str("DS-001")])),
        "{}",
        screen(&app)
    );
}

//! The workbench's history views on a repository built here with fixed dates and names:
//! `H` opens a record's history, and marking a record reviewed lists what changed since
//! its last review. Git is read by the layers' jobs, run in place here (the event loop runs
//! them on a worker thread).

mod common;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::tui::app::App;
use aims_workbench::tui::history::HistoryView;
use aims_workbench::tui::overlays::{Ask, Prompt};
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::view;
use aims_workbench::workspace::Workspace;
use common::git::{SETTINGS, commit_all, git, write};
use common::{key, typed};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use std::path::Path;

fn risk(owner: &str, residual: (u32, u32), extra: &str) -> String {
    format!(
        "id: RISK-001\ntitle: Model drift\nlikelihood: 4\nimpact: 4\nresidual_likelihood: {}\nresidual_impact: {}\nowner: {owner}\nstatus: treating\n{extra}",
        residual.0, residual.1
    )
}

/// RISK-001 added, rescored and handed over, reviewed, then changed after the review.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "aims.yaml", SETTINGS);
    write(root, ".gitignore", ".aims/\n");
    git(root, "2026-01-01T09:00:00Z", &["init", "-q", "-b", "main"]);
    write(root, "risks/RISK-001.yaml", &risk("ann", (3, 3), ""));
    commit_all(root, "2026-01-10T10:00:00Z", "Add drift risk");
    write(root, "risks/RISK-001.yaml", &risk("bob", (2, 3), ""));
    commit_all(
        root,
        "2026-02-10T10:00:00Z",
        "Hand RISK-001 to Bob, rescore",
    );
    let reviewed = "last_reviewed: 2026-03-01\n";
    write(root, "risks/RISK-001.yaml", &risk("bob", (2, 3), reviewed));
    commit_all(root, "2026-03-01T16:30:00Z", "Quarterly risk review");
    write(root, "risks/RISK-001.yaml", &risk("ann", (2, 2), reviewed));
    commit_all(
        root,
        "2026-04-05T11:00:00Z",
        "Back to Ann; treatment in place",
    );
    dir
}

fn app_at(root: &Path, theme: Theme) -> App {
    App::new(
        Workspace::open(root).unwrap(),
        parse_date("2026-04-10").unwrap(),
        Some("ann".into()),
        false,
        theme,
    )
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

/// What the event loop does with the layers' jobs, done here in place.
fn run_jobs(app: &mut App) -> usize {
    let jobs = app.stack.take_jobs();
    let n = jobs.len();
    for job in jobs {
        app.stack.deliver(job.run());
    }
    n
}

#[test]
fn h_on_a_record_shows_each_commit_and_its_field_changes() {
    let dir = repo();
    let mut app = app_at(dir.path(), Theme::resolve("dark", ColorMode::TrueColor).0);
    app.open_record("RISK-001");
    typed(&mut app, "H");
    // The view opens at once and says it is reading; the frame never runs git.
    assert!(app.stack.top::<HistoryView>().is_some());
    assert!(screen(&app, 80, 24).contains("reading the history from git"));
    assert_eq!(run_jobs(&mut app), 1);
    assert_eq!(run_jobs(&mut app), 0, "a job runs once");
    let view = app.stack.top::<HistoryView>().unwrap();
    let h = view.history.as_ref().expect("history delivered");
    assert_eq!(h.entries.len(), 4);
    let text = screen(&app, 80, 24);
    insta::assert_snapshot!("history_risk_80x24", text);
    assert!(text.contains("owner: bob → ann"), "{text}");
    assert!(text.contains("Hand RISK-001 to Bob, rescore"), "{text}");
    // Scrolling reaches the oldest commit; Esc goes back to the record.
    key(&mut app, KeyCode::End);
    let end = screen(&app, 80, 24);
    assert!(
        end.contains("Add drift risk") && end.contains("created"),
        "{end}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.stack.top::<HistoryView>().is_none());
}

#[test]
fn h_on_a_list_row_opens_the_selected_records_history() {
    let dir = repo();
    let mut app = app_at(dir.path(), Theme::resolve("dark", ColorMode::TrueColor).0);
    // Problems lists RISK-001's missing fields: its first row is that record.
    typed(&mut app, "0");
    let Some(target) = app.selection() else {
        panic!("a problem row is selected");
    };
    assert_eq!(target.record, "RISK-001");
    typed(&mut app, "H");
    let view = app.stack.top::<HistoryView>().expect("history open");
    assert_eq!(view.id, target.record);
}

#[test]
fn outside_git_the_history_says_what_it_lacks() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "aims.yaml", SETTINGS);
    write(dir.path(), "risks/RISK-001.yaml", &risk("ann", (3, 3), ""));
    let mut app = app_at(dir.path(), Theme::monochrome());
    app.open_record("RISK-001");
    typed(&mut app, "H");
    run_jobs(&mut app);
    let h = app
        .stack
        .top::<HistoryView>()
        .unwrap()
        .history
        .clone()
        .unwrap();
    assert!(h.entries.is_empty());
    assert!(!h.notes.is_empty());
    let text = screen(&app, 80, 24);
    assert!(text.contains(&format!("! {}", h.notes[0])[..40]), "{text}");
}

#[test]
fn marking_reviewed_lists_what_changed_since_the_last_review() {
    let dir = repo();
    let mut app = app_at(dir.path(), Theme::resolve("dark", ColorMode::TrueColor).0);
    app.open_record("RISK-001");
    typed(&mut app, "r");
    assert!(
        app.stack
            .top::<Prompt>()
            .is_some_and(|p| p.ask == Ask::ReviewNote)
    );
    // The prompt takes a note before the changes arrive.
    typed(&mut app, "ok");
    assert!(screen(&app, 80, 24).contains("reading what changed since the last review"));
    assert_eq!(run_jobs(&mut app), 1);
    let text = screen(&app, 80, 24);
    insta::assert_snapshot!("review_prompt_since_80x24", text);
    assert!(
        text.contains("changed since the review of 2026-03-01: 2 fields"),
        "{text}"
    );
    assert!(text.contains("owner: bob → ann"), "{text}");
    assert!(text.contains("residual_impact: 3 → 2"), "{text}");
    key(&mut app, KeyCode::Enter);
    let saved = std::fs::read_to_string(dir.path().join("risks/RISK-001.yaml")).unwrap();
    assert!(saved.contains("last_reviewed: 2026-04-10"), "{saved}");
}

/// The Trends pane with its series read (the job run in place).
fn trends_pane(root: &Path, theme: Theme) -> App {
    let mut app = app_at(root, theme);
    app.panes.pane = aims_workbench::tui::pane::Pane::Trends;
    assert!(screen(&app, 80, 24).contains("reading the history from git"));
    let job = app
        .panes
        .trends
        .wanted(true, root, None)
        .expect("asked once");
    assert!(app.panes.trends.wanted(true, root, None).is_none());
    assert!(app.panes.trends.on_done(job.run()).is_none());
    app
}

#[test]
fn trends_pane_at_80x24_160x48_and_in_monochrome() {
    let dir = repo();
    // An NC raised in March and closed in April, so the monthly rows have something.
    write(
        dir.path(),
        "nonconformities/NC-001.yaml",
        "id: NC-001\ntitle: Drift check skipped\nsource: internal-audit\nseverity: minor\nraised_on: 2026-03-02\nraised_by: ann\nowner: bob\ndescription: The monthly drift check was skipped.\nstatus: open\n",
    );
    commit_all(dir.path(), "2026-04-08T09:00:00Z", "Raise NC-001");
    let app = trends_pane(dir.path(), Theme::resolve("dark", ColorMode::TrueColor).0);
    let small = screen(&app, 80, 24);
    insta::assert_snapshot!("trends_80x24", small);
    assert!(
        small.contains("2026-01-10 → 2026-04-08, 5 points"),
        "{small}"
    );
    assert!(small.contains("open NCs"), "{small}");
    insta::assert_snapshot!("trends_160x48", screen(&app, 160, 48));
    let mono = trends_pane(dir.path(), Theme::monochrome());
    insta::assert_snapshot!("trends_80x24_monochrome", screen(&mono, 80, 24));
    insta::assert_snapshot!("trends_160x48_monochrome", screen(&mono, 160, 48));
}

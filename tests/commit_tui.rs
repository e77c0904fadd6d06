//! Committing from the workbench on repositories built here (fixed names and dates): the
//! status bar's uncommitted count, the commit dialog's generated message for known changes
//! (a rescore and acceptance, an owner change, a new record, a deleted record), the commit
//! it makes (author, files, message, read back with `git log`), refusal during a merge and
//! with nothing to commit, and Home's sparklines. The workbench's background jobs are run
//! in place here, as the event loop runs them on workers.

mod common;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::tui::app::App;
use aims_workbench::tui::commit::CommitDialog;
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::{background_jobs, deliver, view};
use aims_workbench::workspace::Workspace;
use aims_workbench::workspace::commit::{CommitRequest, commit, working_state};
use common::git::{SETTINGS, commit_all, git, write};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

const DATE: &str = "2026-11-20T10:00:00Z";

fn risk(id: &str, residual: (u32, u32), status: &str, extra: &str) -> String {
    format!(
        "id: {id}\ntitle: Risk {id}\nlikelihood: 4\nimpact: 4\nresidual_likelihood: {}\nresidual_impact: {}\nowner: ann\nstatus: {status}\n{extra}",
        residual.0, residual.1
    )
}

fn system(owner: &str) -> String {
    format!("id: SYS-003\nname: Scorer\npurpose: Scores applications.\nowner: {owner}\n")
}

/// Ann has an e-mail in aims.yaml: commits from the workbench are hers.
fn settings() -> String {
    SETTINGS.replace(
        "{id: ann, name: Ann, role: lead}",
        "{id: ann, name: Ann Lee, role: lead, email: ann.lee@example.org}",
    )
}

/// A committed workspace (three risks, a system, a notes file outside the records).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "aims.yaml", &settings());
    write(root, ".gitignore", ".aims/\n");
    write(root, "notes.txt", "meeting notes\n");
    git(root, "2026-01-01T09:00:00Z", &["init", "-q", "-b", "main"]);
    write(
        root,
        "risks/RISK-004.yaml",
        &risk("RISK-004", (4, 3), "treating", ""),
    );
    write(
        root,
        "risks/RISK-009.yaml",
        &risk("RISK-009", (2, 2), "treating", ""),
    );
    write(root, "systems/SYS-003.yaml", &system("ann"));
    commit_all(root, "2026-01-10T10:00:00Z", "Start the register");
    write(
        root,
        "risks/RISK-004.yaml",
        &risk("RISK-004", (4, 4), "treating", ""),
    );
    commit_all(root, "2026-03-10T10:00:00Z", "RISK-004 worse");
    write(
        root,
        "risks/RISK-004.yaml",
        &risk("RISK-004", (4, 3), "treating", ""),
    );
    commit_all(root, DATE, "RISK-004 treated");
    dir
}

/// The review's edits, not committed: RISK-004 rescored 12→8, accepted and reviewed;
/// SYS-003 handed to Bob; RISK-010 new; RISK-009 deleted; and an unrelated file staged.
fn edit(root: &Path) {
    let reviewed = "last_reviewed: 2026-11-22\n";
    write(
        root,
        "risks/RISK-004.yaml",
        &risk("RISK-004", (2, 4), "accepted", reviewed),
    );
    write(root, "systems/SYS-003.yaml", &system("bob"));
    write(
        root,
        "risks/RISK-010.yaml",
        &risk("RISK-010", (1, 2), "open", ""),
    );
    std::fs::remove_file(root.join("risks/RISK-009.yaml")).unwrap();
    write(root, "notes.txt", "meeting notes, edited\n");
    git(root, DATE, &["add", "notes.txt"]);
}

fn app_at(root: &Path) -> App {
    App::new(
        Workspace::open(root).unwrap(),
        parse_date("2026-11-22").unwrap(),
        Some("ann".into()),
        false,
        Theme::resolve("dark", ColorMode::TrueColor).0,
    )
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

/// Runs the background jobs in place until none is left, as the event loop would.
fn settle(app: &mut App) -> usize {
    let mut ran = 0;
    loop {
        let jobs = background_jobs(app);
        if jobs.is_empty() {
            return ran;
        }
        for job in jobs {
            ran += 1;
            deliver(app, job.run());
        }
    }
}

fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn dialog(app: &App) -> &CommitDialog {
    app.stack
        .top::<CommitDialog>()
        .expect("the commit dialog is open")
}

/// Too long for one line: the subject names the records, the body says what changed.
const MESSAGE: &str = "Review of 2026-11-22: RISK-004, RISK-009, RISK-010 and SYS-003

- RISK-004 rescored 12→8 and accepted
- RISK-009 deleted
- RISK-010 added
- SYS-003 owner → bob";

#[test]
fn the_dialog_writes_the_message_and_commits_only_the_records_as_the_person() {
    let dir = repo();
    let root = dir.path();
    edit(root);
    let mut app = app_at(root);
    settle(&mut app);
    assert_eq!(
        app.panes.repo.summary().as_deref(),
        Some("4 uncommitted"),
        "RISK-004, RISK-009, RISK-010 and SYS-003; notes.txt is not a record"
    );
    assert!(screen(&app, 80, 24).contains("4 uncommitted · ann · 2026-11-22"));

    ctrl(&mut app, 'g');
    assert!(screen(&app, 80, 24).contains("reading the changes from git"));
    settle(&mut app);
    let p = dialog(&app).pending.clone().expect("changes read");
    assert_eq!(p.refusal, None);
    assert_eq!(p.message, MESSAGE);
    assert_eq!(
        dialog(&app).message.text(),
        format!("{MESSAGE}\n\n"),
        "the editor holds it, the cursor on a paragraph of its own"
    );
    assert_eq!(
        p.author,
        Some(("Ann Lee".to_string(), "ann.lee@example.org".to_string()))
    );
    let text = screen(&app, 80, 24);
    insta::assert_snapshot!("commit_dialog_80x24", text);
    assert!(text.contains("residual_impact: 3 → 4"), "{text}");
    assert!(text.contains("owner: ann → bob"), "{text}");
    assert!(text.contains("RISK-010  new"), "{text}");

    // The message is the user's to edit: a line added to it is committed.
    common::typed(&mut app, "Agreed at the risk committee.");
    ctrl(&mut app, 's');
    assert!(
        app.stack.top::<CommitDialog>().is_none(),
        "closed on commit"
    );
    settle(&mut app);
    let status = app.status.clone().expect("the commit says how it went");
    assert!(
        !status.1 && status.0.starts_with("committed "),
        "{status:?}"
    );

    let log = git(root, DATE, &["log", "-1", "--format=%an <%ae>|%cn|%B"]);
    assert_eq!(
        log.trim_end(),
        format!("Ann Lee <ann.lee@example.org>|Ann Lee|{MESSAGE}\n\nAgreed at the risk committee.")
    );
    let files = git(root, DATE, &["show", "--name-status", "--format=", "HEAD"]);
    assert_eq!(
        files,
        "M\trisks/RISK-004.yaml\nD\trisks/RISK-009.yaml\nA\trisks/RISK-010.yaml\nM\tsystems/SYS-003.yaml\n"
    );
    assert_eq!(git(root, DATE, &["log", "--format=%s"]).lines().count(), 4);
    // What the user staged themselves stays staged, not committed.
    assert_eq!(
        git(root, DATE, &["diff", "--cached", "--name-only"]),
        "notes.txt\n"
    );
    // The count is read again after the commit: nothing left.
    assert_eq!(app.panes.repo.summary(), None);
    assert!(!screen(&app, 80, 24).contains("uncommitted"));
}

#[test]
fn a_save_in_the_workbench_is_counted() {
    let dir = repo();
    let mut app = app_at(dir.path());
    settle(&mut app);
    assert_eq!(app.panes.repo.summary(), None, "clean: nothing said");
    let mut fields = app.ws.get("SYS-003").unwrap().fields.clone();
    fields.set("owner", aims_workbench::domain::Value::str("bob"));
    app.run(vec![aims_workbench::tui::component::Effect::SaveFields {
        id: "SYS-003".into(),
        fields,
        done: "saved".into(),
    }]);
    assert_eq!(settle(&mut app), 1, "one read of the working tree");
    assert_eq!(app.panes.repo.summary().as_deref(), Some("1 uncommitted"));
}

#[test]
fn nothing_to_commit_and_outside_git_are_refused() {
    let dir = repo();
    let mut app = app_at(dir.path());
    settle(&mut app);
    ctrl(&mut app, 'g');
    settle(&mut app);
    let refusal = dialog(&app).pending.as_ref().unwrap().refusal.clone();
    assert_eq!(
        refusal.as_deref(),
        Some("nothing to commit: no record has changed since the last commit")
    );
    ctrl(&mut app, 's');
    assert!(app.stack.top::<CommitDialog>().is_some(), "stays open");
    assert_eq!(app.status.as_ref().map(|s| s.1), Some(true));

    // Read-only: the dialog does not open.
    let mut read_only = app_at(dir.path());
    read_only.read_only = true;
    ctrl(&mut read_only, 'g');
    assert!(read_only.stack.top::<CommitDialog>().is_none());
    assert!(read_only.status.clone().unwrap().0.starts_with("read-only"));

    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "aims.yaml", &settings());
    write(plain.path(), "systems/SYS-003.yaml", &system("ann"));
    let mut app = app_at(plain.path());
    settle(&mut app);
    assert_eq!(app.panes.repo.summary(), None);
    assert!(!screen(&app, 80, 24).contains("uncommitted"));
    ctrl(&mut app, 'g');
    settle(&mut app);
    let refusal = dialog(&app).pending.as_ref().unwrap().refusal.clone();
    assert!(
        refusal
            .as_deref()
            .unwrap()
            .contains("not in a git repository"),
        "{refusal:?}"
    );
}

#[test]
fn during_a_merge_nothing_is_committed() {
    let dir = repo();
    let root = dir.path();
    git(root, DATE, &["checkout", "-q", "-b", "side"]);
    write(root, "systems/SYS-003.yaml", &system("bob"));
    commit_all(root, DATE, "Bob owns the scorer");
    git(root, DATE, &["checkout", "-q", "main"]);
    write(
        root,
        "risks/RISK-009.yaml",
        &risk("RISK-009", (1, 1), "treating", ""),
    );
    commit_all(root, DATE, "RISK-009 treated");
    // Merged but not concluded: MERGE_HEAD is there.
    git(
        root,
        DATE,
        &["merge", "-q", "--no-commit", "--no-ff", "side"],
    );
    write(
        root,
        "risks/RISK-004.yaml",
        &risk("RISK-004", (1, 1), "treating", ""),
    );
    let head = git(root, DATE, &["rev-parse", "HEAD"]);

    let state = working_state(root).unwrap();
    assert!(
        state
            .blocked
            .as_deref()
            .unwrap()
            .contains("a merge is in progress")
    );
    let mut app = app_at(root);
    settle(&mut app);
    assert!(
        app.panes
            .repo
            .summary()
            .unwrap()
            .contains("2 uncommitted, merge in progress"),
        "RISK-004 edited, SYS-003 merged: {:?}",
        app.panes.repo.summary()
    );
    ctrl(&mut app, 'g');
    settle(&mut app);
    let refusal = dialog(&app).pending.as_ref().unwrap().refusal.clone();
    assert!(
        refusal
            .as_deref()
            .unwrap()
            .starts_with("a merge is in progress"),
        "{refusal:?}"
    );
    ctrl(&mut app, 's');
    let status = app.status.clone().unwrap();
    assert!(
        status.1 && status.0.contains("a merge is in progress"),
        "{status:?}"
    );
    // The core refuses too, whatever it is asked.
    let asked = CommitRequest {
        message: "sneak it in".into(),
        paths: vec![("risks/RISK-004.yaml".into(), None)],
        author: None,
    };
    let refused = commit(root, &asked).unwrap_err();
    assert!(
        refused.starts_with("not committed: a merge is in progress"),
        "{refused}"
    );
    assert_eq!(
        git(root, DATE, &["rev-parse", "HEAD"]),
        head,
        "no commit made"
    );
}

#[test]
fn a_file_edited_after_the_dialog_read_it_is_not_committed_unseen() {
    let dir = repo();
    let root = dir.path();
    edit(root);
    let mut app = app_at(root);
    ctrl(&mut app, 'g');
    settle(&mut app);
    write(root, "systems/SYS-003.yaml", &system("someone-else"));
    ctrl(&mut app, 's');
    settle(&mut app);
    let status = app.status.clone().unwrap();
    assert!(
        status.1
            && status
                .0
                .contains("systems/SYS-003.yaml changed since the commit dialog read it"),
        "{status:?}"
    );
    assert_eq!(git(root, DATE, &["log", "--format=%s"]).lines().count(), 3);
}

#[test]
fn home_shows_sparklines_once_the_trends_are_read_and_they_follow_a_commit() {
    let dir = repo();
    let root = dir.path();
    let mut app = app_at(root);
    assert!(!screen(&app, 80, 24).contains("Trend since"), "not before");
    settle(&mut app);
    let text = screen(&app, 80, 24);
    insta::assert_snapshot!("home_sparklines_80x24", text);
    assert!(text.contains("Trend since 2026-01-10"), "{text}");
    let points = app.panes.trends.ready().unwrap().points.len();
    assert_eq!(points, 3);
    // A commit moves HEAD: the trends are read again and end at it.
    edit(root);
    app.reload_from_disk();
    ctrl(&mut app, 'g');
    settle(&mut app);
    ctrl(&mut app, 's');
    settle(&mut app);
    let head = git(root, DATE, &["rev-parse", "HEAD"]);
    let t = app.panes.trends.ready().unwrap();
    assert_eq!(t.points.last().unwrap().commit, head.trim());

    // Outside git: no sparkline, and no note on Home.
    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "aims.yaml", &settings());
    let mut app = app_at(plain.path());
    settle(&mut app);
    assert!(app.panes.trends.ready().is_some());
    assert!(!screen(&app, 80, 24).contains("Trend since"));
}

#[test]
fn a_workspace_in_a_subfolder_of_the_repository_commits_its_own_paths() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let ws = repo.join("aims");
    write(repo, "README.md", "the team's repository\n");
    write(repo, ".gitignore", ".aims/\n");
    write(&ws, "aims.yaml", &settings());
    write(&ws, "systems/SYS-003.yaml", &system("ann"));
    git(repo, DATE, &["init", "-q", "-b", "main"]);
    commit_all(repo, DATE, "Start");
    write(&ws, "systems/SYS-003.yaml", &system("bob"));
    write(
        &ws,
        "risks/RISK-010.yaml",
        &risk("RISK-010", (1, 2), "open", ""),
    );
    write(repo, "README.md", "edited, not a record\n");
    let state = working_state(&ws).unwrap();
    assert_eq!((state.records, state.settings), (2, false));
    let settings = Workspace::open(&ws).unwrap().settings;
    let today = parse_date("2026-11-22").unwrap();
    let p = aims_workbench::workspace::commit::pending(&ws, &settings, Some("ann"), today);
    assert_eq!(
        p.message,
        "Changes of 2026-11-22: RISK-010 added; SYS-003 owner → bob"
    );
    let done = commit(
        &ws,
        &CommitRequest {
            message: p.message.clone(),
            paths: p.paths.clone(),
            author: p.author.clone(),
        },
    )
    .unwrap();
    assert!(done.ends_with("Changes of 2026-11-22: RISK-010 added; SYS-003 owner → bob"));
    assert_eq!(
        git(repo, DATE, &["show", "--name-only", "--format=", "HEAD"]),
        "aims/risks/RISK-010.yaml\naims/systems/SYS-003.yaml\n"
    );
    assert_eq!(
        git(repo, DATE, &["status", "--porcelain"]),
        " M README.md\n"
    );
}

#[test]
fn a_refusing_hook_is_reported_in_gits_words_and_nothing_is_committed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo();
    let root = dir.path();
    edit(root);
    let hook = root.join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'records need a ticket number' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut app = app_at(root);
    ctrl(&mut app, 'g');
    settle(&mut app);
    ctrl(&mut app, 's');
    settle(&mut app);
    let (text, error) = app.status.clone().unwrap();
    assert!(error, "{text}");
    assert_eq!(
        text,
        "not committed: git commit failed: records need a ticket number"
    );
    assert_eq!(git(root, DATE, &["log", "--format=%s"]).lines().count(), 3);
    assert_eq!(app.panes.repo.summary().as_deref(), Some("4 uncommitted"));
    // The new record staged for the commit is unstaged again; the user's own staging kept.
    assert_eq!(
        git(root, DATE, &["diff", "--cached", "--name-only"]),
        "notes.txt\n"
    );
}

//! The watcher and the incremental update: aims's own reads never wake it, a burst is one
//! update, and an outside edit re-validates only the records it touches, with the same
//! result as loading the workspace again.
//!
//! No sleep decides a result: each wait has a deadline, and "nothing arrives" is asserted
//! over a bounded window several times longer than the watcher's quiet period.

mod common;
use aims_workbench::tui::app::App;
use aims_workbench::tui::overlays::{Ask, Finder, Prompt};
use aims_workbench::tui::pane::Pane;
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::watch::{self, MAX_WAIT, QUIET, Update};
use aims_workbench::workspace::Workspace;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn app(root: &Path) -> App {
    let ws = Workspace::open(root).unwrap();
    let theme = Theme::resolve("dark", ColorMode::TrueColor).0;
    App::new(ws, common::today(), Some("amoreau".into()), false, theme)
}

/// The same workspace loaded from scratch: what an incremental update must equal.
fn fresh(root: &Path) -> App {
    app(root)
}

/// Long enough for any event of an earlier action to have come through.
fn window() -> Duration {
    QUIET * 5 + MAX_WAIT
}

fn start(root: &Path) -> (watch::Watcher, mpsc::Receiver<Update>) {
    let (tx, rx) = mpsc::channel();
    let w = watch::watch(root, move |u| tx.send(u).is_ok()).unwrap();
    (w, rx)
}

fn names(update: &Update) -> BTreeSet<String> {
    update
        .paths
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(str::to_string))
        .collect()
}

fn assert_same_as_fresh(app: &App) {
    let full = fresh(&app.ws.root);
    assert_eq!(app.index.findings, full.index.findings, "findings");
    let ids = |a: &App| -> BTreeSet<String> { a.ws.records.iter().map(|r| r.id.clone()).collect() };
    assert_eq!(ids(app), ids(&full), "records");
    for r in &full.ws.records {
        let mut mine: Vec<_> = app.ws.referrers(&r.id).map(|x| x.id.clone()).collect();
        let mut theirs: Vec<_> = full.ws.referrers(&r.id).map(|x| x.id.clone()).collect();
        mine.sort();
        theirs.sort();
        assert_eq!(mine, theirs, "referrers of {}", r.id);
        assert_eq!(
            app.ws.get(&r.id).map(|x| &x.fields),
            Some(&r.fields),
            "{}",
            r.id
        );
    }
    // The due list, in order, with what each item shows.
    let due = |a: &App| -> Vec<String> {
        a.index
            .due
            .iter()
            .map(|d| {
                format!(
                    "{} {} {:?} {} {:?} {:?} {:?}",
                    d.record, d.due, d.kind, d.title, d.owner, d.state, d.index
                )
            })
            .collect()
    };
    assert_eq!(due(app), due(&full), "due list");
    // The aggregates the views read, patched by the change: as a fresh load counts them.
    let above = |a: &App| -> Vec<String> { a.index.above_appetite().map(String::from).collect() };
    assert_eq!(above(app), above(&full), "risks above appetite");
    assert_eq!(
        app.index.problem_counts(),
        full.index.problem_counts(),
        "problems"
    );
    for r in &full.ws.records {
        assert_eq!(
            app.index
                .cell(&app.ws, app.ws.get(&r.id).unwrap(), "next due"),
            full.index.cell(&full.ws, r, "next due"),
            "next due of {}",
            r.id
        );
    }
    assert_eq!(app.index.haystacks.len(), app.ws.records.len());
    for (i, r) in app.ws.records.iter().enumerate() {
        assert!(app.index.haystacks[i].starts_with(&r.id), "haystack {i}");
    }
    // Every pane lists the same records in the same order as after a fresh load.
    for pane in Pane::ALL {
        let rows = |a: &App| -> Vec<String> {
            a.panes
                .list(pane)
                .map(|l| l.rows.iter().map(|&i| a.ws.records[i].id.clone()).collect())
                .unwrap_or_default()
        };
        assert_eq!(rows(app), rows(&full), "rows of {pane:?}");
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) -> PathBuf {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn own_reads_wake_nothing_and_one_outside_write_is_one_update_naming_it() {
    let dir = common::copy_sample();
    let (_w, rx) = start(dir.path());
    // Loading reads every file (open, read, close): no update may follow.
    let mut app = app(dir.path());
    let _ = Workspace::open(dir.path()).unwrap();
    assert!(app.reload_from_disk());
    let refreshes = app.index.refreshes;
    assert_eq!(
        rx.recv_timeout(window()),
        Err(mpsc::RecvTimeoutError::Timeout),
        "reading the workspace woke the watcher"
    );
    // Another process writes one record.
    edit(
        dir.path(),
        "risks/RISK-001.yaml",
        "title:",
        "title: Changed,",
    );
    let update = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(!update.rescan);
    assert_eq!(
        names(&update),
        BTreeSet::from(["RISK-001.yaml".to_string()])
    );
    assert!(app.apply_outside_changes(&update.paths.iter().collect::<Vec<_>>(), false));
    assert_eq!(app.index.refreshes, refreshes + 1);
    // Applying it read the file again: that must not come back as another update.
    assert_eq!(
        rx.recv_timeout(window()),
        Err(mpsc::RecvTimeoutError::Timeout),
        "applying an update woke the watcher"
    );
    assert_same_as_fresh(&app);
}

#[test]
fn hidden_temp_and_state_files_are_ignored() {
    let dir = common::copy_sample();
    let (_w, rx) = start(dir.path());
    std::fs::create_dir_all(dir.path().join(".aims")).unwrap();
    std::fs::write(dir.path().join(".aims/lock"), "x").unwrap();
    std::fs::write(dir.path().join("risks/.aims-tmp-123"), "x").unwrap();
    std::fs::remove_file(dir.path().join("risks/.aims-tmp-123")).unwrap();
    assert_eq!(
        rx.recv_timeout(window()),
        Err(mpsc::RecvTimeoutError::Timeout)
    );
}

#[test]
fn unchanged_bytes_cost_no_refresh() {
    let dir = common::copy_sample();
    let mut app = app(dir.path());
    let refreshes = app.index.refreshes;
    let all: Vec<PathBuf> = app.ws.records.iter().map(|r| app.ws.path_of(r)).collect();
    // An editor that saves without changing anything, or aims's own save coming back.
    let text = std::fs::read(&all[0]).unwrap();
    std::fs::write(&all[0], text).unwrap();
    assert!(!app.apply_outside_changes(&all, false));
    assert_eq!(app.index.refreshes, refreshes);
}

#[test]
fn a_burst_of_500_files_is_one_update() {
    let dir = common::copy_sample();
    let (_w, rx) = start(dir.path());
    let mut app = app(dir.path());
    let refreshes = app.index.refreshes;
    // The files are written beside the workspace first and then renamed into place, as
    // git's checkout does: the burst the watcher sees is the renames, which take
    // milliseconds even on a loaded machine, so the test does not depend on how fast 500
    // files can be written.
    let staging = tempfile::tempdir_in(dir.path().parent().unwrap()).unwrap();
    let mut written = BTreeSet::new();
    for i in 0..500 {
        let name = format!("RISK-9{i:03}.yaml");
        std::fs::write(
            staging.path().join(&name),
            format!(
                "id: RISK-9{i:03}\ntitle: Burst {i}\ndescription: d\nsystems: [SYS-001]\ncategory: privacy\n\
                 likelihood: 2\nimpact: 2\ntreatment: accept\naccepted_by: amoreau\naccepted_on: 2026-11-01\n\
                 acceptance_rationale: low\nowner: amoreau\nstatus: open\n"
            ),
        )
        .unwrap();
        written.insert(name);
    }
    // The longest pause between two renames: a burst is one update when no pause reaches
    // the watcher's quiet time and the whole burst fits its longest wait.
    let started = Instant::now();
    let mut last = started;
    let mut longest_pause = Duration::ZERO;
    for name in &written {
        std::fs::rename(
            staging.path().join(name),
            dir.path().join("risks").join(name),
        )
        .unwrap();
        longest_pause = longest_pause.max(last.elapsed());
        last = Instant::now();
    }
    let burst = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut updates = Vec::new();
    let mut seen = BTreeSet::new();
    while !written.is_subset(&seen) && Instant::now() < deadline {
        if let Ok(u) = rx.recv_timeout(Duration::from_millis(200)) {
            seen.extend(names(&u));
            updates.push(u);
        }
    }
    assert!(written.is_subset(&seen), "not every file was reported");
    if longest_pause < watch::QUIET / 2 && burst < watch::MAX_WAIT / 2 {
        assert_eq!(
            updates.len(),
            1,
            "the burst ({burst:?}, longest pause {longest_pause:?}) came as {} updates",
            updates.len()
        );
    } else {
        // The machine stalled the renames themselves past the watcher's windows: more than
        // one update is then correct; each must still be whole.
        eprintln!(
            "renames stalled ({burst:?}, pause {longest_pause:?}): {} updates",
            updates.len()
        );
    }
    let paths: Vec<&PathBuf> = updates.iter().flat_map(|u| u.paths.iter()).collect();
    assert!(app.apply_outside_changes(&paths, false));
    assert_eq!(app.index.refreshes, refreshes + 1);
    assert!(app.ws.get("RISK-9499").is_some());
    assert_same_as_fresh(&app);
}

#[test]
fn an_outside_edit_revalidates_the_record_and_its_readers_only() {
    let dir = common::copy_sample();
    let mut app = app(dir.path());
    let total = app.ws.records.len();
    assert_eq!(app.index.validated, total);
    let expected = app.ws.touched_by("SYS-001");
    assert!(expected.len() > 1 && expected.len() < total / 2);
    let path = edit(
        dir.path(),
        "systems/SYS-001.yaml",
        "name: NLS-3",
        "name: NLS-4",
    );
    assert!(app.apply_outside_changes(&[path], false));
    assert_eq!(
        app.index.validated,
        expected.len(),
        "validated other records than SYS-001 and those that read it"
    );
    assert!(app.ws.get("SYS-001").unwrap().title().contains("NLS-4"));
    assert_same_as_fresh(&app);
}

#[test]
fn create_delete_rename_and_a_bad_file_match_a_fresh_load() {
    let dir = common::copy_sample();
    let root = dir.path();
    let mut app = app(root);
    app.panes.pane = Pane::Risks;
    // Select a risk in the middle, to see that the selection follows its id.
    let rows = app.panes.list(Pane::Risks).unwrap().rows.clone();
    let chosen = app.ws.records[rows[rows.len() / 2]].id.clone();
    let list = app.panes.lists.get_mut(&Pane::Risks).unwrap();
    list.cursor = rows.len() / 2;
    list.selected = Some(chosen.clone());
    let selected = |app: &App| {
        app.panes
            .list(Pane::Risks)
            .and_then(|l| l.selected(&app.ws))
            .map(|r| r.id.clone())
    };

    // Delete the first record of the workspace: the last one takes its index.
    let first = app.ws.path_of(&app.ws.records[0]);
    std::fs::remove_file(&first).unwrap();
    assert!(app.apply_outside_changes(&[&first], false));
    assert_same_as_fresh(&app);
    assert_eq!(selected(&app), Some(chosen.clone()));

    // A new record that refers to a system.
    let new = root.join("risks/RISK-777.yaml");
    let text = std::fs::read_to_string(root.join("risks/RISK-001.yaml"))
        .unwrap()
        .replacen("id: RISK-001", "id: RISK-777", 1);
    std::fs::write(&new, text).unwrap();
    assert!(app.apply_outside_changes(&[&new], false));
    assert_same_as_fresh(&app);
    assert_eq!(selected(&app), Some(chosen.clone()));

    // A rename: two paths, one event burst.
    let renamed = root.join("risks/RISK-778.yaml");
    let text = std::fs::read_to_string(&new)
        .unwrap()
        .replacen("id: RISK-777", "id: RISK-778", 1);
    std::fs::write(&new, text).unwrap();
    std::fs::rename(&new, &renamed).unwrap();
    assert!(app.apply_outside_changes(&[&new, &renamed], false));
    assert!(app.ws.get("RISK-777").is_none());
    assert_same_as_fresh(&app);

    // A file that stops parsing keeps its last good version, stale and never written.
    let bad = root.join("risks/RISK-002.yaml");
    let good = std::fs::read_to_string(&bad).unwrap();
    std::fs::write(&bad, "id: [unclosed\n").unwrap();
    assert!(app.apply_outside_changes(&[&bad], false));
    assert!(app.index.stale.contains("RISK-002"));
    assert!(app.ws.get("RISK-002").is_some());
    assert!(app.ws.unreadable.contains(Path::new("risks/RISK-002.yaml")));
    assert!(
        app.index
            .findings
            .iter()
            .any(|f| f.file == Path::new("risks/RISK-002.yaml"))
    );
    // The same bad bytes again: nothing to do.
    assert!(!app.apply_outside_changes(&[&bad], false));
    // Fixed: fresh again, and the same as a full load.
    std::fs::write(&bad, good).unwrap();
    assert!(app.apply_outside_changes(&[&bad], false));
    assert!(!app.index.stale.contains("RISK-002"));
    assert_same_as_fresh(&app);
    assert_eq!(selected(&app), Some(chosen));
}

#[test]
fn settings_and_duplicate_ids_fall_back_to_a_full_reload() {
    let dir = common::copy_sample();
    let root = dir.path();
    let mut app = app(root);
    edit(root, "aims.yaml", "organization:", "organization: X");
    // The event loop hands this to a worker: a full reload, off the UI thread.
    assert_eq!(app.try_apply_outside(&[root.join("aims.yaml")]), None);
    assert!(app.apply_outside_changes(&[root.join("aims.yaml")], false));
    assert_same_as_fresh(&app);
    // The same id in a second file: the loader's duplicate rule applies.
    let dup = root.join("risks/RISK-001.yml");
    std::fs::copy(root.join("risks/RISK-001.yaml"), &dup).unwrap();
    assert!(app.apply_outside_changes(&[&dup], false));
    assert_same_as_fresh(&app);
    std::fs::remove_file(&dup).unwrap();
    assert!(app.apply_outside_changes(&[&dup], false));
    assert_same_as_fresh(&app);
}

#[test]
fn an_open_finder_follows_the_new_records() {
    let dir = common::copy_sample();
    let mut app = app(dir.path());
    app.on_key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char('p'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
    app.on_paste("RISK-001");
    let first = app.ws.path_of(&app.ws.records[0]);
    std::fs::remove_file(&first).unwrap();
    assert!(app.apply_outside_changes(&[&first], false));
    let Some(finder) = app.stack.top::<Finder>() else {
        panic!("finder closed")
    };
    assert!(finder.results.iter().any(|id| id == "RISK-001"));
}

#[test]
fn a_save_from_the_workbench_revalidates_only_what_it_touches() {
    let dir = common::copy_sample();
    let mut app = app(dir.path());
    app.panes.pane = Pane::Calendar;
    let item = app.panes.agenda(&app.index, app.user.as_deref())[0]
        .record
        .clone();
    let expected = app.ws.touched_by(&item);
    common::typed(&mut app, "r");
    assert!(
        app.stack
            .top::<Prompt>()
            .is_some_and(|p| p.ask == Ask::ReviewNote)
    );
    common::typed(&mut app, "walked through");
    common::key(&mut app, ratatui::crossterm::event::KeyCode::Enter);
    assert_eq!(
        app.status.as_ref().map(|s| s.0.clone()),
        Some(format!("{item} saved"))
    );
    assert_eq!(app.index.validated, expected.len());
    assert_same_as_fresh(&app);
    // The saved file coming back through the watcher is our own bytes: no refresh.
    let refreshes = app.index.refreshes;
    let path = app.ws.path_of(app.ws.get(&item).unwrap());
    assert!(!app.apply_outside_changes(&[path], false));
    assert_eq!(app.index.refreshes, refreshes);
}

#[test]
fn the_loading_screen_shows_the_pane_bar_and_the_records_read() {
    let theme = Theme::resolve("dark", ColorMode::TrueColor).0;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| {
            aims_workbench::tui::view::draw_loading(f, &theme, Path::new("ws"), 250, Some(1000))
        })
        .unwrap();
    let text: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        text.contains("1 Home") && text.contains("2 Inventory"),
        "{text}"
    );
    assert!(text.contains("250 of 1000 records read"), "{text}");
    assert!(text.contains("q quit"), "{text}");
}

#[test]
fn a_record_folder_created_later_is_watched() {
    let dir = common::copy_sample();
    std::fs::remove_dir_all(dir.path().join("objectives")).ok();
    let (_w, rx) = start(dir.path());
    let mut app = app(dir.path());
    std::fs::create_dir(dir.path().join("objectives")).unwrap();
    // The folder's own update: by the time it arrives, the folder is watched.
    let first = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(names(&first), BTreeSet::from(["objectives".to_string()]));
    app.apply_outside_changes(&first.paths.iter().collect::<Vec<_>>(), false);
    std::fs::write(
        dir.path().join("objectives/OBJ-900.yaml"),
        "id: OBJ-900\ntitle: New\n",
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = BTreeSet::new();
    while !seen.contains("OBJ-900.yaml") && Instant::now() < deadline {
        if let Ok(u) = rx.recv_timeout(Duration::from_millis(200)) {
            seen.extend(names(&u));
            app.apply_outside_changes(&u.paths.iter().collect::<Vec<_>>(), false);
        }
    }
    assert!(seen.contains("OBJ-900.yaml"), "{seen:?}");
    assert!(app.ws.get("OBJ-900").is_some());
    assert_same_as_fresh(&app);
}

#[test]
fn cross_record_obligations_follow_an_assessment_an_audit_and_a_system_owner() {
    let dir = common::copy_sample();
    let root = dir.path();
    let mut app = app(root);
    for (rel, from, to) in [
        (
            "impact-assessments/IA-001.yaml",
            "approved_on: 2026-02-10",
            "approved_on: 2025-01-10",
        ),
        (
            "audits/AUD-2025-01.yaml",
            "completed_on: 2025-10-24",
            "completed_on: 2024-10-24",
        ),
        (
            "audits/AUD-2026-01.yaml",
            "status: in-progress",
            "status: completed",
        ),
        ("systems/SYS-001.yaml", "owner: lchen", "owner: rsantos"),
    ] {
        let path = edit(root, rel, from, to);
        assert!(app.apply_outside_changes(&[path], false), "{rel}");
        assert_same_as_fresh(&app);
    }
}

#[test]
fn an_edit_in_a_sorted_and_filtered_pane_lands_where_a_rebuild_puts_it() {
    let dir = common::copy_sample();
    let root = dir.path();
    let set = |a: &mut App| {
        let l = a.panes.lists.get_mut(&Pane::Risks).unwrap();
        l.filter = "mitigate".into();
        l.sort = 1;
        a.refresh();
    };
    let mut app = app(root);
    set(&mut app);
    let rows = |a: &App| -> Vec<String> {
        a.panes
            .list(Pane::Risks)
            .unwrap()
            .rows
            .iter()
            .map(|&i| a.ws.records[i].id.clone())
            .collect()
    };
    let before = rows(&app);
    let text = std::fs::read_to_string(root.join("risks/RISK-001.yaml")).unwrap();
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap()
        .to_string();
    // To the front of the sort by title, then out of the filter.
    for (from, to) in [
        (format!("title: {title}"), "title: AAA first".to_string()),
        (
            "treatment: mitigate".to_string(),
            "treatment: avoid".to_string(),
        ),
    ] {
        let path = edit(root, "risks/RISK-001.yaml", &from, &to);
        assert!(app.apply_outside_changes(&[path], false));
        let mut full = fresh(root);
        set(&mut full);
        assert_eq!(rows(&app), rows(&full));
    }
    assert_ne!(rows(&app), before);
}

#[test]
fn saves_that_keep_workspace_wide_rules_match_a_fresh_load() {
    // Marking records of several types reviewed: the workspace-wide rules whose fields
    // the save left alone keep their findings, and the result is that of a fresh load.
    let dir = common::copy_sample();
    let mut app = app(dir.path());
    app.panes.pane = Pane::Calendar;
    let items: Vec<String> = app
        .panes
        .agenda(&app.index, app.user.as_deref())
        .iter()
        .map(|d| d.record.clone())
        .filter(|id| !id.ends_with(".yaml"))
        .take(5)
        .collect();
    let mut saved = 0;
    for item in items {
        app.panes.calendar.cursor = 0;
        let Some(at) = app
            .panes
            .agenda(&app.index, app.user.as_deref())
            .iter()
            .position(|d| d.record == item)
        else {
            continue;
        };
        app.panes.calendar.cursor = at;
        common::typed(&mut app, "r");
        if !app
            .stack
            .top::<Prompt>()
            .is_some_and(|p| p.ask == Ask::ReviewNote)
        {
            continue;
        }
        common::typed(&mut app, "checked");
        common::key(&mut app, ratatui::crossterm::event::KeyCode::Enter);
        if app.status.as_ref().is_some_and(|s| s.0.ends_with(" saved")) {
            saved += 1;
            assert_same_as_fresh(&app);
        }
    }
    assert!(saved > 0, "nothing was saved");
}

#[test]
fn a_risk_raised_above_appetite_and_a_walk_answer_match_a_fresh_load() {
    let dir = common::copy_sample();
    let mut app = app(dir.path());
    let before: Vec<String> = app.index.above_appetite().map(String::from).collect();
    // RISK-001's residual 2×4 becomes 5×5: above the appetite, counted on Home.
    let path = edit(
        dir.path(),
        "risks/RISK-001.yaml",
        "residual_likelihood: 2",
        "residual_likelihood: 5",
    );
    edit(
        dir.path(),
        "risks/RISK-001.yaml",
        "residual_impact: 4",
        "residual_impact: 5",
    );
    assert!(app.apply_outside_changes(&[path], false));
    let after: Vec<String> = app.index.above_appetite().map(String::from).collect();
    assert!(!before.contains(&"RISK-001".to_string()), "{before:?}");
    assert_eq!(
        after.first().map(String::as_str),
        Some("RISK-001"),
        "highest first: {after:?}"
    );
    assert_same_as_fresh(&app);
    // An answer in the audit walk saves the checklist only: the due list is kept as it
    // was (no obligation reads the checklist), and still equals a fresh load's.
    app.panes.pane = Pane::Audits;
    app.open_walk("AUD-2026-01");
    let due_before = app.index.due.len();
    let text = || std::fs::read_to_string(dir.path().join("audits/AUD-2026-01.yaml")).unwrap();
    let old = text();
    common::typed(&mut app, "c");
    assert_ne!(text(), old, "the answer was saved");
    assert_eq!(app.index.due.len(), due_before);
    assert_same_as_fresh(&app);
}

#[test]
fn ctrl_r_asks_the_event_loop_for_a_reload_on_a_worker() {
    let dir = common::copy_sample();
    let mut app = app(dir.path());
    let refreshes = app.index.refreshes;
    edit(
        dir.path(),
        "risks/RISK-001.yaml",
        "likelihood: 4",
        "likelihood: 3",
    );
    app.on_key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char('r'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
    // Nothing loaded on the UI thread: the key only asks.
    assert!(app.reload_wanted);
    assert_eq!(app.index.refreshes, refreshes);
    // What the worker sends (the workspace and its index) is taken in whole.
    let fresh = Workspace::open(dir.path()).unwrap();
    let index = aims_workbench::tui::index::Index::new(&fresh, common::today());
    app.reload_indexed(fresh, Some(index));
    assert_eq!(app.index.refreshes, refreshes + 1);
    assert_same_as_fresh(&app);
}

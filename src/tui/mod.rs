//! The full-screen terminal workbench. [`app::App`] keeps the panes and one stack of
//! layers ([`component::Component`]); a key goes to the top layer, which answers with
//! effects that the app runs at the edge. [`view::draw`] is a pure function of the state.

pub mod app;
pub mod chart;
pub mod commit;
pub mod component;
pub mod detail;
pub mod editor;
pub mod finder;
pub mod form;
pub mod history;
pub mod index;
pub mod jobs;
pub mod keys;
pub mod overlays;
pub mod pane;
pub mod panes;
pub mod places;
pub mod raise;
pub mod repo;
pub mod review_offer;
pub mod setup;
pub mod stack;
pub mod theme;
pub mod trends;
pub mod view;
pub mod walk;
pub mod watch;
pub mod widgets;

use crate::domain::dates::Date;
use crate::workspace::Workspace;
use app::App;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use std::io::stdout;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub struct Options {
    pub today: Date,
    pub user: Option<String>,
    pub read_only: bool,
    pub theme: theme::Theme,
    /// Shown in the status bar at start (a theme that could not be read, say).
    pub notice: Option<String>,
}

/// Puts the terminal back: leaves the alternate screen, raw mode and bracketed paste.
fn restore() {
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Runs the workbench until the user quits. The terminal is restored on quit, on error
/// and on panic.
pub fn run(ws: Workspace, options: Options) -> std::io::Result<()> {
    with_terminal(|| event_loop(ws, options, None))
}

/// Runs the workbench straight in the walk of one audit (`aims audit AUD-ID`).
pub fn run_audit(ws: Workspace, options: Options, audit: &str) -> std::io::Result<()> {
    with_terminal(|| event_loop(ws, options, Some(audit)))
}

/// Runs the workbench on the workspace at `root`, drawing the first frame at once and
/// loading on a worker thread (a gauge shows the records read; `q` quits meanwhile).
/// `identify` picks the acting person once the settings are read. The outer error is the
/// terminal's; the inner one says why the workspace could not be opened.
pub fn run_loading(
    root: &Path,
    options: Options,
    identify: impl FnOnce(&crate::domain::Settings) -> Option<String>,
) -> std::io::Result<Result<(), String>> {
    let mut outcome = Ok(());
    with_terminal(|| {
        outcome = loading_loop(root, options, identify)?;
        Ok(())
    })?;
    Ok(outcome)
}

fn with_terminal(body: impl FnOnce() -> std::io::Result<()>) -> std::io::Result<()> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    enable_raw_mode()?;
    if let Err(e) = execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste) {
        restore();
        return Err(e);
    }
    let result = body();
    restore();
    result
}

type Term = ratatui::Terminal<ratatui::backend::CrosstermBackend<std::io::Stdout>>;

/// What wakes the event loop.
enum Msg {
    Input(Event),
    /// Reading the terminal failed: nothing more will come.
    InputGone(std::io::Error),
    Changes(watch::Update),
    /// A worker finished loading the workspace and building its index, so the keys are
    /// answered meanwhile (or it says why it could not load).
    Loaded(Box<Result<(Workspace, index::Index), String>>),
    /// A layer's background job finished (git history).
    Done(jobs::Done),
}

/// Reads the terminal on its own thread, so the loop can sleep until a key, a resize or a
/// workspace change arrives instead of polling (an idle workbench must use no CPU).
fn spawn_input(tx: mpsc::Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("aims-input".into())
        .spawn(move || {
            loop {
                let msg = match event::read() {
                    Ok(ev) => Msg::Input(ev),
                    Err(e) => {
                        let _ = tx.send(Msg::InputGone(e));
                        return;
                    }
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        })?;
    Ok(())
}

fn start_watcher(root: &Path, tx: &mpsc::Sender<Msg>) -> notify::Result<watch::Watcher> {
    let changes = tx.clone();
    watch::watch(root, move |u| changes.send(Msg::Changes(u)).is_ok())
}

/// How many record files there are to read, for the gauge: a listing, no reading.
fn count_record_files(root: &Path) -> usize {
    crate::domain::RecordType::ALL
        .iter()
        .filter_map(|k| std::fs::read_dir(root.join(k.dir())).ok())
        .flat_map(|entries| entries.flatten())
        .filter(|e| {
            e.file_name().to_str().is_some_and(|n| {
                !n.starts_with('.') && (n.ends_with(".yaml") || n.ends_with(".yml"))
            })
        })
        .count()
}

/// The quit key (`q`, Ctrl-C unless rebound): it works on the loading screen too.
fn is_quit(key: &event::KeyEvent) -> bool {
    key.kind != KeyEventKind::Release
        && keys::action_in(key, keys::Scope::Global) == Some(keys::Action::Quit)
}

fn loading_loop(
    root: &Path,
    mut options: Options,
    identify: impl FnOnce(&crate::domain::Settings) -> Option<String>,
) -> std::io::Result<Result<(), String>> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(stdout()))?;
    let (tx, rx) = mpsc::channel();
    // Watching starts before reading, so an edit made during the load is applied after it.
    let watcher = start_watcher(root, &tx);
    spawn_input(tx.clone())?;
    let progress = Arc::new(AtomicUsize::new(0));
    let total = Arc::new(OnceLock::new());
    {
        let (root, progress, total, tx, today) = (
            root.to_path_buf(),
            progress.clone(),
            total.clone(),
            tx.clone(),
            options.today,
        );
        std::thread::Builder::new()
            .name("aims-load".into())
            .spawn(move || {
                let _ = total.set(count_record_files(&root));
                let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    Workspace::open_with_progress(&root, &progress)
                        .map(|ws| {
                            let index = index::Index::new(&ws, today);
                            (ws, index)
                        })
                        .map_err(|e| e.to_string())
                }))
                .unwrap_or_else(|_| Err("internal error while loading: please report it".into()));
                let _ = tx.send(Msg::Loaded(Box::new(loaded)));
            })?;
    }
    let mut pending = watch::Update::default();
    let mut shown = None;
    let ws = loop {
        let now = (progress.load(Ordering::Relaxed), total.get().copied());
        if shown != Some(now) {
            terminal.draw(|f| view::draw_loading(f, &options.theme, root, now.0, now.1))?;
            shown = Some(now);
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(Ok(())),
            Ok(Msg::Input(Event::Key(key))) if is_quit(&key) => return Ok(Ok(())),
            Ok(Msg::Input(Event::Resize(..))) => shown = None,
            Ok(Msg::Input(_) | Msg::Done(_)) => {}
            Ok(Msg::InputGone(e)) => return Err(e),
            Ok(Msg::Changes(u)) => {
                pending.paths.extend(u.paths);
                pending.rescan |= u.rescan;
            }
            Ok(Msg::Loaded(loaded)) => match *loaded {
                Ok((ws, index)) => break index::Loaded(ws, Some(index)),
                Err(e) => return Ok(Err(e)),
            },
        }
    };
    options.user = identify(&ws.0.settings);
    main_loop(
        &mut terminal,
        (&tx, &rx),
        ws,
        options,
        None,
        watcher,
        pending,
    )?;
    Ok(Ok(()))
}

fn event_loop(ws: Workspace, options: Options, audit: Option<&str>) -> std::io::Result<()> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(stdout()))?;
    let (tx, rx) = mpsc::channel();
    // Without a watcher the workbench still works; Ctrl-R reloads by hand.
    let watcher = start_watcher(&ws.root, &tx);
    spawn_input(tx.clone())?;
    main_loop(
        &mut terminal,
        (&tx, &rx),
        ws.into(),
        options,
        audit,
        watcher,
        watch::Update::default(),
    )
}

/// Runs a layer's job on a worker thread; the result arrives as [`Msg::Done`].
fn spawn_job(job: jobs::Job, tx: &mpsc::Sender<Msg>) -> std::io::Result<()> {
    let tx = tx.clone();
    std::thread::Builder::new()
        .name(job.name.into())
        .spawn(move || {
            // A panic in the job is its own: the layer keeps saying it is reading.
            if let Ok(done) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.run())) {
                let _ = tx.send(Msg::Done(done));
            }
        })?;
    Ok(())
}

/// Loads the workspace and builds its index on a worker thread; the result arrives as
/// [`Msg::Loaded`].
fn spawn_reload(root: &Path, today: Date, tx: &mpsc::Sender<Msg>) -> std::io::Result<()> {
    let (root, tx) = (root.to_path_buf(), tx.clone());
    std::thread::Builder::new()
        .name("aims-reload".into())
        .spawn(move || {
            let loaded = std::panic::catch_unwind(|| {
                Workspace::open(&root).map(|ws| {
                    let index = index::Index::new(&ws, today);
                    (ws, index)
                })
            })
            .map_err(|_| "internal error while loading: please report it".to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
            let _ = tx.send(Msg::Loaded(Box::new(loaded)));
        })?;
    Ok(())
}

fn main_loop(
    terminal: &mut Term,
    (tx, rx): (&mpsc::Sender<Msg>, &mpsc::Receiver<Msg>),
    ws: index::Loaded,
    options: Options,
    audit: Option<&str>,
    watcher: notify::Result<watch::Watcher>,
    pending: watch::Update,
) -> std::io::Result<()> {
    let mut app = App::new(
        ws,
        options.today,
        options.user,
        options.read_only,
        options.theme,
    );
    if let Some(id) = audit {
        app.panes.pane = pane::Pane::Audits;
        app.open_walk(id);
        // Started by `aims audit`: leaving the walk returns to the shell.
        if let Some(w) = app.stack.find_mut::<walk::Walk>() {
            w.exit_on_leave = true;
        }
    }
    if audit.is_none() {
        app.offer_drafts();
    }
    if let Some(notice) = options.notice {
        app.status = Some((notice, true));
    }
    if let Err(e) = &watcher {
        app.status = Some((
            format!("not watching for changes ({e}): Ctrl-R reloads"),
            true,
        ));
    }
    // A full reload runs on a worker; changes seen meanwhile wait in `queued` and are
    // applied after it (re-hashing tells which the reload already read).
    let mut reloading = false;
    // Ctrl-R asked for the reload under way: it says so when done.
    let mut asked_reload = false;
    // Changes seen while loading: the load may or may not have read them.
    let mut queued = pending;
    // The walk's elapsed time is kept here: views only read state.
    let mut walk_clock: Option<(String, std::time::Instant)> = None;
    // When typed text not on disk yet is saved: a second after it was first pending.
    let mut flush_at: Option<std::time::Instant> = None;
    let mut dirty = true;
    loop {
        if !reloading && (queued.rescan || !queued.paths.is_empty()) {
            let update = std::mem::take(&mut queued);
            let paths: Vec<_> = update.paths.iter().collect();
            // Nothing changed, nothing drawn; only a full reload leaves the UI thread.
            let needs_reload = update.rescan
                || match app.try_apply_outside(&paths) {
                    Some(changed) => {
                        dirty |= changed;
                        false
                    }
                    None => {
                        dirty = true;
                        true
                    }
                };
            if needs_reload {
                spawn_reload(&app.ws.root, app.today, tx)?;
                reloading = true;
            }
        }
        match (app.stack.find_mut::<walk::Walk>(), &walk_clock) {
            (Some(w), Some((audit, since))) if *audit == w.audit => {
                let secs = since.elapsed().as_secs();
                if secs != w.elapsed_secs {
                    w.elapsed_secs = secs;
                    dirty = true;
                }
            }
            (Some(w), _) => {
                // A walk resumed after a dropped connection keeps its clock.
                let drafts = crate::workspace::draft::Drafts::open(&app.ws.root);
                let now = unix_now();
                let ago = now.saturating_sub(drafts.walk_started(&w.audit, now));
                let since = std::time::Instant::now()
                    .checked_sub(Duration::from_secs(ago))
                    .unwrap_or_else(std::time::Instant::now);
                walk_clock = Some((w.audit.clone(), since));
            }
            (None, Some((audit, _))) => {
                // Left on purpose (not a dropped connection): the next walk starts at 0.
                crate::workspace::draft::Drafts::open(&app.ws.root).walk_ended(audit);
                walk_clock = None;
            }
            (None, None) => {}
        }
        // Typed text is on disk at most a second after it was typed (a walk note).
        flush_at = match flush_at {
            _ if !app.pending() => None,
            Some(at) if at <= std::time::Instant::now() => {
                app.flush();
                dirty = true;
                None
            }
            Some(at) => Some(at),
            None => Some(std::time::Instant::now() + Duration::from_secs(1)),
        };
        // Before any wait, after every change: the first frame's jobs (the count, Home's
        // trends) start at once, and a save or a reload asks for the count again.
        for job in background_jobs(&mut app) {
            spawn_job(job, tx)?;
        }
        // Draw only when something changed: nothing is written to an idle terminal.
        if dirty {
            terminal.draw(|frame| view::draw(frame, &app))?;
            dirty = false;
        }
        // Sleep until a message; while a walk is open, also until its clock's next second,
        // and while typed text waits to be saved, until it is due. Otherwise no wake-up.
        let clock = match (app.stack.walk(), &walk_clock) {
            (Some(_), Some((_, since))) => {
                let into = since.elapsed().subsec_nanos();
                Some(Duration::from_nanos(u64::from(1_000_000_000 - into)))
            }
            _ => None,
        };
        let flush = flush_at.map(|at| at.saturating_duration_since(std::time::Instant::now()));
        let msg = match clock.into_iter().chain(flush).min() {
            Some(wait) => match rx.recv_timeout(wait) {
                Ok(m) => m,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            },
            _ => match rx.recv() {
                Ok(m) => m,
                Err(_) => break,
            },
        };
        match msg {
            Msg::Input(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                if app.stack.last().is_none_or(|top| !top.takes_text())
                    && keys::action_in(&key, keys::Scope::Global) == Some(keys::Action::Quit)
                    && terminal
                        .size()
                        .is_ok_and(|s| s.width < view::MIN_WIDTH || s.height < view::MIN_HEIGHT)
                {
                    break;
                }
                app.on_key(key);
                dirty = true;
            }
            Msg::Input(Event::Paste(text)) => {
                app.on_paste(&text);
                dirty = true;
            }
            Msg::Input(Event::Resize(..)) => dirty = true,
            Msg::Input(_) => {}
            Msg::InputGone(e) => return Err(e),
            Msg::Loaded(loaded) => {
                reloading = false;
                match *loaded {
                    Ok((fresh, index)) => {
                        app.reload_indexed(fresh, Some(index));
                        if std::mem::take(&mut asked_reload) {
                            app.status = Some(("reloaded from disk".into(), false));
                        }
                    }
                    Err(e) => app.status = Some((crate::domain::text::one_line(&e), true)),
                }
                dirty = true;
            }
            Msg::Changes(update) => {
                // The watcher already coalesced the burst.
                queued.paths.extend(update.paths);
                queued.rescan |= update.rescan;
            }
            Msg::Done(done) => {
                deliver(&mut app, done);
                dirty = true;
            }
        }
        // Ctrl-R: the same worker as a reload the watcher asks for (one at a time).
        if std::mem::take(&mut app.reload_wanted) {
            asked_reload = true;
            app.status = Some(("reloading from disk…".into(), false));
            if !reloading {
                spawn_reload(&app.ws.root, app.today, tx)?;
                reloading = true;
            }
        }
        if app.quit {
            // Quit on purpose from a walk (`aims audit`): its clock is done. A dropped
            // connection never gets here, so a reconnect resumes it.
            if let Some((audit, _)) = &walk_clock {
                crate::workspace::draft::Drafts::open(&app.ws.root).walk_ended(audit);
            }
            break;
        }
    }
    drop(watcher);
    // The process ends right after: freeing a large workspace record by record kept a
    // 100,000-record session on screen for half a second after `q`.
    std::mem::forget(app);
    Ok(())
}

/// The work waiting to run off the UI thread: the layers' jobs (git history, the commit
/// dialog's changes), the uncommitted count after a change, a commit, and the trends while
/// Home or the Trends pane shows them (once the repository's `HEAD` is known, and again
/// when it moves). The event loop runs them on workers; tests run them in place.
pub fn background_jobs(app: &mut App) -> Vec<jobs::Job> {
    let root = app.ws.root.clone();
    let mut jobs = app.stack.take_jobs();
    jobs.extend(app.panes.repo.jobs(&root, app.index.refreshes));
    let shown = matches!(app.panes.pane, pane::Pane::Trends | pane::Pane::Home);
    if let Some(head) = app.panes.repo.head() {
        jobs.extend(app.panes.trends.wanted(shown, &root, head));
    }
    jobs
}

/// Hands a finished job's result to whoever asked: a layer, the repository state (a
/// finished commit says how it went in the status bar), or the trends.
pub fn deliver(app: &mut App, done: jobs::Done) {
    let Some(left) = app.stack.deliver(done) else {
        return;
    };
    match app.panes.repo.on_done(left) {
        Ok(Some((text, error))) => {
            app.last_message = Some(text.clone());
            app.status = Some((text, error));
        }
        Ok(None) => {}
        Err(left) => {
            app.panes.trends.on_done(left);
        }
    }
}

/// Seconds since the epoch, for the walk's clock across reconnects.
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The module path of a file under src/tui: `form/draw.rs` → [form, draw].
    fn module_of(rel: &Path) -> Vec<String> {
        let mut parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        parts
    }

    /// The names a path names right after `prefix`: `a` in `prefix a::…`, and each
    /// first name inside `prefix {a, b::c}`.
    fn names_after(rest: &str) -> Vec<String> {
        let ident = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        match rest.strip_prefix('{') {
            Some(inner) => {
                let inner = &inner[..inner.find('}').unwrap_or(inner.len())];
                inner
                    .split(',')
                    .map(|p| ident(p.trim()))
                    .filter(|n| !n.is_empty())
                    .collect()
            }
            None => vec![ident(rest)],
        }
    }

    /// Which top-level modules of src/tui each one uses (`use super::…`,
    /// `crate::tui::…`, and paths written inline), its own submodules folded in.
    fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        let modules: BTreeSet<String> = files
            .iter()
            .filter_map(|f| module_of(f.strip_prefix(&root).unwrap()).first().cloned())
            .collect();
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in &files {
            let path = module_of(file.strip_prefix(&root).unwrap());
            let Some(node) = path.first().cloned() else {
                continue; // tui/mod.rs: the event loop, which nothing imports
            };
            let text = std::fs::read_to_string(file).unwrap();
            let deps = graph.entry(node.clone()).or_default();
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                let mut rest = line;
                while let Some(at) = rest.find("super::").or_else(|| rest.find("crate::tui::")) {
                    let (ups, tail) = if rest[at..].starts_with("crate::tui::") {
                        (path.len(), &rest[at + "crate::tui::".len()..])
                    } else {
                        let mut k = 0;
                        let mut t = &rest[at..];
                        while let Some(n) = t.strip_prefix("super::") {
                            k += 1;
                            t = n;
                        }
                        (k, t)
                    };
                    let base = &path[..path.len().saturating_sub(ups)];
                    for name in names_after(tail) {
                        let target = base.first().cloned().unwrap_or(name);
                        if target != node && modules.contains(&target) {
                            deps.insert(target);
                        }
                    }
                    rest = tail;
                }
            }
        }
        graph
    }

    #[test]
    fn the_tui_modules_import_each_other_without_a_cycle() {
        let graph = module_graph();
        assert!(
            graph["app"].contains("form") && graph["view"].contains("app"),
            "the scan sees the imports: {graph:?}"
        );
        // Depth-first search; a module met again while still open closes a cycle.
        fn visit(
            n: &str,
            graph: &BTreeMap<String, BTreeSet<String>>,
            open: &mut Vec<String>,
            done: &mut BTreeSet<String>,
        ) {
            if done.contains(n) {
                return;
            }
            if let Some(at) = open.iter().position(|o| o == n) {
                panic!("import cycle: {} → {n}", open[at..].join(" → "));
            }
            open.push(n.to_string());
            for d in graph.get(n).into_iter().flatten() {
                visit(d, graph, open, done);
            }
            open.pop();
            done.insert(n.to_string());
        }
        let mut done = BTreeSet::new();
        for n in graph.keys() {
            visit(n, &graph, &mut Vec::new(), &mut done);
        }
    }

    #[test]
    fn the_app_keeps_to_routing_and_effects() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            let needle = concat!("impl ", "App {");
            if !f.ends_with("app.rs") {
                assert!(!text.contains(needle), "{} adds to App", f.display());
            }
        }
        let app = std::fs::read_to_string(root.join("app.rs")).unwrap();
        let start = app.find(concat!("\nimpl ", "App {")).unwrap();
        let lines = app[start..]
            .lines()
            .skip(1)
            .take_while(|l| *l != "}")
            .count();
        assert!(lines < 500, "App's impl is {lines} lines");
    }
}

//! The full-screen terminal workbench. One state ([`app::App`]); keys become actions that
//! `update` applies; [`view::draw`] is a pure function of the state.

pub mod app;
pub mod finder;
pub mod form;
pub mod keys;
pub mod pane;
pub mod theme;
pub mod view;
pub mod walk;
pub mod watch;

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
use std::sync::mpsc;
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
    run_opening(ws, options, None)
}

/// Runs the workbench straight in the walk of one audit (`aims audit AUD-ID`).
pub fn run_audit(ws: Workspace, options: Options, audit: &str) -> std::io::Result<()> {
    run_opening(ws, options, Some(audit))
}

fn run_opening(ws: Workspace, options: Options, audit: Option<&str>) -> std::io::Result<()> {
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
    let result = event_loop(ws, options, audit);
    restore();
    result
}

/// What wakes the event loop.
enum Msg {
    Input(Event),
    /// Reading the terminal failed: nothing more will come.
    InputGone(std::io::Error),
    Changes(watch::Update),
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

fn event_loop(ws: Workspace, options: Options, audit: Option<&str>) -> std::io::Result<()> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(stdout()))?;
    let (tx, rx) = mpsc::channel();
    let changes = tx.clone();
    // Without a watcher the workbench still works; Ctrl-R reloads by hand.
    let watcher = watch::watch(&ws.root, move |u| changes.send(Msg::Changes(u)).is_ok());
    let mut app = App::new(
        ws,
        options.today,
        options.user,
        options.read_only,
        options.theme,
    );
    if let Some(id) = audit {
        app.pane = pane::Pane::Audits;
        app.open_walk(id);
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
    spawn_input(tx)?;
    // The walk's elapsed time is kept here: views only read state.
    let mut walk_clock: Option<(String, std::time::Instant)> = None;
    let mut dirty = true;
    loop {
        match (&mut app.walk, &walk_clock) {
            (Some(w), Some((audit, since))) if *audit == w.audit => {
                let secs = since.elapsed().as_secs();
                if secs != w.elapsed_secs {
                    w.elapsed_secs = secs;
                    dirty = true;
                }
            }
            (Some(w), _) => walk_clock = Some((w.audit.clone(), std::time::Instant::now())),
            (None, _) => walk_clock = None,
        }
        // Draw only when something changed: nothing is written to an idle terminal.
        if dirty {
            terminal.draw(|frame| view::draw(frame, &app))?;
            dirty = false;
        }
        // Sleep until a message; while a walk is open, also until its clock's next second.
        let msg = match (&app.walk, &walk_clock) {
            (Some(_), Some((_, since))) => {
                let into = since.elapsed().subsec_nanos();
                let wait = Duration::from_nanos(u64::from(1_000_000_000 - into));
                match rx.recv_timeout(wait) {
                    Ok(m) => m,
                    Err(mpsc::RecvTimeoutError::Timeout) => continue,
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
            _ => match rx.recv() {
                Ok(m) => m,
                Err(_) => break,
            },
        };
        match msg {
            Msg::Input(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                if app.popups.is_empty()
                    && app.form.is_none()
                    && app.walk.as_ref().is_none_or(|w| w.editor.is_none())
                    && matches!(key.code, event::KeyCode::Char('q'))
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
            Msg::Changes(update) => {
                // The watcher already coalesced the burst; nothing changed, nothing drawn.
                let paths: Vec<_> = update.paths.into_iter().collect();
                dirty |= app.apply_outside_changes(&paths, update.rescan);
            }
        }
        if app.quit {
            break;
        }
    }
    drop(watcher);
    Ok(())
}

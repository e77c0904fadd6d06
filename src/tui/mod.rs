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

fn event_loop(ws: Workspace, options: Options, audit: Option<&str>) -> std::io::Result<()> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(stdout()))?;
    let (tx, rx) = mpsc::channel();
    // Without a watcher the workbench still works; Ctrl-R reloads by hand.
    let watcher = watch::watch(&ws.root, tx);
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
    // The walk's elapsed time is kept here: views only read state.
    let mut walk_clock: Option<(String, std::time::Instant)> = None;
    loop {
        match (&mut app.walk, &walk_clock) {
            (Some(w), Some((audit, since))) if *audit == w.audit => {
                w.elapsed_secs = since.elapsed().as_secs()
            }
            (Some(w), _) => walk_clock = Some((w.audit.clone(), std::time::Instant::now())),
            (None, _) => walk_clock = None,
        }
        terminal.draw(|frame| view::draw(frame, &app))?;
        if event::poll(Duration::from_millis(150))? {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
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
                }
                Event::Paste(text) => app.on_paste(&text),
                _ => {}
            }
        }
        if rx.try_recv().is_ok() {
            while rx.try_recv().is_ok() {}
            match Workspace::open(&app.ws.root) {
                Ok(fresh) => app.reload(fresh),
                Err(e) => app.status = Some((crate::domain::text::one_line(&e.to_string()), true)),
            }
        }
        if app.quit {
            break;
        }
    }
    Ok(())
}

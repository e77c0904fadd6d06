//! The keymap against the real app: every key of every scope is pressed on the sample
//! workspace without a panic, and the help of each scope lists exactly its keys.

mod common;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::tui::app::App;
use aims_workbench::tui::form::Dialog;
use aims_workbench::tui::keys::{self, Scope};
use aims_workbench::tui::overlays::Help;
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

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

/// In a form, the first field whose Enter leads to `scope` (a picker, a text input, the
/// items of a list field).
fn form_field_to(dir: &Path, form_keys: &str, scope: Scope) -> App {
    for row in 0..40 {
        let mut app = app_at(dir);
        typed(&mut app, form_keys);
        assert_eq!(app.key_scopes(), vec![Scope::Form]);
        for _ in 0..row {
            key(&mut app, KeyCode::Down);
        }
        key(&mut app, KeyCode::Enter);
        if app.key_scopes().first() == Some(&scope) {
            return app;
        }
    }
    panic!("no field of the form opened {scope:?}");
}

/// A fresh app (on the workspace at `dir`) whose active scope is `scope`.
fn app_in(dir: &Path, scope: Scope) -> App {
    let mut app = app_at(dir);
    match scope {
        Scope::Global | Scope::List => typed(&mut app, "2"),
        Scope::Home => typed(&mut app, "1"),
        Scope::Soa => typed(&mut app, "4"),
        Scope::Heatmap | Scope::Risks => typed(&mut app, "3"),
        Scope::Calendar => typed(&mut app, "5"),
        // Suppliers, Documents, Reviews.
        Scope::Reviews => {
            typed(&mut app, "9");
            key(&mut app, KeyCode::Tab);
            key(&mut app, KeyCode::Tab);
        }
        Scope::ReviewOffer => {
            typed(&mut app, "9");
            key(&mut app, KeyCode::Tab);
            key(&mut app, KeyCode::Tab);
            typed(&mut app, "n");
        }
        Scope::Form => typed(&mut app, "2e"),
        Scope::FormList => return form_field_to(dir, "8e", Scope::FormList),
        Scope::Picker => return form_field_to(dir, "2e", Scope::Picker),
        Scope::TextInput => return form_field_to(dir, "2e", Scope::TextInput),
        Scope::Prompt => typed(&mut app, "2/"),
        Scope::Dialog => typed(&mut app, "2D"),
        Scope::Conflict => {
            // A conflict needs a save against a changed file; its keys only need the dialog.
            typed(&mut app, "9e");
            let form = app.stack.form().unwrap();
            let id = form.original.clone().unwrap();
            let mut mine = form.values.clone();
            mine.set("owner", aims_workbench::domain::Value::str("someone-else"));
            let rebase = app.ws.rebase(&id, &Default::default(), &mine);
            app.stack.form_mut().unwrap().dialog = Some(Dialog::Conflict(Box::new(
                aims_workbench::tui::form::Clash::of(&id, rebase),
            )));
        }
        Scope::Help => typed(&mut app, "2?"),
        Scope::Finder => app.on_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL)),
        Scope::Record => {
            typed(&mut app, "2");
            key(&mut app, KeyCode::Enter);
        }
        // The sample copy is not a git repository: the view says so, its keys still work.
        Scope::History => typed(&mut app, "2H"),
        // Outside git the dialog says so; its keys still work.
        Scope::Commit => {
            typed(&mut app, "2");
            app.on_key(KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL));
        }
        Scope::Walk => {
            typed(&mut app, "8");
            key(&mut app, KeyCode::Enter);
        }
        Scope::WalkEvidence => {
            // The audit in progress, with evidence sampled for the item.
            typed(&mut app, "8j");
            key(&mut app, KeyCode::Enter);
            typed(&mut app, "aevidence/ai-policy-v2.md");
            key(&mut app, KeyCode::Enter);
            key(&mut app, KeyCode::Enter);
            typed(&mut app, "e");
        }
    }
    match scope {
        Scope::Global | Scope::List => {
            assert_eq!(app.key_scopes(), vec![Scope::List, Scope::Global])
        }
        Scope::Home => {
            assert_eq!(
                app.key_scopes(),
                vec![Scope::List, Scope::Home, Scope::Global]
            )
        }
        Scope::Heatmap | Scope::Risks => {
            assert_eq!(
                app.key_scopes(),
                vec![Scope::Heatmap, Scope::Risks, Scope::Global]
            )
        }
        Scope::Soa => {
            assert_eq!(
                app.key_scopes(),
                vec![Scope::List, Scope::Soa, Scope::Global]
            )
        }
        Scope::Calendar => {
            assert_eq!(app.key_scopes(), vec![scope, Scope::Global])
        }
        Scope::Reviews => {
            assert_eq!(
                app.key_scopes(),
                vec![Scope::List, Scope::Reviews, Scope::Global]
            )
        }
        // A layer: its own scope first (then the editor's, where it takes text).
        _ => assert_eq!(app.key_scopes()[0], scope, "getting to {scope:?}"),
    }
    app
}

#[test]
fn every_bound_key_of_every_scope_is_pressed_without_a_panic() {
    let dir = common::copy_sample();
    let keymap = keys::keymap();
    let mut pressed = 0;
    for scope in Scope::ALL {
        for binding in keymap.in_scope(scope) {
            for k in &binding.keys {
                let mut app = app_in(dir.path(), scope);
                app.on_key(k.event());
                // Whatever it opened draws, at the smallest size we support too.
                screen(&app, 80, 24);
                screen(&app, 40, 12);
                pressed += 1;
            }
        }
    }
    assert!(pressed > 100, "only {pressed} keys pressed");
}

#[test]
fn the_picker_in_a_popup_and_a_text_prompt_take_their_keys() {
    let dir = common::copy_sample();
    // The person picker and the review note are reached from a list, not a form.
    for (keys_typed, scope) in [("2o", Scope::Picker), ("5r", Scope::Prompt)] {
        let mut app = app_at(dir.path());
        typed(&mut app, keys_typed);
        assert_eq!(app.key_scopes()[0], scope, "{keys_typed}");
        for binding in keys::keymap().in_scope(scope) {
            for k in &binding.keys {
                let mut app = app_at(dir.path());
                typed(&mut app, keys_typed);
                app.on_key(k.event());
                screen(&app, 80, 24);
            }
        }
    }
}

/// The help lines of a screen: `│  key   what it does`.
fn help_lines(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| l.trim_matches('"').strip_prefix("│  "))
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.trim_end_matches(['│', ' ']).to_string())
        .collect()
}

#[test]
fn help_shows_exactly_the_keys_of_each_scope() {
    let dir = common::copy_sample();
    let keymap = keys::keymap();
    for scope in Scope::ALL {
        let mut app = app_in(dir.path(), scope);
        let scopes = app.key_scopes();
        // `?` or F1 where the scope binds it; help and dialogs get theirs opened directly.
        let help_key = keymap
            .in_scope(scopes[0])
            .chain(scopes.get(1).into_iter().flat_map(|s| keymap.in_scope(*s)))
            .find(|b| b.action == keys::Action::Help)
            .map(|b| b.keys[0]);
        match help_key {
            Some(k) if scope != Scope::Help => app.on_key(k.event()),
            _ => app.stack.open(Help::new(scopes.clone())),
        }
        assert!(
            app.stack.top::<Help>().is_some_and(|h| h.scopes == scopes),
            "{scope:?}: help not opened on its keys"
        );
        // 90 columns: the help box is as wide as the screen, its lines start at the edge.
        let shown = help_lines(&screen(&app, 90, 80));
        let expected: Vec<String> = keymap
            .visible(&scopes)
            .iter()
            .map(|(b, label)| {
                let line: String = format!("{label:<12} {}", b.help).chars().take(86).collect();
                line.trim_end().to_string()
            })
            .collect();
        assert_eq!(shown, expected, "help of {scope:?}");
        // Every key of the scope itself is there (nothing it binds is hidden).
        for b in keymap.in_scope(scopes[0]) {
            assert!(
                shown
                    .iter()
                    .any(|l| l.starts_with(&format!("{:<12} ", b.label))),
                "{scope:?}: {} missing from help",
                b.label
            );
        }
    }
}

#[test]
fn status_hints_end_with_more_when_they_do_not_fit() {
    let mut app = app_at(Path::new(common::SAMPLE));
    typed(&mut app, "2");
    let narrow = screen(&app, 80, 24);
    let status = narrow.lines().last().unwrap();
    assert!(status.contains("? more"), "{status}");
    let wide = screen(&app, 200, 24);
    let status = wide.lines().last().unwrap();
    assert!(!status.contains("? more"), "{status}");
    assert!(status.contains("q quit"), "{status}");
    // The walk's keys do not fit at 80 columns either: the rest are one key away.
    let dir = common::copy_sample();
    let mut app = app_at(dir.path());
    typed(&mut app, "8");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.key_scopes(), vec![Scope::Walk]);
    let walk = screen(&app, 80, 24);
    let status = walk.lines().last().unwrap();
    assert!(status.contains("? more"), "{status}");
}

/// `?` on the new-review offer (`n` in Reviews) explains its own keys: `d` opens a blank
/// review, it discards nothing.
#[test]
fn help_on_the_new_review_offer_describes_its_keys() {
    let dir = common::copy_sample();
    let mut app = app_in(dir.path(), Scope::ReviewOffer);
    typed(&mut app, "?");
    let shown = help_lines(&screen(&app, 90, 40)).join("\n");
    assert!(
        shown.contains("d/D          blank: a new review with nothing filled in"),
        "{shown}"
    );
    assert!(!shown.contains("discard them"), "{shown}");
}

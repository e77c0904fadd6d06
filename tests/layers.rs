//! The layer stack, driven by keystrokes through `App::on_key` (no terminal): who gets a
//! key, what each layer does with it, and that records are followed by id.

mod common;

use aims_workbench::tui::app::App;
use aims_workbench::tui::form::{Dialog, Editor, Form};
use aims_workbench::tui::overlays::{Help, ListFilter, Message, RecordView};
use aims_workbench::tui::pane::Pane;
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::view;
use aims_workbench::tui::walk::Walk;
use aims_workbench::workspace::Workspace;
use common::{key, typed};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

fn app_at(dir: &Path) -> App {
    let ws = Workspace::open(dir).unwrap();
    let theme = Theme::resolve("dark", ColorMode::TrueColor).0;
    App::new(ws, common::today(), Some("amoreau".into()), false, theme)
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn selected(app: &App, pane: Pane) -> Option<String> {
    app.panes
        .list(pane)
        .and_then(|l| l.selected(&app.ws))
        .map(|r| r.id.clone())
}

#[test]
fn an_untouched_new_form_closes_without_asking_and_a_changed_one_asks() {
    let mut app = app_at(Path::new(common::SAMPLE));
    typed(&mut app, "2n");
    assert!(app.stack.form().is_some());
    key(&mut app, KeyCode::Esc);
    assert!(app.stack.is_empty(), "nothing typed: nothing to lose");

    typed(&mut app, "n");
    key(&mut app, KeyCode::Enter); // the name
    typed(&mut app, "Pilot");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.stack.form().and_then(|f| f.dialog.clone()),
        Some(Dialog::Leave)
    );
}

#[test]
fn the_selection_stays_on_its_record_when_others_come_and_go() {
    let dir = common::copy_sample();
    let root = dir.path();
    let mut app = app_at(root);
    typed(&mut app, "2jjj");
    assert_eq!(selected(&app, Pane::Inventory).as_deref(), Some("SYS-004"));

    // A record created above it: the row moves, the selection does not.
    let text = std::fs::read_to_string(root.join("systems/SYS-005.yaml")).unwrap();
    let new = root.join("systems/SYS-000.yaml");
    std::fs::write(&new, text.replacen("id: SYS-005", "id: SYS-000", 1)).unwrap();
    assert!(app.apply_outside_changes(&[&new], false));
    assert_eq!(selected(&app, Pane::Inventory).as_deref(), Some("SYS-004"));
    assert_eq!(app.panes.list(Pane::Inventory).unwrap().cursor, 4);

    // One above it deleted.
    let gone = root.join("systems/SYS-001.yaml");
    std::fs::remove_file(&gone).unwrap();
    assert!(app.apply_outside_changes(&[&gone], false));
    assert_eq!(selected(&app, Pane::Inventory).as_deref(), Some("SYS-004"));

    // Itself deleted: the nearest row, and the status bar says so.
    let own = root.join("systems/SYS-004.yaml");
    std::fs::remove_file(&own).unwrap();
    assert!(app.apply_outside_changes(&[&own], false));
    let now = selected(&app, Pane::Inventory).unwrap();
    assert_ne!(now, "SYS-004");
    let (msg, _) = app.status.clone().unwrap();
    assert!(
        msg.contains("SYS-004 is gone") && msg.contains(&now),
        "{msg}"
    );

    // A full reload (another process's `git pull`) keeps it too.
    typed(&mut app, "k");
    let before = selected(&app, Pane::Inventory).unwrap();
    app.reload(Workspace::open(root).unwrap());
    assert_eq!(selected(&app, Pane::Inventory), Some(before));
}

#[test]
fn the_filter_survives_a_save_and_opening_a_record() {
    let dir = common::copy_sample();
    let mut app = app_at(dir.path());
    typed(&mut app, "2/talent");
    assert!(app.stack.top::<ListFilter>().is_some());
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.panes.list(Pane::Inventory).unwrap().filter, "talent");

    typed(&mut app, "e");
    key(&mut app, KeyCode::Enter); // the name
    typed(&mut app, " (v2)");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 's');
    if app.stack.form().is_some_and(|f| f.dialog.is_some()) {
        typed(&mut app, "y");
    }
    assert!(app.stack.is_empty(), "saved: {:?}", app.status);
    let list = app.panes.list(Pane::Inventory).unwrap();
    assert_eq!(list.filter, "talent", "the save kept the filter");
    assert_eq!(selected(&app, Pane::Inventory).as_deref(), Some("SYS-004"));

    key(&mut app, KeyCode::Enter);
    assert!(app.stack.top::<RecordView>().is_some());
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.panes.list(Pane::Inventory).unwrap().filter, "talent");
    assert_eq!(app.panes.list(Pane::Inventory).unwrap().rows.len(), 1);
}

#[test]
fn slash_on_home_offers_no_filter_and_lets_no_key_through() {
    let mut app = app_at(Path::new(common::SAMPLE));
    assert!(!screen(&app, 80, 24).contains("/ filter"));
    typed(&mut app, "/");
    assert!(app.stack.is_empty());
    assert!(app.status.as_ref().unwrap().0.contains("no filter"));
    typed(&mut app, "2");
    assert!(screen(&app, 80, 24).contains("/ filter"), "lists offer it");
}

#[test]
fn help_scrolls_within_its_content() {
    let mut app = app_at(Path::new(common::SAMPLE));
    typed(&mut app, "3?");
    let _ = screen(&app, 80, 24);
    for _ in 0..200 {
        key(&mut app, KeyCode::PageDown);
        let _ = screen(&app, 80, 24);
    }
    let last = screen(&app, 80, 24);
    assert!(last.contains("quit"), "the last key is on screen:\n{last}");
    let scroll = app.stack.top::<Help>().unwrap().scroll;
    key(&mut app, KeyCode::Down);
    assert_eq!(
        app.stack.top::<Help>().unwrap().scroll,
        scroll,
        "no further"
    );
}

#[test]
fn question_mark_opens_the_help_of_the_walk_and_of_a_form() {
    let dir = common::copy_sample();
    let mut app = app_at(dir.path());
    app.open_walk("AUD-2026-01");
    typed(&mut app, "?");
    let help = app.stack.top::<Help>().expect("help over the walk");
    assert!(
        help.scopes
            .contains(&aims_workbench::tui::keys::Scope::Walk)
    );
    assert!(screen(&app, 80, 24).contains("complete the audit"));
    key(&mut app, KeyCode::Esc);
    assert!(app.stack.top::<Walk>().is_some());
    key(&mut app, KeyCode::Esc);

    typed(&mut app, "2n?");
    assert!(app.stack.top::<Help>().is_some(), "help over a form");
    assert!(screen(&app, 80, 24).contains("save (refused while errors remain"));
}

#[test]
fn leaving_a_walk_started_by_aims_audit_ends_the_program() {
    let dir = common::copy_sample();
    let mut app = app_at(dir.path());
    app.open_walk("AUD-2026-01");
    typed(&mut app, "q");
    assert!(
        app.stack.is_empty() && !app.quit,
        "from the workbench: back to it"
    );
    app.open_walk("AUD-2026-01");
    app.stack.find_mut::<Walk>().unwrap().exit_on_leave = true;
    typed(&mut app, "q");
    assert!(app.quit, "from `aims audit`: back to the shell");
}

#[test]
fn the_record_popup_follows_only_a_link_the_user_can_see() {
    let mut app = app_at(Path::new(common::SAMPLE));
    app.open_record("SYS-003");
    let first = screen(&app, 80, 24);
    assert!(first.contains("SYS-003  Nora customer-support assistant"));
    assert!(!first.contains("RISK-007"), "the links are further down");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.stack.top::<RecordView>().map(|v| v.id.as_str()),
        Some("SYS-003"),
        "the selected link was not on screen: not followed"
    );
    let shown = screen(&app, 80, 24);
    let link = aims_workbench::tui::index::Index::links_of(&app.ws, "SYS-003")[0].clone();
    assert!(shown.contains(&link), "now scrolled into view:\n{shown}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.stack.top::<RecordView>().map(|v| v.id.as_str()),
        Some(link.as_str())
    );
}

#[test]
fn a_long_status_wraps_and_bang_shows_it_whole() {
    let mut app = app_at(Path::new(common::SAMPLE));
    let long = format!("{} the end", "a long message about the save ".repeat(3));
    app.status = Some((long.clone(), true));
    app.last_message = Some(long.clone());
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("the end"), "two lines hold it:\n{shown}");
    typed(&mut app, "!");
    let message = app.stack.top::<Message>().expect("the last message");
    assert_eq!(message.text, long);
}

#[test]
fn text_fields_edit_at_the_end_with_the_line_keys() {
    let mut app = app_at(Path::new(common::SAMPLE));
    typed(&mut app, "2e");
    key(&mut app, KeyCode::Enter); // the name: NLS-3 application credit-scoring model
    typed(&mut app, " v2");
    ctrl(&mut app, 'w');
    ctrl(&mut app, 'w');
    typed(&mut app, "engine");
    let text = |app: &App| match &app.stack.form().unwrap().editor {
        Some(Editor::Line { input, .. }) => input.text(),
        _ => panic!("a one-line editor"),
    };
    assert_eq!(text(&app), "NLS-3 application credit-scoring engine");
    ctrl(&mut app, 'a');
    app.on_key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::ALT));
    ctrl(&mut app, 'k');
    assert_eq!(text(&app), "NLS", "Alt-F: one word on (`-` ends a word)");
    ctrl(&mut app, 'u');
    assert_eq!(text(&app), "");
    app.on_paste("Pasted name");
    key(&mut app, KeyCode::Enter);
    let form: &Form = app.stack.form().unwrap();
    assert_eq!(form.values.text("name").as_deref(), Some("Pasted name"));
}

#[test]
fn a_text_area_keeps_its_text_on_esc_and_stays_on_its_field() {
    let mut app = app_at(Path::new(common::SAMPLE));
    typed(&mut app, "2e");
    key(&mut app, KeyCode::Down); // purpose
    let field = |app: &App| {
        app.stack
            .form()
            .and_then(|f| f.current_field())
            .map(|(f, _)| f.name)
    };
    assert_eq!(field(&app), Some("purpose"));
    key(&mut app, KeyCode::Enter);
    typed(&mut app, " Reviewed.");
    key(&mut app, KeyCode::Esc);
    assert_eq!(field(&app), Some("purpose"), "Esc does not move on");
    let purpose = app.stack.form().unwrap().values.text("purpose").unwrap();
    assert!(
        purpose.trim_end().ends_with("collections. Reviewed."),
        "{purpose}"
    );
}

#[test]
fn pickers_move_with_j_and_k_and_filter_after_slash() {
    let mut app = app_at(Path::new(common::SAMPLE));
    typed(&mut app, "2e");
    let lifecycle = (0..30).find(|_| {
        let on = app
            .stack
            .form()
            .and_then(|f| f.current_field())
            .is_some_and(|(f, _)| f.name == "lifecycle_stage");
        if !on {
            key(&mut app, KeyCode::Down);
        }
        on
    });
    assert!(lifecycle.is_some());
    key(&mut app, KeyCode::Enter);
    let picker = |app: &App| match &app.stack.form().unwrap().editor {
        Some(Editor::Pick(p)) => (p.cursor, p.query.text(), p.shown.len()),
        _ => panic!("a picker"),
    };
    let (start, _, all) = picker(&app);
    typed(&mut app, "j");
    assert_eq!(picker(&app), (start + 1, String::new(), all), "j moves");
    typed(&mut app, "k");
    assert_eq!(picker(&app).0, start);
    typed(&mut app, "/ret");
    let (_, query, shown) = picker(&app);
    assert_eq!(query, "ret");
    assert!(shown < all, "the filter narrows");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.stack
            .form()
            .unwrap()
            .values
            .text("lifecycle_stage")
            .as_deref(),
        Some("retired")
    );
}

/// Every key on every kind of layer (and the panes under them), drawn after each: nothing
/// panics, and a key no layer takes never reaches the panes behind a layer.
#[test]
fn every_key_on_every_layer_is_answered_without_a_panic() {
    let dir = common::copy_sample();
    let openers: &[&str] = &["2n", "8\n", "3?", "4/", "2\n", "5s", "5o", "5r", "6n", "2D"];
    let mut keys: Vec<KeyEvent> = (b' '..=b'~')
        .map(|c| KeyEvent::new(KeyCode::Char(char::from(c)), KeyModifiers::NONE))
        .collect();
    keys.extend(
        [
            KeyCode::Enter,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Backspace,
            KeyCode::Delete,
        ]
        .map(|c| KeyEvent::new(c, KeyModifiers::NONE)),
    );
    keys.extend(
        "abdefhkuw"
            .chars()
            .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
    keys.extend(
        "bf".chars()
            .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)),
    );
    for opener in openers {
        let mut app = app_at(dir.path());
        for c in opener.chars() {
            match c {
                '\n' => key(&mut app, KeyCode::Enter),
                c => typed(&mut app, &c.to_string()),
            }
        }
        assert!(!app.stack.is_empty(), "{opener:?} opens a layer");
        let pane = app.panes.pane;
        for key in &keys {
            let layered = !app.stack.is_empty();
            app.on_key(*key);
            let _ = screen(&app, 80, 24);
            if layered && !app.stack.is_empty() {
                assert_eq!(
                    app.panes.pane, pane,
                    "{key:?} under {opener:?} left the layer's pane"
                );
            }
            if app.stack.is_empty() {
                break;
            }
        }
        let _ = screen(&app, 160, 48);
    }
}

/// A layer answers with effects and writes nothing itself: driven here with no app and
/// no disk write (the sample workspace is only read).
#[test]
fn layers_answer_with_effects_and_never_write() {
    use aims_workbench::rules::due::DueKind;
    use aims_workbench::tui::component::{Component, Ctx, Effect, Outcome, Target};
    use aims_workbench::tui::index::Index;
    use aims_workbench::tui::overlays::{Ask, Prompt};
    let ws = Workspace::open(Path::new(common::SAMPLE)).unwrap();
    let today = common::today();
    let index = Index::new(&ws, today);
    let theme = Theme::resolve("dark", ColorMode::TrueColor).0;
    let cx = Ctx {
        ws: &ws,
        index: &index,
        theme: &theme,
        today,
        user: Some("amoreau"),
        read_only: false,
    };
    let before =
        std::fs::read_to_string(Path::new(common::SAMPLE).join("risks/RISK-021.yaml")).unwrap();
    let press = |layer: &mut dyn Component, keys: &str| {
        let mut last = Outcome::Ignored;
        for c in keys.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            last = layer.on_key(&KeyEvent::new(code, KeyModifiers::NONE), &cx);
        }
        last
    };
    let target = Target {
        record: "RISK-021".into(),
        kind: DueKind::Review,
        index: None,
    };
    let mut date = Prompt::new(Ask::RescheduleDate, target);
    let Outcome::Close(effects) = press(&mut date, "+2w\n") else {
        panic!("a good date closes the date prompt")
    };
    let Some(Effect::Push(mut reason)) = effects.into_iter().next() else {
        panic!("and asks for the reason")
    };
    let Outcome::Close(effects) = press(reason.as_mut(), "owner away\n") else {
        panic!("a reason closes it")
    };
    match effects.as_slice() {
        [Effect::SaveFields { id, fields, .. }] => {
            assert_eq!(id, "RISK-021");
            assert_eq!(fields.text("next_review").as_deref(), Some("2026-12-06"));
        }
        _ => panic!("one save asked for"),
    }

    let mut walk = Walk::open("AUD-2026-01", &ws).unwrap();
    let at = walk.cursor;
    match press(&mut walk, "c") {
        Outcome::Consumed(effects) => match effects.as_slice() {
            [Effect::SaveFields { id, fields, .. }] => {
                assert_eq!(id, "AUD-2026-01");
                let item = fields.list("checklist")[at].as_map().unwrap().clone();
                assert_eq!(item.text("result").as_deref(), Some("conforming"));
            }
            _ => panic!("one save asked for"),
        },
        _ => panic!("c is the walk's"),
    }
    let after =
        std::fs::read_to_string(Path::new(common::SAMPLE).join("risks/RISK-021.yaml")).unwrap();
    assert_eq!(before, after, "nothing written by a layer");
}

#[test]
fn snapshots_of_a_form_being_typed_in_and_a_record_popup_at_its_end() {
    let mut app = app_at(Path::new(common::SAMPLE));
    typed(&mut app, "2e");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, " v2");
    insta::assert_snapshot!("form_typing_160x48", screen(&app, 160, 48));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    typed(&mut app, "d");
    typed(&mut app, "jj");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "G");
    let _ = screen(&app, 80, 24);
    insta::assert_snapshot!("record_popup_end_80x24", screen(&app, 80, 24));
}

//! Times `r` + Enter (mark reviewed on Home) → caches refreshed → one Home frame, on a
//! workspace on disk (one made by `cargo bench --bench e2e -- --generate DIR`).
//!
//! Run: `cargo run --release --example save_timing -- DIR [N]` (the workspace's files are
//! changed: run it on a copy or a generated workspace). Prints the median of N saves.
use aims_workbench::domain::dates::parse_date;
use aims_workbench::tui::app::App;
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::view;
use aims_workbench::workspace::Workspace;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("DIR");
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let today = parse_date("2026-11-22").unwrap();
    let t = Instant::now();
    let ws = Workspace::open(std::path::Path::new(&dir)).unwrap();
    let theme = Theme::resolve("dark", ColorMode::TrueColor).0;
    let mut app = App::new(ws, today, Some("amoreau".into()), false, theme);
    eprintln!(
        "loaded {} records, {} findings, {} due in {:.1} s",
        app.ws.records.len(),
        app.index.findings.len(),
        app.index.due.len(),
        t.elapsed().as_secs_f64()
    );
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    terminal.draw(|f| view::draw(f, &app)).unwrap();
    let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
    let (mut saves, mut frames) = (Vec::new(), Vec::new());
    let mut i = 0;
    while saves.len() < n && i < 10 * n {
        i += 1;
        app.panes.home_cursor = i;
        app.status = None;
        app.on_key(key(KeyCode::Char('r')));
        let t = Instant::now();
        app.on_key(key(KeyCode::Enter));
        let saved = t.elapsed();
        terminal.draw(|f| view::draw(f, &app)).unwrap();
        let total = t.elapsed();
        eprintln!(
            "save {i}: {:>7.1} ms, + frame {:>7.1} ms  {:?}",
            saved.as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3,
            app.status
        );
        // Only saves count (the item may be one without a review cycle).
        if !app
            .status
            .as_ref()
            .is_some_and(|(m, _)| m.ends_with(" saved"))
        {
            continue;
        }
        saves.push(saved.as_secs_f64() * 1e3);
        frames.push(total.as_secs_f64() * 1e3);
    }
    saves.sort_by(f64::total_cmp);
    frames.sort_by(f64::total_cmp);
    println!(
        "r+Enter median: save+refresh {:.1} ms, → frame drawn {:.1} ms ({} runs)",
        saves[n / 2],
        frames[n / 2],
        n
    );
}

//! Draw every pane of the workbench over a generated 10,000-record workspace, search it
//! with the finder, and rebuild the caches; report medians.
//!
//! Run: `cargo bench --bench tui` (optionally `-- 20000` for another size).
//! Not a timed test: it prints figures, it does not fail on them. Targets: a frame under
//! 5 ms, a finder search under 10 ms.

mod common;

use aims_workbench::domain::dates::parse_date;
use aims_workbench::tui::app::App;
use aims_workbench::tui::finder::search;
use aims_workbench::tui::pane::Pane;
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::view;
use aims_workbench::workspace::Workspace;
use common::{generate, median};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];
const WARM_UP: usize = 5;
const FRAMES: usize = 50;
const FRAME_TARGET_MS: f64 = 5.0;
const QUERIES: [&str; 4] = ["risk bias", "SYS-00042", "model card", "prmpt inj"];
const SEARCHES: usize = 50;
const FINDER_TARGET_MS: f64 = 10.0;
const REFRESHES: usize = 7;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn over(value_ms: f64, target_ms: f64) -> &'static str {
    if value_ms > target_ms {
        "  over target"
    } else {
        ""
    }
}

fn main() {
    let total: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), total);
    let today = parse_date("2026-11-22").unwrap();
    let ws = Workspace::open(dir.path()).unwrap();
    let theme = Theme::resolve("dark", ColorMode::TrueColor).0;
    let mut app = App::new(ws, today, Some("amoreau".into()), false, theme);

    println!(
        "tui: {} records ({} findings, {} due items), {} threads",
        app.ws.records.len(),
        app.index.findings.len(),
        app.index.due.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    for (w, h) in SIZES {
        println!(
            "frames at {w}×{h}: median of {FRAMES} after {WARM_UP} warm-up, target {FRAME_TARGET_MS} ms"
        );
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        for pane in Pane::ALL {
            app.panes.pane = pane;
            let mut times = Vec::with_capacity(FRAMES);
            for n in 0..WARM_UP + FRAMES {
                let t = Instant::now();
                terminal.draw(|f| view::draw(f, &app)).unwrap();
                if n >= WARM_UP {
                    times.push(t.elapsed());
                }
            }
            let m = ms(median(times));
            println!(
                "  {:<15} median {m:>8.2} ms{}",
                pane.title(),
                over(m, FRAME_TARGET_MS)
            );
        }
    }

    println!("finder: median of {SEARCHES}, limit 200, target {FINDER_TARGET_MS} ms");
    for query in QUERIES {
        let mut times = Vec::with_capacity(SEARCHES);
        let mut hits = 0;
        for _ in 0..SEARCHES {
            let t = Instant::now();
            let found = search(&app.index.haystacks, query, 200);
            times.push(t.elapsed());
            hits = found.len();
            std::hint::black_box(found);
        }
        let m = ms(median(times));
        let label = format!("\"{query}\"");
        println!(
            "  {label:<15} median {m:>8.2} ms ({hits} results){}",
            over(m, FINDER_TARGET_MS)
        );
    }

    // A list filter typed a key at a time: each key after the first narrows the rows the
    // previous one kept (the cached lowercase text of every field).
    println!("list filter, typed a key at a time (median of 5 per key)");
    for pane in [Pane::Inventory, Pane::Risks, Pane::Findings] {
        app.panes.pane = pane;
        for query in ["model", "llm"] {
            let mut line = format!("  {:<12} \"{query}\":", pane.title());
            for end in 1..=query.len() {
                let mut times = Vec::with_capacity(5);
                let mut rows = 0;
                for _ in 0..5 {
                    app.panes
                        .set_filter(pane, &app.ws, &app.index, &query[..end - 1]);
                    let t = Instant::now();
                    app.panes
                        .set_filter(pane, &app.ws, &app.index, &query[..end]);
                    times.push(t.elapsed());
                    rows = app.panes.list(pane).map_or(0, |l| l.rows.len());
                }
                line.push_str(&format!(" {:.1} ms ({rows})", ms(median(times))));
            }
            println!("{line}");
            app.panes.set_filter(pane, &app.ws, &app.index, "");
        }
    }

    let mut times = Vec::with_capacity(REFRESHES);
    for _ in 0..REFRESHES {
        let t = Instant::now();
        app.refresh();
        times.push(t.elapsed());
    }
    println!(
        "refresh (caches after a save), {REFRESHES} runs: median {:>8.1} ms",
        ms(median(times))
    );
}

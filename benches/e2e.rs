//! The whole program measured: the real release binary in a pseudo terminal, on generated
//! 10,000- and 100,000-record workspaces, with the file watcher on (its default).
//!
//! Run:
//!   cargo bench --bench e2e                       # 10,000 records
//!   cargo bench --bench e2e -- 10000 100000       # both sizes (100,000 takes minutes)
//!   cargo bench --bench e2e -- --generate DIR --records 10000   # only write a workspace
//!
//! Options: `--runs N` keystrokes per key trial (20), `--launches N` (3), `--idle SECS` (10),
//! `--dir DIR` where the trial workspaces are written (the system temp dir), `--keep`
//! keeps them. `AIMS_BIN` picks another binary.
//!
//! Every wait has a deadline; none of them is a fixed sleep. A trial that misses its deadline
//! is reported as such (with how many samples it got) and the bench goes on. Not a timed
//! test: it prints figures, it does not fail on them.
#![cfg(unix)]

mod common;

use common::{Plan, generate, git, git_command, git_commit_all, median};
use expectrl::{Session, session::OsSession};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-22";
const USER: &str = "amoreau";
const COLS: u16 = 120;
const ROWS: u16 = 40;
const CTRL_P: &str = "\x10";
const ESC: &str = "\x1b";
/// The branch the checkout trial moves to: 500 system files with new names.
const BRANCH: &str = "bench-500";
const CHECKOUT_FILES: usize = 500;
const RENAMED: &str = "Checked-out name";

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    launches: usize,
    idle: Duration,
    dir: Option<PathBuf>,
    keep: bool,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = Options {
        sizes: Vec::new(),
        runs: 20,
        launches: 3,
        idle: Duration::from_secs(10),
        dir: None,
        keep: false,
    };
    let mut generate_to = None;
    let mut records = 10_000;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .unwrap_or_else(|| panic!("{name} needs a value"))
                .clone()
        };
        match a.as_str() {
            "--bench" => {}
            "--generate" => generate_to = Some(PathBuf::from(value("--generate"))),
            "--records" => records = value("--records").parse().expect("--records N"),
            "--runs" => opts.runs = value("--runs").parse().expect("--runs N"),
            "--launches" => opts.launches = value("--launches").parse().expect("--launches N"),
            "--idle" => {
                opts.idle = Duration::from_secs(value("--idle").parse().expect("--idle SECS"))
            }
            "--dir" => opts.dir = Some(PathBuf::from(value("--dir"))),
            "--keep" => opts.keep = true,
            n if n.parse::<usize>().is_ok() => opts.sizes.push(n.parse().unwrap()),
            other => {
                panic!("unknown argument {other:?}; see the top of benches/e2e.rs for the options")
            }
        }
    }
    if let Some(dir) = generate_to {
        let t = Instant::now();
        let plan = prepare(&dir, records);
        println!(
            "wrote {} records to {} in {:.1} s (a git repository; branch {BRANCH} renames {} systems)\n{plan:?}\n\
             try: target/release/aims {} --today {TODAY} --as {USER}",
            plan.records(),
            dir.display(),
            t.elapsed().as_secs_f64(),
            CHECKOUT_FILES.min(plan.systems),
            dir.display()
        );
        return;
    }
    if opts.sizes.is_empty() {
        opts.sizes.push(10_000);
    }
    let bin = binary();
    println!("binary: {}", bin.display());
    let mut tables = Vec::new();
    for &size in &opts.sizes {
        tables.push((size, run_size(&bin, size, &opts)));
    }
    for (size, rows) in &tables {
        print_table(*size, rows);
    }
}

/// The release binary: the one cargo built for this bench, `AIMS_BIN`, or built on demand.
fn binary() -> PathBuf {
    if let Ok(p) = std::env::var("AIMS_BIN") {
        return PathBuf::from(p);
    }
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_aims"));
    if !bin.exists() {
        eprintln!(
            "{} is missing: building it with `cargo build --release --bin aims` (takes minutes)",
            bin.display()
        );
        let ok = Command::new(env!("CARGO"))
            .args(["build", "--release", "--bin", "aims", "--manifest-path"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok && bin.exists(), "could not build {}", bin.display());
    }
    bin
}

/// Writes the workspace, commits it, and prepares the checkout branch.
fn prepare(dir: &Path, total: usize) -> Plan {
    assert!(
        !dir.join("aims.yaml").exists(),
        "{} already holds a workspace",
        dir.display()
    );
    std::fs::create_dir_all(dir).unwrap();
    let plan = generate(dir, total);
    git_commit_all(dir, "Generated workspace");
    git(dir, &["checkout", "-q", "-b", BRANCH]);
    for i in 1..=CHECKOUT_FILES.min(plan.systems) {
        let path = dir.join(format!("systems/SYS-{i:05}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replacen("\nname: ", &format!("\nname: {RENAMED} {i} was "), 1);
        std::fs::write(&path, text).unwrap();
    }
    git(dir, &["commit", "-q", "-am", "Rename 500 systems"]);
    git(dir, &["checkout", "-q", "main"]);
    plan
}

/// One row of the result table: what, the median (or why there is none), how many samples.
struct Row {
    what: String,
    value: String,
    note: String,
}

fn row(what: &str, value: String, note: String) -> Row {
    eprintln!("  {what}: {value}  {note}");
    Row {
        what: what.to_string(),
        value,
        note,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// The median of what a series got, with how many samples and timeouts.
fn series(what: &str, s: &Series) -> Row {
    let n = s.samples.len();
    let value = if n == 0 {
        "—".to_string()
    } else {
        ms(median(s.samples.clone()))
    };
    let mut note = if n == 0 {
        String::new()
    } else {
        let min = *s.samples.iter().min().unwrap();
        let max = *s.samples.iter().max().unwrap();
        format!("n={n}, min {}, max {}", ms(min), ms(max))
    };
    if let Some(why) = &s.stopped {
        note.push_str(&format!("; {why}"));
    }
    row(what, value, note)
}

#[derive(Default)]
struct Series {
    samples: Vec<Duration>,
    stopped: Option<String>,
}

fn print_table(size: usize, rows: &[Row]) {
    println!("\n== whole program, {size} records, watcher on ==");
    let w = rows
        .iter()
        .map(|r| r.what.chars().count())
        .max()
        .unwrap_or(0);
    for r in rows {
        println!("{:<w$}  {:>12}  {}", r.what, r.value, r.note);
    }
}

fn run_size(bin: &Path, size: usize, opts: &Options) -> Vec<Row> {
    let base = opts.dir.clone().unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&base).unwrap();
    let tmp = tempfile::Builder::new()
        .prefix(&format!("aims-e2e-{size}-"))
        .tempdir_in(&base)
        .unwrap();
    let ws = tmp.path().join("ws");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join(".config")).unwrap();
    let t = Instant::now();
    let plan = prepare(&ws, size);
    eprintln!(
        "[{size}] generated {} records in {:.1} s at {}",
        plan.records(),
        t.elapsed().as_secs_f64(),
        ws.display()
    );
    // Large workspaces get longer deadlines: today's binary needs seconds for one key there.
    let scale = (size as f64 / 10_000.0).max(1.0);
    let key_deadline = Duration::from_secs_f64(10.0 * scale.min(6.0));
    let load_deadline = Duration::from_secs_f64(60.0 * scale.min(10.0));
    let budget = Duration::from_secs_f64(60.0 * scale.min(3.0));
    let mut rows = Vec::new();

    // Launch → first frame, → all panes ready, over fresh launches.
    let (mut first, mut ready) = (Series::default(), Series::default());
    for _ in 0..opts.launches {
        let mut tui = Tui::start(bin, &ws, &home);
        let t0 = tui.started;
        match tui.wait(load_deadline, |t| t.text().contains("1 Home")) {
            Some(_) => first.samples.push(t0.elapsed()),
            None => first.stopped = Some(format!("no frame after {load_deadline:?}")),
        }
        match tui.wait(load_deadline, home_ready) {
            Some(_) => ready.samples.push(t0.elapsed()),
            None => ready.stopped = Some(format!("Home not filled after {load_deadline:?}")),
        }
        tui.stop();
    }
    rows.push(series("launch → first frame", &first));
    rows.push(series("launch → all panes ready (Home counts)", &ready));

    // Everything else in one session.
    let mut tui = Tui::start(bin, &ws, &home);
    if tui.wait(load_deadline, home_ready).is_none() {
        rows.push(row(
            "session",
            "—".into(),
            "Home never filled; no further trials".into(),
        ));
        tui.stop();
        return rows;
    }
    tui.settle(key_deadline);
    eprintln!("[{size}] ready; key trials");
    rows.push(series(
        "key → screen: pane switch (2 / 1)",
        &pane_switches(&mut tui, opts.runs, key_deadline, budget),
    ));
    rows.push(series(
        "key → screen: j in Inventory",
        &moves(&mut tui, opts.runs, key_deadline, budget),
    ));
    rows.push(series(
        "key → screen: filter character (/ in Inventory)",
        &typing(&mut tui, "/", "filter: ", opts.runs, key_deadline, budget),
    ));
    rows.push(series(
        "key → screen: finder character (Ctrl-P)",
        &typing(&mut tui, CTRL_P, "> ", opts.runs, key_deadline, budget),
    ));
    eprintln!("[{size}] saves");
    let (screen, file) = mark_reviewed(&mut tui, &ws, 5, key_deadline, budget);
    rows.push(series("r + Enter (Home) → screen (“saved”)", &screen));
    rows.push(series("r + Enter (Home) → file on disk", &file));
    let (screen, file) = walk_results(&mut tui, &ws, 5, key_deadline, budget);
    rows.push(series("walk `c` (AUD-00001) → screen (n+1/N)", &screen));
    rows.push(series("walk `c` (AUD-00001) → file on disk", &file));

    eprintln!("[{size}] idle {:?}", opts.idle);
    tui.send("1");
    tui.wait(key_deadline, home_ready);
    tui.settle(key_deadline);
    let (cpu, bytes) = tui.idle(opts.idle);
    rows.push(row(
        &format!("CPU over {} s idle", opts.idle.as_secs()),
        cpu.map_or("—".into(), |c| format!("{c:.2} s")),
        cpu.map_or(String::new(), |c| {
            format!("{:.0} % of a core", 100.0 * c / opts.idle.as_secs_f64())
        }),
    ));
    rows.push(row(
        &format!("bytes to the terminal over {} s idle", opts.idle.as_secs()),
        format!("{bytes} B"),
        String::new(),
    ));

    eprintln!("[{size}] git checkout");
    let (visible, quiet) = checkout(&mut tui, &ws, load_deadline);
    rows.push(visible);
    rows.push(quiet);
    let rss = tui.peak_rss_mib();
    rows.push(row(
        "peak RSS (VmHWM) of the session",
        rss.map_or("—".into(), |r| format!("{r:.0} MiB")),
        String::new(),
    ));
    tui.stop();
    if opts.keep {
        let kept = tmp.keep();
        eprintln!("[{size}] kept {}", kept.display());
    }
    rows
}

/// Home is filled: its title carries the counts ("Today 2026-11-22: 12 overdue, …").
fn home_ready(t: &Tui) -> bool {
    let text = t.text();
    text.contains(&format!("Today {TODAY}: ")) && text.contains("overdue")
}

fn pane_switches(tui: &mut Tui, runs: usize, deadline: Duration, budget: Duration) -> Series {
    let mut s = Series::default();
    let start = Instant::now();
    for k in 0..runs {
        let (key, want): (&str, fn(&Tui) -> bool) = if k % 2 == 0 {
            ("2", |t| t.text().contains("Inventory ("))
        } else {
            ("1", home_ready)
        };
        if !tui.timed(key, deadline, want, &mut s) {
            break;
        }
        if over_budget(start, budget, &mut s) {
            break;
        }
        tui.settle(deadline);
    }
    tui.send("1");
    tui.wait(deadline, home_ready);
    tui.settle(deadline);
    s
}

fn moves(tui: &mut Tui, runs: usize, deadline: Duration, budget: Duration) -> Series {
    let mut s = Series::default();
    tui.send("2");
    if tui
        .wait(deadline, |t| t.text().contains("Inventory ("))
        .is_none()
    {
        s.stopped = Some("Inventory never showed".into());
        return s;
    }
    tui.settle(deadline);
    let start = Instant::now();
    for _ in 0..runs {
        let before = tui.selected();
        if !tui.timed("j", deadline, |t| t.selected() != before, &mut s) {
            break;
        }
        if over_budget(start, budget, &mut s) {
            break;
        }
        tui.settle(deadline);
    }
    s
}

/// Opens the filter or the finder with `open`, then types one letter at a time; each is timed
/// until the input line shows it. Esc closes and opens again after each word.
fn typing(
    tui: &mut Tui,
    open: &str,
    prompt: &str,
    runs: usize,
    deadline: Duration,
    budget: Duration,
) -> Series {
    const WORDS: [&str; 4] = ["credit", "bias", "vendor", "drift"];
    let mut s = Series::default();
    let start = Instant::now();
    'words: for word in WORDS.iter().cycle() {
        tui.send(open);
        // The input shows its prompt (the caret is the terminal's own cursor, not a glyph).
        let shown = prompt.to_string();
        if tui.wait(deadline, |t| t.text().contains(&shown)).is_none() {
            s.stopped = Some(format!("{open:?} did not open its input"));
            break;
        }
        tui.settle(deadline);
        for n in 1..=word.len() {
            let want = format!("{prompt}{}", &word[..n]);
            if !tui.timed(
                &word[n - 1..n],
                deadline,
                |t| t.text().contains(&want),
                &mut s,
            ) {
                break 'words;
            }
            tui.settle(deadline);
            if s.samples.len() >= runs || over_budget(start, budget, &mut s) {
                break 'words;
            }
        }
        tui.send(ESC);
        tui.wait(deadline, |t| !t.text().contains(&shown));
        tui.settle(deadline);
    }
    tui.send(ESC);
    tui.settle(deadline);
    s
}

fn over_budget(start: Instant, budget: Duration, s: &mut Series) -> bool {
    if start.elapsed() > budget {
        s.stopped = Some(format!("stopped at the {budget:?} budget"));
        true
    } else {
        false
    }
}

/// The file of a record id, by its prefix.
fn record_path(ws: &Path, id: &str) -> PathBuf {
    let dir = match id.split('-').next().unwrap_or("") {
        "SYS" => "systems",
        "RISK" => "risks",
        "IA" => "impact-assessments",
        "SUP" => "suppliers",
        "NC" => "nonconformities",
        "INC" => "incidents",
        "DOC" => "documents",
        "OBJ" => "objectives",
        "AUD" => "audits",
        "MR" => "management-reviews",
        _ => "soa",
    };
    ws.join(dir).join(format!("{id}.yaml"))
}

/// A record id in a row of text: the first word that looks like one.
fn id_in(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == '│')
        .find(|w| {
            let prefix = w.split('-').next().unwrap_or("");
            w.contains('-')
                && [
                    "SYS", "RISK", "IA", "SUP", "NC", "INC", "DOC", "OBJ", "AUD", "MR",
                ]
                .contains(&prefix)
        })
        .map(str::to_string)
}

/// `r`, then Enter on the empty note, on the selected Home item; timed from Enter to the
/// "saved" message and to the file's new content.
fn mark_reviewed(
    tui: &mut Tui,
    ws: &Path,
    runs: usize,
    deadline: Duration,
    budget: Duration,
) -> (Series, Series) {
    let (mut screen, mut file) = (Series::default(), Series::default());
    tui.send("1");
    if tui.wait(deadline, home_ready).is_none() {
        screen.stopped = Some("Home never showed".into());
        return (screen, file);
    }
    tui.settle(deadline);
    let start = Instant::now();
    for _ in 0..runs {
        // A review item (the first rows may be audits or actions, which `r` does not take).
        for _ in 0..60 {
            if tui.selected().iter().any(|r| r.contains(" review ")) {
                break;
            }
            let before = tui.selected();
            tui.send("j");
            tui.wait(deadline, |t| t.selected() != before);
            tui.settle(deadline);
        }
        let Some(id) = tui
            .selected()
            .iter()
            .filter(|r| r.contains(" review "))
            .find_map(|r| id_in(r))
        else {
            screen.stopped = Some(format!("no selected Home item\n{}", tui.text()));
            break;
        };
        let path = record_path(ws, &id);
        let before = std::fs::read(&path).unwrap_or_default();
        tui.send("r");
        let prompt = format!("Mark {id} reviewed");
        if tui.wait(deadline, |t| t.text().contains(&prompt)).is_none() {
            screen.stopped = Some(format!("r on {id} showed no prompt"));
            tui.send(ESC);
            break;
        }
        tui.settle(deadline);
        let saved = format!("{id} saved");
        let (s, f) = tui.timed_save("\r", deadline, &path, &before, |t| {
            t.text().contains(&saved)
        });
        push(&mut screen, s, "no “saved” message", deadline);
        push(&mut file, f, "file unchanged", deadline);
        if screen.stopped.is_some() || file.stopped.is_some() {
            break;
        }
        if over_budget(start, budget, &mut screen) {
            break;
        }
        tui.settle(deadline);
    }
    (screen, file)
}

fn push(s: &mut Series, d: Option<Duration>, what: &str, deadline: Duration) {
    match d {
        Some(d) => s.samples.push(d),
        None => s.stopped = Some(format!("{what} after {deadline:?}")),
    }
}

/// The walk's progress ("AUD-00001 12/65 "): (done, total).
fn walk_progress(t: &Tui) -> Option<(usize, usize)> {
    let header = t.screen_rows().into_iter().take(3).collect::<Vec<_>>();
    header.iter().find_map(|h| {
        let rest = &h[h.find("AUD-00001 ")? + "AUD-00001 ".len()..];
        let word = rest.split_whitespace().next()?;
        let (a, b) = word.split_once('/')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    })
}

/// The walk's current item number ("  item 13 ").
fn walk_item(t: &Tui) -> Option<usize> {
    t.screen_rows().into_iter().take(3).find_map(|h| {
        let rest = &h[h.find("  item ")? + "  item ".len()..];
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// The Audits pane, Enter on AUD-00001 (in progress) opens the walk at its first open item;
/// `c` records conforming. Timed from `c` to the new progress and to the file's new content.
fn walk_results(
    tui: &mut Tui,
    ws: &Path,
    runs: usize,
    deadline: Duration,
    budget: Duration,
) -> (Series, Series) {
    let (mut screen, mut file) = (Series::default(), Series::default());
    tui.send("8");
    if tui
        .wait(deadline, |t| {
            t.text().contains("Audits (") && t.selected().iter().any(|r| r.contains("AUD-00001"))
        })
        .is_none()
    {
        screen.stopped = Some("Audits pane without AUD-00001 selected".into());
        return (screen, file);
    }
    tui.settle(deadline);
    tui.send("\r");
    if tui.wait(deadline, |t| walk_progress(t).is_some()).is_none() {
        screen.stopped = Some(format!("Enter opened no walk\n{}", tui.text()));
        return (screen, file);
    }
    tui.settle(deadline);
    let path = record_path(ws, "AUD-00001");
    let start = Instant::now();
    for _ in 0..runs {
        let Some((done, _)) = walk_progress(tui) else {
            break;
        };
        let before = std::fs::read(&path).unwrap_or_default();
        let (s, f) = tui.timed_save("c", deadline, &path, &before, |t| {
            walk_progress(t).is_some_and(|(d, _)| d > done)
        });
        push(&mut screen, s, "progress unchanged", deadline);
        push(&mut file, f, "file unchanged", deadline);
        if screen.stopped.is_some() || file.stopped.is_some() {
            break;
        }
        if over_budget(start, budget, &mut screen) {
            break;
        }
        tui.settle(deadline);
        // Tab: on to the next item (not timed).
        let item = walk_item(tui);
        tui.send("\t");
        if tui.wait(deadline, |t| walk_item(t) != item).is_none() {
            screen.stopped = Some("Tab did not move to the next item".into());
            break;
        }
        tui.settle(deadline);
    }
    // Out of the walk, back to Home.
    for _ in 0..3 {
        if walk_progress(tui).is_none() {
            break;
        }
        tui.send(ESC);
        tui.settle(deadline);
    }
    (screen, file)
}

/// `git checkout` of the branch that renames 500 systems, with Inventory open at SYS-00001:
/// timed to the new name on the screen, and to quiet (no output and no CPU for a second).
fn checkout(tui: &mut Tui, ws: &Path, deadline: Duration) -> (Row, Row) {
    tui.send("2");
    tui.wait(deadline, |t| t.text().contains("Inventory ("));
    tui.settle(deadline);
    // Any renamed system in the list (its name column is narrow beside the detail).
    let renamed = RENAMED[..11].to_string();
    // git runs beside the workbench, which is read on while it works.
    let t0 = Instant::now();
    let child = std::cell::RefCell::new(
        git_command(ws)
            .args(["checkout", "-q", BRANCH])
            .spawn()
            .expect("run git"),
    );
    let git_done = std::cell::Cell::new(None);
    let reap = || {
        if git_done.get().is_none() && child.borrow_mut().try_wait().is_ok_and(|s| s.is_some()) {
            git_done.set(Some(t0.elapsed()));
        }
    };
    let shown = tui
        .wait(deadline, |t| {
            reap();
            t.text().contains(&renamed)
        })
        .map(|_| t0.elapsed());
    while git_done.get().is_none() && t0.elapsed() < deadline {
        reap();
        tui.pump();
        std::thread::sleep(Duration::from_millis(5));
    }
    let git_took = git_done.get();
    let git_took = git_took.map_or("still running".into(), ms);
    let visible = match shown {
        Some(shown) => row(
            "git checkout of 500 files → new name on screen",
            ms(shown),
            format!("from the start of git; git itself took {git_took}"),
        ),
        None => row(
            "git checkout of 500 files → new name on screen",
            "—".into(),
            format!(
                "not shown after {deadline:?} (a renamed system must be on screen in Inventory)\n{}",
                tui.text()
            ),
        ),
    };
    // A program that never goes quiet is reported after a minute, at most.
    let quiet_deadline = deadline.min(Duration::from_secs(60));
    let quiet = match tui.quiet(quiet_deadline, Duration::from_secs(1)) {
        Some(at) => row(
            "git checkout of 500 files → quiet (1 s no output, <2 % CPU)",
            ms(at.duration_since(t0)),
            String::new(),
        ),
        None => row(
            "git checkout of 500 files → quiet (1 s no output, <2 % CPU)",
            "—".into(),
            format!("never quiet within {quiet_deadline:?} after the checkout"),
        ),
    };
    (visible, quiet)
}

/// The running workbench: the pty session, the emulated screen, and the bytes received.
struct Tui {
    session: OsSession,
    parser: vt100::Parser,
    bytes: usize,
    eof: bool,
    pid: i32,
    started: Instant,
}

impl Tui {
    fn start(bin: &Path, ws: &Path, home: &Path) -> Tui {
        let mut cmd = Command::new(bin);
        cmd.arg(ws)
            .args(["--today", TODAY, "--as", USER])
            .env("TERM", "xterm-256color")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"));
        for var in [
            "USER",
            "LOGNAME",
            "COLORTERM",
            "NO_COLOR",
            "COLUMNS",
            "LINES",
            "AIMS_TODAY",
        ] {
            cmd.env_remove(var);
        }
        let started = Instant::now();
        let mut session = Session::spawn(cmd).expect("spawn aims in a pty");
        session
            .get_process_mut()
            .set_window_size(COLS, ROWS)
            .unwrap();
        let pid = session.get_process().pid().as_raw();
        Tui {
            session,
            parser: vt100::Parser::new(
                std::num::NonZeroU16::new(ROWS).unwrap(),
                std::num::NonZeroU16::new(COLS).unwrap(),
                0,
            ),
            bytes: 0,
            eof: false,
            pid,
            started,
        }
    }

    /// Reads whatever the program has written so far, without blocking.
    fn pump(&mut self) {
        let mut buf = [0u8; 64 * 1024];
        while !self.eof {
            match self.session.try_read(&mut buf) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.parser.process(&buf[..n]);
                    self.bytes += n;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => self.eof = true,
            }
        }
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    fn screen_rows(&self) -> Vec<String> {
        self.parser.screen().rows(0, COLS).collect()
    }

    /// The rows drawn selected (a background colour or reverse video where a box's text
    /// starts), as text.
    fn selected(&self) -> Vec<String> {
        let screen = self.parser.screen();
        self.screen_rows()
            .into_iter()
            .enumerate()
            .skip(1)
            .filter(|&(row, _)| {
                (0..COLS).any(|col| {
                    screen.cell(row as u16, col).is_some_and(|cell| {
                        (cell.inverse() || cell.bgcolor() != vt100::Color::Default)
                            && !cell.contents().trim().is_empty()
                    })
                })
            })
            .map(|(_, text)| text)
            .collect()
    }

    /// Polls until `ok` holds; the time it took, or None after `deadline`.
    fn wait(&mut self, deadline: Duration, ok: impl Fn(&Tui) -> bool) -> Option<Duration> {
        let start = Instant::now();
        loop {
            self.pump();
            if ok(self) {
                return Some(start.elapsed());
            }
            if self.eof || start.elapsed() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Sends `key` and times it until `ok`; false (with the reason in `s`) on a timeout.
    fn timed(
        &mut self,
        key: &str,
        deadline: Duration,
        ok: impl Fn(&Tui) -> bool,
        s: &mut Series,
    ) -> bool {
        self.send(key);
        match self.wait(deadline, ok) {
            Some(d) => {
                s.samples.push(d);
                true
            }
            None => {
                s.stopped = Some(format!(
                    "key {key:?}: no change after {deadline:?} ({} samples before)",
                    s.samples.len()
                ));
                false
            }
        }
    }

    /// Sends `key` and times it until the screen shows `ok` and until `path` differs from
    /// `before`, both in one polling loop.
    fn timed_save(
        &mut self,
        key: &str,
        deadline: Duration,
        path: &Path,
        before: &[u8],
        ok: impl Fn(&Tui) -> bool,
    ) -> (Option<Duration>, Option<Duration>) {
        self.send(key);
        let start = Instant::now();
        let (mut screen, mut file) = (None, None);
        while start.elapsed() <= deadline && (screen.is_none() || file.is_none()) {
            self.pump();
            if screen.is_none() && ok(self) {
                screen = Some(start.elapsed());
            }
            if file.is_none() && std::fs::read(path).is_ok_and(|now| now != before) {
                file = Some(start.elapsed());
            }
            if self.eof {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        (screen, file)
    }

    fn send(&mut self, keys: &str) {
        self.session.write_all(keys.as_bytes()).unwrap();
        self.session.flush().unwrap();
    }

    /// Reads until nothing has arrived for 50 ms, so the last frame is whole (at most
    /// `deadline`: a program that redraws forever is read on).
    fn settle(&mut self, deadline: Duration) {
        let start = Instant::now();
        let mut seen = self.bytes;
        let mut quiet_since = Instant::now();
        while start.elapsed() < deadline && !self.eof {
            self.pump();
            if self.bytes != seen {
                seen = self.bytes;
                quiet_since = Instant::now();
            } else if quiet_since.elapsed() >= Duration::from_millis(50) {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// When the program went quiet: `window` with no output and under 2 % CPU.
    fn quiet(&mut self, deadline: Duration, window: Duration) -> Option<Instant> {
        let start = Instant::now();
        let mut since = Instant::now();
        let mut seen = self.bytes;
        let mut cpu = self.cpu_seconds()?;
        while start.elapsed() < deadline && !self.eof {
            std::thread::sleep(Duration::from_millis(20));
            self.pump();
            let now_cpu = self.cpu_seconds()?;
            if self.bytes != seen {
                seen = self.bytes;
                since = Instant::now();
                cpu = now_cpu;
            } else if since.elapsed() >= window {
                if now_cpu - cpu <= 0.02 * window.as_secs_f64() {
                    return Some(since);
                }
                since = Instant::now();
                cpu = now_cpu;
            }
        }
        None
    }

    /// CPU seconds used over `window` of idling, and the bytes written meanwhile.
    fn idle(&mut self, window: Duration) -> (Option<f64>, usize) {
        let cpu0 = self.cpu_seconds();
        let bytes0 = self.bytes;
        let start = Instant::now();
        while start.elapsed() < window && !self.eof {
            self.pump();
            std::thread::sleep(Duration::from_millis(20));
        }
        let cpu = match (cpu0, self.cpu_seconds()) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        };
        (cpu, self.bytes - bytes0)
    }

    /// utime + stime of the process, from /proc/PID/stat.
    fn cpu_seconds(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).ok()?;
        let rest = &stat[stat.rfind(')')? + 2..];
        let f: Vec<&str> = rest.split_whitespace().collect();
        // Fields 14 and 15 of stat(5), counted from the state (field 3) here.
        let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
        Some(ticks / clock_ticks())
    }

    fn peak_rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }

    /// q, then a hang-up and a kill if it does not end within 10 s.
    fn stop(&mut self) {
        self.send("q");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            self.pump();
            if !matches!(
                self.session.get_process().status(),
                Ok(expectrl::process::unix::WaitStatus::StillAlive)
            ) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        eprintln!("aims did not quit within 10 s of q: killing it");
        let _ = self.session.get_process_mut().exit(true);
    }
}

/// The kernel's clock ticks per second (`getconf CLK_TCK`; 100 on Linux).
fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

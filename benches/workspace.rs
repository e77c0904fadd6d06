//! Load + validate a generated 10,000-record workspace; report medians and peak memory.
//!
//! Run: `cargo bench --bench workspace` (optionally `-- 20000` for another size).
//! Not a timed test: it prints figures, it does not fail on them.

mod common;

use aims_workbench::domain::dates::parse_date;
use aims_workbench::rules::due::obligations;
use aims_workbench::workspace::Workspace;
use common::{generate, median};
use std::time::{Duration, Instant};

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let total: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), total);
    let today = parse_date("2026-11-22").unwrap();
    let rss_before = peak_rss_mib().unwrap_or(0.0);

    let runs = 7;
    let (mut load, mut validate, mut due) = (Vec::new(), Vec::new(), Vec::new());
    let (mut records, mut findings, mut errors) = (0, 0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let ws = Workspace::open(dir.path()).unwrap();
        load.push(t.elapsed());
        let t = Instant::now();
        let f = ws.check(today);
        validate.push(t.elapsed());
        let t = Instant::now();
        let d = obligations(&ws.records, &ws.settings, today);
        due.push(t.elapsed());
        records = ws.records.len();
        findings = f.len();
        errors = f.iter().filter(|x| x.is_error()).count();
        std::hint::black_box(d);
    }
    let (l, v, d) = (median(load.clone()), median(validate.clone()), median(due));
    let both: Vec<Duration> = load.iter().zip(&validate).map(|(a, b)| *a + *b).collect();
    println!(
        "workspace: {records} records ({findings} findings, {errors} errors), {runs} runs, {} threads",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("load            median {:>8.1} ms", l.as_secs_f64() * 1e3);
    println!("validate        median {:>8.1} ms", v.as_secs_f64() * 1e3);
    println!(
        "load + validate median {:>8.1} ms",
        median(both).as_secs_f64() * 1e3
    );
    println!("due list        median {:>8.1} ms", d.as_secs_f64() * 1e3);
    if let Some(peak) = peak_rss_mib() {
        println!("peak RSS        {peak:.0} MiB (before loading: {rss_before:.0} MiB)");
    }
}

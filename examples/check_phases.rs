//! Where the time of `aims check` goes, phase by phase, in one process: reading every
//! record file, parsing them (2 threads), the whole load cold (`--no-cache`) and warm
//! (parse cache valid), the per-record rules and the workspace-wide rules.
//!
//! Run: `cargo run --release --example check_phases -- DIR [N]` on a generated workspace
//! (`cargo bench --bench e2e -- --generate DIR --records N`); prints the median of N runs.
use aims_workbench::domain::RecordType;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::workspace::Workspace;
use aims_workbench::workspace::load::parse_yaml;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `f` over `items` on two threads (halves; the files are alike).
fn two<T: Sync>(items: &[T], f: impl Fn(&T) + Sync) {
    let (a, b) = items.split_at(items.len() / 2);
    std::thread::scope(|s| {
        s.spawn(|| a.iter().for_each(&f));
        b.iter().for_each(&f);
    });
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("DIR"));
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let today = parse_date("2026-11-22").unwrap();
    let mut files = Vec::new();
    for kind in RecordType::ALL {
        if let Ok(entries) = std::fs::read_dir(dir.join(kind.dir())) {
            files.extend(entries.flatten().map(|e| e.path()));
        }
    }
    let texts: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let mut rows: Vec<(&str, Vec<f64>)> = Vec::new();
    let mut time = |name: &'static str, f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        let s = t.elapsed().as_secs_f64();
        match rows.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.push(s),
            None => rows.push((name, vec![s])),
        }
    };
    for _ in 0..n {
        time("read every file (2 threads)", &mut || {
            two(&files, |p| {
                std::hint::black_box(std::fs::read(p).ok());
            })
        });
        time("parse every file (2 threads)", &mut || {
            two(&texts, |t| {
                std::hint::black_box(parse_yaml(t, Path::new("x")).ok());
            })
        });
        let mut ws = None;
        time("load, cold (no cache)", &mut || {
            ws = Some(Workspace::open_with(&dir, false).unwrap());
        });
        std::mem::forget(ws.take());
        time("load, warm (cache valid)", &mut || {
            ws = Some(Workspace::open_with(&dir, true).unwrap());
        });
        let ws = ws.unwrap();
        time("  of which: parse cache decode", &mut || {
            std::hint::black_box(aims_workbench::workspace::cache::Cache::load(&dir));
        });
        time("check (per-record + workspace-wide)", &mut || {
            std::hint::black_box(ws.check(today));
        });
        std::mem::forget(ws);
    }
    println!("{} files, median of {n}:", files.len());
    for (name, v) in rows {
        println!("{:>8.3} s  {name}", median(v));
    }
}

//! `aims history ID` and `aims trends`: the workspace's git history, printed.

use super::{Format, exit};
use crate::domain::settings::SETTINGS_FILE;
use crate::domain::text::{escape_json_extras, one_line};
use crate::workspace::Workspace;
use crate::workspace::history::{self, Touch};
use crate::workspace::trends::{self, NC_AGE_BUCKETS, Trends};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// The record's id, e.g. RISK-004 or A.6.2.4.
    pub id: String,
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Output: text for people, json for tools.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct TrendsArgs {
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Output: text for people, json for tools, csv for spreadsheets.
    #[arg(long, value_enum, default_value_t)]
    pub format: TrendsFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TrendsFormat {
    #[default]
    Text,
    Json,
    Csv,
}

fn open(dir: &Option<PathBuf>, err: &mut dyn Write) -> Option<Workspace> {
    let dir = dir.clone().unwrap_or_else(|| PathBuf::from("."));
    match Workspace::open(&dir) {
        Ok(ws) => Some(ws),
        Err(e) => {
            let _ = writeln!(err, "aims: {}", one_line(&e.to_string()));
            None
        }
    }
}

pub fn run_history(args: &HistoryArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some(ws) = open(&args.dir, err) else {
        return exit::USAGE;
    };
    let Some(record) = ws.get(&args.id) else {
        let _ = writeln!(
            err,
            "aims: no record `{}` in {}: check the id (`aims check` lists what was read)",
            one_line(&args.id),
            ws.root.display()
        );
        return exit::USAGE;
    };
    let h = history::record_history(&ws.root, record);
    if args.format == Format::Json {
        if let Ok(s) = serde_json::to_string_pretty(&h.to_json()) {
            let _ = writeln!(out, "{}", escape_json_extras(&s));
        }
        return exit::OK;
    }
    let _ = writeln!(out, "History of {} — {}", h.id, one_line(&record.title()));
    for note in &h.notes {
        let _ = writeln!(out, "  ({})", one_line(note));
    }
    if h.entries.is_empty() && h.notes.is_empty() {
        let _ = writeln!(out, "  no commit touched {}", record.path.display());
    }
    for e in &h.entries {
        let _ = writeln!(out);
        let what = match &e.touch {
            Touch::Uncommitted => "not committed".to_string(),
            Touch::Renamed { from } => format!("renamed from {}", one_line(from)),
            Touch::Added => "created".into(),
            Touch::Deleted => "deleted".into(),
            Touch::Modified => String::new(),
        };
        match &e.commit {
            None => {
                let _ = writeln!(out, "● {what}");
            }
            Some(c) => {
                let _ = writeln!(
                    out,
                    "● {}  {}  {}  {}{}",
                    e.date.get(..10).unwrap_or(&e.date),
                    &c[..c.len().min(10)],
                    one_line(&e.author),
                    one_line(&e.message),
                    if what.is_empty() {
                        String::new()
                    } else {
                        format!("  [{what}]")
                    }
                );
            }
        }
        if let Some(p) = &e.problem {
            let _ = writeln!(out, "    (fields not compared: {})", one_line(p));
        }
        // A creation lists every field: its count says as much and keeps the list short.
        if e.touch == Touch::Added {
            let _ = writeln!(out, "    {} fields", e.changes.len());
            continue;
        }
        for c in &e.changes {
            let _ = writeln!(
                out,
                "    {}: {}",
                one_line(&c.field),
                one_line(&c.summary())
            );
        }
    }
    exit::OK
}

pub fn run_trends(args: &TrendsArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    // Trends read git, not the working tree: the workspace is not loaded, so a run with
    // nothing new costs a `git log` and the cache.
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if !dir.join(SETTINGS_FILE).exists() {
        let e = crate::workspace::OpenError::NotAWorkspace(dir);
        let _ = writeln!(err, "aims: {}", one_line(&e.to_string()));
        return exit::USAGE;
    }
    let t = trends::trends(&dir);
    match args.format {
        TrendsFormat::Json => {
            if let Ok(s) = serde_json::to_string_pretty(&t) {
                let _ = writeln!(out, "{}", escape_json_extras(&s));
            }
        }
        TrendsFormat::Csv => write_csv(out, &t),
        TrendsFormat::Text => write_text(out, &t),
    }
    exit::OK
}

/// The risk bands named in any point, lowest first as the newest method orders them.
fn bands(t: &Trends) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in &t.points {
        for b in p.risks_by_band.keys() {
            if !out.contains(b) {
                out.push(b.clone());
            }
        }
    }
    out
}

const COLUMNS: [&str; 12] = [
    "date",
    "commit",
    "overdue",
    "due_soon",
    "soa_assessed",
    "soa_applicable",
    "soa_in_place",
    "risks_open",
    "risks_above_appetite",
    "ncs_open",
    "ia_current",
    "ia_stale",
];

fn write_csv(out: &mut dyn Write, t: &Trends) {
    let bands = bands(t);
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(bands.iter().map(|b| format!("risks_{}", csv_safe(b))));
    header.extend(NC_AGE_BUCKETS.iter().map(|b| format!("ncs_age_{b}")));
    let _ = writeln!(out, "{}", header.join(","));
    for p in &t.points {
        let mut row = vec![
            p.date.to_string(),
            p.commit.clone(),
            p.overdue.to_string(),
            p.due_soon.to_string(),
            p.soa_assessed.to_string(),
            p.soa_applicable.to_string(),
            p.soa_in_place.to_string(),
            p.risks_open.to_string(),
            p.risks_above_appetite.to_string(),
            p.ncs_open.to_string(),
            p.ia_current.to_string(),
            p.ia_stale.to_string(),
        ];
        row.extend(
            bands
                .iter()
                .map(|b| p.risks_by_band.get(b).copied().unwrap_or(0).to_string()),
        );
        row.extend(p.nc_ageing.iter().map(|n| n.to_string()));
        let _ = writeln!(out, "{}", row.join(","));
    }
}

/// A band name as a CSV header cell: names come from aims.yaml, so no commas or quotes.
fn csv_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn write_text(out: &mut dyn Write, t: &Trends) {
    for note in &t.notes {
        let _ = writeln!(out, "({})", one_line(note));
    }
    let (Some(first), Some(last)) = (t.points.first(), t.points.last()) else {
        let _ = writeln!(out, "No trend points.");
        return;
    };
    let _ = writeln!(
        out,
        "Trends: {} points, {} → {} (one per day, the day's last commit; at most {})",
        t.points.len(),
        first.date,
        last.date,
        trends::MAX_POINTS
    );
    let _ = writeln!(
        out,
        "\n{:<10}  {:>7} {:>8}  {:>13}  {:>10} {:>6}  {:>7} {:>6}  {:>10}",
        "date",
        "overdue",
        "due-soon",
        "SoA as/ap/in",
        "risks open",
        ">app.",
        "NCs open",
        ">90d",
        "IA cur/old"
    );
    for p in &t.points {
        let soa = format!("{}/{}/{}", p.soa_assessed, p.soa_applicable, p.soa_in_place);
        let ia = format!("{}/{}", p.ia_current, p.ia_stale);
        let _ = writeln!(
            out,
            "{:<10}  {:>7} {:>8}  {:>13}  {:>10} {:>6}  {:>7} {:>6}  {:>10}",
            p.date.to_string(),
            p.overdue,
            p.due_soon,
            soa,
            p.risks_open,
            p.risks_above_appetite,
            p.ncs_open,
            p.nc_ageing[2] + p.nc_ageing[3],
            ia
        );
    }
    let bands = bands(t);
    if !bands.is_empty() {
        let _ = writeln!(
            out,
            "\nOpen risks by band, newest point: {}",
            bands
                .iter()
                .map(|b| format!(
                    "{} {}",
                    one_line(b),
                    last.risks_by_band.get(b).copied().unwrap_or(0)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !t.months.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<8}  {:>9} {:>9}  incidents by severity",
            "month", "NCs rais.", "NCs clos."
        );
        for m in &t.months {
            let inc = m
                .incidents
                .iter()
                .map(|(s, n)| format!("{} {n}", one_line(s)))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                out,
                "{:<8}  {:>9} {:>9}  {inc}",
                m.month, m.ncs_raised, m.ncs_closed
            );
        }
    }
}

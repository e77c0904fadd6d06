//! `aims import TYPE FILE [DIR]`: records from a spreadsheet. The plan and the writes are
//! in `interop::import`; this file reads the arguments, prints the plan and asks.

use super::{Env, exit};
use crate::domain::text::one_line;
use crate::interop::cells::DateOrder;
use crate::interop::import::{self, Action, ColumnUse, Options, Plan};
use crate::interop::read;
use crate::interop::register::{parse_type, type_names};
use crate::workspace::Workspace;
use clap::Args;
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  aims import risks risks.csv --dry-run\n  aims import systems inventory.xlsx --sheet 'AI inventory' --key name\n  aims import suppliers vendors.csv --map vendors-map.yaml --dayfirst"
)]
pub struct ImportArgs {
    /// The record type: systems, risks, suppliers, documents, incidents, soa, ...
    #[arg(value_name = "TYPE")]
    pub kind: String,
    /// The spreadsheet: CSV (any delimiter; UTF-8 or Windows-1252), XLSX or ODS.
    pub file: PathBuf,
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// XLSX/ODS: the sheet to read (default: the one named like TYPE, else the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// A YAML file of `Column header: field_name` lines (`~` ignores a column).
    #[arg(long, value_name = "FILE.yaml")]
    pub map: Option<PathBuf>,
    /// Match rows to existing records by this column (e.g. `name`) when they carry no id.
    #[arg(long, value_name = "COLUMN")]
    pub key: Option<String>,
    /// Keep columns that are no field, as extra fields named after the column.
    #[arg(long)]
    pub keep_unknown: bool,
    /// Read 03/04/2026 as 3 April (day first); without it such dates must be unambiguous.
    #[arg(long)]
    pub dayfirst: bool,
    /// Show what each row would become; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows even when some are invalid (those are listed and left out).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Write without asking, even on a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub fn run(args: &ImportArgs, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let usage = |err: &mut dyn Write, msg: String| {
        let _ = writeln!(err, "aims: {}", one_line(&msg));
        exit::USAGE
    };
    let Some(kind) = parse_type(&args.kind) else {
        return usage(
            err,
            format!(
                "`{}` is not a record type: give one of {}",
                args.kind,
                type_names()
            ),
        );
    };
    let map = match &args.map {
        None => Default::default(),
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| import::read_map(&t))
            .and_then(|m| import::check_map(kind, &m).map(|()| m))
        {
            Ok(m) => m,
            Err(e) => return usage(err, format!("--map {}: {e}", p.display())),
        },
    };
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let mut ws = match Workspace::open(&dir) {
        Ok(ws) => ws,
        Err(e) => return usage(err, e.to_string()),
    };
    let table = match read::read(&args.file, args.sheet.as_deref(), kind.dir()) {
        Ok(t) => t,
        Err(e) => return usage(err, format!("{}: {e}", args.file.display())),
    };
    let opts = Options {
        kind,
        map,
        key: args.key.clone(),
        keep_unknown: args.keep_unknown,
        dates: if args.dayfirst {
            DateOrder::DayFirst
        } else {
            DateOrder::MonthFirst
        },
        today: env.today,
    };
    let plan = match import::plan(&ws, &table, &opts) {
        Ok(p) => p,
        Err(e) => return usage(err, format!("{}: {e}", args.file.display())),
    };
    print_plan(out, &plan, &args.file);
    let invalid = plan.count(Action::Invalid);
    let writes = plan.count(Action::New) + plan.count(Action::Update);
    if invalid > 0 && !args.skip_invalid {
        let _ = writeln!(
            out,
            "Nothing written: {invalid} row{} invalid. Fix {}, or pass --skip-invalid to import the others.",
            if invalid == 1 { " is" } else { "s are" },
            if invalid == 1 { "it" } else { "them" }
        );
        return exit::FINDINGS;
    }
    if args.dry_run {
        let _ = writeln!(out, "Dry run: nothing written.");
        return exit::OK;
    }
    if writes == 0 {
        let _ = writeln!(
            out,
            "Nothing to write: {}",
            if invalid > 0 {
                "no valid row is new or changed."
            } else {
                "the workspace already holds these records."
            }
        );
        return exit::OK;
    }
    // On a terminal the plan is a question; in a script the command is the decision.
    if !args.yes && env.width.is_some() && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let _ = write!(
            out,
            "Write {writes} record{}? [y/N] ",
            if writes == 1 { "" } else { "s" }
        );
        let _ = out.flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            let _ = writeln!(out, "Nothing written.");
            return exit::OK;
        }
    }
    match import::apply(&mut ws, &plan, env.today) {
        Ok(done) => {
            let _ = writeln!(
                out,
                "Written: {} created, {} updated ({} unchanged, {} skipped).",
                done.created, done.updated, done.unchanged, done.skipped
            );
            exit::OK
        }
        Err((done, e)) => {
            let _ = writeln!(
                err,
                "aims: stopped at {}; before it {} created, {} updated. Every file on disk is whole; run the import again once fixed.",
                one_line(&e),
                done.created,
                done.updated
            );
            exit::FINDINGS
        }
    }
}

fn print_plan(out: &mut dyn Write, plan: &Plan, file: &std::path::Path) {
    let _ = writeln!(
        out,
        "Import {} from {} ({}), header on row {}",
        plan.kind.dir(),
        one_line(&file.display().to_string()),
        one_line(&plan.how),
        plan.header_line
    );
    let fields: Vec<String> = plan
        .columns
        .iter()
        .filter_map(|(h, u)| match u {
            ColumnUse::Field(f) => Some(format!("{} → {}", one_line(h), f.name)),
            ColumnUse::SubField(p, f) => Some(format!("{} → {}.{}", one_line(h), p.name, f.name)),
            ColumnUse::Unknown(k) => Some(format!("{} → {k} (kept, unknown)", one_line(h))),
            _ => None,
        })
        .collect();
    let _ = writeln!(out, "Columns: {}", fields.join(", "));
    let ignored: Vec<String> = plan
        .columns
        .iter()
        .filter_map(|(h, u)| match u {
            ColumnUse::Ignored(why) if !h.is_empty() => Some(format!("{} ({why})", one_line(h))),
            _ => None,
        })
        .collect();
    if !ignored.is_empty() {
        let _ = writeln!(out, "Not imported: {}", ignored.join(", "));
    }
    let dropped: Vec<String> = plan
        .columns
        .iter()
        .filter(|(_, u)| matches!(u, ColumnUse::Dropped))
        .map(|(h, _)| one_line(h))
        .collect();
    if !dropped.is_empty() {
        let _ = writeln!(
            out,
            "Unknown columns, left out (--keep-unknown keeps them): {}",
            dropped.join(", ")
        );
    }
    for r in &plan.rows {
        let id = if r.id.is_empty() {
            "—"
        } else {
            r.id.as_str()
        };
        let what = match r.action {
            Action::Update => format!("update: {}", r.changed.join(", ")),
            a => a.label().to_string(),
        };
        let _ = writeln!(out, "row {:<4} {:<12} {what}", r.line, one_line(id));
        for e in &r.errors {
            let _ = writeln!(out, "           error: {}", one_line(e));
        }
        for w in &r.warnings {
            let _ = writeln!(out, "           warning: {}", one_line(w));
        }
    }
    let _ = writeln!(
        out,
        "{} rows: {} new, {} to update, {} unchanged, {} invalid",
        plan.rows.len(),
        plan.count(Action::New),
        plan.count(Action::Update),
        plan.count(Action::Unchanged),
        plan.count(Action::Invalid)
    );
}

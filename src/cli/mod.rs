//! The headless commands. Each returns its exit code; `main` only parses and dispatches.

pub mod check;
pub mod crosswalk;
pub mod due;
pub mod export;
pub mod history;
pub mod import;
pub mod init;
pub mod readiness;
pub mod report;
pub mod review_pack;
pub mod summary;

use crate::domain::Settings;
use crate::domain::dates::{Date, parse_date};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Exit codes shared by the commands.
pub mod exit {
    pub const OK: i32 = 0;
    /// `check`: errors found; `due`: something is overdue; `init`: refused.
    pub const FINDINGS: i32 = 1;
    /// Not a workspace, or bad arguments.
    pub const USAGE: i32 = 2;
}

#[derive(Parser, Debug)]
#[command(
    name = "aims",
    version,
    about = "AIMS Workbench: run an ISO/IEC 42001 AI management system from a plain-text workspace",
    after_help = "Try it: aims check sample-workspace; aims due sample-workspace --today 2026-11-22"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The workspace directory (default: the current directory).
    #[arg(global = false)]
    pub dir: Option<PathBuf>,
    /// Open the workbench for viewing only: every editing key is off.
    #[arg(long)]
    pub read_only: bool,
    /// Colour theme: dark, light, high-contrast, monochrome, or a theme file's path
    /// (default: the `theme:` of the user config, else dark; NO_COLOR selects monochrome).
    #[arg(long, value_name = "NAME|PATH")]
    pub theme: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// The date to treat as today (YYYY-MM-DD); default: the system date.
    #[arg(long, global = true, env = "AIMS_TODAY", value_parser = parse_today)]
    pub today: Option<Date>,
    /// Act as this person (person id or login); default: $USER matched against people's login.
    #[arg(long = "as", global = true, value_name = "PERSON")]
    pub as_person: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate the workspace: every record against its rules, every reference.
    Check(check::CheckArgs),
    /// The morning list: what is overdue and what falls due soon.
    Due(due::DueArgs),
    /// Create a minimal workspace that passes `aims check`.
    Init(init::InitArgs),
    /// Reports for people: `report audit AUD-ID` (Markdown or printable HTML).
    Report(report::ReportArgs),
    /// Exports for auditors and spreadsheets: `export soa|TYPE|all|calendar` (Markdown,
    /// printable HTML, CSV, XLSX; ICS for the calendar).
    Export(export::ExportArgs),
    /// A record's history from git: each commit that touched it, field by field.
    History(history::HistoryArgs),
    /// Trends over the git history: due dates, SoA, risks, NCs, incidents, one point a day.
    Trends(history::TrendsArgs),
    /// Import records from a spreadsheet (CSV, XLSX, ODS): `import risks risks.xlsx`.
    Import(import::ImportArgs),
    /// Walk an internal audit live in the workbench, resuming at its first open item.
    Audit(AuditArgs),
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The audit's id, e.g. AUD-2026-01.
    pub id: String,
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

fn parse_today(s: &str) -> Result<Date, String> {
    parse_date(s).ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD"))
}

/// Who is acting, resolved from `--as` or the login name passed in by `main`.
pub struct Identity {
    pub person: Option<String>,
    /// What was asked for, for messages when it did not resolve.
    pub asked: Option<String>,
}

impl Identity {
    pub fn resolve(settings: &Settings, as_person: Option<&str>, login: Option<&str>) -> Identity {
        let asked = as_person.or(login).map(str::to_string);
        let person = match as_person {
            Some(p) => settings
                .person(p)
                .or_else(|| settings.person_by_login(p))
                .map(|p| p.id.clone()),
            None => login
                .and_then(|l| settings.person_by_login(l))
                .map(|p| p.id.clone()),
        };
        Identity { person, asked }
    }
}

/// What every command is given: the clock and the user, read once by `main`.
pub struct Env {
    pub today: Date,
    pub login: Option<String>,
    /// The terminal's width when output goes to one; `None` for pipes (mail, CI logs),
    /// which get lines in full.
    pub width: Option<usize>,
}

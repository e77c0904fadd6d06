//! `aims [DIR]` without a command: a one-screen summary of the workspace.

use super::{Env, exit};
use crate::domain::RecordType;
use crate::domain::text::one_line;
use crate::rules::due::{DueState, obligations};
use crate::workspace::Workspace;
use std::io::Write;
use std::path::Path;

pub fn run(dir: &Path, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let ws = match Workspace::open(dir) {
        Ok(ws) => ws,
        Err(e) => {
            let _ = writeln!(err, "aims: {}", one_line(&e.to_string()));
            return exit::USAGE;
        }
    };
    let findings = ws.check(env.today);
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let due = obligations(&ws.records, &ws.settings, env.today);
    let overdue = due.iter().filter(|d| d.state == DueState::Overdue).count();
    let soon = due.iter().filter(|d| d.state == DueState::DueSoon).count();
    let _ = writeln!(
        out,
        "{} — AIMS workspace at {}",
        one_line(&ws.settings.organization),
        one_line(&dir.display().to_string())
    );
    for kind in RecordType::ALL {
        let n = ws.of_type(kind).count();
        let _ = writeln!(out, "  {:<20} {n:>5}", kind.dir());
    }
    let soa = crate::rules::soa::SoaProgress::of(ws.of_type(RecordType::Soa));
    let _ = writeln!(out, "SoA: {}", soa.headline());
    let _ = writeln!(
        out,
        "{} error{}, {} warning{}; {overdue} overdue, {soon} due soon (as of {})",
        errors,
        if errors == 1 { "" } else { "s" },
        findings.len() - errors,
        if findings.len() - errors == 1 {
            ""
        } else {
            "s"
        },
        env.today
    );
    let _ = writeln!(out, "See `aims check`, `aims due`; `aims --help` for more.");
    exit::OK
}

//! `aims check`: validate the whole workspace.

use super::{Env, Format, exit};
use crate::domain::text::one_line;
use crate::domain::{Finding, Severity};
use crate::rules::registry;
use crate::workspace::{OpenError, Workspace};
use clap::Args;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Output: text for people, json for tools.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Explain a rule: what it checks, why an auditor cares, how to fix it.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
    /// List every rule with its code and default severity.
    #[arg(long, conflicts_with = "explain")]
    pub list_rules: bool,
    /// Parse every file, neither reading nor writing the parse cache in .aims/cache/.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    workspace: String,
    records: usize,
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

pub fn run(args: &CheckArgs, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    // One write per 64 KiB, not per line (stdout is line-buffered): 66,000 lines of
    // findings at 100,000 records were as many system calls.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let code = run_buffered(args, env, &mut out, err);
    let _ = out.flush();
    code
}

fn run_buffered(args: &CheckArgs, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if args.list_rules {
        return list_rules(args.format, out);
    }
    if let Some(code) = &args.explain {
        return match registry::rule_of(code.trim()) {
            Some(rule) => {
                let _ = write!(out, "{}", registry::explain(rule));
                exit::OK
            }
            None => {
                let _ = writeln!(
                    err,
                    "aims: no rule is called `{}`: see `aims check --list-rules`",
                    one_line(code)
                );
                exit::USAGE
            }
        };
    }
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let ws = match Workspace::open_with(&dir, !args.no_cache) {
        Ok(ws) => ws,
        Err(e @ OpenError::NotAWorkspace(_)) | Err(e @ OpenError::Io(..)) => {
            let _ = writeln!(err, "aims: {}", one_line(&e.to_string()));
            return exit::USAGE;
        }
    };
    let findings = ws.check(env.today);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let _ = match args.format {
        Format::Json => {
            let report = Report {
                workspace: dir.display().to_string(),
                records: ws.records.len(),
                errors,
                warnings,
                findings: &findings,
            };
            serde_json::to_string_pretty(&report)
                .map(|s| writeln!(out, "{}", crate::domain::text::escape_json_extras(&s)))
        }
        Format::Text => {
            write_text(out, &findings);
            Ok(writeln!(
                out,
                "{errors} error{}, {warnings} warning{} in {} records",
                plural(errors),
                plural(warnings),
                ws.records.len()
            ))
        }
    };
    // The process ends right after: freeing millions of small allocations one by one
    // took a tenth of a warm check at 100,000 records; the OS takes them back at once.
    std::mem::forget(findings);
    std::mem::forget(ws);
    if errors > 0 || (args.strict && warnings > 0) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

#[derive(Serialize)]
struct RuleRow {
    code: &'static str,
    severity: Severity,
    configurable: bool,
    summary: &'static str,
    checks: &'static str,
    why: &'static str,
    fix: &'static str,
}

fn list_rules(format: Format, out: &mut dyn Write) -> i32 {
    match format {
        Format::Text => {
            let _ = write!(out, "{}", registry::list());
        }
        Format::Json => {
            let rows: Vec<RuleRow> = registry::RULES
                .iter()
                .map(|r| RuleRow {
                    code: r.code,
                    severity: r.severity,
                    configurable: r.configurable,
                    summary: r.summary,
                    checks: r.checks,
                    why: r.why,
                    fix: r.fix,
                })
                .collect();
            if let Ok(s) = serde_json::to_string_pretty(&rows) {
                let _ = writeln!(out, "{s}");
            }
        }
    }
    exit::OK
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Findings grouped under their file: `  12:5 error   [field] message`.
pub fn write_text(out: &mut dyn Write, findings: &[Finding]) {
    let mut current = None;
    for f in findings {
        if current != Some(&f.file) {
            if current.is_some() {
                let _ = writeln!(out);
            }
            let _ = writeln!(out, "{}", one_line(&f.file.display().to_string()));
            current = Some(&f.file);
        }
        let at = match (f.line, f.column) {
            (Some(l), Some(c)) => format!("{l}:{c}"),
            (Some(l), None) => l.to_string(),
            _ => "-".to_string(),
        };
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let field = f
            .field
            .as_deref()
            .map(|x| format!("[{}] ", one_line(x)))
            .unwrap_or_default();
        // The code goes last, as linters print it: `--explain` takes it as it stands.
        let reason = f
            .severity_reason
            .as_deref()
            .map(|r| format!(" [{}]", one_line(r)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {at:>6} {sev:<7} {field}{} ({}){reason}",
            one_line(&f.message),
            f.code
        );
    }
    if !findings.is_empty() {
        let _ = writeln!(out);
    }
}

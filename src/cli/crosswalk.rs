//! `aims report crosswalk FRAMEWORK`: for each requirement of another framework, the 42001
//! items that address it and how far this workspace has them in place.

use super::report::{emit, open};
use super::{Env, exit};
use crate::domain::RecordType;
use crate::domain::text::one_line;
use crate::interop::cells::Cell;
use crate::interop::crosswalk::{self, Coverage, Framework, coverage, unmapped_controls};
use crate::interop::register::{Column, Sheet, Source};
use crate::interop::write::{self, Cover};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CrosswalkArgs {
    /// iso27001 (ISO/IEC 27001:2022 Annex A), nist-ai-rmf (NIST AI RMF 1.0) or eu-ai-act.
    #[arg(value_name = "FRAMEWORK")]
    pub framework: String,
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Output: md (Markdown), html (one printable file) or csv.
    #[arg(long, value_enum, default_value_t)]
    pub format: CrosswalkFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CrosswalkFormat {
    #[default]
    Md,
    Html,
    Csv,
}

pub fn run(args: &CrosswalkArgs, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some(fw) = Framework::from_key(&args.framework) else {
        let _ = writeln!(
            err,
            "aims: `{}` is not a framework aims maps: give one of {}",
            one_line(&args.framework),
            Framework::ALL.map(|f| f.key()).join(", ")
        );
        return exit::USAGE;
    };
    let ws = match open(args.dir.as_deref(), err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let cw = crosswalk::of(fw);
    let rows = coverage(&ws, fw);
    let col = |h: &str| Column {
        header: h.to_string(),
        source: Source::Report,
    };
    let columns = vec![
        col("Requirement"),
        col("Title"),
        col("Relation"),
        col("ISO/IEC 42001 (status here)"),
        col("Coverage"),
        col("Why"),
    ];
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let mapped = r
                .mapped
                .iter()
                .map(|(id, status)| match status.as_str() {
                    "clause" => format!("{id} (clause)"),
                    s => format!("{id} ({})", s.replace('-', " ")),
                })
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                Cell::Text(r.requirement.id.clone()),
                Cell::Text(r.requirement.title.clone()),
                Cell::Text(
                    r.requirement
                        .relation
                        .map(|x| x.label())
                        .unwrap_or("")
                        .into(),
                ),
                Cell::Text(mapped),
                Cell::Text(r.coverage.label().into()),
                Cell::Text(r.requirement.rationale.clone()),
            ]
        })
        .collect();
    let sheet = Sheet {
        kind: RecordType::Soa,
        name: "crosswalk",
        columns,
        rows: cells,
    };
    let count = |c: Coverage| rows.iter().filter(|r| r.coverage == c).count();
    let summary = format!(
        "{} requirements: {} covered, {} partly, {} gap, {} not in 42001",
        rows.len(),
        count(Coverage::Covered),
        count(Coverage::Partly),
        count(Coverage::Gap),
        count(Coverage::NotIn42001)
    );
    let unmapped = unmapped_controls(fw);
    let cover = Cover {
        organization: ws.settings.organization.clone(),
        scope: ws.settings.scope.clone(),
        exported_on: env.today,
        aims_version: env!("CARGO_PKG_VERSION"),
        doc_version: None,
        approved_by: None,
        extra: vec![
            ("Framework", cw.framework.clone()),
            ("Version", cw.version.clone()),
            ("Coverage", summary),
        ],
    };
    let title = format!("Crosswalk: {} → ISO/IEC 42001", cw.framework);
    let text = match args.format {
        CrosswalkFormat::Csv => write::csv(&sheet, false),
        CrosswalkFormat::Md => {
            let mut t = write::markdown(std::slice::from_ref(&sheet), &cover, &title);
            t.push_str(&format!(
                "\nSource: {}. 42001 Annex A controls this framework does not map to: {}.\n",
                cw.source,
                if unmapped.is_empty() {
                    "none".to_string()
                } else {
                    unmapped.join(", ")
                }
            ));
            t
        }
        CrosswalkFormat::Html => write::html(std::slice::from_ref(&sheet), &cover, &title),
    };
    emit(&text, args.out.as_deref(), out, err)
}

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
                    s if inherits(&ws, id, &r.requirement.id) => {
                        format!("{id} ({}, inherits its ISMS evidence)", s.replace('-', " "))
                    }
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
        name: "crosswalk".into(),
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
    // The AI Act: which obligations each system carries, as a sheet per system.
    let systems: Vec<Sheet> = if fw == Framework::EuAiAct {
        per_system_sheets(&ws, &rows)
    } else {
        Vec::new()
    };
    let mut sheets = vec![sheet];
    sheets.extend(systems);
    let text = match args.format {
        CrosswalkFormat::Csv => write::csv(&sheets[0], false),
        CrosswalkFormat::Md => {
            let mut t = write::markdown(&sheets, &cover, &title);
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
        CrosswalkFormat::Html => write::html(&sheets, &cover, &title),
    };
    emit(&text, args.out.as_deref(), out, err)
}

/// A table per AI system: the obligations its AI Act role and risk class bring, with the
/// 42001 controls that address each and the system's own records as evidence.
fn per_system_sheets(
    ws: &crate::workspace::Workspace,
    rows: &[crosswalk::CoverageRow],
) -> Vec<Sheet> {
    let col = |h: &str| Column {
        header: h.to_string(),
        source: Source::Report,
    };
    crosswalk::per_system(ws)
        .into_iter()
        .map(|s| {
            let head = format!(
                "{} {} — {} · {} · {}",
                s.system.id,
                s.system.title(),
                if s.roles.is_empty() {
                    "no AI Act role".to_string()
                } else {
                    s.roles.join(" and ")
                },
                s.class.unwrap_or("no risk tier"),
                if s.evidence.is_empty() {
                    "no records name it".to_string()
                } else {
                    s.evidence.join("; ")
                }
            );
            let cells = s
                .obligations
                .iter()
                .map(|&i| {
                    let r = &rows[i];
                    vec![
                        Cell::Text(r.requirement.id.clone()),
                        Cell::Text(r.requirement.title.clone()),
                        Cell::Text(
                            r.mapped
                                .iter()
                                .map(|(id, st)| format!("{id} ({})", st.replace('-', " ")))
                                .collect::<Vec<_>>()
                                .join("; "),
                        ),
                        Cell::Text(r.coverage.label().into()),
                    ]
                })
                .collect();
            Sheet {
                kind: RecordType::System,
                name: head,
                columns: vec![
                    col("Obligation"),
                    col("Title"),
                    col("ISO/IEC 42001 (status here)"),
                    col("Coverage"),
                ],
                rows: cells,
            }
        })
        .collect()
}

/// The SoA entry of a 42001 control cites this ISO/IEC 27001 control's ISMS evidence
/// (`inherited_isms`), so one evidence set serves both.
fn inherits(ws: &crate::workspace::Workspace, control: &str, iso_id: &str) -> bool {
    ws.get(control)
        .filter(|r| r.kind == RecordType::Soa)
        .is_some_and(|r| r.fields.texts("inherited_isms").iter().any(|i| i == iso_id))
}

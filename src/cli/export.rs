//! `aims export`: the registers for auditors and spreadsheets (CSV, XLSX, Markdown, HTML),
//! the formal Statement of Applicability, and the calendar feed.

use super::report::{
    Link, emit, esc, h, html_page, label, link_html, link_md, links, md, open, person_name,
};
use super::{Env, exit};
use crate::domain::catalog::{self, CatalogItem};
use crate::domain::text::one_line;
use crate::domain::{Record, RecordType};
use crate::interop::crosswalk::{self, Framework};
use crate::interop::register::{all_types, parse_type, sheet, type_names};
use crate::interop::write::{self, Cover};
use crate::rules::due::next_review;
use crate::rules::soa::Decision;
use crate::workspace::Workspace;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  aims export soa --format html --version 3 --approved-by \"A. Moreau, CEO\" --out soa.html\n  aims export all --format xlsx --out aims.xlsx\n  aims export risks --format csv --bom --out risks.csv\n  aims export calendar --out aims.ics"
)]
pub struct ExportArgs {
    /// What to export: soa, a register (systems, risks, impact-assessments, audits,
    /// nonconformities, incidents, suppliers, management-reviews, documents, objectives),
    /// all (every register: one XLSX workbook, SoA first) or calendar (the due dates, ICS).
    #[arg(value_name = "TYPE|all|calendar")]
    pub what: String,
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Output: md (Markdown), html (one printable file), csv (RFC 4180), xlsx (Excel
    /// workbook, needs --out or a pipe) or ics (calendar). Default: md; ics for calendar.
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// CSV: start with a UTF-8 byte order mark. Excel needs it to read the file as UTF-8
    /// (without it, dashes and accents come out garbled); other tools do not.
    #[arg(long)]
    pub bom: bool,
    /// The formal SoA: who approved this version (shown in the document's header block).
    #[arg(long, value_name = "NAME")]
    pub approved_by: Option<String>,
    /// The formal SoA: the document's version (shown in the header block).
    #[arg(long = "version", value_name = "VERSION")]
    pub doc_version: Option<String>,
    /// Calendar: only obligations owned by this person (person id or login; `me` is whoever runs it).
    #[arg(long, value_name = "PERSON|me")]
    pub owner: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExportFormat {
    Csv,
    #[default]
    Md,
    Html,
    Xlsx,
    Ics,
}

pub fn run(
    args: &ExportArgs,
    as_person: Option<&str>,
    env: &Env,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let what = args.what.trim().to_ascii_lowercase();
    let format = args.format.unwrap_or(if what == "calendar" {
        ExportFormat::Ics
    } else {
        ExportFormat::Md
    });
    let usage = |err: &mut dyn Write, msg: String| {
        let _ = writeln!(err, "aims: {msg}");
        exit::USAGE
    };
    if what != "calendar" && args.owner.is_some() {
        return usage(err, "--owner is for `aims export calendar`".into());
    }
    if what == "calendar" {
        if format != ExportFormat::Ics {
            return usage(
                err,
                "`export calendar` writes ICS: use --format ics (or leave --format out)".into(),
            );
        }
        return super::due::run_ics(
            args.dir.as_deref(),
            args.owner.as_deref(),
            as_person,
            env,
            args.out.as_deref(),
            out,
            err,
        );
    }
    if format == ExportFormat::Ics {
        return usage(err, "--format ics is for `aims export calendar`".into());
    }
    let types = if what == "all" {
        all_types()
    } else {
        match parse_type(&what) {
            Some(t) => vec![t],
            None => {
                return usage(
                    err,
                    format!(
                        "`{}` is not something to export: give soa, all, calendar or one of: {}",
                        one_line(&args.what),
                        type_names()
                    ),
                );
            }
        }
    };
    if format == ExportFormat::Csv && types.len() > 1 {
        return usage(
            err,
            "CSV holds one table: export one register at a time, or use --format xlsx for all"
                .into(),
        );
    }
    if format == ExportFormat::Xlsx && args.out.is_none() && env.width.is_some() {
        return usage(
            err,
            "XLSX is a binary file: give --out FILE.xlsx (or redirect the output)".into(),
        );
    }
    let ws = match open(args.dir.as_deref(), err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let cover = Cover {
        organization: ws.settings.organization.clone(),
        scope: ws.settings.scope.clone(),
        exported_on: env.today,
        aims_version: env!("CARGO_PKG_VERSION"),
        doc_version: args.doc_version.clone(),
        approved_by: args.approved_by.clone(),
        extra: Vec::new(),
    };
    // The formal SoA document keeps its own layout in Markdown and HTML.
    if types == [RecordType::Soa] && matches!(format, ExportFormat::Md | ExportFormat::Html) {
        let soa = Soa::build(&ws, env, &cover);
        let text = if format == ExportFormat::Md {
            soa.markdown()
        } else {
            soa.html()
        };
        return emit(&text, args.out.as_deref(), out, err);
    }
    let sheets: Vec<_> = types.iter().map(|t| sheet(&ws, *t)).collect();
    let title = if types.len() > 1 {
        "AIMS registers".to_string()
    } else {
        format!("Register: {}", types[0].dir())
    };
    match format {
        ExportFormat::Csv => emit(
            &write::csv(&sheets[0], args.bom),
            args.out.as_deref(),
            out,
            err,
        ),
        ExportFormat::Md => emit(
            &write::markdown(&sheets, &cover, &title),
            args.out.as_deref(),
            out,
            err,
        ),
        ExportFormat::Html => emit(
            &write::html_with(&sheets, &cover, &title, &heat_figure(&ws, &types)),
            args.out.as_deref(),
            out,
            err,
        ),
        ExportFormat::Xlsx => match write::xlsx(&sheets, &cover) {
            Ok(bytes) => emit_bytes(&bytes, args.out.as_deref(), out, err),
            Err(e) => usage(err, format!("cannot build the workbook: {e}")),
        },
        ExportFormat::Ics => exit::USAGE,
    }
}

/// The residual heat map, when the export holds the risk register.
fn heat_figure(ws: &Workspace, types: &[RecordType]) -> Vec<(String, String)> {
    if !types.contains(&RecordType::Risk) {
        return Vec::new();
    }
    let caption = "Residual risk heat map of the open risks";
    crate::interop::svg::heat_map(caption, &crate::workspace::review_pack::heat_map(ws))
        .map(|svg| vec![(caption.to_string(), svg)])
        .unwrap_or_default()
}

/// Writes bytes to `--out` (atomically: a reader never sees half a workbook) or stdout.
fn emit_bytes(
    bytes: &[u8],
    path: Option<&std::path::Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    match path {
        Some(p) => match crate::workspace::save::write_atomic(p, bytes) {
            Ok(()) => exit::OK,
            Err(e) => {
                let _ = writeln!(
                    err,
                    "aims: cannot write {}: {e}",
                    one_line(&p.display().to_string())
                );
                exit::USAGE
            }
        },
        None => match out.write_all(bytes).and_then(|()| out.flush()) {
            Ok(()) => exit::OK,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
            Err(e) => {
                let _ = writeln!(err, "aims: cannot write the output: {e}");
                exit::FINDINGS
            }
        },
    }
}

/// Whether a control applies, as the SoA states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Applicable {
    Yes,
    No,
    NotAssessed,
}

impl Applicable {
    fn label(self) -> &'static str {
        match self {
            Applicable::Yes => "yes",
            Applicable::No => "no",
            Applicable::NotAssessed => "not assessed",
        }
    }
}

/// One Annex A control, with its SoA entry when there is one.
struct Row {
    control: &'static CatalogItem,
    /// There is a file in soa/ for the control.
    has_entry: bool,
    applicable: Applicable,
    justification: Option<String>,
    /// The status value as written (`in-progress`), `not-assessed` when there is no entry.
    status: String,
    owner: Option<String>,
    evidence: Vec<Link>,
    /// ISO/IEC 27001 controls whose ISMS evidence the entry inherits.
    isms: Vec<String>,
    inherited_from: Option<String>,
    implementation: Option<String>,
    last_reviewed: Option<String>,
    /// `next_review`, or last reviewed + the SoA cadence.
    review_due: Option<String>,
    /// The other frameworks' requirements mapped to this control: (framework, ids).
    mapped: Vec<(&'static str, Vec<&'static str>)>,
}

impl Row {
    fn of(control: &'static CatalogItem, record: Option<&Record>, ws: &Workspace) -> Row {
        let Some(r) = record else {
            return Row {
                control,
                has_entry: false,
                applicable: Applicable::NotAssessed,
                justification: None,
                status: "not-assessed".into(),
                owner: None,
                evidence: Vec::new(),
                isms: Vec::new(),
                inherited_from: None,
                implementation: None,
                last_reviewed: None,
                review_due: None,
                mapped: mapped(control.id),
            };
        };
        let f = &r.fields;
        let status = f.text("status").unwrap_or_else(|| "not-assessed".into());
        // Decided as every SoA count decides it (`rules::soa::decision`): the status leads.
        let applicable = match crate::rules::soa::decision(f) {
            Decision::NotAssessed => Applicable::NotAssessed,
            Decision::Excluded => Applicable::No,
            Decision::Applies { .. } => Applicable::Yes,
        };
        Row {
            control,
            has_entry: true,
            applicable,
            justification: f.text("justification"),
            owner: f.text("owner").map(|p| person_name(&ws.settings, &p)),
            evidence: links(f.list("links")),
            isms: f.texts("inherited_isms"),
            inherited_from: f.text("inherited_from"),
            implementation: f.text("implementation"),
            last_reviewed: f.text("last_reviewed"),
            review_due: next_review(f, RecordType::Soa, &ws.settings).map(|d| d.to_string()),
            mapped: mapped(control.id),
            status,
        }
    }

    /// "ISMS evidence (27001): A.5.1, A.5.15", when the entry inherits any.
    fn isms_text(&self) -> Option<String> {
        (!self.isms.is_empty()).then(|| {
            format!(
                "{}: {}",
                label(RecordType::Soa, &["inherited_isms"], "ISMS evidence"),
                self.isms.join(", ")
            )
        })
    }

    fn status_label(&self) -> String {
        self.status.replace('-', " ")
    }
}

/// The mapped requirements of every other framework, those with any.
fn mapped(control: &str) -> Vec<(&'static str, Vec<&'static str>)> {
    Framework::ALL
        .into_iter()
        .map(|fw| (fw.name(), crosswalk::mapped_to(fw, control)))
        .filter(|(_, ids)| !ids.is_empty())
        .collect()
}

/// "ISO/IEC 27001: A.5.1, A.5.2; NIST AI RMF: GOVERN 1.2".
fn mapped_text(m: &[(&str, Vec<&str>)]) -> String {
    m.iter()
        .map(|(fw, ids)| format!("{fw}: {}", ids.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

struct Soa<'a> {
    ws: &'a Workspace,
    rows: Vec<Row>,
    today: String,
    /// `--version` and `--approved-by`.
    version: Option<String>,
    approved_by: Option<String>,
}

impl<'a> Soa<'a> {
    fn build(ws: &'a Workspace, env: &Env, cover: &Cover) -> Soa<'a> {
        let rows = catalog::CONTROLS
            .iter()
            .map(|c| {
                let record = ws.get(c.id).filter(|r| r.kind == RecordType::Soa);
                Row::of(c, record, ws)
            })
            .collect();
        Soa {
            ws,
            rows,
            today: env.today.to_string(),
            version: cover.doc_version.clone(),
            approved_by: cover.approved_by.clone(),
        }
    }

    fn count(&self, f: impl Fn(&Row) -> bool) -> usize {
        self.rows.iter().filter(|r| f(r)).count()
    }

    /// `(label, count, meaning)` for the summary.
    fn summary(&self) -> Vec<(&'static str, usize, &'static str)> {
        let status = |s: &'static str| move |r: &Row| r.status == s;
        vec![
            (
                "Annex A controls",
                self.rows.len(),
                "in ISO/IEC 42001 Annex A",
            ),
            (
                "Applicable",
                self.count(|r| r.applicable == Applicable::Yes),
                "controls the organization applies",
            ),
            (
                "Implemented",
                self.count(status("implemented")),
                "in place, with evidence",
            ),
            (
                "Inherited",
                self.count(status("inherited")),
                "provided by another party",
            ),
            (
                "In progress",
                self.count(status("in-progress")),
                "being implemented",
            ),
            (
                "Planned",
                self.count(status("planned")),
                "applicable, work not started",
            ),
            (
                "Excluded",
                self.count(|r| r.applicable == Applicable::No),
                "not applicable, with a justification",
            ),
            (
                "Not assessed",
                self.count(|r| r.applicable == Applicable::NotAssessed),
                "applicability not yet decided",
            ),
        ]
    }

    fn groups(&self) -> impl Iterator<Item = (&'static catalog::Area, Vec<&Row>)> {
        catalog::CONTROL_AREAS.iter().map(|area| {
            let rows = self
                .rows
                .iter()
                .filter(|r| r.control.area == area.id)
                .collect();
            (area, rows)
        })
    }

    fn columns() -> [&'static str; 7] {
        let s = RecordType::Soa;
        [
            label(s, &["id"], "Control"),
            "Title",
            label(s, &["applicable"], "Applicable"),
            label(s, &["justification"], "Justification"),
            label(s, &["status"], "Status"),
            label(s, &["owner"], "Owner"),
            label(s, &["links"], "Evidence"),
        ]
    }

    // ---- Markdown ---------------------------------------------------------------------

    fn markdown(&self) -> String {
        let settings = &self.ws.settings;
        let mut o = String::from("# Statement of Applicability\n\n");
        o.push_str(&format!(
            "- **Organization:** {}\n- **AIMS scope:** {}\n- **Standard:** ISO/IEC 42001:2023, Annex A (reference controls)\n- **Date:** {}\n",
            md(&settings.organization),
            md(&settings.scope),
            self.today
        ));
        if let Some(v) = &self.version {
            o.push_str(&format!("- **Document version:** {}\n", md(v)));
        }
        if let Some(a) = &self.approved_by {
            o.push_str(&format!("- **Approved by:** {}\n", md(a)));
        }
        o.push_str("\n## Summary\n\n| Summary | Controls |\n|:--|--:|\n");
        for (k, n, _) in self.summary() {
            o.push_str(&format!("| {k} | {n} |\n"));
        }
        let cols = Self::columns();
        for (area, rows) in self.groups() {
            o.push_str(&format!("\n## {} {}\n\n", area.id, area.title));
            let extra = [
                label(RecordType::Soa, &["implementation"], "Implementation"),
                "Review due",
                "Mapped (other frameworks)",
            ];
            o.push_str(&format!(
                "| {} | {} |\n",
                cols.join(" | "),
                extra.join(" | ")
            ));
            o.push_str(&format!("|{}\n", "---|".repeat(cols.len() + extra.len())));
            for r in rows {
                let status = match &r.inherited_from {
                    Some(from) => format!("{} from {}", md(&r.status_label()), md(from)),
                    None => md(&r.status_label()),
                };
                let mut evidence = r.evidence.iter().map(link_md).collect::<Vec<_>>();
                if let Some(isms) = r.isms_text() {
                    evidence.push(md(&isms));
                }
                o.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                    r.control.id,
                    r.control.title,
                    r.applicable.label(),
                    match (&r.justification, r.has_entry) {
                        (Some(j), _) => md(j),
                        (None, false) => "*no SoA entry*".to_string(),
                        (None, true) => String::new(),
                    },
                    status,
                    r.owner.as_deref().map(md).unwrap_or_default(),
                    evidence.join("; "),
                    r.implementation.as_deref().map(md).unwrap_or_default(),
                    r.review_due.as_deref().unwrap_or_default(),
                    md(&mapped_text(&r.mapped)),
                ));
            }
        }
        o.push_str(&format!(
            "\nProduced by AIMS Workbench from the workspace records on {}. Evidence paths are relative to the AIMS workspace.\n",
            self.today
        ));
        o
    }

    // ---- HTML -------------------------------------------------------------------------

    fn html(&self) -> String {
        let settings = &self.ws.settings;
        let mut b = String::new();
        b.push_str(&format!(
            "<header>\n<p class=\"kicker\">{} · ISO/IEC 42001 AI management system</p>\n<h1>Statement of Applicability</h1>\n<p class=\"subtitle\">ISO/IEC 42001:2023 Annex A reference controls · {}</p>\n</header>\n",
            h(&settings.organization),
            self.today
        ));
        b.push_str(&format!(
            "<table class=\"facts\">\n<tbody>\n<tr><th scope=\"row\">Organization</th><td>{}</td></tr>\n<tr><th scope=\"row\">AIMS scope</th><td>{}</td></tr>\n<tr><th scope=\"row\">Date</th><td>{}</td></tr>\n{}</tbody>\n</table>\n",
            h(&settings.organization),
            h(&settings.scope),
            self.today,
            [("Document version", &self.version), ("Approved by", &self.approved_by)]
                .iter()
                .filter_map(|(k, v)| v.as_deref().map(|v| format!("<tr><th scope=\"row\">{k}</th><td>{}</td></tr>\n", h(v))))
                .collect::<String>()
        ));
        b.push_str("<h2>Summary</h2>\n<table class=\"counts summary\">\n<colgroup><col style=\"width:30%\"><col style=\"width:12%\"><col style=\"width:58%\"></colgroup>\n<tbody>\n");
        for (k, n, meaning) in self.summary() {
            b.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{n}</td><td class=\"muted\">{}</td></tr>\n",
                esc(k),
                esc(meaning)
            ));
        }
        b.push_str("</tbody>\n</table>\n");

        // Id and title share a column: seven columns do not fit A4 portrait readably.
        let [
            control,
            _,
            applicable,
            justification,
            status,
            owner,
            evidence,
        ] = Self::columns();
        let cols = [control, applicable, justification, status, owner, evidence];
        let widths = [18, 11, 27, 13, 10, 21];
        for (area, rows) in self.groups() {
            b.push_str(&format!(
                "<h2 class=\"area\">{} {}</h2>\n<table class=\"grid\">\n<colgroup>{}</colgroup>\n<thead><tr>{}</tr></thead>\n<tbody>\n",
                esc(area.id),
                esc(area.title),
                widths
                    .iter()
                    .map(|w| format!("<col style=\"width:{w}%\">"))
                    .collect::<String>(),
                cols.iter()
                    .map(|c| format!("<th>{}</th>", esc(c)))
                    .collect::<String>()
            ));
            for r in rows {
                let mut justification = match (&r.justification, r.has_entry) {
                    (Some(j), _) => h(j),
                    (None, false) => "<em class=\"muted\">no SoA entry</em>".to_string(),
                    (None, true) => String::new(),
                };
                if let Some(imp) = &r.implementation {
                    justification.push_str(&format!(
                        "<div class=\"sub\"><em>{}:</em> {}</div>",
                        esc(label(
                            RecordType::Soa,
                            &["implementation"],
                            "Implementation"
                        )),
                        h(imp)
                    ));
                }
                if let Some(from) = &r.inherited_from {
                    justification.push_str(&format!(
                        "<div class=\"sub\"><em>{}:</em> {}</div>",
                        esc(label(
                            RecordType::Soa,
                            &["inherited_from"],
                            "Inherited from"
                        )),
                        h(from)
                    ));
                }
                let mut items: Vec<String> = r
                    .evidence
                    .iter()
                    .map(|l| format!("<li>{}</li>", link_html(l)))
                    .collect();
                if let Some(isms) = r.isms_text() {
                    items.push(format!("<li>{}</li>", esc(&isms)));
                }
                let evidence = if items.is_empty() {
                    String::new()
                } else {
                    format!("<ul class=\"links\">{}</ul>", items.concat())
                };
                let applicable = match r.applicable {
                    Applicable::Yes => "yes".to_string(),
                    other => format!("<strong>{}</strong>", other.label()),
                };
                let mapped = if r.mapped.is_empty() {
                    String::new()
                } else {
                    format!(
                        "<div class=\"sub muted\">{}</div>",
                        esc(&mapped_text(&r.mapped))
                    )
                };
                let status = match (&r.last_reviewed, &r.review_due) {
                    (last, Some(due)) => format!(
                        "{}<div class=\"sub muted\">{}review due {}</div>",
                        esc(&r.status_label()),
                        last.as_deref()
                            .map(|l| format!("reviewed {} · ", esc(l)))
                            .unwrap_or_default(),
                        esc(due)
                    ),
                    _ => esc(&r.status_label()),
                };
                b.push_str(&format!(
                    "<tr><td><span class=\"id\">{}</span><br>{}{mapped}</td><td>{applicable}</td><td>{justification}</td><td>{status}</td><td>{}</td><td>{evidence}</td></tr>\n",
                    esc(r.control.id),
                    esc(r.control.title),
                    r.owner.as_deref().map(h).unwrap_or_default(),
                ));
            }
            b.push_str("</tbody>\n</table>\n");
        }
        b.push_str(&format!(
            "<footer>Produced by AIMS Workbench from the workspace records on {}. Evidence paths are relative to the AIMS workspace.</footer>\n",
            self.today
        ));
        html_page(
            &format!(
                "Statement of Applicability — {} — {}",
                one_line(&settings.organization),
                self.today
            ),
            &b,
        )
    }
}

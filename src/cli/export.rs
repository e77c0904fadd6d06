//! `aims export soa`: the Statement of Applicability as auditors expect to receive it.

use super::Env;
use super::report::{
    Link, csv, emit, esc, h, html_page, label, link_html, link_md, link_text, links, md, open,
    person_name,
};
use crate::domain::catalog::{self, CatalogItem};
use crate::domain::text::one_line;
use crate::domain::{Record, RecordType};
use crate::workspace::Workspace;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: ExportKind,
}

#[derive(Subcommand, Debug)]
pub enum ExportKind {
    /// The Statement of Applicability: every Annex A control with its applicability,
    /// justification, status, owner and evidence.
    Soa(SoaArgs),
}

#[derive(Args, Debug)]
pub struct SoaArgs {
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Output: md (Markdown), html (one self-contained, printable file) or csv (RFC 4180).
    #[arg(long, value_enum, default_value_t)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExportFormat {
    Csv,
    #[default]
    Md,
    Html,
}

pub fn run(args: &ExportArgs, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match &args.what {
        ExportKind::Soa(a) => run_soa(a, env, out, err),
    }
}

fn run_soa(args: &SoaArgs, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let ws = match open(args.dir.as_deref(), err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let soa = Soa::build(&ws, env);
    let text = match args.format {
        ExportFormat::Csv => soa.csv(),
        ExportFormat::Md => soa.markdown(),
        ExportFormat::Html => soa.html(),
    };
    emit(&text, args.out.as_deref(), out, err)
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
    inherited_from: Option<String>,
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
                inherited_from: None,
            };
        };
        let f = &r.fields;
        let status = f.text("status").unwrap_or_else(|| "not-assessed".into());
        let applicable = match f.bool("applicable") {
            _ if status == "not-assessed" => Applicable::NotAssessed,
            Some(true) => Applicable::Yes,
            Some(false) => Applicable::No,
            None => Applicable::NotAssessed,
        };
        Row {
            control,
            has_entry: true,
            applicable,
            justification: f.text("justification"),
            owner: f.text("owner").map(|p| person_name(&ws.settings, &p)),
            evidence: links(f.list("links")),
            inherited_from: f.text("inherited_from"),
            status,
        }
    }

    fn status_label(&self) -> String {
        self.status.replace('-', " ")
    }
}

struct Soa<'a> {
    ws: &'a Workspace,
    rows: Vec<Row>,
    today: String,
}

impl<'a> Soa<'a> {
    fn build(ws: &'a Workspace, env: &Env) -> Soa<'a> {
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
                self.count(|r| r.status == "excluded" || r.applicable == Applicable::No),
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

    // ---- CSV --------------------------------------------------------------------------

    fn csv(&self) -> String {
        let s = RecordType::Soa;
        let [
            control,
            title,
            applicable,
            justification,
            status,
            owner,
            evidence,
        ] = Self::columns();
        let header = [
            control,
            title,
            "Area",
            applicable,
            justification,
            status,
            owner,
            evidence,
            label(s, &["inherited_from"], "Inherited from"),
        ];
        let mut o = header.map(csv).join(",");
        o.push_str("\r\n");
        for r in &self.rows {
            let area = format!(
                "{} {}",
                r.control.area,
                catalog::area_title(r.control.area).unwrap_or("")
            );
            let evidence = r.evidence.iter().map(link_text).collect::<Vec<_>>();
            let cells = [
                r.control.id.to_string(),
                r.control.title.to_string(),
                area,
                r.applicable.label().to_string(),
                r.justification.clone().unwrap_or_default(),
                r.status_label(),
                r.owner.clone().unwrap_or_default(),
                evidence.join("; "),
                r.inherited_from.clone().unwrap_or_default(),
            ];
            o.push_str(&cells.map(|c| csv(&c)).join(","));
            o.push_str("\r\n");
        }
        o
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
        o.push_str("\n## Summary\n\n| Summary | Controls |\n|:--|--:|\n");
        for (k, n, _) in self.summary() {
            o.push_str(&format!("| {k} | {n} |\n"));
        }
        let cols = Self::columns();
        for (area, rows) in self.groups() {
            o.push_str(&format!("\n## {} {}\n\n", area.id, area.title));
            o.push_str(&format!("| {} |\n", cols.join(" | ")));
            o.push_str(&format!("|{}\n", "---|".repeat(cols.len())));
            for r in rows {
                let status = match &r.inherited_from {
                    Some(from) => format!("{} from {}", md(&r.status_label()), md(from)),
                    None => md(&r.status_label()),
                };
                let evidence = r.evidence.iter().map(link_md).collect::<Vec<_>>();
                o.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} | {} |\n",
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
            "<table class=\"facts\">\n<tbody>\n<tr><th scope=\"row\">Organization</th><td>{}</td></tr>\n<tr><th scope=\"row\">AIMS scope</th><td>{}</td></tr>\n<tr><th scope=\"row\">Date</th><td>{}</td></tr>\n</tbody>\n</table>\n",
            h(&settings.organization),
            h(&settings.scope),
            self.today
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
                let evidence = if r.evidence.is_empty() {
                    String::new()
                } else {
                    format!(
                        "<ul class=\"links\">{}</ul>",
                        r.evidence
                            .iter()
                            .map(|l| format!("<li>{}</li>", link_html(l)))
                            .collect::<String>()
                    )
                };
                let applicable = match r.applicable {
                    Applicable::Yes => "yes".to_string(),
                    other => format!("<strong>{}</strong>", other.label()),
                };
                b.push_str(&format!(
                    "<tr><td><span class=\"id\">{}</span><br>{}</td><td>{applicable}</td><td>{justification}</td><td>{}</td><td>{}</td><td>{evidence}</td></tr>\n",
                    esc(r.control.id),
                    esc(r.control.title),
                    esc(&r.status_label()),
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

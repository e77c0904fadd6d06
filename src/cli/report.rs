//! `aims report audit AUD-ID`: the internal audit report, as the auditor hands it over.
//!
//! Also home of what `report` and `export` share: escaping for Markdown, HTML and CSV, the
//! printable HTML page, evidence links and people's names. Every text that comes from a
//! record goes through [`one_line`] first and then through the escaping of the output format.

use super::{Env, exit};
use crate::domain::catalog;
use crate::domain::dates::{Date, parse_date};
use crate::domain::text::one_line;
use crate::domain::{Map, Record, RecordType, Settings, Value};
use crate::rules::spec::FieldKind;
use crate::workspace::Workspace;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub what: ReportKind,
}

#[derive(Subcommand, Debug)]
pub enum ReportKind {
    /// The internal audit report: header, results, findings with their nonconformities, and
    /// the full checklist.
    Audit(AuditArgs),
    /// The stage 1 checklist: what a first certification audit expects, whether the
    /// workspace holds it current, the records that prove it and the findings in the way.
    Readiness(super::readiness::ReadinessArgs),
    /// Another framework (iso27001, nist-ai-rmf, eu-ai-act) against this workspace: each
    /// requirement, the 42001 items that address it, and whether they are in place.
    Crosswalk(super::crosswalk::CrosswalkArgs),
    /// The management review pack: the inputs of ISO/IEC 42001 9.3.2 for the period since
    /// the previous review, with trends and charts (HTML) from the git history.
    ManagementReview(super::review_pack::ReviewPackArgs),
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The audit's id, e.g. AUD-2026-01.
    #[arg(value_name = "AUD-ID")]
    pub id: String,
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Output: md (Markdown) or html (one self-contained, printable file).
    #[arg(long, value_enum, default_value_t)]
    pub format: DocFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DocFormat {
    #[default]
    Md,
    Html,
}

pub fn run(args: &ReportArgs, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match &args.what {
        ReportKind::Audit(a) => run_audit(a, env, out, err),
        ReportKind::Readiness(a) => super::readiness::run(a, env, out, err),
        ReportKind::Crosswalk(a) => super::crosswalk::run(a, env, out, err),
        ReportKind::ManagementReview(a) => super::review_pack::run(a, env, out, err),
    }
}

fn run_audit(args: &AuditArgs, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let ws = match open(args.dir.as_deref(), err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let audit = match ws.get(&args.id) {
        Some(r) if r.kind == RecordType::Audit => r,
        found => {
            let _ = writeln!(err, "aims: {}", not_an_audit(&ws, &args.id, found));
            return exit::USAGE;
        }
    };
    let report = AuditReport::build(&ws, audit, env);
    let text = match args.format {
        DocFormat::Md => report.markdown(),
        DocFormat::Html => report.html(),
    };
    emit(&text, args.out.as_deref(), out, err)
}

/// Why `id` cannot be reported on, naming the id and what the workspace has instead.
fn not_an_audit(ws: &Workspace, id: &str, found: Option<&Record>) -> String {
    let shown = one_line(id);
    if let Some(r) = found {
        return format!(
            "`{shown}` is {}, not an internal audit: give the id of an audit",
            r.kind.a_label()
        );
    }
    let file = PathBuf::from(RecordType::Audit.dir()).join(format!("{id}.yaml"));
    if ws.unreadable.contains(&file) {
        return format!(
            "audit `{shown}` could not be read ({}): run `aims check` to see why",
            one_line(&file.display().to_string())
        );
    }
    let mut ids: Vec<&str> = ws
        .of_type(RecordType::Audit)
        .map(|r| r.id.as_str())
        .collect();
    ids.sort_unstable();
    let known = if ids.is_empty() {
        "the workspace has no audits".to_string()
    } else {
        format!("audits in this workspace: {}", one_line(&ids.join(", ")))
    };
    format!("no audit `{shown}` in this workspace; {known}")
}

// ---- the audit report -----------------------------------------------------------------

/// An audit result, in the order the report counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Conforming,
    MinorNc,
    MajorNc,
    Observation,
    Ofi,
    NotAudited,
    NotYet,
    /// A value the rules do not know (`aims check` reports it); shown as written.
    Other(String),
}

impl Outcome {
    const COUNTED: [Outcome; 7] = [
        Outcome::Conforming,
        Outcome::MinorNc,
        Outcome::MajorNc,
        Outcome::Observation,
        Outcome::Ofi,
        Outcome::NotAudited,
        Outcome::NotYet,
    ];

    /// The words of the file are read by the rules' one vocabulary.
    fn of(item: &Map) -> Outcome {
        use crate::rules::audit::ItemResult as R;
        let Some(text) = item.text("result") else {
            return Outcome::NotYet;
        };
        match R::parse(&text) {
            Some(R::Conforming) => Outcome::Conforming,
            Some(R::MinorNc) => Outcome::MinorNc,
            Some(R::MajorNc) => Outcome::MajorNc,
            Some(R::Observation) => Outcome::Observation,
            Some(R::Ofi) => Outcome::Ofi,
            Some(R::NotAudited) => Outcome::NotAudited,
            None => Outcome::Other(text),
        }
    }

    /// The short label of the checklist table and the counts.
    fn label(&self) -> String {
        match self {
            Outcome::Conforming => "Conforming".into(),
            Outcome::MinorNc => "Minor NC".into(),
            Outcome::MajorNc => "Major NC".into(),
            Outcome::Observation => "Observation".into(),
            Outcome::Ofi => "OFI".into(),
            Outcome::NotAudited => "Not audited".into(),
            Outcome::NotYet => "Not yet audited".into(),
            Outcome::Other(s) => format!("{} (unknown result)", one_line(s)),
        }
    }

    /// The name in the results table.
    fn counted_as(&self) -> &'static str {
        match self {
            Outcome::Conforming => "Conforming",
            Outcome::MinorNc => "Minor nonconformity (minor NC)",
            Outcome::MajorNc => "Major nonconformity (major NC)",
            Outcome::Observation => "Observation",
            Outcome::Ofi => "Opportunity for improvement (OFI)",
            Outcome::NotAudited => "Not audited",
            Outcome::NotYet => "Not yet audited",
            Outcome::Other(_) => "Unknown result",
        }
    }

    /// The result of a finding, in words.
    fn long(&self) -> &'static str {
        match self {
            Outcome::MinorNc => "minor nonconformity",
            Outcome::MajorNc => "major nonconformity",
            Outcome::Observation => "observation",
            Outcome::Ofi => "opportunity for improvement",
            _ => "",
        }
    }

    /// The short name in the findings summary.
    fn short(&self) -> &'static str {
        match self {
            Outcome::MinorNc => "minor NC",
            Outcome::MajorNc => "major NC",
            Outcome::Observation => "observation",
            Outcome::Ofi => "OFI",
            _ => "",
        }
    }

    fn is_nc(&self) -> bool {
        matches!(self, Outcome::MinorNc | Outcome::MajorNc)
    }
}

/// The nonconformity behind an NC result.
enum NcLink<'a> {
    /// Named by the item's `nc`.
    Linked(&'a Record),
    /// Not named by the item, but an NC gives this audit and requirement as its source.
    Found(&'a Record),
    /// Named by the item, but no such nonconformity exists.
    Missing(String),
    None,
}

struct Item<'a> {
    reference: String,
    title: Option<&'static str>,
    outcome: Outcome,
    notes: Option<String>,
    evidence: Vec<Link>,
    nc: NcLink<'a>,
}

struct AuditReport<'a> {
    ws: &'a Workspace,
    audit: &'a Record,
    items: Vec<Item<'a>>,
    today: Date,
}

const FINDING_GROUPS: [(Outcome, &str); 4] = [
    (Outcome::MajorNc, "Major nonconformities"),
    (Outcome::MinorNc, "Minor nonconformities"),
    (Outcome::Observation, "Observations"),
    (Outcome::Ofi, "Opportunities for improvement"),
];

impl<'a> AuditReport<'a> {
    fn build(ws: &'a Workspace, audit: &'a Record, env: &Env) -> AuditReport<'a> {
        let items = audit
            .fields
            .list("checklist")
            .iter()
            .filter_map(Value::as_map)
            .map(|m| {
                let reference = m.text("ref").unwrap_or_default();
                let outcome = Outcome::of(m);
                let nc = match m.text("nc") {
                    Some(id) => match ws.get(&id) {
                        Some(r) if r.kind == RecordType::Nonconformity => NcLink::Linked(r),
                        _ => NcLink::Missing(id),
                    },
                    None if outcome.is_nc() => ws
                        .of_type(RecordType::Nonconformity)
                        .find(|nc| {
                            nc.fields.text("source_ref").as_deref() == Some(audit.id.as_str())
                                && (nc.fields.text("audit_item").as_deref()
                                    == Some(reference.as_str())
                                    || nc.fields.text("requirement").as_deref()
                                        == Some(reference.as_str()))
                        })
                        .map_or(NcLink::None, NcLink::Found),
                    None => NcLink::None,
                };
                Item {
                    title: catalog::find(&reference).map(|c| c.title),
                    notes: m.text("notes"),
                    evidence: links(m.list("evidence")),
                    reference,
                    outcome,
                    nc,
                }
            })
            .collect();
        AuditReport {
            ws,
            audit,
            items,
            today: env.today,
        }
    }

    fn settings(&self) -> &Settings {
        &self.ws.settings
    }

    fn text(&self, key: &str) -> Option<String> {
        self.audit.fields.text(key)
    }

    fn title(&self) -> String {
        self.text("title").unwrap_or_else(|| self.audit.id.clone())
    }

    fn count(&self, o: &Outcome) -> usize {
        self.items.iter().filter(|i| &i.outcome == o).count()
    }

    fn unknown_results(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i.outcome, Outcome::Other(_)))
            .count()
    }

    /// `(label, values)` of the header, as raw text (escaped by the renderer); a list of
    /// people has one value per person.
    fn facts(&self) -> Vec<(&'static str, Vec<String>)> {
        let s = self.settings();
        let f = &self.audit.fields;
        let one = |v: Option<String>| vec![v.unwrap_or_else(|| "—".to_string())];
        let people = |key: &str| {
            let ids = f.texts(key);
            if ids.is_empty() {
                one(None)
            } else {
                ids.iter().map(|p| person_with_role(s, p)).collect()
            }
        };
        let a = RecordType::Audit;
        vec![
            ("Organization", one(Some(s.organization.clone()))),
            ("Audit", one(Some(self.audit.id.clone()))),
            (label(a, &["title"], "Title"), one(Some(self.title()))),
            (label(a, &["scope"], "Scope"), one(self.text("scope"))),
            (
                label(a, &["lead_auditor"], "Lead auditor"),
                one(f.text("lead_auditor").map(|p| person_with_role(s, &p))),
            ),
            (label(a, &["auditors"], "Auditors"), people("auditors")),
            (label(a, &["auditees"], "Auditees"), people("auditees")),
            (
                label(a, &["planned_on"], "Planned on"),
                one(self.text("planned_on")),
            ),
            (
                label(a, &["started_on"], "Started on"),
                one(self.text("started_on")),
            ),
            (
                label(a, &["completed_on"], "Completed on"),
                one(self.text("completed_on")),
            ),
            (
                label(a, &["status"], "Status"),
                one(Some(self.status_line())),
            ),
            ("Report date", one(Some(self.today.to_string()))),
        ]
    }

    /// The conclusion and the sign-off, as raw text (escaped by the renderer). Says plainly
    /// when they are missing, since a report without them is not final.
    fn conclusion_and_sign_off(&self) -> (String, String) {
        let f = &self.audit.fields;
        let s = self.settings();
        if !crate::rules::audit::is_completed(f) {
            let conclusion = match f.text("conclusion") {
                Some(c) => format!("Draft: {c}"),
                None => "None yet: the audit is not completed.".into(),
            };
            return (
                conclusion,
                "Not signed off: the audit is not completed.".into(),
            );
        }
        let conclusion = f
            .text("conclusion")
            .unwrap_or_else(|| "Missing: the completed audit records no conclusion.".into());
        let sign = match (f.text("signed_off_by"), f.text("signed_off_on")) {
            (Some(by), Some(on)) => {
                let lead = f.text("lead_auditor");
                let not_lead = match &lead {
                    Some(l) if *l != by => {
                        format!(" (not the lead auditor, {})", person_name(s, l))
                    }
                    _ => String::new(),
                };
                format!(
                    "Signed off on {on} by {}{not_lead}.",
                    person_with_role(s, &by)
                )
            }
            (by, on) => format!(
                "Missing: the completed audit records no {}: this report is not final.",
                match (by, on) {
                    (None, None) => "sign-off (lead auditor and date)",
                    (None, _) => "signatory (who signed it off)",
                    _ => "sign-off date",
                }
            ),
        };
        (conclusion, sign)
    }

    /// A report of an audit still running says so in its title.
    fn heading(&self) -> &'static str {
        match self.text("status").as_deref() {
            Some("planned" | "in-progress") => "Interim internal audit report",
            _ => "Internal audit report",
        }
    }

    /// The status, with what it means for the report (interim, or inconsistent).
    fn status_line(&self) -> String {
        let status = self.text("status").unwrap_or_else(|| "—".into());
        let open = self.count(&Outcome::NotYet);
        let total = self.items.len();
        match status.as_str() {
            "completed" if open > 0 => format!(
                "completed, but {open} of {total} items have no result: the record needs correcting"
            ),
            "completed" => status,
            "planned" | "in-progress" => format!(
                "{} (interim report: {open} of {total} items not yet audited)",
                status.replace('-', " ")
            ),
            _ => status.replace('-', " "),
        }
    }

    fn findings(&self, o: &Outcome) -> impl Iterator<Item = &Item<'a>> {
        self.items.iter().filter(move |i| &i.outcome == o)
    }

    fn findings_summary(&self) -> String {
        let n: usize = FINDING_GROUPS.iter().map(|(o, _)| self.count(o)).sum();
        let parts: Vec<String> = FINDING_GROUPS
            .iter()
            .map(|(o, _)| {
                let n = self.count(o);
                let plural = if n == 1 { "" } else { "s" };
                format!("{n} {}{plural}", o.short())
            })
            .collect();
        format!(
            "{n} finding{}: {}.",
            if n == 1 { "" } else { "s" },
            parts.join(", ")
        )
    }

    /// The nonconformity of a finding as one line of raw text.
    fn nc_text(&self, item: &Item) -> Option<Vec<String>> {
        let record = match &item.nc {
            NcLink::Linked(r) => *r,
            NcLink::Found(r) => *r,
            NcLink::Missing(id) => {
                return Some(vec![format!(
                    "{id}: named by the checklist item, but there is no such nonconformity in the workspace"
                )]);
            }
            NcLink::None if item.outcome.is_nc() => {
                return Some(vec!["no nonconformity raised yet".to_string()]);
            }
            NcLink::None => return None,
        };
        let f = &record.fields;
        let s = self.settings();
        let mut parts = vec![format!(
            "{}{}",
            record.id,
            f.text("severity")
                .map(|v| format!(" ({v})"))
                .unwrap_or_default()
        )];
        parts.push(format!(
            "owner {}",
            f.text("owner")
                .map_or_else(|| "not set".to_string(), |p| person_name(s, &p))
        ));
        let due = f.text("due");
        parts.push(format!("due {}", due.as_deref().unwrap_or("not set")));
        let status = f.text("status").unwrap_or_else(|| "not set".into());
        let mut status_text = format!("status {}", status.replace('-', " "));
        if status == "closed" {
            if let Some(on) = f.text("closed_on") {
                status_text.push_str(&format!(" on {on}"));
            }
        } else if let Some(d) = due.as_deref().and_then(parse_date)
            && d < self.today
        {
            status_text.push_str(" (overdue)");
        }
        parts.push(status_text);
        if matches!(item.nc, NcLink::Found(_)) {
            parts.push(
                "found by its source reference: the checklist item does not name it".to_string(),
            );
        }
        Some(parts)
    }

    // ---- Markdown ---------------------------------------------------------------------

    /// The notes of a checklist row, with the evidence sampled after them.
    fn notes_md(&self, item: &Item) -> String {
        let mut cell = item.notes.as_deref().map(md).unwrap_or_default();
        if !item.evidence.is_empty() {
            if !cell.is_empty() {
                cell.push(' ');
            }
            let list: Vec<String> = item.evidence.iter().map(link_md).collect();
            cell.push_str(&format!(
                "*{}:* {}",
                label(RecordType::Audit, &["checklist", "evidence"], "Evidence"),
                list.join("; ")
            ));
        }
        cell
    }

    fn markdown(&self) -> String {
        let mut o = String::new();
        o.push_str(&format!("# {}: {}\n\n", self.heading(), md(&self.title())));
        // The title is the heading already.
        for (k, v) in self.facts() {
            if k != label(RecordType::Audit, &["title"], "Title") {
                let v: Vec<String> = v.iter().map(|x| md(x)).collect();
                o.push_str(&format!("- **{k}:** {}\n", v.join("; ")));
            }
        }

        let (conclusion, sign) = self.conclusion_and_sign_off();
        o.push_str(&format!(
            "\n## Conclusion and sign-off\n\n{}\n\n{}\n",
            md(&conclusion),
            md(&sign)
        ));

        o.push_str("\n## Results\n\n| Result | Items |\n|:--|--:|\n");
        for outcome in Outcome::COUNTED {
            o.push_str(&format!(
                "| {} | {} |\n",
                outcome.counted_as(),
                self.count(&outcome)
            ));
        }
        if self.unknown_results() > 0 {
            o.push_str(&format!(
                "| Unknown result (see `aims check`) | {} |\n",
                self.unknown_results()
            ));
        }
        o.push_str(&format!("| **Total** | **{}** |\n", self.items.len()));

        o.push_str(&format!("\n## Findings\n\n{}\n", self.findings_summary()));
        let evidence_label = label(RecordType::Audit, &["checklist", "evidence"], "Evidence");
        let notes_label = label(RecordType::Audit, &["checklist", "notes"], "Notes");
        for (outcome, heading) in &FINDING_GROUPS {
            o.push_str(&format!("\n### {heading}\n"));
            let mut any = false;
            for item in self.findings(outcome) {
                any = true;
                o.push_str(&format!(
                    "\n#### {} {}\n\n",
                    md(&item.reference),
                    md(item.title.unwrap_or("(not in the catalog)"))
                ));
                o.push_str(&format!("- **Result:** {}\n", outcome.long()));
                o.push_str(&format!(
                    "- **{notes_label}:** {}\n",
                    item.notes.as_deref().map_or("none recorded".into(), md)
                ));
                let evidence = if item.evidence.is_empty() {
                    "none recorded".to_string()
                } else {
                    item.evidence
                        .iter()
                        .map(link_md)
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                o.push_str(&format!("- **{evidence_label}:** {evidence}\n"));
                if let Some(nc) = self.nc_text(item) {
                    o.push_str(&format!("- **Nonconformity:** {}\n", md(&nc.join(", "))));
                }
            }
            if !any {
                o.push_str("\nNone.\n");
            }
        }

        o.push_str(
            "\n## Checklist\n\n| Requirement | Title | Result | Notes |\n|---|---|---|---|\n",
        );
        for item in &self.items {
            o.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md(&item.reference),
                md(item.title.unwrap_or("(not in the catalog)")),
                md(&item.outcome.label()),
                self.notes_md(item)
            ));
        }
        if self.items.is_empty() {
            o.push_str("| — | The audit has no checklist yet. | | |\n");
        }
        o.push_str(&format!(
            "\nProduced by AIMS Workbench from the workspace records on {}.\n",
            self.today
        ));
        o
    }

    // ---- HTML -------------------------------------------------------------------------

    fn notes_html(&self, item: &Item) -> String {
        let mut cell = item.notes.as_deref().map(h).unwrap_or_default();
        if !item.evidence.is_empty() {
            let list: Vec<String> = item.evidence.iter().map(link_html).collect();
            cell.push_str(&format!(
                "<div class=\"sampled\"><em>{}:</em> {}</div>",
                esc(label(
                    RecordType::Audit,
                    &["checklist", "evidence"],
                    "Evidence"
                )),
                list.join("; ")
            ));
        }
        cell
    }

    fn html(&self) -> String {
        let mut b = String::new();
        b.push_str(&format!(
            "<header>\n<p class=\"kicker\">{} · ISO/IEC 42001 AI management system</p>\n<h1>{}</h1>\n<p class=\"subtitle\">{} — {}</p>\n</header>\n",
            h(&self.settings().organization),
            self.heading(),
            h(&self.audit.id),
            h(&self.title())
        ));
        b.push_str("<table class=\"facts\">\n<tbody>\n");
        for (k, v) in self.facts() {
            // Both are in the page's header already.
            if k == "Organization" || k == label(RecordType::Audit, &["title"], "Title") {
                continue;
            }
            let v: Vec<String> = v.iter().map(|x| h(x)).collect();
            b.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
                esc(k),
                v.join("<br>")
            ));
        }
        b.push_str("</tbody>\n</table>\n");

        let (conclusion, sign) = self.conclusion_and_sign_off();
        b.push_str(&format!(
            "<h2>Conclusion and sign-off</h2>\n<p>{}</p>\n<p class=\"signoff\">{}</p>\n",
            h(&conclusion),
            h(&sign)
        ));

        b.push_str("<h2>Results</h2>\n<table class=\"counts\">\n<colgroup><col style=\"width:75%\"><col style=\"width:25%\"></colgroup>\n<thead><tr><th>Result</th><th class=\"num\">Items</th></tr></thead>\n<tbody>\n");
        for outcome in Outcome::COUNTED {
            let n = self.count(&outcome);
            let strong = outcome.is_nc() && n > 0;
            b.push_str(&format!(
                "<tr{}><td>{}</td><td class=\"num\">{n}</td></tr>\n",
                if strong { " class=\"nc\"" } else { "" },
                esc(outcome.counted_as()),
            ));
        }
        if self.unknown_results() > 0 {
            b.push_str(&format!(
                "<tr><td>Unknown result (see <code>aims check</code>)</td><td class=\"num\">{}</td></tr>\n",
                self.unknown_results()
            ));
        }
        b.push_str(&format!(
            "</tbody>\n<tfoot><tr><th>Total</th><th class=\"num\">{}</th></tr></tfoot>\n</table>\n",
            self.items.len()
        ));

        b.push_str(&format!(
            "<h2>Findings</h2>\n<p>{}</p>\n",
            esc(&self.findings_summary())
        ));
        let evidence_label = label(RecordType::Audit, &["checklist", "evidence"], "Evidence");
        let notes_label = label(RecordType::Audit, &["checklist", "notes"], "Notes");
        for (outcome, heading) in &FINDING_GROUPS {
            b.push_str(&format!("<h3>{heading}</h3>\n"));
            let mut any = false;
            for item in self.findings(outcome) {
                any = true;
                b.push_str(&format!(
                    "<section class=\"finding{}\">\n<h4>{} {}</h4>\n<table class=\"kv\">\n<tbody>\n",
                    if outcome.is_nc() { " nc" } else { "" },
                    h(&item.reference),
                    h(item.title.unwrap_or("(not in the catalog)"))
                ));
                let row = |k: &str, v: String| {
                    format!("<tr><th scope=\"row\">{}</th><td>{v}</td></tr>\n", esc(k))
                };
                b.push_str(&row("Result", esc(outcome.long())));
                b.push_str(&row(
                    notes_label,
                    item.notes
                        .as_deref()
                        .map_or("<span class=\"muted\">none recorded</span>".into(), h),
                ));
                let evidence = if item.evidence.is_empty() {
                    "<span class=\"muted\">none recorded</span>".to_string()
                } else {
                    format!(
                        "<ul class=\"links\">{}</ul>",
                        item.evidence
                            .iter()
                            .map(|l| format!("<li>{}</li>", link_html(l)))
                            .collect::<String>()
                    )
                };
                b.push_str(&row(evidence_label, evidence));
                if let Some(nc) = self.nc_text(item) {
                    // Breaks only between the parts, so a date is never split.
                    let parts: Vec<String> = nc
                        .iter()
                        .map(|p| format!("<span class=\"nw\">{}</span>", h(p)))
                        .collect();
                    b.push_str(&row("Nonconformity", parts.join(", ")));
                }
                b.push_str("</tbody>\n</table>\n</section>\n");
            }
            if !any {
                b.push_str("<p class=\"muted\">None.</p>\n");
            }
        }

        b.push_str("<h2>Checklist</h2>\n<table class=\"grid\">\n<colgroup><col style=\"width:13%\"><col style=\"width:27%\"><col style=\"width:14%\"><col style=\"width:46%\"></colgroup>\n<thead><tr><th>Requirement</th><th>Title</th><th>Result</th><th>Notes</th></tr></thead>\n<tbody>\n");
        for item in &self.items {
            b.push_str(&format!(
                "<tr><td class=\"id\">{}</td><td>{}</td><td{}>{}</td><td>{}</td></tr>\n",
                h(&item.reference),
                h(item.title.unwrap_or("(not in the catalog)")),
                if item.outcome.is_nc() {
                    " class=\"nc\""
                } else {
                    ""
                },
                esc(&item.outcome.label()),
                self.notes_html(item)
            ));
        }
        if self.items.is_empty() {
            b.push_str("<tr><td colspan=\"4\">The audit has no checklist yet.</td></tr>\n");
        }
        b.push_str("</tbody>\n</table>\n");
        b.push_str(&format!(
            "<footer>Produced by AIMS Workbench from the workspace records on {}.</footer>\n",
            self.today
        ));
        html_page(
            &format!("{} {} — {}", self.heading(), self.audit.id, self.title()),
            &b,
        )
    }
}

// ---- shared with `export` -------------------------------------------------------------

/// Opens the workspace, or says why not (exit 2). Warns when files were left out, since a
/// report built without them would be incomplete.
pub(super) fn open(dir: Option<&Path>, err: &mut dyn Write) -> Result<Workspace, i32> {
    let dir = dir.unwrap_or(Path::new("."));
    match Workspace::open(dir) {
        Ok(ws) => {
            if !ws.unreadable.is_empty() {
                let _ = writeln!(
                    err,
                    "aims: warning: {} file{} could not be read and {} left out of this output: run `aims check`",
                    ws.unreadable.len(),
                    if ws.unreadable.len() == 1 { "" } else { "s" },
                    if ws.unreadable.len() == 1 {
                        "is"
                    } else {
                        "are"
                    },
                );
            }
            Ok(ws)
        }
        Err(e) => {
            let _ = writeln!(err, "aims: {}", one_line(&e.to_string()));
            Err(exit::USAGE)
        }
    }
}

/// Writes the document to `--out` or to standard output.
pub(super) fn emit(
    text: &str,
    path: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    match path {
        Some(p) => match std::fs::write(p, text) {
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
        None => match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => exit::OK,
            // A closed pipe (`| head`) is not worth a message.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
            Err(e) => {
                let _ = writeln!(err, "aims: cannot write the output: {e}");
                exit::FINDINGS
            }
        },
    }
}

/// The label a field has in the record type's spec (`path` descends into tables and
/// groups), so reports and forms name fields alike.
pub(super) fn label(kind: RecordType, path: &[&str], fallback: &'static str) -> &'static str {
    let Some((first, rest)) = path.split_first() else {
        return fallback;
    };
    let Some(mut f) = crate::rules::spec(kind).field(first) else {
        return fallback;
    };
    for name in rest {
        let sub = match f.kind {
            FieldKind::Table(sub) | FieldKind::Group(sub) => sub,
            _ => return fallback,
        };
        match sub.iter().find(|g| g.name == *name) {
            Some(g) => f = g,
            None => return fallback,
        }
    }
    f.label
}

/// One evidence link: `{label, target}` or a bare target.
#[derive(Debug, Clone)]
pub(super) struct Link {
    pub label: Option<String>,
    pub target: String,
}

pub(super) fn links(values: &[Value]) -> Vec<Link> {
    values
        .iter()
        .filter_map(|v| match v {
            Value::Map(m) => m.text("target").map(|target| Link {
                label: m.text("label"),
                target,
            }),
            other => other.as_text().map(|target| Link {
                label: None,
                target: target.trim().to_string(),
            }),
        })
        .filter(|l| !l.target.is_empty())
        .collect()
}

/// `label (target)` in Markdown; a web address becomes an autolink when it is safe as one.
pub(super) fn link_md(l: &Link) -> String {
    let target = if is_web(&l.target)
        && l.target
            .chars()
            .all(|c| c.is_ascii_graphic() && !"<>|\\`".contains(c))
    {
        format!("<{}>", l.target)
    } else {
        md(&l.target)
    };
    match &l.label {
        Some(label) => format!("{} ({target})", md(label)),
        None => target,
    }
}

/// A link in HTML: web addresses are `<a href>`; workspace paths are shown, not linked,
/// since they are relative to the workspace and not to wherever the file is saved.
pub(super) fn link_html(l: &Link) -> String {
    let target = if is_web(&l.target) {
        format!("<a href=\"{}\">{}</a>", esc(l.target.trim()), h(&l.target))
    } else {
        format!("<span class=\"path\">{}</span>", h(&l.target))
    };
    match &l.label {
        Some(label) => format!("{}<br><span class=\"target\">{target}</span>", h(label)),
        None => target,
    }
}

/// An http(s) or mailto address: the only targets made into links (never `javascript:`).
fn is_web(target: &str) -> bool {
    let t = target.trim().to_ascii_lowercase();
    (t.starts_with("https://") || t.starts_with("http://") || t.starts_with("mailto:"))
        && !t.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A person's name from aims.yaml, or the id marked as unknown.
pub(super) fn person_name(s: &Settings, id: &str) -> String {
    match s.person(id) {
        Some(p) if !p.name.trim().is_empty() => p.name.clone(),
        Some(p) => p.id.clone(),
        None => format!("{id} (not in aims.yaml people)"),
    }
}

/// "Name, role", for the audit team and the auditees.
fn person_with_role(s: &Settings, id: &str) -> String {
    match s.person(id) {
        Some(p) if !p.role.trim().is_empty() => format!("{}, {}", person_name(s, id), p.role),
        _ => person_name(s, id),
    }
}

/// HTML-escapes text: `& < > " '`.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Record text for HTML: one line, control characters made visible, escaped.
pub(super) fn h(s: &str) -> String {
    esc(one_line(s).trim())
}

/// Record text for Markdown: one line, with the characters that would start markup
/// (emphasis, code, links, inline HTML, table cells) escaped with a backslash. Record text
/// never starts a line in these documents, so line-start markup (headings, lists) cannot
/// be formed.
pub(super) fn md(s: &str) -> String {
    let s = one_line(s);
    let s = s.trim();
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if "\\`*_[]<>|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The printable page: one file, inline CSS, no scripts, nothing loaded from elsewhere
/// (the Content-Security-Policy forbids it even if a record tried).
pub(super) fn html_page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"AIMS Workbench\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        h(title)
    )
}

const CSS: &str = r#"@page { size: A4; margin: 15mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, "Liberation Sans", Helvetica, sans-serif; color: #555; } }
html { color: #111; background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; font-size: 9.5pt; line-height: 1.35; margin: 0; }
@media screen { body { max-width: 180mm; margin: 12mm auto; padding: 0 8mm; } }
header { border-bottom: 1.5pt solid #111; padding-bottom: 3mm; margin-bottom: 4mm; }
.kicker { margin: 0; font-size: 8.5pt; letter-spacing: 0.04em; text-transform: uppercase; color: #444; }
h1 { font-size: 18pt; margin: 1mm 0 1mm; font-weight: 700; }
.subtitle { margin: 0; font-size: 11pt; }
h2 { font-size: 12.5pt; margin: 7mm 0 2.5mm; padding-bottom: 1mm; border-bottom: 0.75pt solid #888; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; page-break-after: avoid; }
h4 { font-size: 10pt; margin: 0 0 1.5mm; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 2.5mm; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0 0 3mm; }
th, td { text-align: left; vertical-align: top; padding: 1.1mm 1.6mm; border: 0.5pt solid #999; overflow-wrap: break-word; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
thead th { border-bottom: 1.2pt solid #333; font-weight: 700; }
tr, .finding, .summary { break-inside: avoid; page-break-inside: avoid; }
table.facts th, table.kv th { width: 27%; font-weight: 700; }
table.facts { font-size: 9.5pt; }
table.kv { margin: 0; }
table.grid { font-size: 8.5pt; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.id { white-space: nowrap; font-variant-numeric: tabular-nums; }
span.id { font-weight: 700; }
.nc { font-weight: 700; }
.muted { color: #555; }
.finding { margin: 0 0 4mm; padding-left: 2.5mm; border-left: 1.5pt solid #bbb; }
.finding.nc { border-left: 3pt solid #111; font-weight: normal; }
.finding.nc h4 { font-weight: 700; }
ul.links { margin: 0; padding-left: 4mm; }
ul.links li { margin: 0 0 1mm; }
.target, .path, a { overflow-wrap: anywhere; }
.target, .path { font-size: 0.92em; color: #333; }
.nw { white-space: nowrap; }
.sub { margin-top: 1.2mm; }
table.counts { width: 110mm; }
.path { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85em; }
a { color: #0645ad; text-decoration: underline; }
@media print { a { color: #111; } }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
.area { margin-top: 6mm; }
table.auto { table-layout: auto; }
.charts { margin: 2mm 0 3mm; }
.charts.two { display: grid; grid-template-columns: 1fr 1fr; gap: 2mm 5mm; }
.charts figcaption { font-size: 8.5pt; font-weight: 700; margin: 0 0 1mm; }
.charts figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
svg.chart { width: 100%; height: auto; display: block; }
svg.heat { width: 130mm; max-width: 100%; height: auto; display: block; }
.note { border-left: 1.5pt solid #888; padding-left: 2.5mm; color: #333; font-style: italic; }
footer { margin-top: 6mm; padding-top: 2mm; border-top: 0.5pt solid #999; font-size: 8pt; color: #555; }
"#;

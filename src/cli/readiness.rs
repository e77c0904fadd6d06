//! `aims report readiness`: the governance lead's stage 1 checklist. For each document,
//! process and recurring activity a first certification audit expects, whether the
//! workspace holds it and holds it current, the records that prove it, and the findings
//! of `aims check` that stand in its way.

use super::Env;
use super::report::{DocFormat, emit, esc, h, html_page, md, open};
use crate::domain::dates::Date;
use crate::domain::{Finding, Record, RecordType};
use crate::rules::due::{DueItem, DueState, obligations};
use crate::workspace::Workspace;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReadinessArgs {
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Output: md (Markdown) or html (one self-contained, printable file).
    #[arg(long, value_enum, default_value_t)]
    pub format: DocFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Missing,
    Stale,
    Current,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Current => "present and current",
            Status::Stale => "present but stale",
            Status::Missing => "missing",
        }
    }
}

/// One thing the auditor expects to see.
struct Expectation {
    what: &'static str,
    clause: &'static str,
    /// The record types whose overdue reviews make it stale.
    kinds: &'static [RecordType],
    /// The rules whose findings stand in its way.
    codes: &'static [&'static str],
}

use RecordType as T;

const EXPECTATIONS: &[Expectation] = &[
    Expectation {
        what: "AIMS scope",
        clause: "4.3",
        kinds: &[],
        codes: &["settings", "role-not-held"],
    },
    Expectation {
        what: "AI policy",
        clause: "5.2",
        kinds: &[],
        codes: &["doc-approver-not-owner"],
    },
    Expectation {
        what: "Roles, responsibilities and top management",
        clause: "5.1, 5.3",
        kinds: &[],
        codes: &["unknown-person", "acceptance-authority"],
    },
    Expectation {
        what: "AI risk assessment method",
        clause: "6.1.2",
        kinds: &[],
        codes: &[],
    },
    Expectation {
        what: "AI risk register and treatment",
        clause: "6.1.2, 6.1.3, 8.2, 8.3",
        kinds: &[T::Risk],
        codes: &[
            "risk-categories",
            "system-has-risk",
            "acceptor-not-owner",
            "acceptance-authority",
            "acceptance-expired",
            "accepted-risk-treating",
            "excluded-control-treats-risk",
            "residual-above-inherent",
        ],
    },
    Expectation {
        what: "Impact assessment of each AI system",
        clause: "6.1.4, 8.4",
        kinds: &[T::ImpactAssessment],
        codes: &[
            "ia-per-system",
            "ia-stale",
            "change-after-approval",
            "ia-approver-not-assessor",
        ],
    },
    Expectation {
        what: "Statement of Applicability",
        clause: "6.1.3 d",
        kinds: &[T::Soa],
        codes: &[
            "soa-coverage",
            "soa-not-assessed",
            "soa-status",
            "exclusion-justification",
            "exclusion-contradicted",
            "evidence-ai-specific",
            "evidence-draft-document",
        ],
    },
    Expectation {
        what: "AI objectives",
        clause: "6.2",
        kinds: &[T::Objective],
        codes: &[],
    },
    Expectation {
        what: "AI system inventory",
        clause: "4.3, A.4",
        kinds: &[T::System],
        codes: &[
            "supplier-system-link",
            "provenance-mismatch",
            "retired-system-open",
        ],
    },
    Expectation {
        what: "Model cards of the systems we develop",
        clause: "A.6.2.7, A.8.2",
        kinds: &[],
        codes: &["model-card"],
    },
    Expectation {
        what: "Training-data inventory",
        clause: "A.7",
        kinds: &[T::Dataset],
        codes: &["system-datasets"],
    },
    Expectation {
        what: "Supplier due diligence",
        clause: "A.10",
        kinds: &[T::Supplier],
        codes: &[
            "supplier-system-link",
            "provenance-mismatch",
            "exclusion-contradicted",
        ],
    },
    Expectation {
        what: "Competence and AI training",
        clause: "7.2, 7.3",
        kinds: &[T::Competence],
        codes: &["training-overdue"],
    },
    Expectation {
        what: "Context and interested parties",
        clause: "4.1, 4.2",
        kinds: &[T::ContextIssue, T::InterestedParty],
        codes: &[],
    },
    Expectation {
        what: "Communication plan",
        clause: "7.4",
        kinds: &[T::Communication],
        codes: &[],
    },
    Expectation {
        what: "Monitoring with thresholds, and its results",
        clause: "9.1",
        kinds: &[T::Metric],
        codes: &["metric-breach"],
    },
    Expectation {
        what: "Internal audit programme and reports",
        clause: "9.2",
        kinds: &[],
        codes: &[
            "internal-audit-cycle",
            "audit-coverage",
            "audit-incomplete",
            "audit-nc-missing",
            "auditor-independence",
        ],
    },
    Expectation {
        what: "Management review minutes",
        clause: "9.3",
        kinds: &[],
        codes: &["management-review-cycle"],
    },
    Expectation {
        what: "AI incident records and reporting",
        clause: "A.8.4, 10.2",
        kinds: &[],
        codes: &[
            "incident-reporting",
            "incident-report-overdue",
            "incident-reported-late",
        ],
    },
    Expectation {
        what: "Nonconformities and corrective actions",
        clause: "10.2",
        kinds: &[],
        codes: &[
            "nc-overdue",
            "verifier-not-owner",
            "nc-source-ref",
            "nc-audit-item",
        ],
    },
];

struct Row<'a> {
    e: &'static Expectation,
    status: Status,
    proof: Vec<String>,
    blocking: Vec<&'a Finding>,
    /// Overdue obligations of the records it rests on: `(record, what, due)`.
    overdue: Vec<(String, &'static str, Date)>,
}

fn ids<'r>(records: impl Iterator<Item = &'r Record>) -> Vec<String> {
    records.map(|r| r.id.clone()).collect()
}

fn in_force(r: &Record) -> bool {
    !matches!(
        r.fields.text("status").as_deref(),
        Some("draft" | "retired")
    )
}

/// The records that prove an expectation is met.
fn proof(ws: &Workspace, what: &str) -> Vec<String> {
    let docs = |pred: &dyn Fn(&Record) -> bool| {
        ids(ws
            .of_type(T::Document)
            .filter(|d| in_force(d))
            .filter(|d| pred(d)))
    };
    let names = |d: &Record, words: &[&str]| {
        let t = d.title().to_lowercase();
        words.iter().any(|w| t.contains(w))
    };
    match what {
        "AIMS scope" if !ws.settings.scope.trim().is_empty() => vec!["aims.yaml scope".into()],
        "AI policy" => docs(&|d| d.fields.text("kind").as_deref() == Some("policy")),
        "Roles, responsibilities and top management" => {
            let mut p = Vec::new();
            if !ws.settings.people.is_empty() {
                p.push(format!("aims.yaml people ({})", ws.settings.people.len()));
            }
            if !ws.settings.top_management.is_empty() {
                p.push(format!(
                    "top management: {}",
                    ws.settings.top_management.join(", ")
                ));
            }
            p
        }
        "AI risk assessment method" => {
            let mut p = vec!["aims.yaml risk_method".to_string()];
            p.extend(docs(&|d| {
                d.fields.text("kind").as_deref() == Some("procedure") && names(d, &["risk"])
            }));
            p
        }
        "AI risk register and treatment" => ids(ws.of_type(T::Risk)),
        "Impact assessment of each AI system" => ids(ws
            .of_type(T::ImpactAssessment)
            .filter(|r| r.fields.text("status").as_deref() == Some("approved"))),
        "Statement of Applicability" => {
            // The same count as the workbench's headline (`rules::soa`).
            let progress = crate::rules::soa::SoaProgress::of(ws.of_type(T::Soa));
            if ws.of_type(T::Soa).next().is_none() {
                Vec::new()
            } else {
                vec![format!("soa/ ({})", progress.headline())]
            }
        }
        "AI objectives" => ids(ws.of_type(T::Objective)),
        "AI system inventory" => ids(ws.of_type(T::System)),
        "Model cards of the systems we develop" => {
            docs(&|d| d.fields.text("kind").as_deref() == Some("model-card"))
        }
        "Training-data inventory" => {
            let mut p = ids(ws.of_type(T::Dataset));
            p.extend(docs(&|d| {
                d.fields.text("kind").as_deref() == Some("data-sheet")
            }));
            p
        }
        "Supplier due diligence" => ids(ws.of_type(T::Supplier)),
        "Competence and AI training" => {
            let mut p = ids(ws.of_type(T::Competence));
            p.extend(docs(&|d| {
                d.fields.texts("controls").iter().any(|c| c == "7.2")
                    || names(d, &["competence", "literacy"])
            }));
            p.extend(ids(ws.of_type(T::Soa).filter(|s| s.id == "A.4.6").filter(
                |s| {
                    matches!(
                        s.fields.text("status").as_deref(),
                        Some("implemented" | "inherited")
                    )
                },
            )));
            p.extend(ids(ws
                .of_type(T::Objective)
                .filter(|o| names(o, &["literacy", "training"]))));
            p
        }
        "Internal audit programme and reports" => ids(ws
            .of_type(T::Audit)
            .filter(|a| a.fields.text("status").as_deref() == Some("completed"))),
        "Management review minutes" => ids(ws
            .of_type(T::ManagementReview)
            .filter(|a| a.fields.text("status").as_deref() == Some("held"))),
        "AI incident records and reporting" => {
            let mut p = ids(ws.of_type(T::Incident));
            p.extend(docs(&|d| names(d, &["incident"])));
            p
        }
        "Nonconformities and corrective actions" => ids(ws.of_type(T::Nonconformity)),
        "Context and interested parties" => {
            let mut p = ids(ws.of_type(T::ContextIssue));
            p.extend(ids(ws.of_type(T::InterestedParty)));
            p
        }
        "Communication plan" => ids(ws.of_type(T::Communication)),
        "Monitoring with thresholds, and its results" => ids(ws.of_type(T::Metric)),
        _ => Vec::new(),
    }
}

fn build<'a>(ws: &Workspace, findings: &'a [Finding], due: &[DueItem]) -> Vec<Row<'a>> {
    EXPECTATIONS
        .iter()
        .map(|e| {
            let proof = proof(ws, e.what);
            let blocking: Vec<&Finding> = findings
                .iter()
                .filter(|f| e.codes.contains(&f.code))
                .collect();
            let overdue: Vec<(String, &'static str, Date)> = due
                .iter()
                .filter(|d| d.state == DueState::Overdue && e.kinds.contains(&d.record_type))
                .map(|d| (d.record.clone(), d.kind.label(), d.due))
                .collect();
            let status = if proof.is_empty() {
                Status::Missing
            } else if !overdue.is_empty() || !blocking.is_empty() {
                Status::Stale
            } else {
                Status::Current
            };
            Row {
                e,
                status,
                proof,
                blocking,
                overdue,
            }
        })
        .collect()
}

pub fn run(args: &ReadinessArgs, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let ws = match open(args.dir.as_deref(), err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let findings = ws.check(env.today);
    let due = obligations(&ws.records, &ws.settings, env.today);
    let rows = build(&ws, &findings, &due);
    let text = match args.format {
        DocFormat::Md => markdown(&ws, &rows, env.today),
        DocFormat::Html => html(&ws, &rows, env.today),
    };
    emit(&text, args.out.as_deref(), out, err)
}

/// The expectations not present and current: `(what, clause, status)`, for the management
/// review pack.
pub(super) fn not_current(
    ws: &Workspace,
    findings: &[Finding],
    today: Date,
) -> Vec<(String, String, String)> {
    let due = obligations(&ws.records, &ws.settings, today);
    build(ws, findings, &due)
        .into_iter()
        .filter(|r| r.status != Status::Current)
        .map(|r| {
            (
                r.e.what.to_string(),
                r.e.clause.to_string(),
                r.status.label().to_string(),
            )
        })
        .collect()
}

fn counts(rows: &[Row]) -> (usize, usize, usize) {
    let n = |s| rows.iter().filter(|r| r.status == s).count();
    (n(Status::Current), n(Status::Stale), n(Status::Missing))
}

/// The first few proofs, and how many more: a register of 200 risks is not a cell.
fn shortened(proof: &[String], escape: fn(&str) -> String) -> String {
    let shown: Vec<String> = proof.iter().take(8).map(|p| escape(p)).collect();
    match proof.len() {
        n if n > 8 => format!("{} and {} more", shown.join(", "), n - 8),
        _ => shown.join(", "),
    }
}

/// `RISK-021 (review due 2026-09-20), …`, the first few overdue items and how many more.
fn overdue_text(items: &[(String, &str, Date)], escape: fn(&str) -> String) -> String {
    let shown: Vec<String> = items
        .iter()
        .take(SHOWN)
        .map(|(id, what, d)| format!("{} ({what} due {d})", escape(id)))
        .collect();
    match items.len() {
        n if n > SHOWN => format!(
            "{} and {} more (see `aims due`)",
            shown.join(", "),
            n - SHOWN
        ),
        _ => shown.join(", "),
    }
}

/// At most this many findings are quoted per expectation; `aims check` has the rest.
const SHOWN: usize = 5;

fn markdown(ws: &Workspace, rows: &[Row], today: Date) -> String {
    let (cur, stale, missing) = counts(rows);
    let mut o = format!(
        "# Certification readiness: {}\n\nStage 1 checklist of ISO/IEC 42001, from the workspace as of {today}.\n\n\
         {cur} present and current, {stale} present but stale, {missing} missing, of {} expectations.\n\n\
         | Expectation | Clause | Status | Proof | Findings |\n|---|---|---|---|---|\n",
        md(&ws.settings.organization),
        rows.len()
    );
    for r in rows {
        let proof = if r.proof.is_empty() {
            "—".to_string()
        } else {
            shortened(&r.proof, md)
        };
        let errors = r.blocking.iter().filter(|f| f.is_error()).count();
        let warnings = r.blocking.len() - errors;
        o.push_str(&format!(
            "| {} | {} | {} | {proof} | {} |\n",
            md(r.e.what),
            r.e.clause,
            r.status.label(),
            if r.blocking.is_empty() {
                "none".to_string()
            } else {
                finding_counts(errors, warnings)
            }
        ));
    }
    o.push_str("\n## What stands in the way\n");
    let mut any = false;
    for r in rows.iter().filter(|r| r.status != Status::Current) {
        any = true;
        o.push_str(&format!(
            "\n### {} ({})\n\n",
            md(r.e.what),
            r.status.label()
        ));
        if r.proof.is_empty() {
            o.push_str("- nothing in the workspace shows it yet\n");
        }
        if !r.overdue.is_empty() {
            o.push_str(&format!("- overdue: {}\n", overdue_text(&r.overdue, md)));
        }
        for f in r.blocking.iter().take(SHOWN) {
            o.push_str(&format!(
                "- {} `{}` {}: {}\n",
                if f.is_error() { "error" } else { "warning" },
                f.code,
                md(f.record.as_deref().unwrap_or(&f.file.display().to_string())),
                md(&f.message)
            ));
        }
        if r.blocking.len() > SHOWN {
            o.push_str(&format!(
                "- and {} more: run `aims check`\n",
                r.blocking.len() - SHOWN
            ));
        }
    }
    if !any {
        o.push_str("\nNothing: every expectation is present and current.\n");
    }
    o
}

fn html(ws: &Workspace, rows: &[Row], today: Date) -> String {
    let (cur, stale, missing) = counts(rows);
    let mut b = format!(
        "<header>\n<p class=\"kicker\">ISO/IEC 42001 stage 1 checklist</p>\n<h1>Certification readiness</h1>\n<p class=\"subtitle\">{} — as of {today}</p>\n</header>\n\
         <p>{cur} present and current, {stale} present but stale, {missing} missing, of {} expectations.</p>\n\
         <table class=\"grid\">\n<thead><tr><th style=\"width:24%\">Expectation</th><th style=\"width:12%\">Clause</th><th style=\"width:14%\">Status</th><th>Proof</th><th style=\"width:14%\">Findings</th></tr></thead>\n<tbody>\n",
        h(&ws.settings.organization),
        rows.len()
    );
    for r in rows {
        let errors = r.blocking.iter().filter(|f| f.is_error()).count();
        let warnings = r.blocking.len() - errors;
        b.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>\n",
            h(r.e.what),
            esc(r.e.clause),
            if r.status == Status::Current {
                ""
            } else {
                "nc"
            },
            r.status.label(),
            if r.proof.is_empty() {
                "—".to_string()
            } else {
                shortened(&r.proof, h)
            },
            if r.blocking.is_empty() {
                "none".to_string()
            } else {
                finding_counts(errors, warnings)
            }
        ));
    }
    b.push_str("</tbody>\n</table>\n");
    // The risk register at a glance: where the open risks sit against the appetite.
    let heat = crate::workspace::review_pack::heat_map(ws);
    let caption = "Residual risk heat map of the open risks";
    if heat.cells.iter().flatten().any(|n| *n > 0)
        && let Some(svg) = crate::interop::svg::heat_map(caption, &heat)
    {
        b.push_str(&format!(
            "<h2>{caption}</h2>\n<div class=\"charts\"><figure>\n{svg}</figure></div>\n{}",
            heat_table_html(&heat)
        ));
    }
    b.push_str("<h2>What stands in the way</h2>\n");
    for r in rows.iter().filter(|r| r.status != Status::Current) {
        b.push_str(&format!(
            "<div class=\"finding\">\n<h4>{} ({})</h4>\n<ul class=\"links\">\n",
            h(r.e.what),
            r.status.label()
        ));
        if r.proof.is_empty() {
            b.push_str("<li>nothing in the workspace shows it yet</li>\n");
        }
        if !r.overdue.is_empty() {
            b.push_str(&format!(
                "<li>overdue: {}</li>\n",
                overdue_text(&r.overdue, h)
            ));
        }
        for f in r.blocking.iter().take(SHOWN) {
            b.push_str(&format!(
                "<li>{} <code>{}</code> <span class=\"id\">{}</span>: {}</li>\n",
                if f.is_error() { "error" } else { "warning" },
                esc(f.code),
                h(f.record.as_deref().unwrap_or(&f.file.display().to_string())),
                h(&f.message)
            ));
        }
        if r.blocking.len() > SHOWN {
            b.push_str(&format!(
                "<li>and {} more: run <code>aims check</code></li>\n",
                r.blocking.len() - SHOWN
            ));
        }
        b.push_str("</ul>\n</div>\n");
    }
    b.push_str("<footer>Generated by AIMS Workbench from the records alone; an auditor samples beyond them.</footer>\n");
    html_page(
        &format!("Certification readiness — {}", ws.settings.organization),
        &b,
    )
}

/// The heat map's numbers as a table: its text alternative.
fn heat_table_html(h: &crate::workspace::review_pack::HeatMap) -> String {
    let mut t =
        String::from("<table class=\"grid auto\">\n<thead><tr><th>Impact / likelihood</th>");
    for (l, name) in h.likelihood.iter().enumerate() {
        t.push_str(&format!("<th class=\"num\">{} ({})</th>", esc(name), l + 1));
    }
    t.push_str("</tr></thead>\n<tbody>\n");
    for i in (0..h.impact.len()).rev() {
        t.push_str(&format!("<tr><td>{} ({})</td>", esc(&h.impact[i]), i + 1));
        for (l, n) in h.cells[i].iter().enumerate() {
            t.push_str(&format!(
                "<td class=\"num\">{n}{}</td>",
                if h.above[i][l] { " !" } else { "" }
            ));
        }
        t.push_str("</tr>\n");
    }
    t.push_str(
        "</tbody>\n</table>\n<p class=\"muted\">! marks a cell above the risk appetite.</p>\n",
    );
    t
}

/// "1 error, 2 warnings", leaving out a zero count.
fn finding_counts(errors: usize, warnings: usize) -> String {
    let one = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "none".to_string(),
        (e, 0) => one(e, "error"),
        (0, w) => one(w, "warning"),
        (e, w) => format!("{}, {}", one(e, "error"), one(w, "warning")),
    }
}

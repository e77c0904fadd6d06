//! `aims report management-review`: the management review pack, in Markdown or printable
//! HTML with inline SVG charts. The inputs are assembled by the core
//! ([`crate::workspace::review_pack::assemble`]); this module only lays them out, once, as
//! a list of [`Block`]s that each format renders (so the Markdown and the HTML cannot say
//! different things).

use super::report::{DocFormat, emit, esc, h, html_page, md, open};
use super::{Env, exit};
use crate::domain::Finding;
use crate::domain::dates::Date;
use crate::interop::svg;
use crate::rules::audit::ItemResult;
use crate::workspace::review_pack::{Change, Changes, Line, ReviewPack, Since, assemble};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReviewPackArgs {
    /// The workspace directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Start of the period: a date (YYYY-MM-DD) or a management review's id (its date);
    /// default: the previous management review held.
    #[arg(long, value_name = "DATE|MR-ID")]
    pub since: Option<String>,
    /// Output: md (Markdown) or html (one self-contained, printable file with charts).
    #[arg(long, value_enum, default_value_t)]
    pub format: DocFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &ReviewPackArgs, env: &Env, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let since = match args.since.as_deref() {
        None => Since::Previous,
        Some(text) => match Since::parse(text) {
            Some(s) => s,
            None => {
                let _ = writeln!(
                    err,
                    "aims: --since `{}` is neither a date (YYYY-MM-DD) nor a management review id (MR-…)",
                    crate::domain::text::one_line(text)
                );
                return exit::USAGE;
            }
        },
    };
    let ws = match open(args.dir.as_deref(), err) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let pack = match assemble(&ws, &since, env.today) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "aims: {e}");
            return exit::USAGE;
        }
    };
    let readiness = super::readiness::not_current(&ws, &pack.findings, env.today);
    let blocks = layout(&pack, &readiness, env.today);
    let text = match args.format {
        DocFormat::Md => markdown(&pack, &blocks),
        DocFormat::Html => html(&pack, &blocks),
    };
    emit(&text, args.out.as_deref(), out, err)
}

/// One piece of the document; text is raw and escaped by the renderer.
enum Block {
    H2(String),
    H3(String),
    P(String),
    /// A remark on what the section lacks (no history...).
    Note(String),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Right-aligned numeric columns.
        numeric: Vec<usize>,
        /// Said instead of an empty table.
        empty: &'static str,
    },
    /// SVG charts (HTML only), side by side when small; the table after them is their
    /// text alternative.
    Charts(Vec<(String, String)>),
}

fn table(
    head: Vec<&str>,
    rows: Vec<Vec<String>>,
    numeric: Vec<usize>,
    empty: &'static str,
) -> Block {
    Block::Table {
        head: head.into_iter().map(String::from).collect(),
        rows,
        numeric,
        empty,
    }
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

fn changes_blocks(b: &mut Vec<Block>, c: &Changes, (one, many): (&str, &str), empty: &'static str) {
    for n in &c.notes {
        b.push(Block::Note(n.clone()));
    }
    if !c.items.is_empty() {
        b.push(Block::P(format!(
            "{} of {} {} changed in the period.",
            c.items.len(),
            c.total,
            if c.total == 1 { one } else { many }
        )));
    }
    b.push(table(
        vec!["Record", "Title", "Change"],
        c.items
            .iter()
            .map(|i| {
                let change = match &i.change {
                    Change::Added => "added".to_string(),
                    Change::Removed => "removed".to_string(),
                    Change::Changed(f) => format!("changed: {}", f.join(", ")),
                };
                let change = if i.meaning.is_empty() {
                    change
                } else {
                    i.meaning.join("; ")
                };
                vec![i.id.clone(), i.title.clone(), change]
            })
            .collect(),
        vec![],
        empty,
    ));
}

fn lines_table(lines: &[Line], empty: &'static str) -> Block {
    table(
        vec!["Record", "Title", "Status", "Facts"],
        lines
            .iter()
            .map(|l| {
                vec![
                    l.id.clone(),
                    l.title.clone(),
                    l.status.clone(),
                    l.facts.join("; "),
                ]
            })
            .collect(),
        vec![],
        empty,
    )
}

/// The last point of each month: the trend tables' rows.
fn monthly(points: &[(Date, f64)]) -> Vec<(Date, f64)> {
    let mut out: Vec<(Date, f64)> = Vec::new();
    for p in points {
        match out.last_mut() {
            Some(last) if last.0.format("%Y-%m").to_string() == p.0.format("%Y-%m").to_string() => {
                *last = *p
            }
            _ => out.push(*p),
        }
    }
    out
}

fn layout(p: &ReviewPack, readiness: &[(String, String, String)], today: Date) -> Vec<Block> {
    let mut b = Vec::new();
    let period = &p.period;

    // a) Actions of previous reviews.
    b.push(Block::H2(
        "1. Status of actions from previous reviews".into(),
    ));
    let done = p
        .previous_actions
        .iter()
        .filter(|a| a.status == "done")
        .count();
    let overdue = p.previous_actions.iter().filter(|a| a.overdue).count();
    b.push(Block::P(match &period.previous {
        Some(id) => format!(
            "{} from {id}: {done} done, {} open ({overdue} overdue).",
            plural(p.previous_actions.len(), "action"),
            p.previous_actions.len() - done
        ),
        None => format!(
            "No previous review named; {} from reviews before {}.",
            plural(p.previous_actions.len(), "action"),
            period.from
        ),
    }));
    b.push(table(
        vec!["Review", "Action", "Owner", "Due", "Status"],
        p.previous_actions
            .iter()
            .map(|a| {
                vec![
                    a.review.clone(),
                    a.action.clone(),
                    a.owner.clone().unwrap_or_default(),
                    a.due.clone().unwrap_or_default(),
                    if a.overdue {
                        format!("{} (overdue)", a.status)
                    } else {
                        a.status.clone()
                    },
                ]
            })
            .collect(),
        vec![],
        "No actions from previous reviews.",
    ));

    // b) Context.
    b.push(Block::H2(
        "2. Changes in external and internal issues".into(),
    ));
    changes_blocks(
        &mut b,
        &p.context,
        ("context issue", "context issues"),
        "No context issue was added or changed in the period.",
    );
    if !p.settings_changed.is_empty() {
        b.push(Block::P(format!(
            "aims.yaml changed in the period: {}.",
            p.settings_changed.join(", ")
        )));
    }

    // c) Interested parties.
    b.push(Block::H2(
        "3. Changes in needs and expectations of interested parties".into(),
    ));
    changes_blocks(
        &mut b,
        &p.parties,
        ("interested party", "interested parties"),
        "No interested party was added or changed in the period.",
    );

    // d) Performance.
    b.push(Block::H2(
        "4. Performance of the AI management system".into(),
    ));
    b.push(Block::H3(
        "4.1 Trends: nonconformities and corrective actions, overdue items, risks, controls".into(),
    ));
    for n in &p.trend_notes {
        b.push(Block::Note(n.clone()));
    }
    if !p.trends.is_empty() {
        let series: Vec<(&str, &[(Date, f64)])> = p
            .trends
            .iter()
            .map(|s| (s.name.as_str(), s.points.as_slice()))
            .collect();
        // One small chart a series: each on its own scale, so 4 open NCs are not flattened
        // under 28 controls in place.
        b.push(Block::Charts(
            series
                .iter()
                .filter_map(|(name, points)| {
                    svg::line_chart(name, &[(name, points)], None, svg::HALF)
                        .map(|svg| (name.to_string(), svg))
                })
                .collect(),
        ));
        let months: Vec<Vec<(Date, f64)>> = p.trends.iter().map(|s| monthly(&s.points)).collect();
        let mut head = vec!["As of"];
        head.extend(p.trends.iter().map(|s| s.name.as_str()));
        let rows = months[0]
            .iter()
            .enumerate()
            .map(|(i, (d, _))| {
                let mut row = vec![d.to_string()];
                row.extend(months.iter().map(|m| svg::num(m[i].1)));
                row
            })
            .collect();
        b.push(table(head, rows, (1..=p.trends.len()).collect(), ""));
    }
    if !p.months.is_empty() {
        let cats: Vec<String> = p.months.iter().map(|m| m.month.clone()).collect();
        let raised: Vec<f64> = p.months.iter().map(|m| m.ncs_raised as f64).collect();
        let closed: Vec<f64> = p.months.iter().map(|m| m.ncs_closed as f64).collect();
        let incidents: Vec<f64> = p
            .months
            .iter()
            .map(|m| m.incidents.values().sum::<usize>() as f64)
            .collect();
        if let Some(svg) = svg::bar_chart(
            "Nonconformities raised and closed, and incidents, per month",
            &cats,
            &[
                ("NCs raised", raised),
                ("NCs closed", closed),
                ("Incidents", incidents),
            ],
            svg::WIDE,
        ) {
            b.push(Block::Charts(vec![(
                "Nonconformities raised and closed, and incidents, per month".into(),
                svg,
            )]));
        }
        b.push(table(
            vec!["Month", "NCs raised", "NCs closed", "Incidents"],
            p.months
                .iter()
                .map(|m| {
                    vec![
                        m.month.clone(),
                        m.ncs_raised.to_string(),
                        m.ncs_closed.to_string(),
                        m.incidents.values().sum::<usize>().to_string(),
                    ]
                })
                .collect(),
            vec![1, 2, 3],
            "",
        ));
    }
    b.push(Block::H3(
        "4.2 Nonconformities raised, closed or open".into(),
    ));
    b.push(lines_table(
        &p.nonconformities,
        "No nonconformity was raised or closed in the period, and none is open.",
    ));

    b.push(Block::H3("4.3 Monitoring and measurement results".into()));
    b.push(table(
        vec![
            "Metric",
            "What is measured",
            "Threshold",
            "Latest",
            "Measurements",
            "Breaches",
        ],
        p.metrics
            .iter()
            .map(|m| {
                // `%` sticks to its number; a word (ratio, PSI, days) is spaced.
                let gap = if m.unit.starts_with(char::is_alphabetic) {
                    " "
                } else {
                    ""
                };
                let unit = |v: f64| format!("{}{gap}{}", svg::num(v), m.unit);
                vec![
                    m.id.clone(),
                    m.title.clone(),
                    m.threshold.map_or("—".into(), |t| {
                        format!(
                            "{} {}",
                            if m.direction == "min" { "≥" } else { "≤" },
                            unit(t)
                        )
                    }),
                    m.points
                        .last()
                        .map_or("—".into(), |(d, v)| format!("{} ({d})", unit(*v))),
                    m.points.len().to_string(),
                    m.breaches.to_string(),
                ]
            })
            .collect(),
        vec![4, 5],
        "No active metric.",
    ));
    b.push(Block::Charts(
        p.metrics
            .iter()
            .filter_map(|m| {
                let title = format!("{} {}", m.id, m.title);
                svg::line_chart(
                    &title,
                    &[(m.id.as_str(), m.points.as_slice())],
                    m.threshold.map(|t| (t, m.direction.as_str())),
                    svg::HALF,
                )
                .map(|svg| (title, svg))
            })
            .collect(),
    ));
    b.push(metric_table(p));

    b.push(Block::H3("4.4 Audit results".into()));
    b.push(table(
        vec![
            "Audit",
            "Title",
            "Status",
            "Date",
            "Conf.",
            "Minor NC",
            "Major NC",
            "Obs.",
            "OFI",
            "Not audited",
            "Open",
        ],
        p.audits
            .iter()
            .map(|a| {
                let mut row = vec![
                    a.id.clone(),
                    a.title.clone(),
                    a.status.clone(),
                    a.date.map(|d| d.to_string()).unwrap_or_default(),
                ];
                row.extend(a.counts.iter().map(|n| n.to_string()));
                row
            })
            .collect(),
        (4..=10).collect(),
        "No audit in the period.",
    ));
    debug_assert_eq!(ItemResult::ALL.len() + 1, 7);

    b.push(Block::H3("4.5 AI objectives and their status".into()));
    b.push(lines_table(&p.objectives, "No AI objective is recorded."));

    b.push(Block::H3("4.6 Incidents".into()));
    b.push(lines_table(
        &p.incidents,
        "No incident occurred in the period, and none is open.",
    ));

    // Risks.
    b.push(Block::H2(
        "5. Risks added, rescored, accepted or closed".into(),
    ));
    for n in &p.risks.notes {
        b.push(Block::Note(n.clone()));
    }
    if let Some(svg) = svg::heat_map("Residual risk heat map of the open risks", &p.heat) {
        b.push(Block::Charts(vec![(
            "Residual risk heat map of the open risks".into(),
            svg,
        )]));
    }
    b.push(heat_table(p));
    b.push(Block::P(
        "Open risks by residual likelihood and impact; ! marks a cell above the risk appetite."
            .into(),
    ));
    b.push(table(
        vec!["Risk", "Title", "What changed"],
        p.risks
            .items
            .iter()
            .map(|i| vec![i.id.clone(), i.title.clone(), i.meaning.join("; ")])
            .collect(),
        vec![],
        "No risk was added, rescored, accepted or closed in the period.",
    ));

    // e) Improvement.
    b.push(Block::H2(
        "6. Opportunities for continual improvement".into(),
    ));
    b.push(table(
        vec!["Audit", "Requirement", "Kind", "Notes"],
        p.improvements
            .iter()
            .map(|i| {
                vec![
                    i.audit.clone(),
                    i.reference.clone(),
                    i.kind.to_string(),
                    i.notes.clone(),
                ]
            })
            .collect(),
        vec![],
        "No observation or OFI from the audits of the period.",
    ));

    // Readiness.
    b.push(Block::H2("7. Readiness findings still open".into()));
    let errors = p.findings.iter().filter(|f| f.is_error()).count();
    b.push(Block::P(format!(
        "`aims check`: {}, {}. Stage 1 expectations not present and current: {}.",
        plural(errors, "error"),
        plural(p.findings.len() - errors, "warning"),
        readiness.len()
    )));
    b.push(table(
        vec!["Expectation", "Clause", "Status"],
        readiness
            .iter()
            .map(|(w, c, s)| vec![w.clone(), c.clone(), s.clone()])
            .collect(),
        vec![],
        "Every stage 1 expectation is present and current.",
    ));
    b.push(findings_table(&p.findings));
    b.push(Block::P(format!(
        "Produced by AIMS Workbench from the workspace records and their git history on {today}."
    )));
    b
}

/// The measurements of every metric by month (the last of each month), `!` marking a
/// breach: the text alternative of the metric charts, compact enough for a page.
fn metric_table(p: &ReviewPack) -> Block {
    let month = |d: &Date| d.format("%Y-%m").to_string();
    let mut months: Vec<String> = p
        .metrics
        .iter()
        .flat_map(|m| m.points.iter().map(|(d, _)| month(d)))
        .collect();
    months.sort();
    months.dedup();
    let mut head = vec!["Metric".to_string()];
    head.extend(months.iter().map(|m| {
        // `2026-03` as `Mar 26`: twelve columns fit across A4.
        crate::domain::dates::parse_date(&format!("{m}-01"))
            .map_or(m.clone(), |d| d.format("%b %y").to_string())
    }));
    let rows = p
        .metrics
        .iter()
        .filter(|m| !m.points.is_empty())
        .map(|m| {
            let mut row = vec![m.id.clone()];
            row.extend(months.iter().map(|mo| {
                m.points.iter().rev().find(|(d, _)| &month(d) == mo).map_or(
                    String::new(),
                    |(_, v)| {
                        let breach = m.threshold.is_some_and(|t| match m.direction.as_str() {
                            "max" => *v > t,
                            "min" => *v < t,
                            _ => false,
                        });
                        format!("{}{}", svg::num(*v), if breach { " !" } else { "" })
                    },
                )
            }));
            row
        })
        .collect();
    Block::Table {
        head,
        rows,
        numeric: (1..=months.len()).collect(),
        empty: "No measurement in the period.",
    }
}

const FINDINGS_SHOWN: usize = 15;

fn findings_table(findings: &[Finding]) -> Block {
    let mut rows: Vec<Vec<String>> = findings
        .iter()
        .take(FINDINGS_SHOWN)
        .map(|f| {
            vec![
                if f.is_error() { "error" } else { "warning" }.to_string(),
                f.record
                    .clone()
                    .unwrap_or_else(|| f.file.display().to_string()),
                f.message.clone(),
            ]
        })
        .collect();
    if findings.len() > FINDINGS_SHOWN {
        rows.push(vec![
            String::new(),
            String::new(),
            format!(
                "and {} more: run `aims check`",
                findings.len() - FINDINGS_SHOWN
            ),
        ]);
    }
    table(
        vec!["Severity", "Record", "Finding"],
        rows,
        vec![],
        "No finding: `aims check` is clean.",
    )
}

/// The heat map as a table (the chart's text alternative, and the Markdown's only form).
fn heat_table(p: &ReviewPack) -> Block {
    let h = &p.heat;
    let mut head = vec!["Impact / likelihood".to_string()];
    head.extend(
        h.likelihood
            .iter()
            .enumerate()
            .map(|(l, name)| format!("{name} ({})", l + 1)),
    );
    let rows = (0..h.impact.len())
        .rev()
        .map(|i| {
            let mut row = vec![format!("{} ({})", h.impact[i], i + 1)];
            row.extend(
                h.cells[i]
                    .iter()
                    .enumerate()
                    .map(|(l, n)| format!("{n}{}", if h.above[i][l] { " !" } else { "" })),
            );
            row
        })
        .collect();
    Block::Table {
        head,
        rows,
        numeric: (1..=h.likelihood.len()).collect(),
        empty: "",
    }
}

fn header_lines(p: &ReviewPack) -> (String, String) {
    (
        format!("Management review pack: {}", p.organization),
        format!(
            "Inputs of ISO/IEC 42001 9.3.2 for the period {} to {} ({}).",
            p.period.from, p.period.to, p.period.basis
        ),
    )
}

fn markdown(p: &ReviewPack, blocks: &[Block]) -> String {
    let (title, subtitle) = header_lines(p);
    let mut o = format!("# {}\n\n{}\n", md(&title), md(&subtitle));
    for block in blocks {
        match block {
            Block::H2(t) => o.push_str(&format!("\n## {}\n\n", md(t))),
            Block::H3(t) => o.push_str(&format!("\n### {}\n\n", md(t))),
            Block::P(t) => o.push_str(&format!("{}\n\n", md_code(t))),
            Block::Note(t) => o.push_str(&format!("> Note: {}\n\n", md_code(t))),
            Block::Charts(_) => {}
            Block::Table {
                head,
                rows,
                numeric,
                empty,
            } => {
                if rows.is_empty() {
                    if !empty.is_empty() {
                        o.push_str(&format!("{empty}\n\n"));
                    }
                    continue;
                }
                let head: Vec<String> = head.iter().map(|c| md(c)).collect();
                o.push_str(&format!("| {} |\n|", head.join(" | ")));
                for i in 0..head.len() {
                    o.push_str(if numeric.contains(&i) {
                        "---:|"
                    } else {
                        "---|"
                    });
                }
                o.push('\n');
                for r in rows {
                    let cells: Vec<String> = r.iter().map(|c| md(c)).collect();
                    o.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                o.push('\n');
            }
        }
    }
    o
}

/// Our own sentences quote commands in backticks: kept as code, the rest escaped.
fn md_code(t: &str) -> String {
    t.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("`{part}`")
            } else {
                md(part)
            }
        })
        .collect::<Vec<_>>()
        .join("")
}

fn html_code(t: &str) -> String {
    t.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part)
            }
        })
        .collect()
}

fn html(p: &ReviewPack, blocks: &[Block]) -> String {
    let (title, subtitle) = header_lines(p);
    let mut b = format!(
        "<header>\n<p class=\"kicker\">ISO/IEC 42001 clause 9.3 management review</p>\n<h1>Management review pack</h1>\n<p class=\"subtitle\">{} — {} to {}</p>\n</header>\n<p>{}</p>\n",
        h(&p.organization),
        p.period.from,
        p.period.to,
        esc(&subtitle)
    );
    for block in blocks {
        match block {
            Block::H2(t) => b.push_str(&format!("<h2>{}</h2>\n", h(t))),
            Block::H3(t) => b.push_str(&format!("<h3>{}</h3>\n", h(t))),
            Block::P(t) => b.push_str(&format!("<p>{}</p>\n", html_code(t))),
            Block::Note(t) => b.push_str(&format!("<p class=\"note\">{}</p>\n", html_code(t))),
            Block::Charts(charts) if charts.is_empty() => {}
            Block::Charts(charts) => {
                b.push_str(if charts.len() > 1 {
                    "<div class=\"charts two\">\n"
                } else {
                    "<div class=\"charts\">\n"
                });
                for (caption, svg) in charts {
                    b.push_str(&format!(
                        "<figure>\n<figcaption>{}</figcaption>\n{svg}</figure>\n",
                        h(caption)
                    ));
                }
                b.push_str("</div>\n");
            }
            Block::Table {
                head,
                rows,
                numeric,
                empty,
            } => {
                if rows.is_empty() {
                    if !empty.is_empty() {
                        b.push_str(&format!("<p class=\"muted\">{}</p>\n", esc(empty)));
                    }
                    continue;
                }
                // Short columns (ids, dates, statuses, counts) never wrap; the long text
                // columns take the rest of the width.
                let short: Vec<bool> = (0..head.len())
                    .map(|i| {
                        rows.iter()
                            .all(|r| r.get(i).is_none_or(|c| c.chars().count() <= 16))
                    })
                    .collect();
                let num = |i: usize| match (numeric.contains(&i), short[i]) {
                    (true, _) => " class=\"num nw\"",
                    (false, true) => " class=\"nw\"",
                    _ => "",
                };
                b.push_str("<table class=\"grid auto\">\n<thead><tr>");
                for (i, c) in head.iter().enumerate() {
                    b.push_str(&format!("<th{}>{}</th>", num(i), esc(c)));
                }
                b.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    b.push_str("<tr>");
                    for (i, c) in r.iter().enumerate() {
                        b.push_str(&format!("<td{}>{}</td>", num(i), h(c)));
                    }
                    b.push_str("</tr>\n");
                }
                b.push_str("</tbody>\n</table>\n");
            }
        }
    }
    html_page(&title, &b)
}

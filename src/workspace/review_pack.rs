//! The management review pack: the inputs ISO/IEC 42001 9.3.2 asks a management review to
//! consider, for the period since the previous review, assembled from the records and
//! their git history into one plain [`ReviewPack`].
//!
//! Renderers (`aims report management-review` in Markdown or HTML, the workbench's "new
//! review" offer) only read the pack; this module has no terminal or document code. The
//! sections that need history (changes in context, parties and risks; trends) come from
//! git: outside a repository, or in a shallow clone, they say what they lack in `notes`
//! and show what the records alone can tell.

use super::Workspace;
use super::git::{self, Lack, Repo};
use super::trends::{Month, Point, trends};
use crate::domain::dates::{Date, parse_date};
use crate::domain::settings::SETTINGS_FILE;
use crate::domain::{Finding, Map, Record, RecordType, Value};
use crate::rules::audit::ItemResult;
use crate::rules::specs::{breaches, date_of, number, residual_score};
use chrono::Datelike;
use std::collections::BTreeMap;
use std::path::Path;

/// Where the period starts: a date, or the date of a management review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// The last review held before today (else a year back).
    Previous,
    Date(Date),
    Review(String),
}

impl Since {
    /// `2026-01-01` or `MR-2025`; `None` when it is neither.
    pub fn parse(text: &str) -> Option<Since> {
        let t = text.trim();
        if let Some(d) = parse_date(t) {
            return Some(Since::Date(d));
        }
        (t.starts_with("MR-") && crate::domain::ids::is_record_id(t))
            .then(|| Since::Review(t.to_string()))
    }
}

/// The period under review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// The first day (exclusive of nothing: changes on or after it count).
    pub from: Date,
    pub to: Date,
    /// The previous review the period starts at, if any.
    pub previous: Option<String>,
    /// How `from` was chosen, in words.
    pub basis: String,
}

/// One action of a previous review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrevAction {
    pub review: String,
    pub action: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// `open` or `done` (as written).
    pub status: String,
    pub overdue: bool,
}

/// How a record changed in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    /// The fields that changed (review bookkeeping left out).
    Changed(Vec<String>),
}

/// A record of a register (context, parties, risks) that changed in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordChange {
    pub id: String,
    pub title: String,
    pub change: Change,
    /// Risks: what the change means (`rescored 12 → 8`, `accepted`, `closed`).
    pub meaning: Vec<String>,
}

/// Changes to one register in the period, and what the answer lacks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub items: Vec<RecordChange>,
    /// How many records the register holds now.
    pub total: usize,
    pub notes: Vec<String>,
}

/// One numbered series over time, for a chart and its table.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(Date, f64)>,
}

/// A metric's measurements in the period against its threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSeries {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub threshold: Option<f64>,
    /// `max` (above is a breach) or `min`.
    pub direction: String,
    pub points: Vec<(Date, f64)>,
    pub breaches: usize,
}

/// One audit of the period and its results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditResult {
    pub id: String,
    pub title: String,
    pub status: String,
    pub date: Option<Date>,
    /// Items per result, in [`ItemResult::ALL`] order, then items without a result.
    pub counts: [usize; 7],
}

/// A record listed as it stands (NC, incident, objective): id, title, facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: String,
    pub title: String,
    pub status: String,
    /// Short facts: `raised 2026-03-01`, `severity major`, `target ...`.
    pub facts: Vec<String>,
}

/// An observation or OFI of an audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Improvement {
    pub audit: String,
    pub reference: String,
    /// `observation` or `OFI`.
    pub kind: &'static str,
    pub notes: String,
}

/// The residual risk heat map: counts per cell, impact rows from the highest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatMap {
    pub likelihood: Vec<String>,
    pub impact: Vec<String>,
    /// `cells[i][l]`: risks with residual impact `i + 1` and likelihood `l + 1`.
    pub cells: Vec<Vec<usize>>,
    /// The band index of each score, to shade cells (0 = lowest band).
    pub bands: Vec<Vec<usize>>,
    pub band_count: usize,
    /// Cells above the risk appetite.
    pub above: Vec<Vec<bool>>,
}

/// Everything a management review should consider, for one period.
#[derive(Debug, Clone)]
pub struct ReviewPack {
    pub organization: String,
    pub period: Period,
    pub previous_actions: Vec<PrevAction>,
    pub context: Changes,
    pub parties: Changes,
    /// aims.yaml fields (scope, roles, people...) that changed in the period.
    pub settings_changed: Vec<String>,
    pub risks: Changes,
    pub heat: HeatMap,
    /// Trend series over the period: open NCs, overdue items, risks above appetite...
    pub trends: Vec<Series>,
    /// NCs raised and closed and incidents, per month of the period.
    pub months: Vec<Month>,
    pub trend_notes: Vec<String>,
    pub metrics: Vec<MetricSeries>,
    pub audits: Vec<AuditResult>,
    /// NCs raised or closed in the period, or still open.
    pub nonconformities: Vec<Line>,
    /// Incidents that occurred in the period, or are still open.
    pub incidents: Vec<Line>,
    pub objectives: Vec<Line>,
    pub improvements: Vec<Improvement>,
    /// `aims check` errors and warnings still open.
    pub findings: Vec<Finding>,
}

/// The fields a review only bookkeeps: not a change worth reviewing.
const BOOKKEEPING: [&str; 3] = ["last_reviewed", "next_review", "reviews"];

impl ReviewPack {
    /// The records a new review should link, per input field of the MR spec (`inputs.*`),
    /// in the order of the spec; empty lists left out.
    pub fn input_links(&self) -> Vec<(&'static str, Vec<String>)> {
        let changed = |c: &Changes| -> Vec<String> {
            c.items
                .iter()
                .filter(|i| i.change != Change::Removed)
                .map(|i| i.id.clone())
                .collect()
        };
        let ids = |lines: &[Line]| lines.iter().map(|l| l.id.clone()).collect::<Vec<_>>();
        let all = [
            (
                "previous_reviews",
                self.period.previous.iter().cloned().collect(),
            ),
            ("context_issues", changed(&self.context)),
            ("parties", changed(&self.parties)),
            (
                "metrics",
                self.metrics.iter().map(|m| m.id.clone()).collect(),
            ),
            ("audits", self.audits.iter().map(|a| a.id.clone()).collect()),
            ("nonconformities", ids(&self.nonconformities)),
            ("incidents", ids(&self.incidents)),
            ("objectives", ids(&self.objectives)),
            ("risks", changed(&self.risks)),
        ];
        all.into_iter().filter(|(_, v)| !v.is_empty()).collect()
    }
}

/// Assembles the pack of the workspace as of `today`. Never fails: what history cannot
/// give is said in the sections' notes. `Err` only for a `--since` review that does not
/// exist (the message names what does).
pub fn assemble(ws: &Workspace, since: &Since, today: Date) -> Result<ReviewPack, String> {
    let period = period(ws, since, today)?;
    let from = period.from;
    let in_period = |d: Option<Date>| d.is_some_and(|d| d >= from && d <= today);

    let history = Baseline::read(&ws.root, from);
    let context = history.changes(ws, RecordType::ContextIssue);
    let parties = history.changes(ws, RecordType::InterestedParty);
    let mut risks = history.changes(ws, RecordType::Risk);
    for item in &mut risks.items {
        item.meaning = risk_meaning(history.old(RecordType::Risk, &item.id), ws.get(&item.id));
    }
    risks
        .items
        .retain(|i| !matches!(i.change, Change::Changed(_)) || !i.meaning.is_empty());
    let settings_changed = history.settings_changed(ws);

    let t = trends(&ws.root);
    let points: Vec<&Point> = t.points.iter().filter(|p| p.date >= from).collect();
    let series = |name: &str, f: fn(&Point) -> usize| Series {
        name: name.to_string(),
        points: points.iter().map(|p| (p.date, f(p) as f64)).collect(),
    };
    let trend_series = if points.is_empty() {
        Vec::new()
    } else {
        vec![
            series("Open nonconformities", |p| p.ncs_open),
            series("Overdue items", |p| p.overdue),
            series("Risks above appetite", |p| p.risks_above_appetite),
            series("SoA controls in place", |p| p.soa_in_place),
        ]
    };
    let first_month = from.format("%Y-%m").to_string();
    let months = if t.months.is_empty() {
        // Without history the months still come from the records' own dates.
        super::trends::months_of(&ws.records)
    } else {
        t.months
    }
    .into_iter()
    .filter(|m| m.month >= first_month)
    .collect();
    let months = every_month(months, from, today);
    let mut trend_notes = t.notes;
    if points.is_empty() && trend_notes.is_empty() {
        trend_notes.push(format!("no commit since {from}: no trend to show yet"));
    }

    Ok(ReviewPack {
        organization: ws.settings.organization.clone(),
        previous_actions: previous_actions(ws, &period, today),
        context,
        parties,
        settings_changed,
        risks,
        heat: heat_map(ws),
        trends: trend_series,
        months,
        trend_notes,
        metrics: metrics(ws, from, today),
        audits: audits(ws, from, today),
        nonconformities: lines(ws, RecordType::Nonconformity, |r| {
            let f = &r.fields;
            !f.text_is("status", "closed")
                || in_period(date_of(f, "raised_on"))
                || in_period(date_of(f, "closed_on"))
        }),
        incidents: lines(ws, RecordType::Incident, |r| {
            let f = &r.fields;
            in_period(date_of(f, "occurred_on"))
                || !matches!(f.text("status").as_deref(), Some("closed" | "resolved"))
        }),
        objectives: lines(ws, RecordType::Objective, |_| true),
        improvements: improvements(ws, from, today),
        findings: ws.check(today),
        period,
    })
}

/// The months from `from` to `to`, each once, the quiet ones with zero counts: a bar
/// chart's gaps are part of the trend.
fn every_month(known: Vec<Month>, from: Date, to: Date) -> Vec<Month> {
    let mut by: BTreeMap<String, Month> = known.into_iter().map(|m| (m.month.clone(), m)).collect();
    let mut d = from.with_day(1).unwrap_or(from);
    while d <= to {
        let key = d.format("%Y-%m").to_string();
        by.entry(key.clone()).or_insert_with(|| Month {
            month: key,
            ..Month::default()
        });
        d = d + chrono::Months::new(1);
    }
    let last = to.format("%Y-%m").to_string();
    by.into_values().filter(|m| m.month <= last).collect()
}

fn period(ws: &Workspace, since: &Since, today: Date) -> Result<Period, String> {
    let held = |r: &Record| date_of(&r.fields, "held_on");
    match since {
        Since::Date(d) => Ok(Period {
            from: *d,
            to: today,
            previous: None,
            basis: format!("since {d}, as asked"),
        }),
        Since::Review(id) => match ws.get(id) {
            Some(r) if r.kind == RecordType::ManagementReview => {
                let from = held(r).ok_or_else(|| format!("{id} has no valid held_on date"))?;
                Ok(Period {
                    from,
                    to: today,
                    previous: Some(id.clone()),
                    basis: format!("since management review {id} of {from}"),
                })
            }
            _ => {
                let mut known: Vec<&str> = ws
                    .of_type(RecordType::ManagementReview)
                    .map(|r| r.id.as_str())
                    .collect();
                known.sort_unstable();
                Err(format!(
                    "no management review `{}` in this workspace; {}",
                    crate::domain::text::one_line(id),
                    if known.is_empty() {
                        "it has none: give a date (YYYY-MM-DD) instead".to_string()
                    } else {
                        format!("reviews: {}", known.join(", "))
                    }
                ))
            }
        },
        Since::Previous => {
            let last = ws
                .of_type(RecordType::ManagementReview)
                .filter(|r| r.fields.text_is("status", "held"))
                .filter_map(|r| held(r).filter(|d| *d <= today).map(|d| (d, r.id.clone())))
                .max();
            Ok(match last {
                Some((from, id)) => Period {
                    from,
                    to: today,
                    basis: format!("since the previous management review, {id} of {from}"),
                    previous: Some(id),
                },
                None => {
                    let from = today - chrono::Months::new(12);
                    Period {
                        from,
                        to: today,
                        previous: None,
                        basis: "the past twelve months: no management review has been held yet"
                            .into(),
                    }
                }
            })
        }
    }
}

/// The actions of the previous review (or of every review before the period when none is
/// named), each with its status now.
fn previous_actions(ws: &Workspace, period: &Period, today: Date) -> Vec<PrevAction> {
    let mut reviews: Vec<&Record> = ws
        .of_type(RecordType::ManagementReview)
        .filter(|r| match &period.previous {
            Some(id) => &r.id == id,
            None => date_of(&r.fields, "held_on").is_some_and(|d| d < period.from),
        })
        .collect();
    reviews.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = Vec::new();
    for r in reviews {
        for a in r.fields.list("actions").iter().filter_map(Value::as_map) {
            let status = a.text("status").unwrap_or_else(|| "open".into());
            let due = a.text("due");
            let overdue = status != "done"
                && due
                    .as_deref()
                    .and_then(parse_date)
                    .is_some_and(|d| d < today);
            out.push(PrevAction {
                review: r.id.clone(),
                action: a.text("action").unwrap_or_default(),
                owner: a.text("owner"),
                due,
                status,
                overdue,
            });
        }
    }
    out
}

/// The records as committed at the start of the period, for comparing with now.
struct Baseline {
    /// `(kind, id)` → fields, for the registers the pack compares.
    records: BTreeMap<(RecordType, String), Map>,
    settings: Option<Map>,
    /// What the comparison lacks (no repository, history starting later, shallow...).
    notes: Vec<String>,
    /// Whether there is a history to compare with at all.
    known: bool,
}

const COMPARED: [RecordType; 3] = [
    RecordType::ContextIssue,
    RecordType::InterestedParty,
    RecordType::Risk,
];

impl Baseline {
    fn read(root: &Path, from: Date) -> Baseline {
        let mut b = Baseline {
            records: BTreeMap::new(),
            settings: None,
            notes: Vec::new(),
            known: false,
        };
        match Self::read_git(root, from, &mut b) {
            Ok(()) => b.known = true,
            Err(lack) => b.notes.push(lack.to_string()),
        }
        b
    }

    fn read_git(root: &Path, from: Date, b: &mut Baseline) -> Result<(), Lack> {
        let repo = Repo::open(root)?;
        let before = format!("{}T00:00:00Z", from);
        let at = repo.text(&[
            "log",
            "--first-parent",
            "-1",
            "--format=%H",
            &format!("--before={before}"),
            "HEAD",
        ])?;
        let at = at.trim();
        if at.is_empty() {
            let first =
                repo.text(&["log", "--first-parent", "--reverse", "--format=%cs", "HEAD"])?;
            let first = first.lines().next().unwrap_or("").to_string();
            b.notes.push(if repo.shallow {
                format!("shallow clone: its history starts on {first}, after the period began ({from}); every record counts as added; run `git fetch --unshallow` for the full history")
            } else {
                format!("the history starts on {first}, after the period began ({from}): every record counts as added")
            });
            return Ok(());
        }
        let mut paths: Vec<String> = COMPARED.iter().map(|k| k.dir().to_string()).collect();
        paths.push(SETTINGS_FILE.to_string());
        let mut args = vec!["ls-tree", "-r", "-z", "--no-abbrev", at, "--"];
        args.extend(paths.iter().map(String::as_str));
        let listing = repo.run(&args)?;
        let mut wanted = Vec::new();
        for entry in git::fields(&listing) {
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut cols = meta.split(' ');
            if let (Some(_), Some("blob"), Some(oid)) = (cols.next(), cols.next(), cols.next()) {
                wanted.push((path.to_string(), oid.to_string()));
            }
        }
        let mut blobs = repo.blobs()?;
        let oids: Vec<&str> = wanted.iter().map(|(_, o)| o.as_str()).collect();
        let contents = blobs.get_many(&oids)?;
        for ((path, _), bytes) in wanted.into_iter().zip(contents) {
            let Some(fields) = bytes.as_deref().and_then(|b| parse(b, &path)) else {
                continue;
            };
            if path == SETTINGS_FILE {
                b.settings = Some(fields);
                continue;
            }
            let Some((dir, name)) = path.split_once('/') else {
                continue;
            };
            let (Some(kind), Some(id)) = (RecordType::from_dir(dir), name.strip_suffix(".yaml"))
            else {
                continue;
            };
            b.records.insert((kind, id.to_string()), fields);
        }
        if repo.shallow {
            b.notes
                .push("shallow clone: changes are compared with its oldest fetched commit".into());
        }
        Ok(())
    }

    fn old(&self, kind: RecordType, id: &str) -> Option<&Map> {
        self.records.get(&(kind, id.to_string()))
    }

    /// The records of `kind` added, changed or removed since the baseline. Without history,
    /// the records whose own dates fall in the period are listed as "changed" with a note.
    fn changes(&self, ws: &Workspace, kind: RecordType) -> Changes {
        let mut out = Changes {
            total: ws.of_type(kind).count(),
            notes: self.notes.clone(),
            ..Changes::default()
        };
        if !self.known {
            return out;
        }
        let mut now: Vec<&Record> = ws.of_type(kind).collect();
        now.sort_by(|a, b| a.id.cmp(&b.id));
        for r in now {
            let change = match self.old(kind, &r.id) {
                None => Change::Added,
                Some(old) => {
                    let fields: Vec<String> =
                        super::history::diff_fields(Some(old), Some(&r.fields))
                            .into_iter()
                            .map(|c| c.field)
                            .filter(|f| !BOOKKEEPING.contains(&f.as_str()))
                            .collect();
                    if fields.is_empty() {
                        continue;
                    }
                    Change::Changed(fields)
                }
            };
            out.items.push(RecordChange {
                id: r.id.clone(),
                title: r.title(),
                change,
                meaning: Vec::new(),
            });
        }
        for ((k, id), old) in &self.records {
            if *k == kind && ws.get(id).is_none() {
                out.items.push(RecordChange {
                    id: id.clone(),
                    title: old
                        .text("title")
                        .or_else(|| old.text("name"))
                        .unwrap_or_default(),
                    change: Change::Removed,
                    meaning: Vec::new(),
                });
            }
        }
        out
    }

    /// The top-level aims.yaml fields that differ from the baseline's.
    fn settings_changed(&self, ws: &Workspace) -> Vec<String> {
        if !self.known {
            return Vec::new();
        }
        let now = std::fs::read(ws.root.join(SETTINGS_FILE))
            .ok()
            .and_then(|b| parse(&b, SETTINGS_FILE));
        super::history::diff_fields(self.settings.as_ref(), now.as_ref())
            .into_iter()
            .map(|c| c.field)
            .collect()
    }
}

fn parse(bytes: &[u8], path: &str) -> Option<Map> {
    let text = std::str::from_utf8(bytes).ok()?;
    match super::load::parse_yaml(text, Path::new(path)).ok()? {
        Value::Map(m) => Some(m),
        _ => None,
    }
}

/// What a risk's change means for the review: added, rescored, accepted, closed.
fn risk_meaning(old: Option<&Map>, now: Option<&Record>) -> Vec<String> {
    let Some(now) = now.map(|r| &r.fields) else {
        return vec!["removed".into()];
    };
    let Some(old) = old else {
        let mut m = vec!["added".to_string()];
        if let Some(s) = residual_score(now) {
            m.push(format!("residual score {s}"));
        }
        if now.text_is("treatment", "accept") {
            m.push("accepted".into());
        }
        return m;
    };
    let mut m = Vec::new();
    let (a, b) = (residual_score(old), residual_score(now));
    if a != b {
        let show = |s: Option<u32>| s.map_or("—".to_string(), |s| s.to_string());
        m.push(format!("rescored {} → {}", show(a), show(b)));
    }
    let accepted = |f: &Map| f.text_is("treatment", "accept") && !f.is_blank("accepted_on");
    if accepted(now) && (!accepted(old) || old.text("accepted_on") != now.text("accepted_on")) {
        m.push("accepted".into());
    }
    let closed = |f: &Map| f.text_is("status", "closed");
    if closed(now) && !closed(old) {
        m.push("closed".into());
    }
    if old.text("treatment") != now.text("treatment") && !now.text_is("treatment", "accept") {
        m.push(format!(
            "treatment → {}",
            now.text("treatment").unwrap_or_else(|| "none".into())
        ));
    }
    m
}

/// The residual risk heat map of the open risks.
pub fn heat_map(ws: &Workspace) -> HeatMap {
    let method = &ws.settings.risk;
    let (nl, ni) = (method.likelihood.len(), method.impact.len());
    let mut cells = vec![vec![0; nl]; ni];
    for r in ws.of_type(RecordType::Risk) {
        let f = &r.fields;
        if f.text_is("status", "closed") {
            continue;
        }
        let l = f.int("residual_likelihood").or(f.int("likelihood"));
        let i = f.int("residual_impact").or(f.int("impact"));
        if let (Some(l), Some(i)) = (l, i)
            && (1..=nl as i64).contains(&l)
            && (1..=ni as i64).contains(&i)
        {
            cells[i as usize - 1][l as usize - 1] += 1;
        }
    }
    let score = |i: usize, l: usize| ((i + 1) * (l + 1)) as u32;
    HeatMap {
        bands: (0..ni)
            .map(|i| (0..nl).map(|l| method.band_index(score(i, l))).collect())
            .collect(),
        above: (0..ni)
            .map(|i| {
                (0..nl)
                    .map(|l| method.above_appetite(score(i, l)))
                    .collect()
            })
            .collect(),
        band_count: method.bands.len(),
        likelihood: method.likelihood.clone(),
        impact: method.impact.clone(),
        cells,
    }
}

fn metrics(ws: &Workspace, from: Date, to: Date) -> Vec<MetricSeries> {
    let mut out: Vec<MetricSeries> = ws
        .of_type(RecordType::Metric)
        .filter(|r| !r.fields.text_is("status", "retired"))
        .map(|r| {
            let f = &r.fields;
            let mut points: Vec<(Date, f64)> = f
                .list("measurements")
                .iter()
                .filter_map(Value::as_map)
                .filter_map(|m| Some((date_of(m, "date")?, number(m, "value")?)))
                .filter(|(d, _)| *d >= from && *d <= to)
                .collect();
            points.sort_by_key(|a| a.0);
            MetricSeries {
                id: r.id.clone(),
                title: r.title(),
                unit: f.text("unit").unwrap_or_default(),
                threshold: number(f, "threshold"),
                direction: f.text("direction").unwrap_or_default(),
                breaches: points.iter().filter(|(_, v)| breaches(f, *v)).count(),
                points,
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The audit's date for the period: completed, else started, else planned.
fn audit_date(f: &Map) -> Option<Date> {
    date_of(f, "completed_on")
        .or_else(|| date_of(f, "started_on"))
        .or_else(|| date_of(f, "planned_on"))
}

fn audits_in(ws: &Workspace, from: Date, to: Date) -> Vec<&Record> {
    let mut a: Vec<&Record> = ws
        .of_type(RecordType::Audit)
        .filter(|r| audit_date(&r.fields).is_some_and(|d| d >= from && d <= to))
        .collect();
    a.sort_by(|x, y| x.id.cmp(&y.id));
    a
}

fn audits(ws: &Workspace, from: Date, to: Date) -> Vec<AuditResult> {
    audits_in(ws, from, to)
        .into_iter()
        .map(|r| {
            let mut counts = [0; 7];
            for item in r.fields.list("checklist").iter().filter_map(Value::as_map) {
                let i = item
                    .text("result")
                    .and_then(|t| ItemResult::parse(&t))
                    .and_then(|res| ItemResult::ALL.iter().position(|x| *x == res))
                    .unwrap_or(6);
                counts[i] += 1;
            }
            AuditResult {
                id: r.id.clone(),
                title: r.title(),
                status: r.fields.text("status").unwrap_or_default(),
                date: audit_date(&r.fields),
                counts,
            }
        })
        .collect()
}

fn improvements(ws: &Workspace, from: Date, to: Date) -> Vec<Improvement> {
    let mut out = Vec::new();
    for r in audits_in(ws, from, to) {
        for item in r.fields.list("checklist").iter().filter_map(Value::as_map) {
            let kind = match item.text("result").and_then(|t| ItemResult::parse(&t)) {
                Some(ItemResult::Observation) => "observation",
                Some(ItemResult::Ofi) => "OFI",
                _ => continue,
            };
            out.push(Improvement {
                audit: r.id.clone(),
                reference: item.text("ref").unwrap_or_default(),
                kind,
                notes: item.text("notes").unwrap_or_default(),
            });
        }
    }
    out
}

fn lines(ws: &Workspace, kind: RecordType, keep: impl Fn(&Record) -> bool) -> Vec<Line> {
    let facts: &[(&str, &str)] = match kind {
        RecordType::Nonconformity => &[
            ("severity", ""),
            ("raised_on", "raised "),
            ("due", "due "),
            ("closed_on", "closed "),
        ],
        RecordType::Incident => &[("severity", "severity "), ("occurred_on", "occurred ")],
        RecordType::Objective => &[("target", "target: "), ("due", "due "), ("progress", "")],
        _ => &[],
    };
    let mut out: Vec<Line> = ws
        .of_type(kind)
        .filter(|r| keep(r))
        .map(|r| Line {
            id: r.id.clone(),
            title: r.title(),
            status: r.fields.text("status").unwrap_or_default(),
            facts: facts
                .iter()
                .filter_map(|(k, label)| r.fields.text(k).map(|v| format!("{label}{v}")))
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

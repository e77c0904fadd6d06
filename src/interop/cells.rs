//! One field's value as a spreadsheet cell, and a cell's text back to a field value through
//! the same rules as a form: enums by value, people by id/login/name/e-mail, references by
//! id or exact title, dates in the formats spreadsheets produce.

use crate::domain::catalog;
use crate::domain::dates::{Date, parse_date};
use crate::domain::{Map, RecordType, Settings, Value};
use crate::rules::FieldSpec;
use crate::rules::spec::{CatalogScope, Choices, FieldKind, Scale};
use crate::workspace::Workspace;

/// A cell of an exported sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Date(Date),
    Int(i64),
    Bool(bool),
}

impl Cell {
    /// The cell as text: dates ISO, booleans yes/no (how CSV and Markdown show it).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Date(d) => d.to_string(),
            Cell::Int(n) => n.to_string(),
            Cell::Bool(b) => yes_no(*b).to_string(),
        }
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Separator of list items in one cell. Text lists use line breaks, since their items are
/// sentences that may hold a semicolon.
pub const LIST_SEP: &str = "; ";

/// A stored value as a cell, by the field's kind.
pub fn cell_of(f: &FieldSpec, v: &Value) -> Cell {
    if v.is_empty() {
        return Cell::Empty;
    }
    match f.kind {
        FieldKind::Date => match v.as_text().as_deref().and_then(parse_date) {
            Some(d) => Cell::Date(d),
            None => Cell::Text(scalar(v)),
        },
        FieldKind::Score(_) | FieldKind::Number => match v.as_int() {
            Some(n) => Cell::Int(n),
            None => Cell::Text(scalar(v)),
        },
        FieldKind::Bool => match v.as_bool() {
            Some(b) => Cell::Bool(b),
            None => Cell::Text(scalar(v)),
        },
        FieldKind::EnumList(_)
        | FieldKind::PersonList
        | FieldKind::RefList(_)
        | FieldKind::CatalogList(_) => Cell::Text(items(v).join(LIST_SEP)),
        FieldKind::TextList => Cell::Text(items(v).join("\n")),
        FieldKind::Links => Cell::Text(
            v.as_list()
                .unwrap_or_default()
                .iter()
                .map(link_line)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        FieldKind::Table(sub) => Cell::Text(
            v.as_list()
                .unwrap_or_default()
                .iter()
                .map(|row| compact(sub, row))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        FieldKind::Group(sub) => Cell::Text(compact(sub, v)),
        // A folded YAML block ends in a line break that a cell should not show.
        _ => Cell::Text(scalar(v).trim_end().to_string()),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::List(_) => items(v).join(LIST_SEP),
        Value::Map(m) => m
            .entries()
            .iter()
            .map(|e| format!("{}: {}", e.key.as_str(), scalar(&e.value)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.as_text().unwrap_or_default(),
    }
}

fn items(v: &Value) -> Vec<String> {
    match v {
        Value::List(l) => l.iter().map(scalar).filter(|s| !s.is_empty()).collect(),
        other => vec![scalar(other)],
    }
}

/// `label (target)`, or the bare target: one evidence link per line.
fn link_line(v: &Value) -> String {
    match v {
        Value::Map(m) => match (m.text("label"), m.text("target")) {
            (Some(l), Some(t)) => format!("{} ({t})", l.trim()),
            (None, Some(t)) => t,
            (Some(l), None) => l,
            (None, None) => String::new(),
        },
        other => scalar(other),
    }
}

/// A sub-record on one line, its fields in spec order: `2026-02-10, lchen: note`.
fn compact(sub: &[FieldSpec], v: &Value) -> String {
    let Some(m) = v.as_map() else {
        return scalar(v);
    };
    sub.iter()
        .filter_map(|f| m.get(f.name).map(|x| (f, scalar(x))))
        .filter(|(_, s)| !s.is_empty())
        .map(|(f, s)| format!("{}: {s}", f.label))
        .collect::<Vec<_>>()
        .join(" · ")
}

// ---- reading cells back ---------------------------------------------------------------

/// How dates written with slashes or dots are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DateOrder {
    /// d/m/Y only with `--dayfirst`; otherwise a slash date is read as m/d/Y when it is
    /// unambiguous and refused when it is not.
    #[default]
    MonthFirst,
    DayFirst,
}

/// What parsing a cell needs besides its text.
pub struct Resolver<'a> {
    pub ws: &'a Workspace,
    pub dates: DateOrder,
}

/// Whether a field can be read from a cell. Tables and groups (review logs, change logs)
/// are shown in exports but kept as they are on import: they are append-only logs.
pub fn importable(f: &FieldSpec) -> bool {
    !matches!(f.kind, FieldKind::Table(_) | FieldKind::Group(_))
}

impl Resolver<'_> {
    /// The cell's text as the field's value, or what is wrong with it (naming the allowed
    /// values where there is a list). Blank text is `Ok(None)`.
    pub fn value(&self, f: &FieldSpec, text: &str) -> Result<Option<Value>, String> {
        let text = text.replace("\r\n", "\n");
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let settings = &self.ws.settings;
        let v = match f.kind {
            FieldKind::Text => Value::str(t),
            // Kept as written, bar the line ends: the YAML block keeps the paragraphs.
            FieldKind::LongText => Value::str(t),
            FieldKind::Enum(choices) => Value::str(choice(choices, t)?),
            FieldKind::EnumList(choices) => list(split(t), |s| choice(choices, s))?,
            FieldKind::Bool => Value::Bool(boolean(t)?),
            FieldKind::Date => Value::str(self.date(t)?.to_string()),
            FieldKind::Score(scale) => Value::Int(score(settings, scale, t)?),
            FieldKind::Number => Value::Int(
                t.trim()
                    .parse::<u32>()
                    .map_err(|_| format!("`{t}` is not a whole number"))?
                    .into(),
            ),
            FieldKind::Person => Value::str(person(settings, t)?),
            FieldKind::PersonList => list(split(t), |s| person(settings, s))?,
            FieldKind::Ref(types) => Value::str(self.reference(types, t)?),
            FieldKind::RefList(types) => list(split(t), |s| self.reference(types, s))?,
            FieldKind::Catalog(scope) => Value::str(catalog_id(scope, t)?),
            FieldKind::CatalogList(scope) => list(split(t), |s| catalog_id(scope, s))?,
            FieldKind::TextList => {
                let lines: Vec<&str> = if t.contains('\n') {
                    t.lines().collect()
                } else {
                    t.split(';').collect()
                };
                list(lines, |s| Ok(s.to_string()))?
            }
            FieldKind::Links => Value::List(
                t.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(link_value)
                    .collect(),
            ),
            FieldKind::Table(_) | FieldKind::Group(_) => {
                return Err("a log is not imported: edit it in the workbench".into());
            }
        };
        Ok(Some(v))
    }

    /// ISO `2026-03-31`, `31/03/2026` (with `--dayfirst`) or `03/31/2026`, `31.03.2026`,
    /// an ISO date-time (its date), or an Excel serial day number (`46112`).
    pub fn date(&self, t: &str) -> Result<Date, String> {
        let t = t.trim();
        let iso = t.split(['T', ' ']).next().unwrap_or(t);
        if let Some(d) = parse_date(iso) {
            return Ok(d);
        }
        if let Ok(serial) = t.parse::<f64>() {
            return excel_serial(serial).ok_or_else(|| format!("`{t}` is not a date"));
        }
        let parts: Vec<&str> = t.split(['/', '.', '-']).map(str::trim).collect();
        let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
        let bad = || format!("`{t}` is not a date: write YYYY-MM-DD");
        let Some(n) = nums.filter(|n| n.len() == 3) else {
            return Err(bad());
        };
        let year = if n[2] < 100 { 2000 + n[2] } else { n[2] } as i32;
        let (day, month) = match self.dates {
            DateOrder::DayFirst => (n[0], n[1]),
            DateOrder::MonthFirst if n[0] > 12 => {
                return Err(format!(
                    "`{t}` reads as day/month/year: pass --dayfirst, or write YYYY-MM-DD"
                ));
            }
            DateOrder::MonthFirst if n[1] <= 12 && n[0] != n[1] => {
                return Err(format!(
                    "`{t}` could be day/month or month/day: pass --dayfirst for day/month, or write YYYY-MM-DD"
                ));
            }
            DateOrder::MonthFirst => (n[1], n[0]),
        };
        Date::from_ymd_opt(year, month, day).ok_or_else(bad)
    }

    fn reference(&self, types: &[RecordType], t: &str) -> Result<String, String> {
        let t = t.trim();
        if let Some(r) = self.ws.get(t).filter(|r| types.contains(&r.kind)) {
            return Ok(r.id.clone());
        }
        let by_title: Vec<_> = self
            .ws
            .records
            .iter()
            .filter(|r| types.contains(&r.kind) && r.title().trim().eq_ignore_ascii_case(t))
            .collect();
        match by_title.as_slice() {
            [one] => Ok(one.id.clone()),
            [] => Err(format!(
                "`{t}` is not the id or title of {}",
                types
                    .iter()
                    .map(|k| k.a_label())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
            many => Err(format!(
                "`{t}` is the title of {} records ({}): write the id",
                many.len(),
                many.iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// Items of a list cell: `;`, `,` or line breaks.
fn split(t: &str) -> Vec<&str> {
    t.split([';', ',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn list(parts: Vec<&str>, each: impl Fn(&str) -> Result<String, String>) -> Result<Value, String> {
    let mut out = Vec::new();
    for p in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        out.push(Value::str(each(p)?));
    }
    Ok(Value::List(out))
}

pub use crate::domain::text::normalize;

fn choice(choices: Choices, t: &str) -> Result<String, String> {
    let want = normalize(t);
    choices
        .iter()
        .find(|(v, _)| normalize(v) == want)
        .map(|(v, _)| v.to_string())
        .ok_or_else(|| {
            format!(
                "`{t}` is not one of: {}",
                choices
                    .iter()
                    .map(|(v, _)| *v)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

fn boolean(t: &str) -> Result<bool, String> {
    match normalize(t).as_str() {
        "yes" | "y" | "true" | "1" | "x" | "ja" | "oui" => Ok(true),
        "no" | "n" | "false" | "0" | "nein" | "non" => Ok(false),
        _ => Err(format!("`{t}` is not one of: yes, no")),
    }
}

fn score(settings: &Settings, scale: Scale, t: &str) -> Result<i64, String> {
    let names = match scale {
        Scale::Likelihood => &settings.risk.likelihood,
        Scale::Impact => &settings.risk.impact,
    };
    let max = names.len().max(1) as i64;
    if let Ok(n) = t.parse::<f64>()
        && n.fract() == 0.0
        && (1.0..=max as f64).contains(&n)
    {
        return Ok(n as i64);
    }
    if let Some(i) = names.iter().position(|n| normalize(n) == normalize(t)) {
        return Ok(i as i64 + 1);
    }
    Err(format!(
        "`{t}` is not a score from 1 to {max} (or one of: {})",
        names.join(", ")
    ))
}

/// A person of aims.yaml by id, login, name or an e-mail address whose local part is the
/// login or id.
fn person(settings: &Settings, t: &str) -> Result<String, String> {
    let key = t.trim();
    let local = key.split('@').next().unwrap_or(key);
    let found = settings.person(key).or_else(|| {
        settings.people.iter().find(|p| {
            p.login
                .as_deref()
                .is_some_and(|l| l.eq_ignore_ascii_case(key))
                || p.name.trim().eq_ignore_ascii_case(key)
                || (key.contains('@')
                    && (p.id.eq_ignore_ascii_case(local)
                        || p.login
                            .as_deref()
                            .is_some_and(|l| l.eq_ignore_ascii_case(local))))
        })
    });
    found.map(|p| p.id.clone()).ok_or_else(|| {
        format!("`{key}` is not a person in aims.yaml (give an id, login, name or e-mail)")
    })
}

fn catalog_id(scope: CatalogScope, t: &str) -> Result<String, String> {
    let t = t.trim();
    let upper = t.to_ascii_uppercase();
    let item = match scope {
        CatalogScope::Control => catalog::control(&upper),
        CatalogScope::ClauseOrControl => catalog::find(&upper).or_else(|| catalog::find(t)),
    };
    item.map(|c| c.id.to_string())
        .ok_or_else(|| format!("`{t}` is not an ISO/IEC 42001 clause or Annex A control id"))
}

/// A link line as the stored mapping: `{label, target}`, or just `{target}`.
pub fn link_value(line: &str) -> Value {
    let line = line.trim();
    let mut m = Map::new();
    if line.ends_with(')')
        && let Some(open) = line.rfind(" (")
    {
        m.set("label", Value::str(line[..open].trim()));
        m.set("target", Value::str(&line[open + 2..line.len() - 1]));
    } else {
        m.set("target", Value::str(line));
    }
    Value::Map(m)
}

/// An Excel serial day number (1900 date system, with its phantom 29 Feb 1900) as a date.
pub fn excel_serial(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = Date::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

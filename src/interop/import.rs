//! `aims import`: a spreadsheet's rows as records. First a plan (what each row would
//! become, with its findings), then, when every row passes (or invalid rows are skipped on
//! request), the writes through the workspace's atomic create and surgical save.

use super::cells::{DateOrder, Resolver, importable, normalize};
use super::read::Table;
use super::register::{Source, columns};
use crate::domain::dates::Date;
use crate::domain::ids::next_id;
use crate::domain::{Map, Record, RecordType, Value, catalog};
use crate::rules::{Ctx, FieldSpec, validate_record};
use crate::workspace::Workspace;
use std::collections::{HashMap, HashSet};

pub struct Options {
    pub kind: RecordType,
    /// `--map`: normalized column header -> field name, or `None` to ignore the column.
    pub map: HashMap<String, Option<String>>,
    /// `--key`: the field (or column header) that matches rows to existing records.
    pub key: Option<String>,
    pub keep_unknown: bool,
    pub dates: DateOrder,
    pub today: Date,
}

/// What a spreadsheet column became.
#[derive(Debug, Clone)]
pub enum ColumnUse {
    Field(&'static FieldSpec),
    /// A field of a group: (group, field).
    SubField(&'static FieldSpec, &'static FieldSpec),
    /// Shown by exports but not stored (control title, review due, mappings) or a log.
    Ignored(&'static str),
    /// `--keep-unknown`: stored under this key.
    Unknown(String),
    /// Not a field: listed, and left out.
    Dropped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    New,
    Update,
    Unchanged,
    Invalid,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::New => "new",
            Action::Update => "update",
            Action::Unchanged => "unchanged",
            Action::Invalid => "invalid",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RowPlan {
    /// The spreadsheet's row number.
    pub line: usize,
    pub id: String,
    pub action: Action,
    /// Why the row cannot be imported: `column `Status`: ...`.
    pub errors: Vec<String>,
    /// Warnings of the rules, for information.
    pub warnings: Vec<String>,
    /// The fields that change (update) — for the dry run.
    pub changed: Vec<String>,
    pub fields: Map,
}

pub struct Plan {
    pub kind: RecordType,
    pub how: String,
    pub header_line: usize,
    pub columns: Vec<(String, ColumnUse)>,
    pub rows: Vec<RowPlan>,
}

impl Plan {
    pub fn count(&self, a: Action) -> usize {
        self.rows.iter().filter(|r| r.action == a).count()
    }

    pub fn unknown_columns(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter(|(_, u)| matches!(u, ColumnUse::Dropped | ColumnUse::Unknown(_)))
            .map(|(h, _)| h.as_str())
            .collect()
    }
}

/// Matches a header to a column use, by `--map`, then by field name or label.
fn match_header(header: &str, opts: &Options) -> ColumnUse {
    let n = normalize(header);
    let cols = columns(opts.kind);
    if let Some(target) = opts.map.get(&n) {
        return match target {
            None => ColumnUse::Ignored("--map"),
            Some(name) => map_target(opts.kind, name).unwrap_or(ColumnUse::Dropped),
        };
    }
    for c in &cols {
        match c.source {
            Source::Field(f) if normalize(f.name) == n || normalize(f.label) == n => {
                return if importable(f) {
                    ColumnUse::Field(f)
                } else {
                    ColumnUse::Ignored("a log, kept as it is")
                };
            }
            Source::Field(_) => {}
            Source::SubField(p, s)
                if normalize(&c.header) == n
                    || normalize(s.name) == n
                    || normalize(&format!("{}{}", p.name, s.name)) == n =>
            {
                return ColumnUse::SubField(p, s);
            }
            Source::SubField(..) => {}
            _ if normalize(&c.header) == n => return ColumnUse::Ignored("computed by aims"),
            _ => {}
        }
    }
    if n.is_empty() {
        ColumnUse::Ignored("no header")
    } else if opts.keep_unknown {
        ColumnUse::Unknown(snake(header))
    } else {
        ColumnUse::Dropped
    }
}

/// What a `--map` target names: a field (`owner`) or a field of a group
/// (`due_diligence.ip_terms`).
fn map_target(kind: RecordType, name: &str) -> Option<ColumnUse> {
    let sp = crate::rules::spec(kind);
    match name.split_once('.') {
        None => sp.field(name).map(|f| {
            if importable(f) {
                ColumnUse::Field(f)
            } else {
                ColumnUse::Ignored("a log, kept as it is")
            }
        }),
        Some((group, sub)) => {
            let g = sp.field(group)?;
            match g.kind {
                crate::rules::FieldKind::Group(fields) => fields
                    .iter()
                    .find(|f| f.name == sub)
                    .map(|f| ColumnUse::SubField(g, f)),
                _ => None,
            }
        }
    }
}

/// Checks that every `--map` target is a field of the type, so a typo is an error and
/// not a column silently left out.
pub fn check_map(kind: RecordType, map: &HashMap<String, Option<String>>) -> Result<(), String> {
    let mut bad: Vec<&str> = map
        .values()
        .flatten()
        .filter(|t| map_target(kind, t).is_none())
        .map(String::as_str)
        .collect();
    bad.sort();
    if bad.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = crate::rules::spec(kind)
        .all_fields()
        .map(|f| f.name)
        .collect();
    Err(format!(
        "{} {} not a field of {}; the fields are: {}",
        bad.join(", "),
        if bad.len() == 1 { "is" } else { "are" },
        kind.a_label(),
        names.join(", ")
    ))
}

/// `Cost centre` -> `cost_centre`, the key an unknown column is kept under.
fn snake(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// The header row: of the first ten rows, the one that names the most fields (a merged
/// title row above the headers names none).
fn header_row(table: &Table, opts: &Options) -> Option<usize> {
    table
        .rows
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, (_, cells))| {
            let n = cells
                .iter()
                .filter(|c| {
                    matches!(
                        match_header(c, opts),
                        ColumnUse::Field(_) | ColumnUse::SubField(..)
                    )
                })
                .count();
            (i, n)
        })
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(i, n)| (*n, std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

pub fn plan(ws: &Workspace, table: &Table, opts: &Options) -> Result<Plan, String> {
    let Some(h) = header_row(table, opts) else {
        return Err(format!(
            "no column matches a field of {}: name the columns like the fields (e.g. {}), or give --map FILE.yaml",
            opts.kind.a_label(),
            columns(opts.kind)
                .iter()
                .filter_map(|c| c.field())
                .take(4)
                .map(|f| f.label)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let (header_line, headers) = &table.rows[h];
    let uses: Vec<(String, ColumnUse)> = headers
        .iter()
        .map(|h| (h.trim().to_string(), match_header(h, opts)))
        .collect();
    let id_col = uses
        .iter()
        .position(|(_, u)| matches!(u, ColumnUse::Field(f) if f.name == "id"));
    let key_col = match &opts.key {
        None => None,
        Some(k) => {
            let n = normalize(k);
            let found = uses.iter().position(|(h, u)| {
                normalize(h) == n || matches!(u, ColumnUse::Field(f) if normalize(f.name) == n)
            });
            match found {
                Some(i) => Some(i),
                None => return Err(format!("--key `{k}`: no such column")),
            }
        }
    };
    let resolver = Resolver {
        ws,
        dates: opts.dates,
    };
    let mut taken: HashSet<String> = ws.records.iter().map(|r| r.id.clone()).collect();
    // Existing records by their normalized `--key` value, built once: a 5,000-row sheet
    // against a 5,000-record register is then 5,000 lookups, not 25 million comparisons.
    let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(k) = key_col {
        let field = match &uses[k].1 {
            ColumnUse::Field(f) => f.name,
            _ => "",
        };
        for r in ws.of_type(opts.kind) {
            if let Some(v) = r.fields.text(field) {
                by_key.entry(normalize(&v)).or_default().push(r.id.clone());
            }
        }
    }
    let mut fresh: Option<u32> = None;
    let mut rows = Vec::new();
    for (line, cells) in table.rows.iter().skip(h + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        let mut errors = Vec::new();
        // Which record the row is: by id, else by --key, else a new id.
        let existing: Option<&Record> = match (id_col.map(cell), key_col) {
            (Some(id), _) if !id.trim().is_empty() => {
                let id = canonical_id(opts.kind, id.trim());
                ws.get(&id).filter(|r| r.kind == opts.kind)
            }
            (_, Some(k)) => {
                let want = normalize(cell(k));
                let hits: Vec<&Record> = by_key
                    .get(&want)
                    .filter(|_| !want.is_empty())
                    .map(|ids| ids.iter().filter_map(|id| ws.get(id)).collect())
                    .unwrap_or_default();
                if hits.len() > 1 {
                    errors.push(format!(
                        "--key `{}` matches {} records ({})",
                        cell(k),
                        hits.len(),
                        hits.iter()
                            .map(|r| r.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                hits.first().copied()
            }
            _ => None,
        };
        let id = match (existing, id_col.map(cell)) {
            (Some(r), _) => r.id.clone(),
            (None, Some(id)) if !id.trim().is_empty() => canonical_id(opts.kind, id.trim()),
            (None, _) if opts.kind == RecordType::Soa => {
                errors.push("an SoA entry needs its control id (e.g. A.2.2)".into());
                String::new()
            }
            (None, _) => loop {
                // Counted on from the highest existing number (found once), skipping ids
                // taken by rows that carry their own.
                let prefix = opts.kind.prefix();
                let n = *fresh.get_or_insert_with(|| {
                    next_id(prefix, taken.iter().map(String::as_str))
                        .rsplit('-')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(1)
                });
                fresh = Some(n + 1);
                let id = format!("{prefix}-{n:03}");
                if !taken.contains(&id) {
                    break id;
                }
            },
        };
        if existing.is_none() && !id.is_empty() && !taken.insert(id.clone()) {
            errors.push(format!("id {id} appears on an earlier row of this file"));
        }

        let mut fields = existing
            .map(|r| r.fields.clone())
            // The defaults a new record gets in the form too; no owner: the sheet says whom.
            .unwrap_or_else(|| {
                crate::rules::defaults::new_record(opts.kind, &id, None, opts.today)
            });
        let mut changed = Vec::new();
        for (i, (header, u)) in uses.iter().enumerate() {
            let text = cell(i);
            match u {
                ColumnUse::Field(f) if f.name == "id" => {}
                ColumnUse::Field(f) => match resolver.value(f, text) {
                    Ok(Some(v)) => {
                        if !fields.get(f.name).is_some_and(|old| same(old, &v)) {
                            fields.set(f.name, v);
                            changed.push(f.name.to_string());
                        }
                    }
                    // A blank cell clears a stored value; on a new record it keeps the default.
                    Ok(None) => {
                        if existing.is_some() && !fields.is_blank(f.name) {
                            fields.remove(f.name);
                            changed.push(f.name.to_string());
                        }
                    }
                    Err(e) => errors.push(format!("column `{header}`: {e}")),
                },
                ColumnUse::SubField(p, s) => {
                    let mut group = fields
                        .get(p.name)
                        .and_then(Value::as_map)
                        .cloned()
                        .unwrap_or_default();
                    match resolver.value(s, text) {
                        Ok(Some(v)) => {
                            if !group.get(s.name).is_some_and(|old| same(old, &v)) {
                                group.set(s.name, v);
                                changed.push(format!("{}.{}", p.name, s.name));
                            }
                        }
                        Ok(None) => {
                            if existing.is_some() && !group.is_blank(s.name) {
                                group.remove(s.name);
                                changed.push(format!("{}.{}", p.name, s.name));
                            }
                        }
                        Err(e) => errors.push(format!("column `{header}`: {e}")),
                    }
                    if group.is_empty() {
                        fields.remove(p.name);
                    } else {
                        fields.set(p.name, Value::Map(group));
                    }
                }
                ColumnUse::Unknown(key) if !text.trim().is_empty() => {
                    let v = Value::str(text.trim());
                    if !fields.get(key).is_some_and(|old| same(old, &v)) {
                        fields.set(key, v);
                        changed.push(key.clone());
                    }
                }
                _ => {}
            }
        }

        // The rules of a form: the errors this row would introduce block it.
        let mut warnings = Vec::new();
        if errors.is_empty() {
            let record = Record {
                kind: opts.kind,
                id: id.clone(),
                fields: fields.clone(),
                path: format!("{}/{id}.yaml", opts.kind.dir()).into(),
                content_hash: 0,
            };
            let ctx = Ctx {
                view: ws,
                today: opts.today,
            };
            let before: Vec<String> = existing
                .map(|r| validate_record(r, &ctx))
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.message)
                .collect();
            for f in validate_record(&record, &ctx) {
                if before.contains(&f.message) {
                    continue;
                }
                let what = match &f.field {
                    Some(field) => format!("{field}: {}", f.message),
                    None => f.message.clone(),
                };
                if f.is_error() {
                    errors.push(what);
                } else {
                    warnings.push(what);
                }
            }
        }
        let action = if !errors.is_empty() {
            Action::Invalid
        } else if existing.is_none() {
            Action::New
        } else if changed.is_empty() {
            Action::Unchanged
        } else {
            Action::Update
        };
        rows.push(RowPlan {
            line: *line,
            id,
            action,
            errors,
            warnings,
            changed,
            fields,
        });
    }
    Ok(Plan {
        kind: opts.kind,
        how: table.how.clone(),
        header_line: *header_line,
        columns: uses,
        rows,
    })
}

/// SoA ids are control ids, written in any case (`a.5.4`).
fn canonical_id(kind: RecordType, id: &str) -> String {
    if kind == RecordType::Soa {
        catalog::control(&id.to_ascii_uppercase())
            .map_or_else(|| id.to_string(), |c| c.id.to_string())
    } else {
        id.to_string()
    }
}

/// Whether an imported value says the same as the stored one, so a re-import of an export
/// changes nothing: text compared trimmed, numbers and booleans by value, a bare link
/// target like `{target: ...}`.
fn same(old: &Value, new: &Value) -> bool {
    match (old, new) {
        (Value::List(a), Value::List(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Map(a), Value::Map(b)) => {
            let keys = |m: &Map| {
                m.entries()
                    .iter()
                    .filter(|e| !e.value.is_empty())
                    .map(|e| e.key.as_str().to_string())
                    .collect::<HashSet<_>>()
            };
            keys(a) == keys(b)
                && a.entries()
                    .iter()
                    .filter(|e| !e.value.is_empty())
                    .all(|e| b.get(e.key.as_str()).is_some_and(|v| same(&e.value, v)))
        }
        (Value::Str(s), Value::Map(m)) | (Value::Map(m), Value::Str(s)) => {
            m.len() == 1 && m.text("target").is_some_and(|t| t.trim() == s.trim())
        }
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (a, b) => match (a.as_text(), b.as_text()) {
            (Some(x), Some(y)) => x.trim() == y.trim(),
            _ => a == b,
        },
    }
}

/// What `apply` did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
}

/// Writes the plan's new and changed rows, each through the atomic create or the surgical
/// save (which keeps the comments of an existing file). Invalid rows are skipped; the caller
/// decides beforehand whether any may be. Stops at the first write that fails, so what is
/// on disk is whole records only, and says which row it was.
pub fn apply(ws: &mut Workspace, plan: &Plan, today: Date) -> Result<Applied, (Applied, String)> {
    let mut done = Applied::default();
    for row in &plan.rows {
        let result = match row.action {
            Action::Invalid => {
                done.skipped += 1;
                continue;
            }
            Action::Unchanged => {
                done.unchanged += 1;
                continue;
            }
            Action::New => ws
                .create_record(plan.kind, row.fields.clone(), today)
                .map(|()| done.created += 1),
            Action::Update => ws
                .save_record(&row.id, row.fields.clone(), today)
                .map(|()| done.updated += 1),
        };
        if let Err(e) = result {
            return Err((done, format!("row {} ({}): {e}", row.line, row.id)));
        }
    }
    Ok(done)
}

/// Reads `--map FILE.yaml`: `Column header: field_name` per line (`~` to ignore a column).
pub fn read_map(text: &str) -> Result<HashMap<String, Option<String>>, String> {
    let v: Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    let Some(m) = v.as_map() else {
        return Err("write one `Column header: field_name` per line".into());
    };
    Ok(m.entries()
        .iter()
        .map(|e| (normalize(e.key.as_str()), e.value.as_text()))
        .collect())
}

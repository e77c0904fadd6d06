//! A register as a sheet: one row per record, one column per field, derived from the spec
//! (the id, the spec's table columns, then every other field in spec order), so a new
//! field shows up in every export and is read back by `aims import` without a change here.

use super::cells::{Cell, cell_of};
use super::crosswalk;
use crate::domain::catalog;
use crate::domain::{Record, RecordType};
use crate::rules::due::next_review;
use crate::rules::{FieldKind, FieldSpec, spec};
use crate::workspace::Workspace;

/// What a column shows.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A field of the record, as stored: read back by `aims import`.
    Field(&'static FieldSpec),
    /// One field of a group (a supplier's due diligence): a column each, so a
    /// spreadsheet can fill them in.
    SubField(&'static FieldSpec, &'static FieldSpec),
    /// The Annex A control's title (SoA).
    ControlTitle,
    /// When the next review is due, computed from the cadence when `next_review` is blank.
    ReviewDue,
    /// The requirements of another framework mapped to this control (SoA).
    Mapped(crosswalk::Framework),
    /// A column of a report table, filled by the report itself.
    Report,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    pub source: Source,
}

impl Column {
    pub fn field(&self) -> Option<&'static FieldSpec> {
        match self.source {
            Source::Field(f) => Some(f),
            _ => None,
        }
    }
}

/// One register ready to be written in any format.
pub struct Sheet {
    pub kind: RecordType,
    /// The sheet's name: the type's folder (`risks`), which `aims import` also accepts.
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// The columns of a type's register, in order. One function, used by exports and by the
/// import's column matching, so the two cannot drift apart.
pub fn columns(kind: RecordType) -> Vec<Column> {
    let sp = spec(kind);
    let mut order: Vec<&'static FieldSpec> = Vec::new();
    let mut push = |f: &'static FieldSpec| {
        if !order.iter().any(|g| g.name == f.name) {
            order.push(f);
        }
    };
    push(&sp.fields[0]);
    for c in sp.columns {
        if let Some(f) = sp.field(c) {
            push(f);
        }
    }
    for f in sp.all_fields() {
        push(f);
    }
    let mut cols: Vec<Column> = Vec::new();
    for f in order {
        match f.kind {
            FieldKind::Group(sub) => cols.extend(sub.iter().map(|s| Column {
                header: format!("{}: {}", f.label, s.label),
                source: Source::SubField(f, s),
            })),
            _ => cols.push(Column {
                header: f.label.to_string(),
                source: Source::Field(f),
            }),
        }
    }
    if kind == RecordType::Soa {
        cols.insert(
            1,
            Column {
                header: "Control title".into(),
                source: Source::ControlTitle,
            },
        );
    }
    if sp.reviewed {
        let at = cols
            .iter()
            .position(|c| c.field().is_some_and(|f| f.name == "next_review"))
            .map_or(cols.len(), |i| i + 1);
        cols.insert(
            at,
            Column {
                header: "Review due".into(),
                source: Source::ReviewDue,
            },
        );
    }
    if kind == RecordType::Soa {
        for fw in crosswalk::Framework::ALL {
            cols.push(Column {
                header: format!("Mapped: {}", fw.name()),
                source: Source::Mapped(fw),
            });
        }
    }
    cols
}

/// Every record of the type as a sheet. The SoA has a row for every Annex A control, with
/// or without an entry, since a missing entry is something the auditor must see.
pub fn sheet(ws: &Workspace, kind: RecordType) -> Sheet {
    let columns = columns(kind);
    let mut rows = Vec::new();
    if kind == RecordType::Soa {
        for c in catalog::CONTROLS {
            let record = ws.get(c.id).filter(|r| r.kind == RecordType::Soa);
            rows.push(row(ws, kind, &columns, record, c.id));
        }
    } else {
        let mut records: Vec<&Record> = ws.of_type(kind).collect();
        records.sort_by(|a, b| a.id.cmp(&b.id));
        for r in records {
            rows.push(row(ws, kind, &columns, Some(r), &r.id));
        }
    }
    Sheet {
        kind,
        name: kind.dir().to_string(),
        columns,
        rows,
    }
}

fn row(
    ws: &Workspace,
    kind: RecordType,
    columns: &[Column],
    record: Option<&Record>,
    id: &str,
) -> Vec<Cell> {
    columns
        .iter()
        .map(|c| match c.source {
            Source::Field(f) if f.name == "id" => Cell::Text(id.to_string()),
            // A control without an entry is shown as what it is: not assessed.
            Source::Field(f)
                if record.is_none() && kind == RecordType::Soa && f.name == "status" =>
            {
                Cell::Text("not-assessed".into())
            }
            Source::Field(f) => record
                .and_then(|r| r.fields.get(f.name))
                .map_or(Cell::Empty, |v| cell_of(f, v)),
            Source::SubField(parent, sub) => record
                .and_then(|r| r.fields.get(parent.name))
                .and_then(|g| g.as_map())
                .and_then(|g| g.get(sub.name))
                .map_or(Cell::Empty, |v| cell_of(sub, v)),
            Source::ControlTitle => {
                catalog::control(id).map_or(Cell::Empty, |c| Cell::Text(c.title.to_string()))
            }
            Source::ReviewDue => record
                .and_then(|r| next_review(&r.fields, kind, &ws.settings))
                .map_or(Cell::Empty, Cell::Date),
            Source::Report => Cell::Empty,
            Source::Mapped(fw) => {
                let refs = crosswalk::mapped_to(fw, id);
                if refs.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(refs.join("; "))
                }
            }
        })
        .collect()
}

/// The types an export or import names: the folder (`risks`) or the key (`risk`).
pub fn parse_type(name: &str) -> Option<RecordType> {
    let n = name.trim().to_ascii_lowercase().replace('_', "-");
    RecordType::ALL
        .into_iter()
        .find(|t| t.dir() == n || t.key().replace('_', "-") == n)
}

/// The names `parse_type` accepts, for messages.
pub fn type_names() -> String {
    RecordType::ALL
        .iter()
        .map(|t| t.dir())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The order of sheets in `export all`: the SoA first (the document auditors ask for),
/// then the registers in the usual order.
pub fn all_types() -> Vec<RecordType> {
    let mut v = vec![RecordType::Soa];
    v.extend(
        RecordType::ALL
            .into_iter()
            .filter(|t| *t != RecordType::Soa),
    );
    v
}

//! Which other records and catalog items a record refers to, read from its spec.

use super::spec::{FieldKind, FieldSpec};
use super::specs::spec;
use crate::domain::{Map, Record, Value};

/// Every `(target id, field name)` a record names in a record or catalog reference field,
/// nested tables included (an audit item's `nc`).
pub fn references(record: &Record) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    collect(spec(record.kind).all_fields(), &record.fields, &mut out);
    out
}

fn collect<'a>(
    fields: impl Iterator<Item = &'a FieldSpec>,
    map: &Map,
    out: &mut Vec<(String, &'static str)>,
) {
    for f in fields {
        let Some(v) = map.get(f.name) else { continue };
        match f.kind {
            FieldKind::Ref(_) | FieldKind::Catalog(_) => {
                out.extend(v.as_text().map(|t| (t, f.name)))
            }
            FieldKind::RefList(_) | FieldKind::CatalogList(_) => {
                out.extend(
                    v.as_list()
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(Value::as_text)
                        .map(|t| (t, f.name)),
                );
            }
            FieldKind::Table(sub) => {
                for item in v.as_list().unwrap_or(&[]).iter().filter_map(Value::as_map) {
                    collect(sub.iter(), item, out);
                }
            }
            FieldKind::Group(sub) => {
                if let Some(m) = v.as_map() {
                    collect(sub.iter(), m, out);
                }
            }
            _ => {}
        }
    }
}

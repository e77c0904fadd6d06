//! A record's detail, drawn from its type's spec: every field with its label, then the
//! fields aims does not know, then the linked records.

use super::component::Ctx;
use super::index::Index;
use crate::domain::text::{one_line, sanitize};
use crate::domain::{Record, Value};
use crate::rules::spec;
use crate::rules::spec::FieldKind;
use ratatui::text::{Line, Span};

/// The detail lines of a record; `link_cursor` highlights one link (for the popup).
pub fn lines(
    cx: &Ctx,
    record: &Record,
    link_cursor: Option<usize>,
    focus_field: Option<&str>,
) -> Vec<Line<'static>> {
    let t = cx.theme;
    let mut out = vec![Line::from(vec![
        Span::styled(one_line(&record.id), t.header),
        Span::raw("  "),
        Span::styled(one_line(&record.title()), t.title),
    ])];
    if cx.index.stale.contains(&record.id) {
        out.push(Line::from(Span::styled(
            "stale: the file no longer parses; this is its last good version (see Problems)",
            t.stale,
        )));
    }
    for problem in cx
        .index
        .findings
        .iter()
        .filter(|f| f.record.as_deref() == Some(record.id.as_str()))
    {
        let style = if problem.is_error() {
            t.error
        } else {
            t.warning
        };
        out.push(Line::from(Span::styled(
            format!("! {}", one_line(&problem.message)),
            style,
        )));
    }
    // A metric reads first as its series against the threshold.
    if record.kind == crate::domain::RecordType::Metric {
        out.extend(super::chart::metric_lines(t, record));
    }
    if record.kind == crate::domain::RecordType::Soa
        && let Some(control) = crate::domain::catalog::control(&record.id)
    {
        out.push(Line::from(vec![
            Span::styled("Intent: ", t.muted),
            Span::raw(control.intent),
        ]));
        out.push(Line::from(vec![
            Span::styled("Audit question: ", t.muted),
            Span::raw(control.question),
        ]));
        // The crosswalks say which requirements of the other frameworks this control
        // helps meet: what a team running several frameworks asks first.
        out.push(Line::from(Span::styled("Maps to:", t.muted)));
        for (fw, ids) in crate::interop::crosswalk::mappings(control.id) {
            let ids = if ids.is_empty() {
                "—".to_string()
            } else {
                ids.join(", ")
            };
            out.push(Line::from(vec![
                Span::styled(format!("  {}: ", fw.name()), t.muted),
                Span::raw(ids),
            ]));
        }
    }
    let sp = spec(record.kind);
    let known: Vec<&str> = sp.all_fields().map(|f| f.name).collect();
    for f in sp.all_fields() {
        if f.name == "id" {
            continue;
        }
        let focused = focus_field.is_some_and(|ff| {
            ff == f.name
                || ff.starts_with(&format!("{}[", f.name))
                || ff.starts_with(&format!("{}.", f.name))
        });
        // A competence record's next training is computed when not written (completed on +
        // renewed every), or when the training was redone since the date written.
        if record.kind == crate::domain::RecordType::Competence
            && f.name == "next_due"
            && let Some(next) = crate::rules::due::next_training(&record.fields)
            && crate::rules::specs::date_of(&record.fields, "next_due") != Some(next)
        {
            out.push(Line::from(vec![
                Span::styled(format!("{}: ", f.label), t.muted),
                Span::raw(format!("{next} (completed on + renewed every)")),
            ]));
            continue;
        }
        let Some(v) = record.fields.get(f.name) else {
            if focused {
                out.push(Line::from(Span::styled(
                    format!("{}: (missing)", f.label),
                    t.selection,
                )));
            }
            continue;
        };
        let at = out.len();
        push_value(cx, &mut out, f.label, v, &f.kind);
        if record.kind == crate::domain::RecordType::Metric && f.name == "measurements" {
            mark_breaches(cx, record, &mut out[at + 1..]);
        }
        if focused && let Some(line) = out.get_mut(at) {
            *line = line.clone().style(t.selection);
        }
    }
    for e in record
        .fields
        .entries()
        .iter()
        .filter(|e| !known.contains(&e.key.as_str()))
    {
        push_value(cx, &mut out, &one_line(&e.key), &e.value, &FieldKind::Text);
    }
    let links = Index::links_of(cx.ws, &record.id);
    if !links.is_empty() {
        out.push(Line::from(""));
        out.push(Line::from(Span::styled(
            format!("Linked records ({})", links.len()),
            t.header,
        )));
        for (i, id) in links.iter().enumerate() {
            let Some(r) = cx.ws.get(id) else { continue };
            let style = if link_cursor == Some(i) {
                t.selection
            } else {
                t.base
            };
            out.push(Line::from(vec![
                Span::styled(format!("  {:<10}", one_line(id)), style),
                Span::styled(format!(" {:<18}", r.kind.label()), t.muted),
                Span::styled(one_line(&r.title()), style),
            ]));
        }
    }
    out
}

/// A metric's measurement rows (one line each, in file order): a breach starts with `!`.
fn mark_breaches(cx: &Ctx, record: &Record, rows: &mut [Line<'static>]) {
    let series = crate::rules::metric::Series::of(&record.fields);
    for p in series.points.iter().filter(|p| p.breach) {
        if let Some(row) = rows.get_mut(p.index) {
            let text: String = row.spans.iter().map(|s| s.content.as_ref()).collect();
            let text = text.replacen("  • ", "  ! ", 1);
            *row = Line::from(Span::styled(text, cx.theme.error));
        }
    }
}

fn push_value(cx: &Ctx, out: &mut Vec<Line<'static>>, label: &str, v: &Value, kind: &FieldKind) {
    let t = cx.theme;
    let label_span = Span::styled(format!("{label}: "), t.muted);
    match v {
        Value::List(items) if items.iter().all(|i| i.as_text().is_some()) => {
            let text = items
                .iter()
                .filter_map(Value::as_text)
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Line::from(vec![label_span, Span::raw(one_line(&text))]));
        }
        Value::List(items) => {
            out.push(Line::from(label_span));
            for item in items {
                let text = match item {
                    Value::Map(m) => m
                        .entries()
                        .iter()
                        .map(|e| {
                            format!(
                                "{}: {}",
                                e.key,
                                e.value.as_text().unwrap_or_else(|| "…".into())
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(" · "),
                    other => other.as_text().unwrap_or_default(),
                };
                out.push(Line::from(format!("  • {}", one_line(&text))));
            }
        }
        Value::Map(m) => {
            out.push(Line::from(label_span));
            let sub: Vec<(&str, &str)> = match kind {
                FieldKind::Group(fields) => fields.iter().map(|f| (f.name, f.label)).collect(),
                _ => Vec::new(),
            };
            for e in m.entries() {
                let name = sub
                    .iter()
                    .find(|(n, _)| e.key == *n)
                    .map_or_else(|| one_line(&e.key), |(_, l)| l.to_string());
                // A list of ids inside a group (an MR's linked inputs) reads inline.
                let text = match &e.value {
                    Value::List(items) if items.iter().all(|i| i.as_text().is_some()) => items
                        .iter()
                        .filter_map(Value::as_text)
                        .collect::<Vec<_>>()
                        .join(", "),
                    v => v.as_text().unwrap_or_else(|| "…".into()),
                };
                out.push(Line::from(vec![
                    Span::styled(format!("  {name}: "), t.muted),
                    Span::raw(one_line(&text)),
                ]));
            }
        }
        Value::Bool(b) => out.push(Line::from(vec![
            label_span,
            Span::raw(if *b { "yes" } else { "no" }),
        ])),
        other => {
            let text = other.as_text().unwrap_or_default();
            let mut lines = sanitize(text.trim_end(), true)
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>();
            if lines.len() <= 1 {
                out.push(Line::from(vec![
                    label_span,
                    Span::raw(lines.pop().unwrap_or_default()),
                ]));
            } else {
                out.push(Line::from(label_span));
                out.extend(lines.into_iter().map(|l| Line::from(format!("  {l}"))));
            }
        }
    }
}

//! The guided form: each field with its value, a `*` where it is required now, and its
//! error right under it; the summary of what is left on top.

use super::super::component::Ctx;
use super::super::keys::{self, Scope};
use super::super::widgets::{block, plural, truncate, width};
use super::{Dialog, Editor, Form, Level, Step};
use crate::domain::Value;
use crate::domain::dates::parse_relative;
use crate::domain::text::one_line;
use crate::rules::spec;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Wrap};

const LABEL_W: usize = 24;

/// The control an SoA form decides: "A.6.2.4 AI system verification and validation", its
/// intent and its audit question, wrapped. `None` for other forms, and inside a list field.
fn control_about(cx: &Ctx, form: &Form) -> Option<Paragraph<'static>> {
    if form.subject != super::Subject::Record(crate::domain::RecordType::Soa)
        || form.levels.len() > 1
    {
        return None;
    }
    let c = crate::domain::catalog::control(&form.id())?;
    let t = cx.theme;
    let lines = vec![
        Line::from(Span::styled(format!("{} {}", c.id, c.title), t.header)),
        Line::from(vec![Span::styled("Intent: ", t.muted), Span::raw(c.intent)]),
        Line::from(vec![
            Span::styled("Audit question: ", t.muted),
            Span::raw(c.question),
        ]),
    ];
    Some(Paragraph::new(lines).wrap(Wrap { trim: true }))
}

/// How a finding line starts: `✗` refuses the save (error colour); `→` is an error only
/// another record cures, to do after saving; `!` a warning. The marks read in monochrome.
fn mark(p: &crate::domain::Finding, t: &crate::tui::theme::Theme) -> (&'static str, Style) {
    if crate::rules::registry::blocks_save(p) {
        ("✗", t.error)
    } else if p.is_error() {
        ("→", t.warning)
    } else {
        ("!", t.warning)
    }
}

/// The status-bar hint of the form's current state.
pub fn hint(form: &Form) -> String {
    match form.dialog {
        Some(Dialog::Errors(_)) => return "any key: back to the form".into(),
        Some(_) => return "answer with one of the keys above".into(),
        None => {}
    }
    match &form.editor {
        Some(Editor::Line { date: true, .. }) => {
            "YYYY-MM-DD, t, +7d, +3m · Enter keep and next · Esc keep · ←→ Ctrl-U/W/K edit".into()
        }
        Some(Editor::Line { .. }) => {
            "type · Enter keep and next · Esc keep · ←→ Home End Ctrl-U/W/K edit".into()
        }
        Some(Editor::Area { .. }) => "type (Enter: new line) · Esc keep · Ctrl-U/W/K edit".into(),
        Some(Editor::Pick(p)) if p.filtering && p.multi => {
            "type to filter · ↑↓ choose · Enter done filtering · Esc clear the filter".into()
        }
        Some(Editor::Pick(p)) if p.filtering => {
            "type to filter · ↑↓ choose · Enter keep · Esc clear the filter".into()
        }
        Some(Editor::Pick(p)) if p.multi => format!(
            "↑↓/jk move · Space tick · / filter{} · Enter keep · Esc cancel",
            if p.creates.is_some() { " · n new" } else { "" }
        ),
        Some(Editor::Pick(p)) => format!(
            "↑↓/jk move · / filter{} · Enter keep · Esc cancel",
            if p.creates.is_some() { " · n new" } else { "" }
        ),
        None => {
            let scope = if matches!(form.level(), Level::List { .. }) {
                Scope::FormList
            } else {
                Scope::Form
            };
            keys::hints_only(&[scope])
                .iter()
                .map(|(k, l)| format!("{k} {l}"))
                .collect::<Vec<_>>()
                .join("  ")
        }
    }
}

pub fn draw(frame: &mut Frame, cx: &Ctx, form: &Form, area: Rect) {
    let t = cx.theme;
    frame.render_widget(Clear, area);
    let verb = if form.original.is_some() {
        "Edit"
    } else {
        "New"
    };
    let mut title = match form.subject {
        super::Subject::Record(kind) => format!("{verb} {} {}", kind.label(), one_line(&form.id())),
        super::Subject::Settings => "Settings (aims.yaml)".to_string(),
    };
    for level in &form.levels[1..] {
        title.push_str(&format!(" › {}", crumb(level)));
    }
    let outer = block(cx.theme, &title);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    // An SoA entry is decided against its control: its title, intent and audit question
    // stay in view above the fields (at most half the form; the fields scroll below).
    let about = control_about(cx, form);
    let about_h = about.as_ref().map_or(0, |p| {
        (p.line_count(inner.width) as u16).min(inner.height.saturating_sub(1) / 2)
    });
    let [summary, about_area, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(about_h),
        Constraint::Min(1),
    ])
    .areas(inner);
    if let Some(p) = about {
        frame.render_widget(p, about_area);
    }

    let errors = form.errors().len();
    // Errors another record cures do not stop a save: counted apart, as still to do.
    let after = (form.findings.iter())
        .filter(|f| crate::rules::registry::to_do_after_save(f))
        .count();
    let warnings = form.findings.len() - errors - after;
    let line = match (
        form.message.as_ref().or(form.banner.as_ref()),
        errors,
        warnings,
    ) {
        (Some(m), _, _) => Line::from(Span::styled(one_line(m), t.warning)),
        (None, 0, 0) if after == 0 => Line::from(vec![
            Span::styled("✓ complete", t.ok),
            Span::styled("  · * marks what is required now · Ctrl-S saves", t.muted),
        ]),
        (None, e, w) => Line::from(vec![
            Span::styled(format!("{e} to fix"), if e > 0 { t.error } else { t.ok }),
            Span::styled(
                format!(" · {w} warning{}", if w == 1 { "" } else { "s" }),
                if w > 0 { t.warning } else { t.muted },
            ),
            Span::styled(
                if after > 0 {
                    format!(" · {after} after saving")
                } else {
                    String::new()
                },
                t.warning,
            ),
            Span::styled(" · * required now · Ctrl-S saves", t.muted),
        ]),
    };
    frame.render_widget(Paragraph::new(line), summary);

    match form.level() {
        Level::Fields {
            specs,
            path,
            cursor,
        } => draw_fields(frame, cx, form, specs, path, *cursor, body),
        Level::List {
            field,
            sub,
            path,
            cursor,
        } => {
            let items = form
                .map_at(path)
                .map(|m| m.list(field.name).to_vec())
                .unwrap_or_default();
            let mut rows: Vec<ListItem> = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let mut item_path = path.clone();
                    item_path.push(Step::Field(field.name));
                    item_path.push(Step::Index(i));
                    let problems = form.findings.iter().filter(|f| {
                        f.field.as_deref().is_some_and(|x| {
                            x.starts_with(&Form::field_name(
                                &item_path[..item_path.len() - 1],
                                &format!("{}[{}]", field.name, i + 1),
                            ))
                        })
                    });
                    let n = problems.count();
                    let summary = item_summary(item, sub);
                    let mut spans = vec![Span::raw(format!(
                        "{:>3}. {}",
                        i + 1,
                        truncate(&summary, body.width.saturating_sub(20) as usize)
                    ))];
                    if n > 0 {
                        spans.push(Span::styled(format!("  ! {n}"), t.error));
                    }
                    ListItem::new(Line::from(spans))
                })
                .collect();
            if rows.is_empty() {
                rows.push(ListItem::new(Span::styled(
                    "no items yet: a adds one",
                    t.muted,
                )));
            }
            let list = List::new(rows).highlight_style(t.selection);
            let mut state =
                ListState::default().with_selected((!items.is_empty()).then_some(*cursor));
            frame.render_stateful_widget(list, body, &mut state);
        }
    }

    match &form.editor {
        Some(Editor::Area { input: text, .. }) => {
            let [_, bottom] =
                Layout::vertical([Constraint::Min(3), Constraint::Length(body.height / 2 + 1)])
                    .areas(body);
            frame.render_widget(Clear, bottom);
            let label = form.current_field().map_or("", |(f, _)| f.label);
            let b = block(cx.theme, label);
            let inner = b.inner(bottom);
            frame.render_widget(b, bottom);
            text.draw(frame, inner);
        }
        Some(Editor::Pick(p)) => {
            let h = (p.shown.len() as u16 + 3).clamp(5, body.height);
            let [r] = Layout::vertical([Constraint::Length(h)])
                .flex(Flex::End)
                .areas(body);
            frame.render_widget(Clear, r);
            let label = form.current_field().map_or("", |(f, _)| f.label);
            let picker_title = if p.filtering || !p.query.is_empty() {
                format!("{label}: filter “{}”", one_line(&p.query.text()))
            } else {
                format!("{label} (/ filters)")
            };
            let mut b = block(cx.theme, &picker_title);
            let width = r.width.saturating_sub(4) as usize;
            // A list of records says how to add the one missing.
            let creates = p.creates.map(|k| format!("n: new {}", k.label()));
            if let Some(footer) = control_mappings(form, p).or(creates) {
                let footer = truncate(&footer, r.width.saturating_sub(4) as usize);
                b = b.title_bottom(Span::styled(format!(" {footer} "), t.muted));
            }
            // The value column as wide as the widest shown value (within reason).
            let vw = p
                .shown
                .iter()
                .map(|&i| super::super::widgets::width(&p.options[i].0))
                .max()
                .unwrap_or(8)
                .clamp(6, 24);
            let items: Vec<ListItem> = p
                .shown
                .iter()
                .map(|&i| {
                    let (v, d) = &p.options[i];
                    let tick = if p.multi {
                        if p.chosen.contains(v) { "[x] " } else { "[ ] " }
                    } else {
                        ""
                    };
                    // Descriptions that only repeat the value are left out.
                    let d = if d == v { String::new() } else { one_line(d) };
                    ListItem::new(Line::from(vec![
                        Span::raw(format!("{tick}{:<vw$} ", one_line(v))),
                        Span::styled(truncate(&d, width.saturating_sub(vw + 5)), t.muted),
                    ]))
                })
                .collect();
            let list = List::new(items).highlight_style(t.selection).block(b);
            let mut state =
                ListState::default().with_selected((!p.shown.is_empty()).then_some(p.cursor));
            frame.render_stateful_widget(list, r, &mut state);
        }
        _ => {}
    }

    if let Some(dialog) = &form.dialog {
        draw_dialog(frame, cx, form, dialog, area);
    }
}

/// In a picker of Annex A controls: the highlighted control's requirements in the other
/// frameworks ("27001 A.5.1, A.5.2 · AI RMF GOVERN 1.2 · AI Act —"), from the crosswalks.
fn control_mappings(form: &Form, p: &super::Picker) -> Option<String> {
    let (f, _) = form.current_field()?;
    if !matches!(
        f.kind,
        spec::FieldKind::Catalog(_) | spec::FieldKind::CatalogList(_)
    ) {
        return None;
    }
    let (id, _) = p.options.get(*p.shown.get(p.cursor)?)?;
    crate::domain::catalog::control(id)?;
    let parts: Vec<String> = crate::interop::crosswalk::mappings(id)
        .into_iter()
        .map(|(fw, ids)| {
            let ids = if ids.is_empty() {
                "—".to_string()
            } else {
                ids.join(", ")
            };
            format!("{} {ids}", fw.short())
        })
        .collect();
    Some(parts.join(" · "))
}

fn crumb(level: &Level) -> String {
    match level {
        Level::List { field, .. } => field.label.to_string(),
        Level::Fields { path, .. } => match path.last() {
            Some(Step::Index(i)) => format!("item {}", i + 1),
            Some(Step::Field(f)) => f.to_string(),
            None => String::new(),
        },
    }
}

/// One line for a list item: its first few values.
fn item_summary(item: &Value, sub: &[crate::rules::FieldSpec]) -> String {
    match item {
        Value::Map(m) => {
            let parts: Vec<String> = sub
                .iter()
                .filter_map(|f| m.text(f.name))
                .take(3)
                .map(|v| one_line(&v))
                .collect();
            if parts.is_empty() {
                "(empty)".into()
            } else {
                parts.join(" · ")
            }
        }
        other => one_line(&other.as_text().unwrap_or_default()),
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_fields(
    frame: &mut Frame,
    cx: &Ctx,
    form: &Form,
    specs: &[&'static crate::rules::FieldSpec],
    path: &[Step],
    cursor: usize,
    area: Rect,
) {
    let t = cx.theme;
    let map = form.map_at(path).cloned().unwrap_or_default();
    let value_w = (area.width as usize).saturating_sub(LABEL_W + 3);
    // Each field is a line, plus one per error shown under it.
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor_line = 0;
    // The line after the selected field's (and its problems'): kept in view too.
    let mut cursor_end = 0;
    // (line, width) of the one-line editor, when one is open.
    let mut editor_at: Option<(usize, usize)> = None;
    for (i, f) in specs.iter().enumerate() {
        let selected = i == cursor;
        if selected {
            cursor_line = lines.len();
        }
        let required = f.required_now(&map, &cx.ws.settings)
            || (path.is_empty()
                && form
                    .subject
                    .record_kind()
                    .is_some_and(|k| spec(k).wanted_by_one_of(f.name, &map, &cx.ws.settings)));
        let marker = if required { "*" } else { " " };
        // The field being typed in: its row leaves room for the editor, drawn over it
        // below; a date says what it means as it is typed.
        let editing_line = match (&form.editor, selected) {
            (Some(Editor::Line { input, date }), true) => {
                let text = input.text();
                let verdict = match (*date, text.trim().is_empty()) {
                    (true, false) => match parse_relative(&text, cx.today) {
                        Some(d) => format!("→ {d}"),
                        None => "✗ not a date yet (YYYY-MM-DD, t, +7d)".into(),
                    },
                    _ => String::new(),
                };
                let input_w = value_w
                    .saturating_sub(2 + width(&verdict) + usize::from(!verdict.is_empty()) * 2)
                    .max(4);
                editor_at = Some((lines.len(), input_w));
                let after = if verdict.is_empty() {
                    String::new()
                } else {
                    format!("  {verdict}")
                };
                Some(format!("> {}{after}", " ".repeat(input_w)))
            }
            _ => None,
        };
        let value = editing_line.unwrap_or_else(|| super::display(cx.ws, f, map.get(f.name), &map));
        let locked = f.name == "id" && form.original.is_some() && path.is_empty();
        let label_style = if selected {
            t.selection
        } else if required {
            t.header
        } else {
            t.base
        };
        let value_style = if selected {
            t.selection
        } else if locked {
            t.muted
        } else {
            t.base
        };
        let problems = form.findings_for(path, f.name);
        lines.push(Line::from(vec![
            Span::styled(
                format!("{marker}{:<w$} ", truncate(f.label, LABEL_W), w = LABEL_W),
                label_style,
            ),
            Span::styled(
                format!("{:<value_w$}", truncate(&value, value_w)),
                value_style,
            ),
        ]));
        // Not filled in yet on a new form: the `*` says it is required; the error in red
        // waits until the field was visited or a save was tried.
        let problems: Vec<_> = problems
            .into_iter()
            .filter(|p| p.code != "required-field" || form.shows_missing(path, f.name))
            .collect();
        if selected {
            // The selected field's problems in full, wrapped: nothing cut at the edge.
            let room = (area.width as usize).saturating_sub(4).max(10);
            for p in &problems {
                let (mark, style) = mark(p, t);
                let text = format!("{mark} {}", one_line(&humanize(&p.message, form.subject)));
                for (i, piece) in wrap(&text, room.saturating_sub(2)).iter().enumerate() {
                    let indent = if i == 0 { "  " } else { "    " };
                    lines.push(Line::from(Span::styled(format!("{indent}{piece}"), style)));
                }
            }
            cursor_end = lines.len();
        } else if let Some(p) = problems.first() {
            let (mark, style) = mark(p, t);
            let more = if problems.len() > 1 {
                format!(" (+{} more)", problems.len() - 1)
            } else {
                String::new()
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "  {mark} {}{more}",
                    truncate(
                        &one_line(&humanize(&p.message, form.subject)),
                        area.width.saturating_sub(12) as usize
                    )
                ),
                style,
            )));
        }
    }
    // Scroll so the selected field (and its problems under it) is in view.
    let height = area.height as usize;
    let first = cursor_end.saturating_sub(height).min(cursor_line);
    let shown: Vec<Line> = lines.into_iter().skip(first).take(height).collect();
    frame.render_widget(Paragraph::new(shown), area);
    if let (Some((line, w)), Some(Editor::Line { input, .. })) = (editor_at, &form.editor)
        && line >= first
        && line < first + height
    {
        let r = Rect {
            x: area.x + LABEL_W as u16 + 4,
            y: area.y + (line - first) as u16,
            width: (w as u16).min(area.width.saturating_sub(LABEL_W as u16 + 4)),
            height: 1,
        };
        input.draw(frame, r);
    }
}

/// A checker message in the form's words: field names become their labels
/// (`lawful_basis` → “Lawful basis”).
pub fn humanize(message: &str, subject: super::Subject) -> String {
    let mut out = message.to_string();
    let fields: Vec<&crate::rules::FieldSpec> = match subject {
        super::Subject::Record(kind) => spec(kind).all_fields().collect(),
        super::Subject::Settings => subject.fields(),
    };
    for f in fields {
        out = out.replace(&format!("`{}`", f.name), &format!("“{}”", f.label));
        out = out.replace(
            &format!("{} is ", f.name),
            &format!("{} is ", f.label.to_lowercase()),
        );
    }
    out
}

fn draw_dialog(frame: &mut Frame, cx: &Ctx, form: &Form, dialog: &Dialog, area: Rect) {
    let t = cx.theme;
    let (title, lines): (&str, Vec<Line>) =
        match dialog {
            Dialog::Leave => (
                "Unsaved changes",
                vec![
                    Line::from(format!("You changed: {}", form.changed_fields().join(", "))),
                    Line::from(""),
                    Line::from(vec![
                        Span::styled("s", t.key),
                        Span::raw(" save · "),
                        Span::styled("d", t.key),
                        Span::raw(" discard · "),
                        Span::styled("Esc", t.key),
                        Span::raw(" stay"),
                    ]),
                ],
            ),
            Dialog::Errors(errors) => {
                let mut l = vec![Line::from(Span::styled(
                    format!("Not saved: {} to fix", plural(errors.len(), "thing")),
                    t.error,
                ))];
                l.extend(
                    errors
                        .iter()
                        .take(12)
                        .map(|e| Line::from(format!("• {}", one_line(&humanize(e, form.subject))))),
                );
                l.push(Line::from(Span::styled(
                    "any key: back to the form",
                    t.muted,
                )));
                ("Cannot save yet", l)
            }
            Dialog::Warnings(warnings) => {
                let mut l = Vec::new();
                // Errors only another record cures: the save goes through, the work remains.
                if !form.after_save.is_empty() {
                    l.push(Line::from(Span::styled(
                        format!("Still to do after saving ({}):", form.after_save.len()),
                        t.header,
                    )));
                    l.extend(form.after_save.iter().take(6).map(|w| {
                        Line::from(format!("→ {}", one_line(&humanize(w, form.subject))))
                    }));
                }
                if !warnings.is_empty() {
                    l.push(Line::from(Span::styled(
                        format!("{}:", plural(warnings.len(), "warning")),
                        t.warning,
                    )));
                    l.extend(warnings.iter().take(8).map(|w| {
                        Line::from(format!("! {}", one_line(&humanize(w, form.subject))))
                    }));
                }
                let mut keys = vec![Span::styled("y", t.key), Span::raw(" save · ")];
                if let Some(next) = form.next {
                    keys.push(Span::styled("i", t.key));
                    let what = match next {
                        crate::domain::RecordType::Document => "model card",
                        other => other.label(),
                    };
                    keys.push(Span::raw(format!(" save, then create its {what} · ")));
                }
                keys.extend([Span::styled("n", t.key), Span::raw(" back to the form")]);
                l.push(Line::from(keys));
                let title = if warnings.is_empty() {
                    "Save now, finish later?"
                } else {
                    "Save with warnings?"
                };
                (title, l)
            }
            Dialog::Conflict(clash) => {
                let id = form.original.clone().unwrap_or_else(|| form.id());
                return super::conflict::draw(frame, cx, &id, clash, area);
            }
        };
    let w = 76.min(area.width);
    // Lines wrap inside the box: count the rows they take.
    let inner_w = w.saturating_sub(2).max(1) as usize;
    let rows: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_w))
        .sum();
    let h = (rows as u16 + 2).min(area.height);
    let [v] = Layout::vertical([Constraint::Length(h)])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(w)])
        .flex(Flex::Center)
        .areas(v);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(cx.theme, title)),
        r,
    );
}

/// Words of `text` in lines of at most `room` columns (a word longer than that is cut).
fn wrap(text: &str, room: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let needed = width(&line) + usize::from(!line.is_empty()) + width(word);
        if needed > room && !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&truncate(word, room));
    }
    out.push(line);
    out
}

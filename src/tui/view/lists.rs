//! The list panes: a table of records (columns from the specs) with the selected record's
//! detail beside it (wide terminals) or below it; and the Problems list.

use super::super::app::App;
use super::super::index::Index;
use super::super::pane::Pane;
use super::{block, truncate};
use crate::domain::Severity;
use crate::domain::text::one_line;
use crate::rules::spec;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

pub fn draw_pane(frame: &mut Frame, app: &App, pane: Pane, area: Rect) {
    let area = if pane == Pane::Soa {
        // Progress per Annex A area above the table.
        let [strip, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        frame.render_widget(Paragraph::new(area_progress(app)), strip);
        rest
    } else {
        area
    };
    let (list_area, detail_area) = split(area);
    let Some(list) = app.panes.list(pane) else {
        return;
    };
    let cols = Index::columns(pane);
    let kind = pane.record_types()[0];
    let header: Vec<Cell> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let label = spec(kind).field(c).map_or(*c, |f| f.label);
            let arrow = if i == list.sort { "▾" } else { "" };
            Cell::from(format!("{}{arrow}", short(label)))
        })
        .collect();
    // Borders and header take three lines.
    let (shown, selected) = super::window(
        list.rows.len(),
        list.cursor,
        list_area.height.saturating_sub(3) as usize,
    );
    let rows = list.rows[shown].iter().map(|&i| {
        let r = &app.ws.records[i];
        let style = if app.index.stale.contains(&r.id) {
            app.theme.stale
        } else {
            app.theme.base
        };
        Row::new(
            cols.iter()
                .map(|c| Cell::from(one_line(&app.index.cell(&app.ws, r, c)))),
        )
        .style(style)
    });
    let widths = widths(pane, &cols);
    let mut title = format!("{} ({})", pane.title(), list.rows.len());
    if !list.filter.is_empty() {
        title.push_str(&format!(" · filter “{}”", one_line(&list.filter)));
    }
    if pane == Pane::Soa {
        let progress =
            crate::rules::soa::SoaProgress::of(app.ws.of_type(crate::domain::RecordType::Soa));
        title.push_str(&format!(" · {}", progress.headline()));
    }
    let table = Table::new(rows, widths)
        .column_spacing(1)
        .header(Row::new(header).style(app.theme.header))
        .row_highlight_style(app.theme.selection)
        .block(block(app, &title));
    let mut state =
        TableState::default().with_selected((!list.rows.is_empty()).then_some(selected));
    frame.render_stateful_widget(table, list_area, &mut state);

    let lines = match list.selected(&app.ws) {
        Some(r) => super::super::detail::lines(&app.cx(), r, None, None),
        None if list.filter.is_empty() => empty_list(app, pane),
        None => vec![Line::from(Span::styled(
            "nothing to show: no record matches",
            app.theme.muted,
        ))],
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(app, "Detail")),
        detail_area,
    );
}

/// An empty list says what belongs there and which key creates the first one (the text
/// of each record type is the specs').
fn empty_list(app: &App, pane: Pane) -> Vec<Line<'static>> {
    use super::super::keys::{Action, Scope, keymap};
    let new_key = keymap()
        .in_scope(Scope::Global)
        .find(|b| b.action == Action::New)
        .map(|b| b.hint_key.clone());
    let creates = |kind| match &new_key {
        Some(key) if kind != crate::domain::RecordType::Soa => {
            format!(" {key} creates the first one.")
        }
        _ => String::new(),
    };
    let empty: Vec<_> = (pane.record_types().iter().copied())
        .filter(|&kind| app.ws.of_type(kind).next().is_none())
        .collect();
    let mut lines = Vec::new();
    let several = empty.len() > 2;
    if several {
        // A register of several types: what it holds, in one sentence.
        let plurals: Vec<&str> = empty
            .iter()
            .map(|&k| crate::rules::specs::about(k).0)
            .collect();
        let text = format!(
            "Nothing here yet. This register holds {}.{}",
            plurals.join(", "),
            creates(empty[0])
        );
        lines.push(Line::from(Span::styled(text, app.theme.muted)));
    }
    for &kind in empty.iter().filter(|_| !several) {
        let (plural, about) = crate::rules::specs::about(kind);
        let text = format!("No {plural} yet. {about}{}", creates(kind));
        lines.push(Line::from(Span::styled(text, app.theme.muted)));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "nothing selected",
            app.theme.muted,
        )));
    }
    lines
}

/// Side by side from 120 columns, stacked below that.
fn split(area: Rect) -> (Rect, Rect) {
    if area.width >= 120 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .areas(area);
        (a, b)
    } else {
        let [a, b] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
        (a, b)
    }
}

fn short(label: &str) -> &str {
    match label {
        "title" => "Title",
        "next review" => "Review",
        "next due" => "Next due",
        "who" => "Who",
        "flags" => "Flags",
        "due" => "Due",
        "Lifecycle stage" => "Stage",
        "Approved on" => "Approved",
        "Applicable" => "Appl.",
        "evidence" => "Ev.",
        "score" => "Score",
        "residual" => "Res.",
        "Lead auditor" => "Lead",
        other => other,
    }
}

/// Column widths by what a column holds; the title or name takes what is left.
fn widths(pane: Pane, cols: &[&str]) -> Vec<Constraint> {
    cols.iter()
        .map(|c| match *c {
            "id" => Constraint::Length(if matches!(pane, Pane::Audits | Pane::Reviews) {
                11
            } else {
                8
            }),
            "title" | "name" => Constraint::Min(14),
            "next review" | "next due" | "due" | "approved_on" | "planned_on" | "held_on" => {
                Constraint::Length(10)
            }
            "applicable" => Constraint::Length(5),
            // "not-assessed" in full: what a new SoA says 38 times.
            "status" if pane == Pane::Soa => Constraint::Length(12),
            "evidence" => Constraint::Length(3),
            "score" => Constraint::Length(6),
            "residual" => Constraint::Length(5),
            "owner" | "who" | "lead_auditor" | "assessor" | "chair" => Constraint::Length(9),
            "severity" | "version" => Constraint::Length(8),
            "risk_tier" => Constraint::Length(7),
            "flags" => Constraint::Length(10),
            "system" => Constraint::Length(8),
            _ => Constraint::Length(11),
        })
        .collect()
}

pub fn draw_problems(frame: &mut Frame, app: &App, area: Rect) {
    let errors = app
        .index
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = app.index.findings.len() - errors;
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let title = format!(
        "Problems: {errors} error{}, {warnings} warning{}",
        s(errors),
        s(warnings)
    );
    if app.index.findings.is_empty() {
        let p = Paragraph::new(Span::styled(
            "No problems: the workspace passes every check.",
            app.theme.ok,
        ))
        .block(block(app, &title));
        frame.render_widget(p, area);
        return;
    }
    // Wide terminals also show the rule's code: what `aims check --explain` and the
    // `rules:` of aims.yaml take.
    let code_width: u16 = if area.width >= 120 { 30 } else { 0 };
    let msg_width = area.width.saturating_sub(40 + code_width) as usize;
    let (shown, selected) = super::window(
        app.index.findings.len(),
        app.panes.problems_cursor,
        area.height.saturating_sub(3) as usize,
    );
    let rows = app.index.findings[shown].iter().map(|f| {
        let (sev, style) = match f.severity {
            Severity::Error => ("error", app.theme.error),
            Severity::Warning => ("warn", app.theme.warning),
        };
        let place = match f.line {
            Some(l) => format!("{}:{l}", f.file.display()),
            None => f.file.display().to_string(),
        };
        let mut cells = vec![
            Cell::from(Span::styled(sev, style)),
            Cell::from(truncate(&one_line(&place), 30)),
            Cell::from(truncate(&one_line(&f.message), msg_width.max(20))),
        ];
        if code_width > 0 {
            cells.push(Cell::from(f.code));
        }
        Row::new(cells)
    });
    let mut widths = vec![
        Constraint::Length(5),
        Constraint::Length(30),
        Constraint::Min(20),
    ];
    let mut header = vec!["", "File", "What to do"];
    if code_width > 0 {
        widths.push(Constraint::Length(code_width - 1));
        header.push("Rule");
    }
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(app.theme.header))
        .row_highlight_style(app.theme.selection)
        .block(block(app, &title));
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}

/// "A.2 3/3  A.3 1/2 …": controls assessed of all the area's, per Annex A area: the same
/// count as the headline's first figure ("assessed 4/38", `rules::soa::SoaProgress`), so
/// assessing A.7.4 moves both. Green once the area is complete (assessed and in place).
fn area_progress(app: &App) -> Line<'static> {
    let mut spans = Vec::new();
    for area in &crate::domain::catalog::CONTROL_AREAS {
        let prefix = format!("{}.", area.id);
        let p = crate::rules::soa::SoaProgress::over(
            app.ws.of_type(crate::domain::RecordType::Soa),
            |id| id.starts_with(&prefix),
        );
        let (done, applicable) = (p.assessed, p.controls);
        let style = if p.complete() {
            app.theme.ok
        } else {
            app.theme.warning
        };
        spans.push(Span::styled(format!("{} ", area.id), app.theme.muted));
        spans.push(Span::styled(format!("{done}/{applicable} "), style));
    }
    Line::from(spans)
}

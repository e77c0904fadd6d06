//! The live audit walk: the requirement, our audit question, what the workspace holds for
//! it, the previous result, and the progress.

use super::super::component::Ctx;
use super::super::editor::TextInput;
use super::super::widgets::{block, truncate};
use super::{Walk, WalkEditor};
use crate::domain::catalog::{self, ItemKind};
use crate::domain::text::{one_line, sanitize};
use crate::workspace::evidence::{evidence_for, previous_result};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, cx: &Ctx, walk: &Walk, area: Rect) {
    let t = cx.theme;
    frame.render_widget(Clear, area);
    let items = walk.items(cx.ws);
    let done = items.iter().filter(|m| !m.is_blank("result")).count();
    let Some(item) = items.get(walk.cursor) else {
        return;
    };
    let reference = item.text("ref").unwrap_or_default();
    let entry = catalog::find(&reference);

    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(6),
        Constraint::Length(if walk.editor.is_some() { 7 } else { 0 }),
    ])
    .areas(area);
    let width = 20usize;
    let filled = (done * width).checked_div(items.len()).unwrap_or(0);
    let title = cx
        .ws
        .get(&walk.audit)
        .map(|r| r.title())
        .unwrap_or_default();
    let (h, m, s) = (
        walk.elapsed_secs / 3600,
        walk.elapsed_secs / 60 % 60,
        walk.elapsed_secs % 60,
    );
    let head = Line::from(vec![
        Span::styled(format!(" {} ", one_line(&walk.audit)), t.title),
        Span::styled(format!("{done}/{} ", items.len()), t.header),
        Span::styled(
            format!("{}{}", "█".repeat(filled), "░".repeat(width - filled)),
            t.ok,
        ),
        Span::styled(
            format!("  item {}  {h}:{m:02}:{s:02}  ", walk.cursor + 1),
            t.muted,
        ),
        Span::raw(truncate(
            &one_line(&title),
            area.width.saturating_sub(60) as usize,
        )),
    ]);
    frame.render_widget(Paragraph::new(head), top);

    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(e) = entry {
        let what = match e.kind {
            ItemKind::Clause => format!("clause {}", e.area),
            ItemKind::Control => format!("Annex {}", e.area),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", e.id), t.header),
            Span::raw(e.title),
            Span::styled(format!("  ({what})"), t.muted),
        ]));
        lines.push(Line::from(vec![
            Span::styled("Intent: ", t.muted),
            Span::raw(e.intent),
        ]));
        lines.push(Line::from(vec![
            Span::styled("Ask: ", t.key),
            Span::raw(e.question),
        ]));
    } else {
        lines.push(Line::from(Span::styled(
            format!("{} is not in the catalog", one_line(&reference)),
            t.error,
        )));
    }
    lines.push(Line::from(""));
    let result = item.text("result");
    let result_style = match result.as_deref() {
        Some("conforming") => t.ok,
        Some("minor-nc" | "major-nc") => t.error,
        Some(_) => t.warning,
        None => t.muted,
    };
    lines.push(Line::from(vec![
        Span::styled("Result: ", t.header),
        Span::styled(
            result.as_deref().map_or_else(|| "not yet".into(), one_line),
            result_style,
        ),
        Span::styled("   c m M o i x", t.key),
    ]));
    if let Some((id, previous)) = previous_result(cx.ws, &walk.audit, &reference) {
        lines.push(Line::from(vec![
            Span::styled("Previous: ", t.muted),
            Span::raw(format!("{} in {}", one_line(&previous), one_line(&id))),
        ]));
    }
    if let Some(nc) = item.text("nc") {
        let status = cx
            .ws
            .get(&nc)
            .and_then(|r| r.fields.text("status"))
            .unwrap_or_else(|| "missing".into());
        lines.push(Line::from(vec![
            Span::styled("Nonconformity: ", t.muted),
            Span::raw(format!("{} ({})", one_line(&nc), one_line(&status))),
        ]));
    } else if matches!(result.as_deref(), Some("minor-nc" | "major-nc")) {
        lines.push(Line::from(Span::styled(
            "No nonconformity raised yet: N raises one",
            t.warning,
        )));
    }
    match item.text("notes") {
        Some(notes) => {
            lines.push(Line::from(Span::styled("Notes:", t.muted)));
            lines.extend(
                sanitize(&notes, true)
                    .lines()
                    .map(|l| Line::from(format!("  {l}"))),
            );
        }
        None => lines.push(Line::from(Span::styled(
            "Notes: none (Enter writes them)",
            t.muted,
        ))),
    }
    let sampled = item.list("evidence");
    if !sampled.is_empty() {
        lines.push(Line::from(Span::styled("Evidence sampled:", t.muted)));
        for e in sampled {
            let (label, target) = match e.as_map() {
                Some(m) => (
                    m.text("label").unwrap_or_default(),
                    m.text("target").unwrap_or_default(),
                ),
                None => (String::new(), e.as_text().unwrap_or_default()),
            };
            lines.push(Line::from(format!(
                "  • {} {}",
                one_line(&label),
                one_line(&target)
            )));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(cx.theme, "Requirement")),
        left,
    );

    let evidence: Vec<Line> = evidence_for(cx.ws, &reference)
        .into_iter()
        .map(|e| {
            let style = if e.missing_file { t.error } else { t.base };
            Line::from(Span::styled(one_line(&e.text), style))
        })
        .collect();
    let evidence = if evidence.is_empty() {
        vec![Line::from(Span::styled(
            "nothing in the workspace points at it",
            t.muted,
        ))]
    } else {
        evidence
    };
    frame.render_widget(
        Paragraph::new(evidence)
            .wrap(Wrap { trim: false })
            .block(block(cx.theme, "In the workspace")),
        right,
    );

    match &walk.editor {
        Some(WalkEditor::Notes {
            input: text,
            reason,
        }) => {
            let b = block(
                cx.theme,
                if *reason {
                    "Why not audited? (Esc keeps)"
                } else {
                    "Notes (Esc keeps)"
                },
            );
            let inner = b.inner(bottom);
            frame.render_widget(Clear, bottom);
            frame.render_widget(b, bottom);
            text.draw(frame, inner);
        }
        Some(WalkEditor::EvidenceTarget(text)) => prompt(
            frame,
            cx,
            bottom,
            "Evidence sampled: path or URL, Enter",
            text,
        ),
        Some(WalkEditor::EvidenceLabel {
            target,
            input: text,
        }) => prompt(
            frame,
            cx,
            bottom,
            &format!("Label for {}, Enter", truncate(&one_line(target), 40)),
            text,
        ),
        None => {}
    }
}

fn prompt(frame: &mut Frame, cx: &Ctx, area: Rect, title: &str, text: &TextInput) {
    frame.render_widget(Clear, area);
    let b = block(cx.theme, title);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let [arrow, field] =
        Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    frame.render_widget(Span::raw("> "), arrow);
    text.draw(frame, Rect { height: 1, ..field });
}

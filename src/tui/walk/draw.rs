//! The live audit walk: the requirement, our audit question, what the workspace holds for
//! it, the previous result, and the progress.

use super::super::component::Ctx;
use super::super::editor::TextInput;
use super::super::widgets::{block, truncate};
use super::{CompleteDialog, Walk, WalkEditor};
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
        Constraint::Length(match walk.editor {
            None | Some(WalkEditor::Complete(_)) => 0,
            Some(_) => 7,
        }),
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
    let completed = cx
        .ws
        .get(&walk.audit)
        .is_some_and(|r| crate::rules::audit::is_completed(&r.fields));
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
            area.width.saturating_sub(if completed { 81 } else { 60 }) as usize,
        )),
    ]);
    let head = if completed {
        // Why result keys are refused, before anyone presses one.
        let mut spans = head.spans;
        spans.insert(4, Span::styled("completed·R reopens  ", t.warning));
        Line::from(spans)
    } else {
        head
    };
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
            ..
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
        Some(WalkEditor::EvidenceTarget {
            input,
            editing,
            matches,
        }) => {
            let title = match editing {
                Some(i) => format!("Evidence {}: path or URL, Tab completes, Enter", i + 1),
                None => "Evidence sampled: path or URL, Tab completes, Enter".to_string(),
            };
            prompt(frame, cx, bottom, &title, input);
            // Under the input: what is wrong with the path as typed, or what Tab found.
            let inner = block(cx.theme, "").inner(bottom);
            let below = Rect {
                y: inner.y + 1,
                height: inner.height.saturating_sub(1),
                ..inner
            };
            let note = match super::evidence::path_problem(&cx.ws.root, &input.text()) {
                Some(problem) if matches.is_empty() => Line::from(Span::styled(problem, t.error)),
                _ if !matches.is_empty() => Line::from(Span::styled(matches.join("  "), t.muted)),
                _ => Line::from(""),
            };
            frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: false }), below);
        }
        Some(WalkEditor::EvidenceList { cursor }) => {
            frame.render_widget(Clear, bottom);
            let b = block(cx.theme, "Evidence sampled: Enter edits, d removes, a adds");
            let inner = b.inner(bottom);
            frame.render_widget(b, bottom);
            let sampled = item.list("evidence");
            // The cursor's entry always in view.
            let height = (inner.height as usize).max(1);
            let first = cursor.saturating_sub(height - 1);
            let shown = first.min(sampled.len())..(first + height).min(sampled.len());
            let lines: Vec<Line> = sampled[shown.clone()]
                .iter()
                .zip(shown)
                .map(|(e, i)| {
                    let (label, target) = super::evidence_parts(e);
                    let missing = super::evidence::path_problem(&cx.ws.root, &target).is_some();
                    let mut spans = vec![
                        Span::raw(format!("{} ", if i == *cursor { "›" } else { " " })),
                        Span::raw(one_line(&target)),
                    ];
                    if !label.is_empty() {
                        spans.push(Span::styled(format!("  {}", one_line(&label)), t.muted));
                    }
                    if missing {
                        spans.push(Span::styled("  (not found)", t.error));
                    }
                    let line = Line::from(spans);
                    if i == *cursor {
                        line.style(t.selection)
                    } else {
                        line
                    }
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Some(WalkEditor::EvidenceLabel {
            target,
            input: text,
            ..
        }) => prompt(
            frame,
            cx,
            bottom,
            &format!("Label for {}, Enter", truncate(&one_line(target), 40)),
            text,
        ),
        Some(WalkEditor::Reopen(p)) => prompt(
            frame,
            cx,
            bottom,
            &format!(
                "Reopen {}: why? (logged in its history) Enter",
                one_line(&walk.audit)
            ),
            p,
        ),
        Some(WalkEditor::Complete(d)) => complete_dialog(frame, cx, &walk.audit, d, area),
        None => {}
    }
}

/// `C`'s confirmation over the walk: what completing records, then the three fields.
fn complete_dialog(frame: &mut Frame, cx: &Ctx, audit: &str, d: &CompleteDialog, area: Rect) {
    let t = cx.theme;
    let width = area.width.saturating_sub(4).min(76);
    let mut lines: Vec<Line> = vec![Line::from(Span::styled(
        format!("Marks it completed on {} and records:", cx.today),
        t.muted,
    ))];
    for l in d.summary.summary_lines() {
        lines.push(Line::from(format!("  {}", one_line(&l))));
    }
    lines.push(Line::from(""));
    // The fields' rows, after the summary: each a label and its input.
    let first_field = lines.len() as u16;
    for _ in CompleteDialog::FIELDS {
        lines.push(Line::from(""));
    }
    lines.push(Line::from(""));
    match &d.error {
        Some(e) => lines.push(Line::from(Span::styled(one_line(e), t.error))),
        None => lines.push(Line::from(Span::styled(
            "Tab next field · Enter complete and sign off · Esc cancel",
            t.muted,
        ))),
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let title = format!("Complete {}?", one_line(audit));
    let b = block(t, &title);
    let inner = b.inner(rect);
    frame.render_widget(b, rect);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    for (i, label) in CompleteDialog::FIELDS.iter().enumerate() {
        let y = inner.y + first_field + i as u16;
        if y >= inner.y + inner.height {
            break;
        }
        let active = i == d.field;
        let head = format!("{} {label}: ", if active { ">" } else { " " });
        let head_w = (head.chars().count() as u16).min(inner.width);
        frame.render_widget(
            Span::styled(head, if active { t.key } else { t.muted }),
            Rect {
                y,
                height: 1,
                width: head_w,
                ..inner
            },
        );
        let field = Rect {
            x: inner.x + head_w,
            y,
            width: inner.width.saturating_sub(head_w),
            height: 1,
        };
        if active {
            d.inputs[i].draw(frame, field);
        } else {
            frame.render_widget(
                Span::raw(truncate(&one_line(&d.value(i)), field.width as usize)),
                field,
            );
        }
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

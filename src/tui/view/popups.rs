//! Popups drawn over the pane: help, finder, a record's detail, and the triage prompts.

use super::super::app::{App, Popup};
use super::super::keys;
use super::{block, detail, truncate};
use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Wrap};

/// A centred rectangle of at most `w`×`h` inside `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    r
}

pub fn draw(frame: &mut Frame, app: &App, popup: &Popup, area: Rect) {
    let t = &app.theme;
    match popup {
        Popup::Help {
            filter,
            scroll,
            scopes,
        } => {
            let r = centered(area, 90, area.height);
            let needle = filter.to_lowercase();
            let mut lines = vec![Line::from(vec![
                Span::styled("type to filter: ", t.muted),
                Span::raw(format!("{}▏", one_line(filter))),
            ])];
            // Exactly the keys of the scopes it was opened from: the scope's own first.
            let visible = keys::keymap().visible(scopes);
            for scope in scopes {
                let shown: Vec<&(&keys::Binding, String)> = visible
                    .iter()
                    .filter(|(b, label)| {
                        b.scope == *scope
                            && (needle.is_empty()
                                || b.help.to_lowercase().contains(&needle)
                                || label.to_lowercase().contains(&needle)
                                || scope.label().contains(&needle))
                    })
                    .collect();
                if shown.is_empty() {
                    continue;
                }
                lines.push(Line::from(Span::styled(
                    format!("— {} —", scope.label()),
                    t.header,
                )));
                for (b, label) in shown {
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {label:<10} "), t.key),
                        Span::raw(b.help.as_str()),
                    ]));
                }
            }
            lines.push(Line::from(Span::styled("↑↓ scroll · Esc closes", t.muted)));
            // The filter line stays; the bindings scroll under it.
            let head = lines.remove(0);
            let body: Vec<Line> = std::iter::once(head)
                .chain(lines.into_iter().skip(*scroll))
                .collect();
            frame.render_widget(Clear, r);
            frame.render_widget(
                Paragraph::new(body).block(block(app, "Help: every key of this view")),
                r,
            );
        }
        Popup::Finder {
            query,
            results,
            cursor,
        } => {
            let r = centered(area, 74, area.height.saturating_sub(2).max(8));
            let [input, rest] =
                Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(r);
            frame.render_widget(Clear, r);
            let title = format!(
                "Find a record ({} of {})",
                results.len(),
                app.ws.records.len()
            );
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("> ", t.key),
                    Span::raw(format!("{}▏", one_line(query))),
                ]))
                .block(block(app, &title)),
                input,
            );
            let width = rest.width.saturating_sub(2) as usize;
            let items: Vec<ListItem> = results
                .iter()
                .filter_map(|&i| app.ws.records.get(i))
                .map(|rec| {
                    let head = format!("{:<11} {:<18} ", one_line(&rec.id), rec.kind.label());
                    let room = width.saturating_sub(head.chars().count());
                    ListItem::new(Line::from(vec![
                        Span::styled(head, t.muted),
                        Span::raw(truncate(&one_line(&rec.title()), room)),
                    ]))
                })
                .collect();
            let list = List::new(items)
                .highlight_style(t.selection)
                .block(block(app, "Enter opens · Esc closes"));
            let mut state =
                ListState::default().with_selected((!results.is_empty()).then_some(*cursor));
            frame.render_stateful_widget(list, rest, &mut state);
        }
        Popup::Record { id, cursor } => {
            let r = centered(area, area.width.saturating_sub(4).min(110), area.height);
            frame.render_widget(Clear, r);
            let Some(rec) = app.ws.get(id) else { return };
            let lines = detail::lines(app, rec, Some(*cursor));
            // Keep the highlighted link in view.
            let links_start = lines.len().saturating_sub(app.links_of(id).len());
            let target = links_start + cursor;
            let visible = r.height.saturating_sub(2) as usize;
            let scroll = target
                .saturating_sub(visible.saturating_sub(1))
                .min(u16::MAX as usize) as u16;
            let title = format!(
                "{} · ↑↓ links · Enter follow · r s o triage · Esc back",
                rec.kind.label()
            );
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .scroll((scroll, 0))
                    .block(block(app, &title)),
                r,
            );
        }
        Popup::ReviewNote { target, text } => prompt(
            frame,
            app,
            area,
            &format!("Mark {} reviewed", target.record),
            "Note (optional), Enter saves, Esc cancels:",
            text,
            None,
        ),
        Popup::RescheduleDate {
            target,
            text,
            error,
        } => prompt(
            frame,
            app,
            area,
            &format!("Reschedule {} ({})", target.record, target.kind.label()),
            "New date: YYYY-MM-DD, or +7d, +2w, +3m:",
            text,
            error.as_deref(),
        ),
        Popup::RescheduleReason { target, date, text } => prompt(
            frame,
            app,
            area,
            &format!("Reschedule {} to {date}", target.record),
            "Reason (required), Enter saves:",
            text,
            None,
        ),
        Popup::PersonPicker { target, cursor } => {
            let r = centered(area, 60, (app.ws.settings.people.len() as u16 + 2).max(4));
            frame.render_widget(Clear, r);
            let items: Vec<ListItem> = app
                .ws
                .settings
                .people
                .iter()
                .map(|p| {
                    ListItem::new(format!(
                        "{:<12} {} — {}",
                        one_line(&p.id),
                        one_line(&p.name),
                        one_line(&p.role)
                    ))
                })
                .collect();
            let title = format!("Reassign {} to…", target.record);
            let list = List::new(items)
                .highlight_style(t.selection)
                .block(block(app, &title));
            let mut state = ListState::default().with_selected(Some(*cursor));
            frame.render_stateful_widget(list, r, &mut state);
        }
        Popup::ChooseKind { kinds, cursor } => {
            let r = centered(area, 40, kinds.len() as u16 + 2);
            frame.render_widget(Clear, r);
            let items: Vec<ListItem> = kinds
                .iter()
                .map(|k| ListItem::new(format!("new {}", k.label())))
                .collect();
            let list = List::new(items)
                .highlight_style(t.selection)
                .block(block(app, "Create"));
            let mut state = ListState::default().with_selected(Some(*cursor));
            frame.render_stateful_widget(list, r, &mut state);
        }
        Popup::ConfirmDelete { id, referrers } => {
            let r = centered(area, 70, (referrers.len() as u16 + 7).min(area.height));
            frame.render_widget(Clear, r);
            let title = app
                .ws
                .get(id)
                .map(|rec| one_line(&rec.title()))
                .unwrap_or_default();
            let mut lines = vec![
                Line::from(vec![
                    Span::styled(format!("Delete {} ", one_line(id)), t.error),
                    Span::raw(title),
                ]),
                Line::from(Span::styled(
                    "The file moves to .aims/trash/; it is not erased.",
                    t.muted,
                )),
            ];
            if referrers.is_empty() {
                lines.push(Line::from("Nothing links to it."));
            } else {
                lines.push(Line::from(format!(
                    "{} record(s) link to it and will show a dangling reference:",
                    referrers.len()
                )));
                for other in referrers {
                    let what = app
                        .ws
                        .get(other)
                        .map(|r| one_line(&r.title()))
                        .unwrap_or_default();
                    lines.push(Line::from(format!(
                        "  {} {}",
                        one_line(other),
                        truncate(&what, 50)
                    )));
                }
            }
            lines.push(Line::from(vec![
                Span::styled("Enter", t.key),
                Span::raw(" delete · "),
                Span::styled("Esc", t.key),
                Span::raw(" keep"),
            ]));
            frame.render_widget(Paragraph::new(lines).block(block(app, "Delete?")), r);
        }
        Popup::Message { title, text } => {
            let r = centered(area, 70, 8);
            frame.render_widget(Clear, r);
            frame.render_widget(
                Paragraph::new(one_line(text))
                    .wrap(Wrap { trim: true })
                    .block(block(app, title)),
                r,
            );
        }
    }
}

fn prompt(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    title: &str,
    label: &str,
    text: &str,
    error: Option<&str>,
) {
    let r = centered(area, 70, 6);
    frame.render_widget(Clear, r);
    let mut lines = vec![
        Line::from(Span::styled(label.to_string(), app.theme.muted)),
        Line::from(format!("> {}▏", one_line(text))),
    ];
    if let Some(e) = error {
        lines.push(Line::from(Span::styled(one_line(e), app.theme.error)));
    }
    frame.render_widget(Paragraph::new(lines).block(block(app, title)), r);
}

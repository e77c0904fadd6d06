//! The calendar: a month grid with markers on due dates, and the agenda — Overdue, Today,
//! This week, Later — where items are triaged in place.

use super::super::app::App;
use super::super::panes::grid_start;
use super::{block, truncate};
use crate::domain::text::one_line;
use crate::rules::due::DueItem;
use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Length(32), Constraint::Min(40)]).areas(area);
    let items = app.panes.agenda(&app.index, app.user.as_deref());
    draw_month(frame, app, &items, left);
    draw_agenda(frame, app, &items, right);
}

fn draw_month(frame: &mut Frame, app: &App, items: &[&DueItem], area: Rect) {
    let t = &app.theme;
    let day = app.panes.calendar.day;
    let mut lines = vec![Line::from(Span::styled(
        " Mo  Tu  We  Th  Fr  Sa  Su",
        t.header,
    ))];
    let start = grid_start(day);
    let end = start + chrono::Duration::days(42);
    // One pass over the agenda: how many items fall on each day of the grid, any overdue.
    let mut marks: std::collections::HashMap<chrono::NaiveDate, (usize, bool)> = Default::default();
    for i in items.iter().filter(|i| i.due >= start && i.due < end) {
        let m = marks.entry(i.due).or_default();
        m.0 += 1;
        m.1 |= i.days < 0;
    }
    for week in 0..6 {
        let mut spans = Vec::new();
        for d in 0..7 {
            let date = start + chrono::Duration::days(week * 7 + d);
            let (count, overdue) = marks.get(&date).copied().unwrap_or_default();
            let mark = if count == 0 { " " } else { "•" };
            let mut style = if date.month() != day.month() {
                t.muted
            } else if overdue {
                t.error
            } else if count > 0 {
                t.warning
            } else {
                t.base
            };
            if date == app.today {
                style = style.add_modifier(Modifier::UNDERLINED | Modifier::BOLD);
            }
            if date == day {
                style = t.selection;
            }
            spans.push(Span::styled(format!("{:>3}{mark}", date.day()), style));
        }
        lines.push(Line::from(spans));
        if (start + chrono::Duration::days(week * 7 + 7)).month() != day.month() && week >= 3 {
            break;
        }
    }
    lines.push(Line::from(""));
    let on_day: Vec<&&DueItem> = items.iter().filter(|i| i.due == day).collect();
    lines.push(Line::from(Span::styled(
        format!("Due {}: {}", day.format("%a %d %b"), on_day.len()),
        t.header,
    )));
    let width = area.width.saturating_sub(4) as usize;
    for i in on_day.iter().take(8) {
        lines.push(Line::from(truncate(
            &format!("{} {}", one_line(&i.record), one_line(&i.title)),
            width,
        )));
    }
    let title = format!("{}", day.format("%B %Y"));
    frame.render_widget(Paragraph::new(lines).block(block(app, &title)), area);
}

/// The agenda heading an item falls under.
fn section(item: &DueItem) -> &'static str {
    match item.days {
        d if d < 0 => "Overdue",
        0 => "Today",
        1..=7 => "This week",
        _ => "Later",
    }
}

fn draw_agenda(frame: &mut Frame, app: &App, items: &[&DueItem], area: Rect) {
    let t = &app.theme;
    let width = area.width.saturating_sub(2) as usize;
    // The display rows: a heading before each section, then its items. Only the rows in
    // view are formatted.
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for item in items {
        let s = section(item);
        match counts.last_mut() {
            Some((name, n)) if *name == s => *n += 1,
            _ => counts.push((s, 1)),
        }
    }
    let mut rows: Vec<Result<(&str, usize), usize>> =
        Vec::with_capacity(items.len() + counts.len());
    let mut selected_row = 0;
    let mut next = 0;
    for (name, n) in &counts {
        rows.push(Ok((name, *n)));
        for i in next..next + n {
            if i == app.panes.calendar.cursor {
                selected_row = rows.len();
            }
            rows.push(Err(i));
        }
        next += n;
    }
    let (shown, selected) = super::window(
        rows.len(),
        selected_row,
        area.height.saturating_sub(2) as usize,
    );
    let list: Vec<ListItem> = rows[shown]
        .iter()
        .map(|row| match *row {
            Ok((name, n)) => {
                ListItem::new(Line::from(Span::styled(format!("{name} ({n})"), t.header)))
            }
            Err(i) => {
                let item = items[i];
                let when = match item.days {
                    d if d < 0 => format!("{}d late", -d),
                    0 => "today".into(),
                    _ => item.due.format("%d %b").to_string(),
                };
                let style = if item.days < 0 { t.error } else { t.base };
                let head = format!(
                    " {:<6} {:<9} {:<8} ",
                    super::short_kind(item.kind),
                    one_line(&item.record),
                    one_line(item.owner.as_deref().unwrap_or("-"))
                );
                let room = width.saturating_sub(9 + super::super::widgets::width(&head));
                ListItem::new(Line::from(vec![
                    Span::styled(format!("{when:>8}"), style),
                    Span::raw(head),
                    Span::styled(truncate(&one_line(&item.title), room), t.muted),
                ]))
            }
        })
        .collect();
    let who = if app.panes.calendar.mine {
        format!("mine ({})", app.user.as_deref().unwrap_or("?"))
    } else {
        "everyone".into()
    };
    let title = format!("Agenda · {who} · {} items", items.len());
    if list.is_empty() {
        let p = Paragraph::new(Span::styled("Nothing is due.", t.ok)).block(block(app, &title));
        frame.render_widget(p, area);
        return;
    }
    let widget = List::new(list)
        .highlight_style(t.selection)
        .block(block(app, &title));
    let mut state = ListState::default().with_selected((!items.is_empty()).then_some(selected));
    frame.render_stateful_widget(widget, area, &mut state);
}

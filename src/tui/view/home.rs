//! Home: today at a glance — what is overdue or due soon, risks above appetite, SoA
//! progress, the audit in progress, and the problem count.

use super::super::app::App;
use super::{block, truncate};
use crate::domain::RecordType;
use crate::domain::text::one_line;
use crate::rules::due::{DueKind, DueState};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    // A new workspace: the setup steps on top.
    let area = app.panes.setup.draw(frame, &app.cx(), area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    draw_agenda(frame, app, left);
    draw_summary(frame, app, right);
}

fn draw_agenda(frame: &mut Frame, app: &App, area: Rect) {
    let mine = app.panes.home_mine;
    let items = app.panes.home_items(&app.index, app.user.as_deref());
    let overdue = items
        .iter()
        .filter(|d| d.state == DueState::Overdue)
        .count();
    let title = format!(
        "{} {}: {overdue} overdue, {} due soon",
        if mine { "Mine" } else { "Today" },
        app.today,
        items.len() - overdue,
    );
    let width = area.width.saturating_sub(2) as usize;
    let (shown, selected) = super::window(
        items.len(),
        app.panes.home_cursor,
        area.height.saturating_sub(2) as usize,
    );
    // The owner column is as wide as the longest owner shown, and gone when only the
    // user's own items are (it would say the same name on every row).
    let owner_width = items[shown.clone()]
        .iter()
        .map(|d| super::super::widgets::width(&one_line(d.owner.as_deref().unwrap_or("-"))))
        .max()
        .unwrap_or(1)
        .min(12);
    let list: Vec<ListItem> = items[shown]
        .iter()
        .map(|d| {
            let when = match d.days {
                n if n < 0 => format!("{}d late", -n),
                0 => "today".into(),
                n => format!("in {n}d"),
            };
            let style = if d.state == DueState::Overdue {
                app.theme.error
            } else {
                app.theme.warning
            };
            let owner = if mine {
                String::new()
            } else {
                let o = truncate(&one_line(d.owner.as_deref().unwrap_or("-")), owner_width);
                let pad = owner_width.saturating_sub(super::super::widgets::width(&o));
                format!("{o}{} ", " ".repeat(pad))
            };
            let head = format!(
                "{} {:<8} {owner}{:<6} ",
                d.due.format("%d %b"),
                one_line(&d.record),
                super::short_kind(d.kind)
            );
            let room = width.saturating_sub(9 + super::super::widgets::width(&head));
            ListItem::new(Line::from(vec![
                Span::styled(format!("{when:>8} "), style),
                Span::raw(head),
                Span::styled(truncate(&one_line(&d.title), room), app.theme.muted),
            ]))
        })
        .collect();
    if list.is_empty() {
        let empty = if mine {
            "Nothing of yours overdue or due soon (m: everyone's)."
        } else {
            "Nothing overdue or due soon."
        };
        let p = Paragraph::new(Span::styled(empty, app.theme.ok))
            .wrap(Wrap { trim: false })
            .block(block(app, &title));
        frame.render_widget(p, area);
        return;
    }
    let widget = List::new(list)
        .highlight_style(app.theme.selection)
        .block(block(app, &title));
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(widget, area, &mut state);
}

fn draw_summary(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    // The same items as the agenda beside it: with `m`, only the person's own.
    let items = app.panes.home_items(&app.index, app.user.as_deref());
    // One pass over the items (tens of thousands at 100,000 records), not one per count.
    let mut tally: std::collections::BTreeMap<(DueState, DueKind), usize> = Default::default();
    for d in &items {
        *tally.entry((d.state, d.kind)).or_default() += 1;
    }
    let count = |state: DueState, kind: DueKind| tally.get(&(state, kind)).copied().unwrap_or(0);
    let kinds = [
        (DueKind::Review, "reviews"),
        (DueKind::CorrectiveAction, "corrective actions"),
        (DueKind::RiskTreatment, "risk treatments"),
        (DueKind::ImpactAssessmentRefresh, "IA refreshes"),
        (DueKind::ReviewAction, "review actions"),
    ];
    let heading = if app.panes.home_mine {
        "Mine: overdue · due soon"
    } else {
        "Overdue · due soon"
    };
    lines.push(Line::from(Span::styled(heading, t.header)));
    let counts: Vec<(usize, usize, &str)> = kinds
        .into_iter()
        .map(|(kind, label)| {
            (
                count(DueState::Overdue, kind),
                count(DueState::DueSoon, kind),
                label,
            )
        })
        .filter(|(o, s, _)| o + s > 0)
        .collect();
    // Columns as wide as the largest count: "23189 · 1003 reviews", never "1003reviews".
    let digits = |n: usize| n.to_string().len();
    let wo = counts.iter().map(|c| digits(c.0)).max().unwrap_or(1).max(3);
    let ws = counts
        .iter()
        .map(|c| digits(c.1) + 1)
        .max()
        .unwrap_or(1)
        .max(3);
    for (o, s, label) in counts {
        lines.push(Line::from(vec![
            Span::styled(format!("{o:>wo$}"), if o > 0 { t.error } else { t.muted }),
            Span::raw(" · "),
            Span::styled(format!("{s:<ws$}"), t.warning),
            Span::raw(label),
        ]));
    }
    // Sparklines from the git history, once read (none outside git).
    let room = usize::from(area.width.saturating_sub(2));
    lines.extend(super::trends::home_lines(app, room));

    // Kept by the index as risks change: not a pass over every risk per frame.
    let above = app.index.above_appetite();
    let above_count = above.len();
    let ids: Vec<&str> = above.take(6).collect();
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("Risks above appetite: ", t.header),
        Span::styled(
            above_count.to_string(),
            if above_count == 0 { t.ok } else { t.error },
        ),
    ]));
    // Its trend beside the count.
    let spark = super::trends::home_spark(app, |p| p.risks_above_appetite, room - room.min(26));
    if let Some(line) = lines.last_mut() {
        line.spans.extend(spark);
    }
    if !ids.is_empty() {
        lines.push(Line::from(Span::raw(format!("  {}", ids.join(" ")))));
    }

    // Counted against all 38 controls (see `rules::soa`), as the SoA pane counts.
    let soa = crate::rules::soa::SoaProgress::of(app.ws.of_type(RecordType::Soa));
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("SoA ", t.header),
        Span::raw(format!("assessed {}/{}", soa.assessed, soa.controls)),
    ]));
    lines.push(Line::from(Span::raw(format!(
        "in place {}/{} not excluded",
        soa.in_place,
        soa.in_scope()
    ))));
    lines.push(Line::from(Span::styled(
        gauge(soa.in_place, soa.in_scope(), 24),
        t.ok,
    )));

    let audits: Vec<_> = app
        .ws
        .of_type(RecordType::Audit)
        .filter(|a| a.fields.text("status").as_deref() == Some("in-progress"))
        .collect();
    lines.push(Line::from(""));
    if audits.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Audit ", t.header),
            Span::styled("none in progress", t.muted),
        ]));
    }
    for a in audits {
        let items = a.fields.list("checklist");
        let answered = items
            .iter()
            .filter(|i| i.as_map().is_some_and(|m| !m.is_blank("result")))
            .count();
        lines.push(Line::from(vec![
            Span::styled("Audit ", t.header),
            Span::raw(format!(
                "{}: {answered}/{} items",
                one_line(&a.id),
                items.len()
            )),
        ]));
    }

    let (errors, warnings) = app.index.problem_counts();
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("Problems ", t.header),
        Span::styled(
            format!("{errors} error{}", if errors == 1 { "" } else { "s" }),
            if errors > 0 { t.error } else { t.ok },
        ),
        Span::raw(", "),
        Span::styled(
            format!("{warnings} warning{}", if warnings == 1 { "" } else { "s" }),
            if warnings > 0 { t.warning } else { t.ok },
        ),
    ]));
    // Short of rows (the setup steps above, an 80×24 terminal): the spacers go first, so
    // the last facts (Problems) stay on screen.
    if lines.len() > usize::from(area.height.saturating_sub(2)) {
        lines.retain(|l| l.width() > 0);
    }
    let org = one_line(&app.ws.settings.organization);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(app, &org)),
        area,
    );
}

/// A text progress bar: `████████░░░░ 73%`.
fn gauge(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    let pct = (done * 100).checked_div(total).unwrap_or(0);
    format!(
        "{}{} {pct}%",
        "█".repeat(filled),
        "░".repeat(width - filled.min(width))
    )
}

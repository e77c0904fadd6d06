//! The Trends pane: one row per series (its latest value, the change over the period and a
//! sparkline of every point), then the month-by-month counts. Sparklines are block
//! characters, so they read the same in monochrome.

use super::super::app::App;
use crate::domain::text::one_line;
use crate::workspace::trends::{Month, Point, Trends};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};

/// A named series: its label and how to read it from a point (or a month).
type Series<T> = (&'static str, fn(&T) -> usize);

/// The series over time, each a value of a point.
const SERIES: &[Series<Point>] = &[
    ("overdue", |p| p.overdue),
    ("due soon", |p| p.due_soon),
    ("SoA assessed", |p| p.soa_assessed),
    ("SoA applicable", |p| p.soa_applicable),
    ("SoA in place", |p| p.soa_in_place),
    ("risks above appetite", |p| p.risks_above_appetite),
    ("open NCs", |p| p.ncs_open),
];

/// The counts per month.
const MONTHLY: &[Series<Month>] = &[
    ("NCs raised / month", |m| m.ncs_raised),
    ("NCs closed / month", |m| m.ncs_closed),
    ("incidents / month", |m| m.incidents.values().sum()),
];

const LABEL: usize = 22;
const VALUE: usize = 14;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let block = super::super::widgets::block(theme, "Trends from git history");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let t = match app.panes.trends.ready() {
        Some(t) => t,
        None => {
            let msg = Line::styled("reading the history from git…", theme.muted);
            frame.render_widget(Paragraph::new(msg), inner);
            return;
        }
    };
    let mut lines = vec![header(t)];
    lines.extend(
        t.notes
            .iter()
            .map(|n| Line::styled(format!("! {}", one_line(n)), theme.warning)),
    );
    let rows = SERIES.len() + MONTHLY.len() + 1;
    let [head, body] = Layout::vertical([
        Constraint::Length(lines.len() as u16),
        Constraint::Length(rows as u16),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines).style(theme.base), head);
    if t.points.is_empty() {
        return;
    }
    let row = |i: usize| Rect {
        y: body.y + i as u16,
        height: 1,
        ..body
    };
    for (i, (label, value)) in SERIES.iter().enumerate() {
        let data: Vec<u64> = t.points.iter().map(|p| value(p) as u64).collect();
        draw_row(frame, app, row(i), label, &data, true);
    }
    let months_at = SERIES.len() + 1;
    if let (Some(first), Some(last)) = (t.months.first(), t.months.last()) {
        let title = format!("by month, {} → {}", first.month, last.month);
        frame.render_widget(
            Paragraph::new(Line::styled(title, theme.header)),
            row(SERIES.len()),
        );
    }
    let months = every_month(&t.months);
    for (i, (label, value)) in MONTHLY.iter().enumerate() {
        let data: Vec<u64> = months
            .iter()
            .map(|m| m.map_or(0, |m| value(m) as u64))
            .collect();
        draw_row(frame, app, row(months_at + i), label, &data, false);
    }
}

/// Every month from the first to the last (the list has only months with events): a
/// quiet month is a zero in the chart, not a gap closed up.
fn every_month(months: &[Month]) -> Vec<Option<&Month>> {
    let key = |m: &str| -> Option<(i32, u32)> {
        let (y, mo) = m.split_once('-')?;
        Some((y.parse().ok()?, mo.parse().ok()?))
    };
    let (Some(first), Some(last)) = (
        months.first().and_then(|m| key(&m.month)),
        months.last().and_then(|m| key(&m.month)),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut mo) = first;
    while (y, mo) <= last && out.len() < 1200 {
        let name = format!("{y:04}-{mo:02}");
        out.push(months.iter().find(|m| m.month == name));
        (y, mo) = if mo == 12 { (y + 1, 1) } else { (y, mo + 1) };
    }
    out
}

/// The period and how many points.
fn header(t: &Trends) -> Line<'static> {
    match (t.points.first(), t.points.last()) {
        (Some(a), Some(b)) => Line::raw(format!(
            "{} → {}, {} points (one per day with commits)",
            a.date,
            b.date,
            t.points.len()
        )),
        _ => Line::raw("no commits to chart yet"),
    }
}

/// `label  latest (±change over the period)  ▁▂▅▇` on one row; a monthly count shows the
/// last month's, without a change.
fn draw_row(frame: &mut Frame, app: &App, area: Rect, label: &str, data: &[u64], change: bool) {
    if area.y >= frame.area().bottom() {
        return;
    }
    let theme = &app.theme;
    let latest = data.last().copied().unwrap_or(0);
    let first = data.first().copied().unwrap_or(0);
    let change = match latest as i64 - first as i64 {
        d if d != 0 && change => format!(" ({d:+})"),
        _ => String::new(),
    };
    let [l, v, s] = Layout::horizontal([
        Constraint::Length(LABEL as u16),
        Constraint::Length(VALUE as u16),
        Constraint::Min(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(label.to_string(), theme.muted)),
        l,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(format!("{latest}{change}"), theme.base)),
        v,
    );
    // The last points, as many as fit: one column each.
    let from = data.len().saturating_sub(usize::from(s.width));
    frame.render_widget(
        Sparkline::default().data(&data[from..]).style(theme.header),
        s,
    );
}

/// Eight heights of a sparkline, in block characters (the same in monochrome).
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A series as `width` block characters over the whole period: each column the latest
/// value of its share of the points, scaled to the largest value (all zero: a flat line).
pub fn spark_text(values: &[usize], width: usize) -> String {
    if values.is_empty() || width == 0 {
        return String::new();
    }
    let columns = width.min(values.len());
    let max = values.iter().copied().max().unwrap_or(0);
    (1..=columns)
        .map(|c| {
            let v = values[c * values.len() / columns - 1];
            BARS[(v * (BARS.len() - 1)).checked_div(max).unwrap_or(0)]
        })
        .collect()
}

/// Home's sparkline for one series, when the trends are read and have points: nothing
/// before the worker answers, nor outside git.
pub fn home_spark(app: &App, value: fn(&Point) -> usize, width: usize) -> Option<Span<'static>> {
    let t = app.panes.trends.ready()?;
    let values: Vec<usize> = t.points.iter().map(value).collect();
    (values.len() > 1)
        .then(|| Span::styled(format!(" {}", spark_text(&values, width)), app.theme.header))
}

/// Home's trend block: overdue, due soon and open NCs over the committed history, one
/// sparkline each; nothing until the trends are read, nor outside git.
pub fn home_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let rows: [Series<Point>; 3] = [
        ("overdue", |p| p.overdue),
        ("due soon", |p| p.due_soon),
        ("open NCs", |p| p.ncs_open),
    ];
    let Some(t) = app.panes.trends.ready().filter(|t| t.points.len() > 1) else {
        return Vec::new();
    };
    let spark = width.saturating_sub(10).min(30);
    let mut out = vec![
        Line::from(""),
        Line::styled(
            format!("Trend since {}", t.points[0].date),
            app.theme.header,
        ),
    ];
    for (name, value) in rows {
        let mut line = vec![Span::styled(format!(" {name:<8}"), app.theme.muted)];
        line.extend(home_spark(app, value, spark));
        out.push(Line::from(line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::spark_text;

    #[test]
    fn a_spark_covers_the_whole_period_in_the_columns_it_has() {
        assert_eq!(spark_text(&[0, 7], 10), "▁█", "one column a point at most");
        assert_eq!(spark_text(&[0, 0, 0], 5), "▁▁▁", "all zero: flat");
        // Ten points in five columns: the latest of each pair.
        assert_eq!(spark_text(&[9, 0, 9, 1, 9, 2, 9, 3, 9, 7], 5), "▁▁▂▃▆");
        assert_eq!(spark_text(&[], 5), "");
    }
}

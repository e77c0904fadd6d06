//! A metric's measurements as a small bar chart against its threshold, drawn as text lines
//! so it scrolls with the rest of a record's detail (a ratatui `Chart` widget needs a fixed
//! area of its own, which the scrolling detail cannot give it). Readable in monochrome: the
//! threshold is a dashed row, the target a dotted one, and each breach is marked `!` under
//! its bar as well as coloured.

use super::theme::Theme;
use crate::domain::Record;
use crate::rules::metric::{Point, Series};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Bar rows: six rows of eighths, 48 levels.
const ROWS: usize = 6;
/// The newest measurements shown (two columns each: fits 80 columns with its labels).
const MAX_POINTS: usize = 24;
const AXIS_W: usize = 8;
const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The chart lines of a metric: a heading, the bars with the threshold (and target) line,
/// the breach marks and the first and last dates. One line when there is nothing to draw.
pub fn metric_lines(t: &Theme, record: &Record) -> Vec<Line<'static>> {
    let series = Series::of(&record.fields);
    let shown = &series.points[series.points.len().saturating_sub(MAX_POINTS)..];
    let Some(last) = shown.last() else {
        return vec![Line::from(Span::styled(
            "Measurements: none yet — add the first with e (Measurements › a)",
            t.muted,
        ))];
    };
    let mut out = vec![heading(t, &series, shown, last)];
    let (lo, step, threshold_row) = scale(&series, shown);
    let hi = lo + step * ROWS as f64;
    let row_of = |v: f64| (((v - lo) / step).floor().max(0.0) as usize).min(ROWS - 1);
    let target_row = series
        .target
        .map(row_of)
        .filter(|r| Some(*r) != threshold_row);
    // Each bar's height in eighths of a row; at least one, so every measurement shows.
    let heights: Vec<usize> = shown
        .iter()
        .map(|p| {
            ((((p.value - lo) / (hi - lo)) * (ROWS * 8) as f64).round() as usize).clamp(1, ROWS * 8)
        })
        .collect();
    for row in (0..ROWS).rev() {
        let label = if Some(row) == threshold_row {
            series.threshold.map(fmt).unwrap_or_default()
        } else if Some(row) == target_row {
            series.target.map(fmt).unwrap_or_default()
        } else if row == ROWS - 1 {
            fmt(hi)
        } else if row == 0 {
            fmt(lo)
        } else {
            String::new()
        };
        let tick = if label.is_empty() { '│' } else { '┤' };
        let fill = if Some(row) == threshold_row {
            '╌'
        } else if Some(row) == target_row {
            '·'
        } else {
            ' '
        };
        let mut spans = vec![Span::styled(
            format!("{label:>w$}{tick}", w = AXIS_W - 1),
            t.muted,
        )];
        for (p, h) in shown.iter().zip(&heights) {
            let eighths = h.saturating_sub(row * 8).min(8);
            let (c, style) = if eighths == 0 {
                (fill, t.muted)
            } else {
                (EIGHTHS[eighths], bar_style(t, p))
            };
            spans.push(Span::styled(c.to_string(), style));
            spans.push(Span::styled(fill.to_string(), t.muted));
        }
        if Some(row) == threshold_row {
            spans.push(Span::styled(" threshold", t.muted));
        } else if Some(row) == target_row {
            spans.push(Span::styled(" target", t.muted));
        }
        out.push(Line::from(spans));
    }
    // The breach marks, under their bars.
    let mut marks = vec![Span::raw(format!("{:w$}", "", w = AXIS_W))];
    for p in shown {
        let (mark, style) = if p.breach {
            ("!", t.error)
        } else {
            (" ", t.base)
        };
        marks.push(Span::styled(format!("{mark} "), style));
    }
    out.push(Line::from(marks));
    let first = &shown[0].date_text;
    out.push(Line::from(Span::styled(
        format!("{:w$}{first} … {}", "", last.date_text, w = AXIS_W),
        t.muted,
    )));
    out
}

/// "Measurements (12 of 12) · latest 0.27 on 2026-11-15 · 1 breach above 0.25 (!)".
fn heading(t: &Theme, series: &Series, shown: &[Point], last: &Point) -> Line<'static> {
    let breaches = shown.iter().filter(|p| p.breach).count();
    let unit = series
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let mut spans = vec![
        Span::styled(
            if shown.len() < series.points.len() {
                format!(
                    "Measurements (last {} of {})",
                    shown.len(),
                    series.points.len()
                )
            } else {
                format!("Measurements ({})", shown.len())
            },
            t.header,
        ),
        Span::raw(format!(
            " · latest {}{unit} on {}",
            last.value_text, last.date_text
        )),
    ];
    if breaches > 0 {
        let open = series.open_breaches().count();
        let follow = if open > 0 {
            " · N raises an NC, I an incident"
        } else {
            ""
        };
        spans.push(Span::styled(
            format!(
                " · {breaches} breach{} {} {} (!){follow}",
                if breaches == 1 { "" } else { "es" },
                series.breach_side,
                series.threshold_text.trim()
            ),
            t.error,
        ));
    }
    Line::from(spans)
}

fn bar_style(t: &Theme, p: &Point) -> Style {
    if p.breach { t.error } else { t.ok }
}

/// The scale: the value at the bottom, the value of one row, and the row the threshold
/// line is drawn on. The threshold falls exactly on the bottom edge of its row, so a bar
/// that reaches into that row crosses it and one that stops below does not: a breach reads
/// right at a glance, to an eighth of a row. Non-negative measures start from zero when
/// that costs less than half the height.
fn scale(series: &Series, shown: &[Point]) -> (f64, f64, Option<usize>) {
    let values = shown
        .iter()
        .map(|p| p.value)
        .chain(series.threshold)
        .chain(series.target);
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
    let lo = if lo >= 0.0 && lo <= hi / 2.0 {
        0.0
    } else {
        lo - span * 0.1
    };
    let hi = hi + span * 0.05;
    let Some(threshold) = series.threshold.filter(|t| *t > lo) else {
        return (lo, (hi - lo) / ROWS as f64, None);
    };
    // Rows below the threshold: as many as its place in the range asks, fewer if the
    // highest value would not fit above it, and at least one above and one below.
    let ideal = (ROWS as f64 * (threshold - lo) / (hi - lo)).round() as usize;
    let mut below = ideal.clamp(1, ROWS - 1);
    while below > 1 && lo + (threshold - lo) / below as f64 * (ROWS as f64) < hi {
        below -= 1;
    }
    (lo, (threshold - lo) / below as f64, Some(below))
}

/// A number in a few characters: 0.27, 12.5, 1200.
fn fmt(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Map, RecordType, Value};

    fn metric(values: &[f64]) -> Record {
        let mut f = Map::new();
        f.set("id", Value::str("MET-001"));
        f.set("direction", Value::str("max"));
        f.set("threshold", Value::str("0.25"));
        let items = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut m = Map::new();
                m.set("date", Value::str(format!("2026-{:02}-15", i + 1)));
                m.set("value", Value::str(v.to_string()));
                Value::Map(m)
            })
            .collect();
        f.set("measurements", Value::List(items));
        Record {
            kind: RecordType::Metric,
            id: "MET-001".into(),
            fields: f,
            path: "metrics/MET-001.yaml".into(),
            content_hash: 0,
        }
    }

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn draws_the_threshold_row_and_marks_the_breach() {
        let lines = text(&metric_lines(
            &Theme::monochrome(),
            &metric(&[0.1, 0.12, 0.2, 0.27]),
        ));
        assert_eq!(lines.len(), 1 + ROWS + 2, "{lines:#?}");
        assert!(lines[0].contains("1 breach above 0.25"), "{}", lines[0]);
        let threshold = lines.iter().find(|l| l.contains("threshold")).unwrap();
        assert!(threshold.starts_with("   0.25┤"), "{threshold}");
        assert!(threshold.contains('╌'), "{threshold}");
        // Only the last (fourth) bar is marked.
        let marks = &lines[1 + ROWS];
        assert_eq!(marks.trim_end(), format!("{:8}      !", ""));
        assert!(lines[ROWS + 2].contains("2026-01-15 … 2026-04-15"));
        // The heading may wrap; the bars must not (74 columns: the detail at 80).
        assert!(
            lines[1..].iter().all(|l| l.chars().count() <= 74),
            "{lines:#?}"
        );
    }

    #[test]
    fn no_measurement_is_one_line() {
        let lines = text(&metric_lines(&Theme::monochrome(), &metric(&[])));
        assert_eq!(lines.len(), 1);
        assert!(lines[0].contains("none yet"));
    }
}

//! Drawing: a pure function of the app state. Nothing here changes state or does I/O.

mod calendar;
mod heatmap;
mod home;
mod lists;
mod trends;

use super::app::App;
use super::pane::Pane;
pub use super::widgets::truncate;
use super::widgets::width;
use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// The smallest terminal the workbench lays out in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    frame.render_widget(Block::default().style(app.theme.base), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = vec![
            Line::from(Span::styled("terminal too small", app.theme.warning)),
            Line::from(format!(
                "need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}",
                area.width, area.height
            )),
            Line::from(Span::styled("q quits", app.theme.muted)),
        ];
        frame.render_widget(Paragraph::new(msg).style(app.theme.base), area);
        return;
    }
    // A status message longer than the line wraps onto a second one.
    let status_rows = match &app.status {
        Some((msg, _)) if width(&one_line(msg)) + 1 > status_room(app, area.width) => 2,
        _ => 1,
    };
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_rows),
    ])
    .areas(area);
    draw_tabs(frame, app, tabs);
    match app.panes.pane {
        Pane::Home => home::draw(frame, app, body),
        Pane::Risks if app.panes.heat.register => lists::draw_pane(frame, app, Pane::Risks, body),
        Pane::Risks => heatmap::draw(frame, app, body),
        Pane::Calendar => calendar::draw(frame, app, body),
        Pane::Problems => lists::draw_problems(frame, app, body),
        Pane::Trends => trends::draw(frame, app, body),
        pane => lists::draw_pane(frame, app, pane, body),
    }
    let cx = app.cx();
    for layer in app.stack.iter() {
        layer.draw(frame, body, &cx);
    }
    draw_status(frame, app, status);
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    draw_tabs_of(frame, &app.theme, app.panes.pane, area);
}

/// The pane bar, with `current` highlighted.
fn draw_tabs_of(frame: &mut Frame, theme: &super::theme::Theme, current: Pane, area: Rect) {
    let mut spans = vec![Span::styled(" aims ", theme.title)];
    let mut width = 6usize;
    let labels: Vec<(Pane, String)> = Pane::ALL
        .iter()
        .map(|p| {
            let digit = p.digit().map(|d| format!("{d} ")).unwrap_or_default();
            (*p, format!(" {digit}{} ", p.title()))
        })
        .collect();
    // Start far enough left that the active tab is visible in a narrow terminal.
    let active = labels.iter().position(|(p, _)| *p == current).unwrap_or(0);
    let mut start = 0;
    while start < active
        && labels[start..=active]
            .iter()
            .map(|(_, l)| super::widgets::width(l))
            .sum::<usize>()
            + 8
            > area.width as usize
    {
        start += 1;
    }
    if start > 0 {
        spans.push(Span::styled("‹", theme.muted));
        width += 1;
    }
    for (pane, label) in &labels[start..] {
        let w = super::widgets::width(label);
        if width + w > area.width as usize {
            spans.push(Span::styled("›", theme.muted));
            break;
        }
        let style = if *pane == current {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(label.clone(), style));
        width += w;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.tab), area);
}

/// Who and when, at the right of the status bar.
fn who(app: &App) -> String {
    let who = match (&app.user, app.read_only) {
        (Some(u), false) => u.clone(),
        (Some(u), true) => format!("{u} (read-only)"),
        (None, true) => "read-only".to_string(),
        (None, false) => "unknown user".to_string(),
    };
    // Records with uncommitted changes, from git (nothing outside git, or when clean).
    let git = app
        .panes
        .repo
        .summary()
        .map(|s| format!(" {s} ·"))
        .unwrap_or_default();
    format!("{git} {} · {} ", one_line(&who), app.today)
}

/// The columns left of who and when.
fn status_room(app: &App, total: u16) -> usize {
    (total as usize).saturating_sub(width(&who(app)))
}

/// The hints of what is active now: the top layer's, or the pane's keys.
fn current_hints(app: &App) -> Vec<(String, String)> {
    match app.stack.last() {
        Some(top) => top.hints(),
        None => super::keys::hints(&app.panes.scopes())
            .into_iter()
            // Home and Problems have no filter: `/` is not offered there.
            .filter(|(k, _)| *k != "/" || !matches!(app.panes.pane, Pane::Home | Pane::Problems))
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect(),
    }
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let right = who(app);
    let left_width = status_room(app, area.width);
    let mut spans: Vec<Span> = Vec::new();
    if let Some((msg, error)) = &app.status {
        let style = if *error {
            app.theme.error
        } else {
            app.theme.ok
        };
        // Two lines at most; `!` shows the whole message.
        let room = left_width.saturating_sub(1) * area.height as usize;
        spans.push(Span::styled(
            format!(" {}", truncate(&one_line(msg), room)),
            style,
        ));
    } else {
        let hints = current_hints(app);
        // The key that opens help here (F1 where `?` is typed text).
        let scopes = app.key_scopes();
        let keymap = super::keys::keymap();
        let help_key = scopes
            .iter()
            .chain([&super::keys::Scope::Global])
            .find_map(|s| {
                keymap
                    .in_scope(*s)
                    .find(|b| b.action == super::keys::Action::Help)
            })
            .map_or("?".to_string(), |b| b.hint_key.clone());
        let piece = |key: &str, label: &str| width(&format!(" {key} {label} "));
        // When they do not all fit, keep room for "? more" at the end.
        let all: usize = hints.iter().map(|(k, l)| piece(k, l)).sum();
        let reserve = if all > left_width { 8 } else { 0 };
        let mut used = 0;
        for (key, label) in hints {
            if used + piece(&key, &label) + reserve > left_width {
                spans.push(Span::styled(format!(" {help_key}"), app.theme.key));
                spans.push(Span::styled(" more", app.theme.muted));
                break;
            }
            used += piece(&key, &label);
            if !key.is_empty() {
                spans.push(Span::styled(format!(" {key}"), app.theme.key));
            }
            spans.push(Span::styled(format!(" {label} "), app.theme.muted));
        }
    }
    let [left, right_area] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(width(&right) as u16)])
            .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(spans))
            .wrap(ratatui::widgets::Wrap { trim: false })
            .style(app.theme.tab),
        left,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(right, app.theme.tab)),
        right_area,
    );
}

/// A bordered block with a title, in the theme.
pub fn block<'a>(app: &App, title: &'a str) -> Block<'a> {
    super::widgets::block(&app.theme, title)
}

pub fn styled(text: impl Into<String>, style: Style) -> Span<'static> {
    Span::styled(text.into(), style)
}

/// A due kind in at most six characters: the width of the kind column of the agendas.
pub fn short_kind(kind: crate::rules::due::DueKind) -> &'static str {
    use crate::rules::due::DueKind;
    match kind {
        DueKind::Review => "review",
        DueKind::ImpactAssessmentRefresh => "IA",
        DueKind::CorrectiveAction => "NC",
        DueKind::RiskTreatment => "treat",
        DueKind::Audit | DueKind::InternalAudit => "audit",
        DueKind::ManagementReview => "MR",
        DueKind::ReviewAction => "action",
        DueKind::Objective => "goal",
        DueKind::AcceptanceRenewal => "accept",
        DueKind::IncidentReport => "report",
        DueKind::Training => "train",
        DueKind::Communication => "comms",
        DueKind::Measurement => "metric",
    }
}

/// The rows to build for a list of `len` rows showing `height` of them with the cursor in
/// view: `(first, cursor within the window)`. Only visible rows are built, so a frame costs
/// the same for 10 records or 10,000.
pub fn window(len: usize, cursor: usize, height: usize) -> (std::ops::Range<usize>, usize) {
    let height = height.max(1);
    let cursor = cursor.min(len.saturating_sub(1));
    let first = cursor.saturating_sub(height - 1);
    (first..(first + height).min(len), cursor - first)
}

/// The screen while the workspace loads: the pane bar, a gauge of record files read, and
/// how to quit. Drawn before anything is read, so the first frame never waits.
pub fn draw_loading(
    frame: &mut Frame,
    theme: &super::theme::Theme,
    root: &std::path::Path,
    read: usize,
    total: Option<usize>,
) {
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.base), area);
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs_of(frame, theme, Pane::Home, tabs);
    let [_, label, gauge, _] = Layout::vertical([
        Constraint::Length(body.height.saturating_sub(3) / 2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(body);
    let shown = one_line(&root.display().to_string());
    let text = match total {
        Some(t) => format!("Loading {shown}… {read} of {t} records read"),
        None => format!("Loading {shown}… {read} records read"),
    };
    frame.render_widget(
        Paragraph::new(text)
            .style(theme.base)
            .alignment(ratatui::layout::Alignment::Center),
        label,
    );
    let ratio = match total {
        Some(t) if t > 0 => (read as f64 / t as f64).clamp(0.0, 1.0),
        _ => 0.0,
    };
    let [_, bar, _] = Layout::horizontal([
        Constraint::Percentage(20),
        Constraint::Percentage(60),
        Constraint::Percentage(20),
    ])
    .areas(gauge);
    frame.render_widget(
        ratatui::widgets::Gauge::default()
            .ratio(ratio)
            .gauge_style(theme.tab_active)
            .label(""),
        bar,
    );
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(" q quit", theme.muted))).style(theme.tab),
        status,
    );
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn the_window_keeps_the_cursor_in_view() {
        assert_eq!(window(100, 0, 10), (0..10, 0));
        assert_eq!(window(100, 9, 10), (0..10, 9));
        assert_eq!(window(100, 10, 10), (1..11, 9));
        assert_eq!(window(100, 99, 10), (90..100, 9));
        assert_eq!(window(3, 2, 10), (0..3, 2));
        assert_eq!(window(0, 0, 10), (0..0, 0));
    }
}

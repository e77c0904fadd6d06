//! Drawing: a pure function of the app state. Nothing here changes state or does I/O.

mod calendar;
mod detail;
mod form;
mod heatmap;
mod home;
mod lists;
mod popups;
mod walk;

use super::app::App;
use super::keys;
use super::pane::Pane;
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
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, app, tabs);
    match app.pane {
        Pane::Home => home::draw(frame, app, body),
        Pane::Risks => heatmap::draw(frame, app, body),
        Pane::Calendar => calendar::draw(frame, app, body),
        Pane::Problems => lists::draw_problems(frame, app, body),
        pane => lists::draw_pane(frame, app, pane, body),
    }
    if let Some(w) = &app.walk {
        walk::draw(frame, app, w, body);
    }
    if let Some(f) = &app.form {
        form::draw(frame, app, f, body);
    }
    draw_status(frame, app, status);
    for popup in &app.popups {
        popups::draw(frame, app, popup, body);
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    draw_tabs_of(frame, &app.theme, app.pane, area);
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
            .map(|(_, l)| l.chars().count())
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
        let w = label.chars().count();
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

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let who = match (&app.user, app.read_only) {
        (Some(u), false) => u.clone(),
        (Some(u), true) => format!("{u} (read-only)"),
        (None, true) => "read-only".to_string(),
        (None, false) => "unknown user".to_string(),
    };
    let right = format!(" {} · {} ", one_line(&who), app.today);
    let left_width = (area.width as usize).saturating_sub(right.chars().count());
    let mut spans: Vec<Span> = Vec::new();
    if let Some((msg, error)) = &app.status {
        let style = if *error {
            app.theme.error
        } else {
            app.theme.ok
        };
        spans.push(Span::styled(
            format!(
                " {}",
                truncate(&one_line(msg), left_width.saturating_sub(1))
            ),
            style,
        ));
    } else if let Some(list) = app.list(app.pane).filter(|l| l.filtering) {
        spans.push(Span::styled(" filter: ", app.theme.key));
        spans.push(Span::raw(format!("{}▏", one_line(&list.filter))));
        spans.push(Span::styled("  Enter keep · Esc clear", app.theme.muted));
    } else if let Some(popup) = app.popups.last() {
        use super::app::Popup;
        match popup {
            // Lists of keys: from the keymap, after what typing does.
            Popup::Help { .. } | Popup::Finder { .. } | Popup::Record { .. } => {
                let typing = match popup {
                    Popup::Help { .. } => " type to filter ·",
                    Popup::Finder { .. } => " type to search ·",
                    _ => "",
                };
                spans.push(Span::styled(typing, app.theme.muted));
                let room = left_width.saturating_sub(typing.chars().count());
                let scopes = [popup.scope()];
                let hints = keys::keymap().hints_only(&scopes);
                spans.extend(hint_spans(hints, &scopes, room, &app.theme));
            }
            _ => spans.push(Span::styled(
                format!(" {}", popup_hint(popup)),
                app.theme.muted,
            )),
        }
    } else if let Some(super::form::Editor::Pick(p)) = app
        .form
        .as_ref()
        .filter(|f| f.dialog.is_none())
        .and_then(|f| f.editor.as_ref())
    {
        // A picker: its keys from the keymap; Space ticks only where several may be chosen.
        let typing = " type to filter ·";
        spans.push(Span::styled(typing, app.theme.muted));
        let keymap = keys::keymap();
        let tick = keymap
            .in_scope(keys::Scope::Picker)
            .find(|b| b.action == keys::Action::Toggle)
            .and_then(|b| b.hint.as_deref());
        let hints = keymap
            .hints_only(&[keys::Scope::Picker])
            .into_iter()
            .filter(|(_, label)| p.multi || Some(*label) != tick)
            .collect();
        let room = left_width.saturating_sub(typing.chars().count());
        spans.extend(hint_spans(hints, &[keys::Scope::Picker], room, &app.theme));
    } else if let Some(f) = app
        .form
        .as_ref()
        .filter(|f| f.dialog.is_some() || f.editor.is_some())
    {
        spans.push(Span::styled(format!(" {}", form::hint(f)), app.theme.muted));
    } else if let Some(editor) = app.walk.as_ref().and_then(|w| w.editor.as_ref()) {
        let hint = match editor {
            super::walk::WalkEditor::Notes { .. } => " type (Enter: new line) · Esc keep",
            super::walk::WalkEditor::Complete(_) => " Tab next field · Enter complete · Esc cancel",
            super::walk::WalkEditor::Reopen(_) => " type the reason · Enter reopen · Esc cancel",
            _ => " type · Enter next · Esc cancel",
        };
        spans.push(Span::styled(hint, app.theme.muted));
    } else {
        // The form's fields, the walk, or a pane: the hints of its keys.
        let scopes = app.key_scopes();
        let hints = keys::keymap().hints_only(&scopes);
        spans.extend(hint_spans(hints, &scopes, left_width, &app.theme));
    }
    let [left, right_area] = Layout::horizontal([
        Constraint::Min(1),
        Constraint::Length(right.chars().count() as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)).style(app.theme.tab), left);
    frame.render_widget(
        Paragraph::new(Span::styled(right, app.theme.tab)),
        right_area,
    );
}

/// The hints of `scopes` that fit in `width`; when some do not, the last says where the
/// rest are (`? more`).
fn hint_spans(
    hints: Vec<(&str, &str)>,
    scopes: &[keys::Scope],
    width: usize,
    theme: &super::theme::Theme,
) -> Vec<Span<'static>> {
    let keymap = keys::keymap();
    let help_key = scopes
        .iter()
        .find_map(|s| keymap.in_scope(*s).find(|b| b.action == keys::Action::Help))
        .map_or("?", |b| b.hint_key.as_str());
    let more = format!(" {help_key} more ");
    let widths: Vec<usize> = hints
        .iter()
        .map(|(k, l)| format!(" {k} {l} ").chars().count())
        .collect();
    let all_fit = widths.iter().sum::<usize>() <= width;
    let room = if all_fit {
        width
    } else {
        width.saturating_sub(more.chars().count())
    };
    let mut spans = Vec::new();
    let mut used = 0;
    for ((key, label), w) in hints.iter().zip(widths) {
        if used + w > room {
            break;
        }
        used += w;
        spans.push(Span::styled(format!(" {key}"), theme.key));
        spans.push(Span::styled(format!(" {label} "), theme.muted));
    }
    if !all_fit {
        spans.push(Span::styled(format!(" {help_key}"), theme.key));
        spans.push(Span::styled(" more ", theme.muted));
    }
    spans
}

/// Cuts text to `max` characters, with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else if max == 0 {
        String::new()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// A bordered block with a title, in the theme.
pub fn block<'a>(app: &App, title: &'a str) -> Block<'a> {
    Block::bordered()
        .border_style(app.theme.border)
        .title(Span::styled(format!(" {title} "), app.theme.title))
        .style(app.theme.base)
}

pub fn styled(text: impl Into<String>, style: Style) -> Span<'static> {
    Span::styled(text.into(), style)
}

/// A due kind in at most eight characters, for narrow agenda columns.
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
        DueKind::Training => "training",
        DueKind::Communication => "comms",
        DueKind::Measurement => "measure",
    }
}

/// What the keys do in a popup, for the status bar.
fn popup_hint(popup: &super::app::Popup) -> &'static str {
    use super::app::Popup;
    match popup {
        // Drawn from the keymap.
        Popup::Help { .. } | Popup::Finder { .. } | Popup::Record { .. } => "",
        Popup::ReviewNote { .. } | Popup::RescheduleReason { .. } => {
            "type · Enter save · Esc cancel"
        }
        Popup::RescheduleDate { .. } => "YYYY-MM-DD, t or +7d · Enter next · Esc cancel",
        Popup::PersonPicker { .. } => "↑↓ choose · Enter reassign · Esc cancel",
        Popup::Message { .. } => "Esc close",
        Popup::ConfirmDelete { .. } => "Enter deletes (moved to .aims/trash) · Esc keeps it",
        Popup::ChooseKind { .. } => "↑↓ choose · Enter create · Esc cancel",
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

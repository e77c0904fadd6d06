//! The risk heat map: likelihood × impact from aims.yaml, cells coloured by band with the
//! count of risks in each; the risks of the selected cell listed beside it.

use super::super::app::App;
use super::super::pane::Pane;
use super::{block, truncate};
use crate::domain::text::one_line;
use crate::rules::due::next_review;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

const CELL_W: usize = 5;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let method = &app.ws.settings.risk;
    let (nl, ni) = (method.likelihood.len(), method.impact.len());
    let map_width = (10 + nl * CELL_W + 2) as u16;
    let [left, right] =
        Layout::horizontal([Constraint::Length(map_width.max(36)), Constraint::Min(30)])
            .areas(area);
    let t = &app.theme;

    // Counts per cell, over the risks the filter keeps.
    let shown: Vec<usize> = app
        .panes
        .list(Pane::Risks)
        .map(|l| l.rows.clone())
        .unwrap_or_default();
    let mut counts = vec![vec![0usize; ni + 1]; nl + 1];
    for &i in &shown {
        if let Some((l, im)) = app.panes.risk_cell(&app.ws.records[i])
            && (1..=nl as u32).contains(&l)
            && (1..=ni as u32).contains(&im)
        {
            counts[l as usize][im as usize] += 1;
        }
    }
    let mut lines: Vec<Line> = Vec::new();
    let mode = if app.panes.heat.residual {
        "residual"
    } else {
        "inherent"
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{mode} · "), t.header),
        Span::styled("i toggles", t.muted),
    ]));
    for im in (1..=ni).rev() {
        let label = truncate(&one_line(&method.impact[im - 1]), 9);
        let mut spans = vec![Span::styled(format!("{label:>9} "), t.muted)];
        for (l, column) in counts.iter().enumerate().skip(1) {
            let band = method.band_index((l * im) as u32);
            let mut style = t.band(band);
            let n = column[im];
            let selected = app.panes.heat.cell == (l as u32, im as u32);
            let text = if n == 0 {
                "·".to_string()
            } else {
                n.to_string()
            };
            let text = if selected { format!("[{text}]") } else { text };
            if selected {
                style = style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
            }
            spans.push(Span::styled(format!("{text:^CELL_W$}"), style));
        }
        lines.push(Line::from(spans));
    }
    let mut axis = vec![Span::raw(" ".repeat(10))];
    for l in 1..=nl {
        axis.push(Span::styled(
            format!(
                "{:^CELL_W$}",
                truncate(&one_line(&method.likelihood[l - 1]), CELL_W - 1)
            ),
            t.muted,
        ));
    }
    lines.push(Line::from(axis));
    lines.push(Line::from(Span::styled(
        format!("{:>10}likelihood →   ↑ impact", ""),
        t.muted,
    )));
    lines.push(Line::from(""));
    for (i, b) in method.bands.iter().enumerate() {
        let mark = if i == method.appetite {
            "  ← appetite"
        } else {
            ""
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {:^10} ", one_line(&b.name)), t.band(i)),
            Span::styled(format!(" up to {}{mark}", b.max), t.muted),
        ]));
    }
    if let Some(l) = app.panes.list(Pane::Risks).filter(|l| !l.filter.is_empty()) {
        lines.push(Line::from(Span::styled(
            format!("filter: {}", one_line(&l.filter)),
            t.warning,
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(app, &format!("Heat map ({})", shown.len()))),
        left,
    );

    let (l, im) = app.panes.heat.cell;
    let risks = app.panes.cell_risks_filtered(&app.ws, &shown);
    // The count first: a narrow column cuts the band, never how many risks there are.
    let title = format!(
        "{} risk{} · {} × {} = {} ({})",
        risks.len(),
        if risks.len() == 1 { "" } else { "s" },
        truncate(
            &one_line(&method.likelihood[(l as usize).saturating_sub(1).min(nl - 1)]),
            12
        ),
        truncate(
            &one_line(&method.impact[(im as usize).saturating_sub(1).min(ni - 1)]),
            12
        ),
        l * im,
        one_line(method.band(l * im)),
    );
    // Inside the border with a space each side, whatever the labels' length.
    let title = truncate(&title, right.width.saturating_sub(4) as usize);
    // The review date only where there is room for it next to the title.
    // Score, treatment, owner and next review always; the title where there is room (the
    // selected risk's detail below shows it in any case).
    let wide = right.width >= 70;
    let rows = risks.iter().map(|r| {
        let score = crate::rules::specs::residual_score(&r.fields).unwrap_or(0);
        let next = next_review(&r.fields, r.kind, &app.ws.settings).map(|d| d.to_string());
        let mut cells = vec![
            Cell::from(one_line(&r.id)),
            Cell::from(score.to_string()),
            Cell::from(one_line(&r.fields.text("treatment").unwrap_or_default())),
            Cell::from(one_line(&r.fields.text("owner").unwrap_or_default())),
            Cell::from(next.unwrap_or_default()),
        ];
        if wide {
            cells.push(Cell::from(one_line(&r.title())));
        }
        Row::new(cells)
    });
    let mut widths = vec![
        Constraint::Length(8),
        Constraint::Length(3),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(10),
    ];
    let mut header = vec!["Risk", "Res", "Treat", "Owner", "Review"];
    if wide {
        widths.push(Constraint::Min(10));
        header.push("Title");
    }
    let table = Table::new(rows, widths)
        .column_spacing(1)
        .header(Row::new(header).style(t.header))
        .row_highlight_style(t.selection)
        .block(block(app, &title));
    // The selected risk's detail under the list.
    let [list_area, detail_area] = Layout::vertical([
        Constraint::Length((risks.len() as u16 + 3).clamp(5, right.height / 2)),
        Constraint::Min(3),
    ])
    .areas(right);
    let mut state =
        TableState::default().with_selected((!risks.is_empty()).then_some(app.panes.heat.cursor));
    frame.render_stateful_widget(table, list_area, &mut state);
    let lines = match risks.get(app.panes.heat.cursor) {
        Some(r) => super::super::detail::lines(&app.cx(), r, None, None),
        None => vec![Line::from(Span::styled(
            "no risk in this cell: move with the arrows",
            t.muted,
        ))],
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(block(app, "Risk")),
        detail_area,
    );
}

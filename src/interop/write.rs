//! Sheets written out: CSV (RFC 4180), an XLSX workbook, Markdown and HTML tables.

use super::cells::Cell;
use super::register::Sheet;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

/// The facts every export carries: on the XLSX cover sheet and above Markdown/HTML tables.
pub struct Cover {
    pub organization: String,
    pub scope: String,
    pub exported_on: crate::domain::dates::Date,
    pub aims_version: &'static str,
    /// The formal SoA's document control: `--version` and `--approved-by`.
    pub doc_version: Option<String>,
    pub approved_by: Option<String>,
    /// More facts a report adds (its summary).
    pub extra: Vec<(&'static str, String)>,
}

impl Cover {
    /// `(label, value)` in the order shown.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let mut v = vec![
            ("Organization", self.organization.clone()),
            ("AIMS scope", self.scope.clone()),
            ("Export date", self.exported_on.to_string()),
            (
                "Produced by",
                format!("AIMS Workbench {}", self.aims_version),
            ),
        ];
        if let Some(x) = &self.doc_version {
            v.push(("Document version", x.clone()));
        }
        if let Some(x) = &self.approved_by {
            v.push(("Approved by", x.clone()));
        }
        v.extend(self.extra.iter().cloned());
        v
    }
}

/// The UTF-8 byte order mark: Excel reads a CSV as UTF-8 only when it starts with one.
pub const BOM: &str = "\u{feff}";

/// One sheet as CSV (RFC 4180: CRLF rows, fields quoted when needed). Line breaks inside a
/// cell are kept (quoted), so long text reads back unchanged. A cell a spreadsheet would
/// run as a formula gets a leading apostrophe, which `aims import` removes again.
pub fn csv(sheet: &Sheet, bom: bool) -> String {
    let mut o = String::new();
    if bom {
        o.push_str(BOM);
    }
    let header: Vec<String> = sheet.columns.iter().map(|c| csv_field(&c.header)).collect();
    o.push_str(&header.join(","));
    o.push_str("\r\n");
    for row in &sheet.rows {
        let cells: Vec<String> = row.iter().map(|c| csv_field(&c.text())).collect();
        o.push_str(&cells.join(","));
        o.push_str("\r\n");
    }
    o
}

fn csv_field(s: &str) -> String {
    let mut s = s.replace("\r\n", "\n");
    if s.starts_with(['=', '+', '-', '@']) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\r', '\n', ';']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Column width in characters: the longest line of the header or a cell, within bounds, so
/// long text wraps in a readable column instead of a screen-wide one.
fn width(sheet: &Sheet, col: usize) -> f64 {
    let longest = sheet
        .rows
        .iter()
        .map(|r| match &r[col] {
            Cell::Date(_) => 10,
            c => c
                .text()
                .lines()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0),
        })
        .chain(std::iter::once(
            sheet.columns[col].header.chars().count() + 3,
        ))
        .max()
        .unwrap_or(8);
    longest.clamp(6, 60) as f64 + 1.0
}

/// Text longer than this wraps (with the column at most 60 wide).
const WRAP_AT: usize = 50;

/// The workbook: a cover sheet, then one sheet per register.
pub fn xlsx(sheets: &[Sheet], cover: &Cover) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_align(FormatAlign::Top);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(0xD9E1F2);
    let top = Format::new().set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left);

    let about = wb.add_worksheet();
    about.set_name("About")?;
    about.write_string_with_format(0, 0, "AIMS Workbench export", &bold)?;
    for (i, (k, v)) in cover.facts().iter().enumerate() {
        let row = i as u32 + 2;
        about.write_string_with_format(row, 0, *k, &bold)?;
        if *k == "Export date" {
            let d = cover.exported_on;
            about.write_datetime_with_format(row, 1, excel_date(d)?, &date)?;
        } else {
            about.write_string_with_format(row, 1, v, &wrap)?;
            // Readers other than Excel do not grow a row for wrapped text: size it here
            // (about 60 characters a line in the 70-wide column, as LibreOffice prints it).
            let lines = v.chars().count().div_ceil(60).max(1);
            if lines > 1 {
                about.set_row_height(row, 15.0 * lines as f64)?;
            }
        }
    }
    let mut row = cover.facts().len() as u32 + 3;
    about.write_string_with_format(row, 0, "Sheet", &bold)?;
    about.write_string_with_format(row, 1, "Records", &bold)?;
    for s in sheets {
        row += 1;
        about.write_string(row, 0, &s.name)?;
        about.write_number(row, 1, s.rows.len() as f64)?;
    }
    about.set_column_width(0, 20)?;
    about.set_column_width(1, 70)?;
    about.set_print_fit_to_pages(1, 1);

    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name)?;
        for (c, col) in s.columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, &col.header, &head)?;
            ws.set_column_width(c as u16, width(s, c))?;
        }
        for (r, cells) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in cells.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Date(d) => {
                        ws.write_datetime_with_format(r, c, excel_date(*d)?, &date)?;
                    }
                    Cell::Int(n) => {
                        ws.write_number_with_format(r, c, *n as f64, &top)?;
                    }
                    Cell::Bool(b) => {
                        let t = if *b { "yes" } else { "no" };
                        ws.write_string_with_format(r, c, t, &top)?;
                    }
                    Cell::Text(t) => {
                        let long = t.contains('\n') || t.chars().count() > WRAP_AT;
                        ws.write_string_with_format(r, c, t, if long { &wrap } else { &top })?;
                    }
                }
            }
        }
        let last_col = s.columns.len().saturating_sub(1) as u16;
        ws.set_freeze_panes(1, 1)?;
        ws.autofilter(0, 0, s.rows.len() as u32, last_col)?;
        ws.set_landscape();
        // Printed, each page repeats the header row and the id column.
        ws.set_repeat_rows(0, 0)?;
        ws.set_repeat_columns(0, 0)?;
    }
    wb.save_to_buffer()
}

fn excel_date(d: crate::domain::dates::Date) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// Markdown: the facts, then one table per sheet; cells on one line.
pub fn markdown(sheets: &[Sheet], cover: &Cover, title: &str) -> String {
    let mut o = format!("# {title}\n\n");
    for (k, v) in cover.facts() {
        o.push_str(&format!("- **{k}:** {}\n", md(&v)));
    }
    for s in sheets {
        if sheets.len() > 1 {
            o.push_str(&format!("\n## {} ({})\n", s.name, s.rows.len()));
        }
        o.push('\n');
        let heads: Vec<String> = s.columns.iter().map(|c| md(&c.header)).collect();
        o.push_str(&format!("| {} |\n", heads.join(" | ")));
        o.push_str(&format!("|{}\n", "---|".repeat(heads.len())));
        for row in &s.rows {
            let cells: Vec<String> = row.iter().map(|c| md(&c.text())).collect();
            o.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    o
}

/// Markdown-safe one-line text (line breaks become `<br>` inside table cells).
fn md(s: &str) -> String {
    let lines: Vec<String> = s
        .lines()
        .map(|l| {
            let l = crate::domain::text::one_line(l);
            let mut out = String::with_capacity(l.len());
            for c in l.trim().chars() {
                if "\\`*_[]<>|".contains(c) {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        })
        .collect();
    lines.join("<br>")
}

/// HTML: one printable page (landscape), a facts table, then one table per sheet.
pub fn html(sheets: &[Sheet], cover: &Cover, title: &str) -> String {
    html_with(sheets, cover, title, &[])
}

/// [`html`] with figures (inline SVG from [`super::svg`], each `(caption, svg)`) after the
/// facts: the risk register's heat map.
pub fn html_with(
    sheets: &[Sheet],
    cover: &Cover,
    title: &str,
    figures: &[(String, String)],
) -> String {
    let mut b = format!("<h1>{}</h1>\n<table class=\"facts\"><tbody>\n", esc(title));
    for (k, v) in cover.facts() {
        b.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
            esc(k),
            esc(&v)
        ));
    }
    b.push_str("</tbody></table>\n");
    for (caption, svg) in figures {
        b.push_str(&format!(
            "<figure class=\"heat\">\n<figcaption>{}</figcaption>\n{svg}</figure>\n",
            esc(caption)
        ));
    }
    for s in sheets {
        b.push_str(&format!(
            "<h2>{} ({})</h2>\n<table>\n<thead><tr>{}</tr></thead>\n<tbody>\n",
            esc(&s.name),
            s.rows.len(),
            s.columns
                .iter()
                .map(|c| format!("<th>{}</th>", esc(&c.header)))
                .collect::<String>()
        ));
        for row in &s.rows {
            b.push_str("<tr>");
            for (i, c) in row.iter().enumerate() {
                // Ids and dates never break at their hyphens.
                let class = if i == 0 || matches!(c, Cell::Date(_)) {
                    " class=\"nw\""
                } else {
                    ""
                };
                b.push_str(&format!(
                    "<td{class}>{}</td>",
                    esc(&c.text()).replace('\n', "<br>")
                ));
            }
            b.push_str("</tr>\n");
        }
        b.push_str("</tbody>\n</table>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n{b}</body>\n</html>\n",
        esc(title)
    )
}

/// HTML-escapes text (control characters made visible first).
pub fn esc(s: &str) -> String {
    let s = crate::domain::text::sanitize(s, true);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "@page { size: A4 landscape; margin: 10mm; }
body { font-family: Helvetica, Arial, \"Liberation Sans\", sans-serif; font-size: 8pt; color: #111; }
h1 { font-size: 15pt; } figure.heat { margin: 3mm 0; break-inside: avoid; } figure.heat figcaption { font-weight: bold; margin-bottom: 1mm; } svg.heat { width: 120mm; height: auto; }
h2 { font-size: 11pt; margin-top: 6mm; break-after: avoid; }
table { border-collapse: collapse; margin-bottom: 3mm; }
th, td { border: 0.5pt solid #999; padding: 1mm 1.4mm; text-align: left; vertical-align: top; }
thead { display: table-header-group; } thead th { background: #d9e1f2; }
tr { break-inside: avoid; } table.facts th { width: 40mm; } .nw { white-space: nowrap; }
";

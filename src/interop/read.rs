//! Reading a spreadsheet into rows of text: CSV (any delimiter, UTF-8 with or without BOM,
//! Windows-1252) and XLSX/ODS (calamine). Dates in XLSX/ODS come out as ISO text.

use super::cells::excel_serial;
use std::path::Path;

/// The cells of one sheet as text, with the spreadsheet row number of each row (1-based,
/// as the user sees it) for messages.
#[derive(Debug, Clone)]
pub struct Table {
    pub rows: Vec<(usize, Vec<String>)>,
    /// What was detected, said in the dry run: "CSV, UTF-8 with BOM, `;`".
    pub how: String,
}

/// Reads the file by its extension: `.xlsx`, `.xlsm`, `.xls`, `.ods` through calamine,
/// anything else as CSV. `sheet` picks a sheet by name; by default the sheet named like
/// the register (`risks`), else the first that is not the export's cover sheet.
pub fn read(path: &Path, sheet: Option<&str>, register: &str) -> Result<Table, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => workbook(path, sheet, register),
        _ => {
            if sheet.is_some() {
                return Err("--sheet is for XLSX and ODS files; a CSV file has one table".into());
            }
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
            csv_table(&bytes)
        }
    }
}

/// Decodes the bytes (UTF-8, with or without BOM, or Windows-1252) and splits them on the
/// delimiter that the header line uses most: `,`, `;`, tab or `|`.
pub fn csv_table(bytes: &[u8]) -> Result<Table, String> {
    let (text, encoding) = decode(bytes)?;
    let delimiter = sniff(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format!("line {line}: not valid CSV: {e}")
        })?;
        // The spreadsheet's row number: a cell with line breaks is still one row.
        rows.push((rows.len() + 1, rec.iter().map(unformula).collect()));
    }
    let shown = match delimiter {
        b'\t' => "tab".to_string(),
        d => format!("`{}`", d as char),
    };
    Ok(Table {
        rows,
        how: format!("CSV, {encoding}, delimiter {shown}"),
    })
}

/// Undoes the apostrophe `aims export` puts before text that a spreadsheet would run as a
/// formula (`'=x` is the text `=x`).
fn unformula(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => s.to_string(),
    }
}

fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            "the file is UTF-16: save it as \"CSV UTF-8\" (Excel) or UTF-8 (LibreOffice)".into(),
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8 with BOM"))
            .map_err(|e| {
                format!(
                    "not valid UTF-8 after its BOM (byte {})",
                    e.valid_up_to() + 3
                )
            });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    // Not UTF-8. Windows-1252 (what Excel writes for "CSV" on Western Windows) leaves five
    // byte values unassigned and uses none of the C0 controls bar tab and line ends; a file
    // with those is another encoding, and guessing would corrupt its text.
    let unassigned = [0x81u8, 0x8D, 0x8F, 0x90, 0x9D];
    if let Some(pos) = bytes
        .iter()
        .position(|b| unassigned.contains(b) || (*b < 0x20 && !b"\t\r\n".contains(b)))
    {
        return Err(format!(
            "neither UTF-8 nor Windows-1252 (byte 0x{:02X} at offset {pos}): save it as \"CSV UTF-8\"",
            bytes[pos]
        ));
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    Ok((text.into_owned(), "Windows-1252"))
}

/// The delimiter the first line uses most, outside quotes.
fn sniff(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

fn workbook(path: &Path, sheet: Option<&str>, register: &str) -> Result<Table, String> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).map_err(|e| format!("not a readable workbook: {e}"))?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(s))
            .cloned()
            .ok_or_else(|| format!("no sheet `{s}`; the sheets are: {}", names.join(", ")))?,
        None => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(register))
            .or_else(|| names.iter().find(|n| !n.eq_ignore_ascii_case("About")))
            .cloned()
            .ok_or("the workbook has no sheets")?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| format!("sheet `{name}`: {e}"))?;
    let (row0, _) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let cells = r
            .iter()
            .map(|c| match c {
                Data::Empty | Data::Error(_) => String::new(),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                Data::Int(n) => n.to_string(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
                Data::Float(f) => f.to_string(),
                Data::DateTime(d) => excel_serial(d.as_f64())
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| d.as_f64().to_string()),
            })
            .collect();
        rows.push((row0 as usize + i + 1, cells));
    }
    Ok(Table {
        rows,
        how: format!("sheet `{name}` of {}", path.display()),
    })
}

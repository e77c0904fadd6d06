//! Exports, imports, the calendar feed and the crosswalks, through the real binary on
//! copies of the sample workspace and on files the tests make.

mod common;

use aims_workbench::interop::crosswalk::{self, Framework};
use aims_workbench::interop::ics;
use aims_workbench::rules::due::obligations;
use aims_workbench::workspace::Workspace;
use common::{SAMPLE, copy_sample};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::{Command, Output};

fn aims(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aims"))
        .args(args)
        .args(["--today", "2026-11-22"])
        .env_remove("AIMS_TODAY")
        .env_remove("USER")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(args: &[&str]) -> String {
    let o = aims(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}{}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

/// Every file under the workspace (bar aims' own state) with its bytes.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            if e.file_name().to_string_lossy().starts_with(".aims") {
                continue;
            }
            if e.file_type().unwrap().is_dir() {
                walk(root, &e.path(), out);
            } else {
                let rel = e.path().strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    walk(root, root, &mut out);
    out
}

// ---- exports ------------------------------------------------------------------------------

#[test]
fn register_csv_and_markdown_snapshots() {
    let csv = ok(&["export", "risks", SAMPLE, "--format", "csv"]);
    assert!(csv.ends_with("\r\n"));
    assert_eq!(
        csv.matches("\r\n").count(),
        1 + 25,
        "a row per risk, line breaks in cells are LF"
    );
    let header = csv.lines().next().unwrap();
    // The id, the spec's table columns, then every other field in spec order.
    assert!(
        header.starts_with("Id,Title,Category,Treatment,Owner,Status,"),
        "{header}"
    );
    assert!(
        header.contains("Last reviewed,Next review,Review due,Review log"),
        "{header}"
    );
    let csv = ok(&["export", "documents", SAMPLE, "--format", "csv"]);
    insta::assert_snapshot!("interop_documents_csv", csv.replace("\r\n", "⏎\n"));
    let md = ok(&["export", "documents", SAMPLE, "--format", "md"]);
    insta::assert_snapshot!("interop_documents_md", md);
    let html = ok(&["export", "documents", SAMPLE, "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>") && !html.contains("<script"));
    assert!(
        html.contains("<tr><td class=\"nw\">DOC-001</td><td>Artificial Intelligence Policy</td>")
    );
    assert!(html.contains("<td class=\"nw\">2026-01-20</td>"));
}

#[test]
fn csv_bom_only_when_asked() {
    let with = aims(&["export", "soa", SAMPLE, "--format", "csv", "--bom"]);
    assert!(with.stdout.starts_with("\u{feff}Control,".as_bytes()));
    let without = aims(&["export", "soa", SAMPLE, "--format", "csv"]);
    assert!(without.stdout.starts_with(b"Control,"));
    let help = ok(&["export", "--help"]);
    assert!(help.contains("--bom") && help.contains("Excel"), "{help}");
}

#[test]
fn soa_export_has_implementation_reviews_mappings_and_document_control() {
    let md = ok(&[
        "export",
        "soa",
        SAMPLE,
        "--version",
        "3.1",
        "--approved-by",
        "Anne Moreau, CEO",
    ]);
    assert!(md.contains("- **Document version:** 3.1\n"));
    assert!(md.contains("- **Approved by:** Anne Moreau, CEO\n"));
    assert!(md.contains("| Implementation | Review due | Mapped (other frameworks) |"));
    let a_6_2_8 = md.lines().find(|l| l.starts_with("| A.6.2.8 |")).unwrap();
    assert!(
        a_6_2_8.contains("ISO/IEC 27001: A.5.28, A.8.15; NIST AI RMF:")
            || a_6_2_8.contains("ISO/IEC 27001: A.5.28, A.8.15"),
        "{a_6_2_8}"
    );
    let csv = ok(&["export", "soa", SAMPLE, "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    for col in [
        "Implementation",
        "Last reviewed",
        "Review due",
        "Mapped: ISO/IEC 27001",
        "Mapped: EU AI Act",
    ] {
        assert!(header.contains(col), "{col} not in {header}");
    }
    let html = ok(&[
        "export",
        "soa",
        SAMPLE,
        "--format",
        "html",
        "--version",
        "3.1",
    ]);
    assert!(html.contains("<tr><th scope=\"row\">Document version</th><td>3.1</td></tr>"));
}

#[test]
fn xlsx_reads_back_with_sheets_header_dates_and_cover() {
    use calamine::{Data, Reader, open_workbook_auto};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aims.xlsx");
    let p = path.to_str().unwrap();
    ok(&["export", "all", SAMPLE, "--format", "xlsx", "--out", p]);
    let mut wb = open_workbook_auto(&path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[0], "About");
    assert_eq!(names[1], "soa", "the SoA comes first: {names:?}");
    assert!(names.contains(&"risks".to_string()));

    let about = wb.worksheet_range("About").unwrap();
    let text: Vec<String> = about.rows().flatten().map(|c| c.to_string()).collect();
    assert!(text.contains(&"Organization".to_string()));
    assert!(text.iter().any(|t| t.contains("Northwind")), "{text:?}");
    assert!(
        text.iter().any(|t| t.starts_with("AIMS Workbench ")),
        "{text:?}"
    );

    let risks = wb.worksheet_range("risks").unwrap();
    let header: Vec<String> = risks
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(&header[..3], ["Id", "Title", "Category"]);
    let due = header.iter().position(|h| h == "Treatment due").unwrap();
    let row1 = risks.rows().nth(1).unwrap();
    assert_eq!(row1[0].to_string(), "RISK-001");
    match &row1[due] {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 46063.0, "2026-02-10"),
        other => panic!("treatment due is not a date cell: {other:?}"),
    }
    // The long description is one cell, kept whole.
    let desc = header.iter().position(|h| h == "Description").unwrap();
    assert!(row1[desc].to_string().contains("indirect discrimination"));
    // ... and wrapped: its cell's style has wrapText (calamine reads values, not styles,
    // so the style is read from the workbook's XML).
    let sheet = names.iter().position(|n| n == "risks").unwrap() + 1;
    let cell = format!("{}2", column_letters(desc));
    let style = cell_style(&path, sheet, &cell);
    assert!(
        style.contains(r#"wrapText="1""#),
        "{cell} of the risks sheet is not wrapped: {style}"
    );
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
fn column_letters(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// The `<xf …>` element (from `xl/styles.xml`'s `cellXfs`) of cell `cell` on sheet number
/// `sheet` (1-based, as rust_xlsxwriter names them).
fn cell_style(path: &Path, sheet: usize, cell: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let xml = read(&format!("xl/worksheets/sheet{sheet}.xml"));
    let at = xml.find(&format!(r#"<c r="{cell}""#)).expect("the cell");
    let tag = &xml[at..at + xml[at..].find('>').unwrap()];
    let index: usize = tag
        .split(r#" s=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map_or(0, |s| s.parse().unwrap());
    let styles = read("xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    xfs.split("<xf ")
        .skip(1)
        .nth(index)
        .map(str::to_string)
        .unwrap_or_default()
}

/// A risk register row as a GRC tool would give it: every field a new risk needs.
const RISK_HEADER: &str = "Title,Description,Systems,Category,Likelihood,Impact,Residual likelihood,Residual impact,Treatment,Annex A controls,Treatment plan,Treatment due,Owner,Status";

fn risk_row(title: &str, system: &str, likelihood: &str, owner: &str, status: &str) -> String {
    format!(
        "{title},\"Cause, event and consequence.\",{system},privacy,{likelihood},4,1,2,mitigate,\"A.6.2.4; A.7.4\",Filter outputs,2027-01-31,{owner},{status}"
    )
}

// ---- imports ------------------------------------------------------------------------------

#[test]
fn export_then_import_changes_nothing() {
    let ws = copy_sample();
    let d = ws.path().to_str().unwrap();
    let before = snapshot(ws.path());
    let out = ws.path().join("..").join(format!(
        "{}-x",
        ws.path().file_name().unwrap().to_string_lossy()
    ));
    std::fs::create_dir_all(&out).unwrap();
    for t in [
        "systems",
        "risks",
        "suppliers",
        "documents",
        "incidents",
        "soa",
        "objectives",
        "nonconformities",
    ] {
        let file = out.join(format!("{t}.csv"));
        let f = file.to_str().unwrap();
        ok(&["export", t, d, "--format", "csv", "--bom", "--out", f]);
        let plan = ok(&["import", t, f, d]);
        assert!(
            plan.contains("Nothing to write: the workspace already holds these records."),
            "{t}: {plan}"
        );
    }
    let xlsx = out.join("all.xlsx");
    let x = xlsx.to_str().unwrap();
    ok(&["export", "all", d, "--format", "xlsx", "--out", x]);
    for t in ["risks", "systems", "soa"] {
        let plan = ok(&["import", t, x, d, "--sheet", t]);
        assert!(plan.contains("Nothing to write"), "{t} from xlsx: {plan}");
    }
    assert!(before == snapshot(ws.path()), "a round trip changed files");
    std::fs::remove_dir_all(out).unwrap();
}

#[test]
fn one_bad_row_blocks_all_and_names_row_column_and_values() {
    let ws = copy_sample();
    let d = ws.path().to_str().unwrap();
    let before = snapshot(ws.path());
    let csv = ws.path().join("new.csv");
    let rows = [
        RISK_HEADER.to_string(),
        risk_row(
            "Chatbot leaks account data",
            "SYS-003",
            "3",
            "lchen",
            "identified",
        ),
        risk_row(
            "Drift in fraud model",
            "Card transaction fraud detection (FraudGuard)",
            "2",
            "Li Chen",
            "sleeping",
        ),
    ];
    std::fs::write(&csv, rows.join("\r\n")).unwrap();
    let o = aims(&["import", "risks", csv.to_str().unwrap(), d]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.contains("row 2    RISK-026     new"), "{text}");
    // Systems by exact title, people by name, enums in any case: only the status is wrong.
    assert!(text.contains("row 3    RISK-027     invalid\n           error: column `Status`: `sleeping` is not one of: identified, treating, monitoring, closed\n"), "{text}");
    assert!(
        text.contains("Nothing written: 1 row is invalid."),
        "{text}"
    );
    std::fs::remove_file(&csv).unwrap();
    assert!(
        before == snapshot(ws.path()),
        "an invalid import wrote something"
    );
}

#[test]
fn skip_invalid_writes_the_good_rows_and_a_second_run_changes_nothing() {
    let ws = copy_sample();
    let d = ws.path().to_str().unwrap();
    let csv = ws.path().join("..").join(format!(
        "{}.csv",
        ws.path().file_name().unwrap().to_string_lossy()
    ));
    // Semicolons, as Excel writes CSV where the decimal separator is a comma.
    let rows = [
        RISK_HEADER.to_string(),
        risk_row(
            "Chatbot leaks account data",
            "SYS-003",
            "3",
            "lchen@northwind.example",
            "identified",
        ),
        risk_row("Bad one", "SYS-003", "9", "lchen", "identified"),
    ];
    std::fs::write(
        &csv,
        rows.join("\n")
            .replace(',', ";")
            .replace("consequence.", "consequence"),
    )
    .unwrap();
    let c = csv.to_str().unwrap();
    let text = ok(&["import", "risks", c, d, "--skip-invalid", "--key", "title"]);
    assert!(text.contains("delimiter `;`"), "{text}");
    assert!(text.contains("`9` is not a score from 1 to"), "{text}");
    assert!(
        text.contains("Written: 1 created, 0 updated (0 unchanged, 1 skipped)."),
        "{text}"
    );
    let ws2 = Workspace::open(ws.path()).unwrap();
    let new = ws2
        .records
        .iter()
        .find(|r| r.fields.text("title").as_deref() == Some("Chatbot leaks account data"))
        .unwrap();
    assert_eq!(new.fields.text("owner").as_deref(), Some("lchen"));
    let again = ok(&["import", "risks", c, d, "--skip-invalid", "--key", "title"]);
    assert!(again.contains("1 unchanged, 1 invalid"), "{again}");
    assert!(
        again.contains("Nothing to write: no valid row is new or changed."),
        "{again}"
    );
    assert_eq!(
        Workspace::open(ws.path()).unwrap().records.len(),
        ws2.records.len()
    );
    // The workspace still passes the check.
    let check = aims(&["check", d]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    std::fs::remove_file(csv).unwrap();
}

#[test]
fn update_by_key_keeps_comments_in_the_file() {
    let ws = copy_sample();
    let d = ws.path().to_str().unwrap();
    let file = ws.path().join("suppliers/SUP-001.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("# Reviewed with legal, keep.\n{text}")).unwrap();
    let csv = ws.path().join("..").join(format!(
        "{}-sup.csv",
        ws.path().file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&csv, "Name,Owner\nCirrus Language Models Ltd,amoreau\n").unwrap();
    let out = ok(&[
        "import",
        "suppliers",
        csv.to_str().unwrap(),
        d,
        "--key",
        "Name",
    ]);
    assert!(out.contains("SUP-001      update: owner"), "{out}");
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(
        after.starts_with("# Reviewed with legal, keep.\n"),
        "{after}"
    );
    assert!(after.contains("owner: amoreau\n"));
    assert!(
        after.contains("due_diligence:"),
        "fields not in the sheet are kept"
    );
    std::fs::remove_file(csv).unwrap();
}

#[test]
fn windows_1252_is_read_and_other_encodings_refused() {
    let ws = copy_sample();
    let d = ws.path().to_str().unwrap();
    let csv = ws.path().join("..").join(format!(
        "{}-1252.csv",
        ws.path().file_name().unwrap().to_string_lossy()
    ));
    // "Café — drift" in Windows-1252: é is 0xE9, the em dash 0x97.
    let mut bytes = format!(
        "{RISK_HEADER}\r\n{}\r\n",
        risk_row(
            "CafX scoring Y drift",
            "SYS-001",
            "2",
            "lchen",
            "identified"
        )
    )
    .replace("CafX", "Caf\u{1}")
    .replace(" Y ", " \u{2} ")
    .into_bytes();
    for b in bytes.iter_mut() {
        *b = match *b {
            1 => 0xE9,
            2 => 0x97,
            b => b,
        };
    }
    std::fs::write(&csv, &bytes).unwrap();
    let out = ok(&["import", "risks", csv.to_str().unwrap(), d]);
    assert!(out.contains("CSV, Windows-1252, delimiter `,`"), "{out}");
    assert!(out.contains("Written: 1 created"), "{out}");
    let risk = std::fs::read_to_string(ws.path().join("risks/RISK-026.yaml")).unwrap();
    assert!(risk.contains("title: Café scoring — drift\n"), "{risk}");
    // 0x81 is unassigned in Windows-1252: not guessed at.
    bytes.extend_from_slice(risk_row("X\u{1}Y", "SYS-001", "2", "lchen", "identified").as_bytes());
    let at = bytes.iter().rposition(|b| *b == 1).unwrap();
    bytes[at] = 0x81;
    std::fs::write(&csv, &bytes).unwrap();
    let o = aims(&["import", "risks", csv.to_str().unwrap(), d]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("neither UTF-8 nor Windows-1252 (byte 0x81"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(csv).unwrap();
}

#[test]
fn xlsx_with_a_merged_title_row_and_excel_dates() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let ws = copy_sample();
    let d = ws.path().to_str().unwrap();
    let path = ws.path().join("..").join(format!(
        "{}-in.xlsx",
        ws.path().file_name().unwrap().to_string_lossy()
    ));
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("AI inventory").unwrap();
    sheet
        .merge_range(
            0,
            0,
            0,
            4,
            "Northwind AI inventory (export from GRC tool)",
            &Format::new(),
        )
        .unwrap();
    for (c, h) in ["System name", "Purpose", "Owner", "Status", "Last reviewed"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    sheet.write_string(2, 0, "Invoice OCR").unwrap();
    sheet.write_string(2, 1, "Reads supplier invoices").unwrap();
    sheet.write_string(2, 2, "Li Chen").unwrap();
    sheet.write_string(2, 3, "In Production").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_datetime_with_format(2, 4, ExcelDateTime::from_ymd(2026, 3, 31).unwrap(), &date)
        .unwrap();
    sheet.write_string(3, 0, "Contract summariser").unwrap();
    sheet.write_string(3, 1, "Summarises contracts").unwrap();
    sheet.write_string(3, 2, "rsantos").unwrap();
    sheet.write_string(3, 3, "pilot").unwrap();
    sheet.write_number(3, 4, 46112.0).unwrap(); // an Excel serial day: 2026-03-31
    wb.save(&path).unwrap();
    let map = path.with_extension("yaml");
    // A typo in the map is an error, not a column silently left out.
    std::fs::write(&map, "System name: nmae\n").unwrap();
    let o = aims(&[
        "import",
        "systems",
        path.to_str().unwrap(),
        d,
        "--map",
        map.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nmae is not a field of an AI system; the fields are: id, name,"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&map, "System name: name\n").unwrap();
    let p = path.to_str().unwrap();
    let args = [
        "import",
        "systems",
        p,
        d,
        "--sheet",
        "ai inventory",
        "--map",
        map.to_str().unwrap(),
        "--dry-run",
    ];
    let o = aims(&args);
    let out = stdout(&o);
    assert!(out.contains("header on row 2"), "{out}");
    assert!(out.contains("System name → name"), "{out}");
    assert!(!out.contains("Last reviewed: `"), "{out}");
    let plan = {
        let ws = Workspace::open(ws.path()).unwrap();
        let table =
            aims_workbench::interop::read::read(&path, Some("AI inventory"), "systems").unwrap();
        let opts = aims_workbench::interop::import::Options {
            kind: aims_workbench::domain::RecordType::System,
            map: aims_workbench::interop::import::read_map("System name: name").unwrap(),
            key: None,
            keep_unknown: false,
            dates: Default::default(),
            today: common::today(),
        };
        aims_workbench::interop::import::plan(&ws, &table, &opts).unwrap()
    };
    for r in &plan.rows {
        assert_eq!(
            r.fields.text("last_reviewed").as_deref(),
            Some("2026-03-31"),
            "{:?}",
            r.errors
        );
        assert!(
            !r.errors.iter().any(|e| e.contains("column")),
            "{:?}",
            r.errors
        );
    }
    assert_eq!(plan.rows[0].fields.text("owner").as_deref(), Some("lchen"));
    std::fs::remove_file(path).unwrap();
    std::fs::remove_file(map).unwrap();
}

#[test]
fn dates_in_common_formats() {
    use aims_workbench::interop::cells::{DateOrder, Resolver};
    let ws = Workspace::open(Path::new(SAMPLE)).unwrap();
    let us = Resolver {
        ws: &ws,
        dates: DateOrder::MonthFirst,
    };
    let eu = Resolver {
        ws: &ws,
        dates: DateOrder::DayFirst,
    };
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(us.date("2026-03-31").unwrap(), day(2026, 3, 31));
    assert_eq!(us.date("2026-03-31T00:00:00").unwrap(), day(2026, 3, 31));
    assert_eq!(us.date("46112").unwrap(), day(2026, 3, 31));
    assert_eq!(us.date("03/31/2026").unwrap(), day(2026, 3, 31));
    assert_eq!(eu.date("31/03/2026").unwrap(), day(2026, 3, 31));
    assert_eq!(eu.date("31.03.2026").unwrap(), day(2026, 3, 31));
    assert!(us.date("31/03/2026").unwrap_err().contains("--dayfirst"));
    assert!(
        us.date("03/04/2026")
            .unwrap_err()
            .contains("could be day/month or month/day")
    );
}

// ---- calendar -----------------------------------------------------------------------------

/// Unfolds RFC 5545 content lines, checking the folding and line ends on the way.
fn unfold(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    let mut lines: Vec<String> = Vec::new();
    for raw in ics.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(
            !raw.contains('\n') && !raw.contains('\r'),
            "bare line end in {raw:?}"
        );
        assert!(raw.len() <= 75, "{} octets: {raw}", raw.len());
        match raw.strip_prefix(' ') {
            Some(cont) => lines.last_mut().unwrap().push_str(cont),
            None => lines.push(raw.to_string()),
        }
    }
    lines
}

#[test]
fn calendar_is_valid_ics_with_stable_uids() {
    let ics = ok(&["export", "calendar", SAMPLE]);
    let lines = unfold(&ics);
    assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    // A list property: its commas separate items and are not escaped.
    assert!(lines.contains(&"CATEGORIES:AIMS,review".to_string()));
    let events = lines.iter().filter(|l| *l == "BEGIN:VEVENT").count();
    assert_eq!(events, lines.iter().filter(|l| *l == "END:VEVENT").count());
    let ws = Workspace::open(Path::new(SAMPLE)).unwrap();
    let today = common::today();
    let items = obligations(&ws.records, &ws.settings, today);
    assert_eq!(events, items.len(), "one event per obligation");
    let uids: Vec<&String> = lines.iter().filter(|l| l.starts_with("UID:")).collect();
    assert_eq!(
        uids.iter().collect::<HashSet<_>>().len(),
        events,
        "UIDs are unique"
    );
    for need in [
        "DTSTAMP:",
        "DTSTART;VALUE=DATE:",
        "DTEND;VALUE=DATE:",
        "SUMMARY:",
    ] {
        assert_eq!(
            lines.iter().filter(|l| l.starts_with(need)).count(),
            events,
            "{need}"
        );
    }
    // Another day: dates and states move, the UIDs stay.
    let later = Command::new(env!("CARGO_BIN_EXE_aims"))
        .args(["due", SAMPLE, "--format", "ics", "--today", "2027-02-01"])
        .env_remove("AIMS_TODAY")
        .output()
        .unwrap();
    let later = unfold(&stdout(&later));
    let later_uids: HashSet<&String> = later.iter().filter(|l| l.starts_with("UID:")).collect();
    let now_uids: HashSet<&String> = uids.into_iter().collect();
    assert!(
        now_uids.intersection(&later_uids).count() * 10 >= now_uids.len() * 8,
        "most UIDs stay across exports"
    );
    // A personal feed.
    let mine = ok(&["export", "calendar", SAMPLE, "--owner", "lchen"]);
    let mine = unfold(&mine);
    let n = mine.iter().filter(|l| *l == "BEGIN:VEVENT").count();
    assert_eq!(
        n,
        items
            .iter()
            .filter(|i| i.owner.as_deref() == Some("lchen"))
            .count()
    );
    assert!(
        mine.iter()
            .all(|l| !l.starts_with("DESCRIPTION:") || l.contains("Owner: "))
    );
}

#[test]
fn ics_escapes_and_folds() {
    assert_eq!(ics::text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    let long = format!("DESCRIPTION:{}", "é".repeat(60));
    let folded = ics::fold(&long);
    for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(l.len() <= 75, "{}", l.len());
        // Never inside a character: every piece is valid UTF-8 on its own.
        assert!(std::str::from_utf8(l.as_bytes()).is_ok());
    }
    let joined: String = folded
        .split("\r\n")
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l
            } else {
                l.strip_prefix(' ').unwrap_or(l)
            }
        })
        .collect();
    assert_eq!(joined, long);
}

// ---- crosswalks ---------------------------------------------------------------------------

#[test]
fn crosswalks_parse_and_name_real_ids() {
    use aims_workbench::domain::catalog;
    for fw in Framework::ALL {
        let (name, text) = fw.source();
        let cw = crosswalk::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut seen = HashSet::new();
        for r in &cw.requirements {
            assert!(seen.insert(r.id.clone()), "{name}: {} twice", r.id);
            assert!(!r.title.trim().is_empty(), "{name}: {} has no title", r.id);
            assert!(
                !r.rationale.trim().is_empty(),
                "{name}: {} has no rationale",
                r.id
            );
            assert_eq!(
                r.relation.is_some(),
                !r.aims.is_empty(),
                "{name}: {} relation iff mapped",
                r.id
            );
            for a in &r.aims {
                assert!(
                    catalog::find(a).is_some(),
                    "{name}: {} maps to unknown 42001 id {a}",
                    r.id
                );
            }
        }
    }
    let iso = crosswalk::of(Framework::Iso27001);
    assert_eq!(iso.requirements.len(), 93);
    let expected: HashSet<String> = (1..=37)
        .map(|n| format!("A.5.{n}"))
        .chain((1..=8).map(|n| format!("A.6.{n}")))
        .chain((1..=14).map(|n| format!("A.7.{n}")))
        .chain((1..=34).map(|n| format!("A.8.{n}")))
        .collect();
    let ids: HashSet<String> = iso.requirements.iter().map(|r| r.id.clone()).collect();
    assert_eq!(ids, expected);
    assert_eq!(crosswalk::of(Framework::NistAiRmf).requirements.len(), 72);
    // Every 42001 Annex A control is addressed by at least one other framework.
    for c in catalog::CONTROLS {
        assert!(
            Framework::ALL
                .iter()
                .any(|fw| !crosswalk::mapped_to(*fw, c.id).is_empty()),
            "{} is mapped by no framework",
            c.id
        );
    }
}

#[test]
fn crosswalk_report_shows_status_per_requirement() {
    let md = ok(&["report", "crosswalk", "iso27001", SAMPLE]);
    assert!(md.contains("- **Coverage:** 93 requirements: "), "{md}");
    assert!(md.contains("| A.8.15 | Logging | intersects | A.6.2.8 (implemented) | covered | "));
    assert!(md.contains("| A.7.1 | Physical security perimeters |  |  | not in 42001 |"));
    let csv = ok(&[
        "report",
        "crosswalk",
        "nist-ai-rmf",
        SAMPLE,
        "--format",
        "csv",
    ]);
    assert_eq!(csv.matches("\r\n").count(), 1 + 72);
    // The AI Act per system: obligations from its role and risk tier.
    let act = ok(&["report", "crosswalk", "eu-ai-act", SAMPLE]);
    assert!(act.contains("\n## SYS-001 NLS-3 application credit-scoring model — provider and deployer · high-risk · "), "{act}");
    let sys3 = &act[act.find("\n## SYS-003 ").unwrap()..];
    let sys3 = &sys3[..sys3[1..].find("\n## ").map_or(sys3.len(), |i| i + 1)];
    assert!(sys3.contains("— deployer · limited-risk · "), "{sys3}");
    assert!(
        sys3.contains("| Art. 50(3)-(4) |") && !sys3.contains("| Art. 9 |"),
        "{sys3}"
    );
    let o = aims(&["report", "crosswalk", "sox", SAMPLE]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("iso27001, nist-ai-rmf, eu-ai-act"));
}

/// On a terminal the plan is a question: `n` writes nothing, `y` writes.
#[test]
fn on_a_terminal_import_asks_before_writing() {
    use expectrl::{Expect, Session};
    let ws = copy_sample();
    let csv = ws.path().join("..").join(format!(
        "{}-pty.csv",
        ws.path().file_name().unwrap().to_string_lossy()
    ));
    let rows = [
        RISK_HEADER.to_string(),
        risk_row(
            "Chatbot leaks account data",
            "SYS-003",
            "3",
            "lchen",
            "identified",
        ),
    ];
    std::fs::write(&csv, rows.join("\n")).unwrap();
    let new_file = ws.path().join("risks/RISK-026.yaml");
    for (answer, written) in [("n", false), ("y", true)] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_aims"));
        cmd.args(["import", "risks"])
            .arg(&csv)
            .arg(ws.path())
            .args(["--today", "2026-11-22"])
            .env_remove("AIMS_TODAY");
        let mut s = Session::spawn(cmd).expect("spawn aims in a pty");
        s.set_expect_timeout(Some(std::time::Duration::from_secs(30)));
        s.expect("Write 1 record? [y/N] ").expect("the question");
        assert!(!new_file.exists(), "written before the answer");
        s.send_line(answer).unwrap();
        let done = if written {
            "Written: 1 created"
        } else {
            "Nothing written."
        };
        s.expect(done).expect(done);
        s.expect(expectrl::Eof).ok();
        assert_eq!(new_file.exists(), written, "after `{answer}`");
    }
    std::fs::remove_file(csv).unwrap();
}

/// An ODS file saved by LibreOffice (tests/fixtures/risks.ods, made from a sheet with
/// real date cells, titles instead of ids and enums in other cases).
#[test]
fn ods_from_libreoffice_imports() {
    let ws = copy_sample();
    let d = ws.path().to_str().unwrap();
    let ods = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/risks.ods");
    let out = ok(&["import", "risks", ods, d]);
    assert!(out.contains("sheet `Risk register`"), "{out}");
    assert!(out.contains("Written: 2 created, 0 updated"), "{out}");
    let risk = std::fs::read_to_string(ws.path().join("risks/RISK-026.yaml")).unwrap();
    for line in [
        "systems:\n  - SYS-003\n",
        "category: privacy",
        "treatment_due: 2027-01-31",
        "owner: lchen",
        "status: identified",
    ] {
        assert!(risk.contains(line), "{line} not in\n{risk}");
    }
    let again = ok(&["import", "risks", ods, d, "--key", "title"]);
    assert!(again.contains("Nothing to write"), "{again}");
}

/// The dry run as a user reads it: the file, how it was read, the columns, a line per row.
#[test]
fn dry_run_plan_snapshot() {
    let ws = copy_sample();
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        format!("{RISK_HEADER},Cost centre"),
        format!(
            "{},CC-1",
            risk_row(
                "Chatbot leaks account data",
                "Nora customer-support assistant",
                "3",
                "Li Chen",
                "Identified"
            )
        ),
        format!(
            "{},CC-2",
            risk_row("Drift in fraud model", "SYS-002", "2", "pnair", "open")
        ),
    ];
    std::fs::write(
        dir.path().join("risks.csv"),
        format!("\u{feff}{}\r\n", rows.join("\r\n")),
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_aims"))
        .args(["import", "risks", "risks.csv"])
        .arg(ws.path())
        .args(["--today", "2026-11-22", "--dry-run"])
        .current_dir(dir.path())
        .env_remove("AIMS_TODAY")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("interop_import_dry_run", stdout(&o));
}

/// A new record gets the defaults of a new record in the workbench: the first status, and
/// for reviewed types a first review today; a blank cell keeps them.
#[test]
fn new_records_get_the_forms_defaults() {
    let ws = copy_sample();
    let d = ws.path().to_str().unwrap();
    let csv = ws.path().join("..").join(format!(
        "{}-obj.csv",
        ws.path().file_name().unwrap().to_string_lossy()
    ));
    let rows = [
        RISK_HEADER.to_string(),
        risk_row("Chatbot leaks account data", "SYS-003", "3", "lchen", ""),
    ];
    std::fs::write(&csv, rows.join("\n")).unwrap();
    let out = ok(&["import", "risks", csv.to_str().unwrap(), d]);
    assert!(out.contains("Written: 1 created"), "{out}");
    let risk = std::fs::read_to_string(ws.path().join("risks/RISK-026.yaml")).unwrap();
    assert!(risk.contains("status: identified\n"), "{risk}");
    assert!(risk.contains("last_reviewed: 2026-11-22\n"), "{risk}");
    std::fs::remove_file(csv).unwrap();
}

// ---- the calendar, read back by a real parser -------------------------------------------

/// TEXT values unescaped per RFC 5545 3.3.11 (the `ical` parser hands them over raw).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => panic!("a dangling backslash in {s:?}"),
        }
    }
    out
}

/// (UID, SUMMARY, DESCRIPTION) of every event, as the `ical` crate parses the calendar.
fn parsed_events(ics: &str) -> Vec<(String, String, String)> {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let cal = calendars.next().expect("one calendar").expect("it parses");
    assert!(calendars.next().is_none(), "only one calendar");
    cal.events
        .iter()
        .map(|e| {
            let prop = |name: &str| {
                let found: Vec<_> = e.properties.iter().filter(|p| p.name == name).collect();
                assert_eq!(found.len(), 1, "one {name} per event");
                found[0].value.clone().unwrap_or_default()
            };
            let start = e
                .properties
                .iter()
                .find(|p| p.name == "DTSTART")
                .expect("DTSTART");
            assert_eq!(
                start.params,
                Some(vec![("VALUE".to_string(), vec!["DATE".to_string()])]),
                "all-day events"
            );
            (prop("UID"), prop("SUMMARY"), prop("DESCRIPTION"))
        })
        .collect()
}

#[test]
fn calendar_parses_back_with_stable_uids_and_escaped_text() {
    let dir = copy_sample();
    // A title with every character TEXT must escape, and a line break.
    let p = dir.path().join("risks/RISK-021.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    let text = text.replacen(
        "title: Document OCR misreads worn or low-quality documents",
        "title: \"OCR misreads, skews; and\\nback\\\\slashes\"",
        1,
    );
    std::fs::write(&p, text).unwrap();
    let root = dir.path().to_str().unwrap();
    let first = ok(&["export", "calendar", root]);
    let events = parsed_events(&first);

    let ws = Workspace::open(dir.path()).unwrap();
    let items = obligations(&ws.records, &ws.settings, common::today());
    assert_eq!(events.len(), items.len(), "one event per obligation");
    let uids: HashSet<&str> = events.iter().map(|(u, _, _)| u.as_str()).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");

    let (_, summary, description) = events
        .iter()
        .find(|(u, _, _)| u.starts_with("RISK-021."))
        .expect("RISK-021's review");
    assert_eq!(
        unescape(summary),
        "Review: RISK-021 OCR misreads, skews; and\nback\\slashes"
    );
    for raw in [summary, description] {
        assert!(!raw.contains('\n'), "line breaks are escaped: {raw:?}");
    }
    assert!(
        summary.contains("misreads\\, skews\\; and\\nback\\\\slashes"),
        "{summary}"
    );
    let description = unescape(description);
    assert!(
        description.contains("\nRecord: risks/RISK-021.yaml\nTo do: "),
        "{description}"
    );

    // A second export, months later: the same obligations keep their UIDs.
    let later = Command::new(env!("CARGO_BIN_EXE_aims"))
        .args(["export", "calendar", root, "--today", "2026-12-20"])
        .env_remove("AIMS_TODAY")
        .output()
        .unwrap();
    let later = parsed_events(&stdout(&later));
    let later_uids: HashSet<&str> = later.iter().map(|(u, _, _)| u.as_str()).collect();
    let again = parsed_events(&ok(&["export", "calendar", root]));
    assert_eq!(again, events, "the same day: the same calendar");
    assert!(
        uids.intersection(&later_uids).count() * 10 >= uids.len() * 9,
        "{} of {} UIDs kept",
        uids.intersection(&later_uids).count(),
        uids.len()
    );
}

// ---- ISMS evidence inherited from ISO/IEC 27001 ------------------------------------------

#[test]
fn inherited_isms_evidence_shows_in_the_soa_export_and_the_crosswalk_report() {
    let dir = copy_sample();
    let p = dir.path().join("soa/A.2.2.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replacen(
            "documents: [DOC-001]",
            "documents: [DOC-001]\ninherited_isms: [A.5.1]",
            1,
        ),
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    let md = ok(&["export", "soa", root]);
    let a_2_2 = md.lines().find(|l| l.starts_with("| A.2.2 |")).unwrap();
    assert!(a_2_2.contains("ISMS evidence (27001): A.5.1"), "{a_2_2}");
    let html = ok(&["export", "soa", root, "--format", "html"]);
    assert!(html.contains("<li>ISMS evidence (27001): A.5.1</li>"));
    // The register export carries the field, so an import reads it back.
    let csv = ok(&["export", "soa", root, "--format", "csv"]);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains("ISMS evidence (27001)")
    );
    let report = ok(&["report", "crosswalk", "iso27001", root]);
    let a_5_1 = report.lines().find(|l| l.starts_with("| A.5.1 |")).unwrap();
    assert!(
        a_5_1.contains("A.2.2 (implemented, inherits its ISMS evidence)"),
        "{a_5_1}"
    );
    let check = aims(&["check", root]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

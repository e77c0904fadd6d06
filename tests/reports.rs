//! `aims report audit` and `aims export soa`, run through the real binary on the sample
//! workspace: Markdown and CSV as snapshots, HTML checked for being one safe, printable file.

mod common;
use std::path::Path;
use std::process::{Command, Output};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-workspace");

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
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs and expects success with nothing on stderr.
fn ok(args: &[&str]) -> String {
    let o = aims(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    assert_eq!(stderr(&o), "", "{args:?}");
    stdout(&o)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What every HTML output must be: one file that loads nothing and runs nothing, laid out
/// for A4 with table headers repeated and rows kept whole.
fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    let lower = html.to_lowercase();
    for banned in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "src=",
        "@import",
        "url(",
        "javascript:",
        " onload=",
        " onclick=",
        " onerror=",
    ] {
        assert!(!lower.contains(banned), "`{banned}` in the HTML");
    }
    assert!(!html.contains("src=\"http"));
    assert!(html.contains("@page { size: A4; margin: 15mm"));
    assert!(html.contains("thead { display: table-header-group; }"));
    assert!(html.contains("break-inside: avoid"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn audit_report_completed_md() {
    let md = ok(&["report", "audit", "AUD-2025-01", SAMPLE]);
    insta::assert_snapshot!("audit_report_aud_2025_01_md", md);
    // The default format is Markdown, and `--format md` says so explicitly.
    assert_eq!(
        ok(&["report", "audit", "AUD-2025-01", SAMPLE, "--format", "md"]),
        md
    );
}

#[test]
fn audit_report_in_progress_md() {
    let md = ok(&["report", "audit", "AUD-2026-01", SAMPLE]);
    insta::assert_snapshot!("audit_report_aud_2026_01_md", md);
}

#[test]
fn soa_export_md() {
    let md = ok(&["export", "soa", SAMPLE]);
    insta::assert_snapshot!("soa_export_md", md);
}

#[test]
fn soa_export_csv() {
    let csv = ok(&["export", "soa", SAMPLE, "--format", "csv"]);
    // RFC 4180: CRLF after every record, the header included; line breaks inside a
    // (quoted) cell are LF, and there is no bare CR.
    assert!(csv.ends_with("\r\n"));
    assert_eq!(csv.matches('\r').count(), csv.matches("\r\n").count());
    // One header row and one row per Annex A control.
    assert_eq!(csv.matches("\r\n").count(), 1 + 38);
    insta::assert_snapshot!("soa_export_csv", csv.replace("\r\n", "\n"));
}

#[test]
fn audit_report_html_is_one_printable_file() {
    let html = ok(&["report", "audit", "AUD-2025-01", SAMPLE, "--format", "html"]);
    assert_self_contained(&html);
    assert!(html.contains("<title>Internal audit report AUD-2025-01"));
    assert!(html.contains("<h3>Minor nonconformities</h3>"));
    // The nonconformity's parts wrap between them, never inside a date.
    assert!(html.contains(
        "<span class=\"nw\">NC-001 (minor)</span>, <span class=\"nw\">owner Anne Moreau</span>, \
         <span class=\"nw\">due 2026-01-31</span>, <span class=\"nw\">status closed on 2026-03-12</span>"
    ));
    // A web address is a plain outward link; a workspace path is shown, not linked.
    assert!(html.contains("<a href=\"https://wiki.northwind-lending.example/aims/context-2025\">"));
    assert!(
        html.contains("<span class=\"path\">evidence/supplier-due-diligence-checklist.md</span>")
    );
}

#[test]
fn soa_export_html_is_one_printable_file() {
    let html = ok(&["export", "soa", SAMPLE, "--format", "html"]);
    assert_self_contained(&html);
    assert_eq!(html.matches("<h2 class=\"area\">").count(), 9);
    assert_eq!(html.matches("<span class=\"id\">A.").count(), 38);
    assert!(html.contains("<a href=\"https://group.harbourfinancial.example/policies/speak-up\">"));
}

#[test]
fn out_writes_the_file_instead_of_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("soa.html");
    let o = aims(&[
        "export",
        "soa",
        SAMPLE,
        "--format",
        "html",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        ok(&["export", "soa", SAMPLE, "--format", "html"])
    );
}

/// Record text is untrusted: markup in it is shown, never run or rendered, in every format.
#[test]
fn record_text_is_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    copy_dir(Path::new(SAMPLE), &ws);
    let inject = "<b>bold</b> & \"quoted\" 'single' <script>alert(1)</script>";
    let audit = ws.join("audits/AUD-2025-01.yaml");
    let text = std::fs::read_to_string(&audit).unwrap().replace(
        "notes: Multiple uncontrolled versions of AI policy and risk method in use.",
        &format!("notes: '{}'", inject.replace('\'', "''")),
    );
    std::fs::write(&audit, text).unwrap();
    let soa = ws.join("soa/A.2.2.yaml");
    let text = std::fs::read_to_string(&soa).unwrap().replace(
        "owner: amoreau\n",
        "owner: amoreau\ninherited_from: \"<b>Group</b>, \\\"HQ\\\"\\n=1+1\"\n",
    );
    let text = text
        .replace("status: implemented", "status: inherited")
        .replace(
            "justification: Required",
            "justification: =HYPERLINK(\"x\") Required",
        );
    std::fs::write(&soa, text).unwrap();
    let ws = ws.to_str().unwrap();

    let html = ok(&["report", "audit", "AUD-2025-01", ws, "--format", "html"]);
    assert!(!html.contains("<b>"), "raw <b> in the audit report");
    assert!(!html.contains("<script>alert"));
    assert!(html.contains(
        "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;single&#39; &lt;script&gt;alert(1)&lt;/script&gt;"
    ));
    assert_self_contained(&html);

    let html = ok(&["export", "soa", ws, "--format", "html"]);
    assert!(!html.contains("<b>"), "raw <b> in the SoA");
    assert!(
        html.contains("<em>Inherited from:</em> &lt;b&gt;Group&lt;/b&gt;, &quot;HQ&quot; =1+1")
    );

    let md = ok(&["report", "audit", "AUD-2025-01", ws]);
    assert!(!md.contains("<b>"));
    assert!(md.contains(r"\<b\>bold\</b\> & "));
    let md = ok(&["export", "soa", ws]);
    assert!(md.contains(r"inherited from \<b\>Group\</b\>"));

    // CSV: quoted per RFC 4180, and no cell starts as a spreadsheet formula.
    let csv = ok(&["export", "soa", ws, "--format", "csv"]);
    let row = csv.split("\r\n").find(|l| l.starts_with("A.2.2,")).unwrap();
    assert!(
        row.starts_with(r#"A.2.2,AI policy,yes,inherited,amoreau,"'=HYPERLINK(""x"") Required"#),
        "{row}"
    );
    // Line breaks in a cell are kept (quoted), so the text reads back as written.
    assert!(row.contains("\"<b>Group</b>, \"\"HQ\"\"\n=1+1\","), "{row}");
}

#[test]
fn controls_without_an_soa_entry_are_not_assessed() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    copy_dir(Path::new(SAMPLE), &ws);
    std::fs::remove_file(ws.join("soa/A.7.5.yaml")).unwrap();
    let ws = ws.to_str().unwrap();
    let md = ok(&["export", "soa", ws]);
    assert!(md.contains("| Not assessed | 1 |"), "{md}");
    assert!(md.contains(
        "| A.7.5 | Data provenance | not assessed | *no SoA entry* | not assessed |  |  |"
    ));
    let csv = ok(&["export", "soa", ws, "--format", "csv"]);
    assert!(
        csv.contains("\r\nA.7.5,Data provenance,,not-assessed,,,,,,,,,,,,,"),
        "{csv}"
    );
    assert_eq!(csv.matches("\r\n").count(), 39);
}

#[test]
fn exit_codes() {
    let o = aims(&["report", "audit", "AUD-2099-01", SAMPLE]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        "aims: no audit `AUD-2099-01` in this workspace; audits in this workspace: AUD-2025-01, AUD-2026-01\n"
    );

    let o = aims(&["report", "audit", "NC-001", SAMPLE, "--format", "html"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`NC-001` is a nonconformity, not an internal audit"),
        "{}",
        stderr(&o)
    );

    let not_ws = tempfile::tempdir().unwrap();
    let d = not_ws.path().to_str().unwrap();
    for args in [
        vec!["report", "audit", "AUD-2025-01", d],
        vec!["export", "soa", d],
        vec!["export", "soa", d, "--format", "csv"],
    ] {
        let o = aims(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout(&o), "", "{args:?}");
        assert!(
            stderr(&o).contains("is not an AIMS workspace (no aims.yaml)"),
            "{args:?}: {}",
            stderr(&o)
        );
    }

    // A bad format is a usage error too (clap).
    let o = aims(&["export", "soa", SAMPLE, "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn nc_results_show_their_nonconformity_or_say_none_was_raised() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    copy_dir(Path::new(SAMPLE), &ws);
    let audit = ws.join("audits/AUD-2026-01.yaml");
    let text = std::fs::read_to_string(&audit)
        .unwrap()
        // NC-004 is no longer named by its item, but gives this audit and 6.1.4 as its source.
        .replace("    nc: NC-004\n", "")
        // A major NC recorded without raising a nonconformity.
        .replace(
            "  - ref: \"7.2\"\n",
            "  - ref: \"7.2\"\n    result: major-nc\n    notes: No competence records.\n",
        );
    std::fs::write(&audit, text).unwrap();
    let md = ok(&["report", "audit", "AUD-2026-01", ws.to_str().unwrap()]);
    assert!(md.contains(
        "- **Nonconformity:** NC-004 (minor), owner Rita Santos, due 2026-11-20, status open (overdue), \
         found by its source reference: the checklist item does not name it\n"
    ), "{md}");
    assert!(md.contains("#### 7.2 Competence\n"));
    assert!(md.contains("- **Nonconformity:** no nonconformity raised yet\n"));
    assert!(
        md.contains("4 findings: 1 major NC, 1 minor NC, 1 observation, 1 OFI."),
        "{md}"
    );
    assert!(md.contains("| Major nonconformity (major NC) | 1 |"));
}

#[test]
fn readiness_report_markdown() {
    let md = ok(&["report", "readiness", SAMPLE]);
    insta::assert_snapshot!("readiness_md", md);
}

#[test]
fn readiness_report_html_is_one_printable_file() {
    let html = ok(&["report", "readiness", SAMPLE, "--format", "html"]);
    assert_self_contained(&html);
    assert!(html.contains("Certification readiness"));
    assert!(html.contains("present but stale"));
    assert!(html.contains("<code>internal-audit-cycle</code>"));
}

#[test]
fn readiness_report_marks_what_is_missing() {
    // A workspace with no management review, audit or policy: missing, with the reason.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(SAMPLE), dir.path());
    for f in ["management-reviews/MR-2025.yaml", "documents/DOC-001.yaml"] {
        std::fs::remove_file(dir.path().join(f)).unwrap();
    }
    let md = stdout(&aims(&[
        "report",
        "readiness",
        dir.path().to_str().unwrap(),
    ]));
    assert!(
        md.contains("| Management review minutes | 9.3 | missing | — |"),
        "{md}"
    );
    assert!(md.contains("| AI policy | 5.2 | missing | — |"), "{md}");
}

#[test]
fn the_audit_report_shows_the_conclusion_and_sign_off_or_says_they_are_missing() {
    let md = ok(&["report", "audit", "AUD-2025-01", SAMPLE]);
    assert!(md.contains("## Conclusion and sign-off\n\nThe AIMS is established and operating"));
    assert!(md.contains("Signed off on 2025-10-24 by Jan Kowalski, Internal Audit Manager."));
    let html = ok(&["report", "audit", "AUD-2025-01", SAMPLE, "--format", "html"]);
    assert!(html.contains(
        "<p class=\"signoff\">Signed off on 2025-10-24 by Jan Kowalski, Internal Audit Manager.</p>"
    ));
    // Without them, the report says so plainly.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(Path::new(SAMPLE), tmp.path());
    let audit = tmp.path().join("audits/AUD-2025-01.yaml");
    let text = std::fs::read_to_string(&audit).unwrap();
    let cut = text.find("conclusion: >").unwrap();
    let end = text.find("checklist:").unwrap();
    std::fs::write(&audit, format!("{}{}", &text[..cut], &text[end..])).unwrap();
    let ws = tmp.path().to_str().unwrap();
    let md = ok(&["report", "audit", "AUD-2025-01", ws]);
    assert!(md.contains("Missing: the completed audit records no conclusion."));
    assert!(md.contains(
        "Missing: the completed audit records no sign-off (lead auditor and date): this report is not final."
    ));
    // An audit in progress is not signed off yet.
    let md = ok(&["report", "audit", "AUD-2026-01", SAMPLE]);
    assert!(md.contains("Not signed off: the audit is not completed."));
}

/// The SoA document counts as the workbench does (`rules::soa`): an entry whose status is
/// `excluded` is excluded even with a stray `applicable: true`, and counted once.
#[test]
fn soa_export_counts_a_contradictory_exclusion_once() {
    let ws = common::copy_sample();
    let entry = ws.path().join("soa/A.2.3.yaml");
    let text = std::fs::read_to_string(&entry).unwrap();
    let text = text.replacen("status: implemented", "status: excluded", 1);
    assert!(text.contains("applicable: true"), "{text}");
    std::fs::write(&entry, text).unwrap();
    let md = ok(&["export", "soa", ws.path().to_str().unwrap()]);
    assert!(md.contains("| Applicable | 36 |"), "{md}");
    assert!(md.contains("| Excluded | 2 |"), "{md}");
}

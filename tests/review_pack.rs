//! `aims report management-review`: the pack on a history built here (fixed dates, names
//! and `--today`), as a Markdown snapshot; the HTML as one safe printable file with its
//! charts; and the pack outside a repository and in a shallow clone, saying what it lacks.

mod common;
use common::git::{SETTINGS, commit_all, git, write};

use aims_workbench::workspace::Workspace;
use aims_workbench::workspace::review_pack::{Since, assemble};
use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2026-06-30";

fn aims(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aims"))
        .args(args)
        .args(["--today", TODAY])
        .env_remove("AIMS_TODAY")
        .env_remove("USER")
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let o = aims(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

const MR: &str = "id: MR-2026-01
held_on: 2026-02-01
status: held
attendees: [ann, bob]
inputs:
  previous_actions: none before
  internal_external_issues: the AI Act
  interested_parties: regulator
  performance: first year
  improvement_opportunities: KPIs
decisions: [Adopt KPIs]
actions:
  - {action: Define KPIs, owner: ann, due: 2026-03-31, status: done}
  - {action: Train all staff, owner: bob, due: 2026-05-31, status: open}
  - {action: Publish transparency page, owner: ann, due: 2026-09-30, status: open}
";

fn risk(id: &str, title: &str, residual: (u32, u32), extra: &str) -> String {
    format!(
        "id: {id}\ntitle: {title}\ndescription: cause, event and consequence\norg_wide: true\ncategory: robustness\nlikelihood: 4\nimpact: 4\nresidual_likelihood: {}\nresidual_impact: {}\ntreatment: mitigate\ncontrols: [A.6.2.6]\ntreatment_plan: monitor and retrain\ntreatment_due: 2026-12-31\nowner: ann\nstatus: treating\n{extra}",
        residual.0, residual.1
    )
}

const METRIC: &str = "id: MET-001
title: False-decline rate
method: monthly query
frequency: 1m
unit: '%'
direction: max
threshold: '0.45'
owner: bob
measurements:
  - {date: 2026-01-15, value: '0.40', by: bob}
  - {date: 2026-02-15, value: '0.41', by: bob}
  - {date: 2026-03-15, value: '0.52', by: bob, note: new merchant codes}
  - {date: 2026-04-15, value: '0.38', by: bob}
  - {date: 2026-05-15, value: '0.36', by: bob}
  - {date: 2026-06-15, value: '0.35', by: bob}
";

const AUDIT: &str = "id: AUD-2026-01
title: Internal audit 2026
scope: clauses 4-10
lead_auditor: bob
planned_on: 2026-04-01
started_on: 2026-04-02
completed_on: 2026-04-10
status: completed
conclusion: effective with one minor NC
signed_off_by: bob
signed_off_on: 2026-04-10
checklist:
  - {ref: '4.1', result: conforming}
  - {ref: '6.2', result: ofi, notes: Record a recovery plan for objectives at risk}
  - {ref: '9.1', result: minor-nc, nc: NC-001, notes: No threshold for drift}
";

const NC: &str = "id: NC-001
description: No drift threshold was defined for the fraud model.
source: audit
source_ref: AUD-2026-01
requirement: '9.1'
severity: minor
owner: bob
raised_on: 2026-04-10
due: 2026-07-31
status: open
";

/// A workspace with half a year of history: a review in February, then changes to
/// context, parties and risks, a metric, an audit with an OFI and an NC, an incident.
fn history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "aims.yaml", SETTINGS);
    write(root, ".gitignore", ".aims/\n");
    git(root, "2026-01-01T09:00:00Z", &["init", "-q", "-b", "main"]);
    write(
        root,
        "context-issues/CTX-001.yaml",
        "id: CTX-001\ntitle: EU AI Act obligations\nkind: external\ndescription: high-risk duties\neffect: new controls\nowner: ann\nstatus: active\n",
    );
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "Model drift", (3, 3), ""),
    );
    write(
        root,
        "risks/RISK-003.yaml",
        &risk("RISK-003", "Legacy scorecard", (2, 2), ""),
    );
    write(root, "metrics/MET-001.yaml", METRIC);
    write(
        root,
        "systems/SYS-001.yaml",
        "id: SYS-001\nname: Support assistant\npurpose: answers customers\nroles: [user]\nprovenance: third-party\nlifecycle_stage: operation\nrisk_tier: limited\ndata_inputs: questions\ndeployment_environment: cloud\nhuman_oversight: agents review\npersonal_data: false\nowner: bob\n",
    );
    commit_all(
        root,
        "2026-01-10T10:00:00Z",
        "Context, first risks, a metric",
    );
    write(root, "management-reviews/MR-2026-01.yaml", MR);
    commit_all(root, "2026-02-01T16:00:00Z", "Management review minutes");
    // After the review: the context issue changes, a party appears, risks move.
    write(
        root,
        "context-issues/CTX-001.yaml",
        "id: CTX-001\ntitle: EU AI Act obligations\nkind: external\ndescription: high-risk duties apply from August 2026\neffect: new controls and a conformity assessment\nowner: ann\nstatus: active\n",
    );
    write(
        root,
        "interested-parties/IP-001.yaml",
        "id: IP-001\nname: Central Bank\nkind: regulator\nowner: ann\nrequirements:\n  - {requirement: model risk management, basis: legal}\naddressed: the model risk procedure\n",
    );
    write(
        root,
        "risks/RISK-001.yaml",
        &risk("RISK-001", "Model drift", (2, 3), ""),
    );
    commit_all(
        root,
        "2026-03-02T10:00:00Z",
        "Context update; RISK-001 rescored",
    );
    write(
        root,
        "risks/RISK-002.yaml",
        &risk(
            "RISK-002",
            "Key-person dependence",
            (3, 2),
            "treatment: accept\naccepted_by: bob\naccepted_on: 2026-04-01\nacceptance_rationale: hiring planned\n",
        )
        .replace("treatment: mitigate\n", "")
        .replace("status: treating", "status: monitoring"),
    );
    write(
        root,
        "risks/RISK-003.yaml",
        &risk("RISK-003", "Legacy scorecard", (2, 2), "")
            .replace("status: treating", "status: closed"),
    );
    commit_all(
        root,
        "2026-04-01T10:00:00Z",
        "RISK-002 accepted, RISK-003 closed",
    );
    write(root, "audits/AUD-2026-01.yaml", AUDIT);
    write(root, "nonconformities/NC-001.yaml", NC);
    commit_all(
        root,
        "2026-04-10T17:00:00Z",
        "Internal audit 2026 and its NC",
    );
    write(
        root,
        "incidents/INC-001.yaml",
        "id: INC-001\ntitle: Assistant quoted a wrong fee\ndescription: the assistant quoted last year's fee\nsystem: SYS-001\ntype: hallucination\nseverity: low\noccurred_on: 2026-05-20\nexternal_reporting_required: false\nowner: bob\nstatus: investigating\n",
    );
    write(
        root,
        "objectives/OBJ-001.yaml",
        "id: OBJ-001\ntitle: Fewer false declines\nmeasure: false-decline rate\ntarget: at or below 0.35%\nowner: bob\ndue: 2026-12-31\nstatus: at-risk\n",
    );
    commit_all(root, "2026-05-21T10:00:00Z", "Incident log; objectives");
    dir
}

#[test]
fn the_pack_in_markdown_on_a_known_history() {
    let dir = history();
    let root = dir.path().to_str().unwrap();
    let text = ok(&["report", "management-review", root]);
    // The period starts at the previous review, and what changed since is named.
    assert!(text.contains("since the previous management review, MR-2026-01 of 2026-02-01"));
    assert!(text.contains("| MR-2026-01 | Train all staff | bob | 2026-05-31 | open (overdue) |"));
    assert!(text.contains("| CTX-001 | EU AI Act obligations | changed: description, effect |"));
    assert!(text.contains("| IP-001 | Central Bank | added |"));
    assert!(text.contains("| RISK-001 | Model drift | rescored 9 → 6 |"));
    assert!(
        text.contains("| RISK-002 | Key-person dependence | added; residual score 6; accepted |")
    );
    assert!(text.contains("| RISK-003 | Legacy scorecard | closed |"));
    assert!(
        text.contains("| MET-001 | 0.41 | 0.52 ! | 0.38 |"),
        "{text}"
    );
    assert!(text.contains("| AUD-2026-01 | 6.2 | OFI | Record a recovery plan"));
    insta::assert_snapshot!("review_pack_md", text);
}

#[test]
fn the_pack_in_html_is_one_safe_printable_file_with_charts() {
    let dir = history();
    let root = dir.path().to_str().unwrap();
    let html = ok(&["report", "management-review", root, "--format", "html"]);
    let lower = html.to_lowercase();
    for banned in [
        "<script", "<link", "<img", "<iframe", "src=", "url(", "@import",
    ] {
        assert!(!lower.contains(banned), "`{banned}` in the HTML");
    }
    // The only address is the SVG namespace, which is a name and loads nothing.
    let without_ns = html
        .replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace("http-equiv", "");
    assert!(
        !without_ns.contains("http"),
        "an external address in the HTML"
    );
    assert!(html.contains("@page { size: A4"));
    // Four trend charts, the monthly bars, the metric and the heat map: each with a title
    // and a table of the same numbers after it.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 6);
    assert_eq!(html.matches("<svg class=\"heat\"").count(), 1);
    assert_eq!(html.matches("<title>").count(), 8);
    assert!(html.contains("<figcaption>MET-001 False-decline rate</figcaption>"));
    // The breach is drawn as a filled marker.
    assert_eq!(html.matches("fill=\"#c00\" stroke=\"#c00\"").count(), 1);
}

#[test]
fn since_a_date_or_a_review_and_a_bad_since_is_refused() {
    let dir = history();
    let root = dir.path().to_str().unwrap();
    let text = ok(&["report", "management-review", root, "--since", "2026-04-01"]);
    assert!(text.contains("period 2026-04-01 to 2026-06-30 (since 2026-04-01, as asked)"));
    // RISK-001 was rescored before April: not in this period.
    assert!(!text.contains("RISK-001 | Model drift | rescored"));
    let by_id = ok(&["report", "management-review", root, "--since", "MR-2026-01"]);
    assert!(by_id.contains("since management review MR-2026-01 of 2026-02-01"));
    let o = aims(&["report", "management-review", root, "--since", "MR-1999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("reviews: MR-2026-01"));
    let o = aims(&["report", "management-review", root, "--since", "last year"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Copies the workspace's files (not `.git`) to a new folder.
fn copy_without_git(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == ".git" || name == ".aims" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_without_git(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn outside_git_the_sections_that_need_history_say_so() {
    let dir = history();
    let plain = tempfile::tempdir().unwrap();
    copy_without_git(dir.path(), plain.path());
    let root = plain.path().to_str().unwrap();
    let text = ok(&["report", "management-review", root]);
    let lack = "no history: the workspace is not in a git repository";
    // Context, parties, risks and trends each say it; what the records alone give stays.
    assert!(text.matches(lack).count() >= 4, "{text}");
    assert!(text.contains("| MR-2026-01 | Train all staff"));
    assert!(text.contains("| MET-001 | 0.41 | 0.52 ! | 0.38 |"));
    assert!(
        text.contains("| 2026-04 | 1 | 0 | 0 |"),
        "months come from the records' dates"
    );
    let html = ok(&["report", "management-review", root, "--format", "html"]);
    assert!(html.contains(lack));
}

#[test]
fn in_a_shallow_clone_the_comparison_says_where_history_starts() {
    let dir = history();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", dir.path().display());
    git(
        clone.path(),
        "2026-06-30T10:00:00Z",
        &["clone", "-q", "--depth", "1", &url, "ws"],
    );
    let root = clone.path().join("ws");
    let text = ok(&["report", "management-review", root.to_str().unwrap()]);
    assert!(text.contains("shallow clone"), "{text}");
    // Its one commit is after the review: everything counts as added, and it says so.
    assert!(text.contains("| RISK-001 | Model drift | added; residual score 6 |"));
}

#[test]
fn the_pack_names_the_records_a_new_review_should_link() {
    let dir = history();
    let ws = Workspace::open(dir.path()).unwrap();
    let today = aims_workbench::domain::dates::parse_date(TODAY).unwrap();
    let pack = assemble(&ws, &Since::Previous, today).unwrap();
    let links = pack.input_links();
    let get = |k: &str| {
        links
            .iter()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| v.join(","))
            .unwrap_or_default()
    };
    assert_eq!(get("previous_reviews"), "MR-2026-01");
    assert_eq!(get("context_issues"), "CTX-001");
    assert_eq!(get("parties"), "IP-001");
    assert_eq!(get("metrics"), "MET-001");
    assert_eq!(get("audits"), "AUD-2026-01");
    assert_eq!(get("nonconformities"), "NC-001");
    assert_eq!(get("incidents"), "INC-001");
    assert_eq!(get("objectives"), "OBJ-001");
    assert_eq!(get("risks"), "RISK-001,RISK-002,RISK-003");
    // Every linked field is a field of the MR spec's inputs: the form can take them.
    let inputs = aims_workbench::rules::spec(aims_workbench::domain::RecordType::ManagementReview)
        .field("inputs")
        .unwrap();
    let aims_workbench::rules::spec::FieldKind::Group(sub) = inputs.kind else {
        panic!("inputs is a group");
    };
    for (name, _) in &links {
        assert!(
            sub.iter().any(|f| f.name == *name),
            "{name} is not an input field"
        );
    }
}

// ---- `n` in Reviews --------------------------------------------------------------------

use aims_workbench::tui::app::App;
use aims_workbench::tui::review_offer::ReviewOffer;
use aims_workbench::tui::theme::{ColorMode, Theme};
use common::{key, typed};
use ratatui::crossterm::event::KeyCode;

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| aims_workbench::tui::view::draw(f, app))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn n_in_reviews_offers_a_new_review_prefilled_with_the_packs_inputs() {
    let dir = history();
    let today = aims_workbench::domain::dates::parse_date(TODAY).unwrap();
    let mut app = App::new(
        Workspace::open(dir.path()).unwrap(),
        today,
        Some("ann".into()),
        false,
        Theme::resolve("dark", ColorMode::TrueColor).0,
    );
    // Suppliers, then Documents, then Reviews.
    typed(&mut app, "9");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "n");
    // The offer opens at once; the pack is assembled by a job (git), not in the frame.
    assert!(app.stack.top::<ReviewOffer>().is_some());
    assert!(screen(&app, 80, 24).contains("assembling the review inputs"));
    let jobs = app.stack.take_jobs();
    assert_eq!(jobs.len(), 1);
    for job in jobs {
        app.stack.deliver(job.run());
    }
    let text = screen(&app, 100, 30);
    assert!(text.contains("2026-02-01 to 2026-06-30"), "{text}");
    assert!(text.contains("Audits: AUD-2026-01"), "{text}");
    // y: the normal create form, with the inputs linked and the period noted.
    typed(&mut app, "y");
    let form = app.stack.form().expect("the MR create form");
    // The normal create form: its next free id, status planned.
    assert_eq!(form.values.text("id").as_deref(), Some("MR-001"));
    assert_eq!(form.values.text("status").as_deref(), Some("planned"));
    assert_eq!(form.values.text("held_on").as_deref(), Some(TODAY));
    let inputs = form.values.get("inputs").and_then(|v| v.as_map()).unwrap();
    assert_eq!(inputs.texts("audits"), ["AUD-2026-01"]);
    assert_eq!(inputs.texts("risks"), ["RISK-001", "RISK-002", "RISK-003"]);
    assert_eq!(
        inputs.text("previous_actions").as_deref(),
        Some("3 actions from MR-2026-01: 1 done, 2 open (1 overdue).")
    );
    assert!(
        form.values
            .text("notes")
            .unwrap()
            .contains("period 2026-02-01 to 2026-06-30")
    );
    // The links are real references: the form finds nothing wrong with them.
    assert!(
        form.errors()
            .iter()
            .all(|f| !f.field.as_deref().unwrap_or("").starts_with("inputs")),
        "{:?}",
        form.errors()
    );
}

#[test]
fn the_offer_can_give_a_blank_form_or_nothing() {
    let dir = history();
    let today = aims_workbench::domain::dates::parse_date(TODAY).unwrap();
    let mut app = App::new(
        Workspace::open(dir.path()).unwrap(),
        today,
        Some("ann".into()),
        false,
        Theme::resolve("dark", ColorMode::TrueColor).0,
    );
    typed(&mut app, "9");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "n");
    key(&mut app, KeyCode::Esc);
    assert!(app.stack.top::<ReviewOffer>().is_none());
    assert!(app.stack.form().is_none());
    typed(&mut app, "nd");
    let form = app.stack.form().expect("a blank MR form");
    assert!(form.values.get("inputs").is_none());
}

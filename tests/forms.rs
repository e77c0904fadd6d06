//! Guided forms, driven through key presses: every record type is created (SoA entries
//! edited) and the saved file passes `aims check`; missing fields block the save; the
//! forms and their dialogs at 80×24 match reviewed snapshots.

mod common;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::domain::text::one_line;
use aims_workbench::tui::app::App;
use aims_workbench::tui::form::Dialog;
use aims_workbench::tui::overlays::{ChooseKind, ConfirmDelete};
use aims_workbench::tui::theme::{ColorMode, Theme};
use aims_workbench::tui::view;
use aims_workbench::workspace::Workspace;
use common::{key, typed};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

use common::SAMPLE;

fn open_copy() -> (tempfile::TempDir, App) {
    let dir = common::copy_sample();
    let ws = Workspace::open(dir.path()).unwrap();
    let theme = Theme::resolve("dark", ColorMode::TrueColor).0;
    let app = App::new(
        ws,
        parse_date("2026-11-22").unwrap(),
        Some("amoreau".into()),
        false,
        theme,
    );
    (dir, app)
}

fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// How a field is filled, as a person would: type, pick, tick, or fill its items.
enum In {
    Text(&'static str),
    Long(&'static str),
    Lines(&'static [&'static str]),
    Pick(&'static str),
    Multi(&'static [&'static str]),
    Yes,
    Items(Vec<Vec<(&'static str, In)>>),
    Group(Vec<(&'static str, In)>),
}

fn current(app: &App) -> Option<&'static str> {
    app.stack.form()?.current_field().map(|(f, _)| f.name)
}

/// Moves down (wrapping) to the field.
fn goto(app: &mut App, name: &str) {
    for _ in 0..80 {
        if current(app) == Some(name) {
            return;
        }
        key(app, KeyCode::Down);
    }
    panic!("no field {name} in the form");
}

fn fill(app: &mut App, name: &str, input: &In) {
    goto(app, name);
    match input {
        In::Text(s) => {
            key(app, KeyCode::Enter);
            // A proposed value (the id) is replaced.
            for _ in 0..40 {
                key(app, KeyCode::Backspace);
            }
            typed(app, s);
            key(app, KeyCode::Enter);
        }
        In::Long(s) => {
            key(app, KeyCode::Enter);
            typed(app, s);
            key(app, KeyCode::Esc);
        }
        In::Lines(lines) => {
            key(app, KeyCode::Enter);
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    key(app, KeyCode::Enter);
                }
                typed(app, l);
            }
            key(app, KeyCode::Esc);
        }
        // Pickers filter after `/`.
        In::Pick(q) => {
            key(app, KeyCode::Enter);
            typed(app, "/");
            typed(app, q);
            key(app, KeyCode::Enter);
        }
        In::Multi(qs) => {
            key(app, KeyCode::Enter);
            for q in *qs {
                typed(app, "/");
                typed(app, q);
                // Enter ends the filter in a list of several; Space ticks; Esc clears.
                key(app, KeyCode::Enter);
                key(app, KeyCode::Char(' '));
                key(app, KeyCode::Esc);
            }
            key(app, KeyCode::Enter);
        }
        In::Yes => key(app, KeyCode::Char(' ')),
        In::Items(items) => {
            key(app, KeyCode::Enter);
            for item in items {
                typed(app, "a");
                for (sub, value) in item {
                    fill(app, sub, value);
                }
                key(app, KeyCode::Esc);
            }
            key(app, KeyCode::Esc);
        }
        In::Group(fields) => {
            key(app, KeyCode::Enter);
            for (sub, value) in fields {
                fill(app, sub, value);
            }
            key(app, KeyCode::Esc);
        }
    }
}

/// Fills every field, saves with Ctrl-S, and checks the file on disk passes `aims check`.
fn create_and_check(app: &mut App, dir: &Path, fields: &[(&'static str, In)]) -> String {
    let kind = (app.stack.form().expect("a form is open").subject)
        .record_kind()
        .expect("a record's form");
    for (name, input) in fields {
        fill(app, name, input);
    }
    let id = app.stack.form().unwrap().id();
    let errors: Vec<String> = app
        .stack
        .form()
        .unwrap()
        .errors()
        .iter()
        .map(|f| f.message.clone())
        .collect();
    assert!(errors.is_empty(), "{kind:?} still has errors: {errors:#?}");
    ctrl(app, 's');
    if let Some(Dialog::Warnings(_)) = app.stack.form().and_then(|f| f.dialog.clone()) {
        typed(app, "y");
    }
    assert!(
        app.stack.form().is_none(),
        "form closed after save: {:?}",
        app.stack.form().map(|f| (&f.dialog, &f.message))
    );
    assert_eq!(
        app.status.as_ref().map(|s| s.0.clone()),
        Some(format!("{id} saved"))
    );
    let file = dir.join(kind.dir()).join(format!("{id}.yaml"));
    assert!(file.exists(), "{file:?}");
    let findings = Workspace::open(dir)
        .unwrap()
        .check(parse_date("2026-11-22").unwrap());
    let rel = Path::new(kind.dir()).join(format!("{id}.yaml"));
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.file == rel && f.is_error())
        .collect();
    assert!(
        errors.is_empty(),
        "aims check on the saved {id}: {errors:#?}"
    );
    std::fs::read_to_string(file).unwrap()
}

#[test]
fn create_an_ai_system() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "2n");
    let text = create_and_check(
        &mut app,
        dir.path(),
        &[
            ("name", In::Text("Complaint triage classifier")),
            (
                "purpose",
                In::Long("Routes customer complaints to the right team."),
            ),
            ("roles", In::Multi(&["producer", "user"])),
            ("owner", In::Pick("lchen")),
            ("lifecycle_stage", In::Pick("development")),
            ("deployment_environment", In::Text("Nimbus Cloud, internal")),
            (
                "data_inputs",
                In::Lines(&["complaint text", "product held"]),
            ),
            ("personal_data", In::Yes),
            (
                "lawful_basis",
                In::Text("Legitimate interest (complaint handling)"),
            ),
            ("provenance", In::Pick("in-house")),
            ("risk_tier", In::Pick("limited")),
            (
                "human_oversight",
                In::Long("Agents can re-route any complaint."),
            ),
        ],
    );
    assert!(
        text.starts_with("id: SYS-010\nname: Complaint triage classifier\n"),
        "{text}"
    );
    assert!(text.contains("data_inputs:\n  - complaint text\n  - product held\n"));
}

#[test]
fn create_an_ai_risk_with_its_conditional_fields() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "3n");
    create_and_check(
        &mut app,
        dir.path(),
        &[
            (
                "title",
                In::Text("Triage classifier misroutes vulnerable customers"),
            ),
            (
                "description",
                In::Long("Vulnerability cues are missed, so complaints wait longer."),
            ),
            ("systems", In::Multi(&["SYS-007"])),
            ("category", In::Pick("bias-fair")),
            ("likelihood", In::Pick("possible")),
            ("impact", In::Pick("moderate")),
            ("treatment", In::Pick("mitigate")),
            ("controls", In::Multi(&["A.5.4", "A.9.2"])),
            (
                "treatment_plan",
                In::Long("Add a vulnerability flag and weekly sampling."),
            ),
            ("treatment_due", In::Text("+2m")),
            ("status", In::Pick("treating")),
        ],
    );
}

#[test]
fn create_an_impact_assessment_with_affected_parties() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "7n");
    let text = create_and_check(
        &mut app,
        dir.path(),
        &[
            ("system", In::Pick("SYS-007")),
            ("version", In::Text("1.0")),
            ("assessor", In::Pick("lchen")),
            ("performed_on", In::Text("2026-11-20")),
            (
                "intended_use",
                In::Long("Order the collections call queue."),
            ),
            ("foreseeable_misuse", In::Long("Used to decide who to sue.")),
            (
                "affected_parties",
                In::Items(vec![
                    vec![
                        ("party", In::Text("Customers in arrears")),
                        ("kind", In::Pick("individuals")),
                        ("impact", In::Text("Pressure at a bad time")),
                        ("severity", In::Pick("medium")),
                        ("likelihood", In::Pick("low")),
                    ],
                    vec![
                        ("party", In::Text("Customers with vulnerabilities")),
                        ("kind", In::Pick("groups")),
                        ("impact", In::Text("Calls they cannot cope with")),
                        ("severity", In::Pick("high")),
                        ("likelihood", In::Pick("low")),
                    ],
                ]),
            ),
            (
                "mitigations",
                In::Long("Vulnerability flag suppresses calls."),
            ),
            ("conclusion", In::Long("Acceptable with the flag in place.")),
        ],
    );
    assert!(
        text.contains("affected_parties:\n  - party: Customers in arrears\n"),
        "{text}"
    );
}

#[test]
fn edit_an_soa_entry_to_implemented_with_evidence() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "4");
    // A.4.4 is in progress in the sample.
    while app
        .panes
        .list(aims_workbench::tui::pane::Pane::Soa)
        .unwrap()
        .selected(&app.ws)
        .unwrap()
        .id
        != "A.4.4"
    {
        key(&mut app, KeyCode::Down);
    }
    typed(&mut app, "e");
    fill(&mut app, "status", &In::Pick("implemented"));
    let form = app.stack.form().unwrap();
    assert!(
        form.errors()
            .iter()
            .any(|f| f.message.contains("missing `links`")),
        "implemented needs evidence"
    );
    let text = create_and_check(
        &mut app,
        dir.path(),
        &[(
            "links",
            In::Items(vec![vec![
                ("label", In::Text("Tool register 2026")),
                ("target", In::Text("https://wiki.example/tools")),
            ]]),
        )],
    );
    assert!(text.contains("status: implemented"));
    let original = std::fs::read_to_string(Path::new(SAMPLE).join("soa/A.4.4.yaml")).unwrap();
    for line in original.lines().filter(|l| l.starts_with('#')) {
        assert!(text.contains(line), "comment kept: {line}");
    }
}

/// Picking a status says what it can about applicability, as it is picked: implemented
/// means the control applies, excluded that it does not; not-assessed leaves it alone.
#[test]
fn an_soa_status_implies_applicability_as_it_is_picked() {
    let (_dir, mut app) = open_copy();
    typed(&mut app, "4e");
    let form = app.stack.form().unwrap();
    assert_eq!(form.values.bool("applicable"), Some(true));
    fill(&mut app, "status", &In::Pick("excluded"));
    let form = app.stack.form().unwrap();
    assert_eq!(form.values.bool("applicable"), Some(false));
    assert_eq!(
        form.message.as_deref(),
        Some("Applicable set to no, as the status excluded implies")
    );
    // The owner and implementation are no longer required of an excluded control.
    assert!(
        !form.errors().iter().any(|f| f.message.contains("`owner`")),
        "{:?}",
        form.errors()
    );
    fill(&mut app, "status", &In::Pick("planned"));
    assert_eq!(
        app.stack.form().unwrap().values.bool("applicable"),
        Some(true)
    );
    fill(&mut app, "status", &In::Pick("not-assessed"));
    assert_eq!(
        app.stack.form().unwrap().values.bool("applicable"),
        Some(true),
        "not-assessed implies nothing: the value stays"
    );
}

/// The SoA form shows the control it decides above its fields: title, intent, question.
#[test]
fn the_soa_form_shows_the_controls_intent_and_audit_question() {
    let (_dir, mut app) = open_copy();
    typed(&mut app, "4e");
    let text = screen(&app);
    let control = aims_workbench::domain::catalog::control("A.2.2").unwrap();
    assert!(text.contains("A.2.2 AI policy"), "{text}");
    assert!(text.contains("Intent: Document a policy"), "{text}");
    assert!(text.contains("Audit question: Can you show"), "{text}");
    assert!(control.intent.starts_with("Document a policy"));
    // Inside a list field the fields' place is the list's: the control text gives way.
    goto(&mut app, "links");
    key(&mut app, KeyCode::Enter);
    assert!(!screen(&app).contains("Intent:"));
}

#[test]
fn create_an_internal_audit() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "8n");
    create_and_check(
        &mut app,
        dir.path(),
        &[
            ("id", In::Text("AUD-2027-01")),
            ("title", In::Text("2027 internal audit")),
            (
                "scope",
                In::Long("Clauses 4-10 and all applicable controls."),
            ),
            ("lead_auditor", In::Pick("jkowalski")),
            ("planned_on", In::Text("2027-03-01")),
        ],
    );
}

#[test]
fn create_a_nonconformity_and_an_incident_from_findings() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "6n");
    assert!(app.stack.top::<ChooseKind>().is_some());
    key(&mut app, KeyCode::Enter);
    create_and_check(
        &mut app,
        dir.path(),
        &[
            ("source", In::Pick("complaint")),
            ("source_ref", In::Text("Customer letter 2026-11-18")),
            ("requirement", In::Pick("A.8.5")),
            ("severity", In::Pick("minor")),
            (
                "description",
                In::Long("Customer was not told a model was used."),
            ),
            ("due", In::Text("+1m")),
        ],
    );
    typed(&mut app, "n");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    create_and_check(
        &mut app,
        dir.path(),
        &[
            ("title", In::Text("Assistant quoted a withdrawn fee")),
            ("system", In::Pick("SYS-003")),
            ("occurred_on", In::Text("2026-11-21")),
            ("type", In::Pick("hallucination")),
            ("severity", In::Pick("low")),
            (
                "description",
                In::Long("Quoted the 2024 fee table to three customers."),
            ),
            ("external_reporting_required", In::Yes),
            ("reported_to", In::Text("The three customers")),
            ("reported_on", In::Text("t")),
        ],
    );
}

#[test]
fn create_a_supplier_with_its_due_diligence() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "9n");
    create_and_check(
        &mut app,
        dir.path(),
        &[
            ("name", In::Text("Lexa Speech Ltd")),
            ("services", In::Long("Speech-to-text for call recordings.")),
            ("systems", In::Multi(&["SYS-007"])),
            (
                "due_diligence",
                In::Group(vec![
                    ("model_provenance", In::Long("Their own conformer model.")),
                    (
                        "training_data_origin",
                        In::Long("Licensed call-centre audio."),
                    ),
                    ("performance_claims", In::Long("9% WER on their benchmark.")),
                    ("ip_terms", In::Long("We own transcripts.")),
                    ("contract_terms", In::Long("No training on our audio.")),
                ]),
            ),
        ],
    );
}

#[test]
fn create_a_management_review_document_and_objective() {
    let (dir, mut app) = open_copy();
    // Reviews, Documents and Objectives follow Suppliers in the tab order.
    typed(&mut app, "9");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    // `n` in Reviews offers the review pack's inputs; `d` takes a blank form.
    typed(&mut app, "nd");
    create_and_check(
        &mut app,
        dir.path(),
        &[
            ("id", In::Text("MR-2026")),
            ("held_on", In::Text("2026-12-10")),
            ("attendees", In::Multi(&["amoreau", "dokafor"])),
        ],
    );
    typed(&mut app, "9");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "n");
    create_and_check(
        &mut app,
        dir.path(),
        &[
            ("title", In::Text("Vulnerable customer handling with AI")),
            ("kind", In::Pick("procedure")),
            ("version", In::Text("1.0")),
            ("approved_by", In::Pick("dokafor")),
            ("approved_on", In::Text("2026-11-20")),
            (
                "location",
                In::Text("https://intranet.example/docs/vuln-ai"),
            ),
        ],
    );
    typed(&mut app, "9");
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "n");
    create_and_check(
        &mut app,
        dir.path(),
        &[
            ("title", In::Text("Every high-risk system has a current IA")),
            (
                "measure",
                In::Text("share of high-tier systems with an approved IA"),
            ),
            ("target", In::Text("100%")),
            ("due", In::Text("2027-03-31")),
        ],
    );
}

#[test]
fn missing_and_conditional_fields_block_the_save_with_the_right_message() {
    let (_dir, mut app) = open_copy();
    typed(&mut app, "3n");
    ctrl(&mut app, 's');
    let Some(Dialog::Errors(errors)) = app.stack.form().and_then(|f| f.dialog.clone()) else {
        panic!("save refused with the list of what to fix");
    };
    assert!(
        errors.iter().any(|e| e.starts_with("missing `title`")),
        "{errors:?}"
    );
    key(&mut app, KeyCode::Esc);
    fill(&mut app, "treatment", &In::Pick("accept"));
    let errors: Vec<String> = app
        .stack
        .form()
        .unwrap()
        .errors()
        .iter()
        .map(|f| f.message.clone())
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("missing `accepted_by`") && e.contains("treatment is accept")),
        "{errors:?}"
    );
    // The conditional requirement goes away with its condition.
    fill(&mut app, "treatment", &In::Pick("avoid"));
    let errors: Vec<String> = app
        .stack
        .form()
        .unwrap()
        .errors()
        .iter()
        .map(|f| f.message.clone())
        .collect();
    assert!(
        !errors.iter().any(|e| e.contains("accepted_by")),
        "{errors:?}"
    );
    // Leaving with changes asks first.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.stack.form().unwrap().dialog, Some(Dialog::Leave));
    typed(&mut app, "d");
    assert!(app.stack.form().is_none());
}

#[test]
fn an_invalid_date_is_refused_as_typed() {
    let (_dir, mut app) = open_copy();
    typed(&mut app, "5");
    typed(&mut app, "6n");
    key(&mut app, KeyCode::Enter);
    goto(&mut app, "due");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "31/12/2026");
    key(&mut app, KeyCode::Enter);
    let form = app.stack.form().unwrap();
    assert!(form.editor.is_some(), "still editing");
    assert!(form.message.as_deref().unwrap().contains("YYYY-MM-DD"));
}

#[test]
fn control_characters_are_refused_in_one_line_fields_and_stripped_from_long_text() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "2");
    typed(&mut app, "e");
    goto(&mut app, "name");
    key(&mut app, KeyCode::Enter);
    app.on_paste("evil\u{1b}[2J");
    assert!(
        app.stack
            .form()
            .unwrap()
            .message
            .as_deref()
            .unwrap()
            .contains("not allowed")
    );
    key(&mut app, KeyCode::Esc);
    goto(&mut app, "purpose");
    key(&mut app, KeyCode::Enter);
    app.on_paste("\nAppended \u{7}line");
    key(&mut app, KeyCode::Esc);
    ctrl(&mut app, 's');
    let text = std::fs::read_to_string(dir.path().join("systems/SYS-001.yaml")).unwrap();
    assert!(
        text.contains("Appended line") && !text.contains('\u{7}'),
        "{text}"
    );
}

#[test]
fn a_conflicting_edit_merges_what_only_one_side_changed_and_says_which() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "9e");
    let id = app.stack.form().unwrap().id();
    fill(
        &mut app,
        "name",
        &In::Text("Cirrus Language Models Limited"),
    );
    // Someone else changes the owner meanwhile.
    let path = dir.path().join(format!("suppliers/{id}.yaml"));
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("owner: rsantos", "owner: pnair");
    std::fs::write(&path, &theirs).unwrap();
    ctrl(&mut app, 's');
    let Some(Dialog::Conflict(clash)) = app.stack.form().and_then(|f| f.dialog.clone()) else {
        panic!("a conflict dialog");
    };
    assert_eq!(clash.changed_on_disk(), vec!["owner".to_string()]);
    assert!(clash.merge.conflicts.is_empty(), "{:?}", clash.merge);
    let shown = screen(&app);
    assert!(
        shown.contains("Merged without asking: name (yours), owner (theirs)"),
        "{shown}"
    );
    insta::assert_snapshot!("form_conflict", shown);
    typed(&mut app, "s");
    assert!(
        app.stack.form().is_none(),
        "{:?}",
        app.stack.form().map(|f| &f.message)
    );
    let merged = std::fs::read_to_string(&path).unwrap();
    assert!(
        merged.contains("owner: pnair") && merged.contains("name: Cirrus Language Models Limited"),
        "{merged}"
    );
}

#[test]
fn delete_asks_naming_what_links_to_the_record_then_moves_it_to_the_trash() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "2");
    typed(&mut app, "D");
    let Some(ConfirmDelete { id, referrers }) = app.stack.top::<ConfirmDelete>() else {
        panic!("confirm")
    };
    let (id, referrers) = (id.clone(), referrers.clone());
    assert_eq!(id, "SYS-001");
    assert!(referrers.contains(&"RISK-001".to_string()), "{referrers:?}");
    insta::assert_snapshot!("delete_dialog", screen(&app));
    key(&mut app, KeyCode::Enter);
    assert!(!dir.path().join("systems/SYS-001.yaml").exists());
    assert!(
        dir.path()
            .join(".aims/trash/SYS-001.2026-11-22.yaml")
            .exists()
    );
    assert!(
        app.index
            .findings
            .iter()
            .any(|f| f.message.contains("`SYS-001`, which does not exist"))
    );
    assert!(app.status.as_ref().unwrap().0.contains("now dangle"));
}

/// The Registers pane creates any of its six types: a kind is chosen first.
fn new_in_registers(app: &mut App, kind: aims_workbench::domain::RecordType) {
    app.panes.pane = aims_workbench::tui::pane::Pane::Registers;
    typed(app, "n");
    let Some(choose) = app.stack.top::<aims_workbench::tui::overlays::ChooseKind>() else {
        panic!("Registers asks which type to create");
    };
    let down = choose.kinds.iter().position(|k| *k == kind).unwrap();
    for _ in 0..down {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter);
    assert_eq!(
        app.stack.form().and_then(|f| f.subject.record_kind()),
        Some(kind)
    );
}

#[test]
fn create_a_dataset_then_a_metric_with_a_breaching_measurement() {
    use aims_workbench::domain::RecordType;
    let (dir, mut app) = open_copy();
    new_in_registers(&mut app, RecordType::Dataset);
    let text = create_and_check(
        &mut app,
        dir.path(),
        &[
            ("name", In::Text("Complaint texts 2024-2026")),
            ("source", In::Long("Complaints system export, 2024-2026.")),
            ("collection", In::Long("Complaints logged by agents.")),
            ("legal_basis", In::Text("GDPR Art. 6(1)(c)")),
            ("personal_data", In::Yes),
            ("sensitive_attributes", In::Lines(&["health (free text)"])),
            (
                "quality_checks",
                In::Long("Duplicates removed; 5% relabelled."),
            ),
            ("known_biases", In::Long("Few complaints in Irish.")),
            ("retention", In::Text("6 years")),
            ("owner", In::Pick("lchen")),
        ],
    );
    assert!(
        text.starts_with("id: DS-007\nname: Complaint texts 2024-2026\n"),
        "{text}"
    );
    assert!(text.contains("personal_data: true\n"), "{text}");
    assert!(
        text.contains("sensitive_attributes:\n  - health (free text)\n"),
        "{text}"
    );

    new_in_registers(&mut app, RecordType::Metric);
    let text = create_and_check(
        &mut app,
        dir.path(),
        &[
            ("title", In::Text("Complaints misrouted")),
            (
                "method",
                In::Long("Weekly sample of 200 routed complaints."),
            ),
            ("frequency", In::Text("1m")),
            ("direction", In::Pick("max")),
            ("threshold", In::Text("5")),
            ("systems", In::Multi(&["SYS-003"])),
            (
                "measurements",
                In::Items(vec![vec![
                    ("date", In::Text("2026-11-20")),
                    ("value", In::Text("6.5")),
                    ("by", In::Pick("rsantos")),
                ]]),
            ),
        ],
    );
    assert!(text.starts_with("id: MET-006\n"), "{text}");
    assert!(
        text.contains("measurements:\n  - date: 2026-11-20\n"),
        "{text}"
    );
    // Saved over the warning: the breach is a finding of the new metric.
    let findings = Workspace::open(dir.path())
        .unwrap()
        .check(parse_date("2026-11-22").unwrap());
    assert!(
        findings.iter().any(|f| f.code == "metric-breach"
            && f.message.contains("MET-006 measured 6.5 on 2026-11-20")),
        "{findings:#?}"
    );
}

#[test]
fn create_a_context_issue_party_competence_record_and_communication() {
    use aims_workbench::domain::RecordType;
    let (dir, mut app) = open_copy();
    new_in_registers(&mut app, RecordType::ContextIssue);
    let text = create_and_check(
        &mut app,
        dir.path(),
        &[
            ("title", In::Text("New consumer-credit directive")),
            ("kind", In::Pick("external")),
            ("description", In::Long("CCD2 applies from November 2026.")),
            (
                "effect",
                In::Long("Explanations of credit decisions change."),
            ),
        ],
    );
    assert!(text.starts_with("id: CTX-005\n"), "{text}");

    new_in_registers(&mut app, RecordType::InterestedParty);
    let text = create_and_check(
        &mut app,
        dir.path(),
        &[
            ("name", In::Text("Consumer association")),
            (
                "requirements",
                In::Items(vec![vec![
                    ("requirement", In::Text("Plain-language decline reasons")),
                    ("basis", In::Pick("expectation")),
                ]]),
            ),
            (
                "addressed",
                In::Long("Reason codes reviewed with them yearly."),
            ),
        ],
    );
    assert!(
        text.contains("requirements:\n  - requirement: Plain-language decline reasons\n"),
        "{text}"
    );

    new_in_registers(&mut app, RecordType::Competence);
    let text = create_and_check(
        &mut app,
        dir.path(),
        &[
            ("title", In::Text("Yearly AI-governance training")),
            ("person", In::Pick("lchen")),
            ("role", In::Text("Head of Data Science")),
            (
                "required",
                In::Long("AI regulation and the AIMS procedures."),
            ),
            ("evidence", In::Text("LMS course AIG-200")),
            ("completed_on", In::Text("2026-11-20")),
            ("every", In::Text("1y")),
        ],
    );
    assert!(text.contains("every: 1y\n"), "{text}");

    new_in_registers(&mut app, RecordType::Communication);
    let text = create_and_check(
        &mut app,
        dir.path(),
        &[
            ("title", In::Text("Model change notice to card operations")),
            ("audience", In::Text("Card operations team leads")),
            ("channel", In::Text("E-mail")),
            ("cadence", In::Text("on each FraudGuard release")),
            ("next_due", In::Text("2027-01-15")),
        ],
    );
    assert!(
        text.contains("cadence: on each FraudGuard release\n"),
        "{text}"
    );
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn every_form_empty_and_with_errors_at_80x24() {
    use aims_workbench::tui::pane::Pane;
    let panes = [
        (Pane::Inventory, "system"),
        (Pane::Risks, "risk"),
        (Pane::Assessments, "impact_assessment"),
        (Pane::Audits, "audit"),
        (Pane::Suppliers, "supplier"),
        (Pane::Documents, "document"),
        (Pane::Reviews, "management_review"),
        (Pane::Objectives, "objective"),
    ];
    for (pane, name) in panes {
        let (_dir, mut app) = open_copy();
        app.panes.pane = pane;
        // In Reviews, `n` offers the review pack's inputs first; `d` takes a blank form.
        typed(&mut app, if pane == Pane::Reviews { "nd" } else { "n" });
        insta::assert_snapshot!(format!("form_{name}_new"), screen(&app));
        ctrl(&mut app, 's');
        key(&mut app, KeyCode::Esc);
        insta::assert_snapshot!(format!("form_{name}_errors"), screen(&app));
    }
    // Findings creates either of its two types.
    for (down, name) in [(0, "nonconformity"), (1, "incident")] {
        let (_dir, mut app) = open_copy();
        app.panes.pane = Pane::Findings;
        typed(&mut app, "n");
        for _ in 0..down {
            key(&mut app, KeyCode::Down);
        }
        key(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(format!("form_{name}_new"), screen(&app));
        ctrl(&mut app, 's');
        key(&mut app, KeyCode::Esc);
        insta::assert_snapshot!(format!("form_{name}_errors"), screen(&app));
    }
    // Registers creates any of its six types: each one's form.
    use aims_workbench::domain::RecordType;
    for (kind, name) in [
        (RecordType::Dataset, "dataset"),
        (RecordType::Metric, "metric"),
        (RecordType::ContextIssue, "context_issue"),
        (RecordType::InterestedParty, "interested_party"),
        (RecordType::Competence, "competence"),
        (RecordType::Communication, "communication"),
    ] {
        let (_dir, mut app) = open_copy();
        new_in_registers(&mut app, kind);
        insta::assert_snapshot!(format!("form_{name}_new"), screen(&app));
        ctrl(&mut app, 's');
        key(&mut app, KeyCode::Esc);
        insta::assert_snapshot!(format!("form_{name}_errors"), screen(&app));
    }
    // SoA entries are edited: the form of A.2.2, then with its justification cleared.
    let (_dir, mut app) = open_copy();
    typed(&mut app, "4e");
    insta::assert_snapshot!("form_soa_edit", screen(&app));
    goto(&mut app, "justification");
    typed(&mut app, "x");
    ctrl(&mut app, 's');
    assert!(matches!(
        app.stack.form().and_then(|f| f.dialog.clone()),
        Some(Dialog::Errors(_))
    ));
    insta::assert_snapshot!("form_soa_errors_dialog", screen(&app));
    let _ = one_line("");
}

#[test]
fn a_change_loaded_by_the_watcher_is_not_undone_by_an_open_form() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "9e");
    let id = app.stack.form().unwrap().id();
    fill(
        &mut app,
        "name",
        &In::Text("Cirrus Language Models Limited"),
    );
    let path = dir.path().join(format!("suppliers/{id}.yaml"));
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("owner: rsantos", "owner: pnair");
    std::fs::write(&path, &theirs).unwrap();
    // The watcher reloads before the save.
    app.reload(Workspace::open(dir.path()).unwrap());
    // The form says so before any save is tried.
    assert!(
        screen(&app).contains("changed on disk (owner): your save will merge"),
        "{}",
        screen(&app)
    );
    ctrl(&mut app, 's');
    let Some(Dialog::Conflict(clash)) = app.stack.form().and_then(|f| f.dialog.clone()) else {
        panic!("the reloaded change is shown as a conflict");
    };
    assert_eq!(clash.changed_on_disk(), vec!["owner".to_string()]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "nothing written yet"
    );
    typed(&mut app, "s");
    let merged = std::fs::read_to_string(&path).unwrap();
    assert!(
        merged.contains("owner: pnair") && merged.contains("Cirrus Language Models Limited"),
        "{merged}"
    );
}

/// Both change the same field: the dialog shows theirs and mine, and the one picked is
/// what lands; nothing of the other side's other changes is lost.
#[test]
fn a_same_field_conflict_shows_both_values_and_keeps_the_one_chosen() {
    for (pick, kept, lost) in [
        ("m", "Cirrus Language Models Limited", "Cirrus LM (renamed)"),
        ("t", "Cirrus LM (renamed)", "Cirrus Language Models Limited"),
    ] {
        let (dir, mut app) = open_copy();
        typed(&mut app, "9e");
        let id = app.stack.form().unwrap().id();
        fill(
            &mut app,
            "name",
            &In::Text("Cirrus Language Models Limited"),
        );
        let path = dir.path().join(format!("suppliers/{id}.yaml"));
        let theirs = std::fs::read_to_string(&path)
            .unwrap()
            .replace(
                "name: Cirrus Language Models Ltd",
                "name: Cirrus LM (renamed)",
            )
            .replace("owner: rsantos", "owner: pnair");
        std::fs::write(&path, &theirs).unwrap();
        ctrl(&mut app, 's');
        let Some(Dialog::Conflict(clash)) = app.stack.form().and_then(|f| f.dialog.clone()) else {
            panic!("a conflict dialog");
        };
        assert_eq!(clash.merge.conflicts.len(), 1, "{:?}", clash.merge);
        assert_eq!(clash.merge.conflicts[0].path.to_string(), "name");
        let shown = screen(&app);
        assert!(
            shown.contains("theirs  Cirrus LM (renamed)")
                && shown.contains("mine    Cirrus Language Models Limited"),
            "{shown}"
        );
        if pick == "m" {
            insta::assert_snapshot!("form_conflict_same_field", shown);
        }
        // Saving before picking is refused, and says what is missing.
        typed(&mut app, "s");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
        assert!(screen(&app).contains("pick theirs (t) or mine (m) for name first"));
        typed(&mut app, pick);
        typed(&mut app, "s");
        assert!(app.stack.form().is_none(), "{}", screen(&app));
        let saved = std::fs::read_to_string(&path).unwrap();
        assert!(
            saved.contains(&format!("name: {kept}"))
                && !saved.contains(lost)
                && saved.contains("owner: pnair"),
            "{saved}"
        );
    }
}

/// `e` in the dialog opens the field's editor with mine, on top of the merge.
#[test]
fn edit_in_a_conflict_opens_the_field_with_mine_on_top_of_theirs() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "9e");
    let id = app.stack.form().unwrap().id();
    fill(&mut app, "name", &In::Text("Cirrus Mine"));
    let path = dir.path().join(format!("suppliers/{id}.yaml"));
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name: Cirrus Language Models Ltd", "name: Cirrus Theirs")
        .replace("owner: rsantos", "owner: pnair");
    std::fs::write(&path, &theirs).unwrap();
    ctrl(&mut app, 's');
    typed(&mut app, "e");
    let form = app.stack.form().expect("the form stays");
    assert!(form.dialog.is_none() && form.editor.is_some());
    assert_eq!(current(&app), Some("name"));
    typed(&mut app, " edited");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 's');
    assert!(app.stack.form().is_none(), "{}", screen(&app));
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("name: Cirrus Mine edited") && saved.contains("owner: pnair"),
        "{saved}"
    );
}

/// A third person saving while the dialog is open is not overwritten by the merge.
#[test]
fn a_merge_is_refused_when_a_third_version_landed_meanwhile() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "9e");
    let id = app.stack.form().unwrap().id();
    fill(&mut app, "name", &In::Text("Cirrus Mine"));
    let path = dir.path().join(format!("suppliers/{id}.yaml"));
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, original.replace("owner: rsantos", "owner: pnair")).unwrap();
    ctrl(&mut app, 's');
    assert!(matches!(
        app.stack.form().and_then(|f| f.dialog.clone()),
        Some(Dialog::Conflict(_))
    ));
    let third = original.replace("owner: rsantos", "owner: lchen");
    std::fs::write(&path, &third).unwrap();
    typed(&mut app, "s");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        third,
        "not overwritten"
    );
    let Some(Dialog::Conflict(clash)) = app.stack.form().and_then(|f| f.dialog.clone()) else {
        panic!("the dialog again, against the third version");
    };
    assert_eq!(clash.changed_on_disk(), vec!["owner".to_string()]);
    typed(&mut app, "s");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("owner: lchen") && saved.contains("name: Cirrus Mine"),
        "{saved}"
    );
}

/// An owner changed through the form is logged in `history` as `o` logs it.
#[test]
fn an_owner_changed_in_a_form_writes_history() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "9e");
    let id = app.stack.form().unwrap().id();
    fill(&mut app, "owner", &In::Pick("pnair"));
    ctrl(&mut app, 's');
    if app.stack.form().is_some() {
        // Warnings asked first.
        typed(&mut app, "y");
    }
    assert!(app.stack.form().is_none(), "{}", screen(&app));
    let saved = std::fs::read_to_string(dir.path().join(format!("suppliers/{id}.yaml"))).unwrap();
    assert!(saved.contains("owner: pnair"), "{saved}");
    assert!(
        saved.contains("by: amoreau") && saved.contains("reassigned owner from rsantos to pnair"),
        "{saved}"
    );
}

fn reopen(dir: &tempfile::TempDir) -> App {
    let theme = Theme::resolve("dark", ColorMode::TrueColor).0;
    App::new(
        Workspace::open(dir.path()).unwrap(),
        parse_date("2026-11-22").unwrap(),
        Some("amoreau".into()),
        false,
        theme,
    )
}

fn draft_files(dir: &tempfile::TempDir) -> Vec<String> {
    let drafts = aims_workbench::workspace::draft::Drafts::open(dir.path());
    std::fs::read_dir(drafts.dir())
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A form's unsaved state is kept in a draft; the next start offers it, and restoring
/// shows what was typed; saving removes the draft.
#[test]
fn a_form_left_unsaved_is_offered_for_restore_and_restores() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "9e");
    let id = app.stack.form().unwrap().id();
    fill(&mut app, "name", &In::Text("Cirrus Typed Before The Crash"));
    assert!(app.pending());
    app.flush();
    assert!(!app.pending());
    assert_eq!(draft_files(&dir), vec![format!("{id}.form.json")]);
    drop(app); // the process is gone, nothing saved

    let mut app = reopen(&dir);
    app.offer_drafts();
    let shown = screen(&app);
    assert!(
        shown.contains(&format!("Restore your unsaved edit of {id} from")),
        "{shown}"
    );
    typed(&mut app, "y");
    let form = app.stack.form().expect("the form, restored");
    assert_eq!(
        form.values.text("name").as_deref(),
        Some("Cirrus Typed Before The Crash")
    );
    assert!(form.dialog.is_none(), "unchanged on disk: no merge");
    ctrl(&mut app, 's');
    assert!(app.stack.form().is_none(), "{}", screen(&app));
    let saved = std::fs::read_to_string(dir.path().join(format!("suppliers/{id}.yaml"))).unwrap();
    assert!(
        saved.contains("name: Cirrus Typed Before The Crash"),
        "{saved}"
    );
    assert!(draft_files(&dir).is_empty(), "{:?}", draft_files(&dir));
}

/// What is being typed in a field that is still open is in the draft too (a connection
/// dropped mid-word loses at most the last second of it), and the field keeps being edited.
#[test]
fn text_still_being_typed_in_an_open_field_is_in_the_draft() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "9e");
    let id = app.stack.form().unwrap().id();
    goto(&mut app, "name");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, " (typed, not yet left)");
    assert!(
        app.stack.form().unwrap().editor.is_some(),
        "the field is still open"
    );
    assert!(app.pending());
    app.flush();
    assert!(!app.pending());
    assert!(
        app.stack.form().unwrap().editor.is_some(),
        "flushing leaves it open"
    );
    drop(app);

    let mut app = reopen(&dir);
    app.offer_drafts();
    typed(&mut app, "y");
    let form = app.stack.form().expect("the form, restored");
    assert_eq!(
        form.values.text("name").as_deref(),
        Some("Cirrus Language Models Ltd (typed, not yet left)"),
        "{id}"
    );
}

/// A draft of a record saved since by someone else restores through the conflict dialog;
/// `d` discards a draft, and leaving a form with discard removes its draft.
#[test]
fn a_draft_never_overwrites_a_newer_file_and_can_be_discarded() {
    let (dir, mut app) = open_copy();
    typed(&mut app, "9e");
    let id = app.stack.form().unwrap().id();
    fill(&mut app, "name", &In::Text("Cirrus Mine"));
    app.flush();
    drop(app);
    let path = dir.path().join(format!("suppliers/{id}.yaml"));
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name: Cirrus Language Models Ltd", "name: Cirrus Theirs");
    std::fs::write(&path, &theirs).unwrap();

    let mut app = reopen(&dir);
    app.offer_drafts();
    typed(&mut app, "y");
    let Some(Dialog::Conflict(clash)) = app.stack.form().and_then(|f| f.dialog.clone()) else {
        panic!("the merge, not an overwrite\n{}", screen(&app));
    };
    assert_eq!(clash.merge.conflicts[0].path.to_string(), "name");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    // Cancel, then leave the form discarding: the draft goes.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    typed(&mut app, "d");
    assert!(app.stack.form().is_none(), "{}", screen(&app));
    assert!(draft_files(&dir).is_empty(), "{:?}", draft_files(&dir));

    // `d` at the offer discards too.
    let mut app = reopen(&dir);
    typed(&mut app, "9e");
    fill(&mut app, "name", &In::Text("Another try"));
    app.flush();
    let mut app = reopen(&dir);
    app.offer_drafts();
    typed(&mut app, "d");
    assert!(app.stack.is_empty());
    assert!(draft_files(&dir).is_empty(), "{:?}", draft_files(&dir));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
}

#[test]
fn opening_a_field_and_leaving_it_changes_nothing() {
    let (_dir, mut app) = open_copy();
    typed(&mut app, "6");
    typed(&mut app, "e");
    goto(&mut app, "description");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    goto(&mut app, "source_ref");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert!(
        !app.stack.form().unwrap().dirty(),
        "{:?}",
        app.stack.form().unwrap().changed_fields()
    );
}

/// A folded paragraph edited through the form comes back folded, with the value the form
/// held (no added newline or space), and the rest of the file byte for byte.
#[test]
fn a_folded_block_edited_in_a_form_keeps_its_style_and_value() {
    let (dir, mut app) = open_copy();
    let path = dir.path().join("risks/RISK-001.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    let record = app.ws.get("RISK-001").unwrap().clone();
    let form = aims_workbench::tui::form::Form::edit(&record, &app.ws, app.today);
    app.stack.open(form);
    goto(&mut app, "description");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Reviewed: ");
    key(&mut app, KeyCode::Esc);
    let meant = app
        .stack
        .form()
        .unwrap()
        .values
        .get("description")
        .cloned()
        .unwrap();
    ctrl(&mut app, 's');
    if app.stack.form().is_some_and(|f| f.dialog.is_some()) {
        typed(&mut app, "y");
    }
    assert!(app.stack.form().is_none(), "saved: {:?}", app.status);
    let after = std::fs::read_to_string(&path).unwrap();
    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(
        ws.get("RISK-001").unwrap().fields.get("description"),
        Some(&meant)
    );
    assert!(after.contains("description: >\n  "), "{after}");
    // Only the description's lines changed.
    let untouched = |t: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut skipping = false;
        for l in t.lines() {
            if l.starts_with("description:") {
                skipping = true;
                continue;
            }
            if skipping && l.starts_with("  ") {
                continue;
            }
            skipping = false;
            out.push(l.to_string());
        }
        out
    };
    assert_eq!(untouched(&before), untouched(&after));
}

/// The crosswalks where a control is chosen or read: the SoA entry's detail lists the
/// requirements of ISO/IEC 27001, the NIST AI RMF and the EU AI Act it maps to, and the
/// control picker shows them for the highlighted control.
#[test]
fn soa_detail_and_control_picker_show_the_crosswalk_mappings_at_80x24() {
    let (_dir, mut app) = open_copy();
    typed(&mut app, "4");
    key(&mut app, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("Maps to:"), "{shown}");
    assert!(shown.contains("ISO/IEC 27001: A.5.1"), "{shown}");
    assert!(shown.contains("NIST AI RMF: GOVERN 1.2"), "{shown}");
    insta::assert_snapshot!("soa_detail_mappings_80x24", shown);

    // The first risk is treated with controls: the picker shows the highlighted one's.
    let (_dir, mut app) = open_copy();
    typed(&mut app, "3e");
    goto(&mut app, "controls");
    key(&mut app, KeyCode::Enter);
    assert!(
        screen(&app).contains(" 27001 A.5.1 · AI RMF GOVERN 1.2 · AI Act — "),
        "the first control's mappings: {}",
        screen(&app)
    );
    typed(&mut app, "/A.5.4");
    let shown = screen(&app);
    assert!(
        shown.contains(" 27001 A.5.34 · AI RMF "),
        "the filtered control's mappings: {shown}"
    );
    insta::assert_snapshot!("control_picker_mappings_80x24", shown);
}

/// A Settings edit is kept in a draft like a record's: dropped without saving, the next
/// start offers it; restored over an aims.yaml someone saved since, it goes through the
/// three-way merge, and saving writes both changes and removes the draft.
#[test]
fn a_settings_edit_survives_a_dropped_connection_and_merges_on_restore() {
    let (dir, mut app) = open_copy();
    typed(&mut app, ",");
    fill(
        &mut app,
        "organization",
        &In::Text("Northwind Lending Typed"),
    );
    assert!(app.pending(), "a typed settings change waits to be drafted");
    app.flush();
    assert_eq!(
        draft_files(&dir),
        vec!["settings.aims.form.json".to_string()]
    );
    drop(app); // the connection dropped: nothing saved
    let path = dir.path().join("aims.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    assert!(before.contains("organization: Northwind Lending DAC"));

    // Unchanged on disk: restored as typed, straight into the form.
    let mut app = reopen(&dir);
    app.offer_drafts();
    let shown = screen(&app);
    assert!(
        shown.contains("Restore your unsaved edit of the settings from"),
        "{shown}"
    );
    typed(&mut app, "y");
    let form = app.stack.form().expect("the Settings form, restored");
    assert_eq!(form.subject, aims_workbench::tui::form::Subject::Settings);
    assert_eq!(
        form.values.text("organization").as_deref(),
        Some("Northwind Lending Typed")
    );
    assert!(form.dialog.is_none(), "unchanged on disk: no merge");
    drop(app); // dropped again, still unsaved

    // Someone saves aims.yaml meanwhile (another field): restoring merges both.
    let theirs = before.replace("due_soon_days: 14", "due_soon_days: 21");
    assert_ne!(theirs, before, "the sample sets due_soon_days: 14");
    std::fs::write(&path, &theirs).unwrap();
    let mut app = reopen(&dir);
    app.offer_drafts();
    typed(&mut app, "y");
    let Some(Dialog::Conflict(clash)) = app.stack.form().and_then(|f| f.dialog.clone()) else {
        panic!("the merge, not an overwrite\n{}", screen(&app));
    };
    assert!(
        clash.merge.conflicts.is_empty(),
        "{:?}",
        clash.merge.conflicts
    );
    assert_eq!(clash.changed_on_disk(), vec!["due_soon_days".to_string()]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    // aims.yaml is one file: the merge offers no "save as new".
    assert!(!screen(&app).contains("as new"), "{}", screen(&app));
    typed(&mut app, "n");
    assert!(matches!(
        app.stack.form().and_then(|f| f.dialog.as_ref()),
        Some(Dialog::Conflict(_))
    ));
    typed(&mut app, "s");
    if app.stack.form().is_some_and(|f| f.dialog.is_some()) {
        typed(&mut app, "y"); // warnings asked first
    }
    assert!(app.stack.form().is_none(), "{}", screen(&app));
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("organization: Northwind Lending Typed")
            && saved.contains("due_soon_days: 21"),
        "{saved}"
    );
    assert!(draft_files(&dir).is_empty(), "{:?}", draft_files(&dir));
}

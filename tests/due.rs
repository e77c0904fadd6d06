//! The due list: every dated obligation, given "today".

mod common;
use aims_workbench::domain::dates::parse_date;
use aims_workbench::rules::due::{DueKind, DueState, obligations};
use aims_workbench::workspace::Workspace;

fn due(extra: &[(&str, &str)]) -> Vec<aims_workbench::rules::due::DueItem> {
    let dir = common::workspace(extra);
    let ws = Workspace::open(dir.path()).unwrap();
    obligations(&ws.records, &ws.settings, common::today())
}

#[test]
fn next_review_comes_from_the_cadence_unless_set() {
    let doc = "id: DOC-001\ntitle: Policy\nkind: policy\nversion: '1'\nowner: ann\napproved_by: bob\napproved_on: 2026-01-01\nlocation: x\n";
    let items = due(&[(
        "documents/DOC-001.yaml",
        &format!("{doc}last_reviewed: 2025-11-01\n"),
    )]);
    let review = items.iter().find(|i| i.record == "DOC-001").unwrap();
    assert_eq!(review.due, parse_date("2026-11-01").unwrap());
    assert_eq!(
        (review.kind, review.state, review.days),
        (DueKind::Review, DueState::Overdue, -21)
    );
    assert_eq!(review.owner.as_deref(), Some("ann"));

    let explicit = due(&[(
        "documents/DOC-001.yaml",
        &format!("{doc}last_reviewed: 2025-11-01\nnext_review: 2026-12-01\n"),
    )]);
    let r = explicit.iter().find(|i| i.record == "DOC-001").unwrap();
    assert_eq!((r.state, r.days), (DueState::DueSoon, 9));

    // A next_review left behind by a later review is stale: the cadence applies.
    let stale = due(&[(
        "documents/DOC-001.yaml",
        &format!("{doc}last_reviewed: 2026-11-20\nnext_review: 2026-05-01\n"),
    )]);
    let r = stale.iter().find(|i| i.record == "DOC-001").unwrap();
    assert_eq!(r.due, parse_date("2027-11-20").unwrap());
    assert_eq!(r.state, DueState::Later);
}

#[test]
fn impact_assessment_refresh_never_exceeds_the_cadence() {
    let ia = "id: IA-001\nsystem: SYS-001\nversion: '1'\nassessor: bob\nperformed_on: 2025-01-01\nintended_use: u\nforeseeable_misuse: m\n\
affected_parties: [{party: p, kind: individuals, impact: i, severity: low, likelihood: low}]\nmitigations: m\nconclusion: c\nstatus: approved\napproved_by: ann\napproved_on: 2025-06-01\nnext_refresh: 2099-01-01\n";
    let items = due(&[("impact-assessments/IA-001.yaml", ia)]);
    let r = items
        .iter()
        .find(|i| i.kind == DueKind::ImpactAssessmentRefresh)
        .unwrap();
    assert_eq!(r.due, parse_date("2026-06-01").unwrap());
    assert_eq!(r.owner.as_deref(), Some("ann"), "the system's owner");
}

#[test]
fn closed_and_finished_records_carry_no_obligation() {
    let nc = "id: NC-001\nsource: other\nsource_ref: walk-in\nrequirement: A.7.4\nseverity: minor\ndescription: d\nowner: bob\ndue: 2026-01-01\nstatus: ";
    assert!(
        due(&[("nonconformities/NC-001.yaml", &format!("{nc}open\n"))])
            .iter()
            .any(|i| i.kind == DueKind::CorrectiveAction)
    );
    assert!(
        !due(&[("nonconformities/NC-001.yaml", &format!("{nc}closed\n"))])
            .iter()
            .any(|i| i.kind == DueKind::CorrectiveAction)
    );
}

#[test]
fn the_sample_has_overdue_and_due_soon_items() {
    let ws = Workspace::open(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-workspace"
    )))
    .unwrap();
    let items = obligations(&ws.records, &ws.settings, common::today());
    let count = |s| items.iter().filter(|i| i.state == s).count();
    assert_eq!(
        (count(DueState::Overdue), count(DueState::DueSoon)),
        (13, 19)
    );
    assert!(
        items.windows(2).all(|w| w[0].due <= w[1].due),
        "soonest first"
    );
    assert!(items.iter().any(|i| i.kind == DueKind::ManagementReview));
}

fn item(items: &[aims_workbench::rules::due::DueItem], kind: DueKind) -> Option<(String, i64)> {
    items
        .iter()
        .find(|i| i.kind == kind)
        .map(|i| (i.due.to_string(), i.days))
}

#[test]
fn training_is_due_by_next_due_else_completed_on_plus_its_period() {
    let comp = "id: COMP-001\ntitle: Yearly AI-governance training\nperson: bob\nrole: ML lead\nrequired: r\nevidence: LMS\n";
    let yearly = due(&[(
        "competence/COMP-001.yaml",
        &format!("{comp}completed_on: 2025-11-15\nevery: 1y\n"),
    )]);
    assert_eq!(
        item(&yearly, DueKind::Training),
        Some(("2026-11-15".into(), -7))
    );
    let t = yearly.iter().find(|i| i.kind == DueKind::Training).unwrap();
    assert_eq!(t.owner.as_deref(), Some("bob"), "the person, with no owner");
    assert_eq!(t.title, "Yearly AI-governance training: bob");
    let rescheduled = due(&[(
        "competence/COMP-001.yaml",
        &format!("{comp}completed_on: 2025-11-15\nevery: 1y\nnext_due: 2026-12-10\nowner: ann\n"),
    )]);
    assert_eq!(
        item(&rescheduled, DueKind::Training),
        Some(("2026-12-10".into(), 18))
    );
    // A one-off qualification carries no due date; competence has no review cadence.
    let once = due(&[(
        "competence/COMP-001.yaml",
        &format!("{comp}completed_on: 2025-11-15\n"),
    )]);
    assert!(once.iter().all(|i| i.record != "COMP-001"), "{once:#?}");
}

#[test]
fn a_planned_communication_is_due_a_cadence_after_it_last_happened() {
    let comm = "id: COMM-001\ntitle: Quarterly report\naudience: committee\nchannel: meeting\nowner: ann\nlast_reviewed: 2026-06-01\n";
    let items = due(&[(
        "communications/COMM-001.yaml",
        &format!(
            "{comm}cadence: 3m\nlog:\n  - {{date: 2026-06-11, by: ann}}\n  - {{date: 2026-08-10, by: ann}}\n"
        ),
    )]);
    assert_eq!(
        item(&items, DueKind::Communication),
        Some(("2026-11-10".into(), -12))
    );
    // An event-driven one is on the calendar only when a date is planned.
    let event = format!("{comm}cadence: on each model release\n");
    let items = due(&[("communications/COMM-001.yaml", &event)]);
    assert_eq!(item(&items, DueKind::Communication), None);
    let items = due(&[(
        "communications/COMM-001.yaml",
        &format!("{event}next_due: 2026-12-01\n"),
    )]);
    assert_eq!(
        item(&items, DueKind::Communication),
        Some(("2026-12-01".into(), 9))
    );
    // The plan itself is reviewed on its cadence, like other records.
    assert!(
        items
            .iter()
            .any(|i| i.record == "COMM-001" && i.kind == DueKind::Review)
    );
}

#[test]
fn a_measurement_missing_past_its_frequency_is_due() {
    let met = "id: MET-001\ntitle: PSI\nmethod: m\nfrequency: 1m\ndirection: max\nthreshold: 0.25\nowner: bob\n";
    let items = due(&[(
        "metrics/MET-001.yaml",
        &format!(
            "{met}measurements:\n  - {{date: 2026-09-15, value: 0.1, by: bob}}\n  - {{date: 2026-10-15, value: 0.1, by: bob}}\n"
        ),
    )]);
    let m = items
        .iter()
        .find(|i| i.kind == DueKind::Measurement)
        .unwrap();
    assert_eq!(
        (m.due.to_string(), m.state),
        ("2026-11-15".into(), DueState::Overdue)
    );
    assert_eq!(m.title, "PSI");
    // A retired metric is no longer measured.
    let items = due(&[("metrics/MET-001.yaml", &format!("{met}status: retired\n"))]);
    assert!(items.iter().all(|i| i.record != "MET-001"));
}

#[test]
fn rescheduling_a_recurring_item_sets_its_next_due_with_the_reason_logged() {
    use aims_workbench::rules::triage::reschedule;
    let met = "id: MET-001\ntitle: PSI\nmethod: m\nfrequency: 1m\ndirection: max\nthreshold: 0.25\nowner: bob\n\
measurements:\n  - {date: 2026-10-15, value: 0.1, by: bob}\n";
    let comp = "id: COMP-001\ntitle: Yearly training\nperson: bob\nrole: r\nrequired: r\nevidence: e\ncompleted_on: 2025-11-01\nevery: 1y\n";
    let dir = common::workspace(&[
        ("metrics/MET-001.yaml", met),
        ("competence/COMP-001.yaml", comp),
    ]);
    let ws = Workspace::open(dir.path()).unwrap();
    let mut records = ws.records.clone();
    let today = common::today();
    let new = parse_date("2026-12-01").unwrap();
    for (id, kind) in [
        ("MET-001", DueKind::Measurement),
        ("COMP-001", DueKind::Training),
    ] {
        let r = records.iter_mut().find(|r| r.id == id).unwrap();
        r.fields = reschedule(
            &r.fields,
            kind,
            None,
            (None, new),
            "data arrives late",
            today,
            "ann",
        )
        .unwrap();
        assert!(
            r.fields.list("history")[0]
                .as_map()
                .unwrap()
                .text("note")
                .unwrap()
                .contains("rescheduled next_due from (not set) to 2026-12-01: data arrives late")
        );
    }
    let items = obligations(&records, &ws.settings, today);
    assert_eq!(
        item(&items, DueKind::Measurement),
        Some(("2026-12-01".into(), 9))
    );
    assert_eq!(
        item(&items, DueKind::Training),
        Some(("2026-12-01".into(), 9))
    );
}

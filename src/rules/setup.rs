//! The setup steps of a new AI management system, in the order a new organisation takes
//! them, each done or not by what the workspace holds. Home shows them until every step is
//! done (see [`all_done`]) or the user hides them.

use crate::domain::{Record, RecordType, Settings};

/// One step of setting up, and where it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Organisation, scope, roles held and people (aims.yaml).
    Settings,
    /// The inventory of AI systems.
    Inventory,
    /// The training-data inventory (mandatory: certification expectations).
    Datasets,
    /// The risk method: scales, bands, appetite, and who accepts above it (aims.yaml).
    RiskMethod,
    Risks,
    ImpactAssessments,
    Soa,
    Documents,
    AuditProgramme,
}

impl StepKind {
    /// The record type this step creates, when it creates records.
    pub fn record_type(self) -> Option<RecordType> {
        match self {
            StepKind::Settings | StepKind::RiskMethod => None,
            StepKind::Inventory => Some(RecordType::System),
            StepKind::Datasets => Some(RecordType::Dataset),
            StepKind::Risks => Some(RecordType::Risk),
            StepKind::ImpactAssessments => Some(RecordType::ImpactAssessment),
            StepKind::Soa => Some(RecordType::Soa),
            StepKind::Documents => Some(RecordType::Document),
            StepKind::AuditProgramme => Some(RecordType::Audit),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    pub title: &'static str,
    pub done: bool,
    /// What there is, or what is missing: "2 people, scope set", "no AI system yet".
    pub state: String,
}

/// The steps, in order, with their state.
pub fn steps(settings: &Settings, records: &[Record]) -> Vec<Step> {
    // One pass over the records: Home draws this on every frame.
    let mut counts = [0usize; RecordType::ALL.len()];
    for r in records {
        counts[r.kind as usize] += 1;
    }
    // Counted against all 38 controls, as every SoA headline is (rules::soa).
    let soa = super::soa::SoaProgress::of(records);
    let count = |kind: RecordType| counts[kind as usize];
    let people = settings.people.len();
    let mut missing = Vec::new();
    if settings.scope.trim().is_empty() {
        missing.push("scope".to_string());
    }
    if settings.roles_held.is_empty() {
        missing.push("roles".to_string());
    }
    if people < MIN_PEOPLE {
        missing.push(format!("{} more person", MIN_PEOPLE - people));
    }
    let settings_step = Step {
        kind: StepKind::Settings,
        title: "Settings and people",
        done: missing.is_empty(),
        state: if missing.is_empty() {
            format!("{people} people, scope and roles set")
        } else {
            format!("missing: {}", missing.join(", "))
        },
    };
    let top = settings.top_management.len();
    let method = Step {
        kind: StepKind::RiskMethod,
        title: "Risk method",
        done: top > 0,
        state: if top > 0 {
            format!(
                "appetite {}; top management named",
                settings
                    .risk
                    .bands
                    .get(settings.risk.appetite)
                    .map_or("", |b| b.name.as_str())
            )
        } else {
            "top management not named yet".into()
        },
    };
    let records_step = |kind: StepKind, title: &'static str, n: usize, none: &str| Step {
        kind,
        title,
        done: n > 0,
        state: if n > 0 {
            format!("{n} recorded")
        } else {
            none.to_string()
        },
    };
    vec![
        settings_step,
        records_step(
            StepKind::Inventory,
            "Inventory of AI systems",
            count(RecordType::System),
            "no AI system yet",
        ),
        records_step(
            StepKind::Datasets,
            "Datasets (training data)",
            count(RecordType::Dataset),
            "no dataset yet",
        ),
        method,
        records_step(
            StepKind::Risks,
            "AI risks",
            count(RecordType::Risk),
            "no risk yet",
        ),
        records_step(
            StepKind::ImpactAssessments,
            "Impact assessments",
            count(RecordType::ImpactAssessment),
            "no impact assessment yet",
        ),
        Step {
            kind: StepKind::Soa,
            title: "Statement of Applicability",
            // Done once every control is decided: one assessed entry is a start, not an SoA.
            done: soa.controls > 0 && soa.assessed >= soa.controls,
            state: format!("{} of {} controls assessed", soa.assessed, soa.controls),
        },
        records_step(
            StepKind::Documents,
            "Documents and policy",
            count(RecordType::Document),
            "no document yet",
        ),
        records_step(
            StepKind::AuditProgramme,
            "Audit programme",
            count(RecordType::Audit),
            "no audit planned yet",
        ),
    ]
}

/// People a workspace needs before the basics exist: someone to own, someone to check.
pub const MIN_PEOPLE: usize = 2;

/// Whether every step is done, so Home no longer shows the setup steps (the user may also
/// hide them earlier: `tui::setup`).
pub fn all_done(steps: &[Step]) -> bool {
    steps.iter().all(|s| s.done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::Person;
    use crate::domain::{Map, Value};

    fn record(kind: RecordType, id: &str, status: Option<&str>) -> Record {
        let mut fields = Map::new();
        fields.set("id", Value::str(id));
        if let Some(s) = status {
            fields.set("status", Value::str(s));
        }
        Record {
            kind,
            id: id.into(),
            fields,
            path: format!("{}/{id}.yaml", kind.dir()).into(),
            content_hash: 0,
        }
    }

    fn person(id: &str) -> Person {
        Person {
            id: id.into(),
            name: id.into(),
            role: String::new(),
            login: None,
            email: None,
            deputy: None,
        }
    }

    fn state(steps: &[Step], kind: StepKind) -> &Step {
        steps.iter().find(|s| s.kind == kind).unwrap()
    }

    #[test]
    fn a_new_workspace_has_every_step_to_do_in_order() {
        let mut settings = Settings::default();
        settings.people = vec![person("amoreau")];
        let soa = [record(RecordType::Soa, "A.2.2", Some("not-assessed"))];
        let steps = steps(&settings, &soa);
        let order: Vec<StepKind> = steps.iter().map(|s| s.kind).collect();
        assert_eq!(
            order,
            [
                StepKind::Settings,
                StepKind::Inventory,
                StepKind::Datasets,
                StepKind::RiskMethod,
                StepKind::Risks,
                StepKind::ImpactAssessments,
                StepKind::Soa,
                StepKind::Documents,
                StepKind::AuditProgramme,
            ]
        );
        assert!(steps.iter().all(|s| !s.done), "{steps:?}");
        assert_eq!(
            state(&steps, StepKind::Settings).state,
            "missing: scope, roles, 1 more person"
        );
        assert_eq!(
            state(&steps, StepKind::Soa).state,
            "0 of 38 controls assessed"
        );
        assert!(!all_done(&steps));
    }

    #[test]
    fn the_steps_stay_until_every_one_is_done_the_soa_counting_all_38_controls() {
        let mut settings = Settings::default();
        settings.scope = "All AI".into();
        settings.roles_held = vec!["user".into()];
        settings.people = vec![person("amoreau"), person("dokafor")];
        settings.top_management = vec!["amoreau".into()];
        let mut records = vec![
            record(RecordType::System, "SYS-001", None),
            record(RecordType::Dataset, "DS-001", None),
            record(RecordType::Risk, "RISK-001", None),
            record(RecordType::ImpactAssessment, "IA-001", None),
            record(RecordType::Soa, "A.2.2", Some("implemented")),
        ];
        // The basics of old, and the SoA at 1 of 38: documents, the audit programme and
        // the other 37 controls are still to do, so the steps stay.
        let some = steps(&settings, &records);
        assert!(!all_done(&some), "{some:?}");
        assert!(!state(&some, StepKind::Soa).done);
        assert_eq!(state(&some, StepKind::Datasets).state, "1 recorded");
        records.push(record(RecordType::Document, "DOC-001", None));
        records.push(record(RecordType::Audit, "AUD-001", None));
        for c in crate::domain::catalog::CONTROLS
            .iter()
            .filter(|c| c.id != "A.2.2")
        {
            records.push(record(RecordType::Soa, c.id, Some("excluded")));
        }
        let done = steps(&settings, &records);
        assert!(all_done(&done), "{done:?}");

        let mut one_person = settings;
        one_person.people.pop();
        assert!(!all_done(&steps(&one_person, &records)));
    }
}

//! The panes of the workbench and the record type each one lists.

use crate::domain::RecordType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Home,
    Inventory,
    Risks,
    Soa,
    Calendar,
    Findings,
    Assessments,
    Audits,
    Suppliers,
    Documents,
    Reviews,
    Objectives,
    Registers,
    Problems,
    /// Series over time, from git history.
    Trends,
}

impl Pane {
    /// In tab order.
    pub const ALL: [Pane; 15] = [
        Pane::Home,
        Pane::Inventory,
        Pane::Risks,
        Pane::Soa,
        Pane::Calendar,
        Pane::Findings,
        Pane::Assessments,
        Pane::Audits,
        Pane::Suppliers,
        Pane::Documents,
        Pane::Reviews,
        Pane::Objectives,
        Pane::Registers,
        Pane::Problems,
        Pane::Trends,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Home => "Home",
            Pane::Inventory => "Inventory",
            Pane::Risks => "Risks",
            Pane::Soa => "SoA",
            Pane::Calendar => "Calendar",
            Pane::Findings => "Findings",
            Pane::Assessments => "Assessments",
            Pane::Audits => "Audits",
            Pane::Suppliers => "Suppliers",
            Pane::Documents => "Documents",
            Pane::Reviews => "Reviews",
            Pane::Objectives => "Objectives",
            Pane::Registers => "Registers",
            Pane::Problems => "Problems",
            Pane::Trends => "Trends",
        }
    }

    /// The digit that jumps here (`0` is Problems); the registers share none.
    pub fn digit(self) -> Option<char> {
        match self {
            Pane::Home => Some('1'),
            Pane::Inventory => Some('2'),
            Pane::Risks => Some('3'),
            Pane::Soa => Some('4'),
            Pane::Calendar => Some('5'),
            Pane::Findings => Some('6'),
            Pane::Assessments => Some('7'),
            Pane::Audits => Some('8'),
            Pane::Suppliers => Some('9'),
            Pane::Problems => Some('0'),
            _ => None,
        }
    }

    pub fn from_digit(c: char) -> Option<Pane> {
        Pane::ALL.into_iter().find(|p| p.digit() == Some(c))
    }

    /// The record types a pane lists (Findings lists two, Registers six).
    pub fn record_types(self) -> &'static [RecordType] {
        match self {
            Pane::Inventory => &[RecordType::System],
            Pane::Risks => &[RecordType::Risk],
            Pane::Soa => &[RecordType::Soa],
            Pane::Findings => &[RecordType::Nonconformity, RecordType::Incident],
            Pane::Assessments => &[RecordType::ImpactAssessment],
            Pane::Audits => &[RecordType::Audit],
            Pane::Suppliers => &[RecordType::Supplier],
            Pane::Documents => &[RecordType::Document],
            Pane::Reviews => &[RecordType::ManagementReview],
            Pane::Objectives => &[RecordType::Objective],
            // The registers of clauses 4, 7 and 9: one list, the id prefix tells them apart.
            Pane::Registers => &[
                RecordType::ContextIssue,
                RecordType::InterestedParty,
                RecordType::Competence,
                RecordType::Communication,
                RecordType::Dataset,
                RecordType::Metric,
            ],
            Pane::Home | Pane::Calendar | Pane::Problems | Pane::Trends => &[],
        }
    }

    /// The pane where a record of this type is opened.
    pub fn of_type(kind: RecordType) -> Pane {
        Pane::ALL
            .into_iter()
            .find(|p| p.record_types().contains(&kind))
            .unwrap_or(Pane::Home)
    }

    pub fn next(self) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Pane::ALL[(i + 1) % Pane::ALL.len()]
    }

    pub fn prev(self) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Pane::ALL[(i + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

//! The record types of a workspace and where each lives on disk.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordType {
    System,
    Risk,
    ImpactAssessment,
    Soa,
    Audit,
    Nonconformity,
    Incident,
    Supplier,
    ManagementReview,
    Document,
    Objective,
    ContextIssue,
    InterestedParty,
    Competence,
    Communication,
    Dataset,
    Metric,
}

impl RecordType {
    pub const ALL: [RecordType; 17] = [
        RecordType::System,
        RecordType::Risk,
        RecordType::ImpactAssessment,
        RecordType::Soa,
        RecordType::Audit,
        RecordType::Nonconformity,
        RecordType::Incident,
        RecordType::Supplier,
        RecordType::ManagementReview,
        RecordType::Document,
        RecordType::Objective,
        RecordType::ContextIssue,
        RecordType::InterestedParty,
        RecordType::Competence,
        RecordType::Communication,
        RecordType::Dataset,
        RecordType::Metric,
    ];

    /// The key used in `aims.yaml` (cadences) and in JSON output.
    pub fn key(self) -> &'static str {
        match self {
            RecordType::System => "system",
            RecordType::Risk => "risk",
            RecordType::ImpactAssessment => "impact_assessment",
            RecordType::Soa => "soa",
            RecordType::Audit => "audit",
            RecordType::Nonconformity => "nonconformity",
            RecordType::Incident => "incident",
            RecordType::Supplier => "supplier",
            RecordType::ManagementReview => "management_review",
            RecordType::Document => "document",
            RecordType::Objective => "objective",
            RecordType::ContextIssue => "context_issue",
            RecordType::InterestedParty => "interested_party",
            RecordType::Competence => "competence",
            RecordType::Communication => "communication",
            RecordType::Dataset => "dataset",
            RecordType::Metric => "metric",
        }
    }

    /// The folder under the workspace root.
    pub fn dir(self) -> &'static str {
        match self {
            RecordType::System => "systems",
            RecordType::Risk => "risks",
            RecordType::ImpactAssessment => "impact-assessments",
            RecordType::Soa => "soa",
            RecordType::Audit => "audits",
            RecordType::Nonconformity => "nonconformities",
            RecordType::Incident => "incidents",
            RecordType::Supplier => "suppliers",
            RecordType::ManagementReview => "management-reviews",
            RecordType::Document => "documents",
            RecordType::Objective => "objectives",
            RecordType::ContextIssue => "context-issues",
            RecordType::InterestedParty => "interested-parties",
            RecordType::Competence => "competence",
            RecordType::Communication => "communications",
            RecordType::Dataset => "datasets",
            RecordType::Metric => "metrics",
        }
    }

    /// The id prefix proposed for new records (SoA entries are named by control id).
    pub fn prefix(self) -> &'static str {
        match self {
            RecordType::System => "SYS",
            RecordType::Risk => "RISK",
            RecordType::ImpactAssessment => "IA",
            RecordType::Soa => "A",
            RecordType::Audit => "AUD",
            RecordType::Nonconformity => "NC",
            RecordType::Incident => "INC",
            RecordType::Supplier => "SUP",
            RecordType::ManagementReview => "MR",
            RecordType::Document => "DOC",
            RecordType::Objective => "OBJ",
            RecordType::ContextIssue => "CTX",
            RecordType::InterestedParty => "IP",
            RecordType::Competence => "COMP",
            RecordType::Communication => "COMM",
            RecordType::Dataset => "DS",
            RecordType::Metric => "MET",
        }
    }

    /// A human name, singular.
    pub fn label(self) -> &'static str {
        match self {
            RecordType::System => "AI system",
            RecordType::Risk => "AI risk",
            RecordType::ImpactAssessment => "impact assessment",
            RecordType::Soa => "SoA entry",
            RecordType::Audit => "internal audit",
            RecordType::Nonconformity => "nonconformity",
            RecordType::Incident => "incident",
            RecordType::Supplier => "supplier",
            RecordType::ManagementReview => "management review",
            RecordType::Document => "document",
            RecordType::Objective => "objective",
            RecordType::ContextIssue => "context issue",
            RecordType::InterestedParty => "interested party",
            RecordType::Competence => "competence record",
            RecordType::Communication => "planned communication",
            RecordType::Dataset => "dataset",
            RecordType::Metric => "monitoring metric",
        }
    }

    /// The label with its article: "an AI system", "a risk".
    pub fn a_label(self) -> String {
        let l = self.label();
        let article = if l.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {l}")
    }

    pub fn from_dir(dir: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.dir() == dir)
    }

    pub fn from_key(key: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.key() == key)
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

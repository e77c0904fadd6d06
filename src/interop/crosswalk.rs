//! Crosswalks at work in a workspace: how far its 42001 controls cover each requirement of
//! another framework, and the EU AI Act obligations of each system. The mappings
//! themselves are domain data (`domain::crosswalk`).

pub use crate::domain::crosswalk::*;

// ---- coverage in a workspace ----------------------------------------------------------

/// How far the workspace's 42001 controls meet one requirement of another framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every mapped Annex A control is implemented or inherited (or only clauses map,
    /// which every certified AIMS meets).
    Covered,
    /// Some mapped controls are in place or under way, not all.
    Partly,
    /// None of the mapped controls is in place.
    Gap,
    /// 42001 has no counterpart: another management system must cover it.
    NotIn42001,
}

impl Coverage {
    pub fn label(self) -> &'static str {
        match self {
            Coverage::Covered => "covered",
            Coverage::Partly => "partly",
            Coverage::Gap => "gap",
            Coverage::NotIn42001 => "not in 42001",
        }
    }
}

pub struct CoverageRow {
    pub requirement: &'static Requirement,
    /// Each mapped 42001 id with its SoA status (`clause` for clauses 4-10).
    pub mapped: Vec<(String, String)>,
    pub coverage: Coverage,
}

/// Every requirement of the framework with the status of the 42001 items it maps to.
pub fn coverage(ws: &crate::workspace::Workspace, fw: Framework) -> Vec<CoverageRow> {
    use crate::domain::{RecordType, catalog};
    of(fw)
        .requirements
        .iter()
        .map(|req| {
            let mapped: Vec<(String, String)> = req
                .aims
                .iter()
                .map(|id| {
                    let status = if catalog::control(id).is_some() {
                        ws.get(id)
                            .filter(|r| r.kind == RecordType::Soa)
                            .and_then(|r| r.fields.text("status"))
                            .unwrap_or_else(|| "not-assessed".into())
                    } else {
                        "clause".into()
                    };
                    (id.clone(), status)
                })
                .collect();
            let controls: Vec<&str> = mapped
                .iter()
                .filter(|(_, s)| s != "clause")
                .map(|(_, s)| s.as_str())
                .collect();
            let done = |s: &&str| matches!(*s, "implemented" | "inherited");
            let moving = |s: &&str| matches!(*s, "in-progress" | "planned");
            let coverage = if mapped.is_empty() {
                Coverage::NotIn42001
            } else if controls.iter().all(done) {
                Coverage::Covered
            } else if controls.iter().any(|s| done(s) || moving(s)) {
                Coverage::Partly
            } else {
                Coverage::Gap
            };
            CoverageRow {
                requirement: req,
                mapped,
                coverage,
            }
        })
        .collect()
}

/// The Annex A controls of 42001 that no requirement of the framework maps to.
pub fn unmapped_controls(fw: Framework) -> Vec<&'static str> {
    crate::domain::catalog::CONTROLS
        .iter()
        .filter(|c| mapped_to(fw, c.id).is_empty())
        .map(|c| c.id)
        .collect()
}

// ---- the EU AI Act per system ---------------------------------------------------------

/// One AI system's obligations under the AI Act, as they follow from the workspace.
pub struct SystemObligations<'a> {
    pub system: &'a crate::domain::Record,
    /// `provider` and/or `deployer`.
    pub roles: Vec<&'static str>,
    /// `high-risk`, `limited-risk` or `minimal-risk`; `None` without a risk tier.
    pub class: Option<&'static str>,
    /// Indexes into `coverage(ws, Framework::EuAiAct)`.
    pub obligations: Vec<usize>,
    /// The system's own records an auditor would ask for: "3 risks (RISK-001, …)".
    pub evidence: Vec<String>,
}

/// The AI Act role that a system's ISO/IEC 42001 roles imply: whoever provides or
/// produces it (develops it and puts it into service under its name) is its provider;
/// whoever uses it is its deployer. An approximation for planning, not a legal opinion.
fn act_roles(roles: &[String]) -> Vec<&'static str> {
    let mut out = Vec::new();
    if roles.iter().any(|r| r == "provider" || r == "producer") {
        out.push("provider");
    }
    if roles.iter().any(|r| r == "user") {
        out.push("deployer");
    }
    out
}

fn act_class(tier: Option<&str>) -> Option<&'static str> {
    match tier? {
        "high" => Some("high-risk"),
        "limited" => Some("limited-risk"),
        "minimal" => Some("minimal-risk"),
        _ => None,
    }
}

/// For each AI system in the workspace: the AI Act obligations that follow from its roles
/// and risk tier, and the records that hold its evidence.
pub fn per_system(ws: &crate::workspace::Workspace) -> Vec<SystemObligations<'_>> {
    use crate::domain::RecordType;
    let reqs = &of(Framework::EuAiAct).requirements;
    let mut systems: Vec<_> = ws.of_type(RecordType::System).collect();
    systems.sort_by(|a, b| a.id.cmp(&b.id));
    systems
        .into_iter()
        .map(|s| {
            let roles = act_roles(&s.fields.texts("roles"));
            let class = act_class(s.fields.text("risk_tier").as_deref());
            let obligations = reqs
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.applies_to.iter().any(|a| roles.contains(&a.as_str()))
                        && class.is_some_and(|c| r.systems.iter().any(|x| x == c))
                })
                .map(|(i, _)| i)
                .collect();
            let mut evidence = Vec::new();
            for (kind, field) in [
                (RecordType::Risk, "systems"),
                (RecordType::ImpactAssessment, "system"),
                (RecordType::Document, "systems"),
                (RecordType::Incident, "system"),
                (RecordType::Supplier, "systems"),
            ] {
                let mut ids: Vec<&str> = ws
                    .of_type(kind)
                    .filter(|r| r.fields.texts(field).contains(&s.id))
                    .map(|r| r.id.as_str())
                    .collect();
                ids.sort();
                if !ids.is_empty() {
                    evidence.push(format!("{} {} ({})", ids.len(), kind.dir(), ids.join(", ")));
                }
            }
            SystemObligations {
                system: s,
                roles,
                class,
                obligations,
                evidence,
            }
        })
        .collect()
}

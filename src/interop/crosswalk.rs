//! Crosswalks from other frameworks to ISO/IEC 42001, as data: one YAML file per framework
//! in `crosswalks/`, embedded at build time. The files are the one source of truth; this
//! module only reads them. Ids and titles are the frameworks'; every rationale is ours.

use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framework {
    Iso27001,
    NistAiRmf,
    EuAiAct,
}

impl Framework {
    pub const ALL: [Framework; 3] = [
        Framework::Iso27001,
        Framework::NistAiRmf,
        Framework::EuAiAct,
    ];

    /// The name used on the command line (`aims report crosswalk iso27001`).
    pub fn key(self) -> &'static str {
        match self {
            Framework::Iso27001 => "iso27001",
            Framework::NistAiRmf => "nist-ai-rmf",
            Framework::EuAiAct => "eu-ai-act",
        }
    }

    /// A short name for column headers.
    pub fn name(self) -> &'static str {
        match self {
            Framework::Iso27001 => "ISO/IEC 27001",
            Framework::NistAiRmf => "NIST AI RMF",
            Framework::EuAiAct => "EU AI Act",
        }
    }

    /// A shorter name where room is scarce (the control picker's footer).
    pub fn short(self) -> &'static str {
        match self {
            Framework::Iso27001 => "27001",
            Framework::NistAiRmf => "AI RMF",
            Framework::EuAiAct => "AI Act",
        }
    }

    pub fn from_key(key: &str) -> Option<Framework> {
        let k = super::cells::normalize(key);
        Framework::ALL.into_iter().find(|f| {
            super::cells::normalize(f.key()) == k || super::cells::normalize(f.name()) == k
        })
    }

    /// The embedded file: (file name, text).
    pub fn source(self) -> (&'static str, &'static str) {
        match self {
            Framework::Iso27001 => (
                "crosswalks/iso27001.yaml",
                include_str!("../../crosswalks/iso27001.yaml"),
            ),
            Framework::NistAiRmf => (
                "crosswalks/nist-ai-rmf.yaml",
                include_str!("../../crosswalks/nist-ai-rmf.yaml"),
            ),
            Framework::EuAiAct => (
                "crosswalks/eu-ai-act.yaml",
                include_str!("../../crosswalks/eu-ai-act.yaml"),
            ),
        }
    }
}

/// How a requirement of the other framework relates to the 42001 items it maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// Same intent and scope.
    Equal,
    /// The other requirement asks for part of what 42001 asks.
    Subset,
    /// The other requirement asks for more than 42001 does.
    Superset,
    /// They overlap; neither contains the other.
    Intersects,
}

impl Relation {
    pub fn label(self) -> &'static str {
        match self {
            Relation::Equal => "equal",
            Relation::Subset => "subset",
            Relation::Superset => "superset",
            Relation::Intersects => "intersects",
        }
    }
}

/// One requirement of the other framework and its mapping.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    pub title: String,
    /// 42001 clause or Annex A ids; empty when 42001 has no counterpart.
    #[serde(default)]
    pub aims: Vec<String>,
    pub relation: Option<Relation>,
    /// Why, in one line of our own words.
    #[serde(default)]
    pub rationale: String,
    /// EU AI Act: to whom the obligation applies (`provider`, `deployer`, ...).
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// EU AI Act: for which systems (`high-risk`, `limited-risk`, `gpai`).
    #[serde(default)]
    pub systems: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    pub framework: String,
    pub version: String,
    /// Where the ids and titles come from.
    pub source: String,
    pub requirements: Vec<Requirement>,
}

/// Parses one crosswalk file. Public so the test can report every problem.
pub fn parse(text: &str) -> Result<Crosswalk, String> {
    serde_saphyr::from_str(text).map_err(|e| e.to_string())
}

/// The crosswalk of a framework. The files ship with the program and a test parses them,
/// so a failure here is a build defect, not user input.
pub fn of(fw: Framework) -> &'static Crosswalk {
    static CACHE: OnceLock<Vec<Crosswalk>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        Framework::ALL
            .iter()
            .map(|f| {
                let (name, text) = f.source();
                parse(text).unwrap_or_else(|e| panic!("{name}: {e}"))
            })
            .collect()
    });
    &all[Framework::ALL.iter().position(|f| *f == fw).unwrap_or(0)]
}

/// The requirements of `fw` that map to this 42001 clause or control.
pub fn mapped_to(fw: Framework, aims_id: &str) -> Vec<&'static str> {
    of(fw)
        .requirements
        .iter()
        .filter(|r| r.aims.iter().any(|a| a == aims_id))
        .map(|r| r.id.as_str())
        .collect()
}

/// Every framework with the requirements that map to this 42001 id, in framework order:
/// what the SoA detail and the control picker show.
pub fn mappings(aims_id: &str) -> Vec<(Framework, Vec<&'static str>)> {
    Framework::ALL
        .into_iter()
        .map(|fw| (fw, mapped_to(fw, aims_id)))
        .collect()
}

/// The ISO/IEC 27001 Annex A control of this id, if the crosswalk lists it (all 93 are).
pub fn iso27001_control(id: &str) -> Option<&'static Requirement> {
    of(Framework::Iso27001)
        .requirements
        .iter()
        .find(|r| r.id == id)
}

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

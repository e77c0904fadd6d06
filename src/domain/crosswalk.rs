//! Crosswalks from other frameworks to ISO/IEC 42001, as data: one YAML file per framework
//! in `crosswalks/`, embedded at build time. The files are the one source of truth; this
//! module only reads them. Ids and titles are the frameworks'; every rationale is ours.
//! (Domain data like the 42001 catalog: the rules check inherited ISMS evidence against
//! it, the exports and the workbench show it.)

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
        let k = super::text::normalize(key);
        Framework::ALL
            .into_iter()
            .find(|f| super::text::normalize(f.key()) == k || super::text::normalize(f.name()) == k)
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

//! Workspace settings from `aims.yaml`. Every setting but `organization` has a default, so a
//! two-line `aims.yaml` is a working workspace.

use super::dates::Cadence;
use super::finding::Finding;
use super::ids::is_person_id;
use super::kind::RecordType;
use super::value::{Map, Value};
use std::collections::HashMap;

pub const SETTINGS_FILE: &str = "aims.yaml";
pub const FORMAT_VERSION: i64 = 1;

/// The roles an organization can hold for an AI system.
pub const ROLES: [(&str, &str); 6] = [
    ("provider", "makes the AI system available to others"),
    ("producer", "designs and develops the AI system"),
    ("customer", "acquires the AI system or its outputs"),
    ("user", "deploys and operates the AI system"),
    ("partner", "supplies components, data or integration"),
    ("subject", "is affected by the AI system's decisions"),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: String,
    pub login: Option<String>,
    /// For commits made from the workbench (else git's `user.email`).
    pub email: Option<String>,
    /// Who stands in for this person (a person id).
    pub deputy: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub name: String,
    /// The highest score (likelihood × impact) in this band.
    pub max: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RiskMethod {
    pub likelihood: Vec<String>,
    pub impact: Vec<String>,
    /// Ordered from the lowest band up.
    pub bands: Vec<Band>,
    /// Index into `bands` of the highest residual band accepted without formal acceptance.
    pub appetite: usize,
}

impl RiskMethod {
    /// The index of the band a score falls in (the top band for anything above its max).
    pub fn band_index(&self, score: u32) -> usize {
        self.bands
            .iter()
            .position(|b| score <= b.max)
            .unwrap_or(self.bands.len().saturating_sub(1))
    }

    pub fn band(&self, score: u32) -> &str {
        self.bands
            .get(self.band_index(score))
            .map_or("", |b| b.name.as_str())
    }

    pub fn above_appetite(&self, score: u32) -> bool {
        self.band_index(score) > self.appetite
    }

    pub fn max_score(&self) -> u32 {
        (self.likelihood.len() * self.impact.len()) as u32
    }
}

impl Default for RiskMethod {
    fn default() -> Self {
        let labels = |l: [&str; 5]| l.iter().map(|s| s.to_string()).collect();
        RiskMethod {
            likelihood: labels(["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]),
            impact: labels(["Negligible", "Minor", "Moderate", "Major", "Severe"]),
            bands: [("low", 4), ("medium", 9), ("high", 16), ("critical", 25)]
                .into_iter()
                .map(|(n, m)| Band {
                    name: n.to_string(),
                    max: m,
                })
                .collect(),
            appetite: 1,
        }
    }
}

/// The severity `aims.yaml` gives a rule in place of its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Error,
    Warning,
    Off,
}

impl RuleLevel {
    pub fn parse(text: &str) -> Option<RuleLevel> {
        match text {
            "error" => Some(RuleLevel::Error),
            "warning" => Some(RuleLevel::Warning),
            "off" => Some(RuleLevel::Off),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RuleLevel::Error => "error",
            RuleLevel::Warning => "warning",
            RuleLevel::Off => "off",
        }
    }
}

/// One `rules:` entry of aims.yaml: a rule's severity in this workspace, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleOverride {
    pub code: String,
    pub level: RuleLevel,
    pub reason: String,
    pub line: Option<u32>,
}

/// An external reporting regime: who must be told of an incident, and how fast.
#[derive(Debug, Clone, PartialEq)]
pub struct Regime {
    pub id: String,
    pub name: String,
    /// Days from awareness to the report (hours are rounded up to whole days).
    pub days: u32,
    /// Shorter deadlines when the incident's severity or one of its `report_facts` is this.
    pub sooner: Vec<(String, u32)>,
}

impl Regime {
    /// The days allowed for an incident of this severity with these facts.
    pub fn days_for(&self, severity: Option<&str>, facts: &[String]) -> u32 {
        self.sooner
            .iter()
            .filter(|(when, _)| severity == Some(when.as_str()) || facts.contains(when))
            .map(|(_, d)| *d)
            .fold(self.days, u32::min)
    }
}

/// The regimes every workspace starts with. Their deadlines are the law's, in days from the
/// day the organization became aware: EU AI Act Art. 73 (15 days; 10 on a death; 2 for a
/// widespread infringement or serious disruption of critical infrastructure) and GDPR
/// Art. 33 (72 hours).
pub fn default_regimes() -> Vec<Regime> {
    vec![
        Regime {
            id: "eu-ai-act".into(),
            name: "EU AI Act Art. 73 serious incident".into(),
            days: 15,
            sooner: vec![
                ("death".into(), 10),
                ("widespread-infringement".into(), 2),
                ("critical-infrastructure".into(), 2),
            ],
        },
        Regime {
            id: "gdpr".into(),
            name: "GDPR Art. 33 personal-data breach".into(),
            days: 3,
            sooner: Vec::new(),
        },
    ]
}

/// The code of findings about aims.yaml itself.
pub const SETTINGS_CODE: &str = "settings";

#[derive(Debug, Clone)]
pub struct Settings {
    pub version: i64,
    pub organization: String,
    pub scope: String,
    pub roles_held: Vec<String>,
    pub people: Vec<Person>,
    pub risk: RiskMethod,
    cadences: HashMap<RecordType, Cadence>,
    pub due_soon_days: u32,
    /// Severity overrides by rule code; the rules module checks that each code exists.
    pub rules: Vec<RuleOverride>,
    /// When the AIMS was established: the start of the first audit and review cycle, and
    /// the creation date of records that carry none of their own.
    pub established: Option<super::dates::Date>,
    /// Person ids of top management (clause 5.1): who may accept risks in the upper bands.
    pub top_management: Vec<String>,
    /// The lowest band whose acceptance needs top management (index into risk bands).
    pub top_acceptance_band: usize,
    /// How long a risk acceptance holds when it names no `accepted_until`.
    pub acceptance_valid: Cadence,
    /// External reporting regimes for incidents (`reporting_regimes:`), by id.
    pub regimes: Vec<Regime>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: FORMAT_VERSION,
            organization: String::new(),
            scope: String::new(),
            roles_held: Vec::new(),
            people: Vec::new(),
            risk: RiskMethod::default(),
            cadences: HashMap::new(),
            due_soon_days: 14,
            rules: Vec::new(),
            established: None,
            top_management: Vec::new(),
            // "high" in the default 5x5 method: high and critical need top management.
            top_acceptance_band: 2,
            acceptance_valid: Cadence::Months(12),
            regimes: default_regimes(),
        }
    }
}

/// The review cadence of each record type when `aims.yaml` names none.
pub fn default_cadence(kind: RecordType) -> Option<Cadence> {
    match kind {
        RecordType::Risk => Some(Cadence::Months(6)),
        RecordType::Objective => Some(Cadence::Months(3)),
        RecordType::System
        | RecordType::ImpactAssessment
        | RecordType::Soa
        | RecordType::Supplier
        | RecordType::Document
        | RecordType::ManagementReview
        | RecordType::Audit
        | RecordType::ContextIssue
        | RecordType::InterestedParty
        | RecordType::Communication
        | RecordType::Dataset
        | RecordType::Metric => Some(Cadence::Years(1)),
        // A competence record falls due by its own `next_due`, not by a review cadence.
        RecordType::Competence => None,
        RecordType::Nonconformity | RecordType::Incident => None,
    }
}

impl Settings {
    pub fn cadence(&self, kind: RecordType) -> Option<Cadence> {
        self.cadences.get(&kind).copied().or(default_cadence(kind))
    }

    /// The override aims.yaml sets for a rule, if any.
    pub fn rule_override(&self, code: &str) -> Option<&RuleOverride> {
        self.rules.iter().find(|r| r.code == code)
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    pub fn person_by_login(&self, login: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.login.as_deref() == Some(login))
    }

    /// Reads settings from the parsed `aims.yaml`, with a finding for each bad value (the
    /// default is used in its place).
    pub fn from_map(map: &Map) -> (Settings, Vec<Finding>) {
        let mut s = Settings::default();
        let mut problems = Vec::new();
        let mut bad = |key: &str, msg: String, error: bool| {
            let f = if error {
                Finding::error(SETTINGS_FILE, msg)
            } else {
                Finding::warning(SETTINGS_FILE, msg)
            };
            problems.push(f.at(map.line_of(key)).field(key).code(SETTINGS_CODE));
        };

        match map.get("version") {
            None => {}
            Some(v) => match v.as_int() {
                Some(n) if n == FORMAT_VERSION => s.version = n,
                Some(n) => bad(
                    "version",
                    format!(
                        "format version {n} is not known to this aims (it reads version {FORMAT_VERSION}); upgrade aims"
                    ),
                    true,
                ),
                None => bad(
                    "version",
                    format!("version must be a number, e.g. `version: {FORMAT_VERSION}`"),
                    true,
                ),
            },
        }
        match map.text("organization") {
            Some(o) => s.organization = o,
            None => bad(
                "organization",
                "`organization` is missing: add `organization: <your organization's name>`".into(),
                true,
            ),
        }
        s.scope = map.text("scope").unwrap_or_default();
        if s.scope.is_empty() {
            bad(
                "scope",
                "no AIMS scope statement: add `scope:` describing what the AI management system covers (clause 4.3)".into(),
                false,
            );
        }
        for role in map.texts("roles_held") {
            if ROLES.iter().any(|(r, _)| *r == role) {
                s.roles_held.push(role);
            } else {
                bad(
                    "roles_held",
                    format!("unknown role `{role}`: use one of {}", role_names()),
                    true,
                );
            }
        }
        Self::read_people(map, &mut s, &mut bad);
        // Settings of the wrong shape are reported, not silently replaced by defaults.
        for (key, want) in [
            ("risk_method", "a mapping"),
            ("cadences", "a mapping"),
            ("people", "a list"),
        ] {
            let ok = match map.get(key) {
                None | Some(Value::Null) => true,
                Some(Value::Map(_)) => want == "a mapping",
                Some(Value::List(_)) => want == "a list",
                Some(_) => false,
            };
            if !ok {
                bad(
                    key,
                    format!("`{key}` must be {want}; the defaults are used until it is fixed"),
                    true,
                );
            }
        }
        if let Some(Value::Map(rm)) = map.get("risk_method") {
            Self::read_risk_method(rm, &mut s.risk, &mut bad);
        }
        if let Some(Value::Map(c)) = map.get("cadences") {
            for e in c.entries() {
                let kind = RecordType::from_key(&e.key);
                let cadence = e.value.as_text().and_then(|t| Cadence::parse(&t));
                match (kind, cadence) {
                    (Some(k), Some(c)) => {
                        s.cadences.insert(k, c);
                    }
                    (None, _) => bad(
                        "cadences",
                        format!(
                            "unknown record type `{}` in cadences: use one of {}",
                            e.key,
                            type_keys()
                        ),
                        true,
                    ),
                    (_, None) => bad(
                        "cadences",
                        format!("cadence of `{}` must look like `90d`, `6m` or `1y`", e.key),
                        true,
                    ),
                }
            }
        }
        if let Some(v) = map.get("due_soon_days") {
            match v.as_int().and_then(|n| u32::try_from(n).ok()) {
                Some(n) if n <= 366 => s.due_soon_days = n,
                _ => bad(
                    "due_soon_days",
                    "due_soon_days must be a number of days from 0 to 366".into(),
                    true,
                ),
            }
        }
        Self::read_rules(map, &mut s, &mut bad);
        Self::read_governance(map, &mut s, &mut bad);
        Self::read_regimes(map, &mut s, &mut bad);
        (s, problems)
    }

    /// `established`, `top_management` and the acceptance settings of the risk method.
    fn read_governance(map: &Map, s: &mut Settings, bad: &mut impl FnMut(&str, String, bool)) {
        if let Some(v) = map.get("established") {
            match v.as_text().and_then(|t| super::dates::parse_date(&t)) {
                Some(d) => s.established = Some(d),
                None => bad(
                    "established",
                    "`established` must be a date written YYYY-MM-DD".into(),
                    true,
                ),
            }
        }
        for id in map.texts("top_management") {
            if s.person(&id).is_some() {
                s.top_management.push(id);
            } else {
                bad(
                    "top_management",
                    format!(
                        "top_management names `{}`, who is not in people",
                        crate::domain::text::one_line(&id)
                    ),
                    true,
                );
            }
        }
        s.top_acceptance_band = s
            .top_acceptance_band
            .min(s.risk.bands.len().saturating_sub(1));
        let Some(Value::Map(rm)) = map.get("risk_method") else {
            return;
        };
        if let Some(name) = rm.text("top_management_accepts_from") {
            match s.risk.bands.iter().position(|b| b.name == name) {
                Some(i) => s.top_acceptance_band = i,
                None => bad(
                    "risk_method",
                    format!(
                        "top_management_accepts_from `{}` is not a band",
                        crate::domain::text::one_line(&name)
                    ),
                    true,
                ),
            }
        }
        if let Some(v) = rm.get("acceptance_valid") {
            match v.as_text().and_then(|t| Cadence::parse(&t)) {
                Some(c) => s.acceptance_valid = c,
                None => bad(
                    "risk_method",
                    "risk_method.acceptance_valid must look like `6m` or `1y`".into(),
                    true,
                ),
            }
        }
    }

    /// `reporting_regimes:` replaces or adds to the defaults, by id.
    fn read_regimes(map: &Map, s: &mut Settings, bad: &mut impl FnMut(&str, String, bool)) {
        let days_of = |m: &Map| -> Option<u32> {
            let days = m.int("days").and_then(|d| u32::try_from(d).ok());
            // A deadline in hours counts whole days from the day of awareness.
            let hours = m
                .int("hours")
                .and_then(|h| u32::try_from(h).ok())
                .map(|h| h.div_ceil(24));
            days.or(hours).filter(|d| *d > 0)
        };
        for (i, item) in map.list("reporting_regimes").iter().enumerate() {
            let Some(m) = item.as_map() else {
                bad(
                    "reporting_regimes",
                    format!(
                        "reporting_regimes[{}] must be a mapping with id, name and days or hours",
                        i + 1
                    ),
                    true,
                );
                continue;
            };
            let (Some(id), Some(days)) = (m.text("id"), days_of(m)) else {
                bad(
                    "reporting_regimes",
                    format!(
                        "reporting_regimes[{}] needs an `id` and `days:` or `hours:` above 0",
                        i + 1
                    ),
                    true,
                );
                continue;
            };
            let sooner = m
                .list("sooner")
                .iter()
                .filter_map(Value::as_map)
                .filter_map(|w| Some((w.text("when")?, days_of(w)?)))
                .collect();
            let regime = Regime {
                name: m.text("name").unwrap_or_else(|| id.clone()),
                id,
                days,
                sooner,
            };
            match s.regimes.iter_mut().find(|r| r.id == regime.id) {
                Some(r) => *r = regime,
                None => s.regimes.push(regime),
            }
        }
    }

    /// `rules: {CODE: {severity: warning, reason: ...}}` or the short `CODE: off`.
    fn read_rules(map: &Map, s: &mut Settings, bad: &mut impl FnMut(&str, String, bool)) {
        let entries = match map.get("rules") {
            None | Some(Value::Null) => return,
            Some(Value::Map(m)) => m.entries(),
            Some(_) => {
                bad(
                    "rules",
                    "`rules` must be a mapping of rule code to `{severity, reason}`".into(),
                    true,
                );
                return;
            }
        };
        for e in entries {
            let (level, reason) = match &e.value {
                Value::Map(m) => (m.text("severity"), m.text("reason")),
                other => (other.as_text(), None),
            };
            let Some(level) = level.as_deref().and_then(RuleLevel::parse) else {
                bad(
                    "rules",
                    format!(
                        "rule `{}`: severity must be error, warning or off",
                        crate::domain::text::one_line(&e.key)
                    ),
                    true,
                );
                continue;
            };
            let reason = reason.unwrap_or_default();
            if reason.trim().is_empty() {
                // An auditor asks why a rule was relaxed: the answer belongs next to it.
                bad(
                    "rules",
                    format!(
                        "rule `{}` is set to {} without a reason: add `reason:` (it is shown in aims check)",
                        crate::domain::text::one_line(&e.key),
                        level.name()
                    ),
                    false,
                );
            }
            s.rules.push(RuleOverride {
                code: e.key.to_string(),
                level,
                reason,
                line: Some(e.line).filter(|l| *l > 0),
            });
        }
    }

    fn read_people(map: &Map, s: &mut Settings, bad: &mut impl FnMut(&str, String, bool)) {
        for (i, p) in map.list("people").iter().enumerate() {
            let Some(pm) = p.as_map() else {
                bad(
                    "people",
                    format!(
                        "people[{}] must be a mapping with id, name, role and login",
                        i + 1
                    ),
                    true,
                );
                continue;
            };
            let Some(id) = pm.text("id") else {
                bad("people", format!("people[{}] has no `id`", i + 1), true);
                continue;
            };
            if !is_person_id(&id) {
                bad(
                    "people",
                    format!("person id `{id}` must be a lowercase slug such as `amoreau`"),
                    true,
                );
                continue;
            }
            if s.person(&id).is_some() {
                bad("people", format!("person id `{id}` is listed twice"), true);
                continue;
            }
            let name = pm.text("name").unwrap_or_else(|| id.clone());
            s.people.push(Person {
                id,
                name,
                role: pm.text("role").unwrap_or_default(),
                login: pm.text("login"),
                email: pm.text("email"),
                deputy: pm.text("deputy"),
            });
        }
        for p in &s.people {
            match p.deputy.as_deref() {
                Some(d) if d == p.id => bad(
                    "people",
                    format!("{} cannot be their own deputy", p.id),
                    true,
                ),
                Some(d) if s.person(d).is_none() => bad(
                    "people",
                    format!(
                        "the deputy of {} is `{}`, who is not in people",
                        p.id,
                        crate::domain::text::one_line(d)
                    ),
                    true,
                ),
                _ => {}
            }
        }
        let mut logins = std::collections::HashSet::new();
        for p in &s.people {
            if let Some(login) = &p.login
                && !logins.insert(login.as_str())
            {
                bad(
                    "people",
                    format!(
                        "login `{login}` belongs to two people: $USER could not tell who is acting"
                    ),
                    true,
                );
            }
        }
    }

    fn read_risk_method(rm: &Map, risk: &mut RiskMethod, bad: &mut impl FnMut(&str, String, bool)) {
        for (key, scale) in [
            ("likelihood", &mut risk.likelihood),
            ("impact", &mut risk.impact),
        ] {
            let labels = rm.texts(key);
            if labels.is_empty() {
                continue;
            }
            if (2..=10).contains(&labels.len()) {
                *scale = labels;
            } else {
                bad(
                    "risk_method",
                    format!("risk_method.{key} needs 2 to 10 labels, lowest first"),
                    true,
                );
            }
        }
        let bands: Vec<Band> = rm
            .list("bands")
            .iter()
            .filter_map(Value::as_map)
            .filter_map(|b| {
                Some(Band {
                    name: b.text("name")?,
                    max: u32::try_from(b.int("max")?).ok()?,
                })
            })
            .collect();
        if !rm.list("bands").is_empty() {
            let increasing = bands.windows(2).all(|w| w[0].max < w[1].max);
            if bands.len() != rm.list("bands").len() || bands.is_empty() || !increasing {
                bad(
                    "risk_method",
                    "risk_method.bands must be a list of `{name, max}` with max scores increasing, lowest band first".into(),
                    true,
                );
            } else {
                risk.bands = bands;
            }
        }
        let top = risk.max_score();
        if risk.bands.last().is_some_and(|b| b.max < top) {
            bad(
                "risk_method",
                format!(
                    "the highest band ends below the highest score {top}: raise its max to {top}"
                ),
                true,
            );
        }
        risk.appetite = risk.appetite.min(risk.bands.len().saturating_sub(1));
        if !rm.is_blank("bands") && rm.is_blank("appetite") {
            bad("risk_method", "custom risk bands need `appetite:` naming the highest band accepted without formal acceptance".into(), true);
        }
        if let Some(name) = rm.text("appetite") {
            match risk.bands.iter().position(|b| b.name == name) {
                Some(i) => risk.appetite = i,
                None => bad(
                    "risk_method",
                    format!(
                        "risk appetite `{name}` is not a band: use one of {}",
                        risk.bands
                            .iter()
                            .map(|b| b.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    true,
                ),
            }
        }
    }
}

fn role_names() -> String {
    ROLES.iter().map(|(r, _)| *r).collect::<Vec<_>>().join(", ")
}

fn type_keys() -> String {
    RecordType::ALL
        .iter()
        .map(|t| t.key())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn minimal_settings_use_defaults() {
        let (s, problems) = Settings::from_map(&map(&[
            ("organization", Value::str("Acme")),
            ("scope", Value::str("All AI")),
        ]));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.organization, "Acme");
        assert_eq!(s.risk.likelihood.len(), 5);
        assert_eq!(s.risk.band(9), "medium");
        assert!(!s.risk.above_appetite(9));
        assert!(s.risk.above_appetite(10));
        assert_eq!(s.cadence(RecordType::Risk), Some(Cadence::Months(6)));
        assert_eq!(s.due_soon_days, 14);
    }

    #[test]
    fn missing_organization_and_bad_values_are_reported() {
        let (s, problems) = Settings::from_map(&map(&[
            ("due_soon_days", Value::Int(-3)),
            (
                "cadences",
                Value::Map(map(&[
                    ("risk", Value::str("6x")),
                    ("widget", Value::str("1y")),
                ])),
            ),
        ]));
        let msgs: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            msgs.iter().any(|m| m.contains("`organization` is missing")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("due_soon_days")));
        assert!(msgs.iter().any(|m| m.contains("cadence of `risk`")));
        assert!(
            msgs.iter()
                .any(|m| m.contains("unknown record type `widget`"))
        );
        assert_eq!(s.due_soon_days, 14);
    }

    #[test]
    fn appetite_must_name_a_band() {
        let rm = map(&[("appetite", Value::str("huge"))]);
        let (_, problems) = Settings::from_map(&map(&[
            ("organization", Value::str("Acme")),
            ("scope", Value::str("x")),
            ("risk_method", Value::Map(rm)),
        ]));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .message
                .contains("risk appetite `huge` is not a band")
        );
    }
}

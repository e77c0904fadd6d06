//! The fields of `aims.yaml`, declared the way `specs.rs` declares a record type's, so the
//! workbench's one form engine edits the settings as it edits records; and the checks a
//! settings edit must pass before it is saved.

use super::spec::{FieldKind::*, FieldSpec, Req};
use super::specs::{ROLE_CHOICES, field, spec};
use crate::domain::settings::{SETTINGS_CODE, SETTINGS_FILE};
use crate::domain::{Finding, Map, Record, Settings, Value};

use Req::{Always, Optional};

pub const PERSON_FIELDS: [FieldSpec; 6] = [
    field(
        "id",
        "Id",
        Text,
        Always,
        "a lowercase slug such as amoreau: records name people by it",
    ),
    field("name", "Name", Text, Always, "the person's full name"),
    field(
        "role",
        "Role",
        Text,
        Optional,
        "their role in the AIMS, e.g. AI governance lead",
    ),
    field(
        "login",
        "Login",
        Text,
        Optional,
        "their login ($USER): how the workbench knows who is acting",
    ),
    field("email", "E-mail", Text, Optional, "where to reach them"),
    field(
        "deputy",
        "Deputy",
        Person,
        Optional,
        "who stands in for them when they are away",
    ),
];

const BAND_FIELDS: [FieldSpec; 2] = [
    field("name", "Name", Text, Always, "low, medium, high…"),
    field(
        "max",
        "Highest score",
        Number,
        Always,
        "the highest likelihood × impact score in this band",
    ),
];

const RISK_METHOD_FIELDS: [FieldSpec; 6] = [
    field(
        "likelihood",
        "Likelihood scale",
        TextList,
        Optional,
        "2 to 10 labels, one a line, lowest first",
    ),
    field(
        "impact",
        "Impact scale",
        TextList,
        Optional,
        "2 to 10 labels, one a line, lowest first",
    ),
    field(
        "bands",
        "Bands",
        Table(&BAND_FIELDS),
        Optional,
        "by score, lowest band first; the last ends at the highest score",
    ),
    field(
        "appetite",
        "Risk appetite",
        Text,
        Optional,
        "the highest residual band accepted without formal acceptance (a band's name)",
    ),
    field(
        "top_management_accepts_from",
        "Top mgmt accepts from",
        Text,
        Optional,
        "the lowest band whose acceptance needs top management (a band's name)",
    ),
    field(
        "acceptance_valid",
        "Acceptance valid for",
        Text,
        Optional,
        "how long a risk acceptance holds: 6m, 1y",
    ),
];

/// One line per record type that has a review cadence (a test keeps this list whole).
const CADENCE_FIELDS: [FieldSpec; 14] = [
    cadence("system", "AI systems"),
    cadence("risk", "AI risks"),
    cadence("impact_assessment", "Impact assessments"),
    cadence("soa", "SoA entries"),
    cadence("supplier", "Suppliers"),
    cadence("document", "Documents"),
    cadence("objective", "Objectives"),
    cadence("management_review", "Management reviews"),
    cadence("audit", "Internal audits"),
    cadence("context_issue", "Context issues"),
    cadence("interested_party", "Interested parties"),
    cadence("communication", "Communications"),
    cadence("dataset", "Datasets"),
    cadence("metric", "Metrics"),
];

const fn cadence(name: &'static str, label: &'static str) -> FieldSpec {
    field(
        name,
        label,
        Text,
        Optional,
        "review every: 90d, 6m, 1y (blank: the default)",
    )
}

/// The settings a form edits, in the order they are written to a new `aims.yaml`. The
/// `rules` overrides and the reporting regimes are kept as they are (edited in the file).
pub const SETTINGS_FIELDS: [FieldSpec; 9] = [
    field(
        "organization",
        "Organisation",
        Text,
        Always,
        "the organisation's legal name",
    ),
    field(
        "scope",
        "Scope statement",
        LongText,
        Always,
        "what the AI management system covers: units, sites, AI systems (clause 4.3)",
    ),
    field(
        "roles_held",
        "Roles held",
        EnumList(ROLE_CHOICES),
        Optional,
        "the organisation's roles for AI systems (clause 4.1)",
    ),
    field(
        "established",
        "Established",
        Date,
        Optional,
        "when the AIMS was established: its first audit and review cycle start here",
    ),
    field(
        "people",
        "People",
        Table(&PERSON_FIELDS),
        Always,
        "everyone a record may name as owner, assessor, auditor…",
    ),
    field(
        "top_management",
        "Top management",
        PersonList,
        Optional,
        "who may accept risks in the upper bands (clause 5.1)",
    ),
    field(
        "risk_method",
        "Risk method",
        Group(&RISK_METHOD_FIELDS),
        Optional,
        "scales, bands, appetite and who accepts what",
    ),
    field(
        "cadences",
        "Review cadences",
        Group(&CADENCE_FIELDS),
        Optional,
        "how often each record type is reviewed",
    ),
    field(
        "due_soon_days",
        "Due soon (days)",
        Number,
        Optional,
        "how many days ahead a date counts as due soon",
    ),
];

/// The top-level keys in saving order: new keys land near their kin.
pub fn field_order() -> Vec<&'static str> {
    let mut order = vec!["version"];
    order.extend(SETTINGS_FIELDS.iter().map(|f| f.name));
    order
}

/// Where a record names a person: `(record id, field)`, e.g. `("RISK-003", "owner")`,
/// `("AUD-2026-01", "reviews[2].by")`. Read from the specs, so a new person field is found
/// without a change here.
pub fn naming(records: &[Record], person: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in records {
        let mut fields = Vec::new();
        find_person(
            spec(r.kind)
                .all_fields()
                .copied()
                .collect::<Vec<_>>()
                .as_slice(),
            &r.fields,
            "",
            person,
            &mut fields,
        );
        out.extend(fields.into_iter().map(|f| (r.id.clone(), f)));
    }
    out
}

fn find_person(specs: &[FieldSpec], map: &Map, prefix: &str, person: &str, out: &mut Vec<String>) {
    for f in specs {
        let Some(v) = map.get(f.name) else { continue };
        let name = format!("{prefix}{}", f.name);
        match f.kind {
            Person if v.as_text().as_deref() == Some(person) => out.push(name),
            PersonList
                if v.as_list()
                    .is_some_and(|l| l.iter().any(|i| i.as_text().as_deref() == Some(person))) =>
            {
                out.push(name)
            }
            Table(sub) => {
                for (i, item) in v.as_list().unwrap_or_default().iter().enumerate() {
                    if let Some(m) = item.as_map() {
                        find_person(sub, m, &format!("{name}[{}].", i + 1), person, out);
                    }
                }
            }
            Group(sub) => {
                if let Some(m) = v.as_map() {
                    find_person(sub, m, &format!("{name}."), person, out);
                }
            }
            _ => {}
        }
    }
}

/// The person ids of a settings map's `people`.
fn person_ids(settings: &Map) -> Vec<String> {
    settings
        .list("people")
        .iter()
        .filter_map(|p| p.as_map()?.text("id"))
        .collect()
}

/// What a settings edit from `base` to `values` would break: everything `aims check` says
/// of aims.yaml, and any person dropped (or renamed) while records still name them — the
/// list of those records says what to reassign first.
pub fn validate(base: &Map, values: &Map, records: &[Record]) -> Vec<Finding> {
    let (_, mut findings) = Settings::from_map(values);
    let kept = person_ids(values);
    for gone in person_ids(base).into_iter().filter(|id| !kept.contains(id)) {
        let named = naming(records, &gone);
        if named.is_empty() {
            continue;
        }
        // By record: "RISK-011 (owner, reviews[1].by)".
        let mut by: Vec<(String, Vec<String>)> = Vec::new();
        for (id, field) in named {
            match by.last_mut() {
                Some((last, fields)) if *last == id => fields.push(field),
                _ => by.push((id, vec![field])),
            }
        }
        let records = by.len();
        let shown: Vec<String> = by
            .into_iter()
            .take(6)
            .map(|(id, fields)| format!("{id} ({})", fields.join(", ")))
            .collect();
        let more = match records - shown.len() {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        findings.push(
            Finding::error(
                SETTINGS_FILE,
                format!(
                    "{gone} cannot be removed or renamed: {records} record{} name {gone}: {}{more}. Reassign current duties first (o on each record); someone named in a log stays in people",
                    if records == 1 { "" } else { "s" },
                    shown.join(", ")
                ),
            )
            .field("people")
            .code(SETTINGS_CODE),
        );
    }
    findings
}

/// A new `aims.yaml` value for one person (what `aims init --as` writes).
pub fn person_value(id: &str, name: &str, role: &str, login: Option<&str>) -> Value {
    let mut m = Map::new();
    m.set("id", Value::str(id));
    m.set("name", Value::str(name));
    if !role.is_empty() {
        m.set("role", Value::str(role));
    }
    if let Some(l) = login {
        m.set("login", Value::str(l));
    }
    Value::Map(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RecordType;

    #[test]
    fn every_reviewed_type_has_a_cadence_field() {
        for kind in RecordType::ALL {
            if crate::domain::settings::default_cadence(kind).is_some() {
                assert!(
                    CADENCE_FIELDS.iter().any(|f| f.name == kind.key()),
                    "no cadence field for {}",
                    kind.key()
                );
            }
        }
    }
}

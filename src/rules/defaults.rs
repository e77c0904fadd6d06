//! A new record's defaults, from its spec: what the workbench's form and `aims import`
//! both start a record with, so a record made either way begins the same.

use crate::domain::dates::Date;
use crate::domain::{Map, Record, RecordType, Settings, Value};

/// The fields a new record of `kind` starts with: its id, the first status of its choices
/// (the start of its life cycle), `owner` (when the type has one and someone creates it),
/// an impact assessment's assessor, and, for a reviewed type, `last_reviewed` today —
/// recording a record is its first review, so its review cycle starts now.
pub fn new_record(kind: RecordType, id: &str, user: Option<&str>, today: Date) -> Map {
    let sp = super::spec(kind);
    let mut m = Map::new();
    m.set("id", Value::str(id));
    if let Some(super::FieldKind::Enum(choices)) = sp.field("status").map(|f| f.kind) {
        m.set("status", Value::str(choices[0].0));
    }
    if let Some(u) = user {
        if sp.field("owner").is_some() {
            m.set("owner", Value::str(u));
        }
        if kind == RecordType::ImpactAssessment {
            m.set("assessor", Value::str(u));
        }
    }
    if sp.reviewed {
        m.set("last_reviewed", Value::str(today.to_string()));
    }
    m
}

/// Defaults only the workspace can give, where there is exactly one choice: a new system
/// holds the organisation's role when it holds one; a new risk or impact assessment is of
/// the system when there is one (a first run has one of each).
pub fn from_workspace(kind: RecordType, m: &mut Map, settings: &Settings, records: &[Record]) {
    if kind == RecordType::System
        && let [role] = settings.roles_held.as_slice()
    {
        m.set("roles", Value::List(vec![Value::str(role.as_str())]));
    }
    let mut systems = records.iter().filter(|r| r.kind == RecordType::System);
    let (Some(only), None) = (systems.next(), systems.next()) else {
        return;
    };
    match kind {
        RecordType::Risk => m.set("systems", Value::List(vec![Value::str(only.id.as_str())])),
        RecordType::ImpactAssessment => m.set("system", Value::str(only.id.as_str())),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_role_held_and_one_system_are_chosen_for_a_new_record() {
        let mut settings = Settings::default();
        settings.roles_held = vec!["producer".into()];
        let system = |id: &str| Record {
            kind: RecordType::System,
            id: id.into(),
            fields: Map::new(),
            path: format!("systems/{id}.yaml").into(),
            content_hash: 0,
        };
        let one = [system("SYS-001")];
        let mut sys = Map::new();
        from_workspace(RecordType::System, &mut sys, &settings, &one);
        assert_eq!(sys.texts("roles"), ["producer"]);
        let mut risk = Map::new();
        from_workspace(RecordType::Risk, &mut risk, &settings, &one);
        assert_eq!(risk.texts("systems"), ["SYS-001"]);
        let mut ia = Map::new();
        from_workspace(RecordType::ImpactAssessment, &mut ia, &settings, &one);
        assert_eq!(ia.text("system").as_deref(), Some("SYS-001"));

        // Two of either: nothing is guessed.
        settings.roles_held.push("user".into());
        let two = [system("SYS-001"), system("SYS-002")];
        let (mut sys, mut risk) = (Map::new(), Map::new());
        from_workspace(RecordType::System, &mut sys, &settings, &two);
        from_workspace(RecordType::Risk, &mut risk, &settings, &two);
        assert!(sys.get("roles").is_none() && risk.get("systems").is_none());
    }

    #[test]
    fn defaults_come_from_the_spec() {
        let today = Date::from_ymd_opt(2026, 11, 22).unwrap();
        let risk = new_record(RecordType::Risk, "RISK-010", Some("amoreau"), today);
        assert_eq!(risk.text("id").as_deref(), Some("RISK-010"));
        assert_eq!(risk.text("owner").as_deref(), Some("amoreau"));
        assert_eq!(risk.text("last_reviewed").as_deref(), Some("2026-11-22"));
        assert!(
            risk.text("status").is_some(),
            "the first status of its choices"
        );
        let ia = new_record(RecordType::ImpactAssessment, "IA-004", Some("lchen"), today);
        assert_eq!(ia.text("assessor").as_deref(), Some("lchen"));
        assert!(!ia.contains("last_reviewed"), "an IA has no review cycle");
        let nobody = new_record(RecordType::Risk, "RISK-011", None, today);
        assert!(
            !nobody.contains("owner"),
            "an import names no owner it was not given"
        );
    }
}

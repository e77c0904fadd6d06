//! A new record's defaults, from its spec: what the workbench's form and `aims import`
//! both start a record with, so a record made either way begins the same.

use crate::domain::dates::Date;
use crate::domain::{Map, RecordType, Value};

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

#[cfg(test)]
mod tests {
    use super::*;

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

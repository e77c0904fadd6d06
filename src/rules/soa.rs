//! The Statement of Applicability read as a whole: its progress headline, what a status
//! implies, and the one-key exclusion. Home, the SoA pane, its per-area line and the trends
//! all count through [`SoaProgress`], so no two places can disagree — and every count is
//! against the 38 Annex A controls, never against the entries that happen to exist, so a
//! workspace with one assessed entry reads "assessed 1/38", not "100%".

use super::triage::{append, log_entry};
use crate::domain::catalog;
use crate::domain::dates::Date;
use crate::domain::{Map, Record, RecordType, Value};

/// SoA progress over a set of Annex A controls (all 38, or one area's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SoaProgress {
    /// The controls counted: 38 for the whole of Annex A.
    pub controls: usize,
    /// Entries whose applicability is decided (a status other than not-assessed).
    pub assessed: usize,
    /// Assessed entries that apply.
    pub applicable: usize,
    /// Assessed entries that do not apply (excluded, with a justification).
    pub excluded: usize,
    /// Applicable entries implemented or inherited.
    pub in_place: usize,
}

impl SoaProgress {
    /// Progress over all 38 Annex A controls, from the records (other types are ignored).
    pub fn of<'a>(records: impl IntoIterator<Item = &'a Record>) -> SoaProgress {
        SoaProgress::over(records, |_| true)
    }

    /// Progress over the controls `counted` keeps (an area: `|id| id.starts_with("A.6.")`).
    /// An entry for a control outside the catalog counts for nothing.
    pub fn over<'a>(
        records: impl IntoIterator<Item = &'a Record>,
        counted: impl Fn(&str) -> bool,
    ) -> SoaProgress {
        let mut p = SoaProgress {
            controls: catalog::CONTROLS.iter().filter(|c| counted(c.id)).count(),
            ..SoaProgress::default()
        };
        for r in records {
            if r.kind != RecordType::Soa
                || !counted(&r.id)
                || catalog::control(&r.id).is_none_or(|c| c.id != r.id)
            {
                continue;
            }
            match decision(&r.fields) {
                Decision::NotAssessed => {}
                Decision::Excluded => {
                    p.assessed += 1;
                    p.excluded += 1;
                }
                Decision::Applies { in_place } => {
                    p.assessed += 1;
                    p.applicable += 1;
                    p.in_place += usize::from(in_place);
                }
            }
        }
        p
    }

    /// The controls that may still need to be in place: all but the excluded ones (an
    /// excluded control is justified out; counting it as missing would keep a finished
    /// SoA below 100% for ever).
    pub fn in_scope(&self) -> usize {
        self.controls - self.excluded
    }

    /// Controls in place of those in scope, in percent (0 when none is in scope).
    pub fn percent(&self) -> usize {
        (self.in_place * 100)
            .checked_div(self.in_scope())
            .unwrap_or(0)
    }

    /// "assessed 12/38 · applicable 10 · in place 5/36 (13%)": what Home and the SoA pane
    /// show. "in place" counts against every control not excluded, assessed or not.
    pub fn headline(&self) -> String {
        format!(
            "assessed {}/{} · applicable {} · in place {}/{} ({}%)",
            self.assessed,
            self.controls,
            self.applicable,
            self.in_place,
            self.in_scope(),
            self.percent()
        )
    }

    /// Whether every control counted is assessed and every one in scope is in place.
    pub fn complete(&self) -> bool {
        self.assessed == self.controls && self.in_place == self.in_scope()
    }
}

/// What an SoA entry decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    NotAssessed,
    Excluded,
    Applies { in_place: bool },
}

/// An entry's decision. The status leads: `excluded` never applies, whatever `applicable`
/// says; any other assessed status applies unless `applicable: no` says otherwise (the
/// check reports that contradiction as `soa-status`).
pub fn decision(fields: &Map) -> Decision {
    let status = fields.text("status");
    match status.as_deref() {
        None | Some("not-assessed") => Decision::NotAssessed,
        Some("excluded") => Decision::Excluded,
        Some(_) if fields.bool("applicable") == Some(false) => Decision::Excluded,
        Some(s) => Decision::Applies {
            in_place: matches!(s, "implemented" | "inherited"),
        },
    }
}

/// What a status implies for `applicable`: work on a control (planned, in progress,
/// implemented, inherited) means it applies; an exclusion means it does not. `None` for
/// not-assessed (undecided) and unknown statuses.
pub fn implied_applicable(status: &str) -> Option<bool> {
    match status {
        "planned" | "in-progress" | "implemented" | "inherited" => Some(true),
        "excluded" => Some(false),
        _ => None,
    }
}

/// Sets `applicable` to what the entry's status implies (the form calls this as the user
/// picks a status). Returns whether anything changed.
pub fn apply_implied(fields: &mut Map) -> bool {
    let Some(implied) = fields.text("status").and_then(|s| implied_applicable(&s)) else {
        return false;
    };
    if fields.bool("applicable") == Some(implied) {
        return false;
    }
    fields.set("applicable", Value::Bool(implied));
    true
}

/// `x` in the SoA pane: the control does not apply, for `justification`. Logged in the
/// entry's reviews (deciding applicability is a review of it) by `by` on `today`.
pub fn exclude(fields: &Map, justification: &str, today: Date, by: &str) -> Result<Map, String> {
    let why = justification.trim();
    if why.is_empty() {
        return Err("an exclusion needs its justification: why the control does not apply".into());
    }
    let mut out = fields.clone();
    out.set("status", Value::str("excluded"));
    out.set("applicable", Value::Bool(false));
    out.set("justification", Value::str(why));
    append(
        &mut out,
        "reviews",
        log_entry(today, by, &format!("excluded: {why}")),
    );
    out.set("last_reviewed", Value::str(today.to_string()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, status: &str, applicable: Option<bool>) -> Record {
        let mut m = Map::new();
        m.set("id", Value::str(id));
        m.set("status", Value::str(status));
        if let Some(a) = applicable {
            m.set("applicable", Value::Bool(a));
        }
        Record {
            kind: RecordType::Soa,
            id: id.into(),
            fields: m,
            path: format!("soa/{id}.yaml").into(),
            content_hash: 0,
        }
    }

    #[test]
    fn one_assessed_entry_is_one_of_38_not_100_percent() {
        let p = SoaProgress::of(&[entry("A.2.2", "implemented", Some(true))]);
        assert_eq!((p.assessed, p.applicable, p.in_place), (1, 1, 1));
        assert_eq!(p.controls, 38);
        assert_eq!(p.percent(), 2);
        assert_eq!(
            p.headline(),
            "assessed 1/38 · applicable 1 · in place 1/38 (2%)"
        );
        assert!(!p.complete());
    }

    #[test]
    fn exclusions_leave_scope_and_not_assessed_counts_nothing() {
        let records = [
            entry("A.2.2", "implemented", Some(true)),
            entry("A.2.3", "excluded", Some(false)),
            // Contradictory: excluded wins over a stray `applicable: yes`.
            entry("A.2.4", "excluded", Some(true)),
            entry("A.3.2", "not-assessed", Some(true)),
            entry("A.3.3", "planned", Some(true)),
            entry("A.99.1", "implemented", Some(true)),
        ];
        let p = SoaProgress::of(&records);
        assert_eq!(p.assessed, 4);
        assert_eq!(p.excluded, 2);
        assert_eq!(p.applicable, 2);
        assert_eq!(p.in_place, 1);
        assert_eq!(p.in_scope(), 36);
        let area = SoaProgress::over(&records, |id| id.starts_with("A.2."));
        assert_eq!((area.controls, area.in_place, area.in_scope()), (3, 1, 1));
        assert!(area.complete());
    }

    #[test]
    fn status_implies_applicability() {
        assert_eq!(implied_applicable("implemented"), Some(true));
        assert_eq!(implied_applicable("planned"), Some(true));
        assert_eq!(implied_applicable("excluded"), Some(false));
        assert_eq!(implied_applicable("not-assessed"), None);
        let mut m = Map::new();
        m.set("status", Value::str("inherited"));
        assert!(apply_implied(&mut m));
        assert_eq!(m.bool("applicable"), Some(true));
        assert!(!apply_implied(&mut m), "already what the status implies");
        m.set("status", Value::str("excluded"));
        assert!(apply_implied(&mut m));
        assert_eq!(m.bool("applicable"), Some(false));
    }

    #[test]
    fn exclusion_needs_a_reason_and_is_logged() {
        let e = entry("A.10.4", "not-assessed", None);
        let today = Date::from_ymd_opt(2026, 11, 22).unwrap();
        assert!(exclude(&e.fields, "  ", today, "amoreau").is_err());
        let out = exclude(&e.fields, "we supply no customers", today, "amoreau").unwrap();
        assert_eq!(out.text("status").as_deref(), Some("excluded"));
        assert_eq!(out.bool("applicable"), Some(false));
        assert_eq!(
            out.text("justification").as_deref(),
            Some("we supply no customers")
        );
        let log = out.list("reviews");
        assert_eq!(log.len(), 1);
        assert_eq!(
            log[0].as_map().and_then(|m| m.text("note")).as_deref(),
            Some("excluded: we supply no customers")
        );
        assert_eq!(decision(&out), Decision::Excluded);
    }
}

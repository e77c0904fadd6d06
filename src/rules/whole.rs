//! Rules over the workspace as a whole: what no single record can show (coverage of the SoA,
//! of the risk register, of the audit programme). `Workspace::check` runs these after each
//! record's own rules.

use super::check::{Ctx, validate_record};
use super::registry;
use crate::domain::{Finding, Record, RecordType, catalog};
use std::collections::HashSet;

/// Every finding of the records and of the workspace as a whole, with the severity
/// overrides of aims.yaml applied.
pub fn check_workspace(records: &[Record], ctx: &Ctx) -> Vec<Finding> {
    let mut all = Vec::new();
    for r in records {
        all.extend(validate_record(r, ctx));
    }
    let mut whole = Vec::new();
    soa_coverage(records, &mut whole);
    registry::apply_overrides(&mut whole, ctx.view.settings());
    all.extend(whole);
    all.extend(registry::override_findings(ctx.view.settings()));
    all
}

fn soa_coverage(records: &[Record], out: &mut Vec<Finding>) {
    let soa: HashSet<&str> = records
        .iter()
        .filter(|r| r.kind == RecordType::Soa)
        .map(|r| r.id.as_str())
        .collect();
    let missing: Vec<&str> = catalog::CONTROLS
        .iter()
        .map(|c| c.id)
        .filter(|id| !soa.contains(id))
        .collect();
    if missing.is_empty() {
        return;
    }
    let shown = missing
        .iter()
        .take(10)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let more = if missing.len() > 10 {
        format!(" and {} more", missing.len() - 10)
    } else {
        String::new()
    };
    out.push(Finding::warning(
        "soa",
        format!(
            "the Statement of Applicability covers {} of 38 Annex A controls; missing: {shown}{more}: add one file per control (soa/<control>.yaml)",
            38 - missing.len()
        ),
    ).code("soa-coverage"));
}

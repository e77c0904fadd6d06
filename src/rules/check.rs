//! Validation of one record against its spec and the rest of the workspace. The form and
//! `aims check` both call [`validate_record`], so their verdicts cannot differ.

use super::audit::ItemResult;
use super::spec::{CatalogScope, FieldKind, FieldSpec, Scale, Spec};
use super::specs::{date_of, spec};
use crate::domain::dates::Date;
use crate::domain::text::show_id;
use crate::domain::{Finding, Map, Record, RecordType, Settings, Value, catalog, ids};

/// What validation needs to know of the rest of the workspace. `Sync`: records are
/// validated on every core.
pub trait WorkspaceView: Sync {
    fn settings(&self) -> &Settings;
    fn record(&self, id: &str) -> Option<&Record>;
    /// Records that name `id` in one of their reference fields.
    fn linked_from(&self, id: &str) -> Vec<&Record>;
    /// Whether a relative evidence path exists under the workspace.
    fn evidence_exists(&self, relative: &str) -> bool;
}

pub struct Ctx<'a> {
    pub view: &'a dyn WorkspaceView,
    pub today: Date,
}

/// Collects findings for one record, pinned to its file and, where known, line and field.
struct Report<'r> {
    record: &'r Record,
    findings: Vec<Finding>,
}

impl Report<'_> {
    fn push(
        &mut self,
        code: &'static str,
        error: bool,
        line: Option<u32>,
        field: &str,
        message: String,
    ) {
        let f = if error {
            Finding::error(&self.record.path, message)
        } else {
            Finding::warning(&self.record.path, message)
        };
        let f = f.at(line).record(&self.record.id).code(code);
        self.findings
            .push(if field.is_empty() { f } else { f.field(field) });
    }
    fn error(&mut self, code: &'static str, line: Option<u32>, field: &str, message: String) {
        self.push(code, true, line, field, message);
    }
    fn warn(&mut self, code: &'static str, line: Option<u32>, field: &str, message: String) {
        self.push(code, false, line, field, message);
    }
}

/// Every finding about one record: required and conditional fields, value kinds, references
/// and the rules of its type.
pub fn validate_record(record: &Record, ctx: &Ctx) -> Vec<Finding> {
    let sp = spec(record.kind);
    let mut r = Report {
        record,
        findings: Vec::new(),
    };
    check_id(record, &mut r);
    check_fields(sp.all_fields(), &record.fields, "", None, ctx, &mut r);
    check_one_of(sp, &record.fields, ctx, &mut r);
    match record.kind {
        RecordType::System => system_rules(record, ctx, &mut r),
        RecordType::Risk => {
            risk_rules(&record.fields, &mut r);
            acceptance_rules(&record.fields, ctx, &mut r);
            excluded_controls(&record.fields, ctx, &mut r);
        }
        RecordType::Soa => {
            soa_rules(&record.fields, &mut r);
            exclusion_rules(&record.fields, &mut r);
            inherited_isms(record, &mut r);
        }
        RecordType::Audit => {
            audit_rules(record, ctx, &mut r);
            auditor_independence(record, ctx, &mut r);
        }
        RecordType::Nonconformity => {
            nc_rules(&record.fields, ctx, &mut r);
            nc_more_rules(&record.fields, ctx, &mut r);
        }
        RecordType::ImpactAssessment => {
            not_same(
                &record.fields,
                "approved_by",
                "assessor",
                "ia-approver-not-assessor",
                &mut r,
            );
        }
        RecordType::Incident => incident_rules(&record.fields, ctx, &mut r),
        RecordType::Competence => competence_rules(&record.fields, ctx, &mut r),
        RecordType::Communication => logged_in_future(&record.fields, "log", ctx, &mut r),
        RecordType::Metric => metric_rules(record, ctx, &mut r),
        RecordType::Document => {
            not_same(
                &record.fields,
                "approved_by",
                "owner",
                "doc-approver-not-owner",
                &mut r,
            );
        }
        _ => {}
    }
    date_order(record, &mut r);
    if sp.reviewed {
        review_dates(&record.fields, ctx, &mut r);
    }
    // The form and `aims check` both see the workspace's severities, so an `off` rule
    // never blocks a save.
    super::registry::apply_overrides(&mut r.findings, ctx.view.settings());
    r.findings
}

fn check_id(record: &Record, r: &mut Report) {
    let line = record.fields.line_of("id");
    // The raw text, untrimmed: `id: "RISK-9 "` is not `RISK-9`.
    match record.fields.get("id").and_then(Value::as_text) {
        None => r.error("record-id", None, "id", format!("missing `id`: add `id: {}` as the first line", show_id(&record.id))),
        Some(id) if id != record.id => r.error("record-id", line,
            "id",
            format!(
                "id `{}` does not match the file name `{}`: set `id: {}` (characters shown as \\u{{…}} are invisible or look-alike: retype the id), or rename the file",
                show_id(&id),
                show_id(&record.id),
                show_id(&record.id)
            ),
        ),
        Some(_) => {}
    }
    let valid = if record.kind == RecordType::Soa {
        catalog::control(&record.id).is_some()
    } else {
        ids::is_record_id(&record.id)
    };
    if !valid {
        let want = if record.kind == RecordType::Soa {
            "an Annex A control id such as A.6.2.4 (there are 38)".to_string()
        } else {
            format!(
                "like {}-001: capitals, a dash, then letters, digits or dashes",
                record.kind.prefix()
            )
        };
        r.error(
            "record-id",
            line,
            "id",
            format!("`{}` is not a valid id: use {want}", show_id(&record.id)),
        );
    }
}

fn check_fields<'a>(
    fields: impl Iterator<Item = &'a FieldSpec>,
    map: &Map,
    prefix: &str,
    item_line: Option<u32>,
    ctx: &Ctx,
    r: &mut Report,
) {
    let settings = ctx.view.settings();
    for f in fields {
        let name = format!("{prefix}{}", f.name);
        let line = map.line_of(f.name).or(item_line);
        match map.get(f.name) {
            Some(v) if !v.is_empty() => check_value(f, v, &name, line, ctx, r),
            _ if f.required_now(map, settings) => {
                let why = match f.req {
                    super::Req::When(c) => format!(" (required because {})", c.describe()),
                    super::Req::Unless(c) => format!(" (required unless {})", c.describe()),
                    _ => String::new(),
                };
                r.error(
                    "required-field",
                    line.filter(|_| map.contains(f.name)).or(item_line),
                    &name,
                    format!("missing `{name}`: {}{why}", f.help),
                );
            }
            _ => {}
        }
    }
}

fn check_one_of(sp: &Spec, map: &Map, ctx: &Ctx, r: &mut Report) {
    for rule in sp.one_of {
        if rule.when.holds(map, ctx.view.settings()) && rule.fields.iter().all(|f| map.is_blank(f))
        {
            let names: Vec<String> = rule.fields.iter().map(|f| format!("`{f}`")).collect();
            r.error(
                "required-field",
                None,
                rule.fields[0],
                format!(
                    "missing {} (one is required because {})",
                    names.join(" or "),
                    rule.when.describe()
                ),
            );
        }
    }
}

fn check_value(f: &FieldSpec, v: &Value, name: &str, line: Option<u32>, ctx: &Ctx, r: &mut Report) {
    let settings = ctx.view.settings();
    match f.kind {
        FieldKind::Text | FieldKind::LongText => {
            if v.as_text().is_none() {
                r.error(
                    "field-value",
                    line,
                    name,
                    format!("`{name}` must be text, not {}", v.shape()),
                );
            }
        }
        FieldKind::Enum(choices) => check_choice(choices, v, name, line, r),
        FieldKind::EnumList(choices) => match v {
            Value::List(items) => items
                .iter()
                .for_each(|i| check_choice(choices, i, name, line, r)),
            _ => r.error(
                "field-value",
                line,
                name,
                format!("`{name}` must be a list, e.g. `{name}: [{}]`", choices[0].0),
            ),
        },
        FieldKind::Bool => {
            if v.as_bool().is_none() {
                r.error(
                    "field-value",
                    line,
                    name,
                    format!("`{name}` must be true or false, not `{}`", shown(v)),
                );
            }
        }
        FieldKind::Date => {
            if v.as_text()
                .and_then(|t| crate::domain::dates::parse_date(&t))
                .is_none()
            {
                r.error(
                    "field-value",
                    line,
                    name,
                    format!(
                        "`{name}` must be a date written YYYY-MM-DD, not `{}`",
                        shown(v)
                    ),
                );
            }
        }
        FieldKind::Score(scale) => {
            let labels = match scale {
                Scale::Likelihood => &settings.risk.likelihood,
                Scale::Impact => &settings.risk.impact,
            };
            let n = labels.len() as i64;
            if !v.as_int().is_some_and(|s| (1..=n).contains(&s)) {
                r.error(
                    "field-value",
                    line,
                    name,
                    format!(
                        "`{name}` must be a whole number from 1 ({}) to {n} ({})",
                        labels.first().map_or("", String::as_str),
                        labels.last().map_or("", String::as_str)
                    ),
                );
            }
        }
        FieldKind::Number => {
            if v.as_int().is_none_or(|n| n < 0) {
                r.error(
                    "field-value",
                    line,
                    name,
                    format!("`{name}` must be a whole number, not `{}`", shown(v)),
                );
            }
        }
        FieldKind::Person => check_person(v, name, line, settings, r),
        FieldKind::PersonList => for_each_item(v, name, line, r, |i, r| {
            check_person(i, name, line, settings, r)
        }),
        FieldKind::Ref(types) => check_ref(types, v, name, line, ctx, r),
        FieldKind::RefList(types) => for_each_item(v, name, line, r, |i, r| {
            check_ref(types, i, name, line, ctx, r)
        }),
        FieldKind::Catalog(scope) => check_catalog(scope, v, name, line, r),
        FieldKind::CatalogList(scope) => for_each_item(v, name, line, r, |i, r| {
            check_catalog(scope, i, name, line, r)
        }),
        FieldKind::TextList => for_each_item(v, name, line, r, |i, r| {
            if i.as_text().is_none() {
                r.error(
                    "field-value",
                    line,
                    name,
                    format!("each item of `{name}` must be text, not {}", i.shape()),
                );
            }
        }),
        FieldKind::Links => check_links(v, name, line, ctx, r),
        FieldKind::Table(sub) => match v {
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let label = format!("{name}[{}]", i + 1);
                    match item {
                        Value::Map(m) => {
                            let item_line = m
                                .entries()
                                .first()
                                .map(|e| e.line)
                                .filter(|l| *l > 0)
                                .or(line);
                            check_fields(sub.iter(), m, &format!("{label}."), item_line, ctx, r);
                        }
                        _ => r.error(
                            "field-value",
                            line,
                            name,
                            format!("`{label}` must be a mapping with {}", sub_names(sub)),
                        ),
                    }
                }
            }
            _ => r.error(
                "field-value",
                line,
                name,
                format!(
                    "`{name}` must be a list of mappings with {}",
                    sub_names(sub)
                ),
            ),
        },
        FieldKind::Group(sub) => match v {
            Value::Map(m) => check_fields(sub.iter(), m, &format!("{name}."), line, ctx, r),
            _ => r.error(
                "field-value",
                line,
                name,
                format!("`{name}` must be a mapping with {}", sub_names(sub)),
            ),
        },
    }
}

fn sub_names(sub: &[FieldSpec]) -> String {
    sub.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

fn shown(v: &Value) -> String {
    crate::domain::text::one_line(&v.as_text().unwrap_or_else(|| v.shape().to_string()))
}

fn for_each_item(
    v: &Value,
    name: &str,
    line: Option<u32>,
    r: &mut Report,
    mut each: impl FnMut(&Value, &mut Report),
) {
    match v {
        Value::List(items) => items.iter().for_each(|i| each(i, r)),
        other => r.error(
            "field-value",
            line,
            name,
            format!("`{name}` must be a list, e.g. `{name}: [{}]`", shown(other)),
        ),
    }
}

fn check_choice(
    choices: super::spec::Choices,
    v: &Value,
    name: &str,
    line: Option<u32>,
    r: &mut Report,
) {
    let text = v.as_text().unwrap_or_default();
    if !choices.iter().any(|(c, _)| *c == text) {
        let all: Vec<&str> = choices.iter().map(|(c, _)| *c).collect();
        r.error(
            "field-value",
            line,
            name,
            format!(
                "`{name}` cannot be `{}`: use one of {}",
                shown(v),
                all.join(", ")
            ),
        );
    }
}

fn check_person(v: &Value, name: &str, line: Option<u32>, settings: &Settings, r: &mut Report) {
    let id = v.as_text().unwrap_or_default();
    if settings.person(&id).is_none() {
        r.error("unknown-person", line, name, format!(
            "`{name}` names `{}`, who is not in the people of aims.yaml: add them there or use a listed person id",
            shown(v)
        ));
    }
}

fn check_ref(
    types: &[RecordType],
    v: &Value,
    name: &str,
    line: Option<u32>,
    ctx: &Ctx,
    r: &mut Report,
) {
    let id = v.as_text().unwrap_or_default();
    let want = types
        .iter()
        .map(|t| t.a_label())
        .collect::<Vec<_>>()
        .join(" or ");
    match ctx.view.record(&id) {
        None => r.error(
            "broken-reference",
            line,
            name,
            format!(
                "`{name}` refers to `{}`, which does not exist: create it or fix the id ({want})",
                shown(v)
            ),
        ),
        Some(t) if !types.contains(&t.kind) => r.error(
            "broken-reference",
            line,
            name,
            format!(
                "`{name}` refers to `{id}`, which is {}, not {want}",
                t.kind.a_label()
            ),
        ),
        Some(_) => {}
    }
}

fn check_catalog(scope: CatalogScope, v: &Value, name: &str, line: Option<u32>, r: &mut Report) {
    let id = v.as_text().unwrap_or_default();
    let ok = match scope {
        CatalogScope::Control => catalog::control(&id).is_some(),
        CatalogScope::ClauseOrControl => catalog::find(&id).is_some(),
    };
    if !ok {
        let what = match scope {
            CatalogScope::Control => "an Annex A control id such as A.6.2.4",
            CatalogScope::ClauseOrControl => {
                "a clause id such as 6.1.2 or an Annex A control id such as A.6.2.4"
            }
        };
        r.error(
            "unknown-requirement",
            line,
            name,
            format!(
                "`{name}`: `{}` is not a known requirement: use {what}",
                shown(v)
            ),
        );
    }
}

/// True for `https://…`, `mailto:` and other scheme-qualified targets.
pub fn is_url(target: &str) -> bool {
    target.split_once(':').is_some_and(|(scheme, rest)| {
        scheme.len() > 1
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            && (rest.starts_with("//") || scheme == "mailto")
    })
}

fn check_links(v: &Value, name: &str, line: Option<u32>, ctx: &Ctx, r: &mut Report) {
    let Value::List(items) = v else {
        r.error(
            "field-value",
            line,
            name,
            format!("`{name}` must be a list of `{{label, target}}`"),
        );
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let label = format!("{name}[{}]", i + 1);
        let (target, item_line) = match item {
            Value::Map(m) => (m.text("target"), m.line_of("target").or(line)),
            // A bare string is accepted as a target with no label.
            other => (other.as_text(), line),
        };
        let Some(target) = target else {
            r.error(
                "field-value",
                item_line,
                &label,
                format!("`{label}` has no `target`: add the path or URL of the evidence"),
            );
            continue;
        };
        if is_url(&target) {
            continue;
        }
        if target.starts_with('/') || target.split(['/', '\\']).any(|part| part == "..") {
            r.error("evidence-outside-workspace", item_line, &label, format!(
                "`{label}` points outside the workspace (`{}`): use a path relative to the workspace, or a URL",
                crate::domain::text::one_line(&target)
            ));
        } else if !ctx.view.evidence_exists(&target) {
            r.warn(
                "evidence-missing",
                item_line,
                &label,
                format!(
                    "`{label}`: evidence file `{}` does not exist in the workspace",
                    crate::domain::text::one_line(&target)
                ),
            );
        }
    }
}

// ---- rules of one type --------------------------------------------------------------------

fn system_rules(record: &Record, ctx: &Ctx, r: &mut Report) {
    let f = &record.fields;
    let held = &ctx.view.settings().roles_held;
    for role in f.texts("roles") {
        if !held.is_empty() && !held.contains(&role) {
            r.warn("role-not-held", f.line_of("roles"), "roles", format!(
                "role `{role}` is not among the roles_held of aims.yaml: add it there, or correct the system's roles"
            ));
        }
    }
    if f.text("lifecycle_stage").as_deref() == Some("retired") {
        return;
    }
    ia_rules(record, ctx, r);
    model_card_rules(record, ctx, r);
    dataset_rules(f, ctx, r);
}

/// A system we develop that is in use lists the datasets it learned from, and none of them
/// has been disposed of (the model would rest on data nobody can examine any more).
fn dataset_rules(f: &Map, ctx: &Ctx, r: &mut Report) {
    let datasets = f.texts("datasets");
    let develops = f.texts("roles").iter().any(|x| x == "producer");
    if develops && live(f) && datasets.is_empty() {
        r.warn("system-datasets", f.line_of("lifecycle_stage"), "datasets", format!(
            "a system we develop is in {} but lists no datasets: add `datasets:` naming the dataset records it was trained and tested on",
            f.text("lifecycle_stage").unwrap_or_default()
        ));
    }
    for id in datasets {
        if let Some(d) = ctx.view.record(&id)
            && d.kind == RecordType::Dataset
            && d.fields.text("status").as_deref() == Some("disposed")
        {
            r.warn("system-datasets", f.line_of("datasets"), "datasets", format!(
                "dataset `{}` is disposed of, yet the system still lists it: record the data it now rests on, or retire the system",
                show_id(&id)
            ));
        }
    }
}

/// A period field (`1m`, `3m`, `1y`) must read as one: the due list counts by it.
fn period_field(f: &Map, key: &str, r: &mut Report) {
    if let Some(t) = f.text(key)
        && crate::domain::dates::Cadence::parse(&t).is_none()
    {
        r.error(
            "field-value",
            f.line_of(key),
            key,
            format!(
                "`{key}` must be a period such as 1m, 3m or 1y (days d, weeks w, months m, years y), not `{}`",
                crate::domain::text::one_line(&t)
            ),
        );
    }
}

/// Dates in a log (`log`, `measurements`) record what happened, so none is after today.
fn logged_in_future(f: &Map, table: &str, ctx: &Ctx, r: &mut Report) {
    for (i, item) in f.list(table).iter().enumerate() {
        if let Some(m) = item.as_map()
            && let Some(d) = date_of(m, "date")
            && d > ctx.today
        {
            let line = m.entries().first().map(|e| e.line).filter(|l| *l > 0);
            r.error(
                "logged-in-future",
                line,
                &format!("{table}[{}].date", i + 1),
                format!("an entry of `{table}` is dated {d}, after today ({}): the log records what has happened", ctx.today),
            );
        }
    }
}

fn competence_rules(f: &Map, ctx: &Ctx, r: &mut Report) {
    period_field(f, "every", r);
    if let Some(d) = date_of(f, "completed_on")
        && d > ctx.today
    {
        r.error(
            "logged-in-future",
            f.line_of("completed_on"),
            "completed_on",
            format!("`completed_on` is {d}, after today ({}): record training once it is done; plan it with `next_due`", ctx.today),
        );
    }
    if let Some(due) = super::due::next_training(f)
        && due < ctx.today
    {
        let who = f.text("person").unwrap_or_default();
        r.warn(
            "training-overdue",
            f.line_of("next_due").or(f.line_of("completed_on")),
            "next_due",
            format!(
                "{} of `{}` was due on {due}: record the training with `completed_on`, or set a new `next_due` with a reason",
                crate::domain::text::one_line(&f.text("title").unwrap_or_default()),
                show_id(&who)
            ),
        );
    }
}

fn metric_rules(record: &Record, ctx: &Ctx, r: &mut Report) {
    let f = &record.fields;
    period_field(f, "frequency", r);
    if !f.is_blank("threshold") && super::specs::number(f, "threshold").is_none() {
        r.error(
            "field-value",
            f.line_of("threshold"),
            "threshold",
            format!(
                "`threshold` must be a number, e.g. 0.8 or 5%, not `{}`",
                crate::domain::text::one_line(&f.text("threshold").unwrap_or_default())
            ),
        );
    }
    logged_in_future(f, "measurements", ctx, r);
    for (i, item) in f.list("measurements").iter().enumerate() {
        let Some(m) = item.as_map() else { continue };
        let name = format!("measurements[{}].value", i + 1);
        if !m.is_blank("value") && super::specs::number(m, "value").is_none() {
            r.error(
                "field-value",
                m.line_of("value"),
                &name,
                format!(
                    "`{name}` must be a number, e.g. 0.87 or 5%, not `{}`",
                    crate::domain::text::one_line(&m.text("value").unwrap_or_default())
                ),
            );
        }
    }
    let series = super::metric::Series::of(f);
    for p in series.open_breaches() {
        let item = f.list("measurements")[p.index].as_map();
        r.warn(
            "metric-breach",
            item.and_then(|m| m.line_of("value")),
            &format!("measurements[{}].value", p.index + 1),
            format!(
                "{} {}: act on it and link the NC or incident raised in `raised`",
                show_id(&record.id),
                crate::domain::text::one_line(&series.describe(p)),
            ),
        );
    }
}

/// The date of a system's latest material change (its `changes` log).
pub fn last_material_change(f: &Map) -> Option<Date> {
    f.list("changes")
        .iter()
        .filter_map(Value::as_map)
        .filter(|c| c.bool("material") == Some(true))
        .filter_map(|c| date_of(c, "date"))
        .max()
}

/// Stages in which a system affects people now: impact assessment and model card are due.
fn live(f: &Map) -> bool {
    matches!(
        f.text("lifecycle_stage").as_deref(),
        Some("deployment" | "operation")
    )
}

/// Every non-retired system has an approved impact assessment of its own, current and not
/// older than its last material change (clause 6.1.4, A.5.2, A.5.3).
fn ia_rules(record: &Record, ctx: &Ctx, r: &mut Report) {
    let f = &record.fields;
    let line = f.line_of("risk_tier");
    let settings = ctx.view.settings();
    let high = f.text("risk_tier").as_deref() == Some("high");
    let naming: Vec<&Record> = ctx
        .view
        .linked_from(&record.id)
        .into_iter()
        .filter(|ia| ia.kind == RecordType::ImpactAssessment)
        .filter(|ia| ia.fields.text("system").as_deref() == Some(record.id.as_str()))
        .collect();
    let org_wide = |ia: &Record| ia.fields.bool("org_wide") == Some(true);
    let latest = naming
        .iter()
        .filter(|ia| !org_wide(ia))
        .filter(|ia| ia.fields.text("status").as_deref() == Some("approved"))
        .filter_map(|ia| Some((date_of(&ia.fields, "approved_on")?, *ia)))
        .max_by_key(|(d, _)| *d);
    match latest {
        None => {
            let generic: Vec<&str> = naming
                .iter()
                .filter(|ia| org_wide(ia))
                .map(|ia| ia.id.as_str())
                .collect();
            let note = if generic.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} is organisation-wide and does not assess this system's own use)",
                    generic.join(", ")
                )
            };
            r.push("ia-per-system", live(f), line, "risk_tier", format!(
                "no approved impact assessment of this system{note} (clause 6.1.4): create one with `system: {}` and have it approved",
                record.id
            ));
        }
        Some((approved, ia)) => {
            let due = super::due::ia_refresh_date(&ia.fields, approved, settings);
            if due < ctx.today {
                // Out of date counts like missing once the system is live.
                r.push("ia-stale", high || live(f), line, "risk_tier", format!(
                    "the impact assessment {} is out of date (refresh was due {due}): refresh and re-approve it",
                    ia.id
                ));
            }
            if let Some(changed) = last_material_change(f)
                && changed > approved
            {
                r.push("change-after-approval", high, f.line_of("changes"), "changes", format!(
                    "a material change on {changed} is newer than the approval of {} ({approved}): redo the impact assessment for the changed system (A.5.3)",
                    ia.id
                ));
            }
        }
    }
}

/// A system we develop or provide, once live, has an approved model card not older than
/// its last material change (A.6.2.7, A.8.2).
fn model_card_rules(record: &Record, ctx: &Ctx, r: &mut Report) {
    let f = &record.fields;
    let roles = f.texts("roles");
    if !live(f) || !roles.iter().any(|x| x == "producer" || x == "provider") {
        return;
    }
    let listed = f.texts("documents");
    let mut cards: Vec<&Record> = ctx
        .view
        .linked_from(&record.id)
        .into_iter()
        .chain(listed.iter().filter_map(|id| ctx.view.record(id)))
        .filter(|d| d.kind == RecordType::Document)
        .filter(|d| d.fields.text("kind").as_deref() == Some("model-card"))
        .filter(|d| d.fields.texts("systems").contains(&record.id) || listed.contains(&d.id))
        .collect();
    cards.dedup_by(|a, b| a.id == b.id);
    let approved = cards
        .iter()
        .filter(|d| {
            !matches!(
                d.fields.text("status").as_deref(),
                Some("draft" | "retired")
            )
        })
        .filter_map(|d| Some((date_of(&d.fields, "approved_on")?, *d)))
        .max_by_key(|(d, _)| *d);
    let line = f.line_of("documents").or(f.line_of("roles"));
    match approved {
        None => r.error("model-card", line, "documents", format!(
            "a system we develop is in use without an approved model card: write one (a document of kind model-card naming `systems: [{}]`) and have it approved",
            record.id
        )),
        Some((on, card)) => {
            if let Some(changed) = last_material_change(f)
                && changed > on
            {
                r.error("model-card", line, "documents", format!(
                    "the model card {} (approved {on}) predates the material change of {changed}: update it and have it approved",
                    card.id
                ));
            }
        }
    }
}

fn risk_rules(f: &Map, r: &mut Report) {
    for (res, inh) in [
        ("residual_likelihood", "likelihood"),
        ("residual_impact", "impact"),
    ] {
        if let (Some(a), Some(b)) = (f.int(res), f.int(inh))
            && a > b
        {
            r.error("residual-above-inherent", f.line_of(res), res, format!(
                "`{res}` ({a}) is higher than the inherent `{inh}` ({b}): treatment cannot raise a risk; lower it or raise `{inh}`"
            ));
        }
    }
    let has = |k| !f.is_blank(k);
    if has("residual_likelihood") != has("residual_impact") {
        let missing = if has("residual_likelihood") {
            "residual_impact"
        } else {
            "residual_likelihood"
        };
        r.warn(
            "residual-incomplete",
            None,
            missing,
            format!("`{missing}` is missing: give both residual scores, or neither"),
        );
    }
}

fn soa_rules(f: &Map, r: &mut Report) {
    let status = f.text("status");
    let applicable = f.bool("applicable");
    let line = f.line_of("status");
    match (status.as_deref(), applicable) {
        (Some("excluded"), Some(true)) => r.error("soa-status", line, "status", "status is excluded but `applicable: true`: set `applicable: false` or change the status".into()),
        (Some(s), Some(false)) if s != "excluded" && s != "not-assessed" => r.error("soa-status", line,
            "status",
            format!("`applicable: false` but status is {s}: a control that does not apply is `status: excluded`"),
        ),
        (Some("not-assessed"), _) => r.warn("soa-not-assessed", line, "status", "not yet assessed: decide whether the control applies and justify it".into()),
        _ => {}
    }
}

fn audit_rules(record: &Record, ctx: &Ctx, r: &mut Report) {
    let f = &record.fields;
    let completed = f.text("status").as_deref() == Some("completed");
    let items = f.list("checklist");
    let mut open = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let Some(m) = item.as_map() else { continue };
        let reference = m.text("ref").unwrap_or_else(|| format!("item {}", i + 1));
        let line = m.entries().first().map(|e| e.line).filter(|l| *l > 0);
        let name = format!("checklist[{}]", i + 1);
        if !seen.insert(reference.clone()) {
            r.warn(
                "checklist-duplicate",
                line,
                &name,
                format!("{reference} appears twice in the checklist: merge the two items"),
            );
        }
        let result = m.text("result");
        if result.is_none() {
            open.push(reference.clone());
        }
        // The linked NC should say it came from this audit, so the two agree both ways.
        if let Some(nc) = m.text("nc").and_then(|id| ctx.view.record(&id))
            && nc.kind == RecordType::Nonconformity
            && nc.fields.text("source_ref").as_deref() != Some(record.id.as_str())
        {
            r.warn("audit-nc-backlink", line, &format!("{name}.nc"), format!(
                "{reference} links {}, whose `source_ref` is not {}: set `source: audit` and `source_ref: {}` on it",
                nc.id, record.id, record.id
            ));
        }
        // A result that says the requirement is met contradicts the NC it still links
        // (the result was changed after the NC was raised, or the NC was never withdrawn).
        if let Some(met) = result.as_deref().and_then(ItemResult::parse)
            && met.says_met()
            && let Some(nc) = m.text("nc")
        {
            r.push("audit-result-links-nc", completed, m.line_of("result").or(line), &format!("{name}.result"), format!(
                "{reference} is {met} but still links {nc}: record the NC result (minor-nc or major-nc), or withdraw {nc} and remove `nc:` from the item"
            ));
        }
        if matches!(result.as_deref(), Some("minor-nc" | "major-nc")) && m.is_blank("nc") {
            r.push("audit-nc-missing", completed, line, &format!("{name}.nc"), format!(
                "{reference} has a {} result but links no nonconformity: raise one and set `nc:` on the item",
                result.unwrap_or_default()
            ));
        }
    }
    let missing = super::audit::missing_sign_off(f);
    if completed && !missing.is_empty() {
        r.warn("audit-sign-off", f.line_of("status"), missing[0], format!(
            "audit is completed without {}: record the lead auditor's conclusion and sign-off (`conclusion`, `signed_off_by`, `signed_off_on`)",
            missing.join(", ")
        ));
    }
    if completed && !open.is_empty() {
        let shown: Vec<_> = open.iter().take(8).cloned().collect();
        let more = if open.len() > 8 {
            format!(" and {} more", open.len() - 8)
        } else {
            String::new()
        };
        r.error("audit-incomplete", f.line_of("status"), "status", format!(
            "audit is completed but {} checklist item(s) have no result ({}{more}): record a result (or not-audited with a reason) or reopen it",
            open.len(),
            shown.join(", ")
        ));
    }
}

fn nc_rules(f: &Map, ctx: &Ctx, r: &mut Report) {
    let want = match f.text("source").as_deref() {
        Some("audit") => RecordType::Audit,
        Some("incident") => RecordType::Incident,
        Some("review") => RecordType::ManagementReview,
        Some("monitoring") => RecordType::Metric,
        _ => return,
    };
    let Some(source) = f.text("source_ref") else {
        return;
    };
    let line = f.line_of("source_ref");
    match ctx.view.record(&source) {
        Some(rec) if rec.kind == want => {}
        Some(rec) => r.error(
            "nc-source-ref",
            line,
            "source_ref",
            format!(
                "`source_ref` {source} is {}, but the source is {}",
                rec.kind.a_label(),
                want.a_label()
            ),
        ),
        None => r.error(
            "nc-source-ref",
            line,
            "source_ref",
            format!(
                "`source_ref` refers to `{}`, which does not exist: give the id of {}",
                crate::domain::text::one_line(&source),
                want.a_label()
            ),
        ),
    }
}

// ---- authority, segregation, dates (issue 10) ---------------------------------------------

/// Segregation of duties: the one who approves or verifies is not the one who did the work.
fn not_same(f: &Map, checker: &str, doer: &str, code: &'static str, r: &mut Report) {
    if let (Some(a), Some(b)) = (f.text(checker), f.text(doer))
        && a == b
    {
        r.error(code, f.line_of(checker), checker, format!(
            "`{checker}` is `{a}`, who is also the `{doer}`: an approval needs a second person; ask someone independent of the work"
        ));
    }
}

/// The date an acceptance lapses: `accepted_until`, else accepted on + the validity of
/// the risk method.
pub fn acceptance_expiry(f: &Map, settings: &Settings) -> Option<Date> {
    date_of(f, "accepted_until")
        .or_else(|| Some(settings.acceptance_valid.after(date_of(f, "accepted_on")?)))
}

fn acceptance_rules(f: &Map, ctx: &Ctx, r: &mut Report) {
    let settings = ctx.view.settings();
    let status = f.text("status");
    let closed = status.as_deref() == Some("closed");
    if let Some(by) = f.text("accepted_by") {
        let line = f.line_of("accepted_by");
        if f.text("owner").as_deref() == Some(by.as_str()) {
            r.error("acceptor-not-owner", line, "accepted_by", format!(
                "the risk is accepted by its own owner `{by}`: acceptance of residual risk is a management decision (clause 6.1.3); have it accepted by someone with the authority, not the owner"
            ));
        }
        if let Some(score) = super::specs::residual_score(f) {
            let band = settings.risk.band_index(score);
            if band >= settings.top_acceptance_band && !settings.top_management.contains(&by) {
                let band_name = settings.risk.band(score);
                let who = if settings.top_management.is_empty() {
                    "list top management under `top_management:` in aims.yaml and have one of them accept it".to_string()
                } else {
                    format!(
                        "have one of {} accept it",
                        settings.top_management.join(", ")
                    )
                };
                r.error("acceptance-authority", line, "accepted_by", format!(
                    "a {band_name} residual risk is accepted by `{by}`, who is not top management: {who}"
                ));
            }
        }
        if !closed
            && let Some(until) = acceptance_expiry(f, settings)
            && until < ctx.today
        {
            r.error("acceptance-expired", f.line_of("accepted_on").or(line), "accepted_until", format!(
                "the acceptance lapsed on {until}: review the risk and renew the acceptance (new `accepted_on` and `accepted_until`), or treat it"
            ));
        }
    }
    if f.text("treatment").as_deref() == Some("accept") {
        let line = f.line_of("treatment");
        if status.as_deref() == Some("treating") {
            r.warn("accepted-risk-treating", line, "status", "treatment is accept but the status says it is being treated: set `status: monitoring`, or change the treatment".into());
        }
        if let Some(due) = date_of(f, "treatment_due")
            && due < ctx.today
        {
            r.warn("accepted-risk-treating", f.line_of("treatment_due"), "treatment_due", format!(
                "treatment is accept but a past treatment due date ({due}) remains: remove `treatment_due`, or change the treatment"
            ));
        }
    }
}

fn excluded_controls(f: &Map, ctx: &Ctx, r: &mut Report) {
    for c in f.texts("controls") {
        if let Some(soa) = ctx.view.record(&c)
            && soa.kind == RecordType::Soa
            && soa.fields.text("status").as_deref() == Some("excluded")
        {
            r.error("excluded-control-treats-risk", f.line_of("controls"), "controls", format!(
                "the risk is treated by {c}, which the Statement of Applicability excludes: include the control in the SoA, or treat the risk with another control"
            ));
        }
    }
}

/// An exclusion justified by a real sentence: at least this many words.
const MIN_JUSTIFICATION_WORDS: usize = 6;

fn exclusion_rules(f: &Map, r: &mut Report) {
    if f.text("status").as_deref() != Some("excluded") {
        return;
    }
    let text = f.text("justification").unwrap_or_default();
    let words = text.split_whitespace().count();
    if words > 0 && words < MIN_JUSTIFICATION_WORDS {
        r.warn("exclusion-justification", f.line_of("justification"), "justification", format!(
            "the exclusion is justified in {}: say why the control does not apply to this organization, in a sentence an auditor can test",
            crate::domain::text::plural(words, "word")
        ));
    }
}

/// Evidence inherited from the ISMS names a real 27001 control that the crosswalk maps to
/// this 42001 control; the crosswalk file is the one source of what maps to what.
fn inherited_isms(record: &Record, r: &mut Report) {
    use crate::domain::crosswalk::{Framework, iso27001_control, mapped_to};
    let f = &record.fields;
    let line = f.line_of("inherited_isms");
    let mapped = mapped_to(Framework::Iso27001, &record.id);
    for id in f.texts("inherited_isms") {
        if iso27001_control(&id).is_none() {
            r.error("inherited-isms-evidence", line, "inherited_isms", format!(
                "{id} is not an ISO/IEC 27001:2022 Annex A control: use an id from A.5.1 to A.8.34"
            ));
        } else if !mapped.contains(&id.as_str()) {
            let which = if mapped.is_empty() {
                "none does".to_string()
            } else {
                format!("those that do: {}", mapped.join(", "))
            };
            r.warn("inherited-isms-evidence", line, "inherited_isms", format!(
                "{id} does not map to {} in the ISO/IEC 27001 crosswalk ({which}): cite a mapped control, or say in the implementation why its evidence serves this one",
                record.id
            ));
        }
    }
}

fn auditor_independence(record: &Record, ctx: &Ctx, r: &mut Report) {
    let f = &record.fields;
    let mut auditors = f.texts("auditors");
    if let Some(lead) = f.text("lead_auditor") {
        auditors.push(lead);
    }
    auditors.sort();
    auditors.dedup();
    let auditees = f.texts("auditees");
    for a in &auditors {
        if auditees.contains(a) {
            r.error("auditor-independence", f.line_of("auditees"), "auditees", format!(
                "`{a}` audits and is audited: auditors do not audit their own work (clause 9.2.2); take them off the audit team or the auditees"
            ));
        }
    }
    // Auditors do not audit controls they own. Records do not say which auditor took
    // which item, so an owned item is a finding only when nobody else on the team could
    // have taken it; one finding per owner, listing the items.
    let mut owned: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for item in f.list("checklist").iter().filter_map(Value::as_map) {
        let Some(reference) = item.text("ref") else {
            continue;
        };
        if matches!(item.text("result").as_deref(), None | Some("not-audited")) {
            continue;
        }
        if let Some(soa) = ctx.view.record(&reference)
            && soa.kind == RecordType::Soa
            && let Some(owner) = soa.fields.text("owner")
            && auditors.contains(&owner)
            && auditors.iter().all(|a| *a == owner)
        {
            owned.entry(owner).or_default().push(reference);
        }
    }
    for (owner, items) in owned {
        r.error("auditor-independence", f.line_of("lead_auditor"), "lead_auditor", format!(
            "`{owner}` is the only auditor and owns what was audited ({}): add an independent auditor for these items (clause 9.2.2)",
            items.join(", ")
        ));
    }
}

fn nc_more_rules(f: &Map, ctx: &Ctx, r: &mut Report) {
    not_same(f, "verified_by", "owner", "verifier-not-owner", r);
    if f.text("status").as_deref() != Some("closed")
        && let Some(due) = date_of(f, "due")
        && due < ctx.today
    {
        r.warn("nc-overdue", f.line_of("due"), "due", format!(
            "the corrective action was due on {due} and the NC is not closed: finish and verify it, or reschedule with a reason"
        ));
    }
    // The audit item must be an item of the audit it names.
    if f.text("source").as_deref() == Some("audit")
        && let (Some(item), Some(audit)) = (
            f.text("audit_item"),
            f.text("source_ref").and_then(|id| ctx.view.record(&id)),
        )
        && audit.kind == RecordType::Audit
        && !audit
            .fields
            .list("checklist")
            .iter()
            .filter_map(Value::as_map)
            .any(|m| m.text("ref").as_deref() == Some(item.as_str()))
    {
        r.error("nc-audit-item", f.line_of("audit_item"), "audit_item", format!(
            "{item} is not an item of {}'s checklist: correct `audit_item`, or add the item to the audit",
            audit.id
        ));
    }
}

/// Pairs (earlier, later) of date fields by type: a later event never precedes its cause.
fn date_pairs(kind: RecordType) -> &'static [(&'static str, &'static str)] {
    match kind {
        RecordType::ImpactAssessment => &[("performed_on", "approved_on")],
        RecordType::Nonconformity => &[
            ("raised_on", "verified_on"),
            ("raised_on", "closed_on"),
            ("verified_on", "closed_on"),
        ],
        RecordType::Incident => &[
            ("occurred_on", "resolved_on"),
            ("occurred_on", "reported_on"),
            ("occurred_on", "aware_on"),
        ],
        RecordType::Audit => &[
            ("started_on", "completed_on"),
            ("started_on", "signed_off_on"),
        ],
        RecordType::System => &[("last_reviewed", "retired_on")],
        _ => &[],
    }
}

fn date_order(record: &Record, r: &mut Report) {
    let f = &record.fields;
    for (early, late) in date_pairs(record.kind) {
        if let (Some(a), Some(b)) = (date_of(f, early), date_of(f, late))
            && b < a
        {
            r.error(
                "date-order",
                f.line_of(late),
                late,
                format!("`{late}` ({b}) is before `{early}` ({a}): correct one of the dates"),
            );
        }
    }
}

fn review_dates(f: &Map, ctx: &Ctx, r: &mut Report) {
    if let Some(d) = date_of(f, "last_reviewed")
        && d > ctx.today
    {
        r.error("review-in-future", f.line_of("last_reviewed"), "last_reviewed", format!(
            "`last_reviewed` is {d}, after today ({}): a review is recorded when it has happened; set the date it took place, or `next_review` to plan one",
            ctx.today
        ));
    }
    for (i, item) in f.list("reviews").iter().enumerate() {
        if let Some(m) = item.as_map()
            && let Some(d) = date_of(m, "date")
            && d > ctx.today
        {
            let line = m.entries().first().map(|e| e.line).filter(|l| *l > 0);
            r.error(
                "review-in-future",
                line,
                &format!("reviews[{}].date", i + 1),
                format!(
                    "a review dated {d} is in the future: the log records reviews that happened"
                ),
            );
        }
    }
}

// ---- incidents and the regulator's clock --------------------------------------------------

/// Where an incident's external report stands: its `reporting_status`, else derived from
/// `external_reporting_required` and whether a report is recorded.
pub fn reporting_status(f: &Map) -> &'static str {
    match f.text("reporting_status").as_deref() {
        Some("pending") => "pending",
        Some("reported") => "reported",
        Some("not-required") => "not-required",
        _ if f.bool("external_reporting_required") != Some(true) => "not-required",
        _ if f.is_blank("reported_on") => "pending",
        _ => "reported",
    }
}

/// The report deadline under each regime the incident names: awareness (else occurrence)
/// plus the regime's days for its severity and facts.
pub fn report_deadlines<'s>(
    f: &Map,
    settings: &'s Settings,
) -> Vec<(&'s crate::domain::settings::Regime, Date)> {
    let Some(start) = date_of(f, "aware_on").or(date_of(f, "occurred_on")) else {
        return Vec::new();
    };
    let severity = f.text("severity");
    let facts = f.texts("report_facts");
    f.texts("regimes")
        .iter()
        .filter_map(|id| settings.regimes.iter().find(|r| &r.id == id))
        .filter_map(|r| {
            let days = r.days_for(severity.as_deref(), &facts);
            // Checked: the days come from aims.yaml, and a date past the calendar's end
            // is no deadline anyone can meet or miss.
            Some((r, start.checked_add_days(chrono::Days::new(days.into()))?))
        })
        .collect()
}

fn incident_rules(f: &Map, ctx: &Ctx, r: &mut Report) {
    let settings = ctx.view.settings();
    let status = reporting_status(f);
    let line = f
        .line_of("reporting_status")
        .or(f.line_of("external_reporting_required"));
    if f.bool("external_reporting_required") == Some(true) && status == "not-required" {
        r.error("incident-reporting", line, "reporting_status", "external reporting is required but the reporting status says not required: set `reporting_status: pending` or `reported`".into());
    }
    for id in f.texts("regimes") {
        if !settings.regimes.iter().any(|g| g.id == id) {
            let known: Vec<&str> = settings.regimes.iter().map(|g| g.id.as_str()).collect();
            r.error("incident-reporting", f.line_of("regimes"), "regimes", format!(
                "`{}` is not a reporting regime of aims.yaml: use one of {}, or add it under `reporting_regimes`",
                crate::domain::text::one_line(&id),
                known.join(", ")
            ));
        }
    }
    if status == "pending" && f.texts("regimes").is_empty() {
        r.warn("incident-reporting", line, "regimes", "a report is pending but no regime is named, so no deadline is counted: set `regimes:` (e.g. [eu-ai-act] or [gdpr])".into());
    }
    for (regime, deadline) in report_deadlines(f, settings) {
        match status {
            "pending" if deadline < ctx.today => r.error("incident-report-overdue", line, "reporting_status", format!(
                "the {} report was due on {deadline} and is still pending: report now, then record `reported_to` and `reported_on`",
                regime.name
            )),
            "reported" => {
                if let Some(on) = date_of(f, "reported_on")
                    && on > deadline
                {
                    r.warn("incident-reported-late", f.line_of("reported_on"), "reported_on", format!(
                        "reported on {on}, after the {} deadline of {deadline}: record why in the lessons learned",
                        regime.name
                    ));
                }
            }
            _ => {}
        }
    }
}

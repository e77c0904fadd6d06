//! `N` / `I` on a metric's detail: the nonconformity or incident form for its latest breach,
//! prefilled from the core (`rules::metric::raise_for_breach`); once it is saved, the
//! measurement links it in `raised`, which settles the `metric-breach` warning.

use super::component::{Ctx, Effect};
use super::form::Form;
use crate::domain::RecordType;
use crate::domain::dates::Date;
use crate::rules::metric::{Series, raise_for_breach, set_raised};
use crate::workspace::Workspace;

/// What `N` / `I` on metric `id` does: the form raising a `kind` for its latest breach, or
/// the status line saying why there is none.
pub fn breach(cx: &Ctx, id: &str, kind: RecordType) -> Effect {
    match breach_form(cx, id, kind) {
        Ok(form) => Effect::Push(Box::new(form)),
        Err(e) => Effect::Status(e, true),
    }
}

/// The form raising a `kind` (NC or incident) for metric `id`'s latest breach with nothing
/// raised, or why there is none to raise.
pub fn breach_form(cx: &Ctx, id: &str, kind: RecordType) -> Result<Form, String> {
    if cx.read_only {
        return Err("read-only: started with --read-only, so nothing is saved".into());
    }
    let Some(metric) = cx.ws.get(id).filter(|r| r.kind == RecordType::Metric) else {
        return Err(format!(
            "{id} is not a monitoring metric: N and I raise an NC or incident for a metric's breach"
        ));
    };
    let series = Series::of(&metric.fields);
    let Some(point) = series.latest_open_breach() else {
        return Err(format!(
            "{id} has no breach left to raise: every measurement over its threshold links what was raised"
        ));
    };
    let mut form = Form::create(kind, cx.ws, cx.user, cx.today);
    for e in raise_for_breach(kind, metric, point, &series, cx.today).entries() {
        form.values.set(e.key.as_str(), e.value.clone());
    }
    if kind == RecordType::Nonconformity {
        let due = crate::domain::dates::Cadence::Months(1).after(cx.today);
        form.values
            .set("due", crate::domain::Value::str(due.to_string()));
    }
    // The metric's owner acts on its results.
    if let Some(owner) = metric.fields.text("owner") {
        form.values.set("owner", crate::domain::Value::str(owner));
    }
    form.validate(cx.ws, cx.today);
    form.initial = form.values.clone();
    form.link_nc = Some((id.to_string(), point.index));
    Ok(form)
}

/// The save that links what was `raised` (its id) to what it was raised from: measurement
/// `index` of a metric, or item `index` of an audit (`source`).
pub fn link_raised(
    ws: &Workspace,
    source: &str,
    index: usize,
    raised: &str,
    today: Date,
) -> Option<Effect> {
    if ws.get(source)?.kind != RecordType::Metric {
        return super::walk::link_nc(ws, source, index, raised, today);
    }
    let fields = set_raised(&ws.fields_of(source)?, index, raised).ok()?;
    Some(Effect::SaveFields {
        id: source.to_string(),
        fields,
        done: format!(
            "{raised} raised and linked to {source}'s measurement {}",
            index + 1
        ),
    })
}

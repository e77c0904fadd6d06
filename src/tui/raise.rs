//! `N` / `I` on a metric's detail: the nonconformity or incident form for its latest breach,
//! prefilled from the core (`rules::metric::raise_for_breach`); once it is saved, the
//! measurement links it in `raised`, which settles the `metric-breach` warning.

use super::component::{Ctx, Effect};
use super::form::Form;
use crate::domain::RecordType;
use crate::rules::metric::{Series, raise_for_breach, set_raised};
use crate::workspace::Workspace;

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

/// The save that links measurement `index` of `metric` to what was `raised` for it.
pub fn link_raised(ws: &Workspace, metric: &str, index: usize, raised: &str) -> Option<Effect> {
    let fields = set_raised(&ws.fields_of(metric)?, index, raised).ok()?;
    Some(Effect::SaveFields {
        id: metric.to_string(),
        fields,
        done: format!(
            "{raised} raised and linked to {metric}'s measurement {}",
            index + 1
        ),
    })
}

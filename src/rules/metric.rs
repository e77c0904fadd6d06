//! A monitoring metric's series of measurements against its threshold: what the
//! `metric-breach` rule checks, what the workbench charts, and what an NC or incident
//! raised for a breach says. One reading of the record for all three.

use super::specs::{breaches, number};
use crate::domain::dates::Date;
use crate::domain::{Map, Record, RecordType, Value};

/// One measurement of the series, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Its position in `measurements` (0-based).
    pub index: usize,
    pub date: Option<Date>,
    /// The date as written (for messages), even when it does not parse.
    pub date_text: String,
    pub value: f64,
    /// The value as written ("0.27", "4.1%").
    pub value_text: String,
    /// It crosses the threshold in the metric's direction.
    pub breach: bool,
    /// The NC or incident raised for it, if any.
    pub raised: Option<String>,
}

/// A metric's series: the numeric measurements and the line they must not cross.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub points: Vec<Point>,
    pub threshold: Option<f64>,
    /// The threshold as written.
    pub threshold_text: String,
    pub target: Option<f64>,
    /// "above" (direction max) or "below" (min): where a breach lies.
    pub breach_side: &'static str,
    pub unit: Option<String>,
    /// A retired metric's breaches ask for nothing.
    pub retired: bool,
}

impl Series {
    /// The series of a metric's fields. Measurements without a numeric value are left out
    /// (the checks report them).
    pub fn of(metric: &Map) -> Series {
        let points = metric
            .list("measurements")
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let m = item.as_map()?;
                let value = number(m, "value")?;
                let date_text = m.text("date").unwrap_or_default();
                Some(Point {
                    index,
                    date: crate::domain::dates::parse_date(&date_text),
                    date_text,
                    value,
                    value_text: m.text("value").unwrap_or_default().trim().to_string(),
                    breach: breaches(metric, value),
                    raised: m.text("raised").filter(|r| !r.trim().is_empty()),
                })
            })
            .collect();
        Series {
            points,
            threshold: number(metric, "threshold"),
            threshold_text: metric.text("threshold").unwrap_or_default(),
            target: number(metric, "target"),
            breach_side: match metric.text("direction").as_deref() {
                Some("min") => "below",
                _ => "above",
            },
            unit: metric.text("unit").filter(|u| !u.trim().is_empty()),
            retired: metric.text("status").as_deref() == Some("retired"),
        }
    }

    /// Breaching measurements nothing was raised for, on an active metric: what the
    /// `metric-breach` rule warns about and what the workbench offers to raise.
    pub fn open_breaches(&self) -> impl Iterator<Item = &Point> {
        self.points
            .iter()
            .filter(|p| !self.retired && p.breach && p.raised.is_none())
    }

    /// The breach to raise an NC or incident for: the latest open one.
    pub fn latest_open_breach(&self) -> Option<&Point> {
        self.open_breaches().last()
    }

    /// "measured 0.27 on 2026-11-15, above its threshold 0.25".
    pub fn describe(&self, p: &Point) -> String {
        format!(
            "measured {} on {}, {} its threshold {}",
            p.value_text,
            p.date_text,
            self.breach_side,
            self.threshold_text.trim()
        )
    }
}

/// Whether a record is a metric with a breach nothing was raised for (the list's flag).
pub fn has_open_breach(r: &Record) -> bool {
    r.kind == RecordType::Metric && Series::of(&r.fields).open_breaches().next().is_some()
}

/// The fields an NC (`kind` Nonconformity, raised `today`) or incident (occurred on the
/// measurement's date) raised for a metric's breach starts with: its source is the metric,
/// its description names the value, threshold and date.
/// The form adds the id, owner and the rest; the user completes and saves it.
pub fn raise_for_breach(
    kind: RecordType,
    metric: &Record,
    p: &Point,
    series: &Series,
    today: Date,
) -> Map {
    let title = metric.fields.text("title").unwrap_or_default();
    let description = format!(
        "Monitoring metric {} — {} — {}.",
        metric.id,
        crate::domain::text::one_line(title.trim()),
        series.describe(p)
    );
    let mut m = Map::new();
    m.set("description", Value::str(description));
    match kind {
        RecordType::Nonconformity => {
            m.set("source", Value::str("monitoring"));
            m.set("source_ref", Value::str(&metric.id));
            m.set("requirement", Value::str("9.1"));
            m.set("severity", Value::str("minor"));
            m.set("raised_on", Value::str(today.to_string()));
        }
        _ => {
            m.set(
                "title",
                Value::str(format!("{} breached its threshold", metric.id)),
            );
            if let Some(system) = metric.fields.texts("systems").into_iter().next() {
                m.set("system", Value::str(system));
            }
            if let Some(d) = p.date {
                m.set("occurred_on", Value::str(d.to_string()));
            }
            m.set("type", Value::str("model-degradation"));
        }
    }
    m
}

/// Links measurement `index` to the NC or incident `raised` for its breach (what clears
/// the `metric-breach` warning). Refused when the measurement already links one.
pub fn set_raised(metric: &Map, index: usize, raised: &str) -> Result<Map, String> {
    let mut items = metric.list("measurements").to_vec();
    let Some(Value::Map(m)) = items.get_mut(index) else {
        return Err(format!("measurement {} is gone", index + 1));
    };
    if let Some(other) = m.text("raised").filter(|r| !r.trim().is_empty()) {
        return Err(format!("measurement {} already links {other}", index + 1));
    }
    m.set("raised", Value::str(raised));
    let mut out = metric.clone();
    out.set("measurements", Value::List(items));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(direction: &str, values: &[(&str, &str, Option<&str>)]) -> Record {
        let mut f = Map::new();
        f.set("id", Value::str("MET-009"));
        f.set("title", Value::str("False-decline rate"));
        f.set("direction", Value::str(direction));
        f.set("threshold", Value::str("0.25"));
        f.set("unit", Value::str("ratio"));
        f.set("systems", Value::List(vec![Value::str("SYS-002")]));
        let items = values
            .iter()
            .map(|(d, v, raised)| {
                let mut m = Map::new();
                m.set("date", Value::str(*d));
                m.set("value", Value::str(*v));
                if let Some(r) = raised {
                    m.set("raised", Value::str(*r));
                }
                Value::Map(m)
            })
            .collect();
        f.set("measurements", Value::List(items));
        Record {
            kind: RecordType::Metric,
            id: "MET-009".into(),
            fields: f,
            path: "metrics/MET-009.yaml".into(),
            content_hash: 0,
        }
    }

    #[test]
    fn breaches_follow_the_direction_and_raised_closes_them() {
        let r = metric(
            "max",
            &[
                ("2026-09-15", "0.20", None),
                ("2026-10-15", "0.30", Some("NC-007")),
                ("2026-11-15", "0.27", None),
                ("2026-11-16", "n/a", None),
            ],
        );
        let s = Series::of(&r.fields);
        assert_eq!(s.points.len(), 3, "a value that is no number is left out");
        assert_eq!(
            s.points.iter().map(|p| p.breach).collect::<Vec<_>>(),
            [false, true, true]
        );
        let open: Vec<_> = s.open_breaches().map(|p| p.index).collect();
        assert_eq!(open, [2]);
        assert!(has_open_breach(&r));
        let low = metric("min", &[("2026-11-15", "0.27", None)]);
        assert!(!has_open_breach(&low), "0.27 is not below 0.25");
    }

    #[test]
    fn a_retired_metric_asks_for_nothing() {
        let mut r = metric("max", &[("2026-11-15", "0.27", None)]);
        r.fields.set("status", Value::str("retired"));
        assert!(!has_open_breach(&r));
    }

    #[test]
    fn raising_names_the_metric_value_threshold_and_date() {
        let r = metric("max", &[("2026-11-15", "0.27", None)]);
        let s = Series::of(&r.fields);
        let p = s.latest_open_breach().unwrap();
        let today = Date::from_ymd_opt(2026, 11, 22).unwrap();
        let nc = raise_for_breach(RecordType::Nonconformity, &r, p, &s, today);
        assert_eq!(nc.text("raised_on").as_deref(), Some("2026-11-22"));
        assert_eq!(nc.text("source").as_deref(), Some("monitoring"));
        assert_eq!(nc.text("source_ref").as_deref(), Some("MET-009"));
        assert_eq!(
            nc.text("description").as_deref(),
            Some(
                "Monitoring metric MET-009 — False-decline rate — measured 0.27 on 2026-11-15, above its threshold 0.25."
            )
        );
        let linked = set_raised(&r.fields, p.index, "NC-012").unwrap();
        assert!(Series::of(&linked).open_breaches().next().is_none());
        assert!(
            set_raised(&linked, p.index, "NC-013").is_err(),
            "one link each"
        );
        let inc = raise_for_breach(RecordType::Incident, &r, p, &s, today);
        assert_eq!(inc.text("system").as_deref(), Some("SYS-002"));
        assert_eq!(inc.text("occurred_on").as_deref(), Some("2026-11-15"));
        assert!(inc.text("description").unwrap().contains("0.27"));
    }
}

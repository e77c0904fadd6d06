//! Small charts as inline SVG for the HTML reports: a line chart (series over time, with an
//! optional threshold), a grouped bar chart (counts per month) and the risk heat map.
//!
//! Plain SVG elements only: no script, no external font or image, so the page stays one
//! self-contained file that prints on A4. Series differ by dash pattern and marker as well
//! as by shade, so a chart still reads printed in black and white. Every chart carries a
//! `<title>`; the report puts a table with the same numbers beside it (the text
//! alternative).

use super::write::esc;
use crate::domain::dates::Date;
use crate::workspace::review_pack::HeatMap;

/// A chart's drawing size in SVG units: the page scales it to the width it is given, so
/// a chart half as wide keeps its text the same size when drawn in half the width.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub w: f64,
    pub h: f64,
}

/// Across the page.
pub const WIDE: Size = Size { w: 640.0, h: 190.0 };
/// Half the page: two side by side.
pub const HALF: Size = Size { w: 320.0, h: 170.0 };
/// Margins: left for the y labels, bottom for the x labels and legend.
const L: f64 = 44.0;
const R: f64 = 12.0;
const T: f64 = 12.0;
const B: f64 = 42.0;

/// Shades and dash patterns of the series, in order.
const INK: [&str; 4] = ["#1f4e79", "#b34700", "#2e7d32", "#6a1b9a"];
const DASH: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

fn open(title: &str, size: Size) -> String {
    let Size { w, h } = size;
    format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n<title>{}</title>\n",
        esc(title)
    )
}

/// A "nice" upper bound for the axis: 1, 2 or 5 times a power of ten, at least `max`.
fn nice(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|v| *v >= max)
        .unwrap_or(10.0 * p)
}

/// A number for an axis or a label: whole numbers without decimals.
pub fn num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The axis of values `lo..=hi`: its bounds and step, with a "nice" step (1, 2, 2.5 or 5
/// times a power of ten) so that the labels read as round numbers; counts start at zero.
fn axis(vmin: f64, vmax: f64) -> (f64, f64, f64) {
    let starts_at_zero = vmin >= 0.0 && vmin <= vmax * 0.5;
    let lo_guess = if starts_at_zero { 0.0 } else { vmin };
    let span = (vmax - lo_guess).max(vmax.abs() * 0.05).max(1e-9);
    let step = nice(span / 4.0);
    let step = if starts_at_zero && vmax <= 4.0 && vmax.fract() == 0.0 {
        1.0
    } else {
        step
    };
    let mut lo = if starts_at_zero {
        0.0
    } else {
        (vmin / step).floor() * step
    };
    // A threshold or value on the bottom line would hide in the axis: leave a step below.
    if !starts_at_zero && vmin - lo < step * 0.25 {
        lo -= step;
    }
    let mut hi = (vmax / step).ceil() * step;
    if hi <= lo {
        hi = lo + step;
    }
    (lo, hi, step)
}

/// Series over time on one chart, with an optional threshold `(value, direction)`: a
/// measurement on the wrong side of it (above a `max`, below a `min`) gets a filled
/// marker. `None` when there is nothing to draw.
pub fn line_chart(
    title: &str,
    series: &[(&str, &[(Date, f64)])],
    threshold: Option<(f64, &str)>,
    size: Size,
) -> Option<String> {
    let (w, hh) = (size.w, size.h);
    let line = threshold.map(|(t, _)| t);
    let all: Vec<&(Date, f64)> = series.iter().flat_map(|(_, p)| p.iter()).collect();
    let (first, last) = (
        all.iter().map(|p| p.0).min()?,
        all.iter().map(|p| p.0).max()?,
    );
    let values = || all.iter().map(|p| p.1).chain(line);
    let (lo, hi, step) = axis(
        values().fold(f64::MAX, f64::min),
        values().fold(f64::MIN, f64::max),
    );
    let days = (last - first).num_days().max(1) as f64;
    let x = |d: Date| L + (w - L - R) * ((d - first).num_days() as f64 / days);
    let y = |v: f64| T + (hh - T - B) * (1.0 - (v - lo) / (hi - lo));
    let base = hh - B;

    let mut s = open(title, size);
    let mut v = lo;
    while v <= hi + step * 1e-6 {
        s.push_str(&format!(
            "<line x1=\"{L}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ccc\" stroke-width=\"0.6\"/>\n<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#333\">{}</text>\n",
            w - R,
            L - 4.0,
            y(v) + 3.5,
            num(v),
            y = y(v),
        ));
        v += step;
    }
    // x labels at the first day of each month, thinned to fit (about 55 units a label).
    let mut months = Vec::new();
    let mut d = first;
    while d <= last {
        if chrono::Datelike::day(&d) == 1 {
            months.push(d);
        }
        match d.succ_opt() {
            Some(next) => d = next,
            None => break,
        }
    }
    let fit = ((w - L - R) / 55.0).max(1.0) as usize;
    let every = months.len().div_ceil(fit).max(1);
    for m in months.iter().step_by(every) {
        s.push_str(&format!(
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{base}\" y2=\"{}\" stroke=\"#888\" stroke-width=\"0.6\"/>\n<text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333\">{}</text>\n",
            base + 3.0,
            base + 15.0,
            m.format("%b %y"),
            x = x(*m),
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{L}\" x2=\"{}\" y1=\"{base}\" y2=\"{base}\" stroke=\"#333\" stroke-width=\"0.8\"/>\n",
        w - R,
    ));
    if let Some(t) = line {
        s.push_str(&format!(
            "<line x1=\"{L}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#c00\" stroke-width=\"1.2\" stroke-dasharray=\"4 2\"/>\n",
            w - R,
            y = y(t)
        ));
    }
    for (i, (_, points)) in series.iter().enumerate() {
        let (ink, dash) = (INK[i % INK.len()], DASH[i % DASH.len()]);
        let path: Vec<String> = points
            .iter()
            .map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v)))
            .collect();
        s.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{ink}\" stroke-width=\"1.6\"{} points=\"{}\"/>\n",
            dash_attr(dash),
            path.join(" ")
        ));
        // Markers only where there are few points (monthly measurements), so each reads.
        if points.len() <= 40 {
            for (d, v) in points.iter() {
                let breach = threshold.is_some_and(|(t, dir)| match dir {
                    "max" => *v > t,
                    "min" => *v < t,
                    _ => false,
                });
                s.push_str(&format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\" fill=\"{}\" stroke=\"{}\"/>\n",
                    x(*d),
                    y(*v),
                    if breach { "3.4" } else { "2.4" },
                    if breach { "#c00" } else { "#fff" },
                    if breach { "#c00" } else { ink },
                ));
            }
        }
    }
    let mut entries: Vec<(String, &str, &str)> = series
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.to_string(), INK[i % INK.len()], DASH[i % DASH.len()]))
        .collect();
    if let Some(t) = line {
        entries.push((format!("threshold {}", num(t)), "#c00", "4 2"));
    }
    legend(&mut s, &entries, hh, w);
    s.push_str("</svg>\n");
    Some(s)
}

fn dash_attr(dash: &str) -> String {
    if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    }
}

/// The legend under the axis: a line sample and the name of each entry, wrapping to a
/// second row when the first is full.
fn legend(s: &mut String, entries: &[(String, &str, &str)], hh: f64, w: f64) {
    let mut lx = L;
    let mut ly = hh - 18.0;
    for (name, ink, dash) in entries {
        let width = 30.0 + 6.0 * name.chars().count() as f64;
        if lx > L && lx + width > w - R {
            lx = L;
            ly += 13.0;
        }
        s.push_str(&format!(
            "<line x1=\"{lx:.1}\" x2=\"{:.1}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{ink}\" stroke-width=\"1.8\"{}/>\n<text x=\"{:.1}\" y=\"{}\" fill=\"#111\">{}</text>\n",
            lx + 18.0,
            dash_attr(dash),
            lx + 22.0,
            ly + 4.0,
            esc(name)
        ));
        lx += width;
    }
}

/// Counts per category (months) as grouped bars, one bar per series. `None` when empty.
pub fn bar_chart(
    title: &str,
    categories: &[String],
    series: &[(&str, Vec<f64>)],
    size: Size,
) -> Option<String> {
    let (w, hh) = (size.w, size.h);
    if categories.is_empty() || series.is_empty() {
        return None;
    }
    let vmax = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0, f64::max);
    let (_, hi, step) = axis(0.0, vmax.max(1.0));
    let y = |v: f64| T + (hh - T - B) * (1.0 - v / hi);
    let slot = (w - L - R) / categories.len() as f64;
    let bar = (slot * 0.8 / series.len() as f64).min(22.0);
    let mut s = open(title, size);
    let mut v = 0.0;
    while v <= hi + step * 1e-6 {
        let at = v;
        v += step;
        let v = at;
        s.push_str(&format!(
            "<line x1=\"{L}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ccc\" stroke-width=\"0.6\"/>\n<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#333\">{}</text>\n",
            w - R,
            L - 4.0,
            y(v) + 3.5,
            num(v),
            y = y(v)
        ));
    }
    let every = categories.len().div_ceil(12).max(1);
    for (c, cat) in categories.iter().enumerate() {
        let x0 = L + slot * c as f64 + (slot - bar * series.len() as f64) / 2.0;
        for (i, (_, values)) in series.iter().enumerate() {
            let v = values.get(c).copied().unwrap_or(0.0);
            if v > 0.0 {
                s.push_str(&format!(
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"#111\" stroke-width=\"0.5\"/>\n",
                    x0 + bar * i as f64,
                    y(v),
                    bar,
                    y(0.0) - y(v),
                    // Light and dark fills: distinct in grey too.
                    ["#9ec5e8", "#1f4e79", "#f4b183", "#6a1b9a"][i % 4]
                ));
            }
        }
        if c % every == 0 {
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333\">{}</text>\n",
                L + slot * (c as f64 + 0.5),
                hh - B + 15.0,
                esc(cat)
            ));
        }
    }
    s.push_str(&format!(
        "<line x1=\"{L}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#333\" stroke-width=\"0.8\"/>\n",
        w - R,
        hh - B,
        hh - B
    ));
    let mut lx = L;
    for (i, (name, _)) in series.iter().enumerate() {
        s.push_str(&format!(
            "<rect x=\"{lx:.1}\" y=\"{}\" width=\"12\" height=\"9\" fill=\"{}\" stroke=\"#111\" stroke-width=\"0.5\"/>\n<text x=\"{:.1}\" y=\"{}\" fill=\"#111\">{}</text>\n",
            hh - 15.0,
            ["#9ec5e8", "#1f4e79", "#f4b183", "#6a1b9a"][i % 4],
            lx + 16.0,
            hh - 7.0,
            esc(name)
        ));
        lx += 30.0 + 6.2 * name.chars().count() as f64;
    }
    s.push_str("</svg>\n");
    Some(s)
}

/// The risk heat map: impact up, likelihood across, each cell shaded by its band and
/// holding its count; cells above the appetite have a heavy border.
pub fn heat_map(title: &str, h: &HeatMap) -> Option<String> {
    let (nl, ni) = (h.likelihood.len(), h.impact.len());
    if nl == 0 || ni == 0 {
        return None;
    }
    // Cells wider than tall, so the likelihood labels below them fit ("Almost certain").
    let (left, top, cw, ch) = (110.0, 10.0, 82.0, 44.0);
    let width = left + cw * nl as f64 + 10.0;
    let height = top + ch * ni as f64 + 56.0;
    // Lightest to darkest: the band index picks a shade; text turns white on dark.
    let shades = ["#e8f5e9", "#fff3c4", "#ffcc80", "#ef9a9a", "#c62828"];
    let mut s = format!(
        "<svg class=\"heat\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n<title>{}</title>\n",
        esc(title)
    );
    for row in 0..ni {
        // The top row is the highest impact.
        let i = ni - 1 - row;
        let y = top + ch * row as f64;
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#111\">{} ({})</text>\n",
            left - 6.0,
            y + ch / 2.0 + 4.0,
            esc(&h.impact[i]),
            i + 1
        ));
        for l in 0..nl {
            let x = left + cw * l as f64;
            let band = h.bands[i][l];
            let shade_index = if h.band_count <= 1 {
                0
            } else {
                band * (shades.len() - 1) / (h.band_count - 1)
            };
            let shade = shades[shade_index.min(shades.len() - 1)];
            let above = h.above[i][l];
            s.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cw}\" height=\"{ch}\" fill=\"{shade}\" stroke=\"#111\" stroke-width=\"0.6\"/>\n",
            ));
            // Above the appetite: a corner mark, readable without colour.
            if above {
                s.push_str(&format!(
                    "<path d=\"M{:.1},{y:.1} h-14 l14,14 z\" fill=\"#111\"/>\n",
                    x + cw
                ));
            }
            let n = h.cells[i][l];
            if n > 0 {
                s.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" fill=\"{}\">{n}</text>\n",
                    x + cw / 2.0,
                    y + ch / 2.0 + 6.0,
                    if shade_index + 1 >= shades.len() { "#fff" } else { "#111" }
                ));
            }
        }
    }
    let base = top + ch * ni as f64;
    for l in 0..nl {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#111\">{} ({})</text>\n",
            left + cw * (l as f64 + 0.5),
            base + 14.0,
            esc(&h.likelihood[l]),
            l + 1
        ));
    }
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#333\">likelihood → ; impact ↑ ; marked corner: above the risk appetite</text>\n</svg>\n",
        left + cw * nl as f64 / 2.0,
        base + 36.0
    ));
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_date;

    #[test]
    fn nice_bounds_round_up() {
        assert_eq!(nice(7.0), 10.0);
        assert_eq!(nice(0.85), 1.0);
        assert_eq!(nice(12.0), 20.0);
        assert_eq!(axis(0.0, 28.0), (0.0, 30.0, 10.0));
        assert_eq!(axis(0.0, 4.0), (0.0, 4.0, 1.0));
        // A ratio near 0.9 gets an axis around its values, not from zero.
        let (lo, hi, step) = axis(0.86, 0.9);
        assert!((step - 0.02).abs() < 1e-9 && (lo - 0.84).abs() < 1e-9 && hi >= 0.9);
        // A threshold on the bottom line gets a step of room under it.
        let (lo, _, step) = axis(0.8, 0.9);
        assert!((lo - (0.8 - step)).abs() < 1e-9, "{lo} {step}");
        assert_eq!(nice(0.0), 1.0);
    }

    #[test]
    fn a_chart_escapes_its_text_and_has_no_script() {
        let d = |s| parse_date(s).unwrap();
        let points = [(d("2026-01-01"), 1.0), (d("2026-03-01"), 4.0)];
        let svg = line_chart("<b>&", &[("a<script>", &points)], Some((3.0, "max")), WIDE).unwrap();
        assert!(svg.contains("&lt;b&gt;&amp;"));
        assert!(!svg.contains("<script"));
        assert!(svg.contains("threshold 3"));
        assert!(line_chart("empty", &[("a", &[])], None, HALF).is_none());
    }
}

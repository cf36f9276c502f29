//! A small SVG chart of the canned runs: throughput, p50 and p99 latency per concurrency, one
//! bar per route. Written by hand to keep the xtask light.
//!
//! Latency is drawn on a logarithmic axis: the straight upstream's tail at c=256 is a hundred
//! times its p50 at c=1, and on a linear axis every other bar would be a sliver.

use std::fmt::Write as _;

use super::load::Run;

const TARGETS: [(&str, &str); 4] =
    [("upstream", "#7f7f7f"), ("proxy", "#2ca02c"), ("rest", "#1f77b4"), ("mcp", "#ff7f0e")];
const PANEL_WIDTH: f64 = 330.0;
const PANEL_HEIGHT: f64 = 260.0;
const MARGIN: f64 = 60.0;

/// How a panel maps values to bar heights.
#[derive(Clone, Copy)]
enum Scale {
    /// From zero, with ticks at round steps.
    Linear,
    /// Decades, with a tick at each power of ten.
    Log,
}

/// A panel's title, scale and the figure of a run it draws.
type Panel = (&'static str, Scale, fn(&Run) -> f64);

pub fn latency_svg(runs: &[Run]) -> String {
    let canned: Vec<&Run> = runs.iter().filter(|r| r.upstream == "canned").collect();
    let mut svg = String::new();
    let width = 3.0 * (PANEL_WIDTH + MARGIN) + MARGIN / 2.0;
    let height = PANEL_HEIGHT + 2.0 * MARGIN + 30.0;
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let panels: [Panel; 3] = [
        ("requests per second", Scale::Linear, |r| r.rps),
        ("p50 latency (ms, log scale)", Scale::Log, |r| r.p50_us / 1000.0),
        ("p99 latency (ms, log scale)", Scale::Log, |r| r.p99_us / 1000.0),
    ];
    for (i, (title, scale, value)) in panels.into_iter().enumerate() {
        let left = MARGIN + i as f64 * (PANEL_WIDTH + MARGIN);
        panel(&mut svg, &canned, left, title, scale, value);
    }
    for (i, (name, color)) in TARGETS.iter().enumerate() {
        let x = MARGIN + i as f64 * 200.0;
        let y = height - 15.0;
        let _ = writeln!(
            svg,
            r#"<rect x="{x}" y="{}" width="12" height="12" fill="{color}"/>"#,
            y - 10.0
        );
        let label = match *name {
            "upstream" => "canned upstream straight",
            "proxy" => "nginx as a bare proxy",
            "rest" => "gateway, REST",
            "mcp" => "gateway, MCP tools/call",
            other => other,
        };
        let _ = writeln!(svg, r#"<text x="{}" y="{y}">{label}</text>"#, x + 16.0);
    }
    svg.push_str("</svg>\n");
    svg
}

fn panel(
    svg: &mut String,
    runs: &[&Run],
    left: f64,
    title: &str,
    scale: Scale,
    value: fn(&Run) -> f64,
) {
    let top = MARGIN;
    let bottom = top + PANEL_HEIGHT;
    let values = || runs.iter().map(|r| value(r)).filter(|v| v.is_finite() && *v > 0.0);
    let max = values().fold(f64::MIN_POSITIVE, f64::max);
    // The axis and where a value sits on it, as a fraction of the panel's height.
    let (ticks, position): (Vec<f64>, Box<dyn Fn(f64) -> f64>) = match scale {
        Scale::Linear => {
            let step = round_step(max / 4.0);
            let top_tick = (max / step).ceil() * step;
            let ticks = std::iter::successors(Some(0.0), |tick| Some(tick + step))
                .take_while(|tick| *tick <= top_tick + step / 2.0)
                .collect();
            (ticks, Box::new(move |v| v / top_tick))
        }
        Scale::Log => {
            let min = values().fold(f64::INFINITY, f64::min).min(max);
            let low = min.log10().floor();
            let high = max.log10().ceil().max(low + 1.0);
            let last = 10f64.powf(high) * 1.5;
            let ticks = std::iter::successors(Some(10f64.powf(low)), |tick| Some(tick * 10.0))
                .take_while(|tick| *tick <= last)
                .collect();
            (ticks, Box::new(move |v: f64| (v.max(f64::MIN_POSITIVE).log10() - low) / (high - low)))
        }
    };

    let _ =
        writeln!(svg, r#"<text x="{left}" y="{}" font-weight="bold">{title}</text>"#, top - 15.0);
    for tick in &ticks {
        let y = bottom - PANEL_HEIGHT * position(*tick);
        let _ = writeln!(
            svg,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/>"##,
            left + PANEL_WIDTH
        );
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 4.0,
            y + 4.0,
            tick_label(*tick)
        );
    }
    let _ = writeln!(
        svg,
        r##"<line x1="{left}" y1="{bottom}" x2="{}" y2="{bottom}" stroke="#333"/>"##,
        left + PANEL_WIDTH
    );

    let mut concurrencies: Vec<u32> = runs.iter().map(|r| r.concurrency).collect();
    concurrencies.dedup();
    let group = PANEL_WIDTH / concurrencies.len().max(1) as f64;
    let bar = group / (TARGETS.len() as f64 + 1.0);
    for (g, concurrency) in concurrencies.iter().enumerate() {
        let x0 = left + g as f64 * group + bar / 2.0;
        for (t, (name, color)) in TARGETS.iter().enumerate() {
            let Some(run) =
                runs.iter().find(|r| r.concurrency == *concurrency && r.target == *name)
            else {
                continue;
            };
            let h = (PANEL_HEIGHT * position(value(run))).clamp(0.0, PANEL_HEIGHT);
            let x = x0 + t as f64 * bar;
            let y = bottom - h;
            let _ = writeln!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}" fill="{color}"><title>{name} c={concurrency}: {:.3}</title></rect>"#,
                bar - 2.0,
                value(run)
            );
        }
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">c={concurrency}</text>"#,
            x0 + bar * TARGETS.len() as f64 / 2.0,
            bottom + 15.0
        );
    }
}

/// A round step (1, 2 or 5 times a power of ten) of at least `raw`.
fn round_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.max(f64::MIN_POSITIVE).log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw)
}

/// `25k` for thousands, `0.1` for fractions, plain otherwise.
fn tick_label(value: f64) -> String {
    if value >= 1000.0 {
        format!("{}k", value / 1000.0)
    } else if value >= 1.0 || value == 0.0 {
        format!("{value}")
    } else {
        format!("{value:.3}").trim_end_matches('0').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_and_cover_the_raw_step() {
        for (raw, step) in [(0.3, 0.5), (23_000.0, 50_000.0), (20_000.0, 20_000.0), (7.0, 10.0)] {
            assert!((round_step(raw) - step).abs() < 1e-9, "{raw} gave {}", round_step(raw));
        }
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(tick_label(0.0), "0");
        assert_eq!(tick_label(0.01), "0.01");
        assert_eq!(tick_label(0.1), "0.1");
        assert_eq!(tick_label(10.0), "10");
        assert_eq!(tick_label(50_000.0), "50k");
    }
}

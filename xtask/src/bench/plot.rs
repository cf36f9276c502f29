//! A small SVG chart of the canned runs: throughput and p99 latency per
//! concurrency, one bar per route. Written by hand to keep the xtask light.

use std::fmt::Write as _;

use super::load::Run;

const TARGETS: [(&str, &str); 4] =
    [("upstream", "#7f7f7f"), ("proxy", "#2ca02c"), ("rest", "#1f77b4"), ("mcp", "#ff7f0e")];
const PANEL_WIDTH: f64 = 420.0;
const PANEL_HEIGHT: f64 = 260.0;
const MARGIN: f64 = 50.0;

pub fn latency_svg(runs: &[Run]) -> String {
    let canned: Vec<&Run> = runs.iter().filter(|r| r.upstream == "canned").collect();
    let mut svg = String::new();
    let width = 2.0 * (PANEL_WIDTH + MARGIN) + MARGIN;
    let height = PANEL_HEIGHT + 2.0 * MARGIN + 30.0;
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    panel(&mut svg, &canned, MARGIN, "requests per second", |r| r.rps);
    panel(&mut svg, &canned, 2.0 * MARGIN + PANEL_WIDTH, "p99 latency (ms)", |r| r.p99_us / 1000.0);
    for (i, (name, color)) in TARGETS.iter().enumerate() {
        let x = MARGIN + i as f64 * 180.0;
        let y = height - 15.0;
        let _ = writeln!(
            svg,
            r#"<rect x="{x}" y="{}" width="12" height="12" fill="{color}"/>"#,
            y - 10.0
        );
        let label = match *name {
            "upstream" => "canned upstream straight",
            "proxy" => "nginx as a bare proxy",
            other => other,
        };
        let _ = writeln!(svg, r#"<text x="{}" y="{y}">{label}</text>"#, x + 16.0);
    }
    svg.push_str("</svg>\n");
    svg
}

fn panel(svg: &mut String, runs: &[&Run], left: f64, title: &str, value: impl Fn(&Run) -> f64) {
    let top = MARGIN;
    let max = runs.iter().map(|r| value(r)).fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let _ =
        writeln!(svg, r#"<text x="{left}" y="{}" font-weight="bold">{title}</text>"#, top - 15.0);
    let _ = writeln!(
        svg,
        r##"<line x1="{left}" y1="{0}" x2="{1}" y2="{0}" stroke="#333"/>"##,
        top + PANEL_HEIGHT,
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
            let h = PANEL_HEIGHT * value(run) / max;
            let x = x0 + t as f64 * bar;
            let y = top + PANEL_HEIGHT - h;
            let _ = writeln!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}" fill="{color}"><title>{name} c={concurrency}: {:.2}</title></rect>"#,
                bar - 2.0,
                value(run)
            );
        }
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">c={concurrency}</text>"#,
            x0 + bar * TARGETS.len() as f64 / 2.0,
            top + PANEL_HEIGHT + 15.0
        );
    }
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="end">{max:.1}</text>"#,
        left - 4.0,
        top + 4.0
    );
}

//! `cargo xtask bench`: what the gateway itself costs, against the physical
//! limit of calling the upstream straight.
//!
//! One run on this machine: a canned upstream (nginx serving JSON recorded
//! from the real Redmine) is loaded straight and through the gateway's REST
//! and MCP routes at several concurrencies with wrk; the same routes are then
//! timed against the harness's real Redmine. Figures land in `bench-results/`
//! as a Markdown table, a JSON file and an SVG plot. Everything stays on
//! loopback and every run is bounded in time.

#![allow(clippy::cast_precision_loss, reason = "figures for a report, far below 2^52")]

mod load;
mod plot;
mod procs;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::redmine::{self, InstanceName};
use load::{Measured, RssAfter, Run, Target};
use procs::{Gateway, Nginx};

// Below Linux's ephemeral range (32768-60999): a port in it can be taken by one of the
// thousands of client connections a run opens, and a gateway started later could not listen.
const UPSTREAM_PORT: u16 = 28090;
const GATEWAY_PORT: u16 = 28091;
const GATEWAY_REAL_PORT: u16 = 28092;
const PROXY_PORT: u16 = 28093;
const CONCURRENCIES: [u32; 4] = [1, 16, 64, 256];
/// How many times the gateway is started to time its first answer; one start alone varies by
/// tens of milliseconds with what the machine is doing.
const STARTS: usize = 7;

/// The MCP request every `tools/call` run sends.
const MCP_CALL: &str = r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_projects","arguments":{}}}"#;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Seconds per load run.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Skip the runs against the real Redmine.
    #[arg(long)]
    no_real: bool,
    /// Load this gateway binary instead of building the workspace's release binary (to compare
    /// two builds on the same machine).
    #[arg(long, value_name = "PATH")]
    binary: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
struct Report {
    machine: String,
    binary_bytes: u64,
    /// The median of [`STARTS`] starts, and the slowest of them.
    startup_ms: f64,
    startup_max_ms: f64,
    rss_idle_kb: u64,
    rss_under_load_kb: u64,
    rss_after_100k: RssAfter,
    rss_after_200k: RssAfter,
    runs: Vec<Run>,
}

pub fn run(args: &BenchArgs) -> Result<()> {
    ensure_tools()?;
    let root = workspace_root();
    let out = root.join("bench-results");
    fs::create_dir_all(&out)?;
    let seconds = Duration::from_secs(args.seconds);

    let binary = match &args.binary {
        Some(binary) => fs::canonicalize(binary)
            .with_context(|| format!("--binary {}: no such file", binary.display()))?,
        None => build_release(&root)?,
    };
    let binary_bytes = fs::metadata(&binary)?.len();

    let bench_dir = root.join("xtask/bench");
    let nginx = Nginx::start(&bench_dir, &out.join("nginx"), UPSTREAM_PORT)?;
    let proxy = Nginx::start_proxy(&bench_dir, &out.join("proxy"), PROXY_PORT, UPSTREAM_PORT)?;
    let upstream = format!("http://127.0.0.1:{UPSTREAM_PORT}");
    let mut starts = Vec::with_capacity(STARTS);
    for _ in 0..STARTS {
        let gateway = Gateway::start(&binary, &upstream, GATEWAY_PORT)?;
        starts.push(gateway.startup.as_secs_f64() * 1000.0);
    }
    starts.sort_by(f64::total_cmp);
    let (startup_ms, startup_max_ms) = (starts[STARTS / 2], starts[STARTS - 1]);
    let gateway = Gateway::start(&binary, &upstream, GATEWAY_PORT)?;
    // Let the allocator settle after start-up before reading idle memory.
    std::thread::sleep(Duration::from_millis(500));
    let rss_idle_kb = procs::rss_kb(gateway.pid())?;

    let targets = [
        Target::get("upstream", &format!("{upstream}/projects.json")),
        Target::get("proxy", &format!("http://127.0.0.1:{PROXY_PORT}/projects.json")),
        Target::get("rest", &format!("http://127.0.0.1:{GATEWAY_PORT}/api/v1/projects")),
        Target::post("mcp", &format!("http://127.0.0.1:{GATEWAY_PORT}/mcp"), MCP_CALL),
    ];

    let of_gateway = Measured { cpu: vec![gateway.pid()], rss: Some(gateway.pid()) };
    let of_proxy = Measured { cpu: proxy.worker_pids(), rss: None };
    let mut runs = Vec::new();
    let mut rss_under_load_kb = 0;
    for concurrency in CONCURRENCIES {
        for target in &targets {
            let measured = match target.name {
                "upstream" => &Measured::default(),
                "proxy" => &of_proxy,
                _ => &of_gateway,
            };
            let run = load::wrk(&root, target, "canned", concurrency, seconds, measured)?;
            rss_under_load_kb = rss_under_load_kb.max(run.rss_peak_kb.unwrap_or(0));
            eprintln!("bench: {}", run.summary());
            runs.push(run);
        }
    }

    // Memory after at least 100,000 and 200,000 requests: growth between the two is a leak.
    let rest = &targets[2];
    let rss_after_100k = load::until_requests(&root, rest, &gateway, 100_000)?;
    let rss_after_200k = load::until_requests(&root, rest, &gateway, 100_000)?;
    drop(gateway);
    drop(proxy);
    drop(nginx);

    if !args.no_real {
        runs.extend(real_redmine_runs(&root, &binary, seconds)?);
    }

    let report = Report {
        machine: procs::machine(),
        binary_bytes,
        startup_ms,
        startup_max_ms,
        rss_idle_kb,
        rss_under_load_kb,
        rss_after_100k,
        rss_after_200k,
        runs,
    };
    fs::write(out.join("bench.json"), serde_json::to_string_pretty(&report)?)?;
    fs::write(out.join("bench.md"), markdown(&report))?;
    fs::write(out.join("latency.svg"), plot::latency_svg(&report.runs))?;
    eprintln!("bench: wrote {}", out.display());
    print!("{}", markdown(&report));
    Ok(())
}

/// Builds the workspace's release binary and returns its path.
fn build_release(root: &Path) -> Result<PathBuf> {
    eprintln!("bench: building the release binary");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "-p", "gateway-bin"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("building the release binary failed");
    }
    Ok(root.join("target/release/redmine-mcp"))
}

/// The REST and MCP routes against the real Redmine, next to Redmine straight.
fn real_redmine_runs(root: &Path, binary: &Path, seconds: Duration) -> Result<Vec<Run>> {
    redmine::up(InstanceName::V61)?;
    let env = redmine::read_env(&redmine::Instance::new(InstanceName::V61))?;
    let base = env["base_url"].as_str().context("base_url")?.trim_end_matches('/').to_owned();
    let admin_key = env["users"]
        .as_array()
        .and_then(|users| users.iter().find(|u| u["admin"] == true))
        .and_then(|u| u["api_key"].as_str())
        .context("the admin's api key")?
        .to_owned();

    let gateway = Gateway::start_with_key(binary, &base, GATEWAY_REAL_PORT, &admin_key)?;
    let targets = [
        Target::get("upstream", &format!("{base}/projects.json")).with_api_key(&admin_key),
        Target::get("rest", &format!("http://127.0.0.1:{GATEWAY_REAL_PORT}/api/v1/projects"))
            .without_auth(),
        Target::post("mcp", &format!("http://127.0.0.1:{GATEWAY_REAL_PORT}/mcp"), MCP_CALL)
            .without_auth(),
    ];
    let of_gateway = Measured { cpu: vec![gateway.pid()], rss: Some(gateway.pid()) };
    let mut runs = Vec::new();
    for concurrency in [1, 16] {
        for target in &targets {
            let measured =
                if target.name == "upstream" { &Measured::default() } else { &of_gateway };
            let run = load::wrk(root, target, "real", concurrency, seconds, measured)?;
            eprintln!("bench: {}", run.summary());
            runs.push(run);
        }
    }
    Ok(runs)
}

fn markdown(report: &Report) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "Machine: {}\n", report.machine);
    let _ = writeln!(
        md,
        "| upstream | route | concurrency | req/s | p50 ms | p99 ms | p99.9 ms | added p50 ms | added p99 ms | share of straight req/s | CPU µs/req | errors |"
    );
    let _ = writeln!(md, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for run in &report.runs {
        let straight = report.runs.iter().find(|r| {
            r.upstream == run.upstream && r.target == "upstream" && r.concurrency == run.concurrency
        });
        let added = |ours: f64, theirs: f64| format!("{:.3}", (ours - theirs) / 1000.0);
        let (added_p50, added_p99, share) = match straight {
            Some(s) if run.target != "upstream" => (
                added(run.p50_us, s.p50_us),
                added(run.p99_us, s.p99_us),
                format!("{:.0}%", 100.0 * run.rps / s.rps),
            ),
            _ => (String::new(), String::new(), String::new()),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.0} | {:.3} | {:.3} | {:.3} | {} | {} | {} | {} | {} |",
            run.upstream,
            run.target,
            run.concurrency,
            run.rps,
            run.p50_us / 1000.0,
            run.p99_us / 1000.0,
            run.p999_us / 1000.0,
            added_p50,
            added_p99,
            share,
            run.cpu_us_per_request.map_or(String::new(), |c| format!("{c:.1}")),
            run.errors,
        );
    }
    let _ = writeln!(md);
    let _ = writeln!(md, "| measure | value |\n|---|---:|");
    let _ = writeln!(md, "| release binary | {:.1} MB |", report.binary_bytes as f64 / 1e6);
    let _ = writeln!(
        md,
        "| start to first answer: median of {STARTS} starts, slowest | {:.1} ms, {:.1} ms |",
        report.startup_ms, report.startup_max_ms
    );
    let _ = writeln!(md, "| RSS idle | {:.1} MB |", report.rss_idle_kb as f64 / 1024.0);
    let _ = writeln!(
        md,
        "| RSS under load (peak) | {:.1} MB |",
        report.rss_under_load_kb as f64 / 1024.0
    );
    let rest = load::REST.as_secs();
    for (requests, rss) in [("100,000", report.rss_after_100k), ("200,000", report.rss_after_200k)]
    {
        let _ = writeln!(
            md,
            "| RSS after {requests} more requests: right after, after {rest} s at rest | {:.1} MB, {:.1} MB |",
            rss.right_after_kb as f64 / 1024.0,
            rss.at_rest_kb as f64 / 1024.0,
        );
    }
    md
}

/// nginx and wrk from Debian's packages.
fn ensure_tools() -> Result<()> {
    let missing: Vec<&str> = [("nginx", "nginx-light"), ("wrk", "wrk")]
        .into_iter()
        .filter(|(bin, _)| {
            Command::new("sh")
                .args(["-c", &format!("command -v {bin}")])
                .output()
                .map_or(true, |o| !o.status.success())
        })
        .map(|(_, package)| package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("bench: installing {}", missing.join(" "));
    let update = Command::new("apt-get").args(["update", "-qq"]).status()?;
    let install = Command::new("apt-get")
        .args(["install", "-y", "-qq"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()?;
    if !update.success() || !install.success() {
        bail!("installing {} failed", missing.join(" "));
    }
    Ok(())
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

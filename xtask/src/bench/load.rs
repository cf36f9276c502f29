//! Load runs with wrk, and what each one measured.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::procs::{self, Gateway};

/// The token the canned runs send; the canned upstream accepts any.
const CANNED_TOKEN: &str = "bench-token";

/// One route to load.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: &'static str,
    url: String,
    method: &'static str,
    body: Option<&'static str>,
    auth: Auth,
}

/// What a target sends to prove who it is.
#[derive(Debug, Clone)]
enum Auth {
    /// A bearer token, as ChatGPT sends; the canned upstream accepts any.
    Bearer,
    /// A Redmine API key (Redmine straight).
    ApiKey(String),
    /// Nothing: the gateway uses its server key.
    None,
}

impl Target {
    pub fn get(name: &'static str, url: &str) -> Self {
        Self { name, url: url.to_owned(), method: "GET", body: None, auth: Auth::Bearer }
    }

    pub fn post(name: &'static str, url: &str, body: &'static str) -> Self {
        Self { name, url: url.to_owned(), method: "POST", body: Some(body), auth: Auth::Bearer }
    }

    /// Sends an API key instead of the bearer token (Redmine straight).
    pub fn with_api_key(mut self, key: &str) -> Self {
        self.auth = Auth::ApiKey(key.to_owned());
        self
    }

    /// Sends no credentials, so the gateway acts with its server key.
    pub fn without_auth(mut self) -> Self {
        self.auth = Auth::None;
        self
    }
}

/// What one wrk run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    /// `canned` (nginx) or `real` (the harness's Redmine).
    pub upstream: &'static str,
    /// `upstream` (straight), `rest` or `mcp`.
    pub target: &'static str,
    pub concurrency: u32,
    pub requests: u64,
    pub rps: f64,
    pub p50_us: f64,
    pub p99_us: f64,
    pub p999_us: f64,
    /// Socket errors plus answers other than 2xx/3xx.
    pub errors: u64,
    /// The gateway's CPU time per request, when the gateway was measured.
    pub cpu_us_per_request: Option<f64>,
    pub rss_peak_kb: Option<u64>,
}

impl Run {
    pub fn summary(&self) -> String {
        format!(
            "{} {} c={}: {:.0} req/s, p50 {:.3} ms, p99 {:.3} ms, {} errors",
            self.upstream,
            self.target,
            self.concurrency,
            self.rps,
            self.p50_us / 1000.0,
            self.p99_us / 1000.0,
            self.errors
        )
    }
}

#[derive(Debug, Deserialize)]
struct WrkLine {
    requests: u64,
    duration_us: u64,
    socket_errors: u64,
    non_2xx: u64,
    p50_us: f64,
    p99_us: f64,
    p999_us: f64,
}

/// Which processes a run measures.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    /// Whose CPU time is summed (the gateway, or a proxy's worker processes).
    pub cpu: Vec<u32>,
    /// Whose resident memory is sampled (the gateway).
    pub rss: Option<u32>,
}

/// Loads `target` for `duration` at `concurrency`, measuring the processes in `measured`.
pub fn wrk(
    root: &Path,
    target: &Target,
    upstream: &'static str,
    concurrency: u32,
    duration: Duration,
    measured: &Measured,
) -> Result<Run> {
    let cpu_before = total_cpu_us(&measured.cpu)?;
    let sampler = measured.rss.map(RssSampler::start);

    let line = run_wrk(root, target, concurrency, duration)?;

    let rss_peak_kb = sampler.map(RssSampler::stop);
    let cpu_us_per_request = if measured.cpu.is_empty() || line.requests == 0 {
        None
    } else {
        Some((total_cpu_us(&measured.cpu)? - cpu_before) as f64 / line.requests as f64)
    };
    Ok(Run {
        upstream,
        target: target.name,
        concurrency,
        requests: line.requests,
        rps: line.requests as f64 / (line.duration_us as f64 / 1e6),
        p50_us: line.p50_us,
        p99_us: line.p99_us,
        p999_us: line.p999_us,
        errors: line.socket_errors + line.non_2xx,
        cpu_us_per_request,
        rss_peak_kb,
    })
}

fn total_cpu_us(pids: &[u32]) -> Result<u64> {
    pids.iter().map(|&pid| procs::cpu_us(pid)).sum()
}

/// The gateway's resident set after a load.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RssAfter {
    /// Read as the load ends.
    pub right_after_kb: u64,
    /// Read once the gateway has been idle for [`REST`].
    pub at_rest_kb: u64,
}

/// How long an idle gateway is given to hand back what a load left free.
pub const REST: Duration = Duration::from_secs(2);

/// Loads `target` until at least `requests` more were answered, then reads
/// the gateway's RSS, right away and after a rest. Bounded: gives up after two minutes.
pub fn until_requests(
    root: &Path,
    target: &Target,
    gateway: &Gateway,
    requests: u64,
) -> Result<RssAfter> {
    let started = Instant::now();
    let mut done = 0;
    while done < requests {
        if started.elapsed() > Duration::from_secs(120) {
            bail!("only {done} of {requests} requests answered within two minutes");
        }
        let line = run_wrk(root, target, 64, Duration::from_secs(5))?;
        if line.socket_errors + line.non_2xx > 0 {
            bail!("{} errors while loading {}", line.socket_errors + line.non_2xx, target.url);
        }
        done += line.requests;
    }
    let right_after_kb = procs::rss_kb(gateway.pid())?;
    std::thread::sleep(REST);
    Ok(RssAfter { right_after_kb, at_rest_kb: procs::rss_kb(gateway.pid())? })
}

fn run_wrk(root: &Path, target: &Target, concurrency: u32, duration: Duration) -> Result<WrkLine> {
    let threads = concurrency.min(2);
    let mut wrk = Command::new("wrk");
    wrk.arg(format!("-t{threads}"))
        .arg(format!("-c{concurrency}"))
        .arg(format!("-d{}s", duration.as_secs()))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(root.join("xtask/bench/report.lua"))
        .arg(&target.url)
        .env("BENCH_METHOD", target.method)
        .env("BENCH_BODY", target.body.unwrap_or_default());
    match &target.auth {
        Auth::Bearer => wrk.env("BENCH_TOKEN", CANNED_TOKEN).env("BENCH_API_KEY", ""),
        Auth::ApiKey(key) => wrk.env("BENCH_API_KEY", key).env("BENCH_TOKEN", ""),
        Auth::None => wrk.env("BENCH_API_KEY", "").env("BENCH_TOKEN", ""),
    };
    let output = wrk.output().context("running wrk")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().find_map(|l| l.strip_prefix("BENCH ")).with_context(|| {
        format!("wrk printed no figures: {stdout}{}", String::from_utf8_lossy(&output.stderr))
    })?;
    Ok(serde_json::from_str(line)?)
}

/// Samples a process's RSS every 50 ms on a thread while a run lasts.
struct RssSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl RssSampler {
    fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, peak) = (Arc::clone(&stop), Arc::clone(&peak));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Ok(rss) = procs::rss_kb(pid) {
                        peak.fetch_max(rss, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        };
        Self { stop, peak, thread }
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        self.peak.load(Ordering::Relaxed)
    }
}

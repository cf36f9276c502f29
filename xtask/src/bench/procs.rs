//! The processes a benchmark runs (nginx, the gateway) and what is read from
//! `/proc` about them.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// nginx serving the canned upstream, or passing requests through to it; stopped on drop.
pub struct Nginx {
    child: Child,
}

impl Nginx {
    /// The canned upstream on `port`.
    pub fn start(bench_dir: &Path, work_dir: &Path, port: u16) -> Result<Self> {
        Self::spawn(bench_dir, "nginx.conf", work_dir, port, 0)
    }

    /// The reference proxy on `port`, in front of the canned upstream on `upstream_port`.
    pub fn start_proxy(
        bench_dir: &Path,
        work_dir: &Path,
        port: u16,
        upstream_port: u16,
    ) -> Result<Self> {
        Self::spawn(bench_dir, "nginx-proxy.conf", work_dir, port, upstream_port)
    }

    fn spawn(
        bench_dir: &Path,
        config: &str,
        work_dir: &Path,
        port: u16,
        upstream_port: u16,
    ) -> Result<Self> {
        fs::create_dir_all(work_dir)?;
        ensure_free(port)?;
        let conf = fs::read_to_string(bench_dir.join(config))?
            .replace("@DIR@", &work_dir.display().to_string())
            .replace("@ROOT@", &bench_dir.join("upstream").display().to_string())
            .replace("@UPSTREAM_PORT@", &upstream_port.to_string())
            .replace("@PORT@", &port.to_string());
        let conf_path = work_dir.join("nginx.conf");
        fs::write(&conf_path, conf)?;
        let child = Command::new("nginx")
            .arg("-c")
            .arg(&conf_path)
            .arg("-p")
            .arg(work_dir)
            .stdin(Stdio::null())
            .spawn()
            .context("starting nginx")?;
        wait_for(port, "/projects.json", Duration::from_secs(10))?;
        Ok(Self { child })
    }
}

impl Nginx {
    /// The worker processes, which do the serving (the master only supervises).
    pub fn worker_pids(&self) -> Vec<u32> {
        let master = self.child.id();
        let Ok(entries) = fs::read_dir("/proc") else { return Vec::new() };
        entries
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| parent_pid(*pid) == Some(master))
            .collect()
    }
}

/// The parent of `pid`, from `/proc`.
fn parent_pid(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
}

impl Drop for Nginx {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// The gateway's release binary, serving with ChatGPT mode on; stopped on drop.
pub struct Gateway {
    child: Child,
    /// From spawning the process to its first answer on `/health`.
    pub startup: Duration,
}

impl Gateway {
    /// A gateway that forwards callers' bearer tokens.
    pub fn start(binary: &Path, redmine: &str, port: u16) -> Result<Self> {
        Self::spawn(binary, redmine, port, None)
    }

    /// A gateway that acts with `key` for callers without a token.
    pub fn start_with_key(binary: &Path, redmine: &str, port: u16, key: &str) -> Result<Self> {
        Self::spawn(binary, redmine, port, Some(key))
    }

    fn spawn(binary: &Path, redmine: &str, port: u16, key: Option<&str>) -> Result<Self> {
        let mut command = Command::new(binary);
        command
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("REDMINE_URL", redmine)
            .env("CHATGPT_MODE", "true")
            .env("LOG_LEVEL", "warn")
            .env_remove("REDMINE_API_KEY")
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        if let Some(key) = key {
            command.env("REDMINE_API_KEY", key);
        }
        ensure_free(port)?;
        let started = Instant::now();
        let child = command.spawn().context("starting the gateway")?;
        let mut gateway = Self { child, startup: Duration::ZERO };
        wait_for(port, "/health", Duration::from_secs(10))?;
        gateway.startup = started.elapsed();
        Ok(gateway)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

fn stop(child: &mut Child) {
    let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Fails when something already listens on `port`: it, not the process about to start, would
/// answer and be measured.
fn ensure_free(port: u16) -> Result<()> {
    match std::net::TcpListener::bind(("127.0.0.1", port)) {
        Ok(_) => Ok(()),
        Err(error) => bail!(
            "port {port} is taken ({error}); stop what listens there (`ss -ltnp | grep {port}`), \
             perhaps a gateway or nginx left from an earlier run"
        ),
    }
}

/// Polls `path` on loopback every millisecond until it answers.
fn wait_for(port: u16, path: &str, deadline: Duration) -> Result<()> {
    use std::io::{Read, Write};
    let started = Instant::now();
    while started.elapsed() < deadline {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            let mut head = [0u8; 12];
            if stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    bail!("nothing answered {path} on port {port} within {deadline:?}")
}

/// Resident memory of `pid`, in KiB.
pub fn rss_kb(pid: u32) -> Result<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .context("no VmRSS")
}

/// User plus system CPU time of `pid` so far, in microseconds.
pub fn cpu_us(pid: u32) -> Result<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> =
        stat.rsplit_once(')').context("odd stat")?.1.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
    // Linux reports these in USER_HZ, 100 per second on every common build.
    Ok(ticks * 10_000)
}

/// CPU model, cores and memory, for the report.
pub fn machine() -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name").and_then(|v| v.split_once(':')).map(|(_, m)| m.trim())
        })
        .unwrap_or("unknown CPU")
        .to_owned();
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    format!("{model}, {cores} cores, {mem_gib:.0} GiB")
}

//! The real `redmine-mcp` binary started as a child process, for the tests that need what only
//! a process has: its own memory figure (VmRSS), its log output on stderr, its exit.
//!
//! `env!("CARGO_BIN_EXE_...")` only reaches binaries of the test's own package, so the binary
//! is taken from `REDMINE_MCP_BIN` when set, else built with `cargo build -p gateway-bin` (a
//! no-op when it is fresh; cargo's lock serialises concurrent tests) in this workspace's
//! target folder.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use tokio::process::{Child, Command};

/// A running gateway process; killed when dropped.
#[derive(Debug)]
pub struct SpawnedGateway {
    child: Child,
    address: SocketAddr,
    log: PathBuf,
    _dir: TempDir,
}

impl SpawnedGateway {
    /// Starts `redmine-mcp serve` on a free loopback port with exactly `env` (plus `PATH`), in
    /// an empty working folder so that no `.env` file is read, and waits until `/health`
    /// answers. stderr goes to a file that [`SpawnedGateway::log`] reads.
    pub async fn start(env: &[(&str, &str)]) -> anyhow::Result<Self> {
        let binary = binary()?;
        let dir = TempDir::new("gateway")?;
        let log = dir.path().join("stderr.log");
        let stderr = std::fs::File::create(&log)?;
        let port = free_port()?;
        let address = SocketAddr::from(([127, 0, 0, 1], port));

        let mut command = Command::new(&binary);
        command
            .args(["serve", "--bind", &address.to_string()])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(env.iter().copied())
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .kill_on_drop(true);
        let child = command.spawn().with_context(|| format!("starting {}", binary.display()))?;
        let mut gateway = Self { child, address, log, _dir: dir };
        gateway.wait_until_healthy().await?;
        Ok(gateway)
    }

    async fn wait_until_healthy(&mut self) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = reqwest::Client::new();
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("the gateway exited with {status} at start:\n{}", self.log());
            }
            let answer = client
                .get(format!("{}/health", self.url()))
                .timeout(Duration::from_secs(2))
                .send()
                .await;
            if answer.is_ok() {
                return Ok(());
            }
            ensure!(Instant::now() < deadline, "the gateway did not answer within 20 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The base URL, such as `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The listening address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Everything the process wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The process's resident memory in KiB, from `/proc/PID/status`.
    pub fn rss_kb(&self) -> anyhow::Result<u64> {
        let pid = self.child.id().context("the gateway has exited")?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmRSS line in /proc/PID/status")
    }

    /// The process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Whether the process still runs.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

/// The `redmine-mcp` binary, built once per test process when `REDMINE_MCP_BIN` is unset.
pub fn binary() -> anyhow::Result<PathBuf> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BUILT.get_or_init(|| build().map_err(|e| format!("{e:#}"))).clone().map_err(anyhow::Error::msg)
}

fn build() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("REDMINE_MCP_BIN").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("a workspace")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["build", "--quiet", "-p", "gateway-bin"])
        .current_dir(workspace)
        .status()
        .context("running cargo build -p gateway-bin")?;
    ensure!(status.success(), "cargo build -p gateway-bin failed ({status})");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    Ok(target.join("debug").join("redmine-mcp"))
}

/// A free loopback port (bound, then released for the child to take).
pub fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// A folder under the system's temporary folder, removed when dropped.
#[derive(Debug)]
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> anyhow::Result<Self> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "redmine-mcp-{prefix}-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

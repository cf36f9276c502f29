//! The real Redmine instances the end-to-end tests run against.
//!
//! Each instance lives in its own Debian tree under the harness directory
//! (`REDMINE_HARNESS_DIR`, default `~/.cache/redmine-mcp-harness`):
//!
//! ```text
//! redmine-6.1/
//!   root/          debootstrap tree with Debian's redmine package (SQLite, puma)
//!   env.json       what the tests read: URL, version, users, keys, OAuth app, ids
//!   seeded.sqlite3 the database right after seeding, for `reset`
//!   server.pid     the running server's process id
//!   server.log     the server's output
//! ```
//!
//! Instances listen on 127.0.0.1 only. The tree is installed once; later
//! runs reuse it and the running server.

mod server;
mod tree;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// The instances the harness knows how to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceName {
    /// Redmine 6.1 from Debian sid: OAuth (Doorkeeper), the main target.
    V61,
    /// Redmine 5.0 from Debian bookworm: API keys only, for compatibility tests.
    V50,
}

impl FromStr for InstanceName {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "6.1" | "6" | "latest" => Ok(Self::V61),
            "5.0" | "5" => Ok(Self::V50),
            other => Err(format!("unknown Redmine version {other}: use 6.1 or 5.0")),
        }
    }
}

impl fmt::Display for InstanceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V61 => "6.1",
            Self::V50 => "5.0",
        })
    }
}

/// Everything that differs between the two instances.
#[derive(Debug, Clone)]
pub struct Instance {
    pub name: InstanceName,
    /// The Debian suite whose `redmine` package is installed.
    pub suite: &'static str,
    /// Packages installed in the tree besides Debian's minimal base.
    pub packages: &'static [&'static str],
    pub port: u16,
    /// This instance's folder under the harness directory.
    pub dir: PathBuf,
}

/// Where the seeded OAuth application redirects; nothing needs to listen there,
/// the tests read the code from the redirect itself.
const OAUTH_REDIRECT_URI: &str = "http://127.0.0.1:38999/callback";

impl Instance {
    pub fn new(name: InstanceName) -> Self {
        let (suite, port, packages): (_, _, &'static [&'static str]) = match name {
            InstanceName::V61 => ("sid", 38061, &["redmine", "redmine-sqlite", "puma"]),
            InstanceName::V50 => ("bookworm", 38050, &["redmine", "redmine-sqlite", "puma"]),
        };
        let dir = harness_dir().join(format!("redmine-{name}"));
        Self { name, suite, packages, port, dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.join("root")
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    fn env_file(&self) -> PathBuf {
        self.dir.join("env.json")
    }

    fn seeded_db(&self) -> PathBuf {
        self.dir.join("seeded.sqlite3")
    }

    /// The attachments' files right after seeding, beside the database snapshot.
    fn seeded_files(&self) -> PathBuf {
        self.dir.join("seeded-files")
    }

    /// Where Redmine keeps attachment files.
    fn live_files(&self) -> PathBuf {
        self.root().join("var/lib/redmine/default/files")
    }

    /// The SQLite database Debian configures for its `default` instance.
    fn live_db(&self) -> PathBuf {
        self.root()
            .join("var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default")
    }
}

/// `REDMINE_HARNESS_DIR`, else `~/.cache/redmine-mcp-harness`.
pub fn harness_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("REDMINE_HARNESS_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
    PathBuf::from(home).join(".cache/redmine-mcp-harness")
}

/// Installs (once), starts (unless running) and seeds (once) an instance.
pub fn up(name: InstanceName) -> Result<()> {
    let instance = Instance::new(name);
    let started = Instant::now();
    fs::create_dir_all(&instance.dir)?;
    let _lock = lock(&instance)?;

    tree::ensure_installed(&instance)?;
    server::ensure_running(&instance)?;
    ensure_seeded(&instance)?;

    eprintln!(
        "redmine {name}: up at {} ({:.1} s)",
        instance.base_url(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn down(name: InstanceName) -> Result<()> {
    let instance = Instance::new(name);
    let _lock = lock(&instance)?;
    if server::stop(&instance)? {
        eprintln!("redmine {name}: stopped");
    } else {
        eprintln!("redmine {name}: was not running");
    }
    tree::unmount(&instance);
    Ok(())
}

pub fn status(name: InstanceName) {
    let instance = Instance::new(name);
    if !tree::is_installed(&instance) {
        println!("redmine {name}: not installed (run `cargo xtask redmine up --version {name}`)");
        return;
    }
    let version = read_env(&instance)
        .ok()
        .and_then(|env| env.get("version").and_then(serde_json::Value::as_str).map(str::to_owned));
    match server::running_pid(&instance) {
        Some(pid) if server::answers(&instance) => println!(
            "redmine {name}: up at {} (Redmine {}, pid {pid})",
            instance.base_url(),
            version.as_deref().unwrap_or("not seeded yet")
        ),
        Some(pid) => println!("redmine {name}: starting (pid {pid}), not answering yet"),
        None => println!("redmine {name}: installed, down"),
    }
}

pub fn print_env(name: InstanceName) -> Result<()> {
    let instance = Instance::new(name);
    if server::running_pid(&instance).is_none() {
        bail!(
            "redmine {name} is not running: start it with `cargo xtask redmine up --version {name}`"
        );
    }
    let env = read_env(&instance)?;
    println!("{}", serde_json::to_string_pretty(&env)?);
    Ok(())
}

/// Puts the database back to the state right after seeding.
pub fn reset(name: InstanceName) -> Result<()> {
    let instance = Instance::new(name);
    let _lock = lock(&instance)?;
    if !instance.seeded_db().exists() {
        bail!("redmine {name} was never seeded: run `cargo xtask redmine up --version {name}`");
    }
    server::stop(&instance)?;
    fs::copy(instance.seeded_db(), instance.live_db()).context("restoring the seeded database")?;
    copy_tree(&instance.seeded_files(), &instance.live_files())
        .context("restoring the seeded attachment files")?;
    // A write-ahead log left by the stopped server belongs to the old database.
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut path = instance.live_db().into_os_string();
        path.push(suffix);
        let _ = fs::remove_file(path);
    }
    server::ensure_running(&instance)?;
    eprintln!("redmine {name}: reset to the seeded state");
    Ok(())
}

pub fn read_env(instance: &Instance) -> Result<serde_json::Value> {
    let text = fs::read_to_string(instance.env_file())
        .with_context(|| format!("reading {}", instance.env_file().display()))?;
    Ok(serde_json::from_str(&text)?)
}

/// Seeds a fresh database through one `rails runner` (one Rails boot) and
/// writes `env.json`. A database that already has `env.json` is left alone.
fn ensure_seeded(instance: &Instance) -> Result<()> {
    if instance.env_file().exists() {
        return Ok(());
    }
    eprintln!("redmine {}: seeding", instance.name);
    let script = instance.root().join("tmp/harness-seed.rb");
    fs::write(&script, include_str!("../redmine/seed.rb"))?;
    let output = tree::chroot_shell(
        instance,
        &format!(
            "cd /usr/share/redmine && HARNESS_OAUTH_REDIRECT_URI={OAUTH_REDIRECT_URI} \
             X_DEBIAN_SITEID=default RAILS_ENV=production REDMINE_LANG=en \
             ruby bin/rails runner /tmp/harness-seed.rb"
        ),
    )
    .output()
    .context("running the seed script")?;
    if !output.status.success() {
        bail!(
            "seeding Redmine {} failed:\n{}{}",
            instance.name,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().rev().find(|l| l.starts_with('{')).context("no JSON from seed")?;
    let mut env: serde_json::Value = serde_json::from_str(last).context("decoding seed output")?;
    env["instance"] = instance.name.to_string().into();
    env["base_url"] = instance.base_url().into();
    env["port"] = instance.port.into();

    server::stop(instance)?;
    fs::copy(instance.live_db(), instance.seeded_db()).context("snapshotting the database")?;
    copy_tree(&instance.live_files(), &instance.seeded_files())
        .context("snapshotting the attachment files")?;
    server::ensure_running(instance)?;
    write_atomically(&instance.env_file(), &serde_json::to_string_pretty(&env)?)
}

fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, text)?;
    fs::rename(&tmp, path)?;
    Ok(())
}

/// Replaces `to` with a copy of `from`, owners and modes kept.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        fs::remove_dir_all(to)?;
    }
    let status = std::process::Command::new("cp").arg("-a").arg(from).arg(to).status()?;
    if !status.success() {
        bail!("copying {} to {} failed ({status})", from.display(), to.display());
    }
    Ok(())
}

/// The last `count` lines of `text`, for error messages.
fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

/// One `up`, `down` or `reset` at a time per instance, across processes.
fn lock(instance: &Instance) -> Result<fs::File> {
    let file = fs::File::create(instance.dir.join("lock"))?;
    file.lock().context("locking the harness directory")?;
    Ok(file)
}

//! The Debian tree an instance runs in: debootstrap once, then Debian's own
//! `redmine` package inside it, so the Redmine under test is the one Debian
//! ships, with nothing of it installed on the host.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::{Instance, last_lines};

/// Written last, so a tree whose install was interrupted is rebuilt.
const INSTALLED_MARKER: &str = ".harness-installed";

pub fn is_installed(instance: &Instance) -> bool {
    instance.root().join(INSTALLED_MARKER).exists()
}

pub fn ensure_installed(instance: &Instance) -> Result<()> {
    if is_installed(instance) {
        mount_proc(instance)?;
        return configure_sqlite(instance);
    }
    let started = Instant::now();
    let root = instance.root();
    if root.exists() {
        eprintln!("redmine {}: removing an incomplete tree", instance.name);
        unmount(instance);
        fs::remove_dir_all(&root).context("removing an incomplete tree")?;
    }

    ensure_host_debootstrap()?;
    eprintln!(
        "redmine {}: bootstrapping Debian {} into {}",
        instance.name,
        instance.suite,
        root.display()
    );
    let mut debootstrap = Command::new("debootstrap");
    debootstrap.args(["--variant=minbase", instance.suite]).arg(&root);
    if let Some(mirror) = mirror() {
        debootstrap.arg(mirror);
    }
    let log = instance.dir.join("install.log");
    run_logged(&mut debootstrap, "debootstrap", &log)?;

    mount_proc(instance)?;
    fs::copy("/etc/resolv.conf", root.join("etc/resolv.conf")).context("copying resolv.conf")?;
    // The archive snapshot this machine reaches may be older than the clock.
    fs::write(
        root.join("etc/apt/apt.conf.d/99harness"),
        "Acquire::Check-Valid-Until \"false\";\nAPT::Install-Recommends \"false\";\n",
    )?;

    eprintln!("redmine {}: installing {}", instance.name, instance.packages.join(" "));
    run_logged(&mut chroot(instance, &["apt-get", "update"]), "apt-get update in the tree", &log)?;
    let mut install = chroot(instance, &["apt-get", "install", "-y"]);
    install.args(instance.packages).env("DEBIAN_FRONTEND", "noninteractive");
    run_logged(&mut install, "apt-get install in the tree", &log)?;

    // Debian's Gemfile loads no web server outside its test group.
    let redmine = root.join("usr/share/redmine");
    fs::write(redmine.join("Gemfile.local"), "gem \"puma\"\n")?;
    let lock = redmine.join("Gemfile.lock");
    if lock.exists() {
        fs::remove_file(lock)?;
    }

    configure_sqlite(instance)?;
    fs::write(root.join(INSTALLED_MARKER), "")?;
    eprintln!("redmine {}: installed in {:.0} s", instance.name, started.elapsed().as_secs_f64());
    Ok(())
}

/// Makes concurrent writers wait for each other instead of failing. Debian's
/// generated `database.yml` gives SQLite no busy timeout, and Rails opens
/// transactions as DEFERRED, whose lock upgrade SQLite refuses at once; both
/// answer "database is locked" (a 500), which parallel tests meet all the
/// time. Adds the timeout and an initializer that opens transactions as
/// IMMEDIATE with a busy handler that lets other threads run while it waits.
/// Takes effect at the server's next start.
fn configure_sqlite(instance: &Instance) -> Result<()> {
    let initializer =
        instance.root().join("usr/share/redmine/config/initializers/00_harness_sqlite.rb");
    fs::write(&initializer, include_str!("../../redmine/sqlite_immediate.rb"))
        .with_context(|| format!("writing {}", initializer.display()))?;

    let path = instance.root().join("etc/redmine/default/database.yml");
    let config = fs::read_to_string(&path).context("reading database.yml")?;
    if config.contains("timeout:") {
        return Ok(());
    }
    let configured =
        config.replacen("  adapter: sqlite3\n", "  adapter: sqlite3\n  timeout: 30000\n", 1);
    if configured == config {
        bail!("{} has no sqlite3 production entry to configure", path.display());
    }
    fs::write(&path, configured).context("writing database.yml")
}

/// A command run inside the tree.
pub fn chroot(instance: &Instance, args: &[&str]) -> Command {
    let mut command = Command::new("chroot");
    command.arg(instance.root()).args(args);
    // The host's locale and paths mean nothing inside the tree.
    command.env_clear().env("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    command.env("LANG", "C.UTF-8").env("HOME", "/root");
    command
}

/// A shell command line run inside the tree.
pub fn chroot_shell(instance: &Instance, script: &str) -> Command {
    chroot(instance, &["/bin/sh", "-c", script])
}

fn mount_proc(instance: &Instance) -> Result<()> {
    let proc_dir = instance.root().join("proc");
    if proc_dir.join("self").exists() {
        return Ok(());
    }
    run(Command::new("mount").args(["-t", "proc", "proc"]).arg(&proc_dir), "mounting /proc")
}

/// Unmounts the tree's `/proc`; harmless when it is not mounted.
pub fn unmount(instance: &Instance) {
    let proc_dir = instance.root().join("proc");
    if proc_dir.join("self").exists() {
        let _ = Command::new("umount").arg("-l").arg(&proc_dir).status();
    }
}

fn ensure_host_debootstrap() -> Result<()> {
    if Command::new("debootstrap").arg("--version").output().is_ok_and(|o| o.status.success()) {
        return Ok(());
    }
    eprintln!("installing debootstrap on the host");
    run(Command::new("apt-get").args(["update", "-qq"]), "apt-get update")?;
    run(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "debootstrap"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        "apt-get install debootstrap",
    )
}

/// The Debian mirror: `REDMINE_HARNESS_MIRROR`, else the one the host's apt
/// already uses (so the harness reaches exactly what the machine reaches),
/// else debootstrap's own default.
fn mirror() -> Option<String> {
    if let Ok(mirror) = std::env::var("REDMINE_HARNESS_MIRROR") {
        return Some(mirror);
    }
    let mut sources = vec![Path::new("/etc/apt/sources.list").to_path_buf()];
    if let Ok(entries) = fs::read_dir("/etc/apt/sources.list.d") {
        sources.extend(entries.flatten().map(|e| e.path()));
    }
    sources.iter().filter_map(|path| fs::read_to_string(path).ok()).find_map(|text| {
        text.lines().find_map(|line| {
            let line = line.trim();
            let uri = line
                .strip_prefix("URIs:")
                .or_else(|| {
                    line.strip_prefix("deb ").map(|rest| rest.trim_start_matches("[trusted=yes] "))
                })?
                .split_whitespace()
                .next()?;
            (uri.trim_end_matches('/').ends_with("/debian")).then(|| uri.to_owned())
        })
    })
}

/// Runs `command` with its output appended to `log`; on failure the error
/// carries the log's last lines, so a CI log shows why without the noise.
fn run_logged(command: &mut Command, what: &str, log: &Path) -> Result<()> {
    let file = fs::OpenOptions::new().create(true).append(true).open(log)?;
    let status = command
        .stdout(file.try_clone()?)
        .stderr(file)
        .status()
        .with_context(|| format!("starting {what}"))?;
    if !status.success() {
        let text = fs::read_to_string(log).unwrap_or_default();
        bail!(
            "{what} failed ({status}); last lines of {}:\n{}",
            log.display(),
            last_lines(&text, 40)
        );
    }
    Ok(())
}

fn run(command: &mut Command, what: &str) -> Result<()> {
    let status = command.status().with_context(|| format!("starting {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

//! Starting, probing and stopping an instance's puma server.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::{Instance, last_lines, tree};

const START_DEADLINE: Duration = Duration::from_secs(180);
const STOP_DEADLINE: Duration = Duration::from_secs(20);

/// Starts the server unless it already runs and answers.
pub fn ensure_running(instance: &Instance) -> Result<()> {
    if let Some(pid) = running_pid(instance) {
        if wait_until_answering(instance, Duration::from_secs(60)) {
            return Ok(());
        }
        bail!(
            "redmine {} runs as pid {pid} but does not answer on {}: \
             see {} or run `cargo xtask redmine down --version {}`",
            instance.name,
            instance.base_url(),
            instance.dir.join("server.log").display(),
            instance.name
        );
    }
    if answers(instance) {
        bail!(
            "something else answers on {}: stop it or free port {}",
            instance.base_url(),
            instance.port
        );
    }

    // One request at a time: Rails 7.2 opens SQLite transactions as DEFERRED, so two
    // concurrent writers fail at once with "database is locked" (SQLite refuses the lock
    // upgrade without waiting for the busy timeout). Serialising requests keeps the shared
    // test instance correct under parallel tests; its throughput is not what is measured.
    let log = fs::File::create(instance.dir.join("server.log"))?;
    let script = format!(
        "cd /usr/share/redmine && rm -f /run/harness-puma.pid && exec env \
         X_DEBIAN_SITEID=default RAILS_ENV=production \
         MIN_THREADS=1 MAX_THREADS=1 PUMA_MIN_THREADS=1 PUMA_MAX_THREADS=1 \
         ruby bin/rails server -u puma -b 127.0.0.1 -p {} -e production -P /run/harness-puma.pid",
        instance.port
    );
    let child = tree::chroot_shell(instance, &script)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        // Its own process group: Ctrl-C on the caller does not reach it, and
        // `down` can stop the whole group.
        .process_group(0)
        .spawn()
        .context("starting puma")?;
    fs::write(pid_file(instance), child.id().to_string())?;

    let started = Instant::now();
    if !wait_until_answering(instance, START_DEADLINE) {
        let log = fs::read_to_string(instance.dir.join("server.log")).unwrap_or_default();
        let _ = stop(instance);
        bail!(
            "redmine {} did not answer within {START_DEADLINE:?}:\n{}",
            instance.name,
            last_lines(&log, 30)
        );
    }
    eprintln!(
        "redmine {}: answering after {:.1} s",
        instance.name,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Stops the server; `Ok(false)` when it was not running.
pub fn stop(instance: &Instance) -> Result<bool> {
    let Some(pid) = running_pid(instance) else {
        let _ = fs::remove_file(pid_file(instance));
        return Ok(false);
    };
    signal_group(pid, "TERM");
    let deadline = Instant::now() + STOP_DEADLINE;
    while is_alive(pid) && Instant::now() < deadline {
        sleep(Duration::from_millis(100));
    }
    if is_alive(pid) {
        signal_group(pid, "KILL");
        sleep(Duration::from_millis(200));
    }
    fs::remove_file(pid_file(instance))?;
    Ok(true)
}

/// The pid of this instance's server, when it is alive.
pub fn running_pid(instance: &Instance) -> Option<u32> {
    let pid: u32 = fs::read_to_string(pid_file(instance)).ok()?.trim().parse().ok()?;
    // After a reboot or a killed session the pid may belong to another program.
    // (The command line reads empty for a moment while a process execs; that is still ours.)
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let ours = cmdline.is_empty()
        || ["puma", "rails", "chroot"]
            .iter()
            .any(|name| String::from_utf8_lossy(&cmdline).contains(name));
    (ours && is_alive(pid)).then_some(pid)
}

/// Whether Redmine answers `GET /` with 200 right now.
pub fn answers(instance: &Instance) -> bool {
    http_status(instance.port, "/") == Some(200)
}

fn wait_until_answering(instance: &Instance, deadline: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < deadline {
        if answers(instance) {
            return true;
        }
        if running_pid(instance).is_none() {
            return false;
        }
        sleep(Duration::from_millis(250));
    }
    false
}

/// A minimal HTTP/1.0 probe, enough to read a status line on loopback.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").ok()?;
    let mut head = [0u8; 32];
    let n = stream.read(&mut head).ok()?;
    let line = std::str::from_utf8(&head[..n]).ok()?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn pid_file(instance: &Instance) -> std::path::PathBuf {
    instance.dir.join("server.pid")
}

fn is_alive(pid: u32) -> bool {
    // A zombie still has a /proc entry; its state letter is Z.
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z'))
    })
}

fn signal_group(pid: u32, signal: &str) {
    let _ =
        Command::new("kill").arg(format!("-{signal}")).arg("--").arg(format!("-{pid}")).status();
}

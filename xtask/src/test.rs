//! `cargo xtask test`: the one command CI and developers run.
//!
//! Formatting and clippy first (cheap, and they fail fast), then both Redmine
//! instances are brought up (installed on first use), then every test in the
//! workspace runs under nextest, which prints the summary line, and then the
//! MCP tests under pytest (`tests/mcp`, see `mcp_tests`).

use std::process::Command;
use std::time::Instant;

use anyhow::{Result, bail};

use crate::redmine::{self, InstanceName};

pub fn run(nextest_args: &[String]) -> Result<()> {
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());

    step("cargo fmt --check", Command::new(&cargo).args(["fmt", "--all", "--", "--check"]))?;
    step(
        "cargo clippy",
        Command::new(&cargo).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;

    let has_nextest = Command::new(&cargo)
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_nextest {
        step(
            "cargo install cargo-nextest",
            Command::new(&cargo).args(["install", "cargo-nextest", "--locked"]),
        )?;
    }

    redmine::up(InstanceName::V61)?;
    redmine::up(InstanceName::V50)?;

    crate::openapi::prepare_validator()?;

    // The reliability tests spawn the binary; build it once here rather than in each test.
    step("cargo build -p gateway-bin", Command::new(&cargo).args(["build", "-p", "gateway-bin"]))?;
    let binary =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/redmine-mcp");
    let mut tests = Command::new(&cargo);
    tests.args(["nextest", "run", "--workspace", "--no-fail-fast"]).args(nextest_args);
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        tests.env("REDMINE_MCP_BIN", binary);
    }
    step("cargo nextest run", &mut tests)?;

    crate::mcp_tests::run(&cargo)?;

    // Last: it writes to Redmine 6.1 and resets it afterwards.
    crate::api_fuzz::run(&cargo)?;

    eprintln!("xtask test: all checks passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

pub(crate) fn step(what: &str, command: &mut Command) -> Result<()> {
    eprintln!("xtask test: {what}");
    let status = command.status()?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

//! The MCP tests in `tests/mcp/`: pytest, with the official MCP Python SDK (`mcp` on PyPI) as
//! the client of a real `redmine-mcp` over streamable HTTP and stdio.
//!
//! A virtual environment under `target/py-venv` holds the pinned `tests/mcp/requirements.txt`;
//! it is created once and reinstalled only when that file changes. The binary is built, then
//! pytest runs with the binary's path and the harness description of Redmine 6.1, which must
//! be up already (`cargo xtask test` starts it first).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::redmine;
use crate::test::step;

pub fn run(cargo: &str) -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("xtask has a parent")?;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let python = venv(root, &target)?;

    step("cargo build -p gateway-bin", Command::new(cargo).args(["build", "-p", "gateway-bin"]))?;

    let env_file = redmine::harness_dir().join("redmine-6.1").join("env.json");
    step(
        "pytest tests/mcp",
        Command::new(&python)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .current_dir(root.join("tests/mcp"))
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("REDMINE_MCP_BIN", target.join("debug").join("redmine-mcp"))
            .env("REDMINE_HARNESS_ENV", env_file),
    )
}

/// The venv's interpreter, with the pinned requirements installed.
fn venv(root: &Path, target: &Path) -> Result<PathBuf> {
    let venv = target.join("py-venv");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        step(
            "python3 -m venv target/py-venv",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )?;
    }

    let requirements = root.join("tests/mcp/requirements.txt");
    let wanted = fs::read_to_string(&requirements)
        .with_context(|| format!("reading {}", requirements.display()))?;
    // Remembers what was installed, so that the network is needed only when the pins change.
    let stamp = venv.join("requirements.installed");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        step(
            "pip install -r tests/mcp/requirements.txt",
            Command::new(&python).args(["-m", "pip", "install", "-q", "-r"]).arg(&requirements),
        )?;
        fs::write(&stamp, &wanted).with_context(|| format!("writing {}", stamp.display()))?;
    }
    Ok(python)
}

//! The MCP tests in `tests/mcp/`: pytest, with the official MCP Python SDK (`mcp` on PyPI) as
//! the client of a real `redmine-mcp` over streamable HTTP and stdio.
//!
//! A virtual environment under `target/py-venv` holds the pinned `tests/mcp/requirements.txt`;
//! it is created once and reinstalled only when that file changes. The binary is built, then
//! pytest runs with the binary's path and the harness description of Redmine 6.1, which must
//! be up already (`cargo xtask test` starts it first).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::redmine;
use crate::test::step;

pub fn run(cargo: &str) -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("xtask has a parent")?;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let python = crate::python::with_requirements(root, &target, "tests/mcp/requirements.txt")?;

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

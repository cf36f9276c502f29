//! `cargo xtask openapi`: writes the committed `docs/openapi.json` and `docs/openapi.yaml`,
//! generated with the default settings by `redmine-mcp openapi --defaults`. A test in
//! `chatgpt-gateway` fails when they are stale.
//!
//! Also prepares the standard validator the end-to-end tests check the served document with
//! (`openapi-spec-validator` from PyPI, in the shared venv under `target/py-venv`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::test::step;

/// The validator's pinned version.
const VALIDATOR: &str = "openapi-spec-validator==0.9.0";

pub fn write_documents() -> Result<()> {
    let root = root()?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for format in ["json", "yaml"] {
        let output = root.join("docs").join(format!("openapi.{format}"));
        step(
            &format!("redmine-mcp openapi --defaults --format {format}"),
            Command::new(&cargo)
                .args(["run", "--quiet", "-p", "gateway-bin", "--", "openapi", "--defaults"])
                .args(["--format", format, "--output"])
                .arg(&output),
        )?;
        eprintln!("xtask openapi: wrote {}", output.display());
    }
    Ok(())
}

/// Installs the OpenAPI validator into `target/py-venv` unless the pinned version is there.
pub fn prepare_validator() -> Result<()> {
    let root = root()?;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let venv = target.join("py-venv");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        step(
            "python3 -m venv target/py-venv",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )?;
    }
    let stamp = venv.join("openapi-validator.installed");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(VALIDATOR) {
        step(
            &format!("pip install {VALIDATOR}"),
            Command::new(&python).args(["-m", "pip", "install", "-q", VALIDATOR]),
        )?;
        fs::write(&stamp, VALIDATOR).with_context(|| format!("writing {}", stamp.display()))?;
    }
    Ok(())
}

fn root() -> Result<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .context("xtask lives inside the workspace")
}

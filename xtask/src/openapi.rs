//! `cargo xtask openapi`: writes the committed `docs/openapi.json` and `docs/openapi.yaml`,
//! generated with the default settings by `redmine-mcp openapi --defaults`. A test in
//! `chatgpt-gateway` fails when they are stale.
//!
//! Also prepares the standard validator the end-to-end tests check the served document with
//! (`openapi-spec-validator` from PyPI, in the shared venv under `target/py-venv`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::test::step;

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
    crate::python::with_requirements(&root, &target, "tests/openapi/requirements.txt")?;
    Ok(())
}

fn root() -> Result<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .context("xtask lives inside the workspace")
}

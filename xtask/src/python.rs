//! The Python environment the test command shares between its Python-based
//! checks (the MCP SDK client tests, the OpenAPI validator, schemathesis):
//! one venv under the target directory, each requirements file installed once
//! and again only when its pins change, so the network is needed only then.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::test::step;

/// The venv's interpreter, with the pinned `requirements` file (relative to
/// the workspace root) installed.
pub fn with_requirements(root: &Path, target: &Path, requirements: &str) -> Result<PathBuf> {
    let venv = target.join("py-venv");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        step(
            "python3 -m venv target/py-venv",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )?;
    }

    let path = root.join(requirements);
    let wanted =
        fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let stamp = venv.join(format!("installed-{}", requirements.replace('/', "_")));
    if fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        step(
            &format!("pip install -r {requirements}"),
            Command::new(&python).args(["-m", "pip", "install", "-q", "-r"]).arg(&path),
        )?;
        fs::write(&stamp, &wanted).with_context(|| format!("writing {}", stamp.display()))?;
    }
    Ok(python)
}

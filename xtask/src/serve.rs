//! `cargo xtask serve`: the server against the local test Redmine 6.1, ChatGPT mode on.
//!
//! Starts (installing on first use) the harness's Redmine 6.1, then runs `redmine-mcp serve`
//! on 127.0.0.1:3100 with the developer's API key as the server key, so that requests without
//! a token act as that user, and with the seeded OAuth application's scopes. Stops with Ctrl-C.

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::redmine::{self, Instance, InstanceName};

pub fn run() -> Result<()> {
    redmine::up(InstanceName::V61)?;
    let env = redmine::read_env(&Instance::new(InstanceName::V61))?;
    let url = env["base_url"].as_str().context("the harness description has no base_url")?;
    let developer = env["users"]
        .as_array()
        .and_then(|users| users.iter().find(|u| u["role"] == "developer"))
        .context("the harness seeded no developer")?;
    let key = developer["api_key"].as_str().context("the developer has no api key")?;

    eprintln!(
        "xtask serve: http://127.0.0.1:3100 against Redmine at {url}; requests without a token \
         act as {} (API key); OpenAPI at http://127.0.0.1:3100/api/v1/openapi.json",
        developer["login"].as_str().unwrap_or("the developer")
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["run", "--quiet", "-p", "gateway-bin", "--", "serve", "--bind", "127.0.0.1:3100"])
        .env("REDMINE_URL", url)
        .env("REDMINE_API_KEY", key)
        .env("CHATGPT_MODE", "true")
        .env("OPENAPI_SERVER_URL", "http://127.0.0.1:3100")
        .status()
        .context("running redmine-mcp")?;
    if !status.success() {
        bail!("redmine-mcp serve exited with {status}");
    }
    Ok(())
}

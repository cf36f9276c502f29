//! `redmine-mcp stdio`: the MCP server on stdin and stdout, for desktop clients that start it
//! as a child process. Every call runs with `REDMINE_API_KEY`; logs go to stderr only, since
//! stdout carries the protocol.

use std::sync::Arc;

use anyhow::Result;
use chatgpt_gateway::AppState;
use chatgpt_gateway::mcp::serve_stdio;
use redmine_client::Credentials;
use redmine_tools::Registry;

use crate::settings::Settings;

/// Serves MCP on stdin and stdout until the client closes stdin.
pub async fn stdio(settings: &Settings) -> Result<()> {
    let config = settings.gateway(None)?;
    let registry = Arc::new(Registry::new(&settings.registry()?)?);
    let credentials =
        config.server_api_key.clone().map_or(Credentials::Anonymous, Credentials::ApiKey);
    // The state is built for its Redmine client, configured (timeouts, CA) as for `serve`;
    // nothing listens.
    let state = AppState::new(config, registry)?;
    serve_stdio(state.registry.clone(), &state.client, credentials).await?;
    Ok(())
}

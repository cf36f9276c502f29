//! `redmine-mcp check`: the configuration is valid and Redmine answers.

use std::sync::Arc;

use anyhow::{Result, bail};
use chatgpt_gateway::AppState;
use redmine_client::Credentials;
use redmine_tools::Registry;

use crate::settings::Settings;

/// Validates the settings, then asks Redmine who the server key belongs to (or, without one,
/// for a list every Redmine serves anonymously). Prints what it found.
pub async fn check(settings: &Settings) -> Result<()> {
    let config = settings.gateway(None)?;
    let registry = Arc::new(Registry::new(&settings.registry()?)?);
    let state = AppState::new(config, registry)?;
    println!("configuration: ok");
    println!("  redmine:       {}", state.config.redmine_url);
    println!("  listen:        {}", state.config.server.bind);
    println!("  chatgpt mode:  {}", state.config.chatgpt_mode);
    println!("  require auth:  {}", state.config.require_auth);
    println!("  tools:         {}", state.registry.tools().len());
    println!("  oauth scopes:  {}", state.config.scope_string());

    match &state.config.server_api_key {
        Some(key) => {
            let client = state.client.with_credentials(Credentials::ApiKey(key.clone()));
            match client.current_user(&[]).await {
                Ok(user) => println!(
                    "redmine: ok, REDMINE_API_KEY belongs to {} (id {})",
                    user.login.as_deref().unwrap_or("?"),
                    user.id
                ),
                Err(error) if error.is_unauthorized() => {
                    bail!(
                        "redmine does not accept REDMINE_API_KEY; check the key and that the REST API is enabled in Redmine's settings"
                    )
                }
                Err(error) => bail!("redmine: {error}"),
            }
        }
        None => match state.client.list_issue_statuses().await {
            Ok(statuses) => println!("redmine: ok, {} issue statuses visible", statuses.len()),
            Err(error) => bail!("redmine: {error}"),
        },
    }
    if state.auth.server_key_usable() && !state.config.server.bind.ip().is_loopback() {
        println!(
            "warning: REDMINE_API_KEY serves every request without a token and the server \
             listens beyond loopback; set CHATGPT_REQUIRE_AUTH=true or remove the key"
        );
    }
    Ok(())
}

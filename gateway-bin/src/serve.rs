//! `redmine-mcp serve` and `redmine-mcp openapi`.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use chatgpt_gateway::openapi::{openapi_document, render_json, render_yaml};
use chatgpt_gateway::{AppState, GatewayConfig, Server};
use redmine_tools::{Registry, RegistryConfig};

use crate::settings::Settings;

/// Serves until SIGINT or SIGTERM.
pub async fn serve(settings: &Settings, bind: Option<&str>) -> Result<()> {
    let config = settings.gateway(bind)?;
    let registry = Arc::new(Registry::new(&settings.registry()?)?);
    let state = Arc::new(AppState::new(config, registry)?);
    warn_about_open_server_key(&state);

    let server = Server::bind(state.clone())
        .await
        .with_context(|| format!("cannot listen on {}", state.config.server.bind))?
        .housekeeping(crate::allocator::TRIM_EVERY, crate::allocator::trim);
    tracing::info!(
        address = %server.local_addr(),
        tls = server.is_tls(),
        chatgpt_mode = state.config.chatgpt_mode,
        require_auth = state.config.require_auth,
        tools = state.registry.tools().len(),
        redmine = %state.config.redmine_url,
        "listening"
    );
    server.run(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// The server key serves anyone who can reach the listener when auth is not required: say so
/// when that is more than this machine.
fn warn_about_open_server_key(state: &AppState) {
    let bind = state.config.server.bind.ip();
    if state.auth.server_key_usable() && !bind.is_loopback() {
        tracing::warn!(
            address = %state.config.server.bind,
            "REDMINE_API_KEY is used for every request without a token and the server listens \
             beyond loopback: anyone who reaches it acts as that key's user; set \
             CHATGPT_REQUIRE_AUTH=true or remove REDMINE_API_KEY"
        );
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received"),
        () = terminate => tracing::info!("SIGTERM received"),
    }
}

/// Prints (or writes) the OpenAPI document; `None` settings mean the defaults.
pub fn print_openapi(settings: Option<&Settings>, yaml: bool, output: Option<&Path>) -> Result<()> {
    let (config, registry_config) = match settings {
        Some(settings) => (openapi_config(settings)?, settings.registry()?),
        None => (GatewayConfig::default(), RegistryConfig::default()),
    };
    let registry = Registry::new(&registry_config)?;
    let document = openapi_document(&config, &registry);
    let text = if yaml {
        render_yaml(&document).map_err(anyhow::Error::msg)?
    } else {
        render_json(&document)
    };
    if let Some(path) = output {
        return std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()));
    }
    print!("{text}");
    Ok(())
}

/// The configuration for printing the document; REDMINE_URL is not needed for that.
fn openapi_config(settings: &Settings) -> Result<GatewayConfig> {
    let mut settings = settings.clone();
    settings.redmine_url.get_or_insert_with(|| "http://localhost".to_owned());
    settings.gateway(None)
}

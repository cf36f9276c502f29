//! The HTTP faces of the Redmine tool registry, on one hyper listener.
//!
//! - The ChatGPT Actions REST API under `/api/v1` (served when ChatGPT mode is on): every tool's
//!   REST binding, `POST /api/v1/tools/{tool_name}` for any tool, `GET /api/v1/tools`, and the
//!   OpenAPI 3.1 document a Custom GPT imports (`/api/v1/openapi.json`, `.yaml`), all generated
//!   from the [`Registry`](redmine_tools::Registry).
//! - `/.well-known/ai-plugin.json` with the logo it names, `/health`, and optional Prometheus
//!   `/metrics`.
//! - `/oauth/authorize` and `/oauth/token`, which pass the OAuth authorization-code flow through
//!   to Redmine's own endpoints, because ChatGPT wants them on the API's domain.
//! - The MCP face's paths (`/mcp` and the OAuth metadata under `/.well-known`), handed to the MCP
//!   server's module.
//!
//! Each request acts with its caller's Redmine credentials ([`auth`]): a bearer token forwarded
//! as is after Redmine confirmed it, or the server's key where the configuration allows it.
//! Tokens are never stored, logged or sent anywhere but the configured Redmine.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use chatgpt_gateway::{AppState, GatewayConfig, Server};
//! use redmine_tools::{Registry, RegistryConfig};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mut config = GatewayConfig::default();
//! config.redmine_url = "https://redmine.example.com".parse()?;
//! config.chatgpt_mode = true;
//! let registry = Arc::new(Registry::new(&RegistryConfig::default())?);
//! let state = Arc::new(AppState::new(config, registry)?);
//! let server = Server::bind(state).await?;
//! println!("listening on {}", server.local_addr());
//! server.run(async { tokio::signal::ctrl_c().await.ok(); }).await?;
//! # Ok(()) }
//! ```

pub mod auth;
pub mod body;
pub mod config;
pub mod error;
pub mod mcp;
pub mod openapi;
pub mod rate_limit;
pub mod request_limits;
pub mod router;
pub mod routing;
pub mod server;
pub mod state;

mod deferred_write;
mod health;
mod manifest;
mod metrics;
mod oauth;
mod rest;
mod rest_args;

pub use auth::{AuthError, Authenticator};
pub use config::{ApiInfo, GatewayConfig, RedmineConnection, ServerConfig, TlsFiles};
pub use error::ApiError;
pub use mcp::McpConfig;
pub use metrics::Metrics;
pub use rate_limit::{RateLimit, RateLimiter};
pub use server::Server;
pub use state::{AppState, GatewayError};

//! The stdio transport: `redmine-mcp stdio`, which desktop clients start as a child process.
//!
//! JSON-RPC travels as newline-delimited JSON on stdin and stdout, so nothing else may ever be
//! written to stdout: the binary sends its logs to stderr. There is one user per process, the
//! holder of `REDMINE_API_KEY`, and every call runs with that key.

use std::sync::Arc;

use redmine_client::{Client, Credentials};
use redmine_tools::Registry;
use rmcp::ServiceExt;

use super::handler::RedmineMcp;

/// Why the stdio server stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StdioError {
    /// Redmine refused the configured key.
    #[error(
        "redmine does not accept REDMINE_API_KEY: copy the key from My account > API access key \
         in Redmine (REST must be enabled under Administration > Settings > API)"
    )]
    KeyRejected,
    /// The client went away or spoke something other than MCP before the session started.
    #[error("the mcp session did not start: {0}")]
    Initialize(String),
    /// The server task failed.
    #[error("the mcp server stopped unexpectedly: {0}")]
    Task(String),
}

/// Serves the registry over stdin and stdout until the client closes stdin.
///
/// The key (if any) is checked once with Redmine first: a key Redmine refuses stops the server
/// with a message saying where to find the right one, rather than letting every call fail. When
/// Redmine cannot be reached the server starts anyway and each call reports the failure.
pub async fn serve_stdio(
    registry: Arc<Registry>,
    client: &Client,
    credentials: Credentials,
) -> Result<(), StdioError> {
    check_credentials(client, &credentials).await?;

    let server = RedmineMcp::fixed(registry, client, credentials);
    tracing::info!(tools = server.listed_tools().len(), "serving mcp on stdio");
    let running = server
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|error| StdioError::Initialize(error.to_string()))?;
    let reason = running.waiting().await.map_err(|error| StdioError::Task(error.to_string()))?;
    tracing::info!(?reason, "mcp session on stdio ended");
    Ok(())
}

async fn check_credentials(client: &Client, credentials: &Credentials) -> Result<(), StdioError> {
    if matches!(credentials, Credentials::Anonymous) {
        tracing::warn!(
            "REDMINE_API_KEY is not set: every call runs as Redmine's anonymous user and sees \
             public data only"
        );
        return Ok(());
    }
    match client.with_credentials(credentials.clone()).current_user(&[]).await {
        Ok(_) => Ok(()),
        Err(error) if error.is_unauthorized() => Err(StdioError::KeyRejected),
        Err(error) => {
            tracing::warn!(
                cause = %error,
                "could not check REDMINE_API_KEY with redmine; starting anyway"
            );
            Ok(())
        }
    }
}

//! Structured logs on stderr, text or JSON lines, filtered by `LOG_LEVEL`.

use anyhow::{Context, Result};
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. `level` is a level (`info`, `debug`) or a full filter
/// directive (`info,redmine_client=debug`).
pub fn init(level: &str, json: bool) -> Result<()> {
    // rmcp logs whole JSON-RPC messages (tool arguments, that is request bodies) at debug and
    // trace, and a line per stateless MCP request at info; the gateway logs its own line per
    // request. Keep rmcp to warnings unless LOG_LEVEL names it.
    let directives =
        if level.contains("rmcp") { level.to_owned() } else { format!("{level},rmcp=warn") };
    let filter = EnvFilter::try_new(&directives).with_context(|| {
        format!("LOG_LEVEL {level:?} is not a level (error, warn, info, debug, trace) or filter")
    })?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let installed = if json {
        builder.json().flatten_event(true).with_current_span(true).try_init()
    } else {
        builder.try_init()
    };
    installed.map_err(|e| anyhow::anyhow!("cannot install the logger: {e}"))
}

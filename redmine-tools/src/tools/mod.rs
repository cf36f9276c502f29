//! Every tool, one module per Redmine resource.
//!
//! A module exposes `tools()`, the tools it contributes, each a [`ToolSpec`]
//! plus a typed argument struct plus an async handler. The argument structs'
//! doc comments become the schema's descriptions, so they are written for a
//! language model: what the value is, its form, and an example where useful.

mod relations;

use serde::Serialize;
use serde_json::Value;

use crate::error::ToolError;
use crate::tool::Tool;

/// All tools, in the order they are listed to clients.
pub(crate) fn all() -> Vec<Tool> {
    let mut tools = Vec::new();
    tools.extend(relations::tools());
    tools
}

/// Serializes a handler's answer; the models are plain data, so this only
/// fails on a bug, which is then reported rather than panicking.
pub(crate) fn to_value(value: &impl Serialize) -> Result<Value, ToolError> {
    serde_json::to_value(value)
        .map_err(|e| ToolError::Unsupported(format!("could not encode the answer: {e}")))
}

//! The registry: every tool this server offers, after the operator's safety
//! switches (read-only mode, allow and deny lists) have been applied.

use std::collections::HashMap;
use std::time::Duration;

use globset::{Glob, GlobSet, GlobSetBuilder};
use redmine_client::Client;
use serde_json::Value;

use crate::context::{CallContext, OutputLimits};
use crate::error::ToolError;
use crate::output::ToolOutput;
use crate::resolve::Lookups;
use crate::tool::Tool;
use crate::tools;

/// The operator's choices about which tools run and how answers are shaped.
#[derive(Debug, Clone)]
pub struct RegistryConfig {
    /// Offer read-only tools only.
    pub read_only: bool,
    /// Glob patterns of tool names to offer; empty offers all.
    pub allow: Vec<String>,
    /// Glob patterns of tool names never to offer; wins over `allow`.
    pub deny: Vec<String>,
    pub limits: OutputLimits,
    /// How long a caller's name lookups (projects, trackers, ...) are reused.
    pub lookup_ttl: Duration,
}

impl Default for RegistryConfig {
    fn default() -> Self {
        Self {
            read_only: false,
            allow: Vec::new(),
            deny: Vec::new(),
            limits: OutputLimits::default(),
            lookup_ttl: Duration::from_secs(60),
        }
    }
}

/// A pattern in the allow or deny list that is not a valid glob.
#[derive(Debug, thiserror::Error)]
#[error("invalid tool name pattern {pattern:?}: {reason}")]
pub struct PatternError {
    pub pattern: String,
    pub reason: String,
}

/// The enabled tools, in a stable order.
#[derive(Debug, Clone)]
pub struct Registry {
    tools: Vec<Tool>,
    index: HashMap<&'static str, usize>,
    lookups: Lookups,
    limits: OutputLimits,
}

impl Registry {
    /// Builds every tool once (schemas generated and compiled here) and keeps
    /// those the configuration enables.
    pub fn new(config: &RegistryConfig) -> Result<Self, PatternError> {
        let allow = glob_set(&config.allow)?;
        let deny = glob_set(&config.deny)?;
        let tools: Vec<Tool> = tools::all()
            .into_iter()
            .filter(|tool| !config.read_only || tool.spec().annotations.read_only)
            .filter(|tool| config.allow.is_empty() || allow.is_match(tool.name()))
            .filter(|tool| !deny.is_match(tool.name()))
            .collect();
        let index = tools.iter().enumerate().map(|(i, tool)| (tool.name(), i)).collect();
        Ok(Self {
            tools,
            index,
            lookups: Lookups::new(config.lookup_ttl, 10_000),
            limits: config.limits,
        })
    }

    /// The enabled tools.
    pub fn tools(&self) -> &[Tool] {
        &self.tools
    }

    /// The enabled tool called `name`.
    pub fn get(&self, name: &str) -> Option<&Tool> {
        self.index.get(name).map(|&i| &self.tools[i])
    }

    /// A context for one call made with `client`'s credentials.
    pub fn context(&self, client: Client) -> CallContext {
        CallContext::new(client, self.lookups.clone(), self.limits)
    }

    /// Validates and runs the tool `name` as whoever `client` acts as.
    pub async fn call(
        &self,
        name: &str,
        client: Client,
        arguments: Value,
    ) -> Result<ToolOutput, ToolError> {
        let tool =
            self.get(name).ok_or_else(|| ToolError::UnknownTool { name: name.to_owned() })?;
        tool.call(self.context(client), arguments).await
    }
}

fn glob_set(patterns: &[String]) -> Result<GlobSet, PatternError> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern)
            .map_err(|e| PatternError { pattern: pattern.clone(), reason: e.kind().to_string() })?;
        set.add(glob);
    }
    set.build().map_err(|e| PatternError { pattern: patterns.join(","), reason: e.to_string() })
}

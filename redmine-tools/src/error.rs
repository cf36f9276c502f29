//! Why a tool call failed, in terms both faces can report: a stable code, an
//! HTTP status, a message that says what to do, and structured details.

use redmine_client::Error as RedmineError;
use serde_json::{Value, json};

/// One problem with the arguments, at a JSON pointer into them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgumentProblem {
    /// JSON pointer to the offending value; empty for the arguments as a whole.
    pub path: String,
    pub message: String,
}

impl ArgumentProblem {
    pub fn new(path: String, message: String) -> Self {
        Self { path, message }
    }
}

impl std::fmt::Display for ArgumentProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        write!(f, "{path}: {}", self.message)
    }
}

/// A tool call's failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ToolError {
    /// No tool of that name is enabled on this server.
    #[error("unknown tool {name}: list the available tools and use one of their names")]
    UnknownTool { name: String },

    /// The arguments broke the tool's schema; every problem is listed.
    #[error("invalid arguments: {}", list(.0))]
    InvalidArguments(Vec<ArgumentProblem>),

    /// A name given for a project, tracker, user, ... matched nothing.
    #[error("no {kind} matches {input:?}; known {kind}s: {}", candidates.join(", "))]
    NoMatch { kind: &'static str, input: String, candidates: Vec<String> },

    /// A name given for a project, tracker, user, ... matched more than one.
    #[error("{input:?} matches several {kind}s: {}; pass the id instead", candidates.join(", "))]
    Ambiguous { kind: &'static str, input: String, candidates: Vec<String> },

    /// A well-formed request that cannot be carried out as asked.
    #[error("{0}")]
    Unsupported(String),

    /// The record changed since the caller read it (a wiki edit based on an
    /// old version); the message says how to redo the change.
    #[error("{0}")]
    Conflict(String),

    /// Redmine refused or failed the call.
    #[error(transparent)]
    Redmine(#[from] RedmineError),
}

fn list(problems: &[ArgumentProblem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

impl ToolError {
    /// A stable machine-readable code, the `error` field of JSON error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownTool { .. } => "unknown_tool",
            Self::InvalidArguments(_) => "invalid_arguments",
            Self::NoMatch { .. } => "no_match",
            Self::Ambiguous { .. } => "ambiguous",
            Self::Unsupported(_) => "unsupported",
            Self::Conflict(_) => "conflict",
            Self::Redmine(error) => redmine_code(error),
        }
    }

    /// The HTTP status the REST face answers with.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::UnknownTool { .. } => 404,
            Self::InvalidArguments(_) | Self::NoMatch { .. } | Self::Ambiguous { .. } => 400,
            Self::Unsupported(_) => 422,
            Self::Conflict(_) => 409,
            Self::Redmine(error) => redmine_status(error),
        }
    }

    /// Structured details: the argument problems, the candidates of a name, or
    /// Redmine's own validation messages.
    pub fn details(&self) -> Option<Value> {
        match self {
            Self::InvalidArguments(problems) => Some(json!({
                "problems": problems
                    .iter()
                    .map(|p| json!({"path": p.path, "message": p.message}))
                    .collect::<Vec<_>>(),
            })),
            Self::NoMatch { kind, input, candidates }
            | Self::Ambiguous { kind, input, candidates } => {
                Some(json!({"kind": kind, "input": input, "candidates": candidates}))
            }
            Self::Redmine(error) if !error.validation_errors().is_empty() => {
                Some(json!({"redmine_errors": error.validation_errors()}))
            }
            _ => None,
        }
    }
}

fn redmine_code(error: &RedmineError) -> &'static str {
    if error.is_unauthorized() {
        "unauthorized"
    } else if error.is_forbidden() {
        "forbidden"
    } else if error.is_not_found() {
        "not_found"
    } else if error.is_validation() {
        "validation_failed"
    } else if error.is_timeout() {
        "upstream_timeout"
    } else {
        match error.status().map(|s| s.as_u16()) {
            Some(409) => "conflict",
            Some(_) => "upstream_error",
            None => match error {
                RedmineError::InvalidInput(_) => "invalid_input",
                RedmineError::TooLarge { .. } => "too_large",
                _ => "upstream_unavailable",
            },
        }
    }
}

fn redmine_status(error: &RedmineError) -> u16 {
    match error.status().map(|s| s.as_u16()) {
        Some(status @ (401 | 403 | 404 | 409 | 412 | 422)) => status,
        Some(_) => 502,
        None if error.is_timeout() => 504,
        None => match error {
            RedmineError::InvalidInput(_) => 400,
            // Anything else, an answer too large included, is a failure upstream, not of the
            // caller's request.
            _ => 502,
        },
    }
}

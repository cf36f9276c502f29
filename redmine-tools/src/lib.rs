//! The Redmine tool registry.
//!
//! A tool is one thing an assistant can do in Redmine: list issues, log time,
//! add a note. Both faces of the server, MCP and the ChatGPT REST API with its
//! OpenAPI document, are generated from this one registry, so everything they
//! need is here and nothing about a tool is written twice:
//!
//! - [`ToolSpec`]: name, title, description, [`Annotations`], the OAuth scopes
//!   it needs and its [`RestBinding`];
//! - the JSON Schema of its arguments, generated from a typed struct and
//!   compiled once into a validator that reports every problem with its path;
//! - its handler, which runs with the caller's credentials only
//!   ([`CallContext`]) and whose answer is shaped into compact JSON within a
//!   character budget ([`ToolOutput`]).
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use redmine_client::{Client, Credentials};
//! use redmine_tools::{Registry, RegistryConfig};
//!
//! let registry = Registry::new(&RegistryConfig::default())?;
//! let client = Client::builder("https://redmine.example.com").build()?;
//! let caller = client.with_credentials(Credentials::api_key("a1b2c3"));
//! let output = registry
//!     .call("list_issues", caller, serde_json::json!({"project": "website", "limit": 5}))
//!     .await?;
//! println!("{}", output.text());
//! # Ok(()) }
//! ```

mod compact;
mod context;
mod error;
mod names;
mod output;
mod registry;
mod resolve;
mod schema;
mod tool;
mod tools;

pub use context::{CallContext, CallerKey, OutputLimits};
pub use error::{ArgumentProblem, ToolError};
pub use output::{Answer, ToolOutput, shape};
pub use registry::{PatternError, Registry, RegistryConfig};
pub use resolve::{Candidate, Lookups};
pub use tool::{Annotations, RestBinding, Tool, ToolSpec};

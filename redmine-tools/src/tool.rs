//! What a tool is: its metadata ([`ToolSpec`]), the JSON Schema of its
//! arguments, generated from a typed struct, and its handler.
//!
//! A [`Tool`] is built once per process: its schema is generated and compiled
//! into a validator when the registry is built, never per call.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;
use http::Method;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::context::CallContext;
use crate::error::{ArgumentProblem, ToolError};
use crate::output::{self, Answer, ToolOutput};
use crate::schema;

/// Hints for clients about what a tool does, in MCP's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools, reason = "the four hints of the MCP specification")]
pub struct Annotations {
    /// The tool changes nothing.
    pub read_only: bool,
    /// The tool may overwrite or delete data (only meaningful when not read-only).
    pub destructive: bool,
    /// Calling it twice with the same arguments has no further effect.
    pub idempotent: bool,
    /// It talks to a system outside the server (Redmine): always true here.
    pub open_world: bool,
}

impl Annotations {
    /// Reads data.
    pub const READ: Self =
        Self { read_only: true, destructive: false, idempotent: true, open_world: true };
    /// Creates something new or adds to it (a note, a watcher).
    pub const CREATE: Self =
        Self { read_only: false, destructive: false, idempotent: false, open_world: true };
    /// Overwrites fields of an existing record.
    pub const UPDATE: Self =
        Self { read_only: false, destructive: true, idempotent: true, open_world: true };
    /// Deletes a record.
    pub const DELETE: Self =
        Self { read_only: false, destructive: true, idempotent: true, open_world: true };
}

/// Where a tool lives in the REST API under `/api/v1`.
///
/// Which arguments travel where is derived, never listed twice: names in
/// `{braces}` in the path are path parameters; the others travel in the query
/// for GET and DELETE and in the JSON body for POST, PUT and PATCH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestBinding {
    pub method: Method,
    /// The path template relative to `/api/v1`, for example `/issues/{id}`.
    pub path: &'static str,
    /// Whether the OpenAPI document lists this route as its own operation.
    /// Every tool is also reachable through `POST /api/v1/tools/{name}`.
    pub listed: bool,
}

impl RestBinding {
    /// The names of the path parameters, in order.
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        let path = self.path;
        path.split('/').filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
    }

    /// Whether non-path arguments travel in a JSON body rather than the query.
    pub fn has_body(&self) -> bool {
        matches!(self.method, Method::POST | Method::PUT | Method::PATCH)
    }
}

/// A tool's description, independent of how it runs.
#[derive(Debug, Clone)]
pub struct ToolSpec {
    /// Stable snake_case name, the MCP tool name and the OpenAPI operationId.
    pub name: &'static str,
    /// A short human title.
    pub title: &'static str,
    /// What the tool does, written for a language model; at most 300 characters.
    pub description: &'static str,
    pub annotations: Annotations,
    /// The Redmine permissions (OAuth scope names) the tool needs.
    pub scopes: &'static [&'static str],
    pub binding: RestBinding,
}

type Handler =
    dyn Fn(CallContext, Value) -> BoxFuture<'static, Result<Answer, ToolError>> + Send + Sync;

/// One callable tool: its spec, argument schema, compiled validator and handler.
#[derive(Clone)]
pub struct Tool {
    spec: ToolSpec,
    schema: Arc<Value>,
    validator: Arc<jsonschema::Validator>,
    handler: Arc<Handler>,
}

impl fmt::Debug for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tool").field("name", &self.spec.name).finish_non_exhaustive()
    }
}

impl Tool {
    /// A tool whose arguments are the typed struct `A`, handled by `handler`, which answers
    /// with a `serde_json::Value` or an [`Answer`].
    ///
    /// # Panics
    ///
    /// When `A`'s generated schema does not compile, a programming error that
    /// the registry's tests catch.
    pub fn new<A, F, Fut, R>(spec: ToolSpec, handler: F) -> Self
    where
        A: DeserializeOwned + JsonSchema + Send + 'static,
        F: Fn(CallContext, A) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, ToolError>> + Send + 'static,
        R: Into<Answer>,
    {
        let schema = schema::for_arguments::<A>();
        let validator = jsonschema::draft202012::new(&schema)
            .unwrap_or_else(|e| panic!("the schema of {} does not compile: {e}", spec.name));
        let handler = move |context: CallContext, arguments: Value| -> BoxFuture<'static, _> {
            match deserialize::<A>(arguments) {
                Ok(arguments) => {
                    let answer = handler(context, arguments);
                    Box::pin(async move { answer.await.map(Into::into) })
                }
                Err(error) => Box::pin(std::future::ready(Err(error))),
            }
        };
        Self {
            spec,
            schema: Arc::new(schema),
            validator: Arc::new(validator),
            handler: Arc::new(handler),
        }
    }

    pub fn spec(&self) -> &ToolSpec {
        &self.spec
    }

    pub fn name(&self) -> &'static str {
        self.spec.name
    }

    /// The JSON Schema (draft 2020-12) of the arguments: a plain object schema.
    pub fn input_schema(&self) -> &Value {
        &self.schema
    }

    /// Checks `arguments` against the schema and reports every problem at once.
    pub fn validate(&self, arguments: &Value) -> Result<(), ToolError> {
        let problems: Vec<ArgumentProblem> = self
            .validator
            .iter_errors(arguments)
            .map(|error| ArgumentProblem::new(error.instance_path().to_string(), error.to_string()))
            .collect();
        if problems.is_empty() { Ok(()) } else { Err(ToolError::InvalidArguments(problems)) }
    }

    /// Validates `arguments`, runs the handler with the caller's context and
    /// shapes the result (compact JSON within the character budget).
    pub async fn call(
        &self,
        context: CallContext,
        arguments: Value,
    ) -> Result<ToolOutput, ToolError> {
        let arguments = normalize(arguments)?;
        self.validate(&arguments)?;
        let budget = context.budget();
        let answer = (self.handler)(context, arguments).await?;
        Ok(output::shape(answer, budget))
    }
}

/// Treats a missing argument object as `{}` and drops top-level nulls: many
/// clients send `null` for an optional argument they mean to leave out.
fn normalize(arguments: Value) -> Result<Value, ToolError> {
    match arguments {
        Value::Null => Ok(Value::Object(Map::new())),
        Value::Object(mut map) => {
            map.retain(|_, value| !value.is_null());
            Ok(Value::Object(map))
        }
        other => Err(ToolError::InvalidArguments(vec![ArgumentProblem::new(
            String::new(),
            format!("the arguments must be a JSON object, not {}", output::json_type(&other)),
        )])),
    }
}

fn deserialize<A: DeserializeOwned>(arguments: Value) -> Result<A, ToolError> {
    serde_path_to_error::deserialize(arguments).map_err(|error| {
        let path = error.path().to_string();
        let pointer =
            if path == "." { String::new() } else { format!("/{}", path.replace('.', "/")) };
        ToolError::InvalidArguments(vec![ArgumentProblem::new(
            pointer,
            error.into_inner().to_string(),
        )])
    })
}

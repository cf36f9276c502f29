//! The MCP server over the tool registry: `tools/list` and `tools/call`, with the caller's own
//! credentials for every call.
//!
//! [`RedmineMcp`] implements rmcp's `ServerHandler`; rmcp does the JSON-RPC, the protocol
//! version negotiation (`initialize` for 2025-06-18 and 2025-11-25, `server/discover` and the
//! per-request `_meta` of 2026-07-28) and the transports. This module only maps the registry's
//! tools, outputs and errors to MCP's shapes and decides whose credentials a call runs with.
//! It holds no state between requests: a handler is a few shared pointers, cloned per request.

use std::borrow::Cow;
use std::sync::Arc;

use redmine_client::{Client, Credentials};
use redmine_tools::{Registry, ToolError, ToolOutput};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};
use tracing::Instrument;

/// What the server tells a client about itself at `initialize` and `server/discover`.
const INSTRUCTIONS: &str = "Tools for one Redmine: projects, issues, notes, time entries, wiki \
    pages and more. Every call runs with the signed-in user's own Redmine permissions. Projects, \
    trackers, statuses, users and the like may be given by name or by id. A result with isError \
    says what to change before calling again.";

/// The credentials of one HTTP request, put into the request's extensions by the `/mcp` route
/// after it authenticated the request. rmcp hands the request's `http::request::Parts` to the
/// handler, which reads them from there; nothing is kept once the request is answered.
#[derive(Clone, Debug)]
pub struct CallerCredentials(pub Credentials);

/// Where a call's credentials come from.
#[derive(Clone, Debug)]
enum Caller {
    /// Over HTTP: from each request's [`CallerCredentials`], never from an earlier request.
    PerRequest,
    /// Over stdio: the one user the process was started for (`REDMINE_API_KEY`).
    Fixed(Credentials),
}

/// The MCP server: the registry's tools, run against one Redmine.
#[derive(Clone, Debug)]
pub struct RedmineMcp {
    registry: Arc<Registry>,
    client: Client,
    tools: Arc<[Tool]>,
    caller: Caller,
}

impl RedmineMcp {
    /// A server for HTTP, where each request brings its caller's credentials.
    pub fn per_request(registry: Arc<Registry>, client: &Client) -> Self {
        Self::new(registry, client, Caller::PerRequest)
    }

    /// A server for stdio, where every call runs as the holder of `credentials`.
    pub fn fixed(registry: Arc<Registry>, client: &Client, credentials: Credentials) -> Self {
        Self::new(registry, client, Caller::Fixed(credentials))
    }

    fn new(registry: Arc<Registry>, client: &Client, caller: Caller) -> Self {
        let tools = registry.tools().iter().map(mcp_tool).collect();
        // The base client never carries credentials of its own: a call uses its caller's only.
        let client = client.with_credentials(Credentials::Anonymous);
        Self { registry, client, tools, caller }
    }

    /// The tools as `tools/list` lists them.
    pub fn listed_tools(&self) -> &[Tool] {
        &self.tools
    }

    /// Runs `name` with `arguments` as the holder of `credentials`.
    ///
    /// An unknown tool is a protocol error (JSON-RPC -32602, as the specification asks); every
    /// failure of a known tool, bad arguments and Redmine's refusals included, is a result with
    /// `isError` whose text says what to change.
    pub async fn call(
        &self,
        name: &str,
        arguments: Option<JsonObject>,
        credentials: Credentials,
    ) -> Result<CallToolResult, ErrorData> {
        Ok(match self.run(name, arguments, credentials).await? {
            Ok(output) => success(output),
            Err(error) => failure(&error),
        })
    }

    /// [`RedmineMcp::call`] before the outcome is put in MCP's shape.
    pub(super) async fn run(
        &self,
        name: &str,
        arguments: Option<JsonObject>,
        credentials: Credentials,
    ) -> Result<Result<ToolOutput, ToolError>, ErrorData> {
        if self.registry.get(name).is_none() {
            return Err(unknown_tool(name));
        }

        let arguments = arguments.map_or(Value::Null, Value::Object);
        let client = self.client.with_credentials(credentials);
        let span =
            tracing::debug_span!("mcp_tool_call", tool = name, outcome = tracing::field::Empty);
        let outcome = self.registry.call(name, client, arguments).instrument(span.clone()).await;
        match &outcome {
            Ok(_) => {
                span.record("outcome", "ok");
            }
            Err(error) => {
                span.record("outcome", error.code());
                tracing::debug!(parent: &span, code = error.code(), "tool call failed");
            }
        }
        Ok(outcome)
    }

    /// The credentials of the request `context` belongs to.
    fn credentials(&self, context: &RequestContext<RoleServer>) -> Result<Credentials, ErrorData> {
        match &self.caller {
            Caller::Fixed(credentials) => Ok(credentials.clone()),
            Caller::PerRequest => context
                .extensions
                .get::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<CallerCredentials>())
                .map(|caller| caller.0.clone())
                // The `/mcp` route authenticates every POST before rmcp sees it, so this is a
                // wiring bug; refusing is safer than running as anyone.
                .ok_or_else(|| {
                    ErrorData::internal_error(
                        "the request reached the tool without credentials",
                        None,
                    )
                }),
        }
    }
}

impl ServerHandler for RedmineMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new("redmine-mcp", env!("CARGO_PKG_VERSION"))
                    .with_title("Redmine")
                    .with_description("Redmine's projects, issues, time and wiki as MCP tools"),
            )
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|tool| tool.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let credentials = self.credentials(&context)?;
        self.call(&request.name, request.arguments, credentials).await.map(CallToolResponse::from)
    }
}

/// A registry tool as MCP lists it.
fn mcp_tool(tool: &redmine_tools::Tool) -> Tool {
    let spec = tool.spec();
    let schema = match tool.input_schema() {
        Value::Object(object) => object.clone(),
        // The registry's schemas are object schemas by construction (and tested so).
        _ => JsonObject::from_iter([("type".to_owned(), json!("object"))]),
    };
    let hints = spec.annotations;
    let annotations = ToolAnnotations::with_title(spec.title)
        .read_only(hints.read_only)
        .destructive(hints.destructive)
        .idempotent(hints.idempotent)
        .open_world(hints.open_world);
    Tool::new(Cow::Borrowed(spec.name), Cow::Borrowed(spec.description), Arc::new(schema))
        .with_title(spec.title)
        .with_annotations(annotations)
}

/// A tool's answer: its compact JSON text, and the same value as structured content.
pub(super) fn success(output: ToolOutput) -> CallToolResult {
    let (text, value) = output.into_parts();
    let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
    result.structured_content = Some(value);
    result
}

/// A failed call as an `isError` result: the message (what to fix) as text, and the code,
/// status and details as structured content for clients that read it.
pub(super) fn failure(error: &ToolError) -> CallToolResult {
    let mut result = CallToolResult::error(vec![ContentBlock::text(error.to_string())]);
    let mut structured = json!({
        "error": error.code(),
        "message": error.to_string(),
        "status": error.http_status(),
    });
    if let Some(details) = error.details() {
        structured["details"] = details;
    }
    result.structured_content = Some(structured);
    result
}

/// JSON-RPC -32602 for a tool this server does not offer.
fn unknown_tool(name: &str) -> ErrorData {
    ErrorData::invalid_params(
        format!("unknown tool {name:?}: call tools/list and use one of the names it gives"),
        Some(json!({"tool": name})),
    )
}

#[cfg(test)]
mod tests {
    use redmine_tools::{ArgumentProblem, RegistryConfig};

    use super::*;

    fn server() -> RedmineMcp {
        let registry = Registry::new(&RegistryConfig::default()).unwrap();
        // Port 9 on loopback: nothing answers, so a call that reached Redmine would fail fast.
        let client = Client::builder("http://127.0.0.1:9").build().unwrap();
        RedmineMcp::fixed(Arc::new(registry), &client, Credentials::Anonymous)
    }

    #[test]
    fn every_registry_tool_is_listed_with_its_metadata() {
        let server = server();
        let registry = &server.registry;
        assert_eq!(server.listed_tools().len(), registry.tools().len());
        assert!(!server.listed_tools().is_empty());

        for (listed, tool) in server.listed_tools().iter().zip(registry.tools()) {
            let spec = tool.spec();
            assert_eq!(listed.name, spec.name);
            assert_eq!(listed.title.as_deref(), Some(spec.title));
            assert_eq!(listed.description.as_deref(), Some(spec.description));
            assert_eq!(&Value::Object((*listed.input_schema).clone()), tool.input_schema());

            let hints = listed.annotations.as_ref().unwrap();
            assert_eq!(hints.read_only_hint, Some(spec.annotations.read_only));
            assert_eq!(hints.destructive_hint, Some(spec.annotations.destructive));
            assert_eq!(hints.idempotent_hint, Some(spec.annotations.idempotent));
            assert_eq!(hints.open_world_hint, Some(spec.annotations.open_world));
        }
    }

    #[test]
    fn listed_tools_serialize_with_mcp_field_names() {
        let server = server();
        let tool = server.get_tool("delete_issue_relation").unwrap();
        let wire = serde_json::to_value(&tool).unwrap();
        assert_eq!(wire["name"], "delete_issue_relation");
        assert_eq!(wire["inputSchema"]["type"], "object");
        assert_eq!(wire["annotations"]["readOnlyHint"], false);
        assert_eq!(wire["annotations"]["destructiveHint"], true);
        assert_eq!(wire["annotations"]["idempotentHint"], true);
        assert_eq!(wire["annotations"]["openWorldHint"], true);
        assert!(server.get_tool("no_such_tool").is_none());
    }

    #[test]
    fn outputs_become_text_plus_structured_content() {
        let value = json!({"issue": {"id": 1, "subject": "A"}});
        let result = success(redmine_tools::shape(value.clone().into(), 1_000));
        assert_eq!(result.is_error, Some(false));
        assert_eq!(result.structured_content, Some(value.clone()));
        assert_eq!(result.content[0].as_text().unwrap().text, value.to_string());
    }

    #[test]
    fn tool_errors_become_is_error_results_that_say_what_to_fix() {
        let error = ToolError::InvalidArguments(vec![ArgumentProblem::new(
            "/issue_id".to_owned(),
            "\"x\" is not of type \"integer\"".to_owned(),
        )]);
        let result = failure(&error);
        assert_eq!(result.is_error, Some(true));
        let text = &result.content[0].as_text().unwrap().text;
        assert!(text.contains("/issue_id"), "{text}");
        let structured = result.structured_content.unwrap();
        assert_eq!(structured["error"], "invalid_arguments");
        assert_eq!(structured["status"], 400);
        assert_eq!(structured["details"]["problems"][0]["path"], "/issue_id");
    }

    #[tokio::test]
    async fn bad_arguments_are_reported_without_calling_redmine() {
        let server = server();
        let arguments = json!({"issue_id": "not a number", "extra": 1});
        let Value::Object(arguments) = arguments else { unreachable!() };
        let result = server
            .call("list_issue_relations", Some(arguments), Credentials::Anonymous)
            .await
            .unwrap();
        assert_eq!(result.is_error, Some(true));
        let details = &result.structured_content.unwrap()["details"]["problems"];
        assert!(details.as_array().unwrap().len() >= 2, "{details}");
    }

    #[tokio::test]
    async fn an_unknown_tool_is_invalid_params() {
        let error = server().call("no_such_tool", None, Credentials::Anonymous).await.unwrap_err();
        assert_eq!(error.code, rmcp::model::ErrorCode::INVALID_PARAMS);
        assert!(error.message.contains("tools/list"), "{}", error.message);
    }

    #[tokio::test]
    async fn redmine_failures_are_results_not_protocol_errors() {
        let server = server();
        let Value::Object(arguments) = json!({"issue_id": 1}) else { unreachable!() };
        let result = server
            .call("list_issue_relations", Some(arguments), Credentials::Anonymous)
            .await
            .unwrap();
        assert_eq!(result.is_error, Some(true));
        assert_eq!(result.structured_content.unwrap()["error"], "upstream_unavailable");
    }

    #[test]
    fn the_server_offers_tools_and_names_itself() {
        let info = server().get_info();
        assert!(info.capabilities.tools.is_some());
        assert_eq!(info.server_info.name, "redmine-mcp");
        assert!(info.instructions.unwrap().contains("isError"));
    }
}

//! The ChatGPT REST API's tool endpoints: each tool's own binding, the generic
//! `POST /api/v1/tools/{tool_name}`, and the listings `GET /api/v1/tools[/{tool_name}]`.
//!
//! A call authenticates first (bearer token only: ChatGPT sends no other header), so that a
//! server requiring auth refuses before Redmine is called; then the request's parts become one
//! arguments object ([`crate::rest_args`]) and the registry validates and runs the tool with the
//! caller's credentials. The answer is the tool's compact JSON as is.

use std::sync::Arc;
use std::time::Instant;

use http::{Request, Response, StatusCode};
use redmine_client::Credentials;
use redmine_tools::Tool;
use serde_json::{Value, json};

use crate::auth::AuthError;
use crate::body::{RequestBody, ResponseBody, read_limited};
use crate::error::{ApiError, json_response, json_text_response};
use crate::rest_args::assemble;
use crate::routing::API_PREFIX;
use crate::state::AppState;

/// `GET /api/v1/tools`.
pub fn list_tools(state: &Arc<AppState>) -> Response<ResponseBody> {
    let tools: Vec<Value> = state
        .registry
        .tools()
        .iter()
        .map(|tool| {
            let spec = tool.spec();
            json!({
                "name": spec.name,
                "title": spec.title,
                "description": spec.description,
                "read_only": spec.annotations.read_only,
                "destructive": spec.annotations.destructive,
                "route": route_of(tool),
                "operation": spec.binding.listed,
            })
        })
        .collect();
    let body = json!({
        "count": tools.len(),
        "tools": tools,
        "call": format!("POST {API_PREFIX}/tools/{{tool_name}} with {{\"arguments\": {{...}}}}"),
    });
    json_response(StatusCode::OK, &body)
}

/// `GET /api/v1/tools/{tool_name}`.
pub fn describe_tool(
    state: &Arc<AppState>,
    params: &[(String, String)],
) -> Result<Response<ResponseBody>, ApiError> {
    let tool = find_tool(state, params)?;
    Ok(json_response(StatusCode::OK, &describe(tool)))
}

/// A tool's description with its argument schema.
fn describe(tool: &Tool) -> Value {
    let spec = tool.spec();
    json!({
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "annotations": {
            "read_only": spec.annotations.read_only,
            "destructive": spec.annotations.destructive,
            "idempotent": spec.annotations.idempotent,
        },
        "redmine_permissions": spec.scopes,
        "route": route_of(tool),
        "operation": spec.binding.listed,
        "input_schema": tool.input_schema(),
    })
}

/// `POST /api/v1/tools/{tool_name}` with `{"arguments": {...}}`, or `{"describe": true}` for
/// the tool's description and argument schema (which needs no credentials: the schema is
/// public like the OpenAPI document).
pub async fn call_generic(
    state: &Arc<AppState>,
    params: &[(String, String)],
    request: Request<RequestBody>,
) -> Result<Response<ResponseBody>, ApiError> {
    let tool = find_tool(state, params)?;
    let (parts, body) = request.into_parts();
    let body = read_limited(body, state.config.server.max_body_bytes).await?;

    let arguments = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(mut envelope)) => {
                match envelope.remove("describe") {
                    Some(Value::Bool(true)) => {
                        return Ok(json_response(StatusCode::OK, &describe(tool)));
                    }
                    None | Some(Value::Bool(false)) => {}
                    Some(_) => {
                        return Err(ApiError::bad_request(
                            "invalid_body",
                            "`describe` must be true or false",
                        ));
                    }
                }
                let arguments = envelope.remove("arguments").unwrap_or_else(|| json!({}));
                if let Some(extra) = envelope.keys().next() {
                    return Err(ApiError::bad_request(
                        "invalid_body",
                        format!(
                            "unexpected member {extra:?}: put the tool's arguments under \
                             \"arguments\", as in {{\"arguments\": {{\"{extra}\": ...}}}}"
                        ),
                    ));
                }
                arguments
            }
            Ok(_) => {
                return Err(ApiError::bad_request(
                    "invalid_body",
                    "the request body must be {\"arguments\": {...}}",
                ));
            }
            Err(error) => {
                return Err(ApiError::bad_request(
                    "invalid_json",
                    format!(
                        "the request body is not valid JSON (line {}, column {}); send \
                         {{\"arguments\": {{...}}}}",
                        error.line(),
                        error.column()
                    ),
                ));
            }
        }
    };
    let credentials = authenticate(state, &parts.headers).await?;
    run(state, tool, credentials, arguments).await
}

/// A tool's own REST binding.
pub async fn call_binding(
    state: &Arc<AppState>,
    index: usize,
    params: &[(String, String)],
    request: Request<RequestBody>,
) -> Result<Response<ResponseBody>, ApiError> {
    let Some(tool) = state.registry.tools().get(index) else {
        return Err(ApiError::internal("the route table and the registry disagree"));
    };
    let credentials = authenticate(state, request.headers()).await?;
    let query = request.uri().query().map(str::to_owned);
    let body = if tool.spec().binding.has_body() {
        Some(read_limited(request.into_body(), state.config.server.max_body_bytes).await?)
    } else {
        None
    };

    let arguments = assemble(tool.input_schema(), params, query.as_deref(), body.as_deref())?;
    run(state, tool, credentials, arguments).await
}

/// Validates and runs `tool` as the caller; counts the call when metrics are on.
async fn run(
    state: &Arc<AppState>,
    tool: &Tool,
    credentials: Credentials,
    arguments: Value,
) -> Result<Response<ResponseBody>, ApiError> {
    let started = Instant::now();
    let bearer = matches!(credentials, Credentials::Bearer(_));
    let client = state.client.with_credentials(credentials);
    let result = state.registry.call(tool.name(), client, arguments).await;

    let outcome = match &result {
        Ok(_) => "ok",
        Err(error) => error.code(),
    };
    tracing::debug!(tool = tool.name(), outcome, "tool call finished");
    if let Some(metrics) = &state.metrics {
        metrics.observe_tool_call(tool.name(), outcome, started.elapsed());
    }

    match result {
        Ok(output) => Ok(json_text_response(StatusCode::OK, output.into_text())),
        // Redmine's 401 under a token the gateway checked moments ago: the token expired or
        // was revoked in between; say so in OAuth's own terms.
        Err(error) if bearer && error.http_status() == 401 => {
            Err(AuthError::InvalidToken.into_api_error(None))
        }
        Err(error) => Err(ApiError::from(error)),
    }
}

/// The caller's credentials: `Authorization: Bearer` only on this face.
async fn authenticate(
    state: &Arc<AppState>,
    headers: &http::HeaderMap,
) -> Result<Credentials, ApiError> {
    state.auth.authenticate(headers, false).await.map_err(|e| e.into_api_error(None))
}

fn find_tool<'s>(
    state: &'s Arc<AppState>,
    params: &[(String, String)],
) -> Result<&'s Tool, ApiError> {
    let name = params.iter().find(|(k, _)| k == "tool_name").map_or("", |(_, v)| v.as_str());
    state.registry.get(name).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_tool",
            format!("no tool is called {name:?}; GET {API_PREFIX}/tools lists the tools"),
        )
    })
}

/// `METHOD /api/v1/path` of a tool's binding.
fn route_of(tool: &Tool) -> String {
    let binding = &tool.spec().binding;
    format!("{} {API_PREFIX}{}", binding.method, binding.path)
}

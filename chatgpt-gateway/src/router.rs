//! The router: one entry point per request, which gives it an id and a span, resolves its route,
//! enforces ChatGPT mode and runs the endpoint, then logs and counts the outcome.
//!
//! Endpoints live in their own modules (health, manifest, openapi, oauth, rest, metrics); the
//! MCP face's paths are handed to `crate::mcp`, which the MCP server owns.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use http::header::{CONTENT_LENGTH, HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use tracing::{Instrument, field};

use crate::body::{RequestBody, ResponseBody, empty};
use crate::error::ApiError;
use crate::routing::{Endpoint, McpRoute, Resolution};
use crate::state::AppState;
use crate::{health, manifest, metrics, oauth, openapi, request_limits, rest};

/// The header carrying the request id, read from the client when sane, always answered.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Answers one request. Never panics on input and never fails: every error is a JSON answer.
pub async fn handle(state: Arc<AppState>, request: Request<RequestBody>) -> Response<ResponseBody> {
    let started = Instant::now();
    let request_id = request_id(&request);
    let method = request.method().clone();
    let span = tracing::info_span!(
        "http.request",
        method = %method,
        route = field::Empty,
        status = field::Empty,
        latency_ms = field::Empty,
        request_id = %request_id,
    );

    async move {
        let timeout = state.config.server.request_timeout;
        let (route, mut response) =
            match tokio::time::timeout(timeout, dispatch(&state, request)).await {
                Ok(answer) => answer,
                Err(_) => (
                    "timeout".to_owned(),
                    ApiError::new(
                        StatusCode::GATEWAY_TIMEOUT,
                        "request_timeout",
                        format!(
                            "the request took longer than {} s; ask for less data per call",
                            timeout.as_secs()
                        ),
                    )
                    .into_response(),
                ),
            };

        if method == Method::HEAD {
            response = without_body(response);
        }
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            response.headers_mut().insert(REQUEST_ID, value);
        }

        let status = response.status().as_u16();
        let latency = started.elapsed();
        let span = tracing::Span::current();
        span.record("route", route.as_str());
        span.record("status", status);
        span.record("latency_ms", u64::try_from(latency.as_millis()).unwrap_or(u64::MAX));
        tracing::info!("request finished");
        if let Some(metrics) = &state.metrics {
            metrics.observe_request(method.as_str(), &route, status, latency);
        }
        response
    }
    .instrument(span)
    .await
}

/// Resolves the route and runs its endpoint; returns the route's template for logs and metrics.
async fn dispatch(
    state: &Arc<AppState>,
    request: Request<RequestBody>,
) -> (String, Response<ResponseBody>) {
    let path = request.uri().path().to_owned();
    if let Err(error) = request_limits::check_head(&request, state.config.server.max_body_bytes) {
        return ("rejected".to_owned(), error.into_response());
    }
    if let Some(Err(error)) =
        state.rate_limiter.as_ref().map(|l| l.check(request.method(), &path, request.headers()))
    {
        return ("rate_limited".to_owned(), error.into_response());
    }

    // The MCP face: `crate::mcp` answers these paths, whatever CHATGPT_MODE says.
    if let Some(route) = McpRoute::of(&path) {
        return (route.label().to_owned(), mcp_face(state, route, request).await);
    }

    let resolution = state.routes.resolve(request.method(), &path);
    let (endpoint, template, params) = match resolution {
        Resolution::Found { endpoint, template, params } => (endpoint, template, params),
        Resolution::MethodNotAllowed { allowed, template } => {
            if is_api_path(&path) && !state.config.chatgpt_mode {
                return ("/api/v1/*".to_owned(), mode_off().into_response());
            }
            let error = ApiError::method_not_allowed(request.method(), &allowed);
            return (template.to_owned(), error.into_response());
        }
        Resolution::BadPath => {
            let error = ApiError::bad_request(
                "invalid_path",
                "a path segment is not valid percent-encoded UTF-8",
            );
            return ("invalid".to_owned(), error.into_response());
        }
        Resolution::NotFound => {
            if is_api_path(&path) && !state.config.chatgpt_mode {
                return ("/api/v1/*".to_owned(), mode_off().into_response());
            }
            return ("unmatched".to_owned(), ApiError::no_route(&path).into_response());
        }
    };
    let route = template.to_owned();

    if endpoint.is_api() && !state.config.chatgpt_mode {
        return ("/api/v1/*".to_owned(), mode_off().into_response());
    }

    let answer = match endpoint {
        Endpoint::Health => Ok(health::health(state).await),
        Endpoint::Manifest => Ok(manifest::manifest(state)),
        Endpoint::Logo => Ok(manifest::logo()),
        Endpoint::Metrics => metrics::render(state),
        Endpoint::OAuthAuthorize => oauth::authorize(state, request.uri()),
        Endpoint::OAuthToken => oauth::token(state, request).await,
        Endpoint::OpenApiJson => Ok(openapi::serve_json(state)),
        Endpoint::OpenApiYaml => Ok(openapi::serve_yaml(state)),
        Endpoint::ListTools => Ok(rest::list_tools(state)),
        Endpoint::DescribeTool => rest::describe_tool(state, &params),
        Endpoint::CallTool => rest::call_generic(state, &params, request).await,
        Endpoint::Tool(index) => rest::call_binding(state, index, &params, request).await,
    };
    (route, answer.unwrap_or_else(ApiError::into_response))
}

/// Hands a request for the MCP face to `crate::mcp`.
async fn mcp_face(
    state: &Arc<AppState>,
    route: McpRoute,
    request: Request<RequestBody>,
) -> Response<ResponseBody> {
    crate::mcp::handle(state, route, request).await
}

/// The 404 of the REST API when ChatGPT mode is off.
fn mode_off() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "chatgpt_mode_disabled",
        "the ChatGPT Actions API is not enabled on this server; set CHATGPT_MODE=true and \
         restart it to serve /api/v1",
    )
}

fn is_api_path(path: &str) -> bool {
    path == crate::routing::API_PREFIX
        || path.strip_prefix(crate::routing::API_PREFIX).is_some_and(|rest| rest.starts_with('/'))
}

/// The id of a request: the client's `X-Request-Id` when it is short and plain, else a new one.
fn request_id(request: &Request<RequestBody>) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // Ids differ between processes: the counter starts from the process's start and id.
    static PREFIX: OnceLock<u32> = OnceLock::new();

    let given = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok());
    if let Some(id) = given
        && !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return id.to_owned();
    }

    let prefix = *PREFIX.get_or_init(|| {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        nanos ^ std::process::id()
    });
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix:08x}{count:08x}")
}

/// The same answer without its body, for HEAD; the length says what GET would send.
fn without_body(response: Response<ResponseBody>) -> Response<ResponseBody> {
    let (mut parts, body) = response.into_parts();
    if let Some(length) = hyper::body::Body::size_hint(&body).exact()
        && !parts.headers.contains_key(CONTENT_LENGTH)
    {
        parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
    Response::from_parts(parts, empty())
}

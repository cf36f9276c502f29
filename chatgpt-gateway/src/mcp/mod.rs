//! The MCP face: the tool registry served over the Model Context Protocol.
//!
//! - `/mcp`: streamable HTTP on the gateway's listener, served whatever `CHATGPT_MODE` says.
//!   Stateless: no session lives on the server (rmcp's `NeverSessionManager`, answers as plain
//!   JSON), so any replica behind a load balancer can answer any request. Clients speaking
//!   2025-06-18 or 2025-11-25 send `initialize` and then each request on its own; clients
//!   speaking 2026-07-28 send `server/discover` and the version and capabilities in each
//!   request's `_meta`. rmcp negotiates all of these; a plain `tools/call` of the revisions
//!   before 2026-07-28, which needs no negotiation, is answered by the `direct` module without going
//!   through rmcp's per-request service, with the same answer.
//! - `/.well-known/oauth-protected-resource[/mcp]` and `/.well-known/oauth-authorization-server`:
//!   the OAuth discovery documents ([`metadata`]), describing Redmine's OAuth endpoints.
//! - `redmine-mcp stdio` ([`serve_stdio`]): the same server on stdin and stdout.
//!
//! Every POST to `/mcp` is checked for `Host` and `Origin` ([`McpConfig`]) and then
//! authenticated by the gateway's [`Authenticator`](crate::auth::Authenticator), which accepts
//! `Authorization: Bearer` and `X-Redmine-API-Key`. A request without credentials gets a 401
//! naming the resource metadata when the deployment requires auth. The credentials travel with
//! that one request into the tool call and are gone when it is answered.
//!
//! This module does not route (the router hands it these paths), does not validate tokens
//! itself, and does not know any tool: the registry does.

mod direct;
mod guard;
mod handler;
pub mod metadata;
mod stdio;

use std::fmt;
use std::sync::Arc;

use http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use redmine_client::{Client, Credentials};
use redmine_tools::Registry;
use rmcp::transport::StreamableHttpServerConfig;
use rmcp::transport::streamable_http_server::StreamableHttpService;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;

pub use guard::{
    DEFAULT_ALLOWED_HOSTS, DEFAULT_ALLOWED_ORIGINS, GuardError, InvalidEntry, McpConfig, McpGuard,
};
pub use handler::{CallerCredentials, RedmineMcp};
pub use stdio::{StdioError, serve_stdio};

use crate::body::{RequestBody, ResponseBody};
use crate::error::{ApiError, json_response};
use crate::routing::McpRoute;
use crate::state::AppState;

/// The streamable HTTP endpoint, built once at startup.
#[derive(Clone)]
pub struct McpEndpoint {
    service: StreamableHttpService<RedmineMcp, NeverSessionManager>,
    /// The same server rmcp runs, for the calls [`direct`] answers itself.
    server: RedmineMcp,
    max_body_bytes: usize,
}

impl fmt::Debug for McpEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("McpEndpoint").finish_non_exhaustive()
    }
}

impl McpEndpoint {
    /// The endpoint serving `registry` against `client`'s Redmine, reading bodies up to
    /// `max_body_bytes`.
    pub fn new(registry: Arc<Registry>, client: &Client, max_body_bytes: usize) -> Self {
        let server = RedmineMcp::per_request(registry, client);
        let config = StreamableHttpServerConfig::default()
            .with_legacy_session_mode(false)
            .with_json_response(true)
            .with_max_request_body_bytes(max_body_bytes)
            // Host and Origin are checked by `guard` before authentication; see there.
            .disable_allowed_hosts()
            .disable_allowed_origins();
        let service = StreamableHttpService::new(
            {
                let server = server.clone();
                move || Ok(server.clone())
            },
            Arc::new(NeverSessionManager::default()),
            config,
        );
        Self { service, server, max_body_bytes }
    }

    /// Answers a POST to `/mcp` from the holder of `credentials`: a plain `tools/call`
    /// directly, anything else through rmcp.
    async fn post(
        &self,
        request: Request<RequestBody>,
        credentials: Credentials,
    ) -> Response<ResponseBody> {
        match direct::serve(&self.server, request, credentials, self.max_body_bytes).await {
            direct::Outcome::Answered(response) => response,
            direct::Outcome::Declined(mut request, credentials) => {
                request.extensions_mut().insert(CallerCredentials(credentials));
                self.serve(request).await
            }
        }
    }

    /// Answers one request to `/mcp` through rmcp.
    async fn serve(&self, request: Request<RequestBody>) -> Response<ResponseBody> {
        let response = self.service.handle(request).await;
        response.map(|body| body.map_err(|never| match never {}).boxed())
    }
}

/// Answers a request for one of the MCP face's paths.
pub async fn handle(
    state: &AppState,
    route: McpRoute,
    request: Request<RequestBody>,
) -> Response<ResponseBody> {
    match route {
        McpRoute::Endpoint => endpoint(state, request).await,
        McpRoute::ProtectedResourceMetadata => {
            let suffix = request
                .uri()
                .path()
                .strip_prefix(metadata::PROTECTED_RESOURCE_PATH)
                .unwrap_or_default();
            let resource = match suffix.trim_end_matches('/') {
                "" => None,
                "/mcp" => Some("/mcp"),
                _ => return not_found(request.uri().path()),
            };
            document(&request, || metadata::protected_resource_metadata(&state.config, resource))
        }
        McpRoute::AuthorizationServerMetadata => {
            if request.uri().path().trim_end_matches('/') != metadata::AUTHORIZATION_SERVER_PATH {
                return not_found(request.uri().path());
            }
            document(&request, || metadata::authorization_server_metadata(&state.config))
        }
    }
}

/// `/mcp`: Host and Origin first, then the caller, then the call (see [`McpEndpoint::post`]).
async fn endpoint(state: &AppState, request: Request<RequestBody>) -> Response<ResponseBody> {
    if let Err(error) = state.mcp_guard.check(request.headers()) {
        tracing::warn!(%error, "mcp request refused");
        let code = match error {
            GuardError::Host(_) => "host_not_allowed",
            GuardError::Origin(_) => "origin_not_allowed",
        };
        return ApiError::new(StatusCode::FORBIDDEN, code, error.to_string()).into_response();
    }

    // Only POST carries JSON-RPC; rmcp answers the other methods with 405 (no server-initiated
    // stream and no session to delete on a stateless server).
    if request.method() != Method::POST {
        return state.mcp.serve(request).await;
    }
    match state.auth.authenticate(request.headers(), true).await {
        Ok(credentials) => {
            tracing::debug!(credentials = credentials.kind(), "mcp caller authenticated");
            state.mcp.post(request, credentials).await
        }
        Err(error) => {
            let url = metadata::mcp_resource_metadata_url(&state.config);
            error.into_response(Some(&url))
        }
    }
}

/// A public JSON document for GET and HEAD; any origin may read it.
fn document(
    request: &Request<RequestBody>,
    render: impl FnOnce() -> serde_json::Value,
) -> Response<ResponseBody> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return ApiError::method_not_allowed(request.method(), &[Method::GET, Method::HEAD])
            .into_response();
    }
    let mut response = json_response(StatusCode::OK, &render());
    let headers = response.headers_mut();
    // Browser-based MCP clients read these cross-origin; they hold nothing secret.
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    response
}

fn not_found(path: &str) -> Response<ResponseBody> {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no metadata at {path}; read {} or {}",
            metadata::MCP_PROTECTED_RESOURCE_PATH,
            metadata::AUTHORIZATION_SERVER_PATH
        ),
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::header::{ACCEPT, CONTENT_TYPE, HOST, ORIGIN, WWW_AUTHENTICATE};
    use http_body_util::Full;
    use redmine_tools::RegistryConfig;
    use serde_json::{Value, json};

    use super::*;
    use crate::config::GatewayConfig;

    /// A state whose Redmine does not answer (port 9 on loopback): every test here must be
    /// decided before a Redmine call.
    fn state(require_auth: bool) -> AppState {
        let config = GatewayConfig {
            redmine_url: "http://127.0.0.1:9".parse().unwrap(),
            require_auth,
            ..GatewayConfig::default()
        };
        let registry = Arc::new(Registry::new(&RegistryConfig::default()).unwrap());
        AppState::new(config, registry).unwrap()
    }

    fn request(method: Method, path: &str, body: Option<Value>) -> Request<RequestBody> {
        let bytes = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
        Request::builder()
            .method(method)
            .uri(path)
            .header(HOST, "127.0.0.1:3100")
            .header(ACCEPT, "application/json, text/event-stream")
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(bytes).map_err(|never| match never {}).boxed())
            .unwrap()
    }

    async fn json_of(response: Response<ResponseBody>) -> Value {
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    }

    fn initialize() -> Value {
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "unit", "version": "1"}}})
    }

    #[tokio::test]
    async fn without_credentials_a_secured_endpoint_names_the_resource_metadata() {
        let state = state(true);
        let response =
            handle(&state, McpRoute::Endpoint, request(Method::POST, "/mcp", Some(initialize())))
                .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let metadata = "http://localhost:3100/.well-known/oauth-protected-resource/mcp";
        assert_eq!(
            response.headers()[WWW_AUTHENTICATE],
            format!("Bearer resource_metadata=\"{metadata}\"").as_str()
        );
        assert_eq!(json_of(response).await["error"], "unauthorized");
    }

    #[tokio::test]
    async fn a_foreign_host_or_origin_is_refused_before_authentication() {
        let state = state(true);
        let mut foreign = request(Method::POST, "/mcp", Some(initialize()));
        foreign.headers_mut().insert(HOST, HeaderValue::from_static("evil.example"));
        let response = handle(&state, McpRoute::Endpoint, foreign).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(json_of(response).await["error"], "host_not_allowed");

        let mut cross_site = request(Method::POST, "/mcp", Some(initialize()));
        cross_site.headers_mut().insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        let response = handle(&state, McpRoute::Endpoint, cross_site).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(json_of(response).await["error"], "origin_not_allowed");
    }

    #[tokio::test]
    async fn an_anonymous_caller_gets_a_stateless_handshake_and_the_tool_list() {
        let state = state(false);
        let response =
            handle(&state, McpRoute::Endpoint, request(Method::POST, "/mcp", Some(initialize())))
                .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(!response.headers().contains_key("mcp-session-id"), "no session is kept");
        let answer = json_of(response).await;
        assert_eq!(answer["result"]["protocolVersion"], "2025-06-18");
        assert_eq!(answer["result"]["serverInfo"]["name"], "redmine-mcp");

        let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
        let mut listing = request(Method::POST, "/mcp", Some(list));
        listing
            .headers_mut()
            .insert("mcp-protocol-version", HeaderValue::from_static("2025-06-18"));
        let answer = json_of(handle(&state, McpRoute::Endpoint, listing).await).await;
        let tools = answer["result"]["tools"].as_array().unwrap();
        assert_eq!(tools.len(), state.registry.tools().len());

        let get = request(Method::GET, "/mcp", None);
        let response = handle(&state, McpRoute::Endpoint, get).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    }

    #[tokio::test]
    async fn a_plain_tools_call_is_answered_as_rmcp_answers_it() {
        let state = state(false);
        let calls = [
            // Redmine unreachable: an isError result.
            json!({"name": "list_trackers", "arguments": {}}),
            // Bad arguments: an isError result listing the problems.
            json!({"name": "get_issue", "arguments": {"id": "x", "extra": 1}}),
            json!({"name": "get_issue"}),
            // Not a tool: JSON-RPC -32602.
            json!({"name": "no_such_tool", "arguments": null}),
        ];
        for (id, params) in calls.into_iter().enumerate() {
            for version in [None, Some("2025-06-18"), Some("2025-11-25")] {
                let body =
                    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params});
                let request = || {
                    let mut request = request(Method::POST, "/mcp", Some(body.clone()));
                    if let Some(version) = version {
                        let version = HeaderValue::from_static(version);
                        request.headers_mut().insert("mcp-protocol-version", version);
                    }
                    request
                };
                let direct = state.mcp.post(request(), Credentials::Anonymous).await;
                let mut through_rmcp = request();
                through_rmcp.extensions_mut().insert(CallerCredentials(Credentials::Anonymous));
                let through_rmcp = state.mcp.serve(through_rmcp).await;

                assert_eq!(direct.status(), through_rmcp.status(), "{body}");
                assert_eq!(direct.headers()[CONTENT_TYPE], through_rmcp.headers()[CONTENT_TYPE]);
                let (direct, through_rmcp) = (json_of(direct).await, json_of(through_rmcp).await);
                assert_eq!(direct, through_rmcp, "{body}");
                assert_eq!(direct["id"], id);
            }
        }
    }

    #[tokio::test]
    async fn the_metadata_documents_are_public_json() {
        let state = state(true);
        let path = metadata::MCP_PROTECTED_RESOURCE_PATH;
        let response =
            handle(&state, McpRoute::ProtectedResourceMetadata, request(Method::GET, path, None))
                .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert_eq!(json_of(response).await["resource"], "http://localhost:3100/mcp");

        let path = metadata::AUTHORIZATION_SERVER_PATH;
        let response =
            handle(&state, McpRoute::AuthorizationServerMetadata, request(Method::GET, path, None))
                .await;
        assert_eq!(json_of(response).await["token_endpoint"], "http://127.0.0.1:9/oauth/token");

        let response = handle(
            &state,
            McpRoute::AuthorizationServerMetadata,
            request(Method::POST, path, None),
        )
        .await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);

        let other = "/.well-known/oauth-protected-resource/elsewhere";
        let response =
            handle(&state, McpRoute::ProtectedResourceMetadata, request(Method::GET, other, None))
                .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}

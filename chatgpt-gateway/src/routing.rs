//! The route table: which endpoint answers a method and path.
//!
//! Written by hand and derived from the registry: every tool's REST binding becomes a route
//! under `/api/v1`, beside the fixed routes (health, manifest, schema, OAuth, the generic tool
//! endpoints). Matching is by path segments; a literal segment beats a `{parameter}`, a path
//! that exists under other methods gives 405 with those methods, and HEAD is answered wherever
//! GET is. This module only matches; the router runs what matched.

use http::Method;
use percent_encoding::percent_decode_str;
use redmine_tools::Registry;

/// The prefix of the ChatGPT Actions REST API.
pub const API_PREFIX: &str = "/api/v1";

/// What answers a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `GET /health`.
    Health,
    /// `GET /.well-known/ai-plugin.json`.
    Manifest,
    /// `GET /logo.png`.
    Logo,
    /// `GET /metrics`.
    Metrics,
    /// `GET /oauth/authorize`.
    OAuthAuthorize,
    /// `POST /oauth/token`.
    OAuthToken,
    /// `GET /api/v1/openapi.json`.
    OpenApiJson,
    /// `GET /api/v1/openapi.yaml`.
    OpenApiYaml,
    /// `GET /api/v1/tools`.
    ListTools,
    /// `GET /api/v1/tools/{tool_name}`.
    DescribeTool,
    /// `POST /api/v1/tools/{tool_name}`.
    CallTool,
    /// A tool's own REST binding; the index into the registry's tools.
    Tool(usize),
}

impl Endpoint {
    /// Whether the endpoint belongs to the ChatGPT REST API (served only in ChatGPT mode).
    pub fn is_api(self) -> bool {
        matches!(
            self,
            Self::OpenApiJson
                | Self::OpenApiYaml
                | Self::ListTools
                | Self::DescribeTool
                | Self::CallTool
                | Self::Tool(_)
        )
    }
}

/// The paths the MCP face answers; `crate::mcp` owns them, whatever `CHATGPT_MODE` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum McpRoute {
    /// `/mcp`: the streamable HTTP endpoint.
    Endpoint,
    /// `/.well-known/oauth-protected-resource[/...]`: RFC 9728 metadata.
    ProtectedResourceMetadata,
    /// `/.well-known/oauth-authorization-server[/...]`: RFC 8414 metadata.
    AuthorizationServerMetadata,
}

impl McpRoute {
    /// The MCP route `path` belongs to, if any.
    pub fn of(path: &str) -> Option<Self> {
        let under = |prefix: &str| {
            path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if path == "/mcp" || path == "/mcp/" {
            Some(Self::Endpoint)
        } else if under("/.well-known/oauth-protected-resource") {
            Some(Self::ProtectedResourceMetadata)
        } else if under("/.well-known/oauth-authorization-server") {
            Some(Self::AuthorizationServerMetadata)
        } else {
            None
        }
    }

    /// The route's template, for logs and metrics.
    pub fn label(self) -> &'static str {
        match self {
            Self::Endpoint => "/mcp",
            Self::ProtectedResourceMetadata => "/.well-known/oauth-protected-resource",
            Self::AuthorizationServerMetadata => "/.well-known/oauth-authorization-server",
        }
    }
}

/// One segment of a route's path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

/// One route: method, path template, endpoint.
#[derive(Debug, Clone)]
struct Route {
    method: Method,
    template: String,
    segments: Vec<Segment>,
    endpoint: Endpoint,
}

/// What a method and path resolved to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolution<'t> {
    /// A route: its endpoint, template and path parameters (percent-decoded).
    Found { endpoint: Endpoint, template: &'t str, params: Vec<(String, String)> },
    /// The path exists under these methods only.
    MethodNotAllowed { allowed: Vec<Method>, template: &'t str },
    /// A path segment is not valid percent-encoded UTF-8.
    BadPath,
    /// Nothing answers the path.
    NotFound,
}

/// Every route of the gateway.
#[derive(Debug, Clone)]
pub struct RouteTable {
    routes: Vec<Route>,
}

impl RouteTable {
    /// The fixed routes and one route per tool of `registry`.
    pub fn new(registry: &Registry) -> Self {
        let mut table = Self { routes: Vec::new() };
        table.add(Method::GET, "/health", Endpoint::Health);
        table.add(Method::GET, "/.well-known/ai-plugin.json", Endpoint::Manifest);
        table.add(Method::GET, "/logo.png", Endpoint::Logo);
        table.add(Method::GET, "/metrics", Endpoint::Metrics);
        table.add(Method::GET, "/oauth/authorize", Endpoint::OAuthAuthorize);
        table.add(Method::POST, "/oauth/token", Endpoint::OAuthToken);
        table.add(Method::GET, "/api/v1/openapi.json", Endpoint::OpenApiJson);
        table.add(Method::GET, "/api/v1/openapi.yaml", Endpoint::OpenApiYaml);
        table.add(Method::GET, "/api/v1/tools", Endpoint::ListTools);
        table.add(Method::GET, "/api/v1/tools/{tool_name}", Endpoint::DescribeTool);
        table.add(Method::POST, "/api/v1/tools/{tool_name}", Endpoint::CallTool);

        for (index, tool) in registry.tools().iter().enumerate() {
            let binding = &tool.spec().binding;
            let template = format!("{API_PREFIX}{}", binding.path);
            if table.routes.iter().any(|r| r.method == binding.method && r.template == template) {
                // Two tools on one route is a registry bug; the registry's tests catch it. The
                // first keeps the route, the second stays reachable through /api/v1/tools.
                tracing::error!(tool = tool.name(), route = %template, "duplicate rest binding");
                continue;
            }
            table.add(binding.method.clone(), &template, Endpoint::Tool(index));
        }
        table
    }

    fn add(&mut self, method: Method, template: &str, endpoint: Endpoint) {
        let segments = split(template)
            .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_owned()),
                None => Segment::Literal(segment.to_owned()),
            })
            .collect();
        self.routes.push(Route { method, template: template.to_owned(), segments, endpoint });
    }

    /// Resolves `method` and `path`; HEAD resolves like GET.
    pub fn resolve(&self, method: &Method, path: &str) -> Resolution<'_> {
        let parts: Vec<&str> = split(path).collect();
        let wanted = if method == Method::HEAD { &Method::GET } else { method };

        let mut matching: Vec<&Route> =
            self.routes.iter().filter(|route| matches(&route.segments, &parts)).collect();
        if matching.is_empty() {
            return Resolution::NotFound;
        }
        // Most specific first: a literal segment beats a parameter at the first difference.
        matching.sort_by_key(|route| specificity(&route.segments));
        matching.reverse();

        let Some(route) = matching.iter().find(|route| route.method == wanted) else {
            let mut allowed: Vec<Method> = Vec::new();
            for route in &matching {
                if !allowed.contains(&route.method) {
                    allowed.push(route.method.clone());
                }
            }
            if allowed.contains(&Method::GET) {
                allowed.push(Method::HEAD);
            }
            return Resolution::MethodNotAllowed { allowed, template: &matching[0].template };
        };

        let mut params = Vec::new();
        for (segment, part) in route.segments.iter().zip(&parts) {
            if let Segment::Param(name) = segment {
                let Ok(value) = percent_decode_str(part).decode_utf8() else {
                    return Resolution::BadPath;
                };
                params.push((name.clone(), value.into_owned()));
            }
        }
        Resolution::Found { endpoint: route.endpoint, template: &route.template, params }
    }

    /// The template of every route of a tool, for listings.
    pub fn templates(&self) -> impl Iterator<Item = (&Method, &str, Endpoint)> {
        self.routes.iter().map(|route| (&route.method, route.template.as_str(), route.endpoint))
    }
}

/// The non-empty segments of a path; a trailing slash does not count.
fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|segment| !segment.is_empty())
}

fn matches(segments: &[Segment], parts: &[&str]) -> bool {
    segments.len() == parts.len()
        && segments.iter().zip(parts).all(|(segment, part)| match segment {
            Segment::Literal(literal) => literal == part,
            Segment::Param(_) => true,
        })
}

fn specificity(segments: &[Segment]) -> Vec<bool> {
    segments.iter().map(|segment| matches!(segment, Segment::Literal(_))).collect()
}

#[cfg(test)]
mod tests {
    use redmine_tools::RegistryConfig;

    use super::*;

    fn table() -> RouteTable {
        RouteTable::new(&Registry::new(&RegistryConfig::default()).unwrap())
    }

    #[test]
    fn fixed_routes_resolve_and_head_is_get() {
        let table = table();
        let found = table.resolve(&Method::HEAD, "/health");
        assert!(matches!(found, Resolution::Found { endpoint: Endpoint::Health, .. }));
        let found = table.resolve(&Method::GET, "/api/v1/openapi.yaml/");
        assert!(matches!(found, Resolution::Found { endpoint: Endpoint::OpenApiYaml, .. }));
        assert_eq!(table.resolve(&Method::GET, "/nope"), Resolution::NotFound);
    }

    #[test]
    fn wrong_methods_list_the_allowed_ones() {
        let table = table();
        match table.resolve(&Method::DELETE, "/api/v1/tools/list_issues") {
            Resolution::MethodNotAllowed { allowed, template } => {
                assert_eq!(template, "/api/v1/tools/{tool_name}");
                assert!(allowed.contains(&Method::GET) && allowed.contains(&Method::POST));
                assert!(allowed.contains(&Method::HEAD));
            }
            other => panic!("{other:?}"),
        }
        match table.resolve(&Method::GET, "/oauth/token") {
            Resolution::MethodNotAllowed { allowed, .. } => assert_eq!(allowed, [Method::POST]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parameters_are_percent_decoded() {
        let table = table();
        match table.resolve(&Method::POST, "/api/v1/tools/a%20b") {
            Resolution::Found { endpoint, params, .. } => {
                assert_eq!(endpoint, Endpoint::CallTool);
                assert_eq!(params, [("tool_name".to_owned(), "a b".to_owned())]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(table.resolve(&Method::GET, "/api/v1/tools/%ff"), Resolution::BadPath);
    }

    #[test]
    fn every_tool_binding_is_routed() {
        let registry = Registry::new(&RegistryConfig::default()).unwrap();
        let table = RouteTable::new(&registry);
        for (index, tool) in registry.tools().iter().enumerate() {
            let binding = &tool.spec().binding;
            let path: String = binding
                .path
                .split('/')
                .map(|s| if s.starts_with('{') { "7" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let resolved = table.resolve(&binding.method, &format!("{API_PREFIX}{path}"));
            match resolved {
                Resolution::Found { endpoint, .. } => {
                    assert_eq!(endpoint, Endpoint::Tool(index), "{}", tool.name());
                }
                other => panic!("{}: {other:?}", tool.name()),
            }
        }
    }

    #[test]
    fn literal_segments_beat_parameters() {
        let mut table = RouteTable { routes: Vec::new() };
        table.add(Method::GET, "/api/v1/users/{id}", Endpoint::Tool(0));
        table.add(Method::GET, "/api/v1/users/current", Endpoint::Tool(1));
        let found = table.resolve(&Method::GET, "/api/v1/users/current");
        assert!(matches!(found, Resolution::Found { endpoint: Endpoint::Tool(1), .. }));
        let found = table.resolve(&Method::GET, "/api/v1/users/5");
        assert!(matches!(found, Resolution::Found { endpoint: Endpoint::Tool(0), .. }));
    }

    #[test]
    fn mcp_paths_are_recognised() {
        assert_eq!(McpRoute::of("/mcp"), Some(McpRoute::Endpoint));
        assert_eq!(
            McpRoute::of("/.well-known/oauth-protected-resource/mcp"),
            Some(McpRoute::ProtectedResourceMetadata)
        );
        assert_eq!(
            McpRoute::of("/.well-known/oauth-authorization-server"),
            Some(McpRoute::AuthorizationServerMetadata)
        );
        assert_eq!(McpRoute::of("/mcpx"), None);
        assert_eq!(McpRoute::of("/.well-known/oauth-protected-resourcex"), None);
    }
}

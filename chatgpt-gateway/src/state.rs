//! What every request shares: the configuration, the tool registry, the Redmine client, the
//! authenticator, the route table and the documents rendered once at startup.

use std::sync::Arc;

use redmine_client::{Client, Credentials};
use redmine_tools::Registry;

use crate::auth::Authenticator;
use crate::config::GatewayConfig;
use crate::metrics::Metrics;
use crate::openapi::RenderedDocument;
use crate::routing::RouteTable;

/// Why the gateway could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GatewayError {
    /// The Redmine client could not be built from the configuration.
    #[error("cannot set up the redmine client: {0}")]
    Client(#[from] redmine_client::Error),
    /// The HTTP client for the OAuth pass-through could not be built.
    #[error("cannot set up the oauth pass-through client: {0}")]
    OAuthClient(#[source] reqwest::Error),
    /// The OpenAPI document could not be rendered.
    #[error("cannot render the openapi document: {0}")]
    OpenApi(String),
    /// The TLS certificate or key could not be loaded.
    #[error("cannot load the tls certificate or key: {0}")]
    Tls(String),
    /// An allowed host or origin of the MCP endpoint is not well formed.
    #[error("{0}")]
    McpGuard(#[from] crate::mcp::InvalidEntry),
    /// The listener failed.
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
}

/// The state every request of one worker thread sees.
///
/// A server runs several workers (one per core by default), each its own event loop; each
/// has an `AppState` of its own ([`AppState::for_worker`]) whose Redmine client keeps its own
/// pool of connections, so a request never waits on a connection driven by another thread.
/// Everything else (the registry and its lookup cache, the token verdicts, the rate limiter,
/// the metrics, the rendered documents) is shared by all workers.
#[derive(Debug)]
#[non_exhaustive]
pub struct AppState {
    /// The configuration the gateway was started with.
    pub config: GatewayConfig,
    /// The enabled tools.
    pub registry: Arc<Registry>,
    /// The Redmine client without credentials; each call derives a clone with the caller's.
    pub client: Client,
    /// Turns request headers into credentials.
    pub auth: Authenticator,
    /// Prometheus metrics, when enabled.
    pub metrics: Option<Metrics>,
    /// Per-caller rate limiting, when configured.
    pub rate_limiter: Option<Arc<crate::rate_limit::RateLimiter>>,
    /// The plain HTTP client the OAuth token endpoint is forwarded with.
    pub(crate) oauth_http: reqwest::Client,
    /// Every route, derived from the registry.
    pub(crate) routes: Arc<RouteTable>,
    /// The OpenAPI document, rendered once.
    pub(crate) openapi: Arc<RenderedDocument>,
    /// The MCP streamable HTTP endpoint, built once per worker.
    pub(crate) mcp: crate::mcp::McpEndpoint,
    /// The MCP endpoint's Host and Origin checks, their lists parsed once.
    pub(crate) mcp_guard: Arc<crate::mcp::McpGuard>,
}

impl AppState {
    /// Builds the state: the Redmine client from the configuration, the authenticator, the
    /// route table and the OpenAPI document for `registry`.
    pub fn new(config: GatewayConfig, registry: Arc<Registry>) -> Result<Self, GatewayError> {
        let client = redmine_client(&config)?;
        let connection = &config.redmine;
        let mut http = reqwest::Client::builder()
            .timeout(connection.timeout)
            .connect_timeout(connection.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .danger_accept_invalid_certs(connection.accept_invalid_certs);
        if let Some(pem) = &connection.extra_ca_pem {
            let certificates =
                reqwest::Certificate::from_pem_bundle(pem).map_err(GatewayError::OAuthClient)?;
            for certificate in certificates {
                http = http.add_root_certificate(certificate);
            }
        }
        let oauth_http = http.build().map_err(GatewayError::OAuthClient)?;

        let auth = Authenticator::new(
            &client,
            config.server_api_key.clone(),
            config.require_auth,
            config.server.token_cache_ttl,
        );
        let routes = Arc::new(RouteTable::new(&registry));
        let openapi = RenderedDocument::new(&crate::openapi::openapi_document(&config, &registry))
            .map_err(GatewayError::OpenApi)?;
        let metrics = config.metrics.then(Metrics::new);

        let mcp =
            crate::mcp::McpEndpoint::new(registry.clone(), &client, config.server.max_body_bytes);
        let mcp_guard = Arc::new(crate::mcp::McpGuard::new(&config.mcp)?);

        let rate_limiter =
            config.rate_limit.map(|limit| Arc::new(crate::rate_limit::RateLimiter::new(limit)));
        Ok(Self {
            config,
            registry,
            client,
            auth,
            metrics,
            rate_limiter,
            oauth_http,
            routes,
            openapi: Arc::new(openapi),
            mcp,
            mcp_guard,
        })
    }

    /// The state for one more worker thread: a Redmine client with a connection pool of its
    /// own (and the MCP endpoint and authenticator over it), everything else shared with
    /// `self`.
    pub fn for_worker(&self) -> Result<Self, GatewayError> {
        let client = redmine_client(&self.config)?;
        let mcp = crate::mcp::McpEndpoint::new(
            self.registry.clone(),
            &client,
            self.config.server.max_body_bytes,
        );
        Ok(Self {
            config: self.config.clone(),
            registry: self.registry.clone(),
            auth: self.auth.with_client(&client),
            client,
            metrics: self.metrics.clone(),
            rate_limiter: self.rate_limiter.clone(),
            oauth_http: self.oauth_http.clone(),
            routes: self.routes.clone(),
            openapi: self.openapi.clone(),
            mcp,
            mcp_guard: self.mcp_guard.clone(),
        })
    }

    /// The URL of the RFC 9728 protected-resource metadata this gateway publishes, for the
    /// `resource_metadata` parameter of 401 challenges.
    pub fn resource_metadata_url(&self) -> String {
        self.config.public("/.well-known/oauth-protected-resource")
    }
}

/// How many idle connections to Redmine the whole server keeps; each worker keeps its share.
const MAX_IDLE_CONNECTIONS: usize = 64;

/// The Redmine client without credentials, as configured, for one worker.
fn redmine_client(config: &GatewayConfig) -> Result<Client, GatewayError> {
    let connection = &config.redmine;
    let idle = (MAX_IDLE_CONNECTIONS / config.server.workers.get()).max(4);
    let mut builder = Client::builder(config.redmine_url.as_str())
        .max_idle_connections(idle)
        .timeout(connection.timeout)
        .connect_timeout(connection.connect_timeout)
        .user_agent(concat!("redmine-mcp/", env!("CARGO_PKG_VERSION")))
        .danger_accept_invalid_certs(connection.accept_invalid_certs)
        .credentials(Credentials::Anonymous);
    if let Some(pem) = &connection.extra_ca_pem {
        builder = builder.add_root_certificates_pem(pem.clone());
    }
    Ok(builder.build()?)
}

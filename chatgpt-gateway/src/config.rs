//! The gateway's configuration, as plain typed values.
//!
//! This module holds what the gateway needs to run, already checked: URLs are parsed, durations
//! are durations. Reading it from environment variables, a `.env` file or a config file is the
//! binary's job (`gateway-bin`), so that the library can be embedded and tested with values
//! built in code. [`GatewayConfig::default`] is the configuration the committed OpenAPI files
//! are generated with.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

use redmine_client::ApiKey;
use url::Url;

/// The OAuth scopes asked for by default: the Redmine permissions an assistant needs for daily
/// work. Redmine's scopes are permission names; it refuses `read` and `write`.
pub const DEFAULT_OAUTH_SCOPES: &[&str] = &[
    "view_project",
    "search_project",
    "view_members",
    "view_issues",
    "add_issues",
    "edit_issues",
    "add_issue_notes",
    "delete_issues",
    "view_time_entries",
    "log_time",
    "edit_own_time_entries",
    "view_wiki_pages",
    "edit_wiki_pages",
    "view_news",
    "manage_versions",
];

/// Everything the gateway needs to serve.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GatewayConfig {
    /// The Redmine every call goes to, such as `https://redmine.example.com`.
    pub redmine_url: Url,
    /// The server's own Redmine API key, used for requests without a token when auth is not
    /// required.
    pub server_api_key: Option<ApiKey>,
    /// Whether the ChatGPT Actions REST API under `/api/v1` is served (`CHATGPT_MODE`).
    pub chatgpt_mode: bool,
    /// Whether requests without a token are refused (`CHATGPT_REQUIRE_AUTH`).
    pub require_auth: bool,
    /// The public URL of this gateway: the OpenAPI `servers` entry and the base of the OAuth
    /// and manifest URLs (`OPENAPI_SERVER_URL`).
    pub public_url: Url,
    /// What the OpenAPI document and the manifest say about the API.
    pub api_info: ApiInfo,
    /// The OAuth scopes the GPT asks for (`OAUTH_SCOPES`).
    pub oauth_scopes: Vec<String>,
    /// The token ChatGPT shows after the OAuth client is saved, echoed in the manifest
    /// (`CHATGPT_VERIFICATION_TOKEN`).
    pub verification_token: Option<String>,
    /// Listener, timeouts and limits.
    pub server: ServerConfig,
    /// Whether `GET /metrics` serves Prometheus metrics (`METRICS_ENABLED`).
    pub metrics: bool,
    /// How the gateway reaches Redmine.
    pub redmine: RedmineConnection,
    /// The MCP endpoint's Host and Origin checks (`MCP_ALLOWED_HOSTS`, `MCP_ALLOWED_ORIGINS`).
    pub mcp: crate::mcp::McpConfig,
    /// Calls per caller to `/api/v1` and `/mcp` (`RATE_LIMIT_PER_MINUTE`, `RATE_LIMIT_BURST`);
    /// `None` serves every call.
    pub rate_limit: Option<crate::rate_limit::RateLimit>,
}

/// Timeouts and TLS trust for the connection to Redmine.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RedmineConnection {
    /// How long one Redmine call may take (`REDMINE_TIMEOUT_SECS`).
    pub timeout: Duration,
    /// How long connecting to Redmine may take (`REDMINE_CONNECT_TIMEOUT_SECS`).
    pub connect_timeout: Duration,
    /// Extra trusted CA certificates, PEM (`REDMINE_CA_FILE`), for a Redmine behind a private CA.
    pub extra_ca_pem: Option<Vec<u8>>,
    /// Accept any certificate from Redmine (`REDMINE_INSECURE_TLS`); for tests only.
    pub accept_invalid_certs: bool,
}

impl Default for RedmineConnection {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            extra_ca_pem: None,
            accept_invalid_certs: false,
        }
    }
}

/// The descriptive parts of the OpenAPI document and the manifest.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiInfo {
    /// `info.title` (`OPENAPI_TITLE`).
    pub title: String,
    /// `info.version` (`OPENAPI_VERSION`).
    pub version: String,
    /// The contact address (`CONTACT_EMAIL`).
    pub contact_email: String,
    /// The legal information page (`LEGAL_INFO_URL`); left out of the manifest when unset.
    pub legal_info_url: Option<Url>,
}

/// How the gateway listens.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The address to listen on (`--bind`, `BIND_ADDRESS`).
    pub bind: SocketAddr,
    /// How long a client may take to send the request head (`HEADER_READ_TIMEOUT_SECS`).
    pub header_read_timeout: Duration,
    /// How long one request may take in all, Redmine calls included (`REQUEST_TIMEOUT_SECS`).
    pub request_timeout: Duration,
    /// The largest request body accepted (`MAX_BODY_BYTES`).
    pub max_body_bytes: usize,
    /// How long open requests may finish after a shutdown signal (`SHUTDOWN_TIMEOUT_SECS`).
    pub shutdown_timeout: Duration,
    /// How long a token's verdict (valid or not) is reused (`TOKEN_CACHE_TTL_SECS`).
    pub token_cache_ttl: Duration,
    /// How long `/health` waits for Redmine (`HEALTH_TIMEOUT_SECS`).
    pub health_timeout: Duration,
    /// TLS termination, for deployments without a reverse proxy.
    pub tls: Option<TlsFiles>,
    /// How many worker threads serve connections (`WORKER_THREADS`), each with its own event
    /// loop and its own connections to Redmine; by default one per core.
    pub workers: NonZeroUsize,
}

/// A certificate chain and its private key, both PEM files.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// The certificate chain (`TLS_CERT_FILE`).
    pub cert: PathBuf,
    /// The private key (`TLS_KEY_FILE`).
    pub key: PathBuf,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            redmine_url: Url::parse("http://localhost:3000").expect("a valid url"),
            server_api_key: None,
            chatgpt_mode: false,
            require_auth: false,
            public_url: Url::parse("http://localhost:3100").expect("a valid url"),
            api_info: ApiInfo::default(),
            oauth_scopes: DEFAULT_OAUTH_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            verification_token: None,
            server: ServerConfig::default(),
            metrics: false,
            redmine: RedmineConnection::default(),
            mcp: crate::mcp::McpConfig::default(),
            rate_limit: None,
        }
    }
}

impl Default for ApiInfo {
    fn default() -> Self {
        Self {
            title: "Redmine MCP API".to_owned(),
            version: "1.0.0".to_owned(),
            contact_email: "support@example.com".to_owned(),
            legal_info_url: None,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 3100)),
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_body_bytes: 1024 * 1024,
            shutdown_timeout: Duration::from_secs(10),
            token_cache_ttl: Duration::from_secs(60),
            health_timeout: Duration::from_secs(3),
            tls: None,
            workers: default_workers(),
        }
    }
}

/// One worker per core the process may run on.
pub fn default_workers() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

impl GatewayConfig {
    /// A URL on this gateway's public address, `path` absolute (`/oauth/token`).
    pub fn public(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.as_str().trim_end_matches('/'))
    }

    /// A URL on Redmine, `path` absolute (`/oauth/token`); keeps a sub-path install's prefix.
    pub fn redmine(&self, path: &str) -> String {
        format!("{}{path}", self.redmine_url.as_str().trim_end_matches('/'))
    }

    /// The configured scopes, space-separated as OAuth writes them.
    pub fn scope_string(&self) -> String {
        self.oauth_scopes.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_without_double_slashes() {
        let config = GatewayConfig {
            redmine_url: Url::parse("https://example.com/redmine/").unwrap(),
            ..GatewayConfig::default()
        };
        assert_eq!(config.redmine("/oauth/token"), "https://example.com/redmine/oauth/token");
        assert_eq!(
            config.public("/api/v1/openapi.json"),
            "http://localhost:3100/api/v1/openapi.json"
        );
    }

    #[test]
    fn default_scopes_are_redmine_permissions() {
        let config = GatewayConfig::default();
        assert!(!config.oauth_scopes.iter().any(|s| s == "read" || s == "write"));
        assert!(config.scope_string().starts_with("view_project search_project"));
    }
}

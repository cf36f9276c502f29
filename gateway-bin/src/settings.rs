//! Configuration from environment variables, a `.env` file and an optional config file.
//!
//! Every setting has one name: the environment variable (`CHATGPT_MODE`), which is also the key
//! in a config file, lowercased (`chatgpt_mode = true` in TOML). Environment variables win over
//! the file; `.env` fills in variables the environment does not set. Values are checked here,
//! once, and turned into the library's typed configuration; an invalid value stops the program
//! with a message naming the variable. `docs/configuration.md` lists every setting.

use std::fmt;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chatgpt_gateway::config::{DEFAULT_OAUTH_SCOPES, TlsFiles};
use chatgpt_gateway::{ApiInfo, GatewayConfig, RedmineConnection, ServerConfig};
use redmine_client::ApiKey;
use redmine_tools::{OutputLimits, RegistryConfig};
use serde::Deserialize;
use url::Url;

/// The raw settings, as named in the environment (lowercased) and in a config file.
#[derive(Clone, Deserialize)]
#[serde(default)]
#[allow(clippy::struct_excessive_bools, reason = "one field per documented on/off variable")]
pub struct Settings {
    pub redmine_url: Option<String>,
    pub redmine_api_key: Option<String>,
    pub chatgpt_mode: bool,
    pub chatgpt_require_auth: bool,
    pub openapi_server_url: String,
    pub openapi_title: String,
    pub openapi_version: String,
    pub contact_email: String,
    pub legal_info_url: String,
    pub chatgpt_verification_token: Option<String>,
    pub log_level: String,
    pub log_format: String,
    pub bind_address: String,
    pub oauth_scopes: Option<String>,
    pub redmine_timeout_secs: u64,
    pub redmine_connect_timeout_secs: u64,
    pub header_read_timeout_secs: u64,
    pub request_timeout_secs: u64,
    pub shutdown_timeout_secs: u64,
    pub token_cache_ttl_secs: u64,
    pub health_timeout_secs: u64,
    pub max_body_bytes: usize,
    pub response_budget_chars: usize,
    pub read_only: bool,
    pub tool_allow: String,
    pub tool_deny: String,
    pub redmine_ca_file: Option<PathBuf>,
    pub redmine_insecure_tls: bool,
    pub tls_cert_file: Option<PathBuf>,
    pub tls_key_file: Option<PathBuf>,
    pub metrics_enabled: bool,
    pub mcp_allowed_hosts: String,
    pub mcp_allowed_origins: String,
    pub rate_limit_per_minute: u32,
    pub rate_limit_burst: u32,
    pub worker_threads: usize,
}

impl fmt::Debug for Settings {
    /// Leaves out the API key and the verification token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("redmine_url", &self.redmine_url)
            .field("redmine_api_key", &self.redmine_api_key.as_ref().map(|_| "[redacted]"))
            .field("chatgpt_mode", &self.chatgpt_mode)
            .field("chatgpt_require_auth", &self.chatgpt_require_auth)
            .field("bind_address", &self.bind_address)
            .finish_non_exhaustive()
    }
}

impl Default for Settings {
    fn default() -> Self {
        let server = ServerConfig::default();
        let redmine = RedmineConnection::default();
        Self {
            redmine_url: None,
            redmine_api_key: None,
            chatgpt_mode: false,
            chatgpt_require_auth: false,
            openapi_server_url: "http://localhost:3100".to_owned(),
            openapi_title: ApiInfo::default().title,
            openapi_version: ApiInfo::default().version,
            contact_email: ApiInfo::default().contact_email,
            legal_info_url: String::new(),
            chatgpt_verification_token: None,
            log_level: "info".to_owned(),
            log_format: "text".to_owned(),
            bind_address: server.bind.to_string(),
            oauth_scopes: None,
            redmine_timeout_secs: redmine.timeout.as_secs(),
            redmine_connect_timeout_secs: redmine.connect_timeout.as_secs(),
            header_read_timeout_secs: server.header_read_timeout.as_secs(),
            request_timeout_secs: server.request_timeout.as_secs(),
            shutdown_timeout_secs: server.shutdown_timeout.as_secs(),
            token_cache_ttl_secs: server.token_cache_ttl.as_secs(),
            health_timeout_secs: server.health_timeout.as_secs(),
            max_body_bytes: server.max_body_bytes,
            response_budget_chars: OutputLimits::default().budget_chars,
            read_only: false,
            tool_allow: String::new(),
            tool_deny: String::new(),
            redmine_ca_file: None,
            redmine_insecure_tls: false,
            tls_cert_file: None,
            tls_key_file: None,
            metrics_enabled: false,
            mcp_allowed_hosts: String::new(),
            mcp_allowed_origins: String::new(),
            rate_limit_per_minute: 0,
            rate_limit_burst: 0,
            worker_threads: 0,
        }
    }
}

/// The settings every command starts from: `.env`, then the config file, then the environment.
pub fn load(config_file: Option<&Path>, env_file: Option<&Path>) -> Result<Settings> {
    match env_file {
        Some(path) => {
            dotenvy::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
        }
        None => match dotenvy::dotenv() {
            Ok(_) => {}
            Err(error) if error.not_found() => {}
            Err(error) => bail!("cannot read the .env file: {error}"),
        },
    }

    let mut builder = config::Config::builder();
    let file = config_file.map(Path::to_path_buf).or_else(|| {
        std::env::var_os("REDMINE_MCP_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from)
    });
    if let Some(path) = &file {
        if !path.is_file() {
            bail!("the config file {} does not exist", path.display());
        }
        builder = builder.add_source(config::File::from(path.as_path()));
    }
    builder = builder.add_source(config::Environment::default().ignore_empty(true));

    let settings = builder
        .build()
        .and_then(config::Config::try_deserialize::<Settings>)
        .map_err(|e| anyhow::anyhow!("invalid configuration: {e}; see docs/configuration.md"))?;
    Ok(settings)
}

impl Settings {
    /// The gateway's configuration; fails on the first invalid value, naming it.
    pub fn gateway(&self, bind: Option<&str>) -> Result<GatewayConfig> {
        let Some(redmine_url) = self.redmine_url.as_deref() else {
            bail!(
                "REDMINE_URL is not set; set it to your Redmine's address, such as https://redmine.example.com"
            );
        };
        let mut config = GatewayConfig::default();
        config.redmine_url = http_url("REDMINE_URL", redmine_url)?;
        config.server_api_key = self
            .redmine_api_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(ApiKey::new);
        config.chatgpt_mode = self.chatgpt_mode;
        config.require_auth = self.chatgpt_require_auth;
        config.public_url = http_url("OPENAPI_SERVER_URL", &self.openapi_server_url)?;
        config.api_info = self.api_info()?;
        config.oauth_scopes = self.scopes()?;
        config.verification_token =
            self.chatgpt_verification_token.clone().filter(|t| !t.trim().is_empty());
        config.metrics = self.metrics_enabled;
        // Empty lists keep the MCP endpoint's loopback defaults.
        if !list(&self.mcp_allowed_hosts).is_empty() {
            config.mcp.allowed_hosts = list(&self.mcp_allowed_hosts);
        }
        if !list(&self.mcp_allowed_origins).is_empty() {
            config.mcp.allowed_origins = list(&self.mcp_allowed_origins);
        }
        config.mcp.validate()?;

        let bind = bind.unwrap_or(&self.bind_address);
        config.server.bind = bind.parse::<SocketAddr>().with_context(|| {
            format!("BIND_ADDRESS (or --bind) {bind:?} is not an address; use host:port such as 0.0.0.0:3100")
        })?;
        config.server.header_read_timeout =
            secs("HEADER_READ_TIMEOUT_SECS", self.header_read_timeout_secs)?;
        config.server.request_timeout = secs("REQUEST_TIMEOUT_SECS", self.request_timeout_secs)?;
        config.server.shutdown_timeout = Duration::from_secs(self.shutdown_timeout_secs);
        config.server.token_cache_ttl = Duration::from_secs(self.token_cache_ttl_secs);
        config.server.health_timeout = secs("HEALTH_TIMEOUT_SECS", self.health_timeout_secs)?;
        if self.max_body_bytes == 0 {
            bail!("MAX_BODY_BYTES must be greater than 0");
        }
        config.server.max_body_bytes = self.max_body_bytes;
        config.server.workers = match NonZeroUsize::new(self.worker_threads) {
            Some(workers) if workers.get() > 1024 => {
                bail!("WORKER_THREADS must be at most 1024; 0 (the default) means one per core")
            }
            Some(workers) => workers,
            None => chatgpt_gateway::config::default_workers(),
        };
        config.server.tls = match (&self.tls_cert_file, &self.tls_key_file) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert: cert.clone(), key: key.clone() }),
            (None, None) => None,
            _ => bail!("set both TLS_CERT_FILE and TLS_KEY_FILE to serve HTTPS, or neither"),
        };

        config.rate_limit = self.rate_limit()?;

        config.redmine.timeout = secs("REDMINE_TIMEOUT_SECS", self.redmine_timeout_secs)?;
        config.redmine.connect_timeout =
            secs("REDMINE_CONNECT_TIMEOUT_SECS", self.redmine_connect_timeout_secs)?;
        config.redmine.accept_invalid_certs = self.redmine_insecure_tls;
        if let Some(path) = &self.redmine_ca_file {
            let pem = std::fs::read(path)
                .with_context(|| format!("REDMINE_CA_FILE {} cannot be read", path.display()))?;
            config.redmine.extra_ca_pem = Some(pem);
        }
        Ok(config)
    }

    /// The registry's configuration: read-only mode, allow and deny lists, answer budget.
    pub fn registry(&self) -> Result<RegistryConfig> {
        if self.response_budget_chars < 1_000 {
            bail!("RESPONSE_BUDGET_CHARS must be at least 1000");
        }
        let mut config = RegistryConfig {
            read_only: self.read_only,
            allow: list(&self.tool_allow),
            deny: list(&self.tool_deny),
            ..RegistryConfig::default()
        };
        config.limits.budget_chars = self.response_budget_chars;
        Ok(config)
    }

    fn api_info(&self) -> Result<ApiInfo> {
        let mut info = ApiInfo::default();
        if self.openapi_title.trim().is_empty() {
            bail!("OPENAPI_TITLE must not be empty");
        }
        self.openapi_title.trim().clone_into(&mut info.title);
        self.openapi_version.trim().clone_into(&mut info.version);
        if !self.contact_email.contains('@') {
            bail!("CONTACT_EMAIL {:?} is not an e-mail address", self.contact_email);
        }
        self.contact_email.trim().clone_into(&mut info.contact_email);
        let legal = self.legal_info_url.trim();
        info.legal_info_url =
            if legal.is_empty() { None } else { Some(http_url("LEGAL_INFO_URL", legal)?) };
        Ok(info)
    }

    fn scopes(&self) -> Result<Vec<String>> {
        let Some(raw) = &self.oauth_scopes else {
            return Ok(DEFAULT_OAUTH_SCOPES.iter().map(|s| (*s).to_owned()).collect());
        };
        let scopes: Vec<String> =
            raw.split([' ', ',']).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        if scopes.is_empty() {
            bail!("OAUTH_SCOPES is empty; leave it unset for the default set");
        }
        if let Some(bad) = scopes.iter().find(|s| *s == "read" || *s == "write") {
            bail!(
                "OAUTH_SCOPES contains {bad:?}, which Redmine refuses: its scopes are permission \
                 names such as view_issues add_issues (see docs/chatgpt-actions.md)"
            );
        }
        if let Some(bad) =
            scopes.iter().find(|s| !s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        {
            bail!(
                "OAUTH_SCOPES contains {bad:?}; scopes are Redmine permission names such as view_issues"
            );
        }
        Ok(scopes)
    }

    /// Per-caller rate limiting: off at 0 calls a minute; the burst defaults to a tenth of a
    /// minute's calls (at least 1).
    fn rate_limit(&self) -> Result<Option<chatgpt_gateway::RateLimit>> {
        let Some(per_minute) = std::num::NonZeroU32::new(self.rate_limit_per_minute) else {
            if self.rate_limit_burst > 0 {
                bail!("RATE_LIMIT_BURST is set but RATE_LIMIT_PER_MINUTE is 0 (off); set both");
            }
            return Ok(None);
        };
        let burst = match self.rate_limit_burst {
            0 => std::num::NonZeroU32::new((per_minute.get() / 10).max(1)).unwrap_or(per_minute),
            n => std::num::NonZeroU32::new(n).unwrap_or(per_minute),
        };
        Ok(Some(chatgpt_gateway::RateLimit::new(per_minute, burst)))
    }

    /// Whether logs are JSON lines.
    pub fn json_logs(&self) -> Result<bool> {
        match self.log_format.to_ascii_lowercase().as_str() {
            "text" | "" => Ok(false),
            "json" => Ok(true),
            other => bail!("LOG_FORMAT {other:?} is not text or json"),
        }
    }
}

fn http_url(name: &str, raw: &str) -> Result<Url> {
    let url = Url::parse(raw.trim())
        .with_context(|| format!("{name} {raw:?} is not a URL; use a full http(s) URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        bail!("{name} {raw:?} must start with http:// or https://");
    }
    if url.query().is_some() || url.fragment().is_some() || url.password().is_some() {
        bail!("{name} must not carry a query, fragment or password");
    }
    Ok(url)
}

fn secs(name: &str, value: u64) -> Result<Duration> {
    if value == 0 {
        bail!("{name} must be at least 1 second");
    }
    Ok(Duration::from_secs(value))
}

fn list(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_url() -> Settings {
        Settings { redmine_url: Some("http://127.0.0.1:3000".to_owned()), ..Settings::default() }
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let config = with_url().gateway(None).unwrap();
        assert!(!config.chatgpt_mode && !config.require_auth);
        assert_eq!(config.public_url.as_str(), "http://localhost:3100/");
        assert_eq!(config.api_info.title, "Redmine MCP API");
        assert_eq!(config.api_info.version, "1.0.0");
        assert_eq!(config.api_info.contact_email, "support@example.com");
        assert!(config.api_info.legal_info_url.is_none());
        assert_eq!(config.server.bind.port(), 3100);
        assert!(config.oauth_scopes.contains(&"view_issues".to_owned()));
        assert_eq!(config.server.workers, chatgpt_gateway::config::default_workers());
    }

    #[test]
    fn worker_threads_are_counted_and_bounded() {
        let settings = Settings { worker_threads: 3, ..with_url() };
        assert_eq!(settings.gateway(None).unwrap().server.workers.get(), 3);

        let settings = Settings { worker_threads: 5000, ..with_url() };
        let error = settings.gateway(None).unwrap_err().to_string();
        assert!(error.contains("WORKER_THREADS"), "{error}");
    }

    #[test]
    fn invalid_values_name_their_variable() {
        let error = Settings::default().gateway(None).unwrap_err().to_string();
        assert!(error.contains("REDMINE_URL"), "{error}");

        let settings = Settings { oauth_scopes: Some("read write".to_owned()), ..with_url() };
        let error = settings.gateway(None).unwrap_err().to_string();
        assert!(error.contains("OAUTH_SCOPES") && error.contains("refuses"), "{error}");

        let error = with_url().gateway(Some("localhost")).unwrap_err().to_string();
        assert!(error.contains("--bind"), "{error}");

        let settings = Settings { tls_cert_file: Some("c.pem".into()), ..with_url() };
        assert!(settings.gateway(None).unwrap_err().to_string().contains("TLS_KEY_FILE"));

        let settings = Settings { redmine_url: Some("ftp://x".to_owned()), ..Settings::default() };
        assert!(settings.gateway(None).unwrap_err().to_string().contains("http://"));

        // A scheme in an allowed host would otherwise refuse every request to that host.
        let settings = Settings {
            mcp_allowed_hosts: "localhost, https://mcp.example.com".to_owned(),
            ..with_url()
        };
        let error = settings.gateway(None).unwrap_err().to_string();
        assert!(error.contains("MCP_ALLOWED_HOSTS entry \"https://mcp.example.com\""), "{error}");
        let settings =
            Settings { mcp_allowed_origins: "chat.example.com".to_owned(), ..with_url() };
        let error = settings.gateway(None).unwrap_err().to_string();
        assert!(error.contains("MCP_ALLOWED_ORIGINS entry \"chat.example.com\""), "{error}");
    }

    #[test]
    fn lists_and_scopes_are_split() {
        let settings = Settings {
            tool_deny: "delete_*, create_project".to_owned(),
            oauth_scopes: Some("view_issues,add_issues view_project".to_owned()),
            ..with_url()
        };
        assert_eq!(settings.registry().unwrap().deny, ["delete_*", "create_project"]);
        assert_eq!(
            settings.gateway(None).unwrap().oauth_scopes,
            ["view_issues", "add_issues", "view_project"]
        );

        let settings = Settings {
            mcp_allowed_hosts: "mcp.example.com, internal:8443".to_owned(),
            ..with_url()
        };
        let mcp = settings.gateway(None).unwrap().mcp;
        assert_eq!(mcp.allowed_hosts, ["mcp.example.com", "internal:8443"]);
        assert_eq!(mcp.allowed_origins, chatgpt_gateway::McpConfig::default().allowed_origins);
    }
}

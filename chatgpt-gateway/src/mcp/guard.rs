//! Host and Origin checks for `/mcp`, against DNS rebinding and cross-site requests.
//!
//! A web page a user visits can make the browser post to `http://127.0.0.1:3100/mcp`, or to a
//! name that it rebinds to loopback. The MCP specification therefore asks servers to check
//! `Origin`, and to bind to loopback unless told otherwise. By default only loopback hosts and
//! loopback origins pass, so serving MCP on a public name is a deliberate act: list the name in
//! `MCP_ALLOWED_HOSTS` (and the browser origins that may call, if any, in
//! `MCP_ALLOWED_ORIGINS`). A request without `Origin` (every non-browser client) passes the
//! origin check.
//!
//! rmcp has the same checks built in; they are turned off there and done here instead, so that
//! they run before authentication (a forbidden origin gets 403, not a 401 that invites a
//! sign-in) and so that there is one place that decides.

use http::HeaderMap;
use http::header::{HOST, ORIGIN};

/// The hosts `/mcp` answers to by default: loopback, on any port.
pub const DEFAULT_ALLOWED_HOSTS: &[&str] = &["localhost", "127.0.0.1", "[::1]"];

/// The browser origins `/mcp` accepts by default: pages served from loopback, on any port.
pub const DEFAULT_ALLOWED_ORIGINS: &[&str] = &[
    "http://localhost:*",
    "http://127.0.0.1:*",
    "http://[::1]:*",
    "https://localhost:*",
    "https://127.0.0.1:*",
    "https://[::1]:*",
];

/// The MCP endpoint's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct McpConfig {
    /// `Host` values `/mcp` answers to (`MCP_ALLOWED_HOSTS`): `name` (any port) or
    /// `name:port`; `*` alone turns the check off.
    pub allowed_hosts: Vec<String>,
    /// `Origin` values accepted (`MCP_ALLOWED_ORIGINS`): `scheme://name` with an optional
    /// `:port` or `:*`; `*` alone turns the check off.
    pub allowed_origins: Vec<String>,
}

impl Default for McpConfig {
    fn default() -> Self {
        Self {
            allowed_hosts: DEFAULT_ALLOWED_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
            allowed_origins: DEFAULT_ALLOWED_ORIGINS.iter().map(|o| (*o).to_owned()).collect(),
        }
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GuardError {
    /// The `Host` header is missing or names a host that is not allowed.
    #[error(
        "host {0:?} is not allowed to reach /mcp; add it to MCP_ALLOWED_HOSTS to serve MCP under \
         that name"
    )]
    Host(String),
    /// The `Origin` header names an origin that is not allowed.
    #[error(
        "origin {0:?} is not allowed to call /mcp; add it to MCP_ALLOWED_ORIGINS if that web \
         page should reach this server"
    )]
    Origin(String),
}

/// An entry of `MCP_ALLOWED_HOSTS` or `MCP_ALLOWED_ORIGINS` that is not of the form the list
/// takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidEntry {
    /// An allowed host that is not `name` or `name:port`.
    #[error(
        "MCP_ALLOWED_HOSTS entry {0:?} is not a host name or host:port; write it as \
         mcp.example.com or mcp.example.com:8443, without a scheme or path (or * for any host)"
    )]
    Host(String),
    /// The named list holds `*` and other entries: `*` turns the check off, so the others
    /// would mean nothing.
    #[error("{0} holds * and other entries; * allows everything, so set it alone or leave it out")]
    Wildcard(&'static str),
    /// An allowed origin that is not `scheme://name` with an optional `:port` or `:*`.
    #[error(
        "MCP_ALLOWED_ORIGINS entry {0:?} is not an origin; write it as https://chat.example.com, \
         https://chat.example.com:8443 or https://chat.example.com:* (any port), without a path \
         (or * for any origin)"
    )]
    Origin(String),
}

impl McpConfig {
    /// Checks that every allowed host and origin is well formed, as [`McpGuard::new`] will.
    pub fn validate(&self) -> Result<(), InvalidEntry> {
        McpGuard::new(self).map(drop)
    }
}

/// The Host and Origin checks of an [`McpConfig`], its lists parsed once.
#[derive(Debug, Clone)]
pub struct McpGuard {
    /// `None` when any host may call (`*`).
    hosts: Option<Vec<(String, Option<u16>)>>,
    /// `None` when any origin may call (`*`).
    origins: Option<Vec<AllowedOrigin>>,
}

impl McpGuard {
    /// Parses `config`'s lists; the first entry that is not well formed is the error.
    pub fn new(config: &McpConfig) -> Result<Self, InvalidEntry> {
        let hosts = if is_wildcard(&config.allowed_hosts, "MCP_ALLOWED_HOSTS")? {
            None
        } else {
            let parse = |entry: &String| {
                split_authority(entry)
                    .filter(|_| !entry.contains('@'))
                    .ok_or_else(|| InvalidEntry::Host(entry.clone()))
            };
            Some(config.allowed_hosts.iter().map(parse).collect::<Result<_, _>>()?)
        };
        let origins = if is_wildcard(&config.allowed_origins, "MCP_ALLOWED_ORIGINS")? {
            None
        } else {
            let parse = |entry: &String| {
                AllowedOrigin::parse(entry).ok_or_else(|| InvalidEntry::Origin(entry.clone()))
            };
            Some(config.allowed_origins.iter().map(parse).collect::<Result<_, _>>()?)
        };
        Ok(Self { hosts, origins })
    }

    /// Checks the request's `Host` and `Origin`.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), GuardError> {
        self.check_host(headers)?;
        self.check_origin(headers)
    }

    fn check_host(&self, headers: &HeaderMap) -> Result<(), GuardError> {
        let Some(allowed_hosts) = &self.hosts else { return Ok(()) };
        let host = headers.get(HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let Some((name, port)) = split_authority(host) else {
            return Err(GuardError::Host(host.to_owned()));
        };
        let allowed = allowed_hosts.iter().any(|(allowed_name, allowed_port)| {
            *allowed_name == name && (allowed_port.is_none() || *allowed_port == port)
        });
        if allowed { Ok(()) } else { Err(GuardError::Host(host.to_owned())) }
    }

    fn check_origin(&self, headers: &HeaderMap) -> Result<(), GuardError> {
        let Some(origin) = headers.get(ORIGIN) else { return Ok(()) };
        let Some(allowed_origins) = &self.origins else { return Ok(()) };
        let origin = origin.to_str().unwrap_or_default();
        let Some(parsed) = Origin::parse(origin) else {
            return Err(GuardError::Origin(origin.to_owned()));
        };
        if allowed_origins.iter().any(|allowed| allowed.matches(&parsed)) {
            Ok(())
        } else {
            Err(GuardError::Origin(origin.to_owned()))
        }
    }
}

/// Whether `list` is `*` alone; `*` next to other entries is an error.
fn is_wildcard(list: &[String], variable: &'static str) -> Result<bool, InvalidEntry> {
    match list {
        [only] if only.trim() == "*" => Ok(true),
        _ if list.iter().any(|entry| entry.trim() == "*") => Err(InvalidEntry::Wildcard(variable)),
        _ => Ok(false),
    }
}

/// A lowercase host name (IPv6 without brackets) and its port, if it has one.
fn split_authority(authority: &str) -> Option<(String, Option<u16>)> {
    let authority = authority.trim();
    if authority.is_empty() {
        return None;
    }
    let parsed: http::uri::Authority = authority.parse().ok()?;
    let host = parsed.host().trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    Some((host, parsed.port_u16()))
}

/// A request's origin: scheme, host and the port, the scheme's default filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: Option<u16>,
}

impl Origin {
    fn parse(origin: &str) -> Option<Self> {
        let (scheme, rest) = origin.trim().split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let (host, port) = split_authority(rest.trim_end_matches('/'))?;
        let port = port.or(match scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        });
        Some(Self { scheme, host, port })
    }
}

/// An allowed origin; `port: None` is `:*`, any port.
#[derive(Debug, Clone)]
struct AllowedOrigin(Origin);

impl AllowedOrigin {
    fn parse(entry: &str) -> Option<Self> {
        let entry = entry.trim();
        match entry.strip_suffix(":*") {
            Some(base) => {
                let mut origin = Origin::parse(base)?;
                origin.port = None;
                Some(Self(origin))
            }
            None => Origin::parse(entry).map(Self),
        }
    }

    fn matches(&self, origin: &Origin) -> bool {
        self.0.scheme == origin.scheme
            && self.0.host == origin.host
            && (self.0.port.is_none() || self.0.port == origin.port)
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn headers(host: Option<&'static str>, origin: Option<&'static str>) -> HeaderMap {
        let mut map = HeaderMap::new();
        if let Some(host) = host {
            map.insert(HOST, HeaderValue::from_static(host));
        }
        if let Some(origin) = origin {
            map.insert(ORIGIN, HeaderValue::from_static(origin));
        }
        map
    }

    fn config(hosts: &[&str], origins: &[&str]) -> McpConfig {
        McpConfig {
            allowed_hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
            allowed_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
        }
    }

    fn guard(hosts: &[&str], origins: &[&str]) -> McpGuard {
        McpGuard::new(&config(hosts, origins)).unwrap()
    }

    #[test]
    fn by_default_only_loopback_hosts_pass() {
        let guard = McpGuard::new(&McpConfig::default()).unwrap();
        for host in ["127.0.0.1:3100", "localhost", "LOCALHOST:8080", "[::1]:3100"] {
            assert_eq!(guard.check(&headers(Some(host), None)), Ok(()), "{host}");
        }
        for host in ["evil.example", "evil.example:3100", "10.0.0.1:3100"] {
            let error = guard.check(&headers(Some(host), None)).unwrap_err();
            assert!(matches!(error, GuardError::Host(_)), "{host}");
            assert!(error.to_string().contains("MCP_ALLOWED_HOSTS"));
        }
        assert!(guard.check(&headers(None, None)).is_err(), "a missing Host is refused");
    }

    #[test]
    fn by_default_only_loopback_origins_pass_and_no_origin_passes() {
        let guard = McpGuard::new(&McpConfig::default()).unwrap();
        assert_eq!(guard.check(&headers(Some("127.0.0.1:3100"), None)), Ok(()));
        for origin in ["http://localhost:6274", "https://127.0.0.1", "http://[::1]:80"] {
            assert_eq!(guard.check(&headers(Some("localhost"), Some(origin))), Ok(()), "{origin}");
        }
        for origin in ["https://evil.example", "http://localhost.evil.example", "null", "x"] {
            let error = guard.check(&headers(Some("localhost"), Some(origin))).unwrap_err();
            assert!(matches!(error, GuardError::Origin(_)), "{origin}");
        }
    }

    #[test]
    fn configured_hosts_and_origins_are_matched_by_name_and_port() {
        let guard = guard(
            &["mcp.example.com", "internal:8443"],
            &["https://chat.example.com", "http://tools.example.com:*"],
        );
        assert!(guard.check(&headers(Some("mcp.example.com"), None)).is_ok());
        assert!(guard.check(&headers(Some("mcp.example.com:443"), None)).is_ok());
        assert!(guard.check(&headers(Some("internal:8443"), None)).is_ok());
        assert!(guard.check(&headers(Some("internal:8080"), None)).is_err());
        assert!(guard.check(&headers(Some("127.0.0.1"), None)).is_err(), "replaces the default");

        let host = Some("mcp.example.com");
        assert!(guard.check(&headers(host, Some("https://chat.example.com"))).is_ok());
        assert!(guard.check(&headers(host, Some("https://chat.example.com:443"))).is_ok());
        assert!(guard.check(&headers(host, Some("https://chat.example.com:8443"))).is_err());
        assert!(guard.check(&headers(host, Some("http://chat.example.com"))).is_err());
        assert!(guard.check(&headers(host, Some("http://tools.example.com:9000"))).is_ok());
    }

    #[test]
    fn a_star_turns_a_check_off() {
        let request = headers(Some("anything.example"), Some("https://x.example"));
        assert!(guard(&["*"], &["*"]).check(&request).is_ok());
        assert!(guard(&["*"], &[]).check(&request).is_err());
    }

    #[test]
    fn an_entry_that_is_not_a_host_or_an_origin_is_refused_with_the_form_to_use() {
        for host in ["https://mcp.example.com", "mcp.example.com/mcp", "me@mcp.example.com", "a b"]
        {
            let error = config(&["localhost", host], &[]).validate().unwrap_err();
            assert_eq!(error, InvalidEntry::Host(host.to_owned()));
            let message = error.to_string();
            assert!(message.starts_with("MCP_ALLOWED_HOSTS entry"), "{message}");
            assert!(message.contains("mcp.example.com:8443"), "{message}");
        }
        for origin in ["chat.example.com", "https://chat.example.com/app", "https://"] {
            let error = config(&["localhost"], &[origin]).validate().unwrap_err();
            assert_eq!(error, InvalidEntry::Origin(origin.to_owned()));
            assert!(error.to_string().contains("https://chat.example.com:*"), "{error}");
        }
        // A star alone turns a check off; next to other entries it is a mistake.
        assert_eq!(config(&["*"], &["*"]).validate(), Ok(()));
        let error = config(&["*", "mcp.example.com"], &[]).validate().unwrap_err();
        assert_eq!(error, InvalidEntry::Wildcard("MCP_ALLOWED_HOSTS"));
        assert!(error.to_string().contains("set it alone"), "{error}");
        let error = config(&["localhost"], &["https://a.example", " * "]).validate().unwrap_err();
        assert_eq!(error, InvalidEntry::Wildcard("MCP_ALLOWED_ORIGINS"));
        assert_eq!(McpConfig::default().validate(), Ok(()));
    }
}

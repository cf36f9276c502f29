//! The OAuth discovery documents an MCP client reads before it signs its user in.
//!
//! Redmine (Doorkeeper) publishes no `.well-known` metadata, so the gateway does, describing
//! Redmine's own endpoints:
//!
//! - RFC 9728 protected-resource metadata, at `/.well-known/oauth-protected-resource` for the
//!   gateway as a whole and at `/.well-known/oauth-protected-resource/mcp` for the MCP endpoint
//!   (the path-suffixed form RFC 9728 section 3.1 defines, named in `/mcp`'s 401 challenges).
//!   Both name the gateway itself as the authorization server.
//! - RFC 8414 authorization-server metadata at `/.well-known/oauth-authorization-server`, with
//!   the gateway as issuer and Redmine's `/oauth/authorize`, `/oauth/token` and
//!   `/oauth/revoke` as endpoints, PKCE with S256, and the configured scopes.
//!
//! The token a client obtains this way is a Redmine token for Redmine; the gateway forwards it
//! to the same Redmine and nowhere else (see `docs/mcp.md`).

use serde_json::{Value, json};

use crate::config::GatewayConfig;

/// Path of the protected-resource metadata for the gateway as a whole.
pub const PROTECTED_RESOURCE_PATH: &str = "/.well-known/oauth-protected-resource";
/// Path of the protected-resource metadata for the MCP endpoint.
pub const MCP_PROTECTED_RESOURCE_PATH: &str = "/.well-known/oauth-protected-resource/mcp";
/// Path of the authorization-server metadata.
pub const AUTHORIZATION_SERVER_PATH: &str = "/.well-known/oauth-authorization-server";

/// Where people read how to connect a client.
const DOCUMENTATION: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/mcp.md");

/// The URL `/mcp`'s 401 challenges name in `resource_metadata`.
pub fn mcp_resource_metadata_url(config: &GatewayConfig) -> String {
    config.public(MCP_PROTECTED_RESOURCE_PATH)
}

/// The gateway's public base URL without a trailing slash: the issuer and the resource.
fn issuer(config: &GatewayConfig) -> String {
    config.public("")
}

/// RFC 9728 metadata for `resource`, the gateway (`None`) or the MCP endpoint (`Some("/mcp")`).
pub fn protected_resource_metadata(config: &GatewayConfig, path: Option<&str>) -> Value {
    let resource = path.map_or_else(|| issuer(config), |path| config.public(path));
    json!({
        "resource": resource,
        "authorization_servers": [issuer(config)],
        "scopes_supported": config.oauth_scopes,
        "bearer_methods_supported": ["header"],
        "resource_name": "Redmine",
        "resource_documentation": DOCUMENTATION,
    })
}

/// RFC 8414 metadata pointing at Redmine's OAuth endpoints.
pub fn authorization_server_metadata(config: &GatewayConfig) -> Value {
    json!({
        "issuer": issuer(config),
        "authorization_endpoint": config.redmine("/oauth/authorize"),
        "token_endpoint": config.redmine("/oauth/token"),
        "revocation_endpoint": config.redmine("/oauth/revoke"),
        "scopes_supported": config.oauth_scopes,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        // Redmine's OAuth applications are always confidential clients.
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        // Doorkeeper also takes `plain`; only S256 is advertised, as OAuth 2.1 and MCP ask.
        "code_challenge_methods_supported": ["S256"],
        "service_documentation": DOCUMENTATION,
    })
}

#[cfg(test)]
mod tests {
    use url::Url;

    use super::*;

    fn config() -> GatewayConfig {
        GatewayConfig {
            public_url: Url::parse("https://mcp.example.com/").unwrap(),
            redmine_url: Url::parse("https://example.com/redmine").unwrap(),
            ..GatewayConfig::default()
        }
    }

    #[test]
    fn resource_metadata_names_the_gateway_as_authorization_server() {
        let config = config();
        let gateway = protected_resource_metadata(&config, None);
        assert_eq!(gateway["resource"], "https://mcp.example.com");
        assert_eq!(gateway["authorization_servers"], json!(["https://mcp.example.com"]));
        assert_eq!(gateway["bearer_methods_supported"], json!(["header"]));
        assert!(gateway["scopes_supported"].as_array().unwrap().contains(&json!("view_issues")));

        let mcp = protected_resource_metadata(&config, Some("/mcp"));
        assert_eq!(mcp["resource"], "https://mcp.example.com/mcp");
        assert_eq!(
            mcp_resource_metadata_url(&config),
            "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
        );
    }

    #[test]
    fn authorization_server_metadata_points_at_redmine_with_s256() {
        let metadata = authorization_server_metadata(&config());
        assert_eq!(metadata["issuer"], "https://mcp.example.com");
        assert_eq!(
            metadata["authorization_endpoint"],
            "https://example.com/redmine/oauth/authorize"
        );
        assert_eq!(metadata["token_endpoint"], "https://example.com/redmine/oauth/token");
        assert_eq!(metadata["code_challenge_methods_supported"], json!(["S256"]));
        assert_eq!(metadata["response_types_supported"], json!(["code"]));
        let scopes = metadata["scopes_supported"].as_array().unwrap();
        assert!(!scopes.contains(&json!("read")) && !scopes.contains(&json!("write")));
    }
}

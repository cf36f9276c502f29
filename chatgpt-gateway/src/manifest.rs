//! `GET /.well-known/ai-plugin.json` (the legacy plugin manifest ChatGPT still reads) and the
//! logo it names, served from the binary so that `logo_url` always resolves.
//!
//! Lengths follow the manifest's documented limits: `name_for_human` at most 20 characters,
//! `name_for_model` at most 50 letters, digits and underscores, `description_for_human` at most
//! 100, `description_for_model` at most 8,000.

use std::sync::Arc;

use http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use serde_json::{Value, json};

use crate::body::{ResponseBody, full};
use crate::config::GatewayConfig;
use crate::error::json_response;
use crate::openapi::limit_chars;
use crate::state::AppState;

/// The logo, a 512 x 512 PNG.
const LOGO: &[u8] = include_bytes!("../assets/logo.png");

const DESCRIPTION_FOR_HUMAN: &str =
    "Find, create and update Redmine issues, log time and read wiki pages as yourself.";

const DESCRIPTION_FOR_MODEL: &str = "Work in the user's Redmine with the user's own permissions: \
    list and search projects and issues, read an issue with its history, create and update \
    issues, add notes, log and list time, read versions, memberships, users and wiki pages. \
    Projects, trackers, statuses, priorities, users and versions may be given by id or by name. \
    Every tool, including those without their own operation, can be called through call_tool, \
    which also returns a tool's argument schema when sent {\"describe\": true}. Lists are paged with \
    offset and limit; long answers are trimmed and say how to get the rest. Ask before \
    changing or deleting anything the user did not clearly ask to change.";

/// The manifest answer.
pub fn manifest(state: &Arc<AppState>) -> Response<ResponseBody> {
    json_response(StatusCode::OK, &manifest_document(&state.config))
}

/// The manifest for `config`.
pub fn manifest_document(config: &GatewayConfig) -> Value {
    let mut auth = json!({
        "type": "oauth",
        "client_url": config.public("/oauth/authorize"),
        "authorization_url": config.public("/oauth/token"),
        "authorization_content_type": "application/x-www-form-urlencoded",
        "scope": config.scope_string(),
    });
    if let Some(token) = &config.verification_token {
        auth["verification_tokens"] = json!({"openai": token});
    }

    let mut manifest = json!({
        "schema_version": "v1",
        "name_for_human": limit_chars(&config.api_info.title, 20),
        "name_for_model": name_for_model(&config.api_info.title),
        "description_for_human": limit_chars(DESCRIPTION_FOR_HUMAN, 100),
        "description_for_model": limit_chars(DESCRIPTION_FOR_MODEL, 8000),
        "auth": auth,
        "api": {"type": "openapi", "url": config.public("/api/v1/openapi.json")},
        "logo_url": config.public("/logo.png"),
        "contact_email": config.api_info.contact_email,
    });
    if let Some(url) = &config.api_info.legal_info_url {
        manifest["legal_info_url"] = json!(url.as_str());
    }
    manifest
}

/// The title as a model-facing name: lowercase letters, digits and single underscores, at most
/// 50 characters, `redmine` when nothing usable is left.
fn name_for_model(title: &str) -> String {
    let mut name = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('_') {
            name.push('_');
        }
    }
    let name: String = name.trim_end_matches('_').chars().take(50).collect();
    let name = name.trim_end_matches('_');
    if name.is_empty() { "redmine".to_owned() } else { name.to_owned() }
}

/// The logo answer.
pub fn logo() -> Response<ResponseBody> {
    let mut response = Response::new(full(LOGO));
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("image/png"));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_the_manifest_limits() {
        assert_eq!(name_for_model("Redmine MCP API"), "redmine_mcp_api");
        assert_eq!(name_for_model("  ¡Ünïcode!  "), "n_code");
        assert_eq!(name_for_model("***"), "redmine");
        assert!(name_for_model(&"a b ".repeat(40)).len() <= 50);
    }

    #[test]
    fn the_manifest_follows_the_documented_shape() {
        let mut config = GatewayConfig {
            verification_token: Some("abc123".to_owned()),
            ..GatewayConfig::default()
        };
        config.api_info.title = "A very long title for a plugin name".to_owned();
        let manifest = manifest_document(&config);

        assert_eq!(manifest["schema_version"], "v1");
        assert!(manifest["name_for_human"].as_str().unwrap().chars().count() <= 20);
        assert!(manifest["description_for_human"].as_str().unwrap().chars().count() <= 100);
        assert_eq!(manifest["auth"]["type"], "oauth");
        assert_eq!(manifest["auth"]["verification_tokens"]["openai"], "abc123");
        assert_eq!(manifest["api"]["url"], "http://localhost:3100/api/v1/openapi.json");
        assert_eq!(manifest["logo_url"], "http://localhost:3100/logo.png");
        assert!(manifest.get("legal_info_url").is_none());
    }

    #[test]
    fn the_logo_is_a_png() {
        assert!(LOGO.starts_with(b"\x89PNG\r\n\x1a\n"));
    }
}

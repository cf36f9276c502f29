//! The OpenAPI 3.1.0 document a Custom GPT imports, generated from the registry.
//!
//! Each tool whose binding is marked `listed` becomes an operation of its own: operationId = the
//! tool's name, path and query parameters and the JSON request body typed from its argument
//! schema, `x-openai-isConsequential` false for read-only tools and true for the rest.
//! `call_tool` (whose `tool_name` is an enum of the tool names) reaches every enabled tool and,
//! given `{"describe": true}`, returns a tool's argument schema. `list_tools` and
//! `describe_tool` are added when the listed tools leave room for them. ChatGPT's limits are
//! kept here: at most [`MAX_OPERATIONS`] operations, summaries and descriptions at most 300
//! characters, parameter descriptions at most 700.
//!
//! The document is rendered once at startup, as JSON and as YAML from the same value.

use std::sync::Arc;

use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use redmine_tools::{Registry, Tool};
use serde_json::{Map, Value, json};

use crate::body::{ResponseBody, full};
use crate::config::GatewayConfig;
use crate::routing::API_PREFIX;
use crate::state::AppState;

/// The most operations ChatGPT handles well in one GPT (users report trouble beyond 30).
pub const MAX_OPERATIONS: usize = 30;

/// ChatGPT's limit for summaries and descriptions of operations.
const MAX_DESCRIPTION: usize = 300;

/// ChatGPT's limit for parameter descriptions.
const MAX_PARAMETER_DESCRIPTION: usize = 700;

/// The document for `registry` as configured.
pub fn openapi_document(config: &GatewayConfig, registry: &Registry) -> Value {
    let mut paths = Map::new();
    // call_tool always has its place: it is how every other tool is reached.
    let budget = MAX_OPERATIONS - 1;
    let mut count = 0;
    for tool in registry.tools().iter().filter(|t| t.spec().binding.listed) {
        if count >= budget {
            // The tool authors keep the listed set small; past the budget a tool is still
            // reachable through call_tool.
            tracing::warn!(tool = tool.name(), "more listed tools than operations allowed");
            continue;
        }
        count += 1;
        let binding = &tool.spec().binding;
        let path = format!("{API_PREFIX}{}", binding.path);
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[binding.method.as_str().to_ascii_lowercase()] = tool_operation(tool);
    }
    generic_operations(registry, &mut paths, MAX_OPERATIONS - count);

    let mut security = vec![json!({"redmine_oauth": config.oauth_scopes})];
    if !config.require_auth {
        // Without required auth a request may come without a token.
        security.push(json!({}));
    }

    json!({
        "openapi": "3.1.0",
        "info": {
            "title": config.api_info.title,
            "version": config.api_info.version,
            "description": limit_chars(
                "Redmine for ChatGPT: projects, issues, time entries, wiki and more. Every call \
                 runs with the signed-in user's own Redmine permissions.",
                MAX_DESCRIPTION,
            ),
            "contact": {"email": config.api_info.contact_email},
        },
        "servers": [{"url": config.public_url.as_str().trim_end_matches('/')}],
        "security": security,
        "paths": paths,
        "components": components(config),
    })
}

/// The operation of one listed tool.
fn tool_operation(tool: &Tool) -> Value {
    let spec = tool.spec();
    let binding = &spec.binding;
    let schema = tool.input_schema();
    let properties =
        schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let path_params: Vec<&str> = binding.path_params().collect();

    let mut parameters = Vec::new();
    for name in &path_params {
        let property = properties.get(*name).cloned().unwrap_or_else(|| json!({"type": "string"}));
        parameters.push(parameter(name, "path", true, property));
    }

    let mut operation = json!({
        "operationId": spec.name,
        "summary": limit_chars(spec.title, MAX_DESCRIPTION),
        "description": limit_chars(spec.description, MAX_DESCRIPTION),
        "x-openai-isConsequential": !spec.annotations.read_only,
        "responses": responses("The tool's answer, compact JSON."),
    });

    let rest: Map<String, Value> =
        properties.into_iter().filter(|(name, _)| !path_params.contains(&name.as_str())).collect();
    if binding.has_body() {
        if !rest.is_empty() {
            let body_required: Vec<&str> =
                required.iter().copied().filter(|name| !path_params.contains(name)).collect();
            let mut body = schema.clone();
            body["properties"] = Value::Object(rest);
            if body_required.is_empty() {
                if let Some(object) = body.as_object_mut() {
                    object.remove("required");
                }
            } else {
                body["required"] = json!(body_required);
            }
            operation["requestBody"] = json!({
                "required": !body_required.is_empty(),
                "content": {"application/json": {"schema": body}},
            });
        }
    } else {
        for (name, property) in rest {
            let is_required = required.contains(&name.as_str());
            parameters.push(parameter(&name, "query", is_required, property));
        }
    }
    if !parameters.is_empty() {
        operation["parameters"] = Value::Array(parameters);
    }
    operation
}

/// A path or query parameter typed by its property schema, whose description moves up to the
/// parameter.
fn parameter(name: &str, location: &str, required: bool, mut schema: Value) -> Value {
    let description = schema
        .as_object_mut()
        .and_then(|object| {
            object.remove("title");
            object.remove("description")
        })
        .and_then(|d| d.as_str().map(str::to_owned))
        .unwrap_or_default();

    let mut parameter = json!({"name": name, "in": location, "required": required});
    if !description.is_empty() {
        parameter["description"] = json!(limit_chars(&description, MAX_PARAMETER_DESCRIPTION));
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => {
            // Lists travel comma-separated: `?ids=1,2,3`.
            parameter["style"] = json!("form");
            parameter["explode"] = json!(false);
            parameter["schema"] = schema;
        }
        Some("object") if location == "query" => {
            // Objects travel as JSON text in the query.
            parameter["content"] = json!({"application/json": {"schema": schema}});
        }
        _ => parameter["schema"] = schema,
    }
    parameter
}

/// `call_tool`, then `list_tools` and `describe_tool` while `room` allows.
fn generic_operations(registry: &Registry, paths: &mut Map<String, Value>, room: usize) {
    let names: Vec<&str> = registry.tools().iter().map(Tool::name).collect();
    let unlisted: Vec<&str> =
        registry.tools().iter().filter(|t| !t.spec().binding.listed).map(Tool::name).collect();
    let any_write = registry.tools().iter().any(|t| !t.spec().annotations.read_only);
    let tool_name = json!({
        "name": "tool_name",
        "in": "path",
        "required": true,
        "description": limit_chars(
            &format!(
                "The tool's name. Tools without an operation of their own: {}.",
                unlisted.join(", ")
            ),
            MAX_PARAMETER_DESCRIPTION,
        ),
        "schema": {"type": "string", "enum": names},
    });

    let mut item = json!({"post": {
        "operationId": "call_tool",
        "summary": "Run any tool",
        "description": limit_chars(
            "Run any Redmine tool by name, including those without an operation of their own: \
             put its arguments under `arguments`. Send {\"describe\": true} instead to get the \
             tool's description and argument schema without running it.",
            MAX_DESCRIPTION,
        ),
        "x-openai-isConsequential": any_write,
        "parameters": [tool_name.clone()],
        "requestBody": {
            "required": false,
            "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "arguments": {
                        "type": "object",
                        "description": "The tool's arguments, as its schema gives them.",
                    },
                    "describe": {
                        "type": "boolean",
                        "description": "True to get the tool's argument schema instead of \
                                        running it.",
                    },
                },
                "additionalProperties": false,
            }}},
        },
        "responses": responses("The tool's answer, compact JSON."),
    }});
    if room >= 3 {
        item["get"] = json!({
            "operationId": "describe_tool",
            "summary": "Describe a tool",
            "description": "Get one tool's description and the JSON Schema of its arguments, \
                            to call it correctly with call_tool.",
            "x-openai-isConsequential": false,
            "parameters": [tool_name],
            "responses": responses("The tool with its argument schema."),
        });
    }
    paths.insert(format!("{API_PREFIX}/tools/{{tool_name}}"), item);

    if room >= 2 {
        paths.insert(
            format!("{API_PREFIX}/tools"),
            json!({"get": {
                "operationId": "list_tools",
                "summary": "List every tool",
                "description": "List every Redmine tool this server offers, with what it does \
                                and whether it only reads. Any tool can be run with call_tool.",
                "x-openai-isConsequential": false,
                "responses": responses("The tools."),
            }}),
        );
    }
}

/// The responses every operation shares.
fn responses(success: &str) -> Value {
    let error = json!({"$ref": "#/components/responses/Error"});
    json!({
        "200": {
            "description": success,
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "400": error,
        "401": error,
        "403": error,
        "404": error,
        "422": error,
        "502": error,
        "504": error,
    })
}

fn components(config: &GatewayConfig) -> Value {
    let scopes: Map<String, Value> = config
        .oauth_scopes
        .iter()
        .map(|scope| (scope.clone(), json!(format!("Redmine permission {scope}"))))
        .collect();
    json!({
        "securitySchemes": {"redmine_oauth": {
            "type": "oauth2",
            "description": "Sign in with Redmine (OAuth 2 authorization code, Redmine 6.1.3+).",
            "flows": {"authorizationCode": {
                "authorizationUrl": config.public("/oauth/authorize"),
                "tokenUrl": config.public("/oauth/token"),
                "refreshUrl": config.public("/oauth/token"),
                "scopes": scopes,
            }},
        }},
        "schemas": {"Error": {
            "type": "object",
            "required": ["error", "message", "status"],
            "properties": {
                "error": {"type": "string", "description": "A stable code, such as invalid_arguments."},
                "message": {"type": "string", "description": "What went wrong and what to do."},
                "status": {"type": "integer", "description": "The HTTP status."},
                "details": {
                    "type": "object",
                    "description": "Every argument problem with its path, or Redmine's messages.",
                },
            },
        }},
        "responses": {"Error": {
            "description": "An error, with what to do about it.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }},
    })
}

/// `text` cut to at most `max` characters, at a word boundary with an ellipsis when cut.
pub fn limit_chars(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max / 2 => &cut[..space],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// The document as JSON and YAML text, rendered once.
#[derive(Debug, Clone)]
pub struct RenderedDocument {
    /// Pretty JSON with a final newline.
    pub json: String,
    /// YAML of the same value.
    pub yaml: String,
}

impl RenderedDocument {
    /// Renders `document` both ways.
    pub fn new(document: &Value) -> Result<Self, String> {
        Ok(Self { json: render_json(document), yaml: render_yaml(document)? })
    }
}

/// Pretty JSON with a final newline, as committed in `docs/openapi.json`.
pub fn render_json(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

/// YAML, as committed in `docs/openapi.yaml`.
pub fn render_yaml(document: &Value) -> Result<String, String> {
    serde_norway::to_string(document).map_err(|e| e.to_string())
}

/// `GET /api/v1/openapi.json`.
pub fn serve_json(state: &Arc<AppState>) -> Response<ResponseBody> {
    text(state.openapi.json.clone(), "application/json")
}

/// `GET /api/v1/openapi.yaml`.
pub fn serve_yaml(state: &Arc<AppState>) -> Response<ResponseBody> {
    text(state.openapi.yaml.clone(), "application/yaml")
}

fn text(body: String, content_type: &'static str) -> Response<ResponseBody> {
    let mut response = Response::new(full(body));
    *response.status_mut() = StatusCode::OK;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

#[cfg(test)]
mod tests {
    use redmine_tools::RegistryConfig;

    use super::*;

    fn document() -> Value {
        openapi_document(
            &GatewayConfig::default(),
            &Registry::new(&RegistryConfig::default()).unwrap(),
        )
    }

    fn operations(document: &Value) -> Vec<(&str, &Value)> {
        let mut operations = Vec::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (_, operation) in item.as_object().unwrap() {
                operations.push((path.as_str(), operation));
            }
        }
        operations
    }

    #[test]
    fn limit_chars_cuts_at_words_within_the_limit() {
        assert_eq!(limit_chars("short", 10), "short");
        let cut = limit_chars("one two three four five six", 12);
        assert!(cut.chars().count() <= 12, "{cut}");
        assert!(cut.ends_with('…'));
        assert_eq!(limit_chars("ééééé", 3).chars().count(), 3);
        assert_eq!(limit_chars("a\n   b", 10), "a b");
    }

    #[test]
    fn the_document_obeys_chatgpt_limits() {
        let document = document();
        assert_eq!(document["openapi"], "3.1.0");
        let operations = operations(&document);
        assert!(operations.len() <= MAX_OPERATIONS, "{} operations", operations.len());

        let mut ids = Vec::new();
        for (path, operation) in operations {
            let id = operation["operationId"].as_str().unwrap();
            assert!(!ids.contains(&id), "duplicate operationId {id}");
            ids.push(id);
            for key in ["summary", "description"] {
                let text = operation[key].as_str().unwrap_or_default();
                assert!(text.chars().count() <= 300, "{path} {key}");
            }
            assert!(operation["x-openai-isConsequential"].is_boolean(), "{path}");
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let text = parameter["description"].as_str().unwrap_or_default();
                assert!(text.chars().count() <= 700, "{path} {}", parameter["name"]);
            }
        }
        assert!(ids.contains(&"call_tool"));
        let registry = Registry::new(&RegistryConfig::default()).unwrap();
        let listed = registry.tools().iter().filter(|t| t.spec().binding.listed).count();
        assert!(
            listed < MAX_OPERATIONS,
            "{listed} tools are listed: at most {} fit beside call_tool",
            MAX_OPERATIONS - 1
        );
    }

    #[test]
    fn every_enabled_tool_is_in_the_call_tool_enum() {
        let registry = Registry::new(&RegistryConfig::default()).unwrap();
        let document = openapi_document(&GatewayConfig::default(), &registry);
        let call = &document["paths"]["/api/v1/tools/{tool_name}"]["post"];
        let names = call["parameters"][0]["schema"]["enum"].as_array().unwrap();
        assert_eq!(names.len(), registry.tools().len());
    }

    #[test]
    fn listed_tools_get_typed_parameters_and_bodies() {
        let registry = Registry::new(&RegistryConfig::default()).unwrap();
        let document = openapi_document(&GatewayConfig::default(), &registry);
        for tool in registry.tools().iter().filter(|t| t.spec().binding.listed) {
            let binding = &tool.spec().binding;
            let path = format!("{API_PREFIX}{}", binding.path);
            let operation = &document["paths"][&path][binding.method.as_str().to_ascii_lowercase()];
            assert_eq!(operation["operationId"], tool.name());
            assert_eq!(operation["x-openai-isConsequential"], !tool.spec().annotations.read_only);
            for name in binding.path_params() {
                let parameters = operation["parameters"].as_array().unwrap();
                let parameter = parameters.iter().find(|p| p["name"] == name).unwrap();
                assert_eq!(parameter["in"], "path");
                assert_eq!(parameter["required"], true);
                assert!(parameter["schema"]["type"].is_string(), "{}", tool.name());
            }
        }
    }

    #[test]
    fn yaml_and_json_carry_the_same_document() {
        let document = document();
        let rendered = RenderedDocument::new(&document).unwrap();
        let from_yaml: Value = serde_norway::from_str(&rendered.yaml).unwrap();
        let from_json: Value = serde_json::from_str(&rendered.json).unwrap();
        assert_eq!(from_yaml, document);
        assert_eq!(from_json, document);
    }

    #[test]
    fn oauth_urls_are_on_the_gateways_domain() {
        let config = GatewayConfig {
            public_url: "https://gpt.example.com/".parse().unwrap(),
            ..GatewayConfig::default()
        };
        let document =
            openapi_document(&config, &Registry::new(&RegistryConfig::default()).unwrap());
        let flow = &document["components"]["securitySchemes"]["redmine_oauth"]["flows"]["authorizationCode"];
        assert_eq!(flow["authorizationUrl"], "https://gpt.example.com/oauth/authorize");
        assert_eq!(flow["tokenUrl"], "https://gpt.example.com/oauth/token");
        assert_eq!(document["servers"][0]["url"], "https://gpt.example.com");
        assert!(flow["scopes"].get("view_issues").is_some());
    }
}

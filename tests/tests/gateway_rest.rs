//! The ChatGPT REST API end to end: every listed route through the gateway against the real
//! Redmine 6.1, as an OAuth user (token from the harness's flow) and as an API-key user (the
//! server key, since ChatGPT sends no header but `Authorization`); the generic tool endpoint;
//! argument validation; and that one user's token never sees another user's data.
//!
//! Requests are built from each tool's REST binding in the registry and an arguments object, the
//! way a client reading the OpenAPI document builds them: `{name}` path parameters, the rest in
//! the query (GET, DELETE) or the JSON body (POST, PUT).

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use redmine_mcp_tests::{HarnessEnv, OAuthFlow, TestGateway};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Who a request acts as.
#[derive(Debug, Clone, Copy)]
enum Caller<'a> {
    /// `Authorization: Bearer <token>`.
    Token(&'a str),
    /// No header: the gateway's server key.
    ServerKey,
}

/// Calls `tool` through its own REST binding with `arguments`.
async fn call(
    gateway: &TestGateway,
    caller: Caller<'_>,
    tool: &str,
    arguments: Value,
) -> (StatusCode, Value) {
    let spec = gateway.state.registry.get(tool).unwrap_or_else(|| panic!("no tool {tool}")).spec();
    let binding = &spec.binding;
    let Value::Object(mut arguments) = arguments else { panic!("arguments must be an object") };

    let mut path = format!("api/v1{}", binding.path);
    for name in binding.path_params() {
        let value = arguments.remove(name).unwrap_or_else(|| panic!("{tool} needs {name}"));
        let text = match value {
            Value::String(text) => text,
            other => other.to_string(),
        };
        path = path.replace(&format!("{{{name}}}"), &urlencode(&text));
    }

    let method = Method::from_bytes(binding.method.as_str().as_bytes()).unwrap();
    let mut request = reqwest::Client::new().request(method, gateway.url(&path));
    if binding.has_body() {
        request = request.json(&arguments);
    } else {
        let pairs: Vec<(String, String)> = arguments
            .into_iter()
            .map(|(key, value)| {
                let text = match value {
                    Value::String(text) => text,
                    Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(","),
                    other => other.to_string(),
                };
                (key, text)
            })
            .collect();
        request = request.query(&pairs);
    }
    send(request, caller).await
}

async fn send(request: reqwest::RequestBuilder, caller: Caller<'_>) -> (StatusCode, Value) {
    let request = match caller {
        Caller::Token(token) => request.bearer_auth(token),
        Caller::ServerKey => request,
    };
    let response = request.send().await.expect("the gateway answers");
    let status = response.status();
    let content_type = response.headers().get("content-type").cloned();
    let text = response.text().await.unwrap();
    assert_eq!(
        content_type.as_ref().and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "every answer is JSON: {status} {text}"
    );
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")))
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>().replace('+', "%20")
}

/// The id of the record a create tool answered with (the first object member carrying an id),
/// null when the call failed (the failure is reported on its own).
/// The id of the record a create call answered with, under `record` (`issue`, `project`, ...).
///
/// Only that record's own id counts: any other `id` in the answer (its project's, its
/// author's) names a record this test did not create and must never update or delete.
fn created_id(answer: Option<&Value>, record: &str) -> Option<u64> {
    let answer = answer?;
    answer.get(record).and_then(|r| r.get("id")).or_else(|| answer.get("id"))?.as_u64()
}

fn unique() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{:x}", nanos % 0xffff_ffff)
}

/// Arguments for every listed read tool, for the admin.
fn read_arguments(env: &HarnessEnv) -> BTreeMap<&'static str, Value> {
    let a = &env.project("a").identifier;
    BTreeMap::from([
        ("list_projects", json!({"limit": 10})),
        ("get_project", json!({"id": a, "include": ["trackers"]})),
        ("list_issues", json!({"project": a, "limit": 5, "sort": "id"})),
        ("get_issue", json!({"id": env.id("issue_parent"), "include": ["journals", "relations"]})),
        ("list_time_entries", json!({"project": a, "limit": 5})),
        ("get_time_entry", json!({"id": env.id("time_entry_dev_a")})),
        ("list_users", json!({"limit": 10})),
        ("get_user", json!({"id": env.user("developer").id})),
        ("get_current_user", json!({})),
        ("list_groups", json!({})),
        ("list_versions", json!({"project": a})),
        ("get_version", json!({"id": env.id("version_a_1")})),
        ("list_memberships", json!({"project": a})),
        ("list_queries", json!({})),
        ("list_custom_fields", json!({})),
        ("list_trackers", json!({})),
        ("list_issue_statuses", json!({})),
        ("search", json!({"q": "issue", "limit": 5})),
        ("get_wiki_page", json!({"project": env.wiki.project, "title": env.wiki.title})),
    ])
}

/// The listed write tools, run in an order that leaves nothing behind.
const WRITE_TOOLS: &[&str] = &[
    "create_project",
    "update_project",
    "create_version",
    "create_issue",
    "update_issue",
    "add_issue_note",
    "create_time_entry",
    "update_time_entry",
    "delete_issue",
    "delete_project",
];

/// Runs every listed route as `caller` (an administrator) and returns what went wrong.
async fn every_listed_route(
    gateway: &TestGateway,
    env: &HarnessEnv,
    caller: Caller<'_>,
) -> Vec<String> {
    let mut failures = Vec::new();
    let mut covered: Vec<&str> = Vec::new();

    for (tool, arguments) in read_arguments(env) {
        if gateway.state.registry.get(tool).is_none() {
            failures.push(format!("{tool}: not in the registry"));
            continue;
        }
        covered.push(tool);
        let (status, body) = call(gateway, caller, tool, arguments).await;
        if status != StatusCode::OK || !body.is_object() {
            failures.push(format!("{tool}: {status} {body}"));
        }
    }

    let suffix = unique();
    let identifier = format!("gw-{suffix}");
    let mut answers: BTreeMap<&str, Value> = BTreeMap::new();
    for &tool in WRITE_TOOLS {
        if gateway.state.registry.get(tool).is_none() {
            failures.push(format!("{tool}: not in the registry"));
            continue;
        }
        covered.push(tool);
        let issue = created_id(answers.get("create_issue"), "issue");
        let project = created_id(answers.get("create_project"), "project");
        let entry = created_id(answers.get("create_time_entry"), "time_entry");
        let needs = match tool {
            "update_project" | "create_version" | "create_issue" | "delete_project" => project,
            "update_issue" | "add_issue_note" | "create_time_entry" | "delete_issue" => issue,
            "update_time_entry" => entry,
            _ => Some(0),
        };
        // Never act on an id this run did not create: a failed create must not turn a later
        // update or delete into one on a seeded record.
        let Some(id) = needs else {
            failures.push(format!("{tool}: skipped, the record it acts on was not created"));
            continue;
        };
        let arguments = match tool {
            "create_project" => {
                json!({"name": format!("Gateway {suffix}"), "identifier": identifier})
            }
            "update_project" => {
                json!({"id": id.to_string(), "description": "changed through REST"})
            }
            "create_version" => {
                json!({"project": id.to_string(), "name": format!("v-{suffix}")})
            }
            "create_issue" => {
                json!({"project": id.to_string(), "subject": format!("REST {suffix}")})
            }
            "update_issue" => json!({"id": id, "subject": format!("REST {suffix} (edited)")}),
            "add_issue_note" => json!({"id": id, "notes": "a note through the gateway"}),
            "create_time_entry" => {
                json!({"issue_id": id, "hours": 1.5, "activity": "Development"})
            }
            "update_time_entry" => json!({"id": id, "hours": 2}),
            "delete_issue" => json!({"id": id}),
            "delete_project" => json!({"id": id.to_string()}),
            other => unreachable!("{other}"),
        };
        let (status, body) = call(gateway, caller, tool, arguments).await;
        if status != StatusCode::OK || !body.is_object() {
            failures.push(format!("{tool}: {status} {body}"));
        }
        answers.insert(tool, body);
    }

    let listed: Vec<&str> = gateway
        .state
        .registry
        .tools()
        .iter()
        .filter(|t| t.spec().binding.listed)
        .map(redmine_tools::Tool::name)
        .collect();
    for tool in listed {
        if !covered.contains(&tool) {
            failures.push(format!("{tool}: listed but not exercised by this test; add it"));
        }
    }
    failures
}

#[tokio::test]
async fn every_listed_route_works_for_an_oauth_user() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |_| {}).await;
    let scopes: Vec<&str> = env.oauth().scopes.iter().map(String::as_str).collect();
    let token = OAuthFlow::redmine(env).token_for(env.user("admin"), &scopes).await.unwrap();

    let failures = every_listed_route(&gateway, env, Caller::Token(&token.access_token)).await;
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn every_listed_route_works_for_an_api_key_user() {
    let env = HarnessEnv::redmine61();
    let key = env.user("admin").api_key.clone();
    let gateway = TestGateway::start(env, |config| {
        config.server_api_key = Some(redmine_client::ApiKey::new(key));
    })
    .await;

    let failures = every_listed_route(&gateway, env, Caller::ServerKey).await;
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn each_caller_sees_only_what_redmine_lets_them() {
    let env = HarnessEnv::redmine61();
    let dev = env.user("developer");
    let gateway = TestGateway::start(env, |config| {
        // A server key exists, and must not leak into requests that bring a token.
        config.server_api_key =
            Some(redmine_client::ApiKey::new(env.user("admin").api_key.clone()));
    })
    .await;
    let flow = OAuthFlow::redmine(env);
    let dev_token = flow.token_for(dev, &["view_project", "view_issues"]).await.unwrap();
    let outsider = env.user("outsider");
    let outsider_token = flow.token_for(outsider, &["view_project", "view_issues"]).await.unwrap();

    let (status, me) =
        call(&gateway, Caller::Token(&dev_token.access_token), "get_current_user", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["login"], dev.login.as_str(), "{me}");

    // The private project C is the admin's (the server key's) and not the developer's.
    let issue_c = json!({"id": env.id("issue_c")});
    let (status, body) =
        call(&gateway, Caller::Token(&dev_token.access_token), "get_issue", issue_c.clone()).await;
    assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{body}");
    assert!(body.get("issue").is_none(), "{body}");
    let (status, _) = call(&gateway, Caller::ServerKey, "get_issue", issue_c.clone()).await;
    assert_eq!(status, StatusCode::OK);

    // Two users at once: each answer names its own caller.
    let (dev_me, outsider_me) = futures::join!(
        call(&gateway, Caller::Token(&dev_token.access_token), "get_current_user", json!({})),
        call(&gateway, Caller::Token(&outsider_token.access_token), "get_current_user", json!({})),
    );
    assert_eq!(dev_me.1["user"]["login"], dev.login.as_str());
    assert_eq!(outsider_me.1["user"]["login"], outsider.login.as_str());

    // The outsider has no role anywhere: the private project's issue does not exist for them.
    let (status, body) =
        call(&gateway, Caller::Token(&outsider_token.access_token), "get_issue", issue_c).await;
    assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{body}");
}

#[tokio::test]
async fn the_generic_endpoint_runs_and_describes_any_tool() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |config| {
        config.server_api_key =
            Some(redmine_client::ApiKey::new(env.user("developer").api_key.clone()));
    })
    .await;
    let client = reqwest::Client::new();

    let (status, body) = send(client.get(gateway.url("api/v1/tools")), Caller::ServerKey).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["count"], gateway.state.registry.tools().len());

    // An unlisted tool, through the generic endpoint.
    let request = client
        .post(gateway.url("api/v1/tools/list_issue_relations"))
        .json(&json!({"arguments": {"issue_id": env.id("issue_parent")}}));
    let (status, body) = send(request, Caller::ServerKey).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["relations"].as_array().is_some_and(|r| !r.is_empty()), "{body}");

    let request = client
        .post(gateway.url("api/v1/tools/list_issue_relations"))
        .json(&json!({"describe": true}));
    let (status, body) = send(request, Caller::ServerKey).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["input_schema"]["type"], "object");

    let (status, body) =
        send(client.get(gateway.url("api/v1/tools/get_issue")), Caller::ServerKey).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["input_schema"]["properties"]["id"].is_object(), "{body}");

    let request = client.post(gateway.url("api/v1/tools/no_such_tool")).json(&json!({}));
    let (status, body) = send(request, Caller::ServerKey).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "unknown_tool");

    let request = client.post(gateway.url("api/v1/tools/get_issue")).json(&json!({"id": 1}));
    let (status, body) = send(request, Caller::ServerKey).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("arguments"), "{body}");
}

#[tokio::test]
async fn validation_errors_list_every_problem_with_its_path() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |config| {
        config.server_api_key =
            Some(redmine_client::ApiKey::new(env.user("developer").api_key.clone()));
    })
    .await;
    let client = reqwest::Client::new();

    // Two problems in the query: a limit out of range and an unknown parameter.
    let request = client.get(gateway.url("api/v1/issues?limit=500&colour=red"));
    let (status, body) = send(request, Caller::ServerKey).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_arguments");
    assert_eq!(body["status"], 400);
    let problems = body["details"]["problems"].as_array().unwrap();
    assert!(problems.len() >= 2, "{body}");
    assert!(problems.iter().any(|p| p["path"] == "/limit"), "{body}");

    // A path parameter of the wrong type.
    let (status, body) =
        send(client.get(gateway.url("api/v1/issues/abc")), Caller::ServerKey).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["details"]["problems"].as_array().unwrap().iter().any(|p| p["path"] == "/id"));

    // A body that is not JSON, and one missing what is required.
    let request = client
        .post(gateway.url("api/v1/issues"))
        .body("{not json")
        .header("content-type", "application/json");
    let (status, body) = send(request, Caller::ServerKey).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    let request = client.post(gateway.url("api/v1/issues")).json(&json!({"done_ratio": 500}));
    let (status, body) = send(request, Caller::ServerKey).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["details"]["problems"].as_array().unwrap().len() >= 2, "{body}");

    // Redmine's own 422 keeps its messages.
    let request = client
        .post(gateway.url("api/v1/issues"))
        .json(&json!({"project": env.project("a").identifier, "subject": "x", "start_date": "2025-02-01", "due_date": "2025-01-01"}));
    let (status, body) = send(request, Caller::ServerKey).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["details"]["redmine_errors"].as_array().is_some_and(|e| !e.is_empty()), "{body}");
}

#[tokio::test]
async fn wrong_methods_and_unknown_paths_get_json_errors() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |_| {}).await;
    let client = reqwest::Client::new();

    let response = client.patch(gateway.url("api/v1/projects")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET") && allow.contains("POST") && allow.contains("HEAD"), "{allow}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "method_not_allowed");

    let (status, body) =
        send(client.get(gateway.url("api/v1/nothing/here")), Caller::ServerKey).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));

    let response = client.head(gateway.url("health")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().contains_key("x-request-id"));
    assert!(response.text().await.unwrap().is_empty());
}

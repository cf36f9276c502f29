//! MCP `tools/call` over HTTP against the real Redmine 6.1.
//!
//! The gateway answers a plain `tools/call` itself and hands every other MCP request to rmcp;
//! both must give the client the same answer. Each call here is sent twice: once plain, and
//! once with quality weights in `Accept` (same media types, same meaning), which the gateway
//! leaves to rmcp. Status, content type and JSON must agree, for answers, `isError` results
//! and protocol errors alike.

use redmine_mcp_tests::{HarnessEnv, TestGateway};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn env() -> &'static HarnessEnv {
    HarnessEnv::redmine61()
}

/// What the MCP client SDKs send.
const PLAIN: &str = "application/json, text/event-stream";
/// The same media types with weights: read by rmcp.
const WEIGHTED: &str = "application/json;q=1, text/event-stream;q=0.9";

#[derive(Debug, PartialEq)]
struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    body: Value,
}

async fn post(gateway: &TestGateway, accept: &str, version: Option<&str>, body: &Value) -> Answer {
    let mut request = reqwest::Client::new()
        .post(gateway.url("mcp"))
        .header("accept", accept)
        .header("x-redmine-api-key", &env().user("developer").api_key)
        .json(body);
    if let Some(version) = version {
        request = request.header("mcp-protocol-version", version);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let content_type =
        response.headers().get("content-type").map(|value| value.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    // rmcp answers some malformed requests in plain text.
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer { status, content_type, body }
}

/// Sends `body` plainly and through rmcp, asserts both answers are the same, and returns it.
async fn both_ways(gateway: &TestGateway, version: Option<&str>, body: Value) -> Answer {
    let plain = post(gateway, PLAIN, version, &body).await;
    let weighted = post(gateway, WEIGHTED, version, &body).await;
    assert_eq!(plain, weighted, "the two paths answer {body} differently");
    plain
}

fn call(id: &Value, tool: &str, arguments: &Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": tool, "arguments": arguments}})
}

#[tokio::test]
async fn a_tool_answer_is_the_same_text_and_structured_content_either_way() {
    let gateway = TestGateway::start(env(), |_| {}).await;
    for version in [None, Some("2025-03-26"), Some("2025-06-18"), Some("2025-11-25")] {
        for tool in ["list_trackers", "list_issue_statuses", "get_current_user"] {
            let answer = both_ways(&gateway, version, call(&json!(7), tool, &json!({}))).await;
            assert_eq!(answer.status, StatusCode::OK);
            assert_eq!(answer.content_type.as_deref(), Some("application/json"));
            assert_eq!(answer.body["id"], 7);
            let result = &answer.body["result"];
            assert_eq!(result["isError"], false, "{tool}: {result}");
            assert!(result.get("resultType").is_none(), "no resultType before 2026-07-28");
            let text = result["content"][0]["text"].as_str().unwrap();
            let structured = &result["structuredContent"];
            assert!(structured.is_object(), "{tool}: {result}");
            assert_eq!(&serde_json::from_str::<Value>(text).unwrap(), structured);
        }
    }

    let project = &env().project("a").identifier;
    let answer = both_ways(
        &gateway,
        Some("2025-06-18"),
        call(&json!("call-1"), "get_project", &json!({"id": project})),
    )
    .await;
    assert_eq!(answer.body["id"], "call-1");
    assert_eq!(answer.body["result"]["structuredContent"]["project"]["identifier"], *project);
}

#[tokio::test]
async fn failures_are_the_same_results_and_errors_either_way() {
    let gateway = TestGateway::start(env(), |_| {}).await;
    let version = Some("2025-06-18");

    let missing =
        both_ways(&gateway, version, call(&json!(1), "get_issue", &json!({"id": 999_999}))).await;
    assert_eq!(missing.body["result"]["isError"], true);
    assert_eq!(missing.body["result"]["structuredContent"]["status"], 404);

    let bad = both_ways(&gateway, version, call(&json!(2), "get_issue", &json!({"id": "x"}))).await;
    assert_eq!(bad.body["result"]["structuredContent"]["error"], "invalid_arguments");

    let unknown = both_ways(&gateway, version, call(&json!(3), "no_such_tool", &json!({}))).await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(unknown.body["error"]["code"], -32602);
    assert_eq!(unknown.body["id"], 3);

    // Arguments left out or null mean none; a tool needing some says which.
    for params in [json!({"name": "get_issue"}), json!({"name": "get_issue", "arguments": null})] {
        let body = json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": params});
        let answer = both_ways(&gateway, version, body).await;
        assert_eq!(answer.body["result"]["isError"], true, "{}", answer.body);
    }
}

#[tokio::test]
async fn calls_that_are_not_plain_still_get_rmcp_s_answers() {
    let gateway = TestGateway::start(env(), |_| {}).await;
    let version = Some("2025-06-18");

    // A progress token in `_meta` is rmcp's to read: the call is served through rmcp.
    let with_meta = json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call",
        "params": {"name": "list_trackers", "arguments": {}, "_meta": {"progressToken": 1}}});
    let answer = both_ways(&gateway, version, with_meta).await;
    assert_eq!(answer.body["result"]["isError"], false);

    // Positional parameters are not MCP's: refused the same way on both paths.
    let positional = json!({"jsonrpc": "2.0", "id": 6, "method": "tools/call",
        "params": ["list_trackers", {}]});
    let answer = both_ways(&gateway, version, positional).await;
    assert!(answer.body.get("error").is_some() || answer.status != StatusCode::OK, "{answer:?}");

    // An unknown revision is refused before any tool runs.
    let plain = reqwest::Client::new()
        .post(gateway.url("mcp"))
        .header("accept", PLAIN)
        .header("mcp-protocol-version", "1999-01-01")
        .header("x-redmine-api-key", &env().user("developer").api_key)
        .json(&call(&json!(8), "list_trackers", &json!({})))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
}

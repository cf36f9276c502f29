//! `tools/call` answered straight from the registry, for the requests that stand alone.
//!
//! On a stateless server rmcp serves each POST by starting a service for it: the JSON-RPC
//! message decoded through untagged enums, a task, channels and cancellation tokens, the
//! server's description rebuilt, and the tool's answer parsed into a `Value` to be written
//! again as structured content. For `tools/call`, the method nearly every request uses, that
//! was about as much CPU as the tool call itself. So a POST that is plainly a `tools/call` rmcp
//! would hand to [`RedmineMcp`] unchanged is answered here, and every other POST goes to rmcp
//! as it came:
//!
//! - headers: `Accept` lists `application/json` and `text/event-stream` without parameters,
//!   `Content-Type` is `application/json`, `MCP-Protocol-Version` is absent or a revision
//!   before 2026-07-28 that rmcp knows, and no SEP-2243 `Mcp-Method`, `Mcp-Name` or
//!   `Mcp-Param-*` header is present;
//! - body: one JSON object with exactly `jsonrpc: "2.0"`, an integer or string `id`,
//!   `method: "tools/call"` and `params` holding a string `name` and, optionally, an object (or
//!   null) `arguments`; no `_meta`, so nothing is negotiated per request.
//!
//! The answer is the one rmcp gives: the same JSON-RPC message (a tool's answer as text and as
//! structured content, `isError`, no `resultType` for these revisions), HTTP 200 and
//! `application/json`. The tests send each call both ways and compare. (A body over the size
//! limit, which rmcp answers in plain text, gets the gateway's JSON 413 here, as on every other
//! route.)

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Request, Response};
use redmine_client::Credentials;
use redmine_tools::ToolOutput;
use rmcp::model::{JsonObject, ProtocolVersion, RequestId, ServerJsonRpcMessage, ServerResult};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::handler::{RedmineMcp, failure, success};
use crate::body::{RequestBody, ResponseBody, full, read_limited};
use crate::error::ApiError;

/// What became of a POST.
pub(super) enum Outcome {
    /// Answered here.
    Answered(Response<ResponseBody>),
    /// Not a plain `tools/call`: the request (its body unchanged) and its caller, for rmcp.
    Declined(Request<RequestBody>, Credentials),
}

/// Answers `request` when it is a plain `tools/call`, running it as the holder of
/// `credentials`; declines it otherwise.
pub(super) async fn serve(
    server: &RedmineMcp,
    request: Request<RequestBody>,
    credentials: Credentials,
    max_body_bytes: usize,
) -> Outcome {
    if !plain_headers(request.headers()) {
        return Outcome::Declined(request, credentials);
    }
    let (parts, body) = request.into_parts();
    let bytes = match read_limited(body, max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(error) => return Outcome::Answered(error.into_response()),
    };
    let Some(call) = ToolCall::parse(&bytes) else {
        return Outcome::Declined(Request::from_parts(parts, full(bytes)), credentials);
    };

    let message = match server.run(&call.name, call.arguments, credentials).await {
        Ok(Ok(output)) => return Outcome::Answered(answer(&call.id, output)),
        Ok(Err(error)) => legacy_result(ServerResult::CallToolResult(failure(&error)), call.id),
        Err(error) => ServerJsonRpcMessage::error(error, Some(call.id)),
    };
    Outcome::Answered(json_message(&message))
}

/// Whether the headers are ones rmcp accepts for a request that negotiates nothing.
fn plain_headers(headers: &HeaderMap) -> bool {
    accepts_json_and_event_stream(headers)
        && headers.get(CONTENT_TYPE).is_some_and(is_json)
        && headers.get_all("mcp-protocol-version").iter().count() <= 1
        && headers.get("mcp-protocol-version").is_none_or(is_standalone_revision)
        && !headers.keys().any(|name| {
            let name = name.as_str();
            name == "mcp-method" || name == "mcp-name" || name.starts_with("mcp-param-")
        })
}

/// `Accept` lists both media types MCP asks for. A list with parameters (quality weights,
/// quoted strings) is left to rmcp, which reads them.
fn accepts_json_and_event_stream(headers: &HeaderMap) -> bool {
    let (mut json, mut event_stream) = (false, false);
    for value in headers.get_all(ACCEPT) {
        let Ok(value) = value.to_str() else { return false };
        if value.contains([';', '"']) {
            return false;
        }
        for essence in value.split(',').map(str::trim) {
            json |= essence.eq_ignore_ascii_case("application/json");
            event_stream |= essence.eq_ignore_ascii_case("text/event-stream");
        }
    }
    json && event_stream
}

/// `application/json`, with or without parameters, as rmcp reads `Content-Type`.
fn is_json(value: &HeaderValue) -> bool {
    value.to_str().is_ok_and(|value| {
        let essence = value.split_once(';').map_or(value, |(essence, _)| essence);
        essence.trim().eq_ignore_ascii_case("application/json")
    })
}

/// A revision rmcp knows whose requests carry no per-request `_meta` or standard headers.
fn is_standalone_revision(value: &HeaderValue) -> bool {
    value.to_str().is_ok_and(|version| {
        version < ProtocolVersion::V_2026_07_28.as_str()
            && version < ProtocolVersion::STANDARD_HEADERS.as_str()
            && ProtocolVersion::KNOWN_VERSIONS.iter().any(|known| known.as_str() == version)
    })
}

/// A plain `tools/call` request.
#[derive(Debug)]
struct ToolCall {
    id: RequestId,
    name: String,
    arguments: Option<JsonObject>,
}

/// The JSON-RPC request as sent; any other field makes it not plain.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Message<'a> {
    #[serde(borrow)]
    jsonrpc: &'a str,
    id: RequestId,
    #[serde(borrow)]
    method: &'a str,
    #[serde(borrow)]
    params: &'a RawValue,
}

/// `tools/call`'s parameters as sent; `_meta` (progress tokens, per-request protocol versions)
/// and fields of newer revisions make them not plain.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    name: String,
    #[serde(default)]
    arguments: Option<JsonObject>,
}

impl ToolCall {
    /// `body` as a plain `tools/call`, or `None` for anything else (rmcp answers that).
    fn parse(body: &[u8]) -> Option<Self> {
        // Serde reads a struct from a JSON array too; neither a batch nor positional
        // parameters are a plain call.
        let is_object = |json: &[u8]| json.trim_ascii_start().first() == Some(&b'{');
        if !is_object(body) {
            return None;
        }
        let Message { jsonrpc, id, method, params } = serde_json::from_slice(body).ok()?;
        if jsonrpc != "2.0" || method != "tools/call" || !is_object(params.get().as_bytes()) {
            return None;
        }
        let Params { name, arguments } = serde_json::from_str(params.get()).ok()?;
        Some(Self { id, name, arguments })
    }
}

/// A tool's answer as rmcp writes it for these revisions: the text once as text content and
/// once, as it is, as structured content. An answer that is not a JSON object takes rmcp's own
/// path (these revisions allow only objects as structured content).
fn answer(id: &RequestId, output: ToolOutput) -> Response<ResponseBody> {
    if !output.is_json_object() {
        let id = id.clone();
        return json_message(&legacy_result(ServerResult::CallToolResult(success(output)), id));
    }
    json_response(envelope(id, output.text()))
}

/// `{"jsonrpc":"2.0","id":ID,"result":{"content":[{"type":"text","text":TEXT}],
/// "structuredContent":OBJECT,"isError":false}}`, `object` copied unparsed: it is JSON that
/// serde_json wrote ([`ToolOutput::is_json_object`]).
fn envelope(id: &RequestId, object: &str) -> serde_json::Result<Vec<u8>> {
    // The object twice, a backslash for each quote of the text, and the envelope: rarely more.
    let mut body = Vec::with_capacity(2 * object.len() + object.len() / 4 + 128);
    body.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
    serde_json::to_writer(&mut body, id)?;
    body.extend_from_slice(br#","result":{"content":[{"type":"text","text":"#);
    serde_json::to_writer(&mut body, object)?;
    body.extend_from_slice(br#"}],"structuredContent":"#);
    body.extend_from_slice(object.as_bytes());
    body.extend_from_slice(br#","isError":false}}"#);
    Ok(body)
}

/// `result` as rmcp answers a peer on a revision before 2026-07-28.
fn legacy_result(mut result: ServerResult, id: RequestId) -> ServerJsonRpcMessage {
    result.strip_result_type_for_legacy_peer();
    result.strip_non_object_output_for_legacy_peer();
    ServerJsonRpcMessage::response(result, id)
}

fn json_message(message: &ServerJsonRpcMessage) -> Response<ResponseBody> {
    json_response(serde_json::to_vec(message))
}

/// HTTP 200 with `body`, as rmcp answers a stateless request with JSON.
fn json_response(body: serde_json::Result<Vec<u8>>) -> Response<ResponseBody> {
    match body {
        Ok(body) => {
            let mut response = Response::new(full(Bytes::from(body)));
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        // Our own types, written to memory: this cannot fail, but must not panic either.
        Err(error) => {
            tracing::error!(%error, "writing an MCP answer failed");
            ApiError::internal("the answer could not be written; call again").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use http::StatusCode;
    use http::header::HeaderName;

    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers
                .append(HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
        }
        headers
    }

    const ACCEPT_BOTH: (&str, &str) = ("accept", "application/json, text/event-stream");
    const JSON: (&str, &str) = ("content-type", "application/json");

    #[test]
    fn the_headers_mcp_clients_send_are_plain() {
        assert!(plain_headers(&headers(&[ACCEPT_BOTH, JSON])));
        for version in ["2025-03-26", "2025-06-18", "2025-11-25"] {
            let sent = headers(&[ACCEPT_BOTH, JSON, ("mcp-protocol-version", version)]);
            assert!(plain_headers(&sent), "{version}");
        }
        let split = [("accept", "Application/JSON"), ("accept", "text/event-stream")];
        assert!(plain_headers(&headers(&[
            split[0],
            split[1],
            ("content-type", "application/json; charset=utf-8")
        ])));
    }

    #[test]
    fn headers_that_need_reading_or_negotiating_are_left_to_rmcp() {
        let refused: [&[(&str, &str)]; 10] = [
            &[JSON],
            &[("accept", "application/json"), JSON],
            &[("accept", "*/*"), JSON],
            &[("accept", "application/json;q=1, text/event-stream"), JSON],
            &[("accept", "application/json, text/event-stream;q=0"), JSON],
            &[ACCEPT_BOTH],
            &[ACCEPT_BOTH, ("content-type", "text/plain")],
            &[ACCEPT_BOTH, JSON, ("mcp-protocol-version", "2026-07-28")],
            &[ACCEPT_BOTH, JSON, ("mcp-protocol-version", "1999-01-01")],
            &[ACCEPT_BOTH, JSON, ("mcp-method", "tools/call")],
        ];
        for sent in refused {
            assert!(!plain_headers(&headers(sent)), "{sent:?}");
        }
        let twice = [
            ACCEPT_BOTH,
            JSON,
            ("mcp-protocol-version", "2025-06-18"),
            ("mcp-protocol-version", "2025-11-25"),
        ];
        assert!(!plain_headers(&headers(&twice)));
        assert!(!plain_headers(&headers(&[ACCEPT_BOTH, JSON, ("mcp-param-project", "a")])));
    }

    async fn json_of(response: Response<ResponseBody>) -> serde_json::Value {
        use http_body_util::BodyExt;
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn an_answer_is_written_as_rmcp_writes_it() {
        let answers = [
            serde_json::json!({"issue": {"id": 1, "subject": "Ünïcode \"quoted\"\n"}, "b": [1, 2]}),
            // Not objects: no structured content before 2026-07-28, the text says it all.
            serde_json::json!([1, 2]),
            serde_json::json!("text"),
        ];
        for value in answers {
            let output = || redmine_tools::shape(value.clone().into(), 10_000);
            for id in [RequestId::Number(3), RequestId::String("x".into())] {
                let response = answer(&id, output());
                assert_eq!(response.status(), StatusCode::OK);
                assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
                let rmcp = legacy_result(ServerResult::CallToolResult(success(output())), id);
                assert_eq!(json_of(response).await, serde_json::to_value(&rmcp).unwrap());
            }
        }
        let array = json_of(answer(
            &RequestId::Number(1),
            redmine_tools::shape(serde_json::json!([1]).into(), 100),
        ))
        .await;
        assert!(array["result"].get("structuredContent").is_none(), "{array}");
        assert_eq!(array["result"]["content"][0]["text"], "[1]");
    }

    #[test]
    fn a_plain_call_is_read_with_its_id_name_and_arguments() {
        let call = ToolCall::parse(
            br#" {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_issue","arguments":{"id":1}}}"#,
        )
        .unwrap();
        assert_eq!(call.id, RequestId::Number(7));
        assert_eq!(call.name, "get_issue");
        assert_eq!(call.arguments.unwrap()["id"], 1);

        let call = ToolCall::parse(
            br#"{"params":{"arguments":null,"name":"list_trackers"},"method":"tools/call","id":"a","jsonrpc":"2.0"}"#,
        )
        .unwrap();
        assert_eq!(call.id, RequestId::String("a".into()));
        assert!(call.arguments.is_none());
        let call = ToolCall::parse(
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}"#,
        );
        assert!(call.unwrap().arguments.is_none());
    }

    #[test]
    fn anything_but_a_plain_call_is_left_to_rmcp() {
        let refused = [
            "",
            "not json",
            r#"[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}]"#,
            r#"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":1.5,"method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"1.0","id":1,"method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":null}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":["x",{}]}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{}}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":7}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":[1]}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","_meta":{"progressToken":1}}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","requestState":"s"}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","name":"y"}}"#,
            r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"tools/call","params":{"name":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"},"extra":1}"#,
        ];
        for body in refused {
            assert!(ToolCall::parse(body.as_bytes()).is_none(), "{body}");
        }
    }
}

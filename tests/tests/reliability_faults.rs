//! Upstream faults: the real `redmine-mcp` binary against a Redmine stand-in that stalls,
//! resets, answers HTML, malformed JSON, 20 MB, or a redirect to another host, and against a
//! closed port. Each fault must give the documented JSON error (`{error, message, status}`,
//! 502 or 504) promptly on the REST face and an `isError` result on the MCP face, `/health`
//! must stay up, memory must come back after the 20 MB answers, and no redirect may be
//! followed.

use std::time::{Duration, Instant};

use redmine_mcp_tests::faults::{Fault, FaultServer, StandIn, StandInUser, Trap, closed_port};
use redmine_mcp_tests::spawned::SpawnedGateway;
use serde_json::{Value, json};

const TOKEN: &str = "fault-test-token-7f3a9c";

/// The upstream timeout the gateway runs with, and the slowest answer counted as prompt.
const UPSTREAM_TIMEOUT_SECS: u64 = 1;
const PROMPT: Duration = Duration::from_secs(UPSTREAM_TIMEOUT_SECS + 2);

fn stand_in(redirect_to: Option<std::net::SocketAddr>) -> StandIn {
    StandIn {
        users: vec![StandInUser { secret: TOKEN.to_owned(), id: 7, login: "alice".to_owned() }],
        slow_for: Duration::from_secs(UPSTREAM_TIMEOUT_SECS + 4),
        redirect_to,
    }
}

async fn gateway(upstream: &str) -> SpawnedGateway {
    let timeout = UPSTREAM_TIMEOUT_SECS.to_string();
    SpawnedGateway::start(&[
        ("REDMINE_URL", upstream),
        ("CHATGPT_MODE", "true"),
        ("CHATGPT_REQUIRE_AUTH", "true"),
        ("REDMINE_TIMEOUT_SECS", &timeout),
        ("REDMINE_CONNECT_TIMEOUT_SECS", &timeout),
        ("HEALTH_TIMEOUT_SECS", &timeout),
        ("LOG_LEVEL", "info"),
    ])
    .await
    .expect("the gateway starts")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

/// GET through the REST face; the status, the JSON body and how long it took.
async fn rest_get(gateway: &SpawnedGateway, path: &str) -> (u16, Value, Duration, usize) {
    let started = Instant::now();
    let response = client()
        .get(format!("{}{path}", gateway.url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("the gateway answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a complete body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text:.300}"));
    (status, body, started.elapsed(), text.len())
}

/// A `tools/call` through the MCP face (stateless: no session needed).
async fn mcp_call(gateway: &SpawnedGateway, tool: &str, arguments: Value) -> (u16, Value) {
    let message = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                         "params": {"name": tool, "arguments": arguments}});
    let response = client()
        .post(format!("{}/mcp", gateway.url()))
        .bearer_auth(TOKEN)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-06-18")
        .json(&message)
        .send()
        .await
        .expect("the gateway answers");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text:.300}")))
}

fn assert_documented_error(fault: &str, status: u16, body: &Value, expected: u16) {
    assert_eq!(status, expected, "{fault}: {body}");
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{fault}: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{fault}: {body}");
    assert_eq!(body["status"], expected, "{fault}: {body}");
    // An HTML error page may appear only as the client's bounded snippet inside the message.
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.chars().count() <= 800, "{fault}: unbounded message: {message}");
    let text = body.to_string();
    assert!(!text.contains(TOKEN), "{fault}: the token leaked: {text}");
}

async fn assert_healthy(gateway: &SpawnedGateway, after: &str) {
    let health: Value = client()
        .get(format!("{}/health", gateway.url()))
        .send()
        .await
        .expect("/health answers")
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok", "after {after}: {health}");
}

#[tokio::test]
async fn each_upstream_fault_gives_a_prompt_json_error_and_health_stays_ok() {
    let trap = Trap::start([127, 0, 0, 2]).await.expect("127.0.0.2 is loopback");
    let upstream = FaultServer::start(stand_in(Some(trap.address()))).await.unwrap();
    let mut gateway = gateway(&upstream.url()).await;

    let expected = [
        (Fault::Slow, 504),
        (Fault::Reset, 502),
        (Fault::Html500, 502),
        (Fault::Malformed, 502),
        (Fault::Redirect, 502),
    ];
    for (fault, status) in expected {
        let (got, body, elapsed, _) =
            rest_get(&gateway, &format!("/api/v1/projects/{}", fault.project_id())).await;
        assert_documented_error(fault.name(), got, &body, status);
        assert!(elapsed < PROMPT, "{}: answered after {elapsed:?}", fault.name());

        let started = Instant::now();
        let (got, answer) =
            mcp_call(&gateway, "get_project", json!({"id": fault.project_id().to_string()})).await;
        assert_eq!(got, 200, "{}: {answer}", fault.name());
        assert_eq!(answer["result"]["isError"], true, "{}: {answer}", fault.name());
        assert!(started.elapsed() < PROMPT, "{}: mcp answered late", fault.name());

        assert_healthy(&gateway, fault.name()).await;
    }

    assert_eq!(trap.hits(), 0, "a redirect to another host was followed");
    let redirect_path = format!("/projects/{}.json", Fault::Redirect.project_id());
    let redirected = upstream.requests().iter().filter(|r| r.path() == redirect_path).count();
    assert_eq!(redirected, 2, "the redirecting path was asked once per face, not re-asked");
    assert!(gateway.is_running());
}

#[tokio::test]
async fn a_closed_redmine_port_gives_502_and_a_degraded_health() {
    let upstream = format!("http://127.0.0.1:{}", closed_port());
    let gateway = gateway(&upstream).await;

    // The token cannot be checked: refused with 502, never let through unchecked.
    let (status, body, elapsed, _) = rest_get(&gateway, "/api/v1/projects").await;
    assert_documented_error("refused", status, &body, 502);
    assert!(elapsed < PROMPT, "answered after {elapsed:?}");

    let (status, answer) = mcp_call(&gateway, "list_projects", json!({})).await;
    assert!(status == 502 || answer["result"]["isError"] == true, "{status}: {answer}");

    let health: Value = client()
        .get(format!("{}/health", gateway.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["redmine"]["reachable"], false, "{health}");
}

#[tokio::test]
async fn memory_returns_to_its_baseline_after_20_mb_answers() {
    let upstream = FaultServer::start(stand_in(None)).await.unwrap();
    let gateway = gateway(&upstream.url()).await;
    let huge = format!("/api/v1/projects/{}", Fault::Huge.project_id());

    // Warm up the allocator and the caches with ordinary calls before the baseline.
    for _ in 0..20 {
        let (status, ..) = rest_get(&gateway, "/api/v1/projects").await;
        assert_eq!(status, 200);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let baseline = gateway.rss_kb().unwrap();

    let mut rounds = Vec::new();
    for round in 0..10 {
        let (status, body, elapsed, length) = rest_get(&gateway, &huge).await;
        assert!(elapsed < PROMPT, "round {round}: {elapsed:?}");
        assert!(length < 100_000, "round {round}: {length} bytes is over ChatGPT's limit");
        assert_documented_error("huge", status, &body, 502);
        assert_eq!(body["error"], "too_large", "{body}");
        rounds.push(gateway.rss_kb().unwrap());
    }
    for _ in 0..50 {
        let (status, ..) = rest_get(&gateway, "/api/v1/projects").await;
        assert_eq!(status, 200);
    }
    assert_healthy(&gateway, "huge").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let settled = gateway.rss_kb().unwrap();
    eprintln!("rss kB: baseline {baseline}, after each 20 MB answer {rounds:?}, settled {settled}");

    // The gateway stops reading at its 8 MiB cap, so each answer costs at most a few such
    // buffers, which the allocator keeps for reuse: a plateau, not growth per answer.
    assert!(settled < baseline + 32 * 1024, "settled at {settled} kB, baseline {baseline} kB");
    // Each worker thread's allocator heap may keep up to one cap's worth of freed chunks, so
    // the plateau can rise by a few caps while answers land on threads not yet used; a leak
    // would add a whole cap per answer, five of them between the fifth and the tenth.
    let (fifth, tenth) = (rounds[4], rounds[9]);
    assert!(tenth < fifth + 3 * 8 * 1024, "still growing: {fifth} kB after 5, {tenth} kB after 10");
}

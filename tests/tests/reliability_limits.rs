//! What a client may send, through a real socket to the real binary: oversized headers get a
//! 431, oversized bodies a 413 (JSON wherever the gateway itself answers), and clients that
//! send their request too slowly, or nothing at all, are cut off at the header-read timeout.

use std::time::{Duration, Instant};

use redmine_mcp_tests::faults::{FaultServer, StandIn};
use redmine_mcp_tests::spawned::SpawnedGateway;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(1);
const MAX_BODY_BYTES: usize = 64 * 1024;

async fn gateway(upstream: &FaultServer) -> SpawnedGateway {
    SpawnedGateway::start(&[
        ("REDMINE_URL", &upstream.url()),
        ("CHATGPT_MODE", "true"),
        ("HEADER_READ_TIMEOUT_SECS", "1"),
        ("MAX_BODY_BYTES", &MAX_BODY_BYTES.to_string()),
        ("LOG_LEVEL", "info"),
    ])
    .await
    .expect("the gateway starts")
}

/// Sends `request` on a new connection and reads until the server closes it or 10 s pass.
async fn exchange(gateway: &SpawnedGateway, request: &[u8]) -> (String, Duration) {
    let mut stream = TcpStream::connect(gateway.address()).await.unwrap();
    let started = Instant::now();
    // The server may answer and close before reading everything; a write error is expected.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    (String::from_utf8_lossy(&answer).into_owned(), started.elapsed())
}

fn status_and_json(answer: &str) -> (u16, Value) {
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn oversized_heads_and_bodies_are_refused_with_431_and_413() {
    let upstream = FaultServer::start(StandIn::default()).await.unwrap();
    let gateway = gateway(&upstream).await;

    // 100 KiB of headers: past the gateway's 32 KiB limit, within hyper's buffer: JSON 431.
    let big = "x".repeat(100 * 1024);
    let request = format!("GET /api/v1/projects HTTP/1.1\r\nhost: a\r\nx-big: {big}\r\n\r\n");
    let (answer, _) = exchange(&gateway, request.as_bytes()).await;
    let (status, body) = status_and_json(&answer);
    assert_eq!(status, 431, "{answer:.200}");
    assert_eq!(body["error"], "headers_too_large", "{answer:.300}");
    assert_eq!(body["status"], 431);

    // 1 MiB of headers: past hyper's own buffer, which answers a bare 431 and closes.
    let huge = "x".repeat(1024 * 1024);
    let request = format!("GET /health HTTP/1.1\r\nhost: a\r\nx-big: {huge}\r\n\r\n");
    let (answer, elapsed) = exchange(&gateway, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer:.200}");
    assert!(elapsed < Duration::from_secs(5));

    // A declared body over the limit: 413 at once, before a byte of it is sent.
    for path in ["/api/v1/tools/list_projects", "/mcp"] {
        let request = format!(
            "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
             accept: application/json, text/event-stream\r\ncontent-length: 10000000\r\n\r\n{{"
        );
        let (answer, elapsed) = exchange(&gateway, request.as_bytes()).await;
        let (status, body) = status_and_json(&answer);
        assert_eq!(status, 413, "{path}: {answer:.300}");
        assert_eq!(body["error"], "body_too_large", "{path}: {answer:.300}");
        assert!(elapsed < Duration::from_secs(3), "{path}: {elapsed:?}");
    }

    // A chunked body (no declared length) is cut off at the limit while it is read.
    let chunk = format!("{:x}\r\n{}\r\n", 16 * 1024, "a".repeat(16 * 1024));
    let mut request = String::from(
        "POST /api/v1/tools/list_projects HTTP/1.1\r\nhost: a\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n",
    );
    for _ in 0..(MAX_BODY_BYTES / (16 * 1024) + 2) {
        request.push_str(&chunk);
    }
    request.push_str("0\r\n\r\n");
    let (answer, _) = exchange(&gateway, request.as_bytes()).await;
    let (status, body) = status_and_json(&answer);
    assert_eq!(status, 413, "{answer:.300}");
    assert_eq!(body["error"], "body_too_large");

    // Nothing of the refused requests reached Redmine.
    let upstream_paths: Vec<String> =
        upstream.requests().iter().map(|r| r.target.clone()).collect();
    assert!(upstream_paths.iter().all(|p| p == "/issue_statuses.json"), "{upstream_paths:?}");
}

#[tokio::test]
async fn slow_and_silent_clients_are_cut_off_at_the_header_read_timeout() {
    let upstream = FaultServer::start(StandIn::default()).await.unwrap();
    let gateway = gateway(&upstream).await;
    let limit = HEADER_READ_TIMEOUT + Duration::from_secs(2);

    // A client that connects and says nothing.
    let (answer, elapsed) = exchange(&gateway, b"").await;
    assert!(elapsed < limit, "a silent client held its connection for {elapsed:?}");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");

    // A client that starts a request and stalls.
    let (_, elapsed) = exchange(&gateway, b"GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: ").await;
    assert!(elapsed < limit, "a stalled head held its connection for {elapsed:?}");

    // A client that trickles its head, a byte every 200 ms (slowloris).
    let mut stream = TcpStream::connect(gateway.address()).await.unwrap();
    let started = Instant::now();
    let head = b"GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: abcdefghijklmnopqrstuvwxyz\r\n\r\n";
    let mut cut_off = false;
    for byte in head {
        if stream.write_all(&[*byte]).await.is_err() {
            cut_off = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        if started.elapsed() > Duration::from_secs(8) {
            break;
        }
    }
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest)).await;
    let closed = cut_off || read.is_ok();
    assert!(closed, "a trickling client was not cut off");
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"), "the trickled request was served");
    assert!(started.elapsed() < Duration::from_secs(10));

    // And the gateway still serves everyone else at once.
    let started = Instant::now();
    let health = reqwest::get(format!("{}/health", gateway.url())).await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(2));
}

//! What a call logs. This test has a binary of its own because `tracing` caches per call site
//! whether anyone listens, process-wide: a thread-scoped subscriber set while other tests run
//! their first calls on other threads can find the cache already saying "nobody", and see
//! nothing.

use std::io::Write;
use std::sync::{Arc, Mutex};

use redmine_client::{Client, Credentials, IssueId};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "4f1c0ffee0ddba11deadbeef0123456789abcdef";

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_name_the_template_and_never_the_key_or_body() {
    let server = MockServer::start().await;
    let body = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/issue_full.json"
    ))
    .unwrap();
    Mock::given(method("GET"))
        .and(path("/issues/1.json"))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let client =
        Client::builder(server.uri()).credentials(Credentials::api_key(KEY)).build().unwrap();

    client.get_issue(IssueId(1), &[]).await.unwrap();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("redmine.request"), "{logs}");
    assert!(logs.contains("method=GET"), "{logs}");
    assert!(logs.contains("path=\"/issues/{id}.json\""), "{logs}");
    assert!(logs.contains("status=200"), "{logs}");
    assert!(logs.contains("latency_ms="), "{logs}");
    assert!(!logs.contains(KEY), "{logs}");
    assert!(!logs.contains("Checkout page"), "the body must not be logged: {logs}");
    assert!(!logs.contains(&server.uri()), "the concrete url must not be logged: {logs}");
}

//! Shared set-up for the wiremock tests: a server, a client with a known API key, fixtures and
//! an exact query matcher.

use std::time::Duration;

use redmine_client::{Client, Credentials};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// The API key every test client sends.
pub const KEY: &str = "4f1c0ffee0ddba11deadbeef0123456789abcdef";

/// A mock Redmine that answers 500 to anything no test mock matched, so that a request the test
/// did not expect fails loudly instead of looking like a 404.
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string("no mock matched"))
        .with_priority(u8::MAX)
        .named("catch-all")
        .mount(&server)
        .await;
    server
}

/// A client for `server` authenticated with [`KEY`].
pub fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .credentials(Credentials::api_key(KEY))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client builds")
}

/// A fixture recorded from Redmine 6.1, as text.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fixture recorded from Redmine 6.1, parsed.
pub fn json_fixture(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).expect("fixtures are JSON")
}

/// A JSON answer with `status` and the fixture `name` as body.
pub fn json_response(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json; charset=utf-8")
}

/// Matches a request whose query string holds exactly these pairs, in this order.
pub struct QueryIs(pub Vec<(&'static str, String)>);

impl QueryIs {
    pub fn new(pairs: &[(&'static str, &str)]) -> Self {
        Self(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
    }

    pub fn empty() -> Self {
        Self(Vec::new())
    }
}

impl Match for QueryIs {
    fn matches(&self, request: &Request) -> bool {
        let actual: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let expected: Vec<(String, String)> =
            self.0.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        actual == expected
    }
}

//! What each kind of credentials puts on the wire, and what never leaves the client.

use redmine_client::{Client, Credentials, IssueId};
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{KEY, QueryIs, client, json_response, server};

async fn mount_issue(server: &MockServer, mock: wiremock::MockBuilder) {
    mock.respond_with(json_response(200, "issue_full.json")).expect(1).mount(server).await;
}

#[tokio::test]
async fn api_key_goes_in_the_header_never_the_query() {
    let server = server().await;
    let mock = Mock::given(method("GET"))
        .and(path("/issues/1.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("user-agent", concat!("redmine-client/", env!("CARGO_PKG_VERSION"))));
    mount_issue(&server, mock).await;

    client(&server).get_issue(IssueId(1), &[]).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert!(!requests[0].url.as_str().contains(KEY));
    assert!(!requests[0].headers.contains_key("authorization"));
}

#[tokio::test]
async fn bearer_and_basic_use_authorization() {
    let server = server().await;
    let bearer = Mock::given(path("/issues/1.json")).and(header("authorization", "Bearer tok-123"));
    mount_issue(&server, bearer).await;
    let basic = Mock::given(path("/issues/2.json"))
        .and(header("authorization", "Basic YWRtaW46aGFybmVzcy1hZG1pbi1wdw=="));
    mount_issue(&server, basic).await;

    let client = client(&server);
    client
        .with_credentials(Credentials::bearer("tok-123"))
        .get_issue(IssueId(1), &[])
        .await
        .unwrap();
    let basic = client.with_credentials(Credentials::basic("admin", "harness-admin-pw"));
    basic.get_issue(IssueId(2), &[]).await.unwrap();

    for request in server.received_requests().await.unwrap() {
        assert!(!request.headers.contains_key("x-redmine-api-key"));
    }
}

#[tokio::test]
async fn anonymous_sends_no_credentials() {
    let server = server().await;
    mount_issue(&server, Mock::given(path("/issues/1.json"))).await;

    let anonymous = Client::builder(server.uri()).build().unwrap();
    anonymous.get_issue(IssueId(1), &[]).await.unwrap();

    let request = &server.received_requests().await.unwrap()[0];
    assert!(!request.headers.contains_key("x-redmine-api-key"));
    assert!(!request.headers.contains_key("authorization"));
}

#[tokio::test]
async fn clones_keep_their_own_credentials_and_switch_user() {
    let server = server().await;
    let switched = Mock::given(path("/issues/1.json"))
        .and(header("x-redmine-api-key", "other-key"))
        .and(header("x-redmine-switch-user", "dev"));
    mount_issue(&server, switched).await;
    let original = Mock::given(path("/issues/2.json")).and(header("x-redmine-api-key", KEY));
    mount_issue(&server, original).await;

    let client = client(&server);
    let other = client.with_credentials(Credentials::api_key("other-key")).with_switch_user("dev");
    other.get_issue(IssueId(1), &[]).await.unwrap();
    client.get_issue(IssueId(2), &[]).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert!(!requests[1].headers.contains_key("x-redmine-switch-user"));
    let plain = other.without_switch_user();
    assert!(!format!("{plain:?}").contains("dev"));
}

#[tokio::test]
async fn header_exists_matcher_sanity() {
    // Guards the tests above: a header matcher must fail when the header is missing, or the
    // assertions on absent credentials would prove nothing.
    let server = server().await;
    Mock::given(path("/issues/1.json"))
        .and(header_exists("x-redmine-api-key"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;

    let err = Client::builder(server.uri()).build().unwrap().get_issue(IssueId(1), &[]).await;

    assert_eq!(err.unwrap_err().status().map(|s| s.as_u16()), Some(500));
}

#[test]
fn debug_and_display_never_show_secrets() {
    let secrets = ["key-0123456789", "tok-abcdef", "pw-hunter22"];
    let all = [
        Credentials::api_key(secrets[0]),
        Credentials::bearer(secrets[1]),
        Credentials::basic("admin", secrets[2]),
    ];
    for credentials in all {
        let client = Client::builder("http://127.0.0.1:1")
            .credentials(credentials.clone())
            .build()
            .unwrap()
            .with_switch_user("dev");
        let builder = Client::builder("http://127.0.0.1:1").credentials(credentials.clone());
        let printed = format!("{credentials:?} {credentials} {client:?} {builder:?}");
        for secret in secrets {
            assert!(!printed.contains(secret), "{printed}");
        }
        assert!(printed.contains("[redacted]"), "{printed}");
    }
}

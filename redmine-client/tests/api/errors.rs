//! How each way a call can fail comes back as an [`Error`].

use std::time::Duration;

use redmine_client::filters::TextFilter;
use redmine_client::issues::{IssueFilter, NewIssue};
use redmine_client::{Client, Credentials, Error, IssueId};
use reqwest::StatusCode;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{KEY, client, json_response, server};

/// Answers `GET /issues/1.json` with `response` and returns the client's error.
async fn get_issue_error(response: ResponseTemplate) -> Error {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/issues/1.json"))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    client(&server).get_issue(IssueId(1), &[]).await.unwrap_err()
}

#[tokio::test]
async fn unauthorized_keeps_the_challenge() {
    let err = get_issue_error(
        ResponseTemplate::new(401).insert_header("www-authenticate", "Basic realm=\"Redmine API\""),
    )
    .await;

    let Error::Unauthorized { challenge, .. } = &err else { panic!("{err:?}") };
    assert_eq!(challenge.as_deref(), Some("Basic realm=\"Redmine API\""));
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(
        err.to_string(),
        "GET /issues/{id}.json: redmine requires a login for this call (401); \
         check the api key or token"
    );
}

#[tokio::test]
async fn unauthorized_without_a_challenge() {
    let err = get_issue_error(ResponseTemplate::new(401)).await;

    assert!(matches!(err, Error::Unauthorized { challenge: None, .. }), "{err:?}");
}

#[tokio::test]
async fn forbidden_not_found_conflict_and_switch_user() {
    let cases = [
        (403, StatusCode::FORBIDDEN, "redmine refused the call (403)"),
        (404, StatusCode::NOT_FOUND, "not found (404)"),
        (409, StatusCode::CONFLICT, "conflict (409)"),
        (412, StatusCode::PRECONDITION_FAILED, "switch-user login (412)"),
    ];
    for (status, expected, message) in cases {
        let err = get_issue_error(ResponseTemplate::new(status)).await;
        assert_eq!(err.status(), Some(expected), "{err:?}");
        assert!(err.to_string().starts_with("GET /issues/{id}.json: "), "{err}");
        assert!(err.to_string().contains(message), "{err}");
    }

    assert!(get_issue_error(ResponseTemplate::new(403)).await.is_forbidden());
    assert!(get_issue_error(ResponseTemplate::new(404)).await.is_not_found());
    let err = get_issue_error(ResponseTemplate::new(412)).await;
    assert!(matches!(err, Error::SwitchUserRejected { .. }), "{err:?}");
}

#[tokio::test]
async fn validation_keeps_redmine_messages() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/issues.json"))
        .respond_with(json_response(422, "errors_validation.json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).create_issue(&NewIssue::new("project-a", "")).await.unwrap_err();

    assert!(err.is_validation());
    assert_eq!(err.validation_errors(), ["Subject cannot be blank"]);
    assert_eq!(
        err.to_string(),
        "POST /issues.json: redmine rejected the input (422): Subject cannot be blank"
    );
}

#[tokio::test]
async fn server_error_keeps_a_bounded_snippet_and_no_url() {
    let server = server().await;
    let html = format!(
        "<!DOCTYPE html>\n<html>\n  <body>\n    <h1>Internal error</h1>\n{}</body></html>",
        "<p>An error occurred on the page you were trying to access.</p>\n".repeat(40)
    );
    Mock::given(method("GET"))
        .and(path("/issues.json"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(html, "text/html"))
        .expect(1)
        .mount(&server)
        .await;

    let filter = IssueFilter::new().subject(TextFilter::contains("private words"));
    let err = client(&server).list_issues(&filter).await.unwrap_err();

    let Error::UnexpectedStatus { status, snippet, .. } = &err else { panic!("{err:?}") };
    assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(snippet.starts_with("<!DOCTYPE html> <html> <body> <h1>Internal error</h1>"));
    assert_eq!(snippet.chars().count(), 513, "512 characters and an ellipsis");
    let message = err.to_string();
    assert!(message.starts_with("GET /issues.json: unexpected status 500"), "{message}");
    assert!(!message.contains("private") && !message.contains("127.0.0.1"), "{message}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn malformed_json_reports_where() {
    let body = r#"{"issue":{"id":1,"project":{"id":"one","name":"Project A"},"subject":"s"}}"#;
    let err =
        get_issue_error(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;

    let Error::Decode { path, .. } = &err else { panic!("{err:?}") };
    assert_eq!(path, "issue.project.id");
    assert!(err.to_string().starts_with("GET /issues/{id}.json: could not decode"), "{err}");

    let err =
        get_issue_error(ResponseTemplate::new(200).set_body_raw("{\"issue\":", "text/html")).await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn slow_answers_time_out() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/issues/1.json"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .credentials(Credentials::api_key(KEY))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let err = client.get_issue(IssueId(1), &[]).await.unwrap_err();

    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert!(err.to_string().contains("did not answer in time"), "{err}");
}

#[tokio::test]
async fn refused_connections_are_connect_errors() {
    // Bind and drop to find a port nothing listens on.
    let address = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let client =
        Client::builder(format!("http://{address}")).proxy_from_env(false).build().unwrap();

    let err = client.get_issue(IssueId(1), &[]).await.unwrap_err();

    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(err.is_retryable());
    // The message names the template; the transport error lost its URL.
    assert!(!err.to_string().contains(&address.to_string()), "{err}");
    assert!(!format!("{err:?}").contains("/issues/1.json"), "{err:?}");
}

#[tokio::test]
async fn reset_connections_are_transport_errors() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = [0; 1024];
        let _ = socket.read(&mut buffer).await;
        // Linger 0 turns the close into a reset.
        socket.set_zero_linger().unwrap();
        drop(socket);
    });
    let client = Client::builder(base).proxy_from_env(false).build().unwrap();

    let err = client.get_issue(IssueId(1), &[]).await.unwrap_err();

    assert!(matches!(err, Error::Transport { .. } | Error::Connect { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let target = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&target)
        .await;
    let err = get_issue_error(
        ResponseTemplate::new(301)
            .insert_header("location", format!("{}/issues/1.json", target.uri())),
    )
    .await;

    assert_eq!(err.status(), Some(StatusCode::MOVED_PERMANENTLY));
    assert!(err.to_string().contains("check the base url"), "{err}");
}

//! Who a REST request acts as: required auth, invalid, expired and revoked tokens, the server
//! key's fallback rules, and ChatGPT mode off.

use redmine_mcp_tests::{HarnessEnv, OAuthFlow, TestGateway};
use reqwest::StatusCode;
use serde_json::Value;

async fn get(
    gateway: &TestGateway,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new().get(gateway.url(path));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    (status, headers, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")))
}

/// The developer's key as the server key.
fn server_key(env: &HarnessEnv) -> redmine_client::ApiKey {
    redmine_client::ApiKey::new(env.user("developer").api_key.clone())
}

#[tokio::test]
async fn required_auth_refuses_requests_without_a_token_before_calling_redmine() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |config| {
        config.require_auth = true;
        config.server_api_key = Some(server_key(env));
        // Redmine would be unreachable here: the 401 must come before any call.
        config.redmine_url = "http://127.0.0.1:9".parse().unwrap();
    })
    .await;

    let (status, headers, body) = get(&gateway, "api/v1/issues", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(headers["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    assert_eq!(body["error"], "unauthorized");
    assert_eq!(body["status"], 401);

    // Schema, manifest and health stay open; health reports Redmine down without hanging.
    for path in ["api/v1/openapi.json", ".well-known/ai-plugin.json", "health"] {
        let response = reqwest::get(gateway.url(path)).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let (_, _, health) = get(&gateway, "health", None).await;
    assert_eq!(health["status"], "degraded");
    assert_eq!(health["redmine"]["reachable"], false);
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(gateway.url("oauth/authorize?client_id=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
}

#[tokio::test]
async fn without_required_auth_the_server_key_serves_requests_without_a_token() {
    let env = HarnessEnv::redmine61();
    let gateway =
        TestGateway::start(env, |config| config.server_api_key = Some(server_key(env))).await;
    let (status, _, body) = get(&gateway, "api/v1/me", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["login"], env.user("developer").login.as_str());

    // No key and no token: anonymous, which Redmine refuses for the current user.
    let anonymous = TestGateway::start(env, |_| {}).await;
    let (status, headers, body) = get(&anonymous, "api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(headers.contains_key("www-authenticate"));
    let (status, _, body) = get(&anonymous, "api/v1/projects", None).await;
    assert_eq!(status, StatusCode::OK, "public projects stay visible: {body}");
}

#[tokio::test]
async fn an_unknown_token_is_refused_not_treated_as_anonymous() {
    let env = HarnessEnv::redmine61();
    let gateway =
        TestGateway::start(env, |config| config.server_api_key = Some(server_key(env))).await;

    // Redmine itself would answer public projects to this token; the gateway refuses it, and
    // does not fall back to the server key either.
    for _ in 0..2 {
        let (status, headers, body) =
            get(&gateway, "api/v1/projects", Some("not-a-real-token")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["error"], "invalid_token");
        let challenge = headers["www-authenticate"].to_str().unwrap();
        assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    }

    let response = reqwest::Client::new()
        .get(gateway.url("api/v1/projects"))
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_revoked_token_is_refused() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |config| {
        config.server_api_key = Some(server_key(env));
        config.server.token_cache_ttl = std::time::Duration::from_secs(1);
    })
    .await;
    let flow = OAuthFlow::redmine(env);
    let first = flow.token_for(env.user("reporter"), &["view_project"]).await.unwrap();

    let (status, _, body) = get(&gateway, "api/v1/me", Some(&first.access_token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["login"], "reporter");

    // Refreshing revokes the first access token once the new one is used (an expired token is
    // refused the same way).
    let second = flow.refresh(first.refresh_token.as_deref().unwrap()).await.unwrap();
    let (status, _, body) = get(&gateway, "api/v1/me", Some(&second.access_token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let (status, headers, body) = get(&gateway, "api/v1/me", Some(&first.access_token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "invalid_token");
    assert!(headers["www-authenticate"].to_str().unwrap().contains("invalid_token"));
}

#[tokio::test]
async fn chatgpt_mode_off_hides_the_rest_api_and_says_how_to_enable_it() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |config| config.chatgpt_mode = false).await;

    for path in ["api/v1/issues", "api/v1/openapi.json", "api/v1/tools", "api/v1/nothing"] {
        let (status, _, body) = get(&gateway, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"], "chatgpt_mode_disabled", "{path}");
        assert!(body["message"].as_str().unwrap().contains("CHATGPT_MODE=true"));
    }
    let (status, _, body) = get(&gateway, "health", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["chatgpt_mode"], false);
    assert_eq!(body["status"], "ok");
}

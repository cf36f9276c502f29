//! The OAuth authorization-code flow through the gateway's own `/oauth/authorize` and
//! `/oauth/token`, as a Custom GPT runs it, and the token it yields used on the REST API.

use redmine_mcp_tests::{HarnessEnv, OAuthFlow, TestGateway};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn the_full_flow_completes_through_the_gateway() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |config| config.require_auth = true).await;
    let mut flow = OAuthFlow::redmine(env);
    flow.authorize_url = gateway.url("oauth/authorize");
    flow.token_url = gateway.url("oauth/token");

    let user = env.user("developer");
    let token = flow.token_for(user, &["view_project", "view_issues"]).await.unwrap();
    assert_eq!(token.token_type.to_lowercase(), "bearer");

    let response = reqwest::Client::new()
        .get(gateway.url("api/v1/me"))
        .bearer_auth(&token.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["login"], user.login.as_str());

    // Refreshing goes through the gateway's token endpoint too.
    let refreshed = flow.refresh(token.refresh_token.as_deref().unwrap()).await.unwrap();
    assert_ne!(refreshed.access_token, token.access_token);
}

#[tokio::test]
async fn authorize_keeps_every_parameter_and_token_keeps_redmines_errors() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |_| {}).await;
    let query = "client_id=abc&redirect_uri=https%3A%2F%2Fchat.openai.com%2Faip%2Fg-1%2Foauth%2Fcallback\
                 &response_type=code&scope=view_project+view_issues&state=xyz%20123";
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(gateway.url(&format!("oauth/authorize?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"].to_str().unwrap();
    assert_eq!(location, format!("{}oauth/authorize?{query}", env.base_url));

    // A bad code: Redmine's OAuth error comes back as Redmine said it, as JSON.
    let response = reqwest::Client::new()
        .post(gateway.url("oauth/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", "not-a-code"),
            ("redirect_uri", env.oauth().redirect_uri.as_str()),
            ("client_id", &env.oauth().client_id),
            ("client_secret", &env.oauth().client_secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant", "{body}");

    let response = reqwest::get(gateway.url("oauth/token")).await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "POST");
}

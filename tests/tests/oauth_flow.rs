//! Redmine 6.1's OAuth authorization-code flow, driven end to end: the helper
//! later tests use to get tokens works, tokens act as their user, and scopes
//! limit what a token may do.

use redmine_mcp_tests::{HarnessEnv, OAuthFlow};
use serde_json::Value;

async fn get(env: &HarnessEnv, path: &str, token: &str) -> reqwest::Response {
    reqwest::Client::new().get(env.url(path)).bearer_auth(token).send().await.unwrap()
}

#[tokio::test]
async fn token_from_the_flow_acts_as_its_user() {
    let env = HarnessEnv::redmine61();
    let flow = OAuthFlow::redmine(env);

    for role in ["developer", "reporter"] {
        let user = env.user(role);
        let token = flow.token_for(user, &["view_project", "view_issues"]).await.unwrap();
        assert_eq!(token.token_type.to_lowercase(), "bearer");
        assert!(token.refresh_token.is_some(), "Redmine issues refresh tokens");

        let response = get(env, "users/current.json", &token.access_token).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["user"]["login"], user.login.as_str());
    }
}

#[tokio::test]
async fn scopes_limit_the_token() {
    let env = HarnessEnv::redmine61();
    let flow = OAuthFlow::redmine(env);
    let dev = env.user("developer");
    let project = &env.project("a").identifier;
    let time_entries = format!("projects/{project}/time_entries.json");

    let narrow = flow.token_for(dev, &["view_project", "view_issues"]).await.unwrap();
    assert_eq!(get(env, &time_entries, &narrow.access_token).await.status(), 403);
    assert_eq!(
        get(env, "issues.json?project_id=project-a", &narrow.access_token).await.status(),
        200
    );

    let wide =
        flow.token_for(dev, &["view_project", "view_issues", "view_time_entries"]).await.unwrap();
    let response = get(env, &time_entries, &wide.access_token).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert!(body["total_count"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn refresh_token_yields_a_working_token_and_revoked_ones_fail() {
    let env = HarnessEnv::redmine61();
    let flow = OAuthFlow::redmine(env);
    let reporter = env.user("reporter");

    let first = flow.token_for(reporter, &["view_project"]).await.unwrap();
    let refreshed = flow.refresh(first.refresh_token.as_deref().unwrap()).await.unwrap();
    assert_ne!(refreshed.access_token, first.access_token);
    assert_eq!(get(env, "users/current.json", &refreshed.access_token).await.status(), 200);

    // Refreshing revokes the previous access token: Redmine answers 401 with a
    // Bearer challenge naming the error, unlike an unknown token (anonymous).
    let response = get(env, "users/current.json", &first.access_token).await;
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(challenge.contains("invalid_token"), "challenge: {challenge}");
}

#[tokio::test]
async fn an_unknown_token_is_treated_as_anonymous_by_redmine() {
    let env = HarnessEnv::redmine61();
    // Public data still comes back: the reason the gateway validates tokens itself.
    let projects = get(env, "projects.json", "not-a-real-token").await;
    assert_eq!(projects.status(), 200);
    let current = get(env, "users/current.json", "not-a-real-token").await;
    assert_eq!(current.status(), 401);
}

#[tokio::test]
async fn wrong_password_is_reported_not_hidden() {
    let env = HarnessEnv::redmine61();
    let flow = OAuthFlow::redmine(env);
    let mut impostor = env.user("developer").clone();
    impostor.password = "wrong-password".to_owned();
    let error = flow.token_for(&impostor, &["view_project"]).await.unwrap_err();
    assert!(error.to_string().contains("signing in as dev"), "{error:#}");
}

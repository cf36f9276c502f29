//! The harness itself: both instances run, are seeded as described, and
//! answer the credentials the description gives.

use redmine_mcp_tests::HarnessEnv;
use serde_json::Value;

async fn current_user(env: &HarnessEnv, api_key: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(env.url("users/current.json"))
        .header("X-Redmine-API-Key", api_key)
        .send()
        .await
        .expect("Redmine answers")
}

#[tokio::test]
async fn redmine_61_answers_each_seeded_api_key() {
    let env = HarnessEnv::redmine61();
    assert!(env.version.starts_with("6.1."), "expected Redmine 6.1, found {}", env.version);
    assert_eq!(env.base_url.host_str(), Some("127.0.0.1"));

    for user in &env.users {
        let response = current_user(env, &user.api_key).await;
        assert_eq!(response.status(), 200, "{} with its API key", user.login);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["user"]["login"], user.login.as_str());
        assert_eq!(body["user"]["admin"], user.admin);
    }
}

#[tokio::test]
async fn redmine_50_answers_a_seeded_api_key() {
    let env = HarnessEnv::redmine50();
    assert!(env.version.starts_with("5.0."), "expected Redmine 5.0, found {}", env.version);
    assert!(env.oauth.is_none(), "Redmine 5.0 has no OAuth");

    let dev = env.user("developer");
    let response = current_user(env, &dev.api_key).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["login"], "dev");
}

#[tokio::test]
async fn private_project_c_is_visible_to_the_admin_only() {
    let env = HarnessEnv::redmine61();
    let c = env.project("c");
    for user in &env.users {
        let response = reqwest::Client::new()
            .get(env.url(&format!("projects/{}.json", c.identifier)))
            .header("X-Redmine-API-Key", &user.api_key)
            .send()
            .await
            .unwrap();
        let expected = if user.admin { 200 } else { 403 };
        assert_eq!(response.status(), expected, "{} on project C", user.login);
    }
}

#[tokio::test]
async fn seeded_issue_has_journals_relation_watchers_attachment_and_child() {
    let env = HarnessEnv::redmine61();
    let admin = env.user("admin");
    let url = env.url(&format!(
        "issues/{}.json?include=journals,relations,watchers,attachments,children",
        env.id("issue_parent")
    ));
    let body: Value = reqwest::Client::new()
        .get(url)
        .header("X-Redmine-API-Key", &admin.api_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let issue = &body["issue"];

    let notes: Vec<&str> =
        issue["journals"].as_array().unwrap().iter().filter_map(|j| j["notes"].as_str()).collect();
    assert!(notes.iter().filter(|n| !n.is_empty()).count() >= 2, "journals: {notes:?}");
    assert_eq!(issue["relations"][0]["id"], env.id("relation_parent_related"));
    let watchers: Vec<&Value> =
        issue["watchers"].as_array().unwrap().iter().map(|w| &w["id"]).collect();
    for role in ["developer", "reporter"] {
        assert!(
            watchers.contains(&&Value::from(env.user(role).id)),
            "{role} watches: {watchers:?}"
        );
    }
    assert_eq!(issue["attachments"][0]["id"], env.id("attachment_parent_trace"));
    assert_eq!(issue["children"][0]["id"], env.id("issue_child"));
}

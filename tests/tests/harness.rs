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

/// Processes whose command line shows a puma serving `port`.
fn pumas_on(port: u16) -> Vec<u32> {
    let needle = format!("127.0.0.1:{port}");
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmdline| {
                let cmdline = String::from_utf8_lossy(&cmdline);
                cmdline.starts_with("puma") && cmdline.contains(&needle)
            })
        })
        .collect()
}

#[test]
fn up_again_reuses_the_running_instance() {
    let env = HarnessEnv::redmine61();
    let port = env.base_url.port().unwrap();
    let before = pumas_on(port);
    assert_eq!(before.len(), 1, "one puma serves {port}: {before:?}");

    // The xtask binary beside this test's own (target/debug/deps/..), which
    // `cargo xtask` built; running it directly avoids waiting on cargo's lock.
    let exe = std::env::current_exe().unwrap();
    let xtask = exe.parent().and_then(std::path::Path::parent).unwrap().join("xtask");
    let mut command = if xtask.exists() {
        std::process::Command::new(xtask)
    } else {
        let mut cargo =
            std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
        cargo.arg("xtask");
        cargo
    };
    let output = command
        .args(["redmine", "up"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(pumas_on(port), before, "the same single server still runs");
    // A warm `up` only checks; it neither installs, starts nor seeds.
    let stderr = String::from_utf8_lossy(&output.stderr);
    for step in ["bootstrapping", "installing", "answering after", "seeding"] {
        assert!(!stderr.contains(step), "a warm up should not be {step}: {stderr}");
    }
    // The xtask reports its own time, which excludes any cargo build check.
    let seconds: f64 = stderr
        .lines()
        .find_map(|l| {
            l.strip_prefix("redmine 6.1: up at ")?.split_once(" (")?.1.strip_suffix(" s)")
        })
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no timing in: {stderr}"));
    assert!(seconds < 5.0, "a warm up took {seconds} s");
}

#[test]
fn instances_listen_on_loopback_only() {
    // /proc/net/tcp lists listening sockets (state 0A) with hex local addresses;
    // 0100007F is 127.0.0.1.
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    for env in [HarnessEnv::redmine61(), HarnessEnv::redmine50()] {
        let port = format!("{:04X}", env.base_url.port().unwrap());
        let listeners: Vec<&str> = table
            .lines()
            .skip(1)
            .filter_map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                (fields.get(3) == Some(&"0A")).then(|| fields[1])
            })
            .filter(|local| local.ends_with(&format!(":{port}")))
            .collect();
        assert_eq!(listeners, [format!("0100007F:{port}")], "Redmine {} listeners", env.version);
    }
    let table6 = std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
    for env in [HarnessEnv::redmine61(), HarnessEnv::redmine50()] {
        let port = format!(":{:04X}", env.base_url.port().unwrap());
        assert!(
            !table6
                .lines()
                .any(|l| l.split_whitespace().nth(1).is_some_and(|a| a.ends_with(&port))),
            "nothing listens on IPv6 for {}",
            env.version
        );
    }
}

//! The wiki, news, search and reference-data tools end to end against the
//! seeded Redmine 6.1, through the registry, as the admin and as limited
//! users.
//!
//! Seeded records are only read; pages are written in a project of the
//! test's own, deleted by a guard even when the test fails.

mod tools_support;

use serde_json::json;

use tools_support::{Cleanup, anonymous, env, err, err_as, ids, names, ok, ok_as, own_project};

#[tokio::test]
async fn wiki_pages_are_listed_and_read_with_versions() {
    let wiki = &env().wiki;
    let listed = ok("developer", "list_wiki_pages", json!({"project": "Project A"})).await;
    let titles: Vec<&str> = listed["wiki_pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert!(titles.contains(&wiki.title.as_str()) && titles.contains(&wiki.child_title.as_str()));

    let page =
        ok("outsider", "get_wiki_page", json!({"project": wiki.project, "title": wiki.title}))
            .await;
    let page = &page["wiki_page"];
    assert_eq!(page["version"], 2);
    assert!(page["text"].as_str().unwrap().contains("Welcome to Project A"), "{page}");
    assert_eq!(page["comments"], "Second version");

    let first = ok(
        "developer",
        "get_wiki_page",
        json!({"project": wiki.project, "title": wiki.title, "version": 1}),
    )
    .await;
    assert_eq!(first["wiki_page"]["version"], 1);
    assert!(first["wiki_page"]["text"].as_str().unwrap().contains("First version"));

    let child = ok(
        "developer",
        "get_wiki_page",
        json!({"project": wiki.project, "title": wiki.child_title, "include_attachments": true}),
    )
    .await;
    assert_eq!(child["wiki_page"]["parent"]["title"], wiki.title);

    let error = err(
        "developer",
        "get_wiki_page",
        json!({"project": wiki.project, "title": "No_such_page"}),
    )
    .await;
    assert_eq!(error.code(), "not_found", "{error}");
    let error =
        err("developer", "list_wiki_pages", json!({"project": env().project("c").id.to_string()}))
            .await;
    assert_eq!(error.code(), "forbidden", "{error}");
}

#[tokio::test]
async fn wiki_pages_are_written_with_conflict_detection_and_deleted() {
    let mut cleanup = Cleanup::default();
    let (project, identifier) = own_project(&mut cleanup, "wiki", &["wiki"]).await;
    let title = "Release_notes";

    let created = ok(
        "developer",
        "create_or_update_wiki_page",
        json!({"project": identifier, "title": title, "text": "h1. Notes\n\nFirst.", "comments": "start"}),
    )
    .await;
    assert_eq!(created["created"], true, "{created}");
    assert_eq!(created["wiki_page"]["version"], 1);
    assert!(created["wiki_page"].get("text").is_none(), "writes do not echo the text");

    let updated = ok(
        "developer",
        "create_or_update_wiki_page",
        json!({"project": identifier, "title": title, "text": "h1. Notes\n\nSecond.", "comments": "more", "version": 1}),
    )
    .await;
    assert_eq!(updated["updated"], true, "{updated}");
    assert_eq!(updated["wiki_page"]["version"], 2);
    assert_eq!(updated["changed"]["comments"], "more");

    // Saving again on top of version 1 would drop the second edit: refused, with the way out.
    let error = err(
        "developer",
        "create_or_update_wiki_page",
        json!({"project": identifier, "title": title, "text": "stale", "version": 1}),
    )
    .await;
    assert_eq!(error.code(), "conflict", "{error}");
    assert_eq!(error.http_status(), 409);
    let message = error.to_string();
    assert!(message.contains("version 2") && message.contains("get_wiki_page"), "{message}");
    let read = ok(
        "developer",
        "get_wiki_page",
        json!({"project": project.get().to_string(), "title": title}),
    )
    .await;
    assert!(
        read["wiki_page"]["text"].as_str().unwrap().contains("Second."),
        "nothing was overwritten"
    );

    let child = ok(
        "developer",
        "create_or_update_wiki_page",
        json!({"project": identifier, "title": "Child", "text": "child", "parent_title": title}),
    )
    .await;
    assert_eq!(child["wiki_page"]["parent"]["title"], title);

    // The outsider is no member; non-members may read a public wiki but not write it.
    let error = err(
        "outsider",
        "create_or_update_wiki_page",
        json!({"project": identifier, "title": title, "text": "vandalism"}),
    )
    .await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let error =
        err("outsider", "delete_wiki_page", json!({"project": identifier, "title": title})).await;
    assert_eq!(error.code(), "forbidden", "non-members may not delete pages: {error}");

    let deleted =
        ok("admin", "delete_wiki_page", json!({"project": identifier, "title": title})).await;
    assert_eq!(deleted["deleted"], true);
    let listed = ok("admin", "list_wiki_pages", json!({"project": identifier})).await;
    let remaining: Vec<&str> = listed["wiki_pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert_eq!(remaining, ["Child"], "the child moved to the top level: {listed}");
    assert!(listed["wiki_pages"][0].get("parent").is_none());
    ok(
        "admin",
        "delete_wiki_page",
        json!({"project": identifier, "title": "Child", "children": "delete"}),
    )
    .await;
}

#[tokio::test]
async fn news_is_listed_everywhere_or_per_project_and_read() {
    let news = env().id("news_a");
    let all = ok("outsider", "list_news", json!({"limit": 100})).await;
    assert!(ids(&all["news"]).contains(&news), "{all}");
    let project = ok("developer", "list_news", json!({"project": "project a"})).await;
    assert!(ids(&project["news"]).contains(&news));
    assert!(
        project["news"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["project"]["id"] == env().project("a").id)
    );
    let other =
        ok("developer", "list_news", json!({"project": env().project("b").identifier})).await;
    assert!(!ids(&other["news"]).contains(&news));

    let one =
        ok("developer", "get_news", json!({"id": news, "include": ["comments", "attachments"]}))
            .await;
    assert_eq!(one["news"]["title"], "Release 1.0 is out");
    assert_eq!(one["news"]["description"], "Checkout is faster.");
    let error = err("admin", "get_news", json!({"id": 999_999_999})).await;
    assert_eq!(error.code(), "not_found");
}

#[tokio::test]
async fn search_finds_what_the_caller_may_see() {
    let found =
        ok("developer", "search", json!({"q": "checkout", "types": ["issues"], "limit": 100}))
            .await;
    assert!(ids(&found["results"]).contains(&env().id("issue_parent")), "{found}");
    assert!(
        found["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["type"].as_str().unwrap().starts_with("issue"))
    );
    assert!(found["total_count"].as_u64().unwrap() >= 1);

    let wiki = ok(
        "developer",
        "search",
        json!({"q": "workers", "types": ["wiki_pages"], "project": env().project("a").name}),
    )
    .await;
    assert!(
        wiki["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["title"].as_str().unwrap().contains("Runbook")),
        "{wiki}"
    );

    let titles = ok(
        "developer",
        "search",
        json!({"q": "seeded parent", "titles_only": true, "types": ["issues"]}),
    )
    .await;
    assert!(
        !ids(&titles["results"]).contains(&env().id("issue_parent")),
        "description words only: {titles}"
    );
    let open = ok(
        "developer",
        "search",
        json!({"q": "typo login", "open_issues": true, "types": ["issues"]}),
    )
    .await;
    assert!(!ids(&open["results"]).contains(&env().id("issue_closed")), "{open}");
    let any = ok(
        "developer",
        "search",
        json!({"q": "typo nonexistentword", "all_words": false, "types": ["issues"]}),
    )
    .await;
    assert!(ids(&any["results"]).contains(&env().id("issue_closed")), "{any}");

    let page = ok("developer", "search", json!({"q": "checkout", "limit": 1})).await;
    if page["total_count"].as_u64().unwrap() > 1 {
        assert_eq!(page["next_offset"], 1, "{page}");
    }

    // Project C's issue is the admin's to find, not the developer's or an anonymous caller's.
    let admin = ok("admin", "search", json!({"q": "confidential", "types": ["issues"]})).await;
    assert!(ids(&admin["results"]).contains(&env().id("issue_c")), "{admin}");
    let developer =
        ok("developer", "search", json!({"q": "confidential", "types": ["issues"]})).await;
    assert!(!ids(&developer["results"]).contains(&env().id("issue_c")), "{developer}");
    let nobody = ok_as(anonymous(), "search", json!({"q": "confidential"})).await;
    assert!(!ids(&nobody["results"]).contains(&env().id("issue_c")), "{nobody}");

    let error = err("developer", "search", json!({"q": ""})).await;
    assert_eq!(error.code(), "invalid_arguments");
}

#[tokio::test]
async fn reference_lists_name_what_other_tools_accept() {
    let trackers = ok("outsider", "list_trackers", json!({})).await;
    assert!(ids(&trackers["trackers"]).contains(&env().id("tracker_bug")));
    assert!(names(&trackers["trackers"]).contains(&"Feature".to_owned()));

    let statuses = ok("outsider", "list_issue_statuses", json!({})).await;
    let closed = statuses["issue_statuses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == env().id("status_closed"))
        .unwrap();
    assert_eq!(closed["is_closed"], true);

    let priorities = ok("developer", "list_issue_priorities", json!({})).await;
    assert!(ids(&priorities["issue_priorities"]).contains(&env().id("priority_high")));
    assert_eq!(priorities["order"], "lowest first");

    let activities = ok("developer", "list_time_entry_activities", json!({})).await;
    assert!(ids(&activities["time_entry_activities"]).contains(&env().id("activity_development")));
    let in_a = ok("developer", "list_time_entry_activities", json!({"project": "project-a"})).await;
    assert!(names(&in_a["time_entry_activities"]).contains(&"Design".to_owned()), "{in_a}");
    assert_eq!(in_a["project_id"], env().project("a").id);

    let categories = ok("developer", "list_document_categories", json!({})).await;
    assert!(categories["total_count"].as_u64().unwrap() >= 1, "{categories}");

    let roles = ok("developer", "list_roles", json!({})).await;
    assert!(ids(&roles["roles"]).contains(&env().id("role_reporter")));
    let role = ok("developer", "get_role", json!({"id": "DEVELOPER"})).await;
    assert_eq!(role["role"]["id"], env().id("role_developer"));
    let permissions: Vec<&str> =
        role["role"]["permissions"].as_array().unwrap().iter().filter_map(|p| p.as_str()).collect();
    assert!(permissions.contains(&"log_time"), "{role}");
    let error = err("developer", "get_role", json!({"id": "Astronaut"})).await;
    assert_eq!(error.code(), "no_match");

    let queries = ok("admin", "list_queries", json!({"limit": 100})).await;
    assert!(ids(&queries["queries"]).contains(&env().id("query_open_bugs")), "{queries}");
    let public = ok("outsider", "list_queries", json!({"kind": "issue", "limit": 100})).await;
    assert!(
        ids(&public["queries"]).contains(&env().id("query_open_bugs")),
        "public queries: {public}"
    );

    let fields = ok("admin", "list_custom_fields", json!({"customized_type": "issue"})).await;
    let severity = fields["custom_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == env().id("custom_field_severity"))
        .unwrap_or_else(|| panic!("{fields}"));
    assert_eq!(severity["name"], "Severity");
    let none = ok("admin", "list_custom_fields", json!({"customized_type": "version"})).await;
    assert!(!ids(&none["custom_fields"]).contains(&env().id("custom_field_severity")));
    let error = err("developer", "list_custom_fields", json!({})).await;
    assert_eq!(error.code(), "forbidden", "administrators only: {error}");

    let error = err_as(anonymous(), "list_trackers", json!({"extra": 1})).await;
    assert_eq!(error.code(), "invalid_arguments", "{error}");
}

//! The time-entry, user and group tools end to end against the seeded
//! Redmine 6.1, through the registry, as the admin and as limited users, with
//! projects, activities and users named (including "me").
//!
//! Seeded records are only read; time is logged in a project of the test's
//! own, deleted by a guard even when the test fails.

mod tools_support;

use redmine_client::TimeEntryId;
use redmine_client::issues::NewIssue;
use serde_json::json;

use tools_support::{
    Cleanup, anonymous, client, env, err, err_as, ids, names, oauth_client, ok, ok_as, own_project,
    unique,
};

#[tokio::test]
async fn list_time_entries_filters_by_names() {
    let (a, dev) = (env().project("a"), env().user("developer"));
    let (dev_a, admin_a, admin_c) = (
        env().id("time_entry_dev_a"),
        env().id("time_entry_admin_a"),
        env().id("time_entry_admin_c"),
    );

    let all = ok("admin", "list_time_entries", json!({"project": "Project A", "limit": 100})).await;
    let found = ids(&all["time_entries"]);
    assert!(found.contains(&dev_a) && found.contains(&admin_a), "{all}");
    assert!(!found.contains(&admin_c), "project C's time is not project A's");

    let mine = ok(
        "developer",
        "list_time_entries",
        json!({"user": "me", "project": a.identifier, "from": "2026-01-01", "to": "2026-01-31"}),
    )
    .await;
    assert_eq!(ids(&mine["time_entries"]), [dev_a], "{mine}");
    let entry = &mine["time_entries"][0];
    assert_eq!(entry["hours"], 2.5);
    assert_eq!(entry["user"]["id"], dev.id);
    assert_eq!(entry["activity"]["name"], "Development");

    let by_activity = ok(
        "admin",
        "list_time_entries",
        json!({"project": a.identifier, "activity": "design", "spent_on": "<=2026-01-31"}),
    )
    .await;
    assert_eq!(ids(&by_activity["time_entries"]), [admin_a], "{by_activity}");
    let by_login = ok(
        "admin",
        "list_time_entries",
        json!({"project": a.identifier, "user": "dev", "issue_id": env().id("issue_parent")}),
    )
    .await;
    assert_eq!(ids(&by_login["time_entries"]), [dev_a]);

    // The developer sees no time of project C, which they cannot see at all.
    let developer = ok("developer", "list_time_entries", json!({"limit": 100, "sort": "id"})).await;
    assert!(!ids(&developer["time_entries"]).contains(&admin_c), "{developer}");

    let page = ok("admin", "list_time_entries", json!({"project": a.identifier, "limit": 1})).await;
    assert_eq!(page["time_entries"].as_array().unwrap().len(), 1);
    assert_eq!(page["next_offset"], 1);

    let error = err("developer", "list_time_entries", json!({"activity": "Sleeping"})).await;
    assert_eq!(error.code(), "no_match");
    assert!(error.to_string().contains("Development"), "the activities are listed: {error}");
    let error = err("developer", "list_time_entries", json!({"from": "last monday"})).await;
    assert_eq!(error.code(), "invalid_arguments");
}

#[tokio::test]
async fn get_time_entry_respects_visibility() {
    let answer =
        ok("developer", "get_time_entry", json!({"id": env().id("time_entry_dev_a")})).await;
    assert_eq!(answer["time_entry"]["comments"], "Profiling");
    assert_eq!(answer["time_entry"]["issue"]["id"], env().id("issue_parent"));

    let error =
        err("developer", "get_time_entry", json!({"id": env().id("time_entry_admin_c")})).await;
    assert!(matches!(error.code(), "forbidden" | "not_found"), "{error}");
    let error = err("admin", "get_time_entry", json!({"id": 999_999_999})).await;
    assert_eq!(error.code(), "not_found");
}

#[tokio::test]
async fn time_is_logged_changed_and_deleted() {
    let mut cleanup = Cleanup::default();
    let (project, identifier) =
        own_project(&mut cleanup, "time", &["issue_tracking", "time_tracking"]).await;
    let issue = client("admin")
        .create_issue(&NewIssue::new(project, "Time tools issue"))
        .await
        .expect("the admin creates an issue");
    let comment = unique("logged");

    let created = ok(
        "developer",
        "create_time_entry",
        json!({"project": format!("Tools {identifier}"), "hours": 1.25, "activity": "DEVELOPMENT", "comments": comment}),
    )
    .await;
    let entry = &created["time_entry"];
    let id = entry["id"].as_u64().unwrap();
    cleanup.time_entries.push(TimeEntryId(id));
    assert_eq!(entry["hours"], 1.25);
    assert_eq!(entry["project"]["id"], project.get());
    assert_eq!(entry["activity"]["id"], env().id("activity_development"));
    assert_eq!(entry["user"]["id"], env().user("developer").id);
    assert!(entry["spent_on"].as_str().is_some_and(|d| d.len() == 10), "today: {entry}");

    let on_issue = ok(
        "developer",
        "create_time_entry",
        json!({"issue_id": issue.id.get(), "hours": 0.5, "spent_on": "2026-02-03", "activity": "Design", "user": "me"}),
    )
    .await;
    let on_issue_id = on_issue["time_entry"]["id"].as_u64().unwrap();
    cleanup.time_entries.push(TimeEntryId(on_issue_id));
    assert_eq!(on_issue["time_entry"]["issue"]["id"], issue.id.get());
    assert_eq!(on_issue["time_entry"]["spent_on"], "2026-02-03");
    assert_eq!(on_issue["time_entry"]["activity"]["id"], env().id("activity_design"));

    // The Developer role logs time but may not edit it, not even its own.
    let error = err("developer", "update_time_entry", json!({"id": id, "hours": 3})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let updated = ok(
        "admin",
        "update_time_entry",
        json!({"id": id, "hours": 2, "activity": "design", "comments": "reworked", "spent_on": "2026-02-04", "issue_id": issue.id.get()}),
    )
    .await;
    assert_eq!(updated["time_entry_id"], id);
    assert_eq!(updated["changed"]["activity_id"], env().id("activity_design"));
    let read = ok("developer", "get_time_entry", json!({"id": id})).await;
    let entry = &read["time_entry"];
    assert_eq!(entry["hours"], 2.0);
    assert_eq!(entry["comments"], "reworked");
    assert_eq!(entry["spent_on"], "2026-02-04");
    assert_eq!(entry["activity"]["name"], "Design");
    assert_eq!(entry["issue"]["id"], issue.id.get());

    let listed = ok(
        "developer",
        "list_time_entries",
        json!({"project": identifier, "user": "me", "spent_on": "2026-02-01..2026-02-28"}),
    )
    .await;
    let mut found = ids(&listed["time_entries"]);
    found.sort_unstable();
    assert_eq!(found, [id, on_issue_id], "{listed}");

    let error = err("developer", "update_time_entry", json!({"id": id})).await;
    assert_eq!(error.code(), "invalid_arguments", "nothing to change: {error}");
    let error =
        err("developer", "create_time_entry", json!({"hours": 1, "activity": "Development"})).await;
    assert_eq!(error.code(), "invalid_arguments", "no issue and no project: {error}");
    let error =
        err("developer", "create_time_entry", json!({"project": identifier, "hours": -1})).await;
    assert_eq!(error.code(), "invalid_arguments", "{error}");
    assert!(error.to_string().contains("/hours"), "{error}");

    // Non-members cannot log time or touch others' entries.
    let error = err(
        "outsider",
        "create_time_entry",
        json!({"project": identifier, "hours": 1, "activity": "Development"}),
    )
    .await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let error = err("outsider", "delete_time_entry", json!({"id": id})).await;
    assert!(matches!(error.code(), "forbidden" | "not_found"), "{error}");

    let error = err("developer", "delete_time_entry", json!({"id": id})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let deleted = ok("admin", "delete_time_entry", json!({"id": id})).await;
    assert_eq!(deleted, json!({"time_entry_id": id, "deleted": true}));
    let error = err("developer", "get_time_entry", json!({"id": id})).await;
    assert_eq!(error.code(), "not_found", "{error}");
    ok("admin", "delete_time_entry", json!({"id": on_issue_id})).await;
}

#[tokio::test]
async fn users_are_listed_by_admins_and_found_by_login_name_or_me() {
    let (dev, reporter) = (env().user("developer"), env().user("reporter"));

    let listed = ok("admin", "list_users", json!({"name": "dev", "status": "any"})).await;
    assert!(ids(&listed["users"]).contains(&dev.id), "{listed}");
    assert!(!listed.to_string().contains(&dev.api_key), "no api key leaks");
    let team = ok("admin", "list_users", json!({"group": "Harness Team", "limit": 100})).await;
    let members = ids(&team["users"]);
    assert!(members.contains(&dev.id) && members.contains(&reporter.id), "{team}");
    let page = ok("admin", "list_users", json!({"limit": 1})).await;
    assert_eq!(page["next_offset"], 1, "{page}");

    let error = err("developer", "list_users", json!({})).await;
    assert_eq!(error.code(), "forbidden", "{error}");

    for key in ["dev", "Dana Developer", &dev.id.to_string()] {
        let user = ok("admin", "get_user", json!({"id": key})).await;
        assert_eq!(user["user"]["id"], dev.id, "{key}");
        assert_eq!(user["user"]["login"], "dev");
    }
    let me = ok("reporter", "get_user", json!({"id": "me", "include": ["memberships"]})).await;
    assert_eq!(me["user"]["id"], reporter.id);
    let projects: Vec<&serde_json::Value> =
        me["user"]["memberships"].as_array().unwrap().iter().map(|m| &m["project"]["id"]).collect();
    assert!(projects.contains(&&json!(env().project("b").id)), "{me}");
    // Redmine shows a user's groups to administrators only.
    let groups = ok("admin", "get_user", json!({"id": "reporter", "include": ["groups"]})).await;
    assert!(names(&groups["user"]["groups"]).contains(&"Harness Team".to_owned()), "{groups}");

    // Others are found by id; names need an administrator's user list.
    let other = ok("developer", "get_user", json!({"id": reporter.id.to_string()})).await;
    assert_eq!(other["user"]["id"], reporter.id);
    let error = err("developer", "get_user", json!({"id": "reporter"})).await;
    assert_eq!(error.code(), "unsupported", "{error}");
    assert!(error.to_string().contains("numeric id"), "{error}");
    let error = err("admin", "get_user", json!({"id": "nobody-by-that-name"})).await;
    assert_eq!(error.code(), "no_match", "{error}");
}

#[tokio::test]
async fn current_user_is_whoever_calls() {
    let dev = env().user("developer");
    let me = ok("developer", "get_current_user", json!({"include": ["memberships"]})).await;
    assert_eq!(me["user"]["id"], dev.id);
    assert_eq!(me["user"]["login"], "dev");
    let projects: Vec<u64> = me["user"]["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["project"]["id"].as_u64())
        .collect();
    assert!(projects.contains(&env().project("a").id), "{me}");

    let admin = ok("admin", "get_current_user", json!({})).await;
    assert_eq!(admin["user"]["admin"], true);

    let oauth = oauth_client("outsider", &["view_project"]).await;
    let me = ok_as(oauth, "get_current_user", json!({})).await;
    assert_eq!(me["user"]["id"], env().user("outsider").id);

    let error = err_as(anonymous(), "get_current_user", json!({})).await;
    assert_eq!(error.code(), "unauthorized", "{error}");
}

#[tokio::test]
async fn groups_are_listed_and_read() {
    let team = env().id("group_team");
    let listed = ok("admin", "list_groups", json!({})).await;
    assert!(ids(&listed["groups"]).contains(&team), "{listed}");
    assert!(!names(&listed["groups"]).contains(&"Anonymous users".to_owned()));
    let all = ok("admin", "list_groups", json!({"builtin": true})).await;
    assert!(all["total_count"].as_u64() > listed["total_count"].as_u64(), "{all}");

    let error = err("developer", "list_groups", json!({})).await;
    assert_eq!(error.code(), "forbidden", "{error}");

    let group = ok(
        "admin",
        "get_group",
        json!({"id": "harness team", "include": ["users", "memberships"]}),
    )
    .await;
    assert_eq!(group["group"]["id"], team);
    let users = ids(&group["group"]["users"]);
    assert!(
        users.contains(&env().user("developer").id) && users.contains(&env().user("reporter").id)
    );
    assert!(
        group["group"]["memberships"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["project"]["id"] == env().project("b").id),
        "{group}"
    );

    let error = err("developer", "get_group", json!({"id": "Harness Team"})).await;
    assert_eq!(error.code(), "unsupported", "{error}");
    assert!(error.to_string().contains("numeric id"), "{error}");
}

//! The issue tools end to end against the seeded Redmine 6.1: every tool is
//! called through the registry, as the admin and as limited users, with names
//! resolved (and refused when unknown or ambiguous) against real data.
//!
//! Seeded records are only read. Whatever a test writes lives in records it
//! creates itself (often in a project of its own), which a guard deletes even
//! when the test fails. Tests run in parallel processes against one Redmine,
//! so no assertion depends on global counts.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures::{StreamExt, TryStreamExt};
use redmine_client::issues::NewIssue;
use redmine_client::memberships::NewMembership;
use redmine_client::projects::NewProject;
use redmine_client::users::NewUser;
use redmine_client::{Client, Credentials, IssueId, ProjectId, RoleId, TrackerId, UserId};
use redmine_mcp_tests::{HarnessEnv, OAuthFlow};
use redmine_tools::{OutputLimits, Registry, RegistryConfig, ToolError, ToolOutput};
use serde_json::{Value, json};

fn env() -> &'static HarnessEnv {
    HarnessEnv::redmine61()
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry::new(&RegistryConfig::default()).unwrap())
}

/// A client acting as the seeded user playing `role`.
fn client(role: &str) -> Client {
    static BASE: OnceLock<Client> = OnceLock::new();
    let base = BASE.get_or_init(|| Client::builder(env().base_url.as_str()).build().unwrap());
    base.with_credentials(Credentials::api_key(env().user(role).api_key.clone()))
}

/// Calls tool `name` as `role` through the default registry.
async fn call(role: &str, name: &str, arguments: Value) -> Result<ToolOutput, ToolError> {
    registry().call(name, client(role), arguments).await
}

/// Calls tool `name` as `role` and returns its answer, failing the test on an error.
async fn ok(role: &str, name: &str, arguments: Value) -> Value {
    match call(role, name, arguments.clone()).await {
        Ok(output) => output.into_parts().1,
        Err(error) => panic!("{name} as {role} with {arguments} failed: {error} ({error:?})"),
    }
}

/// Calls tool `name` as `role` and returns its error, failing the test on success.
async fn err(role: &str, name: &str, arguments: Value) -> ToolError {
    match call(role, name, arguments.clone()).await {
        Ok(output) => panic!("{name} as {role} with {arguments} succeeded: {}", output.text()),
        Err(error) => error,
    }
}

/// A name no other test run uses.
fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix}-{}-{}", std::process::id(), nanos % 1_000_000_000)
}

fn ids(list: &Value) -> Vec<u64> {
    list.as_array().map_or_else(Vec::new, |items| {
        items.iter().filter_map(|item| item["id"].as_u64()).collect()
    })
}

/// Records a test created, deleted as the admin when the guard drops, even
/// after a failed assertion.
#[derive(Default)]
struct Cleanup {
    issues: Vec<IssueId>,
    projects: Vec<ProjectId>,
    users: Vec<UserId>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let (issues, projects, users) = (
            std::mem::take(&mut self.issues),
            std::mem::take(&mut self.projects),
            std::mem::take(&mut self.users),
        );
        // Drop cannot await; a thread with its own runtime does the deleting, with a client of
        // its own: the shared one's connections belong to the test's runtime, blocked meanwhile.
        // Deleting a project with hundreds of issues takes a while, hence the long timeout.
        let admin = Client::builder(env().base_url.as_str())
            .credentials(Credentials::api_key(env().user("admin").api_key.clone()))
            .timeout(Duration::from_secs(300))
            .build()
            .expect("a client");
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            runtime.expect("a runtime").block_on(async {
                for issue in issues.into_iter().rev() {
                    retry(&format!("issue {issue}"), || admin.delete_issue(issue)).await;
                }
                for project in projects {
                    retry(&format!("project {project}"), || admin.delete_project(project)).await;
                }
                for user in users {
                    retry(&format!("user {user}"), || admin.delete_user(user)).await;
                }
            });
        })
        .join()
        .expect("cleanup ran");
    }
}

/// Runs a deletion until it succeeds or the record is gone. Parallel tests
/// make the harness's SQLite database answer "database is locked" (500) now
/// and then, so a failed deletion is retried a few times before giving up.
async fn retry<F, Fut>(what: &str, delete: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = redmine_client::Result<()>>,
{
    for attempt in 1..=5 {
        match delete().await {
            Ok(()) => return,
            Err(error) if error.is_not_found() => return,
            Err(error) if attempt == 5 => eprintln!("cleanup: could not delete {what}: {error}"),
            Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
}

/// A private project of the test's own, with every tracker, the issue module
/// and the developer as a member with the Developer role. Private, so that its
/// issues do not crowd other tests' lists for users who are no members.
async fn own_project(cleanup: &mut Cleanup) -> (ProjectId, String) {
    let identifier = unique("mcp-issues");
    let trackers =
        ["tracker_bug", "tracker_feature", "tracker_support"].map(|k| TrackerId(env().id(k)));
    let project = NewProject::new(format!("Issues tools {identifier}"), identifier.as_str())
        .public(false)
        .modules(["issue_tracking"])
        .trackers(trackers);
    let admin = client("admin");
    let project = admin.create_project(&project).await.unwrap();
    cleanup.projects.push(project.id);

    let developer = NewMembership::user(
        UserId(env().user("developer").id),
        [RoleId(env().id("role_developer"))],
    );
    admin.create_membership(project.id, &developer).await.unwrap();
    (project.id, identifier)
}

#[tokio::test]
async fn list_issues_resolves_names_and_pages() {
    let a = env().project("a");
    let answer = ok(
        "admin",
        "list_issues",
        json!({
            "project": a.name.to_uppercase(),
            "tracker": "bug",
            "status": "*",
            "assigned_to": "Dana Developer",
            "category": "backend",
            "version": "1.0",
            "custom_fields": [{"field": "severity", "value": "High"}],
            "limit": 5
        }),
    )
    .await;

    assert_eq!(ids(&answer["issues"]), [env().id("issue_parent")], "{answer}");
    assert_eq!(answer["total_count"], 1);
    assert_eq!(answer["offset"], 0);
    assert_eq!(answer["limit"], 5);
    assert!(answer.get("next_offset").is_none(), "a single page has no next offset");

    // A page smaller than the matches carries the next offset.
    let answer =
        ok("admin", "list_issues", json!({"project": a.identifier, "status": "*", "limit": 1}))
            .await;
    assert_eq!(answer["issues"].as_array().unwrap().len(), 1);
    assert_eq!(answer["next_offset"], 1);
}

#[tokio::test]
async fn list_issues_status_date_sort_and_subproject_filters() {
    let a = &env().project("a").identifier;

    let closed = ok("developer", "list_issues", json!({"project": a, "status": "closed"})).await;
    assert!(ids(&closed["issues"]).contains(&env().id("issue_closed")), "{closed}");
    let open = ok("developer", "list_issues", json!({"project": a})).await;
    assert!(!ids(&open["issues"]).contains(&env().id("issue_closed")), "open is the default");
    let in_progress =
        ok("developer", "list_issues", json!({"project": a, "status": "in progress"})).await;
    assert_eq!(ids(&in_progress["issues"]), [env().id("issue_parent")]);

    let due =
        ok("developer", "list_issues", json!({"project": a, "due_date": "2026-01-15..2026-02-28"}))
            .await;
    assert_eq!(ids(&due["issues"]), [env().id("issue_related")]);
    let created =
        ok("developer", "list_issues", json!({"project": a, "created": "older_than_100000_days"}))
            .await;
    assert!(created.get("issues").is_none(), "{created}");

    let sorted =
        ok("developer", "list_issues", json!({"project": a, "status": "*", "sort": "id:desc"}))
            .await;
    let sorted = ids(&sorted["issues"]);
    assert!(sorted.windows(2).all(|w| w[0] > w[1]), "{sorted:?}");

    let with_sub = ok("developer", "list_issues", json!({"project": a, "status": "*"})).await;
    assert!(ids(&with_sub["issues"]).contains(&env().id("issue_a_sub")));
    let without_sub = ok(
        "developer",
        "list_issues",
        json!({"project": a, "status": "*", "include_subprojects": false}),
    )
    .await;
    assert!(!ids(&without_sub["issues"]).contains(&env().id("issue_a_sub")));

    let children = ok(
        "developer",
        "list_issues",
        json!({"parent_id": env().id("issue_parent"), "status": "*"}),
    )
    .await;
    assert_eq!(ids(&children["issues"]), [env().id("issue_child")]);

    let mine =
        ok("developer", "list_issues", json!({"assigned_to": "me", "subject": "CHECKOUT"})).await;
    let mine = ids(&mine["issues"]);
    assert!(mine.contains(&env().id("issue_parent")) && mine.contains(&env().id("issue_child")));

    let query =
        ok("admin", "list_issues", json!({"project": a, "query_id": env().id("query_open_bugs")}))
            .await;
    assert!(ids(&query["issues"]).contains(&env().id("issue_parent")), "{query}");

    let error = err("developer", "list_issues", json!({"updated": "lately"})).await;
    assert_eq!(error.code(), "invalid_arguments");
    assert!(error.to_string().contains("/updated"), "{error}");
}

#[tokio::test]
async fn custom_fields_resolve_for_admins_and_non_admins() {
    let a = &env().project("a").identifier;
    let high = json!([{"field": "SEVERITY", "value": "High"}]);

    // The admin reads /custom_fields.json; the developer may not, and falls back to the
    // fields enabled on the project, or without a project to those on visible issues.
    for (role, arguments) in [
        ("admin", json!({"custom_fields": high, "status": "*"})),
        ("developer", json!({"project": a, "custom_fields": high, "status": "*"})),
        ("developer", json!({"custom_fields": high, "status": "*"})),
    ] {
        let answer = ok(role, "list_issues", arguments.clone()).await;
        let found = ids(&answer["issues"]);
        assert!(found.contains(&env().id("issue_parent")), "{role} {arguments}: {answer}");
        assert!(!found.contains(&env().id("issue_related")), "Low is not High");
    }

    let by_id =
        json!([{"field": env().id("custom_field_severity").to_string(), "operator": "any"}]);
    let answer = ok("reporter", "list_issues", json!({"project": a, "custom_fields": by_id})).await;
    assert!(ids(&answer["issues"]).contains(&env().id("issue_related")));

    let error = err(
        "developer",
        "list_issues",
        json!({"project": a, "custom_fields": [{"field": "Sevrity", "value": "x"}]}),
    )
    .await;
    assert_eq!(error.code(), "no_match");
    assert!(error.to_string().contains("Severity (id"), "{error}");
}

#[tokio::test]
async fn unknown_names_list_the_candidates() {
    let a = &env().project("a").identifier;

    let error = err("developer", "list_issues", json!({"tracker": "Bugz"})).await;
    assert_eq!(error.code(), "no_match");
    let details = error.details().unwrap();
    assert_eq!(details["kind"], "tracker");
    assert!(
        details["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str().unwrap().starts_with("Bug (id"))
    );

    let error = err("developer", "list_issues", json!({"project": a, "version": "9.9"})).await;
    assert_eq!(error.code(), "no_match");
    assert!(error.to_string().contains("1.0 (id"), "{error}");

    let error = err("developer", "list_issues", json!({"version": "1.0"})).await;
    assert_eq!(error.code(), "invalid_arguments", "{error}");
    assert!(error.to_string().contains("needs the project"), "{error}");

    let error = err("developer", "list_issues", json!({"priority": "Urgentissimo"})).await;
    assert!(error.to_string().contains("High (id"), "{error}");

    // Logins of other users are hidden from non-admins; members are found by full name.
    let error = err("reporter", "list_issues", json!({"project": a, "author": "dev"})).await;
    assert_eq!(error.code(), "no_match", "{error}");
    assert!(error.to_string().contains("Dana Developer (id"), "{error}");
    let answer = ok(
        "reporter",
        "list_issues",
        json!({"project": a, "author": "dana developer", "status": "*"}),
    )
    .await;
    assert!(ids(&answer["issues"]).contains(&env().id("issue_child")));
    let error = err("reporter", "list_issues", json!({"author": "dev"})).await;
    assert_eq!(error.code(), "unsupported");
    assert!(error.to_string().contains("pass the user's numeric id"), "{error}");
    let answer = ok("admin", "list_issues", json!({"author": "DEV", "status": "*"})).await;
    assert!(ids(&answer["issues"]).contains(&env().id("issue_child")));
}

#[tokio::test]
async fn two_users_with_one_name_are_ambiguous() {
    let mut cleanup = Cleanup::default();
    let admin = client("admin");
    let last = unique("Twin").replace('-', "");
    for login in ["twin-a", "twin-b"] {
        let login = unique(login);
        let user = NewUser::new(&login, "Terry", &last, format!("{login}@example.test"));
        let user = admin.create_user(&user.password("twin-password-123")).await.unwrap();
        cleanup.users.push(user.id);
    }

    let error = err("admin", "list_issues", json!({"assigned_to": format!("terry {last}")})).await;
    assert_eq!(error.code(), "ambiguous", "{error}");
    let details = error.details().unwrap();
    assert_eq!(details["candidates"].as_array().unwrap().len(), 2, "{details}");
    assert!(error.to_string().contains("pass the id"), "{error}");
}

#[tokio::test]
async fn two_categories_differing_in_case_are_ambiguous() {
    let mut cleanup = Cleanup::default();
    let (_, project) = own_project(&mut cleanup).await;

    for name in ["Ops", "ops"] {
        ok("admin", "create_issue_category", json!({"project": project, "name": name})).await;
    }
    let error =
        err("developer", "list_issues", json!({"project": project, "category": "OPS"})).await;
    assert_eq!(error.code(), "ambiguous", "{error}");
    assert_eq!(error.details().unwrap()["kind"], "category");
    assert_eq!(error.details().unwrap()["candidates"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn get_issue_includes_history_subtasks_attachments_relations_and_watchers() {
    let parent = env().id("issue_parent");
    let answer = ok("admin", "get_issue", json!({"id": parent})).await;
    let issue = &answer["issue"];
    assert_eq!(issue["id"], parent);
    assert!(
        issue["journals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["id"] == env().id("journal_parent_first"))
    );
    assert_eq!(ids(&issue["children"]), [env().id("issue_child")]);
    assert!(ids(&issue["attachments"]).contains(&env().id("attachment_parent_trace")));
    assert!(ids(&issue["relations"]).contains(&env().id("relation_parent_related")));
    assert!(ids(&issue["watchers"]).contains(&env().user("developer").id));
    assert!(issue.get("allowed_statuses").is_none());

    let answer =
        ok("developer", "get_issue", json!({"id": parent, "include": ["allowed_statuses"]})).await;
    assert!(!answer["issue"]["allowed_statuses"].as_array().unwrap().is_empty());
    assert!(answer["issue"].get("journals").is_none());

    let subtasks = ok("reporter", "list_issue_subtasks", json!({"issue_id": parent})).await;
    assert_eq!(ids(&subtasks["issues"]), [env().id("issue_child")]);
    assert_eq!(subtasks["parent_id"], parent);
}

#[tokio::test]
async fn limited_users_see_only_what_redmine_shows_them() {
    let c = env().project("c");
    let issue_c = env().id("issue_c");

    let answer = ok("admin", "get_issue", json!({"id": issue_c})).await;
    assert_eq!(answer["issue"]["project"]["id"], c.id);

    for role in ["developer", "reporter", "outsider"] {
        let error = err(role, "get_issue", json!({"id": issue_c})).await;
        assert!(matches!(error.code(), "forbidden" | "not_found"), "{role}: {error}");

        let error = err(role, "list_issues", json!({"project": c.identifier})).await;
        assert_eq!(error.code(), "no_match", "{role} must not find project C: {error}");
        let candidates = error.details().unwrap()["candidates"].to_string();
        assert!(!candidates.contains("Project C"), "{role}: {candidates}");

        let all = ok(role, "list_issues", json!({"status": "*", "limit": 100})).await;
        let projects: Vec<u64> = all["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|issue| issue["project"]["id"].as_u64().unwrap())
            .collect();
        assert!(!projects.contains(&c.id), "{role} sees project C's issues");
        let b = ok(role, "list_issues", json!({"project": "Project B"})).await;
        assert!(ids(&b["issues"]).contains(&env().id("issue_b")), "{role}: project B is public");
    }
}

#[tokio::test]
async fn create_update_and_delete_an_issue() {
    let mut cleanup = Cleanup::default();
    let a = &env().project("a").identifier;

    let created = ok(
        "admin",
        "create_issue",
        json!({
            "project": "Project A",
            "subject": unique("Tool-created issue"),
            "tracker": "Feature",
            "description": "Created by the issue tools test.",
            "priority": "high",
            "assigned_to": "Dana Developer",
            "category": "Frontend",
            "version": "2.0",
            "start_date": "2026-03-01",
            "due_date": "2026-03-31",
            "estimated_hours": 3.5,
            "done_ratio": 10,
            "watchers": ["me", "Dana Developer"],
            "custom_fields": [{"field": "Severity", "value": "Medium"}]
        }),
    )
    .await;
    let issue = &created["issue"];
    let id = issue["id"].as_u64().unwrap();
    cleanup.issues.push(IssueId(id));
    assert_eq!(created["created"], true);
    assert_eq!(issue["tracker"]["name"], "Feature");
    assert_eq!(issue["priority"]["id"], env().id("priority_high"));
    assert_eq!(issue["assigned_to"]["id"], env().user("developer").id);
    assert_eq!(issue["category"]["id"], env().id("category_a_frontend"));
    assert_eq!(issue["fixed_version"]["id"], env().id("version_a_2"));
    assert_eq!(issue["due_date"], "2026-03-31");
    assert_eq!(issue["custom_fields"][0]["value"], "Medium");

    let watched = ok("admin", "get_issue", json!({"id": id, "include": ["watchers"]})).await;
    let watchers = ids(&watched["issue"]["watchers"]);
    assert!(
        watchers.contains(&env().user("admin").id)
            && watchers.contains(&env().user("developer").id)
    );

    // A subtask, seen through list_issue_subtasks.
    let child = ok(
        "developer",
        "create_issue",
        json!({"project": a, "subject": "Tool-created subtask", "parent_issue_id": id}),
    )
    .await;
    let child = child["issue"]["id"].as_u64().unwrap();
    cleanup.issues.push(IssueId(child));
    let subtasks =
        ok("developer", "list_issue_subtasks", json!({"issue_id": id, "status": "open"})).await;
    assert_eq!(ids(&subtasks["issues"]), [child]);

    let updated = ok(
        "developer",
        "update_issue",
        json!({
            "id": id,
            "status": "In Progress",
            "subject": "Tool-updated issue",
            "clear": ["assigned_to", "due_date"],
            "custom_fields": [{"field": env().id("custom_field_severity").to_string(), "value": "Low"}],
            "notes": "Updated by the tools test."
        }),
    )
    .await;
    assert_eq!(updated["issue_id"], id);
    assert!(updated.get("not_changed").is_none(), "{updated}");
    let changed: Vec<&str> =
        updated["changed"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    for field in ["status", "subject", "assigned_to", "due_date", "custom_fields", "notes"] {
        assert!(changed.contains(&field), "{field} missing from {changed:?}");
    }
    let issue = &updated["issue"];
    assert_eq!(issue["status"]["id"], env().id("status_in_progress"));
    assert_eq!(issue["subject"], "Tool-updated issue");
    assert!(issue.get("assigned_to").is_none() && issue.get("due_date").is_none(), "{issue}");
    assert_eq!(issue["custom_fields"][0]["value"], "Low");

    let error = err("developer", "update_issue", json!({"id": id})).await;
    assert_eq!(error.code(), "invalid_arguments");
    let error = err("developer", "update_issue", json!({"id": id, "status": "Rejected-ish"})).await;
    assert_eq!(error.code(), "no_match");

    let deleted = ok("admin", "delete_issue", json!({"id": child})).await;
    assert_eq!(deleted, json!({"deleted": true, "issue_id": child}));
    let error = err("admin", "get_issue", json!({"id": child})).await;
    assert_eq!(error.code(), "not_found");
}

#[tokio::test]
async fn notes_are_added_and_edited() {
    let mut cleanup = Cleanup::default();
    let created =
        ok("admin", "create_issue", json!({"project": "project-a", "subject": unique("Noted")}))
            .await;
    let id = created["issue"]["id"].as_u64().unwrap();
    cleanup.issues.push(IssueId(id));

    let noted = ok(
        "developer",
        "add_issue_note",
        json!({"id": id, "notes": "A note from the tools test.", "private": true}),
    )
    .await;
    assert_eq!(noted["issue_id"], id);
    assert_eq!(noted["private_notes"], true);
    let journal = noted["journal_id"].as_u64().expect("the note's journal id");

    // The seeded Developer role may add notes but not edit them, not even its own.
    let error = err("developer", "update_journal", json!({"id": journal, "notes": "x"})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let edited = ok(
        "admin",
        "update_journal",
        json!({"id": journal, "notes": "An edited note.", "private_notes": false}),
    )
    .await;
    assert_eq!(edited["journal_id"], journal);
    let history = ok("admin", "get_issue", json!({"id": id, "include": ["journals"]})).await;
    let entry = history["issue"]["journals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["id"] == journal)
        .cloned()
        .unwrap();
    assert_eq!(entry["notes"], "An edited note.");
    assert!(entry.get("private_notes").is_none_or(|p| p == false), "{entry}");

    // The reporter is no member of project A and may not edit someone else's note.
    let error = err("reporter", "update_journal", json!({"id": journal, "notes": "hijack"})).await;
    assert!(matches!(error.code(), "forbidden" | "not_found"), "{error}");
}

#[tokio::test]
async fn the_reporter_cannot_delete_issues_in_project_b() {
    let mut cleanup = Cleanup::default();
    let b = &env().project("b").identifier;

    let created =
        ok("reporter", "create_issue", json!({"project": b, "subject": unique("Reporter issue")}))
            .await;
    let id = created["issue"]["id"].as_u64().unwrap();
    cleanup.issues.push(IssueId(id));

    let error = err("reporter", "delete_issue", json!({"id": id})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let error = err("reporter", "delete_issue", json!({"id": env().id("issue_b")})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    // The seeded issue is still there.
    ok("reporter", "get_issue", json!({"id": env().id("issue_b")})).await;

    ok("admin", "delete_issue", json!({"id": id})).await;
}

#[tokio::test]
async fn the_outsider_may_only_read_and_comment_on_public_issues() {
    let mut cleanup = Cleanup::default();
    let created = ok(
        "admin",
        "create_issue",
        json!({"project": "project-b", "subject": unique("Outsider target")}),
    )
    .await;
    let id = created["issue"]["id"].as_u64().unwrap();
    cleanup.issues.push(IssueId(id));

    ok("outsider", "get_issue", json!({"id": id})).await;
    // Non-members may add notes, so Redmine accepts the update and drops the subject; the
    // tool says so instead of claiming a change.
    let answer = ok("outsider", "update_issue", json!({"id": id, "subject": "changed"})).await;
    assert_eq!(answer["not_changed"], json!(["subject"]), "{answer}");
    assert!(answer.get("changed").is_none(), "nothing changed: {answer}");
    assert_eq!(answer["issue"]["subject"], created["issue"]["subject"]);
    let answer =
        ok("outsider", "add_issue_note", json!({"id": id, "notes": "Outsider note"})).await;
    assert!(answer["journal_id"].is_u64(), "{answer}");
    let error = err("outsider", "delete_issue", json!({"id": id})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let error =
        err("outsider", "create_issue_category", json!({"project": "project-b", "name": "Nope"}))
            .await;
    assert_eq!(error.code(), "forbidden", "{error}");
}

#[tokio::test]
async fn watchers_are_added_and_removed_by_name() {
    let mut cleanup = Cleanup::default();
    let created = ok(
        "admin",
        "create_issue",
        json!({"project": "project-a", "subject": unique("Watched issue")}),
    )
    .await;
    let id = created["issue"]["id"].as_u64().unwrap();
    cleanup.issues.push(IssueId(id));
    let dev = env().user("developer").id;
    let admin = env().user("admin").id;

    let added =
        ok("admin", "add_issue_watcher", json!({"issue_id": id, "user": "Dana Developer"})).await;
    assert_eq!(added, json!({"added": true, "issue_id": id, "user_id": dev}));
    ok("admin", "add_issue_watcher", json!({"issue_id": id, "user": "me"})).await;
    let watchers = |answer: Value| ids(&answer["issue"]["watchers"]);
    let watching =
        watchers(ok("admin", "get_issue", json!({"id": id, "include": ["watchers"]})).await);
    assert!(watching.contains(&dev) && watching.contains(&admin), "{watching:?}");

    // The developer's role lacks the watcher permissions.
    let error = err("developer", "add_issue_watcher", json!({"issue_id": id, "user": "me"})).await;
    assert_eq!(error.code(), "forbidden", "{error}");

    let error =
        err("admin", "remove_issue_watcher", json!({"issue_id": id, "user": "Remy Reporter"}))
            .await;
    assert_eq!(error.code(), "no_match", "{error}");
    assert!(error.to_string().contains("Dana Developer"), "the watchers are listed: {error}");

    ok("admin", "remove_issue_watcher", json!({"issue_id": id, "user": "dana developer"})).await;
    let removed =
        ok("admin", "remove_issue_watcher", json!({"issue_id": id, "user": "admin"})).await;
    assert_eq!(removed, json!({"removed": true, "issue_id": id, "user_id": admin}));
    let watching =
        watchers(ok("admin", "get_issue", json!({"id": id, "include": ["watchers"]})).await);
    assert!(watching.is_empty(), "{watching:?}");
}

#[tokio::test]
async fn issue_categories_are_managed_per_project() {
    let mut cleanup = Cleanup::default();
    let (project, identifier) = own_project(&mut cleanup).await;

    let created = ok(
        "developer",
        "create_issue_category",
        json!({"project": identifier, "name": "Infra", "assigned_to": "Dana Developer"}),
    )
    .await;
    let infra = created["issue_category"]["id"].as_u64().unwrap();
    assert_eq!(created["issue_category"]["assigned_to"]["id"], env().user("developer").id);
    let spare = ok(
        "developer",
        "create_issue_category",
        json!({"project": project.to_string(), "name": "Spare"}),
    )
    .await;
    let spare = spare["issue_category"]["id"].as_u64().unwrap();

    let listed = ok("developer", "list_issue_categories", json!({"project": identifier})).await;
    let mut listed = ids(&listed["issue_categories"]);
    listed.sort_unstable();
    assert_eq!(listed, [infra, spare]);
    let got = ok("developer", "get_issue_category", json!({"id": infra})).await;
    assert_eq!(got["issue_category"]["name"], "Infra");

    let updated = ok(
        "developer",
        "update_issue_category",
        json!({"id": infra, "name": "Infrastructure", "clear_assigned_to": true}),
    )
    .await;
    assert_eq!(updated["issue_category"]["name"], "Infrastructure");
    assert!(updated["issue_category"].get("assigned_to").is_none(), "{updated}");
    let error = err("developer", "update_issue_category", json!({"id": infra})).await;
    assert_eq!(error.code(), "invalid_arguments");

    let error =
        err("reporter", "create_issue_category", json!({"project": identifier, "name": "Nope"}))
            .await;
    assert_eq!(error.code(), "no_match", "a private project is unknown to non-members: {error}");
    let by_id = json!({"project": project.get().to_string(), "name": "Nope"});
    let error = err("reporter", "create_issue_category", by_id).await;
    assert_eq!(error.code(), "forbidden", "{error}");

    let issue = ok(
        "developer",
        "create_issue",
        json!({"project": identifier, "subject": "Categorised", "category": "infrastructure"}),
    )
    .await;
    let issue = issue["issue"]["id"].as_u64().unwrap();
    let deleted =
        ok("developer", "delete_issue_category", json!({"id": infra, "reassign_to": "spare"}))
            .await;
    assert_eq!(deleted["issues_moved_to"], spare);
    let issue = ok("developer", "get_issue", json!({"id": issue, "include": []})).await;
    assert_eq!(issue["issue"]["category"]["id"], spare);
    let error = err("developer", "get_issue_category", json!({"id": infra})).await;
    assert_eq!(error.code(), "not_found");
}

#[tokio::test]
async fn attachments_are_read_uploaded_and_deleted() {
    let mut cleanup = Cleanup::default();
    let trace = env().id("attachment_parent_trace");

    let meta = ok("outsider", "get_attachment", json!({"id": trace})).await;
    assert_eq!(meta["attachment"]["filename"], "trace.txt");
    let text = ok("developer", "get_attachment_text", json!({"id": trace})).await;
    assert!(text["text"].as_str().unwrap().starts_with("GET /checkout"), "{text}");

    let created = ok(
        "developer",
        "create_issue",
        json!({"project": "project-a", "subject": unique("Upload target")}),
    )
    .await;
    let id = created["issue"]["id"].as_u64().unwrap();
    cleanup.issues.push(IssueId(id));

    let content = "line one\nline two\n";
    let uploaded = ok(
        "developer",
        "upload_attachment",
        json!({
            "issue_id": id,
            "filename": "notes.txt",
            "content_base64": BASE64.encode(content),
            "content_type": "text/plain",
            "description": "Uploaded by the tools test",
            "notes": "See the attached notes."
        }),
    )
    .await;
    let attachment = uploaded["attachment"]["id"].as_u64().unwrap();
    assert_eq!(uploaded["issue_id"], id);
    assert_eq!(uploaded["attachment"]["filename"], "notes.txt");
    assert_eq!(uploaded["attachment"]["description"], "Uploaded by the tools test");
    let text = ok("reporter", "get_attachment_text", json!({"id": attachment})).await;
    assert_eq!(text["text"], content);

    let png =
        [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R'];
    let image = ok(
        "developer",
        "upload_attachment",
        json!({"issue_id": id, "filename": "pixel.png", "content_base64": BASE64.encode(png), "content_type": "image/png"}),
    )
    .await;
    let image = image["attachment"]["id"].as_u64().unwrap();
    let error = err("developer", "get_attachment_text", json!({"id": image})).await;
    assert_eq!(error.code(), "unsupported");
    assert!(error.to_string().contains("not text"), "{error}");
    let binary = ok(
        "developer",
        "upload_attachment",
        json!({"issue_id": id, "filename": "blob.txt", "content_base64": BASE64.encode([0u8, 159, 146, 150])}),
    )
    .await;
    let error =
        err("developer", "get_attachment_text", json!({"id": binary["attachment"]["id"]})).await;
    assert!(error.to_string().contains("binary data"), "{error}");

    let small = Registry::new(&RegistryConfig {
        limits: OutputLimits { attachment_text_bytes: 8, ..OutputLimits::default() },
        ..RegistryConfig::default()
    })
    .unwrap();
    let error = small
        .call("get_attachment_text", client("developer"), json!({"id": attachment}))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("more than the 8 bytes"), "{error}");

    let error = err(
        "developer",
        "upload_attachment",
        json!({"issue_id": id, "filename": "x.txt", "content_base64": "not base64!"}),
    )
    .await;
    assert_eq!(error.code(), "invalid_arguments");
    assert!(error.to_string().contains("/content_base64"), "{error}");

    let error = err("outsider", "delete_attachment", json!({"id": attachment})).await;
    assert!(matches!(error.code(), "forbidden" | "not_found"), "{error}");
    let deleted = ok("developer", "delete_attachment", json!({"id": attachment})).await;
    assert_eq!(deleted, json!({"deleted": true, "attachment_id": attachment}));
    let error = err("developer", "get_attachment", json!({"id": attachment})).await;
    assert_eq!(error.code(), "not_found");
}

#[tokio::test]
async fn oauth_tokens_act_with_their_scopes() {
    let dev = env().user("developer");
    let token =
        OAuthFlow::redmine(env()).token_for(dev, &["view_project", "view_issues"]).await.unwrap();
    let caller = client("developer").with_credentials(Credentials::bearer(token.access_token));

    let output = registry()
        .call("list_issues", caller.clone(), json!({"project": "project-a", "assigned_to": "me"}))
        .await
        .unwrap();
    assert!(ids(&output.value()["issues"]).contains(&env().id("issue_parent")));

    let error = registry()
        .call(
            "create_issue",
            caller,
            json!({"project": "project-a", "subject": "needs add_issues"}),
        )
        .await
        .unwrap_err();
    assert_eq!(error.code(), "forbidden", "{error}");
}

#[tokio::test]
async fn the_budget_trims_a_500_issue_list_and_says_so() {
    let mut cleanup = Cleanup::default();
    let (project, identifier) = own_project(&mut cleanup).await;
    let admin = client("admin");
    let created: Vec<_> = futures::stream::iter(0..500)
        .map(|i| {
            let admin = admin.clone();
            async move {
                let issue =
                    NewIssue::new(project, format!("Budget issue {i:03} {}", "padding ".repeat(8)));
                admin.create_issue(&issue).await
            }
        })
        .buffer_unordered(4)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(created.len(), 500);

    let budget = 20_000;
    let small = Registry::new(&RegistryConfig {
        limits: OutputLimits { budget_chars: budget, ..OutputLimits::default() },
        ..RegistryConfig::default()
    })
    .unwrap();
    let output = small
        .call("list_issues", client("developer"), json!({"project": identifier, "limit": 100}))
        .await
        .unwrap();
    let chars = output.text().chars().count();
    assert!(chars <= budget, "{chars} characters");
    let kept = output.value()["issues"].as_array().unwrap().len();
    assert!(kept > 0 && kept < 100, "{kept} issues kept");
    assert_eq!(output.value()["total_count"], 500);
    assert_eq!(output.value()["next_offset"], kept);
    assert_eq!(output.value()["truncated"]["items"]["omitted"], 100 - kept);
    assert!(output.value()["truncated"]["items"]["hint"].as_str().unwrap().contains("offset"));

    // The next call picks up where the trimmed one stopped.
    let next = small
        .call(
            "list_issues",
            client("developer"),
            json!({"project": identifier, "limit": 100, "offset": kept, "sort": "id"}),
        )
        .await
        .unwrap();
    assert_eq!(next.value()["offset"], kept);

    // The default budget holds a full page of 100.
    let full = ok("developer", "list_issues", json!({"project": identifier, "limit": 100})).await;
    assert_eq!(full["issues"].as_array().unwrap().len(), 100);
    assert_eq!(full["next_offset"], 100);
    assert!(full.get("truncated").is_none());
}

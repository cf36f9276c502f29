//! The project, membership, version and project-file tools end to end against
//! the seeded Redmine 6.1, through the registry, as the admin and as limited
//! users, with projects, versions, users, groups and roles named rather than
//! numbered.
//!
//! Seeded records are only read; whatever a test writes lives in a project of
//! its own, deleted by a guard even when the test fails.

mod tools_support;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

use tools_support::{
    Cleanup, call_as, client, env, err, err_as, ids, names, oauth_client, ok, ok_as, own_project,
    unique,
};

#[tokio::test]
async fn list_projects_shows_what_each_user_may_see() {
    let (a, c) = (env().project("a"), env().project("c"));

    let admin = ok("admin", "list_projects", json!({"limit": 100})).await;
    assert!(ids(&admin["projects"]).contains(&c.id), "the admin sees the private project");

    let developer = ok("developer", "list_projects", json!({"limit": 100})).await;
    let seen = ids(&developer["projects"]);
    assert!(seen.contains(&a.id) && !seen.contains(&c.id), "{developer}");

    let outsider = ok("outsider", "list_projects", json!({"limit": 100})).await;
    let seen = ids(&outsider["projects"]);
    assert!(seen.contains(&a.id) && seen.contains(&env().project("b").id));
    assert!(!seen.contains(&c.id), "the outsider sees public projects only");
    for project in outsider["projects"].as_array().unwrap() {
        assert_eq!(project["is_public"], true, "{project}");
    }
}

#[tokio::test]
async fn list_projects_filters_includes_and_pages() {
    let (a, a_sub) = (env().project("a"), env().project("a_sub"));

    let named =
        ok("developer", "list_projects", json!({"name": "SUBPROJECT", "status": "any"})).await;
    assert_eq!(ids(&named["projects"]), [a_sub.id], "{named}");

    let children = ok("developer", "list_projects", json!({"parent": a.name})).await;
    assert_eq!(ids(&children["projects"]), [a_sub.id]);

    let public = ok("admin", "list_projects", json!({"is_public": false, "limit": 100})).await;
    assert!(ids(&public["projects"]).contains(&env().project("c").id));
    assert!(!ids(&public["projects"]).contains(&a.id));

    let included = ok(
        "developer",
        "list_projects",
        json!({"name": a.name, "include": ["trackers", "enabled_modules"], "sort": "id"}),
    )
    .await;
    let first = &included["projects"][0];
    assert_eq!(first["id"], a.id);
    assert!(names(&first["trackers"]).contains(&"Bug".to_owned()), "{first}");
    assert!(names(&first["enabled_modules"]).contains(&"wiki".to_owned()), "{first}");

    let page = ok("developer", "list_projects", json!({"limit": 1, "offset": 1})).await;
    assert_eq!(page["projects"].as_array().unwrap().len(), 1);
    assert_eq!((page["offset"].as_u64(), page["limit"].as_u64()), (Some(1), Some(1)));
    assert_eq!(page["next_offset"], 2, "{page}");
    assert!(page["total_count"].as_u64().unwrap() >= 3);

    let error = err("developer", "list_projects", json!({"limit": 500, "colour": "red"})).await;
    assert_eq!(error.code(), "invalid_arguments");
    assert!(error.to_string().contains("/limit"), "{error}");
}

#[tokio::test]
async fn get_project_by_id_identifier_or_name_within_permissions() {
    let (a, c) = (env().project("a"), env().project("c"));

    for key in [json!(a.id.to_string()), json!(a.identifier), json!("PROJECT A")] {
        let answer = ok("developer", "get_project", json!({"id": key})).await;
        assert_eq!(answer["project"]["id"], a.id, "{key}");
        assert_eq!(answer["project"]["identifier"], a.identifier);
    }

    let answer = ok(
        "admin",
        "get_project",
        json!({"id": a.identifier, "include": ["time_entry_activities", "issue_categories"]}),
    )
    .await;
    assert!(names(&answer["project"]["time_entry_activities"]).contains(&"Development".into()));
    assert!(names(&answer["project"]["issue_categories"]).contains(&"Backend".into()));

    let hidden = ok("admin", "get_project", json!({"id": c.name})).await;
    assert_eq!(hidden["project"]["id"], c.id);

    // The developer cannot see project C: by name it matches none of their
    // projects, by id Redmine refuses.
    let error = err("developer", "get_project", json!({"id": c.identifier})).await;
    assert_eq!(error.code(), "no_match", "{error}");
    assert!(!error.to_string().contains("Project C"), "no hint of the hidden project: {error}");
    let error = err("developer", "get_project", json!({"id": c.id.to_string()})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let error = err("outsider", "get_project", json!({"id": c.id.to_string()})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
}

#[tokio::test]
async fn project_lifecycle_as_admin() {
    let mut cleanup = Cleanup::default();
    let identifier = unique("lifecycle");
    let parent = unique("parent");

    let created = ok(
        "admin",
        "create_project",
        json!({"name": format!("Parent {parent}"), "identifier": parent, "is_public": false}),
    )
    .await;
    let parent_id = created["project"]["id"].as_u64().unwrap();
    cleanup.projects.push(parent_id.into());

    let created = ok(
        "admin",
        "create_project",
        json!({
            "name": format!("Child {identifier}"),
            "identifier": identifier,
            "description": "made by the tools test",
            "parent": parent,
            "trackers": ["bug", "Feature"],
            "enabled_modules": ["issue_tracking", "time_tracking", "wiki"],
            "is_public": false
        }),
    )
    .await;
    let project = &created["project"];
    let id = project["id"].as_u64().unwrap();
    cleanup.projects.insert(0, id.into());
    assert_eq!(project["identifier"], identifier);
    assert_eq!(project["parent"]["id"], parent_id);

    let read = ok(
        "admin",
        "get_project",
        json!({"id": identifier, "include": ["trackers", "enabled_modules"]}),
    )
    .await;
    let mut trackers = names(&read["project"]["trackers"]);
    trackers.sort();
    assert_eq!(trackers, ["Bug", "Feature"]);
    let mut modules = names(&read["project"]["enabled_modules"]);
    modules.sort();
    assert_eq!(modules, ["issue_tracking", "time_tracking", "wiki"]);

    // A version and a member to name as the project's defaults.
    ok("admin", "create_version", json!({"project": identifier, "name": "Default line"})).await;
    ok(
        "admin",
        "create_membership",
        json!({"project": identifier, "user": "dev", "roles": ["Developer"]}),
    )
    .await;

    let updated = ok(
        "admin",
        "update_project",
        json!({
            "id": id.to_string(),
            "name": format!("Renamed {identifier}"),
            "description": "changed",
            "is_public": true,
            "parent": "none",
            "trackers": ["Support"],
            "default_version": "default line",
            "default_assignee": "Dana Developer"
        }),
    )
    .await;
    assert_eq!(updated["project_id"], id);
    assert_eq!(updated["changed"]["name"], format!("Renamed {identifier}"));
    assert!(updated["changed"].get("default_version_id").is_some(), "{updated}");

    let read = ok("admin", "get_project", json!({"id": identifier, "include": ["trackers"]})).await;
    let project = &read["project"];
    assert_eq!(project["name"], format!("Renamed {identifier}"));
    assert_eq!(project["description"], "changed");
    assert_eq!(project["is_public"], true);
    assert!(project.get("parent").is_none(), "moved to the top level: {project}");
    assert_eq!(names(&project["trackers"]), ["Support"]);
    assert_eq!(project["default_version"]["name"], "Default line");
    assert_eq!(project["default_assignee"]["id"], env().user("developer").id);

    let error = err("admin", "update_project", json!({"id": identifier})).await;
    assert_eq!(error.code(), "invalid_arguments", "nothing to change: {error}");

    // Archived, the project is gone from lists and views; unarchived by identifier, it is back.
    let archived = ok("admin", "archive_project", json!({"id": identifier})).await;
    assert_eq!(archived["archived"], true);
    let listed = ok("admin", "list_projects", json!({"name": identifier, "status": "any"})).await;
    assert!(!ids(&listed["projects"]).contains(&id), "{listed}");
    let error = err("developer", "get_project", json!({"id": id.to_string()})).await;
    assert!(matches!(error.code(), "forbidden" | "not_found"), "{error}");
    ok("admin", "unarchive_project", json!({"id": identifier})).await;
    let back = ok("developer", "get_project", json!({"id": id.to_string()})).await;
    assert_eq!(back["project"]["identifier"], identifier);

    let deleted = ok("admin", "delete_project", json!({"id": id.to_string()})).await;
    assert_eq!(deleted, json!({"project_id": id, "deleted": true}));
    // Redmine 6 hides a deleted project at once and removes it in a background job: until
    // then the admin still reads it, scheduled for deletion (status 10).
    match call_as(client("admin"), "get_project", json!({"id": id.to_string()})).await {
        Ok(output) => assert_eq!(output.value()["project"]["status"], 10, "{}", output.text()),
        Err(error) => assert!(matches!(error.code(), "forbidden" | "not_found"), "{error}"),
    }
    let error = err("developer", "get_project", json!({"id": id.to_string()})).await;
    assert!(matches!(error.code(), "forbidden" | "not_found"), "{error}");
}

#[tokio::test]
async fn limited_users_cannot_change_projects() {
    let (a, b) = (env().project("a"), env().project("b"));

    let error = err(
        "developer",
        "create_project",
        json!({"name": "Not allowed", "identifier": unique("denied")}),
    )
    .await;
    assert_eq!(error.code(), "forbidden", "{error}");
    assert_eq!(error.http_status(), 403);

    let error = err("reporter", "update_project", json!({"id": b.identifier, "name": "x"})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let error = err("outsider", "delete_project", json!({"id": a.identifier})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let error = err("developer", "archive_project", json!({"id": a.identifier})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let error = err("developer", "unarchive_project", json!({"id": a.identifier})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
}

#[tokio::test]
async fn memberships_list_and_lifecycle() {
    let a = env().project("a");
    let listed = ok("outsider", "list_memberships", json!({"project": a.name})).await;
    let dev = env().user("developer");
    let membership = listed["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["id"] == dev.id)
        .unwrap_or_else(|| panic!("the developer is a member of A: {listed}"));
    assert_eq!(membership["id"], env().id("membership_dev_a"));
    assert_eq!(membership["roles"][0]["name"], "Developer");

    let page =
        ok("developer", "list_memberships", json!({"project": "project-b", "limit": 1})).await;
    assert_eq!(page["memberships"].as_array().unwrap().len(), 1);
    assert!(page["total_count"].as_u64().unwrap() >= 2, "the reporter and the team: {page}");
    assert_eq!(page["next_offset"], 1);

    let one = ok("developer", "get_membership", json!({"id": env().id("membership_dev_a")})).await;
    assert_eq!(one["membership"]["project"]["id"], a.id);

    let error =
        err("developer", "list_memberships", json!({"project": env().project("c").id.to_string()}))
            .await;
    assert_eq!(error.code(), "forbidden", "{error}");

    let mut cleanup = Cleanup::default();
    let (_, identifier) = own_project(&mut cleanup, "members", &["issue_tracking"]).await;

    let created = ok(
        "admin",
        "create_membership",
        json!({"project": identifier, "user": "Remy Reporter", "roles": ["reporter"]}),
    )
    .await;
    let membership = &created["membership"];
    let membership_id = membership["id"].as_u64().unwrap();
    assert_eq!(membership["user"]["id"], env().user("reporter").id);
    assert_eq!(names(&membership["roles"]), ["Reporter"]);

    let updated = ok(
        "admin",
        "update_membership",
        json!({"id": membership_id, "roles": ["Developer", env().id("role_manager").to_string()]}),
    )
    .await;
    assert_eq!(updated["membership_id"], membership_id);
    let read = ok("admin", "get_membership", json!({"id": membership_id})).await;
    let mut roles = names(&read["membership"]["roles"]);
    roles.sort();
    assert_eq!(roles, ["Developer", "Manager"]);

    let error = err(
        "admin",
        "create_membership",
        json!({"project": identifier, "user": "dev", "roles": ["Astronaut"]}),
    )
    .await;
    assert_eq!(error.code(), "no_match");
    assert!(error.to_string().contains("Developer"), "the roles are listed: {error}");

    // The developer holds no manage_members permission.
    let error = err(
        "developer",
        "create_membership",
        json!({
            "project": identifier,
            "user": env().user("outsider").id.to_string(),
            "roles": ["Reporter"]
        }),
    )
    .await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let error = err("developer", "delete_membership", json!({"id": membership_id})).await;
    assert_eq!(error.code(), "forbidden", "{error}");

    let deleted = ok("admin", "delete_membership", json!({"id": membership_id})).await;
    assert_eq!(deleted, json!({"membership_id": membership_id, "deleted": true}));
    let error = err("admin", "get_membership", json!({"id": membership_id})).await;
    assert_eq!(error.code(), "not_found", "{error}");

    // A group's users inherit its membership, which cannot be removed on its own.
    let group = ok(
        "admin",
        "create_membership",
        json!({"project": identifier, "group": "harness team", "roles": ["Reporter"]}),
    )
    .await;
    assert_eq!(group["membership"]["group"]["id"], env().id("group_team"));
    let listed =
        ok("admin", "list_memberships", json!({"project": identifier, "limit": 100})).await;
    let inherited = listed["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["id"] == env().user("reporter").id)
        .unwrap_or_else(|| panic!("the reporter is a member through the group: {listed}"));
    let error = err("admin", "delete_membership", json!({"id": inherited["id"]})).await;
    assert!(error.to_string().contains("group"), "{error}");
}

#[tokio::test]
async fn versions_are_read_by_id_or_name() {
    let a = env().project("a");
    let listed = ok("developer", "list_versions", json!({"project": "Project A"})).await;
    let found = ids(&listed["versions"]);
    assert!(found.contains(&env().id("version_a_1")) && found.contains(&env().id("version_a_2")));
    assert_eq!(listed["total_count"].as_u64(), Some(found.len() as u64));
    let closed =
        ok("developer", "list_versions", json!({"project": a.identifier, "status": "closed"}))
            .await;
    assert!(!ids(&closed["versions"]).contains(&env().id("version_a_1")), "{closed}");

    let by_id =
        ok("outsider", "get_version", json!({"id": env().id("version_a_1").to_string()})).await;
    assert_eq!(by_id["version"]["name"], "1.0");
    assert_eq!(by_id["version"]["due_date"], "2026-06-30");
    let by_name =
        ok("developer", "get_version", json!({"id": "1.0", "project": a.identifier})).await;
    assert_eq!(by_name["version"]["id"], env().id("version_a_1"));

    let error = err("developer", "get_version", json!({"id": "1.0"})).await;
    assert_eq!(error.code(), "invalid_arguments");
    assert!(error.to_string().contains("/project"), "{error}");
    let error =
        err("developer", "get_version", json!({"id": "9.9", "project": a.identifier})).await;
    assert_eq!(error.code(), "no_match");
    assert!(error.to_string().contains("2.0"), "the versions are listed: {error}");

    let error =
        err("developer", "list_versions", json!({"project": env().project("c").id.to_string()}))
            .await;
    assert_eq!(error.code(), "forbidden", "{error}");
}

#[tokio::test]
async fn versions_lifecycle_and_the_reporter_cannot_create_one() {
    // The reporter is a Reporter in project B, a role without manage_versions.
    let error = err(
        "reporter",
        "create_version",
        json!({"project": env().project("b").name, "name": unique("nope")}),
    )
    .await;
    assert_eq!(error.code(), "forbidden", "{error}");
    assert_eq!(error.http_status(), 403);
    assert!(
        error.to_string().contains("403") || error.to_string().contains("forbidden"),
        "{error}"
    );

    let mut cleanup = Cleanup::default();
    let (project, identifier) =
        own_project(&mut cleanup, "versions", &["issue_tracking", "files"]).await;

    let created = ok(
        "admin",
        "create_version",
        json!({
            "project": identifier,
            "name": "3.0",
            "description": "the third",
            "due_date": "2030-01-31",
            "sharing": "descendants",
            "status": "locked"
        }),
    )
    .await;
    let version = &created["version"];
    let id = version["id"].as_u64().unwrap();
    assert_eq!(version["project"]["id"], project.get());
    assert_eq!(version["status"], "locked");
    assert_eq!(version["sharing"], "descendants");

    let error = err("admin", "create_version", json!({"project": identifier, "name": "3.0"})).await;
    assert_eq!(error.code(), "validation_failed", "a duplicate name: {error}");
    let error = err(
        "admin",
        "create_version",
        json!({"project": identifier, "name": "x", "due_date": "soon"}),
    )
    .await;
    assert_eq!(error.code(), "invalid_arguments");

    let updated = ok(
        "admin",
        "update_version",
        json!({"id": "3.0", "project": identifier, "status": "closed", "due_date": "none", "name": "3.0-final"}),
    )
    .await;
    assert_eq!(updated["version_id"], id);
    assert_eq!(updated["changed"]["status"], "closed");
    let read = ok("developer", "get_version", json!({"id": id.to_string()})).await;
    assert_eq!(read["version"]["status"], "closed");
    assert_eq!(read["version"]["name"], "3.0-final");
    assert!(read["version"].get("due_date").is_none(), "{read}");

    let error =
        err("outsider", "update_version", json!({"id": id.to_string(), "status": "open"})).await;
    assert_eq!(error.code(), "forbidden", "{error}");

    // A version with a file filed under it cannot be deleted; the message says what to do.
    let used =
        ok("admin", "create_version", json!({"project": identifier, "name": "in use"})).await;
    let used_id = used["version"]["id"].as_u64().unwrap();
    ok(
        "admin",
        "add_project_file",
        json!({
            "project": identifier,
            "filename": "notes.txt",
            "content_base64": BASE64.encode("pinned"),
            "version": "in use"
        }),
    )
    .await;
    let error = err("admin", "delete_version", json!({"id": used_id.to_string()})).await;
    assert!(error.to_string().contains("update_version"), "{error}");

    let deleted =
        ok("admin", "delete_version", json!({"id": "3.0-final", "project": identifier})).await;
    assert_eq!(deleted, json!({"version_id": id, "deleted": true}));
    let error = err("admin", "get_version", json!({"id": id.to_string()})).await;
    assert_eq!(error.code(), "not_found", "{error}");
}

#[tokio::test]
async fn project_files_are_listed_and_added() {
    let a = env().project("a");
    let listed = ok("outsider", "list_project_files", json!({"project": a.identifier})).await;
    let file = listed["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == env().id("attachment_project_file"))
        .unwrap_or_else(|| panic!("the seeded file is listed: {listed}"));
    assert_eq!(file["filename"], "release-notes.txt");
    assert_eq!(file["version"]["id"], env().id("version_a_1"));

    let mut cleanup = Cleanup::default();
    let (_, identifier) = own_project(&mut cleanup, "files", &["files"]).await;
    let content = "col1,col2\n1,2\n";
    let added = ok(
        "admin",
        "add_project_file",
        json!({
            "project": identifier,
            "filename": "data.csv",
            "content_base64": BASE64.encode(content),
            "content_type": "text/csv",
            "description": "numbers"
        }),
    )
    .await;
    let id = added["file"]["id"].as_u64().expect("the attachment id");
    assert_eq!(added["file"]["filesize"], content.len());

    let listed = ok("developer", "list_project_files", json!({"project": identifier})).await;
    let file: &Value = listed["files"].as_array().unwrap().iter().find(|f| f["id"] == id).unwrap();
    assert_eq!(file["filename"], "data.csv");
    assert_eq!(file["description"], "numbers");
    assert_eq!(file["filesize"], content.len());

    let error = err(
        "admin",
        "add_project_file",
        json!({"project": identifier, "filename": "x.bin", "content_base64": "%%%"}),
    )
    .await;
    assert_eq!(error.code(), "invalid_arguments");
    // The outsider is no member, and non-members may not manage files.
    let error = err(
        "outsider",
        "add_project_file",
        json!({"project": identifier, "filename": "x.txt", "content_base64": BASE64.encode("x")}),
    )
    .await;
    assert_eq!(error.code(), "forbidden", "{error}");
}

#[tokio::test]
async fn oauth_scopes_limit_the_project_tools() {
    let a = env().project("a");
    let reader = oauth_client("developer", &["view_project"]).await;
    let listed = ok_as(reader.clone(), "list_projects", json!({})).await;
    assert!(ids(&listed["projects"]).contains(&a.id), "{listed}");
    let read = ok_as(reader, "get_project", json!({"id": a.identifier})).await;
    assert_eq!(read["project"]["id"], a.id);

    // The developer's role may manage versions; a token without that scope may not.
    let mut cleanup = Cleanup::default();
    let (_, identifier) = own_project(&mut cleanup, "oauth", &["issue_tracking"]).await;
    let reader = oauth_client("developer", &["view_project"]).await;
    let error = err_as(reader, "create_version", json!({"project": identifier, "name": "1"})).await;
    assert_eq!(error.code(), "forbidden", "{error}");
    let manager = oauth_client("developer", &["view_project", "manage_versions"]).await;
    let created =
        ok_as(manager, "create_version", json!({"project": identifier, "name": "1"})).await;
    assert_eq!(created["version"]["name"], "1");
}

//! Helpers shared by the `tools_projects`, `tools_time_users` and
//! `tools_wiki_reference` end-to-end tests: tool calls through the registry
//! as the seeded users (by API key or OAuth token), unique names, a project
//! of the test's own, and clean-up that runs even when an assertion fails.
//!
//! Each binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use redmine_client::memberships::NewMembership;
use redmine_client::projects::NewProject;
use redmine_client::{Client, Credentials, ProjectId, RoleId, TimeEntryId, UserId};
use redmine_mcp_tests::{HarnessEnv, OAuthFlow};
use redmine_tools::{Registry, RegistryConfig, ToolError, ToolOutput};
use serde_json::Value;

pub fn env() -> &'static HarnessEnv {
    HarnessEnv::redmine61()
}

pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry::new(&RegistryConfig::default()).expect("a valid registry"))
}

fn base() -> &'static Client {
    static BASE: OnceLock<Client> = OnceLock::new();
    BASE.get_or_init(|| Client::builder(env().base_url.as_str()).build().expect("a base URL"))
}

/// A client acting as the seeded user playing `role`, with that user's API key.
pub fn client(role: &str) -> Client {
    base().with_credentials(Credentials::api_key(env().user(role).api_key.clone()))
}

/// A client acting as nobody: Redmine's anonymous user.
pub fn anonymous() -> Client {
    base().with_credentials(Credentials::Anonymous)
}

/// A client acting as the seeded user playing `role` through an OAuth token
/// limited to `scopes`.
pub async fn oauth_client(role: &str, scopes: &[&str]) -> Client {
    let token = OAuthFlow::redmine(env())
        .token_for(env().user(role), scopes)
        .await
        .unwrap_or_else(|e| panic!("no token for {role} with {scopes:?}: {e:#}"));
    base().with_credentials(Credentials::bearer(token.access_token))
}

/// Calls tool `name` with `client`'s credentials.
pub async fn call_as(
    client: Client,
    name: &str,
    arguments: Value,
) -> Result<ToolOutput, ToolError> {
    registry().call(name, client, arguments).await
}

/// Calls tool `name` as `role` and returns its answer, failing the test on an error.
pub async fn ok(role: &str, name: &str, arguments: Value) -> Value {
    ok_as(client(role), name, arguments).await
}

/// Calls tool `name` as `role` and returns its error, failing the test on success.
pub async fn err(role: &str, name: &str, arguments: Value) -> ToolError {
    err_as(client(role), name, arguments).await
}

/// Calls tool `name` with `client` and returns its answer, failing the test on an error.
pub async fn ok_as(client: Client, name: &str, arguments: Value) -> Value {
    match call_as(client, name, arguments.clone()).await {
        Ok(output) => output.into_parts().1,
        Err(error) => panic!("{name} with {arguments} failed: {error} ({error:?})"),
    }
}

/// Calls tool `name` with `client` and returns its error, failing the test on success.
pub async fn err_as(client: Client, name: &str, arguments: Value) -> ToolError {
    match call_as(client, name, arguments.clone()).await {
        Ok(output) => panic!("{name} with {arguments} succeeded: {}", output.text()),
        Err(error) => error,
    }
}

/// A name no other test, process or run uses: lowercase letters, digits and
/// dashes, so that it also serves as a project identifier.
pub fn unique(label: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("tools-{label}-{}-{nanos}-{n}", std::process::id())
}

/// The `id` of every item of a list answer.
pub fn ids(list: &Value) -> Vec<u64> {
    list.as_array().map_or_else(Vec::new, |items| {
        items.iter().filter_map(|item| item["id"].as_u64()).collect()
    })
}

/// The `name` (or `title`) of every item of a list answer.
pub fn names(list: &Value) -> Vec<String> {
    list.as_array().map_or_else(Vec::new, |items| {
        items
            .iter()
            .filter_map(|item| item["name"].as_str().or_else(|| item["title"].as_str()))
            .map(str::to_owned)
            .collect()
    })
}

/// Records a test created, deleted as the admin when the guard drops, also
/// after a failed assertion.
#[derive(Default)]
pub struct Cleanup {
    pub time_entries: Vec<TimeEntryId>,
    pub projects: Vec<ProjectId>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let entries = std::mem::take(&mut self.time_entries);
        let projects = std::mem::take(&mut self.projects);
        // A client of its own: the shared one's pooled connections belong to the
        // test's runtime, which is blocked here, and would stall until timing out.
        let admin = Client::builder(env().base_url.as_str())
            .credentials(Credentials::api_key(env().user("admin").api_key.clone()))
            .build()
            .expect("a base URL");
        // Drop cannot await; a thread with its own runtime does the deleting.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            runtime.expect("a runtime").block_on(async {
                // XXX(redmine): the harness's SQLite answers 500 "database is locked" while a
                // background job deletes another project; a few retries ride that out.
                for entry in entries {
                    for _ in 0..3 {
                        match admin.delete_time_entry(entry).await {
                            Err(e) if e.status().is_some_and(|s| s.is_server_error()) => {
                                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                            }
                            _ => break,
                        }
                    }
                }
                for project in projects.into_iter().rev() {
                    for _ in 0..3 {
                        match admin.delete_project(project).await {
                            Err(e) if e.status().is_some_and(|s| s.is_server_error()) => {
                                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                            }
                            _ => break,
                        }
                    }
                }
            });
        })
        .join()
        .expect("the clean-up ran");
    }
}

/// A public project of the test's own, made with the client (not the tools
/// under test), with `modules` enabled and the developer as a Developer.
pub async fn own_project(
    cleanup: &mut Cleanup,
    label: &str,
    modules: &[&str],
) -> (ProjectId, String) {
    let identifier = unique(label);
    let project = NewProject::new(format!("Tools {identifier}"), identifier.as_str())
        .public(true)
        .modules(modules.iter().copied());
    let admin = client("admin");
    let project = admin.create_project(&project).await.expect("the admin creates a project");
    cleanup.projects.push(project.id);

    let developer = NewMembership::user(
        UserId(env().user("developer").id),
        [RoleId(env().id("role_developer"))],
    );
    admin.create_membership(project.id, &developer).await.expect("the developer becomes a member");
    (project.id, identifier)
}

//! Issue watchers: add and remove the users notified of an issue's changes.
//!
//! The watchers themselves are listed by `get_issue` (include watchers).

use http::Method;
use redmine_client::issues::IssueInclude;
use redmine_client::{IssueId, UserId};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::context::CallContext;
use crate::error::ToolError;
use crate::resolve::{Candidate, pick};
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of `add_issue_watcher` and `remove_issue_watcher`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Watcher {
    /// The issue number.
    issue_id: u64,
    /// The user: "me", or an id, login or full name.
    user: String,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "add_issue_watcher",
                title: "Add a watcher",
                description: "Make a user (\"me\", or a project member by id, login or name) \
                              watch an issue, so that they are notified of its changes. Adding \
                              a watcher twice is harmless.",
                annotations: Annotations::CREATE,
                scopes: &["add_issue_watchers"],
                binding: RestBinding {
                    method: Method::POST,
                    path: "/issues/{issue_id}/watchers",
                    listed: false,
                },
            },
            add,
        ),
        Tool::new(
            ToolSpec {
                name: "remove_issue_watcher",
                title: "Remove a watcher",
                description: "Stop a user (\"me\", or a watcher by id, login or name) from \
                              watching an issue. The watchers are listed by get_issue.",
                annotations: Annotations::DELETE,
                scopes: &["delete_issue_watchers"],
                binding: RestBinding {
                    method: Method::DELETE,
                    path: "/issues/{issue_id}/watchers/{user}",
                    listed: false,
                },
            },
            remove,
        ),
    ]
}

async fn add(context: CallContext, arguments: Watcher) -> Result<Value, ToolError> {
    let issue = IssueId(arguments.issue_id);
    let user = if let Some(user) = named_user(&context, &arguments.user).await? {
        user
    } else {
        // Watchers are usually members of the issue's project.
        let project = context.client().get_issue(issue, &[]).await?.project.id;
        context.user_id(&arguments.user, Some(project)).await?
    };
    context.client().add_watcher(issue, user).await?;
    Ok(json!({ "added": true, "issue_id": issue, "user_id": user }))
}

async fn remove(context: CallContext, arguments: Watcher) -> Result<Value, ToolError> {
    let issue = IssueId(arguments.issue_id);
    let user = match named_user(&context, &arguments.user).await? {
        Some(user) => user,
        None => watcher_named(&context, issue, &arguments.user).await?,
    };
    context.client().remove_watcher(issue, user).await?;
    Ok(json!({ "removed": true, "issue_id": issue, "user_id": user }))
}

/// The watcher of `issue` that `input` names. A watcher to remove is one of
/// the issue's watchers, so the name is looked up there first.
async fn watcher_named(
    context: &CallContext,
    issue: IssueId,
    input: &str,
) -> Result<UserId, ToolError> {
    let issue = context.client().get_issue(issue, &[IssueInclude::Watchers]).await?;
    let watchers: Vec<Candidate> = issue
        .watchers
        .unwrap_or_default()
        .into_iter()
        .map(|w| Candidate::new(w.id.get(), [w.name]))
        .collect();
    match pick("watcher", input.trim(), &watchers) {
        Ok(id) => Ok(UserId(id)),
        Err(error @ ToolError::Ambiguous { .. }) => Err(error),
        // Perhaps a login, which the watcher list does not carry; but only a watcher will do.
        Err(no_match) => match context.user_id(input, Some(issue.project.id)).await {
            Ok(user) if watchers.iter().any(|w| w.id == user.get()) => Ok(user),
            _ => Err(no_match),
        },
    }
}

/// The user `input` names when that needs no lookup: an id or `me`.
async fn named_user(context: &CallContext, input: &str) -> Result<Option<UserId>, ToolError> {
    let input = input.trim();
    if input.eq_ignore_ascii_case("me") || input.parse::<u64>().is_ok() {
        return context.user_id(input, None).await.map(Some);
    }
    Ok(None)
}

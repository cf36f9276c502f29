//! Project memberships: who belongs to a project with which roles; list,
//! read, add, change roles and remove.
//!
//! Roles are named by the caller (`Developer`) and resolved against
//! Redmine's role list, which any signed-in user may read.

use http::Method;
use redmine_client::memberships::{MembershipUpdate, NewMembership};
use redmine_client::{MembershipId, Paging, RoleId};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::issue_fields::problem;
use super::projects::project_id;
use super::users::group_id;
use super::{one, paged};
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::resolve::Candidate;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of `list_memberships`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListMemberships {
    /// The project (id, identifier or name).
    project: String,
    /// How many memberships to skip, for paging (default 0).
    offset: Option<u64>,
    /// How many memberships to return, 1 to 100 (default 25).
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
}

/// Arguments of `get_membership` and `delete_membership`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MembershipOnly {
    /// The membership's id, as list_memberships shows it (not a user id).
    id: u64,
}

/// Arguments of `create_membership`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateMembership {
    /// The project (id, identifier or name).
    project: String,
    /// The user to add: login, full name or id. Give user or group.
    user: Option<String>,
    /// The group to add, by name or id; its users become members through it.
    group: Option<String>,
    /// The roles to give, by name or id, e.g. "Developer". At least one.
    #[schemars(length(min = 1))]
    roles: Vec<String>,
}

/// Arguments of `update_membership`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateMembership {
    /// The membership's id, as list_memberships shows it.
    id: u64,
    /// The roles the member should have from now on, by name or id; they replace the current
    /// ones. At least one.
    #[schemars(length(min = 1))]
    roles: Vec<String>,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "list_memberships",
                title: "List project members",
                description: "List the members of a project (users and groups) with their roles. \
                              Use it to find who can be assigned issues or to look up a user's \
                              id. Returns memberships with their ids, plus paging.",
                annotations: Annotations::READ,
                scopes: &["view_members"],
                binding: RestBinding { method: Method::GET, path: "/memberships", listed: true },
            },
            list,
        ),
        Tool::new(
            ToolSpec {
                name: "get_membership",
                title: "Get a membership",
                description: "Get one project membership by id: the project, the user or group, \
                              and its roles (inherited ones marked).",
                annotations: Annotations::READ,
                scopes: &["view_members"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/memberships/{id}",
                    listed: false,
                },
            },
            get,
        ),
        Tool::new(
            ToolSpec {
                name: "create_membership",
                title: "Add a project member",
                description: "Add a user or a group to a project with one or more roles, given by \
                              name (e.g. \"Developer\") or id. Needs manage_members. Returns the \
                              new membership with its id.",
                annotations: Annotations::CREATE,
                scopes: &["manage_members"],
                binding: RestBinding { method: Method::POST, path: "/memberships", listed: false },
            },
            create,
        ),
        Tool::new(
            ToolSpec {
                name: "update_membership",
                title: "Change a member's roles",
                description: "Replace the roles of a project membership (by membership id) with \
                              the given role names or ids; inherited roles stay. Needs \
                              manage_members. Returns the membership id and its new roles.",
                annotations: Annotations::UPDATE,
                scopes: &["manage_members"],
                binding: RestBinding {
                    method: Method::PUT,
                    path: "/memberships/{id}",
                    listed: false,
                },
            },
            update,
        ),
        Tool::new(
            ToolSpec {
                name: "delete_membership",
                title: "Remove a project member",
                description: "Remove a user or group from a project, by membership id. A \
                              membership inherited from a group or parent project cannot be \
                              removed here. Needs manage_members. Returns the deleted id.",
                annotations: Annotations::DELETE,
                scopes: &["manage_members"],
                binding: RestBinding {
                    method: Method::DELETE,
                    path: "/memberships/{id}",
                    listed: false,
                },
            },
            delete,
        ),
    ]
}

/// Resolves a role by name or id.
pub(super) async fn role_id(context: &CallContext, input: &str) -> Result<RoleId, ToolError> {
    let client = context.client().clone();
    let id = context
        .resolve("role", "", input, move || async move {
            let roles = client.list_roles().await?;
            Ok(roles.into_iter().map(|r| Candidate::new(r.id.get(), [r.name])).collect())
        })
        .await?;
    Ok(RoleId(id))
}

/// Resolves role names or ids, in order.
async fn role_ids(context: &CallContext, inputs: &[String]) -> Result<Vec<RoleId>, ToolError> {
    let mut ids = Vec::with_capacity(inputs.len());
    for input in inputs {
        ids.push(role_id(context, input).await?);
    }
    Ok(ids)
}

async fn list(context: CallContext, arguments: ListMemberships) -> Result<Answer, ToolError> {
    let project = project_id(&context, &arguments.project).await?;
    let mut paging = Paging::new();
    if let Some(offset) = arguments.offset {
        paging = paging.offset(offset);
    }
    if let Some(limit) = arguments.limit {
        paging = paging.limit(limit);
    }
    let page = context.client().list_memberships(project, paging).await?;
    paged("memberships", &page)
}

async fn get(context: CallContext, arguments: MembershipOnly) -> Result<Answer, ToolError> {
    let membership = context.client().get_membership(MembershipId(arguments.id)).await?;
    one("membership", &membership)
}

async fn create(context: CallContext, arguments: CreateMembership) -> Result<Answer, ToolError> {
    let project = project_id(&context, &arguments.project).await?;
    let roles = role_ids(&context, &arguments.roles).await?;
    let membership = match (&arguments.user, &arguments.group) {
        (Some(user), None) => NewMembership::user(context.user_id(user, None).await?, roles),
        (None, Some(group)) => NewMembership::group(group_id(&context, group).await?, roles),
        _ => return Err(problem("", "give either user or group, not both")),
    };

    let created = context.client().create_membership(project, &membership).await?;
    one("membership", &created)
}

async fn update(context: CallContext, arguments: UpdateMembership) -> Result<Value, ToolError> {
    let roles = role_ids(&context, &arguments.roles).await?;
    context
        .client()
        .update_membership(MembershipId(arguments.id), &MembershipUpdate::new(roles.clone()))
        .await?;
    Ok(json!({ "membership_id": arguments.id, "updated": true, "changed": {"role_ids": roles} }))
}

async fn delete(context: CallContext, arguments: MembershipOnly) -> Result<Value, ToolError> {
    match context.client().delete_membership(MembershipId(arguments.id)).await {
        Ok(()) => Ok(json!({ "membership_id": arguments.id, "deleted": true })),
        // XXX(redmine): a membership holding inherited roles is refused with a bare 422.
        Err(error) if error.status().is_some_and(|s| s.as_u16() == 422) => {
            Err(ToolError::Unsupported(format!(
                "redmine refused to delete membership {}: it holds roles inherited from a group \
                 or the parent project; remove the group's membership (or the member from the \
                 group) instead",
                arguments.id
            )))
        }
        Err(error) => Err(error.into()),
    }
}

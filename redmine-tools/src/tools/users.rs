//! Users and groups: who is who, the caller's own account, and the groups
//! users belong to.
//!
//! Listing users and groups is for administrators only in Redmine; reading
//! one user, one group or oneself is open to anyone who can see them. API
//! keys never leave this module: the client's user model does not serialize
//! them.

use http::Method;
use redmine_client::groups::GroupInclude;
use redmine_client::users::{UserFilter, UserInclude, UserStatus};
use redmine_client::{GroupId, UserId};
use schemars::JsonSchema;
use serde::Deserialize;

use super::{one, paged, whole_list};
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::resolve::Candidate;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Which users to list by account status.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum StatusArg {
    Active,
    Registered,
    Locked,
    Any,
}

/// Extra data to return with a user.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum UserIncludeArg {
    Memberships,
    Groups,
}

fn user_includes(include: Option<&Vec<UserIncludeArg>>) -> Vec<UserInclude> {
    let include = include.map(Vec::as_slice).unwrap_or_default();
    include
        .iter()
        .map(|i| match i {
            UserIncludeArg::Memberships => UserInclude::Memberships,
            UserIncludeArg::Groups => UserInclude::Groups,
        })
        .collect()
}

/// Extra data to return with a group.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum GroupIncludeArg {
    Users,
    Memberships,
}

/// Arguments of `list_users`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListUsers {
    /// Only users whose login, first name, last name or email contains this text.
    name: Option<String>,
    /// Account status: "active" (the default), "registered", "locked" or "any".
    status: Option<StatusArg>,
    /// Only members of this group, by name or id.
    group: Option<String>,
    /// How many users to skip, for paging (default 0).
    offset: Option<u64>,
    /// How many users to return, 1 to 100 (default 25).
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
}

/// Arguments of `get_user`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetUser {
    /// The user: numeric id, login, full name, or "me" for yourself.
    id: String,
    /// Extra data: "memberships" (projects and roles) and "groups" (shown to administrators only).
    include: Option<Vec<UserIncludeArg>>,
}

/// Arguments of `get_current_user`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetCurrentUser {
    /// Extra data: "memberships" (your projects and roles) and "groups" (shown to administrators
    /// only).
    include: Option<Vec<UserIncludeArg>>,
}

/// Arguments of `list_groups`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListGroups {
    /// Also list the built-in groups "Anonymous users" and "Non member users" (default false).
    builtin: Option<bool>,
}

/// Arguments of `get_group`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetGroup {
    /// The group: numeric id, or its name (names need an administrator).
    id: String,
    /// Extra data: "users" (its members) and "memberships" (its projects and roles).
    include: Option<Vec<GroupIncludeArg>>,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "list_users",
                title: "List users",
                description: "List user accounts, filtered by name, login or email text, status \
                              or group. Administrators only; others can find people through \
                              list_memberships. Returns users with id, login, name and email, \
                              plus paging (total_count, next_offset).",
                annotations: Annotations::READ,
                scopes: &["admin"],
                binding: RestBinding { method: Method::GET, path: "/users", listed: true },
            },
            list_users,
        ),
        Tool::new(
            ToolSpec {
                name: "get_user",
                title: "Get a user",
                description: "Get one user by id, login, name or \"me\", optionally with their \
                              project memberships and groups. Returns the user; what is shown \
                              depends on your rights.",
                annotations: Annotations::READ,
                scopes: &[],
                binding: RestBinding { method: Method::GET, path: "/users/{id}", listed: true },
            },
            get_user,
        ),
        Tool::new(
            ToolSpec {
                name: "get_current_user",
                title: "Who am I",
                description: "Get the account you act as: id, login, name, email, admin flag, \
                              and optionally your project memberships with roles. Use it to \
                              learn your own id or which projects you work in.",
                annotations: Annotations::READ,
                scopes: &[],
                binding: RestBinding { method: Method::GET, path: "/me", listed: true },
            },
            get_current_user,
        ),
        Tool::new(
            ToolSpec {
                name: "list_groups",
                title: "List groups",
                description: "List the user groups (administrators only). Returns each group's id \
                              and name; use get_group for its members.",
                annotations: Annotations::READ,
                scopes: &["admin"],
                binding: RestBinding { method: Method::GET, path: "/groups", listed: true },
            },
            list_groups,
        ),
        Tool::new(
            ToolSpec {
                name: "get_group",
                title: "Get a group",
                description: "Get one user group by id or name, optionally with its users and \
                              its project memberships. Returns the group.",
                annotations: Annotations::READ,
                scopes: &[],
                binding: RestBinding { method: Method::GET, path: "/groups/{id}", listed: false },
            },
            get_group,
        ),
    ]
}

/// Resolves a group by name or id; names need the administrator's group list.
pub(super) async fn group_id(context: &CallContext, input: &str) -> Result<GroupId, ToolError> {
    let client = context.client().clone();
    let resolved = context
        .resolve("group", "", input, move || async move {
            let groups = client.list_groups().await?;
            Ok(groups.into_iter().map(|g| Candidate::new(g.id.get(), [g.name])).collect())
        })
        .await;
    match resolved {
        Ok(id) => Ok(GroupId(id)),
        Err(ToolError::Redmine(error)) if error.is_forbidden() => {
            Err(ToolError::Unsupported(format!(
                "cannot look up the group {input:?} by name: only administrators may list \
                 groups; pass the group's numeric id"
            )))
        }
        Err(error) => Err(error),
    }
}

async fn list_users(context: CallContext, arguments: ListUsers) -> Result<Answer, ToolError> {
    let mut filter = UserFilter::new();
    if let Some(name) = arguments.name {
        filter = filter.name(name);
    }
    filter = match arguments.status {
        None => filter,
        Some(StatusArg::Active) => filter.status(UserStatus::Active),
        Some(StatusArg::Registered) => filter.status(UserStatus::Registered),
        Some(StatusArg::Locked) => filter.status(UserStatus::Locked),
        Some(StatusArg::Any) => filter.any_status(),
    };
    if let Some(group) = &arguments.group {
        filter = filter.group(group_id(&context, group).await?);
    }
    if let Some(offset) = arguments.offset {
        filter = filter.offset(offset);
    }
    if let Some(limit) = arguments.limit {
        filter = filter.limit(limit);
    }

    let page = context.client().list_users(&filter).await?;
    paged("users", &page)
}

async fn get_user(context: CallContext, arguments: GetUser) -> Result<Answer, ToolError> {
    let include = user_includes(arguments.include.as_ref());
    let user = if arguments.id.trim().eq_ignore_ascii_case("me") {
        context.client().current_user(&include).await?
    } else {
        let id: UserId = context.user_id(&arguments.id, None).await?;
        context.client().get_user(id, &include).await?
    };
    one("user", &user)
}

async fn get_current_user(
    context: CallContext,
    arguments: GetCurrentUser,
) -> Result<Answer, ToolError> {
    let user = context.client().current_user(&user_includes(arguments.include.as_ref())).await?;
    one("user", &user)
}

async fn list_groups(context: CallContext, arguments: ListGroups) -> Result<Answer, ToolError> {
    let groups = if arguments.builtin.unwrap_or(false) {
        context.client().list_all_groups().await?
    } else {
        context.client().list_groups().await?
    };
    whole_list("groups", &groups)
}

async fn get_group(context: CallContext, arguments: GetGroup) -> Result<Answer, ToolError> {
    let id = group_id(&context, &arguments.id).await?;
    let include: Vec<GroupInclude> = arguments
        .include
        .unwrap_or_default()
        .into_iter()
        .map(|i| match i {
            GroupIncludeArg::Users => GroupInclude::Users,
            GroupIncludeArg::Memberships => GroupInclude::Memberships,
        })
        .collect();
    let group = context.client().get_group(id, &include).await?;
    one("group", &group)
}

//! Issue categories: a project's own grouping of issues, each with an
//! optional default assignee. Listed and created per project, read, changed
//! and deleted by id.

use http::Method;
use redmine_client::issue_categories::{IssueCategoryUpdate, NewIssueCategory};
use redmine_client::{CategoryId, ProjectId};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::issue_fields::problem;
use super::one;
use super::to_value;
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of `list_issue_categories`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListCategories {
    /// The project: its id, identifier or name.
    project: String,
}

/// Arguments of `get_issue_category` and `delete_issue_category`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetCategory {
    /// The category's id, as list_issue_categories shows.
    id: u64,
}

/// Arguments of `create_issue_category`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateCategory {
    /// The project: its id, identifier or name.
    project: String,
    /// The category's name, unique within the project.
    #[schemars(length(min = 1, max = 60))]
    name: String,
    /// Who new issues in this category are assigned to: "me", or a project member's id, login or
    /// full name.
    assigned_to: Option<String>,
}

/// Arguments of `update_issue_category`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateCategory {
    /// The category's id.
    id: u64,
    /// A new name.
    #[schemars(length(min = 1, max = 60))]
    name: Option<String>,
    /// A new default assignee: "me", or a project member's id, login or full name.
    assigned_to: Option<String>,
    /// True to remove the default assignee.
    clear_assigned_to: Option<bool>,
}

/// Arguments of `delete_issue_category`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DeleteCategory {
    /// The category's id.
    id: u64,
    /// Another category of the same project (name or id) to move this one's issues to; without
    /// it they are left without a category.
    reassign_to: Option<String>,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "list_issue_categories",
                title: "List issue categories",
                description: "List a project's issue categories with their ids and default \
                              assignees. Categories group a project's issues, e.g. Backend or \
                              Frontend.",
                annotations: Annotations::READ,
                scopes: &["view_issues"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/projects/{project}/issue_categories",
                    listed: false,
                },
            },
            list,
        ),
        Tool::new(
            ToolSpec {
                name: "get_issue_category",
                title: "Get an issue category",
                description: "Read one issue category by id: its name, project and default \
                              assignee.",
                annotations: Annotations::READ,
                scopes: &["view_issues"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/issue_categories/{id}",
                    listed: false,
                },
            },
            get,
        ),
        Tool::new(
            ToolSpec {
                name: "create_issue_category",
                title: "Create an issue category",
                description: "Add an issue category to a project, optionally with a default \
                              assignee for its new issues. Returns the category with its id.",
                annotations: Annotations::CREATE,
                scopes: &["manage_categories"],
                binding: RestBinding {
                    method: Method::POST,
                    path: "/projects/{project}/issue_categories",
                    listed: false,
                },
            },
            create,
        ),
        Tool::new(
            ToolSpec {
                name: "update_issue_category",
                title: "Update an issue category",
                description: "Rename an issue category or change or remove its default \
                              assignee. Returns the category as it now is.",
                annotations: Annotations::UPDATE,
                scopes: &["manage_categories"],
                binding: RestBinding {
                    method: Method::PUT,
                    path: "/issue_categories/{id}",
                    listed: false,
                },
            },
            update,
        ),
        Tool::new(
            ToolSpec {
                name: "delete_issue_category",
                title: "Delete an issue category",
                description: "Delete an issue category. Its issues lose their category, or move \
                              to the category given as reassign_to.",
                annotations: Annotations::DELETE,
                scopes: &["manage_categories"],
                binding: RestBinding {
                    method: Method::DELETE,
                    path: "/issue_categories/{id}",
                    listed: false,
                },
            },
            delete,
        ),
    ]
}

async fn list(context: CallContext, arguments: ListCategories) -> Result<Value, ToolError> {
    let project = context.project_id(&arguments.project).await?;
    let categories = context.client().list_issue_categories(project).await?;
    Ok(json!({ "project_id": project, "issue_categories": to_value(&categories)? }))
}

async fn get(context: CallContext, arguments: GetCategory) -> Result<Answer, ToolError> {
    let category = context.client().get_issue_category(CategoryId(arguments.id)).await?;
    one("issue_category", &category)
}

async fn create(context: CallContext, arguments: CreateCategory) -> Result<Value, ToolError> {
    let project = context.project_id(&arguments.project).await?;
    let mut category = NewIssueCategory::new(arguments.name);
    if let Some(user) = &arguments.assigned_to {
        category = category.assigned_to(context.user_id(user, Some(project)).await?);
    }
    let created = context.client().create_issue_category(project, &category).await?;
    Ok(json!({ "created": true, "issue_category": to_value(&created)? }))
}

async fn update(context: CallContext, arguments: UpdateCategory) -> Result<Value, ToolError> {
    let id = CategoryId(arguments.id);
    let clear = arguments.clear_assigned_to == Some(true);
    if clear && arguments.assigned_to.is_some() {
        return Err(problem("/clear_assigned_to", "give either assigned_to or clear_assigned_to"));
    }

    let mut update = IssueCategoryUpdate::new();
    let mut changed = Vec::new();
    if let Some(name) = arguments.name {
        update = update.name(name);
        changed.push("name");
    }
    if let Some(user) = &arguments.assigned_to {
        let project = category_project(&context, id).await?;
        update = update.assigned_to(context.user_id(user, Some(project)).await?);
        changed.push("assigned_to");
    }
    if clear {
        update = update.clear_assigned_to();
        changed.push("assigned_to");
    }
    if changed.is_empty() {
        return Err(problem("", "nothing to change: give name, assigned_to or clear_assigned_to"));
    }

    context.client().update_issue_category(id, &update).await?;
    let category = context.client().get_issue_category(id).await?;
    Ok(json!({ "updated": true, "changed": changed, "issue_category": to_value(&category)? }))
}

async fn delete(context: CallContext, arguments: DeleteCategory) -> Result<Value, ToolError> {
    let id = CategoryId(arguments.id);
    let reassign_to = match &arguments.reassign_to {
        Some(target) => {
            let project = category_project(&context, id).await?;
            Some(context.category_id(project, target).await?)
        }
        None => None,
    };
    context.client().delete_issue_category(id, reassign_to).await?;
    Ok(json!({ "deleted": true, "issue_category_id": id, "issues_moved_to": reassign_to }))
}

/// The project category `id` belongs to.
async fn category_project(context: &CallContext, id: CategoryId) -> Result<ProjectId, ToolError> {
    let category = context.client().get_issue_category(id).await?;
    category.project.map(|project| project.id).ok_or_else(|| {
        ToolError::Unsupported(format!("redmine did not say which project category {id} is in"))
    })
}

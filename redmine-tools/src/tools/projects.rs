//! Projects: list, read, create, change, delete, archive and unarchive.
//!
//! Also owns how every tool of this family reads a project argument
//! ([`project_id`]): an id, an identifier or a name, resolved with the
//! caller's own project list. What lives inside a project (versions,
//! memberships, files, wiki, news) has its own module.

use http::Method;
use redmine_client::filters::TextFilter;
use redmine_client::projects::{
    NewProject, ProjectFilter, ProjectInclude, ProjectStatus, ProjectUpdate,
};
use redmine_client::{ProjectId, ProjectRef, TrackerId};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::issue_fields::{parse_sort, problem};
use super::{one, paged};
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Resolves a project argument: a numeric id, an identifier or a name.
///
/// The caller's cached project list can miss a project created a moment ago
/// or an archived one (never listed, not even to administrators), so an
/// unmatched identifier is asked of Redmine directly before the no-match
/// error, with its list of candidates, is returned.
pub(super) async fn project_id(context: &CallContext, input: &str) -> Result<ProjectId, ToolError> {
    match context.project_id(input).await {
        Err(error @ ToolError::NoMatch { .. }) if looks_like_identifier(input) => {
            match context.client().get_project(input.trim(), &[]).await {
                Ok(project) => Ok(project.id),
                Err(_) => Err(error),
            }
        }
        result => result,
    }
}

/// Whether `input` could be a project identifier: lowercase letters, digits, `-` and `_`.
fn looks_like_identifier(input: &str) -> bool {
    let input = input.trim();
    !input.is_empty()
        && input
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Which projects to list by status.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum StatusArg {
    Active,
    Closed,
    // Active and closed: archived projects are never listed.
    Any,
}

/// Extra data to return with each project.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum IncludeArg {
    Trackers,
    IssueCategories,
    TimeEntryActivities,
    EnabledModules,
    IssueCustomFields,
}

impl From<IncludeArg> for ProjectInclude {
    fn from(include: IncludeArg) -> Self {
        match include {
            IncludeArg::Trackers => Self::Trackers,
            IncludeArg::IssueCategories => Self::IssueCategories,
            IncludeArg::TimeEntryActivities => Self::TimeEntryActivities,
            IncludeArg::EnabledModules => Self::EnabledModules,
            IncludeArg::IssueCustomFields => Self::IssueCustomFields,
        }
    }
}

fn includes(include: Option<&Vec<IncludeArg>>) -> Vec<ProjectInclude> {
    include.map(|list| list.iter().copied().map(Into::into).collect()).unwrap_or_default()
}

/// A module that can be enabled in a project.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum ModuleArg {
    IssueTracking,
    TimeTracking,
    News,
    Documents,
    Files,
    Wiki,
    Repository,
    Boards,
    Calendar,
    Gantt,
}

impl ModuleArg {
    fn as_str(self) -> &'static str {
        match self {
            Self::IssueTracking => "issue_tracking",
            Self::TimeTracking => "time_tracking",
            Self::News => "news",
            Self::Documents => "documents",
            Self::Files => "files",
            Self::Wiki => "wiki",
            Self::Repository => "repository",
            Self::Boards => "boards",
            Self::Calendar => "calendar",
            Self::Gantt => "gantt",
        }
    }
}

/// Arguments of `list_projects`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListProjects {
    /// Only projects whose name contains this text (case-insensitive).
    name: Option<String>,
    /// Project status: "active" (the default), "closed" or "any" (active and closed).
    status: Option<StatusArg>,
    /// Only the direct subprojects of this project (id, identifier or name).
    parent: Option<String>,
    /// true for public projects only, false for private ones only.
    is_public: Option<bool>,
    /// Extra data per project: trackers, issue_categories, time_entry_activities,
    /// enabled_modules, issue_custom_fields.
    include: Option<Vec<IncludeArg>>,
    /// Sort order as column[:desc], e.g. "name" or "created_on:desc"; default is the tree order.
    sort: Option<String>,
    /// How many projects to skip, for paging (default 0).
    offset: Option<u64>,
    /// How many projects to return, 1 to 100 (default 25).
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
}

/// Arguments of `get_project`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetProject {
    /// The project: numeric id, identifier (e.g. "project-a") or name (e.g. "Project A").
    id: String,
    /// Extra data: trackers, issue_categories, time_entry_activities, enabled_modules,
    /// issue_custom_fields.
    include: Option<Vec<IncludeArg>>,
}

/// Arguments of `create_project`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateProject {
    /// The display name, e.g. "Checkout".
    name: String,
    /// The identifier used in URLs: lowercase letters, digits, dashes and underscores, starting
    /// with a letter, e.g. "checkout". It cannot be changed later.
    identifier: String,
    /// The description (Redmine text formatting).
    description: Option<String>,
    /// The homepage URL.
    homepage: Option<String>,
    /// Whether non-members can see the project; Redmine's default setting otherwise.
    is_public: Option<bool>,
    /// Make it a subproject of this project (id, identifier or name).
    parent: Option<String>,
    /// For a subproject: whether it inherits the parent's members.
    inherit_members: Option<bool>,
    /// Trackers to enable, by name or id, e.g. "Bug", "Feature"; the default trackers
    /// otherwise.
    trackers: Option<Vec<String>>,
    /// Modules to enable, e.g. "issue_tracking", "wiki"; the default modules
    /// otherwise.
    enabled_modules: Option<Vec<ModuleArg>>,
}

/// Arguments of `update_project`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateProject {
    /// The project to change: numeric id, identifier or name.
    id: String,
    /// The new display name.
    name: Option<String>,
    /// The new description (replaces the old one).
    description: Option<String>,
    /// The new homepage URL.
    homepage: Option<String>,
    /// Make the project public (true) or private (false).
    is_public: Option<bool>,
    /// Move the project under this parent (id, identifier or name); "none" makes it top-level.
    parent: Option<String>,
    /// For a subproject: whether it inherits the parent's members.
    inherit_members: Option<bool>,
    /// Replace the enabled trackers, by name or id.
    trackers: Option<Vec<String>>,
    /// Replace the enabled modules, e.g. "issue_tracking", "time_tracking", "wiki".
    enabled_modules: Option<Vec<ModuleArg>>,
    /// The version new issues get by default, by name or id; "none" clears it.
    default_version: Option<String>,
    /// Who new issues are assigned to by default: a member's login, name or id, or "me"; "none"
    /// clears it.
    default_assignee: Option<String>,
}

/// Arguments of the tools that take only a project.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ProjectOnly {
    /// The project: numeric id, identifier or name.
    id: String,
}

#[allow(clippy::too_many_lines, reason = "a declarative list of tools")]
pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "list_projects",
                title: "List projects",
                description: "List the projects you can see, filtered by name, status, parent or \
                              visibility. Use it to find a project's identifier or id. Returns \
                              projects with id, name, identifier, parent and status, plus paging \
                              (total_count, next_offset).",
                annotations: Annotations::READ,
                scopes: &["view_project"],
                binding: RestBinding { method: Method::GET, path: "/projects", listed: true },
            },
            list,
        ),
        Tool::new(
            ToolSpec {
                name: "get_project",
                title: "Get a project",
                description: "Get one project by id, identifier or name, optionally with its \
                              trackers, issue categories, time-entry activities, enabled modules \
                              and issue custom fields. Returns the project.",
                annotations: Annotations::READ,
                scopes: &["view_project"],
                binding: RestBinding { method: Method::GET, path: "/projects/{id}", listed: true },
            },
            get,
        ),
        Tool::new(
            ToolSpec {
                name: "create_project",
                title: "Create a project",
                description: "Create a project (or a subproject with parent) with a name and a \
                              URL identifier, optionally choosing trackers and modules. Needs \
                              the add_project permission (add_subprojects for a subproject). \
                              Returns the new project with its id.",
                annotations: Annotations::CREATE,
                scopes: &["add_project", "add_subprojects"],
                binding: RestBinding { method: Method::POST, path: "/projects", listed: true },
            },
            create,
        ),
        Tool::new(
            ToolSpec {
                name: "update_project",
                title: "Update a project",
                description: "Change a project's name, description, homepage, visibility, parent, \
                              trackers, modules, default version or default assignee. Fields \
                              left out keep their value. Returns the project id and the \
                              changed fields.",
                annotations: Annotations::UPDATE,
                scopes: &["edit_project"],
                binding: RestBinding { method: Method::PUT, path: "/projects/{id}", listed: true },
            },
            update,
        ),
        Tool::new(
            ToolSpec {
                name: "delete_project",
                title: "Delete a project",
                description: "Delete a project with all its subprojects, issues, time entries, \
                              wiki and files. This cannot be undone; prefer archive_project to \
                              hide it. Needs the delete_project permission or admin. Returns the \
                              deleted project's id.",
                annotations: Annotations::DELETE,
                scopes: &["delete_project"],
                binding: RestBinding {
                    method: Method::DELETE,
                    path: "/projects/{id}",
                    listed: true,
                },
            },
            delete,
        ),
        Tool::new(
            ToolSpec {
                name: "archive_project",
                title: "Archive a project",
                description: "Archive a project and its subprojects: they disappear from lists \
                              and become inaccessible to everyone but administrators, without \
                              losing data. Administrators only; undo with unarchive_project.",
                annotations: Annotations::UPDATE,
                scopes: &["admin"],
                binding: RestBinding {
                    method: Method::PUT,
                    path: "/projects/{id}/archive",
                    listed: false,
                },
            },
            archive,
        ),
        Tool::new(
            ToolSpec {
                name: "unarchive_project",
                title: "Unarchive a project",
                description: "Bring an archived project (and its archived parents) back into \
                              use. Administrators only; pass the project's id or identifier, \
                              since archived projects are not listed.",
                annotations: Annotations::UPDATE,
                scopes: &["admin"],
                binding: RestBinding {
                    method: Method::PUT,
                    path: "/projects/{id}/unarchive",
                    listed: false,
                },
            },
            unarchive,
        ),
    ]
}

async fn list(context: CallContext, arguments: ListProjects) -> Result<Answer, ToolError> {
    let mut filter = ProjectFilter::new();
    if let Some(name) = arguments.name {
        filter = filter.name(TextFilter::contains(name));
    }
    filter = match arguments.status {
        None => filter,
        Some(StatusArg::Active) => filter.status([ProjectStatus::Active]),
        Some(StatusArg::Closed) => filter.status([ProjectStatus::Closed]),
        Some(StatusArg::Any) => filter.status([ProjectStatus::Active, ProjectStatus::Closed]),
    };
    if let Some(parent) = &arguments.parent {
        filter = filter.parent(project_id(&context, parent).await?);
    }
    if let Some(public) = arguments.is_public {
        filter = filter.public(public);
    }
    filter = filter.include(&includes(arguments.include.as_ref()));
    if let Some(sort) = &arguments.sort {
        filter = filter.sort(parse_sort("/sort", sort)?);
    }
    if let Some(offset) = arguments.offset {
        filter = filter.offset(offset);
    }
    if let Some(limit) = arguments.limit {
        filter = filter.limit(limit);
    }

    let page = context.client().list_projects(&filter).await?;
    paged("projects", &page)
}

async fn get(context: CallContext, arguments: GetProject) -> Result<Answer, ToolError> {
    let id = project_id(&context, &arguments.id).await?;
    let project = context.client().get_project(id, &includes(arguments.include.as_ref())).await?;
    one("project", &project)
}

async fn tracker_ids(context: &CallContext, names: &[String]) -> Result<Vec<TrackerId>, ToolError> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        ids.push(context.tracker_id(name).await?);
    }
    Ok(ids)
}

async fn create(context: CallContext, arguments: CreateProject) -> Result<Answer, ToolError> {
    let mut project = NewProject::new(arguments.name, arguments.identifier);
    if let Some(description) = arguments.description {
        project = project.description(description);
    }
    if let Some(homepage) = arguments.homepage {
        project = project.homepage(homepage);
    }
    if let Some(public) = arguments.is_public {
        project = project.public(public);
    }
    if let Some(parent) = &arguments.parent {
        project = project.parent(project_id(&context, parent).await?);
    }
    if let Some(inherit) = arguments.inherit_members {
        project = project.inherit_members(inherit);
    }
    if let Some(trackers) = &arguments.trackers {
        project = project.trackers(tracker_ids(&context, trackers).await?);
    }
    if let Some(modules) = &arguments.enabled_modules {
        project = project.modules(modules.iter().map(|m| m.as_str()));
    }

    let created = context.client().create_project(&project).await?;
    one("project", &created)
}

/// Whether an argument asks to clear a field.
fn is_none_word(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || text.eq_ignore_ascii_case("none")
}

async fn update(context: CallContext, arguments: UpdateProject) -> Result<Value, ToolError> {
    let id = project_id(&context, &arguments.id).await?;
    let mut update = ProjectUpdate::new();
    let mut changed = Map::new();

    if let Some(name) = arguments.name {
        changed.insert("name".into(), json!(name));
        update = update.name(name);
    }
    if let Some(description) = arguments.description {
        changed.insert("description".into(), json!(description));
        update = update.description(description);
    }
    if let Some(homepage) = arguments.homepage {
        changed.insert("homepage".into(), json!(homepage));
        update = update.homepage(homepage);
    }
    if let Some(public) = arguments.is_public {
        changed.insert("is_public".into(), json!(public));
        update = update.public(public);
    }
    if let Some(parent) = &arguments.parent {
        if is_none_word(parent) {
            changed.insert("parent_id".into(), Value::Null);
            update = update.clear_parent();
        } else {
            let parent = project_id(&context, parent).await?;
            changed.insert("parent_id".into(), json!(parent));
            update = update.parent(parent);
        }
    }
    if let Some(inherit) = arguments.inherit_members {
        changed.insert("inherit_members".into(), json!(inherit));
        update = update.inherit_members(inherit);
    }
    if let Some(trackers) = &arguments.trackers {
        let ids = tracker_ids(&context, trackers).await?;
        changed.insert("tracker_ids".into(), json!(ids));
        update = update.trackers(ids);
    }
    if let Some(modules) = &arguments.enabled_modules {
        let names: Vec<&str> = modules.iter().map(|m| m.as_str()).collect();
        changed.insert("enabled_modules".into(), json!(names));
        update = update.modules(names);
    }
    if let Some(version) = &arguments.default_version {
        if is_none_word(version) {
            changed.insert("default_version_id".into(), Value::Null);
            update = update.clear_default_version();
        } else {
            let version = context.version_id(id, version).await?;
            changed.insert("default_version_id".into(), json!(version));
            update = update.default_version(version);
        }
    }
    if let Some(assignee) = &arguments.default_assignee {
        if is_none_word(assignee) {
            changed.insert("default_assigned_to_id".into(), Value::Null);
            update = update.clear_default_assignee();
        } else {
            let user = context.user_id(assignee, Some(id)).await?;
            changed.insert("default_assigned_to_id".into(), json!(user));
            update = update.default_assignee(user);
        }
    }
    if changed.is_empty() {
        return Err(problem("", "nothing to change: give at least one field besides id"));
    }

    context.client().update_project(id, &update).await?;
    Ok(json!({ "project_id": id, "updated": true, "changed": changed }))
}

async fn delete(context: CallContext, arguments: ProjectOnly) -> Result<Value, ToolError> {
    let id = project_id(&context, &arguments.id).await?;
    context.client().delete_project(id).await?;
    Ok(json!({ "project_id": id, "deleted": true }))
}

async fn archive(context: CallContext, arguments: ProjectOnly) -> Result<Value, ToolError> {
    let id = project_id(&context, &arguments.id).await?;
    context.client().archive_project(id).await?;
    Ok(json!({ "project_id": id, "archived": true }))
}

async fn unarchive(context: CallContext, arguments: ProjectOnly) -> Result<Value, ToolError> {
    // Redmine lists no archived project and refuses to show one, so an
    // identifier that resolves to nothing is passed on as it is.
    let project = match project_id(&context, &arguments.id).await {
        Ok(id) => ProjectRef::Id(id),
        Err(ToolError::NoMatch { .. }) if looks_like_identifier(&arguments.id) => {
            ProjectRef::Identifier(arguments.id.trim().to_owned())
        }
        Err(error) => return Err(error),
    };
    context.client().unarchive_project(project.clone()).await?;
    Ok(json!({ "project": project.to_string(), "archived": false }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_told_from_names() {
        assert!(looks_like_identifier("project-a"));
        assert!(looks_like_identifier(" a_1 "));
        assert!(!looks_like_identifier("Project A"));
        assert!(!looks_like_identifier(""));
    }

    #[test]
    fn none_words_clear() {
        assert!(is_none_word("None"));
        assert!(is_none_word(" "));
        assert!(!is_none_word("1.0"));
    }
}

//! Writing issues: create, update (fields and notes), add a note, and edit a
//! note already in an issue's history.
//!
//! Every name (project, tracker, status, priority, assignee, category,
//! version, watchers, custom fields) is resolved before anything is sent, so
//! a bad name changes nothing.

use http::Method;
use redmine_client::issues::{IssueInclude, IssueUpdate, NewIssue};
use redmine_client::journals::JournalUpdate;
use redmine_client::{IssueId, JournalId, ProjectId};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::issue_fields::{CustomFieldValueArg, custom_field_inputs, parse_day, problem};
use super::to_value;
use crate::context::CallContext;
use crate::error::ToolError;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of `create_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateIssue {
    /// The project: its id, identifier or name.
    project: String,
    /// A one-line summary.
    subject: String,
    /// Tracker name or id, e.g. "Bug"; the project's first tracker otherwise.
    tracker: Option<String>,
    /// The full description, in the project's text formatting (Markdown or Textile).
    description: Option<String>,
    /// Status name or id; the tracker's default status otherwise.
    status: Option<String>,
    /// Priority name or id, e.g. "High"; the default priority otherwise.
    priority: Option<String>,
    /// Assignee: "me", or a project member's id, login or full name.
    assigned_to: Option<String>,
    /// Issue category name or id, from the project's categories.
    category: Option<String>,
    /// Target version name or id, e.g. "1.0".
    version: Option<String>,
    /// The parent issue's number, to create a subtask.
    parent_issue_id: Option<u64>,
    /// Start date, YYYY-MM-DD.
    start_date: Option<String>,
    /// Due date, YYYY-MM-DD.
    due_date: Option<String>,
    /// Estimated time in hours, e.g. 2.5.
    #[schemars(range(min = 0))]
    estimated_hours: Option<f64>,
    /// Percentage done, 0 to 100.
    #[schemars(range(min = 0, max = 100))]
    done_ratio: Option<u8>,
    /// Whether only the author, the assignee and privileged users may see the issue.
    is_private: Option<bool>,
    /// Users to add as watchers: ids, logins, full names or "me".
    watchers: Option<Vec<String>>,
    /// Custom field values, each by field name or id.
    custom_fields: Option<Vec<CustomFieldValueArg>>,
}

/// Arguments of `update_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateIssue {
    /// The number of the issue to change.
    id: u64,
    /// Move the issue to this project: id, identifier or name.
    project: Option<String>,
    /// A new one-line summary.
    subject: Option<String>,
    /// A new tracker name or id.
    tracker: Option<String>,
    /// A new description; replaces the whole text.
    description: Option<String>,
    /// A new status name or id, e.g. "Closed"; it must be one the workflow allows (see get_issue
    /// with include allowed_statuses).
    status: Option<String>,
    /// A new priority name or id.
    priority: Option<String>,
    /// A new assignee: "me", or a project member's id, login or full name. To unassign, use clear.
    assigned_to: Option<String>,
    /// A new issue category name or id.
    category: Option<String>,
    /// A new target version name or id.
    version: Option<String>,
    /// A new parent issue number.
    parent_issue_id: Option<u64>,
    /// A new start date, YYYY-MM-DD.
    start_date: Option<String>,
    /// A new due date, YYYY-MM-DD.
    due_date: Option<String>,
    /// A new estimate in hours.
    #[schemars(range(min = 0))]
    estimated_hours: Option<f64>,
    /// A new percentage done, 0 to 100.
    #[schemars(range(min = 0, max = 100))]
    done_ratio: Option<u8>,
    /// Make the issue private (true) or public (false).
    is_private: Option<bool>,
    /// Custom field values to set, each by field name or id.
    custom_fields: Option<Vec<CustomFieldValueArg>>,
    /// Fields to empty, such as assigned_to or due_date.
    clear: Option<Vec<Clear>>,
    /// A note to add to the history along with the changes.
    notes: Option<String>,
    /// Whether that note is private (visible only to users allowed to see private notes).
    private_notes: Option<bool>,
}

/// An issue field to empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Clear {
    AssignedTo,
    Category,
    Version,
    ParentIssueId,
    StartDate,
    DueDate,
    EstimatedHours,
}

/// Arguments of `add_issue_note`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AddNote {
    /// The issue number.
    id: u64,
    /// The note, in the project's text formatting.
    #[schemars(length(min = 1))]
    notes: String,
    /// Whether the note is private (visible only to users allowed to see private notes).
    private: Option<bool>,
}

/// Arguments of `update_journal`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateJournal {
    /// The journal (history entry) id, as get_issue lists under journals; not the issue number.
    id: u64,
    /// The note's new text. An empty text deletes a note that records no field changes.
    notes: String,
    /// Make the note private (true) or public (false).
    private_notes: Option<bool>,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "create_issue",
                title: "Create an issue",
                description: "Create an issue (or a subtask, with parent_issue_id) in a project. \
                              Tracker, status, priority, assignee, category, version, watchers \
                              and custom fields take names or ids. Returns the new issue with \
                              its number.",
                annotations: Annotations::CREATE,
                scopes: &["add_issues"],
                binding: RestBinding { method: Method::POST, path: "/issues", listed: true },
            },
            create,
        ),
        Tool::new(
            ToolSpec {
                name: "update_issue",
                title: "Update an issue",
                description: "Change an issue's fields (status, assignee, priority, dates, \
                              custom fields, ...; names or ids), empty fields with clear, and \
                              optionally add a note in the same step. Returns the changed fields, \
                              those Redmine ignored (not_changed), and the issue as it now is.",
                annotations: Annotations::UPDATE,
                scopes: &["edit_issues"],
                binding: RestBinding { method: Method::PUT, path: "/issues/{id}", listed: true },
            },
            update,
        ),
        Tool::new(
            ToolSpec {
                name: "add_issue_note",
                title: "Add a note to an issue",
                description: "Add a comment (note) to an issue's history without changing its \
                              fields; optionally private. Returns the new journal's id, which \
                              update_journal takes to edit the note later.",
                annotations: Annotations::CREATE,
                scopes: &["add_issue_notes"],
                binding: RestBinding {
                    method: Method::POST,
                    path: "/issues/{id}/notes",
                    listed: true,
                },
            },
            add_note,
        ),
        Tool::new(
            ToolSpec {
                name: "update_journal",
                title: "Edit an issue note",
                description: "Edit the text of a note in an issue's history, by its journal id \
                              from get_issue, or make it private or public. An empty text \
                              deletes a note that records no field changes.",
                annotations: Annotations::UPDATE,
                scopes: &["edit_issue_notes", "edit_own_issue_notes"],
                binding: RestBinding { method: Method::PUT, path: "/journals/{id}", listed: false },
            },
            update_journal,
        ),
    ]
}

async fn create(context: CallContext, arguments: CreateIssue) -> Result<Value, ToolError> {
    let project = context.project_id(&arguments.project).await?;
    let mut issue = NewIssue::new(project, arguments.subject);

    if let Some(tracker) = &arguments.tracker {
        issue = issue.tracker(context.tracker_id(tracker).await?);
    }
    if let Some(description) = arguments.description {
        issue = issue.description(description);
    }
    if let Some(status) = &arguments.status {
        issue = issue.status(context.status_id(status).await?);
    }
    if let Some(priority) = &arguments.priority {
        issue = issue.priority(context.priority_id(priority).await?);
    }
    if let Some(user) = &arguments.assigned_to {
        issue = issue.assigned_to(context.user_id(user, Some(project)).await?);
    }
    if let Some(category) = &arguments.category {
        issue = issue.category(context.category_id(project, category).await?);
    }
    if let Some(version) = &arguments.version {
        issue = issue.fixed_version(context.version_id(project, version).await?);
    }
    if let Some(parent) = arguments.parent_issue_id {
        issue = issue.parent(IssueId(parent));
    }
    if let Some(day) = &arguments.start_date {
        issue = issue.start_date(parse_day("/start_date", day)?);
    }
    if let Some(day) = &arguments.due_date {
        issue = issue.due_date(parse_day("/due_date", day)?);
    }
    if let Some(hours) = arguments.estimated_hours {
        issue = issue.estimated_hours(hours);
    }
    if let Some(ratio) = arguments.done_ratio {
        issue = issue.done_ratio(ratio);
    }
    if let Some(private) = arguments.is_private {
        issue = issue.private(private);
    }
    if let Some(watchers) = &arguments.watchers {
        let mut ids = Vec::with_capacity(watchers.len());
        for watcher in watchers {
            ids.push(context.user_id(watcher, Some(project)).await?);
        }
        issue = issue.watchers(ids);
    }
    if let Some(fields) = &arguments.custom_fields {
        for input in custom_field_inputs(&context, "/custom_fields", Some(project), fields).await? {
            issue = issue.custom_field(input);
        }
    }

    let created = context.client().create_issue(&issue).await?;
    Ok(json!({ "created": true, "issue": to_value(&created)? }))
}

async fn update(context: CallContext, arguments: UpdateIssue) -> Result<Value, ToolError> {
    let id = IssueId(arguments.id);
    let plan = plan_update(&context, &arguments).await?;
    if plan.changed.is_empty() {
        return Err(problem("", "nothing to change: give at least one field, clear or notes"));
    }

    context.client().update_issue(id, &plan.update).await?;
    let issue = to_value(&context.client().get_issue(id, &[]).await?)?;

    // XXX(redmine): fields the user may not change (no edit permission, a status the workflow
    // does not allow) are dropped silently and the update still answers 204. Comparing with the
    // issue as it now is tells the caller which changes did not happen.
    let ignored: Vec<&str> = plan
        .expected
        .iter()
        .filter(|(_, pointer, value)| issue.pointer(pointer).unwrap_or(&Value::Null) != value)
        .map(|(name, _, _)| *name)
        .collect();
    let changed: Vec<&str> = plan.changed.into_iter().filter(|c| !ignored.contains(c)).collect();
    let mut answer = json!({ "issue_id": id, "changed": changed, "issue": issue });
    if !ignored.is_empty() {
        answer["not_changed"] = json!(ignored);
        answer["hint"] = json!(
            "redmine ignored these fields: you may lack the permission to change them, or the \
             workflow does not allow that status (see get_issue with include allowed_statuses)"
        );
    }
    Ok(answer)
}

/// An update being planned: the body, the names of the fields it touches, and
/// what the issue should show afterwards.
#[derive(Default)]
struct Plan {
    update: IssueUpdate,
    changed: Vec<&'static str>,
    /// The field's name, a JSON pointer into the issue read back, and the value
    /// expected there (null for an emptied field).
    expected: Vec<(&'static str, &'static str, Value)>,
}

impl Plan {
    /// Records a change of `name`, applied to the body by `apply` and seen in
    /// the issue at `pointer` as `value`.
    fn change(
        &mut self,
        name: &'static str,
        apply: impl FnOnce(IssueUpdate) -> IssueUpdate,
        pointer: &'static str,
        value: Value,
    ) {
        self.update = apply(std::mem::take(&mut self.update));
        self.changed.push(name);
        if !pointer.is_empty() {
            self.expected.push((name, pointer, value));
        }
    }
}

/// The update `arguments` ask for, with every name resolved.
async fn plan_update(context: &CallContext, arguments: &UpdateIssue) -> Result<Plan, ToolError> {
    let mut plan = Plan::default();

    // Versions, categories and assignees are looked up in the project the issue will be in.
    let mut project = None;
    if let Some(input) = &arguments.project {
        let id = context.project_id(input).await?;
        plan.change("project", |u| u.project(id), "/project/id", json!(id));
        project = Some(id);
    }
    let scoped = arguments.assigned_to.is_some()
        || arguments.category.is_some()
        || arguments.version.is_some();
    if project.is_none() && scoped {
        project = Some(issue_project(context, IssueId(arguments.id)).await?);
    }

    if let Some(subject) = &arguments.subject {
        plan.change("subject", |u| u.subject(subject.clone()), "/subject", json!(subject));
    }
    if let Some(input) = &arguments.tracker {
        let id = context.tracker_id(input).await?;
        plan.change("tracker", |u| u.tracker(id), "/tracker/id", json!(id));
    }
    if let Some(description) = &arguments.description {
        plan.change("description", |u| u.description(description.clone()), "", Value::Null);
    }
    if let Some(input) = &arguments.status {
        let id = context.status_id(input).await?;
        plan.change("status", |u| u.status(id), "/status/id", json!(id));
    }
    if let Some(input) = &arguments.priority {
        let id = context.priority_id(input).await?;
        plan.change("priority", |u| u.priority(id), "/priority/id", json!(id));
    }
    if let Some(input) = &arguments.assigned_to {
        let id = context.user_id(input, project).await?;
        plan.change("assigned_to", |u| u.assigned_to(id), "/assigned_to/id", json!(id));
    }
    if let (Some(input), Some(project)) = (&arguments.category, project) {
        let id = context.category_id(project, input).await?;
        plan.change("category", |u| u.category(id), "/category/id", json!(id));
    }
    if let (Some(input), Some(project)) = (&arguments.version, project) {
        let id = context.version_id(project, input).await?;
        plan.change("version", |u| u.fixed_version(id), "/fixed_version/id", json!(id));
    }
    if let Some(parent) = arguments.parent_issue_id {
        plan.change("parent_issue_id", |u| u.parent(IssueId(parent)), "/parent/id", json!(parent));
    }
    if let Some(day) = &arguments.start_date {
        let day = parse_day("/start_date", day)?;
        plan.change("start_date", |u| u.start_date(day), "/start_date", json!(day));
    }
    if let Some(day) = &arguments.due_date {
        let day = parse_day("/due_date", day)?;
        plan.change("due_date", |u| u.due_date(day), "/due_date", json!(day));
    }
    if let Some(hours) = arguments.estimated_hours {
        plan.change(
            "estimated_hours",
            |u| u.estimated_hours(hours),
            "/estimated_hours",
            json!(hours),
        );
    }
    if let Some(ratio) = arguments.done_ratio {
        plan.change("done_ratio", |u| u.done_ratio(ratio), "/done_ratio", json!(ratio));
    }
    if let Some(private) = arguments.is_private {
        plan.change("is_private", |u| u.private(private), "/is_private", json!(private));
    }
    if let Some(fields) = &arguments.custom_fields {
        let inputs = custom_field_inputs(context, "/custom_fields", project, fields).await?;
        plan.change(
            "custom_fields",
            |u| inputs.into_iter().fold(u, IssueUpdate::custom_field),
            "",
            Value::Null,
        );
    }
    for field in arguments.clear.iter().flatten() {
        plan.change(field.name(), |u| field.apply(u), field.pointer(), Value::Null);
    }
    if let Some(notes) = &arguments.notes {
        plan.change("notes", |u| u.notes(notes.clone()), "", Value::Null);
    }
    if let Some(private) = arguments.private_notes {
        plan.update = std::mem::take(&mut plan.update).private_notes(private);
    }
    Ok(plan)
}

impl Clear {
    /// Empties this field in `update`.
    fn apply(self, update: IssueUpdate) -> IssueUpdate {
        match self {
            Self::AssignedTo => update.clear_assigned_to(),
            Self::Category => update.clear_category(),
            Self::Version => update.clear_fixed_version(),
            Self::ParentIssueId => update.clear_parent(),
            Self::StartDate => update.clear_start_date(),
            Self::DueDate => update.clear_due_date(),
            Self::EstimatedHours => update.clear_estimated_hours(),
        }
    }

    /// Where the issue shows this field.
    fn pointer(self) -> &'static str {
        match self {
            Self::AssignedTo => "/assigned_to",
            Self::Category => "/category",
            Self::Version => "/fixed_version",
            Self::ParentIssueId => "/parent",
            Self::StartDate => "/start_date",
            Self::DueDate => "/due_date",
            Self::EstimatedHours => "/estimated_hours",
        }
    }

    /// The argument's name for this field.
    fn name(self) -> &'static str {
        match self {
            Self::AssignedTo => "assigned_to",
            Self::Category => "category",
            Self::Version => "version",
            Self::ParentIssueId => "parent_issue_id",
            Self::StartDate => "start_date",
            Self::DueDate => "due_date",
            Self::EstimatedHours => "estimated_hours",
        }
    }
}

/// The project issue `id` is in.
async fn issue_project(context: &CallContext, id: IssueId) -> Result<ProjectId, ToolError> {
    Ok(context.client().get_issue(id, &[]).await?.project.id)
}

async fn add_note(context: CallContext, arguments: AddNote) -> Result<Value, ToolError> {
    let id = IssueId(arguments.id);
    let mut update = IssueUpdate::new().notes(arguments.notes.clone());
    if let Some(private) = arguments.private {
        update = update.private_notes(private);
    }
    context.client().update_issue(id, &update).await?;

    // Redmine answers 204 without the journal; read it back so the note can be edited later.
    let me = context.current_user_id().await?;
    let issue = context.client().get_issue(id, &[IssueInclude::Journals]).await?;
    let journal = issue.journals.unwrap_or_default().into_iter().rev().find(|journal| {
        journal.user.as_ref().is_some_and(|user| user.id == me)
            && journal.notes.as_deref() == Some(arguments.notes.as_str())
    });
    Ok(json!({
        "added": true,
        "issue_id": id,
        "journal_id": journal.as_ref().map(|journal| journal.id),
        "private_notes": journal.map(|journal| journal.private_notes),
    }))
}

async fn update_journal(
    context: CallContext,
    arguments: UpdateJournal,
) -> Result<Value, ToolError> {
    let mut update = JournalUpdate::new(arguments.notes.clone());
    if let Some(private) = arguments.private_notes {
        update = update.private_notes(private);
    }
    context.client().update_journal(JournalId(arguments.id), &update).await?;
    Ok(json!({
        "updated": true,
        "journal_id": arguments.id,
        "notes": arguments.notes,
        "private_notes": arguments.private_notes,
    }))
}

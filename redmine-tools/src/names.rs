//! The names tools accept for Redmine records, resolved to ids with the
//! caller's own credentials: projects (id, identifier or name), trackers,
//! statuses, priorities, time-entry activities, users (id, login, full name
//! or `me`), versions and issue categories (within a project) and issue
//! custom fields.
//!
//! Matching and caching are [`CallContext::resolve`]'s; this module only knows
//! where each kind of candidate list comes from and what to do when the
//! caller may not read it. Two lists need an administrator: `/users.json` and
//! `/custom_fields.json`. For everyone else users are looked up among the
//! members of the project at hand, and custom fields among those enabled on
//! that project (or seen on the caller's issues); failing that, the error
//! says to pass the id.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures::TryStreamExt;
use redmine_client::issues::{IssueFilter, StatusFilter};
use redmine_client::projects::{ProjectFilter, ProjectInclude, ProjectStatus};
use redmine_client::users::{User, UserFilter};
use redmine_client::{
    ActivityId, CategoryId, CustomFieldId, PriorityId, ProjectId, StatusId, TrackerId, UserId,
    VersionId,
};

use crate::context::CallContext;
use crate::error::ToolError;
use crate::resolve::{Candidate, pick};

/// The most projects or project members loaded for one lookup.
const MAX_LOADED: usize = 2_000;

/// The most users an administrator's name search looks at.
const MAX_USERS_SEARCHED: u32 = 100;

impl CallContext {
    /// A project by id, identifier or name.
    pub(crate) async fn project_id(&self, input: &str) -> Result<ProjectId, ToolError> {
        let client = self.client().clone();
        let id = self
            .resolve("project", "", input, move || async move {
                // Closed projects are read-only but their issues are still listed and shown.
                let filter =
                    ProjectFilter::new().status([ProjectStatus::Active, ProjectStatus::Closed]);
                let projects: Vec<_> =
                    client.stream_projects(&filter, MAX_LOADED).try_collect().await?;
                Ok(projects
                    .into_iter()
                    .map(|p| Candidate::new(p.id.get(), [p.name, p.identifier]))
                    .collect())
            })
            .await?;
        Ok(ProjectId(id))
    }

    /// A tracker by name or id.
    pub(crate) async fn tracker_id(&self, input: &str) -> Result<TrackerId, ToolError> {
        let client = self.client().clone();
        let id = self
            .resolve("tracker", "", input, move || async move {
                let trackers = client.list_trackers().await?;
                Ok(trackers.into_iter().map(|t| Candidate::new(t.id.get(), [t.name])).collect())
            })
            .await?;
        Ok(TrackerId(id))
    }

    /// An issue status by name or id.
    pub(crate) async fn status_id(&self, input: &str) -> Result<StatusId, ToolError> {
        let client = self.client().clone();
        let id = self
            .resolve("status", "", input, move || async move {
                let statuses = client.list_issue_statuses().await?;
                Ok(statuses.into_iter().map(|s| Candidate::new(s.id.get(), [s.name])).collect())
            })
            .await?;
        Ok(StatusId(id))
    }

    /// A status condition of an issue list: `open`, `closed` (any closed
    /// status), `*` or `all`, or one status by name or id.
    pub(crate) async fn status_filter(&self, input: &str) -> Result<StatusFilter, ToolError> {
        match input.trim().to_lowercase().as_str() {
            "open" => Ok(StatusFilter::Open),
            "closed" => Ok(StatusFilter::Closed),
            "*" | "all" | "any" => Ok(StatusFilter::All),
            _ => Ok(StatusFilter::from(self.status_id(input).await?)),
        }
    }

    /// An issue priority by name or id.
    pub(crate) async fn priority_id(&self, input: &str) -> Result<PriorityId, ToolError> {
        let client = self.client().clone();
        let id = self
            .resolve("priority", "", input, move || async move {
                let priorities = client.list_issue_priorities().await?;
                Ok(priorities.into_iter().map(|p| Candidate::new(p.id.get(), [p.name])).collect())
            })
            .await?;
        Ok(PriorityId(id))
    }

    /// A time-entry activity by name or id.
    pub(crate) async fn activity_id(&self, input: &str) -> Result<ActivityId, ToolError> {
        let client = self.client().clone();
        let id = self
            .resolve("activity", "", input, move || async move {
                let activities = client.list_time_entry_activities().await?;
                Ok(activities.into_iter().map(|a| Candidate::new(a.id.get(), [a.name])).collect())
            })
            .await?;
        Ok(ActivityId(id))
    }

    /// The caller's own user id (`/users/current.json`, cached).
    pub(crate) async fn current_user_id(&self) -> Result<UserId, ToolError> {
        let me = self.caller_candidates().await?;
        me.first().map(|c| UserId(c.id)).ok_or_else(|| {
            ToolError::Unsupported("redmine did not say who the current user is".to_owned())
        })
    }

    /// A user by id, login, full name or `me`.
    ///
    /// With a `project`, the user is first looked for among its members
    /// (users and groups), the one list every member may read. Then the
    /// caller itself, then, for administrators, all active users.
    pub(crate) async fn user_id(
        &self,
        input: &str,
        project: Option<ProjectId>,
    ) -> Result<UserId, ToolError> {
        let input = input.trim();
        if input.eq_ignore_ascii_case("me") {
            return self.current_user_id().await;
        }
        if let Ok(id) = input.parse::<u64>() {
            return Ok(UserId(id));
        }

        let mut among_members = None;
        if let Some(project) = project {
            let members = self.member_candidates(project).await?;
            match pick("user", input, &members) {
                Ok(id) => return Ok(UserId(id)),
                Err(error @ ToolError::Ambiguous { .. }) => return Err(error),
                Err(error) => among_members = Some(error),
            }
        }
        if let Ok(id) = pick("user", input, &self.caller_candidates().await?) {
            return Ok(UserId(id));
        }

        match self.users_named(input).await {
            Ok(users) => match (pick("user", input, &users), among_members) {
                // Nobody of that name at all: the members are the likelier candidates to list.
                (Err(ToolError::NoMatch { .. }), Some(error)) => Err(error),
                (result, _) => result.map(UserId),
            },
            Err(ToolError::Redmine(error)) if error.is_forbidden() => Err(among_members
                .unwrap_or_else(|| {
                    ToolError::Unsupported(format!(
                        "cannot look up the user {input:?} by name: only administrators may \
                         list all users; pass the user's numeric id, or name a project whose \
                         members include the user"
                    ))
                })),
            Err(error) => Err(error),
        }
    }

    /// A version of `project` (its own and those shared with it) by name or id.
    pub(crate) async fn version_id(
        &self,
        project: ProjectId,
        input: &str,
    ) -> Result<VersionId, ToolError> {
        let client = self.client().clone();
        let id = self
            .resolve("version", &project.to_string(), input, move || async move {
                let versions = client.list_versions(project).await?;
                Ok(versions.into_iter().map(|v| Candidate::new(v.id.get(), [v.name])).collect())
            })
            .await?;
        Ok(VersionId(id))
    }

    /// An issue category of `project` by name or id.
    pub(crate) async fn category_id(
        &self,
        project: ProjectId,
        input: &str,
    ) -> Result<CategoryId, ToolError> {
        let client = self.client().clone();
        let id = self
            .resolve("category", &project.to_string(), input, move || async move {
                let categories = client.list_issue_categories(project).await?;
                Ok(categories.into_iter().map(|c| Candidate::new(c.id.get(), [c.name])).collect())
            })
            .await?;
        Ok(CategoryId(id))
    }

    /// An issue custom field by name or id.
    ///
    /// Administrators see every issue custom field. Others see those enabled
    /// on `project`, or without a project those set on the issues they can
    /// see.
    pub(crate) async fn custom_field_id(
        &self,
        input: &str,
        project: Option<ProjectId>,
    ) -> Result<CustomFieldId, ToolError> {
        let input = input.trim();
        if let Ok(id) = input.parse::<u64>() {
            return Ok(CustomFieldId(id));
        }

        let client = self.client().clone();
        let all = self
            .candidates("custom field", "issue", move || async move {
                let fields = client.list_custom_fields().await?;
                Ok(fields
                    .into_iter()
                    .filter(|f| f.customized_type.as_deref() == Some("issue"))
                    .map(|f| Candidate::new(f.id.get(), [f.name]))
                    .collect())
            })
            .await;
        let candidates = match all {
            Ok(candidates) => candidates,
            Err(ToolError::Redmine(error)) if error.is_forbidden() => {
                self.visible_custom_fields(project).await?
            }
            Err(error) => return Err(error),
        };
        if candidates.is_empty() {
            return Err(ToolError::Unsupported(format!(
                "cannot look up the custom field {input:?} by name: no custom field is visible \
                 to you here; pass its numeric id"
            )));
        }
        pick("custom field", input, &candidates).map(CustomFieldId)
    }

    /// The caller as a one-element candidate list: id, login and full name.
    async fn caller_candidates(&self) -> Result<Arc<Vec<Candidate>>, ToolError> {
        let client = self.client().clone();
        self.candidates("me", "", move || async move {
            let user = client.current_user(&[]).await?;
            Ok(vec![user_candidate(&user)])
        })
        .await
    }

    /// The users and groups that are members of `project`.
    async fn member_candidates(
        &self,
        project: ProjectId,
    ) -> Result<Arc<Vec<Candidate>>, ToolError> {
        let client = self.client().clone();
        self.candidates("member", &project.to_string(), move || async move {
            let memberships: Vec<_> =
                client.stream_memberships(project, MAX_LOADED).try_collect().await?;
            Ok(memberships
                .into_iter()
                .filter_map(|m| {
                    let user = m.user.map(|u| Candidate::new(u.id.get(), [u.name]));
                    user.or_else(|| m.group.map(|g| Candidate::new(g.id.get(), [g.name])))
                })
                .collect())
        })
        .await
    }

    /// Active users whose login or name contains the longest word of `input`
    /// (administrators only).
    async fn users_named(&self, input: &str) -> Result<Arc<Vec<Candidate>>, ToolError> {
        // XXX(redmine): the user list's `name` filter matches the login, first name, last name
        // and e-mail address one at a time, so a full name finds nobody; one word of it does.
        let word = input.split_whitespace().max_by_key(|word| word.len()).unwrap_or(input);
        let client = self.client().clone();
        let filter = UserFilter::new().name(word).limit(MAX_USERS_SEARCHED);
        self.candidates("user", &word.to_lowercase(), move || async move {
            let page = client.list_users(&filter).await?;
            Ok(page.items.iter().map(user_candidate).collect())
        })
        .await
    }

    /// The issue custom fields a non-administrator can name: those enabled on
    /// `project`, or, without a project, those set on the latest visible issues.
    async fn visible_custom_fields(
        &self,
        project: Option<ProjectId>,
    ) -> Result<Arc<Vec<Candidate>>, ToolError> {
        let client = self.client().clone();
        if let Some(project) = project {
            return self
                .candidates("project custom field", &project.to_string(), move || async move {
                    let project =
                        client.get_project(project, &[ProjectInclude::IssueCustomFields]).await?;
                    Ok(project
                        .issue_custom_fields
                        .unwrap_or_default()
                        .into_iter()
                        .map(|f| Candidate::new(f.id.get(), [f.name]))
                        .collect())
                })
                .await;
        }
        self.candidates("issue custom field", "", move || async move {
            let filter = IssueFilter::new().status(StatusFilter::All).limit(100);
            let issues = client.list_issues(&filter).await?;
            let fields: BTreeMap<u64, String> = issues
                .items
                .into_iter()
                .flat_map(|issue| issue.custom_fields)
                .map(|field| (field.id.get(), field.name))
                .collect();
            Ok(fields.into_iter().map(|(id, name)| Candidate::new(id, [name])).collect())
        })
        .await
    }
}

/// A user answers to its login and its full name.
fn user_candidate(user: &User) -> Candidate {
    let names = user.login.iter().cloned().chain([user.name()]);
    Candidate::new(user.id.get(), names)
}

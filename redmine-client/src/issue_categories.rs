//! Issue categories: a project's own grouping of issues, optionally with a default assignee.
//!
//! Categories are listed and created under their project (`/projects/{project}/issue_categories`)
//! and read, changed and deleted on their own (`/issue_categories/{id}`).

use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::{CategoryId, ProjectId, ProjectRef, UserId};
use crate::models::{Clearable, IdName};
use crate::request::{Body, Route};

/// An issue category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IssueCategory {
    /// The category's id.
    pub id: CategoryId,
    /// The project the category belongs to.
    pub project: Option<IdName<ProjectId>>,
    /// The category's name.
    pub name: String,
    /// Who new issues in this category are assigned to by default.
    pub assigned_to: Option<IdName<UserId>>,
}

/// A category to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewIssueCategory {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_to_id: Option<UserId>,
}

impl NewIssueCategory {
    /// A category named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), assigned_to_id: None }
    }

    setters! {
        /// The default assignee of issues in this category (a project member).
        assigned_to => assigned_to_id: UserId;
    }
}

/// Changes to a category; fields left unset are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IssueCategoryUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_to_id: Option<Clearable<UserId>>,
}

impl IssueCategoryUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Renames the category.
        name => name: String;
    }

    clearable_setters! {
        /// Sets the default assignee.
        assigned_to, clear_assigned_to => assigned_to_id: UserId;
    }
}

impl Client {
    /// The issue categories of `project` (all of them; this list is not paginated).
    pub async fn list_issue_categories(
        &self,
        project: impl Into<ProjectRef>,
    ) -> Result<Vec<IssueCategory>> {
        let route = Route::get("/projects/{project}/issue_categories.json").arg(project.into());
        self.send(route, Body::Empty, "issue_categories").await
    }

    /// Issue category `id`.
    pub async fn get_issue_category(&self, id: CategoryId) -> Result<IssueCategory> {
        let route = Route::get("/issue_categories/{id}.json").arg(id);
        self.send(route, Body::Empty, "issue_category").await
    }

    /// Creates a category in `project`; Redmine answers with the category it created.
    pub async fn create_issue_category(
        &self,
        project: impl Into<ProjectRef>,
        category: &NewIssueCategory,
    ) -> Result<IssueCategory> {
        let route = Route::post("/projects/{project}/issue_categories.json").arg(project.into());
        self.send(route, Body::wrapped("issue_category", category)?, "issue_category").await
    }

    /// Changes category `id`.
    pub async fn update_issue_category(
        &self,
        id: CategoryId,
        update: &IssueCategoryUpdate,
    ) -> Result<()> {
        let route = Route::put("/issue_categories/{id}.json").arg(id);
        self.send_no_content(route, Body::wrapped("issue_category", update)?).await
    }

    /// Deletes category `id`. Its issues move to `reassign_to` if given, and are left without a
    /// category otherwise.
    pub async fn delete_issue_category(
        &self,
        id: CategoryId,
        reassign_to: Option<CategoryId>,
    ) -> Result<()> {
        let mut route = Route::delete("/issue_categories/{id}.json").arg(id);
        if let Some(target) = reassign_to {
            route = route.param("reassign_to_id", target);
        }
        self.send_no_content(route, Body::Empty).await
    }
}

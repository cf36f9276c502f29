//! Wiki pages: a project's wiki index, its pages and their past versions, and writing and
//! deleting pages.
//!
//! Pages are addressed by project and title. Redmine stores titles with underscores for spaces
//! (`Release_notes`) and finds a page by either spelling; titles are percent-encoded in the
//! path, so any text is safe to pass. A page is created and updated by the same call,
//! [`Client::save_wiki_page`].

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::attachments::Attachment;
use crate::error::Result;
use crate::ids::{ProjectRef, UserId};
use crate::models::IdName;
use crate::request::{Body, Field, Route, decode};
use crate::uploads::UploadRef;

/// The largest page accepted when Redmine echoes a created page back.
const PAGE_BODY_CAP: u64 = 64 * 1024 * 1024;

/// A page as listed in the wiki index, without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WikiPageSummary {
    /// The title, with underscores for spaces.
    pub title: String,
    /// The parent page.
    pub parent: Option<WikiParent>,
    /// The number of the current version (1 for a page never edited since its creation).
    pub version: u32,
    /// When the page was created.
    pub created_on: Option<Timestamp>,
    /// When the page last changed.
    pub updated_on: Option<Timestamp>,
}

/// A page's parent, named by title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WikiParent {
    /// The parent page's title.
    pub title: String,
}

/// A wiki page: the text of its current or of a past version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WikiPage {
    /// The title, with underscores for spaces.
    pub title: String,
    /// The parent page.
    pub parent: Option<WikiParent>,
    /// The text, in the instance's text formatting.
    #[serde(default)]
    pub text: String,
    /// The number of the version this text belongs to; pass it back in
    /// [`WikiPageUpdate::version`] to detect concurrent edits.
    pub version: u32,
    /// Who wrote this version.
    pub author: Option<IdName<UserId>>,
    /// The edit comment of this version.
    pub comments: Option<String>,
    /// When the page was created.
    pub created_on: Option<Timestamp>,
    /// When this version was written.
    pub updated_on: Option<Timestamp>,
    /// Attached files ([`WikiPageInclude::Attachments`]).
    pub attachments: Option<Vec<Attachment>>,
}

/// Extra data to ask for with a wiki page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WikiPageInclude {
    /// Attached files.
    Attachments,
}

impl WikiPageInclude {
    /// Redmine's name for the include.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Attachments => "attachments",
        }
    }
}

/// The new text of a wiki page, created or updated.
///
/// ```
/// use redmine_client::wiki::WikiPageUpdate;
///
/// // Replace version 2, failing with a conflict if someone saved version 3 meanwhile.
/// let update = WikiPageUpdate::new("h1. Runbook\n\nRestart the workers, then the web.")
///     .comments("Restart order")
///     .version(2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WikiPageUpdate {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    comments: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_title: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uploads: Vec<UploadRef>,
}

impl WikiPageUpdate {
    /// Sets the page's text to `text`, which Redmine requires to be non-empty.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            comments: None,
            version: None,
            parent_title: None,
            uploads: Vec::new(),
        }
    }

    setters! {
        /// The edit comment, shown in the page's history.
        comments => comments: String;
        /// The parent page, by title. Changing the parent of an existing page needs the
        /// "Rename wiki pages" permission; without it the parent is silently kept.
        parent_title => parent_title: String;
    }

    /// The version this edit is based on. If the page has moved past it, Redmine refuses the
    /// edit with [`Error::Conflict`](crate::Error::Conflict) instead of overwriting the newer
    /// text.
    #[must_use]
    pub fn version(mut self, version: u32) -> Self {
        self.version = Some(version);
        self
    }

    /// Attaches a file stored with [`Client::upload`]; call once per file.
    #[must_use]
    pub fn upload(mut self, upload: impl Into<UploadRef>) -> Self {
        self.uploads.push(upload.into());
        self
    }
}

/// What [`Client::save_wiki_page`] did: the only two outcomes a successful save has, so the
/// enum is exhaustive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavedWikiPage {
    /// The page did not exist and was created; Redmine answers with it.
    Created(Box<WikiPage>),
    /// The page existed and got a new version; Redmine answers with no body.
    Updated,
}

/// What happens to the child pages of a deleted page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChildPages {
    /// The children stay and move to the top level (Redmine's `nullify`).
    MoveToTop,
    /// The children and all their descendants are deleted too (`destroy`).
    Delete,
}

impl ChildPages {
    /// Redmine's name for the choice, sent as `todo`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MoveToTop => "nullify",
            Self::Delete => "destroy",
        }
    }
}

impl Client {
    /// Every page of the wiki of `project`, without text (this list is not paginated).
    pub async fn list_wiki_pages(
        &self,
        project: impl Into<ProjectRef>,
    ) -> Result<Vec<WikiPageSummary>> {
        let route = Route::get("/projects/{project}/wiki/index.json").arg(project.into());
        self.send(route, Body::Empty, "wiki_pages").await
    }

    /// The current version of page `title` in the wiki of `project`.
    ///
    /// ```no_run
    /// # async fn run(client: redmine_client::Client) -> redmine_client::Result<()> {
    /// use redmine_client::wiki::WikiPageInclude;
    ///
    /// let page = client.get_wiki_page("project-a", "Runbook", &[WikiPageInclude::Attachments]).await?;
    /// println!("{} (version {})\n{}", page.title, page.version, page.text);
    /// # Ok(()) }
    /// ```
    pub async fn get_wiki_page(
        &self,
        project: impl Into<ProjectRef>,
        title: &str,
        include: &[WikiPageInclude],
    ) -> Result<WikiPage> {
        let mut route =
            Route::get("/projects/{project}/wiki/{title}.json").arg(project.into()).arg(title);
        route.query.set_list("include", include.iter().map(|i| i.as_str()));
        self.send(route, Body::Empty, "wiki_page").await
    }

    /// Version `version` (counting from 1) of page `title` ("View wiki history" permission).
    pub async fn get_wiki_page_version(
        &self,
        project: impl Into<ProjectRef>,
        title: &str,
        version: u32,
        include: &[WikiPageInclude],
    ) -> Result<WikiPage> {
        let mut route = Route::get("/projects/{project}/wiki/{title}/{version}.json")
            .arg(project.into())
            .arg(title)
            .arg(version);
        route.query.set_list("include", include.iter().map(|i| i.as_str()));
        self.send(route, Body::Empty, "wiki_page").await
    }

    /// Creates page `title` or writes a new version of it ("Edit wiki pages" permission).
    ///
    /// XXX(redmine): saving the text the page already has is accepted without writing a
    /// version, and without a conflict even when [`WikiPageUpdate::version`] is stale.
    ///
    /// ```no_run
    /// # async fn run(client: redmine_client::Client) -> redmine_client::Result<()> {
    /// use redmine_client::wiki::{SavedWikiPage, WikiPageUpdate};
    ///
    /// let page = client.get_wiki_page("project-a", "Runbook", &[]).await?;
    /// let update = WikiPageUpdate::new(format!("{}\n\nAlso flush the cache.", page.text))
    ///     .version(page.version);
    /// match client.save_wiki_page("project-a", "Runbook", &update).await {
    ///     Ok(SavedWikiPage::Updated) => println!("saved"),
    ///     Ok(SavedWikiPage::Created(page)) => println!("created {}", page.title),
    ///     Err(redmine_client::Error::Conflict { .. }) => {
    ///         println!("someone else edited the page; reload and merge");
    ///     }
    ///     Err(err) => return Err(err),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn save_wiki_page(
        &self,
        project: impl Into<ProjectRef>,
        title: &str,
        page: &WikiPageUpdate,
    ) -> Result<SavedWikiPage> {
        let route =
            Route::put("/projects/{project}/wiki/{title}.json").arg(project.into()).arg(title);
        let op = route.operation();

        // Redmine answers a creation with 201 and the page, an update with an empty 204.
        let bytes =
            self.send_for_bytes(&route, Body::wrapped("wiki_page", page)?, PAGE_BODY_CAP).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(SavedWikiPage::Updated);
        }
        let created: WikiPage = decode(&op, &bytes, Field::new("wiki_page"))?;
        Ok(SavedWikiPage::Created(Box::new(created)))
    }

    /// Deletes page `title` with its history and files ("Delete wiki pages" permission);
    /// `children` says what becomes of its child pages.
    pub async fn delete_wiki_page(
        &self,
        project: impl Into<ProjectRef>,
        title: &str,
        children: ChildPages,
    ) -> Result<()> {
        let route = Route::delete("/projects/{project}/wiki/{title}.json")
            .arg(project.into())
            .arg(title)
            .param("todo", children.as_str());
        self.send_no_content(route, Body::Empty).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_sends_only_what_was_set() {
        let update = WikiPageUpdate::new("text").version(3).parent_title("Wiki");
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"text": "text", "version": 3, "parent_title": "Wiki"})
        );
    }

    #[test]
    fn child_page_choices_use_redmine_names() {
        assert_eq!(ChildPages::MoveToTop.as_str(), "nullify");
        assert_eq!(ChildPages::Delete.as_str(), "destroy");
    }
}

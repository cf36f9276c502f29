//! News: announcements posted in a project, listed across projects or per project.
//!
//! News are listed globally (`/news.json`) or per project, created under their project, and
//! read, changed and deleted on their own (`/news/{id}.json`). Comments can be read with a news
//! item but not written through the API.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::attachments::Attachment;
use crate::error::Result;
use crate::ids::{CommentId, NewsId, ProjectId, ProjectRef, UserId};
use crate::models::IdName;
use crate::page::Page;
use crate::paging::Paging;
use crate::request::{Body, Route};
use crate::uploads::UploadRef;

/// A news item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct News {
    /// The news item's id.
    pub id: NewsId,
    /// The project it was posted in.
    pub project: Option<IdName<ProjectId>>,
    /// Who posted it.
    pub author: Option<IdName<UserId>>,
    /// The title.
    pub title: String,
    /// The one-line summary; absent on a single item when empty.
    pub summary: Option<String>,
    /// The text, in the instance's text formatting.
    pub description: Option<String>,
    /// When it was posted.
    pub created_on: Option<Timestamp>,
    /// Attached files ([`NewsInclude::Attachments`]; single items only).
    pub attachments: Option<Vec<Attachment>>,
    /// Readers' comments ([`NewsInclude::Comments`]; single items only).
    pub comments: Option<Vec<NewsComment>>,
}

/// A reader's comment on a news item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewsComment {
    /// The comment's id.
    pub id: CommentId,
    /// Who wrote it.
    pub author: Option<IdName<UserId>>,
    /// The text.
    #[serde(default)]
    pub content: String,
}

/// Extra data to ask for with a single news item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NewsInclude {
    /// Attached files.
    Attachments,
    /// Readers' comments.
    Comments,
}

impl NewsInclude {
    /// Redmine's name for the include.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Attachments => "attachments",
            Self::Comments => "comments",
        }
    }
}

/// A news item to post.
///
/// ```
/// use redmine_client::news::NewNews;
///
/// let news = NewNews::new("Release 2.0 is out", "Checkout is twice as fast.")
///     .summary("Highlights of 2.0");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewNews {
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uploads: Vec<UploadRef>,
}

impl NewNews {
    /// A news item titled `title` (at most 60 characters) with text `description`; Redmine
    /// requires both.
    pub fn new(title: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            description: description.into(),
            summary: None,
            uploads: Vec::new(),
        }
    }

    setters! {
        /// The one-line summary shown in lists.
        summary => summary: String;
    }

    /// Attaches a file stored with [`Client::upload`]; call once per file.
    #[must_use]
    pub fn upload(mut self, upload: impl Into<UploadRef>) -> Self {
        self.uploads.push(upload.into());
        self
    }
}

/// Changes to a news item; fields left unset keep their value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewsUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uploads: Vec<UploadRef>,
}

impl NewsUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Replaces the title.
        title => title: String;
        /// Replaces the summary; an empty text removes it.
        summary => summary: String;
        /// Replaces the text.
        description => description: String;
    }

    /// Attaches another file stored with [`Client::upload`]; call once per file.
    #[must_use]
    pub fn upload(mut self, upload: impl Into<UploadRef>) -> Self {
        self.uploads.push(upload.into());
        self
    }
}

impl Client {
    /// One page of the news of every project the user may see, newest first.
    pub async fn list_news(&self, paging: Paging) -> Result<Page<News>> {
        let route = Route::get("/news.json").with_query(paging.query());
        self.send_page(route, "news").await
    }

    /// One page of the news of `project`, newest first.
    pub async fn list_project_news(
        &self,
        project: impl Into<ProjectRef>,
        paging: Paging,
    ) -> Result<Page<News>> {
        let route = Route::get("/projects/{project}/news.json")
            .arg(project.into())
            .with_query(paging.query());
        self.send_page(route, "news").await
    }

    /// News item `id`, with the extra data named in `include`.
    pub async fn get_news(&self, id: NewsId, include: &[NewsInclude]) -> Result<News> {
        let mut route = Route::get("/news/{id}.json").arg(id);
        route.query.set_list("include", include.iter().map(|i| i.as_str()));
        self.send(route, Body::Empty, "news").await
    }

    /// Posts a news item in `project` ("Manage news" permission).
    ///
    /// XXX(redmine): the answer is an empty 204 that names neither the item nor its id; list the
    /// project's news to find it.
    pub async fn create_news(&self, project: impl Into<ProjectRef>, news: &NewNews) -> Result<()> {
        let route = Route::post("/projects/{project}/news.json").arg(project.into());
        self.send_no_content(route, Body::wrapped("news", news)?).await
    }

    /// Changes news item `id`.
    pub async fn update_news(&self, id: NewsId, update: &NewsUpdate) -> Result<()> {
        let route = Route::put("/news/{id}.json").arg(id);
        self.send_no_content(route, Body::wrapped("news", update)?).await
    }

    /// Deletes news item `id` with its comments and files.
    pub async fn delete_news(&self, id: NewsId) -> Result<()> {
        let route = Route::delete("/news/{id}.json").arg(id);
        self.send_no_content(route, Body::Empty).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_news_requires_title_and_text_and_skips_the_rest() {
        assert_eq!(
            serde_json::to_value(NewNews::new("T", "D")).unwrap(),
            serde_json::json!({"title": "T", "description": "D"})
        );
        assert_eq!(
            serde_json::to_value(NewsUpdate::new().summary("")).unwrap(),
            serde_json::json!({"summary": ""})
        );
    }
}

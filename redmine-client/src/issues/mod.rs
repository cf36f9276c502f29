//! Issues: list with filters, read with includes, create, update and delete.
//!
//! The issue model is in `model`, the list filter in `filter`, the request bodies in `input`;
//! this file holds the calls. Things attached to issues have their own modules:
//! [`relations`](crate::relations), [`watchers`](crate::watchers),
//! [`journals`](crate::journals), [`attachments`](crate::attachments) and
//! [`issue_categories`](crate::issue_categories).

mod filter;
mod input;
mod model;

use futures::Stream;

pub use filter::{IssueFilter, StatusFilter};
pub use input::{IssueUpdate, NewIssue};
pub use model::{Changeset, Issue, IssueChild, IssueInclude, StatusRef};

use crate::Client;
use crate::error::Result;
use crate::ids::IssueId;
use crate::page::Page;
use crate::request::{Body, Route};

impl Client {
    /// One page of the issues matching `filter`.
    ///
    /// ```no_run
    /// # async fn run(client: redmine_client::Client) -> redmine_client::Result<()> {
    /// use redmine_client::issues::{IssueFilter, StatusFilter};
    ///
    /// let page = client.list_issues(&IssueFilter::new().status(StatusFilter::All)).await?;
    /// println!("{} issues in all", page.total_count);
    /// # Ok(()) }
    /// ```
    pub async fn list_issues(&self, filter: &IssueFilter) -> Result<Page<Issue>> {
        let route = Route::get("/issues.json").with_query(filter.query.clone());
        self.send_page(route, "issues").await
    }

    /// Every issue matching `filter`, page after page, up to `max_items` issues.
    ///
    /// The walk starts at the filter's offset and fetches pages of 100; the filter's limit is
    /// ignored. The stream ends after the first error.
    ///
    /// ```no_run
    /// # async fn run(client: redmine_client::Client) -> redmine_client::Result<()> {
    /// use futures::TryStreamExt;
    /// use redmine_client::issues::IssueFilter;
    ///
    /// let issues: Vec<_> =
    ///     client.stream_issues(&IssueFilter::new().project("project-a"), 500).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream_issues(
        &self,
        filter: &IssueFilter,
        max_items: usize,
    ) -> impl Stream<Item = Result<Issue>> + Send + 'static {
        let route = Route::get("/issues.json").with_query(filter.query.clone());
        self.paginate(route, "issues", max_items)
    }

    /// Issue `id`, with the extra data named in `include`.
    pub async fn get_issue(&self, id: IssueId, include: &[IssueInclude]) -> Result<Issue> {
        let mut route = Route::get("/issues/{id}.json").arg(id);
        route.query.set_list("include", include.iter().map(|i| i.as_str()));
        self.send(route, Body::Empty, "issue").await
    }

    /// Creates an issue; Redmine answers with the issue it created (without includes).
    pub async fn create_issue(&self, issue: &NewIssue) -> Result<Issue> {
        let route = Route::post("/issues.json");
        self.send(route, Body::wrapped("issue", issue)?, "issue").await
    }

    /// Changes issue `id` and/or adds a note to it.
    pub async fn update_issue(&self, id: IssueId, update: &IssueUpdate) -> Result<()> {
        let route = Route::put("/issues/{id}.json").arg(id);
        self.send_no_content(route, Body::wrapped("issue", update)?).await
    }

    /// Deletes issue `id` with its subtasks, time entries and attachments.
    pub async fn delete_issue(&self, id: IssueId) -> Result<()> {
        let route = Route::delete("/issues/{id}.json").arg(id);
        self.send_no_content(route, Body::Empty).await
    }
}

//! Search: Redmine's full-text search over issues, wiki pages, news and the other searchable
//! records, across every visible project or within one.
//!
//! The search sees exactly what the caller may see: private projects, private issues and
//! modules the caller lacks permission for never show up. It needs the `search_project`
//! permission, which OAuth tokens only carry when granted that scope.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::ProjectRef;
use crate::page::Page;
use crate::request::{Query, Route};

/// One search hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResult {
    /// The id of the record found, in the id space of its [`kind`](Self::kind).
    pub id: u64,
    /// The title as Redmine shows it, such as `Bug #1 (New): Checkout times out`.
    pub title: String,
    /// What was found: `issue`, `issue-closed`, `news`, `document`, `changeset`, `wiki-page`,
    /// `message`, `reply` or `project` (plugins add others).
    #[serde(rename = "type")]
    pub kind: String,
    /// Where the record is shown, on the host Redmine believes it has.
    pub url: String,
    /// The text that matched, such as the issue's description.
    pub description: Option<String>,
    /// When the record was created or last changed.
    pub datetime: Option<Timestamp>,
}

impl SearchResult {
    /// Whether the hit is an issue, open or closed.
    pub fn is_issue(&self) -> bool {
        self.kind == "issue" || self.kind == "issue-closed"
    }
}

/// Which projects a search covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SearchScope {
    /// Every visible project, even in a project's search (`all`).
    All,
    /// The projects the caller is a member of (`my_projects`).
    MyProjects,
    /// In a project's search, the project and its subprojects (`subprojects`).
    Subprojects,
    /// The projects the caller bookmarked (`bookmarks`).
    ///
    /// XXX(redmine): Redmine 5.0 does not know this scope and searches as if none were given.
    Bookmarks,
}

impl SearchScope {
    /// Redmine's name for the scope.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::MyProjects => "my_projects",
            Self::Subprojects => "subprojects",
            Self::Bookmarks => "bookmarks",
        }
    }
}

/// Whether a search looks into attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SearchAttachments {
    /// Only in the records themselves (`0`, Redmine's default).
    #[default]
    No,
    /// In the records and in their attachments' names and descriptions (`1`).
    Also,
    /// Only in attachments' names and descriptions (`only`).
    Only,
}

impl SearchAttachments {
    /// Redmine's value for the option.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::No => "0",
            Self::Also => "1",
            Self::Only => "only",
        }
    }
}

/// A kind of record to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SearchType {
    /// Issues (`issues`).
    Issues,
    /// News (`news`).
    News,
    /// Documents (`documents`).
    Documents,
    /// Repository changesets (`changesets`).
    Changesets,
    /// Wiki pages (`wiki_pages`).
    WikiPages,
    /// Forum messages (`messages`).
    Messages,
    /// Projects (`projects`); not searched within a single project.
    Projects,
}

impl SearchType {
    /// Redmine's name for the type, which is also its query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issues => "issues",
            Self::News => "news",
            Self::Documents => "documents",
            Self::Changesets => "changesets",
            Self::WikiPages => "wiki_pages",
            Self::Messages => "messages",
            Self::Projects => "projects",
        }
    }
}

impl fmt::Display for SearchType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to search for, where, and which page of hits.
///
/// Redmine splits the text into words (a quoted phrase counts as one), drops words shorter than
/// two characters and keeps the first five; a text with no word left finds nothing. By default
/// every word must match, in titles and texts, in every kind of record, open and closed issues
/// alike.
///
/// ```
/// use redmine_client::search::{SearchQuery, SearchScope, SearchType};
///
/// let query = SearchQuery::new("checkout timeout")
///     .scope(SearchScope::MyProjects)
///     .types(&[SearchType::Issues, SearchType::WikiPages])
///     .open_issues(true)
///     .limit(10);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub(crate) query: Query,
}

impl SearchQuery {
    /// A search for `text`.
    pub fn new(text: impl Into<String>) -> Self {
        let mut query = Query::default();
        query.set("q", text.into());
        Self { query }
    }

    /// Which projects to search; without one, a global search covers every visible project
    /// and a project's search only that project.
    #[must_use]
    pub fn scope(mut self, scope: SearchScope) -> Self {
        self.query.set("scope", scope.as_str());
        self
    }

    /// Whether every word must match (Redmine's default) or any one of them.
    ///
    /// XXX(redmine): Redmine reads any non-empty value as "yes", `0` included, and only an
    /// empty value as "no"; this sends `1` or an empty value accordingly.
    #[must_use]
    pub fn all_words(mut self, all: bool) -> Self {
        self.query.set("all_words", if all { "1" } else { "" });
        self
    }

    /// Whether to match titles only (not descriptions, texts and comments).
    #[must_use]
    pub fn titles_only(self, titles_only: bool) -> Self {
        self.flag("titles_only", titles_only)
    }

    /// Whether to find open issues only.
    #[must_use]
    pub fn open_issues(self, open_only: bool) -> Self {
        self.flag("open_issues", open_only)
    }

    /// Whether to look into attachments.
    #[must_use]
    pub fn attachments(mut self, attachments: SearchAttachments) -> Self {
        self.query.set("attachments", attachments.as_str());
        self
    }

    /// Only these kinds of records, replacing any earlier choice; an empty list means every
    /// kind, as does not calling this.
    #[must_use]
    pub fn types(mut self, types: &[SearchType]) -> Self {
        for kind in SEARCH_TYPES {
            self = self.flag(kind.as_str(), types.contains(&kind));
        }
        self
    }

    /// How many hits to skip.
    #[must_use]
    pub fn offset(mut self, offset: u64) -> Self {
        self.query.set_offset(offset);
        self
    }

    /// The page size, clamped to Redmine's 1..=100 (Redmine's default is 25).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.query.set_limit(limit);
        self
    }

    /// Sets a yes/no parameter.
    ///
    /// XXX(redmine): the search reads these flags as "present and not empty", so `0` would mean
    /// yes; "no" is sent by leaving the parameter out.
    fn flag(mut self, key: &str, on: bool) -> Self {
        if on {
            self.query.set(key, 1);
        } else {
            self.query.set_list::<&str>(key, []);
        }
        self
    }
}

/// Every [`SearchType`], in Redmine's order.
const SEARCH_TYPES: [SearchType; 7] = [
    SearchType::Issues,
    SearchType::News,
    SearchType::Documents,
    SearchType::Changesets,
    SearchType::WikiPages,
    SearchType::Messages,
    SearchType::Projects,
];

impl Client {
    /// One page of hits for `query` across the projects the caller can see.
    ///
    /// ```no_run
    /// # async fn run(client: redmine_client::Client) -> redmine_client::Result<()> {
    /// use redmine_client::search::{SearchQuery, SearchType};
    ///
    /// let hits = client.search(&SearchQuery::new("timeout").types(&[SearchType::Issues])).await?;
    /// for hit in &hits.items {
    ///     println!("{} {}", hit.title, hit.url);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn search(&self, query: &SearchQuery) -> Result<Page<SearchResult>> {
        let route = Route::get("/search.json").with_query(query.query.clone());
        self.send_page(route, "results").await
    }

    /// One page of hits for `query` within `project` (id or identifier), or within it and its
    /// subprojects with [`SearchScope::Subprojects`].
    ///
    /// XXX(redmine): limited to the project alone, the search leaves out projects and the kinds
    /// of records the caller may not view there; with a scope it covers every kind again,
    /// projects included, and relies on per-record visibility.
    pub async fn search_project(
        &self,
        project: impl Into<ProjectRef>,
        query: &SearchQuery,
    ) -> Result<Page<SearchResult>> {
        let route = Route::get("/projects/{project}/search.json")
            .arg(project.into())
            .with_query(query.query.clone());
        self.send_page(route, "results").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &SearchQuery) -> Vec<(&str, &str)> {
        query.query.pairs().collect()
    }

    #[test]
    fn every_option_writes_redmine_parameters() {
        let query = SearchQuery::new("checkout \"page load\"")
            .scope(SearchScope::Subprojects)
            .all_words(false)
            .titles_only(true)
            .open_issues(true)
            .attachments(SearchAttachments::Only)
            .types(&[SearchType::WikiPages, SearchType::Issues])
            .offset(20)
            .limit(10);
        assert_eq!(
            pairs(&query),
            [
                ("q", "checkout \"page load\""),
                ("scope", "subprojects"),
                ("all_words", ""),
                ("titles_only", "1"),
                ("open_issues", "1"),
                ("attachments", "only"),
                ("issues", "1"),
                ("wiki_pages", "1"),
                ("offset", "20"),
                ("limit", "10"),
            ]
        );
    }

    #[test]
    fn turning_flags_off_leaves_them_out() {
        let query = SearchQuery::new("x")
            .titles_only(true)
            .titles_only(false)
            .types(&[SearchType::News])
            .types(&[])
            .all_words(true);
        assert_eq!(pairs(&query), [("q", "x"), ("all_words", "1")]);
    }

    #[test]
    fn result_fixtures_round_trip() {
        #[derive(Deserialize)]
        struct Results {
            results: Vec<SearchResult>,
        }
        let found: Results =
            serde_json::from_str(include_str!("../tests/fixtures/search_results.json")).unwrap();
        let kinds: Vec<_> = found.results.iter().map(|r| r.kind.as_str()).collect();
        assert!(kinds.contains(&"wiki-page") && kinds.contains(&"issue"), "{kinds:?}");
        assert!(found.results.iter().all(|r| r.datetime.is_some() && r.url.starts_with("http")));
        let again: Vec<SearchResult> =
            serde_json::from_value(serde_json::to_value(&found.results).unwrap()).unwrap();
        assert_eq!(again, found.results);

        let in_project: Results =
            serde_json::from_str(include_str!("../tests/fixtures/project_search_results.json"))
                .unwrap();
        assert!(in_project.results.iter().any(SearchResult::is_issue));
        assert!(in_project.results.iter().all(|r| r.kind != "project"));
    }
}

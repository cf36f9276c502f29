//! Full-text search across everything the caller may see, or within one
//! project.

use http::Method;
use redmine_client::search::{SearchAttachments, SearchQuery, SearchScope, SearchType};
use schemars::JsonSchema;
use serde::Deserialize;

use super::paged;
use super::projects::project_id;
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Where to search.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum ScopeArg {
    All,
    MyProjects,
    Subprojects,
    Bookmarks,
}

/// Whether attachments are searched.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum AttachmentsArg {
    No,
    Also,
    Only,
}

/// A kind of record to search.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum TypeArg {
    Issues,
    News,
    Documents,
    Changesets,
    WikiPages,
    Messages,
    Projects,
}

impl From<TypeArg> for SearchType {
    fn from(kind: TypeArg) -> Self {
        match kind {
            TypeArg::Issues => Self::Issues,
            TypeArg::News => Self::News,
            TypeArg::Documents => Self::Documents,
            TypeArg::Changesets => Self::Changesets,
            TypeArg::WikiPages => Self::WikiPages,
            TypeArg::Messages => Self::Messages,
            TypeArg::Projects => Self::Projects,
        }
    }
}

/// Arguments of `search`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Search {
    /// The words to look for, e.g. "checkout timeout". Words in double quotes match as a phrase.
    #[schemars(length(min = 1, max = 255))]
    q: String,
    /// Search only this project (id, identifier or name); everywhere you can see otherwise.
    project: Option<String>,
    /// "all" projects (the default), "my_projects", "subprojects" (of project) or "bookmarks".
    scope: Option<ScopeArg>,
    /// Match only records containing every word (default true); false matches any word.
    all_words: Option<bool>,
    /// Look in titles only, not in descriptions and texts (default false).
    titles_only: Option<bool>,
    /// Only open issues (default false).
    open_issues: Option<bool>,
    /// Attachments: "no" (the default), "also" (names and descriptions too) or "only".
    attachments: Option<AttachmentsArg>,
    /// Which kinds of record to search, e.g. "issues", "wiki_pages"; all kinds otherwise.
    types: Option<Vec<TypeArg>>,
    /// How many results to skip, for paging (default 0).
    offset: Option<u64>,
    /// How many results to return, 1 to 100 (default 25).
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![Tool::new(
        ToolSpec {
            name: "search",
            title: "Search Redmine",
            description: "Full-text search over issues, wiki pages, news, documents, messages, \
                          changesets and projects you can see, everywhere or in one project. \
                          Returns results with type, id, title, url, excerpt and date, plus \
                          paging.",
            annotations: Annotations::READ,
            scopes: &["search_project"],
            binding: RestBinding { method: Method::GET, path: "/search", listed: true },
        },
        search,
    )]
}

async fn search(context: CallContext, arguments: Search) -> Result<Answer, ToolError> {
    let mut query = SearchQuery::new(arguments.q);
    if let Some(scope) = arguments.scope {
        query = query.scope(match scope {
            ScopeArg::All => SearchScope::All,
            ScopeArg::MyProjects => SearchScope::MyProjects,
            ScopeArg::Subprojects => SearchScope::Subprojects,
            ScopeArg::Bookmarks => SearchScope::Bookmarks,
        });
    }
    query = query.all_words(arguments.all_words.unwrap_or(true));
    if let Some(titles_only) = arguments.titles_only {
        query = query.titles_only(titles_only);
    }
    if let Some(open_issues) = arguments.open_issues {
        query = query.open_issues(open_issues);
    }
    if let Some(attachments) = arguments.attachments {
        query = query.attachments(match attachments {
            AttachmentsArg::No => SearchAttachments::No,
            AttachmentsArg::Also => SearchAttachments::Also,
            AttachmentsArg::Only => SearchAttachments::Only,
        });
    }
    if let Some(types) = &arguments.types {
        let types: Vec<SearchType> = types.iter().copied().map(Into::into).collect();
        query = query.types(&types);
    }
    if let Some(offset) = arguments.offset {
        query = query.offset(offset);
    }
    if let Some(limit) = arguments.limit {
        query = query.limit(limit);
    }

    let page = match &arguments.project {
        Some(project) => {
            let project = project_id(&context, project).await?;
            context.client().search_project(project, &query).await?
        }
        None => context.client().search(&query).await?,
    };
    paged("results", &page)
}

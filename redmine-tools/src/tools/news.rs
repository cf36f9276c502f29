//! News: the announcements posted in projects, listed everywhere or per
//! project, and read one at a time with comments and attachments.

use http::Method;
use redmine_client::NewsId;
use redmine_client::Paging;
use redmine_client::news::NewsInclude;
use schemars::JsonSchema;
use serde::Deserialize;

use super::projects::project_id;
use super::{one, paged};
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of `list_news`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListNews {
    /// Only news of this project (id, identifier or name); news of every visible project otherwise.
    project: Option<String>,
    /// How many news items to skip, for paging (default 0).
    offset: Option<u64>,
    /// How many news items to return, 1 to 100 (default 25).
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
}

/// Extra data to return with a news item.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum IncludeArg {
    Comments,
    Attachments,
}

/// Arguments of `get_news`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetNews {
    /// The news item's id.
    id: u64,
    /// Extra data: "comments" and "attachments".
    include: Option<Vec<IncludeArg>>,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "list_news",
                title: "List news",
                description: "List the latest news announcements of every project you can see, \
                              or of one project: id, title, summary, author, project and date, \
                              newest first, plus paging.",
                annotations: Annotations::READ,
                scopes: &["view_news"],
                binding: RestBinding { method: Method::GET, path: "/news", listed: false },
            },
            list,
        ),
        Tool::new(
            ToolSpec {
                name: "get_news",
                title: "Get a news item",
                description: "Read one news announcement by id with its full description, and \
                              optionally its comments and attachments.",
                annotations: Annotations::READ,
                scopes: &["view_news"],
                binding: RestBinding { method: Method::GET, path: "/news/{id}", listed: false },
            },
            get,
        ),
    ]
}

async fn list(context: CallContext, arguments: ListNews) -> Result<Answer, ToolError> {
    let mut paging = Paging::new();
    if let Some(offset) = arguments.offset {
        paging = paging.offset(offset);
    }
    if let Some(limit) = arguments.limit {
        paging = paging.limit(limit);
    }
    let page = match &arguments.project {
        Some(project) => {
            let project = project_id(&context, project).await?;
            context.client().list_project_news(project, paging).await?
        }
        None => context.client().list_news(paging).await?,
    };
    paged("news", &page)
}

async fn get(context: CallContext, arguments: GetNews) -> Result<Answer, ToolError> {
    let include: Vec<NewsInclude> = arguments
        .include
        .unwrap_or_default()
        .into_iter()
        .map(|i| match i {
            IncludeArg::Comments => NewsInclude::Comments,
            IncludeArg::Attachments => NewsInclude::Attachments,
        })
        .collect();
    let news = context.client().get_news(NewsId(arguments.id), &include).await?;
    one("news", &news)
}

//! Wiki pages: a project's page index, reading a page (or one of its past
//! versions), writing a page and deleting one.
//!
//! Writing takes the version the caller based its text on, so that an edit
//! made on a stale copy is refused with a conflict instead of silently
//! overwriting someone else's change.

use http::Method;
use redmine_client::wiki::{ChildPages, SavedWikiPage, WikiPageInclude, WikiPageUpdate};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::projects::project_id;
use super::{to_value, whole_list};
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of `list_wiki_pages`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListPages {
    /// The project whose wiki to list (id, identifier or name).
    project: String,
}

/// Arguments of `get_wiki_page`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetPage {
    /// The project (id, identifier or name).
    project: String,
    /// The page title as list_wiki_pages shows it, e.g. "Wiki" or "Release_notes".
    title: String,
    /// A past version number to read instead of the current text.
    #[schemars(range(min = 1))]
    version: Option<u32>,
    /// Also list the page's attachments (default false).
    include_attachments: Option<bool>,
}

/// Arguments of `create_or_update_wiki_page`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SavePage {
    /// The project (id, identifier or name).
    project: String,
    /// The page title, e.g. "Release_notes"; a new title creates the page.
    #[schemars(length(min = 1, max = 255))]
    title: String,
    /// The whole new text of the page (Redmine text formatting); it replaces the old text.
    text: String,
    /// A short note on what changed, shown in the page history.
    #[schemars(length(max = 1024))]
    comments: Option<String>,
    /// The page version your text is based on, from get_wiki_page. If the page changed since,
    /// the save is refused with a conflict instead of overwriting. Leave out for a new page.
    #[schemars(range(min = 1))]
    version: Option<u32>,
    /// Make the page a child of this page title.
    parent_title: Option<String>,
}

/// What becomes of a deleted page's children.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum ChildrenArg {
    MoveToTop,
    Delete,
}

/// Arguments of `delete_wiki_page`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DeletePage {
    /// The project (id, identifier or name).
    project: String,
    /// The title of the page to delete.
    title: String,
    /// Its child pages: "move_to_top" (the default, they become top-level pages) or "delete"
    /// (deleted with it).
    children: Option<ChildrenArg>,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "list_wiki_pages",
                title: "List wiki pages",
                description: "List the pages of a project's wiki: title, parent page, current \
                              version and dates. Use a title with get_wiki_page.",
                annotations: Annotations::READ,
                scopes: &["view_wiki_pages"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/projects/{project}/wiki",
                    listed: false,
                },
            },
            list,
        ),
        Tool::new(
            ToolSpec {
                name: "get_wiki_page",
                title: "Get a wiki page",
                description: "Read a wiki page of a project by title, or one of its past \
                              versions: text, version number, author, comment and parent. Keep \
                              the version to pass to create_or_update_wiki_page.",
                annotations: Annotations::READ,
                scopes: &["view_wiki_pages"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/projects/{project}/wiki/{title}",
                    listed: true,
                },
            },
            get,
        ),
        Tool::new(
            ToolSpec {
                name: "create_or_update_wiki_page",
                title: "Write a wiki page",
                description: "Create a wiki page or replace its text, with a change comment. \
                              Pass the version you read to refuse the save if someone changed \
                              the page meanwhile. Needs edit_wiki_pages. Returns the page title \
                              and its new version.",
                annotations: Annotations::UPDATE,
                scopes: &["edit_wiki_pages"],
                binding: RestBinding {
                    method: Method::PUT,
                    path: "/projects/{project}/wiki/{title}",
                    listed: false,
                },
            },
            save,
        ),
        Tool::new(
            ToolSpec {
                name: "delete_wiki_page",
                title: "Delete a wiki page",
                description: "Delete a wiki page with its history and attachments; its child \
                              pages move to the top level or are deleted too. Needs \
                              delete_wiki_pages. Returns the deleted title.",
                annotations: Annotations::DELETE,
                scopes: &["delete_wiki_pages"],
                binding: RestBinding {
                    method: Method::DELETE,
                    path: "/projects/{project}/wiki/{title}",
                    listed: false,
                },
            },
            delete,
        ),
    ]
}

async fn list(context: CallContext, arguments: ListPages) -> Result<Answer, ToolError> {
    let project = project_id(&context, &arguments.project).await?;
    let pages = context.client().list_wiki_pages(project).await?;
    whole_list("wiki_pages", &pages)
}

async fn get(context: CallContext, arguments: GetPage) -> Result<Value, ToolError> {
    let project = project_id(&context, &arguments.project).await?;
    let include: &[WikiPageInclude] = if arguments.include_attachments.unwrap_or(false) {
        &[WikiPageInclude::Attachments]
    } else {
        &[]
    };
    let client = context.client();
    let page = match arguments.version {
        Some(version) => {
            client.get_wiki_page_version(project, &arguments.title, version, include).await?
        }
        None => client.get_wiki_page(project, &arguments.title, include).await?,
    };
    Ok(json!({ "project_id": project, "wiki_page": to_value(&page)? }))
}

async fn save(context: CallContext, arguments: SavePage) -> Result<Value, ToolError> {
    let project = project_id(&context, &arguments.project).await?;
    let mut page = WikiPageUpdate::new(arguments.text);
    let mut changed = Map::new();
    changed.insert("text".into(), json!(true));
    if let Some(comments) = arguments.comments {
        changed.insert("comments".into(), json!(comments));
        page = page.comments(comments);
    }
    if let Some(version) = arguments.version {
        page = page.version(version);
    }
    if let Some(parent) = arguments.parent_title {
        changed.insert("parent_title".into(), json!(parent));
        page = page.parent_title(parent);
    }

    let client = context.client();
    let saved = match client.save_wiki_page(project, &arguments.title, &page).await {
        Ok(saved) => saved,
        Err(error) if error.status().is_some_and(|s| s.as_u16() == 409) => {
            return Err(conflict(&context, project, &arguments.title, arguments.version).await);
        }
        Err(error) => return Err(error.into()),
    };
    match saved {
        SavedWikiPage::Created(page) => Ok(json!({
            "project_id": project,
            "created": true,
            "wiki_page": summary(&to_value(&page)?),
        })),
        SavedWikiPage::Updated => {
            // Redmine answers an update with an empty 204; the new version number is what the
            // caller needs for its next edit.
            let page = client.get_wiki_page(project, &arguments.title, &[]).await?;
            Ok(json!({
                "project_id": project,
                "updated": true,
                "changed": changed,
                "wiki_page": summary(&to_value(&page)?),
            }))
        }
    }
}

/// A page without its text: what a write answers with.
fn summary(page: &Value) -> Value {
    let mut page = page.clone();
    if let Value::Object(map) = &mut page {
        map.remove("text");
    }
    page
}

/// The conflict error of a save based on `based_on`, naming the page's current version.
async fn conflict(
    context: &CallContext,
    project: redmine_client::ProjectId,
    title: &str,
    based_on: Option<u32>,
) -> ToolError {
    let based_on =
        based_on.map_or_else(|| "an older version".to_owned(), |v| format!("version {v}"));
    let current = context.client().get_wiki_page(project, title, &[]).await.ok();
    let now = match current {
        Some(page) => {
            let author = page.author.map(|a| format!(" by {}", a.name)).unwrap_or_default();
            format!("it is now at version {}{author}", page.version)
        }
        None => "it has changed".to_owned(),
    };
    ToolError::Conflict(format!(
        "the wiki page {title:?} changed since {based_on}: {now}; read it again with \
         get_wiki_page, merge your changes into its current text and save with that version"
    ))
}

async fn delete(context: CallContext, arguments: DeletePage) -> Result<Value, ToolError> {
    let project = project_id(&context, &arguments.project).await?;
    let children = match arguments.children.unwrap_or(ChildrenArg::MoveToTop) {
        ChildrenArg::MoveToTop => ChildPages::MoveToTop,
        ChildrenArg::Delete => ChildPages::Delete,
    };
    context.client().delete_wiki_page(project, &arguments.title, children).await?;
    Ok(json!({ "project_id": project, "title": arguments.title, "deleted": true }))
}

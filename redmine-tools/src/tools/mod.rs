//! Every tool, one module per Redmine resource.
//!
//! A module exposes `tools()`, the tools it contributes, each a [`ToolSpec`]
//! plus a typed argument struct plus an async handler. The argument structs'
//! doc comments become the schema's descriptions, so they are written for a
//! language model: what the value is, its form, and an example where useful.

mod attachments;
mod files;
mod issue_categories;
mod issue_edits;
mod issue_fields;
mod issues;
mod memberships;
mod news;
mod projects;
mod reference;
mod relations;
mod search;
mod time_entries;
mod users;
mod versions;
mod watchers;
mod wiki;

use redmine_client::Page;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::ToolError;
use crate::tool::Tool;

/// All tools, in the order they are listed to clients.
pub(crate) fn all() -> Vec<Tool> {
    let mut tools = Vec::new();
    tools.extend(issues::tools());
    tools.extend(issue_edits::tools());
    tools.extend(relations::tools());
    tools.extend(watchers::tools());
    tools.extend(issue_categories::tools());
    tools.extend(attachments::tools());
    tools.extend(projects::tools());
    tools.extend(memberships::tools());
    tools.extend(versions::tools());
    tools.extend(time_entries::tools());
    tools.extend(users::tools());
    tools.extend(wiki::tools());
    tools.extend(news::tools());
    tools.extend(files::tools());
    tools.extend(search::tools());
    tools.extend(reference::tools());
    tools
}

/// Serializes a handler's answer; the models are plain data, so this only
/// fails on a bug, which is then reported rather than panicking.
pub(crate) fn to_value(value: &impl Serialize) -> Result<Value, ToolError> {
    serde_json::to_value(value)
        .map_err(|e| ToolError::Unsupported(format!("could not encode the answer: {e}")))
}

/// A page of a Redmine list as a tool answers it: the items under `key` with
/// `total_count`, `offset`, `limit` and, when more remain, `next_offset`.
///
/// The output shaping keys on these members: when it trims the list to fit
/// the budget it moves `next_offset` back so that nothing is skipped.
pub(crate) fn paged<T: Serialize>(key: &str, page: &Page<T>) -> Result<Value, ToolError> {
    let mut answer = Map::new();
    answer.insert(key.to_owned(), to_value(&page.items)?);
    answer.insert("total_count".to_owned(), json!(page.total_count));
    answer.insert("offset".to_owned(), json!(page.offset));
    answer.insert("limit".to_owned(), json!(page.limit));
    if let Some(next) = page.next_offset() {
        answer.insert("next_offset".to_owned(), json!(next));
    }
    Ok(Value::Object(answer))
}

/// A list Redmine hands out whole (trackers, a project's versions): the items
/// under `key` with their `total_count`.
pub(crate) fn whole_list<T: Serialize>(key: &str, items: &[T]) -> Result<Value, ToolError> {
    let mut answer = Map::new();
    answer.insert(key.to_owned(), to_value(&items)?);
    answer.insert("total_count".to_owned(), json!(items.len()));
    Ok(Value::Object(answer))
}

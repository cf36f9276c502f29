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
use serde::ser::SerializeMap as _;
use serde_json::Value;

use crate::error::ToolError;
use crate::output::Answer;
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
pub(crate) fn paged<T: Serialize>(key: &'static str, page: &Page<T>) -> Result<Answer, ToolError> {
    Listing::page(key, page).answer()
}

/// A list Redmine hands out whole (trackers, a project's versions): the items
/// under `key` with their `total_count`.
pub(crate) fn whole_list<T: Serialize>(
    key: &'static str,
    items: &[T],
) -> Result<Answer, ToolError> {
    Listing::whole(key, items).answer()
}

/// One record under `key`: `{"issue": {...}}`.
pub(crate) fn one<T: Serialize>(key: &'static str, record: &T) -> Result<Answer, ToolError> {
    /// A map of one borrowed entry, serialized straight rather than through a `Value`.
    struct One<'a, T>(&'static str, &'a T);

    impl<T: Serialize> Serialize for One<'_, T> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(self.0, self.1)?;
            map.end()
        }
    }

    Answer::serialize(&One(key, record))
}

/// A list answer, serialized straight from the records: the members a tool adds first, then
/// the counts, then the items (so that a reader sees how many there are before the list).
pub(crate) struct Listing<'a, T> {
    key: &'static str,
    items: &'a [T],
    total_count: u64,
    /// `offset`, `limit` and `next_offset` of a page of a paged list.
    paging: Option<(u64, u64, Option<u64>)>,
    extra: Vec<(&'static str, Value)>,
}

impl<'a, T: Serialize> Listing<'a, T> {
    pub(crate) fn page(key: &'static str, page: &'a Page<T>) -> Self {
        Self {
            key,
            items: &page.items,
            total_count: page.total_count,
            paging: Some((page.offset, page.limit, page.next_offset())),
            extra: Vec::new(),
        }
    }

    pub(crate) fn whole(key: &'static str, items: &'a [T]) -> Self {
        Self { key, items, total_count: items.len() as u64, paging: None, extra: Vec::new() }
    }

    /// Adds a member of the tool's own, such as the parent the list belongs to.
    pub(crate) fn with(mut self, key: &'static str, value: Value) -> Self {
        self.extra.push((key, value));
        self
    }

    pub(crate) fn answer(&self) -> Result<Answer, ToolError> {
        Answer::serialize(self)
    }
}

impl<T: Serialize> Serialize for Listing<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("total_count", &self.total_count)?;
        if let Some((offset, limit, next_offset)) = self.paging {
            map.serialize_entry("offset", &offset)?;
            map.serialize_entry("limit", &limit)?;
            if let Some(next) = next_offset {
                map.serialize_entry("next_offset", &next)?;
            }
        }
        map.serialize_entry(self.key, self.items)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::output::shape;

    #[derive(Serialize)]
    struct Record {
        id: u64,
        name: String,
        parent: Option<u64>,
        tags: Vec<String>,
    }

    fn records(count: u64) -> Vec<Record> {
        (0..count)
            .map(|id| Record { id, name: format!("record {id}"), parent: None, tags: vec![] })
            .collect()
    }

    /// The first page of `total` records, `items` long (as `Listing::page` makes of a `Page`).
    fn first_page(items: &[Record], total: u64) -> Listing<'_, Record> {
        let count = items.len() as u64;
        let next = (count < total).then_some(count);
        Listing {
            key: "records",
            items,
            total_count: total,
            paging: Some((0, count, next)),
            extra: Vec::new(),
        }
    }

    #[test]
    fn a_page_is_written_compactly_with_its_counts_first() {
        let records = records(2);
        let answer = first_page(&records, 5).with("project_id", json!(7)).answer();
        let text = shape(answer.unwrap(), 10_000).into_text();
        assert_eq!(
            text,
            r#"{"project_id":7,"total_count":5,"offset":0,"limit":2,"next_offset":2,"records":[{"id":0,"name":"record 0"},{"id":1,"name":"record 1"}]}"#
        );
    }

    #[test]
    fn a_typed_page_over_budget_is_trimmed_without_skipping_records() {
        let records = records(100);
        let output = shape(first_page(&records, 300).answer().unwrap(), 1_000);
        let kept = output.value()["records"].as_array().unwrap().len();
        assert!(kept > 0 && kept < 100, "{kept}");
        assert_eq!(output.value()["next_offset"], kept);
        assert_eq!(output.value()["truncated"]["items"]["omitted"], 100 - kept);
        assert!(output.text().chars().count() <= 1_000);
    }

    #[test]
    fn an_empty_whole_list_keeps_its_count() {
        let output = shape(whole_list::<Record>("records", &[]).unwrap(), 100);
        assert_eq!(output.text(), r#"{"total_count":0}"#);
    }
}

//! Enumerations: the admin-defined value lists Redmine calls by that name, namely issue
//! priorities, time-entry activities and document categories.
//!
//! Redmine's API lists the system-wide values of each; a project can deactivate or override
//! time-entry activities (its `time_entry_activities` include shows what applies there).

use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::{ActivityId, DocumentCategoryId, PriorityId};
use crate::models::CustomFieldValue;
use crate::request::{Body, Route};

/// One value of an enumeration; `T` is its id type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Enumeration<T> {
    /// The value's id.
    pub id: T,
    /// The value's name.
    pub name: String,
    /// Whether new records get this value when none is given.
    #[serde(default)]
    pub is_default: bool,
    /// Whether the value can still be chosen; inactive values stay on existing records.
    #[serde(default = "active_by_default")]
    pub active: bool,
    /// The custom field values of the enumeration value.
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldValue>,
}

/// Redmine 5.0 to 6.1 always send `active`; a value without it is taken to be active, as a new
/// value is.
fn active_by_default() -> bool {
    true
}

/// An issue priority (Low, Normal, High, ...).
pub type IssuePriority = Enumeration<PriorityId>;

/// A time-entry activity (Design, Development, ...).
pub type TimeEntryActivity = Enumeration<ActivityId>;

/// A document category (User documentation, Technical documentation, ...).
pub type DocumentCategory = Enumeration<DocumentCategoryId>;

impl Client {
    /// Every issue priority, lowest first, inactive ones included.
    pub async fn list_issue_priorities(&self) -> Result<Vec<IssuePriority>> {
        let route = Route::get("/enumerations/issue_priorities.json");
        self.send(route, Body::Empty, "issue_priorities").await
    }

    /// Every system-wide time-entry activity, inactive ones included.
    pub async fn list_time_entry_activities(&self) -> Result<Vec<TimeEntryActivity>> {
        let route = Route::get("/enumerations/time_entry_activities.json");
        self.send(route, Body::Empty, "time_entry_activities").await
    }

    /// Every document category, inactive ones included.
    pub async fn list_document_categories(&self) -> Result<Vec<DocumentCategory>> {
        let route = Route::get("/enumerations/document_categories.json");
        self.send(route, Body::Empty, "document_categories").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: for<'de> Deserialize<'de>>(text: &str, key: &str) -> Vec<Enumeration<T>> {
        let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
        serde_json::from_value(value[key].take()).unwrap()
    }

    #[test]
    fn enumeration_fixtures_round_trip() {
        let priorities: Vec<IssuePriority> = decode(
            include_str!("../tests/fixtures/issue_priorities_list.json"),
            "issue_priorities",
        );
        let default: Vec<_> = priorities.iter().filter(|p| p.is_default).collect();
        assert_eq!((default.len(), default[0].id), (1, PriorityId(2)));
        assert!(priorities.iter().all(|p| p.active));
        let again: Vec<IssuePriority> =
            serde_json::from_value(serde_json::to_value(&priorities).unwrap()).unwrap();
        assert_eq!(again, priorities);

        let activities: Vec<TimeEntryActivity> = decode(
            include_str!("../tests/fixtures/time_entry_activities_list.json"),
            "time_entry_activities",
        );
        assert_eq!(activities[1].name, "Development");

        let categories: Vec<DocumentCategory> = decode(
            include_str!("../tests/fixtures/document_categories_list.json"),
            "document_categories",
        );
        assert_eq!(categories[0].id, DocumentCategoryId(6));
    }

    #[test]
    fn a_missing_active_flag_means_active() {
        let value: IssuePriority = serde_json::from_str(r#"{"id":1,"name":"Low"}"#).unwrap();
        assert!(value.active && !value.is_default);
    }
}

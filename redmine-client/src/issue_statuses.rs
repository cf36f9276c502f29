//! Issue statuses: the states an issue moves through, each open or closed.
//!
//! Redmine's API only lists them; which transitions a user may make is the workflow's business
//! and shows up per issue as its allowed statuses.

use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::StatusId;
use crate::request::{Body, Route};

/// An issue status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IssueStatus {
    /// The status's id.
    pub id: StatusId,
    /// The status's name.
    pub name: String,
    /// Whether issues with this status count as closed.
    #[serde(default)]
    pub is_closed: bool,
    /// The description; Redmine 5.0 does not send one.
    pub description: Option<String>,
}

impl Client {
    /// Every issue status, in Redmine's order. Redmine does not paginate this list.
    pub async fn list_issue_statuses(&self) -> Result<Vec<IssueStatus>> {
        let route = Route::get("/issue_statuses.json");
        self.send(route, Body::Empty, "issue_statuses").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct List {
        issue_statuses: Vec<IssueStatus>,
    }

    #[test]
    fn status_fixtures_of_both_versions_decode() {
        let list: List =
            serde_json::from_str(include_str!("../tests/fixtures/issue_statuses_list.json"))
                .unwrap();
        let closed: Vec<_> =
            list.issue_statuses.iter().filter(|s| s.is_closed).map(|s| s.name.as_str()).collect();
        assert_eq!(closed, ["Closed", "Rejected"]);
        let again: Vec<IssueStatus> =
            serde_json::from_value(serde_json::to_value(&list.issue_statuses).unwrap()).unwrap();
        assert_eq!(again, list.issue_statuses);

        let old: List =
            serde_json::from_str(include_str!("../tests/fixtures/issue_statuses_list_50.json"))
                .unwrap();
        assert_eq!(old.issue_statuses.len(), list.issue_statuses.len());
        assert!(old.issue_statuses.iter().all(|s| s.description.is_none()));
    }
}

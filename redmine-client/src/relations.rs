//! Issue relations: "relates to", "blocks", "precedes" and the other links between two issues.
//!
//! Relations are listed and created under their issue (`/issues/{id}/relations.json`) and read
//! and deleted on their own (`/relations/{id}.json`); Redmine has no call to change one.
//! Parent/child links are not relations but an issue's `parent_issue_id`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::{IssueId, RelationId};
use crate::request::{Body, Route};

/// A link between two issues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Relation {
    /// The relation's id.
    pub id: RelationId,
    /// The issue the relation starts from.
    pub issue_id: IssueId,
    /// The issue the relation points to.
    pub issue_to_id: IssueId,
    /// What the link means, read from `issue_id` to `issue_to_id`.
    pub relation_type: RelationType,
    /// For `precedes`/`follows`: the days between the end of one and the start of the other.
    pub delay: Option<i64>,
}

/// What a relation means.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
#[non_exhaustive]
pub enum RelationType {
    /// `relates`: the issues are related.
    Relates,
    /// `duplicates`: this issue duplicates the other; closing the other closes this one.
    Duplicates,
    /// `duplicated`: the other issue duplicates this one.
    Duplicated,
    /// `blocks`: this issue must be closed before the other can be.
    Blocks,
    /// `blocked`: the other issue blocks this one.
    Blocked,
    /// `precedes`: this issue ends before the other starts.
    Precedes,
    /// `follows`: this issue starts after the other ends.
    Follows,
    /// `copied_to`: this issue was copied to the other.
    CopiedTo,
    /// `copied_from`: this issue is a copy of the other.
    CopiedFrom,
    /// A type this crate does not know, as Redmine spelled it (plugins add some).
    Other(String),
}

impl RelationType {
    /// Redmine's name for the type.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Relates => "relates",
            Self::Duplicates => "duplicates",
            Self::Duplicated => "duplicated",
            Self::Blocks => "blocks",
            Self::Blocked => "blocked",
            Self::Precedes => "precedes",
            Self::Follows => "follows",
            Self::CopiedTo => "copied_to",
            Self::CopiedFrom => "copied_from",
            Self::Other(other) => other,
        }
    }
}

impl From<String> for RelationType {
    fn from(name: String) -> Self {
        match name.as_str() {
            "relates" => Self::Relates,
            "duplicates" => Self::Duplicates,
            "duplicated" => Self::Duplicated,
            "blocks" => Self::Blocks,
            "blocked" => Self::Blocked,
            "precedes" => Self::Precedes,
            "follows" => Self::Follows,
            "copied_to" => Self::CopiedTo,
            "copied_from" => Self::CopiedFrom,
            _ => Self::Other(name),
        }
    }
}

impl From<RelationType> for String {
    fn from(kind: RelationType) -> Self {
        match kind {
            RelationType::Other(other) => other,
            known => known.as_str().to_owned(),
        }
    }
}

impl fmt::Display for RelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A relation to create from an issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewRelation {
    issue_to_id: IssueId,
    relation_type: RelationType,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay: Option<i64>,
}

impl NewRelation {
    /// A relation of type `relation_type` pointing to `issue_to_id`.
    pub fn new(issue_to_id: IssueId, relation_type: RelationType) -> Self {
        Self { issue_to_id, relation_type, delay: None }
    }

    setters! {
        /// The delay in days, for `precedes` and `follows`.
        delay => delay: i64;
    }
}

impl Client {
    /// The relations of issue `issue` (all of them; this list is not paginated).
    pub async fn list_relations(&self, issue: IssueId) -> Result<Vec<Relation>> {
        let route = Route::get("/issues/{issue_id}/relations.json").arg(issue);
        self.send(route, Body::Empty, "relations").await
    }

    /// Relation `id`.
    pub async fn get_relation(&self, id: RelationId) -> Result<Relation> {
        let route = Route::get("/relations/{id}.json").arg(id);
        self.send(route, Body::Empty, "relation").await
    }

    /// Links issue `issue` to another; Redmine answers with the relation it created.
    pub async fn create_relation(
        &self,
        issue: IssueId,
        relation: &NewRelation,
    ) -> Result<Relation> {
        let route = Route::post("/issues/{issue_id}/relations.json").arg(issue);
        self.send(route, Body::wrapped("relation", relation)?, "relation").await
    }

    /// Deletes relation `id`.
    pub async fn delete_relation(&self, id: RelationId) -> Result<()> {
        let route = Route::delete("/relations/{id}.json").arg(id);
        self.send_no_content(route, Body::Empty).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_types_round_trip_including_unknown_ones() {
        for name in ["relates", "blocks", "copied_from", "plugin_type"] {
            let kind: RelationType = serde_json::from_str(&format!("\"{name}\"")).unwrap();
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{name}\""));
        }
        assert_eq!(RelationType::from("precedes".to_owned()), RelationType::Precedes);
        assert_eq!(RelationType::CopiedTo.to_string(), "copied_to");
    }
}

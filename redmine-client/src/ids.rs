//! Typed identifiers for Redmine records.
//!
//! Every Redmine record is addressed by a positive integer, and mixing them up (passing a user id
//! where an issue id is expected) is an easy mistake that the server answers with a confusing 404
//! or, worse, with somebody else's data. Each kind of record therefore gets its own newtype.
//!
//! Projects are special: the REST API accepts either the numeric id or the textual identifier
//! (`project-a`), so [`ProjectRef`] carries one or the other.
//!
//! This module owns only the identifier types; the records themselves live beside the resource
//! that returns them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares one `u64` newtype per kind of Redmine record.
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl $name {
            /// The raw number Redmine uses for this record.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for u64 {
            fn from(id: $name) -> u64 {
                id.0
            }
        }
    )*};
}

ids! {
    /// The id of an issue (`/issues/{id}.json`).
    IssueId;
    /// The numeric id of a project; see [`ProjectRef`] for addressing by identifier.
    ProjectId;
    /// The id of a user. Groups share this id space with users (both are principals), so an
    /// issue assigned to a group also carries a `UserId`.
    UserId;
    /// The id of a tracker (Bug, Feature, ...).
    TrackerId;
    /// The id of an issue status.
    StatusId;
    /// The id of an issue priority (an enumeration).
    PriorityId;
    /// The id of a version (a "target version" or milestone).
    VersionId;
    /// The id of an issue category.
    CategoryId;
    /// The id of a journal entry (one change or note in an issue's history).
    JournalId;
    /// The id of a relation between two issues.
    RelationId;
    /// The id of an attachment (also the id of an upload once attached).
    AttachmentId;
    /// The id of a time entry.
    TimeEntryId;
    /// The id of a time-entry activity (an enumeration).
    ActivityId;
    /// The id of a project membership.
    MembershipId;
    /// The id of a group.
    GroupId;
    /// The id of a role.
    RoleId;
    /// The id of a saved query.
    QueryId;
    /// The id of a custom field; filters refer to it as `cf_{id}`.
    CustomFieldId;
    /// The id of a news item.
    NewsId;
    /// The id of a wiki page.
    WikiPageId;
    /// The id of a document category (an enumeration).
    DocumentCategoryId;
    /// The id of a document.
    DocumentId;
    /// The id of a module enabled in a project (one row per project and module).
    EnabledModuleId;
    /// The id of a comment on a news item.
    CommentId;
}

/// A project addressed either by numeric id or by its textual identifier.
///
/// Redmine accepts both wherever a project appears in a path or a filter. Identifiers are
/// percent-encoded when placed in a path, so any string is safe to pass.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProjectRef {
    /// The numeric id, as in `/projects/1.json`.
    Id(ProjectId),
    /// The identifier, as in `/projects/project-a.json`.
    Identifier(String),
}

impl fmt::Display for ProjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => fmt::Display::fmt(id, f),
            Self::Identifier(identifier) => f.write_str(identifier),
        }
    }
}

impl From<ProjectId> for ProjectRef {
    fn from(id: ProjectId) -> Self {
        Self::Id(id)
    }
}

impl From<&str> for ProjectRef {
    fn from(identifier: &str) -> Self {
        Self::Identifier(identifier.to_owned())
    }
}

impl From<String> for ProjectRef {
    fn from(identifier: String) -> Self {
        Self::Identifier(identifier)
    }
}

impl Serialize for ProjectRef {
    /// Ids serialize as numbers and identifiers as strings, which is what Redmine expects in a
    /// request body's `project_id`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Id(id) => id.serialize(serializer),
            Self::Identifier(identifier) => serializer.serialize_str(identifier),
        }
    }
}

/// A user in a filter: a specific user or whoever the credentials belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserRef {
    /// The user the client is authenticated as (Redmine's `me`).
    Me,
    /// A specific user or group.
    Id(UserId),
}

impl fmt::Display for UserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Me => f.write_str("me"),
            Self::Id(id) => fmt::Display::fmt(id, f),
        }
    }
}

impl From<UserId> for UserRef {
    fn from(id: UserId) -> Self {
        Self::Id(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_transparent_numbers() {
        assert_eq!(serde_json::to_string(&IssueId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<UserId>("7").unwrap(), UserId(7));
        assert_eq!(IssueId::from(3).to_string(), "3");
    }

    #[test]
    fn project_ref_serializes_by_kind() {
        assert_eq!(serde_json::to_string(&ProjectRef::from(ProjectId(1))).unwrap(), "1");
        assert_eq!(serde_json::to_string(&ProjectRef::from("project-a")).unwrap(), "\"project-a\"");
        assert_eq!(ProjectRef::from("project-a").to_string(), "project-a");
    }

    #[test]
    fn user_ref_displays_me() {
        assert_eq!(UserRef::Me.to_string(), "me");
        assert_eq!(UserRef::from(UserId(5)).to_string(), "5");
    }
}

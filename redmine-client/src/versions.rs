//! Versions: a project's milestones, which issues target and files can be filed under.
//!
//! Versions are listed and created under their project (`/projects/{project}/versions`) and
//! read, changed and deleted on their own (`/versions/{id}`).

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::{ProjectId, ProjectRef, VersionId};
use crate::models::{Clearable, CustomFieldInput, CustomFieldValue, IdName};
use crate::request::{Body, Route};

/// A version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Version {
    /// The version's id.
    pub id: VersionId,
    /// The project the version belongs to (which may be another project sharing it).
    pub project: Option<IdName<ProjectId>>,
    /// The version's name.
    pub name: String,
    /// The description, empty when unset.
    pub description: Option<String>,
    /// Whether issues can still be assigned to it.
    pub status: VersionStatus,
    /// The due date.
    pub due_date: Option<Date>,
    /// Which other projects may use the version.
    pub sharing: VersionSharing,
    /// The wiki page describing the version.
    pub wiki_page_title: Option<String>,
    /// The estimated hours of its visible issues (on a single version, with "View spent time").
    pub estimated_hours: Option<f64>,
    /// The hours spent on its issues (on a single version, with "View spent time").
    pub spent_hours: Option<f64>,
    /// The version custom field values visible to the user.
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldValue>,
    /// When the version was created.
    pub created_on: Option<Timestamp>,
    /// When the version last changed.
    pub updated_on: Option<Timestamp>,
}

/// Declares an enum of Redmine's string values with a fallback for unknown ones.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value this crate does not know, as Redmine spelled it.
            Other(String),
        }

        impl $name {
            /// Redmine's name for the value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(other) => other,
                }
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                match text.as_str() {
                    $($text => Self::$variant,)*
                    _ => Self::Other(text),
                }
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                match value {
                    $name::Other(other) => other,
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// Whether a version takes new issues.
    VersionStatus {
        /// `open`: issues can be assigned to it.
        Open => "open",
        /// `locked`: its issues stay but no new ones can be assigned.
        Locked => "locked",
        /// `closed`: done; no new issues.
        Closed => "closed",
    }
}

string_enum! {
    /// Which projects besides its own may use a version.
    VersionSharing {
        /// `none`: its own project only.
        None => "none",
        /// `descendants`: its project's subprojects.
        Descendants => "descendants",
        /// `hierarchy`: its project's ancestors and descendants.
        Hierarchy => "hierarchy",
        /// `tree`: every project under the same root project.
        Tree => "tree",
        /// `system`: every project (administrators only).
        System => "system",
    }
}

/// A version to create.
///
/// ```
/// use jiff::civil::date;
/// use redmine_client::versions::{NewVersion, VersionSharing};
///
/// let version = NewVersion::new("2.1")
///     .due_date(date(2026, 9, 30))
///     .sharing(VersionSharing::Descendants);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewVersion {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<VersionStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sharing: Option<VersionSharing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wiki_page_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_project_version: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    custom_fields: Vec<CustomFieldInput>,
}

impl NewVersion {
    /// A version named `name`, unique within its project.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: None,
            status: None,
            due_date: None,
            sharing: None,
            wiki_page_title: None,
            default_project_version: None,
            custom_fields: Vec::new(),
        }
    }

    setters! {
        /// The description.
        description => description: String;
        /// The status; `open` otherwise.
        status => status: VersionStatus;
        /// The due date.
        due_date => due_date: Date;
        /// The sharing; `none` otherwise. A sharing the user may not set is dropped silently.
        sharing => sharing: VersionSharing;
        /// The wiki page describing the version.
        wiki_page_title => wiki_page_title: String;
        /// Whether the version becomes the project's default for new issues.
        default_project_version => default_project_version: bool;
    }

    /// Sets a version custom field; call once per field.
    #[must_use]
    pub fn custom_field(mut self, value: CustomFieldInput) -> Self {
        self.custom_fields.push(value);
        self
    }
}

/// Changes to a version; fields left unset keep their value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct VersionUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<VersionStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<Clearable<Date>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sharing: Option<VersionSharing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wiki_page_title: Option<Clearable<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_project_version: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    custom_fields: Vec<CustomFieldInput>,
}

impl VersionUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Renames the version.
        name => name: String;
        /// Replaces the description.
        description => description: String;
        /// Changes the status.
        status => status: VersionStatus;
        /// Changes the sharing.
        sharing => sharing: VersionSharing;
        /// Makes the version the project's default for new issues, or stops it being that.
        default_project_version => default_project_version: bool;
    }

    clearable_setters! {
        /// Sets the due date.
        due_date, clear_due_date => due_date: Date;
        /// Sets the wiki page describing the version.
        wiki_page_title, clear_wiki_page_title => wiki_page_title: String;
    }

    /// Sets a version custom field; call once per field.
    #[must_use]
    pub fn custom_field(mut self, value: CustomFieldInput) -> Self {
        self.custom_fields.push(value);
        self
    }
}

impl Client {
    /// The versions `project` can use: its own and those shared with it by other projects (all
    /// of them; this list is not paginated).
    pub async fn list_versions(&self, project: impl Into<ProjectRef>) -> Result<Vec<Version>> {
        let route = Route::get("/projects/{project}/versions.json").arg(project.into());
        self.send(route, Body::Empty, "versions").await
    }

    /// Version `id`.
    pub async fn get_version(&self, id: VersionId) -> Result<Version> {
        let route = Route::get("/versions/{id}.json").arg(id);
        self.send(route, Body::Empty, "version").await
    }

    /// Creates a version in `project` ("Manage versions" permission); Redmine answers with the
    /// version it created.
    pub async fn create_version(
        &self,
        project: impl Into<ProjectRef>,
        version: &NewVersion,
    ) -> Result<Version> {
        let route = Route::post("/projects/{project}/versions.json").arg(project.into());
        self.send(route, Body::wrapped("version", version)?, "version").await
    }

    /// Changes version `id`.
    pub async fn update_version(&self, id: VersionId, update: &VersionUpdate) -> Result<()> {
        let route = Route::put("/versions/{id}.json").arg(id);
        self.send_no_content(route, Body::wrapped("version", update)?).await
    }

    /// Deletes version `id`.
    ///
    /// XXX(redmine): a version that issues target or that has files cannot be deleted, and
    /// Redmine says so with a bare 422 without `errors` (an
    /// [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus)).
    pub async fn delete_version(&self, id: VersionId) -> Result<()> {
        let route = Route::delete("/versions/{id}.json").arg(id);
        self.send_no_content(route, Body::Empty).await
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn string_enums_round_trip_including_unknown_ones() {
        for text in ["open", "locked", "closed", "frozen"] {
            let status: VersionStatus = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(status.to_string(), text);
        }
        assert_eq!(VersionSharing::from("tree".to_owned()), VersionSharing::Tree);
        assert_eq!(String::from(VersionSharing::Other("x".into())), "x");
    }

    #[test]
    fn update_clears_due_date_and_wiki_page() {
        let update = VersionUpdate::new()
            .status(VersionStatus::Closed)
            .clear_due_date()
            .clear_wiki_page_title();
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"status": "closed", "due_date": "", "wiki_page_title": ""})
        );

        let update = VersionUpdate::new().due_date(date(2026, 9, 30));
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"due_date": "2026-09-30"})
        );
    }
}

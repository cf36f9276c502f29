//! Project files: the downloads listed under a project's "Files" tab, filed under the project
//! itself or under one of its versions.
//!
//! A file is added in two steps: its content goes to [`Client::upload`], and the token that
//! returns is then filed here. The files are attachments, so reading their content, renaming
//! and deleting them is [`attachments`](crate::attachments)' job.

use serde::{Deserialize, Serialize};

use crate::Client;
use crate::attachments::Attachment;
use crate::error::Result;
use crate::ids::{ProjectRef, VersionId};
use crate::models::IdName;
use crate::request::{Body, Route};
use crate::uploads::Upload;

/// A file of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProjectFile {
    /// The attachment holding the file: id, name, size, author, download URL.
    #[serde(flatten)]
    pub attachment: Attachment,
    /// The version the file is filed under; `None` for a file of the project itself.
    pub version: Option<IdName<VersionId>>,
    /// The SHA-256 digest of the content, in hex.
    pub digest: Option<String>,
    /// How many times the file was downloaded.
    pub downloads: Option<u64>,
}

/// A stored upload to file under a project.
///
/// ```
/// use redmine_client::files::NewProjectFile;
/// use redmine_client::VersionId;
///
/// let file = NewProjectFile::new("8.06611cad6d99d3f3adf1ea2f07af6176")
///     .filename("release-notes.txt")
///     .description("Release notes")
///     .version(VersionId(1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewProjectFile {
    token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_id: Option<VersionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl NewProjectFile {
    /// Files the upload with `token`; the file name defaults to the one given at upload.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            version_id: None,
            filename: None,
            content_type: None,
            description: None,
        }
    }

    setters! {
        /// Files it under this version of the project instead of the project itself.
        version => version_id: VersionId;
        /// The file name.
        filename => filename: String;
        /// The media type, such as `text/plain`; Redmine guesses one otherwise.
        content_type => content_type: String;
        /// The description.
        description => description: String;
    }
}

impl From<&Upload> for NewProjectFile {
    fn from(upload: &Upload) -> Self {
        Self::new(upload.token.clone())
    }
}

impl Client {
    /// The files of `project`, its own first and then those of its versions (all of them; this
    /// list is not paginated).
    pub async fn list_files(&self, project: impl Into<ProjectRef>) -> Result<Vec<ProjectFile>> {
        let route = Route::get("/projects/{project}/files.json").arg(project.into());
        self.send(route, Body::Empty, "files").await
    }

    /// Files an upload under `project` ("Manage files" permission).
    ///
    /// XXX(redmine): the answer is an empty 204, without the file; its attachment id is the
    /// [`Upload::id`] the upload returned. An unknown or already used token answers 404.
    pub async fn add_file(
        &self,
        project: impl Into<ProjectRef>,
        file: &NewProjectFile,
    ) -> Result<()> {
        let route = Route::post("/projects/{project}/files.json").arg(project.into());
        self.send_no_content(route, Body::wrapped("file", file)?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_file_sends_only_what_was_set() {
        let file = NewProjectFile::new("1.abc").version(VersionId(4)).description("Notes");
        assert_eq!(
            serde_json::to_value(&file).unwrap(),
            serde_json::json!({"token": "1.abc", "version_id": 4, "description": "Notes"})
        );
    }
}

//! Uploads: the first half of attaching a file.
//!
//! A file is first sent to `POST /uploads.json`, which answers with a token; the token is then
//! passed in the `uploads` list of the record the file should be attached to (for example
//! [`NewIssue::upload`](crate::issues::NewIssue::upload)). An upload that is never attached is
//! dropped by Redmine after a while. Reading and editing attached files is
//! [`attachments`](crate::attachments)' job.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::AttachmentId;
use crate::request::{Body, Route};

/// A file Redmine has stored and is waiting to attach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Upload {
    /// The id the attachment will have.
    pub id: Option<AttachmentId>,
    /// The token that attaches the file to a record.
    pub token: String,
}

/// A stored upload to attach to a record, with the name and description it should carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UploadRef {
    token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl UploadRef {
    /// Attaches the upload with `token`; the file name defaults to the one given at upload.
    pub fn new(token: impl Into<String>) -> Self {
        Self { token: token.into(), filename: None, content_type: None, description: None }
    }

    setters! {
        /// The attachment's file name.
        filename => filename: String;
        /// The attachment's media type, such as `text/plain`; Redmine guesses one otherwise.
        content_type => content_type: String;
        /// The attachment's description.
        description => description: String;
    }
}

impl From<&Upload> for UploadRef {
    fn from(upload: &Upload) -> Self {
        Self::new(upload.token.clone())
    }
}

impl Client {
    /// Stores `content` as a file named `filename` and returns the token that attaches it.
    ///
    /// Redmine refuses files over its "Maximum attachment size" setting with a 422.
    pub async fn upload(&self, filename: &str, content: impl Into<Bytes>) -> Result<Upload> {
        let route = Route::post("/uploads.json").param("filename", filename);
        self.send(route, Body::Octets(content.into()), "upload").await
    }
}

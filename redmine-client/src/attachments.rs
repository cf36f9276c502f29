//! Attachments: files attached to issues, wiki pages, versions and other records.
//!
//! This module reads an attachment's metadata, downloads its content with a size cap, renames or
//! re-describes it and deletes it. Adding a file is a two-step affair that starts in
//! [`uploads`](crate::uploads).

use bytes::Bytes;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::{AttachmentId, UserId};
use crate::models::IdName;
use crate::request::{Body, Route};

/// A file attached to a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Attachment {
    /// The attachment's id.
    pub id: AttachmentId,
    /// The file name.
    pub filename: String,
    /// The size in bytes.
    #[serde(default)]
    pub filesize: u64,
    /// The media type, such as `text/plain`.
    pub content_type: Option<String>,
    /// The description given at upload.
    pub description: Option<String>,
    /// Where Redmine serves the content. The host is the one Redmine believes it has, which
    /// behind a proxy may not be reachable; [`Client::download_attachment`] does not use it.
    pub content_url: Option<String>,
    /// Where Redmine serves a thumbnail, for images.
    pub thumbnail_url: Option<String>,
    /// Who uploaded the file.
    pub author: Option<IdName<UserId>>,
    /// When the file was uploaded.
    pub created_on: Option<Timestamp>,
}

/// New metadata for an attachment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AttachmentUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl AttachmentUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Renames the file.
        filename => filename: String;
        /// Replaces the description.
        description => description: String;
    }
}

impl Client {
    /// The metadata of attachment `id`.
    pub async fn get_attachment(&self, id: AttachmentId) -> Result<Attachment> {
        let route = Route::get("/attachments/{id}.json").arg(id);
        self.send(route, Body::Empty, "attachment").await
    }

    /// The content of attachment `id`, failing with [`Error::TooLarge`](crate::Error::TooLarge)
    /// as soon as more than `max_bytes` arrive, so that an unexpectedly large file is never held
    /// in memory whole.
    ///
    /// The client's total timeout covers the download; raise it for large files.
    pub async fn download_attachment(&self, id: AttachmentId, max_bytes: u64) -> Result<Bytes> {
        // XXX(redmine): the download is the one call without a `.json` path; Redmine accepts
        // the API key header on it all the same, and answers an anonymous caller who may not
        // see the file with a redirect to the login form (mapped to `Unauthorized`).
        let route = Route::get("/attachments/download/{id}").arg(id);
        self.send_for_bytes(&route, Body::Empty, max_bytes).await
    }

    /// Changes the file name or description of attachment `id`.
    pub async fn update_attachment(
        &self,
        id: AttachmentId,
        update: &AttachmentUpdate,
    ) -> Result<()> {
        let route = Route::patch("/attachments/{id}.json").arg(id);
        self.send_no_content(route, Body::wrapped("attachment", update)?).await
    }

    /// Deletes attachment `id`.
    pub async fn delete_attachment(&self, id: AttachmentId) -> Result<()> {
        let route = Route::delete("/attachments/{id}.json").arg(id);
        self.send_no_content(route, Body::Empty).await
    }
}

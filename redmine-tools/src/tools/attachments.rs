//! Attachments: a file's metadata, the text of a text file (within the
//! configured size cap), uploading a file from base64 content and attaching
//! it to an issue, and deleting a file.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use http::Method;
use redmine_client::issues::IssueUpdate;
use redmine_client::uploads::UploadRef;
use redmine_client::{AttachmentId, IssueId};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::issue_fields::problem;
use super::one;
use super::to_value;
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of the tools that take one attachment.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AttachmentArg {
    /// The attachment's id, as get_issue lists under attachments.
    id: u64,
}

/// Arguments of `upload_attachment`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Upload {
    /// The issue number to attach the file to.
    issue_id: u64,
    /// The file name, e.g. "trace.log".
    #[schemars(length(min = 1, max = 255))]
    filename: String,
    /// The file's content, base64-encoded.
    content_base64: String,
    /// The media type, e.g. "text/plain"; Redmine guesses it from the file name otherwise.
    content_type: Option<String>,
    /// A short description of the file.
    description: Option<String>,
    /// A note to add to the issue's history with the file.
    notes: Option<String>,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "get_attachment",
                title: "Get attachment details",
                description: "Read an attachment's metadata by id: file name, size, media type, \
                              description, author, date and download URL. Use \
                              get_attachment_text for the content of a text file.",
                annotations: Annotations::READ,
                scopes: &["view_issues"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/attachments/{id}",
                    listed: false,
                },
            },
            get,
        ),
        Tool::new(
            ToolSpec {
                name: "get_attachment_text",
                title: "Read a text attachment",
                description: "Read the content of a text attachment (logs, traces, code, CSV, \
                              JSON...) up to the server's size cap. Binary files (images, PDFs, \
                              archives) are refused; get_attachment gives their download URL.",
                annotations: Annotations::READ,
                scopes: &["view_issues"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/attachments/{id}/text",
                    listed: false,
                },
            },
            text,
        ),
        Tool::new(
            ToolSpec {
                name: "upload_attachment",
                title: "Attach a file to an issue",
                description: "Attach a file to an issue from base64 content, with a file name, \
                              optional media type, description and note. Returns the new \
                              attachment with its id.",
                annotations: Annotations::CREATE,
                // Redmine lets either permission attach files to an issue.
                scopes: &["edit_issues", "add_issue_notes"],
                binding: RestBinding {
                    method: Method::POST,
                    path: "/issues/{issue_id}/attachments",
                    listed: false,
                },
            },
            upload,
        ),
        Tool::new(
            ToolSpec {
                name: "delete_attachment",
                title: "Delete an attachment",
                description: "Delete an attached file by its attachment id. Cannot be undone.",
                annotations: Annotations::DELETE,
                scopes: &["edit_issues"],
                binding: RestBinding {
                    method: Method::DELETE,
                    path: "/attachments/{id}",
                    listed: false,
                },
            },
            delete,
        ),
    ]
}

async fn get(context: CallContext, arguments: AttachmentArg) -> Result<Answer, ToolError> {
    let attachment = context.client().get_attachment(AttachmentId(arguments.id)).await?;
    one("attachment", &attachment)
}

async fn text(context: CallContext, arguments: AttachmentArg) -> Result<Value, ToolError> {
    let id = AttachmentId(arguments.id);
    let attachment = context.client().get_attachment(id).await?;
    let content_type = attachment.content_type.as_deref().unwrap_or_default();
    if is_binary_type(content_type) {
        return Err(ToolError::Unsupported(format!(
            "attachment {id} ({}) is {content_type}, not text; get_attachment gives its \
             download URL",
            attachment.filename
        )));
    }

    let cap = context.attachment_text_bytes();
    if attachment.filesize > cap {
        return Err(ToolError::Unsupported(format!(
            "attachment {id} ({}) has {} bytes, more than the {cap} bytes this server returns \
             as text; get_attachment gives its download URL",
            attachment.filename, attachment.filesize
        )));
    }

    let bytes = context.client().download_attachment(id, cap).await?;
    let Some(text) = as_text(&bytes) else {
        return Err(ToolError::Unsupported(format!(
            "attachment {id} ({}) holds binary data, not text; get_attachment gives its \
             download URL",
            attachment.filename
        )));
    };
    Ok(json!({
        "attachment_id": id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "bytes": bytes.len(),
        "text": text,
    }))
}

/// Media types that are never text, whatever their bytes look like.
fn is_binary_type(content_type: &str) -> bool {
    let content_type = content_type.to_lowercase();
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let (kind, subtype) = media.split_once('/').unwrap_or((media, ""));
    match kind {
        "image" if subtype != "svg+xml" => true,
        "audio" | "video" | "font" => true,
        "application" => {
            matches!(
                subtype,
                "pdf"
                    | "zip"
                    | "gzip"
                    | "x-gzip"
                    | "x-tar"
                    | "x-7z-compressed"
                    | "x-rar-compressed"
                    | "vnd.rar"
                    | "msword"
                    | "vnd.ms-excel"
                    | "vnd.ms-powerpoint"
                    | "java-archive"
                    | "x-msdownload"
            ) || subtype.starts_with("vnd.openxmlformats")
                || subtype.starts_with("vnd.oasis.opendocument")
        }
        _ => false,
    }
}

/// `bytes` as text when they look like text: valid UTF-8 (a BOM dropped)
/// without NUL bytes or other control characters than whitespace.
fn as_text(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok()?;
    let binary = text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c'));
    (!binary).then(|| text.to_owned())
}

/// Decodes base64 content as models write it: standard or URL-safe alphabet,
/// padded or not, possibly wrapped over lines or given as a `data:` URL.
fn decode_base64(text: &str) -> Result<Vec<u8>, ToolError> {
    let text = match text.split_once(";base64,") {
        Some((prefix, data)) if prefix.starts_with("data:") => data,
        _ => text,
    };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let unpadded = compact.trim_end_matches('=');
    STANDARD_NO_PAD
        .decode(unpadded)
        .or_else(|error| URL_SAFE_NO_PAD.decode(unpadded).map_err(|_| error))
        .map_err(|error| {
            problem(
                "/content_base64",
                format!("not valid base64 ({error}); send the file's bytes base64-encoded"),
            )
        })
}

async fn upload(context: CallContext, arguments: Upload) -> Result<Value, ToolError> {
    let bytes = decode_base64(&arguments.content_base64)?;
    if bytes.is_empty() {
        return Err(problem("/content_base64", "the file is empty"));
    }

    let issue = IssueId(arguments.issue_id);
    let stored = context.client().upload(&arguments.filename, bytes).await?;
    let mut upload = UploadRef::from(&stored).filename(arguments.filename.clone());
    if let Some(content_type) = arguments.content_type {
        upload = upload.content_type(content_type);
    }
    if let Some(description) = arguments.description {
        upload = upload.description(description);
    }
    let mut update = IssueUpdate::new().upload(upload);
    if let Some(notes) = arguments.notes {
        update = update.notes(notes);
    }
    context.client().update_issue(issue, &update).await?;

    let attachment = match stored.id {
        Some(id) => to_value(&context.client().get_attachment(id).await?)?,
        None => json!({ "filename": arguments.filename }),
    };
    Ok(json!({ "attached": true, "issue_id": issue, "attachment": attachment }))
}

async fn delete(context: CallContext, arguments: AttachmentArg) -> Result<Value, ToolError> {
    context.client().delete_attachment(AttachmentId(arguments.id)).await?;
    Ok(json!({ "deleted": true, "attachment_id": arguments.id }))
}

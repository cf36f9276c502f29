//! Project files: the downloads on a project's "Files" tab; list them and
//! add one from base64 content.
//!
//! Reading a file's content is the attachment tools' job: every project file
//! is an attachment with the same id.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::Method;
use redmine_client::files::NewProjectFile;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::issue_fields::problem;
use super::projects::project_id;
use super::whole_list;
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// The largest file accepted, decoded; Redmine's own limit is usually lower (5 MB by default).
const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// Arguments of `list_project_files`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListFiles {
    /// The project (id, identifier or name).
    project: String,
}

/// Arguments of `add_project_file`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AddFile {
    /// The project (id, identifier or name).
    project: String,
    /// The file name, e.g. "release-notes.txt".
    #[schemars(length(min = 1, max = 255))]
    filename: String,
    /// The file's content, base64-encoded.
    content_base64: String,
    /// The media type, e.g. "text/plain"; guessed from the file name otherwise.
    content_type: Option<String>,
    /// A short description shown next to the file.
    description: Option<String>,
    /// File it under this version of the project (name or id) instead of the project itself.
    version: Option<String>,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "list_project_files",
                title: "List project files",
                description: "List the files on a project's Files tab, its own and those filed \
                              under its versions: id, name, size, description, version, \
                              downloads and content_url. Read one with the attachment tools by \
                              its id.",
                annotations: Annotations::READ,
                scopes: &["view_files"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/projects/{project}/files",
                    listed: false,
                },
            },
            list,
        ),
        Tool::new(
            ToolSpec {
                name: "add_project_file",
                title: "Add a project file",
                description: "Upload a file from base64 content to a project's Files tab, \
                              optionally under one of its versions. Needs manage_files. Returns \
                              the new file's attachment id.",
                annotations: Annotations::CREATE,
                scopes: &["manage_files"],
                binding: RestBinding {
                    method: Method::POST,
                    path: "/projects/{project}/files",
                    listed: false,
                },
            },
            add,
        ),
    ]
}

async fn list(context: CallContext, arguments: ListFiles) -> Result<Answer, ToolError> {
    let project = project_id(&context, &arguments.project).await?;
    let files = context.client().list_files(project).await?;
    whole_list("files", &files)
}

/// Decodes base64 content, tolerating whitespace and line breaks in it.
fn decode_content(text: &str) -> Result<Vec<u8>, ToolError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() / 4 * 3 > MAX_FILE_BYTES {
        return Err(problem(
            "/content_base64",
            format!("the file is larger than {} MB", MAX_FILE_BYTES / 1024 / 1024),
        ));
    }
    STANDARD
        .decode(compact)
        .map_err(|e| problem("/content_base64", format!("not valid base64 ({e})")))
}

async fn add(context: CallContext, arguments: AddFile) -> Result<Value, ToolError> {
    let project = project_id(&context, &arguments.project).await?;
    let bytes = decode_content(&arguments.content_base64)?;
    let version = match &arguments.version {
        Some(version) => Some(context.version_id(project, version).await?),
        None => None,
    };

    let size = bytes.len();
    let upload = context.client().upload(&arguments.filename, bytes).await?;
    let mut file = NewProjectFile::from(&upload).filename(arguments.filename.clone());
    if let Some(content_type) = arguments.content_type {
        file = file.content_type(content_type);
    }
    if let Some(description) = arguments.description {
        file = file.description(description);
    }
    if let Some(version) = version {
        file = file.version(version);
    }
    context.client().add_file(project, &file).await?;

    Ok(json!({
        "file": {
            "id": upload.id,
            "filename": arguments.filename,
            "filesize": size,
            "project_id": project,
            "version_id": version,
        },
        "created": true,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decodes_with_line_breaks_and_rejects_garbage() {
        assert_eq!(decode_content("aGVs\nbG8=").unwrap(), b"hello");
        let error = decode_content("not base64!").unwrap_err();
        assert!(error.to_string().contains("/content_base64"), "{error}");
    }
}

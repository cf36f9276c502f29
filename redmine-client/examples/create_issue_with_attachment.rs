//! Creates an issue with a file attached, reads it back with its attachment, downloads the file
//! again and, unless told to keep it, deletes the issue.
//!
//! ```text
//! REDMINE_URL=... REDMINE_API_KEY=... cargo run -p redmine-client \
//!     --example create_issue_with_attachment -- PROJECT [FILE] [--keep]
//! ```
//!
//! Without FILE a small text file is made up. Deleting the issue needs the "Delete issues"
//! permission; against the harness's Redmine use the admin's key from
//! `cargo xtask redmine env`:
//!
//! ```text
//! REDMINE_URL=http://127.0.0.1:38061 REDMINE_API_KEY=<admin's api_key> \
//!     cargo run -p redmine-client --example create_issue_with_attachment -- project-a
//! ```

mod common;

use std::path::Path;
use std::process::ExitCode;

use redmine_client::issues::{IssueInclude, IssueUpdate, NewIssue};
use redmine_client::uploads::UploadRef;

/// The largest file this example downloads again.
const MAX_DOWNLOAD: u64 = 10 * 1024 * 1024;

#[tokio::main]
async fn main() -> ExitCode {
    common::exit_code(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client_from_env()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep = args.iter().any(|a| a == "--keep");
    let mut positional = args.iter().filter(|a| !a.starts_with("--"));
    let project = positional.next().ok_or("give the project identifier as first argument")?;

    let (filename, content) = match positional.next() {
        Some(path) => {
            let name = Path::new(path).file_name().and_then(|n| n.to_str()).unwrap_or("file");
            (name.to_owned(), std::fs::read(path)?)
        }
        None => ("example.txt".to_owned(), b"Attached by the redmine-client example.\n".to_vec()),
    };

    // Step one: store the bytes and get a token. Step two: attach by token on creation.
    let upload = client.upload(&filename, content.clone()).await?;
    let attachment = UploadRef::from(&upload).description("Uploaded by an example");
    let new = NewIssue::new(project.as_str(), "Issue created by the redmine-client example")
        .description("Created with a file attached; see the attachments.")
        .upload(attachment);
    let issue = client.create_issue(&new).await?;
    println!("created issue #{} in {}", issue.id, issue.project.name);

    let issue = client.get_issue(issue.id, &[IssueInclude::Attachments]).await?;
    for file in issue.attachments.iter().flatten() {
        let bytes = client.download_attachment(file.id, MAX_DOWNLOAD).await?;
        let same = if bytes[..] == content[..] { "same bytes" } else { "DIFFERENT bytes" };
        println!("  attachment #{} {} ({} bytes, {same})", file.id, file.filename, file.filesize);
    }
    client.update_issue(issue.id, &IssueUpdate::new().notes("Checked the attachment.")).await?;

    if keep {
        println!("kept issue #{}", issue.id);
    } else {
        client.delete_issue(issue.id).await?;
        println!("deleted issue #{} again (pass --keep to keep it)", issue.id);
    }
    Ok(())
}

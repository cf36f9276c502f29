//! Lists issues, newest change first, with a few of the list's filters.
//!
//! ```text
//! REDMINE_URL=... REDMINE_API_KEY=... cargo run -p redmine-client --example list_issues -- \
//!     [--project IDENTIFIER] [--mine] [--closed | --all] [--contains TEXT] [--max N]
//! ```
//!
//! Against the harness's Redmine, `cargo xtask redmine env` prints the URL (`base_url`) and each
//! seeded user's `api_key`:
//!
//! ```text
//! REDMINE_URL=http://127.0.0.1:38061 REDMINE_API_KEY=<developer's api_key> \
//!     cargo run -p redmine-client --example list_issues -- --project project-a --mine
//! ```

mod common;

use futures::TryStreamExt;
use redmine_client::UserRef;
use redmine_client::filters::{Sort, TextFilter};
use redmine_client::issues::{Issue, IssueFilter, StatusFilter};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    common::exit_code(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client_from_env()?;

    let mut filter = IssueFilter::new().sort(Sort::desc("updated_on"));
    let mut max = 50;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        filter = match arg.as_str() {
            "--project" => filter.project(value()?),
            "--mine" => filter.assigned_to(UserRef::Me),
            "--closed" => filter.status(StatusFilter::Closed),
            "--all" => filter.status(StatusFilter::All),
            "--contains" => filter.subject(TextFilter::contains(value()?)),
            "--max" => {
                max = value()?.parse()?;
                filter
            }
            other => return Err(format!("unknown argument {other}; see the file's header").into()),
        };
    }

    // The stream fetches pages of 100 until `max` issues have arrived or the list ends.
    let issues: Vec<Issue> = client.stream_issues(&filter, max).try_collect().await?;
    for issue in &issues {
        let status = issue.status.as_ref().map_or("?", |s| s.name.as_str());
        let assignee = issue.assigned_to.as_ref().map_or("nobody", |u| u.name.as_str());
        println!("#{:<6} {:<12} {:<20} {}", issue.id, status, assignee, issue.subject);
    }
    println!("{} issue(s)", issues.len());
    Ok(())
}

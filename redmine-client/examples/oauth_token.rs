//! Checks an OAuth access token: who it acts for, and what it may read.
//!
//! ```text
//! REDMINE_URL=... REDMINE_TOKEN=... cargo run -p redmine-client --example oauth_token
//! ```
//!
//! Redmine (6.1 and later) issues tokens through its Doorkeeper OAuth provider; the harness's
//! Redmine has an application registered, whose `client_id`, `client_secret` and `redirect_uri`
//! `cargo xtask redmine env` prints. The end-to-end tests obtain tokens with
//! `redmine_mcp_tests::OAuthFlow`.
//!
//! Redmine treats an unknown or expired token as the anonymous user instead of refusing it, so
//! the first call here is one that needs a login: it answers 401 for a bad token.

mod common;

use redmine_client::Error;
use redmine_client::issues::{IssueFilter, StatusFilter};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    common::exit_code(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client_from_env()?;

    let me = match client.current_user(&[]).await {
        Ok(me) => me,
        Err(Error::Unauthorized { .. }) => {
            return Err("redmine does not accept these credentials (401): the token is unknown, \
                        expired or revoked"
                .into());
        }
        Err(err) => return Err(err.into()),
    };
    let login = me.login.as_deref().unwrap_or("?");
    println!("the token acts for {} ({login}, user #{})", me.name(), me.id);

    // What the token may do depends on its scopes as well as the user's roles.
    match client.list_issues(&IssueFilter::new().status(StatusFilter::All).limit(1)).await {
        Ok(page) => println!("it can see {} issue(s)", page.total_count),
        Err(err) if err.is_forbidden() => println!("it may not list issues (no view_issues scope)"),
        Err(err) => return Err(err.into()),
    }
    Ok(())
}

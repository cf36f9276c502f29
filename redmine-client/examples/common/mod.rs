//! What the examples share: a client configured from the environment.
//!
//! `REDMINE_URL` is Redmine's root URL. Credentials come from `REDMINE_API_KEY` (sent in the
//! `X-Redmine-API-Key` header) or `REDMINE_TOKEN` (an OAuth access token, sent as
//! `Authorization: Bearer`, Redmine 6.1 and later); with neither, the calls run as the anonymous
//! user.

use std::error::Error;
use std::process::ExitCode;
use std::time::Duration;

use redmine_client::{Client, Credentials};

/// The value of environment variable `name`, if set and not empty.
pub fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// A client for `REDMINE_URL` with the credentials found in the environment.
pub fn client_from_env() -> Result<Client, Box<dyn Error>> {
    let url = var("REDMINE_URL")
        .ok_or("set REDMINE_URL to the Redmine root, such as http://127.0.0.1:38061")?;
    let credentials = match (var("REDMINE_API_KEY"), var("REDMINE_TOKEN")) {
        (Some(key), _) => Credentials::api_key(key),
        (None, Some(token)) => Credentials::bearer(token),
        (None, None) => {
            eprintln!("neither REDMINE_API_KEY nor REDMINE_TOKEN is set: calling as anonymous");
            Credentials::Anonymous
        }
    };

    let client = Client::builder(url)
        .credentials(credentials)
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("redmine-client-examples/", env!("CARGO_PKG_VERSION")))
        .build()?;
    Ok(client)
}

/// Prints `result`'s error, with its causes, and turns it into the process's exit code.
pub fn exit_code(result: Result<(), Box<dyn Error>>) -> ExitCode {
    let Err(err) = result else {
        return ExitCode::SUCCESS;
    };
    eprintln!("error: {err}");
    let mut source = err.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
    ExitCode::FAILURE
}

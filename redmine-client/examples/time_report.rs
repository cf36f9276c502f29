//! Sums the time logged in a project per user and activity over a period.
//!
//! ```text
//! REDMINE_URL=... REDMINE_API_KEY=... cargo run -p redmine-client --example time_report -- \
//!     PROJECT [FROM [TO]]
//! ```
//!
//! FROM and TO are days such as `2026-01-01`; without them the report covers everything. With
//! the harness's Redmine (`cargo xtask redmine env` gives the URL and the admin's key):
//!
//! ```text
//! REDMINE_URL=http://127.0.0.1:38061 REDMINE_API_KEY=<admin's api_key> \
//!     cargo run -p redmine-client --example time_report -- project-a 2026-01-01 2026-01-31
//! ```

mod common;

use std::collections::BTreeMap;
use std::process::ExitCode;

use futures::TryStreamExt;
use jiff::civil::Date;
use redmine_client::time_entries::{TimeEntry, TimeEntryFilter};

/// The most entries the report reads.
const MAX_ENTRIES: usize = 10_000;

#[tokio::main]
async fn main() -> ExitCode {
    common::exit_code(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client_from_env()?;
    let mut args = std::env::args().skip(1);
    let project = args.next().ok_or("give the project identifier as first argument")?;

    let mut filter = TimeEntryFilter::new().project(project.as_str());
    if let Some(from) = args.next() {
        filter = filter.from(from.parse::<Date>()?);
    }
    if let Some(to) = args.next() {
        filter = filter.to(to.parse::<Date>()?);
    }

    let entries: Vec<TimeEntry> =
        client.stream_time_entries(&filter, MAX_ENTRIES).try_collect().await?;
    let mut hours: BTreeMap<(String, String), f64> = BTreeMap::new();
    for entry in &entries {
        let user = entry.user.as_ref().map_or("?", |u| u.name.as_str()).to_owned();
        let activity = entry.activity.as_ref().map_or("?", |a| a.name.as_str()).to_owned();
        *hours.entry((user, activity)).or_default() += entry.hours;
    }

    for ((user, activity), sum) in &hours {
        println!("{user:<24} {activity:<16} {sum:>8.2} h");
    }
    let total: f64 = hours.values().sum();
    println!("{:<41} {total:>8.2} h in {} entries", "total", entries.len());
    Ok(())
}

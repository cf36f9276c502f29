//! A typed async client for [Redmine](https://www.redmine.org)'s REST API (Redmine 5.0 to 6.1).
//!
//! # Overview
//!
//! A [`Client`] talks to one Redmine. It is cheap to clone; clones share one connection pool and
//! may carry different [`Credentials`], so a server can keep one client and derive a clone per
//! caller with [`Client::with_credentials`].
//!
//! Calls are methods on the client named after Redmine's resources (`list_issues`,
//! `get_issue`, `create_relation`, ...). Records are addressed with typed ids ([`IssueId`],
//! [`UserId`], ...) and projects with a [`ProjectRef`] (id or identifier). Lists come back as a
//! [`Page`] or, walking every page, as a [`Stream`](futures::Stream). Every failure is one
//! [`Error`], whose message names the call as method and path template and never carries a
//! credential.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use redmine_client::filters::{DateFilter, Sort, TextFilter};
//! use redmine_client::issues::{IssueFilter, IssueInclude, IssueUpdate, NewIssue, StatusFilter};
//! use redmine_client::{Client, Credentials, StatusId, UserRef};
//!
//! # async fn run() -> redmine_client::Result<()> {
//! let client = Client::builder("https://redmine.example.com")
//!     .credentials(Credentials::api_key("0123456789abcdef0123456789abcdef01234567"))
//!     .timeout(Duration::from_secs(20))
//!     .build()?;
//!
//! // My open issues in project-a updated this week, newest first.
//! let filter = IssueFilter::new()
//!     .project("project-a")
//!     .status(StatusFilter::Open)
//!     .assigned_to(UserRef::Me)
//!     .updated_on(DateFilter::ThisWeek)
//!     .subject(TextFilter::contains("checkout"))
//!     .sort(Sort::desc("updated_on"));
//! let page = client.list_issues(&filter).await?;
//! for issue in &page.items {
//!     println!("#{} {}", issue.id, issue.subject);
//! }
//!
//! // Create, comment, read back with its history.
//! let issue = client.create_issue(&NewIssue::new("project-a", "Checkout times out")).await?;
//! let update = IssueUpdate::new().notes("Reproduced on staging.").status(StatusId(2));
//! client.update_issue(issue.id, &update).await?;
//! let issue = client.get_issue(issue.id, &[IssueInclude::Journals]).await?;
//!
//! // Redmine's validation messages come back with the error.
//! if let Err(err) = client.create_issue(&NewIssue::new("project-a", "")).await {
//!     eprintln!("{err}"); // POST /issues.json: redmine rejected the input (422): Subject ...
//!     assert!(err.is_validation());
//! }
//! # Ok(()) }
//! ```
//!
//! # Credentials
//!
//! API keys travel in the `X-Redmine-API-Key` header, OAuth tokens as `Authorization: Bearer`,
//! logins as HTTP Basic; never in a URL. Header values are marked sensitive, secrets print as
//! `[redacted]` and compare in constant time. Redmine treats unknown credentials as the
//! anonymous user instead of rejecting them, so check them once against an endpoint that needs
//! a login. [`Client::with_switch_user`] lets an administrator act as another user.
//!
//! # Logging
//!
//! Each call runs in a `redmine.request` [`tracing`] span at debug level with the fields
//! `method`, `path` (the template, such as `/issues/{id}.json`), `status` and `latency_ms`.
//! Neither credentials, bodies nor concrete URLs are logged.
//!
//! # Example programs
//!
//! The crate's `examples/` directory holds small programs that read `REDMINE_URL` and either
//! `REDMINE_API_KEY` or `REDMINE_TOKEN` from the environment: `list_issues` (filters and
//! paging), `create_issue_with_attachment` (upload, attach, download, delete),
//! `time_report` (hours per user and activity) and `oauth_token` (whom a token acts for). Run
//! one with `cargo run -p redmine-client --example list_issues -- --project project-a`.
//!
//! # Adding a resource
//!
//! One module per Redmine resource, holding its models, its request bodies and an
//! `impl Client` block whose methods build a `Route` from the path template, fill its
//! placeholders with `Route::arg` (which percent-encodes them) and hand it to one of the
//! client's senders: `send` (one record under a key), `send_page` (a paginated list),
//! `paginate` (every page as a stream) or `send_no_content` (PUT, DELETE). Bodies are wrapped in
//! Redmine's envelope with `Body::wrapped`. Then add a wiremock test with a fixture recorded from
//! a real Redmine and a line to the [`coverage`] ledger.

#![warn(missing_docs)]

#[macro_use]
mod macros;

mod client;
mod credentials;
mod error;
mod ids;
mod page;
mod paging;
mod request;

pub mod coverage;
pub mod filters;
pub mod models;

pub mod attachments;
pub mod custom_fields;
pub mod enumerations;
pub mod files;
pub mod groups;
pub mod issue_categories;
pub mod issue_statuses;
pub mod issues;
pub mod journals;
pub mod memberships;
pub mod my_account;
pub mod news;
pub mod projects;
pub mod queries;
pub mod relations;
pub mod roles;
pub mod search;
pub mod time_entries;
pub mod trackers;
pub mod uploads;
pub mod users;
pub mod versions;
pub mod watchers;
pub mod wiki;

pub use client::{Client, ClientBuilder};
pub use credentials::{ApiKey, BearerToken, Credentials, Password};
pub use error::{Error, Operation, Result};
pub use ids::{
    ActivityId, AttachmentId, CategoryId, CustomFieldId, DocumentCategoryId, DocumentId, GroupId,
    IssueId, JournalId, MembershipId, NewsId, PriorityId, ProjectId, ProjectRef, QueryId,
    RelationId, RoleId, StatusId, TimeEntryId, TrackerId, UserId, UserRef, VersionId, WikiPageId,
};
pub use ids::{CommentId, EnabledModuleId};
pub use page::Page;
pub use paging::Paging;

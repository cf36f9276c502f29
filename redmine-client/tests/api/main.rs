//! HTTP behaviour of every call against a mock Redmine answering with fixtures recorded from a
//! real Redmine 6.1. Each test pins method, path, query, headers and body of the request and
//! checks what the client makes of the answer.

mod support;

mod attachments;
mod credentials;
mod custom_fields;
mod enumerations;
mod errors;
mod files;
mod groups;
mod issue_categories;
mod issue_statuses;
mod issues;
mod journals;
mod memberships;
mod models;
mod news;
mod projects;
mod queries;
mod relations;
mod roles;
mod round_trip;
mod search;
mod time_entries;
mod trackers;
mod uploads;
mod users;
mod versions;
mod watchers;
mod wiki;

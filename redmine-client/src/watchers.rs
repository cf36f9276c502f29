//! Issue watchers: users notified of every change to an issue.
//!
//! Redmine lists watchers only as part of an issue (`get_issue` with
//! [`IssueInclude::Watchers`](crate::issues::IssueInclude::Watchers)); this module adds and
//! removes them. Watchers can also be set when an issue is created, with
//! [`NewIssue::watchers`](crate::issues::NewIssue::watchers).

use serde::Serialize;

use crate::Client;
use crate::error::Result;
use crate::ids::{IssueId, UserId};
use crate::request::{Body, Route};

impl Client {
    /// Makes user `user` watch issue `issue`. Adding a watcher twice is not an error.
    pub async fn add_watcher(&self, issue: IssueId, user: UserId) -> Result<()> {
        #[derive(Serialize)]
        struct NewWatcher {
            user_id: UserId,
        }

        let route = Route::post("/issues/{issue_id}/watchers.json").arg(issue);
        self.send_no_content(route, Body::json(&NewWatcher { user_id: user })?).await
    }

    /// Stops user `user` from watching issue `issue`.
    pub async fn remove_watcher(&self, issue: IssueId, user: UserId) -> Result<()> {
        let route =
            Route::delete("/issues/{issue_id}/watchers/{user_id}.json").arg(issue).arg(user);
        self.send_no_content(route, Body::Empty).await
    }
}

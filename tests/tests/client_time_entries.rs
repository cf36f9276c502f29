//! Time entries through `redmine-client`, against the real Redmine 6.1 (and the read and
//! API-key paths against 5.0).
//!
//! Entries are told apart from everyone else's by a unique comment, which every list filter
//! here is combined with: other tests log time in the same projects at the same moment.

// Hours are sent as exact literals and Redmine rounds them to two decimals, so exact float
// comparison is what these tests mean.
#![allow(clippy::float_cmp)]

mod client_support;

use std::cell::RefCell;

use futures::TryStreamExt;
use jiff::civil::{Date, date};
use redmine_client::filters::{IdFilter, TextFilter};
use redmine_client::time_entries::{NewTimeEntry, TimeEntry, TimeEntryFilter, TimeEntryUpdate};
use redmine_client::{ActivityId, Client, Error, IssueId, ProjectId, TimeEntryId, UserId, UserRef};
use redmine_mcp_tests::HarnessEnv;

use client_support::{client, oauth_client, unique, with_cleanup};

/// Deletes the entries in `ids` as the admin, tolerating those already gone.
async fn delete_entries(admin: &Client, ids: &RefCell<Vec<TimeEntryId>>) {
    let ids = ids.borrow().clone();
    for id in ids {
        match admin.delete_time_entry(id).await {
            Ok(()) | Err(Error::NotFound { .. }) => {}
            Err(err) => eprintln!("could not clean up time entry {id}: {err}"),
        }
    }
}

/// The ids of the entries `filter` finds among those commented with `tag`, sorted.
async fn found(client: &Client, tag: &str, filter: TimeEntryFilter) -> Vec<TimeEntryId> {
    let filter = filter.comments(TextFilter::contains(tag)).limit(100);
    let mut ids: Vec<_> =
        client.list_time_entries(&filter).await.unwrap().items.into_iter().map(|e| e.id).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn time_entry_create_read_update_delete() {
    let env = HarnessEnv::redmine61();
    let dev = client(env, "developer");
    let admin = client(env, "admin");
    let tag = unique("crud");
    let issue = IssueId(env.id("issue_parent"));
    let development = ActivityId(env.id("activity_development"));
    let created: RefCell<Vec<TimeEntryId>> = RefCell::default();

    with_cleanup(
        async {
            let new = NewTimeEntry::on_issue(issue, 1.75)
                .spent_on(date(2026, 4, 2))
                .activity(development)
                .comments(tag.as_str());
            let entry = dev.create_time_entry(&new).await.unwrap();
            created.borrow_mut().push(entry.id);
            assert_eq!(entry.issue.unwrap().id, issue);
            assert_eq!(entry.project.as_ref().unwrap().id, ProjectId(env.project("a").id));
            assert_eq!(entry.user.as_ref().unwrap().id, UserId(env.user("developer").id));
            assert_eq!((entry.hours, entry.spent_on), (1.75, Some(date(2026, 4, 2))));

            let read = dev.get_time_entry(entry.id).await.unwrap();
            assert_eq!(read, entry);
            assert_eq!(found(&dev, &tag, TimeEntryFilter::new()).await, [entry.id]);

            // The seeded Developer role may log time but not edit it, not even its own.
            let update = TimeEntryUpdate::new().hours(2.0);
            let err = dev.update_time_entry(entry.id, &update).await.unwrap_err();
            assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
            let err = dev.delete_time_entry(entry.id).await.unwrap_err();
            assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");

            let update = TimeEntryUpdate::new()
                .hours(2.25)
                .activity(ActivityId(env.id("activity_design")))
                .comments(format!("{tag} changed"))
                .clear_issue();
            admin.update_time_entry(entry.id, &update).await.unwrap();
            let read = dev.get_time_entry(entry.id).await.unwrap();
            assert_eq!(read.hours, 2.25);
            assert_eq!(read.issue, None, "moved to the project itself");
            assert_eq!(read.activity.unwrap().id, ActivityId(env.id("activity_design")));
            assert_eq!(read.comments, Some(format!("{tag} changed")));

            admin.delete_time_entry(entry.id).await.unwrap();
            assert!(dev.get_time_entry(entry.id).await.unwrap_err().is_not_found());
        },
        delete_entries(&admin, &created),
    )
    .await;
}

#[tokio::test]
async fn time_entry_filters_return_only_matching_entries() {
    let env = HarnessEnv::redmine61();
    let admin = client(env, "admin");
    let tag = unique("filters");
    let dev = UserId(env.user("developer").id);
    let issue = IssueId(env.id("issue_parent"));
    let development = ActivityId(env.id("activity_development"));
    let design = ActivityId(env.id("activity_design"));
    let a = env.project("a").identifier.as_str();
    let a_sub = env.project("a_sub").identifier.as_str();
    let created: RefCell<Vec<TimeEntryId>> = RefCell::default();

    with_cleanup(
        async {
            let log = |entry: NewTimeEntry, day: Date, activity: ActivityId| {
                let entry = entry.spent_on(day).activity(activity).comments(tag.as_str());
                let admin = &admin;
                let created = &created;
                async move {
                    let entry = admin.create_time_entry(&entry).await.unwrap();
                    created.borrow_mut().push(entry.id);
                    entry.id
                }
            };
            let on_issue =
                log(NewTimeEntry::on_issue(issue, 1.0).user(dev), date(2026, 3, 1), development)
                    .await;
            let on_project = log(NewTimeEntry::on_project(a, 2.0), date(2026, 3, 5), design).await;
            // The developer has no role in the subproject, so the admin logs its own time there.
            let on_sub =
                log(NewTimeEntry::on_project(a_sub, 3.0), date(2026, 3, 10), development).await;

            let all = found(&admin, &tag, TimeEntryFilter::new()).await;
            assert_eq!(all, [on_issue, on_project, on_sub]);

            let cases = [
                (TimeEntryFilter::new().issue(issue), vec![on_issue]),
                (TimeEntryFilter::new().issue(IdFilter::None), vec![on_project, on_sub]),
                (TimeEntryFilter::new().user(dev), vec![on_issue]),
                (TimeEntryFilter::new().user(UserRef::Me), vec![on_project, on_sub]),
                (TimeEntryFilter::new().activity(development), vec![on_issue, on_sub]),
                (TimeEntryFilter::new().activity(design), vec![on_project]),
                (
                    TimeEntryFilter::new().from(date(2026, 3, 4)).to(date(2026, 3, 6)),
                    vec![on_project],
                ),
                (TimeEntryFilter::new().from(date(2026, 3, 4)), vec![on_project, on_sub]),
                (TimeEntryFilter::new().to(date(2026, 3, 4)), vec![on_issue]),
                (TimeEntryFilter::new().project(a), vec![on_issue, on_project, on_sub]),
                (
                    TimeEntryFilter::new().project(a).subprojects(IdFilter::None),
                    vec![on_issue, on_project],
                ),
                (TimeEntryFilter::new().project(a_sub), vec![on_sub]),
                (TimeEntryFilter::new().extra("hours", ">=2"), vec![on_project, on_sub]),
            ];
            for (filter, expected) in cases {
                assert_eq!(found(&admin, &tag, filter.clone()).await, expected, "{filter:?}");
            }

            let first =
                TimeEntryFilter::new().comments(TextFilter::contains(tag.as_str())).limit(1);
            let page = admin.list_time_entries(&first).await.unwrap();
            assert_eq!((page.items.len(), page.total_count), (1, 3));
            assert_eq!(page.items[0].id, on_sub, "newest day first");
            assert_eq!(page.next_offset(), Some(1));
            let streamed: Vec<TimeEntry> =
                admin.stream_time_entries(&first, 10).try_collect().await.unwrap();
            assert_eq!(streamed.len(), 3);
        },
        delete_entries(&admin, &created),
    )
    .await;
}

#[tokio::test]
async fn developer_cannot_see_time_logged_in_private_project_c() {
    let env = HarnessEnv::redmine61();
    let dev = client(env, "developer");
    let admin = client(env, "admin");
    let secret = TimeEntryId(env.id("time_entry_admin_c"));

    let err = dev.get_time_entry(secret).await.unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. } | Error::NotFound { .. }), "{err:?}");
    let err = dev
        .list_time_entries(&TimeEntryFilter::new().project(env.project("c").identifier.as_str()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");

    let everything: Vec<TimeEntry> =
        dev.stream_time_entries(&TimeEntryFilter::new(), 10_000).try_collect().await.unwrap();
    assert!(everything.iter().all(|e| e.id != secret));
    assert!(everything.iter().any(|e| e.id == TimeEntryId(env.id("time_entry_dev_a"))));

    assert_eq!(admin.get_time_entry(secret).await.unwrap().comments.as_deref(), Some("Secret"));
}

#[tokio::test]
async fn time_entry_validation_errors_come_back() {
    let env = HarnessEnv::redmine61();
    let admin = client(env, "admin");
    let a = env.project("a").identifier.as_str();

    let err = admin.create_time_entry(&NewTimeEntry::on_project(a, -1.0)).await.unwrap_err();

    assert!(err.is_validation(), "{err:?}");
    assert!(err.validation_errors().iter().any(|e| e.starts_with("Hours")), "{err}");
}

#[tokio::test]
async fn oauth_scopes_limit_what_a_token_may_do_with_time_entries() {
    let env = HarnessEnv::redmine61();
    let admin = client(env, "admin");
    let a = env.project("a").identifier.as_str();
    let in_a = TimeEntryFilter::new().project(a);
    let tag = unique("oauth");

    let no_time = oauth_client(env, "developer", &["view_project"]).await;
    let err = no_time.list_time_entries(&in_a).await.unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "without view_time_entries: {err:?}");

    let read_only = oauth_client(env, "developer", &["view_project", "view_time_entries"]).await;
    let page = read_only.list_time_entries(&in_a).await.unwrap();
    assert!(page.total_count >= 1);
    let new = NewTimeEntry::on_project(a, 0.25)
        .activity(ActivityId(env.id("activity_development")))
        .comments(tag.as_str());
    let err = read_only.create_time_entry(&new).await.unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "without log_time: {err:?}");

    let logger =
        oauth_client(env, "developer", &["view_project", "view_time_entries", "log_time"]).await;
    let entry = logger.create_time_entry(&new).await.unwrap();
    admin.delete_time_entry(entry.id).await.unwrap();
    assert_eq!(entry.user.unwrap().id, UserId(env.user("developer").id));
}

#[tokio::test]
async fn redmine_50_reads_and_writes_time_entries_with_an_api_key() {
    let env = HarnessEnv::redmine50();
    let dev = client(env, "developer");
    let admin = client(env, "admin");
    let seeded = TimeEntryId(env.id("time_entry_dev_a"));

    let entry = dev.get_time_entry(seeded).await.unwrap();
    assert_eq!((entry.hours, entry.spent_on), (2.5, Some(date(2026, 1, 10))));
    let mine =
        TimeEntryFilter::new().user(UserRef::Me).from(date(2026, 1, 1)).to(date(2026, 1, 31));
    let page = dev.list_time_entries(&mine).await.unwrap();
    assert!(page.items.iter().any(|e| e.id == seeded));
    assert!(
        page.items
            .iter()
            .all(|e| e.user.as_ref().is_some_and(|u| u.id.get() == env.user("developer").id))
    );
    let err = dev.get_time_entry(TimeEntryId(env.id("time_entry_admin_c"))).await.unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. } | Error::NotFound { .. }), "{err:?}");

    let tag = unique("r50");
    let new = NewTimeEntry::on_project(env.project("a").identifier.as_str(), 0.5)
        .activity(ActivityId(env.id("activity_design")))
        .comments(tag.as_str());
    let created = dev.create_time_entry(&new).await.unwrap();
    let ids = RefCell::new(vec![created.id]);
    with_cleanup(
        async {
            admin.update_time_entry(created.id, &TimeEntryUpdate::new().hours(0.75)).await.unwrap();
            assert_eq!(dev.get_time_entry(created.id).await.unwrap().hours, 0.75);
            assert_eq!(found(&dev, &tag, TimeEntryFilter::new()).await, [created.id]);
        },
        delete_entries(&admin, &ids),
    )
    .await;
}

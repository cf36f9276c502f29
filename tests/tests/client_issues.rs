//! The issue family through `redmine-client` (issues, relations, watchers, journals, issue
//! categories, attachments and uploads), against the real Redmine 6.1 and, for every test that
//! the older release supports, Redmine 5.0.
//!
//! Seeded records are only read. Every test that writes creates its own issues, tagged with a
//! unique text in their description, and deletes them also when it fails. Other tests create
//! issues in the same projects at the same moment, so list assertions never count globally:
//! they check that the expected issues are found and the non-matching ones are not.

mod client_support;

use std::cell::RefCell;
use std::time::Duration;

use futures::TryStreamExt;
use jiff::civil::{Date, date};
use jiff::{Span, Zoned};
use redmine_client::attachments::AttachmentUpdate;
use redmine_client::filters::{DateBound, DateFilter, IdFilter, Sort, TextFilter};
use redmine_client::issue_categories::{IssueCategoryUpdate, NewIssueCategory};
use redmine_client::issues::{
    Issue, IssueFilter, IssueInclude, IssueUpdate, NewIssue, StatusFilter,
};
use redmine_client::journals::{Journal, JournalUpdate};
use redmine_client::models::{CustomFieldInput, CustomValue};
use redmine_client::relations::{NewRelation, RelationType};
use redmine_client::time_entries::NewTimeEntry;
use redmine_client::uploads::UploadRef;
use redmine_client::{
    ActivityId, AttachmentId, CategoryId, Client, Credentials, CustomFieldId, Error, IssueId,
    JournalId, PriorityId, ProjectId, QueryId, RelationId, StatusId, TrackerId, UserId, UserRef,
    VersionId,
};
use redmine_mcp_tests::HarnessEnv;

use client_support::{client, oauth_client, unique, with_cleanup};

/// The content of the seeded attachment `attachment_parent_trace`.
const TRACE: &[u8] = b"GET /checkout 30012 ms\nSELECT * FROM orders WHERE ...\n";

/// Runs each named test body once against Redmine 6.1 and once against Redmine 5.0.
macro_rules! on_both_versions {
    ($($name:ident),* $(,)?) => {
        mod redmine61 {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::HarnessEnv::redmine61()).await;
                }
            )*
        }

        mod redmine50 {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::HarnessEnv::redmine50()).await;
                }
            )*
        }
    };
}

on_both_versions!(
    list_filters_by_project_and_subproject,
    list_filters_by_tracker_status_and_priority,
    list_filters_by_people,
    list_filters_by_category_version_parent_and_custom_field,
    list_filters_by_seeded_dates,
    list_filters_by_own_timestamps_and_text,
    list_with_a_saved_query,
    list_sorts_includes_and_pages,
    list_rejects_a_malformed_filter,
    get_issue_with_each_include,
    issue_create_read_update_delete,
    relations_list_get_create_delete,
    watchers_add_and_remove,
    journal_notes_update,
    issue_categories_create_read_update_delete,
    attachments_metadata_download_update_delete,
    developer_cannot_see_private_project_c,
    outsider_and_anonymous_see_only_public_issues,
    oauth_token_without_write_scopes_is_refused,
);

/// The seeded issues, by their part in the seed.
struct Seeded {
    /// Bug in project A, In Progress, assigned to the developer, category Backend, version 1.0,
    /// Severity High, with journals, a relation, watchers, an attachment and a child.
    parent: IssueId,
    /// Feature in project A by the developer, child of `parent`.
    child: IssueId,
    /// Bug in project A, priority High, Severity Low, 2026-01-05 to 2026-02-01.
    related: IssueId,
    /// Support issue in project A, closed.
    closed: IssueId,
    /// Bug in project A's subproject.
    a_sub: IssueId,
    /// Bug in project B by the reporter.
    b: IssueId,
    /// Bug in private project C.
    c: IssueId,
}

impl Seeded {
    fn of(env: &HarnessEnv) -> Self {
        let id = |key| IssueId(env.id(key));
        Self {
            parent: id("issue_parent"),
            child: id("issue_child"),
            related: id("issue_related"),
            closed: id("issue_closed"),
            a_sub: id("issue_a_sub"),
            b: id("issue_b"),
            c: id("issue_c"),
        }
    }
}

fn user(env: &HarnessEnv, role: &str) -> UserId {
    UserId(env.user(role).id)
}

fn severity(env: &HarnessEnv) -> CustomFieldId {
    CustomFieldId(env.id("custom_field_severity"))
}

/// The ids `filter` finds, lowest first. The seeded issues have the lowest ids, so all of them
/// that match are on this first page however many issues other tests have created.
async fn first_ids(client: &Client, filter: IssueFilter) -> Vec<IssueId> {
    let filter = filter.sort(Sort::asc("id")).limit(100);
    let page = client.list_issues(&filter).await.unwrap_or_else(|e| panic!("{filter:?}: {e}"));
    page.items.into_iter().map(|issue| issue.id).collect()
}

/// The ids `filter` finds among the issues whose description carries `tag`.
async fn tagged_ids(client: &Client, tag: &str, filter: IssueFilter) -> Vec<IssueId> {
    first_ids(client, filter.description(TextFilter::contains(tag))).await
}

/// One list filter and what it must and must not find.
struct Case {
    what: &'static str,
    filter: IssueFilter,
    present: Vec<IssueId>,
    absent: Vec<IssueId>,
}

fn case(what: &'static str, filter: IssueFilter, present: &[IssueId], absent: &[IssueId]) -> Case {
    Case { what, filter, present: present.to_vec(), absent: absent.to_vec() }
}

/// Runs every case as `client`, restricted to the issues tagged `tag` if one is given, and
/// fails with all the cases that went wrong at once.
async fn check(client: &Client, tag: Option<&str>, cases: Vec<Case>) {
    let mut failures = Vec::new();
    for case in cases {
        let found = match tag {
            Some(tag) => tagged_ids(client, tag, case.filter.clone()).await,
            None => first_ids(client, case.filter.clone()).await,
        };
        let missing: Vec<_> = case.present.iter().filter(|id| !found.contains(id)).collect();
        let extra: Vec<_> = case.absent.iter().filter(|id| found.contains(id)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{}: missing {missing:?}, unexpected {extra:?} in {found:?} ({:?})",
                case.what, case.filter
            ));
        }
    }
    assert!(failures.is_empty(), "{} filter(s) wrong:\n{}", failures.len(), failures.join("\n"));
}

/// The issues a test created, all tagged with the test's unique text, deleted at the end
/// whether the test passed or not.
struct Created {
    tag: String,
    ids: RefCell<Vec<IssueId>>,
}

impl Created {
    fn new(tag: &str) -> Self {
        Self { tag: tag.to_owned(), ids: RefCell::default() }
    }

    /// Creates `issue` as `client` and remembers it for clean-up. The issue's description must
    /// carry the tag (see [`tagged_issue`]).
    async fn issue(&self, client: &Client, issue: NewIssue) -> Issue {
        let issue = client.create_issue(&issue).await.unwrap_or_else(|e| panic!("{issue:?}: {e}"));
        assert!(is_tagged(&issue, &self.tag), "untagged issues cannot be cleaned up safely");
        self.ids.borrow_mut().push(issue.id);
        issue
    }

    /// Deletes the issues as the admin, newest first, skipping those already gone (a deleted
    /// parent takes its subtasks with it) and those whose id now belongs to someone else.
    async fn delete_all(&self, admin: &Client) {
        let ids = self.ids.borrow().clone();
        for id in ids.into_iter().rev() {
            match patiently(|| admin.get_issue(id, &[])).await {
                Ok(issue) if is_tagged(&issue, &self.tag) => {}
                Ok(_) | Err(Error::NotFound { .. }) => continue,
                Err(err) => panic!("cleaning up issue {id}: {err}"),
            }
            match patiently(|| admin.delete_issue(id)).await {
                Ok(()) | Err(Error::NotFound { .. }) => {}
                Err(err) => panic!("cleaning up issue {id}: {err}"),
            }
        }
    }
}

/// Runs a clean-up call up to three times while it fails in a way that may pass on retry: a
/// timeout or a 5xx from the shared Redmine, busy with every other test's writes.
async fn patiently<T, F: Future<Output = Result<T, Error>>>(
    call: impl Fn() -> F,
) -> Result<T, Error> {
    let mut attempt = 1;
    loop {
        match call().await {
            Err(err)
                if attempt < 3
                    && (err.is_retryable()
                        || err.status().is_some_and(|s| s.is_server_error())) =>
            {
                attempt += 1;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            answer => return answer,
        }
    }
}

fn is_tagged(issue: &Issue, tag: &str) -> bool {
    issue.description.as_deref().is_some_and(|d| d.contains(tag))
}

/// Asserts that `answer`, to reading a record this test deleted, shows it gone.
///
/// XXX(redmine): the harness's Redmine 5.0 database has most tables without SQLite's
/// AUTOINCREMENT, so the next insert by any test reuses the id of a deleted newest row. A record
/// found under the id is therefore accepted as long as it is not the deleted one (`still_ours`
/// says whether it is). Never write to such an id: it may belong to another test.
fn assert_deleted<T: std::fmt::Debug>(
    answer: Result<T, Error>,
    still_ours: impl FnOnce(&T) -> bool,
) {
    match answer {
        Err(err) => assert!(err.is_not_found(), "{err:?}"),
        Ok(found) => assert!(!still_ours(&found), "not deleted: {found:?}"),
    }
}

/// An issue in project A tagged with `tag` in its description.
fn tagged_issue(tag: &str, subject: &str) -> NewIssue {
    NewIssue::new("project-a", format!("{tag} {subject}")).description(format!("Made by {tag}."))
}

#[track_caller]
fn assert_hidden(err: &Error, what: &str) {
    assert!(matches!(err, Error::Forbidden { .. } | Error::NotFound { .. }), "{what}: {err:?}");
}

async fn list_filters_by_project_and_subproject(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let s = Seeded::of(env);
    let a = ProjectId(env.project("a").id);
    let a_sub = ProjectId(env.project("a_sub").id);
    let all = || IssueFilter::new().status(StatusFilter::All);
    let in_a = [s.parent, s.child, s.related, s.closed];

    check(
        &admin,
        None,
        vec![
            case("project by id", all().project(a), &[s.parent, s.a_sub], &[s.b, s.c]),
            case(
                "project by identifier",
                all().project("project-a"),
                &[s.parent, s.child, s.related, s.closed, s.a_sub],
                &[s.b, s.c],
            ),
            case(
                "without subprojects",
                all().project("project-a").subprojects(IdFilter::None),
                &in_a,
                &[s.a_sub, s.b],
            ),
            case(
                "with one named subproject",
                all().project(a).subprojects(a_sub),
                &[s.parent, s.a_sub],
                &[s.b],
            ),
            case(
                "with every subproject",
                all().project(a).subprojects(IdFilter::Any),
                &[s.parent, s.a_sub],
                &[s.b],
            ),
            case("the subproject itself", all().project("project-a-sub"), &[s.a_sub], &in_a),
            case("another project", all().project("project-b"), &[s.b], &[s.parent, s.a_sub]),
            case("private project for the admin", all().project("project-c"), &[s.c], &[s.b]),
        ],
    )
    .await;

    let err = admin.list_issues(&IssueFilter::new().project("no-such-project")).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

async fn list_filters_by_tracker_status_and_priority(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let s = Seeded::of(env);
    let in_a = || IssueFilter::new().project("project-a").subprojects(IdFilter::None);
    let all = || in_a().status(StatusFilter::All);
    let bug = TrackerId(env.id("tracker_bug"));
    let feature = TrackerId(env.id("tracker_feature"));
    let new = StatusId(env.id("status_new"));
    let in_progress = StatusId(env.id("status_in_progress"));
    let closed = StatusId(env.id("status_closed"));
    let high = PriorityId(env.id("priority_high"));
    let normal = PriorityId(env.id("priority_normal"));

    check(
        &admin,
        None,
        vec![
            case("tracker", all().tracker(feature), &[s.child], &[s.parent, s.closed]),
            case(
                "tracker one of",
                all().tracker(IdFilter::one_of([bug, feature])),
                &[s.parent, s.child, s.related],
                &[s.closed],
            ),
            case(
                "tracker is not",
                all().tracker(IdFilter::IsNot(vec![bug])),
                &[s.child, s.closed],
                &[s.parent, s.related],
            ),
            case("default status is open", in_a(), &[s.parent, s.related], &[s.closed]),
            case(
                "status open",
                in_a().status(StatusFilter::Open),
                &[s.parent, s.child],
                &[s.closed],
            ),
            case("status closed", in_a().status(StatusFilter::Closed), &[s.closed], &[s.parent]),
            case("status any", all(), &[s.parent, s.closed], &[]),
            case("status by id", in_a().status(in_progress), &[s.parent], &[s.related, s.closed]),
            case(
                "status ids",
                in_a().status(StatusFilter::Is(vec![new, closed])),
                &[s.related, s.closed],
                &[s.parent],
            ),
            case(
                "status is not",
                in_a().status(StatusFilter::IsNot(vec![new])),
                &[s.parent, s.closed],
                &[s.related, s.child],
            ),
            case("priority", all().priority(high), &[s.related], &[s.parent, s.child]),
            case(
                "priority is not",
                all().priority(IdFilter::IsNot(vec![high])),
                &[s.parent],
                &[s.related],
            ),
            case(
                "priority one of",
                all().priority(IdFilter::one_of([high, normal])),
                &[s.parent, s.related],
                &[],
            ),
        ],
    )
    .await;
}

async fn list_filters_by_people(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let dev = client(env, "developer");
    let reporter = client(env, "reporter");
    let s = Seeded::of(env);
    let all = || IssueFilter::new().status(StatusFilter::All);
    let in_a = || all().project("project-a").subprojects(IdFilter::None);

    check(
        &dev,
        None,
        vec![
            case(
                "assigned to me",
                all().assigned_to(UserRef::Me),
                &[s.parent, s.child],
                &[s.related, s.b],
            ),
            case("authored by me", all().author(UserRef::Me), &[s.child], &[s.parent]),
            case("watched by me", all().watcher(UserRef::Me), &[s.parent], &[s.related, s.child]),
        ],
    )
    .await;
    check(
        &reporter,
        None,
        vec![
            case("authored by me", all().author(UserRef::Me), &[s.b], &[s.parent, s.child]),
            case("assigned to me", all().assigned_to(UserRef::Me), &[], &[s.parent, s.b]),
        ],
    )
    .await;
    check(
        &admin,
        None,
        vec![
            case(
                "assigned to a user",
                all().assigned_to(user(env, "developer")),
                &[s.parent, s.child],
                &[s.related, s.closed],
            ),
            case(
                "assigned to nobody",
                in_a().assigned_to(IdFilter::None),
                &[s.related, s.closed],
                &[s.parent, s.child],
            ),
            case(
                "assigned to anybody",
                in_a().assigned_to(IdFilter::Any),
                &[s.parent, s.child],
                &[s.related],
            ),
            case("assigned to me (admin)", all().assigned_to(UserRef::Me), &[], &[s.parent]),
            case(
                "author",
                all().author(user(env, "developer")),
                &[s.child],
                &[s.parent, s.related],
            ),
            case(
                "author is not",
                in_a().author(IdFilter::IsNot(vec![UserRef::Id(user(env, "developer"))])),
                &[s.parent, s.related],
                &[s.child],
            ),
            case(
                "watched by a user",
                all().watcher(user(env, "reporter")),
                &[s.parent],
                &[s.related, s.child],
            ),
        ],
    )
    .await;
}

async fn list_filters_by_category_version_parent_and_custom_field(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let s = Seeded::of(env);
    let in_a = || IssueFilter::new().project("project-a").status(StatusFilter::All);
    let backend = CategoryId(env.id("category_a_backend"));
    let frontend = CategoryId(env.id("category_a_frontend"));
    let v1 = VersionId(env.id("version_a_1"));
    let v2 = VersionId(env.id("version_a_2"));
    let severity = severity(env);

    check(
        &admin,
        None,
        vec![
            case("category", in_a().category(backend), &[s.parent], &[s.related, s.child]),
            case("other category", in_a().category(frontend), &[], &[s.parent]),
            case("no category", in_a().category(IdFilter::None), &[s.related], &[s.parent]),
            case("fixed version", in_a().fixed_version(v1), &[s.parent], &[s.related]),
            case("other version", in_a().fixed_version(v2), &[], &[s.parent]),
            case("any version", in_a().fixed_version(IdFilter::Any), &[s.parent], &[s.child]),
            case("parent", in_a().parent(s.parent), &[s.child], &[s.parent, s.related]),
            case("top level", in_a().parent(IdFilter::None), &[s.parent, s.related], &[s.child]),
            case("has a parent", in_a().parent(IdFilter::Any), &[s.child], &[s.parent]),
            case(
                "custom field is",
                in_a().custom_field(severity, TextFilter::is("High")),
                &[s.parent],
                &[s.related, s.child],
            ),
            case(
                "custom field is another",
                in_a().custom_field(severity, TextFilter::is("Low")),
                &[s.related],
                &[s.parent],
            ),
            case(
                "custom field one of",
                in_a().custom_field(severity, TextFilter::Is(vec!["High".into(), "Low".into()])),
                &[s.parent, s.related],
                &[s.child],
            ),
            case(
                "custom field empty",
                in_a().custom_field(severity, TextFilter::None),
                &[s.child, s.closed],
                &[s.parent, s.related],
            ),
            case(
                "ids",
                IssueFilter::new().status(StatusFilter::All).ids([s.parent, s.b]),
                &[s.parent, s.b],
                &[s.related, s.child],
            ),
            case(
                "subject contains",
                in_a().subject(TextFilter::contains("checkout page")),
                &[s.parent],
                &[s.child, s.related],
            ),
            // FIXME: `=` is no operator for Redmine's free-text filters, so an exact subject
            // matches nothing; the client should not offer `TextFilter::Is` for it.
            case(
                "subject is (matches nothing)",
                in_a().subject(TextFilter::is("Checkout page times out under load")),
                &[],
                &[s.parent],
            ),
            case(
                "description contains",
                in_a().description(TextFilter::contains("journals and an attachment")),
                &[s.parent],
                &[s.related],
            ),
            case("any other parameter", in_a().extra("is_private", 0), &[s.parent, s.related], &[]),
        ],
    )
    .await;
}

async fn list_filters_by_seeded_dates(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let s = Seeded::of(env);
    let in_a = || IssueFilter::new().project("project-a").status(StatusFilter::All);
    let closed = admin.get_issue(s.closed, &[]).await.unwrap();
    let closed_on = closed.closed_on.expect("the seeded closed issue has a closing time");
    let created_on = closed.created_on.expect("every issue has a creation time");
    // XXX(redmine): timestamps are shown in whole seconds but stored and compared with their
    // fraction, so `<=` the shown time misses the record itself; one second more finds it.
    let second = Span::new().seconds(1);

    check(
        &admin,
        None,
        vec![
            case(
                "start date between",
                in_a().start_date(DateFilter::between(date(2026, 1, 1), date(2026, 1, 10))),
                &[s.related],
                &[s.parent],
            ),
            case(
                "start date on",
                in_a().start_date(DateFilter::On(date(2026, 1, 5).into())),
                &[s.related],
                &[s.parent],
            ),
            case(
                "start date on or before",
                in_a().start_date(DateFilter::OnOrBefore(date(2026, 1, 5).into())),
                &[s.related],
                &[s.parent],
            ),
            case(
                "start date on or after the next day",
                in_a().start_date(DateFilter::between(date(2026, 1, 6), date(2026, 1, 31))),
                &[],
                &[s.related],
            ),
            case("no start date", in_a().start_date(DateFilter::None), &[s.parent], &[s.related]),
            case(
                "due date on or before",
                in_a().due_date(DateFilter::OnOrBefore(date(2026, 2, 1).into())),
                &[s.related],
                &[s.parent],
            ),
            case(
                "due date on or after",
                in_a().due_date(DateFilter::OnOrAfter(date(2026, 2, 2).into())),
                &[],
                &[s.related],
            ),
            case("any due date", in_a().due_date(DateFilter::Any), &[s.related], &[s.parent]),
            case(
                "due more than a day ago",
                in_a().due_date(DateFilter::MoreThanDaysAgo(1)),
                &[s.related],
                &[s.parent],
            ),
            case("closed at all", in_a().closed_on(DateFilter::Any), &[s.closed], &[s.parent]),
            case(
                "closed between two instants",
                in_a().closed_on(DateFilter::between(closed_on, closed_on + second)),
                &[s.closed],
                &[s.parent],
            ),
            case(
                "never closed",
                in_a().closed_on(DateFilter::None),
                &[s.parent, s.related],
                &[s.closed],
            ),
            case(
                "created up to an instant",
                in_a().created_on(DateFilter::OnOrBefore((created_on + second).into())),
                &[s.parent, s.closed],
                &[],
            ),
            case(
                "created since a day",
                in_a().created_on(DateFilter::OnOrAfter(DateBound::Day(
                    created_on.to_zoned(jiff::tz::TimeZone::UTC).date(),
                ))),
                &[s.closed],
                &[],
            ),
        ],
    )
    .await;
}

async fn list_filters_by_own_timestamps_and_text(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let tag = unique("dates");
    let created = Created::new(&tag);
    let due = Zoned::now().date() + Span::new().days(10);

    with_cleanup(
        async {
            let x = created.issue(&admin, tagged_issue(&tag, "alpha").due_date(due)).await;
            // Timestamps have whole seconds; two seconds apart keeps them apart in any filter.
            tokio::time::sleep(Duration::from_millis(2100)).await;
            let y = created.issue(&admin, tagged_issue(&tag, "beta")).await;
            check(&admin, Some(&tag), creation_and_text_cases(&x, &y, due, &tag)).await;

            tokio::time::sleep(Duration::from_millis(2100)).await;
            let close = IssueUpdate::new()
                .status(StatusId(env.id("status_closed")))
                .notes("Closing to test the closed_on filter.");
            admin.update_issue(x.id, &close).await.unwrap();
            let x = admin.get_issue(x.id, &[]).await.unwrap();
            assert!(x.updated_on > x.created_on, "{x:?}");
            check(&admin, Some(&tag), change_and_closing_cases(&x, &y)).await;
        },
        created.delete_all(&admin),
    )
    .await;
}

/// Filters on creation time, due date and subject that tell `x` from `y`, created two seconds
/// later; `x` is due on `due`, `y` has no due date.
fn creation_and_text_cases(x: &Issue, y: &Issue, due: Date, tag: &str) -> Vec<Case> {
    let (x_created, y_created) = (x.created_on.unwrap(), y.created_on.unwrap());
    let second = Span::new().seconds(1);
    let all = || IssueFilter::new().status(StatusFilter::All);
    let (x, y) = (x.id, y.id);

    vec![
        case(
            "created up to an instant",
            all().created_on(DateFilter::OnOrBefore((x_created + second).into())),
            &[x],
            &[y],
        ),
        case(
            "created since an instant",
            all().created_on(DateFilter::OnOrAfter(y_created.into())),
            &[y],
            &[x],
        ),
        case(
            "created between instants",
            all().created_on(DateFilter::between(x_created, x_created + second)),
            &[x],
            &[y],
        ),
        case("created in the past day", all().created_on(DateFilter::InPastDays(1)), &[x, y], &[]),
        case(
            "created less than two days ago",
            all().created_on(DateFilter::LessThanDaysAgo(2)),
            &[x, y],
            &[],
        ),
        case(
            "created more than two days ago",
            all().created_on(DateFilter::MoreThanDaysAgo(2)),
            &[],
            &[x, y],
        ),
        case("due in the next month", all().due_date(DateFilter::InNextDays(30)), &[x], &[y]),
        case("due in more than a month", all().due_date(DateFilter::InMoreThanDays(30)), &[], &[x]),
        case("due on a day", all().due_date(DateFilter::On(due.into())), &[x], &[y]),
        case("subject contains", all().subject(TextFilter::contains("alpha")), &[x], &[y]),
        case(
            "subject does not contain",
            all().subject(TextFilter::NotContains("alpha".into())),
            &[y],
            &[x],
        ),
        case(
            "subject starts with",
            all().subject(TextFilter::StartsWith(tag.to_owned())),
            &[x, y],
            &[],
        ),
        case("subject ends with", all().subject(TextFilter::EndsWith(" beta".into())), &[y], &[x]),
    ]
}

/// Filters on update and closing time that tell `x`, closed two seconds after `y` was created,
/// from `y`.
fn change_and_closing_cases(x: &Issue, y: &Issue) -> Vec<Case> {
    let (x_updated, x_closed) = (x.updated_on.unwrap(), x.closed_on.unwrap());
    let y_updated = y.updated_on.unwrap();
    let second = Span::new().seconds(1);
    let all = || IssueFilter::new().status(StatusFilter::All);
    let (x, y) = (x.id, y.id);

    vec![
        case(
            "updated since an instant",
            all().updated_on(DateFilter::OnOrAfter(x_updated.into())),
            &[x],
            &[y],
        ),
        case(
            "updated up to an instant",
            all().updated_on(DateFilter::OnOrBefore((y_updated + second).into())),
            &[y],
            &[x],
        ),
        case("updated in the past day", all().updated_on(DateFilter::InPastDays(1)), &[x, y], &[]),
        case(
            "closed since an instant",
            all().closed_on(DateFilter::OnOrAfter(x_closed.into())),
            &[x],
            &[y],
        ),
        case("closed ones", IssueFilter::new().status(StatusFilter::Closed), &[x], &[y]),
        case("open ones", IssueFilter::new(), &[y], &[x]),
    ]
}

async fn list_with_a_saved_query(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let s = Seeded::of(env);
    let open_bugs = QueryId(env.id("query_open_bugs"));

    check(
        &admin,
        None,
        vec![
            case(
                "saved query in its project",
                IssueFilter::new().project("project-a").saved_query(open_bugs),
                &[s.parent, s.related, s.a_sub],
                &[s.child, s.closed, s.b, s.c],
            ),
            case(
                "saved query ignores other filters",
                IssueFilter::new()
                    .project("project-a")
                    .saved_query(open_bugs)
                    .status(StatusFilter::All)
                    .tracker(TrackerId(env.id("tracker_support"))),
                &[s.parent, s.related],
                &[s.child, s.closed],
            ),
        ],
    )
    .await;

    // The query belongs to project A; without the project Redmine does not find it.
    let err = admin.list_issues(&IssueFilter::new().saved_query(open_bugs)).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

async fn list_sorts_includes_and_pages(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let s = Seeded::of(env);
    let three = IssueFilter::new().status(StatusFilter::All).ids([s.related, s.child, s.parent]);
    let sorted = |sort: Sort| {
        let filter = three.clone().sort(sort);
        let admin = &admin;
        async move {
            let page = admin.list_issues(&filter).await.unwrap();
            page.items.into_iter().map(|i| i.id).collect::<Vec<_>>()
        }
    };

    assert_eq!(sorted(Sort::asc("id")).await, [s.parent, s.child, s.related]);
    assert_eq!(sorted(Sort::desc("id")).await, [s.related, s.child, s.parent]);
    assert_eq!(
        sorted(Sort::desc("priority").then_asc("id")).await,
        [s.related, s.parent, s.child],
        "High before Normal, then by id"
    );
    assert_eq!(
        sorted(Sort::asc("tracker").then_desc("id")).await,
        [s.related, s.parent, s.child],
        "Bug before Feature"
    );
    assert_eq!(sorted(Sort::asc("subject")).await, [s.related, s.parent, s.child]);

    let plain = admin.list_issues(&three).await.unwrap();
    assert!(plain.items.iter().all(|i| i.attachments.is_none() && i.relations.is_none()));

    let included = three.clone().include(&[IssueInclude::Attachments, IssueInclude::Relations]);
    let page = admin.list_issues(&included).await.unwrap();
    let parent = page.items.iter().find(|i| i.id == s.parent).unwrap();
    let attachments = parent.attachments.as_ref().expect("attachments included");
    assert!(attachments.iter().any(|a| a.id == AttachmentId(env.id("attachment_parent_trace"))));
    let relations = parent.relations.as_ref().expect("relations included");
    assert!(relations.iter().any(|r| r.id == RelationId(env.id("relation_parent_related"))));
    assert!(parent.journals.is_none() && parent.watchers.is_none(), "not honoured on lists");
    let child = page.items.iter().find(|i| i.id == s.child).unwrap();
    assert_eq!(child.attachments.as_deref(), Some(&[][..]));

    let first = admin.list_issues(&three.clone().sort(Sort::asc("id")).limit(1)).await.unwrap();
    assert_eq!((first.items.len(), first.total_count, first.offset), (1, 3, 0));
    assert_eq!(first.items[0].id, s.parent);
    assert_eq!(first.next_offset(), Some(1));
    let last =
        admin.list_issues(&three.clone().sort(Sort::asc("id")).offset(2).limit(1)).await.unwrap();
    assert_eq!(last.items.iter().map(|i| i.id).collect::<Vec<_>>(), [s.related]);
    assert_eq!(last.next_offset(), None);

    let walk = three.clone().sort(Sort::asc("id")).limit(1);
    let every: Vec<Issue> = admin.stream_issues(&walk, 10).try_collect().await.unwrap();
    assert_eq!(every.iter().map(|i| i.id).collect::<Vec<_>>(), [s.parent, s.child, s.related]);
    let capped: Vec<Issue> = admin.stream_issues(&walk, 2).try_collect().await.unwrap();
    assert_eq!(capped.len(), 2);
    let from_offset: Vec<Issue> =
        admin.stream_issues(&walk.clone().offset(1), 10).try_collect().await.unwrap();
    assert_eq!(from_offset.iter().map(|i| i.id).collect::<Vec<_>>(), [s.child, s.related]);
}

async fn list_rejects_a_malformed_filter(env: &'static HarnessEnv) {
    let admin = client(env, "admin");

    let filter = IssueFilter::new().extra("created_on", "><2026-01-01|someday");
    let err = admin.list_issues(&filter).await.unwrap_err();

    assert!(err.is_validation(), "{err:?}");
    assert!(err.validation_errors().iter().any(|e| e.starts_with("Created")), "{err}");
}

async fn get_issue_with_each_include(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let s = Seeded::of(env);

    let issue = admin.get_issue(s.parent, &IssueInclude::ALL).await.unwrap();

    assert_eq!(issue.subject, "Checkout page times out under load");
    assert_eq!(issue.project.id, ProjectId(env.project("a").id));
    assert_eq!(issue.tracker.as_ref().unwrap().id, TrackerId(env.id("tracker_bug")));
    assert_eq!(issue.status.as_ref().unwrap().id, StatusId(env.id("status_in_progress")));
    assert_eq!(issue.status.as_ref().unwrap().is_closed, Some(false));
    assert_eq!(issue.priority.as_ref().unwrap().id, PriorityId(env.id("priority_normal")));
    assert_eq!(issue.author.as_ref().unwrap().id, user(env, "admin"));
    assert_eq!(issue.assigned_to.as_ref().unwrap().id, user(env, "developer"));
    assert_eq!(issue.category.as_ref().unwrap().id, CategoryId(env.id("category_a_backend")));
    assert_eq!(issue.fixed_version.as_ref().unwrap().id, VersionId(env.id("version_a_1")));
    assert_eq!(issue.parent, None);
    let cf = issue.custom_fields.iter().find(|cf| cf.id == severity(env)).unwrap();
    assert_eq!((cf.name.as_str(), cf.value.first()), ("Severity", Some("High")));

    let children = issue.children.as_ref().unwrap();
    assert_eq!(children.len(), 1, "{children:?}");
    assert_eq!(children[0].id, s.child);
    assert_eq!(children[0].subject, "Profile the checkout query");
    let attachments = issue.attachments.as_ref().unwrap();
    let trace = attachments.iter().find(|a| a.filename == "trace.txt").unwrap();
    assert_eq!(trace.id, AttachmentId(env.id("attachment_parent_trace")));
    assert_eq!(trace.filesize, TRACE.len() as u64);
    let relation = issue.relations.as_ref().unwrap().iter().find(|r| r.issue_to_id == s.related);
    let relation = relation.expect("the seeded relation");
    assert_eq!(relation.id, RelationId(env.id("relation_parent_related")));
    assert_eq!(relation.relation_type, RelationType::Relates);
    assert_eq!(issue.changesets.as_deref(), Some(&[][..]), "no repository is configured");
    let journals = issue.journals.as_ref().unwrap();
    let first = journal(journals, JournalId(env.id("journal_parent_first")));
    assert_eq!(first.note(), Some("First note: reproduced on staging."));
    assert_eq!(first.user.as_ref().unwrap().id, user(env, "admin"));
    assert!(first.details.iter().any(|d| d.property == "attr"
        && d.name == "status_id"
        && d.new_value == Some(env.id("status_in_progress").to_string())));
    let second = journal(journals, JournalId(env.id("journal_parent_second")));
    assert_eq!(second.note(), Some("Second note: the slow query is the order lookup."));
    assert_eq!(second.user.as_ref().unwrap().id, user(env, "developer"));
    let watchers: Vec<_> = issue.watchers.as_ref().unwrap().iter().map(|w| w.id).collect();
    assert!(watchers.contains(&user(env, "developer")), "{watchers:?}");
    assert!(watchers.contains(&user(env, "reporter")), "{watchers:?}");
    let allowed = issue.allowed_statuses.as_ref().unwrap();
    for status in ["status_new", "status_in_progress"] {
        assert!(allowed.iter().any(|st| st.id == StatusId(env.id(status))), "{allowed:?}");
    }

    let plain = admin.get_issue(s.parent, &[]).await.unwrap();
    assert_eq!(included(&plain), [false; 7]);
    for (n, include) in IssueInclude::ALL.into_iter().enumerate() {
        let one = admin.get_issue(s.parent, &[include]).await.unwrap();
        let mut expected = [false; 7];
        expected[n] = true;
        assert_eq!(included(&one), expected, "{include:?} alone");
    }

    let child = admin.get_issue(s.child, &[IssueInclude::Children]).await.unwrap();
    assert_eq!(child.parent.unwrap().id, s.parent);
    // XXX(redmine): a leaf issue has no `children` key even when asked for, so `None` means
    // "no subtasks" as well as "not asked".
    assert_eq!(child.children, None);

    let err = admin.get_issue(IssueId(999_999_999), &[]).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

/// Which of the includes, in [`IssueInclude::ALL`] order, an issue came back with.
fn included(issue: &Issue) -> [bool; 7] {
    [
        issue.children.is_some(),
        issue.attachments.is_some(),
        issue.relations.is_some(),
        issue.changesets.is_some(),
        issue.journals.is_some(),
        issue.watchers.is_some(),
        issue.allowed_statuses.is_some(),
    ]
}

fn journal(journals: &[Journal], id: JournalId) -> &Journal {
    journals.iter().find(|j| j.id == id).unwrap_or_else(|| panic!("no journal {id}"))
}

async fn issue_create_read_update_delete(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let tag = unique("crud");
    let created = Created::new(&tag);

    with_cleanup(
        Box::pin(async {
            let parent = created.issue(&admin, tagged_issue(&tag, "parent")).await;
            let (issue, attachment, report_size) =
                create_with_every_field(env, &created, &tag, parent.id).await;
            update_every_field(env, &tag, issue).await;

            let err = admin.create_issue(&NewIssue::new("project-a", "")).await.unwrap_err();
            assert!(err.is_validation(), "{err:?}");
            assert!(err.validation_errors().contains(&"Subject cannot be blank".into()), "{err}");
            let bad = tagged_issue(&tag, "bad")
                .custom_field(CustomFieldInput::new(severity(env), "Catastrophic"));
            let err = admin.create_issue(&bad).await.unwrap_err();
            assert!(err.validation_errors().iter().any(|e| e.starts_with("Severity")), "{err}");
            let backwards =
                IssueUpdate::new().start_date(date(2026, 4, 1)).due_date(date(2026, 3, 1));
            let err = admin.update_issue(issue, &backwards).await.unwrap_err();
            assert!(err.validation_errors().iter().any(|e| e.starts_with("Due date")), "{err}");

            admin.delete_issue(issue).await.unwrap();
            assert_deleted(admin.get_issue(issue, &[]).await, |i| is_tagged(i, &tag));
            let answer = admin.get_attachment(attachment).await;
            assert_deleted(answer, |a| a.filename == "report.txt" && a.filesize == report_size);
        }),
        created.delete_all(&admin),
    )
    .await;
}

/// Creates, as the admin, a private subtask of `parent` with every field set, a file and two
/// watchers, and checks what Redmine answers and who sees it. Returns the issue and its file.
async fn create_with_every_field(
    env: &HarnessEnv,
    created: &Created,
    tag: &str,
    parent: IssueId,
) -> (IssueId, AttachmentId, u64) {
    let admin = client(env, "admin");
    let content = format!("report of {tag}\n").into_bytes();
    let upload = admin.upload("report.txt", content.clone()).await.unwrap();
    let new = tagged_issue(tag, "child")
        .tracker(TrackerId(env.id("tracker_feature")))
        .priority(PriorityId(env.id("priority_high")))
        .category(CategoryId(env.id("category_a_backend")))
        .fixed_version(VersionId(env.id("version_a_1")))
        .assigned_to(user(env, "developer"))
        .parent(parent)
        .private(true)
        .estimated_hours(3.5)
        .start_date(date(2026, 3, 1))
        .due_date(date(2026, 3, 31))
        .done_ratio(20)
        .custom_field(CustomFieldInput::new(severity(env), "Medium"))
        .watchers([user(env, "developer"), user(env, "reporter")])
        .upload(
            UploadRef::new(upload.token.clone())
                .filename("report.txt")
                .content_type("text/plain")
                .description("The e2e report"),
        );
    let issue = created.issue(&admin, new).await;

    assert_eq!(issue.subject, format!("{tag} child"));
    assert_eq!(issue.project.id, ProjectId(env.project("a").id));
    assert_eq!(issue.tracker.as_ref().unwrap().id, TrackerId(env.id("tracker_feature")));
    assert_eq!(issue.status.as_ref().unwrap().id, StatusId(env.id("status_new")));
    assert_eq!(issue.priority.as_ref().unwrap().id, PriorityId(env.id("priority_high")));
    assert_eq!(issue.author.as_ref().unwrap().id, user(env, "admin"));
    assert_eq!(issue.assigned_to.as_ref().unwrap().id, user(env, "developer"));
    assert_eq!(issue.category.unwrap().id, CategoryId(env.id("category_a_backend")));
    assert_eq!(issue.fixed_version.unwrap().id, VersionId(env.id("version_a_1")));
    assert_eq!(issue.parent.unwrap().id, parent);
    assert_eq!(issue.is_private, Some(true));
    assert_eq!(issue.estimated_hours, Some(3.5));
    assert_eq!(
        (issue.start_date, issue.due_date),
        (Some(date(2026, 3, 1)), Some(date(2026, 3, 31)))
    );
    assert_eq!(issue.done_ratio, Some(20));
    let cf = issue.custom_fields.iter().find(|cf| cf.id == severity(env)).unwrap();
    assert_eq!(cf.value.first(), Some("Medium"));

    let read = admin
        .get_issue(issue.id, &[IssueInclude::Attachments, IssueInclude::Watchers])
        .await
        .unwrap();
    let attachment = &read.attachments.as_ref().unwrap()[0];
    assert_eq!(attachment.filename, "report.txt");
    assert_eq!(attachment.filesize, content.len() as u64);
    assert_eq!(attachment.content_type.as_deref(), Some("text/plain"));
    assert_eq!(attachment.description.as_deref(), Some("The e2e report"));
    if let Some(id) = upload.id {
        assert_eq!(attachment.id, id, "the upload's id is the attachment's");
    }
    let bytes = admin.download_attachment(attachment.id, 1024).await.unwrap();
    assert_eq!(&bytes[..], &content[..]);
    let watchers: Vec<_> = read.watchers.unwrap().iter().map(|w| w.id).collect();
    assert!(watchers.contains(&user(env, "developer")), "{watchers:?}");
    assert!(watchers.contains(&user(env, "reporter")), "{watchers:?}");
    let children = admin.get_issue(parent, &[IssueInclude::Children]).await.unwrap().children;
    assert_eq!(children.unwrap().iter().map(|c| c.id).collect::<Vec<_>>(), [issue.id]);

    // Private: the assignee sees it, a user with no part in it does not.
    let reporter = client(env, "reporter");
    assert_eq!(client(env, "developer").get_issue(issue.id, &[]).await.unwrap().id, issue.id);
    assert_hidden(&reporter.get_issue(issue.id, &[]).await.unwrap_err(), "private");
    let found = tagged_ids(&reporter, tag, IssueFilter::new()).await;
    assert_eq!(found, [parent], "the reporter lists only the public one");

    (issue.id, attachment.id, attachment.filesize)
}

/// Changes or clears every field of `issue` with a public and then a private note, and checks
/// the result as the admin and as the reporter, who may not see private notes.
async fn update_every_field(env: &HarnessEnv, tag: &str, issue: IssueId) {
    let admin = client(env, "admin");
    let update = IssueUpdate::new()
        .subject(format!("{tag} child renamed"))
        .tracker(TrackerId(env.id("tracker_bug")))
        .status(StatusId(env.id("status_in_progress")))
        .priority(PriorityId(env.id("priority_normal")))
        .description(format!("Changed by {tag}."))
        .clear_category()
        .clear_fixed_version()
        .clear_assigned_to()
        .clear_parent()
        .private(false)
        .clear_estimated_hours()
        .start_date(date(2026, 3, 2))
        .clear_due_date()
        .done_ratio(50)
        .custom_field(CustomFieldInput::new(severity(env), "Low"))
        .notes(format!("{tag} public note"));
    admin.update_issue(issue, &update).await.unwrap();
    let private_note = IssueUpdate::new().notes(format!("{tag} private note")).private_notes(true);
    admin.update_issue(issue, &private_note).await.unwrap();

    let read = admin.get_issue(issue, &[IssueInclude::Journals]).await.unwrap();
    assert_eq!(read.subject, format!("{tag} child renamed"));
    assert_eq!(read.tracker.unwrap().id, TrackerId(env.id("tracker_bug")));
    assert_eq!(read.status.unwrap().id, StatusId(env.id("status_in_progress")));
    assert_eq!(read.priority.unwrap().id, PriorityId(env.id("priority_normal")));
    assert_eq!(read.description, Some(format!("Changed by {tag}.")));
    assert_eq!(
        (read.category, read.fixed_version, read.assigned_to, read.parent),
        (None, None, None, None)
    );
    assert_eq!((read.is_private, read.estimated_hours), (Some(false), None));
    assert_eq!((read.start_date, read.due_date), (Some(date(2026, 3, 2)), None));
    assert_eq!(read.done_ratio, Some(50));
    let cf = read.custom_fields.iter().find(|cf| cf.id == severity(env)).unwrap();
    assert_eq!(cf.value, CustomValue::from("Low"));
    let journals = read.journals.unwrap();
    let public = journals.iter().find(|j| j.note() == Some(&format!("{tag} public note")));
    let public = public.expect("the public note");
    assert!(!public.private_notes);
    assert!(public.details.iter().any(|d| d.name == "status_id"), "{public:?}");
    assert!(public.details.iter().any(|d| d.property == "cf"), "{public:?}");
    let private = journals.iter().find(|j| j.note() == Some(&format!("{tag} private note")));
    assert!(private.expect("the private note").private_notes);

    // Now public, the reporter sees the issue but not the private note.
    let seen = client(env, "reporter").get_issue(issue, &[IssueInclude::Journals]).await.unwrap();
    let notes: Vec<_> = seen.journals.unwrap().into_iter().filter_map(|j| j.notes).collect();
    assert!(notes.contains(&format!("{tag} public note")), "{notes:?}");
    assert!(!notes.contains(&format!("{tag} private note")), "{notes:?}");
}

async fn relations_list_get_create_delete(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let s = Seeded::of(env);
    let seeded = RelationId(env.id("relation_parent_related"));
    let tag = unique("relations");
    let created = Created::new(&tag);

    let on_parent = admin.list_relations(s.parent).await.unwrap();
    let relation = on_parent.iter().find(|r| r.id == seeded).expect("the seeded relation");
    assert_eq!((relation.issue_id, relation.issue_to_id), (s.parent, s.related));
    assert!(admin.list_relations(s.related).await.unwrap().iter().any(|r| r.id == seeded));
    assert_eq!(admin.get_relation(seeded).await.unwrap(), *relation);
    assert!(admin.list_relations(s.b).await.unwrap().is_empty());

    with_cleanup(
        async {
            let x = created.issue(&admin, tagged_issue(&tag, "blocker")).await;
            let y = created.issue(&admin, tagged_issue(&tag, "blocked")).await;
            let z = created.issue(&admin, tagged_issue(&tag, "successor")).await;

            let blocks = NewRelation::new(y.id, RelationType::Blocks);
            let relation = admin.create_relation(x.id, &blocks).await.unwrap();
            assert_eq!((relation.issue_id, relation.issue_to_id), (x.id, y.id));
            assert_eq!(
                (relation.relation_type.clone(), relation.delay),
                (RelationType::Blocks, None)
            );
            assert_eq!(admin.get_relation(relation.id).await.unwrap(), relation);
            assert_eq!(admin.list_relations(x.id).await.unwrap(), std::slice::from_ref(&relation));
            assert_eq!(admin.list_relations(y.id).await.unwrap(), std::slice::from_ref(&relation));

            let again = NewRelation::new(y.id, RelationType::Relates);
            let err = admin.create_relation(x.id, &again).await.unwrap_err();
            assert!(err.is_validation(), "one relation per pair of issues: {err:?}");
            let to_self = NewRelation::new(x.id, RelationType::Relates);
            assert!(admin.create_relation(x.id, &to_self).await.unwrap_err().is_validation());

            let precedes = NewRelation::new(z.id, RelationType::Precedes).delay(2);
            let timed = admin.create_relation(y.id, &precedes).await.unwrap();
            assert_eq!(
                (timed.relation_type.clone(), timed.delay),
                (RelationType::Precedes, Some(2))
            );
            let read = admin.get_issue(y.id, &[IssueInclude::Relations]).await.unwrap();
            let mut ids: Vec<_> = read.relations.unwrap().iter().map(|r| r.id).collect();
            ids.sort();
            assert_eq!(ids, [relation.id, timed.id]);

            admin.delete_relation(relation.id).await.unwrap();
            assert!(admin.get_relation(relation.id).await.unwrap_err().is_not_found());
            assert_eq!(admin.list_relations(x.id).await.unwrap(), []);
            assert_eq!(admin.list_relations(y.id).await.unwrap(), [timed]);
            assert!(admin.delete_relation(relation.id).await.unwrap_err().is_not_found());
        },
        created.delete_all(&admin),
    )
    .await;
}

async fn watchers_add_and_remove(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let reporter = user(env, "reporter");
    let tag = unique("watchers");
    let created = Created::new(&tag);

    with_cleanup(
        async {
            let issue = created.issue(&admin, tagged_issue(&tag, "watched")).await;
            let watchers = || {
                let admin = &admin;
                async move {
                    let issue = admin.get_issue(issue.id, &[IssueInclude::Watchers]).await;
                    issue.unwrap().watchers.unwrap().iter().map(|w| w.id).collect::<Vec<_>>()
                }
            };
            // Redmine 6.1 makes the author watch a new issue (a user preference), 5.0 does not.
            let initial = watchers().await;
            assert!(!initial.contains(&reporter), "{initial:?}");
            let with_reporter = [initial.clone(), vec![reporter]].concat();

            admin.add_watcher(issue.id, reporter).await.unwrap();
            assert_eq!(watchers().await, with_reporter);
            admin.add_watcher(issue.id, reporter).await.unwrap();
            assert_eq!(watchers().await, with_reporter, "adding twice is no error, no duplicate");
            let watched = IssueFilter::new().watcher(reporter);
            assert_eq!(tagged_ids(&admin, &tag, watched.clone()).await, [issue.id]);

            admin.remove_watcher(issue.id, reporter).await.unwrap();
            assert_eq!(watchers().await, initial);
            assert_eq!(tagged_ids(&admin, &tag, watched).await, []);

            // XXX(redmine): 5.0 answers 403 for a watcher on a missing issue, 6.1 404.
            let err = admin.add_watcher(IssueId(999_999_999), reporter).await.unwrap_err();
            assert_hidden(&err, "a missing issue");
        },
        created.delete_all(&admin),
    )
    .await;
}

async fn journal_notes_update(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let reporter = client(env, "reporter");
    let tag = unique("journals");
    let created = Created::new(&tag);

    with_cleanup(
        async {
            let issue = created.issue(&admin, tagged_issue(&tag, "commented")).await;
            let note = format!("{tag} original");
            admin.update_issue(issue.id, &IssueUpdate::new().notes(note.as_str())).await.unwrap();
            let journals = |client: &Client| {
                let client = client.clone();
                async move {
                    let issue = client.get_issue(issue.id, &[IssueInclude::Journals]).await;
                    issue.unwrap().journals.unwrap()
                }
            };
            let id = journals(&admin).await.iter().find(|j| j.note() == Some(&note)).unwrap().id;

            admin.update_journal(id, &JournalUpdate::new(format!("{tag} edited"))).await.unwrap();
            let edited = journals(&admin).await.into_iter().find(|j| j.id == id).unwrap();
            assert_eq!(edited.notes, Some(format!("{tag} edited")));
            assert!(!edited.private_notes);
            if env.version_at_least(5, 1) {
                assert_eq!(edited.updated_by.unwrap().id, user(env, "admin"));
                assert!(edited.updated_on.is_some());
            } else {
                println!(
                    "not checking who edited the note on Redmine {}: journals carry \
                     updated_on and updated_by since 5.1",
                    env.version
                );
                assert_eq!(edited.updated_by, None);
            }

            let private = JournalUpdate::new(format!("{tag} private")).private_notes(true);
            admin.update_journal(id, &private).await.unwrap();
            let made_private = journals(&admin).await.into_iter().find(|j| j.id == id).unwrap();
            assert!(made_private.private_notes);
            assert!(journals(&reporter).await.iter().all(|j| j.id != id), "hidden from reporter");

            let err = reporter.update_journal(id, &JournalUpdate::new("hijacked")).await;
            assert_hidden(&err.unwrap_err(), "the reporter may not edit the admin's note");

            // Emptying the note of an entry without field changes removes it from the history.
            admin.update_journal(id, &JournalUpdate::new("")).await.unwrap();
            assert!(journals(&admin).await.iter().all(|j| j.id != id));
            if env.version_at_least(5, 1) {
                // The entry is kept (to remember who emptied it) and only hidden while empty.
                let refill = JournalUpdate::new(format!("{tag} again"));
                admin.update_journal(id, &refill).await.unwrap();
                let back = journals(&admin).await.into_iter().find(|j| j.id == id).unwrap();
                assert_eq!(back.notes, Some(format!("{tag} again")));
            } else {
                // The id is free again and may be reused by any test: never write to it.
                println!(
                    "Redmine {} deletes an emptied entry instead of keeping it hidden",
                    env.version
                );
            }
        },
        created.delete_all(&admin),
    )
    .await;
}

async fn issue_categories_create_read_update_delete(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let dev = client(env, "developer");
    let backend = CategoryId(env.id("category_a_backend"));
    let frontend = CategoryId(env.id("category_a_frontend"));
    let a = ProjectId(env.project("a").id);
    let tag = unique("categories");
    let created = Created::new(&tag);
    let categories: RefCell<Vec<CategoryId>> = RefCell::default();

    let listed = admin.list_issue_categories("project-a").await.unwrap();
    let seeded = listed.iter().find(|c| c.id == backend).expect("Backend is listed");
    assert_eq!(seeded.name, "Backend");
    assert_eq!(seeded.project.as_ref().unwrap().id, a);
    assert_eq!(seeded.assigned_to.as_ref().unwrap().id, user(env, "developer"));
    assert!(listed.iter().any(|c| c.id == frontend && c.assigned_to.is_none()));
    assert_eq!(admin.get_issue_category(backend).await.unwrap(), *seeded);
    assert!(
        admin.list_issue_categories("project-b").await.unwrap().iter().all(|c| c.id != backend)
    );

    with_cleanup(
        async {
            let new =
                NewIssueCategory::new(format!("{tag} one")).assigned_to(user(env, "developer"));
            let one = admin.create_issue_category("project-a", &new).await.unwrap();
            categories.borrow_mut().push(one.id);
            let two = NewIssueCategory::new(format!("{tag} two"));
            let two = admin.create_issue_category(a, &two).await.unwrap();
            categories.borrow_mut().push(two.id);
            assert_eq!(one.name, format!("{tag} one"));
            assert_eq!(one.assigned_to.as_ref().unwrap().id, user(env, "developer"));
            let listed = admin.list_issue_categories(a).await.unwrap();
            assert!(listed.contains(&one) && listed.contains(&two));

            let update =
                IssueCategoryUpdate::new().name(format!("{tag} renamed")).clear_assigned_to();
            admin.update_issue_category(one.id, &update).await.unwrap();
            let read = admin.get_issue_category(one.id).await.unwrap();
            assert_eq!((read.name.as_str(), read.assigned_to), (&*format!("{tag} renamed"), None));
            let update = IssueCategoryUpdate::new().assigned_to(user(env, "developer"));
            admin.update_issue_category(two.id, &update).await.unwrap();
            let read = admin.get_issue_category(two.id).await.unwrap();
            assert_eq!(read.assigned_to.unwrap().id, user(env, "developer"));

            let duplicate = NewIssueCategory::new("Backend");
            let err = admin.create_issue_category("project-a", &duplicate).await.unwrap_err();
            assert!(err.is_validation(), "{err:?}");
            let outsider = client(env, "outsider");
            let new = NewIssueCategory::new(&tag);
            let err = outsider.create_issue_category("project-a", &new).await.unwrap_err();
            assert!(err.is_forbidden(), "non-members may not add categories: {err:?}");
            // An empty update, so that a wrongly allowed call changes nothing.
            let err = outsider.update_issue_category(backend, &IssueCategoryUpdate::new()).await;
            assert!(err.unwrap_err().is_forbidden(), "non-members may not change categories");
            match dev.create_issue_category("project-c", &NewIssueCategory::new(&tag)).await {
                Err(err) => assert_hidden(&err, "the developer has no role in project C"),
                Ok(made) => {
                    categories.borrow_mut().push(made.id);
                    panic!("the developer added a category to private project C");
                }
            }

            let issue =
                created.issue(&admin, tagged_issue(&tag, "categorised").category(one.id)).await;
            admin.delete_issue_category(one.id, Some(two.id)).await.unwrap();
            let renamed = format!("{tag} renamed");
            assert_deleted(admin.get_issue_category(one.id).await, |c| c.name == renamed);
            let moved = admin.get_issue(issue.id, &[]).await.unwrap();
            assert_eq!(moved.category.unwrap().id, two.id, "reassigned on delete");

            admin.delete_issue_category(two.id, None).await.unwrap();
            assert_eq!(admin.get_issue(issue.id, &[]).await.unwrap().category, None);
            assert!(admin.list_issue_categories(a).await.unwrap().iter().all(|c| c.id != two.id));
        },
        async {
            created.delete_all(&admin).await;
            let ids = categories.borrow().clone();
            for id in ids {
                // Only categories still carrying the tag: on 5.0 a freed id may be reused.
                match patiently(|| admin.get_issue_category(id)).await {
                    Ok(category) if category.name.contains(&tag) => {}
                    Ok(_) | Err(Error::NotFound { .. }) => continue,
                    Err(err) => panic!("cleaning up category {id}: {err}"),
                }
                match patiently(|| admin.delete_issue_category(id, None)).await {
                    Ok(()) | Err(Error::NotFound { .. }) => {}
                    Err(err) => panic!("cleaning up category {id}: {err}"),
                }
            }
        },
    )
    .await;
}

async fn attachments_metadata_download_update_delete(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let dev = client(env, "developer");
    let trace = AttachmentId(env.id("attachment_parent_trace"));
    let tag = unique("attachments");
    let created = Created::new(&tag);

    let meta = dev.get_attachment(trace).await.unwrap();
    assert_eq!(meta.filename, "trace.txt");
    assert_eq!(meta.filesize, TRACE.len() as u64);
    assert_eq!(meta.content_type.as_deref(), Some("text/plain"));
    assert_eq!(meta.description.as_deref(), Some("Slow request trace"));
    assert_eq!(meta.author.as_ref().unwrap().id, user(env, "admin"));
    assert!(meta.content_url.as_deref().is_some_and(|u| u.contains("/attachments/download/")));
    assert_eq!(&dev.download_attachment(trace, 1 << 20).await.unwrap()[..], TRACE);
    let exact = u64::try_from(TRACE.len()).unwrap();
    assert_eq!(&dev.download_attachment(trace, exact).await.unwrap()[..], TRACE);
    match dev.download_attachment(trace, exact - 1).await {
        Err(Error::TooLarge { limit, op }) => {
            assert_eq!(limit, exact - 1);
            assert_eq!(op.template(), "/attachments/download/{id}");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    let err = admin.get_attachment(AttachmentId(999_999_999)).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");

    with_cleanup(
        async {
            let first = b"first file\n".to_vec();
            let upload = admin.upload("first.txt", first.clone()).await.unwrap();
            assert!(!upload.token.is_empty());
            let issue = tagged_issue(&tag, "with files").upload(&upload);
            let issue = created.issue(&admin, issue).await;

            // Attached on update, named at upload and typed by Redmine.
            let second = vec![0_u8, 1, 2, 3, 255];
            let upload = dev.upload("second.bin", second.clone()).await.unwrap();
            let update = IssueUpdate::new()
                .upload(UploadRef::from(&upload).description("Binary"))
                .notes("Adding a file.");
            dev.update_issue(issue.id, &update).await.unwrap();

            let read = admin.get_issue(issue.id, &[IssueInclude::Attachments]).await.unwrap();
            let attachments = read.attachments.unwrap();
            let names: Vec<_> = attachments.iter().map(|a| a.filename.as_str()).collect();
            assert_eq!(names, ["first.txt", "second.bin"]);
            let (one, two) = (attachments[0].id, attachments[1].id);
            assert_eq!(attachments[1].author.as_ref().unwrap().id, user(env, "developer"));
            assert_eq!(attachments[1].description.as_deref(), Some("Binary"));
            assert_eq!(&admin.download_attachment(one, 100).await.unwrap()[..], &first[..]);
            assert_eq!(&admin.download_attachment(two, 100).await.unwrap()[..], &second[..]);

            let update = AttachmentUpdate::new().filename("renamed.txt").description("Renamed");
            admin.update_attachment(one, &update).await.unwrap();
            let renamed = admin.get_attachment(one).await.unwrap();
            assert_eq!(renamed.filename, "renamed.txt");
            assert_eq!(renamed.description.as_deref(), Some("Renamed"));
            assert_eq!(renamed.filesize, first.len() as u64);
            assert_eq!(&admin.download_attachment(one, 100).await.unwrap()[..], &first[..]);

            admin.delete_attachment(one).await.unwrap();
            assert_deleted(admin.get_attachment(one).await, |a| a.filename == "renamed.txt");
            let read = admin.get_issue(issue.id, &[IssueInclude::Attachments]).await.unwrap();
            let left: Vec<_> = read.attachments.unwrap().iter().map(|a| a.id).collect();
            assert_eq!(left, [two]);
        },
        created.delete_all(&admin),
    )
    .await;
}

async fn developer_cannot_see_private_project_c(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let dev = client(env, "developer");
    let s = Seeded::of(env);

    assert_hidden(&dev.get_issue(s.c, &[]).await.unwrap_err(), "get issue_c");
    let err = dev.list_issues(&IssueFilter::new().project("project-c")).await.unwrap_err();
    assert_hidden(&err, "list project C");
    let err = dev.list_relations(s.c).await.unwrap_err();
    assert_hidden(&err, "relations of issue_c");
    let err = dev.list_issue_categories("project-c").await.unwrap_err();
    assert_hidden(&err, "categories of project C");
    let err = dev.create_issue(&NewIssue::new("project-c", "Should not exist")).await.unwrap_err();
    assert!(err.is_validation(), "an invisible project reads as no project: {err:?}");
    check(
        &dev,
        None,
        vec![
            case(
                "every issue",
                IssueFilter::new().status(StatusFilter::All).ids([s.parent, s.b, s.c]),
                &[s.parent, s.b],
                &[s.c],
            ),
            case(
                "by subject",
                IssueFilter::new().subject(TextFilter::contains("confidential")),
                &[],
                &[s.c],
            ),
        ],
    )
    .await;

    let issue = admin.get_issue(s.c, &[]).await.unwrap();
    assert_eq!(issue.subject, "Confidential issue in project C");
    assert_eq!(issue.project.id, ProjectId(env.project("c").id));
}

async fn outsider_and_anonymous_see_only_public_issues(env: &'static HarnessEnv) {
    let admin = client(env, "admin");
    let outsider = client(env, "outsider");
    let anonymous = Client::builder(env.base_url.as_str()).build().unwrap();
    assert!(matches!(anonymous.credentials(), Credentials::Anonymous));
    let s = Seeded::of(env);
    let tag = unique("outsider");
    let created = Created::new(&tag);
    let everything =
        IssueFilter::new().status(StatusFilter::All).ids([s.parent, s.a_sub, s.b, s.c]);

    for (who, client) in [("outsider", &outsider), ("anonymous", &anonymous)] {
        let found = first_ids(client, everything.clone()).await;
        assert_eq!(found, [s.parent, s.a_sub, s.b], "{who}");
        let issue = client.get_issue(s.parent, &[IssueInclude::Attachments]).await.unwrap();
        assert_eq!(issue.attachments.unwrap().len(), 1, "{who}");
        let bytes =
            client.download_attachment(AttachmentId(env.id("attachment_parent_trace")), 1024);
        assert_eq!(&bytes.await.unwrap()[..], TRACE, "{who}");
    }
    assert_hidden(&outsider.get_issue(s.c, &[]).await.unwrap_err(), "outsider on issue_c");
    match anonymous.get_issue(s.c, &[]).await.unwrap_err() {
        Error::Unauthorized { challenge, .. } => {
            assert_eq!(challenge.as_deref(), Some(r#"Basic realm="Redmine API""#));
        }
        other => panic!("anonymous on issue_c: {other:?}"),
    }
    let err = anonymous.list_issues(&IssueFilter::new().project("project-c")).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");

    with_cleanup(
        async {
            let issue = created.issue(&admin, tagged_issue(&tag, "not theirs")).await;
            assert_hidden(&outsider.delete_issue(issue.id).await.unwrap_err(), "outsider delete");
            assert!(anonymous.delete_issue(issue.id).await.unwrap_err().is_unauthorized());
            let err = anonymous.create_issue(&tagged_issue(&tag, "anonymous")).await.unwrap_err();
            assert!(err.is_unauthorized() || err.is_forbidden(), "{err:?}");
            let private = created.issue(&admin, tagged_issue(&tag, "private").private(true)).await;
            assert_hidden(&outsider.get_issue(private.id, &[]).await.unwrap_err(), "private");
            let found = tagged_ids(&outsider, &tag, IssueFilter::new()).await;
            assert_eq!(found, [issue.id]);
        },
        created.delete_all(&admin),
    )
    .await;
}

async fn oauth_token_without_write_scopes_is_refused(env: &'static HarnessEnv) {
    if !env.version_at_least(6, 1) {
        println!("skipped on Redmine {}: OAuth (Doorkeeper) arrived in Redmine 6.1", env.version);
        return;
    }
    let dev = client(env, "developer");
    let admin = client(env, "admin");
    let s = Seeded::of(env);
    let tag = unique("oauth");
    let created = Created::new(&tag);

    with_cleanup(
        async {
            let mine = created.issue(&dev, tagged_issue(&tag, "by api key")).await;
            let reader = oauth_client(env, "developer", &["view_project", "view_issues"]).await;

            let found = first_ids(&reader, IssueFilter::new().project("project-a")).await;
            assert!(found.contains(&s.parent), "{found:?}");
            let issue = reader.get_issue(s.parent, &[IssueInclude::Journals]).await.unwrap();
            assert_eq!(issue.subject, "Checkout page times out under load");
            assert_hidden(&reader.get_issue(s.c, &[]).await.unwrap_err(), "issue_c by token");

            let err = reader.create_issue(&tagged_issue(&tag, "by token")).await.unwrap_err();
            assert!(err.is_forbidden(), "create without add_issues: {err:?}");
            let notes = IssueUpdate::new().notes("by token");
            let err = reader.update_issue(mine.id, &notes).await.unwrap_err();
            assert!(err.is_forbidden(), "update without edit_issues: {err:?}");
            let err = reader.delete_issue(mine.id).await.unwrap_err();
            assert!(err.is_forbidden(), "delete without delete_issues: {err:?}");
            let relation = NewRelation::new(s.related, RelationType::Relates);
            let err = reader.create_relation(mine.id, &relation).await.unwrap_err();
            assert!(err.is_forbidden(), "relation without manage_issue_relations: {err:?}");
            let err = reader.upload("token.txt", b"x".to_vec()).await.unwrap_err();
            assert!(err.is_forbidden(), "upload without a write scope: {err:?}");
            let entry = NewTimeEntry::on_issue(mine.id, 0.5)
                .activity(ActivityId(env.id("activity_development")))
                .comments(tag.as_str());
            let err = reader.create_time_entry(&entry).await.unwrap_err();
            assert!(err.is_forbidden(), "time entry without log_time: {err:?}");
            let read = dev.get_issue(mine.id, &[IssueInclude::Journals]).await.unwrap();
            assert_eq!(read.journals.unwrap(), [], "nothing was written");

            let writer =
                oauth_client(env, "developer", &["view_project", "view_issues", "add_issues"])
                    .await;
            let made = created.issue(&writer, tagged_issue(&tag, "by token")).await;
            assert_eq!(made.author.unwrap().id, user(env, "developer"));
        },
        created.delete_all(&admin),
    )
    .await;
}

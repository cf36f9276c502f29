//! The client's reference-data calls against the real Redmine: saved queries, custom fields,
//! trackers, issue statuses, enumerations, roles and search.
//!
//! The API-key checks run against both Redmine 6.1 and 5.0 (modules `redmine61` and
//! `redmine50`); OAuth exists only in 6.1. These calls only read, and the checks only rely on
//! seeded records: other tests may add records meanwhile, so no check counts a whole list.

mod client_support;

use futures::TryStreamExt;
use redmine_client::queries::{QueryKind, SavedQuery, SavedQueryFilter};
use redmine_client::search::{
    SearchAttachments, SearchQuery, SearchResult, SearchScope, SearchType,
};
use redmine_client::{
    ActivityId, Client, Credentials, CustomFieldId, IssueId, PriorityId, ProjectId, QueryId,
    RoleId, StatusId, TrackerId,
};
use redmine_mcp_tests::HarnessEnv;

use client_support::{client, oauth_client};

/// Runs each named check as one test against Redmine 6.1 and one against Redmine 5.0.
macro_rules! on_both_versions {
    ($($check:ident),* $(,)?) => {
        mod redmine61 {
            $(
                #[tokio::test]
                async fn $check() {
                    super::$check(redmine_mcp_tests::HarnessEnv::redmine61()).await;
                }
            )*
        }

        mod redmine50 {
            $(
                #[tokio::test]
                async fn $check() {
                    super::$check(redmine_mcp_tests::HarnessEnv::redmine50()).await;
                }
            )*
        }
    };
}

on_both_versions!(
    trackers_carry_their_default_status,
    issue_statuses_tell_open_from_closed,
    enumerations_list_the_seeded_values,
    roles_list_and_show_permissions,
    saved_queries_are_listed_and_paged,
    custom_fields_are_for_administrators,
    search_never_shows_what_the_user_cannot_see,
    search_options_narrow_the_hits,
    project_search_stays_in_the_project,
);

/// A client sending `credentials`, for the anonymous and unknown callers.
fn client_with(env: &HarnessEnv, credentials: Credentials) -> Client {
    Client::builder(env.base_url.as_str()).credentials(credentials).build().unwrap()
}

fn issue_ids(hits: &[SearchResult]) -> Vec<u64> {
    hits.iter().filter(|h| h.is_issue()).map(|h| h.id).collect()
}

async fn trackers_carry_their_default_status(env: &HarnessEnv) {
    let trackers = client(env, "developer").list_trackers().await.unwrap();

    let bug = trackers.iter().find(|t| t.id == TrackerId(env.id("tracker_bug"))).unwrap();
    assert_eq!(bug.name, "Bug");
    assert_eq!(bug.default_status.as_ref().unwrap().id, StatusId(env.id("status_new")));
    assert!(bug.enabled_standard_fields.iter().any(|f| f == "assigned_to_id"));
    assert!(trackers.iter().any(|t| t.id == TrackerId(env.id("tracker_feature"))));
}

async fn issue_statuses_tell_open_from_closed(env: &HarnessEnv) {
    let statuses = client(env, "reporter").list_issue_statuses().await.unwrap();

    let find = |key| statuses.iter().find(|s| s.id == StatusId(env.id(key))).unwrap();
    assert!(!find("status_new").is_closed);
    assert!(!find("status_in_progress").is_closed);
    assert!(find("status_closed").is_closed);
    assert_eq!(find("status_new").name, "New");
}

async fn enumerations_list_the_seeded_values(env: &HarnessEnv) {
    let dev = client(env, "developer");

    let priorities = dev.list_issue_priorities().await.unwrap();
    let normal = priorities.iter().find(|p| p.id == PriorityId(env.id("priority_normal"))).unwrap();
    assert!(normal.is_default && normal.active);
    assert_eq!(priorities.iter().filter(|p| p.is_default).count(), 1);
    assert!(priorities.iter().any(|p| p.id == PriorityId(env.id("priority_high"))));

    let activities = dev.list_time_entry_activities().await.unwrap();
    let development = ActivityId(env.id("activity_development"));
    assert_eq!(activities.iter().find(|a| a.id == development).unwrap().name, "Development");

    let categories = dev.list_document_categories().await.unwrap();
    assert!(!categories.is_empty());
    assert!(categories.iter().all(|c| !c.name.is_empty()));
}

async fn roles_list_and_show_permissions(env: &HarnessEnv) {
    let dev = client(env, "developer");

    let roles = dev.list_roles().await.unwrap();
    for key in ["role_manager", "role_developer", "role_reporter"] {
        assert!(roles.iter().any(|r| r.id == RoleId(env.id(key))), "{key} is listed");
    }
    assert!(roles.iter().all(|r| r.permissions.is_none()));

    let developer = dev.get_role(RoleId(env.id("role_developer"))).await.unwrap();
    assert_eq!(developer.name, "Developer");
    assert!(developer.allows("view_issues") && developer.allows("add_issues"));
    assert_eq!(developer.assignable, Some(true));
    assert!(developer.issues_visibility.is_some());

    let reporter = dev.get_role(RoleId(env.id("role_reporter"))).await.unwrap();
    assert!(reporter.allows("view_issues"));
    assert!(!reporter.allows("manage_versions"));

    let missing = dev.get_role(RoleId(999_999)).await.unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");
}

async fn saved_queries_are_listed_and_paged(env: &HarnessEnv) {
    let dev = client(env, "developer");
    let open_bugs = QueryId(env.id("query_open_bugs"));

    let page = dev.list_queries(&SavedQueryFilter::new()).await.unwrap();
    let found = page.items.iter().find(|q| q.id == open_bugs).unwrap();
    assert_eq!(found.project_id, Some(ProjectId(env.project("a").id)));
    assert!(found.is_public);
    assert!(page.total_count >= 2);

    let first = dev.list_queries(&SavedQueryFilter::new().limit(1)).await.unwrap();
    let second = dev.list_queries(&SavedQueryFilter::new().offset(1).limit(1)).await.unwrap();
    assert_eq!((first.items.len(), second.items.len(), second.offset), (1, 1, 1));
    assert_ne!(first.items[0].id, second.items[0].id);

    let all: Vec<SavedQuery> =
        dev.stream_queries(&SavedQueryFilter::new(), 1000).try_collect().await.unwrap();
    assert!(all.iter().any(|q| q.id == open_bugs));

    let time_entry_queries =
        dev.list_queries(&SavedQueryFilter::new().kind(QueryKind::TimeEntry)).await.unwrap();
    assert!(time_entry_queries.items.iter().all(|q| q.id != open_bugs));

    let user_queries = SavedQueryFilter::new().kind(QueryKind::User);
    let admin = client(env, "admin");
    if env.version_at_least(5, 1) {
        admin.list_queries(&user_queries).await.unwrap();
    } else {
        // XXX(redmine): an unknown query type is a 500, not an empty list.
        println!("skipped user queries on Redmine {}: it has no UserQuery", env.version);
        let err = admin.list_queries(&user_queries).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "{err:?}");
    }
}

async fn custom_fields_are_for_administrators(env: &HarnessEnv) {
    let fields = client(env, "admin").list_custom_fields().await.unwrap();

    let severity_id = CustomFieldId(env.id("custom_field_severity"));
    let severity = fields.iter().find(|f| f.id == severity_id).unwrap();
    assert_eq!((severity.name.as_str(), severity.field_format.as_str()), ("Severity", "list"));
    assert_eq!(severity.customized_type.as_deref(), Some("issue"));
    let labels: Vec<_> =
        severity.possible_values.iter().flatten().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ["Low", "Medium", "High"]);
    let bug = TrackerId(env.id("tracker_bug"));
    assert!(severity.trackers.iter().flatten().any(|t| t.id == bug));
    assert!(severity.roles.is_some(), "issue fields list their roles");
    // Redmine 5.0 does not say whether a field is editable.
    assert_eq!(severity.editable.is_some(), env.version_at_least(5, 1));

    for role in ["developer", "outsider"] {
        let err = client(env, role).list_custom_fields().await.unwrap_err();
        assert!(err.is_forbidden(), "{role}: {err:?}");
    }
    let err = client_with(env, Credentials::Anonymous).list_custom_fields().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
}

async fn search_never_shows_what_the_user_cannot_see(env: &HarnessEnv) {
    let issue_c = env.id("issue_c");
    let query = SearchQuery::new("confidential").types(&[SearchType::Issues]);

    let admin_hits = client(env, "admin").search(&query).await.unwrap();
    assert!(issue_ids(&admin_hits.items).contains(&issue_c), "the admin finds it");

    for role in ["developer", "reporter", "outsider"] {
        let caller = client(env, role);
        let hits = caller.search(&query).await.unwrap();
        assert!(!issue_ids(&hits.items).contains(&issue_c), "{role} must not see project C");
        let wide = SearchQuery::new("confidential").scope(SearchScope::All);
        let wide = caller.search(&wide).await.unwrap();
        assert!(!issue_ids(&wide.items).contains(&issue_c), "{role}, scope all");
    }
    let anonymous = client_with(env, Credentials::Anonymous).search(&query).await.unwrap();
    assert!(!issue_ids(&anonymous.items).contains(&issue_c));

    // Searching inside the private project is refused outright.
    let err = client(env, "developer")
        .search_project(env.project("c").identifier.as_str(), &query)
        .await
        .unwrap_err();
    assert!(err.is_forbidden(), "{err:?}");
}

async fn search_options_narrow_the_hits(env: &HarnessEnv) {
    let dev = client(env, "developer");
    let parent = env.id("issue_parent");

    let hits = dev.search(&SearchQuery::new("checkout")).await.unwrap();
    assert!(issue_ids(&hits.items).contains(&parent));
    assert!(hits.items.iter().any(|h| h.kind == "news"), "every kind by default");

    let issues_only = SearchQuery::new("checkout").types(&[SearchType::Issues]);
    let hits = dev.search(&issues_only).await.unwrap();
    assert!(!hits.items.is_empty() && hits.items.iter().all(SearchResult::is_issue));

    let wiki = SearchQuery::new("runbook").types(&[SearchType::WikiPages]);
    let hits = dev.search(&wiki).await.unwrap();
    assert!(!hits.items.is_empty() && hits.items.iter().all(|h| h.kind == "wiki-page"));

    // All words (the default) against any word.
    let nonsense = "checkout zqxjkvbwy";
    assert!(dev.search(&SearchQuery::new(nonsense)).await.unwrap().items.is_empty());
    let any_word = dev.search(&SearchQuery::new(nonsense).all_words(false)).await.unwrap();
    assert!(issue_ids(&any_word.items).contains(&parent));

    // The seeded closed issue disappears when asking for open issues only.
    let closed = env.id("issue_closed");
    let typo = SearchQuery::new("typo").types(&[SearchType::Issues]);
    let hits = dev.search(&typo).await.unwrap();
    let hit = hits.items.iter().find(|h| h.id == closed).unwrap();
    assert_eq!(hit.kind, "issue-closed");
    let hits = dev.search(&typo.open_issues(true)).await.unwrap();
    assert!(hits.items.iter().all(|h| h.kind != "issue-closed"));

    // Titles only: the parent issue's description mentions "journals", its subject does not.
    let journals = SearchQuery::new("journals").types(&[SearchType::Issues]);
    assert!(issue_ids(&dev.search(&journals).await.unwrap().items).contains(&parent));
    let titles = dev.search(&journals.titles_only(true)).await.unwrap();
    assert!(!issue_ids(&titles.items).contains(&parent));

    let attachments = SearchQuery::new("checkout").attachments(SearchAttachments::Also);
    assert!(!dev.search(&attachments).await.unwrap().items.is_empty());

    // The outsider is a member of no project.
    let outsider = client(env, "outsider");
    let mine = SearchQuery::new("checkout").scope(SearchScope::MyProjects);
    assert!(outsider.search(&mine).await.unwrap().items.is_empty());
    assert!(!dev.search(&mine).await.unwrap().items.is_empty());

    let first = dev.search(&SearchQuery::new("checkout").limit(1)).await.unwrap();
    let second = dev.search(&SearchQuery::new("checkout").offset(1).limit(1)).await.unwrap();
    assert_eq!((first.items.len(), second.offset), (1, 1));
    assert!(first.total_count >= 2);
    assert_ne!(
        (first.items[0].kind.as_str(), first.items[0].id),
        (second.items[0].kind.as_str(), second.items[0].id)
    );

    let nothing = dev.search(&SearchQuery::new("a")).await.unwrap();
    assert_eq!((nothing.items.len(), nothing.total_count), (0, 0), "one letter is no word");
}

async fn project_search_stays_in_the_project(env: &HarnessEnv) {
    let dev = client(env, "developer");
    let project_a = env.project("a").identifier.as_str();
    let sub_issue = env.id("issue_a_sub");

    let query = SearchQuery::new("subproject");
    let hits = dev.search_project(project_a, &query).await.unwrap();
    assert!(!issue_ids(&hits.items).contains(&sub_issue), "the subproject is left out");
    assert!(hits.items.iter().all(|h| h.kind != "project"));

    let around = query.scope(SearchScope::Subprojects);
    let hits = dev.search_project(ProjectId(env.project("a").id), &around).await.unwrap();
    assert!(issue_ids(&hits.items).contains(&sub_issue));
    assert!(!issue_ids(&hits.items).contains(&env.id("issue_b")));
}

#[tokio::test]
async fn oauth_search_needs_the_search_scope() {
    let env = HarnessEnv::redmine61();
    let query = SearchQuery::new("checkout").types(&[SearchType::Issues]);

    let narrow = oauth_client(env, "developer", &["view_project", "view_issues"]).await;
    let err = narrow.search(&query).await.unwrap_err();
    assert!(err.is_forbidden(), "{err:?}");

    let granted = ["view_project", "search_project", "view_issues"];
    let scoped = oauth_client(env, "developer", &granted).await;
    let hits = scoped.search(&query).await.unwrap();
    assert!(issue_ids(&hits.items).contains(&env.id("issue_parent")));
    let confidential = SearchQuery::new("confidential").types(&[SearchType::Issues]);
    let hits = scoped.search(&confidential).await.unwrap();
    assert!(!issue_ids(&hits.items).contains(&env.id("issue_c")));

    // XXX(redmine): the search finds records by Redmine's visibility rules, which ignore a
    // token's scopes, so a token without `view_issues` (or `view_wiki_pages`) still gets issue
    // and wiki titles and texts through the search, while the same token is refused the issue
    // itself. This pins today's behaviour: a gateway must not rely on scopes to hide issues from
    // a token that may search.
    let blind = oauth_client(env, "developer", &["view_project", "search_project"]).await;
    let parent = env.id("issue_parent");
    let refused = blind.get_issue(IssueId(parent), &[]).await.unwrap_err();
    assert!(refused.is_forbidden(), "{refused:?}");
    let hits = blind.search(&query).await.unwrap();
    assert!(issue_ids(&hits.items).contains(&parent), "{:?}", hits.items);
    let wiki = SearchQuery::new("runbook").types(&[SearchType::WikiPages]);
    assert!(!blind.search(&wiki).await.unwrap().items.is_empty());
    let confidential = blind.search(&SearchQuery::new("confidential")).await.unwrap();
    assert!(!issue_ids(&confidential.items).contains(&env.id("issue_c")));
}

#[tokio::test]
async fn oauth_reference_data_follows_the_scopes() {
    let env = HarnessEnv::redmine61();
    let plain = oauth_client(env, "admin", &["view_project"]).await;
    assert!(plain.list_custom_fields().await.unwrap_err().is_forbidden());
    let scoped = oauth_client(env, "admin", &["view_project", "admin"]).await;
    let fields = scoped.list_custom_fields().await.unwrap();
    assert!(fields.iter().any(|f| f.id == CustomFieldId(env.id("custom_field_severity"))));

    // The shared lists need no particular scope.
    let dev = oauth_client(env, "developer", &["view_project"]).await;
    assert!(!dev.list_trackers().await.unwrap().is_empty());
    assert!(!dev.list_issue_statuses().await.unwrap().is_empty());
    assert!(!dev.list_issue_priorities().await.unwrap().is_empty());
    assert!(!dev.list_roles().await.unwrap().is_empty());
    let queries = dev.list_queries(&SavedQueryFilter::new()).await.unwrap();
    assert!(queries.items.iter().any(|q| q.id == QueryId(env.id("query_open_bugs"))));
}

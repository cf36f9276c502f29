use futures::TryStreamExt;
use redmine_client::queries::{QueryKind, SavedQueryFilter};
use redmine_client::{ProjectId, QueryId};
use wiremock::Mock;
use wiremock::matchers::{header, method, path};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn list_queries_sends_kind_and_page() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/queries.json"))
        .and(QueryIs::new(&[("type", "IssueQuery"), ("offset", "0"), ("limit", "3")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "queries_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let filter = SavedQueryFilter::new().kind(QueryKind::Issue).offset(0).limit(3);
    let page = client(&server).list_queries(&filter).await.unwrap();

    assert_eq!((page.total_count, page.items.len()), (5, 3));
    let open_bugs = page.items.iter().find(|q| q.id == QueryId(8)).unwrap();
    assert_eq!(open_bugs.project_id, Some(ProjectId(1)));
    assert_eq!(page.next_offset(), Some(3));
}

#[tokio::test]
async fn list_queries_without_filter_sends_no_query() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/queries.json"))
        .and(QueryIs::empty())
        .respond_with(json_response(200, "queries_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).list_queries(&SavedQueryFilter::new()).await.unwrap();
}

#[tokio::test]
async fn stream_queries_starts_at_the_filters_offset() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/queries.json"))
        .and(QueryIs::new(&[("type", "TimeEntryQuery"), ("offset", "1"), ("limit", "2")]))
        .respond_with(json_response(200, "queries_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let filter = SavedQueryFilter::new().kind(QueryKind::TimeEntry).offset(1).limit(50);
    let queries: Vec<_> = client(&server).stream_queries(&filter, 2).try_collect().await.unwrap();

    assert_eq!(queries.iter().map(|q| q.id).collect::<Vec<_>>(), [QueryId(1), QueryId(8)]);
}

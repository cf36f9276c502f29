use redmine_client::{StatusId, TrackerId};
use wiremock::Mock;
use wiremock::matchers::{header, method, path};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn list_trackers_reads_default_status_and_fields() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/trackers.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "trackers_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let trackers = client(&server).list_trackers().await.unwrap();

    assert_eq!(
        trackers.iter().map(|t| t.id).collect::<Vec<_>>(),
        [TrackerId(1), TrackerId(2), TrackerId(3)]
    );
    assert!(trackers.iter().all(|t| t.default_status.as_ref().unwrap().id == StatusId(1)));
    assert!(trackers[0].enabled_standard_fields.iter().any(|f| f == "assigned_to_id"));
}

use redmine_client::{CustomFieldId, RoleId, TrackerId};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn list_custom_fields_reads_values_trackers_and_roles() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/custom_fields.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "custom_fields_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let fields = client(&server).list_custom_fields().await.unwrap();

    let severity = fields.iter().find(|f| f.id == CustomFieldId(1)).unwrap();
    let labels: Vec<_> =
        severity.possible_values.iter().flatten().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ["Low", "Medium", "High"]);
    let trackers: Vec<_> = severity.trackers.iter().flatten().map(|t| t.id).collect();
    assert_eq!(trackers, [TrackerId(1), TrackerId(2), TrackerId(3)]);
    assert_eq!(severity.roles.as_deref().map(<[_]>::len), Some(0));
    assert!(!severity.roles.iter().flatten().any(|r| r.id == RoleId(4)));
}

#[tokio::test]
async fn list_custom_fields_maps_403_for_non_admins() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/custom_fields.json"))
        .respond_with(ResponseTemplate::new(403))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).list_custom_fields().await.unwrap_err();

    assert!(err.is_forbidden(), "{err:?}");
}

#[tokio::test]
async fn list_custom_fields_reads_redmine_50s_shape() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/custom_fields.json"))
        .respond_with(json_response(200, "custom_fields_list_50.json"))
        .expect(1)
        .mount(&server)
        .await;

    let fields = client(&server).list_custom_fields().await.unwrap();

    assert_eq!((fields[0].description.as_deref(), fields[0].editable), (None, None));
}

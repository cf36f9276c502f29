use futures::TryStreamExt;
use redmine_client::memberships::{Membership, MembershipUpdate, NewMembership};
use redmine_client::{Error, GroupId, MembershipId, Paging, ProjectId, RoleId, UserId};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::round_trip::decode;
use crate::support::{KEY, QueryIs, client, json_response, server};

#[test]
fn membership_fixtures_round_trip() {
    let list: Vec<Membership> = decode("memberships_list.json", "memberships");
    assert_eq!(list[0].user.as_ref().unwrap().id, UserId(6));
    let own: Vec<_> = list[0].own_roles().map(|r| r.id).collect();
    assert_eq!(own, [RoleId(5)], "the group's role is inherited");
    assert!(list[0].roles[1].inherited);
    assert_eq!(list[1].group.as_ref().unwrap().name, "Harness Team");
    assert_eq!(list[1].user, None);
    assert_eq!(list[2].own_roles().count(), 0);

    let one: Membership = decode("membership.json", "membership");
    assert_eq!((one.id, one.project.id), (MembershipId(1), ProjectId(1)));
    let created: Membership = decode("membership_created.json", "membership");
    assert_eq!(created.roles.len(), 2);
}

#[tokio::test]
async fn list_memberships_sends_paging() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/project-b/memberships.json"))
        .and(QueryIs::new(&[("offset", "0"), ("limit", "3")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "memberships_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/projects/3/memberships.json"))
        .and(QueryIs::empty())
        .respond_with(json_response(200, "memberships_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let page =
        client.list_memberships("project-b", Paging::new().offset(0).limit(3)).await.unwrap();
    assert_eq!((page.items.len(), page.total_count, page.limit), (3, 3, 25));
    assert_eq!(page.next_offset(), None);
    client.list_memberships(ProjectId(3), Paging::new()).await.unwrap();
}

#[tokio::test]
async fn stream_memberships_asks_for_pages_of_a_hundred() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/project-b/memberships.json"))
        .and(QueryIs::new(&[("offset", "0"), ("limit", "100")]))
        .respond_with(json_response(200, "memberships_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let members: Vec<Membership> =
        client(&server).stream_memberships("project-b", 500).try_collect().await.unwrap();

    assert_eq!(members.len(), 3);
}

#[tokio::test]
async fn get_membership_reads_one() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/memberships/1.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "membership.json"))
        .expect(1)
        .mount(&server)
        .await;

    let membership = client(&server).get_membership(MembershipId(1)).await.unwrap();

    assert_eq!(membership.user.unwrap().name, "Dana Developer");
}

#[tokio::test]
async fn create_membership_for_a_user_and_for_a_group() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/projects/fixture-project/memberships.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"membership": {"user_id": 6, "role_ids": [4, 5]}})))
        .respond_with(json_response(201, "membership_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/projects/fixture-project/memberships.json"))
        .and(body_json(json!({"membership": {"user_id": 8, "role_ids": [5]}})))
        .respond_with(json_response(201, "membership_created.json"))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let new = NewMembership::user(UserId(6), [RoleId(4), RoleId(5)]);
    let membership = client.create_membership("fixture-project", &new).await.unwrap();
    assert_eq!(membership.id, MembershipId(10));
    let group = NewMembership::group(GroupId(8), [RoleId(5)]);
    client.create_membership("fixture-project", &group).await.unwrap();
}

#[tokio::test]
async fn update_membership_puts_roles() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/memberships/10.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"membership": {"role_ids": [3]}})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let update = MembershipUpdate::new([RoleId(3)]);
    client(&server).update_membership(MembershipId(10), &update).await.unwrap();
}

#[tokio::test]
async fn update_membership_refuses_an_empty_role_list_without_calling_redmine() {
    // The catch-all answers 500, so any request that got out would fail differently.
    let server = server().await;

    let update = MembershipUpdate::new([]);
    let err = client(&server).update_membership(MembershipId(10), &update).await.unwrap_err();

    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn delete_membership_and_the_bare_422_for_inherited_ones() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/memberships/10.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/memberships/4.json"))
        .respond_with(ResponseTemplate::new(422))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    client.delete_membership(MembershipId(10)).await.unwrap();
    let err = client.delete_membership(MembershipId(4)).await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
}

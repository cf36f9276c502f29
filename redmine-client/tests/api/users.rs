use futures::TryStreamExt;
use redmine_client::users::{NewUser, UserFilter, UserInclude, UserStatus, UserUpdate};
use redmine_client::{GroupId, UserId};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn list_users_sends_every_filter() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/users.json"))
        .and(QueryIs::new(&[
            ("status", "3"),
            ("name", "dana"),
            ("group_id", "8"),
            ("offset", "0"),
            ("limit", "2"),
        ]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "users_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let filter = UserFilter::new()
        .status(UserStatus::Locked)
        .name("dana")
        .group(GroupId(8))
        .offset(0)
        .limit(2);
    let page = client(&server).list_users(&filter).await.unwrap();

    assert_eq!((page.total_count, page.offset, page.limit), (5, 0, 2));
    assert_eq!(page.items.iter().map(|u| u.id).collect::<Vec<_>>(), [UserId(1), UserId(5)]);
    assert_eq!(page.items[0].admin, Some(true));
    assert_eq!(page.items[1].status, Some(UserStatus::Active));
    assert_eq!(page.next_offset(), Some(2));
}

#[tokio::test]
async fn list_users_any_status_sends_a_star() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/users.json"))
        .and(QueryIs::new(&[("status", "*")]))
        .respond_with(json_response(200, "users_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).list_users(&UserFilter::new().any_status()).await.unwrap();
}

#[tokio::test]
async fn stream_users_walks_pages_up_to_the_cap() {
    let server = server().await;
    for (offset, limit) in [("0", "3"), ("2", "1")] {
        Mock::given(method("GET"))
            .and(path("/users.json"))
            .and(QueryIs::new(&[("name", "e"), ("offset", offset), ("limit", limit)]))
            .respond_with(json_response(200, "users_list.json"))
            .expect(1)
            .mount(&server)
            .await;
    }

    let users: Vec<_> =
        client(&server).stream_users(&UserFilter::new().name("e"), 3).try_collect().await.unwrap();

    assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [UserId(1), UserId(5), UserId(1)]);
}

#[tokio::test]
async fn list_users_maps_403_for_non_admins() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/users.json"))
        .respond_with(ResponseTemplate::new(403))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).list_users(&UserFilter::new()).await.unwrap_err();

    assert!(err.is_forbidden(), "{err:?}");
    assert_eq!(err.operation().unwrap().template(), "/users.json");
}

#[tokio::test]
async fn get_user_asks_for_includes() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/users/5.json"))
        .and(QueryIs::new(&[("include", "memberships,groups")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "user.json"))
        .expect(1)
        .mount(&server)
        .await;

    let include = [UserInclude::Memberships, UserInclude::Groups];
    let user = client(&server).get_user(UserId(5), &include).await.unwrap();

    assert_eq!(user.login.as_deref(), Some("dev"));
    assert_eq!(user.groups.unwrap()[0].name, "Harness Team");
    assert_eq!(user.memberships.unwrap().len(), 2);
    let key = user.api_key.unwrap();
    assert_eq!(key.to_string(), "[redacted]");
}

#[tokio::test]
async fn get_user_without_includes_sends_no_query() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/users/5.json"))
        .and(QueryIs::empty())
        .respond_with(json_response(200, "user_50.json"))
        .expect(1)
        .mount(&server)
        .await;

    let user = client(&server).get_user(UserId(5), &[]).await.unwrap();

    assert_eq!(user.name(), "Dana Developer");
}

#[tokio::test]
async fn current_user_reads_the_callers_account() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/users/current.json"))
        .and(QueryIs::new(&[("include", "memberships")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "user_current.json"))
        .expect(1)
        .mount(&server)
        .await;

    let user = client(&server).current_user(&[UserInclude::Memberships]).await.unwrap();

    assert_eq!(user.id, UserId(5));
    assert_eq!(user.mail, None, "dev hides the address");
    assert!(user.memberships.unwrap()[1].roles[0].inherited);
}

#[tokio::test]
async fn current_user_maps_the_anonymous_401() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/users/current.json"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("www-authenticate", "Basic realm=\"Redmine API\""),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).current_user(&[]).await.unwrap_err();

    let redmine_client::Error::Unauthorized { challenge, .. } = &err else { panic!("{err:?}") };
    assert_eq!(challenge.as_deref(), Some("Basic realm=\"Redmine API\""));
}

#[tokio::test]
async fn my_account_reads_the_reduced_user() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/my/account.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "my_account.json"))
        .expect(1)
        .mount(&server)
        .await;

    let user = client(&server).my_account().await.unwrap();

    assert_eq!(user.login.as_deref(), Some("dev"));
    assert_eq!(user.mail.as_deref(), Some("dev@example.test"));
    assert!(user.api_key.is_some() && user.status.is_none());
}

#[tokio::test]
async fn create_user_posts_the_envelope_with_send_information_beside_it() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/users.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "user": {
                "login": "fixture-user",
                "firstname": "Fixture",
                "lastname": "User",
                "mail": "fixture-user@example.test",
                "password": "fixture-pw-123456",
                "must_change_passwd": false,
                "admin": false,
                "status": 1,
                "language": "en",
                "mail_notification": "none",
                "custom_fields": [{"id": 4, "value": "x"}],
            },
            "send_information": true,
        })))
        .respond_with(json_response(201, "user_created.json"))
        .expect(1)
        .mount(&server)
        .await;

    let user = NewUser::new("fixture-user", "Fixture", "User", "fixture-user@example.test")
        .password("fixture-pw-123456")
        .must_change_password(false)
        .admin(false)
        .status(UserStatus::Active)
        .language("en")
        .mail_notification("none")
        .custom_field(redmine_client::models::CustomFieldInput::new(4, "x"))
        .send_information(true);
    let created = client(&server).create_user(&user).await.unwrap();

    assert_eq!(created.id, UserId(9));
    assert_eq!(created.login.as_deref(), Some("fixture-user"));
}

#[tokio::test]
async fn create_user_keeps_redmines_validation_messages() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/users.json"))
        .and(body_json(json!({"user": {
            "login": "fixture-user",
            "firstname": "Fixture",
            "lastname": "User",
            "mail": "fixture-user@example.test",
            "generate_password": true,
        }})))
        .respond_with(json_response(422, "users_errors.json"))
        .expect(1)
        .mount(&server)
        .await;

    let user = NewUser::new("fixture-user", "Fixture", "User", "fixture-user@example.test")
        .generate_password(true);
    let err = client(&server).create_user(&user).await.unwrap_err();

    assert_eq!(
        err.validation_errors(),
        ["Email has already been taken", "Login has already been taken"]
    );
}

#[tokio::test]
async fn update_user_puts_only_the_changes() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/users/9.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"user": {
            "firstname": "Fixed",
            "password": "another-pw-123456",
            "status": 3,
            "group_ids": [8, 10],
        }})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let update = UserUpdate::new()
        .firstname("Fixed")
        .password("another-pw-123456")
        .status(UserStatus::Locked)
        .groups([GroupId(8), GroupId(10)]);
    client(&server).update_user(UserId(9), &update).await.unwrap();
}

#[tokio::test]
async fn delete_user_sends_delete() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/users/9.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).delete_user(UserId(9)).await.unwrap();
}

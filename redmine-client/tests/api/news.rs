use redmine_client::news::{NewNews, News, NewsInclude, NewsUpdate};
use redmine_client::uploads::UploadRef;
use redmine_client::{AttachmentId, NewsId, Paging, ProjectId};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::round_trip::decode;
use crate::support::{KEY, QueryIs, client, json_response, server};

#[test]
fn news_fixtures_round_trip() {
    let list: Vec<News> = decode("news_list.json", "news");
    assert_eq!(list[1].title, "Release 1.0 is out");
    assert_eq!(list[1].attachments, None, "lists carry no includes");

    let one: News = decode("news.json", "news");
    assert_eq!(one.id, NewsId(3));
    assert_eq!(one.project.as_ref().unwrap().id, ProjectId(8));
    assert_eq!(one.summary.as_deref(), Some("Fixture summary"));
    assert_eq!(one.attachments.as_ref().unwrap()[0].id, AttachmentId(10));
    assert_eq!(one.comments.as_deref(), Some(&[][..]));
}

#[tokio::test]
async fn list_news_globally_and_per_project() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/news.json"))
        .and(QueryIs::new(&[("limit", "2")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "news_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/projects/project-a/news.json"))
        .and(QueryIs::new(&[("offset", "1")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "news_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let page = client.list_news(Paging::new().limit(2)).await.unwrap();
    assert_eq!((page.items.len(), page.total_count), (2, 2));
    client.list_project_news("project-a", Paging::new().offset(1)).await.unwrap();
}

#[tokio::test]
async fn get_news_with_includes() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/news/3.json"))
        .and(QueryIs::new(&[("include", "attachments,comments")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "news.json"))
        .expect(1)
        .mount(&server)
        .await;

    let include = [NewsInclude::Attachments, NewsInclude::Comments];
    let news = client(&server).get_news(NewsId(3), &include).await.unwrap();

    assert_eq!(news.attachments.unwrap()[0].filename, "fixture-news.txt");
}

#[tokio::test]
async fn create_news_posts_under_the_project_and_expects_no_body() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/projects/fixture-project/news.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"news": {
            "title": "Fixture news",
            "description": "Recorded for the wiremock tests",
            "summary": "Fixture summary",
            "uploads": [{"token": "10.abc", "filename": "fixture-news.txt"}],
        }})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let news = NewNews::new("Fixture news", "Recorded for the wiremock tests")
        .summary("Fixture summary")
        .upload(UploadRef::new("10.abc").filename("fixture-news.txt"));
    client(&server).create_news("fixture-project", &news).await.unwrap();
}

#[tokio::test]
async fn update_and_delete_news() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/news/3.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"news": {"title": "Fixture news 2", "summary": ""}})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/news/3.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let update = NewsUpdate::new().title("Fixture news 2").summary("");
    client.update_news(NewsId(3), &update).await.unwrap();
    client.delete_news(NewsId(3)).await.unwrap();
}

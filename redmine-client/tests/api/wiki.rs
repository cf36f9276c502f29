use redmine_client::uploads::UploadRef;
use redmine_client::wiki::{
    ChildPages, SavedWikiPage, WikiPage, WikiPageInclude, WikiPageSummary, WikiPageUpdate,
};
use redmine_client::{AttachmentId, Error, ProjectId, UserId};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::round_trip::decode;
use crate::support::{KEY, QueryIs, client, json_response, server};

#[test]
fn wiki_fixtures_round_trip() {
    let index: Vec<WikiPageSummary> = decode("wiki_index.json", "wiki_pages");
    assert_eq!(index[0].parent.as_ref().unwrap().title, "Fixture_Page");
    assert_eq!((index[1].title.as_str(), index[1].version), ("Fixture_Page", 2));

    let page: WikiPage = decode("wiki_page.json", "wiki_page");
    assert_eq!(page.text, "h1. Fixture page\n\nSecond version.");
    assert_eq!(page.author.as_ref().unwrap().id, UserId(1));
    assert_eq!(page.attachments.as_ref().unwrap()[0].id, AttachmentId(11));

    let first: WikiPage = decode("wiki_page_version.json", "wiki_page");
    assert_eq!((first.version, first.comments.as_deref()), (1, Some("Created for the fixtures")));
    assert_eq!(first.attachments, None);

    let child: WikiPage = decode("wiki_page_child.json", "wiki_page");
    assert_eq!(child.parent.unwrap().title, "Fixture_Page");
    assert_eq!(child.comments, None, "Redmine sends null for no comment on creation");

    let created: WikiPage = decode("wiki_page_created.json", "wiki_page");
    assert_eq!(created.version, 1);
}

#[tokio::test]
async fn list_wiki_pages_reads_the_index() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/fixture-project/wiki/index.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "wiki_index.json"))
        .expect(1)
        .mount(&server)
        .await;

    let pages = client(&server).list_wiki_pages("fixture-project").await.unwrap();

    let titles: Vec<_> = pages.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["Fixture_Child", "Fixture_Page"]);
}

#[tokio::test]
async fn get_wiki_page_and_a_version_with_encoded_titles() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/fixture-project/wiki/Fixture_Page.json"))
        .and(QueryIs::new(&[("include", "attachments")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "wiki_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/projects/8/wiki/Release%20notes%2F2026/1.json"))
        .and(QueryIs::empty())
        .respond_with(json_response(200, "wiki_page_version.json"))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let page = client
        .get_wiki_page("fixture-project", "Fixture_Page", &[WikiPageInclude::Attachments])
        .await
        .unwrap();
    assert_eq!(page.version, 2);
    let old =
        client.get_wiki_page_version(ProjectId(8), "Release notes/2026", 1, &[]).await.unwrap();
    assert_eq!(old.text, "h1. Fixture page\n\nFirst version.");
}

#[tokio::test]
async fn save_wiki_page_tells_creation_from_update() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/projects/fixture-project/wiki/Fixture_Page.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"wiki_page": {
            "text": "h1. Fixture page\n\nFirst version.",
            "comments": "Created for the fixtures",
            "uploads": [{
                "token": "11.abc",
                "filename": "fixture-wiki.txt",
                "content_type": "text/plain",
                "description": "Fixture wiki file",
            }],
        }})))
        .respond_with(json_response(201, "wiki_page_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/projects/fixture-project/wiki/Fixture_Child.json"))
        .and(body_json(json!({"wiki_page": {
            "text": "h1. Fixture child",
            "version": 1,
            "parent_title": "Fixture_Page",
        }})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let create = WikiPageUpdate::new("h1. Fixture page\n\nFirst version.")
        .comments("Created for the fixtures")
        .upload(
            UploadRef::new("11.abc")
                .filename("fixture-wiki.txt")
                .content_type("text/plain")
                .description("Fixture wiki file"),
        );
    let saved = client.save_wiki_page("fixture-project", "Fixture_Page", &create).await.unwrap();
    let SavedWikiPage::Created(page) = saved else { panic!("{saved:?}") };
    assert_eq!((page.title.as_str(), page.version), ("Fixture_Page", 1));

    let update = WikiPageUpdate::new("h1. Fixture child").version(1).parent_title("Fixture_Page");
    let saved = client.save_wiki_page("fixture-project", "Fixture_Child", &update).await.unwrap();
    assert_eq!(saved, SavedWikiPage::Updated);
}

#[tokio::test]
async fn save_wiki_page_over_a_newer_version_is_a_conflict() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/projects/fixture-project/wiki/Fixture_Page.json"))
        .respond_with(ResponseTemplate::new(409))
        .expect(1)
        .mount(&server)
        .await;

    let stale = WikiPageUpdate::new("stale").version(1);
    let err = client(&server)
        .save_wiki_page("fixture-project", "Fixture_Page", &stale)
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    assert!(err.to_string().starts_with("PUT /projects/{project}/wiki/{title}.json: "), "{err}");
}

#[tokio::test]
async fn save_wiki_page_reports_an_undecodable_creation() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/projects/fixture-project/wiki/Broken.json"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"wiki_page": {"title": 3}})))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .save_wiki_page("fixture-project", "Broken", &WikiPageUpdate::new("x"))
        .await
        .unwrap_err();

    let Error::Decode { path, .. } = &err else { panic!("{err:?}") };
    assert_eq!(path, "wiki_page.title");
}

#[tokio::test]
async fn delete_wiki_page_says_what_becomes_of_children() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/projects/fixture-project/wiki/Fixture_Page.json"))
        .and(QueryIs::new(&[("todo", "nullify")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/projects/fixture-project/wiki/Fixture_Child.json"))
        .and(QueryIs::new(&[("todo", "destroy")]))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    client
        .delete_wiki_page("fixture-project", "Fixture_Page", ChildPages::MoveToTop)
        .await
        .unwrap();
    client.delete_wiki_page("fixture-project", "Fixture_Child", ChildPages::Delete).await.unwrap();
}

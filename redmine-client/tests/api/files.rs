use redmine_client::files::{NewProjectFile, ProjectFile};
use redmine_client::{AttachmentId, Error, UserId, VersionId};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::round_trip::decode;
use crate::support::{KEY, QueryIs, client, json_response, server};

#[test]
fn files_fixture_round_trips() {
    let files: Vec<ProjectFile> = decode("files_list.json", "files");

    assert_eq!(files[0].attachment.filename, "fixture-project-level.txt");
    assert_eq!(files[0].version, None, "a file of the project itself");
    assert_eq!(files[1].attachment.id, AttachmentId(8));
    assert_eq!(files[1].attachment.description.as_deref(), Some("Fixture notes"));
    assert_eq!(files[1].attachment.author.as_ref().unwrap().id, UserId(1));
    assert_eq!(files[1].version.as_ref().unwrap().id, VersionId(5));
    assert_eq!(files[1].downloads, Some(0));
    assert_eq!(files[1].digest.as_deref().map(str::len), Some(64));
}

#[tokio::test]
async fn list_files_of_a_project() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/fixture-project/files.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "files_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let files = client(&server).list_files("fixture-project").await.unwrap();

    assert_eq!(files.len(), 2);
    assert_eq!(files[1].attachment.filesize, 21);
}

#[tokio::test]
async fn add_file_posts_the_token_under_file() {
    let server = server().await;
    let token = "8.06611cad6d99d3f3adf1ea2f07af61765ba693a54965e81f7263221a1bcf4881";
    Mock::given(method("POST"))
        .and(path("/projects/fixture-project/files.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"file": {
            "token": token,
            "version_id": 5,
            "filename": "fixture-notes.txt",
            "content_type": "text/plain",
            "description": "Fixture notes",
        }})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let file = NewProjectFile::new(token)
        .version(VersionId(5))
        .filename("fixture-notes.txt")
        .content_type("text/plain")
        .description("Fixture notes");
    client(&server).add_file("fixture-project", &file).await.unwrap();
}

#[tokio::test]
async fn add_file_with_an_unknown_token_is_not_found() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/projects/fixture-project/files.json"))
        .and(body_json(json!({"file": {"token": "1.bogus"}})))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .add_file("fixture-project", &NewProjectFile::new("1.bogus"))
        .await
        .unwrap_err();

    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

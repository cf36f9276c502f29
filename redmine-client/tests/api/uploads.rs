use redmine_client::AttachmentId;
use redmine_client::issues::NewIssue;
use serde_json::json;
use wiremock::Mock;
use wiremock::matchers::{body_bytes, header, method, path};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn upload_posts_octets_with_the_file_name() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/uploads.json"))
        .and(QueryIs::new(&[("filename", "notes & more.txt")]))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/octet-stream"))
        .and(body_bytes(b"hello fixture\n".to_vec()))
        .respond_with(json_response(201, "upload_created.json"))
        .expect(1)
        .mount(&server)
        .await;

    let upload = client(&server).upload("notes & more.txt", &b"hello fixture\n"[..]).await.unwrap();

    assert_eq!(upload.id, Some(AttachmentId(4)));
    assert!(upload.token.starts_with("4."));

    // The token is what attaches the file to a new issue.
    let issue = NewIssue::new("project-a", "s").upload(&upload);
    let body = serde_json::to_value(&issue).unwrap();
    assert_eq!(body["uploads"], json!([{"token": upload.token}]));
}

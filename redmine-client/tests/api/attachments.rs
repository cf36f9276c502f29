use redmine_client::attachments::AttachmentUpdate;
use redmine_client::{AttachmentId, Error, UserId};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn get_attachment_reads_metadata() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/attachments/1.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "attachment.json"))
        .expect(1)
        .mount(&server)
        .await;

    let attachment = client(&server).get_attachment(AttachmentId(1)).await.unwrap();

    assert_eq!(attachment.filename, "trace.txt");
    assert_eq!(attachment.filesize, 54);
    assert_eq!(attachment.content_type.as_deref(), Some("text/plain"));
    assert_eq!(attachment.author.unwrap().id, UserId(1));
}

#[tokio::test]
async fn download_attachment_returns_the_bytes() {
    let server = server().await;
    let content = b"GET /checkout 30012 ms\nSELECT * FROM orders WHERE ...\n";
    Mock::given(method("GET"))
        .and(path("/attachments/download/1"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_raw(content.to_vec(), "text/plain"))
        .expect(1)
        .mount(&server)
        .await;

    let bytes = client(&server).download_attachment(AttachmentId(1), 1024).await.unwrap();

    assert_eq!(&bytes[..], content);
}

#[tokio::test]
async fn download_attachment_refuses_a_declared_size_over_the_cap() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/attachments/download/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b'x'; 2048], "text/plain"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).download_attachment(AttachmentId(1), 1024).await.unwrap_err();

    assert!(matches!(err, Error::TooLarge { limit: 1024, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "GET /attachments/download/{id}: the file is larger than the 1024 byte cap; \
         raise the cap to fetch it"
    );
}

#[tokio::test]
async fn download_attachment_stops_reading_a_chunked_body_at_the_cap() {
    // wiremock always sends a Content-Length, so a raw server streams an undeclared body: the
    // client must notice the cap from the bytes alone, and stop before the server is done.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0; 4096];
        let _ = socket.read(&mut request).await.unwrap();
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        let chunk = format!("400\r\n{}\r\n", "x".repeat(1024));
        // 64 KiB in all, unless the client hangs up first.
        for _ in 0..64 {
            if socket.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    });

    let client = redmine_client::Client::builder(base).build().unwrap();
    let err = client.download_attachment(AttachmentId(1), 3000).await.unwrap_err();

    assert!(matches!(err, Error::TooLarge { limit: 3000, .. }), "{err:?}");
    server.abort();
}

#[tokio::test]
async fn download_attachment_maps_a_login_redirect_to_unauthorized() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/attachments/download/5"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/login?back_url=x", server.uri())),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).download_attachment(AttachmentId(5), 1024).await.unwrap_err();

    assert!(err.is_unauthorized(), "{err:?}");
}

#[tokio::test]
async fn update_attachment_patches_name_and_description() {
    let server = server().await;
    Mock::given(method("PATCH"))
        .and(path("/attachments/4.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"attachment": {
            "filename": "notes-renamed.txt",
            "description": "fixture renamed",
        }})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let update =
        AttachmentUpdate::new().filename("notes-renamed.txt").description("fixture renamed");
    client(&server).update_attachment(AttachmentId(4), &update).await.unwrap();
}

#[tokio::test]
async fn delete_attachment_sends_delete() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/attachments/4.json"))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).delete_attachment(AttachmentId(4)).await.unwrap();
}

//! Limits on what a client may send before any route runs: the size of the request head, a
//! declared body length, and how long a new connection may stay silent.
//!
//! hyper refuses a head larger than its read buffer (about 400 KiB) or with more than 100
//! headers on its own, with a bare 431 and no body. Below that, this module answers heads over
//! [`MAX_HEADER_BYTES`] with the gateway's JSON 431, and a `Content-Length` over the body limit
//! with a JSON 413 at once, before the body is read (a body without a declared length is cut
//! off at the limit while it is read, by [`crate::body::read_limited`]).
//!
//! hyper's header-read timeout starts only once the HTTP/1 parser runs, and hyper-util's
//! automatic HTTP/1-or-2 detection first waits for the opening bytes with no deadline, so a
//! client that connects and says nothing would hold its connection for ever.
//! [`wait_for_request_start`] gives such a client the same deadline as the head itself.

use std::time::Duration;

use http::header::CONTENT_LENGTH;
use http::{Request, StatusCode};
use tokio::net::TcpStream;

use crate::error::ApiError;

/// The largest request head (names, values and separators of every header) answered.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// The HTTP/2 connection preface, which hyper-util waits to see or rule out.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// `Ok` when the request head is within the limits, else the JSON 431 or 413.
pub fn check_head<B>(request: &Request<B>, max_body_bytes: usize) -> Result<(), ApiError> {
    let head_bytes: usize =
        request.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    if head_bytes > MAX_HEADER_BYTES {
        return Err(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!(
                "the request headers take {head_bytes} bytes, more than the {MAX_HEADER_BYTES} \
                 this server reads; send fewer or shorter headers"
            ),
        ));
    }

    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u64>().ok());
    if let Some(length) = declared
        && length > u64::try_from(max_body_bytes).unwrap_or(u64::MAX)
    {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "the request body is {length} bytes, more than the {max_body_bytes} this server \
                 accepts; send less data per call"
            ),
        ));
    }
    Ok(())
}

/// Waits until a new connection has sent enough for hyper-util to tell HTTP/1 from HTTP/2;
/// `false` when the client stayed silent (or too slow) for `deadline` or went away.
pub async fn wait_for_request_start(stream: &TcpStream, deadline: Duration) -> bool {
    let started = async {
        let mut buffer = [0_u8; 24];
        loop {
            if stream.readable().await.is_err() {
                return false;
            }
            match stream.peek(&mut buffer).await {
                // Closed before a byte came: nothing to serve.
                Ok(0) | Err(_) => return false,
                Ok(read) => {
                    if read >= H2_PREFACE.len() || buffer[..read] != H2_PREFACE[..read] {
                        return true;
                    }
                }
            }
            // A prefix of the preface: wait for more without spinning on the same bytes.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(deadline, started).await.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn large_heads_get_431_and_declared_large_bodies_413() {
        let request = Request::builder()
            .header("x-big", HeaderValue::from_str(&"x".repeat(MAX_HEADER_BYTES)).unwrap())
            .body(())
            .unwrap();
        let error = check_head(&request, 1024).unwrap_err();
        assert_eq!(error.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);

        let request = Request::builder().header(CONTENT_LENGTH, "1025").body(()).unwrap();
        assert_eq!(check_head(&request, 1024).unwrap_err().status, StatusCode::PAYLOAD_TOO_LARGE);

        let request = Request::builder().header(CONTENT_LENGTH, "1024").body(()).unwrap();
        assert!(check_head(&request, 1024).is_ok());
    }

    #[tokio::test]
    async fn silent_connections_are_given_up_and_requests_pass() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();

        let _silent = TcpStream::connect(address).await.unwrap();
        let (stream, _) = listener.accept().await.unwrap();
        let started = std::time::Instant::now();
        assert!(!wait_for_request_start(&stream, Duration::from_millis(200)).await);
        assert!(started.elapsed() < Duration::from_secs(2));

        let mut talking = TcpStream::connect(address).await.unwrap();
        tokio::io::AsyncWriteExt::write_all(&mut talking, b"GET / HTTP/1.1\r\n").await.unwrap();
        let (stream, _) = listener.accept().await.unwrap();
        assert!(wait_for_request_start(&stream, Duration::from_secs(5)).await);

        let mut partial = TcpStream::connect(address).await.unwrap();
        tokio::io::AsyncWriteExt::write_all(&mut partial, b"PRI * HTTP").await.unwrap();
        let (stream, _) = listener.accept().await.unwrap();
        assert!(!wait_for_request_start(&stream, Duration::from_millis(200)).await);
    }
}

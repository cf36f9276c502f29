//! Request and response bodies: the boxed body types every route shares, and reading a request
//! body up to the configured size limit.

use bytes::{Bytes, BytesMut};
use http::StatusCode;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Empty, Full};

use crate::error::ApiError;

/// The error type of boxed bodies.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The body of every request the router sees.
pub type RequestBody = BoxBody<Bytes, BoxError>;

/// The body of every response the router gives.
pub type ResponseBody = BoxBody<Bytes, BoxError>;

/// A body holding `bytes`.
pub fn full(bytes: impl Into<Bytes>) -> ResponseBody {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

/// An empty body.
pub fn empty() -> ResponseBody {
    Empty::new().map_err(|never| match never {}).boxed()
}

/// Reads `body` whole, answering 413 past `limit` bytes and 400 when the client broke off.
pub async fn read_limited(mut body: RequestBody, limit: usize) -> Result<Bytes, ApiError> {
    // Read frame by frame rather than through `http_body_util::Limited`, whose boxed error type
    // makes the request future fail the `Send` check hyper's executor needs.
    let mut bytes = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(ApiError::bad_request(
                "body_unreadable",
                "the request body could not be read completely; send it again",
            ));
        };
        let Ok(data) = frame.into_data() else { continue };
        if bytes.len() + data.len() > limit {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the request body is larger than {limit} bytes; send less data per call"),
            ));
        }
        bytes.extend_from_slice(&data);
    }
    Ok(bytes.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request_body(text: &'static str) -> RequestBody {
        Full::new(Bytes::from_static(text.as_bytes())).map_err(|never| match never {}).boxed()
    }

    #[tokio::test]
    async fn bodies_over_the_limit_get_413() {
        let bytes = read_limited(request_body("{}"), 2).await.unwrap();
        assert_eq!(&bytes[..], b"{}");

        let error = read_limited(request_body("{\"a\":1}"), 3).await.unwrap_err();
        assert_eq!(error.status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}

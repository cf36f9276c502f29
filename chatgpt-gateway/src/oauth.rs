//! The OAuth pass-through: `/oauth/authorize` and `/oauth/token` on the gateway's own domain.
//!
//! ChatGPT wants the authorization and token URLs on the same domain as the API, while Redmine
//! (Doorkeeper) is the authorization server. The authorize endpoint redirects the browser to
//! Redmine's with the query string kept byte for byte; the token endpoint forwards the form
//! (with a Basic client-authentication header, when given) to Redmine's and hands back its
//! answer. Neither keeps nor logs anything from the exchange: codes, tokens and client secrets
//! pass through untouched.

use std::sync::Arc;

use http::header::{
    ACCEPT, AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, HeaderValue, LOCATION, PRAGMA,
};
use http::{Request, Response, StatusCode, Uri};

use crate::body::{RequestBody, ResponseBody, empty, full, read_limited};
use crate::error::ApiError;
use crate::state::AppState;

/// `GET /oauth/authorize`: 302 to Redmine's authorization endpoint, every parameter preserved.
pub fn authorize(state: &Arc<AppState>, uri: &Uri) -> Result<Response<ResponseBody>, ApiError> {
    let mut target = state.config.redmine("/oauth/authorize");
    if let Some(query) = uri.query() {
        target.push('?');
        target.push_str(query);
    }
    let location = HeaderValue::from_str(&target).map_err(|_| {
        ApiError::bad_request("invalid_request", "the query string cannot be passed on")
    })?;

    let mut response = Response::new(empty());
    *response.status_mut() = StatusCode::FOUND;
    response.headers_mut().insert(LOCATION, location);
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `POST /oauth/token`: the form forwarded to Redmine's token endpoint, its answer handed back.
pub async fn token(
    state: &Arc<AppState>,
    request: Request<RequestBody>,
) -> Result<Response<ResponseBody>, ApiError> {
    let (parts, body) = request.into_parts();
    let body = read_limited(body, state.config.server.max_body_bytes).await?;

    let mut forward = state
        .oauth_http
        .post(state.config.redmine("/oauth/token"))
        .header(ACCEPT, "application/json")
        .body(body);
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("application/x-www-form-urlencoded"));
    forward = forward.header(CONTENT_TYPE, content_type);
    if let Some(authorization) = parts.headers.get(AUTHORIZATION) {
        // Client authentication with a Basic header (the GPT editor's "Basic authorization
        // header" option); marked sensitive so that no HTTP-level logging shows it.
        let mut authorization = authorization.clone();
        authorization.set_sensitive(true);
        forward = forward.header(AUTHORIZATION, authorization);
    }

    let answer = forward.send().await.map_err(|error| {
        if error.is_timeout() {
            ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                "upstream_timeout",
                "redmine's token endpoint did not answer in time; try signing in again",
            )
        } else {
            ApiError::new(
                StatusCode::BAD_GATEWAY,
                "upstream_unavailable",
                "redmine's token endpoint could not be reached; check REDMINE_URL",
            )
        }
    })?;

    let status = answer.status();
    let content_type = answer.headers().get(CONTENT_TYPE).cloned();
    let bytes = answer.bytes().await.map_err(|_| {
        ApiError::new(
            StatusCode::BAD_GATEWAY,
            "upstream_unavailable",
            "redmine's token endpoint broke off its answer; try again",
        )
    })?;
    tracing::debug!(status = status.as_u16(), "token endpoint answered");
    let is_json = content_type
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        // An HTML error page (a proxy's, or Redmine's own 500) is not passed on.
        return Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            "upstream_error",
            format!(
                "redmine's token endpoint answered {status} without JSON; check that \
                 REDMINE_URL points at Redmine 6.1.3 or later and look at Redmine's log"
            ),
        ));
    }

    let mut response = Response::new(full(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        content_type.unwrap_or_else(|| HeaderValue::from_static("application/json")),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(response)
}

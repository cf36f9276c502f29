//! Per-caller rate limiting of the calls that reach Redmine: the REST API under `/api/v1` and
//! the MCP endpoint `/mcp`.
//!
//! Each caller has its own bucket (GCRA, through the `governor` crate), keyed by a SHA-256 of
//! the credential it sent: the whole `Authorization` header, else the `X-Redmine-API-Key`
//! header. Requests without credentials all act as the same Redmine user (the server's key, or
//! anonymous), so they share one bucket. A caller over its limit gets 429 with `Retry-After`
//! at once, before authentication and before Redmine is called, so one busy user neither
//! slows the others down nor costs Redmine anything.
//!
//! The limiter never holds a credential: only its hash, and only for as long as the bucket is
//! in use. It does not decide which routes are limited beyond the two prefixes above; the
//! router calls [`RateLimiter::check`] for every request and the limiter answers `Ok` for the
//! paths it leaves alone (health, manifest, OAuth, metrics, the OpenAPI documents).

use std::fmt;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use http::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use http::{HeaderMap, Method, StatusCode};
use sha2::{Digest, Sha256};

use crate::auth::API_KEY_HEADER;
use crate::error::ApiError;
use crate::routing::API_PREFIX;

/// How often (in checks) buckets that are full again are dropped, so that callers who came
/// once do not keep memory forever.
const SWEEP_EVERY: u64 = 4096;

/// The documents under `/api/v1` that are not tool calls; ChatGPT fetches them to import the
/// API, so they are never limited.
const OPEN_API_PATHS: &[&str] = &["/api/v1/openapi.json", "/api/v1/openapi.yaml"];

/// How many calls one caller may make (`RATE_LIMIT_PER_MINUTE`, `RATE_LIMIT_BURST`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// The sustained rate: calls per minute, refilled evenly.
    pub per_minute: NonZeroU32,
    /// How many calls may come at once after a quiet spell.
    pub burst: NonZeroU32,
}

impl RateLimit {
    /// `per_minute` calls a minute with bursts of up to `burst`.
    pub fn new(per_minute: NonZeroU32, burst: NonZeroU32) -> Self {
        Self { per_minute, burst }
    }
}

/// The limiter shared by every request.
pub struct RateLimiter {
    limit: RateLimit,
    buckets: DefaultKeyedRateLimiter<[u8; 32]>,
    checks: AtomicU64,
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limit", &self.limit)
            .field("callers", &self.buckets.len())
            .finish_non_exhaustive()
    }
}

impl RateLimiter {
    /// A limiter allowing `limit` to each caller.
    pub fn new(limit: RateLimit) -> Self {
        let quota = Quota::per_minute(limit.per_minute).allow_burst(limit.burst);
        Self { limit, buckets: DefaultKeyedRateLimiter::keyed(quota), checks: AtomicU64::new(0) }
    }

    /// `Ok` when the request may go on, else the 429 answer with `Retry-After`.
    pub fn check(&self, method: &Method, path: &str, headers: &HeaderMap) -> Result<(), ApiError> {
        if !is_limited(method, path) {
            return Ok(());
        }

        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.buckets.retain_recent();
            self.buckets.shrink_to_fit();
        }

        let Err(not_until) = self.buckets.check_key(&caller_key(headers)) else { return Ok(()) };
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        tracing::debug!(
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "rate limited"
        );
        Err(too_many_requests(self.limit, wait))
    }
}

/// Whether a request counts against its caller's limit: tool calls and MCP messages.
fn is_limited(method: &Method, path: &str) -> bool {
    if path == "/mcp" || path == "/mcp/" {
        return method == Method::POST;
    }
    let under_api = path.strip_prefix(API_PREFIX).is_some_and(|rest| rest.starts_with('/'));
    under_api && !OPEN_API_PATHS.contains(&path.trim_end_matches('/'))
}

/// The bucket of a request: a hash of its credential header, or the shared anonymous bucket.
fn caller_key(headers: &HeaderMap) -> [u8; 32] {
    let mut hash = Sha256::new();
    if let Some(value) = headers.get(AUTHORIZATION) {
        hash.update(b"authorization\0");
        hash.update(value.as_bytes());
    } else if let Some(value) = headers.get(API_KEY_HEADER) {
        hash.update(b"api-key\0");
        hash.update(value.as_bytes());
    } else {
        hash.update(b"anonymous");
    }
    hash.finalize().into()
}

/// 429 with the seconds to wait, rounded up, in `Retry-After`.
fn too_many_requests(limit: RateLimit, wait: Duration) -> ApiError {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!(
            "too many calls: this server allows {} per minute (bursts of {}) for each token; \
             wait {seconds} s and call again",
            limit.per_minute, limit.burst
        ),
    )
    .with_details(serde_json::json!({ "retry_after_secs": seconds }))
    .with_header(RETRY_AFTER, HeaderValue::from(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_minute: u32, burst: u32) -> RateLimiter {
        RateLimiter::new(RateLimit::new(
            NonZeroU32::new(per_minute).unwrap(),
            NonZeroU32::new(burst).unwrap(),
        ))
    }

    fn bearer(token: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static(token));
        headers
    }

    #[test]
    fn a_caller_over_its_burst_gets_429_with_retry_after() {
        let limiter = limiter(60, 3);
        let alice = bearer("Bearer alice");
        for _ in 0..3 {
            limiter.check(&Method::GET, "/api/v1/projects", &alice).unwrap();
        }
        let error = limiter.check(&Method::GET, "/api/v1/projects", &alice).unwrap_err();
        assert_eq!(error.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(error.code, "rate_limited");
        let retry: u64 = error.headers[RETRY_AFTER].to_str().unwrap().parse().unwrap();
        assert!((1..=2).contains(&retry), "one call a second: {retry}");
        assert!(!error.message.contains("alice"), "{}", error.message);
    }

    #[test]
    fn callers_do_not_share_buckets() {
        let limiter = limiter(60, 1);
        limiter.check(&Method::POST, "/mcp", &bearer("Bearer alice")).unwrap();
        assert!(limiter.check(&Method::POST, "/mcp", &bearer("Bearer alice")).is_err());
        limiter.check(&Method::POST, "/mcp", &bearer("Bearer bob")).unwrap();

        let mut key = HeaderMap::new();
        key.insert(API_KEY_HEADER, HeaderValue::from_static("alice"));
        limiter.check(&Method::POST, "/mcp", &key).unwrap();
        limiter.check(&Method::POST, "/mcp", &HeaderMap::new()).unwrap();
        assert!(limiter.check(&Method::POST, "/mcp", &HeaderMap::new()).is_err());
    }

    #[test]
    fn documents_health_and_oauth_are_never_limited() {
        let limiter = limiter(60, 1);
        let none = HeaderMap::new();
        for path in ["/health", "/api/v1/openapi.json", "/api/v1/openapi.yaml/", "/oauth/token"] {
            for _ in 0..5 {
                limiter.check(&Method::GET, path, &none).unwrap();
            }
        }
        for _ in 0..5 {
            limiter.check(&Method::GET, "/mcp", &none).unwrap();
        }
        assert!(is_limited(&Method::GET, "/api/v1/tools"));
        assert!(!is_limited(&Method::GET, "/api/v1x"));
    }
}

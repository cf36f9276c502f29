//! Who a request acts as: credentials from its headers, checked against Redmine.
//!
//! The rules, in order:
//!
//! 1. `Authorization: Bearer <token>` (scheme case-insensitive) is the caller's Redmine OAuth
//!    token. It is checked once against `/users/current.json` and the verdict is cached briefly,
//!    keyed by a SHA-256 of the token: Redmine treats an unknown token as the anonymous user, so
//!    without the check an expired token would silently see public data.
//! 2. `X-Redmine-API-Key`, where the face accepts it (MCP does, the ChatGPT REST face does not:
//!    ChatGPT only ever sends `Authorization`), checked the same way.
//! 3. Without either: refused with 401 when auth is required, else the server's own API key
//!    if one is configured, else anonymous access.
//!
//! A request that brought credentials never falls back to the server key. Tokens and keys are
//! never stored (only their hashes), never logged and never sent anywhere but the configured
//! Redmine. This module does not decide which routes need auth; the router does.

use std::fmt;
use std::time::Duration;

use http::header::{AUTHORIZATION, HeaderName, HeaderValue, WWW_AUTHENTICATE};
use http::{HeaderMap, StatusCode};
use moka::sync::Cache;
use redmine_client::{ApiKey, BearerToken, Client, Credentials};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The header MCP clients may send an API key in.
pub const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-redmine-api-key");

/// How many verdicts are kept at most.
const CACHE_CAPACITY: u64 = 10_000;

/// Why a request was not let through.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// Auth is required and the request brought no credentials.
    #[error(
        "this server requires authentication; sign in with Redmine (OAuth) and send the token as `Authorization: Bearer <token>`"
    )]
    Missing,
    /// The `Authorization` header is not a usable bearer token.
    #[error("{0}")]
    Malformed(String),
    /// Redmine does not know the token or key, or it expired or was revoked.
    #[error(
        "the token is invalid, expired or revoked; sign in with Redmine again to get a new one"
    )]
    InvalidToken,
    /// The credentials could not be checked because Redmine failed.
    #[error("could not check the credentials with redmine: {0}")]
    Upstream(#[source] redmine_client::Error),
}

impl AuthError {
    /// The JSON 401 (or 502/504) answer with a `WWW-Authenticate: Bearer` challenge.
    ///
    /// `resource_metadata` is the URL of the RFC 9728 protected-resource metadata, named in the
    /// challenge so that MCP clients can discover where to sign in.
    pub fn into_api_error(self, resource_metadata: Option<&str>) -> ApiError {
        let (status, code, oauth_error) = match &self {
            Self::Missing => (StatusCode::UNAUTHORIZED, "unauthorized", None),
            Self::Malformed(_) => {
                (StatusCode::UNAUTHORIZED, "invalid_request", Some("invalid_request"))
            }
            Self::InvalidToken => {
                (StatusCode::UNAUTHORIZED, "invalid_token", Some("invalid_token"))
            }
            Self::Upstream(error) if error.is_timeout() => {
                (StatusCode::GATEWAY_TIMEOUT, "upstream_timeout", None)
            }
            Self::Upstream(_) => (StatusCode::BAD_GATEWAY, "upstream_unavailable", None),
        };
        let error = ApiError::new(status, code, self.to_string());
        if status != StatusCode::UNAUTHORIZED {
            return error;
        }
        let challenge = challenge(resource_metadata, oauth_error);
        match HeaderValue::from_str(&challenge) {
            Ok(value) => error.with_header(WWW_AUTHENTICATE, value),
            Err(_) => error.with_header(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")),
        }
    }

    /// The response for this error; see [`AuthError::into_api_error`].
    pub fn into_response(
        self,
        resource_metadata: Option<&str>,
    ) -> http::Response<crate::body::ResponseBody> {
        self.into_api_error(resource_metadata).into_response()
    }
}

/// `Bearer` with its optional parameters.
fn challenge(resource_metadata: Option<&str>, error: Option<&str>) -> String {
    let mut params = Vec::new();
    if let Some(url) = resource_metadata {
        params.push(format!("resource_metadata=\"{url}\""));
    }
    if let Some(error) = error {
        params.push(format!("error=\"{error}\""));
    }
    if params.is_empty() { "Bearer".to_owned() } else { format!("Bearer {}", params.join(", ")) }
}

/// What Redmine said about a token or key, cached by its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Valid,
    Invalid,
}

/// Turns request headers into the credentials the call runs with.
#[derive(Clone)]
pub struct Authenticator {
    client: Client,
    server_key: Option<ApiKey>,
    require_auth: bool,
    verdicts: Cache<[u8; 32], Verdict>,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("server_key", &self.server_key.is_some())
            .field("require_auth", &self.require_auth)
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// An authenticator checking credentials with `client`'s Redmine.
    ///
    /// `server_key` is used for requests without credentials unless `require_auth`; verdicts
    /// about tokens are reused for `cache_ttl`.
    pub fn new(
        client: &Client,
        server_key: Option<ApiKey>,
        require_auth: bool,
        cache_ttl: Duration,
    ) -> Self {
        let verdicts =
            Cache::builder().max_capacity(CACHE_CAPACITY).time_to_live(cache_ttl).build();
        Self {
            client: client.with_credentials(Credentials::Anonymous),
            server_key,
            require_auth,
            verdicts,
        }
    }

    /// The same authenticator, sharing its cached verdicts, checking credentials with `client`
    /// (a worker thread's own client, so that a check uses that thread's connections).
    #[must_use]
    pub fn with_client(&self, client: &Client) -> Self {
        Self { client: client.with_credentials(Credentials::Anonymous), ..self.clone() }
    }

    /// Whether requests without credentials are refused.
    pub fn require_auth(&self) -> bool {
        self.require_auth
    }

    /// Whether a request without credentials would act with the server's key.
    pub fn server_key_usable(&self) -> bool {
        self.server_key.is_some() && !self.require_auth
    }

    /// The credentials a request with `headers` runs with; see the module docs for the rules.
    pub async fn authenticate(
        &self,
        headers: &HeaderMap,
        accept_api_key_header: bool,
    ) -> Result<Credentials, AuthError> {
        if let Some(token) = bearer_token(headers)? {
            let credentials = Credentials::Bearer(token);
            self.check(&credentials).await?;
            return Ok(credentials);
        }

        if accept_api_key_header && let Some(key) = api_key(headers)? {
            let credentials = Credentials::ApiKey(key);
            self.check(&credentials).await?;
            return Ok(credentials);
        }

        if self.require_auth {
            return Err(AuthError::Missing);
        }
        Ok(self.server_key.clone().map_or(Credentials::Anonymous, Credentials::ApiKey))
    }

    /// Checks `credentials` with Redmine unless a recent verdict is cached.
    async fn check(&self, credentials: &Credentials) -> Result<(), AuthError> {
        let key = cache_key(credentials);
        match self.verdicts.get(&key) {
            Some(Verdict::Valid) => return Ok(()),
            Some(Verdict::Invalid) => return Err(AuthError::InvalidToken),
            None => {}
        }

        let verdict =
            match self.client.with_credentials(credentials.clone()).current_user(&[]).await {
                Ok(_) => Verdict::Valid,
                Err(error) if error.is_unauthorized() => Verdict::Invalid,
                // Any other failure says nothing about the token: not cached.
                Err(error) => return Err(AuthError::Upstream(error)),
            };
        self.verdicts.insert(key, verdict);
        tracing::debug!(credentials = credentials.kind(), ?verdict, "credentials checked");
        match verdict {
            Verdict::Valid => Ok(()),
            Verdict::Invalid => Err(AuthError::InvalidToken),
        }
    }
}

/// The SHA-256 of the kind and secret: the cache never holds the secret itself.
fn cache_key(credentials: &Credentials) -> [u8; 32] {
    let mut hash = Sha256::new();
    match credentials {
        Credentials::Bearer(token) => {
            hash.update(b"bearer\0");
            hash.update(token.expose_secret().as_bytes());
        }
        Credentials::ApiKey(key) => {
            hash.update(b"key\0");
            hash.update(key.expose_secret().as_bytes());
        }
        other => hash.update(other.kind().as_bytes()),
    }
    hash.finalize().into()
}

/// The bearer token of the `Authorization` header, if there is one.
fn bearer_token(headers: &HeaderMap) -> Result<Option<BearerToken>, AuthError> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(AuthError::Malformed("send one Authorization header, not several".to_owned()));
    }

    let value = value.to_str().map_err(|_| {
        AuthError::Malformed("the Authorization header must be plain ASCII".to_owned())
    })?;
    let (scheme, token) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::Malformed(
            "only `Authorization: Bearer <token>` is accepted; sign in with Redmine (OAuth) \
             to get a token"
                .to_owned(),
        ));
    }
    let token = token.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(AuthError::Malformed(
            "the Authorization header must be `Bearer` followed by one token".to_owned(),
        ));
    }
    Ok(Some(BearerToken::new(token)))
}

/// The API key of the `X-Redmine-API-Key` header, if there is one.
fn api_key(headers: &HeaderMap) -> Result<Option<ApiKey>, AuthError> {
    let Some(value) = headers.get(API_KEY_HEADER) else { return Ok(None) };
    let key = value.to_str().map(str::trim).map_err(|_| {
        AuthError::Malformed("the X-Redmine-API-Key header must be plain ASCII".to_owned())
    })?;
    if key.is_empty() {
        return Err(AuthError::Malformed("the X-Redmine-API-Key header is empty".to_owned()));
    }
    Ok(Some(ApiKey::new(key)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (HeaderName::from_static(name), HeaderValue::from_static(value)))
            .collect()
    }

    fn authenticator(server_key: Option<&str>, require_auth: bool) -> Authenticator {
        // Port 9 (discard) on loopback: nothing answers, so any Redmine call fails fast.
        let client = Client::builder("http://127.0.0.1:9").build().unwrap();
        Authenticator::new(
            &client,
            server_key.map(ApiKey::new),
            require_auth,
            Duration::from_secs(60),
        )
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        let token = bearer_token(&headers(&[("authorization", "bEaReR abc.def")])).unwrap();
        assert_eq!(token.unwrap().expose_secret(), "abc.def");
        assert!(bearer_token(&HeaderMap::new()).unwrap().is_none());
    }

    #[test]
    fn other_schemes_and_empty_tokens_are_malformed() {
        for value in ["Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer  ", "Bearer a b", "token"] {
            let mut map = HeaderMap::new();
            map.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
            let error = bearer_token(&map).unwrap_err();
            assert!(matches!(error, AuthError::Malformed(_)), "{value}");
            assert!(!error.to_string().contains("YWRt"), "{error}");
        }
    }

    #[tokio::test]
    async fn without_credentials_the_rules_decide() {
        let none = HeaderMap::new();
        let creds = authenticator(Some("server-key"), false).authenticate(&none, true).await;
        assert_eq!(creds.unwrap(), Credentials::api_key("server-key"));

        let creds = authenticator(None, false).authenticate(&none, true).await;
        assert_eq!(creds.unwrap(), Credentials::Anonymous);

        let error = authenticator(Some("server-key"), true).authenticate(&none, true).await;
        assert!(matches!(error, Err(AuthError::Missing)));
    }

    #[tokio::test]
    async fn a_request_with_a_token_never_falls_back_to_the_server_key() {
        let auth = authenticator(Some("server-key"), false);
        let error = auth
            .authenticate(&headers(&[("authorization", "Bearer unknown")]), false)
            .await
            .unwrap_err();
        // Redmine is unreachable here, so the token cannot be checked: refused, not replaced.
        assert!(matches!(error, AuthError::Upstream(_)), "{error}");

        let error = auth.authenticate(&headers(&[("authorization", "Basic eDp5")]), false).await;
        assert!(matches!(error, Err(AuthError::Malformed(_))));
    }

    #[tokio::test]
    async fn cached_verdicts_answer_without_redmine() {
        let auth = authenticator(None, true);
        let token = Credentials::bearer("revoked");
        auth.verdicts.insert(cache_key(&token), Verdict::Invalid);
        let good = Credentials::api_key("good");
        auth.verdicts.insert(cache_key(&good), Verdict::Valid);

        let error = auth
            .authenticate(&headers(&[("authorization", "Bearer revoked")]), false)
            .await
            .unwrap_err();
        assert!(matches!(error, AuthError::InvalidToken));

        let creds = auth.authenticate(&headers(&[("x-redmine-api-key", "good")]), true).await;
        assert_eq!(creds.unwrap(), good);

        // The REST face does not read the API key header at all.
        let error = auth.authenticate(&headers(&[("x-redmine-api-key", "good")]), false).await;
        assert!(matches!(error, Err(AuthError::Missing)));
    }

    #[test]
    fn challenges_carry_the_parameters() {
        let api = AuthError::InvalidToken
            .into_api_error(Some("https://gw.example/.well-known/oauth-protected-resource"));
        assert_eq!(api.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            api.headers[WWW_AUTHENTICATE],
            "Bearer resource_metadata=\"https://gw.example/.well-known/oauth-protected-resource\", \
             error=\"invalid_token\""
        );
        let api = AuthError::Missing.into_api_error(None);
        assert_eq!(api.headers[WWW_AUTHENTICATE], "Bearer");
        assert_eq!(api.code, "unauthorized");
    }

    #[test]
    fn cache_keys_differ_by_kind_and_hide_the_secret() {
        let a = cache_key(&Credentials::bearer("same"));
        let b = cache_key(&Credentials::api_key("same"));
        assert_ne!(a, b);
        assert!(!a.windows(4).any(|w| w == b"same"));
    }
}

//! The client: configuration, credentials and the one request path every call takes.
//!
//! [`Client`] is cheap to clone: clones share one connection pool and differ only in the
//! credentials and switch-user login they send, so a server can keep one client and derive a
//! per-caller clone with [`Client::with_credentials`] on each request.
//!
//! Resource methods (`list_issues`, `get_attachment`, ...) live beside their models in one module
//! per resource; they all end in [`Client::execute`], which is where credentials are attached,
//! statuses are mapped to [`Error`]s and the `redmine.request` tracing span is opened.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use reqwest::{Certificate, redirect};
use serde::Deserialize;
use tracing::{Instrument, field};
use url::Url;

use crate::credentials::Credentials;
use crate::error::{Error, Operation, Result};
use crate::page::{Page, PageSeed};
use crate::request::{Body, Field, Route, decode};

/// The header Redmine reads the login to act as from (admins only).
const SWITCH_USER_HEADER: HeaderName = HeaderName::from_static("x-redmine-switch-user");

/// How much of an error body is read to explain a failure.
const ERROR_BODY_CAP: u64 = 64 * 1024;

/// The largest JSON answer accepted; a list page of 100 issues with everything included stays
/// far below it, and a broken proxy streaming garbage is stopped before the buffer (and the
/// decoded copy) cost a server much memory per call in flight.
const JSON_BODY_CAP: u64 = 8 * 1024 * 1024;

/// The default for [`ClientBuilder::max_idle_connections`]. Without a cap, a burst of 256
/// concurrent calls leaves 256 idle connections (and their buffers) for the pool's 90 s idle
/// timeout; 64 is more than a Redmine's worker pool answers at once, so steady load reuses
/// connections and never reconnects.
const DEFAULT_MAX_IDLE_CONNECTIONS: usize = 64;

/// The default for [`ClientBuilder::connect_timeout`].
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default for [`ClientBuilder::timeout`].
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A Redmine REST client.
///
/// Build one with [`Client::builder`]. Cloning is cheap and clones share connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    credentials: Arc<Credentials>,
    switch_user: Option<Arc<str>>,
}

/// What all clones share.
struct Inner {
    http: reqwest::Client,
    base_url: Url,
}

impl Client {
    /// Starts configuring a client for the Redmine at `base_url`, such as
    /// `https://redmine.example.com` or `https://example.com/redmine` for a sub-path install.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent: concat!("redmine-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            root_certificates: Vec::new(),
            accept_invalid_certs: false,
            proxy_from_env: true,
            max_idle_connections: DEFAULT_MAX_IDLE_CONNECTIONS,
            credentials: Credentials::Anonymous,
        }
    }

    /// A clone that sends `credentials` instead, sharing this client's connections.
    #[must_use]
    pub fn with_credentials(&self, credentials: Credentials) -> Self {
        Self { credentials: Arc::new(credentials), ..self.clone() }
    }

    /// A clone that asks Redmine to act as the user with `login` (`X-Redmine-Switch-User`).
    ///
    /// Redmine honours this only for administrators (and, with OAuth, only for tokens with the
    /// `admin` scope); an unknown or locked login fails every call with
    /// [`Error::SwitchUserRejected`].
    #[must_use]
    pub fn with_switch_user(&self, login: impl Into<String>) -> Self {
        Self { switch_user: Some(Arc::from(login.into())), ..self.clone() }
    }

    /// A clone that acts as the credentials' own user again.
    #[must_use]
    pub fn without_switch_user(&self) -> Self {
        Self { switch_user: None, ..self.clone() }
    }

    /// The credentials this client sends.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The login this client acts as through `X-Redmine-Switch-User`, if any.
    pub fn switch_user(&self) -> Option<&str> {
        self.switch_user.as_deref()
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Sends `route` and decodes the value under `key` of the JSON answer.
    pub(crate) async fn send<T>(&self, route: Route, body: Body, key: &'static str) -> Result<T>
    where
        T: for<'de> Deserialize<'de>,
    {
        let op = route.operation();
        let bytes = self.send_for_bytes(&route, body, JSON_BODY_CAP).await?;
        decode(&op, &bytes, Field::new(key))
    }

    /// Sends `route` and decodes a list answer with its items under `key`.
    pub(crate) async fn send_page<T>(&self, route: Route, key: &'static str) -> Result<Page<T>>
    where
        T: for<'de> Deserialize<'de>,
    {
        let op = route.operation();
        let bytes = self.send_for_bytes(&route, Body::Empty, JSON_BODY_CAP).await?;
        decode(&op, &bytes, PageSeed::new(key))
    }

    /// Sends `route` for its effect; the body of the answer (204 or an empty 200) is ignored.
    pub(crate) async fn send_no_content(&self, route: Route, body: Body) -> Result<()> {
        self.execute(&route, body).await.map(drop)
    }

    /// Sends `route` and reads the whole answer, failing with [`Error::TooLarge`] past `cap`
    /// bytes.
    pub(crate) async fn send_for_bytes(
        &self,
        route: &Route,
        body: Body,
        cap: u64,
    ) -> Result<Bytes> {
        let response = self.execute(route, body).await?;
        let op = route.operation();
        if response.content_length().is_some_and(|length| length > cap) {
            return Err(Error::TooLarge { op, limit: cap });
        }

        match read_capped(&op, response, cap).await? {
            Capped::Complete(bytes) => Ok(bytes),
            Capped::Truncated(_) => Err(Error::TooLarge { op, limit: cap }),
        }
    }

    /// The one request path: builds the URL, attaches credentials, sends, logs and maps any
    /// non-success status to an [`Error`]. The caller reads the body of a successful answer.
    pub(crate) async fn execute(&self, route: &Route, body: Body) -> Result<reqwest::Response> {
        let span = tracing::debug_span!(
            "redmine.request",
            method = %route.method(),
            path = route.template(),
            status = field::Empty,
            latency_ms = field::Empty,
        );

        async {
            let op = route.operation();
            let request = self.request(route, body)?;

            let started = Instant::now();
            let sent = request.send().await;
            let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            tracing::Span::current().record("latency_ms", latency_ms);

            let response = match sent {
                Ok(response) => response,
                Err(source) => {
                    let err = Error::from_transport(op, source);
                    tracing::debug!(error = %err, "redmine call failed");
                    return Err(err);
                }
            };

            let status = response.status();
            tracing::Span::current().record("status", status.as_u16());
            tracing::debug!("redmine call finished");
            if status.is_success() {
                return Ok(response);
            }

            let headers = response.headers().clone();
            let body = match read_capped(&op, response, ERROR_BODY_CAP).await {
                Ok(Capped::Complete(bytes) | Capped::Truncated(bytes)) => bytes,
                Err(_) => Bytes::new(),
            };
            Err(Error::from_status(op, status, &headers, &body))
        }
        .instrument(span)
        .await
    }

    /// Builds the HTTP request for `route`.
    fn request(&self, route: &Route, body: Body) -> Result<reqwest::RequestBuilder> {
        // A value of "." or ".." filling a whole segment would be resolved away by URL
        // normalisation (even percent-encoded), sending the call to another path.
        if route.path().split('/').any(|segment| segment == "." || segment == "..") {
            return Err(Error::InvalidInput(format!(
                "{}: \".\" and \"..\" cannot be used as a name or title here; use the real one",
                route.operation()
            )));
        }
        let mut url = self.inner.base_url.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), route.path());
        url.set_path(&path);
        if !route.query.is_empty() {
            url.query_pairs_mut().extend_pairs(route.query.pairs());
        }

        let mut request = self.inner.http.request(route.method().clone(), url);
        if let Some((name, value)) = self.credentials.header()? {
            request = request.header(name, value);
        }
        if let Some(login) = &self.switch_user {
            let value = HeaderValue::from_str(login).map_err(|_| {
                Error::InvalidInput(format!(
                    "the switch-user login {login:?} is not a valid header"
                ))
            })?;
            request = request.header(SWITCH_USER_HEADER, value);
        }

        Ok(match body {
            Body::Empty => request,
            Body::Json(bytes) => request.header(CONTENT_TYPE, "application/json").body(bytes),
            Body::Octets(bytes) => {
                request.header(CONTENT_TYPE, "application/octet-stream").body(bytes)
            }
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("credentials", &self.credentials.kind())
            .field("switch_user", &self.switch_user)
            .finish_non_exhaustive()
    }
}

/// A body read up to a cap.
pub(crate) enum Capped {
    /// The whole body.
    Complete(Bytes),
    /// There was more than the cap; holds the body's head, at most an error snippet's worth.
    Truncated(Bytes),
}

/// Reads `response` until its end or until more than `cap` bytes arrived, whichever is first, so
/// that an oversized body is never held in memory whole.
///
/// The body is kept as the chunks it arrived in and joined once at the end, so a large answer
/// costs one allocation of its exact size rather than a buffer doubled again and again; an
/// oversized one is dropped chunk by chunk, keeping only the head an error snippet needs. Both
/// matter for a server's memory: large, short-lived buffers are what an allocator keeps.
pub(crate) async fn read_capped(
    op: &Operation,
    mut response: reqwest::Response,
    cap: u64,
) -> Result<Capped> {
    // A body declared larger than the cap is not read beyond what an error snippet needs.
    let declared_oversized = response.content_length().is_some_and(|length| length > cap);
    let cap = usize::try_from(if declared_oversized { cap.min(ERROR_BODY_CAP) } else { cap })
        .unwrap_or(usize::MAX);

    let mut chunks: Vec<Bytes> = Vec::new();
    let mut length = 0;
    while let Some(chunk) =
        response.chunk().await.map_err(|e| Error::from_transport(op.clone(), e))?
    {
        if length + chunk.len() > cap {
            chunks.push(chunk.slice(..cap - length));
            return Ok(Capped::Truncated(head(&chunks, ERROR_BODY_CAP)));
        }
        length += chunk.len();
        chunks.push(chunk);
    }
    if declared_oversized {
        return Ok(Capped::Truncated(head(&chunks, ERROR_BODY_CAP)));
    }
    Ok(Capped::Complete(join(chunks, length)))
}

/// The chunks as one buffer; a single chunk is returned without copying.
fn join(mut chunks: Vec<Bytes>, length: usize) -> Bytes {
    if chunks.len() == 1 {
        return chunks.pop().unwrap_or_default();
    }
    let mut buffer = BytesMut::with_capacity(length);
    for chunk in &chunks {
        buffer.extend_from_slice(chunk);
    }
    buffer.freeze()
}

/// At most the first `limit` bytes of the chunks: what an error message quotes of a body.
fn head(chunks: &[Bytes], limit: u64) -> Bytes {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut buffer = BytesMut::new();
    for chunk in chunks {
        let room = limit - buffer.len();
        if room == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    buffer.freeze()
}

/// Configures a [`Client`]; see [`Client::builder`].
pub struct ClientBuilder {
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: String,
    root_certificates: Vec<Vec<u8>>,
    accept_invalid_certs: bool,
    proxy_from_env: bool,
    max_idle_connections: usize,
    credentials: Credentials,
}

impl ClientBuilder {
    /// How long to wait for a connection to be made (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one call may take from start to the end of its body (default 30 s). Raise it
    /// for large attachment downloads.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `redmine-client/<version>`).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Trusts the certificates in `pem` (one or more PEM blocks) in addition to the system's,
    /// for a Redmine behind a private certificate authority.
    #[must_use]
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Accepts any TLS certificate, including expired and self-signed ones, for any host.
    ///
    /// This makes the connection readable and forgeable by anyone on the path, credentials
    /// included. Prefer [`ClientBuilder::add_root_certificates_pem`]; use this only against a
    /// throwaway test server.
    #[must_use]
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
        self
    }

    /// Whether to use the proxy named by `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (default yes).
    #[must_use]
    pub fn proxy_from_env(mut self, enabled: bool) -> Self {
        self.proxy_from_env = enabled;
        self
    }

    /// How many idle keep-alive connections the pool keeps for reuse (default 64); more are
    /// closed once their call ends. An idle connection is closed after 90 s.
    #[must_use]
    pub fn max_idle_connections(mut self, connections: usize) -> Self {
        self.max_idle_connections = connections;
        self
    }

    /// The credentials to send (default [`Credentials::Anonymous`]).
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let base_url = parse_base_url(&self.base_url)?;

        // Redirects are not followed: reqwest would carry the API key header to whatever host a
        // redirect names, and Redmine's API never redirects a correctly addressed call.
        let mut http = reqwest::Client::builder()
            .pool_max_idle_per_host(self.max_idle_connections)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .user_agent(self.user_agent)
            .redirect(redirect::Policy::none())
            .danger_accept_invalid_certs(self.accept_invalid_certs);
        if !self.proxy_from_env {
            http = http.no_proxy();
        }
        for pem in &self.root_certificates {
            let certificates = Certificate::from_pem_bundle(pem).map_err(|_| {
                Error::InvalidInput("a root certificate is not valid PEM; check the file".into())
            })?;
            for certificate in certificates {
                http = http.add_root_certificate(certificate);
            }
        }
        let http = http.build().map_err(|e| {
            Error::InvalidInput(format!("could not set up the http client: {}", e.without_url()))
        })?;

        let inner = Arc::new(Inner { http, base_url });
        Ok(Client { inner, credentials: Arc::new(self.credentials), switch_user: None })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("root_certificates", &self.root_certificates.len())
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("proxy_from_env", &self.proxy_from_env)
            .field("max_idle_connections", &self.max_idle_connections)
            .field("credentials", &self.credentials.kind())
            .finish()
    }
}

/// Checks that `raw` is an http(s) URL fit to prefix every API path.
fn parse_base_url(raw: &str) -> Result<Url> {
    let invalid = |why: &str| Error::InvalidInput(format!("the base url {why}"));
    let url = Url::parse(raw).map_err(|e| invalid(&format!("cannot be parsed ({e})")))?;

    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("must start with http:// or https://"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not contain credentials; pass them with `credentials(...)`"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_checked() {
        assert!(parse_base_url("https://redmine.example.com").is_ok());
        assert!(parse_base_url("http://127.0.0.1:3000/redmine/").is_ok());

        let err = parse_base_url("https://admin:secret@redmine.example.com").unwrap_err();
        assert!(!err.to_string().contains("secret"));
        assert!(parse_base_url("ftp://redmine.example.com").is_err());
        assert!(parse_base_url("redmine.example.com").is_err());
        assert!(parse_base_url("https://redmine.example.com/?key=1").is_err());
    }

    #[test]
    fn sub_path_installs_keep_their_prefix() {
        let client = Client::builder("http://127.0.0.1:1/redmine/").build().unwrap();
        let request = client.request(&Route::get("/issues/{id}.json").arg(5), Body::Empty).unwrap();
        let request = request.build().unwrap();
        assert_eq!(request.url().as_str(), "http://127.0.0.1:1/redmine/issues/5.json");
    }

    #[test]
    fn debug_shows_no_secret() {
        let client = Client::builder("http://127.0.0.1:1")
            .credentials(Credentials::api_key("abcdef0123"))
            .build()
            .unwrap()
            .with_switch_user("dev");
        let debug = format!("{client:?}");
        assert!(debug.contains("api key") && debug.contains("dev"), "{debug}");
        assert!(!debug.contains("abcdef"), "{debug}");
    }
}

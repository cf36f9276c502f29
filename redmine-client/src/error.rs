//! The crate's one error type.
//!
//! Every failure of a call names the operation that failed as HTTP method and path template
//! (`GET /issues/{id}.json`), never the concrete URL: a concrete URL can carry a filter that the
//! caller considers private, and the template is what the reader needs to find the call. No
//! variant ever holds a credential. Redmine's own explanation is kept where it gives one: the
//! `errors` list of a 422, the `WWW-Authenticate` challenge of a 401, and a bounded snippet of any
//! other unexpected body.

use std::fmt;

use reqwest::header::{HeaderMap, LOCATION, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};

/// The longest body snippet, in characters, kept in [`Error::UnexpectedStatus`].
pub(crate) const SNIPPET_CHARS: usize = 512;

/// A shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A Redmine call as it appears in errors and logs: method and path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    method: Method,
    template: &'static str,
}

impl Operation {
    pub(crate) fn new(method: Method, template: &'static str) -> Self {
        Self { method, template }
    }

    /// The HTTP method of the call.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path template, such as `/issues/{id}.json`; never the concrete path.
    pub fn template(&self) -> &'static str {
        self.template
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.template)
    }
}

/// Everything that can go wrong when talking to Redmine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401: this call needs a logged-in user and the credentials were missing or not accepted.
    #[error("{op}: redmine requires a login for this call (401); check the api key or token")]
    Unauthorized {
        /// The call that failed.
        op: Operation,
        /// The `WWW-Authenticate` header Redmine sent, such as `Basic realm="Redmine API"`.
        challenge: Option<String>,
    },

    /// 403: the user may not do this, or the REST API is disabled in Redmine's settings.
    #[error(
        "{op}: redmine refused the call (403); the user lacks the permission, \
         or the rest api is disabled in redmine's settings"
    )]
    Forbidden {
        /// The call that failed.
        op: Operation,
    },

    /// 404: the record does not exist or is not visible to this user.
    #[error("{op}: not found (404); check the id, or the record is not visible to this user")]
    NotFound {
        /// The call that failed.
        op: Operation,
    },

    /// 409: the record changed since it was read (wiki edits).
    #[error("{op}: conflict (409); the record changed meanwhile, reload it and retry")]
    Conflict {
        /// The call that failed.
        op: Operation,
    },

    /// 412: Redmine rejected the `X-Redmine-Switch-User` login.
    #[error(
        "{op}: redmine rejected the switch-user login (412); check that the login exists \
         and is active"
    )]
    SwitchUserRejected {
        /// The call that failed.
        op: Operation,
    },

    /// 422: Redmine refused the input and said why.
    #[error("{op}: redmine rejected the input (422): {}", .errors.join("; "))]
    Validation {
        /// The call that failed.
        op: Operation,
        /// Redmine's messages, such as `Subject cannot be blank`.
        errors: Vec<String>,
    },

    /// Any other status Redmine should not answer with.
    #[error("{op}: unexpected status {status} from redmine: {snippet}")]
    UnexpectedStatus {
        /// The call that failed.
        op: Operation,
        /// The status Redmine answered with.
        status: StatusCode,
        /// The start of the body with whitespace collapsed, at most 512 characters.
        snippet: String,
    },

    /// The call did not complete within the client's timeout.
    #[error("{op}: redmine did not answer in time; retry later or raise the client's timeout")]
    Timeout {
        /// The call that failed.
        op: Operation,
    },

    /// Redmine could not be reached at all.
    #[error("{op}: could not connect to redmine; check the base url and that redmine is up")]
    Connect {
        /// The call that failed.
        op: Operation,
        /// The transport error, with any URL stripped.
        #[source]
        source: reqwest::Error,
    },

    /// The connection failed after it was made (reset, truncated body, protocol error).
    #[error("{op}: the connection to redmine failed; retry the call")]
    Transport {
        /// The call that failed.
        op: Operation,
        /// The transport error, with any URL stripped.
        #[source]
        source: reqwest::Error,
    },

    /// The body did not have the shape this crate expects.
    #[error("{op}: could not decode redmine's answer at `{path}`: {source}")]
    Decode {
        /// The call that failed.
        op: Operation,
        /// Where in the JSON document decoding failed, such as `issue.status.id`.
        path: String,
        /// What was wrong there.
        #[source]
        source: serde_json::Error,
    },

    /// A download was larger than the cap the caller set.
    #[error("{op}: the file is larger than the {limit} byte cap; raise the cap to fetch it")]
    TooLarge {
        /// The call that failed.
        op: Operation,
        /// The cap, in bytes.
        limit: u64,
    },

    /// The caller passed something that cannot be sent (a bad base URL, a header value with a
    /// newline, ...). No request was made.
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

impl Error {
    /// The call that failed, if a call was made.
    pub fn operation(&self) -> Option<&Operation> {
        match self {
            Self::Unauthorized { op, .. }
            | Self::Forbidden { op }
            | Self::NotFound { op }
            | Self::Conflict { op }
            | Self::SwitchUserRejected { op }
            | Self::Validation { op, .. }
            | Self::UnexpectedStatus { op, .. }
            | Self::Timeout { op }
            | Self::Connect { op, .. }
            | Self::Transport { op, .. }
            | Self::Decode { op, .. }
            | Self::TooLarge { op, .. } => Some(op),
            Self::InvalidInput(_) => None,
        }
    }

    /// The HTTP status Redmine answered with, for errors that come from one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Self::Forbidden { .. } => Some(StatusCode::FORBIDDEN),
            Self::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            Self::Conflict { .. } => Some(StatusCode::CONFLICT),
            Self::SwitchUserRejected { .. } => Some(StatusCode::PRECONDITION_FAILED),
            Self::Validation { .. } => Some(StatusCode::UNPROCESSABLE_ENTITY),
            Self::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Redmine's validation messages, empty unless this is [`Error::Validation`].
    pub fn validation_errors(&self) -> &[String] {
        match self {
            Self::Validation { errors, .. } => errors,
            _ => &[],
        }
    }

    /// Whether Redmine wants (other) credentials.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }

    /// Whether the user lacks permission.
    pub fn is_forbidden(&self) -> bool {
        matches!(self, Self::Forbidden { .. })
    }

    /// Whether the record does not exist or is hidden.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
    }

    /// Whether Redmine refused the input with a list of reasons.
    pub fn is_validation(&self) -> bool {
        matches!(self, Self::Validation { .. })
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// Whether the same call may succeed if simply tried again later: timeouts, connection
    /// failures, 429 and the 5xx statuses that proxies use for an overloaded or restarting
    /// upstream.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Connect { .. } | Self::Transport { .. } => true,
            Self::UnexpectedStatus { status, .. } => matches!(
                *status,
                StatusCode::TOO_MANY_REQUESTS
                    | StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            ),
            _ => false,
        }
    }

    /// Classifies a transport error, dropping the URL it carries so that no query string ends
    /// up in a message.
    pub(crate) fn from_transport(op: Operation, source: reqwest::Error) -> Self {
        if source.is_timeout() {
            return Self::Timeout { op };
        }

        let source = source.without_url();
        if source.is_connect() {
            Self::Connect { op, source }
        } else {
            Self::Transport { op, source }
        }
    }

    /// Maps a status Redmine should not have answered with, given its headers and the start of
    /// its body.
    pub(crate) fn from_status(
        op: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        if status.is_redirection() {
            // XXX(redmine): non-API paths such as attachment downloads answer an anonymous
            // caller with a redirect to the login form instead of 401.
            let location = header(LOCATION).unwrap_or_default();
            let path = location.split('?').next().unwrap_or_default();
            if path.ends_with("/login") {
                return Self::Unauthorized { op, challenge: None };
            }
            let snippet = "redmine redirected the call; check the base url's scheme, host and \
                           sub-path"
                .to_owned();
            return Self::UnexpectedStatus { op, status, snippet };
        }

        match status {
            StatusCode::UNAUTHORIZED => {
                Self::Unauthorized { op, challenge: header(WWW_AUTHENTICATE).map(str::to_owned) }
            }
            StatusCode::FORBIDDEN => Self::Forbidden { op },
            StatusCode::NOT_FOUND => Self::NotFound { op },
            StatusCode::CONFLICT => Self::Conflict { op },
            StatusCode::PRECONDITION_FAILED => Self::SwitchUserRejected { op },
            StatusCode::UNPROCESSABLE_ENTITY => match validation_errors(body) {
                Some(errors) => Self::Validation { op, errors },
                None => Self::UnexpectedStatus { op, status, snippet: snippet(body) },
            },
            _ => Self::UnexpectedStatus { op, status, snippet: snippet(body) },
        }
    }
}

/// Reads Redmine's `{"errors": ["..."]}` body.
fn validation_errors(body: &[u8]) -> Option<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Errors {
        errors: Vec<String>,
    }

    serde_json::from_slice::<Errors>(body).ok().map(|e| e.errors)
}

/// The start of a body, readable in one line: invalid UTF-8 replaced, whitespace runs collapsed,
/// cut on a character boundary after [`SNIPPET_CHARS`] characters.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut words = text.split_whitespace().flat_map(|word| " ".chars().chain(word.chars()));
    words.next();

    let mut out: String = words.by_ref().take(SNIPPET_CHARS).collect();
    if words.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op() -> Operation {
        Operation::new(Method::GET, "/issues/{id}.json")
    }

    fn none() -> HeaderMap {
        HeaderMap::new()
    }

    #[test]
    fn snippet_collapses_whitespace_and_bounds_length() {
        assert_eq!(
            snippet(b"  <html>\n  <body>oops</body>\n</html>  "),
            "<html> <body>oops</body> </html>"
        );
        assert_eq!(snippet(b""), "");

        let long = "é".repeat(SNIPPET_CHARS * 2);
        let cut = snippet(long.as_bytes());
        assert_eq!(cut.chars().count(), SNIPPET_CHARS + 1);
        assert!(cut.ends_with('…'));

        let exact = "a".repeat(SNIPPET_CHARS);
        assert_eq!(snippet(exact.as_bytes()), exact);
    }

    #[test]
    fn snippet_survives_invalid_utf8() {
        assert_eq!(snippet(&[b'o', 0xff, b'k']), "o\u{fffd}k");
    }

    #[test]
    fn statuses_map_to_variants() {
        let body = br#"{"errors":["Subject cannot be blank","Tracker is invalid"]}"#;
        let err = Error::from_status(op(), StatusCode::UNPROCESSABLE_ENTITY, &none(), body);
        assert_eq!(err.validation_errors(), ["Subject cannot be blank", "Tracker is invalid"]);
        assert_eq!(
            err.to_string(),
            "GET /issues/{id}.json: redmine rejected the input (422): \
             Subject cannot be blank; Tracker is invalid"
        );

        let err = Error::from_status(op(), StatusCode::UNPROCESSABLE_ENTITY, &none(), b"<html>");
        assert!(matches!(err, Error::UnexpectedStatus { .. }));
        assert_eq!(err.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));

        let err = Error::from_status(op(), StatusCode::PRECONDITION_FAILED, &none(), b"");
        assert!(matches!(err, Error::SwitchUserRejected { .. }));
        assert!(!err.is_retryable());

        let err = Error::from_status(op(), StatusCode::SERVICE_UNAVAILABLE, &none(), b"");
        assert!(err.is_retryable());
    }

    #[test]
    fn redirects_to_login_mean_unauthorized() {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, "http://r.example/login?back_url=x".parse().unwrap());
        let err = Error::from_status(op(), StatusCode::FOUND, &headers, b"");
        assert!(err.is_unauthorized());

        headers.insert(LOCATION, "https://r.example/issues/1.json".parse().unwrap());
        let err = Error::from_status(op(), StatusCode::MOVED_PERMANENTLY, &headers, b"");
        assert_eq!(err.status(), Some(StatusCode::MOVED_PERMANENTLY));
        assert!(err.to_string().contains("check the base url"), "{err}");
    }

    #[test]
    fn messages_are_lowercase_without_trailing_period() {
        let errors = [
            Error::from_status(op(), StatusCode::UNAUTHORIZED, &none(), b""),
            Error::from_status(op(), StatusCode::FORBIDDEN, &none(), b""),
            Error::from_status(op(), StatusCode::NOT_FOUND, &none(), b""),
            Error::from_status(op(), StatusCode::CONFLICT, &none(), b""),
            Error::Timeout { op: op() },
            Error::TooLarge { op: op(), limit: 10 },
        ];
        for err in errors {
            let message = err.to_string();
            let after_op = message.split(": ").nth(1).unwrap();
            assert!(after_op.starts_with(|c: char| c.is_lowercase()), "{message}");
            assert!(!message.ends_with('.'), "{message}");
            assert!(message.starts_with("GET /issues/{id}.json: "), "{message}");
        }
    }
}

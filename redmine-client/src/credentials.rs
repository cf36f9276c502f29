//! Credentials and the secret types that hold them.
//!
//! Secrets are wrapped in [`secrecy::SecretString`] so that they are zeroed on drop, print as
//! `[redacted]` through both `Debug` and `Display`, and compare in constant time. This module
//! also turns credentials into request headers; it does not decide when to send them (that is
//! the client's single request path) and it never puts a secret into a URL.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

use crate::Error;

/// The header Redmine reads an API key from.
const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-redmine-api-key");

/// What a secret prints as, wherever it is formatted.
const REDACTED: &str = "[redacted]";

/// Declares a secret newtype around [`SecretString`].
macro_rules! secret {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(SecretString);

        impl $name {
            /// Wraps a secret value.
            pub fn new(secret: impl Into<String>) -> Self {
                Self(SecretString::from(secret.into()))
            }

            /// The secret itself, for the rare caller that must hand it on.
            pub fn expose_secret(&self) -> &str {
                self.0.expose_secret()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(REDACTED)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(REDACTED)
            }
        }

        impl PartialEq for $name {
            /// Compares in constant time, so that timing does not reveal how much of a guess
            /// matched.
            fn eq(&self, other: &Self) -> bool {
                self.expose_secret().as_bytes().ct_eq(other.expose_secret().as_bytes()).into()
            }
        }

        impl Eq for $name {}

        impl From<String> for $name {
            fn from(secret: String) -> Self {
                Self::new(secret)
            }
        }

        impl From<&str> for $name {
            fn from(secret: &str) -> Self {
                Self::new(secret)
            }
        }
    )*};
}

secret! {
    /// A Redmine API key (the hex string under "My account > API access key").
    ApiKey;
    /// An OAuth 2 access token issued by Redmine's Doorkeeper provider (Redmine 6.1 and later).
    BearerToken;
    /// A password for HTTP Basic authentication.
    Password;
}

/// How the client proves who it is to Redmine.
///
/// Redmine treats missing or unknown credentials as the anonymous user rather than rejecting
/// them, so a wrong key still gets public data back with 200. To check that credentials work,
/// ask for `/users/current.json`, which answers 401 to the anonymous user.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Credentials {
    /// An API key, sent in the `X-Redmine-API-Key` header (never in the query string).
    ApiKey(ApiKey),
    /// An OAuth access token, sent as `Authorization: Bearer`.
    Bearer(BearerToken),
    /// A login and password, sent as HTTP Basic authentication.
    Basic {
        /// The user's login name.
        login: String,
        /// The user's password.
        password: Password,
    },
    /// No credentials: Redmine answers as the anonymous user.
    #[default]
    Anonymous,
}

impl Credentials {
    /// Credentials from an API key.
    pub fn api_key(key: impl Into<String>) -> Self {
        Self::ApiKey(ApiKey::new(key))
    }

    /// Credentials from an OAuth access token.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Bearer(BearerToken::new(token))
    }

    /// Credentials from a login and password.
    pub fn basic(login: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Basic { login: login.into(), password: Password::new(password) }
    }

    /// The header that carries these credentials, marked sensitive so that HTTP-level logging
    /// and debugging output leave it out.
    pub(crate) fn header(&self) -> Result<Option<(HeaderName, HeaderValue)>, Error> {
        let (name, value) = match self {
            Self::Anonymous => return Ok(None),
            Self::ApiKey(key) => (API_KEY_HEADER, key.expose_secret().to_owned()),
            Self::Bearer(token) => (AUTHORIZATION, format!("Bearer {}", token.expose_secret())),
            Self::Basic { login, password } => {
                let pair = format!("{login}:{}", password.expose_secret());
                (AUTHORIZATION, format!("Basic {}", BASE64.encode(pair)))
            }
        };

        let mut value = HeaderValue::from_str(&value).map_err(|_| {
            Error::InvalidInput(format!(
                "the {} contains characters that cannot be sent in an http header; \
                 check it for stray whitespace or newlines",
                self.kind()
            ))
        })?;
        value.set_sensitive(true);
        Ok(Some((name, value)))
    }

    /// A short name for the kind of credentials, safe to log.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ApiKey(_) => "api key",
            Self::Bearer(_) => "bearer token",
            Self::Basic { .. } => "basic credentials",
            Self::Anonymous => "anonymous access",
        }
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Basic { login, .. } => write!(f, "basic credentials for {login} {REDACTED}"),
            Self::Anonymous => f.write_str("anonymous access"),
            other => write!(f, "{} {REDACTED}", other.kind()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let creds = Credentials::api_key("0123456789abcdef");
        assert!(!format!("{creds:?}").contains("0123"));
        assert!(!format!("{creds}").contains("0123"));
        let basic = Credentials::basic("admin", "hunter22");
        assert!(!format!("{basic:?} {basic}").contains("hunter22"));
        assert!(format!("{basic}").contains("admin"));
    }

    #[test]
    fn secrets_compare_by_value() {
        assert_eq!(ApiKey::new("abc"), ApiKey::new("abc"));
        assert_ne!(ApiKey::new("abc"), ApiKey::new("abd"));
        assert_ne!(ApiKey::new("abc"), ApiKey::new("abcd"));
    }

    #[test]
    fn headers_are_sensitive_and_well_formed() {
        let (name, value) = Credentials::api_key("k1").header().unwrap().unwrap();
        assert_eq!(name.as_str(), "x-redmine-api-key");
        assert!(value.is_sensitive());
        assert_eq!(value.to_str().unwrap(), "k1");

        let (name, value) = Credentials::basic("admin", "pw").header().unwrap().unwrap();
        assert_eq!(name, AUTHORIZATION);
        assert_eq!(value.to_str().unwrap(), "Basic YWRtaW46cHc=");

        let (_, value) = Credentials::bearer("t0k").header().unwrap().unwrap();
        assert_eq!(value.to_str().unwrap(), "Bearer t0k");

        assert!(Credentials::Anonymous.header().unwrap().is_none());
    }

    #[test]
    fn header_rejects_newlines_without_echoing_the_secret() {
        let err = Credentials::api_key("abc\ndef").header().unwrap_err();
        assert!(!err.to_string().contains("abc"));
        assert!(err.to_string().contains("api key"));
    }
}

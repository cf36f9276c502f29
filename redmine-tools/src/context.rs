//! The context one tool call runs in: the Redmine client carrying the
//! caller's own credentials, and the caller's share of the lookup cache.
//!
//! A context is made per call by the face that received it (MCP or REST) from
//! the credentials that came with that call. Nothing here holds a server-wide
//! credential, so a handler cannot act as anyone but its caller.

use std::sync::Arc;

use redmine_client::{Client, Credentials};
use sha2::{Digest, Sha256};

use crate::resolve::Lookups;

/// Identifies a caller for caching without keeping its secret: a SHA-256 of
/// the credentials. Two callers never share cached lookups.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallerKey([u8; 32]);

impl CallerKey {
    /// The key for whoever `client` acts as.
    pub fn of(client: &Client) -> Self {
        let mut hash = Sha256::new();
        match client.credentials() {
            Credentials::ApiKey(key) => {
                hash.update(b"key\0");
                hash.update(key.expose_secret().as_bytes());
            }
            Credentials::Bearer(token) => {
                hash.update(b"bearer\0");
                hash.update(token.expose_secret().as_bytes());
            }
            Credentials::Basic { login, password } => {
                hash.update(b"basic\0");
                hash.update(login.as_bytes());
                hash.update(b"\0");
                hash.update(password.expose_secret().as_bytes());
            }
            Credentials::Anonymous => hash.update(b"anonymous\0"),
        }
        if let Some(login) = client.switch_user() {
            hash.update(b"\0as\0");
            hash.update(login.as_bytes());
        }
        Self(hash.finalize().into())
    }
}

/// Limits that shape a tool's answer.
#[derive(Debug, Clone, Copy)]
pub struct OutputLimits {
    /// The most characters one answer may have; longer answers are trimmed
    /// and say what was left out.
    pub budget_chars: usize,
    /// The most bytes of an attachment returned as text.
    pub attachment_text_bytes: u64,
}

impl Default for OutputLimits {
    fn default() -> Self {
        // ChatGPT refuses response bodies of 100,000 characters or more; the
        // default leaves room for the envelope the faces wrap answers in.
        Self { budget_chars: 90_000, attachment_text_bytes: 64 * 1024 }
    }
}

/// Everything a handler needs for one call.
#[derive(Debug, Clone)]
pub struct CallContext {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: Client,
    caller: CallerKey,
    lookups: Lookups,
    limits: OutputLimits,
}

impl CallContext {
    pub(crate) fn new(client: Client, lookups: Lookups, limits: OutputLimits) -> Self {
        let caller = CallerKey::of(&client);
        Self { inner: Arc::new(Inner { client, caller, lookups, limits }) }
    }

    /// The client acting as the caller.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    pub(crate) fn caller(&self) -> &CallerKey {
        &self.inner.caller
    }

    pub(crate) fn lookups(&self) -> &Lookups {
        &self.inner.lookups
    }

    /// The character budget of one answer.
    pub fn budget(&self) -> usize {
        self.inner.limits.budget_chars
    }

    /// The most bytes of an attachment returned as text.
    pub fn attachment_text_bytes(&self) -> u64 {
        self.inner.limits.attachment_text_bytes
    }
}

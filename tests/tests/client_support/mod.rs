//! Helpers shared by the `client_*` end-to-end tests: clients for the seeded users, unique
//! names, and clean-up that runs even when an assertion fails.
//!
//! Each `client_*` binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::future::Future;
use std::panic::{AssertUnwindSafe, resume_unwind};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use futures::FutureExt;
use redmine_client::{Client, Credentials};
use redmine_mcp_tests::{HarnessEnv, OAuthFlow};

/// A client acting as the seeded user playing `role`, with that user's API key.
pub fn client(env: &HarnessEnv, role: &str) -> Client {
    Client::builder(env.base_url.as_str())
        .credentials(Credentials::api_key(env.user(role).api_key.clone()))
        .build()
        .expect("the harness URL is a valid base URL")
}

/// A client acting as the seeded user playing `role` through an OAuth token limited to
/// `scopes` (Redmine 6.1 only).
pub async fn oauth_client(env: &HarnessEnv, role: &str, scopes: &[&str]) -> Client {
    let token = OAuthFlow::redmine(env)
        .token_for(env.user(role), scopes)
        .await
        .unwrap_or_else(|err| panic!("no token for {role} with {scopes:?}: {err:#}"));
    Client::builder(env.base_url.as_str())
        .credentials(Credentials::bearer(token.access_token))
        .build()
        .expect("the harness URL is a valid base URL")
}

/// A name no other test, process or run uses: lowercase letters, digits and dashes, so that it
/// also serves as a project identifier.
pub fn unique(label: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("e2e-{label}-{}-{nanos}-{n}", std::process::id())
}

/// Runs `body`, then `cleanup` whether `body` panicked or not, then re-raises the panic.
///
/// Tests create their own records in a shared Redmine; this keeps a failed assertion from
/// leaving them behind for the next run to stumble over.
pub async fn with_cleanup(body: impl Future<Output = ()>, cleanup: impl Future<Output = ()>) {
    let outcome = AssertUnwindSafe(body).catch_unwind().await;
    cleanup.await;
    if let Err(panic) = outcome {
        resume_unwind(panic);
    }
}

//! Shared pieces of the end-to-end tests: the description of the running
//! Redmine written by `cargo xtask redmine up`, and a driver for Redmine's
//! OAuth authorization-code flow.
//!
//! The tests never hard-code ids, keys or passwords: everything comes from
//! [`HarnessEnv`], so a reseeded instance works without edits.

pub mod faults;
pub mod gateway;
pub mod harness;
pub mod oauth;
pub mod spawned;

pub use gateway::TestGateway;
pub use harness::{HarnessEnv, SeededProject, SeededUser};
pub use oauth::{OAuthFlow, TokenResponse};

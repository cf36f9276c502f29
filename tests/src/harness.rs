//! Reads the JSON that `cargo xtask redmine up` writes for each instance.
//!
//! The file's keys are produced by `xtask/redmine/seed.rb`; keep both in step.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use anyhow::{Context, bail};
use serde::Deserialize;
use url::Url;

/// One running, seeded Redmine instance.
#[derive(Debug, Clone, Deserialize)]
pub struct HarnessEnv {
    /// The instance name: `6.1` or `5.0`.
    pub instance: String,
    /// Where Redmine answers, always on loopback.
    pub base_url: Url,
    /// Redmine's own version string, for example `6.1.5.stable`.
    pub version: String,
    /// The seeded accounts, including the admin.
    pub users: Vec<SeededUser>,
    /// The OAuth application; absent on Redmine 5.0, which has no OAuth.
    pub oauth: Option<OAuthApp>,
    /// Seeded projects by key: `a`, `a_sub`, `b` (public) and `c` (private).
    pub projects: BTreeMap<String, SeededProject>,
    /// Every other seeded record's id by key, for example `issue_parent`.
    pub ids: BTreeMap<String, u64>,
    /// The seeded wiki pages.
    pub wiki: SeededWiki,
}

/// A seeded account.
#[derive(Debug, Clone, Deserialize)]
pub struct SeededUser {
    /// The account's part in the tests: `admin`, `developer`, `reporter`, `outsider`.
    pub role: String,
    pub id: u64,
    pub login: String,
    pub password: String,
    pub api_key: String,
    pub admin: bool,
    pub name: String,
}

/// A seeded project.
#[derive(Debug, Clone, Deserialize)]
pub struct SeededProject {
    pub id: u64,
    pub identifier: String,
    pub name: String,
}

/// The seeded wiki: a start page with two versions and a child page.
#[derive(Debug, Clone, Deserialize)]
pub struct SeededWiki {
    pub project: String,
    pub title: String,
    pub child_title: String,
}

/// The seeded OAuth application.
#[derive(Debug, Clone, Deserialize)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: Url,
    /// Every scope the application may grant.
    pub scopes: Vec<String>,
}

impl HarnessEnv {
    /// The Redmine 6.1 instance, loaded once per test binary.
    ///
    /// # Panics
    ///
    /// When the instance is not running; the message says how to start it.
    pub fn redmine61() -> &'static HarnessEnv {
        static ENV: OnceLock<HarnessEnv> = OnceLock::new();
        ENV.get_or_init(|| Self::load("6.1").unwrap_or_else(|err| panic!("{err:#}")))
    }

    /// The Redmine 5.0 instance, loaded once per test binary.
    ///
    /// # Panics
    ///
    /// When the instance is not running; the message says how to start it.
    pub fn redmine50() -> &'static HarnessEnv {
        static ENV: OnceLock<HarnessEnv> = OnceLock::new();
        ENV.get_or_init(|| Self::load("5.0").unwrap_or_else(|err| panic!("{err:#}")))
    }

    /// Reads the description of `instance` from the harness directory.
    pub fn load(instance: &str) -> anyhow::Result<Self> {
        let path = env_file(instance);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "no running Redmine {instance} described at {}: start it with \
                 `cargo xtask redmine up --version {instance}`",
                path.display()
            )
        })?;
        let env: HarnessEnv = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a harness description", path.display()))?;
        if env.instance != instance {
            bail!("{} describes instance {}, not {instance}", path.display(), env.instance);
        }
        Ok(env)
    }

    /// The seeded user playing `role` (`admin`, `developer`, `reporter`, `outsider`).
    ///
    /// # Panics
    ///
    /// When no such user was seeded.
    pub fn user(&self, role: &str) -> &SeededUser {
        self.users
            .iter()
            .find(|u| u.role == role)
            .unwrap_or_else(|| panic!("the harness seeded no user with role {role}"))
    }

    /// The seeded project under `key` (`a`, `a_sub`, `b`, `c`).
    ///
    /// # Panics
    ///
    /// When no such project was seeded.
    pub fn project(&self, key: &str) -> &SeededProject {
        self.projects.get(key).unwrap_or_else(|| panic!("the harness seeded no project {key}"))
    }

    /// The id of the seeded record under `key`, for example `issue_parent`.
    ///
    /// # Panics
    ///
    /// When no such record was seeded.
    pub fn id(&self, key: &str) -> u64 {
        *self.ids.get(key).unwrap_or_else(|| panic!("the harness seeded no record {key}"))
    }

    /// The OAuth application.
    ///
    /// # Panics
    ///
    /// On an instance without OAuth (Redmine 5.0).
    pub fn oauth(&self) -> &OAuthApp {
        self.oauth
            .as_ref()
            .unwrap_or_else(|| panic!("Redmine {} has no OAuth application", self.version))
    }

    /// A URL on this Redmine, `path` relative to its root.
    ///
    /// # Panics
    ///
    /// When `path` is not a valid relative reference.
    pub fn url(&self, path: &str) -> Url {
        self.base_url.join(path).expect("a valid path")
    }

    /// Redmine's major and minor version, for skipping what older releases lack.
    pub fn version_at_least(&self, major: u32, minor: u32) -> bool {
        let mut parts = self.version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let found = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        found >= (major, minor)
    }
}

/// Where `cargo xtask redmine up` writes an instance's description.
///
/// The folder is the one the xtask uses: `REDMINE_HARNESS_DIR`, else
/// `~/.cache/redmine-mcp-harness`.
pub fn env_file(instance: &str) -> PathBuf {
    let dir = std::env::var_os("REDMINE_HARNESS_DIR").map_or_else(
        || {
            let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
            PathBuf::from(home).join(".cache/redmine-mcp-harness")
        },
        PathBuf::from,
    );
    dir.join(format!("redmine-{instance}")).join("env.json")
}

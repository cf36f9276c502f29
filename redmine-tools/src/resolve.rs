//! Name resolution: wherever a tool takes a project, tracker, status,
//! priority, activity, user, version or custom field, it also accepts a name
//! or identifier, matched case-insensitively.
//!
//! The candidate lists come from Redmine with the caller's own credentials
//! and are cached briefly per caller ([`CallerKey`]), never shared between
//! callers: what one user may see says nothing about what another may.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;

use crate::context::{CallContext, CallerKey};
use crate::error::ToolError;

/// How many candidates an error lists at most.
const LISTED_CANDIDATES: usize = 25;

/// Something a name can resolve to.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: u64,
    /// The names it answers to: its name, and its identifier or login where it has one.
    pub names: Vec<String>,
}

impl Candidate {
    pub fn new(id: u64, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self { id, names: names.into_iter().map(Into::into).collect() }
    }

    fn label(&self) -> String {
        format!("{} (id {})", self.names.join(" / "), self.id)
    }
}

/// The per-caller cache of candidate lists.
#[derive(Debug, Clone)]
pub struct Lookups {
    cache: Cache<(CallerKey, String), Arc<Vec<Candidate>>>,
}

impl Lookups {
    /// A cache whose entries live `ttl` and which holds at most `capacity` lists.
    pub fn new(ttl: Duration, capacity: u64) -> Self {
        Self { cache: Cache::builder().time_to_live(ttl).max_capacity(capacity).build() }
    }
}

impl Default for Lookups {
    fn default() -> Self {
        Self::new(Duration::from_secs(60), 10_000)
    }
}

impl CallContext {
    /// Resolves `input` to an id: a number is taken as the id itself; anything
    /// else must equal exactly one candidate's name, ignoring case.
    ///
    /// `kind` names what is resolved in messages (`project`, `tracker`); `scope`
    /// tells apart lists of the same kind (the versions of two projects);
    /// `load` fetches the candidates when the cache has none, or when the
    /// cached list has no match: the record may have been created since the
    /// list was cached (a version made by the previous call).
    pub async fn resolve<F, Fut>(
        &self,
        kind: &'static str,
        scope: &str,
        input: &str,
        load: F,
    ) -> Result<u64, ToolError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<Candidate>, ToolError>>,
    {
        let input = input.trim();
        if let Ok(id) = input.parse::<u64>() {
            return Ok(id);
        }
        let key = (self.caller().clone(), format!("{kind}:{scope}"));
        if let Some(cached) = self.lookups().cache.get(&key) {
            match pick(kind, input, &cached) {
                Err(ToolError::NoMatch { .. }) => {}
                resolved => return resolved,
            }
        }
        let loaded = Arc::new(load().await?);
        self.lookups().cache.insert(key, Arc::clone(&loaded));
        pick(kind, input, &loaded)
    }

    /// The cached candidate list for `kind` and `scope`, loading it on a miss.
    pub async fn candidates<F, Fut>(
        &self,
        kind: &'static str,
        scope: &str,
        load: F,
    ) -> Result<Arc<Vec<Candidate>>, ToolError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<Candidate>, ToolError>>,
    {
        let key = (self.caller().clone(), format!("{kind}:{scope}"));
        if let Some(hit) = self.lookups().cache.get(&key) {
            return Ok(hit);
        }
        let loaded = Arc::new(load().await?);
        self.lookups().cache.insert(key, Arc::clone(&loaded));
        Ok(loaded)
    }
}

/// The one candidate `input` names.
pub(crate) fn pick(
    kind: &'static str,
    input: &str,
    candidates: &[Candidate],
) -> Result<u64, ToolError> {
    let wanted = input.to_lowercase();
    let matches: Vec<&Candidate> =
        candidates.iter().filter(|c| c.names.iter().any(|n| n.to_lowercase() == wanted)).collect();

    match matches.as_slice() {
        [one] => Ok(one.id),
        [] => {
            // List the likeliest candidates first: those containing the input.
            let (close, far): (Vec<&Candidate>, Vec<&Candidate>) = candidates
                .iter()
                .partition(|c| c.names.iter().any(|n| n.to_lowercase().contains(&wanted)));
            let candidates = close
                .into_iter()
                .chain(far)
                .take(LISTED_CANDIDATES)
                .map(Candidate::label)
                .collect();
            Err(ToolError::NoMatch { kind, input: input.to_owned(), candidates })
        }
        several => {
            let candidates = several.iter().map(|c| c.label()).collect();
            Err(ToolError::Ambiguous { kind, input: input.to_owned(), candidates })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trackers() -> Vec<Candidate> {
        vec![
            Candidate::new(1, ["Bug"]),
            Candidate::new(2, ["Feature"]),
            Candidate::new(3, ["Support"]),
            Candidate::new(4, ["bug"]),
        ]
    }

    #[test]
    fn exact_name_ignoring_case_resolves() {
        assert_eq!(pick("tracker", "FEATURE", &trackers()).unwrap(), 2);
    }

    #[test]
    fn two_candidates_with_the_same_name_are_ambiguous() {
        let error = pick("tracker", "Bug", &trackers()).unwrap_err();
        assert!(matches!(&error, ToolError::Ambiguous { candidates, .. } if candidates.len() == 2));
        assert!(error.to_string().contains("Bug (id 1)"), "{error}");
        assert!(error.to_string().contains("pass the id"), "{error}");
    }

    #[test]
    fn no_match_lists_the_closest_candidates_first() {
        let error = pick("tracker", "port", &trackers()).unwrap_err();
        let ToolError::NoMatch { candidates, .. } = &error else { panic!("{error:?}") };
        assert_eq!(candidates[0], "Support (id 3)");
        assert_eq!(candidates.len(), 4);
    }

    #[tokio::test]
    async fn a_miss_in_the_cached_list_reloads_it_once() {
        let client = redmine_client::Client::builder("http://127.0.0.1:1").build().unwrap();
        let context =
            CallContext::new(client, Lookups::default(), crate::context::OutputLimits::default());
        let load = |names: &'static [&'static str]| {
            let list = names.iter().enumerate().map(|(i, n)| Candidate::new(i as u64 + 1, [*n]));
            let list: Vec<Candidate> = list.collect();
            move || async move { Ok(list) }
        };

        assert_eq!(context.resolve("version", "p", "1.0", load(&["1.0"])).await.unwrap(), 1);
        // Created after the list was cached: found by reloading.
        assert_eq!(context.resolve("version", "p", "2.0", load(&["1.0", "2.0"])).await.unwrap(), 2);
        // Still no match after the reload: the error lists the fresh candidates.
        let error =
            context.resolve("version", "p", "3.0", load(&["1.0", "2.0"])).await.unwrap_err();
        assert!(error.to_string().contains("2.0 (id 2)"), "{error}");
        // A hit never reloads.
        let unused =
            || async { Err(ToolError::Unsupported("a cached match needs no reload".into())) };
        assert_eq!(context.resolve("version", "p", "2.0", unused).await.unwrap(), 2);
    }

    #[test]
    fn an_identifier_is_one_of_the_names() {
        let projects = vec![Candidate::new(7, ["Project A", "project-a"])];
        assert_eq!(pick("project", "Project-A", &projects).unwrap(), 7);
    }
}

//! Trackers: the kinds of issues (Bug, Feature, ...), each with its default status and the
//! standard fields it uses.
//!
//! Redmine's API only lists them. Which trackers a project uses is part of the project (its
//! `trackers` include).

use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::{StatusId, TrackerId};
use crate::models::IdName;
use crate::request::{Body, Route};

/// A tracker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tracker {
    /// The tracker's id.
    pub id: TrackerId,
    /// The tracker's name.
    pub name: String,
    /// The status new issues of this tracker start in.
    pub default_status: Option<IdName<StatusId>>,
    /// The description.
    pub description: Option<String>,
    /// The standard issue fields the tracker uses (`assigned_to_id`, `due_date`, ...); the
    /// others are hidden on its issues.
    #[serde(default)]
    pub enabled_standard_fields: Vec<String>,
}

impl Client {
    /// Every tracker, in Redmine's order. Redmine does not paginate this list.
    pub async fn list_trackers(&self) -> Result<Vec<Tracker>> {
        let route = Route::get("/trackers.json");
        self.send(route, Body::Empty, "trackers").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracker_fixture_round_trips() {
        #[derive(Deserialize)]
        struct List {
            trackers: Vec<Tracker>,
        }
        let list: List =
            serde_json::from_str(include_str!("../tests/fixtures/trackers_list.json")).unwrap();
        let bug = &list.trackers[0];
        assert_eq!((bug.id, bug.name.as_str()), (TrackerId(1), "Bug"));
        assert_eq!(bug.default_status.as_ref().unwrap().id, StatusId(1));
        assert!(bug.enabled_standard_fields.iter().any(|f| f == "due_date"));

        let again: Vec<Tracker> =
            serde_json::from_value(serde_json::to_value(&list.trackers).unwrap()).unwrap();
        assert_eq!(again, list.trackers);
    }
}

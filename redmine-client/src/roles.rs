//! Roles: the named sets of permissions a user or group holds in a project.
//!
//! Redmine's API only reads roles: the list of roles that can be given to project members, and
//! one role with its permissions. Roles are created and edited in Redmine's administration.

use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::RoleId;
use crate::request::{Body, Route};

/// A role.
///
/// The list carries only ids and names; [`Client::get_role`] fills in the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Role {
    /// The role's id.
    pub id: RoleId,
    /// The role's name.
    pub name: String,
    /// Whether issues can be assigned to members holding this role.
    pub assignable: Option<bool>,
    /// Which issues the role sees: `all`, `default` (public ones and the user's own private
    /// ones) or `own`.
    pub issues_visibility: Option<String>,
    /// Which time entries the role sees: `all` or `own`.
    pub time_entries_visibility: Option<String>,
    /// Which users the role sees: `all` or `members_of_visible_projects`.
    pub users_visibility: Option<String>,
    /// The permissions the role grants, by Redmine's names (`view_issues`, `add_issues`, ...;
    /// plugins add their own). These are also the scopes an OAuth token can be limited to.
    pub permissions: Option<Vec<String>>,
}

impl Role {
    /// Whether the role grants `permission`; `false` when the permissions were not loaded.
    pub fn allows(&self, permission: &str) -> bool {
        self.permissions.as_ref().is_some_and(|all| all.iter().any(|p| p == permission))
    }
}

impl Client {
    /// The roles that can be given to project members (not the built-in "Non member" and
    /// "Anonymous" roles). Redmine does not paginate this list.
    pub async fn list_roles(&self) -> Result<Vec<Role>> {
        let route = Route::get("/roles.json");
        self.send(route, Body::Empty, "roles").await
    }

    /// Role `id` with its visibility settings and permissions.
    pub async fn get_role(&self, id: RoleId) -> Result<Role> {
        let route = Route::get("/roles/{id}.json").arg(id);
        self.send(route, Body::Empty, "role").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_fixtures_round_trip() {
        #[derive(Deserialize)]
        struct One {
            role: Role,
        }
        #[derive(Deserialize)]
        struct List {
            roles: Vec<Role>,
        }

        let role =
            serde_json::from_str::<One>(include_str!("../tests/fixtures/role.json")).unwrap().role;
        assert_eq!((role.id, role.name.as_str()), (RoleId(4), "Developer"));
        assert_eq!(role.assignable, Some(true));
        assert_eq!(role.issues_visibility.as_deref(), Some("default"));
        assert!(role.allows("view_issues") && !role.allows("delete_issues"));
        let again: Role = serde_json::from_value(serde_json::to_value(&role).unwrap()).unwrap();
        assert_eq!(again, role);

        let list = serde_json::from_str::<List>(include_str!("../tests/fixtures/roles_list.json"))
            .unwrap();
        assert_eq!(list.roles.len(), 3);
        assert!(list.roles.iter().all(|r| r.permissions.is_none() && !r.allows("view_issues")));
    }
}

//! Project memberships: which users and groups belong to a project, and with which roles.
//!
//! Memberships are listed and created under their project (`/projects/{project}/memberships`)
//! and read, changed and deleted on their own (`/memberships/{id}`). A group's membership gives
//! each of its users an inherited membership, which cannot be changed or deleted by itself.

use futures::Stream;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::{Error, Result};
use crate::ids::{GroupId, MembershipId, ProjectId, ProjectRef, RoleId, UserId};
use crate::models::IdName;
use crate::page::Page;
use crate::paging::Paging;
use crate::request::{Body, Route};

/// A user's or a group's membership in a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Membership {
    /// The membership's id.
    pub id: MembershipId,
    /// The project.
    pub project: IdName<ProjectId>,
    /// The member, when it is a user.
    pub user: Option<IdName<UserId>>,
    /// The member, when it is a group.
    pub group: Option<IdName<GroupId>>,
    /// The roles, own and inherited; a role given both ways appears twice.
    #[serde(default)]
    pub roles: Vec<MembershipRole>,
}

impl Membership {
    /// The roles given to this membership directly, the ones that can be changed.
    pub fn own_roles(&self) -> impl Iterator<Item = &MembershipRole> {
        self.roles.iter().filter(|role| !role.inherited)
    }
}

/// A role held through a membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MembershipRole {
    /// The role's id.
    pub id: RoleId,
    /// The role's name.
    #[serde(default)]
    pub name: String,
    /// Whether the role comes from a group membership or from the parent project, rather than
    /// from this membership itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
}

/// A membership to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewMembership {
    user_id: UserId,
    role_ids: Vec<RoleId>,
}

impl NewMembership {
    /// Makes user `user` a member with `roles` (at least one).
    pub fn user(user: UserId, roles: impl IntoIterator<Item = RoleId>) -> Self {
        Self { user_id: user, role_ids: roles.into_iter().collect() }
    }

    /// Makes group `group` a member with `roles`; its users inherit the membership.
    pub fn group(group: GroupId, roles: impl IntoIterator<Item = RoleId>) -> Self {
        // Groups and users share one id space, and Redmine takes both as `user_id`.
        Self { user_id: UserId(group.get()), role_ids: roles.into_iter().collect() }
    }
}

/// New roles for a membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MembershipUpdate {
    role_ids: Vec<RoleId>,
}

impl MembershipUpdate {
    /// Replaces the membership's own roles with `roles` (at least one); inherited roles stay.
    pub fn new(roles: impl IntoIterator<Item = RoleId>) -> Self {
        Self { role_ids: roles.into_iter().collect() }
    }
}

impl Client {
    /// One page of the memberships of `project` (users and groups, in creation order).
    pub async fn list_memberships(
        &self,
        project: impl Into<ProjectRef>,
        paging: Paging,
    ) -> Result<Page<Membership>> {
        let route = Route::get("/projects/{project}/memberships.json")
            .arg(project.into())
            .with_query(paging.query());
        self.send_page(route, "memberships").await
    }

    /// Every membership of `project`, page after page, up to `max_items`.
    pub fn stream_memberships(
        &self,
        project: impl Into<ProjectRef>,
        max_items: usize,
    ) -> impl Stream<Item = Result<Membership>> + Send + 'static {
        let route = Route::get("/projects/{project}/memberships.json").arg(project.into());
        self.paginate(route, "memberships", max_items)
    }

    /// Membership `id`.
    pub async fn get_membership(&self, id: MembershipId) -> Result<Membership> {
        let route = Route::get("/memberships/{id}.json").arg(id);
        self.send(route, Body::Empty, "membership").await
    }

    /// Adds a member to `project` ("Manage members" permission); Redmine answers with the
    /// membership it created.
    pub async fn create_membership(
        &self,
        project: impl Into<ProjectRef>,
        membership: &NewMembership,
    ) -> Result<Membership> {
        let route = Route::post("/projects/{project}/memberships.json").arg(project.into());
        self.send(route, Body::wrapped("membership", membership)?, "membership").await
    }

    /// Replaces the own roles of membership `id`.
    ///
    /// An empty role list is refused with [`Error::InvalidInput`] before anything is sent.
    ///
    /// XXX(redmine): Redmine answers an empty list with 422 "Role cannot be empty" but has
    /// already removed the roles by then, which deletes a membership without inherited roles.
    pub async fn update_membership(
        &self,
        id: MembershipId,
        update: &MembershipUpdate,
    ) -> Result<()> {
        if update.role_ids.is_empty() {
            return Err(Error::InvalidInput(
                "a membership needs at least one role; delete the membership to remove the member"
                    .into(),
            ));
        }

        let route = Route::put("/memberships/{id}.json").arg(id);
        self.send_no_content(route, Body::wrapped("membership", update)?).await
    }

    /// Deletes membership `id`; a group's membership takes its users' inherited ones with it.
    ///
    /// XXX(redmine): a membership holding inherited roles cannot be deleted, and Redmine says so
    /// with a bare 422 without `errors` (an [`Error::UnexpectedStatus`]); remove
    /// the group's or the parent project's membership instead.
    pub async fn delete_membership(&self, id: MembershipId) -> Result<()> {
        let route = Route::delete("/memberships/{id}.json").arg(id);
        self.send_no_content(route, Body::Empty).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_sent_as_user_ids() {
        let body = NewMembership::group(GroupId(8), [RoleId(5)]);
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"user_id": 8, "role_ids": [5]})
        );
    }

    #[test]
    fn own_roles_skip_inherited_ones() {
        let membership: Membership = serde_json::from_value(serde_json::json!({
            "id": 2,
            "project": {"id": 3, "name": "B"},
            "user": {"id": 6, "name": "Remy"},
            "roles": [
                {"id": 5, "name": "Reporter"},
                {"id": 4, "name": "Developer", "inherited": true},
            ],
        }))
        .unwrap();
        let own: Vec<_> = membership.own_roles().map(|r| r.id).collect();
        assert_eq!(own, [RoleId(5)]);
        assert!(membership.group.is_none());
    }
}

//! Groups: named sets of users that can be made project members as one.
//!
//! Everything here except reading one group is for administrators only. Redmine also has two
//! built-in groups, "Anonymous users" and "Non member users", that stand for everyone not
//! signed in and everyone signed in but not a member; they are listed only on request
//! ([`Client::list_all_groups`]) and have no users. Project memberships of a group are managed
//! through the project's memberships, not here.

use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::{GroupId, UserId};
use crate::models::{CustomFieldInput, CustomFieldValue, IdName};
use crate::request::{Body, Route};
use crate::users::PrincipalMembership;

/// A group of users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Group {
    /// The group's id. Groups and users share one id space.
    pub id: GroupId,
    /// The group's name.
    pub name: String,
    /// For the built-in groups, which one: `anonymous` or `non_member`.
    pub builtin: Option<String>,
    /// The custom field values visible to the caller.
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldValue>,
    /// The group's users ([`GroupInclude::Users`]; never sent for built-in groups).
    pub users: Option<Vec<IdName<UserId>>>,
    /// The group's project memberships visible to the caller ([`GroupInclude::Memberships`]).
    pub memberships: Option<Vec<PrincipalMembership>>,
}

/// Extra data to ask for with a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GroupInclude {
    /// The group's users.
    Users,
    /// The group's project memberships, with their roles.
    Memberships,
}

impl GroupInclude {
    /// Redmine's name for the include.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Memberships => "memberships",
        }
    }
}

/// A group to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewGroup {
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    user_ids: Vec<UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    twofa_required: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    custom_fields: Vec<CustomFieldInput>,
}

impl NewGroup {
    /// A group named `name`, without users.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            user_ids: Vec::new(),
            twofa_required: None,
            custom_fields: Vec::new(),
        }
    }

    setters! {
        /// Whether members must use two-factor authentication.
        twofa_required => twofa_required: bool;
    }

    /// Users to put in the group.
    #[must_use]
    pub fn users(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.user_ids.extend(users);
        self
    }

    /// Sets a custom field; call once per field.
    #[must_use]
    pub fn custom_field(mut self, value: CustomFieldInput) -> Self {
        self.custom_fields.push(value);
        self
    }
}

/// Changes to a group; fields left unset keep their value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct GroupUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_ids: Option<Vec<UserId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    twofa_required: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    custom_fields: Vec<CustomFieldInput>,
}

impl GroupUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Renames the group.
        name => name: String;
        /// Whether members must use two-factor authentication.
        twofa_required => twofa_required: bool;
    }

    /// Replaces the group's users with `users`. To add or remove one user without knowing the
    /// others, use [`Client::add_group_user`] and [`Client::remove_group_user`].
    #[must_use]
    pub fn users(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.user_ids = Some(users.into_iter().collect());
        self
    }

    /// Sets a custom field; call once per field.
    #[must_use]
    pub fn custom_field(mut self, value: CustomFieldInput) -> Self {
        self.custom_fields.push(value);
        self
    }
}

impl Client {
    /// The groups users can be put in (administrators only). Redmine does not paginate this
    /// list.
    pub async fn list_groups(&self) -> Result<Vec<Group>> {
        let route = Route::get("/groups.json");
        self.send(route, Body::Empty, "groups").await
    }

    /// Every group including the built-in "Anonymous users" and "Non member users"
    /// (administrators only).
    pub async fn list_all_groups(&self) -> Result<Vec<Group>> {
        let route = Route::get("/groups.json").param("builtin", 1);
        self.send(route, Body::Empty, "groups").await
    }

    /// Group `id`, with the extra data named in `include`.
    ///
    /// Any user may ask. Redmine 6.1 shows non-administrators only the groups their roles'
    /// user visibility covers, never the built-in ones, and answers
    /// [`Error::NotFound`](crate::Error::NotFound) for the others; it also lists only the
    /// memberships in projects the caller can see.
    pub async fn get_group(&self, id: GroupId, include: &[GroupInclude]) -> Result<Group> {
        let mut route = Route::get("/groups/{id}.json").arg(id);
        route.query.set_list("include", include.iter().map(|i| i.as_str()));
        self.send(route, Body::Empty, "group").await
    }

    /// Creates a group (administrators only); Redmine answers with the group it created.
    pub async fn create_group(&self, group: &NewGroup) -> Result<Group> {
        let route = Route::post("/groups.json");
        self.send(route, Body::wrapped("group", group)?, "group").await
    }

    /// Changes group `id` (administrators only).
    pub async fn update_group(&self, id: GroupId, update: &GroupUpdate) -> Result<()> {
        let route = Route::put("/groups/{id}.json").arg(id);
        self.send_no_content(route, Body::wrapped("group", update)?).await
    }

    /// Deletes group `id` (administrators only). Its users keep their accounts but lose the
    /// memberships they had through the group.
    pub async fn delete_group(&self, id: GroupId) -> Result<()> {
        let route = Route::delete("/groups/{id}.json").arg(id);
        self.send_no_content(route, Body::Empty).await
    }

    /// Puts user `user` in group `group` (administrators only).
    ///
    /// XXX(redmine): adding a user who already belongs to the group, or who does not exist, is
    /// refused with a 422 `User is invalid`.
    pub async fn add_group_user(&self, group: GroupId, user: UserId) -> Result<()> {
        #[derive(Serialize)]
        struct NewGroupUser {
            user_id: UserId,
        }

        let route = Route::post("/groups/{id}/users.json").arg(group);
        self.send_no_content(route, Body::json(&NewGroupUser { user_id: user })?).await
    }

    /// Takes user `user` out of group `group` (administrators only). Removing a user who is not
    /// in the group succeeds and changes nothing.
    pub async fn remove_group_user(&self, group: GroupId, user: UserId) -> Result<()> {
        let route = Route::delete("/groups/{id}/users/{user_id}.json").arg(group).arg(user);
        self.send_no_content(route, Body::Empty).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ProjectId, RoleId};

    #[derive(Deserialize)]
    struct One {
        group: Group,
    }

    #[derive(Deserialize)]
    struct List {
        groups: Vec<Group>,
    }

    #[test]
    fn group_fixture_round_trips() {
        let group: Group =
            serde_json::from_str::<One>(include_str!("../tests/fixtures/group.json"))
                .unwrap()
                .group;
        assert_eq!(group.name, "Harness Team");
        assert_eq!(group.builtin, None);
        let users = group.users.as_ref().unwrap();
        assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [UserId(5), UserId(6)]);
        let membership = &group.memberships.as_ref().unwrap()[0];
        assert_eq!((membership.project.id, membership.roles[0].id), (ProjectId(3), RoleId(5)));

        let again: Group = serde_json::from_value(serde_json::to_value(&group).unwrap()).unwrap();
        assert_eq!(again, group);
    }

    #[test]
    fn list_fixture_marks_builtin_groups() {
        let list: List =
            serde_json::from_str(include_str!("../tests/fixtures/groups_list_builtin.json"))
                .unwrap();
        let builtin: Vec<_> = list.groups.iter().filter_map(|g| g.builtin.as_deref()).collect();
        assert_eq!(builtin, ["anonymous", "non_member"]);
        assert!(list.groups.iter().all(|g| g.users.is_none()));

        let created: Group =
            serde_json::from_str::<One>(include_str!("../tests/fixtures/group_created.json"))
                .unwrap()
                .group;
        assert_eq!(created.name, "Fixture Group");
    }

    #[test]
    fn bodies_send_only_what_is_set() {
        let group = NewGroup::new("Ops").users([UserId(5), UserId(6)]);
        assert_eq!(
            serde_json::to_value(&group).unwrap(),
            serde_json::json!({"name": "Ops", "user_ids": [5, 6]})
        );
        let update = GroupUpdate::new().name("Ops 2").users([]);
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"name": "Ops 2", "user_ids": []})
        );
    }
}

//! The client's user, account and group calls against the real Redmine: CRUD round trips as the
//! administrator, filters, refusals for everyone else and OAuth scopes.
//!
//! The API-key checks run against both Redmine 6.1 and 5.0 (modules `redmine61` and
//! `redmine50`); where 5.0 behaves differently the check says so and prints why. OAuth exists
//! only in 6.1.
//!
//! Every record a test creates carries a name unique to the test run and is deleted before the
//! test ends, pass or fail; seeded records are only read.

mod client_support;

use futures::TryStreamExt;
use redmine_client::groups::{GroupInclude, GroupUpdate, NewGroup};
use redmine_client::users::{NewUser, User, UserFilter, UserInclude, UserStatus, UserUpdate};
use redmine_client::{ApiKey, Client, Credentials, Error, GroupId, ProjectId, RoleId, UserId};
use redmine_mcp_tests::HarnessEnv;

use client_support::{client, oauth_client, unique, with_cleanup};

/// Runs each named check as one test against Redmine 6.1 and one against Redmine 5.0.
macro_rules! on_both_versions {
    ($($check:ident),* $(,)?) => {
        mod redmine61 {
            $(
                #[tokio::test]
                async fn $check() {
                    super::$check(redmine_mcp_tests::HarnessEnv::redmine61()).await;
                }
            )*
        }

        mod redmine50 {
            $(
                #[tokio::test]
                async fn $check() {
                    super::$check(redmine_mcp_tests::HarnessEnv::redmine50()).await;
                }
            )*
        }
    };
}

on_both_versions!(
    user_crud_round_trip_as_admin,
    user_filters_return_what_they_ask_for_and_only_that,
    the_caller_reads_its_own_account,
    users_see_only_the_users_their_roles_show,
    non_admins_are_refused_admin_routes,
    group_crud_and_membership_round_trip,
    non_admins_read_groups_as_their_roles_allow,
);

/// A client sending `credentials`, for the anonymous and unknown callers.
fn client_with(env: &HarnessEnv, credentials: Credentials) -> Client {
    Client::builder(env.base_url.as_str()).credentials(credentials).build().unwrap()
}

/// Creates an active user with a unique login as the administrator.
async fn create_user(admin: &Client, tag: &str) -> User {
    let login = unique(tag);
    let user = NewUser::new(&login, "E2e", tag, format!("{login}@example.test"))
        .password(format!("Pw-{login}"))
        .must_change_password(false);
    admin.create_user(&user).await.unwrap()
}

async fn delete_users(admin: &Client, ids: &[UserId]) {
    for id in ids {
        if let Err(err) = admin.delete_user(*id).await {
            eprintln!("cleanup: could not delete user {id}: {err}");
        }
    }
}

/// The status of a listed user; Redmine 5.0's list leaves it out, so it is read from the user.
async fn status_of(admin: &Client, user: &User) -> UserStatus {
    match user.status {
        Some(status) => status,
        None => admin.get_user(user.id, &[]).await.unwrap().status.unwrap(),
    }
}

/// Whether the developer sees every active user, by the user visibility of its roles (the
/// Developer role in project A and the Reporter role through the group in project B).
async fn developer_sees_all_users(env: &HarnessEnv) -> bool {
    let dev = client(env, "developer");
    let mut sees_all = false;
    for key in ["role_developer", "role_reporter"] {
        let role = dev.get_role(RoleId(env.id(key))).await.unwrap();
        sees_all |= role.users_visibility.as_deref() == Some("all");
    }
    sees_all
}

fn ids(users: &[User]) -> Vec<UserId> {
    users.iter().map(|u| u.id).collect()
}

async fn user_crud_round_trip_as_admin(env: &HarnessEnv) {
    let admin = client(env, "admin");
    let login = unique("crud");
    let new = NewUser::new(&login, "Casey", "Crud", format!("{login}@example.test"))
        .password(format!("Pw-{login}"))
        .must_change_password(false)
        .language("en")
        .mail_notification("none");
    let created = admin.create_user(&new).await.unwrap();
    assert_eq!(created.login.as_deref(), Some(login.as_str()));
    assert_eq!(created.status, Some(UserStatus::Active));
    assert_eq!(created.admin, Some(false));
    assert!(created.api_key.is_some(), "administrators see the new user's key");

    with_cleanup(
        async {
            let read = admin.get_user(created.id, &[UserInclude::Groups]).await.unwrap();
            assert_eq!(read.name(), "Casey Crud");
            assert_eq!(read.mail, Some(format!("{login}@example.test")));
            assert_eq!(read.groups, Some(Vec::new()));

            let update = UserUpdate::new().firstname("Locked").status(UserStatus::Locked);
            admin.update_user(created.id, &update).await.unwrap();
            let read = admin.get_user(created.id, &[]).await.unwrap();
            assert_eq!(
                (read.firstname.as_str(), read.status),
                ("Locked", Some(UserStatus::Locked))
            );

            // The list holds active users unless told otherwise.
            let active = admin.list_users(&UserFilter::new().name(&login)).await.unwrap();
            assert!(active.items.is_empty(), "{:?}", ids(&active.items));
            let locked = UserFilter::new().name(&login).status(UserStatus::Locked);
            let locked = admin.list_users(&locked).await.unwrap();
            assert_eq!(ids(&locked.items), [created.id]);
            let any = admin.list_users(&UserFilter::new().name(&login).any_status()).await.unwrap();
            if env.version_at_least(5, 1) {
                assert_eq!(ids(&any.items), [created.id]);
            } else {
                // XXX(redmine): before the user list became a query, `status=*` meant status 0.
                println!(
                    "skipped `any_status` on Redmine {}: it reads `*` as no status; \
                     checking its empty-status form instead",
                    env.version
                );
                assert!(any.items.is_empty(), "{:?}", ids(&any.items));
                let any = UserFilter::new().name(&login).extra("status", "");
                assert_eq!(ids(&admin.list_users(&any).await.unwrap().items), [created.id]);
            }

            let duplicate = admin.create_user(&new).await.unwrap_err();
            assert!(
                duplicate.validation_errors().iter().any(|e| e.contains("Login")),
                "{duplicate}"
            );
        },
        async { admin.delete_user(created.id).await.unwrap() },
    )
    .await;

    let gone = admin.get_user(created.id, &[]).await.unwrap_err();
    assert!(gone.is_not_found(), "{gone:?}");
}

async fn user_filters_return_what_they_ask_for_and_only_that(env: &HarnessEnv) {
    let admin = client(env, "admin");
    let dev = env.user("developer");
    let reporter = env.user("reporter");
    let team = GroupId(env.id("group_team"));

    let by_name = admin.list_users(&UserFilter::new().name("dana")).await.unwrap();
    assert!(by_name.items.iter().any(|u| u.id == UserId(dev.id)));
    for user in &by_name.items {
        let haystack = format!(
            "{} {} {} {}",
            user.login.as_deref().unwrap_or_default(),
            user.firstname,
            user.lastname,
            user.mail.as_deref().unwrap_or_default()
        );
        assert!(haystack.to_lowercase().contains("dana"), "{haystack}");
        assert_eq!(status_of(&admin, user).await, UserStatus::Active);
    }

    let in_team = admin.list_users(&UserFilter::new().group(team)).await.unwrap();
    let found = ids(&in_team.items);
    assert!(found.contains(&UserId(dev.id)) && found.contains(&UserId(reporter.id)), "{found:?}");
    assert!(!found.contains(&UserId(env.user("admin").id)));
    assert!(!found.contains(&UserId(env.user("outsider").id)));
    for user in &in_team.items {
        let user = admin.get_user(user.id, &[UserInclude::Groups]).await.unwrap();
        assert!(user.groups.unwrap().iter().any(|g| g.id == team), "{} is in the team", user.id);
    }

    let locked = admin.list_users(&UserFilter::new().status(UserStatus::Locked)).await.unwrap();
    for user in &locked.items {
        assert_eq!(status_of(&admin, user).await, UserStatus::Locked, "{}", user.id);
    }

    let first = admin.list_users(&UserFilter::new().limit(1)).await.unwrap();
    let second = admin.list_users(&UserFilter::new().offset(1).limit(1)).await.unwrap();
    assert_eq!((first.items.len(), first.limit, second.offset), (1, 1, 1));
    assert_ne!(ids(&first.items), ids(&second.items));
    let streamed: Vec<User> =
        admin.stream_users(&UserFilter::new().group(team), 10).try_collect().await.unwrap();
    assert_eq!(ids(&streamed), found);
}

async fn the_caller_reads_its_own_account(env: &HarnessEnv) {
    let seeded = env.user("developer");
    let dev = client(env, "developer");

    let include = [UserInclude::Memberships, UserInclude::Groups];
    let me = dev.current_user(&include).await.unwrap();
    assert_eq!((me.id, me.login.as_deref()), (UserId(seeded.id), Some(seeded.login.as_str())));
    assert_eq!(me.api_key, Some(ApiKey::new(seeded.api_key.clone())));
    assert_eq!(me.groups, None, "Redmine sends groups to administrators only");
    let memberships = me.memberships.unwrap();
    let project_a = ProjectId(env.project("a").id);
    let in_a = memberships.iter().find(|m| m.project.id == project_a).unwrap();
    assert!(in_a.roles.iter().any(|r| r.id == RoleId(env.id("role_developer")) && !r.inherited));
    let project_b = ProjectId(env.project("b").id);
    let in_b = memberships.iter().find(|m| m.project.id == project_b).unwrap();
    assert!(in_b.roles.iter().all(|r| r.inherited), "project B comes through the group");

    let account = dev.my_account().await.unwrap();
    assert_eq!(account.id, UserId(seeded.id));
    assert_eq!(account.api_key, Some(ApiKey::new(seeded.api_key.clone())));
    assert_eq!(account.admin, Some(false));

    let anonymous = client_with(env, Credentials::Anonymous);
    assert!(anonymous.current_user(&[]).await.unwrap_err().is_unauthorized());
    assert!(anonymous.my_account().await.unwrap_err().is_unauthorized());
    let unknown = client_with(env, Credentials::api_key("0".repeat(40)));
    assert!(unknown.current_user(&[]).await.unwrap_err().is_unauthorized());
}

async fn users_see_only_the_users_their_roles_show(env: &HarnessEnv) {
    let dev = client(env, "developer");

    let reporter = dev.get_user(UserId(env.user("reporter").id), &[]).await.unwrap();
    assert_eq!(reporter.login.as_deref(), Some("reporter"));
    assert_eq!((reporter.api_key, reporter.status, reporter.admin), (None, None, None));

    // The administrator is a member of no project: visible only to roles that see all users.
    let admin = dev.get_user(UserId(env.user("admin").id), &[]).await;
    if developer_sees_all_users(env).await {
        assert_eq!(admin.unwrap().login.as_deref(), Some("admin"));
    } else {
        let err = admin.unwrap_err();
        assert!(err.is_not_found(), "{err:?}");
    }
}

async fn non_admins_are_refused_admin_routes(env: &HarnessEnv) {
    let admin = client(env, "admin");
    let target = create_user(&admin, "refused").await;
    let group = admin.create_group(&NewGroup::new(unique("refused"))).await.unwrap();

    with_cleanup(
        async {
            for role in ["developer", "outsider"] {
                let caller = client(env, role);
                let forbidden = |result: Result<(), Error>| {
                    let err = result.unwrap_err();
                    assert!(err.is_forbidden(), "{role}: {err:?}");
                };
                forbidden(caller.list_users(&UserFilter::new()).await.map(drop));
                let login = unique("refused");
                let new = NewUser::new(&login, "No", "Way", format!("{login}@example.test"))
                    .generate_password(true);
                forbidden(caller.create_user(&new).await.map(drop));
                forbidden(caller.update_user(target.id, &UserUpdate::new().firstname("X")).await);
                forbidden(caller.delete_user(target.id).await);
                forbidden(caller.list_groups().await.map(drop));
                forbidden(caller.create_group(&NewGroup::new(unique("refused"))).await.map(drop));
                forbidden(caller.update_group(group.id, &GroupUpdate::new().name("X")).await);
                forbidden(caller.add_group_user(group.id, target.id).await);
                forbidden(caller.remove_group_user(group.id, target.id).await);
                forbidden(caller.delete_group(group.id).await);
            }

            let untouched = admin.get_user(target.id, &[UserInclude::Groups]).await.unwrap();
            assert_eq!(untouched.firstname, "E2e");
            assert_eq!(untouched.groups, Some(Vec::new()));
        },
        async {
            admin.delete_group(group.id).await.unwrap();
            delete_users(&admin, &[target.id]).await;
        },
    )
    .await;
}

async fn group_crud_and_membership_round_trip(env: &HarnessEnv) {
    let admin = client(env, "admin");
    let first = create_user(&admin, "member1").await;
    let second = create_user(&admin, "member2").await;
    let name = unique("group");
    let group = admin.create_group(&NewGroup::new(&name).users([first.id])).await.unwrap();
    assert_eq!(group.name, name);

    with_cleanup(
        async {
            let members = |group_id: GroupId| {
                let admin = admin.clone();
                async move {
                    let group = admin.get_group(group_id, &[GroupInclude::Users]).await.unwrap();
                    group.users.unwrap().iter().map(|u| u.id).collect::<Vec<_>>()
                }
            };
            assert_eq!(members(group.id).await, [first.id]);

            admin.add_group_user(group.id, second.id).await.unwrap();
            let mut now = members(group.id).await;
            now.sort();
            assert_eq!(now, [first.id, second.id]);
            let again = admin.add_group_user(group.id, second.id).await.unwrap_err();
            assert_eq!(again.validation_errors(), ["User is invalid"]);

            admin.remove_group_user(group.id, first.id).await.unwrap();
            assert_eq!(members(group.id).await, [second.id]);
            admin.remove_group_user(group.id, first.id).await.unwrap();

            let filtered = admin.list_users(&UserFilter::new().group(group.id)).await.unwrap();
            assert_eq!(ids(&filtered.items), [second.id]);
            let second_read = admin.get_user(second.id, &[UserInclude::Groups]).await.unwrap();
            assert_eq!(second_read.groups.unwrap()[0].id, group.id);

            // A user's own update can put them in groups, too.
            admin.update_user(first.id, &UserUpdate::new().groups([group.id])).await.unwrap();
            let mut now = members(group.id).await;
            now.sort();
            assert_eq!(now, [first.id, second.id]);

            let renamed = unique("renamed");
            admin
                .update_group(group.id, &GroupUpdate::new().name(&renamed).users([]))
                .await
                .unwrap();
            let read = admin
                .get_group(group.id, &[GroupInclude::Users, GroupInclude::Memberships])
                .await
                .unwrap();
            assert_eq!(read.name, renamed);
            assert_eq!(read.users, Some(Vec::new()), "an empty list empties the group");
            assert_eq!(read.memberships, Some(Vec::new()));

            let listed = admin.list_groups().await.unwrap();
            assert!(listed.iter().any(|g| g.id == group.id && g.name == renamed));
            assert!(listed.iter().all(|g| g.builtin.is_none()));
            let all = admin.list_all_groups().await.unwrap();
            let builtin: Vec<_> = all.iter().filter_map(|g| g.builtin.as_deref()).collect();
            assert!(builtin.contains(&"anonymous") && builtin.contains(&"non_member"));

            let taken = admin.create_group(&NewGroup::new(&renamed)).await.unwrap_err();
            assert!(taken.is_validation(), "{taken:?}");
        },
        async {
            if let Err(err) = admin.delete_group(group.id).await {
                eprintln!("cleanup: could not delete group {}: {err}", group.id);
            }
            delete_users(&admin, &[first.id, second.id]).await;
        },
    )
    .await;

    let gone = admin.get_group(group.id, &[]).await.unwrap_err();
    assert!(gone.is_not_found(), "{gone:?}");
}

async fn non_admins_read_groups_as_their_roles_allow(env: &HarnessEnv) {
    let dev = client(env, "developer");
    let team = GroupId(env.id("group_team"));

    let group =
        dev.get_group(team, &[GroupInclude::Users, GroupInclude::Memberships]).await.unwrap();
    assert_eq!(group.name, "Harness Team");
    assert!(group.users.unwrap().iter().any(|u| u.id == UserId(env.user("developer").id)));
    let project_b = ProjectId(env.project("b").id);
    assert!(group.memberships.unwrap().iter().any(|m| m.project.id == project_b));

    let admin = client(env, "admin");
    let builtin = admin.list_all_groups().await.unwrap();
    let anonymous = builtin.iter().find(|g| g.builtin.as_deref() == Some("anonymous")).unwrap();
    // Built-in groups are principals like users, shown to roles that see all users.
    let seen = dev.get_group(anonymous.id, &[]).await;
    if developer_sees_all_users(env).await {
        assert_eq!(seen.unwrap().builtin.as_deref(), Some("anonymous"));
    } else {
        assert!(seen.unwrap_err().is_not_found());
    }
    let read = admin.get_group(anonymous.id, &[GroupInclude::Users]).await.unwrap();
    assert_eq!(read.users, None, "built-in groups have no user list");
}

#[tokio::test]
async fn oauth_tokens_need_the_admin_scope_for_admin_routes() {
    let env = HarnessEnv::redmine61();
    let plain = oauth_client(env, "admin", &["view_project"]).await;
    let err = plain.list_users(&UserFilter::new()).await.unwrap_err();
    assert!(err.is_forbidden(), "{err:?}");
    assert!(plain.list_groups().await.unwrap_err().is_forbidden());
    let me = plain.current_user(&[]).await.unwrap();
    assert_eq!((me.admin, me.api_key), (Some(false), None), "without the scope, not an admin");

    let scoped = oauth_client(env, "admin", &["view_project", "admin"]).await;
    // XXX(redmine): with the `admin` scope the token reads API keys again, its own included,
    // since Redmine only withholds the key from OAuth callers who are not administrators.
    let me = scoped.current_user(&[]).await.unwrap();
    assert_eq!(me.api_key, Some(ApiKey::new(env.user("admin").api_key.clone())));
    let page = scoped.list_users(&UserFilter::new().name("dana")).await.unwrap();
    assert!(page.items.iter().any(|u| u.id == UserId(env.user("developer").id)));

    let name = unique("oauth");
    let group = scoped.create_group(&NewGroup::new(&name)).await.unwrap();
    with_cleanup(
        async {
            let read = scoped.get_group(group.id, &[]).await.unwrap();
            assert_eq!(read.name, name);
        },
        async { scoped.delete_group(group.id).await.unwrap() },
    )
    .await;
    assert!(scoped.get_group(group.id, &[]).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn oauth_never_reveals_the_users_own_api_key() {
    let env = HarnessEnv::redmine61();
    let seeded = env.user("developer");
    let dev = oauth_client(env, "developer", &["view_project"]).await;

    let me = dev.current_user(&[UserInclude::Memberships]).await.unwrap();
    assert_eq!(me.login.as_deref(), Some(seeded.login.as_str()));
    assert_eq!(me.api_key, None);
    assert!(me.memberships.is_some());

    let account = dev.my_account().await.unwrap();
    assert_eq!((account.id, account.api_key), (UserId(seeded.id), None));

    let err = dev.list_users(&UserFilter::new()).await.unwrap_err();
    assert!(err.is_forbidden(), "{err:?}");
}

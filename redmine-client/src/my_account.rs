//! "My account": the signed-in user's own account, as its settings page shows it.
//!
//! Redmine answers `/my/account.json` with a reduced [`User`]: names, login, mail, the admin
//! flag, the last sign-in and the API key, but no status, groups or memberships. For those, and
//! to check credentials on any Redmine, use [`Client::current_user`].
//!
//! Changing the account (`PUT /my/account.json`) is not covered: Redmine refuses it under OAuth,
//! and administrators change accounts with [`Client::update_user`].

use crate::Client;
use crate::error::Result;
use crate::request::{Body, Route};
use crate::users::User;

impl Client {
    /// The signed-in user's own account. Anonymous callers get
    /// [`Error::Unauthorized`](crate::Error::Unauthorized).
    ///
    /// Under OAuth (Redmine 6.1) the answer leaves out the API key, so that a token cannot be
    /// turned into the account's permanent key.
    pub async fn my_account(&self) -> Result<User> {
        let route = Route::get("/my/account.json");
        self.send(route, Body::Empty, "user").await
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::ids::UserId;

    #[test]
    fn my_account_fixture_decodes_into_a_reduced_user() {
        #[derive(Deserialize)]
        struct Envelope {
            user: User,
        }
        let text = include_str!("../tests/fixtures/my_account.json");
        let user = serde_json::from_str::<Envelope>(text).unwrap().user;

        assert_eq!(user.id, UserId(5));
        assert_eq!(user.login.as_deref(), Some("dev"));
        assert_eq!(user.admin, Some(false));
        assert!(user.api_key.is_some());
        assert_eq!((user.status, user.memberships, user.groups), (None, None, None));
    }
}

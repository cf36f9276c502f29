//! Macros that keep request-body builders short.
//!
//! Request bodies (`NewIssue`, `IssueUpdate`, ...) have many optional fields, each with a
//! consuming setter. These macros write those setters so that a body type reads as the list of
//! Redmine fields it carries.

/// Writes consuming setters for `Option<T>` fields: `method => field: T;`.
macro_rules! setters {
    ($($(#[$doc:meta])* $method:ident => $field:ident: $ty:ty;)*) => {$(
        $(#[$doc])*
        #[must_use]
        pub fn $method(mut self, value: impl Into<$ty>) -> Self {
            self.$field = Some(value.into());
            self
        }
    )*};
}

/// Writes a setter and a clearing method for `Option<Clearable<T>>` fields:
/// `method, clear_method => field: T;`.
macro_rules! clearable_setters {
    ($($(#[$doc:meta])* $method:ident, $clear:ident => $field:ident: $ty:ty;)*) => {$(
        $(#[$doc])*
        #[must_use]
        pub fn $method(mut self, value: impl Into<$ty>) -> Self {
            self.$field = Some($crate::models::Clearable::Set(value.into()));
            self
        }

        #[doc = concat!("Empties the field that [`Self::", stringify!($method), "`] sets.")]
        #[must_use]
        pub fn $clear(mut self) -> Self {
            self.$field = Some($crate::models::Clearable::Clear);
            self
        }
    )*};
}

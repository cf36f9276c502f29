//! Model pieces shared by several resources: references to other records and custom field
//! values.
//!
//! Records themselves (`Issue`, `Attachment`, ...) live in their resource's module.

use serde::{Deserialize, Serialize, Serializer};

use crate::ids::CustomFieldId;

/// A reference to another record by id and display name, as Redmine nests them:
/// `"tracker": {"id": 1, "name": "Bug"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IdName<T> {
    /// The record's id.
    pub id: T,
    /// The record's display name at the time of the answer.
    #[serde(default)]
    pub name: String,
}

impl<T> IdName<T> {
    /// A reference to `id` named `name`.
    pub fn new(id: T, name: impl Into<String>) -> Self {
        Self { id, name: name.into() }
    }
}

/// A reference to another record by id only: `"parent": {"id": 1}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IdRef<T> {
    /// The record's id.
    pub id: T,
}

/// The value of one custom field on a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomFieldValue {
    /// The custom field's id.
    pub id: CustomFieldId,
    /// The custom field's name.
    #[serde(default)]
    pub name: String,
    /// Whether the field holds several values; Redmine only sends this when it does.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub multiple: bool,
    /// The value; Redmine sends every format (numbers, dates, booleans as `"1"`/`"0"`) as text.
    #[serde(default)]
    pub value: CustomValue,
}

/// A custom field's value: one text, several, or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CustomValue {
    /// A multi-value field's values.
    Many(Vec<String>),
    /// A single value, `None` when Redmine sends `null`.
    One(Option<String>),
}

impl Default for CustomValue {
    fn default() -> Self {
        Self::One(None)
    }
}

impl CustomValue {
    /// The single value, or the first of several; `None` when empty.
    pub fn first(&self) -> Option<&str> {
        match self {
            Self::One(value) => value.as_deref(),
            Self::Many(values) => values.first().map(String::as_str),
        }
        .filter(|value| !value.is_empty())
    }
}

impl From<&str> for CustomValue {
    fn from(value: &str) -> Self {
        Self::One(Some(value.to_owned()))
    }
}

impl From<String> for CustomValue {
    fn from(value: String) -> Self {
        Self::One(Some(value))
    }
}

impl From<Vec<String>> for CustomValue {
    fn from(values: Vec<String>) -> Self {
        Self::Many(values)
    }
}

/// A custom field value to set when creating or updating a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CustomFieldInput {
    /// The custom field to set.
    pub id: CustomFieldId,
    /// The new value; `CustomValue::One(None)` or an empty text clears the field.
    pub value: CustomValue,
}

impl CustomFieldInput {
    /// Sets custom field `id` to `value`.
    pub fn new(id: impl Into<CustomFieldId>, value: impl Into<CustomValue>) -> Self {
        Self { id: id.into(), value: value.into() }
    }
}

/// A new value for a field that can also be emptied, in update bodies.
///
/// XXX(redmine): an empty string is the one value Redmine reads as "empty this field" for every
/// attribute; `null` is silently ignored for some of them (an issue's `assigned_to_id` stays
/// assigned when sent `null`). `Clear` therefore serializes as `""`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clearable<T> {
    /// Set the field to this value.
    Set(T),
    /// Empty the field.
    Clear,
}

impl<T: Serialize> Serialize for Clearable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Set(value) => value.serialize(serializer),
            Self::Clear => serializer.serialize_str(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_values_decode_every_shape() {
        let one: CustomFieldValue =
            serde_json::from_str(r#"{"id":1,"name":"Severity","value":"High"}"#).unwrap();
        assert_eq!(one.value.first(), Some("High"));
        assert!(!one.multiple);

        let many: CustomFieldValue =
            serde_json::from_str(r#"{"id":2,"name":"Os","multiple":true,"value":["Linux","BSD"]}"#)
                .unwrap();
        assert_eq!(many.value, CustomValue::Many(vec!["Linux".into(), "BSD".into()]));

        let null: CustomFieldValue = serde_json::from_str(r#"{"id":3,"value":null}"#).unwrap();
        assert_eq!(null.value, CustomValue::One(None));
        assert_eq!(null.value.first(), None);
    }

    #[test]
    fn custom_field_input_serializes_value_shape() {
        let input = CustomFieldInput::new(CustomFieldId(1), "High");
        assert_eq!(serde_json::to_string(&input).unwrap(), r#"{"id":1,"value":"High"}"#);
        let input = CustomFieldInput::new(CustomFieldId(2), vec!["a".to_owned()]);
        assert_eq!(serde_json::to_string(&input).unwrap(), r#"{"id":2,"value":["a"]}"#);
    }
}

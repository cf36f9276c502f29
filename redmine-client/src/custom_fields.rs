//! Custom field definitions: the extra fields an administrator adds to issues, projects, users
//! and other records.
//!
//! Only administrators may list the definitions. The values of custom fields on a record come
//! with the record itself, as [`CustomFieldValue`](crate::models::CustomFieldValue)s, and are
//! filtered on with `cf_{id}`.

use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::ids::{CustomFieldId, RoleId, TrackerId};
use crate::models::IdName;
use crate::request::{Body, Route};

/// A custom field definition.
// The flags are Redmine's own, one field each, as its answer carries them.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomField {
    /// The field's id.
    pub id: CustomFieldId,
    /// The field's name.
    pub name: String,
    /// The description; Redmine 5.0 does not send it.
    pub description: Option<String>,
    /// What kind of record the field belongs to: `issue`, `project`, `user`, `group`,
    /// `time_entry`, `version`, `document`, `time_entry_activity`, ...
    pub customized_type: Option<String>,
    /// The format: `string`, `text`, `int`, `float`, `date`, `bool`, `list`, `enumeration`,
    /// `user`, `version`, `link` or `attachment`.
    pub field_format: String,
    /// The regular expression values must match; empty when there is none.
    pub regexp: Option<String>,
    /// The shortest value allowed.
    pub min_length: Option<u32>,
    /// The longest value allowed.
    pub max_length: Option<u32>,
    /// Whether a value is required.
    #[serde(default)]
    pub is_required: bool,
    /// Whether lists can be filtered by the field (`cf_{id}=...`).
    #[serde(default)]
    pub is_filter: bool,
    /// Whether the search covers the field's values.
    #[serde(default)]
    pub searchable: bool,
    /// Whether the field holds several values.
    #[serde(default)]
    pub multiple: bool,
    /// The value new records get.
    pub default_value: Option<String>,
    /// Whether every user can see the field (otherwise only some roles).
    #[serde(default)]
    pub visible: bool,
    /// Whether the field can be edited; Redmine 5.0 does not send it.
    pub editable: Option<bool>,
    /// The values to choose from, for list, enumeration and boolean fields; `None` for
    /// free-form formats.
    pub possible_values: Option<Vec<PossibleValue>>,
    /// For issue fields, the trackers that use the field.
    pub trackers: Option<Vec<IdName<TrackerId>>>,
    /// For issue fields not visible to all, the roles that see it.
    pub roles: Option<Vec<IdName<RoleId>>>,
}

impl CustomField {
    /// The value to send for a choice shown as `label`, if the field offers it.
    pub fn value_for_label(&self, label: &str) -> Option<&str> {
        let values = self.possible_values.as_deref()?;
        values.iter().find(|v| v.label == label).map(|v| v.value.as_str())
    }
}

/// One choice of a list, enumeration or boolean field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PossibleValue {
    /// What to send as the field's value: the text itself for lists, an id for enumerations,
    /// `1` or `0` for booleans.
    pub value: String,
    /// What users see.
    pub label: String,
}

impl Client {
    /// Every custom field definition, with its possible values, trackers and roles
    /// (administrators only; others get [`Error::Forbidden`](crate::Error::Forbidden)).
    /// Redmine sends these always; there is no `include` and no pagination.
    pub async fn list_custom_fields(&self) -> Result<Vec<CustomField>> {
        let route = Route::get("/custom_fields.json");
        self.send(route, Body::Empty, "custom_fields").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct List {
        custom_fields: Vec<CustomField>,
    }

    #[test]
    fn custom_field_fixtures_of_both_versions_decode() {
        let list: List =
            serde_json::from_str(include_str!("../tests/fixtures/custom_fields_list.json"))
                .unwrap();
        let severity = &list.custom_fields[0];
        assert_eq!((severity.id, severity.field_format.as_str()), (CustomFieldId(1), "list"));
        assert_eq!(severity.customized_type.as_deref(), Some("issue"));
        assert!(severity.is_filter && severity.visible && !severity.multiple);
        assert_eq!(severity.value_for_label("High"), Some("High"));
        assert_eq!(severity.value_for_label("Unknown"), None);
        assert_eq!(severity.trackers.as_ref().unwrap().len(), 3);
        assert_eq!(severity.roles.as_deref(), Some(&[][..]));
        assert_eq!(severity.editable, Some(true));

        let again: Vec<CustomField> =
            serde_json::from_value(serde_json::to_value(&list.custom_fields).unwrap()).unwrap();
        assert_eq!(again, list.custom_fields);

        let old: List =
            serde_json::from_str(include_str!("../tests/fixtures/custom_fields_list_50.json"))
                .unwrap();
        assert_eq!(old.custom_fields[0].editable, None);
        assert_eq!(old.custom_fields[0].possible_values, severity.possible_values);
    }
}

//! Argument pieces the issue tools share: calendar days, the date conditions
//! and sort order of the issue list, and custom fields set or filtered by name
//! or id.
//!
//! Each is read from the text a language model writes into the client's typed
//! values, with errors that point at the offending argument.

use jiff::Timestamp;
use jiff::civil::Date;
use redmine_client::filters::{DateBound, DateFilter, Sort, TextFilter};
use redmine_client::models::{CustomFieldInput, CustomValue};
use redmine_client::{CustomFieldId, ProjectId};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::context::CallContext;
use crate::error::{ArgumentProblem, ToolError};

/// An argument error at `path` (a JSON pointer such as `/due_date`).
pub(super) fn problem(path: &str, message: impl Into<String>) -> ToolError {
    ToolError::InvalidArguments(vec![ArgumentProblem::new(path.to_owned(), message.into())])
}

/// A calendar day written `YYYY-MM-DD`.
pub(super) fn parse_day(path: &str, text: &str) -> Result<Date, ToolError> {
    text.trim()
        .parse()
        .map_err(|_| problem(path, format!("{text:?} is not a day; write it as YYYY-MM-DD")))
}

/// The date conditions `parse_date_condition` understands, for messages.
const DATE_CONDITIONS: &str = "write a day (2025-01-31), >=day, <=day, day..day, today, \
     yesterday, this_week, last_week, this_month, last_month, this_year, last_N_days, \
     next_N_days, older_than_N_days, any or none";

/// A condition on a date field of the issue list.
///
/// `timestamps` allows UTC times (`2025-01-31T12:00:00Z`) as bounds, which
/// Redmine accepts on `created_on`, `updated_on` and `closed_on` only.
pub(super) fn parse_date_condition(
    path: &str,
    text: &str,
    timestamps: bool,
) -> Result<DateFilter, ToolError> {
    let text = text.trim();
    let invalid = || problem(path, format!("{text:?} is not a date condition; {DATE_CONDITIONS}"));
    let bound = |bound: &str| -> Result<DateBound, ToolError> {
        let bound = bound.trim();
        if let Ok(day) = bound.parse::<Date>() {
            return Ok(DateBound::Day(day));
        }
        match bound.parse::<Timestamp>() {
            Ok(instant) if timestamps => Ok(DateBound::Instant(instant)),
            Ok(_) => Err(problem(path, format!("{bound:?}: this field takes days, not times"))),
            Err(_) => Err(invalid()),
        }
    };

    let fixed = match text.to_lowercase().as_str() {
        "any" => Some(DateFilter::Any),
        "none" => Some(DateFilter::None),
        "today" => Some(DateFilter::Today),
        "yesterday" => Some(DateFilter::Yesterday),
        "tomorrow" => Some(DateFilter::Tomorrow),
        "this_week" => Some(DateFilter::ThisWeek),
        "last_week" => Some(DateFilter::LastWeek),
        "next_week" => Some(DateFilter::NextWeek),
        "this_month" => Some(DateFilter::ThisMonth),
        "last_month" => Some(DateFilter::LastMonth),
        "next_month" => Some(DateFilter::NextMonth),
        "this_year" => Some(DateFilter::ThisYear),
        _ => None,
    };
    if let Some(filter) = fixed {
        return Ok(filter);
    }

    let days = |prefix: &str| -> Option<Result<u32, ToolError>> {
        let count = text.strip_prefix(prefix)?.strip_suffix("_days")?;
        Some(count.parse().map_err(|_| invalid()))
    };
    if let Some(n) = days("last_") {
        return Ok(DateFilter::InPastDays(n?));
    }
    if let Some(n) = days("next_") {
        return Ok(DateFilter::InNextDays(n?));
    }
    if let Some(n) = days("older_than_") {
        return Ok(DateFilter::MoreThanDaysAgo(n?));
    }

    if let Some(from) = text.strip_prefix(">=") {
        return Ok(DateFilter::OnOrAfter(bound(from)?));
    }
    if let Some(until) = text.strip_prefix("<=") {
        return Ok(DateFilter::OnOrBefore(bound(until)?));
    }
    if let Some((from, until)) = text.split_once("..") {
        return Ok(DateFilter::Between(bound(from)?, bound(until)?));
    }
    match bound(text.strip_prefix('=').unwrap_or(text))? {
        day @ DateBound::Day(_) => Ok(DateFilter::On(day)),
        DateBound::Instant(_) => {
            Err(problem(path, format!("{text:?}: compare times with >=, <= or a..b range")))
        }
    }
}

/// A sort order written `column[:desc],...`, such as `priority:desc,id`.
pub(super) fn parse_sort(path: &str, text: &str) -> Result<Sort, ToolError> {
    let mut sort = Sort::default();
    for key in text.split(',').map(str::trim) {
        let (column, direction) = key.split_once(':').unwrap_or((key, "asc"));
        let column = column.trim();
        let valid = !column.is_empty()
            && column.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if !valid {
            return Err(problem(
                path,
                format!("{key:?} is not a column; write e.g. updated_on:desc"),
            ));
        }
        sort = match direction.trim().to_lowercase().as_str() {
            "asc" => sort.then_asc(column),
            "desc" => sort.then_desc(column),
            other => {
                return Err(problem(
                    path,
                    format!("{other:?} is not a direction; use asc or desc"),
                ));
            }
        };
    }
    Ok(sort)
}

/// A custom field value to set.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CustomFieldValueArg {
    /// The custom field's name or id, e.g. "Severity".
    pub field: String,
    /// The new value, e.g. "High"; an empty text clears the field. Give value or values.
    pub value: Option<String>,
    /// All values of a multi-value field, replacing its current ones.
    pub values: Option<Vec<String>>,
}

/// Resolves the custom fields of `arguments` (at `path`) to the values to send.
pub(super) async fn custom_field_inputs(
    context: &CallContext,
    path: &str,
    project: Option<ProjectId>,
    arguments: &[CustomFieldValueArg],
) -> Result<Vec<CustomFieldInput>, ToolError> {
    let mut inputs = Vec::with_capacity(arguments.len());
    for (i, argument) in arguments.iter().enumerate() {
        let value = match (&argument.value, &argument.values) {
            (Some(value), None) => CustomValue::from(value.clone()),
            (None, Some(values)) => CustomValue::from(values.clone()),
            _ => return Err(problem(&format!("{path}/{i}"), "give either value or values")),
        };
        let id = context.custom_field_id(&argument.field, project).await?;
        inputs.push(CustomFieldInput::new(id, value));
    }
    Ok(inputs)
}

/// How a custom field filter compares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(super) enum TextOperator {
    #[default]
    Is,
    IsNot,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    Any,
    None,
}

/// A condition on a custom field.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CustomFieldCondition {
    /// The custom field's name or id, e.g. "Severity". It must be marked "used as a filter".
    pub field: String,
    /// How to compare (default "is"); "any" means set, "none" means empty.
    pub operator: Option<TextOperator>,
    /// The value, e.g. "High"; for is and is_not several values separated by "|". Not used
    /// with any and none.
    pub value: Option<String>,
}

impl CustomFieldCondition {
    /// The filter this condition stands for; `path` points at it in the arguments.
    pub(super) fn filter(&self, path: &str) -> Result<TextFilter, ToolError> {
        let operator = self.operator.unwrap_or_default();
        let value = || {
            self.value
                .clone()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| problem(&format!("{path}/value"), "this operator needs a value"))
        };
        let values = || Ok::<_, ToolError>(value()?.split('|').map(str::to_owned).collect());
        Ok(match operator {
            TextOperator::Is => TextFilter::Is(values()?),
            TextOperator::IsNot => TextFilter::IsNot(values()?),
            TextOperator::Contains => TextFilter::Contains(value()?),
            TextOperator::NotContains => TextFilter::NotContains(value()?),
            TextOperator::StartsWith => TextFilter::StartsWith(value()?),
            TextOperator::EndsWith => TextFilter::EndsWith(value()?),
            TextOperator::Any => TextFilter::Any,
            TextOperator::None => TextFilter::None,
        })
    }
}

/// Resolves the custom fields of `conditions` to their ids, in order.
pub(super) async fn condition_fields(
    context: &CallContext,
    project: Option<ProjectId>,
    conditions: &[CustomFieldCondition],
) -> Result<Vec<CustomFieldId>, ToolError> {
    let mut ids = Vec::with_capacity(conditions.len());
    for condition in conditions {
        ids.push(context.custom_field_id(&condition.field, project).await?);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn condition(text: &str) -> Result<DateFilter, ToolError> {
        parse_date_condition("/created", text, true)
    }

    #[test]
    fn date_conditions_map_to_redmine_filters() {
        let day = |d| DateBound::Day(date(2025, 1, d));
        assert_eq!(condition("2025-01-31").unwrap(), DateFilter::On(day(31)));
        assert_eq!(condition(">=2025-01-01").unwrap(), DateFilter::OnOrAfter(day(1)));
        assert_eq!(condition("<= 2025-01-02").unwrap(), DateFilter::OnOrBefore(day(2)));
        assert_eq!(
            condition("2025-01-01..2025-01-31").unwrap(),
            DateFilter::Between(day(1), day(31))
        );
        assert_eq!(condition("This_Week").unwrap(), DateFilter::ThisWeek);
        assert_eq!(condition("last_7_days").unwrap(), DateFilter::InPastDays(7));
        assert_eq!(condition("next_3_days").unwrap(), DateFilter::InNextDays(3));
        assert_eq!(condition("older_than_30_days").unwrap(), DateFilter::MoreThanDaysAgo(30));
        assert_eq!(condition("none").unwrap(), DateFilter::None);
        assert_eq!(
            condition(">=2025-01-31T12:00:00Z").unwrap().to_string(),
            ">=2025-01-31T12:00:00Z"
        );
    }

    #[test]
    fn malformed_date_conditions_are_argument_errors_that_teach_the_syntax() {
        for text in ["last week", "2025-13-01", ">=soon", "last_x_days", "2025-01-31T12:00:00Z"] {
            let error = condition(text).unwrap_err();
            let ToolError::InvalidArguments(problems) = &error else { panic!("{error:?}") };
            assert_eq!(problems[0].path, "/created", "{text}");
        }
        assert!(condition("soon").unwrap_err().to_string().contains("last_N_days"));
        let error = parse_date_condition("/due_date", ">=2025-01-31T12:00:00Z", false).unwrap_err();
        assert!(error.to_string().contains("takes days, not times"), "{error}");
    }

    #[test]
    fn days_parse_or_point_at_the_argument() {
        assert_eq!(parse_day("/due_date", "2026-02-01").unwrap(), date(2026, 2, 1));
        let error = parse_day("/due_date", "01/02/2026").unwrap_err();
        assert!(error.to_string().starts_with("invalid arguments: /due_date:"), "{error}");
    }

    #[test]
    fn sort_orders_parse_columns_and_directions() {
        assert_eq!(
            parse_sort("/sort", "priority:desc, id").unwrap().to_string(),
            "priority:desc,id"
        );
        assert_eq!(parse_sort("/sort", "cf_1:ASC").unwrap().to_string(), "cf_1");
        assert!(parse_sort("/sort", "updated_on:down").is_err());
        assert!(parse_sort("/sort", "id;drop").is_err());
        assert!(parse_sort("/sort", "").is_err());
    }

    #[test]
    fn custom_field_conditions_map_to_text_filters() {
        let parse = |value: serde_json::Value| {
            serde_json::from_value::<CustomFieldCondition>(value)
                .unwrap()
                .filter("/custom_fields/0")
        };
        let is = parse(serde_json::json!({"field": "Severity", "value": "High|Medium"})).unwrap();
        assert_eq!(is.to_string(), "=High|Medium");
        let contains =
            parse(serde_json::json!({"field": "1", "operator": "contains", "value": "ig"}))
                .unwrap();
        assert_eq!(contains.to_string(), "~ig");
        let any = parse(serde_json::json!({"field": "1", "operator": "none"})).unwrap();
        assert_eq!(any.to_string(), "!*");
        let error = parse(serde_json::json!({"field": "1", "operator": "is_not"})).unwrap_err();
        assert!(error.to_string().contains("/custom_fields/0/value"), "{error}");
    }
}

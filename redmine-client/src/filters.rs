//! Typed values for Redmine's list filters and sort orders.
//!
//! Redmine reads a list filter from a query parameter as `field=[operator]value|value`, for
//! example `created_on=><2025-01-01|2025-01-31` or `assigned_to_id=!me`. The types here produce
//! exactly those strings through `Display`, so a filter is built from values instead of
//! hand-assembled text. Which fields a list accepts is up to that list's own filter builder
//! (such as [`IssueFilter`](crate::issues::IssueFilter)), each of which also has an `extra`
//! escape hatch for filters not modelled here.

use std::fmt::{self, Display};

use jiff::Timestamp;
use jiff::civil::Date;

/// A value that can stand on the right of `field=` in a Redmine filter.
///
/// Implemented by every filter type of this module; used where one field accepts several kinds
/// of filters (custom fields).
pub trait FilterExpression: Display {}

/// A filter on a field holding ids (tracker, assignee, version, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdFilter<T> {
    /// The field is set to anything (`*`).
    Any,
    /// The field is empty (`!*`).
    None,
    /// The field is one of these (`1|2`).
    Is(Vec<T>),
    /// The field is none of these (`!1|2`).
    IsNot(Vec<T>),
}

impl<T> IdFilter<T> {
    /// The field is one of `values`.
    pub fn one_of(values: impl IntoIterator<Item = T>) -> Self {
        Self::Is(values.into_iter().collect())
    }
}

impl<T> From<T> for IdFilter<T> {
    fn from(value: T) -> Self {
        Self::Is(vec![value])
    }
}

impl<T: Display> Display for IdFilter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Any => f.write_str("*"),
            Self::None => f.write_str("!*"),
            Self::Is(values) => write_joined(f, values),
            Self::IsNot(values) => {
                f.write_str("!")?;
                write_joined(f, values)
            }
        }
    }
}

impl<T: Display> FilterExpression for IdFilter<T> {}

/// A filter on a text field (subject, description, string and list custom fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextFilter {
    /// The text contains this (`~`), case-insensitively.
    Contains(String),
    /// The text does not contain this (`!~`).
    NotContains(String),
    /// The text starts with this (`^`).
    StartsWith(String),
    /// The text ends with this (`$`).
    EndsWith(String),
    /// The value is one of these (`=`), the form list custom fields use.
    Is(Vec<String>),
    /// The value is none of these (`!`).
    IsNot(Vec<String>),
    /// The field is set (`*`).
    Any,
    /// The field is empty (`!*`).
    None,
}

impl TextFilter {
    /// The text contains `text`.
    pub fn contains(text: impl Into<String>) -> Self {
        Self::Contains(text.into())
    }

    /// The value equals `value`.
    pub fn is(value: impl Into<String>) -> Self {
        Self::Is(vec![value.into()])
    }
}

impl Display for TextFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The operator is always written out, so that a value starting with `~` or `!` is not
        // mistaken for one.
        match self {
            Self::Contains(text) => write!(f, "~{text}"),
            Self::NotContains(text) => write!(f, "!~{text}"),
            Self::StartsWith(text) => write!(f, "^{text}"),
            Self::EndsWith(text) => write!(f, "${text}"),
            Self::Is(values) => {
                f.write_str("=")?;
                write_joined(f, values)
            }
            Self::IsNot(values) => {
                f.write_str("!")?;
                write_joined(f, values)
            }
            Self::Any => f.write_str("*"),
            Self::None => f.write_str("!*"),
        }
    }
}

impl FilterExpression for TextFilter {}

/// A day or an instant in a date filter.
///
/// Date fields (`start_date`, `due_date`) compare days; timestamp fields (`created_on`,
/// `updated_on`, `closed_on`) accept both, a day meaning the whole day in the server's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    /// A calendar day, written `2025-01-31`.
    Day(Date),
    /// An instant, written `2025-01-31T12:00:00Z` (whole seconds, UTC).
    Instant(Timestamp),
}

impl From<Date> for DateBound {
    fn from(day: Date) -> Self {
        Self::Day(day)
    }
}

impl From<Timestamp> for DateBound {
    fn from(instant: Timestamp) -> Self {
        Self::Instant(instant)
    }
}

impl Display for DateBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Day(day) => Display::fmt(day, f),
            // Redmine parses whole seconds only; a fraction would make the filter invalid.
            Self::Instant(instant) => write!(f, "{}", instant.strftime("%Y-%m-%dT%H:%M:%SZ")),
        }
    }
}

/// A filter on a date or timestamp field, with Redmine's relative operators.
///
/// Relative periods (`Today`, `ThisWeek`, ...) are evaluated by Redmine in the user's time zone,
/// and weeks start on the day the user's language or settings say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateFilter {
    /// On this day (`2025-01-31`).
    On(DateBound),
    /// On or after (`>=`).
    OnOrAfter(DateBound),
    /// On or before (`<=`).
    OnOrBefore(DateBound),
    /// Between, both ends included (`><2025-01-01|2025-01-31`).
    Between(DateBound, DateBound),
    /// Today (`t`).
    Today,
    /// Yesterday (`ld`).
    Yesterday,
    /// Tomorrow (`nd`).
    Tomorrow,
    /// This week (`w`).
    ThisWeek,
    /// Last week (`lw`).
    LastWeek,
    /// The last two weeks (`l2w`).
    LastTwoWeeks,
    /// Next week (`nw`).
    NextWeek,
    /// This month (`m`).
    ThisMonth,
    /// Last month (`lm`).
    LastMonth,
    /// Next month (`nm`).
    NextMonth,
    /// This year (`y`).
    ThisYear,
    /// Within the past N days, today included (`><t-N`).
    InPastDays(u32),
    /// Less than N days ago (`>t-N`).
    LessThanDaysAgo(u32),
    /// More than N days ago (`<t-N`).
    MoreThanDaysAgo(u32),
    /// Exactly N days ago (`t-N`).
    DaysAgo(u32),
    /// Within the next N days, today included (`><t+N`).
    InNextDays(u32),
    /// In less than N days (`<t+N`).
    InLessThanDays(u32),
    /// In more than N days (`>t+N`).
    InMoreThanDays(u32),
    /// In exactly N days (`t+N`).
    InDays(u32),
    /// The field is set (`*`).
    Any,
    /// The field is empty (`!*`).
    None,
}

impl DateFilter {
    /// Between `from` and `to`, both included.
    pub fn between(from: impl Into<DateBound>, to: impl Into<DateBound>) -> Self {
        Self::Between(from.into(), to.into())
    }
}

impl Display for DateFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::On(day) => write!(f, "{day}"),
            Self::OnOrAfter(bound) => write!(f, ">={bound}"),
            Self::OnOrBefore(bound) => write!(f, "<={bound}"),
            Self::Between(from, to) => write!(f, "><{from}|{to}"),
            Self::Today => f.write_str("t"),
            Self::Yesterday => f.write_str("ld"),
            Self::Tomorrow => f.write_str("nd"),
            Self::ThisWeek => f.write_str("w"),
            Self::LastWeek => f.write_str("lw"),
            Self::LastTwoWeeks => f.write_str("l2w"),
            Self::NextWeek => f.write_str("nw"),
            Self::ThisMonth => f.write_str("m"),
            Self::LastMonth => f.write_str("lm"),
            Self::NextMonth => f.write_str("nm"),
            Self::ThisYear => f.write_str("y"),
            Self::InPastDays(days) => write!(f, "><t-{days}"),
            Self::LessThanDaysAgo(days) => write!(f, ">t-{days}"),
            Self::MoreThanDaysAgo(days) => write!(f, "<t-{days}"),
            Self::DaysAgo(days) => write!(f, "t-{days}"),
            Self::InNextDays(days) => write!(f, "><t+{days}"),
            Self::InLessThanDays(days) => write!(f, "<t+{days}"),
            Self::InMoreThanDays(days) => write!(f, ">t+{days}"),
            Self::InDays(days) => write!(f, "t+{days}"),
            Self::Any => f.write_str("*"),
            Self::None => f.write_str("!*"),
        }
    }
}

impl FilterExpression for DateFilter {}

/// A sort order: columns in priority order, each ascending or descending
/// (`updated_on:desc,id`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sort {
    keys: Vec<(String, bool)>,
}

impl Sort {
    /// Sorts by `column` ascending first.
    pub fn asc(column: impl Into<String>) -> Self {
        Self::default().then_asc(column)
    }

    /// Sorts by `column` descending first.
    pub fn desc(column: impl Into<String>) -> Self {
        Self::default().then_desc(column)
    }

    /// Then by `column` ascending.
    #[must_use]
    pub fn then_asc(mut self, column: impl Into<String>) -> Self {
        self.keys.push((column.into(), false));
        self
    }

    /// Then by `column` descending.
    #[must_use]
    pub fn then_desc(mut self, column: impl Into<String>) -> Self {
        self.keys.push((column.into(), true));
        self
    }
}

impl Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (column, descending)) in self.keys.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(column)?;
            if *descending {
                f.write_str(":desc")?;
            }
        }
        Ok(())
    }
}

/// Writes values separated by `|`, Redmine's separator for filter values.
fn write_joined<T: Display>(f: &mut fmt::Formatter<'_>, values: &[T]) -> fmt::Result {
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            f.write_str("|")?;
        }
        write!(f, "{value}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::ids::{TrackerId, UserRef};

    #[test]
    fn id_filters_use_redmine_syntax() {
        assert_eq!(IdFilter::from(TrackerId(1)).to_string(), "1");
        assert_eq!(IdFilter::one_of([TrackerId(1), TrackerId(2)]).to_string(), "1|2");
        assert_eq!(IdFilter::IsNot(vec![UserRef::Me]).to_string(), "!me");
        assert_eq!(IdFilter::<TrackerId>::Any.to_string(), "*");
        assert_eq!(IdFilter::<TrackerId>::None.to_string(), "!*");
    }

    #[test]
    fn text_filters_always_spell_the_operator() {
        assert_eq!(TextFilter::contains("time out").to_string(), "~time out");
        assert_eq!(TextFilter::is("~literal").to_string(), "=~literal");
        assert_eq!(TextFilter::IsNot(vec!["a".into(), "b".into()]).to_string(), "!a|b");
        assert_eq!(TextFilter::StartsWith("Check".into()).to_string(), "^Check");
        assert_eq!(TextFilter::EndsWith("load".into()).to_string(), "$load");
    }

    #[test]
    fn date_filters_use_redmine_syntax() {
        let jan = |d| DateBound::from(date(2025, 1, d));
        assert_eq!(
            DateFilter::between(date(2025, 1, 1), date(2025, 1, 31)).to_string(),
            "><2025-01-01|2025-01-31"
        );
        assert_eq!(DateFilter::OnOrAfter(jan(1)).to_string(), ">=2025-01-01");
        assert_eq!(DateFilter::On(jan(2)).to_string(), "2025-01-02");
        assert_eq!(DateFilter::Today.to_string(), "t");
        assert_eq!(DateFilter::Yesterday.to_string(), "ld");
        assert_eq!(DateFilter::ThisWeek.to_string(), "w");
        assert_eq!(DateFilter::InPastDays(7).to_string(), "><t-7");
        assert_eq!(DateFilter::LessThanDaysAgo(3).to_string(), ">t-3");

        let instant: Timestamp = "2025-01-31T12:30:00.25Z".parse().unwrap();
        assert_eq!(DateFilter::OnOrBefore(instant.into()).to_string(), "<=2025-01-31T12:30:00Z");
    }

    #[test]
    fn sort_lists_columns_in_order() {
        assert_eq!(Sort::desc("updated_on").then_asc("id").to_string(), "updated_on:desc,id");
        assert_eq!(Sort::default().to_string(), "");
    }
}

//! The filters, sort order and paging of the issue list.

use std::fmt;

use crate::filters::{DateFilter, FilterExpression, IdFilter, Sort, TextFilter};
use crate::ids::{
    CategoryId, CustomFieldId, IssueId, PriorityId, ProjectId, ProjectRef, QueryId, StatusId,
    TrackerId, UserId, UserRef, VersionId,
};
use crate::issues::IssueInclude;
use crate::request::Query;

/// Which statuses to list. Redmine lists only open issues unless told otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusFilter {
    /// Issues whose status is not a closed one (`o`, Redmine's default).
    Open,
    /// Issues whose status is a closed one (`c`).
    Closed,
    /// Every issue (`*`).
    All,
    /// Issues with one of these statuses.
    Is(Vec<StatusId>),
    /// Issues with none of these statuses.
    IsNot(Vec<StatusId>),
}

impl fmt::Display for StatusFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open => f.write_str("o"),
            Self::Closed => f.write_str("c"),
            Self::All => f.write_str("*"),
            Self::Is(ids) => IdFilter::Is(ids.clone()).fmt(f),
            Self::IsNot(ids) => IdFilter::IsNot(ids.clone()).fmt(f),
        }
    }
}

impl FilterExpression for StatusFilter {}

impl From<StatusId> for StatusFilter {
    fn from(id: StatusId) -> Self {
        Self::Is(vec![id])
    }
}

/// The filters, sort order, includes and page of an issue list.
///
/// Every setter replaces an earlier value for the same field. Anything Redmine accepts that has
/// no setter here can be passed with [`IssueFilter::extra`].
///
/// ```
/// use redmine_client::filters::{DateFilter, Sort, TextFilter};
/// use redmine_client::issues::{IssueFilter, StatusFilter};
/// use redmine_client::UserRef;
///
/// let filter = IssueFilter::new()
///     .project("project-a")
///     .status(StatusFilter::All)
///     .assigned_to(UserRef::Me)
///     .subject(TextFilter::contains("checkout"))
///     .updated_on(DateFilter::InPastDays(7))
///     .sort(Sort::desc("updated_on"))
///     .limit(50);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueFilter {
    pub(crate) query: Query,
}

impl IssueFilter {
    /// No filter: Redmine's default of open issues in every visible project.
    pub fn new() -> Self {
        Self::default()
    }

    fn with(mut self, key: &str, value: impl fmt::Display) -> Self {
        self.query.set(key, value);
        self
    }

    /// Issues of `project`, by id or identifier; subprojects are included unless excluded with
    /// [`IssueFilter::subprojects`].
    #[must_use]
    pub fn project(self, project: impl Into<ProjectRef>) -> Self {
        self.with("project_id", project.into())
    }

    /// Which subprojects of the project to include: [`IdFilter::None`] for none (`!*`).
    #[must_use]
    pub fn subprojects(self, filter: impl Into<IdFilter<ProjectId>>) -> Self {
        self.with("subproject_id", filter.into())
    }

    /// By tracker.
    #[must_use]
    pub fn tracker(self, filter: impl Into<IdFilter<TrackerId>>) -> Self {
        self.with("tracker_id", filter.into())
    }

    /// By status; see [`StatusFilter`].
    #[must_use]
    pub fn status(self, filter: impl Into<StatusFilter>) -> Self {
        self.with("status_id", filter.into())
    }

    /// By assignee; [`UserRef::Me`] for the caller's own issues.
    #[must_use]
    pub fn assigned_to(self, filter: impl Into<IdFilter<UserRef>>) -> Self {
        self.with("assigned_to_id", filter.into())
    }

    /// By author.
    #[must_use]
    pub fn author(self, filter: impl Into<IdFilter<UserRef>>) -> Self {
        self.with("author_id", filter.into())
    }

    /// By watcher.
    #[must_use]
    pub fn watcher(self, filter: impl Into<IdFilter<UserRef>>) -> Self {
        self.with("watcher_id", filter.into())
    }

    /// By priority.
    #[must_use]
    pub fn priority(self, filter: impl Into<IdFilter<PriorityId>>) -> Self {
        self.with("priority_id", filter.into())
    }

    /// By category.
    #[must_use]
    pub fn category(self, filter: impl Into<IdFilter<CategoryId>>) -> Self {
        self.with("category_id", filter.into())
    }

    /// By target version.
    #[must_use]
    pub fn fixed_version(self, filter: impl Into<IdFilter<VersionId>>) -> Self {
        self.with("fixed_version_id", filter.into())
    }

    /// By parent issue; [`IdFilter::None`] for top-level issues only.
    #[must_use]
    pub fn parent(self, filter: impl Into<IdFilter<IssueId>>) -> Self {
        self.with("parent_id", filter.into())
    }

    /// Only these issues (`issue_id=1,2,3`).
    #[must_use]
    pub fn ids(mut self, ids: impl IntoIterator<Item = IssueId>) -> Self {
        self.query.set_list("issue_id", ids);
        self
    }

    /// By the value of custom field `id` (`cf_{id}`), with whichever filter type fits the
    /// field's format: [`TextFilter`] for text and lists, [`DateFilter`] for dates,
    /// [`IdFilter`] for users and versions. The field must be marked "used as a filter".
    #[must_use]
    pub fn custom_field(self, id: CustomFieldId, filter: impl FilterExpression) -> Self {
        self.with(&format!("cf_{id}"), filter)
    }

    /// By subject, such as `TextFilter::contains("timeout")` (`subject=~timeout`).
    ///
    /// FIXME: Redmine filters the subject and description as free text, without the `=` and `!`
    /// operators, so [`TextFilter::Is`] and [`TextFilter::IsNot`] match no issue at all here
    /// instead of being refused; use `Contains`, `NotContains`, `StartsWith` or `EndsWith`.
    #[must_use]
    pub fn subject(self, filter: TextFilter) -> Self {
        self.with("subject", filter)
    }

    /// By description; the same operators as [`IssueFilter::subject`] apply.
    #[must_use]
    pub fn description(self, filter: TextFilter) -> Self {
        self.with("description", filter)
    }

    /// By creation time.
    #[must_use]
    pub fn created_on(self, filter: DateFilter) -> Self {
        self.with("created_on", filter)
    }

    /// By time of last change.
    #[must_use]
    pub fn updated_on(self, filter: DateFilter) -> Self {
        self.with("updated_on", filter)
    }

    /// By time of closing.
    #[must_use]
    pub fn closed_on(self, filter: DateFilter) -> Self {
        self.with("closed_on", filter)
    }

    /// By start date.
    #[must_use]
    pub fn start_date(self, filter: DateFilter) -> Self {
        self.with("start_date", filter)
    }

    /// By due date.
    #[must_use]
    pub fn due_date(self, filter: DateFilter) -> Self {
        self.with("due_date", filter)
    }

    /// Applies saved query `id`: its filters, and its sort order unless [`IssueFilter::sort`]
    /// is given. Redmine ignores the other filters given here when a query is used, and answers
    /// 404 for a query saved in a project unless [`IssueFilter::project`] names that project.
    #[must_use]
    pub fn saved_query(self, id: QueryId) -> Self {
        self.with("query_id", id)
    }

    /// The sort order, with Redmine's column names (`id`, `updated_on`, `priority`, `cf_1`...).
    #[must_use]
    pub fn sort(self, sort: Sort) -> Self {
        self.with("sort", sort)
    }

    /// Extra data per issue; only [`IssueInclude::Attachments`] and
    /// [`IssueInclude::Relations`] apply to lists.
    #[must_use]
    pub fn include(mut self, include: &[IssueInclude]) -> Self {
        self.query.set_list("include", include.iter().map(|i| i.as_str()));
        self
    }

    /// How many matching issues to skip.
    #[must_use]
    pub fn offset(mut self, offset: u64) -> Self {
        self.query.set_offset(offset);
        self
    }

    /// The page size, clamped to Redmine's 1..=100 (Redmine's default is 25).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.query.set_limit(limit);
        self
    }

    /// Any other query parameter Redmine understands, such as `("is_private", "1")` or
    /// `("estimated_hours", ">=8")`. The value is sent as given (URL-encoded).
    #[must_use]
    pub fn extra(self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.with(&key.into(), value)
    }
}

impl From<UserId> for IdFilter<UserRef> {
    fn from(id: UserId) -> Self {
        Self::Is(vec![UserRef::Id(id)])
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn pairs(filter: &IssueFilter) -> Vec<(&str, &str)> {
        filter.query.pairs().collect()
    }

    #[test]
    fn every_typed_filter_writes_redmine_syntax() {
        let filter = IssueFilter::new()
            .project("project-a")
            .subprojects(IdFilter::None)
            .tracker(IdFilter::one_of([TrackerId(1), TrackerId(2)]))
            .status(StatusFilter::Closed)
            .assigned_to(UserRef::Me)
            .author(UserId(5))
            .priority(IdFilter::IsNot(vec![PriorityId(1)]))
            .category(CategoryId(3))
            .fixed_version(VersionId(4))
            .parent(IdFilter::None)
            .ids([IssueId(1), IssueId(2)])
            .custom_field(CustomFieldId(1), TextFilter::is("High"))
            .subject(TextFilter::contains("checkout"))
            .created_on(DateFilter::between(date(2025, 1, 1), date(2025, 1, 31)))
            .updated_on(DateFilter::ThisWeek)
            .closed_on(DateFilter::Any)
            .start_date(DateFilter::OnOrAfter(date(2026, 1, 5).into()))
            .due_date(DateFilter::Yesterday)
            .saved_query(QueryId(8))
            .sort(Sort::desc("updated_on").then_asc("id"))
            .include(&[IssueInclude::Attachments, IssueInclude::Relations])
            .offset(50)
            .limit(500)
            .extra("is_private", 1);

        assert_eq!(
            pairs(&filter),
            [
                ("project_id", "project-a"),
                ("subproject_id", "!*"),
                ("tracker_id", "1|2"),
                ("status_id", "c"),
                ("assigned_to_id", "me"),
                ("author_id", "5"),
                ("priority_id", "!1"),
                ("category_id", "3"),
                ("fixed_version_id", "4"),
                ("parent_id", "!*"),
                ("issue_id", "1,2"),
                ("cf_1", "=High"),
                ("subject", "~checkout"),
                ("created_on", "><2025-01-01|2025-01-31"),
                ("updated_on", "w"),
                ("closed_on", "*"),
                ("start_date", ">=2026-01-05"),
                ("due_date", "ld"),
                ("query_id", "8"),
                ("sort", "updated_on:desc,id"),
                ("include", "attachments,relations"),
                ("offset", "50"),
                ("limit", "100"),
                ("is_private", "1"),
            ]
        );
    }

    #[test]
    fn setters_replace_earlier_values() {
        let filter = IssueFilter::new().status(StatusFilter::Open).status(StatusId(3));
        assert_eq!(pairs(&filter), [("status_id", "3")]);
        let filter = IssueFilter::new().status(StatusFilter::IsNot(vec![StatusId(1), StatusId(5)]));
        assert_eq!(pairs(&filter), [("status_id", "!1|5")]);
    }
}

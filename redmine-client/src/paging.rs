//! Which page of a list to ask for, for the lists that take no filters (memberships, news).
//!
//! Lists with filters (issues, projects, time entries) carry their paging in their own filter
//! type; the answers themselves are decoded into a [`Page`](crate::Page).

use crate::request::Query;

/// The offset and page size of a list call; unset values are left to Redmine (offset 0, 25
/// items).
///
/// ```
/// use redmine_client::Paging;
///
/// let second_page = Paging::new().offset(50).limit(50);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paging {
    offset: Option<u64>,
    limit: Option<u32>,
}

impl Paging {
    /// The first page at Redmine's default size.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many records to skip.
    #[must_use]
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// The page size, clamped to Redmine's 1..=100.
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The query parameters for this page.
    pub(crate) fn query(self) -> Query {
        let mut query = Query::default();
        if let Some(offset) = self.offset {
            query.set_offset(offset);
        }
        if let Some(limit) = self.limit {
            query.set_limit(limit);
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_set_values_are_sent_and_limit_is_clamped() {
        assert!(Paging::new().query().is_empty());
        let query = Paging::new().offset(25).limit(500).query();
        assert_eq!(query.pairs().collect::<Vec<_>>(), [("offset", "25"), ("limit", "100")]);
    }
}

//! Offset pagination as Redmine does it.
//!
//! A list answer carries its items under a resource-specific key next to `total_count`, `offset`
//! and `limit`. [`Page`] holds one such answer; [`Client::paginate`](crate::Client) walks all of
//! them as a [`Stream`](futures::Stream) up to a caller-given number of items.
//!
//! Redmine paginates by offset over a live table, so records created or deleted while a walk is
//! under way can shift later pages: an item may then be seen twice or not at all.

use std::fmt;
use std::marker::PhantomData;

use futures::{Stream, TryStreamExt, stream};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::request::Route;

/// The largest page Redmine hands out; larger limits are clamped to it.
pub(crate) const MAX_LIMIT: u32 = 100;

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The records on this page.
    pub items: Vec<T>,
    /// How many records match in all.
    pub total_count: u64,
    /// How many records precede this page.
    pub offset: u64,
    /// The page size Redmine applied (after clamping to 1..=100).
    pub limit: u64,
}

impl<T> Page<T> {
    /// The offset of the next page, or `None` if this is the last one.
    pub fn next_offset(&self) -> Option<u64> {
        let next = self.offset + self.items.len() as u64;
        (!self.items.is_empty() && next < self.total_count).then_some(next)
    }

    /// Converts the items, keeping the counts.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total_count: self.total_count,
            offset: self.offset,
            limit: self.limit,
        }
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Decodes a list answer whose items sit under `key`.
///
/// Some lists (an issue's relations, a project's categories) are not paginated and omit some of
/// the counts; the missing ones are filled in as if the list were a single page.
pub(crate) struct PageSeed<T> {
    key: &'static str,
    items: PhantomData<fn() -> T>,
}

// By hand: a derive would ask for `T: Clone`, which a seed does not need.
impl<T> Clone for PageSeed<T> {
    fn clone(&self) -> Self {
        Self::new(self.key)
    }
}

impl<T> PageSeed<T> {
    pub(crate) fn new(key: &'static str) -> Self {
        Self { key, items: PhantomData }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for PageSeed<T> {
    type Value = Page<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Page<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageSeed<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with a `{}` list", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
        let (mut items, mut total_count, mut offset, mut limit) = (None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                k if k == self.key && items.is_none() => items = Some(map.next_value::<Vec<T>>()?),
                "total_count" => total_count = map.next_value()?,
                "offset" => offset = map.next_value()?,
                "limit" => limit = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }

        let items = items.ok_or_else(|| de::Error::missing_field(self.key))?;
        let count = items.len() as u64;
        Ok(Page {
            total_count: total_count.unwrap_or(count),
            offset: offset.unwrap_or(0),
            limit: limit.unwrap_or(count),
            items,
        })
    }
}

impl Client {
    /// Walks every page of the list at `route`, yielding at most `max_items` items.
    ///
    /// The route's own `offset` is where the walk starts; its `limit` is replaced by pages of
    /// 100 (or fewer when `max_items` is nearly reached), so that few requests are made. The
    /// stream ends after the first error.
    pub(crate) fn paginate<T>(
        &self,
        route: Route,
        key: &'static str,
        max_items: usize,
    ) -> impl Stream<Item = Result<T>> + Send + 'static
    where
        T: for<'de> Deserialize<'de> + Send + 'static,
    {
        struct Walk {
            client: Client,
            route: Route,
            offset: u64,
            left: usize,
        }

        let offset = route.query.get("offset").and_then(|o| o.parse().ok()).unwrap_or(0);
        let walk = Walk { client: self.clone(), route, offset, left: max_items };

        stream::try_unfold(walk, move |mut walk| async move {
            if walk.left == 0 {
                return Ok(None);
            }

            let mut route = walk.route.clone();
            route.query.set_offset(walk.offset);
            route.query.set_limit(u32::try_from(walk.left).unwrap_or(MAX_LIMIT));
            let page: Page<T> = walk.client.send_page(route, key).await?;

            let next = page.next_offset();
            let mut items = page.items;
            items.truncate(walk.left);
            walk.left = match next {
                Some(_) => walk.left - items.len(),
                None => 0,
            };
            walk.offset = next.unwrap_or(walk.offset);

            let items = stream::iter(items.into_iter().map(Ok));
            Ok(Some((items, walk)))
        })
        .try_flatten()
    }
}

#[cfg(test)]
mod tests {
    use reqwest::Method;

    use super::*;
    use crate::error::Operation;
    use crate::request::decode;

    fn page(items: usize, total_count: u64, offset: u64) -> Page<u8> {
        Page { items: vec![0; items], total_count, offset, limit: 25 }
    }

    #[test]
    fn next_offset_stops_at_the_end() {
        assert_eq!(page(25, 60, 0).next_offset(), Some(25));
        assert_eq!(page(25, 60, 25).next_offset(), Some(50));
        assert_eq!(page(10, 60, 50).next_offset(), None);
        assert_eq!(page(0, 60, 60).next_offset(), None);
        // A total that grew while paging never makes an empty page loop.
        assert_eq!(page(0, 80, 60).next_offset(), None);
    }

    #[test]
    fn page_seed_reads_counts_and_tolerates_missing_ones() {
        let op = Operation::new(Method::GET, "/things.json");
        let body = br#"{"things":[1,2],"total_count":9,"offset":2,"limit":2,"extra":{}}"#;
        let page: Page<u8> = decode(&op, body, PageSeed::new("things")).unwrap();
        assert_eq!((page.items, page.total_count, page.offset, page.limit), (vec![1, 2], 9, 2, 2));

        let page: Page<u8> = decode(&op, br#"{"things":[7]}"#, PageSeed::new("things")).unwrap();
        assert_eq!((page.total_count, page.offset, page.limit), (1, 0, 1));
        assert_eq!(page.next_offset(), None);
    }
}

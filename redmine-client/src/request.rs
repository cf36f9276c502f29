//! The pieces of one Redmine call: where it goes ([`Route`]), what it carries ([`Query`],
//! [`Body`]) and how its answer is unwrapped from Redmine's JSON envelope.
//!
//! Sending is not done here but in [`Client::execute`](crate::Client), the one request path;
//! this module only describes requests and decodes answers.

use std::fmt::{self, Display};
use std::marker::PhantomData;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Operation, Result};

/// Everything except RFC 3986's unreserved characters is escaped in a path segment, so a project
/// identifier or a file name can never add a segment, a query or a fragment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Where a call goes: method, path template and the concrete path built from it.
///
/// The template (`/issues/{id}.json`) is what errors and logs show; the concrete path is filled
/// in one placeholder at a time with [`Route::arg`], which percent-encodes the value.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    method: Method,
    template: &'static str,
    path: String,
    next_arg: usize,
    pub(crate) query: Query,
}

impl Route {
    /// A route for `template`; its placeholders must then be filled with [`Route::arg`].
    pub(crate) fn new(method: Method, template: &'static str) -> Self {
        Self { method, template, path: template.to_owned(), next_arg: 0, query: Query::default() }
    }

    /// A GET route.
    pub(crate) fn get(template: &'static str) -> Self {
        Self::new(Method::GET, template)
    }

    /// A POST route.
    pub(crate) fn post(template: &'static str) -> Self {
        Self::new(Method::POST, template)
    }

    /// A PUT route.
    pub(crate) fn put(template: &'static str) -> Self {
        Self::new(Method::PUT, template)
    }

    /// A PATCH route.
    pub(crate) fn patch(template: &'static str) -> Self {
        Self::new(Method::PATCH, template)
    }

    /// A DELETE route.
    pub(crate) fn delete(template: &'static str) -> Self {
        Self::new(Method::DELETE, template)
    }

    /// Fills the next `{placeholder}` of the path with `value`, percent-encoded as one segment.
    pub(crate) fn arg(mut self, value: impl Display) -> Self {
        let Some(open) = self.path[self.next_arg..].find('{').map(|i| i + self.next_arg) else {
            debug_assert!(false, "{} has no placeholder left for {value}", self.template);
            return self;
        };
        let close = self.path[open..].find('}').map_or(self.path.len(), |i| open + i + 1);

        let encoded = utf8_percent_encode(&value.to_string(), SEGMENT).to_string();
        self.next_arg = open + encoded.len();
        self.path.replace_range(open..close, &encoded);
        self
    }

    /// Replaces the query string.
    pub(crate) fn with_query(mut self, query: Query) -> Self {
        self.query = query;
        self
    }

    /// Adds one query parameter.
    pub(crate) fn param(mut self, key: &'static str, value: impl Display) -> Self {
        self.query.push(key, value);
        self
    }

    /// The method and template, for errors and logs.
    pub(crate) fn operation(&self) -> Operation {
        Operation::new(self.method.clone(), self.template)
    }

    pub(crate) fn method(&self) -> &Method {
        &self.method
    }

    pub(crate) fn template(&self) -> &'static str {
        self.template
    }

    /// The concrete path, placeholders filled and encoded.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }
}

/// Query parameters in the order they were added.
///
/// Filters build one of these; values are encoded when the URL is assembled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Appends a parameter, keeping any earlier one with the same key.
    pub(crate) fn push(&mut self, key: impl Into<String>, value: impl Display) {
        self.pairs.push((key.into(), value.to_string()));
    }

    /// Sets a parameter, replacing every earlier one with the same key.
    pub(crate) fn set(&mut self, key: impl Into<String>, value: impl Display) {
        let key = key.into();
        self.pairs.retain(|(k, _)| *k != key);
        self.pairs.push((key, value.to_string()));
    }

    /// Sets a comma-separated list, or removes the key when the list is empty.
    pub(crate) fn set_list<T: Display>(&mut self, key: &str, values: impl IntoIterator<Item = T>) {
        let joined = values.into_iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",");
        self.pairs.retain(|(k, _)| k != key);
        if !joined.is_empty() {
            self.pairs.push((key.to_owned(), joined));
        }
    }

    /// Sets `offset`.
    pub(crate) fn set_offset(&mut self, offset: u64) {
        self.set("offset", offset);
    }

    /// Sets `limit`, clamped to Redmine's `1..=100`. Redmine itself would turn 0 into its
    /// default of 25, which is never what a caller asking for 0 meant.
    pub(crate) fn set_limit(&mut self, limit: u32) {
        self.set("limit", limit.clamp(1, crate::page::MAX_LIMIT));
    }

    /// The value of `key`, if set.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The parameters in order.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// The body of a request.
#[derive(Debug)]
pub(crate) enum Body {
    /// No body (GET, DELETE).
    Empty,
    /// A JSON document, sent as `application/json`.
    Json(Vec<u8>),
    /// Raw bytes, sent as `application/octet-stream` (uploads).
    Octets(Bytes),
}

impl Body {
    /// `value` wrapped in Redmine's envelope: `{"issue": {...}}` for `key = "issue"`.
    pub(crate) fn wrapped<T: Serialize + ?Sized>(key: &'static str, value: &T) -> Result<Self> {
        Self::json(&Wrapped { key, value })
    }

    /// `value` as it is, for the few calls that take a bare object (`{"user_id": 5}`).
    pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> Result<Self> {
        serde_json::to_vec(value)
            .map(Self::Json)
            .map_err(|e| Error::InvalidInput(format!("could not encode the request body: {e}")))
    }
}

/// Serializes as a one-key map, Redmine's request envelope.
struct Wrapped<'a, T: ?Sized> {
    key: &'static str,
    value: &'a T,
}

impl<T: Serialize + ?Sized> Serialize for Wrapped<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.key, self.value)?;
        map.end()
    }
}

/// Decodes a whole JSON body with `seed`, reporting where decoding failed as a JSON path.
pub(crate) fn decode<'de, S: DeserializeSeed<'de> + Clone>(
    op: &Operation,
    body: &'de [u8],
    seed: S,
) -> Result<S::Value> {
    // Tracking the path of every value took a quarter of a list's decoding time in profiles,
    // and the path only matters when decoding fails: decode untracked first, and only a body
    // that fails is decoded again, tracked, for the path of the failure.
    let mut json = serde_json::Deserializer::from_slice(body);
    if let Ok(value) = seed.clone().deserialize(&mut json)
        && json.end().is_ok()
    {
        return Ok(value);
    }

    let mut track = serde_path_to_error::Track::new();
    let mut json = serde_json::Deserializer::from_slice(body);

    let decoded = seed.deserialize(serde_path_to_error::Deserializer::new(&mut json, &mut track));
    let value = decoded.and_then(|value| json.end().map(|()| value));
    value.map_err(|source| Error::Decode { op: op.clone(), path: track.path().to_string(), source })
}

/// Takes the value under one key of a JSON object and ignores the rest: the `issue` of
/// `{"issue": {...}}`.
pub(crate) struct Field<T> {
    key: &'static str,
    value: PhantomData<fn() -> T>,
}

// By hand: a derive would ask for `T: Clone`, which a seed does not need.
impl<T> Clone for Field<T> {
    fn clone(&self) -> Self {
        Self::new(self.key)
    }
}

impl<T> Field<T> {
    pub(crate) fn new(key: &'static str) -> Self {
        Self { key, value: PhantomData }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Field<T> {
    type Value = T;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Field<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with the key `{}`", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.key && found.is_none() {
                found = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        found.ok_or_else(|| de::Error::missing_field(self.key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_fill_placeholders_in_order_and_encode() {
        let route = Route::get("/projects/{project}/wiki/{title}.json").arg("a b/c").arg("Wiki{x}");
        assert_eq!(route.path(), "/projects/a%20b%2Fc/wiki/Wiki%7Bx%7D.json");
        assert_eq!(route.template(), "/projects/{project}/wiki/{title}.json");
        assert_eq!(route.operation().to_string(), "GET /projects/{project}/wiki/{title}.json");
    }

    #[test]
    fn query_set_replaces_and_limit_clamps() {
        let mut query = Query::default();
        query.push("a", 1);
        query.set("a", 2);
        query.set_limit(0);
        query.set_limit(1000);
        query.set_list("ids", [1, 2]);
        query.set_list("none", Vec::<u8>::new());
        assert_eq!(
            query.pairs().collect::<Vec<_>>(),
            [("a", "2"), ("limit", "100"), ("ids", "1,2")]
        );
    }

    #[test]
    fn wrapped_body_is_an_envelope() {
        let Body::Json(bytes) =
            Body::wrapped("issue", &serde_json::json!({"subject": "x"})).unwrap()
        else {
            panic!("expected json");
        };
        assert_eq!(bytes, br#"{"issue":{"subject":"x"}}"#);
    }

    #[test]
    fn field_decoding_reports_the_json_path() {
        #[derive(Debug, Deserialize)]
        struct Thing {
            #[allow(dead_code)]
            id: u64,
        }
        let op = Operation::new(Method::GET, "/things/{id}.json");

        let thing: Thing =
            decode(&op, br#"{"other":[1],"thing":{"id":3}}"#, Field::new("thing")).unwrap();
        assert_eq!(thing.id, 3);

        let err = decode::<Field<Thing>>(&op, br#"{"thing":{"id":"x"}}"#, Field::new("thing"))
            .unwrap_err();
        let Error::Decode { path, .. } = &err else { panic!("{err:?}") };
        assert_eq!(path, "thing.id");

        let err = decode::<Field<Thing>>(&op, br#"{"other":1}"#, Field::new("thing")).unwrap_err();
        assert!(err.to_string().contains("missing field `thing`"), "{err}");
    }
}

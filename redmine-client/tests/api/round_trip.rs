//! Decoding a recorded fixture into a model and checking that it survives a serde round trip.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::support::json_fixture;

/// Decodes `fixture[key]` as `T`, and checks that encoding it again gives an equal value.
pub fn decode<T: DeserializeOwned + Serialize + PartialEq + Debug>(name: &str, key: &str) -> T {
    let value: Value = json_fixture(name)[key].take();
    assert!(!value.is_null(), "{name} has no `{key}`");
    let decoded: T = serde_json::from_value(value).unwrap_or_else(|e| panic!("{name}: {e}"));
    let again: T = serde_json::from_value(serde_json::to_value(&decoded).unwrap())
        .unwrap_or_else(|e| panic!("{name} re-encoded: {e}"));
    assert_eq!(decoded, again, "{name} does not round-trip");
    decoded
}

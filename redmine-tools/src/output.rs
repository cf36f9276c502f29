//! Output shaping: compact JSON (no nulls, no empty arrays) within a
//! character budget.
//!
//! A handler answers with an [`Answer`]: typed data serialized straight to
//! compact JSON text (the lists, the hot path), or a `serde_json::Value` it
//! assembled. Both faces send the text; the MCP face also sends the same data
//! as structured content, which is parsed from the text only when asked for.
//!
//! An answer over budget is trimmed where it is long: a list loses items from
//! its end (and its `next_offset` moves back so that nothing is skipped), and
//! long texts are cut. A `truncated` member says what was left out and how to
//! get the rest.

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::compact::Compact;
use crate::error::ToolError;

/// Texts longer than this are the first cut when items alone cannot fit.
const LONG_TEXT: usize = 2_000;

/// What a tool's handler answers, before shaping.
#[derive(Debug)]
pub struct Answer(Repr);

#[derive(Debug)]
enum Repr {
    /// A value the handler assembled, not yet compacted.
    Value(Value),
    /// Compact JSON text, serialized from typed data.
    Text(String),
}

impl Answer {
    /// Typed data, serialized at once to compact JSON; no intermediate `Value` is built.
    pub fn serialize(data: &impl Serialize) -> Result<Self, ToolError> {
        serde_json::to_string(&Compact(data))
            .map(|text| Self(Repr::Text(text)))
            .map_err(|e| ToolError::Unsupported(format!("could not encode the answer: {e}")))
    }

    /// Compact JSON text of the whole answer.
    fn into_text(self) -> String {
        match self.0 {
            Repr::Text(text) => text,
            // A `Value` always serializes (its keys are strings).
            Repr::Value(value) => serde_json::to_string(&Compact(&value)).unwrap_or_default(),
        }
    }
}

impl From<Value> for Answer {
    fn from(value: Value) -> Self {
        Self(Repr::Value(value))
    }
}

/// A tool's answer, shaped: its compact JSON text and, on demand, the same as a value.
#[derive(Debug, Clone)]
pub struct ToolOutput {
    /// The answer serialized once, compactly, by serde_json; both faces send this text as is.
    text: String,
    value: OnceLock<Value>,
}

impl ToolOutput {
    fn from_text(text: String) -> Self {
        Self { text, value: OnceLock::new() }
    }

    /// The answer's compact JSON text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text, without copying it.
    pub fn into_text(self) -> String {
        self.text
    }

    /// Whether the answer is a JSON object, so that its text may be embedded as it is where an
    /// object is expected (MCP's structured content). The text is always what serde_json wrote,
    /// compact, so it is an object exactly when it starts with `{`.
    pub fn is_json_object(&self) -> bool {
        self.text.starts_with('{')
    }

    /// The answer as a JSON value (MCP's structured content), parsed from the text when first
    /// asked for.
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| parse(&self.text))
    }

    /// The text and the value, without copying the text.
    pub fn into_parts(mut self) -> (String, Value) {
        let value = self.value.take().unwrap_or_else(|| parse(&self.text));
        (self.text, value)
    }
}

/// The value of text this module wrote. It is JSON by construction; were it not, the text
/// itself is the most faithful value.
fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Compacts `answer` and trims it to at most `budget` characters of JSON.
pub fn shape(answer: Answer, budget: usize) -> ToolOutput {
    let text = answer.into_text();
    // A text no longer in bytes than the budget is within it in characters too.
    if text.len() <= budget || text.chars().count() <= budget {
        return ToolOutput::from_text(text);
    }

    let mut value = parse(&text);
    trim_list(&mut value, budget);
    let mut text = value.to_string();
    let mut limit = LONG_TEXT;
    while text.chars().count() > budget && limit >= 50 {
        let cut = cut_long_texts(&mut value, limit);
        if cut > 0 {
            note(&mut value, "texts_cut_to_chars", json!(limit));
        }
        text = value.to_string();
        limit /= 2;
    }
    ToolOutput { text, value: OnceLock::from(value) }
}

/// The JSON type name of `value`, for messages.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Drops items from the end of the longest top-level array until the whole
/// fits, keeping the paging members consistent.
fn trim_list(value: &mut Value, budget: usize) {
    let Value::Object(map) = value else { return };
    let Some(key) = longest_array(map) else { return };

    let items = map.get(&key).and_then(Value::as_array).map_or(0, Vec::len);
    let sizes: Vec<usize> = map[&key]
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item.to_string().chars().count() + 1)
        .collect();
    let mut rest = map.clone();
    rest.insert(key.clone(), Value::Array(Vec::new()));
    // Room for the `truncated` note added below.
    let overhead = Value::Object(rest).to_string().chars().count() + 300;

    let mut used = overhead;
    let kept = sizes.iter().take_while(|size| {
        used += **size;
        used <= budget
    });
    let kept = kept.count();
    if kept == items {
        return;
    }

    if let Some(Value::Array(list)) = map.get_mut(&key) {
        list.truncate(kept);
    }
    let offset = map.get("offset").and_then(Value::as_u64);
    let next_offset = offset.map(|o| o + kept as u64);
    if let Some(next) = next_offset {
        map.insert("next_offset".to_owned(), json!(next));
    }
    let hint = match next_offset {
        Some(next) => format!("call again with offset={next} (and a smaller limit) for the rest"),
        None => "ask for fewer items or narrower filters for the rest".to_owned(),
    };
    note(
        value,
        "items",
        json!({"list": key, "returned": kept, "omitted": items - kept, "hint": hint}),
    );
}

fn longest_array(map: &Map<String, Value>) -> Option<String> {
    map.iter()
        .filter_map(|(k, v)| Some((k, v.as_array()?)))
        .filter(|(_, items)| !items.is_empty())
        .max_by_key(|(_, items)| items.iter().map(|i| i.to_string().len()).sum::<usize>())
        .map(|(k, _)| k.clone())
}

/// Cuts every string longer than `limit` characters; returns how many were cut.
fn cut_long_texts(value: &mut Value, limit: usize) -> usize {
    match value {
        Value::String(text) if text.chars().count() > limit => {
            let cut: String = text.chars().take(limit).collect();
            *text = format!("{cut}… [cut]");
            1
        }
        Value::Object(map) => map
            .iter_mut()
            .filter(|(k, _)| *k != "truncated")
            .map(|(_, v)| cut_long_texts(v, limit))
            .sum(),
        Value::Array(items) => items.iter_mut().map(|v| cut_long_texts(v, limit)).sum(),
        _ => 0,
    }
}

/// Records what was trimmed under the answer's `truncated` member.
fn note(value: &mut Value, key: &str, what: Value) {
    let Value::Object(map) = value else { return };
    let truncated = map.entry("truncated").or_insert_with(|| json!({}));
    if let Value::Object(notes) = truncated {
        notes.insert(key.to_owned(), what);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_compacted() {
        let value = json!({"a": null, "b": [], "c": {"d": null, "e": [1, null], "f": "x"}});
        let output = shape(value.into(), 100);
        assert_eq!(output.text, r#"{"c":{"e":[1,null],"f":"x"}}"#);
        assert_eq!(output.value(), &json!({"c": {"e": [1, null], "f": "x"}}));
    }

    #[test]
    fn typed_answers_are_compacted_in_their_field_order() {
        #[derive(Serialize)]
        struct Project {
            name: &'static str,
            id: u32,
            parent: Option<u32>,
            trackers: Vec<u32>,
        }
        let answer =
            Answer::serialize(&Project { name: "A", id: 1, parent: None, trackers: vec![] });
        let output = shape(answer.unwrap(), 100);
        assert_eq!(output.text, r#"{"name":"A","id":1}"#);
        assert_eq!(output.into_parts().1, json!({"id": 1, "name": "A"}));
    }

    #[test]
    fn a_long_list_is_trimmed_below_the_budget_and_says_so() {
        let issues: Vec<Value> = (0..500)
            .map(|i| json!({"id": i, "subject": format!("issue number {i} {}", "x".repeat(200))}))
            .collect();
        let value = json!({"issues": issues, "total_count": 500, "offset": 0, "limit": 500});
        let output = shape(value.into(), 20_000);

        assert!(output.text.chars().count() <= 20_000, "{} chars", output.text.len());
        let kept = output.value()["issues"].as_array().unwrap().len();
        assert!(kept > 10 && kept < 500, "{kept}");
        assert_eq!(output.value()["truncated"]["items"]["omitted"], 500 - kept);
        assert_eq!(output.value()["next_offset"], kept);
        assert_eq!(output.value()["total_count"], 500);
    }

    #[test]
    fn one_huge_text_is_cut() {
        let value = json!({"page": {"title": "Wiki", "text": "y".repeat(50_000)}});
        let output = shape(value.into(), 5_000);
        assert!(output.text.chars().count() <= 5_000);
        assert!(output.value()["page"]["text"].as_str().unwrap().ends_with("[cut]"));
        assert!(output.value()["truncated"]["texts_cut_to_chars"].is_number());
    }

    #[test]
    fn an_answer_is_known_to_be_an_object_by_its_text() {
        let object = shape(json!({"a": [1, {"b": "{"}]}).into(), 100);
        assert!(object.is_json_object());
        let trimmed = shape(json!({"items": vec!["x".repeat(100); 50]}).into(), 1_000);
        assert!(trimmed.is_json_object(), "{}", trimmed.text);
        for other in [json!([{"a": 1}]), json!("{"), json!(1), json!(null)] {
            let output = shape(other.clone().into(), 100);
            assert!(!output.is_json_object(), "{other} is not an object: {}", output.text);
        }
        let typed = Answer::serialize(&vec![("{", 1)]).unwrap();
        assert!(!shape(typed, 100).is_json_object());
    }

    #[test]
    fn small_answers_are_untouched() {
        let output = shape(json!({"id": 1, "name": "A"}).into(), 100);
        assert_eq!(output.text, r#"{"id":1,"name":"A"}"#);
    }
}

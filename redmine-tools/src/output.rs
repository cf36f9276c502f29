//! Output shaping: compact JSON (no nulls, no empty arrays) within a
//! character budget.
//!
//! An answer over budget is trimmed where it is long: a list loses items from
//! its end (and its `next_offset` moves back so that nothing is skipped), and
//! long texts are cut. A `truncated` member says what was left out and how to
//! get the rest.

use serde_json::{Map, Value, json};

/// Texts longer than this are the first cut when items alone cannot fit.
const LONG_TEXT: usize = 2_000;

/// A tool's answer: the structured value and its compact JSON text.
#[derive(Debug, Clone)]
pub struct ToolOutput {
    pub value: Value,
    /// `value` serialized once, compactly; both faces send this text as is.
    pub text: String,
}

/// Compacts `value` and trims it to at most `budget` characters of JSON.
pub fn shape(mut value: Value, budget: usize) -> ToolOutput {
    compact(&mut value);
    let text = value.to_string();
    // A text no longer in bytes than the budget is within it in characters too.
    if text.len() <= budget || text.chars().count() <= budget {
        return ToolOutput { value, text };
    }

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
    ToolOutput { value, text }
}

/// Removes nulls and empty arrays, recursively.
pub fn compact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| {
                compact(v);
                !(v.is_null() || v.as_array().is_some_and(Vec::is_empty))
            });
        }
        Value::Array(items) => items.iter_mut().for_each(compact),
        _ => {}
    }
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
    fn compact_drops_nulls_and_empty_arrays_at_any_depth() {
        let mut value = json!({"a": null, "b": [], "c": {"d": null, "e": [1, null], "f": "x"}});
        compact(&mut value);
        assert_eq!(value, json!({"c": {"e": [1, null], "f": "x"}}));
    }

    #[test]
    fn a_long_list_is_trimmed_below_the_budget_and_says_so() {
        let issues: Vec<Value> = (0..500)
            .map(|i| json!({"id": i, "subject": format!("issue number {i} {}", "x".repeat(200))}))
            .collect();
        let value = json!({"issues": issues, "total_count": 500, "offset": 0, "limit": 500});
        let output = shape(value, 20_000);

        assert!(output.text.chars().count() <= 20_000, "{} chars", output.text.len());
        let kept = output.value["issues"].as_array().unwrap().len();
        assert!(kept > 10 && kept < 500, "{kept}");
        assert_eq!(output.value["truncated"]["items"]["omitted"], 500 - kept);
        assert_eq!(output.value["next_offset"], kept);
        assert_eq!(output.value["total_count"], 500);
    }

    #[test]
    fn one_huge_text_is_cut() {
        let value = json!({"page": {"title": "Wiki", "text": "y".repeat(50_000)}});
        let output = shape(value, 5_000);
        assert!(output.text.chars().count() <= 5_000);
        assert!(output.value["page"]["text"].as_str().unwrap().ends_with("[cut]"));
        assert!(output.value["truncated"]["texts_cut_to_chars"].is_number());
    }

    #[test]
    fn small_answers_are_untouched() {
        let output = shape(json!({"id": 1, "name": "A"}), 100);
        assert_eq!(output.text, r#"{"id":1,"name":"A"}"#);
    }
}

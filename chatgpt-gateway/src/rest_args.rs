//! Turning a REST request into one arguments object for a tool.
//!
//! Path parameters and query parameters arrive as text and are converted to the type the tool's
//! schema gives the property: integer, number, boolean, a comma-separated array (`ids=1,2,3`,
//! or the parameter repeated), or an object as JSON text. A value that does not convert is kept
//! as text, so that the schema validation that follows reports it with every other problem,
//! with its path, instead of this module stopping at the first. The JSON body of a POST, PUT
//! or PATCH is the starting object; path parameters always win over it.

use serde_json::{Map, Number, Value};

use crate::error::ApiError;

/// The arguments object from a request's parts.
pub fn assemble(
    schema: &Value,
    path_params: &[(String, String)],
    query: Option<&str>,
    body: Option<&[u8]>,
) -> Result<Value, ApiError> {
    let mut arguments = match body {
        Some(bytes) if !bytes.iter().all(u8::is_ascii_whitespace) => parse_body(bytes)?,
        _ => Map::new(),
    };

    let mut from_query: Vec<(String, Vec<String>)> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match from_query.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(value.into_owned()),
            None => from_query.push((key.into_owned(), vec![value.into_owned()])),
        }
    }
    for (key, values) in from_query {
        let property = property(schema, &key);
        if let Some(value) = convert_all(&values, property) {
            arguments.insert(key, value);
        }
    }

    for (name, raw) in path_params {
        let value = convert(raw, property(schema, name));
        arguments.insert(name.clone(), value);
    }
    Ok(Value::Object(arguments))
}

/// The JSON body as an object.
fn parse_body(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request(
            "invalid_body",
            "the request body must be a JSON object of the tool's arguments",
        )),
        Err(error) => Err(ApiError::bad_request(
            "invalid_json",
            format!(
                "the request body is not valid JSON (line {}, column {}); send a JSON object",
                error.line(),
                error.column()
            ),
        )),
    }
}

/// The schema of property `name`, if the tool has one.
fn property<'s>(schema: &'s Value, name: &str) -> Option<&'s Value> {
    schema.get("properties")?.get(name)
}

/// The type a property schema names; `string` when it names none.
fn type_of(property: Option<&Value>) -> &str {
    let Some(property) = property else { return "string" };
    if let Some(name) = property.get("type").and_then(Value::as_str) {
        return name;
    }
    // An enum without a type: the type of its members.
    match property.get("enum").and_then(Value::as_array).and_then(|m| m.first()) {
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => "integer",
        Some(Value::Number(_)) => "number",
        Some(Value::Bool(_)) => "boolean",
        _ => "string",
    }
}

/// One query parameter, given once or repeated; `None` drops an empty non-text value, which
/// clients send for an argument they mean to leave out.
fn convert_all(values: &[String], property: Option<&Value>) -> Option<Value> {
    if type_of(property) == "array" {
        let items = property.and_then(|p| p.get("items"));
        let mut list = Vec::new();
        for value in values {
            let value = value.trim();
            if value.starts_with('[')
                && let Ok(Value::Array(parsed)) = serde_json::from_str(value)
            {
                list.extend(parsed);
                continue;
            }
            list.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| convert(s, items)),
            );
        }
        return Some(Value::Array(list));
    }

    let value = values.last()?;
    if value.is_empty() && type_of(property) != "string" {
        return None;
    }
    Some(convert(value, property))
}

/// One text value converted to the property's type, or kept as text when it does not convert.
fn convert(raw: &str, property: Option<&Value>) -> Value {
    let text = raw.trim();
    let converted = match type_of(property) {
        "integer" => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .ok(),
        "number" => text.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number),
        "boolean" => match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(Value::Bool(true)),
            "false" | "0" | "no" | "off" => Some(Value::Bool(false)),
            _ => None,
        },
        "array" => Some(Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| convert(s, property.and_then(|p| p.get("items"))))
                .collect(),
        )),
        "object" => serde_json::from_str::<Value>(text).ok().filter(Value::is_object),
        _ => None,
    };
    converted.unwrap_or_else(|| Value::String(raw.to_owned()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema() -> Value {
        json!({"type": "object", "properties": {
            "id": {"type": "integer"},
            "limit": {"type": "integer"},
            "ratio": {"type": "number"},
            "closed": {"type": "boolean"},
            "ids": {"type": "array", "items": {"type": "integer"}},
            "tags": {"type": "array", "items": {"type": "string"}},
            "filter": {"type": "object"},
            "subject": {"type": "string"},
            "sort": {"enum": [1, 2]},
        }})
    }

    #[test]
    fn query_values_take_the_schema_types() {
        let query = "limit=5&ratio=0.5&closed=TRUE&ids=1,%202,3&tags=a,b&subject=42\
                     &filter=%7B%22a%22%3A1%7D&sort=2";
        let args = assemble(&schema(), &[], Some(query), None).unwrap();
        assert_eq!(
            args,
            json!({"limit": 5, "ratio": 0.5, "closed": true, "ids": [1, 2, 3],
                   "tags": ["a", "b"], "subject": "42", "filter": {"a": 1}, "sort": 2})
        );
    }

    #[test]
    fn repeated_parameters_build_arrays() {
        let args = assemble(&schema(), &[], Some("ids=1&ids=2,3&ids=[4]"), None).unwrap();
        assert_eq!(args, json!({"ids": [1, 2, 3, 4]}));
    }

    #[test]
    fn values_that_do_not_convert_stay_text_for_the_validator() {
        let args = assemble(&schema(), &[], Some("limit=ten&closed=maybe&ids=1,x"), None).unwrap();
        assert_eq!(args, json!({"limit": "ten", "closed": "maybe", "ids": [1, "x"]}));
    }

    #[test]
    fn empty_values_of_typed_parameters_are_left_out() {
        let args = assemble(&schema(), &[], Some("limit=&subject="), None).unwrap();
        assert_eq!(args, json!({"subject": ""}));
    }

    #[test]
    fn path_parameters_win_over_the_body() {
        let params = [("id".to_owned(), "7".to_owned())];
        let body = br#"{"id": 9, "subject": "x"}"#;
        let args = assemble(&schema(), &params, None, Some(body)).unwrap();
        assert_eq!(args, json!({"id": 7, "subject": "x"}));
    }

    #[test]
    fn bodies_must_be_json_objects() {
        let error = assemble(&schema(), &[], None, Some(b"[1]")).unwrap_err();
        assert_eq!(error.code, "invalid_body");
        let error = assemble(&schema(), &[], None, Some(b"{oops")).unwrap_err();
        assert_eq!(error.code, "invalid_json");
        assert_eq!(assemble(&schema(), &[], None, Some(b"  \n")).unwrap(), json!({}));
    }

    #[test]
    fn unknown_parameters_pass_through_for_the_validator_to_name() {
        let args = assemble(&schema(), &[], Some("colour=red"), None).unwrap();
        assert_eq!(args, json!({"colour": "red"}));
    }
}

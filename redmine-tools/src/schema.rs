//! Argument schemas, generated from the typed argument structs.
//!
//! Strict clients reject some of what a schema generator emits by default, so
//! the generated schema is made plain: every subschema inlined (no `$ref`,
//! no `$defs`), `type` arrays with `null` reduced to the one real type (an
//! optional argument is one that may be left out), non-standard integer
//! formats (`uint32`) dropped, and unknown properties refused.

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value};

/// The plain draft 2020-12 object schema of `A`.
pub fn for_arguments<A: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .with(|settings| {
            settings.inline_subschemas = true;
            settings.meta_schema = None;
        })
        .with_transform(RecursiveTransform(plain))
        .into_generator();
    let mut schema = generator.into_root_schema_for::<A>().to_value();

    let object = schema.as_object_mut().expect("an argument schema is an object schema");
    object.remove("title");
    // The struct's own doc comment speaks to developers; tools carry their own description.
    object.remove("description");
    object.entry("properties").or_insert_with(|| Value::Object(Map::new()));
    object.insert("additionalProperties".to_owned(), Value::Bool(false));
    schema
}

/// One subschema made plain; applied to every subschema by `RecursiveTransform`.
fn plain(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else { return };

    // `"type": ["integer", "null"]` becomes `"type": "integer"`.
    if let Some(Value::Array(types)) = object.get("type") {
        let real: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if real.len() == 1 {
            object.insert("type".to_owned(), real.into_iter().next().expect("one type"));
        }
    }

    // `anyOf: [{...}, {"type": "null"}]` (an optional enum or struct) becomes the one branch.
    if let Some(Value::Array(branches)) = object.get("anyOf") {
        let real: Vec<&Value> =
            branches.iter().filter(|b| b.get("type") != Some(&"null".into())).collect();
        if let ([Value::Object(branch)], 2) = (real.as_slice(), branches.len()) {
            let branch = branch.clone();
            object.remove("anyOf");
            for (key, value) in branch {
                object.entry(key).or_insert(value);
            }
        }
    }

    // Optional enums carry a `null` member; an omitted argument says the same.
    if let Some(Value::Array(members)) = object.get_mut("enum") {
        members.retain(|m| !m.is_null());
    }

    let nonstandard_format = object.get("format").and_then(Value::as_str).is_some_and(|format| {
        format.starts_with("uint")
            || format.starts_with("int")
            || format == "double"
            || format == "float"
    });
    if nonstandard_format {
        object.remove("format");
    }

    // Doc comments wrap at the source's width; a description is one paragraph.
    if let Some(Value::String(description)) = object.get_mut("description") {
        *description = description.split_whitespace().collect::<Vec<_>>().join(" ");
    }

    // A nullable default of `null` says nothing.
    if object.get("default") == Some(&Value::Null) {
        object.remove("default");
    }
}

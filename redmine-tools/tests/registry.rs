//! The registry as clients see it: names, descriptions and schemas that
//! strict clients accept, and validation that reports every problem at once.

use redmine_tools::{Registry, RegistryConfig, ToolError};
use serde_json::{Value, json};

fn registry() -> Registry {
    Registry::new(&RegistryConfig::default()).unwrap()
}

/// Every subschema of `schema`, the schema itself included.
fn subschemas(schema: &Value, out: &mut Vec<Value>) {
    out.push(schema.clone());
    match schema {
        Value::Object(map) => map.values().for_each(|v| subschemas(v, out)),
        Value::Array(items) => items.iter().for_each(|v| subschemas(v, out)),
        _ => {}
    }
}

#[test]
fn schemas_are_snapshotted() {
    let registry = registry();
    let tools: serde_json::Map<String, Value> = registry
        .tools()
        .iter()
        .map(|tool| {
            let spec = tool.spec();
            let a = spec.annotations;
            let summary = json!({
                "title": spec.title,
                "description": spec.description,
                "annotations": {
                    "read_only": a.read_only, "destructive": a.destructive,
                    "idempotent": a.idempotent, "open_world": a.open_world,
                },
                "scopes": spec.scopes,
                "rest": format!("{} {}", spec.binding.method, spec.binding.path),
                "listed": spec.binding.listed,
                "input_schema": tool.input_schema(),
            });
            (tool.name().to_owned(), summary)
        })
        .collect();
    insta::assert_json_snapshot!("tools", tools);
}

#[test]
fn names_and_descriptions_fit_every_client() {
    for tool in registry().tools() {
        let spec = tool.spec();
        assert!(
            spec.name.len() <= 64
                && spec
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{} is not snake_case",
            spec.name
        );
        assert!(
            !spec.description.is_empty() && spec.description.chars().count() <= 300,
            "{}: description of {} characters",
            spec.name,
            spec.description.chars().count()
        );
        assert!(!spec.title.is_empty(), "{} has no title", spec.name);
    }
}

#[test]
fn schemas_are_plain_objects_with_described_properties() {
    for tool in registry().tools() {
        let schema = tool.input_schema();
        let name = tool.name();
        assert_eq!(schema["type"], "object", "{name}");
        assert_eq!(schema["additionalProperties"], false, "{name} must refuse unknown properties");
        for keyword in ["oneOf", "anyOf", "allOf", "$ref", "$defs", "definitions"] {
            assert!(schema.get(keyword).is_none(), "{name} has top-level {keyword}");
        }
        for (property, subschema) in schema["properties"].as_object().unwrap() {
            let description = subschema["description"].as_str().unwrap_or_default();
            assert!(!description.is_empty(), "{name}.{property} has no description");
            assert!(description.chars().count() <= 700, "{name}.{property}: description too long");
        }
        let mut all = Vec::new();
        subschemas(schema, &mut all);
        for sub in all {
            assert!(
                !sub.get("type").is_some_and(Value::is_array),
                "{name} has a type array: {sub}"
            );
            assert!(sub.get("$ref").is_none(), "{name} has a $ref: {sub}");
        }
    }
}

#[test]
fn validation_reports_every_problem_with_its_path() {
    let registry = registry();
    let tool = registry.get("create_issue_relation").unwrap();
    let error = tool
        .validate(&json!({
            "issue_id": "seven",
            "relation_type": "loves",
            "delay": 5000,
            "color": "red"
        }))
        .unwrap_err();
    let ToolError::InvalidArguments(problems) = &error else { panic!("{error:?}") };
    let text = error.to_string();
    assert!(problems.len() >= 4, "{text}");
    assert!(problems.iter().any(|p| p.path == "/issue_id"), "{text}");
    assert!(problems.iter().any(|p| p.path == "/relation_type"), "{text}");
    assert!(problems.iter().any(|p| p.path == "/delay" && p.message.contains("maximum")), "{text}");
    assert!(text.contains("color"), "the unknown property is named: {text}");
    assert!(text.contains("issue_to_id"), "the missing property is named: {text}");
}

#[test]
fn read_only_mode_keeps_read_only_tools_only() {
    let registry =
        Registry::new(&RegistryConfig { read_only: true, ..RegistryConfig::default() }).unwrap();
    assert!(!registry.tools().is_empty());
    assert!(registry.tools().iter().all(|t| t.spec().annotations.read_only));
    assert!(registry.get("delete_issue_relation").is_none());
}

#[test]
fn allow_and_deny_lists_take_globs() {
    let config = RegistryConfig {
        allow: vec!["*_issue_relation*".to_owned()],
        deny: vec!["delete_*".to_owned()],
        ..RegistryConfig::default()
    };
    let registry = Registry::new(&config).unwrap();
    let names: Vec<&str> = registry.tools().iter().map(redmine_tools::Tool::name).collect();
    assert!(names.contains(&"create_issue_relation"), "{names:?}");
    assert!(names.contains(&"list_issue_relations"), "{names:?}");
    assert!(!names.contains(&"delete_issue_relation"), "{names:?}");

    let bad = RegistryConfig { deny: vec!["[".to_owned()], ..RegistryConfig::default() };
    assert!(Registry::new(&bad).unwrap_err().to_string().contains("invalid tool name pattern"));
}

#[test]
fn issue_tool_arguments_are_validated_before_any_call() {
    let registry = registry();
    let list = registry.get("list_issues").unwrap();
    let error = list
        .validate(&json!({"limit": 500, "offset": -1, "tracker": 5, "colour": "red"}))
        .unwrap_err();
    let ToolError::InvalidArguments(problems) = &error else { panic!("{error:?}") };
    let text = error.to_string();
    assert!(problems.iter().any(|p| p.path == "/limit" && p.message.contains("maximum")), "{text}");
    assert!(problems.iter().any(|p| p.path == "/offset"), "{text}");
    assert!(problems.iter().any(|p| p.path == "/tracker"), "{text}");
    assert!(text.contains("colour"), "{text}");
    assert!(list.validate(&json!({"project": "website", "status": "*", "limit": 100})).is_ok());

    let create = registry.get("create_issue").unwrap();
    let error = create.validate(&json!({"done_ratio": 101, "watchers": "me"})).unwrap_err();
    let text = error.to_string();
    for expected in ["project", "subject", "/done_ratio", "/watchers"] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }

    let get = registry.get("get_issue").unwrap();
    let error = get.validate(&json!({"id": 1, "include": ["history"]})).unwrap_err();
    assert!(error.to_string().contains("/include/0"), "{error}");

    let update = registry.get("update_issue").unwrap();
    let error = update.validate(&json!({"id": 1, "clear": ["subject"]})).unwrap_err();
    assert!(error.to_string().contains("/clear/0"), "{error}");
}

#[test]
fn issue_tools_have_the_documented_rest_bindings() {
    let registry = registry();
    for (name, method, path) in [
        ("list_issues", "GET", "/issues"),
        ("get_issue", "GET", "/issues/{id}"),
        ("create_issue", "POST", "/issues"),
        ("update_issue", "PUT", "/issues/{id}"),
        ("delete_issue", "DELETE", "/issues/{id}"),
        ("add_issue_note", "POST", "/issues/{id}/notes"),
    ] {
        let binding = &registry.get(name).unwrap().spec().binding;
        assert_eq!((binding.method.as_str(), binding.path, binding.listed), (method, path, true));
    }
    for name in ["add_issue_watcher", "remove_issue_watcher", "upload_attachment", "update_journal"]
    {
        let tool = registry.get(name).unwrap();
        assert!(!tool.spec().binding.listed, "{name}");
        for param in tool.spec().binding.path_params() {
            assert!(
                tool.input_schema()["properties"].get(param).is_some(),
                "{name}: path parameter {param} is no argument"
            );
        }
    }
}

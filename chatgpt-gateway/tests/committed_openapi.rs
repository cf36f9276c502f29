//! The committed `docs/openapi.json` and `docs/openapi.yaml` are what the registry generates
//! with the default settings; regenerate them with `cargo xtask openapi` when this fails.

use std::path::Path;

use chatgpt_gateway::GatewayConfig;
use chatgpt_gateway::openapi::{openapi_document, render_json, render_yaml};
use redmine_tools::{Registry, RegistryConfig};

fn committed(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask openapi`", path.display()))
}

#[test]
fn committed_openapi_documents_are_up_to_date() {
    let registry = Registry::new(&RegistryConfig::default()).unwrap();
    let document = openapi_document(&GatewayConfig::default(), &registry);

    let stale = "is stale: run `cargo xtask openapi` and commit the result";
    assert!(committed("openapi.json") == render_json(&document), "docs/openapi.json {stale}");
    assert!(
        committed("openapi.yaml") == render_yaml(&document).unwrap(),
        "docs/openapi.yaml {stale}"
    );
}

//! The served OpenAPI document, manifest, logo, health and metrics: the document validates
//! with a standard OpenAPI validator and obeys every ChatGPT limit, and the manifest's URLs
//! resolve on the gateway.

use std::path::PathBuf;
use std::process::Command;

use redmine_mcp_tests::{HarnessEnv, TestGateway};
use reqwest::StatusCode;
use serde_json::Value;

/// The Python interpreter of the venv `cargo xtask test` prepares with openapi-spec-validator,
/// or the system's when it has the package; `None` without either.
fn python_with_validator() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let venv = root.join("target/py-venv/bin/python3");
    let candidates = [venv, PathBuf::from("python3")];
    candidates.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import openapi_spec_validator"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[tokio::test]
async fn the_served_document_validates_and_obeys_chatgpt_limits() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |_| {}).await;

    let json_text =
        reqwest::get(gateway.url("api/v1/openapi.json")).await.unwrap().text().await.unwrap();
    let yaml = reqwest::get(gateway.url("api/v1/openapi.yaml")).await.unwrap();
    assert_eq!(yaml.status(), StatusCode::OK);
    assert!(yaml.headers()["content-type"].to_str().unwrap().contains("yaml"));
    let document: Value = serde_json::from_str(&json_text).unwrap();

    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["servers"][0]["url"], gateway.url.as_str().trim_end_matches('/'));
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            let id = operation["operationId"].as_str().unwrap();
            assert!(operation["summary"].as_str().unwrap().chars().count() <= 300, "{id}");
            assert!(operation["description"].as_str().unwrap().chars().count() <= 300, "{id}");
            let consequential = operation["x-openai-isConsequential"].as_bool().unwrap();
            if let Some(tool) = gateway.state.registry.get(id) {
                assert_eq!(consequential, !tool.spec().annotations.read_only, "{id}");
                assert_eq!(method.to_uppercase(), tool.spec().binding.method.as_str(), "{id}");
                assert_eq!(*path, format!("/api/v1{}", tool.spec().binding.path));
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let text = parameter["description"].as_str().unwrap_or_default();
                assert!(text.chars().count() <= 700, "{id} {}", parameter["name"]);
            }
        }
    }
    assert!(operations <= 30, "{operations} operations");
    let flow =
        &document["components"]["securitySchemes"]["redmine_oauth"]["flows"]["authorizationCode"];
    assert_eq!(flow["authorizationUrl"], gateway.url("oauth/authorize").as_str());
    assert_eq!(flow["tokenUrl"], gateway.url("oauth/token").as_str());

    let python = python_with_validator().expect(
        "openapi-spec-validator is not installed: `cargo xtask test` installs it into \
         target/py-venv, or run `pip install openapi-spec-validator`",
    );
    let dir = std::env::temp_dir().join(format!("gateway-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("openapi.json");
    std::fs::write(&file, &json_text).unwrap();
    let output =
        Command::new(python).args(["-m", "openapi_spec_validator"]).arg(&file).output().unwrap();
    assert!(
        output.status.success(),
        "openapi-spec-validator refused the document:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn the_manifest_points_at_what_the_gateway_serves() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |config| {
        config.verification_token = Some("verify-me".to_owned());
    })
    .await;
    let manifest: Value = reqwest::get(gateway.url(".well-known/ai-plugin.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(manifest["schema_version"], "v1");
    assert_eq!(manifest["auth"]["type"], "oauth");
    assert_eq!(manifest["auth"]["verification_tokens"]["openai"], "verify-me");
    assert!(!manifest["auth"]["scope"].as_str().unwrap().contains("read"));
    let name = manifest["name_for_model"].as_str().unwrap();
    assert!(name.len() <= 50 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));

    for key in ["logo_url", "api"] {
        let url = if key == "api" { &manifest["api"]["url"] } else { &manifest[key] };
        let response = reqwest::get(url.as_str().unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{key}");
    }
    let logo = reqwest::get(manifest["logo_url"].as_str().unwrap()).await.unwrap();
    assert_eq!(logo.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn health_reports_redmine_and_metrics_count_requests() {
    let env = HarnessEnv::redmine61();
    let gateway = TestGateway::start(env, |config| config.metrics = true).await;
    let health: Value = reqwest::get(gateway.url("health")).await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["chatgpt_mode"], true);
    assert_eq!(health["tools"], gateway.state.registry.tools().len());
    assert!(health["version"].is_string());

    let _ = reqwest::get(gateway.url("api/v1/projects")).await.unwrap();
    let metrics = reqwest::get(gateway.url("metrics")).await.unwrap().text().await.unwrap();
    assert!(metrics.contains(r#"route="/api/v1/projects""#), "{metrics}");
    assert!(metrics.contains("redmine_tool_call_duration_seconds_bucket"), "{metrics}");

    let off = TestGateway::start(env, |_| {}).await;
    assert_eq!(reqwest::get(off.url("metrics")).await.unwrap().status(), StatusCode::NOT_FOUND);
}

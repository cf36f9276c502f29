//! Secrets: the real binary at `LOG_LEVEL=trace` against the real Redmine, used with real
//! OAuth tokens (issued and refreshed through the gateway, so the client secret passes through
//! it), API keys, a server key and a verification token. Nothing of these may show up in its
//! logs, in any answer other than the token endpoint's own, or in the published documents; two
//! users calling at once must each act as themselves; and no source compares a secret with a
//! plain `==`.

use std::collections::BTreeMap;
use std::path::Path;

use redmine_mcp_tests::spawned::SpawnedGateway;
use redmine_mcp_tests::{HarnessEnv, OAuthFlow};
use serde_json::{Value, json};
use url::Url;

/// Every secret of the run, by what it is, for the messages.
type Secrets = BTreeMap<String, String>;

fn scan(what: &str, text: &str, secrets: &Secrets, except: &[&str]) {
    for (name, secret) in secrets {
        if except.contains(&name.as_str()) {
            continue;
        }
        assert!(!text.contains(secret.as_str()), "{what} contains the {name}");
    }
}

struct Mcp<'a> {
    client: &'a reqwest::Client,
    url: String,
}

impl Mcp<'_> {
    async fn call(&self, key: &str, tool: &str, arguments: Value) -> (u16, String) {
        let message = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                             "params": {"name": tool, "arguments": arguments}});
        let answer = self
            .client
            .post(&self.url)
            .header("x-redmine-api-key", key)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-06-18")
            .json(&message)
            .send()
            .await
            .unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines, reason = "one scenario whose every step feeds the final scan")]
async fn no_secret_leaks_and_concurrent_callers_never_cross() {
    let env = HarnessEnv::redmine61();
    let (admin, dev, reporter) = (env.user("admin"), env.user("developer"), env.user("reporter"));
    let verification = "verify-3c1d9e7a5b";
    let gateway = SpawnedGateway::start(&[
        ("REDMINE_URL", env.base_url.as_str()),
        ("CHATGPT_MODE", "true"),
        ("REDMINE_API_KEY", &admin.api_key),
        ("CHATGPT_VERIFICATION_TOKEN", verification),
        ("LOG_LEVEL", "trace"),
    ])
    .await
    .expect("the gateway starts");
    let base = gateway.url();
    let client = reqwest::Client::new();

    // OAuth through the gateway: the client secret and the codes pass through it.
    let mut flow = OAuthFlow::redmine(env);
    flow.authorize_url = Url::parse(&format!("{base}/oauth/authorize")).unwrap();
    flow.token_url = Url::parse(&format!("{base}/oauth/token")).unwrap();
    let scopes = ["view_project", "view_issues"];
    let dev_token = flow.token_for(dev, &scopes).await.expect("a token for the developer");
    let rep_token = flow.token_for(reporter, &scopes).await.expect("a token for the reporter");
    let refreshed: Value = client
        .post(flow.token_url.clone())
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", dev_token.refresh_token.as_deref().expect("a refresh token")),
            ("client_id", &flow.client_id),
            ("client_secret", &flow.client_secret),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let dev_access = refreshed["access_token"].as_str().expect("a refreshed token").to_owned();

    let mut secrets = Secrets::new();
    secrets.insert("client secret".into(), flow.client_secret.clone());
    secrets.insert("first developer token".into(), dev_token.access_token.clone());
    secrets.insert("developer token".into(), dev_access.clone());
    secrets.insert("reporter token".into(), rep_token.access_token.clone());
    if let Some(refresh) = refreshed["refresh_token"].as_str() {
        secrets.insert("refresh token".into(), refresh.to_owned());
    }
    secrets.insert("verification token".into(), verification.to_owned());
    for user in &env.users {
        secrets.insert(format!("api key of {}", user.login), user.api_key.clone());
        secrets.insert(format!("password of {}", user.login), user.password.clone());
    }
    let mut answers: Vec<(String, String)> = Vec::new();

    // A wrong client secret: the token endpoint's error must not echo what was sent.
    let wrong = client
        .post(flow.token_url.clone())
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "not-a-refresh-token"),
            ("client_id", &flow.client_id),
            ("client_secret", &format!("{}x", flow.client_secret)),
        ])
        .send()
        .await
        .unwrap();
    answers.push(("a refused token request".into(), wrong.text().await.unwrap()));

    // Two OAuth users at once through the REST face, interleaved: each sees only themselves.
    let me = format!("{base}/api/v1/me");
    let calls = (0..40).map(|i| {
        let (token, login) = if i % 2 == 0 {
            (dev_access.clone(), dev.login.clone())
        } else {
            (rep_token.access_token.clone(), reporter.login.clone())
        };
        let (client, me) = (client.clone(), me.clone());
        async move {
            let answer = client.get(me).bearer_auth(token).send().await.unwrap();
            assert_eq!(answer.status(), 200);
            let body: Value = answer.json().await.unwrap();
            (login, body)
        }
    });
    for (login, body) in futures::future::join_all(calls).await {
        assert_eq!(body["user"]["login"], login.as_str(), "a call crossed credentials: {body}");
        answers.push(("/me".into(), body.to_string()));
    }

    // Two API-key users at once through the MCP face.
    let mcp = Mcp { client: &client, url: format!("{base}/mcp") };
    let calls = (0..20).map(|i| {
        let user = if i % 2 == 0 { dev } else { reporter };
        let mcp = &mcp;
        async move {
            let (status, text) = mcp.call(&user.api_key, "get_current_user", json!({})).await;
            (user, status, text)
        }
    });
    for (user, status, text) in futures::future::join_all(calls).await {
        assert_eq!(status, 200, "{text}");
        let other = if user.login == dev.login { reporter } else { dev };
        assert!(text.contains(&format!("\"login\":\"{}\"", user.login)), "{text:.400}");
        assert!(!text.contains(&format!("\"login\":\"{}\"", other.login)), "crossed: {text:.400}");
        answers.push(("mcp get_current_user".into(), text));
    }

    // Failures of every kind, each with a credential that must not come back.
    let failing = [
        client.get(&me).bearer_auth("invalid-token-9d8c7b6a5f4e"),
        client.get(&me).header("authorization", format!("Basic {}", dev.password)),
        client.get(format!("{base}/api/v1/issues/999999999")).bearer_auth(&dev_access),
        client.get(format!("{base}/api/v1/issues?limit=abc")).bearer_auth(&dev_access),
        client
            .get(format!("{base}/api/v1/projects/{}", env.project("c").id))
            .bearer_auth(&dev_access),
        client.post(format!("{base}/api/v1/tools/nope")).bearer_auth(&dev_access),
        client.get(format!("{base}/api/v1/projects")),
    ];
    for request in failing {
        let answer = request.send().await.unwrap();
        let status = answer.status();
        answers.push((format!("a {status} answer"), answer.text().await.unwrap()));
    }
    let (_, text) = mcp.call("wrong-key-0a1b2c3d", "list_projects", json!({})).await;
    answers.push(("an mcp answer to a wrong key".into(), text));
    let (_, text) = mcp.call(&reporter.api_key, "get_issue", json!({"id": "x"})).await;
    answers.push(("an mcp validation error".into(), text));

    for (what, text) in &answers {
        scan(what, text, &secrets, &[]);
    }

    // The published documents: the manifest carries the verification token by design.
    for path in [
        "/api/v1/openapi.json",
        "/api/v1/openapi.yaml",
        "/.well-known/ai-plugin.json",
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-authorization-server",
        "/health",
    ] {
        let text = client.get(format!("{base}{path}")).send().await.unwrap().text().await.unwrap();
        let except: &[&str] =
            if path.ends_with("ai-plugin.json") { &["verification token"] } else { &[] };
        scan(path, &text, &secrets, except);
    }

    // The logs, at trace level, of everything above.
    let log = gateway.log();
    assert!(log.contains("request finished"), "no request was logged:\n{log:.2000}");
    assert!(log.contains("TRACE"), "the log is not at trace level");
    eprintln!("secrets: {} answers and {} log bytes scanned", answers.len(), log.len());
    scan("the trace log", &log, &secrets, &[]);
}

/// Secrets are compared through `subtle` (the secret types' `PartialEq`), never with `==` on
/// their exposed text; this guards the sources against a plain comparison creeping in.
#[test]
fn no_source_compares_an_exposed_secret_with_eq() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut offenders = Vec::new();
    for crate_dir in
        ["redmine-client/src", "redmine-tools/src", "chatgpt-gateway/src", "gateway-bin/src"]
    {
        visit(&root.join(crate_dir), &mut |path, text| {
            for (number, line) in text.lines().enumerate() {
                let compact: String = line.split_whitespace().collect();
                if compact.contains("expose_secret()==")
                    || compact.contains("expose_secret()!=")
                    || compact.contains("==verification_token")
                    || compact.contains("verification_token==")
                {
                    offenders.push(format!("{}:{}: {line}", path.display(), number + 1));
                }
            }
        });
    }
    assert!(offenders.is_empty(), "plain comparisons of secrets:\n{}", offenders.join("\n"));
}

fn visit(dir: &Path, check: &mut impl FnMut(&Path, &str)) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            visit(&path, check);
        } else if path.extension().is_some_and(|e| e == "rs")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            check(&path, &text);
        }
    }
}

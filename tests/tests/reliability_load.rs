//! Load and rate limiting, against the real binary with the Redmine stand-in upstream.
//!
//! - 100,000 REST calls over 256 kept-alive connections: every answer a 200, and the gateway's
//!   memory bounded while it serves them and afterwards. `LOAD_REQUESTS` and
//!   `LOAD_CONNECTIONS` change the figures for a longer run.
//! - Per-token rate limiting: one user over the limit gets 429 with `Retry-After` on both faces,
//!   while another user's calls go through as fast as before.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use redmine_mcp_tests::faults::{FaultServer, StandIn, StandInUser};
use redmine_mcp_tests::spawned::SpawnedGateway;

fn users() -> Vec<StandInUser> {
    ["alice", "bob"]
        .iter()
        .zip(1..)
        .map(|(login, id)| StandInUser {
            secret: format!("load-token-{login}-0b5e"),
            id,
            login: (*login).to_owned(),
        })
        .collect()
}

fn from_env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_calls_on_256_connections_all_succeed_in_bounded_memory() {
    let total = from_env("LOAD_REQUESTS", 100_000);
    let connections = from_env("LOAD_CONNECTIONS", 256);
    let upstream =
        FaultServer::start(StandIn { users: users(), ..StandIn::default() }).await.unwrap();
    let gateway = SpawnedGateway::start(&[
        ("REDMINE_URL", &upstream.url()),
        ("CHATGPT_MODE", "true"),
        ("CHATGPT_REQUIRE_AUTH", "true"),
        ("LOG_LEVEL", "warn"),
    ])
    .await
    .expect("the gateway starts");
    let url = format!("{}/api/v1/projects", gateway.url());
    let token = users()[0].secret.clone();

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    // Warm up: the token verdict is cached and the pools are filled.
    for _ in 0..50 {
        let response = client.get(&url).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }
    let baseline = gateway.rss_kb().unwrap();

    let issued = Arc::new(AtomicUsize::new(0));
    let ok = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::new()));
    let peak = Arc::new(AtomicU64::new(baseline));
    let done = Arc::new(AtomicBool::new(false));
    let pid_rss = {
        let peak = peak.clone();
        let done = done.clone();
        let status = format!("/proc/{}/status", gateway.pid().expect("a running gateway"));
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                if let Some(rss) = read_rss(&status) {
                    peak.fetch_max(rss, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };

    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..connections {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        let (issued, ok, failures) = (issued.clone(), ok.clone(), failures.clone());
        workers.push(tokio::spawn(async move {
            while issued.fetch_add(1, Ordering::Relaxed) < total {
                match client.get(&url).bearer_auth(&token).send().await {
                    Ok(response) if response.status() == 200 => {
                        if response.bytes().await.is_ok() {
                            ok.fetch_add(1, Ordering::Relaxed);
                        } else {
                            failures.lock().unwrap().push("body cut short".to_owned());
                        }
                    }
                    Ok(response) => failures.lock().unwrap().push(response.status().to_string()),
                    Err(error) => failures.lock().unwrap().push(error.to_string()),
                }
            }
        }));
    }
    for worker in workers {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed();
    done.store(true, Ordering::Relaxed);
    pid_rss.await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = gateway.rss_kb().unwrap();
    let peak = peak.load(Ordering::Relaxed);

    let failures = failures.lock().unwrap().clone();
    let ok = ok.load(Ordering::Relaxed);
    eprintln!(
        "load: {ok}/{total} ok over {connections} connections in {:.1} s ({:.0} req/s); \
         rss kB baseline {baseline}, peak {peak}, after {after}; first failures {:?}",
        elapsed.as_secs_f64(),
        f64::from(u32::try_from(ok).unwrap_or(u32::MAX)) / elapsed.as_secs_f64(),
        failures.iter().take(5).collect::<Vec<_>>()
    );
    assert!(failures.is_empty(), "{} failures, first: {:?}", failures.len(), &failures[..1]);
    assert_eq!(ok, total);
    // Each of 256 connections holds buffers of a few KiB and each call in flight its page;
    // 64 MiB of headroom is ample, and a leak of even 1 KiB per call would exceed it.
    assert!(peak < baseline + 64 * 1024, "peak {peak} kB against a baseline of {baseline} kB");
    assert!(after < baseline + 48 * 1024, "after {after} kB against a baseline of {baseline} kB");
}

fn read_rss(status: &str) -> Option<u64> {
    std::fs::read_to_string(status)
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_user_over_the_limit_is_held_back_without_slowing_another() {
    let upstream =
        FaultServer::start(StandIn { users: users(), ..StandIn::default() }).await.unwrap();
    let gateway = SpawnedGateway::start(&[
        ("REDMINE_URL", &upstream.url()),
        ("CHATGPT_MODE", "true"),
        ("CHATGPT_REQUIRE_AUTH", "true"),
        ("RATE_LIMIT_PER_MINUTE", "60"),
        ("RATE_LIMIT_BURST", "5"),
        ("LOG_LEVEL", "warn"),
    ])
    .await
    .expect("the gateway starts");
    let [alice, bob] = [users()[0].secret.clone(), users()[1].secret.clone()];
    let client = reqwest::Client::new();
    let rest = format!("{}/api/v1/projects", gateway.url());

    // Bob's unhindered latency, before Alice starts.
    let started = Instant::now();
    for _ in 0..3 {
        let status = client.get(&rest).bearer_auth(&bob).send().await.unwrap().status();
        assert_eq!(status, 200);
    }
    let bob_before = started.elapsed() / 3;

    // Alice fires 30 calls at once: her burst of 5 passes (perhaps one more as a second
    // refills), the rest get 429 with Retry-After.
    let calls = (0..30).map(|_| client.get(&rest).bearer_auth(&alice).send());
    let answers = futures::future::join_all(calls).await;
    let mut passed = 0;
    let mut limited = 0;
    for answer in answers {
        let answer = answer.unwrap();
        match answer.status().as_u16() {
            200 => passed += 1,
            429 => {
                limited += 1;
                let retry: u64 = answer.headers()["retry-after"].to_str().unwrap().parse().unwrap();
                assert!((1..=60).contains(&retry), "Retry-After {retry}");
                let body: serde_json::Value = answer.json().await.unwrap();
                assert_eq!(body["error"], "rate_limited");
                assert_eq!(body["status"], 429);
                assert!(!body.to_string().contains(&alice), "the token is echoed: {body}");
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert!((5..=7).contains(&passed), "{passed} of Alice's calls passed");
    assert_eq!(passed + limited, 30);

    // The MCP face shares Alice's bucket.
    let message = r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#;
    let mcp = client
        .post(format!("{}/mcp", gateway.url()))
        .bearer_auth(&alice)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(message)
        .send()
        .await
        .unwrap();
    assert_eq!(mcp.status(), 429);
    assert!(mcp.headers().contains_key("retry-after"));

    // Bob goes on as before (his 3 earlier calls and these 2 make his burst of 5), and the
    // documents stay open to Alice.
    let started = Instant::now();
    for _ in 0..2 {
        let status = client.get(&rest).bearer_auth(&bob).send().await.unwrap().status();
        assert_eq!(status, 200);
    }
    let bob_after = started.elapsed() / 2;
    eprintln!(
        "rate limit: alice {passed} passed, {limited} limited; bob {bob_before:?} then {bob_after:?}"
    );
    assert!(bob_after < bob_before * 3 + Duration::from_millis(50), "{bob_before:?} {bob_after:?}");
    let openapi = client.get(format!("{}/api/v1/openapi.json", gateway.url())).bearer_auth(&alice);
    assert_eq!(openapi.send().await.unwrap().status(), 200);
    let health = client.get(format!("{}/health", gateway.url())).bearer_auth(&alice);
    assert_eq!(health.send().await.unwrap().status(), 200);
}

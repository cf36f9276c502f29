//! `GET /health`: whether the gateway runs and whether Redmine answers.
//!
//! Redmine is asked for `/issue_statuses.json`, an open list that needs no credentials, with
//! a short timeout: a Redmine that is down or hangs makes the answer `degraded` quickly, never
//! a hang. The answer is 200 either way, so that a load balancer does not take the gateway out
//! because Redmine is down; `status` says which.

use std::sync::Arc;
use std::time::Instant;

use http::{Response, StatusCode};
use serde_json::json;

use crate::body::ResponseBody;
use crate::error::json_response;
use crate::state::AppState;

/// The health answer.
pub async fn health(state: &Arc<AppState>) -> Response<ResponseBody> {
    let started = Instant::now();
    let url = state.config.redmine("/issue_statuses.json");
    let probe = state.oauth_http.get(url).timeout(state.config.server.health_timeout).send().await;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);

    let redmine = match probe {
        Ok(response) if response.status().is_success() => {
            json!({"reachable": true, "status": response.status().as_u16(), "latency_ms": latency_ms})
        }
        Ok(response) => json!({
            "reachable": true,
            "status": response.status().as_u16(),
            "latency_ms": latency_ms,
            "error": "redmine answered with an error status; check that its rest api is enabled",
        }),
        Err(error) => {
            let why = if error.is_timeout() {
                "redmine did not answer within the health timeout"
            } else {
                "redmine could not be reached; check REDMINE_URL and that redmine is up"
            };
            json!({"reachable": false, "latency_ms": latency_ms, "error": why})
        }
    };
    let healthy = redmine["status"].as_u64().is_some_and(|s| (200..300).contains(&s));

    let body = json!({
        "status": if healthy { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "chatgpt_mode": state.config.chatgpt_mode,
        "require_auth": state.config.require_auth,
        "tools": state.registry.tools().len(),
        "redmine": redmine,
    });
    json_response(StatusCode::OK, &body)
}

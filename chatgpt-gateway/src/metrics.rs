//! Prometheus metrics at `GET /metrics`, served only when enabled.
//!
//! - `http_requests_total{method, route, status}` and
//!   `http_request_duration_seconds{method, route}`: every request by route template (never a
//!   concrete path, so the label set stays small);
//! - `redmine_tool_calls_total{tool, outcome}` and `redmine_tool_call_duration_seconds{tool}`:
//!   tool calls, whose time is almost all Redmine's, with `outcome` the error code or `ok`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::body::{ResponseBody, full};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ToolLabels {
    tool: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    tool: String,
    outcome: String,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 5 ms to about 41 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 14))
}

/// The gateway's metrics.
#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Arc<Mutex<Registry>>,
    requests: Family<RequestLabels, Counter>,
    request_latency: HistogramFamily<RouteLabels>,
    tool_calls: Family<OutcomeLabels, Counter>,
    tool_latency: HistogramFamily<ToolLabels>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let request_latency: HistogramFamily<RouteLabels> =
            Family::new_with_constructor(latency_histogram);
        let tool_calls = Family::<OutcomeLabels, Counter>::default();
        let tool_latency: HistogramFamily<ToolLabels> =
            Family::new_with_constructor(latency_histogram);

        let mut registry = Registry::default();
        registry.register("http_requests", "HTTP requests by route and status", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            request_latency.clone(),
        );
        registry.register(
            "redmine_tool_calls",
            "Tool calls (each one Redmine call or more) by outcome",
            tool_calls.clone(),
        );
        registry.register(
            "redmine_tool_call_duration_seconds",
            "Tool call latency, almost all of it Redmine's",
            tool_latency.clone(),
        );
        Self {
            registry: Arc::new(Mutex::new(registry)),
            requests,
            request_latency,
            tool_calls,
            tool_latency,
        }
    }

    /// Counts one finished request.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, latency: Duration) {
        let route = route.to_owned();
        let method = method.to_owned();
        self.requests
            .get_or_create(&RequestLabels { method: method.clone(), route: route.clone(), status })
            .inc();
        self.request_latency
            .get_or_create(&RouteLabels { method, route })
            .observe(latency.as_secs_f64());
    }

    /// Counts one tool call; `outcome` is `ok` or the error code.
    pub fn observe_tool_call(&self, tool: &str, outcome: &str, latency: Duration) {
        let labels = OutcomeLabels { tool: tool.to_owned(), outcome: outcome.to_owned() };
        self.tool_calls.get_or_create(&labels).inc();
        self.tool_latency
            .get_or_create(&ToolLabels { tool: tool.to_owned() })
            .observe(latency.as_secs_f64());
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        let registry = self.registry.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Writing into a String cannot fail.
        let _ = encode(&mut text, &registry);
        text
    }
}

/// `GET /metrics`; 404 unless metrics are enabled.
pub fn render(state: &Arc<AppState>) -> Result<Response<ResponseBody>, ApiError> {
    let Some(metrics) = &state.metrics else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "metrics_disabled",
            "metrics are not enabled on this server; set METRICS_ENABLED=true to serve them",
        ));
    };
    let mut response = Response::new(full(metrics.encode()));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_show_up_in_the_exposition() {
        let metrics = Metrics::new();
        metrics.observe_request("GET", "/api/v1/issues/{id}", 200, Duration::from_millis(12));
        metrics.observe_tool_call("get_issue", "not_found", Duration::from_millis(8));
        let text = metrics.encode();
        assert!(
            text.contains(
                r#"http_requests_total{method="GET",route="/api/v1/issues/{id}",status="200"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"redmine_tool_calls_total{tool="get_issue",outcome="not_found"} 1"#)
        );
        assert!(text.contains("http_request_duration_seconds_bucket"));
    }
}

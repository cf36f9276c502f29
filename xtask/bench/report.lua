-- wrk script: the request to send (from environment variables) and one
-- machine-readable line with the run's figures, read by `cargo xtask bench`.
local method = os.getenv("BENCH_METHOD")
local body = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")

if method then wrk.method = method end
if body and #body > 0 then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json, text/event-stream"
  wrk.headers["MCP-Protocol-Version"] = "2025-06-18"
end
if token and #token > 0 then wrk.headers["Authorization"] = "Bearer " .. token end
local api_key = os.getenv("BENCH_API_KEY")
if api_key and #api_key > 0 then wrk.headers["X-Redmine-API-Key"] = api_key end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"socket_errors":%d,"non_2xx":%d,' ..
    '"p50_us":%d,"p99_us":%d,"p999_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.mean))
end

//! Counters for `GET /metrics`, in the Prometheus text format. Requests
//! touch only atomics; the per-error-code counts take a lock, on errors only.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The routes, as `route` labels.
pub const ROUTES: [&str; 12] = [
    "/v1/evaluate",
    "/v1/decide",
    "/v1/batch",
    "/v1/policies",
    "/v1/rules/{id}",
    "/v1/examples",
    "/healthz",
    "/metrics",
    "/openapi.json",
    "/",
    "/assets/{file}",
    "other",
];

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5,
];

/// Response classes counted per route.
const CLASSES: [&str; 4] = ["2xx", "4xx", "5xx", "other"];

#[derive(Default)]
struct Route {
    by_class: [AtomicU64; 4],
    buckets: [AtomicU64; 12],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

#[derive(Default)]
pub struct Metrics {
    routes: [Route; 12],
    errors: Mutex<BTreeMap<(String, u16), u64>>,
    in_flight: AtomicU64,
}

pub fn route_index(path: &str) -> usize {
    ROUTES
        .iter()
        .position(|r| *r == path)
        .unwrap_or(ROUTES.len() - 1)
}

impl Metrics {
    pub fn started(&self) {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
    }

    pub fn finished(&self, route: usize, status: u16, elapsed: Duration, error: Option<&str>) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        let Some(r) = self.routes.get(route) else {
            return;
        };
        let class = match status {
            200..=299 => 0,
            400..=499 => 1,
            500..=599 => 2,
            _ => 3,
        };
        r.by_class[class].fetch_add(1, Ordering::Relaxed);
        let seconds = elapsed.as_secs_f64();
        if let Some(bucket) = BUCKETS.iter().position(|&b| seconds <= b) {
            r.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        }
        r.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        r.sum_micros.fetch_add(micros, Ordering::Relaxed);
        if let Some(code) = error {
            if let Ok(mut errors) = self.errors.lock() {
                *errors.entry((code.to_string(), status)).or_default() += 1;
            }
        }
    }

    /// The metrics as Prometheus text.
    pub fn render(&self, hash: &str, reloads: (u64, u64)) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP deon_http_requests_total HTTP requests answered, by route and status class.\n",
        );
        out.push_str("# TYPE deon_http_requests_total counter\n");
        for (route, r) in ROUTES.iter().zip(&self.routes) {
            for (class, n) in CLASSES.iter().zip(&r.by_class) {
                let n = n.load(Ordering::Relaxed);
                if n > 0 {
                    let _ = writeln!(
                        out,
                        "deon_http_requests_total{{route=\"{route}\",status=\"{class}\"}} {n}"
                    );
                }
            }
        }
        out.push_str("# HELP deon_http_request_duration_seconds Time from request to response head, by route.\n");
        out.push_str("# TYPE deon_http_request_duration_seconds histogram\n");
        for (route, r) in ROUTES.iter().zip(&self.routes) {
            let count = r.count.load(Ordering::Relaxed);
            if count == 0 {
                continue;
            }
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(&r.buckets) {
                cumulative += n.load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "deon_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "deon_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {count}"
            );
            let sum = r.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(
                out,
                "deon_http_request_duration_seconds_sum{{route=\"{route}\"}} {sum}"
            );
            let _ = writeln!(
                out,
                "deon_http_request_duration_seconds_count{{route=\"{route}\"}} {count}"
            );
        }
        out.push_str(
            "# HELP deon_http_errors_total Error responses, by error code and HTTP status.\n",
        );
        out.push_str("# TYPE deon_http_errors_total counter\n");
        if let Ok(errors) = self.errors.lock() {
            for ((code, status), n) in errors.iter() {
                let _ = writeln!(
                    out,
                    "deon_http_errors_total{{code=\"{}\",status=\"{status}\"}} {n}",
                    escape_label(code)
                );
            }
        }
        out.push_str("# HELP deon_http_requests_in_flight Requests being handled now.\n");
        out.push_str("# TYPE deon_http_requests_in_flight gauge\n");
        let _ = writeln!(
            out,
            "deon_http_requests_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        out.push_str("# HELP deon_policy_reloads_total Policy reloads, by result.\n");
        out.push_str("# TYPE deon_policy_reloads_total counter\n");
        let _ = writeln!(
            out,
            "deon_policy_reloads_total{{result=\"success\"}} {}",
            reloads.0
        );
        let _ = writeln!(
            out,
            "deon_policy_reloads_total{{result=\"failure\"}} {}",
            reloads.1
        );
        out.push_str("# HELP deon_policy_set_info The policy set in use, by content hash.\n");
        out.push_str("# TYPE deon_policy_set_info gauge\n");
        let _ = writeln!(
            out,
            "deon_policy_set_info{{hash=\"{}\"}} 1",
            escape_label(hash)
        );
        out
    }
}

fn escape_label(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

//! The routes, the guard every request passes (token, slots, time limit,
//! metrics, the policy-set header) and the JSON endpoints.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use deon::{Decision, Exposure, Format, Status};
use http_body_util::BodyExt;
use serde::Serialize;

use super::error::{ApiError, Failure};
use super::metrics::route_index;
use super::state::{Loaded, Shared};
use super::{batch, page};

pub const POLICY_SET_HEADER: &str = "deon-policy-set";

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v1/evaluate", post(evaluate))
        .route("/v1/decide", post(decide))
        .route("/v1/batch", post(batch::batch))
        .route("/v1/policies", get(policies))
        .route("/v1/rules/{id}", get(rule))
        .route("/v1/examples", get(examples))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(page::openapi))
        .route("/", get(page::index))
        .route("/assets/{file}", get(page::asset))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

/// Whether a route needs the bearer token (when there is one) and a slot.
fn is_api(route: &str) -> bool {
    route.starts_with("/v1/") || route == "/metrics"
}

/// Every request: metrics around it; for the API, the token, a slot among
/// `--max-concurrent` and the time limit; on every response, the policy set.
async fn guard(
    State(shared): State<Arc<Shared>>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let route = matched.as_ref().map_or("other", |m| m.as_str());
    let index = route_index(route);
    shared.metrics.started();
    let mut response = if is_api(route) {
        guarded(&shared, request, next).await
    } else {
        next.run(request).await
    };
    if !response.headers().contains_key(POLICY_SET_HEADER) {
        set_policy_header(response.headers_mut(), &shared.current().hash);
    }
    let error = response
        .headers()
        .get("deon-error-code")
        .and_then(|v| v.to_str().ok());
    shared
        .metrics
        .finished(index, response.status().as_u16(), started.elapsed(), error);
    response
}

async fn guarded(shared: &Shared, request: Request, next: Next) -> Response {
    if let Some(token) = &shared.token {
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|given| same_token(given.trim(), token)) {
            return Failure::one(
                StatusCode::UNAUTHORIZED,
                "deon::serve::unauthorized",
                "this server needs a bearer token",
                "send `Authorization: Bearer <token>` with the token in the server's --token-file",
            )
            .into_response();
        }
    }
    let limit = shared.limits.timeout;
    let work = async {
        let Ok(_slot) = shared.slots.acquire().await else {
            return busy();
        };
        next.run(request).await
    };
    match tokio::time::timeout(limit, work).await {
        Ok(response) => response,
        Err(_) => Failure::one(
            StatusCode::SERVICE_UNAVAILABLE,
            "deon::serve::timeout",
            format!(
                "the request took longer than the server's limit of {} ms",
                limit.as_millis()
            ),
            "send the body at once, split a large batch, or retry when the server is less busy",
        )
        .into_response(),
    }
}

fn busy() -> Response {
    Failure::one(
        StatusCode::SERVICE_UNAVAILABLE,
        "deon::serve::busy",
        "the server is shutting down",
        "retry on another instance",
    )
    .into_response()
}

/// Compares every byte, so the time taken says nothing about the token.
fn same_token(given: &str, token: &str) -> bool {
    let (a, b) = (given.as_bytes(), token.as_bytes());
    let mut differ = a.len() ^ b.len();
    for (i, &byte) in b.iter().enumerate() {
        differ |= usize::from(byte ^ a.get(i).copied().unwrap_or(0));
    }
    differ == 0
}

pub fn set_policy_header(headers: &mut HeaderMap, hash: &str) {
    if let Ok(value) = HeaderValue::from_str(hash) {
        headers.insert(POLICY_SET_HEADER, value);
    }
}

/// A JSON response naming the policy set in a header.
pub fn json_response(bytes: impl Into<Bytes>, hash: &str) -> Response {
    let mut response = (StatusCode::OK, bytes.into()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    set_policy_header(headers, hash);
    response
}

async fn not_found() -> Failure {
    Failure::one(
        StatusCode::NOT_FOUND,
        "deon::serve::not_found",
        "no such endpoint",
        "see /openapi.json for the endpoints",
    )
}

async fn method_not_allowed() -> Failure {
    Failure::one(
        StatusCode::METHOD_NOT_ALLOWED,
        "deon::serve::method_not_allowed",
        "this endpoint does not take this method",
        "see /openapi.json: cases are POSTed, everything else is read with GET",
    )
}

/// The query of `/v1/evaluate`, `/v1/decide` and `/v1/batch`.
#[derive(Default)]
pub struct Options {
    pub as_of: Option<NaiveDate>,
    pub statuses: Vec<Status>,
    pub strict: bool,
    /// The explanation level; when not given, each endpoint's own default
    /// (`all` for evaluate, `failing` for batch).
    pub explain: Option<deon::Explain>,
}

pub type Params = Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>;

fn bad_query(message: String, help: &str) -> Failure {
    Failure::one(
        StatusCode::BAD_REQUEST,
        "deon::serve::bad_query",
        message,
        help,
    )
}

pub fn options(params: Params) -> Result<Options, Failure> {
    let Query(pairs) = params.map_err(|e| {
        bad_query(
            format!("the query string cannot be read: {e}"),
            "write it as name=value pairs joined by &",
        )
    })?;
    let mut options = Options::default();
    for (name, value) in pairs {
        match name.as_str() {
            "as_of" => {
                options.as_of = Some(deon::parse_date(&value).ok_or_else(|| {
                    bad_query(
                        format!("`as_of={value}` is not a date written YYYY-MM-DD"),
                        "e.g. as_of=2026-03-10",
                    )
                })?);
            }
            "status" => {
                for key in value.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                    let status = Status::from_key(key).ok_or_else(|| {
                        let all: Vec<&str> = Status::ALL.iter().map(|s| s.key()).collect();
                        bad_query(
                            format!("`{key}` is not a status"),
                            &format!("the statuses are {}", all.join(", ")),
                        )
                    })?;
                    options.statuses.push(status);
                }
            }
            "strict" => {
                options.strict = match value.as_str() {
                    "" | "true" | "1" => true,
                    "false" | "0" => false,
                    _ => {
                        return Err(bad_query(
                            format!("`strict={value}` is neither true nor false"),
                            "write strict=true or strict=false",
                        ));
                    }
                };
            }
            "explain" => {
                options.explain = Some(
                    value
                        .parse()
                        .map_err(|message: String| bad_query(message, "e.g. explain=failing"))?,
                );
            }
            _ => {
                return Err(bad_query(
                    format!("`{name}` is not a query parameter of this endpoint"),
                    "the parameters are as_of, status, strict and explain",
                ));
            }
        }
    }
    Ok(options)
}

/// The case format named by the request's Content-Type (JSON when none).
pub fn format_of(headers: &HeaderMap) -> Result<Format, Failure> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(Format::Json);
    };
    let media = value
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media.as_str() {
        // curl sends form encoding unless told otherwise; the body is still JSON.
        "application/json"
        | "text/json"
        | "application/x-ndjson"
        | "text/plain"
        | "application/x-www-form-urlencoded"
        | "" => Ok(Format::Json),
        m if m.ends_with("+json") => Ok(Format::Json),
        "application/yaml" | "application/x-yaml" | "text/yaml" => Ok(Format::Yaml),
        "application/toml" | "text/toml" => Ok(Format::Toml),
        _ => Err(Failure::one(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "deon::serve::media_type",
            format!("a case cannot be read from `{media}`"),
            "send JSON (application/json), YAML (application/yaml) or TOML (application/toml)",
        )),
    }
}

/// Reads the whole body, refusing one larger than `limit` before reading it
/// all.
pub async fn read_body(body: Body, headers: &HeaderMap, limit: usize) -> Result<String, Failure> {
    let too_large = || {
        Failure::one(
            StatusCode::PAYLOAD_TOO_LARGE,
            "deon::serve::too_large",
            format!("the request body is larger than the server's limit of {limit} bytes"),
            "send a smaller case, or start the server with a larger --max-body",
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(declared.map_or(4096, |n| n as usize));
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            Failure::one(
                StatusCode::BAD_REQUEST,
                "deon::serve::body",
                format!("the request body could not be read: {e}"),
                "send the case as the request body",
            )
        })?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > limit {
                return Err(too_large());
            }
            bytes.extend_from_slice(&data);
        }
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes().get(..at).unwrap_or_default()).into_owned();
        let mut error = ApiError::new(
            "deon::serve::invalid_utf8",
            format!("the request body is not valid UTF-8 (byte {})", at + 1),
            Some("send the case as UTF-8 text"),
        );
        error.line = Some(text.matches('\n').count() as u64 + 1);
        error.column = Some(text.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1);
        Failure {
            status: StatusCode::BAD_REQUEST,
            errors: vec![error],
            policy_set: None,
        }
    })
}

/// Reads the case in the body and decides it; `f` writes the response body
/// from the decision.
async fn with_decision(
    shared: &Shared,
    params: Params,
    headers: &HeaderMap,
    body: Body,
    f: impl FnOnce(&Loaded, &Decision<'_>) -> Vec<u8>,
) -> Result<Response, Failure> {
    let loaded = shared.current();
    let options = options(params).map_err(|e| e.with_set(&loaded.hash))?;
    let format = format_of(headers).map_err(|e| e.with_set(&loaded.hash))?;
    let text = read_body(body, headers, shared.limits.max_body)
        .await
        .map_err(|e| e.with_set(&loaded.hash))?;
    let case = loaded
        .policy
        .case_from_str("request body", &text, format)
        .map_err(|diagnostics| Failure {
            status: StatusCode::BAD_REQUEST,
            errors: diagnostics
                .problems
                .iter()
                .map(|p| ApiError::from_problem(p, Some(&text)))
                .collect(),
            policy_set: Some(Arc::clone(&loaded.hash)),
        })?;
    let mut decision = loaded
        .policy
        .decide(&case, options.as_of)
        .explained(options.explain.unwrap_or_default());
    if options.strict && decision.unknown_facts().next().is_some() {
        let facts: Vec<&str> = decision.unknown_facts().collect();
        return Err(Failure::one(
            StatusCode::UNPROCESSABLE_ENTITY,
            "deon::serve::unknown_facts",
            format!(
                "strict: the case leaves out facts that rules read: {}",
                facts.join(", ")
            ),
            "give each of them a value, or null if the event has not happened",
        )
        .with_set(&loaded.hash));
    }
    if !options.statuses.is_empty() {
        decision.retain(|status| options.statuses.contains(&status));
    }
    let bytes = f(&loaded, &decision);
    Ok(json_response(bytes, &loaded.hash))
}

async fn evaluate(
    State(shared): State<Arc<Shared>>,
    params: Params,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    with_decision(&shared, params, &headers, body, |loaded, decision| {
        // `{"policy_set":…,"report":…}`, the report written from the decision.
        let mut body = br#"{"policy_set":"#.to_vec();
        serde_json::to_writer(&mut body, &*loaded.hash).unwrap_or_default();
        body.extend_from_slice(br#","report":"#);
        decision.write_json(&mut body);
        body.push(b'}');
        body
    })
    .await
}

#[derive(Serialize)]
struct VerdictBody<'a> {
    rule: &'a str,
    status: Status,
    citations: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    days_left: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    days_overdue: Option<i64>,
    #[serde(skip_serializing_if = "is_zero")]
    exposure: Exposure,
}

fn is_zero(exposure: &Exposure) -> bool {
    *exposure == Exposure::default()
}

#[derive(Serialize)]
struct DecideBody<'a> {
    policy_set: &'a str,
    as_of: NaiveDate,
    verdicts: Vec<VerdictBody<'a>>,
    totals: Exposure,
    unknown_facts: Vec<&'a str>,
}

async fn decide(
    State(shared): State<Arc<Shared>>,
    params: Params,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    with_decision(&shared, params, &headers, body, |loaded, decision| {
        let body = DecideBody {
            policy_set: &loaded.hash,
            as_of: decision.as_of(),
            verdicts: decision
                .verdicts()
                .map(|v| VerdictBody {
                    rule: v.rule(),
                    status: v.status(),
                    citations: v.citations(),
                    due: v.due(),
                    days_left: v.days_left(),
                    days_overdue: v.days_overdue(),
                    exposure: v.exposure(),
                })
                .collect(),
            totals: decision.totals(),
            unknown_facts: decision.unknown_facts().collect(),
        };
        serde_json::to_vec(&body).unwrap_or_default()
    })
    .await
}

async fn policies(State(shared): State<Arc<Shared>>) -> Response {
    let loaded = shared.current();
    json_response(loaded.policies_json.clone(), &loaded.hash)
}

async fn examples(State(shared): State<Arc<Shared>>) -> Response {
    let loaded = shared.current();
    json_response(loaded.examples_json.clone(), &loaded.hash)
}

async fn rule(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let loaded = shared.current();
    match loaded.rules_json.get(&id) {
        Some(bytes) => json_response(bytes.clone(), &loaded.hash),
        None => Failure::one(
            StatusCode::NOT_FOUND,
            "deon::serve::unknown_rule",
            format!("no rule is called `{id}`"),
            "GET /v1/policies lists the rules",
        )
        .with_set(&loaded.hash)
        .into_response(),
    }
}

#[derive(Serialize)]
struct Health<'a> {
    status: &'static str,
    policy_set: &'a str,
    rules: usize,
    reloads: super::state::ReloadStatus,
}

async fn healthz(State(shared): State<Arc<Shared>>) -> Response {
    let loaded = shared.current();
    let body = Health {
        status: "ok",
        policy_set: &loaded.hash,
        rules: loaded.rules,
        reloads: shared.reload_status(),
    };
    json_response(serde_json::to_vec(&body).unwrap_or_default(), &loaded.hash)
}

async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    let loaded = shared.current();
    let reloads = shared.reload_status();
    let text = shared
        .metrics
        .render(&loaded.hash, (reloads.succeeded, reloads.failed));
    let mut response = (StatusCode::OK, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    set_policy_header(response.headers_mut(), &loaded.hash);
    response
}

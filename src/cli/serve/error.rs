//! Errors as JSON: the same fields the command line's batch gives a bad
//! line (code, message, help, line, column), with an HTTP status.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use miette::Diagnostic;
use serde::Serialize;

/// One problem, located in the request body when it came from there.
#[derive(Clone, Debug, Serialize)]
pub struct ApiError {
    /// A stable code such as `deon::case::wrong_type` or `deon::serve::too_large`.
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    /// 1-based line and column (in characters) in the request body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>, help: Option<&str>) -> ApiError {
        ApiError {
            code: code.to_string(),
            message: message.into(),
            help: help.map(str::to_string),
            line: None,
            column: None,
        }
    }

    /// A library diagnostic; located by its first label when `text` is the
    /// text it points into.
    pub fn from_problem(problem: &dyn Diagnostic, text: Option<&str>) -> ApiError {
        let offset = problem
            .labels()
            .and_then(|mut labels| labels.next())
            .map(|label| label.offset());
        let place = match (offset, text) {
            (Some(offset), Some(text)) => {
                let before = text.get(..offset.min(text.len())).unwrap_or(text);
                let line = before.matches('\n').count() as u64 + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
                Some((line, column))
            }
            _ => None,
        };
        ApiError {
            code: problem
                .code()
                .map_or_else(|| "deon::error".to_string(), |c| c.to_string()),
            message: problem.to_string(),
            help: problem.help().map(|h| h.to_string()),
            line: place.map(|p| p.0),
            column: place.map(|p| p.1),
        }
    }
}

/// An error response: `{"error": {...}, "other_errors": [...], "policy_set": "..."}`.
pub struct Failure {
    pub status: StatusCode,
    pub errors: Vec<ApiError>,
    pub policy_set: Option<std::sync::Arc<str>>,
}

#[derive(Serialize)]
struct FailureBody<'a> {
    error: Option<&'a ApiError>,
    #[serde(skip_serializing_if = "<[ApiError]>::is_empty")]
    other_errors: &'a [ApiError],
    #[serde(skip_serializing_if = "Option::is_none")]
    policy_set: Option<&'a str>,
}

impl Failure {
    pub fn one(status: StatusCode, code: &str, message: impl Into<String>, help: &str) -> Failure {
        Failure {
            status,
            errors: vec![ApiError::new(code, message, Some(help))],
            policy_set: None,
        }
    }

    pub fn with_set(mut self, hash: &std::sync::Arc<str>) -> Failure {
        self.policy_set = Some(std::sync::Arc::clone(hash));
        self
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (first, rest) = match self.errors.split_first() {
            Some((first, rest)) => (Some(first), rest),
            None => (None, &[][..]),
        };
        let body = FailureBody {
            error: first,
            other_errors: rest,
            policy_set: self.policy_set.as_deref(),
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (self.status, bytes).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(code) = first.and_then(|e| HeaderValue::from_str(&e.code).ok()) {
            headers.insert("deon-error-code", code);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"deon\""),
            );
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

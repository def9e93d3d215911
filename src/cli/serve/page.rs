//! The web page and the OpenAPI document, compiled into the binary: nothing
//! is fetched at run time.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use serde_json::Value;

use super::error::Failure;

const INDEX: &str = include_str!("page/index.html");
const APP: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/style.css");
const OPENAPI: &str = include_str!("openapi.json");
/// The report's schema, the one source of truth for its shape: the OpenAPI
/// document takes its definitions from it.
const REPORT_SCHEMA: &str = include_str!("../../../docs/report.schema.json");

fn asset_response(body: &'static str, content_type: &'static str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

pub async fn index() -> Response {
    asset_response(INDEX, "text/html; charset=utf-8")
}

pub async fn asset(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "app.js" => asset_response(APP, "text/javascript; charset=utf-8"),
        "style.css" => asset_response(STYLE, "text/css; charset=utf-8"),
        _ => Failure::one(
            StatusCode::NOT_FOUND,
            "deon::serve::not_found",
            format!("no asset is called `{file}`"),
            "the page's assets are app.js and style.css",
        )
        .into_response(),
    }
}

/// The OpenAPI document, with the report's schema put in its components.
fn openapi_document() -> &'static str {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let (Ok(mut document), Ok(mut report)) = (
            serde_json::from_str::<Value>(OPENAPI),
            serde_json::from_str::<Value>(REPORT_SCHEMA),
        ) else {
            return OPENAPI.to_string();
        };
        relink(&mut report);
        let defs = report
            .as_object_mut()
            .and_then(|r| {
                r.remove("$schema");
                r.remove("$defs")
            })
            .unwrap_or_default();
        if let Some(schemas) = document
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            if let Value::Object(defs) = defs {
                schemas.extend(defs);
            }
            schemas.insert("Report".to_string(), report);
        }
        document.to_string()
    })
}

/// `#/$defs/x` references become `#/components/schemas/x`.
fn relink(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                match inner {
                    Value::String(target) if key == "$ref" => {
                        if let Some(name) = target.strip_prefix("#/$defs/") {
                            *target = format!("#/components/schemas/{name}");
                        }
                    }
                    _ => relink(inner),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(relink),
        _ => {}
    }
}

pub async fn openapi() -> Response {
    let mut response = (StatusCode::OK, openapi_document()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

//! The web page and the OpenAPI document, compiled into the binary: nothing
//! is fetched at run time.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use std::sync::Arc;

use axum::extract::State;
use deon::declarations::{Declarations, FactEntry, FactKind};
use serde_json::{Value, json};

use super::state::Shared;

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

/// The OpenAPI document for a policy set: the report's schema and the
/// case's, generated from the fact schema, put in its components.
pub fn openapi_document(catalogue: &Declarations) -> String {
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
        schemas.insert("Case".to_string(), case_schema(catalogue));
    }
    document.to_string()
}

/// A JSON Schema for the cases this policy set reads: one property per
/// record and fact, `null` where a fact is optional (a record may be `null`:
/// none of its events happened), nothing else allowed.
fn case_schema(catalogue: &Declarations) -> Value {
    let mut root = json!({
        "type": "object",
        "description": "A case: facts by record, as in a case file. A fact left out is unknown; null means the event is known not to have happened.",
        "additionalProperties": false,
        "properties": {
            "as_of": {"type": "string", "format": "date", "description": "The evaluation date, unless the request names one."},
            "roll_over_holidays": {"type": "boolean", "description": "A what-if: whether deadlines ending on a rest day roll over."}
        }
    });
    let docs: std::collections::HashMap<&str, &str> = catalogue
        .records
        .iter()
        .filter_map(|r| r.doc.as_deref().map(|d| (r.path.as_str(), d)))
        .collect();
    for fact in &catalogue.facts {
        let mut node = &mut root;
        let parts: Vec<&str> = fact.path.split('.').collect();
        let Some((name, records)) = parts.split_last() else {
            continue;
        };
        for (depth, record) in records.iter().enumerate() {
            let path = parts[..=depth].join(".");
            let properties = &mut node["properties"];
            if properties.get(*record).is_none() {
                properties[*record] = json!({
                    "type": ["object", "null"],
                    "additionalProperties": false,
                    "properties": {},
                    "description": docs.get(path.as_str()).copied().unwrap_or_default(),
                });
            }
            node = &mut properties[*record];
        }
        node["properties"][*name] = fact_schema(fact, catalogue);
    }
    root
}

fn fact_schema(fact: &FactEntry, catalogue: &Declarations) -> Value {
    let values = || -> Vec<String> {
        catalogue
            .enums
            .iter()
            .find(|e| Some(&e.name) == fact.enumeration.as_ref())
            .map(|e| e.values.iter().map(|v| v.name.clone()).collect())
            .unwrap_or_default()
    };
    let mut schema = match fact.kind {
        FactKind::Bool => json!({"type": "boolean"}),
        FactKind::Int => json!({"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX}),
        FactKind::Text => json!({"type": "string"}),
        FactKind::Date => json!({"type": "string", "format": "date"}),
        FactKind::Duration => {
            json!({"type": "string", "pattern": "^[0-9]{1,9} (day|days|working day|working days|week|weeks|month|months|year|years)$"})
        }
        FactKind::Money => json!({"anyOf": [
            {"type": "integer", "minimum": 0, "maximum": i64::MAX},
            {"type": "string", "pattern": "^[0-9]{1,3}(,[0-9]{3}){0,5}( CNY)?$"}
        ]}),
        FactKind::Enum => json!({"enum": values()}),
        // A value given twice counts once, so repeats are accepted.
        FactKind::Set => json!({"type": "array", "items": {"enum": values()}}),
        FactKind::List => json!({"type": "array", "items": {"enum": values()}}),
        FactKind::Log => json!({"type": "array", "items": {
            "type": "object",
            "properties": {
                "kept_from": {"type": "string", "format": "date"},
                "deleted_on": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}
            },
            "required": ["kept_from", "deleted_on"],
            "additionalProperties": false
        }}),
        _ => json!({}),
    };
    if fact.optional {
        schema = json!({"anyOf": [schema, {"type": "null"}]});
    }
    if let Some(doc) = &fact.doc {
        schema["description"] = Value::String(format!("{} ({})", doc, fact.type_name));
    }
    schema
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

pub async fn openapi(State(shared): State<Arc<Shared>>) -> Response {
    let loaded = shared.current();
    let mut response = (StatusCode::OK, loaded.openapi_json.clone()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

//! The layer that refuses control characters in every form and JSON field before any handler
//! sees them: NUL and the other C0 and C1 controls (tab, line feed and carriage return are
//! text); and any field longer than `ANY_FIELD_CHARS`. Each field's length limit and the stripping of bidirectional overrides from names are
//! the fields' own rules (`samsyn_domain::text`); this is the net under all of them.

use crate::AppState;
use crate::shared::error::{ErrorBody, ErrorEnvelope, FieldProblem};
use crate::shared::layout::message_page;
use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use samsyn_domain::text::{ANY_FIELD_CHARS, has_control_character};
use serde_json::Value;

/// The largest form or JSON body looked at, as the extractors' own default limit.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

pub async fn refuse_control_characters(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_json = content_type.contains("json");
    if !(is_form || is_json) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let field = if is_form {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()
            .and_then(|fields| {
                fields
                    .into_iter()
                    .find(|(name, value)| has_control_character(name, false) || unacceptable(value))
                    .map(|(name, _)| name.chars().filter(|c| !c.is_control()).collect())
            })
    } else {
        serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|value| field_with_control(&value, String::new()))
    };
    let Some(field) = field else {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    };
    let message = format!(
        "Fältet {field} innehåller ett otillåtet tecken (ett styrtecken, t.ex. NUL) eller är längre än {ANY_FIELD_CHARS} tecken. Rätta det och försök igen."
    );
    let path = parts.uri.path();
    if path.starts_with("/fhir/") {
        crate::shared::error::outcome(
            StatusCode::UNPROCESSABLE_ENTITY,
            &[samsyn_fhir::Issue {
                code: "invalid",
                diagnostics: message,
                expression: Some(field),
            }],
        )
    } else if path.starts_with("/api/") {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(ErrorEnvelope {
                error: ErrorBody {
                    code: "invalid".into(),
                    message: "Begäran innehåller fel. Se fälten.".into(),
                    fields: vec![FieldProblem { field, message }],
                },
            }),
        )
            .into_response()
    } else {
        message_page(
            &state,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ett fält innehåller ett otillåtet tecken",
            &message,
        )
    }
}

/// The path of the first string (or key) in the JSON value that no field accepts.
fn field_with_control(value: &Value, path: String) -> Option<String> {
    match value {
        Value::String(text) if unacceptable(text) => Some(if path.is_empty() {
            "(värde)".into()
        } else {
            path
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| field_with_control(item, format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let name = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if has_control_character(key, false) {
                Some(name.chars().filter(|c| !c.is_control()).collect())
            } else {
                field_with_control(item, name)
            }
        }),
        _ => None,
    }
}

/// A value no field accepts: a control character other than a line break or tab, or more
/// characters than any field holds.
fn unacceptable(text: &str) -> bool {
    has_control_character(text, true) || text.chars().count() > ANY_FIELD_CHARS
}

//! CSRF protection for every state-changing request.
//!
//! Forms carry a hidden `csrf_token` derived from the session token (or, on the login page, from
//! a pre-login cookie); cookie-authenticated API calls send it as `X-CSRF-Token`. API calls with a
//! bearer token need none: browsers never attach bearer tokens on their own. API calls with no
//! credentials at all are let through to be refused as unauthenticated (401).

use crate::AppState;
use crate::shared::auth::csrf_token_for;
use crate::shared::session::{
    LOGIN_COOKIE, PERSON_COOKIE, SESSION_COOKIE, bearer, cookie, cookie_name,
};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

const MAX_FORM_BYTES: usize = 1024 * 1024;

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let headers = request.headers().clone();
    let is_api = path.starts_with("/api/") || path.starts_with("/fhir/");
    if is_api && (bearer(&headers).is_some() || path == "/api/v1/session") {
        return next.run(request).await;
    }
    let secure = state.config.secure_cookies;
    if is_api && cookie(&headers, &cookie_name(SESSION_COOKIE, secure)).is_none() {
        // No session cookie: nothing a forged request could ride on, so the handler answers
        // 401 in the API's envelope or as an OperationOutcome instead of a CSRF refusal.
        return next.run(request).await;
    }
    let source_cookie = if path == "/logga-in" {
        LOGIN_COOKIE
    } else if path.starts_with("/min-sida") {
        PERSON_COOKIE
    } else {
        SESSION_COOKIE
    };
    let source_cookie = cookie_name(source_cookie, secure);
    let Some(expected) = cookie(&headers, &source_cookie).map(|t| csrf_token_for(&t)) else {
        return rejection(&state, is_api);
    };
    if is_api {
        let sent = headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if matches_token(sent, &expected) {
            return next.run(request).await;
        }
        return rejection(&state, true);
    }
    // A multipart form (file upload) carries the token in its action URL: the body is streamed
    // to the handler rather than buffered here.
    let is_multipart = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_multipart {
        let sent = request
            .uri()
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| {
                pairs
                    .into_iter()
                    .find(|(k, _)| k == "csrf_token")
                    .map(|(_, v)| v)
            })
            .unwrap_or_default();
        if matches_token(&sent, &expected) {
            return next.run(request).await;
        }
        return rejection(&state, false);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "Formuläret är för stort.").into_response();
    };
    let sent = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "csrf_token")
                .map(|(_, v)| v)
        })
        .unwrap_or_default();
    if !matches_token(&sent, &expected) {
        return rejection(&state, false);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn matches_token(sent: &str, expected: &str) -> bool {
    !sent.is_empty() && bool::from(sent.as_bytes().ct_eq(expected.as_bytes()))
}

fn rejection(state: &AppState, is_api: bool) -> Response {
    if is_api {
        crate::shared::error::ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "Saknar eller fel X-CSRF-Token. Använd en Bearer-token eller skicka sessionens CSRF-token.",
        )
        .into_response()
    } else {
        crate::shared::layout::message_page(
            state,
            None,
            StatusCode::FORBIDDEN,
            "Formuläret kunde inte skickas",
            "Sidan var för gammal eller kom inte från Samsyn. Ladda om sidan och försök igen.",
        )
    }
}

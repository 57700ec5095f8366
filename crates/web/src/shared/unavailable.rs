//! The page a browser gets when the database does not answer: 503 with `Retry-After`, in words a
//! nurse can act on. It stands alone (no menu, nothing read), because it is shown exactly when
//! nothing can be read, also before the session is known.

use crate::shared::error::with_retry_after;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "shared/unavailable.html")]
struct UnavailablePage;

pub fn page() -> Response {
    let html = UnavailablePage.render().unwrap_or_default();
    with_retry_after((StatusCode::SERVICE_UNAVAILABLE, Html(html)).into_response())
}

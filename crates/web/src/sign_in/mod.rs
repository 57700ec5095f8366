//! Signing in and out, on pages and over the API (not a part of the agreement: every part needs
//! it). Who may see what is decided by the parts themselves.

pub mod api;
mod page;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(page::home))
        .route("/logga-in", get(page::form).post(page::submit))
        .route("/logga-ut", post(page::logout))
        .route("/api/v1/session", post(api::login).delete(api::logout))
        .route("/api/v1/me", get(api::me))
}

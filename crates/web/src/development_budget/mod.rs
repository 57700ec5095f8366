//! Utvecklingsbudget, the parties' joint development items: *Principer för samverkan och
//! ekonomisk reglering* §11.2. Items, each party's decision, and the per-party cost table.

mod pages;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/utvecklingsbudget", get(pages::page).post(pages::add))
        .route("/utvecklingsbudget/export/{format}", get(pages::export))
        .route("/utvecklingsbudget/{id}", get(pages::item))
        .route("/utvecklingsbudget/{id}/beslut", post(pages::decide))
}

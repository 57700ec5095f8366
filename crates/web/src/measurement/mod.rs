//! Hemsjukvårdsmätning, the yearly measurement: *Principer för samverkan och ekonomisk
//! reglering* §12.4. The report per municipality and category, its exports, and the logged
//! re-identification lookup.

mod pages;

use crate::AppState;
use axum::Router;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/matning", get(pages::page))
        .route("/matning/export.csv", get(pages::export_csv))
        .route("/matning/export.xlsx", get(pages::export_xlsx))
        .route(
            "/matning/sok",
            get(pages::lookup_form).post(pages::lookup_search),
        )
}

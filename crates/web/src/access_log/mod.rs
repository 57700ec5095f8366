//! The access-log review (logggranskning), which patientdatalagen 4 kap. 3 § and HSLF-FS 2016:40
//! 4 kap. ask of every part that touches patient data: a page and an API for log reviewers.

pub mod api;
mod page;
pub mod search;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/logg", get(page::page).post(page::search))
        .route("/api/v1/access-log/search", post(api::access_log))
}

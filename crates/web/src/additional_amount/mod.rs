//! Tilläggsbelopp, the region's yearly additional amount to each municipality: *Hälso- och
//! sjukvård i hemmet primärvårdsnivå* §4 and *Principer för samverkan och ekonomisk reglering*
//! §11. The year's calculation, the decision cycle, tänk om, inputs, history, and the API.

pub mod api;
pub mod cycle;
pub mod data;
mod history;
mod inputs;
mod simulation;
mod versions;
mod view;
mod year;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tillagg", get(year::page))
        .route("/tillagg/export.csv", get(year::export_csv))
        .route("/tillagg/export.xlsx", get(year::export_xlsx))
        .route(
            "/tillagg/simulera",
            get(simulation::page).post(simulation::page_post),
        )
        .route("/tillagg/scenarier", post(simulation::save))
        .route("/tillagg/scenarier/{id}", get(simulation::saved))
        .route("/tillagg/historik", get(history::page))
        .route("/tillagg/underlag", get(inputs::page))
        .route("/tillagg/underlag/import", post(inputs::import))
        .route("/tillagg/underlag/pott", post(inputs::decide_pot))
        .route("/tillagg/underlag/avstand", post(inputs::record_override))
        .route("/tillagg/versioner", post(versions::create))
        .route("/tillagg/versioner/{id}", get(versions::page))
        .route("/tillagg/versioner/{id}/steg", post(versions::step))
        .route(
            "/tillagg/versioner/{id}/rakna-om",
            post(versions::recompute),
        )
        .route("/tillagg/versioner/{id}/rattelse", post(versions::correct))
        .route(
            "/tillagg/versioner/{id}/beslut",
            get(versions::decision_document),
        )
        .route(
            "/tillagg/versioner/{id}/export.xlsx",
            get(versions::export_xlsx),
        )
        .route(
            "/tillagg/versioner/{id}/utbetalning/{format}",
            get(versions::payment),
        )
        .route("/api/v1/tillagg/{year}", get(api::calculation))
        .route(
            "/api/v1/tillagg/{year}/versions",
            get(api::versions).post(api::create),
        )
        .route(
            "/api/v1/tillagg/versions/{id}",
            get(api::version).put(api::recompute),
        )
        .route(
            "/api/v1/tillagg/versions/{id}/steps/{status}",
            post(api::step),
        )
        .route(
            "/api/v1/tillagg/versions/{id}/corrections",
            post(api::correct),
        )
}

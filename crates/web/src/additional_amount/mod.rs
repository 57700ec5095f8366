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

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/tillagg", Figures, year::page)
        .get("/tillagg/export.csv", Figures, year::export_csv)
        .get("/tillagg/export.xlsx", Figures, year::export_xlsx)
        .get("/tillagg/simulera", Figures, simulation::page)
        .post("/tillagg/simulera", Figures, simulation::page_post)
        .post("/tillagg/scenarier", Figures, simulation::save)
        .get("/tillagg/scenarier/{id}", Figures, simulation::saved)
        .get("/tillagg/historik", Figures, history::page)
        .get("/tillagg/underlag", Figures, inputs::page)
        .post(
            "/tillagg/underlag/import",
            EconomicDecisions,
            inputs::import,
        )
        .post(
            "/tillagg/underlag/pott",
            EconomicDecisions,
            inputs::decide_pot,
        )
        .post(
            "/tillagg/underlag/avstand",
            EconomicDecisions,
            inputs::record_override,
        )
        .post("/tillagg/versioner", EconomicDecisions, versions::create)
        .get("/tillagg/versioner/{id}", Figures, versions::page)
        .get(
            "/tillagg/versioner/{id}/steg",
            EconomicDecisions,
            versions::confirm,
        )
        .post(
            "/tillagg/versioner/{id}/steg",
            EconomicDecisions,
            versions::step,
        )
        .post(
            "/tillagg/versioner/{id}/rakna-om",
            EconomicDecisions,
            versions::recompute,
        )
        .post(
            "/tillagg/versioner/{id}/rattelse",
            EconomicDecisions,
            versions::correct,
        )
        .get(
            "/tillagg/versioner/{id}/beslut",
            Figures,
            versions::decision_document,
        )
        .get(
            "/tillagg/versioner/{id}/export.xlsx",
            Figures,
            versions::export_xlsx,
        )
        .get(
            "/tillagg/versioner/{id}/utbetalning/{format}",
            Figures,
            versions::payment,
        )
        .get("/api/v1/tillagg/{year}", Figures, api::calculation)
        .get("/api/v1/tillagg/{year}/versions", Figures, api::versions)
        .post(
            "/api/v1/tillagg/{year}/versions",
            EconomicDecisions,
            api::create,
        )
        .get("/api/v1/tillagg/versions/{id}", Figures, api::version)
        .put(
            "/api/v1/tillagg/versions/{id}",
            EconomicDecisions,
            api::recompute,
        )
        .post(
            "/api/v1/tillagg/versions/{id}/steps/{status}",
            EconomicDecisions,
            api::step,
        )
        .post(
            "/api/v1/tillagg/versions/{id}/corrections",
            EconomicDecisions,
            api::correct,
        )
}

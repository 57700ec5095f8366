//! Avvikelser i samverkan (*Överenskommelse om samverkan …* §8): reported by staff of either
//! party, proposed by Samsyn from its own data, answered by the other party's manager and closed
//! by the reporter. `work.rs` holds the use cases, `pages.rs` the pages, `statistics.rs` the
//! year's figures and exports, `api.rs` the JSON API.

pub mod api;
pub mod pages;
pub mod statistics;
pub mod work;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/avvikelser", Deviations, pages::list)
        .post("/avvikelser", Deviations, pages::create)
        .get("/avvikelser/ny", Deviations, pages::new_form)
        .get("/avvikelser/arsstatistik", Compilations, statistics::page)
        .get(
            "/avvikelser/arsstatistik/{format}",
            Compilations,
            statistics::export,
        )
        .get("/avvikelser/{id}", Deviation, pages::show)
        .post("/avvikelser/{id}", Deviation, pages::step)
        .get("/api/v1/deviations", Deviations, api::list_deviations)
        .post("/api/v1/deviations", Deviations, api::report_deviation)
        .get("/api/v1/deviations/{id}", Deviation, api::get_deviation)
        .post(
            "/api/v1/deviations/{id}/steps",
            Deviation,
            api::deviation_step,
        )
}

//! Oenighet (*Principer för samverkan och ekonomisk reglering* §10): the ladder on the case
//! (`page.rs`, and in the JSON API `api.rs`, with `view.rs` for what each oenighet shows and `work.rs` for the use cases), the
//! county group's page (`county_group.rs`) and the yearly compilation (`compilation.rs`).

pub mod api;
pub mod compilation;
pub mod county_group;
pub mod page;
pub mod view;
pub mod work;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/begaran/{id}/oenighet", CaseRead, page::show)
        .post("/begaran/{id}/oenighet", CaseWrite, page::step)
        .get(
            "/api/v1/requests/{id}/disagreements",
            CaseRead,
            api::list_disagreements,
        )
        .post(
            "/api/v1/requests/{id}/disagreements/steps",
            CaseWrite,
            api::disagreement_step,
        )
        .get("/lansgrupp", CountyGroup, county_group::show)
        .post("/lansgrupp", CountyGroup, county_group::guidance)
        .get("/oenighet/sammanstallning", Compilations, compilation::page)
        .get(
            "/oenighet/sammanstallning/{format}",
            Compilations,
            compilation::export,
        )
}

//! Utvecklingsbudget, the parties' joint development items: *Principer för samverkan och
//! ekonomisk reglering* §11.2. Items, each party's decision, and the per-party cost table.

mod pages;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/utvecklingsbudget", Figures, pages::page)
        .post("/utvecklingsbudget", EconomicDecisions, pages::add)
        .get("/utvecklingsbudget/export/{format}", Figures, pages::export)
        .get("/utvecklingsbudget/{id}", Figures, pages::item)
        .post(
            "/utvecklingsbudget/{id}/beslut",
            EconomicDecisions,
            pages::decide,
        )
}

//! Hemsjukvårdsmätning, the yearly measurement: *Principer för samverkan och ekonomisk
//! reglering* §12.4. The report per municipality and category, its exports, and the logged
//! re-identification lookup.

mod pages;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/matning", Figures, pages::page)
        .get("/matning/export.csv", Figures, pages::export_csv)
        .get("/matning/export.xlsx", Figures, pages::export_xlsx)
        .get("/matning/sok", Reidentification, pages::lookup_form)
        .post("/matning/sok", Reidentification, pages::lookup_search)
}

//! The access-log review (logggranskning), which patientdatalagen 4 kap. 3 § and HSLF-FS 2016:40
//! 4 kap. ask of every part that touches patient data: a page and an API for log reviewers.

pub mod api;
mod page;
pub mod search;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/logg", AccessLogReview, page::page)
        .post("/logg", AccessLogReview, page::search)
        .post(
            "/api/v1/access-log/search",
            AccessLogReview,
            api::access_log,
        )
}

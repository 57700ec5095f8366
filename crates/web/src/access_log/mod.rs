//! The access-log review (logggranskning), which patientdatalagen 4 kap. 3 § and HSLF-FS 2016:40
//! 4 kap. 9 § ask of every part that touches patient data: the filtered log, its export, random
//! samples reviewed item by item, and an API for log reviewers.

pub mod api;
mod export;
mod page;
mod sample;
pub mod search;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/logg", AccessLogReview, page::page)
        .post("/logg", AccessLogReview, page::search)
        .post("/logg/export", AccessLogReview, page::export)
        .post("/logg/stickprov", AccessLogReview, sample::draw)
        .get("/logg/stickprov/{id}", AccessLogReview, sample::show)
        .get("/logg/stickprov/{id}/csv", AccessLogReview, sample::csv)
        .post("/logg/stickprov/{id}/{item}", AccessLogReview, sample::mark)
        .post(
            "/api/v1/access-log/search",
            AccessLogReview,
            api::access_log,
        )
}

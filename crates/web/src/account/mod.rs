//! Accounts (not a part of the agreement: every part needs them): changing one's own password,
//! and the administrator's list of her party's accounts, where she unlocks, disables and enables
//! them, her units, and the import of both from an HSA extract.

mod edit_user;
mod fields;
mod import;
mod new_user;
mod password;
mod units;
mod users;

use crate::shared::routes::Routes;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::post;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/konto/losenord", SignedIn, password::form)
        .post("/konto/losenord", SignedIn, password::change)
        .get("/admin/anvandare", Administration, users::list)
        .post("/admin/anvandare", Administration, new_user::create)
        .get("/admin/anvandare/{id}", Administration, edit_user::form)
        .post("/admin/anvandare/{id}", Administration, edit_user::save)
        .get("/admin/enheter", Administration, units::list)
        .post("/admin/enheter", Administration, units::create)
        .post("/admin/anvandare/{id}/{step}", Administration, users::step)
        .get("/admin/import", Administration, import::form)
        .get("/admin/import/fil", Administration, import::extract_file)
        .with(
            Method::POST,
            "/admin/import",
            Administration,
            post(import::preview).layer(DefaultBodyLimit::max(import::MAX_FILE_BYTES + 64 * 1024)),
        )
        .with(
            Method::POST,
            "/admin/import/genomfor",
            Administration,
            post(import::confirm).layer(DefaultBodyLimit::max(import::MAX_FILE_BYTES + 64 * 1024)),
        )
}

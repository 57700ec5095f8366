//! Accounts (not a part of the agreement: every part needs them): changing one's own password,
//! and the administrator's list of her party's accounts, where she unlocks, disables and enables
//! them, her units, and the import of both from an HSA extract.

mod edit_unit;
mod edit_user;
mod fields;
mod import;
mod new_user;
mod password;
mod units;
mod users;

use crate::AppState;
use crate::shared::layout::message_page;
use crate::shared::routes::Routes;
use crate::shared::session::CurrentUser;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use samsyn_domain::RouteGroup::*;
use samsyn_store::StoreError;

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
        .get("/admin/enheter/{id}", Administration, edit_unit::form)
        .post("/admin/enheter/{id}", Administration, edit_unit::save)
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

/// The page for an account or unit that is not the administrator's party's (or does not exist).
fn not_ours(state: &AppState, user: &CurrentUser, title: &str, text: &str) -> Response {
    message_page(state, Some(user), StatusCode::NOT_FOUND, title, text)
}

/// The page when a change could not be stored; the error goes to the log, not to the page.
fn unavailable(state: &AppState, user: &CurrentUser, error: StoreError, title: &str) -> Response {
    tracing::error!(%error, "administration change could not be stored");
    message_page(
        state,
        Some(user),
        StatusCode::SERVICE_UNAVAILABLE,
        title,
        "Försök igen om en stund.",
    )
}

//! Signing in and out, on pages and over the API (not a part of the agreement: every part needs
//! it). Who may see what is decided by the parts themselves.

pub mod api;
pub mod oidc;
mod page;
mod person;
pub mod sso;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", SignedIn, page::home)
        .get("/logga-in", Open, page::form)
        .post("/logga-in", Open, page::submit)
        .get("/logga-in/sso", Open, sso::staff_start)
        .get(sso::STAFF_CALLBACK, Open, sso::staff_finish)
        .get("/min-sida", OwnPage, person::own_page)
        .get("/min-sida/logga-in", Open, person::start)
        .get(sso::PERSON_CALLBACK, Open, person::finish)
        .post("/min-sida/logga-ut", OwnPage, person::sign_out)
        .get(
            "/min-sida/plan/{id}/pdf",
            OwnPage,
            crate::care::plan::own::pdf,
        )
        .post("/logga-ut", SignedIn, page::logout)
        .post("/api/v1/session", Open, api::login)
        .delete("/api/v1/session", SignedIn, api::logout)
        .get("/api/v1/me", SignedIn, api::me)
}

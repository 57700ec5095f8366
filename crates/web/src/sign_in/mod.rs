//! Signing in and out, on pages and over the API (not a part of the agreement: every part needs
//! it). Who may see what is decided by the parts themselves.

pub mod api;
mod page;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", SignedIn, page::home)
        .get("/logga-in", Open, page::form)
        .post("/logga-in", Open, page::submit)
        .post("/logga-ut", SignedIn, page::logout)
        .post("/api/v1/session", Open, api::login)
        .delete("/api/v1/session", SignedIn, api::logout)
        .get("/api/v1/me", SignedIn, api::me)
}

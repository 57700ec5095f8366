//! Accounts (not a part of the agreement: every part needs them): changing one's own password,
//! and the administrator's list of her party's accounts, where she unlocks, disables and enables
//! them.

mod edit_user;
mod fields;
mod new_user;
mod password;
mod units;
mod users;

use crate::shared::routes::Routes;
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
}

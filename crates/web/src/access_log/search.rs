//! The access-log review: what a log reviewer of a party may see, and the log entries that
//! reviewing itself writes.

use crate::AppState;
use crate::shared::session::CurrentUser;
use samsyn_domain::AccessAction;

/// The access log as a log reviewer of the user's party may see it: accesses made from that
/// party's units and every access to the patients of its cases, optionally for one patient or
/// one user. Bad filter input gives a Swedish message.
pub async fn search_access_log(
    state: &AppState,
    user: &CurrentUser,
    personnummer: &str,
    username: &str,
) -> Result<Vec<samsyn_store::access_log::LoggedAccess>, String> {
    use samsyn_store::access_log::{self, Filter};
    let patient = if personnummer.trim().is_empty() {
        None
    } else {
        Some(
            samsyn_domain::Personnummer::parse(personnummer, state.today())
                .map_err(|e| e.to_string())?,
        )
    };
    let username = username.trim().to_owned();
    let party = user.unit.party;
    let actor = user.actor();
    let now = state.clock.now();
    state
        .db(move |conn| {
            let mut filter = Filter {
                party: Some(party),
                limit: 500,
                ..Filter::default()
            };
            if let Some(number) = patient {
                match samsyn_store::patients::find_by_personnummer(conn, &number)? {
                    Some(p) => filter.patient_id = Some(p.id),
                    None => return Ok(Vec::new()),
                }
            }
            if !username.is_empty() {
                match samsyn_store::users::credentials_by_username(conn, &username)? {
                    Some(c) => filter.user_id = Some(c.user.id),
                    None => return Ok(Vec::new()),
                }
            }
            let entries = access_log::search(conn, &filter)?;
            // The review is itself an access: one entry with its criteria, not one per row.
            let criteria = if username.is_empty() {
                "granskning".to_owned()
            } else {
                format!("granskning av {username}")
            };
            let access = access_log::Access {
                patient_id: filter.patient_id.as_deref(),
                action: AccessAction::Read,
                object_type: "atkomstlogg",
                object_id: &criteria,
                outcome: samsyn_domain::AccessOutcome::Allowed,
            };
            access_log::record(conn, &actor, access, now)?;
            Ok(entries)
        })
        .await
        .map_err(|error| {
            tracing::error!(%error, "access log search failed");
            "Loggen kunde inte hämtas just nu.".to_owned()
        })
}

//! Administrationslogg: each change to an account or a unit, with who made it and when, kept
//! apart from the patient access log and, like it, append-only (triggers on both engines).

use crate::schema::admin_log;
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::Party;

/// Who made a change from the command line, where there is no signed-in user.
pub const COMMAND_LINE: &str = "kommandoraden";

/// One administrative change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminChange {
    pub at: Timestamp,
    /// The administrator's username, or `COMMAND_LINE`.
    pub actor: String,
    /// The party whose account or unit changed, whose administrators see the entry.
    pub party: Party,
    /// What was done, in Swedish: `låste upp`, `inaktiverade`, `skapade` …
    pub action: String,
    /// What it was done to, e.g. `användare enhetschef`.
    pub subject: String,
    pub detail: String,
}

pub fn record(conn: &mut DbConnection, change: &AdminChange) -> Result<(), StoreError> {
    diesel::insert_into(admin_log::table)
        .values((
            admin_log::id.eq(new_id()),
            admin_log::at.eq(to_millis(change.at)),
            admin_log::actor.eq(&change.actor),
            admin_log::party.eq(change.party.code()),
            admin_log::action.eq(&change.action),
            admin_log::subject.eq(&change.subject),
            admin_log::detail.eq(&change.detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// The party's newest changes first, at most `limit`.
pub fn recent(
    conn: &mut DbConnection,
    party: Party,
    limit: i64,
) -> Result<Vec<AdminChange>, StoreError> {
    let rows: Vec<(i64, String, String, String, String)> = admin_log::table
        .filter(admin_log::party.eq(party.code()))
        .order((admin_log::at.desc(), admin_log::id.desc()))
        .limit(limit)
        .select((
            admin_log::at,
            admin_log::actor,
            admin_log::action,
            admin_log::subject,
            admin_log::detail,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(at, actor, action, subject, detail)| {
            Ok(AdminChange {
                at: from_millis(at)?,
                actor,
                party,
                action,
                subject,
                detail,
            })
        })
        .collect()
}

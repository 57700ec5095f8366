//! Writing one access-log entry, and its link in the hash chain: the only write there is.

use crate::access_log::chain::{self, StoredEntry};
use crate::schema::access_log;
use crate::{DbConnection, StoreError, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::{AccessAction, AccessOutcome, IdentitySource};

/// Who is acting: one user working for one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub unit_id: String,
    pub role: samsyn_domain::Role,
    /// How the user signed in to the session this is done in.
    pub identity_source: IdentitySource,
}

/// One access to patient data, about to be logged.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    pub patient_id: Option<&'a str>,
    pub action: AccessAction,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub outcome: AccessOutcome,
}

pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    access: Access<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    write(conn, actor, access, None, now)
}

/// An access made under a nödåtkomst opening: the entry names the opening, and with it the
/// reason.
pub fn record_in_emergency(
    conn: &mut DbConnection,
    actor: &Actor,
    access: Access<'_>,
    opening_id: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    write(conn, actor, access, Some(opening_id), now)
}

fn write(
    conn: &mut DbConnection,
    actor: &Actor,
    access: Access<'_>,
    emergency_access_id: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let entry = StoredEntry {
        id: new_id(),
        at: to_millis(now),
        user_id: actor.user_id.clone(),
        unit_id: actor.unit_id.clone(),
        patient_id: access.patient_id.map(str::to_owned),
        action: access.action.code().to_owned(),
        object_type: access.object_type.to_owned(),
        object_id: access.object_id.to_owned(),
        outcome: access.outcome.code().to_owned(),
        identity_source: actor.identity_source.code().to_owned(),
        emergency_access_id: emergency_access_id.map(str::to_owned),
    };
    diesel::insert_into(access_log::table)
        .values((
            access_log::id.eq(&entry.id),
            access_log::at.eq(entry.at),
            access_log::user_id.eq(&entry.user_id),
            access_log::unit_id.eq(&entry.unit_id),
            access_log::patient_id.eq(&entry.patient_id),
            access_log::action.eq(&entry.action),
            access_log::object_type.eq(&entry.object_type),
            access_log::object_id.eq(&entry.object_id),
            access_log::outcome.eq(&entry.outcome),
            access_log::identity_source.eq(&entry.identity_source),
            access_log::emergency_access_id.eq(&entry.emergency_access_id),
        ))
        .execute(conn)?;
    chain::link(conn, &entry)
}

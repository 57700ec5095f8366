//! Writing one access-log entry: the only write there is.

use crate::schema::access_log;
use crate::{DbConnection, StoreError, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::{AccessAction, AccessOutcome};

/// Who is acting: one user working for one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub unit_id: String,
    pub role: samsyn_domain::Role,
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
    diesel::insert_into(access_log::table)
        .values((
            access_log::id.eq(new_id()),
            access_log::at.eq(to_millis(now)),
            access_log::user_id.eq(&actor.user_id),
            access_log::unit_id.eq(&actor.unit_id),
            access_log::patient_id.eq(access.patient_id),
            access_log::action.eq(access.action.code()),
            access_log::object_type.eq(access.object_type),
            access_log::object_id.eq(access.object_id),
            access_log::outcome.eq(access.outcome.code()),
        ))
        .execute(conn)?;
    Ok(())
}

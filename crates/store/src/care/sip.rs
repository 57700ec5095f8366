//! The SIPs recorded on a case.

use crate::access_log::Actor;
use crate::schema::sips;
use crate::users::signature;
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::care::sip::Sip;

/// A stored SIP with who recorded it.
#[derive(Debug, Clone)]
pub struct StoredSip {
    pub sip: Sip,
    pub recorded_at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
}

pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    sip: &Sip,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(sips::table)
        .values((
            sips::id.eq(new_id()),
            sips::case_id.eq(case_id),
            sips::recorded_at.eq(to_millis(now)),
            sips::recorded_by.eq(&actor.user_id),
            sips::unit_id.eq(&actor.unit_id),
            sips::held_on.eq(sip.held_on.to_string()),
            sips::convened_by.eq(&sip.convened_by),
            sips::participants.eq(&sip.participants),
            sips::next_follow_up.eq(sip.next_follow_up.map(|d| d.to_string())),
        ))
        .execute(conn)?;
    Ok(())
}

/// The case's SIPs, newest first.
pub fn of_case(conn: &mut DbConnection, case_id: &str) -> Result<Vec<StoredSip>, StoreError> {
    type Row = (i64, String, String, String, Option<String>, String, String);
    let rows: Vec<Row> = sips::table
        .filter(sips::case_id.eq(case_id))
        .order(sips::held_on.desc())
        .select((
            sips::recorded_at,
            sips::held_on,
            sips::convened_by,
            sips::participants,
            sips::next_follow_up,
            sips::recorded_by,
            sips::unit_id,
        ))
        .load(conn)?;
    let corrupt = || StoreError::Corrupt("SIP date".into());
    rows.into_iter()
        .map(
            |(at, held_on, convened_by, participants, next, user, unit)| {
                let (user_name, unit_name) = signature(conn, &user, &unit)?;
                Ok(StoredSip {
                    sip: Sip {
                        held_on: held_on.parse().map_err(|_| corrupt())?,
                        convened_by,
                        participants,
                        next_follow_up: next
                            .map(|d| d.parse().map_err(|_| corrupt()))
                            .transpose()?,
                    },
                    recorded_at: from_millis(at)?,
                    user_name,
                    unit_name,
                })
            },
        )
        .collect()
}

//! Nödåtkomst as stored: who opened which person's cases without a care relation, why, and
//! until when. Append-only (triggers on both engines). A clinician's relation to a case is
//! `Emergency` while one of hers for its person lasts.

use crate::access_log::{self, Access, Actor};
use crate::case::requests::{self, CareRequest};
use crate::schema::{emergency_accesses, units, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::{SignedDuration, Timestamp};
use samsyn_domain::emergency_access::{EmergencyReason, may_use};
use samsyn_domain::{AccessAction, AccessOutcome, PersonId};

/// The access-log object of the opening itself.
pub const OBJECT_TYPE: &str = "nodatkomst";

/// One emergency opening, as the parties to a case and a log reviewer see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyAccess {
    pub id: String,
    pub user_name: String,
    pub unit_name: String,
    pub reason: String,
    pub opened_at: Timestamp,
    pub expires_at: Timestamp,
}

/// What an opening gave: until when it lasts, and the person's sent cases, each logged as read
/// in an emergency.
pub struct Opened {
    pub expires_at: Timestamp,
    pub cases: Vec<CareRequest>,
}

/// Why an opening was not made.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a clinical role.
    Role,
    /// Samsyn has no sent case for this person.
    NoCase,
}

/// Opens the person's sent cases for the clinician for `duration`, logging the opening (the
/// person's cases listed) and each case read, every entry naming the opening. A person with no sent case is logged as
/// a denied emergency search, so a fishing attempt is visible too.
pub fn open(
    conn: &mut DbConnection,
    actor: &Actor,
    person: &PersonId,
    reason: &EmergencyReason,
    duration: SignedDuration,
    now: Timestamp,
) -> Result<Result<Opened, Refusal>, StoreError> {
    if !may_use(actor.role) {
        return Ok(Err(Refusal::Role));
    }
    let patient = crate::patients::find_by_person_id(conn, person)?;
    let cases = match &patient {
        Some(patient) => requests::sent_cases_of_patient(conn, &patient.id)?,
        None => Vec::new(),
    };
    let Some(patient) = patient.filter(|_| !cases.is_empty()) else {
        access_log::record(
            conn,
            actor,
            Access {
                patient_id: None,
                action: AccessAction::List,
                object_type: OBJECT_TYPE,
                object_id: "person",
                outcome: AccessOutcome::Denied,
            },
            now,
        )?;
        return Ok(Err(Refusal::NoCase));
    };
    let id = new_id();
    let expires_at = now + duration;
    diesel::insert_into(emergency_accesses::table)
        .values((
            emergency_accesses::id.eq(&id),
            emergency_accesses::patient_id.eq(&patient.id),
            emergency_accesses::user_id.eq(&actor.user_id),
            emergency_accesses::unit_id.eq(&actor.unit_id),
            emergency_accesses::reason.eq(reason.as_str()),
            emergency_accesses::opened_at.eq(to_millis(now)),
            emergency_accesses::expires_at.eq(to_millis(expires_at)),
        ))
        .execute(conn)?;
    access_log::record_in_emergency(
        conn,
        actor,
        Access {
            patient_id: Some(&patient.id),
            action: AccessAction::List,
            object_type: OBJECT_TYPE,
            object_id: &id,
            outcome: AccessOutcome::Allowed,
        },
        &id,
        now,
    )?;
    for case in &cases {
        requests::log_read(conn, actor, case, Some(&id), now)?;
    }
    Ok(Ok(Opened { expires_at, cases }))
}

type Row = (String, String, String, String, i64, i64);

fn from_row(row: Row) -> Result<EmergencyAccess, StoreError> {
    let (id, user_name, unit_name, reason, opened, expires) = row;
    Ok(EmergencyAccess {
        id,
        user_name,
        unit_name,
        reason,
        opened_at: from_millis(opened)?,
        expires_at: from_millis(expires)?,
    })
}

/// Which openings to load.
enum Which<'a> {
    OfPatient(&'a str),
    ByIds(&'a [&'a String]),
}

fn load(conn: &mut DbConnection, which: Which<'_>) -> Result<Vec<EmergencyAccess>, StoreError> {
    let mut query = emergency_accesses::table
        .inner_join(users::table)
        .inner_join(units::table.on(units::id.eq(emergency_accesses::unit_id)))
        .order(emergency_accesses::opened_at.desc())
        .select((
            emergency_accesses::id,
            users::display_name,
            units::name,
            emergency_accesses::reason,
            emergency_accesses::opened_at,
            emergency_accesses::expires_at,
        ))
        .into_boxed();
    query = match which {
        Which::OfPatient(patient_id) => {
            query.filter(emergency_accesses::patient_id.eq(patient_id.to_owned()))
        }
        Which::ByIds(ids) => {
            query.filter(emergency_accesses::id.eq_any(ids.iter().map(|id| id.to_string())))
        }
    };
    query.load::<Row>(conn)?.into_iter().map(from_row).collect()
}

/// Every emergency opening of the person, newest first: the notice on each of her cases.
pub fn of_patient(
    conn: &mut DbConnection,
    patient_id: &str,
) -> Result<Vec<EmergencyAccess>, StoreError> {
    load(conn, Which::OfPatient(patient_id))
}

/// These openings, for the log review: each entry made under one shows its reason.
pub fn by_ids(
    conn: &mut DbConnection,
    ids: &[&String],
) -> Result<Vec<EmergencyAccess>, StoreError> {
    load(conn, Which::ByIds(ids))
}

//! Uppföljningar of the medicinsk behandlingsplan, and what is due: each follow-up sets the
//! case's next one.

use crate::access_log::Actor;
use crate::care::treatment_plan::set_follow_up_due;
use crate::schema::{care_requests, follow_up_due, plan_follow_ups};
use crate::users::signature;
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::care::follow_up::{FollowUp, FollowUpOutcome};

/// A stored follow-up with who recorded it.
#[derive(Debug, Clone)]
pub struct StoredFollowUp {
    pub follow_up: FollowUp,
    /// The plan version it followed.
    pub plan_version: i64,
    pub recorded_at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
}

/// Stores the follow-up of the plan version `plan_id`, and makes its next date the case's.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    plan_id: &str,
    follow_up: &FollowUp,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(plan_follow_ups::table)
        .values((
            plan_follow_ups::id.eq(new_id()),
            plan_follow_ups::case_id.eq(case_id),
            plan_follow_ups::plan_id.eq(plan_id),
            plan_follow_ups::recorded_at.eq(to_millis(now)),
            plan_follow_ups::recorded_by.eq(&actor.user_id),
            plan_follow_ups::unit_id.eq(&actor.unit_id),
            plan_follow_ups::held_on.eq(follow_up.held_on.to_string()),
            plan_follow_ups::checked.eq(&follow_up.checked),
            plan_follow_ups::outcome.eq(follow_up.outcome.code()),
            plan_follow_ups::next_due.eq(follow_up.next_due.to_string()),
        ))
        .execute(conn)?;
    set_follow_up_due(conn, case_id, follow_up.next_due)
}

/// The case's follow-ups, newest first.
pub fn of_case(conn: &mut DbConnection, case_id: &str) -> Result<Vec<StoredFollowUp>, StoreError> {
    use crate::schema::treatment_plans;
    let rows: Vec<FollowUpRow> = plan_follow_ups::table
        .inner_join(treatment_plans::table.on(treatment_plans::id.eq(plan_follow_ups::plan_id)))
        .filter(plan_follow_ups::case_id.eq(case_id))
        .order(plan_follow_ups::recorded_at.desc())
        .select((
            plan_follow_ups::held_on,
            plan_follow_ups::recorded_at,
            plan_follow_ups::checked,
            plan_follow_ups::outcome,
            plan_follow_ups::next_due,
            plan_follow_ups::recorded_by,
            plan_follow_ups::unit_id,
            treatment_plans::version,
        ))
        .load(conn)?;
    stored(conn, rows)
}

/// A follow-up as selected: held on, recorded at, checked, outcome, next due, recorded by, unit,
/// and the version of the plan it followed.
pub(crate) type FollowUpRow = (String, i64, String, String, String, String, String, i64);

/// The rows with who recorded them.
pub(crate) fn stored(
    conn: &mut DbConnection,
    rows: Vec<FollowUpRow>,
) -> Result<Vec<StoredFollowUp>, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("follow-up {what}"));
    rows.into_iter()
        .map(
            |(held_on, at, checked, outcome, next_due, user, unit, plan_version)| {
                let (user_name, unit_name) = signature(conn, &user, &unit)?;
                Ok(StoredFollowUp {
                    follow_up: FollowUp {
                        held_on: held_on.parse().map_err(|_| corrupt("date"))?,
                        checked,
                        outcome: FollowUpOutcome::from_code(&outcome)
                            .ok_or_else(|| corrupt("outcome"))?,
                        next_due: next_due.parse().map_err(|_| corrupt("next date"))?,
                    },
                    plan_version,
                    recorded_at: from_millis(at)?,
                    user_name,
                    unit_name,
                })
            },
        )
        .collect()
}

/// The case's next follow-up, once a plan is fastställd.
pub fn due(conn: &mut DbConnection, case_id: &str) -> Result<Option<Date>, StoreError> {
    follow_up_due::table
        .find(case_id)
        .select(follow_up_due::due_on)
        .get_result::<String>(conn)
        .optional()?
        .map(|d| {
            d.parse()
                .map_err(|_| StoreError::Corrupt("follow-up due date".into()))
        })
        .transpose()
}

/// How many of the unit's cases in care have a follow-up on or before `by`.
pub fn due_for_unit(conn: &mut DbConnection, unit_id: &str, by: Date) -> Result<i64, StoreError> {
    Ok(follow_up_due::table
        .inner_join(care_requests::table.on(care_requests::id.eq(follow_up_due::case_id)))
        .filter(
            care_requests::sender_unit_id
                .eq(unit_id)
                .or(care_requests::receiver_unit_id.eq(unit_id)),
        )
        .filter(care_requests::state.eq_any(["beslutad", "planerad", "pagaende"]))
        .filter(follow_up_due::due_on.le(by.to_string()))
        .count()
        .get_result(conn)?)
}

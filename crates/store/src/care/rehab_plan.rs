//! The rehabilitation plan's versions and the prescriber's follow-ups of them; saving a version
//! or recording a follow-up sets the case's next follow-up date.

use crate::access_log::Actor;
use crate::care::follow_up::{self, FollowUpRow, StoredFollowUp};
use crate::care::treatment_plan::set_follow_up_due;
use crate::schema::{rehab_follow_ups, rehab_plans};
use crate::users::signature;
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::care::follow_up::FollowUp;
use samsyn_domain::care::rehab_plan::{Performer, RehabPlan};

/// One stored version with who wrote it.
#[derive(Debug, Clone)]
pub struct StoredRehabPlan {
    pub id: String,
    pub version: i64,
    pub plan: RehabPlan,
    pub recorded_at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
}

/// Saves the plan as the case's next version; its first follow-up becomes the case's next.
pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    plan: &RehabPlan,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let latest: Option<i64> = rehab_plans::table
        .filter(rehab_plans::case_id.eq(case_id))
        .select(diesel::dsl::max(rehab_plans::version))
        .first(conn)?;
    let version = latest.unwrap_or(0) + 1;
    diesel::insert_into(rehab_plans::table)
        .values((
            rehab_plans::id.eq(new_id()),
            rehab_plans::case_id.eq(case_id),
            rehab_plans::version.eq(version),
            rehab_plans::recorded_at.eq(to_millis(now)),
            rehab_plans::recorded_by.eq(&actor.user_id),
            rehab_plans::unit_id.eq(&actor.unit_id),
            rehab_plans::goals.eq(&plan.goals),
            rehab_plans::interventions.eq(&plan.interventions),
            rehab_plans::performer.eq(plan.performer.code()),
            rehab_plans::delegated_to.eq(&plan.delegated_to),
            rehab_plans::team.eq(&plan.team),
            rehab_plans::person_took_part.eq(plan.person_took_part),
            rehab_plans::absence_reason.eq(&plan.absence_reason),
            rehab_plans::prescriber.eq(&plan.prescriber),
            rehab_plans::frequency.eq(&plan.frequency),
            rehab_plans::first_follow_up.eq(plan.first_follow_up.to_string()),
        ))
        .execute(conn)?;
    set_follow_up_due(conn, case_id, plan.first_follow_up)?;
    Ok(version)
}

/// The case's versions, oldest first.
pub fn versions(
    conn: &mut DbConnection,
    case_id: &str,
) -> Result<Vec<StoredRehabPlan>, StoreError> {
    type Row = (
        String,
        i64,
        i64,
        String,
        String,
        (
            String,
            String,
            String,
            String,
            String,
            bool,
            String,
            String,
            String,
            String,
        ),
    );
    let rows: Vec<Row> = rehab_plans::table
        .filter(rehab_plans::case_id.eq(case_id))
        .order(rehab_plans::version.asc())
        .select((
            rehab_plans::id,
            rehab_plans::version,
            rehab_plans::recorded_at,
            rehab_plans::recorded_by,
            rehab_plans::unit_id,
            (
                rehab_plans::goals,
                rehab_plans::interventions,
                rehab_plans::performer,
                rehab_plans::delegated_to,
                rehab_plans::team,
                rehab_plans::person_took_part,
                rehab_plans::absence_reason,
                rehab_plans::prescriber,
                rehab_plans::frequency,
                rehab_plans::first_follow_up,
            ),
        ))
        .load(conn)?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("rehab plan {what}"));
    rows.into_iter()
        .map(|(id, version, at, user, unit, content)| {
            let (
                goals,
                interventions,
                performer,
                delegated_to,
                team,
                person_took_part,
                absence_reason,
                prescriber,
                frequency,
                first_follow_up,
            ) = content;
            let (user_name, unit_name) = signature(conn, &user, &unit)?;
            Ok(StoredRehabPlan {
                id,
                version,
                plan: RehabPlan {
                    goals,
                    interventions,
                    performer: Performer::from_code(&performer)
                        .ok_or_else(|| corrupt("performer"))?,
                    delegated_to,
                    team,
                    person_took_part,
                    absence_reason,
                    prescriber,
                    frequency,
                    first_follow_up: first_follow_up.parse().map_err(|_| corrupt("date"))?,
                },
                recorded_at: from_millis(at)?,
                user_name,
                unit_name,
            })
        })
        .collect()
}

/// Stores the prescriber's follow-up of the version `plan_id`, and makes its next date the
/// case's.
pub fn record_follow_up(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    plan_id: &str,
    follow_up: &FollowUp,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(rehab_follow_ups::table)
        .values((
            rehab_follow_ups::id.eq(new_id()),
            rehab_follow_ups::case_id.eq(case_id),
            rehab_follow_ups::plan_id.eq(plan_id),
            rehab_follow_ups::recorded_at.eq(to_millis(now)),
            rehab_follow_ups::recorded_by.eq(&actor.user_id),
            rehab_follow_ups::unit_id.eq(&actor.unit_id),
            rehab_follow_ups::held_on.eq(follow_up.held_on.to_string()),
            rehab_follow_ups::checked.eq(&follow_up.checked),
            rehab_follow_ups::outcome.eq(follow_up.outcome.code()),
            rehab_follow_ups::next_due.eq(follow_up.next_due.to_string()),
        ))
        .execute(conn)?;
    set_follow_up_due(conn, case_id, follow_up.next_due)
}

/// The case's rehabilitation follow-ups, newest first.
pub fn follow_ups(
    conn: &mut DbConnection,
    case_id: &str,
) -> Result<Vec<StoredFollowUp>, StoreError> {
    let rows: Vec<FollowUpRow> = rehab_follow_ups::table
        .inner_join(rehab_plans::table.on(rehab_plans::id.eq(rehab_follow_ups::plan_id)))
        .filter(rehab_follow_ups::case_id.eq(case_id))
        .order(rehab_follow_ups::recorded_at.desc())
        .select((
            rehab_follow_ups::held_on,
            rehab_follow_ups::recorded_at,
            rehab_follow_ups::checked,
            rehab_follow_ups::outcome,
            rehab_follow_ups::next_due,
            rehab_follow_ups::recorded_by,
            rehab_follow_ups::unit_id,
            rehab_plans::version,
        ))
        .load(conn)?;
    follow_up::stored(conn, rows)
}

//! Track 3's seven-day plan from the hospital; the caller updates the track's "plan available"
//! day in the same transaction.

use crate::access_log::Actor;
use crate::schema::seven_day_plans;
use crate::users::signature;
use crate::{DbConnection, StoreError, from_millis, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::care::seven_day_plan::SevenDayPlan;

/// The stored plan with who recorded it.
#[derive(Debug, Clone)]
pub struct StoredSevenDayPlan {
    pub plan: SevenDayPlan,
    pub recorded_at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
}

/// Records the case's plan, replacing an earlier recording.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    plan: &SevenDayPlan,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::delete(seven_day_plans::table.find(case_id)).execute(conn)?;
    diesel::insert_into(seven_day_plans::table)
        .values((
            seven_day_plans::case_id.eq(case_id),
            seven_day_plans::recorded_at.eq(to_millis(now)),
            seven_day_plans::recorded_by.eq(&actor.user_id),
            seven_day_plans::unit_id.eq(&actor.unit_id),
            seven_day_plans::available_on.eq(plan.available_on.to_string()),
            seven_day_plans::medication.eq(&plan.medication),
            seven_day_plans::checks.eq(&plan.checks),
            seven_day_plans::rehabilitation.eq(&plan.rehabilitation),
            seven_day_plans::mobile_team.eq(&plan.mobile_team),
            seven_day_plans::readable_in_npo.eq(plan.readable_in_npo),
        ))
        .execute(conn)?;
    Ok(())
}

/// The case's plan, if the hospital has recorded it.
pub fn of_case(
    conn: &mut DbConnection,
    case_id: &str,
) -> Result<Option<StoredSevenDayPlan>, StoreError> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        bool,
        String,
        String,
    );
    let found: Option<Row> = seven_day_plans::table
        .find(case_id)
        .select((
            seven_day_plans::recorded_at,
            seven_day_plans::available_on,
            seven_day_plans::medication,
            seven_day_plans::checks,
            seven_day_plans::rehabilitation,
            seven_day_plans::mobile_team,
            seven_day_plans::readable_in_npo,
            seven_day_plans::recorded_by,
            seven_day_plans::unit_id,
        ))
        .first(conn)
        .optional()?;
    found
        .map(
            |(
                at,
                available_on,
                medication,
                checks,
                rehabilitation,
                mobile_team,
                npo,
                user,
                unit,
            )| {
                let (user_name, unit_name) = signature(conn, &user, &unit)?;
                Ok(StoredSevenDayPlan {
                    plan: SevenDayPlan {
                        available_on: available_on
                            .parse()
                            .map_err(|_| StoreError::Corrupt("seven-day plan date".into()))?,
                        medication,
                        checks,
                        rehabilitation,
                        mobile_team,
                        readable_in_npo: npo,
                    },
                    recorded_at: from_millis(at)?,
                    user_name,
                    unit_name,
                })
            },
        )
        .transpose()
}

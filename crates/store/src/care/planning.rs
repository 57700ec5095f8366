//! Gemensam planering as recorded with the step to *planerad*.

use crate::access_log::Actor;
use crate::schema::{joint_plannings, units, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::care::planning::{JointPlanning, PlanningForm};

/// A stored planning with who recorded it.
#[derive(Debug, Clone)]
pub struct StoredPlanning {
    pub planning: JointPlanning,
    pub recorded_at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
}

/// Stores the planning; the caller stores the step to *planerad* in the same transaction.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    planning: &JointPlanning,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(joint_plannings::table)
        .values((
            joint_plannings::id.eq(new_id()),
            joint_plannings::case_id.eq(case_id),
            joint_plannings::recorded_at.eq(to_millis(now)),
            joint_plannings::recorded_by.eq(&actor.user_id),
            joint_plannings::unit_id.eq(&actor.unit_id),
            joint_plannings::held_on.eq(planning.held_on.to_string()),
            joint_plannings::form.eq(planning.form.code()),
            joint_plannings::region_participants.eq(&planning.region_participants),
            joint_plannings::municipality_participants.eq(&planning.municipality_participants),
            joint_plannings::person_took_part.eq(planning.person_took_part),
            joint_plannings::relatives_took_part.eq(planning.relatives_took_part),
            joint_plannings::absence_reason.eq(&planning.absence_reason),
        ))
        .execute(conn)?;
    Ok(())
}

type Row = (i64, String, String, String, String, String, bool, bool);

/// The case's planning, if it has been recorded.
pub fn of_case(
    conn: &mut DbConnection,
    case_id: &str,
) -> Result<Option<StoredPlanning>, StoreError> {
    let found: Option<(Row, String, String)> = joint_plannings::table
        .inner_join(users::table.on(users::id.eq(joint_plannings::recorded_by)))
        .inner_join(units::table.on(units::id.eq(joint_plannings::unit_id)))
        .filter(joint_plannings::case_id.eq(case_id))
        .order(joint_plannings::recorded_at.desc())
        .select((
            (
                joint_plannings::recorded_at,
                joint_plannings::held_on,
                joint_plannings::form,
                joint_plannings::region_participants,
                joint_plannings::municipality_participants,
                joint_plannings::absence_reason,
                joint_plannings::person_took_part,
                joint_plannings::relatives_took_part,
            ),
            users::display_name,
            units::name,
        ))
        .first(conn)
        .optional()?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("joint planning {what}"));
    found
        .map(|(row, user_name, unit_name)| {
            let (at, held_on, form, region, municipality, absence_reason, person, relatives) = row;
            Ok(StoredPlanning {
                planning: JointPlanning {
                    held_on: held_on.parse().map_err(|_| corrupt("date"))?,
                    form: PlanningForm::from_code(&form).ok_or_else(|| corrupt("form"))?,
                    region_participants: region,
                    municipality_participants: municipality,
                    person_took_part: person,
                    relatives_took_part: relatives,
                    absence_reason,
                },
                recorded_at: from_millis(at)?,
                user_name,
                unit_name,
            })
        })
        .transpose()
}

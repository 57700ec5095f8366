//! Min sida's plans: the fastställda behandlingsplaner and the rehabiliteringsplaner of the
//! signed-in person's cases, and the record of each time she views or prints one.

use crate::care::{follow_up, treatment_plan};
use crate::schema::{care_requests, own_page_views, units};
use crate::{DbConnection, StoreError, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::{AccessAction, PersonId};

use super::rehab_plan::{self, StoredRehabPlan};
use super::treatment_plan::StoredPlanVersion;

/// One of her plans: the version in force, who gives the care, and the next follow-up.
#[derive(Debug, Clone)]
pub struct OwnPlan {
    pub case_id: String,
    pub version: StoredPlanVersion,
    pub region_unit: String,
    pub municipality_unit: String,
    pub next_follow_up: Option<Date>,
}

/// One of her rehabiliteringsplaner: the latest version, the rehab team, the next follow-up.
#[derive(Debug, Clone)]
pub struct OwnRehabPlan {
    pub case_id: String,
    pub plan: StoredRehabPlan,
    pub team: String,
    pub next_follow_up: Option<Date>,
}

/// A case as (case, sending unit, receiving unit).
type CaseUnits = (String, String, String);

/// Her cases apart from drafts and withdrawn ones (only `only`, when given), newest first, with
/// her patient id.
fn own_cases(
    conn: &mut DbConnection,
    person: &PersonId,
    only: Option<&str>,
) -> Result<Option<(String, Vec<CaseUnits>)>, StoreError> {
    let Some(patient) = crate::patients::find_by_person_id(conn, person)? else {
        return Ok(None);
    };
    let mut query = care_requests::table
        .filter(care_requests::patient_id.eq(&patient.id))
        .into_boxed();
    if let Some(case_id) = only {
        query = query.filter(care_requests::id.eq(case_id));
    }
    let cases = query
        .filter(care_requests::state.ne_all(["utkast", "aterkallad"]))
        .order(care_requests::created_at.desc())
        .select((
            care_requests::id,
            care_requests::sender_unit_id,
            care_requests::receiver_unit_id,
        ))
        .load(conn)?;
    Ok(Some((patient.id, cases)))
}

fn unit_name(conn: &mut DbConnection, id: &str) -> Result<String, StoreError> {
    Ok(units::table.find(id).select(units::name).first(conn)?)
}

/// Records that she viewed or printed the case's plan.
fn record_view(
    conn: &mut DbConnection,
    patient_id: &str,
    case_id: &str,
    action: AccessAction,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(own_page_views::table)
        .values((
            own_page_views::id.eq(new_id()),
            own_page_views::at.eq(to_millis(now)),
            own_page_views::patient_id.eq(patient_id),
            own_page_views::action.eq(action.code()),
            own_page_views::case_id.eq(case_id),
        ))
        .execute(conn)?;
    Ok(())
}

/// Her rehabiliteringsplaner, the latest version of each case's, newest case first; each is
/// recorded as viewed.
pub fn rehab_for_person(
    conn: &mut DbConnection,
    person: &PersonId,
    now: Timestamp,
) -> Result<Vec<OwnRehabPlan>, StoreError> {
    let Some((patient_id, cases)) = own_cases(conn, person, None)? else {
        return Ok(Vec::new());
    };
    let mut plans = Vec::new();
    for (case_id, _, receiver) in cases {
        let Some(plan) = rehab_plan::versions(conn, &case_id)?.pop() else {
            continue;
        };
        record_view(conn, &patient_id, &case_id, AccessAction::Read, now)?;
        plans.push(OwnRehabPlan {
            next_follow_up: follow_up::due(conn, &case_id)?,
            team: unit_name(conn, &receiver)?,
            case_id,
            plan,
        });
    }
    Ok(plans)
}

/// Her plans (only the case `only`, when given), each case's fastställd version, newest case
/// first; each is recorded as viewed or printed (`action`).
pub fn for_person(
    conn: &mut DbConnection,
    person: &PersonId,
    only: Option<&str>,
    action: AccessAction,
    now: Timestamp,
) -> Result<Vec<OwnPlan>, StoreError> {
    let Some((patient_id, cases)) = own_cases(conn, person, only)? else {
        return Ok(Vec::new());
    };
    let mut plans = Vec::new();
    for (case_id, sender, receiver) in cases {
        let Some(version) = treatment_plan::versions(conn, &case_id)?
            .into_iter()
            .rev()
            .find(|v| v.established_at.is_some())
        else {
            continue;
        };
        record_view(conn, &patient_id, &case_id, action, now)?;
        plans.push(OwnPlan {
            next_follow_up: follow_up::due(conn, &case_id)?,
            region_unit: unit_name(conn, &sender)?,
            municipality_unit: unit_name(conn, &receiver)?,
            case_id,
            version,
        });
    }
    Ok(plans)
}

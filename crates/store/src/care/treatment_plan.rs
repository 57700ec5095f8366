//! The medicinsk behandlingsplan's versions and their signatures. The caller checks the domain's
//! rules (who writes and signs what) on the versions read here, in the same transaction as the
//! write.

use crate::access_log::Actor;
use crate::schema::{follow_up_due, treatment_plan_signatures, treatment_plans};
use crate::users::signature;
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::Side;
use samsyn_domain::care::treatment_plan::{Contact, PlanContent};

/// One party's signature of a version.
#[derive(Debug, Clone)]
pub struct StoredSignature {
    pub side: Side,
    pub at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
}

/// A version of the plan as stored.
#[derive(Debug, Clone)]
pub struct StoredPlanVersion {
    pub id: String,
    /// 1, 2, … in the order the versions were started.
    pub number: i64,
    pub content: PlanContent,
    pub changed_at: Timestamp,
    /// Who last changed the version, and for which unit.
    pub changed_by: (String, String),
    pub signatures: Vec<StoredSignature>,
    /// When the second signature made the version fastställd.
    pub established_at: Option<Timestamp>,
}

impl StoredPlanVersion {
    pub fn signed_by(&self, side: Side) -> Option<&StoredSignature> {
        self.signatures.iter().find(|s| s.side == side)
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = treatment_plans)]
struct Row {
    id: String,
    version: i64,
    changed_at: i64,
    changed_by: String,
    changed_unit_id: String,
    region_doctor_name: String,
    region_doctor_phone: String,
    region_care_name: String,
    region_care_phone: String,
    municipality_care_name: String,
    municipality_care_phone: String,
    coordinator: Option<String>,
    prognosis: String,
    deterioration: String,
    point_interventions: String,
    shared_responsibility: Option<bool>,
    action_plan: String,
    follow_up: String,
    frequency: String,
    first_follow_up: Option<String>,
    established_at: Option<i64>,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("treatment plan {what}"))
}

impl Row {
    fn content(&self) -> Result<PlanContent, StoreError> {
        let contact = |name: &str, phone: &str| Contact {
            name: name.to_owned(),
            phone: phone.to_owned(),
        };
        Ok(PlanContent {
            region_doctor: contact(&self.region_doctor_name, &self.region_doctor_phone),
            region_care_contact: contact(&self.region_care_name, &self.region_care_phone),
            municipality_care_contact: contact(
                &self.municipality_care_name,
                &self.municipality_care_phone,
            ),
            coordinator: self
                .coordinator
                .as_deref()
                .map(|c| Side::from_code(c).ok_or_else(|| corrupt("coordinator")))
                .transpose()?,
            prognosis: self.prognosis.clone(),
            deterioration: self.deterioration.clone(),
            point_interventions: self.point_interventions.clone(),
            shared_responsibility: self.shared_responsibility,
            action_plan: self.action_plan.clone(),
            follow_up: self.follow_up.clone(),
            frequency: self.frequency.clone(),
            first_follow_up: self
                .first_follow_up
                .as_deref()
                .map(|d| d.parse::<Date>().map_err(|_| corrupt("date")))
                .transpose()?,
        })
    }
}

/// A fastställd version of some case's plan, without its signatures.
#[derive(Debug, Clone)]
pub struct EstablishedPlan {
    pub case_id: String,
    pub plan_id: String,
    pub established_at: Timestamp,
    pub content: PlanContent,
}

/// Every fastställd version of every case's plan, for the follow-up's indicators and sample
/// check: one query, no person.
pub fn established(conn: &mut DbConnection) -> Result<Vec<EstablishedPlan>, StoreError> {
    let rows: Vec<(String, Row)> = treatment_plans::table
        .filter(treatment_plans::established_at.is_not_null())
        .order(treatment_plans::id.asc())
        .select((treatment_plans::case_id, Row::as_select()))
        .load(conn)?;
    rows.into_iter()
        .map(|(case_id, row)| {
            Ok(EstablishedPlan {
                case_id,
                plan_id: row.id.clone(),
                established_at: row
                    .established_at
                    .map(from_millis)
                    .transpose()?
                    .ok_or_else(|| corrupt("established"))?,
                content: row.content()?,
            })
        })
        .collect()
}

/// Every version of the case's plan, oldest first.
pub fn versions(
    conn: &mut DbConnection,
    case_id: &str,
) -> Result<Vec<StoredPlanVersion>, StoreError> {
    let rows: Vec<Row> = treatment_plans::table
        .filter(treatment_plans::case_id.eq(case_id))
        .order(treatment_plans::version.asc())
        .select(Row::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let signed: Vec<(String, i64, String, String)> = treatment_plan_signatures::table
                .filter(treatment_plan_signatures::plan_id.eq(&row.id))
                .order(treatment_plan_signatures::signed_at.asc())
                .select((
                    treatment_plan_signatures::side,
                    treatment_plan_signatures::signed_at,
                    treatment_plan_signatures::signed_by,
                    treatment_plan_signatures::unit_id,
                ))
                .load(conn)?;
            let signatures = signed
                .into_iter()
                .map(|(side, at, user, unit)| {
                    let (user_name, unit_name) = signature(conn, &user, &unit)?;
                    Ok(StoredSignature {
                        side: Side::from_code(&side).ok_or_else(|| corrupt("side"))?,
                        at: from_millis(at)?,
                        user_name,
                        unit_name,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(StoredPlanVersion {
                id: row.id.clone(),
                number: row.version,
                content: row.content()?,
                changed_at: from_millis(row.changed_at)?,
                changed_by: signature(conn, &row.changed_by, &row.changed_unit_id)?,
                signatures,
                established_at: row.established_at.map(from_millis).transpose()?,
            })
        })
        .collect()
}

/// Stores `content` as the plan's draft: a new version when there is none or the latest is
/// fastställd, otherwise over the draft, whose signatures then no longer hold. Returns the
/// version's number.
pub fn save_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    latest: Option<&StoredPlanVersion>,
    content: &PlanContent,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let c = content;
    let values = (
        treatment_plans::changed_at.eq(to_millis(now)),
        treatment_plans::changed_by.eq(&actor.user_id),
        treatment_plans::changed_unit_id.eq(&actor.unit_id),
        treatment_plans::region_doctor_name.eq(&c.region_doctor.name),
        treatment_plans::region_doctor_phone.eq(&c.region_doctor.phone),
        treatment_plans::region_care_name.eq(&c.region_care_contact.name),
        treatment_plans::region_care_phone.eq(&c.region_care_contact.phone),
        treatment_plans::municipality_care_name.eq(&c.municipality_care_contact.name),
        treatment_plans::municipality_care_phone.eq(&c.municipality_care_contact.phone),
        treatment_plans::coordinator.eq(c.coordinator.map(Side::code)),
        treatment_plans::prognosis.eq(&c.prognosis),
        treatment_plans::deterioration.eq(&c.deterioration),
        treatment_plans::point_interventions.eq(&c.point_interventions),
        treatment_plans::shared_responsibility.eq(c.shared_responsibility),
        treatment_plans::action_plan.eq(&c.action_plan),
        treatment_plans::follow_up.eq(&c.follow_up),
        treatment_plans::frequency.eq(&c.frequency),
        treatment_plans::first_follow_up.eq(c.first_follow_up.map(|d| d.to_string())),
    );
    match latest {
        Some(draft) if draft.established_at.is_none() => {
            diesel::update(treatment_plans::table.find(&draft.id))
                .set(values)
                .execute(conn)?;
            diesel::delete(
                treatment_plan_signatures::table
                    .filter(treatment_plan_signatures::plan_id.eq(&draft.id)),
            )
            .execute(conn)?;
            Ok(draft.number)
        }
        _ => {
            let number = latest.map_or(1, |l| l.number + 1);
            diesel::insert_into(treatment_plans::table)
                .values((
                    treatment_plans::id.eq(new_id()),
                    treatment_plans::case_id.eq(case_id),
                    treatment_plans::version.eq(number),
                    treatment_plans::created_at.eq(to_millis(now)),
                    values,
                ))
                .execute(conn)?;
            Ok(number)
        }
    }
}

/// Records `side`'s signature of the version; with `establishes`, the version becomes fastställd
/// and the case's next follow-up is its first.
pub fn sign(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    version: &StoredPlanVersion,
    side: Side,
    establishes: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(treatment_plan_signatures::table)
        .values((
            treatment_plan_signatures::plan_id.eq(&version.id),
            treatment_plan_signatures::side.eq(side.code()),
            treatment_plan_signatures::signed_at.eq(to_millis(now)),
            treatment_plan_signatures::signed_by.eq(&actor.user_id),
            treatment_plan_signatures::unit_id.eq(&actor.unit_id),
        ))
        .execute(conn)?;
    if establishes {
        diesel::update(treatment_plans::table.find(&version.id))
            .set(treatment_plans::established_at.eq(to_millis(now)))
            .execute(conn)?;
        if let Some(first) = version.content.first_follow_up {
            set_follow_up_due(conn, case_id, first)?;
        }
    }
    Ok(())
}

/// Sets the case's next follow-up.
pub(crate) fn set_follow_up_due(
    conn: &mut DbConnection,
    case_id: &str,
    due: Date,
) -> Result<(), StoreError> {
    diesel::delete(follow_up_due::table.find(case_id)).execute(conn)?;
    diesel::insert_into(follow_up_due::table)
        .values((
            follow_up_due::case_id.eq(case_id),
            follow_up_due::due_on.eq(due.to_string()),
        ))
        .execute(conn)?;
    crate::case::list_entries::refresh(conn, case_id)
}

//! The joint work on a case: assessments (bedömningar), decisions (beslut), the municipality's
//! check of competence and equipment in the home, action items, and the person's withdrawal of
//! consent (an oenighet is `crate::disagreement`). Writes log access and add a timeline
//! event in the caller's transaction.

use crate::access_log::Actor;
use crate::case::requests::{CareRequest, add_event, log};
use crate::schema::{
    action_items, assessments, case_consents, decisions, home_checks, units, users,
};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::case::decision::InterventionKind;
use samsyn_domain::{AccessAction, DecisionOutcome, Side};

fn parse_date(text: &str) -> Result<Date, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt("date".into()))
}

/// One party's assessment of the case.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub side: Side,
    pub unit_id: String,
    pub at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
    pub text: String,
}

pub fn record_assessment(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &CareRequest,
    side: Side,
    text: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(assessments::table)
        .values((
            assessments::id.eq(new_id()),
            assessments::case_id.eq(&case.id),
            assessments::party_side.eq(Side::code(side)),
            assessments::at.eq(to_millis(now)),
            assessments::user_id.eq(&actor.user_id),
            assessments::unit_id.eq(&actor.unit_id),
            assessments::text.eq(text),
        ))
        .execute(conn)?;
    add_event(
        conn,
        actor,
        &case.id,
        "bedomning",
        None,
        "Bedömning registrerad.",
        now,
    )?;
    log(conn, actor, case, AccessAction::Update, now)
}

pub fn assessments(conn: &mut DbConnection, case_id: &str) -> Result<Vec<Assessment>, StoreError> {
    assessments::table
        .inner_join(users::table.on(users::id.eq(assessments::user_id)))
        .inner_join(units::table.on(units::id.eq(assessments::unit_id)))
        .filter(assessments::case_id.eq(case_id))
        .order(assessments::at.asc())
        .select((
            assessments::party_side,
            assessments::unit_id,
            assessments::at,
            users::display_name,
            units::name,
            assessments::text,
        ))
        .load::<(String, String, i64, String, String, String)>(conn)?
        .into_iter()
        .map(|(side, unit_id, at, user_name, unit_name, text)| {
            Ok(Assessment {
                side: Side::from_code(&side)
                    .ok_or_else(|| StoreError::Corrupt("assessment side".into()))?,
                unit_id,
                at: from_millis(at)?,
                user_name,
                unit_name,
                text,
            })
        })
        .collect()
}

/// What a decision records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub outcome: DecisionOutcome,
    /// Vårdnivå, e.g. "Hemsjukvård, sjuksköterska" (for enrollment).
    pub care_level: String,
    pub start_date: Option<Date>,
    /// Ansvariga enheter.
    pub responsible_units: String,
    /// Skäl — why not enrolled, or what the parties disagree on.
    pub reason: String,
    /// Gemensam planering senast (for enrollment).
    pub joint_planning_due: Option<Date>,
    /// Punktinsatser or samordnad vård (for enrollment; `None` in decisions from before it was
    /// asked).
    pub intervention_kind: Option<InterventionKind>,
    /// The insatser that pass to the municipality (for enrollment).
    pub interventions: String,
    /// For punktinsatser: whether the parties share the responsibility.
    pub shared_responsibility: Option<bool>,
}

/// A stored decision with who proposed it and, once the other party has, who confirmed it.
#[derive(Debug, Clone)]
pub struct Decision {
    pub record: DecisionRecord,
    pub at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
    /// When, by whom and at which unit the other party confirmed it; `None` while it is a
    /// proposal (and always for oenighet, which either party records alone).
    pub confirmed: Option<(Timestamp, String, String)>,
}

/// The other party confirms the case's proposed decision; the caller stores the step.
pub fn confirm_decision(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let proposal: String = decisions::table
        .filter(decisions::case_id.eq(case_id))
        .filter(decisions::confirmed_at.is_null())
        .filter(decisions::outcome.ne(DecisionOutcome::Disagreement.code()))
        .order(decisions::at.desc())
        .select(decisions::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::Corrupt("decision proposal".into()))?;
    diesel::update(decisions::table.find(&proposal))
        .set((
            decisions::confirmed_at.eq(to_millis(now)),
            decisions::confirmed_by.eq(&actor.user_id),
            decisions::confirmed_unit_id.eq(&actor.unit_id),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stores the decision; the caller stores the matching state transition in the same transaction.
pub fn record_decision(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    record: &DecisionRecord,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(decisions::table)
        .values((
            decisions::id.eq(new_id()),
            decisions::case_id.eq(case_id),
            decisions::at.eq(to_millis(now)),
            decisions::user_id.eq(&actor.user_id),
            decisions::unit_id.eq(&actor.unit_id),
            decisions::outcome.eq(record.outcome.code()),
            decisions::care_level.eq(&record.care_level),
            decisions::start_date.eq(record.start_date.map(|d| d.to_string())),
            decisions::responsible_units.eq(&record.responsible_units),
            decisions::reason.eq(&record.reason),
            decisions::joint_planning_due.eq(record.joint_planning_due.map(|d| d.to_string())),
            decisions::intervention_kind.eq(record.intervention_kind.map_or("", |k| k.code())),
            decisions::interventions.eq(&record.interventions),
            decisions::shared_responsibility.eq(record.shared_responsibility),
        ))
        .execute(conn)?;
    Ok(())
}

type DecisionRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    (String, String, Option<bool>),
);

pub fn decisions(conn: &mut DbConnection, case_id: &str) -> Result<Vec<Decision>, StoreError> {
    let rows = decisions::table
        .inner_join(users::table.on(users::id.eq(decisions::user_id)))
        .inner_join(units::table.on(units::id.eq(decisions::unit_id)))
        .filter(decisions::case_id.eq(case_id))
        .order(decisions::at.asc())
        .select((
            decisions::at,
            users::display_name,
            units::name,
            decisions::outcome,
            decisions::care_level,
            decisions::start_date,
            decisions::responsible_units,
            decisions::reason,
            decisions::joint_planning_due,
            decisions::confirmed_at,
            decisions::confirmed_by,
            decisions::confirmed_unit_id,
            (
                decisions::intervention_kind,
                decisions::interventions,
                decisions::shared_responsibility,
            ),
        ))
        .load::<DecisionRow>(conn)?;
    rows.into_iter()
        .map(
            |(
                at,
                user_name,
                unit_name,
                outcome,
                care_level,
                start,
                responsible_units,
                reason,
                planning,
                confirmed_at,
                confirmed_by,
                confirmed_unit,
                (kind, interventions, shared_responsibility),
            )| {
                let confirmed = match (confirmed_at, confirmed_by, confirmed_unit) {
                    (Some(at), Some(user), Some(unit)) => {
                        let (user_name, unit_name) = crate::users::signature(conn, &user, &unit)?;
                        Some((from_millis(at)?, user_name, unit_name))
                    }
                    _ => None,
                };
                Ok(Decision {
                    confirmed,
                    record: DecisionRecord {
                        outcome: DecisionOutcome::from_code(&outcome)
                            .ok_or_else(|| StoreError::Corrupt("decision outcome".into()))?,
                        care_level,
                        start_date: start.as_deref().map(parse_date).transpose()?,
                        responsible_units,
                        reason,
                        joint_planning_due: planning.as_deref().map(parse_date).transpose()?,
                        intervention_kind: InterventionKind::from_code(&kind),
                        interventions,
                        shared_responsibility,
                    },
                    at: from_millis(at)?,
                    user_name,
                    unit_name,
                })
            },
        )
        .collect()
}

/// The municipality's check that competence and equipment in the home are in place.
#[derive(Debug, Clone)]
pub struct HomeCheck {
    pub at: Timestamp,
    /// The unit of the user who checked.
    pub unit_id: String,
    pub user_name: String,
    pub competence_ok: bool,
    pub equipment_ok: bool,
    pub note: String,
}

pub fn record_home_check(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &CareRequest,
    competence_ok: bool,
    equipment_ok: bool,
    note: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(home_checks::table)
        .values((
            home_checks::id.eq(new_id()),
            home_checks::case_id.eq(&case.id),
            home_checks::at.eq(to_millis(now)),
            home_checks::user_id.eq(&actor.user_id),
            home_checks::competence_ok.eq(competence_ok),
            home_checks::equipment_ok.eq(equipment_ok),
            home_checks::note.eq(note),
        ))
        .execute(conn)?;
    add_event(
        conn,
        actor,
        &case.id,
        "hemkontroll",
        None,
        "Kontroll av kompetens och utrustning i hemmet.",
        now,
    )?;
    log(conn, actor, case, AccessAction::Update, now)
}

pub fn home_checks(conn: &mut DbConnection, case_id: &str) -> Result<Vec<HomeCheck>, StoreError> {
    home_checks::table
        .inner_join(users::table.on(users::id.eq(home_checks::user_id)))
        .filter(home_checks::case_id.eq(case_id))
        .order(home_checks::at.asc())
        .select((
            home_checks::at,
            users::unit_id,
            users::display_name,
            home_checks::competence_ok,
            home_checks::equipment_ok,
            home_checks::note,
        ))
        .load::<(i64, String, String, bool, bool, String)>(conn)?
        .into_iter()
        .map(
            |(at, unit_id, user_name, competence_ok, equipment_ok, note)| {
                Ok(HomeCheck {
                    at: from_millis(at)?,
                    unit_id,
                    user_name,
                    competence_ok,
                    equipment_ok,
                    note,
                })
            },
        )
        .collect()
}

/// Åtgärd: something that must be fixed, with an owner and a due date.
#[derive(Debug, Clone)]
pub struct ActionItem {
    pub id: String,
    pub created_at: Timestamp,
    pub description: String,
    pub owner: String,
    pub owner_unit_name: String,
    pub due: Date,
    pub done_at: Option<Timestamp>,
}

#[allow(clippy::too_many_arguments)]
pub fn add_action_item(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &CareRequest,
    description: &str,
    owner: &str,
    owner_unit_id: &str,
    due: Date,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(action_items::table)
        .values((
            action_items::id.eq(new_id()),
            action_items::case_id.eq(&case.id),
            action_items::description.eq(description),
            action_items::owner.eq(owner),
            action_items::owner_unit_id.eq(owner_unit_id),
            action_items::due.eq(due.to_string()),
            action_items::created_at.eq(to_millis(now)),
            action_items::created_by.eq(&actor.user_id),
        ))
        .execute(conn)?;
    add_event(conn, actor, &case.id, "atgard", None, description, now)?;
    log(conn, actor, case, AccessAction::Update, now)
}

/// Marks an action item of this case done; `NotFound` if it is not the case's.
pub fn complete_action_item(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &CareRequest,
    item_id: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let updated = diesel::update(
        action_items::table
            .filter(action_items::id.eq(item_id))
            .filter(action_items::case_id.eq(&case.id))
            .filter(action_items::done_at.is_null()),
    )
    .set(action_items::done_at.eq(Some(to_millis(now))))
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    add_event(
        conn,
        actor,
        &case.id,
        "atgard_klar",
        None,
        "Åtgärd markerad som klar.",
        now,
    )?;
    log(conn, actor, case, AccessAction::Update, now)
}

pub fn action_items(conn: &mut DbConnection, case_id: &str) -> Result<Vec<ActionItem>, StoreError> {
    action_items::table
        .inner_join(units::table.on(units::id.eq(action_items::owner_unit_id)))
        .filter(action_items::case_id.eq(case_id))
        .order(action_items::due.asc())
        .select((
            action_items::id,
            action_items::created_at,
            action_items::description,
            action_items::owner,
            units::name,
            action_items::due,
            action_items::done_at,
        ))
        .load::<(String, i64, String, String, String, String, Option<i64>)>(conn)?
        .into_iter()
        .map(
            |(id, created_at, description, owner, owner_unit_name, due, done_at)| {
                Ok(ActionItem {
                    id,
                    created_at: from_millis(created_at)?,
                    description,
                    owner,
                    owner_unit_name,
                    due: parse_date(&due)?,
                    done_at: done_at.map(from_millis).transpose()?,
                })
            },
        )
        .collect()
}

/// Records that the person has withdrawn consent: once, with a timeline entry and the
/// access-log entry of the update, in the caller's transaction. A case without a given consent,
/// or one already withdrawn, is a conflict.
pub fn withdraw_consent(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &CareRequest,
    note: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let updated = diesel::update(
        case_consents::table
            .filter(case_consents::case_id.eq(&case.id))
            .filter(case_consents::kind.eq("samtycke"))
            .filter(case_consents::withdrawn_at.is_null()),
    )
    .set((
        case_consents::withdrawn_at.eq(to_millis(now)),
        case_consents::withdrawn_by.eq(&actor.user_id),
        case_consents::withdrawal_note.eq(note),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    add_event(
        conn,
        actor,
        &case.id,
        "samtycke_aterkallat",
        None,
        note,
        now,
    )?;
    log(conn, actor, case, AccessAction::Update, now)
}

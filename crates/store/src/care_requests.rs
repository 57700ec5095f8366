//! Begäran om hälso- och sjukvård i hemmet: storage, visibility and its access logging.
//!
//! Every function that reads or writes a request takes the acting user and writes the
//! access-log entry itself, in the caller's transaction, so no caller can forget it.

use crate::access_log::{self, Access, Actor};
use crate::schema::{care_requests, patients, units, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::dsl::Eq;
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::{
    AccessAction, AccessOutcome, CareRequestContent, CareRequestInput, RequestState, Side,
};
use std::collections::HashMap;

const OBJECT_TYPE: &str = "begaran";

/// A stored request with the names a reader needs.
#[derive(Debug, Clone)]
pub struct CareRequest {
    pub id: String,
    pub patient: crate::patients::Patient,
    pub sender_unit_id: String,
    pub sender_unit_name: String,
    pub receiver_unit_id: String,
    pub receiver_unit_name: String,
    pub created_by_name: String,
    /// All form fields; the patient fields reflect the patient record.
    pub text: CareRequestInput,
    pub state: RequestState,
    pub acknowledged_by_name: Option<String>,
    pub sent_by_name: Option<String>,
    pub rule_set: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

impl CareRequest {
    /// How the acting unit relates to this request; `None` means it may not see it.
    /// Drafts are visible only to the sender.
    pub fn side_for(&self, unit_id: &str) -> Option<Side> {
        if self.sender_unit_id == unit_id {
            Some(Side::Sender)
        } else if self.receiver_unit_id == unit_id && self.state != RequestState::Draft {
            Some(Side::Receiver)
        } else {
            None
        }
    }
}

type Row = (
    (String, String, String, String, String, String),
    (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ),
    (
        String,
        i64,
        i64,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<String>,
        i64,
    ),
    crate::patients::Row,
);

fn load(conn: &mut DbConnection, filter: Filter<'_>) -> Result<Vec<CareRequest>, StoreError> {
    let mut query = care_requests::table
        .inner_join(patients::table)
        .select((
            (
                care_requests::id,
                care_requests::patient_id,
                care_requests::sender_unit_id,
                care_requests::receiver_unit_id,
                care_requests::created_by,
                care_requests::state,
            ),
            (
                care_requests::situation,
                care_requests::background,
                care_requests::current_assessment,
                care_requests::recommendation,
                care_requests::fixed_doctor_name,
                care_requests::fixed_doctor_phone,
                care_requests::prescriber_name,
                care_requests::prescriber_phone,
                care_requests::care_contact_name,
                care_requests::care_contact_phone,
                care_requests::health_centre_name,
                care_requests::health_centre_phone,
            ),
            (
                care_requests::rule_set,
                care_requests::created_at,
                care_requests::updated_at,
                care_requests::sent_at,
                care_requests::sent_by,
                care_requests::acknowledgement_due,
                care_requests::acknowledged_at,
                care_requests::acknowledged_by,
                care_requests::version,
            ),
            crate::patients::COLUMNS,
        ))
        .order(care_requests::created_at.desc())
        .into_boxed();
    match filter {
        Filter::Id(id) => query = query.filter(care_requests::id.eq(id.to_owned())),
        Filter::Unit(unit) => {
            query = query.filter(
                care_requests::sender_unit_id.eq(unit.to_owned()).or(
                    care_requests::receiver_unit_id
                        .eq(unit.to_owned())
                        .and(care_requests::state.ne(RequestState::Draft.code())),
                ),
            )
        }
    }
    let rows: Vec<Row> = query.load(conn)?;
    let unit_names: HashMap<String, String> = units::table
        .select((units::id, units::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut user_ids: Vec<String> = Vec::new();
    for (head, _, tail, _) in &rows {
        user_ids.push(head.4.clone());
        user_ids.extend(tail.4.iter().cloned());
        user_ids.extend(tail.7.iter().cloned());
    }
    let user_names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(user_ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let name_of =
        |map: &HashMap<String, String>, id: &str| map.get(id).cloned().unwrap_or_default();

    rows.into_iter()
        .map(|(head, text, tail, patient_row)| {
            let (id, _patient_id, sender, receiver, created_by, state) = head;
            let (rule_set, created_at, updated_at, sent_at, sent_by, due, ack_at, ack_by, version) =
                tail;
            let patient = crate::patients::from_row(patient_row)?;
            let due = due
                .map(|d| {
                    d.parse::<jiff::civil::Date>()
                        .map_err(|_| StoreError::Corrupt("due date".into()))
                })
                .transpose()?;
            let state = match (state.as_str(), sent_at, due, ack_at, &ack_by) {
                ("utkast", None, None, None, None) => RequestState::Draft,
                ("skickad", Some(sent), Some(due), None, None) => RequestState::Sent {
                    sent_at: from_millis(sent)?,
                    due,
                },
                ("kvitterad", Some(sent), Some(due), Some(ack), Some(by)) => {
                    RequestState::Acknowledged {
                        sent_at: from_millis(sent)?,
                        due,
                        acknowledged_at: from_millis(ack)?,
                        acknowledged_by: by.clone(),
                    }
                }
                _ => return Err(StoreError::Corrupt("request state".into())),
            };
            let (
                situation,
                background,
                current_assessment,
                recommendation,
                fdn,
                fdp,
                pn,
                pp,
                ccn,
                ccp,
                hcn,
                hcp,
            ) = text;
            Ok(CareRequest {
                text: CareRequestInput {
                    personnummer: patient.personnummer.expose(),
                    patient_name: patient.name.clone(),
                    home_municipality: patient.home_municipality.to_string(),
                    situation,
                    background,
                    current_assessment,
                    recommendation,
                    fixed_doctor_name: fdn,
                    fixed_doctor_phone: fdp,
                    prescriber_name: pn,
                    prescriber_phone: pp,
                    care_contact_name: ccn,
                    care_contact_phone: ccp,
                    health_centre_name: hcn,
                    health_centre_phone: hcp,
                },
                patient,
                sender_unit_name: name_of(&unit_names, &sender),
                receiver_unit_name: name_of(&unit_names, &receiver),
                sender_unit_id: sender,
                receiver_unit_id: receiver,
                created_by_name: name_of(&user_names, &created_by),
                state,
                acknowledged_by_name: ack_by.as_deref().map(|id| name_of(&user_names, id)),
                sent_by_name: sent_by.as_deref().map(|id| name_of(&user_names, id)),
                id,
                rule_set,
                created_at: from_millis(created_at)?,
                updated_at: from_millis(updated_at)?,
                version,
            })
        })
        .collect()
}

type TextColumns<'a> = (
    Eq<care_requests::situation, &'a String>,
    Eq<care_requests::background, &'a String>,
    Eq<care_requests::current_assessment, &'a String>,
    Eq<care_requests::recommendation, &'a String>,
    Eq<care_requests::fixed_doctor_name, &'a String>,
    Eq<care_requests::fixed_doctor_phone, &'a String>,
    Eq<care_requests::prescriber_name, &'a String>,
    Eq<care_requests::prescriber_phone, &'a String>,
    Eq<care_requests::care_contact_name, &'a String>,
    Eq<care_requests::care_contact_phone, &'a String>,
    Eq<care_requests::health_centre_name, &'a String>,
    Eq<care_requests::health_centre_phone, &'a String>,
);

/// The free-text columns of a request, for inserting and for updating a draft alike.
fn text_columns(t: &CareRequestInput) -> TextColumns<'_> {
    (
        care_requests::situation.eq(&t.situation),
        care_requests::background.eq(&t.background),
        care_requests::current_assessment.eq(&t.current_assessment),
        care_requests::recommendation.eq(&t.recommendation),
        care_requests::fixed_doctor_name.eq(&t.fixed_doctor_name),
        care_requests::fixed_doctor_phone.eq(&t.fixed_doctor_phone),
        care_requests::prescriber_name.eq(&t.prescriber_name),
        care_requests::prescriber_phone.eq(&t.prescriber_phone),
        care_requests::care_contact_name.eq(&t.care_contact_name),
        care_requests::care_contact_phone.eq(&t.care_contact_phone),
        care_requests::health_centre_name.eq(&t.health_centre_name),
        care_requests::health_centre_phone.eq(&t.health_centre_phone),
    )
}

enum Filter<'a> {
    Id(&'a str),
    Unit(&'a str),
}

fn log(
    conn: &mut DbConnection,
    actor: &Actor,
    request: &CareRequest,
    action: AccessAction,
    now: Timestamp,
) -> Result<(), StoreError> {
    access_log::record(
        conn,
        actor,
        Access {
            patient_id: Some(&request.patient.id),
            action,
            object_type: OBJECT_TYPE,
            object_id: &request.id,
            outcome: AccessOutcome::Allowed,
        },
        now,
    )
}

/// Opens one request for the actor. `None` means "not found" for a request that is missing and
/// for one the actor's unit is not party to alike, so existence does not leak; the denial is
/// logged. It is `Ok(None)`, not an error, so that the caller's transaction commits the log entry.
pub fn open(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: Timestamp,
) -> Result<Option<(CareRequest, Side)>, StoreError> {
    let found = load(conn, Filter::Id(id))?.into_iter().next();
    let side = found.as_ref().and_then(|r| r.side_for(&actor.unit_id));
    match (found, side) {
        (Some(request), Some(side)) => {
            log(conn, actor, &request, AccessAction::Read, now)?;
            Ok(Some((request, side)))
        }
        (found, _) => {
            access_log::record(
                conn,
                actor,
                Access {
                    patient_id: found.as_ref().map(|r| r.patient.id.as_str()),
                    action: AccessAction::Read,
                    object_type: OBJECT_TYPE,
                    object_id: id,
                    outcome: AccessOutcome::Denied,
                },
                now,
            )?;
            Ok(None)
        }
    }
}

/// All requests the actor's unit has sent, and all non-draft requests it has received.
/// Each listed request is a read of patient data and is logged.
pub fn list_for_unit(
    conn: &mut DbConnection,
    actor: &Actor,
    now: Timestamp,
) -> Result<Vec<CareRequest>, StoreError> {
    let requests = load(conn, Filter::Unit(&actor.unit_id))?;
    for request in &requests {
        log(conn, actor, request, AccessAction::Read, now)?;
    }
    Ok(requests)
}

/// Creates a draft (utkast) from validated content, creating or updating the patient record.
pub fn create_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    content: &CareRequestContent,
    receiver_unit_id: &str,
    rule_set: &str,
    now: Timestamp,
) -> Result<CareRequest, StoreError> {
    let patient = crate::patients::upsert(
        conn,
        &content.personnummer,
        &content.patient_name,
        content.home_municipality,
        now,
    )?;
    let id = new_id();
    let t = &content.text;
    diesel::insert_into(care_requests::table)
        .values((
            (
                care_requests::id.eq(&id),
                care_requests::patient_id.eq(&patient.id),
                care_requests::sender_unit_id.eq(&actor.unit_id),
                care_requests::receiver_unit_id.eq(receiver_unit_id),
                care_requests::created_by.eq(&actor.user_id),
                care_requests::state.eq(RequestState::Draft.code()),
            ),
            text_columns(t),
            (
                care_requests::rule_set.eq(rule_set),
                care_requests::created_at.eq(to_millis(now)),
                care_requests::updated_at.eq(to_millis(now)),
                care_requests::version.eq(1i64),
            ),
        ))
        .execute(conn)?;
    let request = load(conn, Filter::Id(&id))?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)?;
    log(conn, actor, &request, AccessAction::Create, now)?;
    Ok(request)
}

/// Replaces the content of a draft (utkast). Only drafts can be edited; `expected_version`
/// guards against overwriting someone else's change.
pub fn update_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    request: &CareRequest,
    expected_version: i64,
    content: &CareRequestContent,
    receiver_unit_id: &str,
    now: Timestamp,
) -> Result<CareRequest, StoreError> {
    if request.state != RequestState::Draft {
        return Err(StoreError::Conflict);
    }
    let patient = crate::patients::upsert(
        conn,
        &content.personnummer,
        &content.patient_name,
        content.home_municipality,
        now,
    )?;
    let t = &content.text;
    let updated = diesel::update(
        care_requests::table
            .filter(care_requests::id.eq(&request.id))
            .filter(care_requests::version.eq(expected_version))
            .filter(care_requests::state.eq(RequestState::Draft.code())),
    )
    .set((
        (
            care_requests::patient_id.eq(&patient.id),
            care_requests::receiver_unit_id.eq(receiver_unit_id),
            care_requests::updated_at.eq(to_millis(now)),
            care_requests::version.eq(expected_version + 1),
        ),
        text_columns(t),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    let saved = load(conn, Filter::Id(&request.id))?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)?;
    log(conn, actor, &saved, AccessAction::Update, now)?;
    Ok(saved)
}

/// Stores a state transition decided by the domain. `expected_version` is the version the actor
/// saw; if someone else changed the request since, nothing is written and `Conflict` returned.
pub fn save_transition(
    conn: &mut DbConnection,
    actor: &Actor,
    request: &CareRequest,
    expected_version: i64,
    new_state: &RequestState,
    now: Timestamp,
) -> Result<CareRequest, StoreError> {
    let target = care_requests::table
        .filter(care_requests::id.eq(&request.id))
        .filter(care_requests::version.eq(expected_version));
    let changes = (
        care_requests::state.eq(new_state.code()),
        care_requests::updated_at.eq(to_millis(now)),
        care_requests::version.eq(expected_version + 1),
    );
    let updated = match new_state {
        RequestState::Draft => {
            return Err(StoreError::Corrupt(
                "a request cannot return to draft".into(),
            ));
        }
        RequestState::Sent { sent_at, due } => diesel::update(target)
            .set((
                changes,
                care_requests::sent_at.eq(Some(to_millis(*sent_at))),
                care_requests::sent_by.eq(Some(&actor.user_id)),
                care_requests::acknowledgement_due.eq(Some(due.to_string())),
            ))
            .execute(conn)?,
        RequestState::Acknowledged {
            acknowledged_at,
            acknowledged_by,
            ..
        } => diesel::update(target)
            .set((
                changes,
                care_requests::acknowledged_at.eq(Some(to_millis(*acknowledged_at))),
                care_requests::acknowledged_by.eq(Some(acknowledged_by)),
            ))
            .execute(conn)?,
    };
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    let saved = load(conn, Filter::Id(&request.id))?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)?;
    log(conn, actor, &saved, AccessAction::Update, now)?;
    Ok(saved)
}

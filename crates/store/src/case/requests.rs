//! Ärenden: a case opened by a *Begäran om hälso- och sjukvård i hemmet* — storage, visibility,
//! state transitions with their events, and access logging.
//!
//! Every function that reads or writes a case takes the acting user and writes the
//! access-log entry itself, in the caller's transaction, so no caller can forget it.

use super::list_entries::{self, HANDED_ON};
use crate::access_log::{self, Access, Actor, Logged};
use crate::schema::{
    care_requests, case_events, case_patients, case_proposals, case_receipts, emergency_accesses,
    follow_up_due, patients, units, users,
};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::dsl::Eq;
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::protected_identity::contact_shown;
use samsyn_domain::{
    AccessAction, AccessOutcome, Action, CareRequestContent, CareRequestInput, CaseRelation,
    CaseState, DecisionOutcome, Dispatch, Parties, Receipt, RouteGroup, Side, TrackDetails,
    Verdict, need_to_know,
};
use std::collections::HashMap;

pub const OBJECT_TYPE: &str = "arende";

/// A stored case with the names a reader needs.
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
    pub state: CaseState,
    pub track: TrackDetails,
    /// Gemensam planering senast, after a decision to enroll until planning is done.
    pub planning_due: Option<Date>,
    /// The next follow-up of the fastställd medicinsk behandlingsplan.
    pub follow_up_due: Option<Date>,
    pub acknowledged_by_name: Option<String>,
    pub sent_by_name: Option<String>,
    pub rule_set: String,
    /// Samtycke, or the basis for sending without it; `None` only in a draft not yet given one.
    pub consent: Option<crate::case::consent::RecordedConsent>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

impl CareRequest {
    /// Who the case is between: both parties, or the rehab team alone on an egenvårdsbegäran
    /// it registered itself.
    pub fn parties(&self) -> Parties {
        Parties::of(&self.sender_unit_id, &self.receiver_unit_id)
    }

    /// Whether the rehab team registered the person's own request itself (the template's test).
    pub fn registered_by_team(&self) -> bool {
        self.parties() == Parties::RehabTeamAlone
    }

    /// The case without the person's address and telephone unless `shown`
    /// (`protected_identity::contact_shown`).
    fn with_contact_if(mut self, shown: bool) -> Self {
        if !shown {
            self.text.patient_address.clear();
            self.text.patient_phone.clear();
        }
        self
    }

    /// The case as a list shows it: a protected person's address and telephone are never in a
    /// list.
    pub(crate) fn listed(self) -> Self {
        let shown = !self.patient.protected_identity;
        self.with_contact_if(shown)
    }
}

type Head = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);
type Text = (
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
);
type Tail = (
    String,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    i64,
    Option<String>,
);
/// The names the case's units and users go by: sender, receiver, creator, who sent, who
/// acknowledged.
type Names = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
/// The person as the request stated them (name, home municipality, address, telephone), the
/// open proposal's side and outcome, and the next follow-up.
type Joined = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
type Row = (Head, Text, Tail, crate::patients::Row, Names, Joined);

enum Filter<'a> {
    Id(&'a str),
    /// A page of a list, found by `case::listing`.
    Ids(&'a [String]),
    /// The person's sent cases, whoever has them.
    SentOfPatient(&'a str),
}

/// The `state` column's value. A proposal leaves the case where it was until the other party
/// answers: *beslut föreslaget* is stored as `under_bedomning` with `proposed_outcome`, *avslut
/// föreslaget* as `pagaende`, each with the proposing side in `case_proposals`.
fn stored_code(state: &CaseState) -> &'static str {
    match state {
        CaseState::DecisionProposed(..) => "under_bedomning",
        CaseState::ClosureProposed(..) => "pagaende",
        other => other.code(),
    }
}

/// Rebuilds the state from its columns; any combination the domain cannot represent is corrupt.
fn state_from_columns(
    code: &str,
    sent_at: Option<i64>,
    due: Option<Date>,
    acknowledged: Option<(i64, String)>,
    outcome: Option<&str>,
    proposal: (Option<&str>, Option<&str>),
) -> Result<CaseState, StoreError> {
    let corrupt = || StoreError::Corrupt("case state".into());
    if code == "utkast" {
        return if sent_at.is_none() && acknowledged.is_none() {
            Ok(CaseState::Draft)
        } else {
            Err(corrupt())
        };
    }
    let dispatch = Dispatch {
        sent_at: from_millis(sent_at.ok_or_else(corrupt)?)?,
        due: due.ok_or_else(corrupt)?,
    };
    let receipt = acknowledged
        .map(|(at, by)| {
            Ok::<_, StoreError>(Receipt {
                acknowledged_at: from_millis(at)?,
                acknowledged_by: by,
            })
        })
        .transpose()?;
    let outcome = outcome
        .map(|o| DecisionOutcome::from_code(o).ok_or_else(corrupt))
        .transpose()?;
    let proposed_by = proposal
        .0
        .map(|s| Side::from_code(s).ok_or_else(corrupt))
        .transpose()?;
    let proposed_outcome = proposal
        .1
        .map(|o| DecisionOutcome::from_code(o).ok_or_else(corrupt))
        .transpose()?;
    let proposes_decision = code == "under_bedomning" && proposed_by.is_some();
    let proposes_closure = code == "pagaende" && proposed_by.is_some();
    if (proposed_by.is_some() && !proposes_decision && !proposes_closure)
        || proposes_decision != proposed_outcome.is_some()
    {
        return Err(corrupt());
    }
    Ok(match (code, receipt, outcome) {
        ("skickad", None, None) => CaseState::Sent(dispatch),
        ("vidarebefordrad", None, None) => CaseState::Forwarded(dispatch),
        ("aterkallad", receipt, None) => CaseState::Withdrawn(dispatch, receipt),
        ("kvitterad", Some(r), None) => CaseState::Acknowledged(dispatch, r),
        ("under_bedomning", Some(r), None) => match (proposed_outcome, proposed_by) {
            (Some(outcome), Some(side)) => CaseState::DecisionProposed(dispatch, r, outcome, side),
            _ => CaseState::UnderAssessment(dispatch, r),
        },
        ("beslutad", Some(r), Some(o)) => CaseState::Decided(dispatch, r, o),
        ("planerad", Some(r), None) => CaseState::Planned(dispatch, r),
        ("pagaende", Some(r), None) => match proposed_by {
            Some(side) => CaseState::ClosureProposed(dispatch, r, side),
            None => CaseState::Ongoing(dispatch, r),
        },
        ("avslutad", Some(r), None) => CaseState::Closed(dispatch, r),
        _ => return Err(corrupt()),
    })
}

/// The cases the filter names, each read in one statement with its units' and users' names,
/// the person as the request stated them, an open proposal and the next follow-up (all at most
/// one row a case), then their consents in one more: two statements (round trips to
/// PostgreSQL) for a case or a page of them, where each of these lookups was one.
fn load(conn: &mut DbConnection, filter: Filter<'_>) -> Result<Vec<CareRequest>, StoreError> {
    let (sender_units, receiver_units, creators, senders, acknowledgers) = diesel::alias!(
        units as sender_units,
        units as receiver_units,
        users as creators,
        users as senders,
        users as acknowledgers
    );
    let mut query = care_requests::table
        .inner_join(patients::table)
        .left_join(
            sender_units.on(sender_units
                .field(units::id)
                .eq(care_requests::sender_unit_id)),
        )
        .left_join(
            receiver_units.on(receiver_units
                .field(units::id)
                .eq(care_requests::receiver_unit_id)),
        )
        .left_join(creators.on(creators.field(users::id).eq(care_requests::created_by)))
        .left_join(
            senders.on(senders
                .field(users::id)
                .nullable()
                .eq(care_requests::sent_by)),
        )
        .left_join(
            acknowledgers.on(acknowledgers
                .field(users::id)
                .nullable()
                .eq(care_requests::acknowledged_by)),
        )
        .left_join(case_patients::table.on(case_patients::case_id.eq(care_requests::id)))
        .left_join(case_proposals::table.on(case_proposals::case_id.eq(care_requests::id)))
        .left_join(follow_up_due::table.on(follow_up_due::case_id.eq(care_requests::id)))
        .select((
            (
                care_requests::id,
                care_requests::sender_unit_id,
                care_requests::receiver_unit_id,
                care_requests::state,
                care_requests::track,
                care_requests::track_details,
                care_requests::decision_outcome,
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
                care_requests::planning_due,
            ),
            crate::patients::COLUMNS,
            (
                sender_units.field(units::name).nullable(),
                receiver_units.field(units::name).nullable(),
                creators.field(users::display_name).nullable(),
                senders.field(users::display_name).nullable(),
                acknowledgers.field(users::display_name).nullable(),
            ),
            (
                case_patients::name.nullable(),
                case_patients::home_municipality.nullable(),
                case_patients::address.nullable(),
                case_patients::phone.nullable(),
                case_proposals::side.nullable(),
                case_proposals::outcome.nullable(),
                follow_up_due::due_on.nullable(),
            ),
        ))
        .order(care_requests::created_at.desc())
        .into_boxed();
    match filter {
        Filter::Id(id) => {
            query = query.filter(care_requests::id.eq(id.to_owned()));
        }
        Filter::Ids(ids) => {
            query = query.filter(care_requests::id.eq_any(ids));
        }
        Filter::SentOfPatient(patient) => {
            query = query
                .filter(care_requests::patient_id.eq(patient.to_owned()))
                .filter(care_requests::state.ne(CaseState::Draft.code()));
        }
    }
    let rows: Vec<Row> = query.load(conn)?;
    let case_ids: Vec<&String> = rows.iter().map(|(head, ..)| &head.0).collect();
    let mut consents = crate::case::consent::of_cases(conn, &case_ids)?;

    rows.into_iter()
        .map(|(head, text, tail, patient_row, names, joined)| {
            let (id, sender, receiver, state, track_code, details, outcome) = head;
            let (
                rule_set,
                created_at,
                updated_at,
                sent_at,
                sent_by,
                due,
                ack_at,
                ack_by,
                version,
                planning,
            ) = tail;
            let (sender_name, receiver_name, creator_name, sent_by_name, acknowledged_by_name) =
                names;
            let (stated_name, stated_home, stated_address, stated_phone, side, proposed, follow_up) =
                joined;
            let planning_due = planning
                .map(|d| {
                    d.parse::<Date>()
                        .map_err(|_| StoreError::Corrupt("planning date".into()))
                })
                .transpose()?;
            let follow_up_due = follow_up
                .map(|d| {
                    d.parse::<Date>()
                        .map_err(|_| StoreError::Corrupt("follow-up date".into()))
                })
                .transpose()?;
            let mut patient = crate::patients::from_row(patient_row)?;
            // The case shows the person as its own request stated them.
            let (mut patient_address, mut patient_phone) = (String::new(), String::new());
            if let (Some(name), Some(home), Some(address), Some(phone)) =
                (stated_name, stated_home, stated_address, stated_phone)
            {
                patient.name = name;
                patient.home_municipality = samsyn_domain::MunicipalityCode::parse(&home)
                    .ok_or_else(|| StoreError::Corrupt("case home municipality".into()))?;
                (patient_address, patient_phone) = (address, phone);
            }
            let due = due
                .map(|d| {
                    d.parse::<Date>()
                        .map_err(|_| StoreError::Corrupt("due date".into()))
                })
                .transpose()?;
            let acknowledged = ack_at.zip(ack_by.clone());
            let state = state_from_columns(
                &state,
                sent_at,
                due,
                acknowledged,
                outcome.as_deref(),
                (side.as_deref(), proposed.as_deref()),
            )?;
            let track: TrackDetails = serde_json::from_str(&details)
                .map_err(|_| StoreError::Corrupt("track details".into()))?;
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
            let mut text = CareRequestInput {
                personnummer: patient.person_id.expose(),
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
                track: track_code,
                patient_address,
                patient_phone,
                protected_identity: if patient.protected_identity {
                    "ja".to_owned()
                } else {
                    String::new()
                },
                ..CareRequestInput::default()
            };
            track.fill_intake(&mut text);
            let consent = consents.remove(&id);
            if let Some(recorded) = &consent {
                recorded.fill_input(&mut text);
            }
            Ok(CareRequest {
                consent,
                text,
                patient,
                sender_unit_name: sender_name.unwrap_or_default(),
                receiver_unit_name: receiver_name.unwrap_or_default(),
                sender_unit_id: sender,
                receiver_unit_id: receiver,
                created_by_name: creator_name.unwrap_or_default(),
                state,
                track,
                planning_due,
                follow_up_due,
                acknowledged_by_name: ack_by.as_ref().map(|_| acknowledged_by_name.unwrap_or_default()),
                sent_by_name: sent_by.as_ref().map(|_| sent_by_name.unwrap_or_default()),
                id,
                rule_set,
                created_at: from_millis(created_at)?,
                updated_at: from_millis(updated_at)?,
                version,
            })
        })
        .collect()
}

fn details_json(details: &TrackDetails) -> Result<String, StoreError> {
    serde_json::to_string(details).map_err(|_| StoreError::Corrupt("track details".into()))
}

pub(crate) fn log(
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

/// Logs a read of the case; under a nödåtkomst opening, the entry names the opening.
pub(crate) fn log_read(
    conn: &mut DbConnection,
    actor: &Actor,
    request: &CareRequest,
    emergency_opening: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let access = read_access(request);
    match emergency_opening {
        Some(opening) => access_log::record_in_emergency(conn, actor, access, opening, now),
        None => access_log::record(conn, actor, access, now),
    }
}

/// A permitted read of the case.
fn read_access(request: &CareRequest) -> Access<'_> {
    Access {
        patient_id: Some(&request.patient.id),
        action: AccessAction::Read,
        object_type: OBJECT_TYPE,
        object_id: &request.id,
        outcome: AccessOutcome::Allowed,
    }
}

/// Adds an entry to the case's timeline (händelselogg).
pub(crate) fn add_event(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    kind: &str,
    states: Option<(&str, &str)>,
    note: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(case_events::table)
        .values((
            case_events::id.eq(new_id()),
            case_events::case_id.eq(case_id),
            case_events::at.eq(to_millis(now)),
            case_events::user_id.eq(&actor.user_id),
            case_events::unit_id.eq(&actor.unit_id),
            case_events::kind.eq(kind),
            case_events::from_state.eq(states.map(|s| s.0)),
            case_events::to_state.eq(states.map(|s| s.1)),
            case_events::note.eq(note),
        ))
        .execute(conn)?;
    Ok(())
}

/// The units that had the case and handed it on (tidigare mottagare, or the hospital after a
/// handover to the vårdcentral).
fn earlier_receivers(conn: &mut DbConnection, case_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(case_events::table
        .filter(case_events::case_id.eq(case_id))
        // Two comparisons rather than `eq_any`, which Diesel prepares anew at every use on
        // SQLite; every access check asks this.
        .filter(
            case_events::kind
                .eq(HANDED_ON[0])
                .or(case_events::kind.eq(HANDED_ON[1])),
        )
        .select(case_events::unit_id)
        .distinct()
        .load(conn)?)
}

/// The person's sent cases, for opening them by nödåtkomst (which logs each).
pub(crate) fn sent_cases_of_patient(
    conn: &mut DbConnection,
    patient_id: &str,
) -> Result<Vec<CareRequest>, StoreError> {
    Ok(load(conn, Filter::SentOfPatient(patient_id))?
        .into_iter()
        .map(CareRequest::listed)
        .collect())
}

/// The case as `relation_of` needs it: id, sender, receiver, whether sent, and its person.
type CaseKeys<'a> = (&'a str, &'a str, &'a str, bool, &'a str);

/// How an actor relates to a case: whether her unit sent it, has it, had it, or belongs to one
/// of its parties or to neither; a clinician outside its care with a lasting emergency opening
/// of its person has `Emergency`, and the opening is returned with it (for the log). A case that
/// does not exist is `NoCase`.
fn relation_of(
    conn: &mut DbConnection,
    actor: &Actor,
    case: Option<CaseKeys<'_>>,
    now: Timestamp,
) -> Result<(CaseRelation, Option<String>), StoreError> {
    let Some((case_id, sender, receiver, received, patient_id)) = case else {
        return Ok((CaseRelation::NoCase, None));
    };
    let relation = unit_relation(conn, &actor.unit_id, (case_id, sender, receiver, received))?;
    if relation.is_in_care() || !samsyn_domain::emergency_access::may_use(actor.role) {
        return Ok((relation, None));
    }
    Ok(
        match lasting_opening(conn, &actor.user_id, patient_id, now)? {
            Some(opening) => (CaseRelation::Emergency, Some(opening)),
            None => (relation, None),
        },
    )
}

/// The user's nödåtkomst opening of this person that lasts at `now`, if any (the newest).
fn lasting_opening(
    conn: &mut DbConnection,
    user_id: &str,
    patient_id: &str,
    now: Timestamp,
) -> Result<Option<String>, StoreError> {
    Ok(emergency_accesses::table
        .filter(emergency_accesses::user_id.eq(user_id))
        .filter(emergency_accesses::patient_id.eq(patient_id))
        .filter(emergency_accesses::opened_at.le(to_millis(now)))
        .filter(emergency_accesses::expires_at.gt(to_millis(now)))
        .order(emergency_accesses::opened_at.desc())
        .select(emergency_accesses::id)
        .first(conn)
        .optional()?)
}

/// How a unit relates to a case by the case's units and parties alone.
fn unit_relation(
    conn: &mut DbConnection,
    unit_id: &str,
    (case_id, sender, receiver, received): (&str, &str, &str, bool),
) -> Result<CaseRelation, StoreError> {
    if let Some(own) = CaseRelation::of_case_unit(unit_id, sender, receiver, received) {
        return Ok(own);
    }
    let [party, sender_party, receiver_party] =
        crate::units::parties_of(conn, [unit_id, sender, receiver])?;
    let earlier = earlier_receivers(conn, case_id)?;
    Ok(CaseRelation::of(
        (unit_id, &party),
        &need_to_know::CaseParties {
            sender: (sender, &sender_party),
            receiver: (receiver, &receiver_party),
            received,
            earlier_receivers: earlier.iter().map(String::as_str).collect(),
        },
    ))
}

/// How the actor relates to the case, and the case's patient (to log a refusal with). For the
/// access check that runs before a request's body is read.
pub fn relation(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    now: Timestamp,
) -> Result<(CaseRelation, Option<String>), StoreError> {
    let found: Option<(String, String, String, String)> = care_requests::table
        .find(case_id)
        .select((
            care_requests::sender_unit_id,
            care_requests::receiver_unit_id,
            care_requests::state,
            care_requests::patient_id,
        ))
        .get_result(conn)
        .optional()?;
    let (relation, _) = relation_of(
        conn,
        actor,
        found.as_ref().map(|(sender, receiver, state, patient)| {
            (
                case_id,
                sender.as_str(),
                receiver.as_str(),
                state != CaseState::Draft.code(),
                patient.as_str(),
            )
        }),
        now,
    )?;
    Ok((relation, found.map(|(_, _, _, patient)| patient)))
}

/// The route group an attempted action on a case belongs to.
fn group_for(attempted: AccessAction) -> RouteGroup {
    match attempted {
        AccessAction::Create | AccessAction::Update => RouteGroup::CaseWrite,
        AccessAction::Read | AccessAction::List | AccessAction::Print | AccessAction::Export => {
            RouteGroup::CaseRead
        }
    }
}

/// Opens one case for the actor, who means to do `attempted` with it (read or export, or an
/// update that the caller then stores). Whether that is allowed is the access matrix's answer
/// for the actor's role and the unit's relation to the case (`need_to_know::verdict`); an
/// update needs the sender or the receiver, so the relation then always has a side.
///
/// `None` means "not found" for a case that is missing and for one the actor may not reach
/// alike, so existence does not leak; the denial is logged with the attempted action. It is
/// `Ok(None)`, not an error, so that the caller's transaction commits the log entry.
pub fn open(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    attempted: AccessAction,
    now: Timestamp,
) -> Result<Option<(CareRequest, CaseRelation)>, StoreError> {
    open_logged(conn, actor, id, attempted, now)?.record(conn)
}

/// As [`open`], with the access not yet logged: for a read on a reader, whose entry the log
/// writer commits with other reads' (`LoggedReads`).
pub fn open_logged(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    attempted: AccessAction,
    now: Timestamp,
) -> Result<Logged<Option<(CareRequest, CaseRelation)>>, StoreError> {
    let found = load(conn, Filter::Id(id))?.into_iter().next();
    let (relation, opening) = relation_of(
        conn,
        actor,
        found.as_ref().map(|r| {
            (
                r.id.as_str(),
                r.sender_unit_id.as_str(),
                r.receiver_unit_id.as_str(),
                r.state != CaseState::Draft,
                r.patient.id.as_str(),
            )
        }),
        now,
    )?;
    let allowed =
        need_to_know::verdict(group_for(attempted), actor.role, relation) == Verdict::Sees;
    Ok(match found {
        Some(request) if allowed => {
            let mut logged = Logged::new(());
            logged.add_in(actor, read_access(&request), opening.as_deref(), now);
            let shown = contact_shown(request.patient.protected_identity, relation);
            logged.map(|()| Some((request.with_contact_if(shown), relation)))
        }
        found => {
            let mut logged = Logged::new(());
            logged.add(
                actor,
                Access {
                    patient_id: found.as_ref().map(|r| r.patient.id.as_str()),
                    action: attempted,
                    object_type: OBJECT_TYPE,
                    object_id: id,
                    outcome: AccessOutcome::Denied,
                },
                now,
            );
            logged.map(|()| None)
        }
    })
}

/// The cases with these ids (a page's worth), by id; not logged, the caller logs what it shows.
/// An empty page (a filter that matches nothing) asks nothing: PostgreSQL plans the case read
/// anew for every empty array, 2 to 6 ms each time against 0.3 ms to run it.
pub(crate) fn load_ids(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<HashMap<String, CareRequest>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(load(conn, Filter::Ids(ids))?
        .into_iter()
        .map(|case| (case.id.clone(), case))
        .collect())
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

/// The free-text columns of a case, for inserting and for updating a draft alike.
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

pub(crate) fn reload(conn: &mut DbConnection, id: &str) -> Result<CareRequest, StoreError> {
    load(conn, Filter::Id(id))?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)
}

/// Keeps the person's name and home municipality as this request states them.
fn state_patient(
    conn: &mut DbConnection,
    case_id: &str,
    content: &CareRequestContent,
) -> Result<(), StoreError> {
    diesel::delete(case_patients::table.find(case_id)).execute(conn)?;
    diesel::insert_into(case_patients::table)
        .values((
            case_patients::case_id.eq(case_id),
            case_patients::name.eq(&content.patient_name),
            case_patients::home_municipality.eq(content.home_municipality.as_str()),
            case_patients::address.eq(&content.text.patient_address),
            case_patients::phone.eq(&content.text.patient_phone),
        ))
        .execute(conn)?;
    Ok(())
}

/// Creates a draft (utkast) from validated content, creating the person or adding a version of
/// their registered data.
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
        actor,
        &content.person_id,
        &content.patient_name,
        content.home_municipality,
        now,
    )?;
    if content.protected_identity {
        crate::patients::mark_protected(conn, actor, &patient, now)?;
    }
    let id = new_id();
    diesel::insert_into(care_requests::table)
        .values((
            (
                care_requests::id.eq(&id),
                care_requests::patient_id.eq(&patient.id),
                care_requests::sender_unit_id.eq(&actor.unit_id),
                care_requests::receiver_unit_id.eq(receiver_unit_id),
                care_requests::created_by.eq(&actor.user_id),
                care_requests::state.eq(CaseState::Draft.code()),
                care_requests::track.eq(content.track.track().code()),
                care_requests::track_details.eq(details_json(&content.track)?),
            ),
            text_columns(&content.text),
            (
                care_requests::rule_set.eq(rule_set),
                care_requests::created_at.eq(to_millis(now)),
                care_requests::updated_at.eq(to_millis(now)),
                care_requests::version.eq(1i64),
            ),
        ))
        .execute(conn)?;
    state_patient(conn, &id, content)?;
    crate::case::consent::save_for_draft(conn, actor, &id, content.consent.as_ref(), now)?;
    add_event(
        conn,
        actor,
        &id,
        "skapad",
        None,
        content.track.track().label(),
        now,
    )?;
    list_entries::refresh(conn, &id)?;
    let request = reload(conn, &id)?;
    log(conn, actor, &request, AccessAction::Create, now)?;
    Ok(request)
}

/// Registers an egenvårdsbegäran the person phoned in to the actor's rehab team: the case is
/// created with the team as both its units and stored in `registered` (received and under
/// assessment at once, from `CaseState::registered_by_team`), in one step the timeline shows.
pub fn register_egenvardsbegaran(
    conn: &mut DbConnection,
    actor: &Actor,
    content: &CareRequestContent,
    registered: &CaseState,
    rule_set: &str,
    now: Timestamp,
) -> Result<CareRequest, StoreError> {
    let (Some(dispatch), Some(receipt)) = (registered.dispatch(), registered.receipt()) else {
        return Err(StoreError::Corrupt(
            "a registered egenvårdsbegäran is received".into(),
        ));
    };
    let draft = create_draft(conn, actor, content, &actor.unit_id, rule_set, now)?;
    diesel::update(care_requests::table.find(&draft.id))
        .set((
            care_requests::state.eq(stored_code(registered)),
            care_requests::version.eq(draft.version + 1),
            care_requests::sent_at.eq(Some(to_millis(dispatch.sent_at))),
            care_requests::sent_by.eq(Some(&actor.user_id)),
            care_requests::acknowledgement_due.eq(Some(dispatch.due.to_string())),
            care_requests::acknowledged_at.eq(Some(to_millis(receipt.acknowledged_at))),
            care_requests::acknowledged_by.eq(Some(&receipt.acknowledged_by)),
        ))
        .execute(conn)?;
    record_receipt_day(conn, &draft.id, registered, dispatch.due)?;
    add_event(
        conn,
        actor,
        &draft.id,
        EGENVARDSBEGARAN_EVENT,
        Some((CaseState::Draft.code(), registered.code())),
        "Personen kontaktade rehabteamet själv.",
        now,
    )?;
    list_entries::refresh(conn, &draft.id)?;
    reload(conn, &draft.id)
}

/// Keeps `case_receipts` in step with the state: the day of the kvittens while the case has one
/// (kept from when it was given), none once a forward clears it.
fn record_receipt_day(
    conn: &mut DbConnection,
    case_id: &str,
    next: &CaseState,
    today: Date,
) -> Result<(), StoreError> {
    if next.receipt().is_none() {
        diesel::delete(case_receipts::table.find(case_id)).execute(conn)?;
        return Ok(());
    }
    let given = case_receipts::table
        .find(case_id)
        .select(case_receipts::case_id)
        .get_result::<String>(conn)
        .optional()?;
    if given.is_none() {
        diesel::insert_into(case_receipts::table)
            .values((
                case_receipts::case_id.eq(case_id),
                case_receipts::acknowledged_on.eq(today.to_string()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The timeline event of the rehab team's registration of an egenvårdsbegäran.
pub const EGENVARDSBEGARAN_EVENT: &str = "egenvardsbegaran";

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
    if request.state != CaseState::Draft {
        return Err(StoreError::Conflict);
    }
    let patient = crate::patients::upsert(
        conn,
        actor,
        &content.person_id,
        &content.patient_name,
        content.home_municipality,
        now,
    )?;
    if content.protected_identity {
        crate::patients::mark_protected(conn, actor, &patient, now)?;
    }
    let updated = diesel::update(
        care_requests::table
            .filter(care_requests::id.eq(&request.id))
            .filter(care_requests::version.eq(expected_version))
            .filter(care_requests::state.eq(CaseState::Draft.code())),
    )
    .set((
        (
            care_requests::patient_id.eq(&patient.id),
            care_requests::receiver_unit_id.eq(receiver_unit_id),
            care_requests::track.eq(content.track.track().code()),
            care_requests::track_details.eq(details_json(&content.track)?),
            care_requests::updated_at.eq(to_millis(now)),
            care_requests::version.eq(expected_version + 1),
        ),
        text_columns(&content.text),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    state_patient(conn, &request.id, content)?;
    crate::case::consent::save_for_draft(conn, actor, &request.id, content.consent.as_ref(), now)?;
    add_event(
        conn,
        actor,
        &request.id,
        "andrad",
        None,
        "Utkastet ändrades.",
        now,
    )?;
    list_entries::refresh(conn, &request.id)?;
    let saved = reload(conn, &request.id)?;
    log(conn, actor, &saved, AccessAction::Update, now)?;
    Ok(saved)
}

/// Stores what has been recorded for the case's track (criteria, SIP, ViSam facts, …).
pub fn update_track_details(
    conn: &mut DbConnection,
    actor: &Actor,
    request: &CareRequest,
    expected_version: i64,
    details: &TrackDetails,
    now: Timestamp,
) -> Result<CareRequest, StoreError> {
    if details.track() != request.track.track() {
        return Err(StoreError::Corrupt("a case cannot change track".into()));
    }
    let updated = diesel::update(
        care_requests::table
            .filter(care_requests::id.eq(&request.id))
            .filter(care_requests::version.eq(expected_version)),
    )
    .set((
        care_requests::track_details.eq(details_json(details)?),
        care_requests::updated_at.eq(to_millis(now)),
        care_requests::version.eq(expected_version + 1),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    add_event(
        conn,
        actor,
        &request.id,
        "spar",
        None,
        "Uppgifter för spåret registrerades.",
        now,
    )?;
    list_entries::refresh(conn, &request.id)?;
    let saved = reload(conn, &request.id)?;
    log(conn, actor, &saved, AccessAction::Update, now)?;
    Ok(saved)
}

/// A step decided by the domain, ready to be stored.
#[derive(Debug, Clone, Copy)]
pub struct Transition<'a> {
    pub action: Action,
    pub next: &'a CaseState,
    /// A forward names the new receiving unit; a handover to the vårdcentral the new sending
    /// unit.
    pub new_unit: Option<&'a str>,
    /// Free text for the timeline, e.g. why the case was withdrawn.
    pub note: &'a str,
    /// The rule set in force; recorded when a step fixes a deadline (send, forward).
    pub rule_set: &'a str,
    /// Gemensam planering senast, set by a decision to enroll.
    pub planning_due: Option<Date>,
    /// The local day of the step; a kvittens is recorded as given on it.
    pub today: Date,
}

/// Stores a step with its timeline event. `expected_version` is the version the actor saw; if
/// someone changed the case since, nothing is written and `Conflict` is returned.
pub fn save_transition(
    conn: &mut DbConnection,
    actor: &Actor,
    request: &CareRequest,
    expected_version: i64,
    step: &Transition<'_>,
    now: Timestamp,
) -> Result<CareRequest, StoreError> {
    let dispatch = step.next.dispatch();
    let receipt = step.next.receipt();
    let updated = diesel::update(
        care_requests::table
            .filter(care_requests::id.eq(&request.id))
            .filter(care_requests::version.eq(expected_version)),
    )
    .set((
        (
            care_requests::state.eq(stored_code(step.next)),
            care_requests::updated_at.eq(to_millis(now)),
            care_requests::version.eq(expected_version + 1),
            care_requests::receiver_unit_id.eq(match step.action {
                Action::Forward => step.new_unit.unwrap_or(&request.receiver_unit_id),
                _ => &request.receiver_unit_id,
            }),
            care_requests::sender_unit_id.eq(match step.action {
                Action::HandOver => step.new_unit.unwrap_or(&request.sender_unit_id),
                _ => &request.sender_unit_id,
            }),
        ),
        (
            care_requests::sent_at.eq(dispatch.map(|d| to_millis(d.sent_at))),
            care_requests::acknowledgement_due.eq(dispatch.map(|d| d.due.to_string())),
            care_requests::acknowledged_at.eq(receipt.map(|r| to_millis(r.acknowledged_at))),
            care_requests::acknowledged_by.eq(receipt.map(|r| r.acknowledged_by.clone())),
            care_requests::decision_outcome.eq(step.next.outcome().map(|o| o.code())),
            care_requests::planning_due.eq(match step.next {
                CaseState::Decided(_, _, DecisionOutcome::Enrolled) => {
                    step.planning_due.map(|d| d.to_string())
                }
                _ => None,
            }),
        ),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    diesel::delete(case_proposals::table.find(&request.id)).execute(conn)?;
    if let Some(side) = step.next.proposed_by() {
        diesel::insert_into(case_proposals::table)
            .values((
                case_proposals::case_id.eq(&request.id),
                case_proposals::side.eq(side.code()),
                case_proposals::outcome.eq(step.next.proposed_outcome().map(|o| o.code())),
            ))
            .execute(conn)?;
    }
    record_receipt_day(conn, &request.id, step.next, step.today)?;
    if matches!(step.action, Action::Send | Action::Forward) {
        diesel::update(care_requests::table.find(&request.id))
            .set((
                care_requests::sent_by.eq(Some(&actor.user_id)),
                care_requests::rule_set.eq(step.rule_set),
            ))
            .execute(conn)?;
    }
    let states = Some((request.state.code(), step.next.code()));
    add_event(
        conn,
        actor,
        &request.id,
        step.action.code(),
        states,
        step.note,
        now,
    )?;
    list_entries::refresh(conn, &request.id)?;
    let saved = reload(conn, &request.id)?;
    log(conn, actor, &saved, AccessAction::Update, now)?;
    Ok(saved)
}

/// One entry in a case's timeline.
#[derive(Debug, Clone)]
pub struct CaseEvent {
    pub at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
    pub kind: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub note: String,
}

/// The case's timeline, oldest first. The caller has opened the case (and so logged the read).
pub fn events(conn: &mut DbConnection, case_id: &str) -> Result<Vec<CaseEvent>, StoreError> {
    let rows = case_events::table
        .inner_join(users::table.on(users::id.eq(case_events::user_id)))
        .inner_join(units::table.on(units::id.eq(case_events::unit_id)))
        .filter(case_events::case_id.eq(case_id))
        .order((case_events::at.asc(), case_events::id.asc()))
        .select((
            case_events::at,
            users::display_name,
            units::name,
            case_events::kind,
            case_events::from_state,
            case_events::to_state,
            case_events::note,
        ))
        .load::<(
            i64,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
        )>(conn)?;
    rows.into_iter()
        .map(
            |(at, user_name, unit_name, kind, from_state, to_state, note)| {
                Ok(CaseEvent {
                    at: from_millis(at)?,
                    user_name,
                    unit_name,
                    kind,
                    from_state,
                    to_state,
                    note,
                })
            },
        )
        .collect()
}

/// Cases waiting for the unit's acknowledgement: for the header badge.
pub fn awaiting_acknowledgement(conn: &mut DbConnection, unit_id: &str) -> Result<i64, StoreError> {
    Ok(care_requests::table
        .filter(care_requests::receiver_unit_id.eq(unit_id))
        .filter(care_requests::state.eq_any(["skickad", "vidarebefordrad"]))
        .count()
        .get_result(conn)?)
}

/// Proposals (a decision or avslut) the other party has made and the unit's party must answer:
/// for the header badge.
pub fn awaiting_confirmation(conn: &mut DbConnection, unit_id: &str) -> Result<i64, StoreError> {
    let sent_by_unit = care_requests::table
        .filter(care_requests::sender_unit_id.eq(unit_id))
        .select(care_requests::id);
    let received_by_unit = care_requests::table
        .filter(care_requests::receiver_unit_id.eq(unit_id))
        .select(care_requests::id);
    let from_receiver: i64 = case_proposals::table
        .filter(case_proposals::case_id.eq_any(sent_by_unit))
        .filter(case_proposals::side.eq(Side::Receiver.code()))
        .count()
        .get_result(conn)?;
    let from_sender: i64 = case_proposals::table
        .filter(case_proposals::case_id.eq_any(received_by_unit))
        .filter(case_proposals::side.eq(Side::Sender.code()))
        .count()
        .get_result(conn)?;
    Ok(from_receiver + from_sender)
}

/// The object type of the log entry a search naming a person writes when the unit has no case
/// for that person.
pub const SEARCH_OBJECT_TYPE: &str = "sokning";

/// The last reason given for withdrawing the case or deciding against enrolling it.
pub fn status_reason(conn: &mut DbConnection, case_id: &str) -> Result<Option<String>, StoreError> {
    // The latest of these steps says why the case ended where it did; a later proposal to
    // enroll means the ej inskriven no longer stands.
    let latest: Option<(String, String)> = case_events::table
        .filter(case_events::case_id.eq(case_id))
        .filter(case_events::kind.eq_any([
            Action::Withdraw.code(),
            Action::ProposeDecision(DecisionOutcome::NotEnrolled).code(),
            Action::Decide(DecisionOutcome::NotEnrolled).code(),
            Action::ProposeDecision(DecisionOutcome::Enrolled).code(),
            Action::Disagree.code(),
        ]))
        .order((case_events::at.desc(), case_events::id.desc()))
        .select((case_events::kind, case_events::note))
        .first(conn)
        .optional()?;
    Ok(latest
        .filter(|(kind, note)| {
            kind != Action::ProposeDecision(DecisionOutcome::Enrolled).code() && !note.is_empty()
        })
        .map(|(_, note)| note))
}

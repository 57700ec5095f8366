//! The case workflow's use cases, shared by the HTML pages and the JSON API.
//!
//! Each use case runs in one database transaction. Domain refusals that come after an allowed
//! read are returned as `Ok(Err(..))` from the transaction, so the read's access-log entry is
//! committed while nothing else is written.

use crate::AppState;
use crate::shared::error::{Outcome, WorkflowError, check_text, flatten};
use crate::shared::idempotency::{Retry, reused};
use crate::shared::session::CurrentUser;
use samsyn_domain::care::closure::{ClosureProposal, decline_note};
use samsyn_domain::care::planning::{JointPlanning, PlanningInput};
use samsyn_domain::case::decision::{EnrollmentInput, EnrollmentTerms};
use samsyn_domain::case::track::{
    RehabInitiator, joint_planning_due, may_register_egenvardsbegaran,
};
use samsyn_domain::{
    AccessAction, Action, CareRequestInput, CaseRelation, CaseState, Completeness, DeadlineStatus,
    DecisionOutcome, FieldError, Parties, Party, Side, Step, Track,
};
use samsyn_store::access_log::Actor;
use samsyn_store::care::closure::{self as closure_store, Answer};
use samsyn_store::care::planning as planning_store;
use samsyn_store::case::listing::{
    self, CasePage, Counts, Criteria, DeadlineFilter, Horizon, Urgency,
};
use samsyn_store::case::requests::{self as care_requests, CareRequest, Transition};
use samsyn_store::case::work::{self as case_work, DecisionRecord};
use samsyn_store::disagreement::record as disagreement_record;
use samsyn_store::idempotency::{self, Claim};
use samsyn_store::{DbConnection, StoreError, units};
use serde::Deserialize;
use utoipa::ToSchema;

pub(crate) fn field_error(field: &'static str, message: &str) -> WorkflowError {
    WorkflowError::Invalid(vec![FieldError {
        field,
        message: message.to_owned(),
    }])
}

/// A submitted request, from the form or the JSON API: a new request, or new content for a
/// draft. With `send: true` it is sent at once and every field required for sending must be
/// filled in.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CareRequestBody {
    /// Personnummer or samordningsnummer, or for a person without either the region's
    /// reservnummer (the rule set's format, e.g. `19450829TB1F`).
    pub personnummer: String,
    pub patient_name: String,
    pub home_municipality: String,
    /// Where the care is given.
    pub patient_address: String,
    pub patient_phone: String,
    /// `ja` for skyddad identitet: the address and telephone are then shown only to the staff
    /// working the case.
    pub protected_identity: String,
    /// `primarvard` (default), `specialiserad`, `utskrivning` or `rehabilitering`.
    pub track: String,
    /// Track 2: `ja` for psychiatric medication handling.
    pub psychiatric_medication: String,
    /// Track 3: `gult` or `rott`.
    pub visam_colour: String,
    /// Track 3: `ÅÅÅÅ-MM-DD`.
    pub discharge_date: String,
    /// Rehabilitation: `egen`, `specialiserad` or `primarvard`.
    pub rehab_initiator: String,
    pub situation: String,
    pub background: String,
    pub current_assessment: String,
    pub recommendation: String,
    pub fixed_doctor_name: String,
    pub fixed_doctor_phone: String,
    pub prescriber_name: String,
    pub prescriber_phone: String,
    pub care_contact_name: String,
    pub care_contact_phone: String,
    pub health_centre_name: String,
    pub health_centre_phone: String,
    /// Samtycke: `samtycke`, or `grund` to send without consent on a recorded basis. Required
    /// to send.
    pub consent: String,
    /// Who gave consent: the person or their representative.
    pub consent_given_by: String,
    /// `muntligt`, `skriftligt` or `digitalt`.
    pub consent_way: String,
    /// `ÅÅÅÅ-MM-DD`.
    pub consent_given_on: String,
    /// Why consent cannot be obtained (with `grund`).
    pub consent_basis: String,
    /// Who judged that consent cannot be obtained (with `grund`).
    pub consent_judged_by: String,
    pub send: bool,
    /// Required when updating a draft.
    pub version: i64,
}

impl CareRequestBody {
    pub fn into_input(self) -> (CareRequestInput, bool, i64) {
        (
            CareRequestInput {
                personnummer: self.personnummer,
                patient_name: self.patient_name,
                home_municipality: self.home_municipality,
                patient_address: self.patient_address,
                patient_phone: self.patient_phone,
                protected_identity: self.protected_identity,
                situation: self.situation,
                background: self.background,
                current_assessment: self.current_assessment,
                recommendation: self.recommendation,
                fixed_doctor_name: self.fixed_doctor_name,
                fixed_doctor_phone: self.fixed_doctor_phone,
                prescriber_name: self.prescriber_name,
                prescriber_phone: self.prescriber_phone,
                care_contact_name: self.care_contact_name,
                care_contact_phone: self.care_contact_phone,
                health_centre_name: self.health_centre_name,
                health_centre_phone: self.health_centre_phone,
                track: self.track,
                psychiatric_medication: self.psychiatric_medication,
                visam_colour: self.visam_colour,
                discharge_date: self.discharge_date,
                rehab_initiator: self.rehab_initiator,
                consent: self.consent,
                consent_given_by: self.consent_given_by,
                consent_way: self.consent_way,
                consent_given_on: self.consent_given_on,
                consent_basis: self.consent_basis,
                consent_judged_by: self.consent_judged_by,
            },
            self.send,
            self.version,
        )
    }
}

/// How many cases a page of a list holds unless the caller asks for another size.
pub const PAGE_SIZE: u32 = 50;

/// The deadline filter a list's `frist` (or the API's `deadline`) names, as
/// `DeadlineStatus::code` writes it.
pub fn deadline_filter(code: &str) -> Option<DeadlineFilter> {
    Some(match code {
        "forsenad" => DeadlineFilter::Is(Urgency::Overdue),
        "idag" => DeadlineFilter::Is(Urgency::DueToday),
        "snart" => DeadlineFilter::Is(Urgency::DueSoon),
        "i_tid" => DeadlineFilter::Is(Urgency::OnTrack),
        "kvitterad" => DeadlineFilter::AcknowledgedInTime,
        "kvitterad_sent" => DeadlineFilter::AcknowledgedLate,
        _ => return None,
    })
}

/// Today's deadline dates under the rule set, for lists that filter and sort in the database.
pub fn horizon(state: &AppState) -> Horizon {
    let today = state.today();
    let rules = &state.rules;
    Horizon {
        today,
        due_soon_until: DeadlineStatus::due_soon_until(today, rules),
        follow_up_due_soon_until: samsyn_domain::care::follow_up::due_soon_until(
            today,
            &rules.treatment_plan,
        ),
        discharge_plan_days_before: i32::try_from(rules.discharge.plan_days_before_discharge)
            .unwrap_or(i32::MAX),
    }
}

/// A page of the cases the user's unit has sent, received or handed on; with `counted`, also
/// how many there are by state and deadline (one read for both).
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    criteria: Criteria,
    counted: bool,
) -> Result<(CasePage, Option<Counts>), WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    let horizon = horizon(state);
    Ok(state
        .read_logged(move |conn| {
            let page = listing::page(conn, &actor, &criteria, &horizon, now, |_| true)?;
            let counts = counted
                .then(|| listing::counts(conn, &actor, &criteria, &horizon))
                .transpose()?;
            Ok(page.map(|page| (page, counts)))
        })
        .await?)
}

/// One case, if the user's unit is party to it.
pub async fn open(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<(CareRequest, CaseRelation), WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    state
        .read_logged(move |conn| {
            care_requests::open_logged(conn, &actor, &id, AccessAction::Read, now)
        })
        .await?
        .ok_or(WorkflowError::NotFound)
}

/// Validates new content and finds the municipal unit that receives the case's track.
fn prepare(
    state: &AppState,
    user: &CurrentUser,
    input: CareRequestInput,
    send: bool,
) -> Result<samsyn_domain::CareRequestContent, WorkflowError> {
    let completeness = if send {
        Completeness::ReadyToSend
    } else {
        Completeness::Draft
    };
    let content = input
        .validate(&state.rules, state.today(), completeness)
        .map_err(WorkflowError::Invalid)?;
    let track = content.track.track();
    if !state.rules.tracks.may_send(track, user.unit.kind) {
        return Err(field_error(
            "track",
            &format!(
                "{} kan inte skickas från en enhet av typen {}.",
                track.label(),
                user.unit.kind.label().to_lowercase()
            ),
        ));
    }
    Ok(content)
}

fn receiving_unit(
    conn: &mut DbConnection,
    content: &samsyn_domain::CareRequestContent,
) -> Result<String, StoreError> {
    let kind = content.track.track().receiving_kind();
    Ok(units::receiving_unit_for(conn, Party::Municipality(content.home_municipality), kind)?.id)
}

/// Writes a new case; with `send`, sends it at once.
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: CareRequestInput,
    send: bool,
    retry: Option<Retry>,
) -> Result<Created, WorkflowError> {
    let content = prepare(state, user, input, send)?;
    let actor = user.actor();
    let rules = state.rules.clone();
    let now = state.clock.now();
    let today = state.today();
    let created = flatten(
        state
            .db(move |conn| {
                if let Some(retry) = &retry {
                    match idempotency::claim(
                        conn,
                        &actor.user_id,
                        &retry.key,
                        &retry.fingerprint,
                        now,
                    )? {
                        Claim::New => {}
                        Claim::OtherRequest => return Ok(Err(reused())),
                        Claim::Replay(id) => {
                            return Ok(care_requests::open(
                                conn,
                                &actor,
                                &id,
                                AccessAction::Read,
                                now,
                            )?
                            .map(|(case, _)| Created {
                                case,
                                replayed: true,
                            })
                            .ok_or(WorkflowError::NotFound));
                        }
                    }
                }
                let created = create_in(conn, &actor, &content, send, &rules, now, today)?;
                if let (Some(retry), Ok(created)) = (&retry, &created) {
                    idempotency::complete(conn, &actor.user_id, &retry.key, &created.case.id)?;
                }
                Ok(created)
            })
            .await,
    )?;
    if send && !created.replayed {
        crate::case::live::arrived(state, &created.case);
    }
    Ok(created)
}

/// A create's outcome: the case, and whether it was made by an earlier call with the same
/// Idempotency-Key.
#[derive(Debug)]
pub struct Created {
    pub case: CareRequest,
    pub replayed: bool,
}

/// Writes the draft and, with `send`, sends it, in the caller's transaction.
fn create_in(
    conn: &mut DbConnection,
    actor: &Actor,
    content: &samsyn_domain::CareRequestContent,
    send: bool,
    rules: &samsyn_domain::RuleSet,
    now: jiff::Timestamp,
    today: jiff::civil::Date,
) -> Result<Result<Created, WorkflowError>, StoreError> {
    let created = |case| {
        Ok(Ok(Created {
            case,
            replayed: false,
        }))
    };
    let receiver = receiving_unit(conn, content)?;
    let draft =
        care_requests::create_draft(conn, actor, content, &receiver, &rules.reference(), now)?;
    if !send {
        return created(draft);
    }
    let step = Step {
        side: Side::Sender,
        role: actor.role,
        now,
        today,
        user_id: &actor.user_id,
        rules,
        track: draft.track.track(),
        parties: draft.parties(),
    };
    let next = match draft.state.apply(Action::Send, &step) {
        Ok(next) => next,
        Err(e) => return Ok(Err(WorkflowError::Transition(e))),
    };
    created(save_send(conn, actor, &draft, &next, rules, today, now)?)
}

/// Stores the step that sends a draft, at the draft's version.
fn save_send(
    conn: &mut DbConnection,
    actor: &Actor,
    draft: &CareRequest,
    next: &CaseState,
    rules: &samsyn_domain::RuleSet,
    today: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Result<CareRequest, StoreError> {
    let transition = Transition {
        action: Action::Send,
        today,
        next,
        new_unit: None,
        note: "",
        rule_set: &rules.reference(),
        planning_due: None,
    };
    care_requests::save_transition(conn, actor, draft, draft.version, &transition, now)
}

/// Why a user who is not the rehab team's arbetsterapeut or fysioterapeut cannot register an
/// egenvårdsbegäran.
pub const EGENVARDSBEGARAN_REFUSAL: &str = "Bara rehabteamets arbetsterapeuter och fysioterapeuter registrerar egenvårdsbegäran. Skicka i stället en begäran till rehabteamet, med personen själv som den som initierade behovet.";

/// Registers an egenvårdsbegäran the person phoned in to the user's rehab team (§3.4): the
/// rehabilitation track started by the person, for a person living in the team's municipality,
/// received and under assessment at once, with the team as the only party.
pub async fn register_egenvardsbegaran(
    state: &AppState,
    user: &CurrentUser,
    mut input: CareRequestInput,
) -> Result<CareRequest, WorkflowError> {
    // Like a track sent from the wrong kind of unit: a refusal of the content, not of the user.
    if !may_register_egenvardsbegaran(user.unit.kind, user.user.role) {
        return Err(field_error("track", EGENVARDSBEGARAN_REFUSAL));
    }
    input.track = Track::Rehabilitation.code().to_owned();
    input.rehab_initiator = RehabInitiator::SelfReferral.code().to_owned();
    let content = input
        .validate(&state.rules, state.today(), Completeness::RegisteredByTeam)
        .map_err(WorkflowError::Invalid)?;
    if Party::Municipality(content.home_municipality) != user.unit.party {
        let team_municipality = match user.unit.party {
            Party::Municipality(code) => state.rules.municipality(code).map(|m| m.name.clone()),
            Party::Region => None,
        };
        return Err(field_error(
            "home_municipality",
            &format!(
                "Personen ska bo i {}: rehabteamet i personens hemkommun tar emot egenvårdsbegäran.",
                team_municipality.as_deref().unwrap_or("teamets kommun")
            ),
        ));
    }
    let actor = user.actor();
    let rules = state.rules.clone();
    let now = state.clock.now();
    let today = state.today();
    flatten(
        state
            .db(move |conn| {
                let step = Step {
                    side: Side::Receiver,
                    role: actor.role,
                    now,
                    today,
                    user_id: &actor.user_id,
                    rules: &rules,
                    track: Track::Rehabilitation,
                    parties: Parties::RehabTeamAlone,
                };
                let registered = match CaseState::registered_by_team(&step) {
                    Ok(registered) => registered,
                    Err(e) => return Ok(Err(WorkflowError::Transition(e))),
                };
                Ok(Ok(care_requests::register_egenvardsbegaran(
                    conn,
                    &actor,
                    &content,
                    &registered,
                    &rules.reference(),
                    now,
                )?))
            })
            .await,
    )
}

/// Opens the case in the version the user last saw, for a change. `Ok(Err(..))` when it is not
/// visible or has changed since.
pub(crate) fn open_at_version(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    version: i64,
    now: jiff::Timestamp,
) -> Outcome<(CareRequest, Side)> {
    let Some((case, side)) = care_requests::open(conn, actor, id, AccessAction::Update, now)?
        .and_then(|(case, relation)| Some((case, relation.side()?)))
    else {
        return Ok(Err(WorkflowError::NotFound));
    };
    if case.version != version {
        return Ok(Err(WorkflowError::Conflict));
    }
    Ok(Ok((case, side)))
}

/// Saves new content into a draft; with `send`, also sends it.
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    version: i64,
    input: CareRequestInput,
    send: bool,
) -> Result<CareRequest, WorkflowError> {
    let content = prepare(state, user, input, send)?;
    let actor = user.actor();
    let rules = state.rules.clone();
    let now = state.clock.now();
    let today = state.today();
    let request = flatten(
        state
            .db(move |conn| {
                let (case, side) = match open_at_version(conn, &actor, &id, version, now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                let step = Step {
                    side,
                    role: actor.role,
                    now,
                    today,
                    user_id: &actor.user_id,
                    rules: &rules,
                    track: case.track.track(),
                    parties: case.parties(),
                };
                // Only those who may send a draft may edit it.
                let next = match case.state.apply(Action::Send, &step) {
                    Ok(next) => next,
                    Err(e) => return Ok(Err(WorkflowError::Transition(e))),
                };
                let receiver = receiving_unit(conn, &content)?;
                let saved = care_requests::update_draft(
                    conn, &actor, &case, version, &content, &receiver, now,
                )?;
                if !send {
                    return Ok(Ok(saved));
                }
                Ok(Ok(save_send(
                    conn, &actor, &saved, &next, &rules, today, now,
                )?))
            })
            .await,
    )?;
    if send {
        crate::case::live::arrived(state, &request);
    } else {
        crate::case::live::changed(state, &request);
    }
    Ok(request)
}

/// A step on a case, as submitted from a form or the API. Only the fields the step needs are
/// read: `note` for a withdrawal, `forward_to` for a forward, the decision fields for a decision.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct StepInput {
    /// The version the user last saw.
    pub version: i64,
    /// Note for the timeline; required when withdrawing.
    pub note: String,
    /// Unit id to forward to (same party as the current receiver).
    pub forward_to: String,
    /// Track 3: the vårdcentral that takes over the region's part after the discharge.
    pub hand_over_to: String,
    /// Vårdnivå (decision to enroll): a code from the rule set's list.
    pub care_level: String,
    /// `punktinsats` or `samordnad` (decision to enroll).
    pub intervention_kind: String,
    /// The insatser that pass to the municipality (decision to enroll).
    pub interventions: String,
    /// `ja` or `nej`: for punktinsatser, whether the parties share the responsibility.
    pub shared_responsibility: String,
    /// Startdatum `ÅÅÅÅ-MM-DD` (decision to enroll).
    pub start_date: String,
    /// Ansvariga enheter (decision to enroll).
    pub responsible_units: String,
    /// Skäl: why not enrolled, or what the parties disagree on.
    pub reason: String,
    /// Föreslå avslut: why the care ends.
    pub closure_reason: String,
    /// Föreslå avslut: where the person turns next time, as they were told.
    pub next_contact: String,
    /// Föreslå avslut: information passed on to a following form of care; may be empty.
    pub handover: String,
    /// Gemensam planering: the day it was held, `ÅÅÅÅ-MM-DD`.
    pub planning_date: String,
    /// Gemensam planering: `hemma`, `digitalt` or `mottagning`.
    pub planning_form: String,
    /// Gemensam planering: who took part from the region.
    pub region_participants: String,
    /// Gemensam planering: who took part from the municipality.
    pub municipality_participants: String,
    /// Gemensam planering: `ja` or `nej`.
    pub person_took_part: String,
    /// Gemensam planering: `ja` when relatives took part.
    pub relatives_took_part: String,
    /// Gemensam planering: why the person did not take part.
    pub absence_reason: String,
    /// Oenighet: the region's nearest line manager, who resolves it at the local level.
    pub region_manager: String,
    /// Oenighet: the municipality's nearest line manager.
    pub municipality_manager: String,
    /// Oenighet: how the person's needs are met while the parties disagree.
    pub interim_arrangement: String,
}

impl StepInput {
    /// A field of the oenighet's form by its name, as typed.
    pub fn disagreement_field(&self, name: &str) -> &str {
        match name {
            "reason" => &self.reason,
            "region_manager" => &self.region_manager,
            "municipality_manager" => &self.municipality_manager,
            "interim_arrangement" => &self.interim_arrangement,
            _ => "",
        }
    }
}

/// Why the case cannot be enrolled yet: the track's criteria plus the joint work the agreement
/// requires before a decision (both parties' assessments; competence and equipment in the home
/// checked, and any lack met by an action plan).
pub(crate) fn enrollment_blockers(
    conn: &mut DbConnection,
    case: &CareRequest,
    today: jiff::civil::Date,
    rules: &samsyn_domain::RuleSet,
) -> Result<Vec<String>, StoreError> {
    let mut blockers = case
        .track
        .enrollment_blockers(case.patient.person_id.age_on(today), rules);
    // After a forward, only the current receiving unit's assessment and home check count.
    let assessments = case_work::assessments(conn, &case.id)?;
    // On the team's own egenvårdsbegäran there is no sending party to assess.
    let by_sender = case.parties() == Parties::RehabTeamAlone
        || assessments.iter().any(|a| a.side == Side::Sender);
    let by_receiver = assessments
        .iter()
        .any(|a| a.side == Side::Receiver && a.unit_id == case.receiver_unit_id);
    for (done, party) in [(by_sender, "avsändarens"), (by_receiver, "mottagarens")] {
        if !done {
            blockers.push(format!("Bedömning saknas från {party} sida."));
        }
    }
    let check = case_work::home_checks(conn, &case.id)?
        .into_iter()
        .rev()
        .find(|c| c.unit_id == case.receiver_unit_id);
    match check {
        None => blockers.push(
            "Kommunens kontroll av kompetens och utrustning i hemmet är inte registrerad."
                .to_owned(),
        ),
        Some(c) if !(c.competence_ok && c.equipment_ok) => {
            let planned = case_work::action_items(conn, &case.id)?
                .iter()
                .any(|item| item.created_at >= c.at);
            if !planned {
                blockers.push(
                    "Kompetens eller utrustning saknas i hemmet och ingen åtgärd med ansvarig är registrerad.".to_owned(),
                );
            }
        }
        Some(_) => {}
    }
    Ok(blockers)
}

fn decision_record(
    outcome: DecisionOutcome,
    input: &StepInput,
    today: jiff::civil::Date,
    rules: &samsyn_domain::RuleSet,
) -> Result<DecisionRecord, WorkflowError> {
    let reason = input.reason.trim().to_owned();
    check_text("reason", "Skälet", &reason, true)?;
    match outcome {
        DecisionOutcome::Enrolled => {
            let terms = EnrollmentTerms::parse(
                &EnrollmentInput {
                    care_level: &input.care_level,
                    start_date: &input.start_date,
                    responsible_units: &input.responsible_units,
                    kind: &input.intervention_kind,
                    interventions: &input.interventions,
                    shared_responsibility: &input.shared_responsibility,
                },
                &rules.enrollment,
            )
            .map_err(WorkflowError::Invalid)?;
            Ok(DecisionRecord {
                outcome,
                care_level: terms.care_level,
                start_date: Some(terms.start_date),
                responsible_units: terms.responsible_units,
                reason,
                joint_planning_due: Some(joint_planning_due(today, rules)),
                intervention_kind: Some(terms.kind),
                interventions: terms.interventions,
                shared_responsibility: terms.shared_responsibility,
            })
        }
        DecisionOutcome::NotEnrolled | DecisionOutcome::Disagreement => {
            if reason.is_empty() {
                let message = if outcome == DecisionOutcome::NotEnrolled {
                    "Ange skälet till att personen inte skrivs in."
                } else {
                    "Beskriv vad parterna är oeniga om."
                };
                return Err(field_error("reason", message));
            }
            Ok(DecisionRecord {
                outcome,
                care_level: String::new(),
                start_date: None,
                responsible_units: String::new(),
                reason,
                joint_planning_due: None,
                intervention_kind: None,
                interventions: String::new(),
                shared_responsibility: None,
            })
        }
    }
}

/// Takes one step on a case: the domain decides whether it is allowed; this checks what the
/// step itself needs (a complete draft, a forward target, a decision's content, the enrollment
/// criteria) and stores it all in one transaction.
pub async fn step(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    action: Action,
    input: StepInput,
) -> Result<CareRequest, WorkflowError> {
    let actor = user.actor();
    let rules = state.rules.clone();
    let now = state.clock.now();
    let today = state.today();
    let ladder = match action {
        Action::Disagree => Some(
            crate::disagreement::work::opening(
                &crate::disagreement::work::Opening {
                    reason: &input.reason,
                    region_manager: &input.region_manager,
                    municipality_manager: &input.municipality_manager,
                    interim_arrangement: &input.interim_arrangement,
                },
                today,
            )
            .map_err(WorkflowError::Invalid)?,
        ),
        _ => None,
    };
    let decision = match action {
        Action::ProposeDecision(outcome) | Action::Decide(outcome) => {
            Some(decision_record(outcome, &input, today, &rules)?)
        }
        Action::Disagree => Some(decision_record(
            DecisionOutcome::Disagreement,
            &input,
            today,
            &rules,
        )?),
        _ => None,
    };
    if action == Action::Withdraw && input.note.trim().is_empty() {
        return Err(field_error("note", "Ange varför begäran återkallas."));
    }
    check_text("note", "Anteckningen", input.note.trim(), true)?;
    let closure = match action {
        Action::ProposeClosure | Action::CloseRehabilitation => Some(
            ClosureProposal::parse(&input.closure_reason, &input.next_contact, &input.handover)
                .map_err(WorkflowError::Invalid)?,
        ),
        _ => None,
    };
    if action == Action::DeclineClosure {
        decline_note(&input.note).map_err(|e| WorkflowError::Invalid(vec![e]))?;
    }
    let request = flatten(
        state
            .db(move |conn| {
                let (case, side) = match open_at_version(conn, &actor, &id, input.version, now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                let step = Step {
                    side,
                    role: actor.role,
                    now,
                    today,
                    user_id: &actor.user_id,
                    rules: &rules,
                    track: case.track.track(),
                    parties: case.parties(),
                };
                let next = match case.state.apply(action, &step) {
                    Ok(next) => next,
                    Err(e) => return Ok(Err(WorkflowError::Transition(e))),
                };
                let planning = match action {
                    Action::Plan => match JointPlanning::parse(
                        &PlanningInput {
                            held_on: &input.planning_date,
                            form: &input.planning_form,
                            region_participants: &input.region_participants,
                            municipality_participants: &input.municipality_participants,
                            person_took_part: &input.person_took_part,
                            relatives_took_part: &input.relatives_took_part,
                            absence_reason: &input.absence_reason,
                            parties: case.parties(),
                        },
                        today,
                    ) {
                        Ok(planning) => Some(planning),
                        Err(errors) => return Ok(Err(WorkflowError::Invalid(errors))),
                    },
                    _ => None,
                };
                let mut new_unit = None;
                match action {
                    Action::Send => {
                        if let Err(errors) =
                            case.text.validate(&rules, today, Completeness::ReadyToSend)
                        {
                            return Ok(Err(WorkflowError::Invalid(errors)));
                        }
                    }
                    Action::Forward => {
                        let current = units::get(conn, &case.receiver_unit_id)?;
                        let targets = units::forward_targets(conn, &current)?;
                        match targets.into_iter().find(|u| u.id == input.forward_to) {
                            Some(target) => new_unit = Some(target.id),
                            None => {
                                return Ok(Err(field_error(
                                    "forward_to",
                                    "Välj en annan enhet hos samma part att vidarebefordra till.",
                                )));
                            }
                        }
                    }
                    Action::HandOver => {
                        match units::hand_over_targets(conn)?
                            .into_iter()
                            .find(|u| u.id == input.hand_over_to)
                        {
                            Some(target) => new_unit = Some(target.id),
                            None => {
                                return Ok(Err(field_error(
                                    "hand_over_to",
                                    "Välj den vårdcentral som tar över regionens del.",
                                )));
                            }
                        }
                    }
                    Action::ProposeDecision(_)
                        if crate::disagreement::work::unresolved(conn, &case.id)? =>
                    {
                        return Ok(Err(WorkflowError::Blocked(vec![
                            "Oenigheten är inte löst. Ett nytt beslut föreslås när parterna har enats i trappan för oenighet."
                                .to_owned(),
                        ])));
                    }
                    Action::Disagree if !crate::disagreement::work::both_assessed(conn, &case)? => {
                        return Ok(Err(field_error(
                            "reason",
                            "Oenighet registreras när båda parter har gjort och registrerat sin bedömning.",
                        )));
                    }
                    _ => {}
                }
                match action {
                    Action::ProposeDecision(DecisionOutcome::Enrolled)
                    | Action::Decide(DecisionOutcome::Enrolled) => {
                        let blockers = enrollment_blockers(conn, &case, today, &rules)?;
                        if !blockers.is_empty() {
                            return Ok(Err(WorkflowError::Blocked(blockers)));
                        }
                    }
                    _ => {}
                }
                match (action, &closure) {
                    (Action::ProposeClosure, Some(proposal)) => {
                        closure_store::propose(conn, &actor, &case.id, proposal, now)?
                    }
                    // The rehab professional's judgement ends rehabilitation: one record,
                    // proposed and confirmed by the same person (a referrer's proposal is kept).
                    (Action::CloseRehabilitation, Some(proposal)) => {
                        if !matches!(case.state, CaseState::ClosureProposed(..)) {
                            closure_store::propose(conn, &actor, &case.id, proposal, now)?;
                        }
                        closure_store::answer(
                            conn,
                            &actor,
                            &case.id,
                            Answer::Confirmed,
                            &proposal.reason,
                            now,
                        )?
                    }
                    (Action::ConfirmClosure, _) => closure_store::answer(
                        conn,
                        &actor,
                        &case.id,
                        Answer::Confirmed,
                        input.note.trim(),
                        now,
                    )?,
                    (Action::DeclineClosure, _) => closure_store::answer(
                        conn,
                        &actor,
                        &case.id,
                        Answer::Declined,
                        input.note.trim(),
                        now,
                    )?,
                    _ => {}
                }
                if let Some(planning) = &planning {
                    planning_store::record(conn, &actor, &case.id, planning, now)?;
                }
                if action == Action::ConfirmDecision {
                    case_work::confirm_decision(conn, &actor, &case.id, now)?;
                }
                if let Some(record) = &decision {
                    case_work::record_decision(conn, &actor, &case.id, record, now)?;
                    if let Some(ladder) = &ladder {
                        disagreement_record::open(
                            conn,
                            &actor,
                            &case.id,
                            &record.reason,
                            input.interim_arrangement.trim(),
                            ladder,
                            now,
                        )?;
                    }
                    // The team alone decides and confirms in one.
                    if matches!(action, Action::Decide(_)) {
                        case_work::confirm_decision(conn, &actor, &case.id, now)?;
                    }
                }
                let note = match (&decision, &closure) {
                    (Some(record), _) if !record.reason.is_empty() => record.reason.clone(),
                    (_, Some(proposal)) => proposal.reason.clone(),
                    _ => input.note.trim().to_owned(),
                };
                let transition = Transition {
                    action,
                    today,
                    next: &next,
                    new_unit: new_unit.as_deref(),
                    note: &note,
                    rule_set: &rules.reference(),
                    // The week for joint planning starts when the decision is made.
                    planning_due: matches!(action, Action::ConfirmDecision | Action::Decide(_))
                        .then(|| joint_planning_due(today, &rules)),
                };
                Ok(Ok(care_requests::save_transition(
                    conn,
                    &actor,
                    &case,
                    input.version,
                    &transition,
                    now,
                )?))
            })
            .await,
    )?;
    if action == Action::Forward {
        crate::case::live::arrived(state, &request);
    } else {
        crate::case::live::changed(state, &request);
    }
    Ok(request)
}

/// Whether the case is still open for assessment work (criteria, assessments, home checks).
pub(crate) fn in_assessment(state: &CaseState) -> bool {
    matches!(
        state,
        CaseState::Acknowledged(..)
            | CaseState::UnderAssessment(..)
            | CaseState::Decided(_, _, DecisionOutcome::Disagreement)
    )
}

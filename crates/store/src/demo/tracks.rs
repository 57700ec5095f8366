//! The demo's cases on track 2 (psychiatry's medication handling), track 3 (discharge from the
//! hospital, with its seven-day plan) and in the rehabilitation process (with its
//! rehabiliteringsplan), each in every state from sent to closed and not enrolled, all in the main municipality,
//! so that the nurse's and the rehab team's inboxes show every track's work.

use super::care::{self, Parties, Reach};
use super::demo_step;
use super::plans::PlanState;
use crate::access_log::Actor;
use crate::care::{rehab_plan, seven_day_plan};
use crate::case::requests::{self as care_requests, CareRequest};
use crate::case::work::{self as case_work, DecisionRecord};
use crate::{DbConnection, StoreError};
use jiff::civil::{Date, date};
use jiff::{Timestamp, ToSpan};
use samsyn_domain::care::follow_up::{FollowUp, FollowUpOutcome};
use samsyn_domain::care::rehab_plan::{Performer, RehabPlan};
use samsyn_domain::care::seven_day_plan::SevenDayPlan;
use samsyn_domain::case::track::{PsychiatricMedication, Sip};
use samsyn_domain::{
    Action, CareRequestInput, Completeness, DecisionOutcome, Personnummer, RuleSet, Side, Track,
    TrackDetails,
};

/// The accounts that work these cases.
pub(super) struct TrackActors {
    /// `psykiater`: sends track 2.
    pub psychiatrist: Actor,
    /// `sjukhuslakare`: sends track 3 and writes its seven-day plan.
    pub hospital: Actor,
    /// `lakare`: refers to rehabilitation.
    pub health_centre: Actor,
    /// `sjukskoterska`: receives tracks 2 and 3.
    pub nurse: Actor,
    /// `arbetsterapeut`: receives rehabilitation.
    pub therapist: Actor,
}

/// How far a case is taken.
#[derive(Clone, Copy)]
enum Stage {
    Sent,
    UnderAssessment,
    After(Reach),
    /// Ej inskriven, confirmed by both and closed.
    NotEnrolled,
}

const STAGES: [Stage; 8] = [
    Stage::Sent,
    Stage::UnderAssessment,
    Stage::After(Reach::DecisionProposed),
    Stage::After(Reach::Planned),
    Stage::After(Reach::Ongoing(PlanState::DueToday)),
    Stage::After(Reach::ClosureProposed),
    Stage::After(Reach::Closed),
    Stage::NotEnrolled,
];

/// Creates every track's cases in every state.
pub(super) fn create(
    conn: &mut DbConnection,
    rules: &RuleSet,
    actors: &TrackActors,
    now: Timestamp,
    today: Date,
) -> Result<(), StoreError> {
    for (t, track) in [
        Track::SpecializedCare,
        Track::Discharge,
        Track::Rehabilitation,
    ]
    .into_iter()
    .enumerate()
    {
        // A track the region's agreement does not have gets no demo cases.
        if !rules.tracks.is_offered(track) {
            continue;
        }
        for (s, stage) in STAGES.into_iter().enumerate() {
            let n = t * STAGES.len() + s;
            let case = draft(conn, rules, actors, track, stage, n, now, today)?;
            take(conn, rules, actors, case, stage, now, today)?;
        }
    }
    Ok(())
}

fn sender_of(actors: &TrackActors, track: Track) -> &Actor {
    match track {
        Track::SpecializedCare => &actors.psychiatrist,
        Track::Discharge => &actors.hospital,
        _ => &actors.health_centre,
    }
}

fn receiver_of(actors: &TrackActors, track: Track) -> &Actor {
    if track == Track::Rehabilitation {
        &actors.therapist
    } else {
        &actors.nurse
    }
}

/// The sender's draft for the `n`th person; track 3's discharge is in two days while the case
/// waits, otherwise ten days ago.
#[allow(clippy::too_many_arguments)]
fn draft(
    conn: &mut DbConnection,
    rules: &RuleSet,
    actors: &TrackActors,
    track: Track,
    stage: Stage,
    n: usize,
    now: Timestamp,
    today: Date,
) -> Result<CareRequest, StoreError> {
    let names = super::UnitNames::of(rules);
    let offset = i16::try_from(n).unwrap_or(0);
    let birth = date(
        1934 + offset,
        1 + (offset % 12) as i8,
        3 + (offset % 25) as i8,
    );
    let number = Personnummer::from_parts(birth, 900 + 2 * offset.unsigned_abs(), false)
        .ok_or(StoreError::Corrupt("demo personnummer".into()))?;
    let discharge = if matches!(stage, Stage::Sent) {
        today.saturating_add(2.days())
    } else {
        today.saturating_sub(10.days())
    };
    let (situation, recommendation) = match track {
        Track::SpecializedCare => (
            "Bor ensam; psykiatrin har delat ut läkemedlen på mottagningen.",
            "Läkemedelsöverlämning två gånger dagligen. Mål: stabil medicinering hemma.",
        ),
        Track::Discharge => (
            "Skrivs ut från medicinkliniken efter hjärtsviktsförsämring.",
            "Viktkontroll och läkemedel enligt sjudagarsplanen, sedan vårdcentralens plan.",
        ),
        _ => (
            "Har svårt att klara trappan och förflyttningar efter en fraktur.",
            "Gång- och förflyttningsträning, hjälpmedel. Mål: klara vardagen själv.",
        ),
    };
    let sender = sender_of(actors, track);
    // The rehabilitation in care is the test e-identification's invånare's, so Min sida shows a
    // rehabiliteringsplan beside her behandlingsplan.
    let own_page =
        track == Track::Rehabilitation && matches!(stage, Stage::After(Reach::Ongoing(_)));
    let mut input = CareRequestInput {
        personnummer: number.expose(),
        // Each of the 24 gets a name of its own.
        patient_name: format!(
            "{} {}",
            super::FIRST_NAMES[(n * 5) % super::FIRST_NAMES.len()],
            super::SURNAMES[(n * 3 + 1) % super::SURNAMES.len()]
        ),
        home_municipality: names.main_code.to_string(),
        patient_address: format!("Drottninggatan {}, {}", 2 + n, names.main),
        patient_phone: format!("070-{:03} 10 {:02}", 600 + n, n),
        track: track.code().into(),
        psychiatric_medication: if rules.psychiatric_medication.offered() {
            "ja"
        } else {
            ""
        }
        .into(),
        visam_colour: if n.is_multiple_of(2) { "gult" } else { "rott" }.into(),
        discharge_date: discharge.to_string(),
        rehab_initiator: "primarvard".into(),
        situation: situation.into(),
        background: "Flera kroniska sjukdomar; känd av vårdcentralen.".into(),
        current_assessment: "Stabil men behöver stöd i hemmet.".into(),
        recommendation: recommendation.into(),
        fixed_doctor_name: "Doktor Lind".into(),
        fixed_doctor_phone: "070-174 06 10".into(),
        prescriber_name: "Ordinerande läkare på kliniken".into(),
        prescriber_phone: "070-174 06 20".into(),
        care_contact_name: "Distriktssköterska Berg".into(),
        care_contact_phone: "070-174 06 11".into(),
        health_centre_name: names.health_centre.clone(),
        health_centre_phone: "070-174 06 12".into(),
        consent: "samtycke".into(),
        consent_given_by: "Personen själv".into(),
        consent_way: "muntligt".into(),
        consent_given_on: today.saturating_sub(12.days()).to_string(),
        ..CareRequestInput::default()
    };
    if own_page {
        input.personnummer = super::OWN_PAGE_PERSONNUMMER.into();
        input.patient_name = super::OWN_PAGE_NAME.into();
    }
    let content = input
        .validate(rules, today, Completeness::ReadyToSend)
        .map_err(|errors| {
            let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
            StoreError::Corrupt(format!("demo {} request: {fields:?}", track.code()))
        })?;
    let written = now - (12 * 24).hours();
    care_requests::create_draft(
        conn,
        sender,
        &content,
        &receiver_of(actors, track).unit_id,
        &rules.reference(),
        written,
    )
}

/// Sends the draft and takes it as far as `stage`, recording what each track needs on the way.
fn take(
    conn: &mut DbConnection,
    rules: &RuleSet,
    actors: &TrackActors,
    case: CareRequest,
    stage: Stage,
    now: Timestamp,
    today: Date,
) -> Result<(), StoreError> {
    let track = case.track.track();
    let (sender, receiver) = (sender_of(actors, track), receiver_of(actors, track));
    let at = |back: i64| now - (back * 24).hours();
    let on = |back: i64| today.saturating_sub(back.days());
    let case = demo_step(
        conn,
        rules,
        sender,
        Side::Sender,
        &case,
        Action::Send,
        at(11),
        on(11),
    )?;
    if matches!(stage, Stage::Sent) {
        return Ok(());
    }
    let mut case = case;
    for action in [Action::Acknowledge, Action::StartAssessment] {
        case = demo_step(
            conn,
            rules,
            receiver,
            Side::Receiver,
            &case,
            action,
            at(10),
            on(10),
        )?;
    }
    let complete = !matches!(stage, Stage::UnderAssessment);
    case = track_facts(conn, rules, sender, case, complete, on(11), now)?;
    match stage {
        Stage::Sent | Stage::UnderAssessment => Ok(()),
        Stage::After(reach) => {
            // Track 3's cases in care have passed from the hospital to the vårdcentral.
            let takes_over = (track == Track::Discharge
                && matches!(
                    reach,
                    Reach::Ongoing(_) | Reach::ClosureProposed | Reach::Closed
                ))
            .then_some(&actors.health_centre);
            let parties = Parties {
                sender,
                receiver,
                takes_over,
            };
            let reach = match (track, reach) {
                // Track 3's plan: a second version waiting for the municipality's signature.
                (Track::Discharge, Reach::Ongoing(_)) => {
                    Reach::Ongoing(PlanState::SecondVersionWaiting)
                }
                _ => reach,
            };
            care::follow_through(conn, rules, &parties, &case, reach, now, today).map(|_| ())
        }
        Stage::NotEnrolled => {
            let record = DecisionRecord {
                outcome: DecisionOutcome::NotEnrolled,
                care_level: String::new(),
                start_date: None,
                responsible_units: String::new(),
                reason: "Personen tar sig till mottagningen och behöver inte vården i hemmet."
                    .into(),
                joint_planning_due: None,
                intervention_kind: None,
                interventions: String::new(),
                shared_responsibility: None,
            };
            case_work::record_decision(conn, receiver, &case.id, &record, at(9))?;
            let case = demo_step(
                conn,
                rules,
                receiver,
                Side::Receiver,
                &case,
                Action::ProposeDecision(DecisionOutcome::NotEnrolled),
                at(9),
                on(9),
            )?;
            case_work::confirm_decision(conn, sender, &case.id, at(8))?;
            let case = demo_step(
                conn,
                rules,
                sender,
                Side::Sender,
                &case,
                Action::ConfirmDecision,
                at(8),
                on(8),
            )?;
            demo_step(
                conn,
                rules,
                sender,
                Side::Sender,
                &case,
                Action::Close,
                at(8),
                on(8),
            )
            .map(|_| ())
        }
    }
}

/// What the track records before a decision: track 2's SIP and psychiatric criteria (all met
/// when `complete`, all but the SIP's otherwise), track 3's seven-day plan from the hospital.
fn track_facts(
    conn: &mut DbConnection,
    rules: &RuleSet,
    sender: &Actor,
    case: CareRequest,
    complete: bool,
    sip_held_on: Date,
    now: Timestamp,
) -> Result<CareRequest, StoreError> {
    let details = match &case.track {
        TrackDetails::SpecializedCare { .. } => TrackDetails::SpecializedCare {
            sip: complete.then(|| Sip {
                date: sip_held_on,
                participants: "Personen, psykiatrins sjuksköterska, hemsjukvårdens sjuksköterska"
                    .into(),
                consent: true,
            }),
            waiver: None,
            psychiatric: rules
                .psychiatric_medication
                .offered()
                .then(|| PsychiatricMedication {
                    criteria_met: rules
                        .psychiatric_medication
                        .criteria
                        .iter()
                        .map(|c| c.id.clone())
                        .collect(),
                    habitual_state: "Lugn, sköter måltider och hygien; sover gott.".into(),
                    doctor_contact: "Psykiatrins jour dygnet runt, 070-174 06 30".into(),
                    ..PsychiatricMedication::default()
                }),
        },
        TrackDetails::Discharge {
            colour,
            discharge_date,
            ..
        } if complete => {
            let plan = SevenDayPlan {
                available_on: *discharge_date,
                medication: "Furosemid 40 mg morgon; kaliumtillskott. Inga nya läkemedel.".into(),
                checks: "Vikt dagligen; ring vid ökning över 2 kg på tre dagar. Blodtryck dag 3."
                    .into(),
                rehabilitation: "Gångträning med rollator.".into(),
                mobile_team: String::new(),
                readable_in_npo: true,
            };
            seven_day_plan::record(conn, sender, &case.id, &plan, now - (10 * 24).hours())?;
            TrackDetails::Discharge {
                colour: *colour,
                discharge_date: *discharge_date,
                plan_available_on: Some(*discharge_date),
            }
        }
        _ => return Ok(case),
    };
    care_requests::update_track_details(conn, sender, &case, case.version, &details, now)
}

/// The rehabiliteringsplan of a rehabilitation case in care: version 1 from the planning; once
/// the insatser are going, a follow-up that revised it and version 2 with its first follow-up
/// today.
pub(super) fn rehab_plan(
    conn: &mut DbConnection,
    rules: &RuleSet,
    therapist: &Actor,
    case_id: &str,
    reach: Reach,
    now: Timestamp,
    today: Date,
) -> Result<(), StoreError> {
    let plan = |goals: &str, first_follow_up: Date| RehabPlan {
        goals: goals.into(),
        interventions:
            "Gång- och förflyttningsträning tre gånger i veckan; rollator och duschpall.".into(),
        performer: Performer::Delegated,
        delegated_to: format!(
            "Hemtjänsten {}, efter instruktion",
            super::UnitNames::of(rules).main
        ),
        team: "Arbetsterapeut och fysioterapeut, rehabteamet; distriktssköterskan".into(),
        person_took_part: true,
        absence_reason: String::new(),
        prescriber: "Arbetsterapeut, rehabteamet".into(),
        frequency: "1-manad".into(),
        first_follow_up,
    };
    rehab_plan::save(
        conn,
        therapist,
        case_id,
        &plan(
            "Klara trappan till tvättstugan själv.",
            today.saturating_add(21.days()),
        ),
        now - (7 * 24).hours(),
    )?;
    if matches!(reach, Reach::Planned | Reach::DecisionProposed) {
        return Ok(());
    }
    let versions = rehab_plan::versions(conn, case_id)?;
    let Some(v1) = versions.first() else {
        return Ok(());
    };
    let ending = matches!(reach, Reach::ClosureProposed | Reach::Closed);
    let held_on = today.saturating_sub(3.days());
    let follow_up = FollowUp {
        held_on,
        checked: "Trappgång, förflyttning och hur hemtjänsten stödjer träningen.".into(),
        outcome: if ending {
            FollowUpOutcome::ProposeClosure
        } else {
            FollowUpOutcome::RevisePlan
        },
        next_due: rules
            .treatment_plan
            .frequency("1-manad")
            .map_or(held_on, |f| f.next_after(held_on)),
    };
    rehab_plan::record_follow_up(
        conn,
        therapist,
        case_id,
        &v1.id,
        &follow_up,
        now - (3 * 24).hours(),
    )?;
    if !ending {
        rehab_plan::save(
            conn,
            therapist,
            case_id,
            &plan("Gå till affären med rollator.", today),
            now - (3 * 24).hours(),
        )?;
    }
    Ok(())
}

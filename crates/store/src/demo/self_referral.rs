//! Egenvårdsbegäran the main municipality's rehab team took by telephone and registered itself
//! (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.4): one waiting for the team's
//! assessment and decision, one decided by the team alone and in care with its
//! rehabiliteringsplan, so the team's inbox shows both.

use super::care::Reach;
use super::demo_step;
use super::plans::PlanState;
use crate::access_log::Actor;
use crate::care::planning;
use crate::case::requests as care_requests;
use crate::case::work::{self as case_work, DecisionRecord};
use crate::{DbConnection, StoreError};
use jiff::civil::{Date, date};
use jiff::{Timestamp, ToSpan};
use samsyn_domain::care::planning::{JointPlanning, PlanningForm};
use samsyn_domain::case::decision::InterventionKind;
use samsyn_domain::case::track::joint_planning_due;
use samsyn_domain::{
    Action, CareRequestInput, CaseState, Completeness, DecisionOutcome, Parties, Personnummer,
    RuleSet, Side, Step, Track,
};

/// The two persons: who they are and what they told the team.
const PERSONS: [(&str, &str, &str); 2] = [
    (
        "Britt Åkesson",
        "Ringde själv: har ramlat två gånger i badrummet och vågar inte duscha.",
        "Bedöm hjälpmedel i badrummet och träna förflyttning. Mål: duscha själv igen.",
    ),
    (
        "Gunnar Wikström",
        "Ringde själv efter höftoperation: klarar inte trappan till lägenheten.",
        "Trappträning och gånghjälpmedel. Mål: gå ut och handla själv.",
    ),
];

/// Registers both and takes the second through the team's decision, planning and start.
pub(super) fn create(
    conn: &mut DbConnection,
    rules: &RuleSet,
    therapist: &Actor,
    now: Timestamp,
    today: Date,
) -> Result<(), StoreError> {
    let names = super::UnitNames::of(rules);
    let at = |back: i64| now - (back * 24).hours();
    let on = |back: i64| today.saturating_sub(back.days());
    for (n, (name, situation, recommendation)) in PERSONS.into_iter().enumerate() {
        let serial = 960 + 2 * u16::try_from(n).unwrap_or(0);
        let number = Personnummer::from_parts(date(1951, 3, 14 + n as i8), serial, false)
            .ok_or(StoreError::Corrupt("demo personnummer".into()))?;
        let input = CareRequestInput {
            personnummer: number.expose(),
            patient_name: name.into(),
            home_municipality: names.main_code.to_string(),
            patient_address: format!("Fabriksgatan {}, {}", 10 + n, names.main),
            patient_phone: format!("070-{:03} 20 {:02}", 640 + n, n),
            track: Track::Rehabilitation.code().into(),
            rehab_initiator: "egen".into(),
            situation: situation.into(),
            recommendation: recommendation.into(),
            ..CareRequestInput::default()
        };
        let content = input
            .validate(rules, today, Completeness::RegisteredByTeam)
            .map_err(|errors| {
                let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
                StoreError::Corrupt(format!("demo egenvårdsbegäran: {fields:?}"))
            })?;
        let registered_on = if n == 0 { 1 } else { 9 };
        let step = Step {
            side: Side::Receiver,
            role: therapist.role,
            now: at(registered_on),
            today: on(registered_on),
            user_id: &therapist.user_id,
            rules,
            track: Track::Rehabilitation,
            parties: Parties::RehabTeamAlone,
        };
        let registered =
            CaseState::registered_by_team(&step).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let case = care_requests::register_egenvardsbegaran(
            conn,
            therapist,
            &content,
            &registered,
            &rules.reference(),
            at(registered_on),
        )?;
        if n == 0 {
            continue;
        }
        case_work::record_assessment(
            conn,
            therapist,
            &case,
            Side::Receiver,
            "Osäker i trappan, klarar tio steg med stöd. Motiverad att träna.",
            at(8),
        )?;
        case_work::record_home_check(conn, therapist, &case, true, true, "", at(8))?;
        let record = DecisionRecord {
            outcome: DecisionOutcome::Enrolled,
            care_level: "rehabilitering".into(),
            start_date: Some(on(7)),
            responsible_units: names.rehab_team(),
            reason: String::new(),
            joint_planning_due: Some(joint_planning_due(on(8), rules)),
            intervention_kind: Some(InterventionKind::Coordinated),
            interventions: "Trappträning, gånghjälpmedel och träningsprogram.".into(),
            shared_responsibility: None,
        };
        case_work::record_decision(conn, therapist, &case.id, &record, at(8))?;
        case_work::confirm_decision(conn, therapist, &case.id, at(8))?;
        let mut case = demo_step(
            conn,
            rules,
            therapist,
            Side::Receiver,
            &case,
            Action::Decide(DecisionOutcome::Enrolled),
            at(8),
            on(8),
        )?;
        let planning = JointPlanning {
            held_on: on(7),
            form: PlanningForm::Home,
            region_participants: String::new(),
            municipality_participants: "Fysioterapeut och arbetsterapeut, rehabteamet".into(),
            person_took_part: true,
            relatives_took_part: false,
            absence_reason: String::new(),
        };
        planning::record(conn, therapist, &case.id, &planning, at(7))?;
        super::tracks::rehab_plan(
            conn,
            rules,
            therapist,
            &case.id,
            Reach::Ongoing(PlanState::DueToday),
            now,
            today,
        )?;
        for action in [Action::Plan, Action::Start] {
            case = demo_step(
                conn,
                rules,
                therapist,
                Side::Receiver,
                &case,
                action,
                at(7),
                on(7),
            )?;
        }
    }
    Ok(())
}

//! The demo's cases after the decision: the joint work that an enrollment needs, the decision
//! proposed by one party (and in some cases not yet confirmed by the other), planning, the
//! medicinsk behandlingsplan (`plans.rs`) or in the rehabilitation process the
//! rehabiliteringsplan (`tracks.rs`), a SIP, start, and avslut in each of its states (pågående,
//! föreslaget by one party, confirmed by both, or ended by the rehab professional).

use super::plans::{self, PlanState};
use super::{demo_step, demo_step_to};
use crate::access_log::Actor;
use crate::care::closure::{self, Answer};
use crate::care::{planning, sip};
use crate::case::requests::CareRequest;
use crate::case::work::{self as case_work, DecisionRecord};
use crate::{DbConnection, StoreError};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use samsyn_domain::care::closure::ClosureProposal;
use samsyn_domain::care::planning::{JointPlanning, PlanningForm};
use samsyn_domain::care::sip::Sip;
use samsyn_domain::case::decision::InterventionKind;
use samsyn_domain::case::track::joint_planning_due;
use samsyn_domain::{Action, DecisionOutcome, RuleSet, Side, Track};

/// How far a demo case under assessment is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// Beslut föreslaget: the municipality has proposed enrollment; the vårdcentral has not
    /// confirmed it yet.
    DecisionProposed,
    /// Planerad: enrolled and planned with the person; the insatser have not started, and only
    /// the region has written its part of the plan.
    Planned,
    /// Pågående: enrolled, planned and started, with the plan in the given state.
    Ongoing(PlanState),
    /// The municipality has proposed avslut; the vårdcentral has not answered.
    ClosureProposed,
    /// The vårdcentral proposed avslut and the municipality confirmed it.
    Closed,
}

/// Who does the work: the sending and the receiving unit's users.
pub(super) struct Parties<'a> {
    pub sender: &'a Actor,
    pub receiver: &'a Actor,
    /// Track 3: the vårdcentral's doctor the hospital hands the region's part to once the
    /// decision is made; she then plans, signs and follows up for the region.
    pub takes_over: Option<&'a Actor>,
}

/// Takes a case under joint assessment to `reach`, recording what each step needs, as the
/// parties would over the days before `now`.
pub(super) fn follow_through(
    conn: &mut DbConnection,
    rules: &RuleSet,
    parties: &Parties<'_>,
    case: &CareRequest,
    reach: Reach,
    now: Timestamp,
    today: Date,
) -> Result<CareRequest, StoreError> {
    let day = |back: i64| now - (back * 24).hours();
    let on = |back: i64| today.saturating_sub(back.days());
    let (sender, receiver) = (parties.sender, parties.receiver);
    case_work::record_assessment(
        conn,
        sender,
        case,
        Side::Sender,
        "Medicinskt stabil men skör; behöver regelbunden uppföljning i hemmet.",
        day(9),
    )?;
    case_work::record_assessment(
        conn,
        receiver,
        case,
        Side::Receiver,
        "Hemsjukvården kan ge insatserna; personen vill bo kvar hemma.",
        day(9),
    )?;
    case_work::record_home_check(conn, receiver, case, true, true, "", day(9))?;
    let rehabilitation = case.track.track() == Track::Rehabilitation;
    let record = DecisionRecord {
        outcome: DecisionOutcome::Enrolled,
        care_level: if rehabilitation {
            "rehabilitering"
        } else {
            "hemsjukvard-ssk"
        }
        .into(),
        start_date: Some(on(7)),
        responsible_units: "Vårdcentralen och hemsjukvården".into(),
        reason: String::new(),
        joint_planning_due: Some(joint_planning_due(on(8), rules)),
        intervention_kind: Some(InterventionKind::Coordinated),
        interventions: if rehabilitation {
            "Gångträning, förflyttningsträning och hjälpmedel i hemmet."
        } else {
            "Läkemedelshantering, viktkontroll och såromläggning; kommunen samordnar."
        }
        .into(),
        shared_responsibility: None,
    };
    // The municipality proposes enrollment and the vårdcentral confirms it the same day.
    case_work::record_decision(conn, receiver, &case.id, &record, day(8))?;
    let proposed = demo_step(
        conn,
        rules,
        receiver,
        Side::Receiver,
        case,
        Action::ProposeDecision(DecisionOutcome::Enrolled),
        day(8),
        on(8),
    )?;
    if reach == Reach::DecisionProposed {
        return Ok(proposed);
    }
    case_work::confirm_decision(conn, sender, &case.id, day(8) + 2.hours())?;
    let mut case = demo_step(
        conn,
        rules,
        sender,
        Side::Sender,
        &proposed,
        Action::ConfirmDecision,
        day(8) + 2.hours(),
        on(8),
    )?;
    let sender = match parties.takes_over {
        Some(health_centre) => {
            case = demo_step_to(
                conn,
                rules,
                sender,
                Side::Sender,
                &case,
                Action::HandOver,
                Some(&health_centre.unit_id),
                day(8) + 3.hours(),
                on(8),
            )?;
            health_centre
        }
        None => sender,
    };
    // The joint planning at home, with the person and a relative, the day after the decision.
    let planning = JointPlanning {
        held_on: on(7),
        form: PlanningForm::Home,
        region_participants: "Fast läkarkontakt, vårdcentralen".into(),
        municipality_participants: "Distriktssköterska och arbetsterapeut, hemsjukvården".into(),
        person_took_part: true,
        relatives_took_part: true,
        absence_reason: String::new(),
    };
    planning::record(conn, receiver, &case.id, &planning, day(7))?;
    let plan_state = match reach {
        Reach::Planned => PlanState::RegionDraft,
        Reach::Ongoing(state) => state,
        _ => PlanState::DueToday,
    };
    if rehabilitation {
        super::tracks::rehab_plan(conn, rules, receiver, &case.id, reach, now, today)?;
    } else {
        plans::write(
            conn, rules, sender, receiver, &case.id, plan_state, now, today,
        )?;
    }
    if plan_state == PlanState::Overdue {
        // A SIP beside the plan: the joint planning does not replace it.
        let sip = Sip {
            held_on: on(5),
            convened_by: "Hemsjukvården".into(),
            participants:
                "Personen, sonen, fast läkarkontakt, distriktssköterska, biståndshandläggare".into(),
            next_follow_up: Some(today.saturating_add(60.days())),
        };
        sip::record(conn, receiver, &case.id, &sip, day(5))?;
    }
    let actions: &[Action] = if reach == Reach::Planned {
        &[Action::Plan]
    } else {
        &[Action::Plan, Action::Start]
    };
    for &action in actions {
        case = demo_step(
            conn,
            rules,
            receiver,
            Side::Receiver,
            &case,
            action,
            day(7),
            on(7),
        )?;
    }
    let proposal = |reason: &str| ClosureProposal {
        reason: reason.into(),
        next_contact: "Vårdcentralen, telefon enligt kallelsen; 1177 kvällar och helger.".into(),
        handover: String::new(),
    };
    match reach {
        Reach::DecisionProposed | Reach::Planned | Reach::Ongoing(_) => Ok(case),
        // In the rehabilitation process the referrer proposes, and the rehab professional ends
        // it alone.
        Reach::ClosureProposed => {
            let (by, side) = if rehabilitation {
                (sender, Side::Sender)
            } else {
                (receiver, Side::Receiver)
            };
            closure::propose(
                conn,
                by,
                &case.id,
                &proposal("Personen klarar sin läkemedelshantering själv igen."),
                day(1),
            )?;
            demo_step(
                conn,
                rules,
                by,
                side,
                &case,
                Action::ProposeClosure,
                day(1),
                on(1),
            )
        }
        Reach::Closed if rehabilitation => {
            closure::propose(
                conn,
                receiver,
                &case.id,
                &proposal("Målen i rehabiliteringsplanen är nådda."),
                day(2),
            )?;
            closure::answer(conn, receiver, &case.id, Answer::Confirmed, "", day(2))?;
            demo_step(
                conn,
                rules,
                receiver,
                Side::Receiver,
                &case,
                Action::CloseRehabilitation,
                day(2),
                on(2),
            )
        }
        Reach::Closed => {
            closure::propose(
                conn,
                sender,
                &case.id,
                &proposal("Såren har läkt; personen tar sig till vårdcentralen."),
                day(3),
            )?;
            let case = demo_step(
                conn,
                rules,
                sender,
                Side::Sender,
                &case,
                Action::ProposeClosure,
                day(3),
                on(3),
            )?;
            closure::answer(conn, receiver, &case.id, Answer::Confirmed, "", day(2))?;
            demo_step(
                conn,
                rules,
                receiver,
                Side::Receiver,
                &case,
                Action::ConfirmClosure,
                day(2),
                on(2),
            )
        }
    }
}

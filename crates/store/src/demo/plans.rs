//! The demo's medicinska behandlingsplaner, so that every state of a plan is on show: a draft
//! only the region has written, a plan fastställd by both with its first follow-up due today or
//! overdue, a second version waiting for the municipality's signature, and a plan in its second
//! fastställd version with a follow-up recorded.

use crate::access_log::Actor;
use crate::care::{follow_up, treatment_plan};
use crate::{DbConnection, StoreError};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use samsyn_domain::care::follow_up::{FollowUp, FollowUpOutcome};
use samsyn_domain::care::treatment_plan::{Contact, PlanContent};
use samsyn_domain::{RuleSet, Side};

/// How far a demo case's plan has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PlanState {
    /// Version 1 written by the region; the municipality has not written its part.
    RegionDraft,
    /// Version 1 fastställd; the first follow-up is today.
    DueToday,
    /// Version 1 fastställd; the first follow-up was four days ago and is not recorded.
    Overdue,
    /// Version 1 fastställd; version 2 changed by the region, signed by it, waiting for the
    /// municipality.
    SecondVersionWaiting,
    /// Version 2 fastställd after a follow-up that revised the plan.
    SecondVersionEstablished,
}

impl PlanState {
    /// The plan of the `variant`th case in care: each fastställd state in turn.
    pub(super) fn of_variant(variant: usize) -> PlanState {
        match variant % 4 {
            0 => PlanState::DueToday,
            1 => PlanState::Overdue,
            2 => PlanState::SecondVersionWaiting,
            _ => PlanState::SecondVersionEstablished,
        }
    }
}

fn content(first_follow_up: Date) -> PlanContent {
    PlanContent {
        region_doctor: Contact {
            name: "Fast läkarkontakt, vårdcentralen".into(),
            phone: "070-174 06 10".into(),
        },
        region_care_contact: Contact {
            name: "Distriktssköterska, vårdcentralen".into(),
            phone: "070-174 06 11".into(),
        },
        municipality_care_contact: Contact {
            name: "Sjuksköterska, hemsjukvården".into(),
            phone: "070-174 06 21".into(),
        },
        coordinator: Some(Side::Receiver),
        prognosis: "Kronisk hjärtsvikt, stabil på nuvarande behandling. Lätt kognitiv svikt.".into(),
        deterioration: "Vård i hemmet så långt det går. Vid allvarlig försämring: bedömning av läkare i hemmet eller inläggning efter samråd. Direktkontakt: vårdcentralens sjuksköterskelinje dagtid, 1177 övrig tid.".into(),
        point_interventions: "Inga punktinsatser: samordnad vård.".into(),
        shared_responsibility: Some(false),
        action_plan: "Viktökning mer än 2 kg på tre dagar eller ökad andfåddhet: ring vårdcentralen samma dag; extra furosemid 40 mg enligt ordination.".into(),
        follow_up: "Fast läkarkontakt och kommunens sjuksköterska följer upp planen vid hembesök.".into(),
        frequency: "3-manader".into(),
        first_follow_up: Some(first_follow_up),
    }
}

/// Writes the case's plan to `state`, as the parties would have since the planning `days_ago`.
#[allow(clippy::too_many_arguments)]
pub(super) fn write(
    conn: &mut DbConnection,
    rules: &RuleSet,
    region: &Actor,
    municipality: &Actor,
    case_id: &str,
    state: PlanState,
    now: Timestamp,
    today: Date,
) -> Result<(), StoreError> {
    let day = |back: i64| now - (back * 24).hours();
    let on = |back: i64| today.saturating_sub(back.days());
    let first = match state {
        PlanState::Overdue => on(4),
        _ => today,
    };
    let plan = content(first);
    // The region writes version 1 the day after the planning.
    treatment_plan::save_draft(conn, region, case_id, None, &plan, day(6))?;
    if state == PlanState::RegionDraft {
        return Ok(());
    }
    let establish = |conn: &mut DbConnection, at: Timestamp| -> Result<(), StoreError> {
        let versions = treatment_plan::versions(conn, case_id)?;
        let draft = versions.last().ok_or(StoreError::NotFound)?;
        treatment_plan::sign(conn, region, case_id, draft, Side::Sender, false, at)?;
        treatment_plan::sign(
            conn,
            municipality,
            case_id,
            draft,
            Side::Receiver,
            true,
            at + 3.hours(),
        )
    };
    establish(conn, day(6))?;
    let revised = PlanContent {
        prognosis: "Hjärtsvikten har försämrats; NYHA III. Lätt kognitiv svikt.".into(),
        frequency: "1-manad".into(),
        first_follow_up: Some(today.saturating_add(20.days())),
        ..plan.clone()
    };
    match state {
        PlanState::DueToday | PlanState::Overdue | PlanState::RegionDraft => Ok(()),
        PlanState::SecondVersionWaiting => {
            let versions = treatment_plan::versions(conn, case_id)?;
            treatment_plan::save_draft(conn, region, case_id, versions.last(), &revised, day(1))?;
            let versions = treatment_plan::versions(conn, case_id)?;
            let draft = versions.last().ok_or(StoreError::NotFound)?;
            treatment_plan::sign(conn, region, case_id, draft, Side::Sender, false, day(1))
        }
        PlanState::SecondVersionEstablished => {
            let frequency = rules
                .treatment_plan
                .frequency(&plan.frequency)
                .ok_or(StoreError::NotFound)?;
            let versions = treatment_plan::versions(conn, case_id)?;
            let established = versions.last().ok_or(StoreError::NotFound)?;
            let follow_up = FollowUp {
                held_on: on(3),
                checked: "Vikt, andfåddhet och läkemedelslistan vid hembesök.".into(),
                outcome: FollowUpOutcome::RevisePlan,
                next_due: frequency.next_after(on(3)),
            };
            follow_up::record(
                conn,
                municipality,
                case_id,
                &established.id,
                &follow_up,
                day(3),
            )?;
            treatment_plan::save_draft(conn, region, case_id, Some(established), &revised, day(2))?;
            establish(conn, day(2))
        }
    }
}

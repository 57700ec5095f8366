//! The facts the follow-up's indicators read from every sent case: dates and yes/no, one query
//! per table (no query per case), no person.

use crate::schema::{
    care_requests, closure_proposals, decisions, follow_up_due, joint_plannings, plan_follow_ups,
    sips, treatment_plans, units,
};
use crate::{DbConnection, StoreError, from_millis};
use diesel::prelude::*;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use samsyn_domain::case::track::Track;
use samsyn_domain::follow_up::indicators::CaseFacts;
use samsyn_domain::{RuleSet, TrackDetails};
use std::collections::{HashMap, HashSet};

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("follow-up facts: {what}"))
}

fn day(text: &str) -> Result<Date, StoreError> {
    text.parse().map_err(|_| corrupt("date"))
}

type RequestRow = (
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    String,
);

/// Every sent case's facts, dates in the rule set's time zone.
pub fn all(conn: &mut DbConnection, rules: &RuleSet) -> Result<Vec<CaseFacts>, StoreError> {
    let zone = TimeZone::get(&rules.time_zone).unwrap_or(TimeZone::UTC);
    let date_of = |ms: i64| -> Result<Date, StoreError> {
        Ok(from_millis(ms)?.to_zoned(zone.clone()).date())
    };
    let parties: HashMap<String, String> = units::table
        .select((units::id, units::party))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let requests: Vec<RequestRow> = care_requests::table
        .filter(care_requests::sent_at.is_not_null())
        .select((
            care_requests::id,
            care_requests::sender_unit_id,
            care_requests::receiver_unit_id,
            care_requests::track,
            care_requests::track_details,
            care_requests::sent_at,
            care_requests::acknowledgement_due,
            care_requests::acknowledged_at,
            care_requests::planning_due,
            care_requests::state,
        ))
        .load(conn)?;
    // The case's latest decision; it stands when the other party has confirmed it (an oenighet
    // after an earlier enrollment is the latest, and the person is then not counted as enrolled).
    type Latest = (i64, Option<i64>, String, Option<String>);
    let mut latest: HashMap<String, Latest> = HashMap::new();
    for (case, at, confirmed, outcome, planning_due) in decisions::table
        .select((
            decisions::case_id,
            decisions::at,
            decisions::confirmed_at,
            decisions::outcome,
            decisions::joint_planning_due,
        ))
        .load::<(String, i64, Option<i64>, String, Option<String>)>(conn)?
    {
        if latest.get(&case).is_none_or(|(earlier, ..)| at > *earlier) {
            latest.insert(case, (at, confirmed, outcome, planning_due));
        }
    }
    let decided: HashMap<String, (i64, String, Option<String>)> = latest
        .into_iter()
        .filter_map(|(case, (_, confirmed, outcome, due))| {
            confirmed.map(|at| (case, (at, outcome, due)))
        })
        .collect();
    let mut planned: HashMap<String, Date> = HashMap::new();
    for (case, held) in joint_plannings::table
        .select((joint_plannings::case_id, joint_plannings::held_on))
        .load::<(String, String)>(conn)?
    {
        let held = day(&held)?;
        let slot = planned.entry(case).or_insert(held);
        *slot = (*slot).min(held);
    }
    let complete_plans = complete_plan_cases(conn, rules)?;
    // The first follow-up the first fastställd version set; each held follow-up then sets the
    // next one's date.
    let mut first_follow_ups: HashMap<String, Date> = HashMap::new();
    for (case, first) in treatment_plans::table
        .filter(treatment_plans::established_at.is_not_null())
        .filter(treatment_plans::first_follow_up.is_not_null())
        .order(treatment_plans::version.asc())
        .select((treatment_plans::case_id, treatment_plans::first_follow_up))
        .load::<(String, Option<String>)>(conn)?
    {
        if let Some(first) = first
            && !first_follow_ups.contains_key(&case)
        {
            first_follow_ups.insert(case, day(&first)?);
        }
    }
    let mut held_follow_ups: HashMap<String, Vec<(Date, Date)>> = HashMap::new();
    for (case, held, next) in plan_follow_ups::table
        .select((
            plan_follow_ups::case_id,
            plan_follow_ups::held_on,
            plan_follow_ups::next_due,
        ))
        .load::<(String, String, String)>(conn)?
    {
        held_follow_ups
            .entry(case)
            .or_default()
            .push((day(&held)?, day(&next)?));
    }
    let outstanding: HashMap<String, Date> = follow_up_due::table
        .select((follow_up_due::case_id, follow_up_due::due_on))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(case, due)| Ok((case, day(&due)?)))
        .collect::<Result<_, StoreError>>()?;
    let with_sip: HashSet<String> = sips::table
        .select(sips::case_id)
        .load(conn)?
        .into_iter()
        .collect();
    // A confirmed closing: met when the other party confirmed it (not the proposer's own side,
    // as the rehab team closes its own process) and where the person turns next is written.
    let closed: HashMap<String, (i64, bool)> = closure_proposals::table
        .filter(closure_proposals::answer.eq("bekraftat"))
        .select((
            closure_proposals::case_id,
            closure_proposals::answered_at,
            closure_proposals::next_contact,
            closure_proposals::unit_id,
            closure_proposals::answered_unit_id,
        ))
        .load::<(String, Option<i64>, String, String, Option<String>)>(conn)?
        .into_iter()
        .filter_map(|(case, at, next, proposer, answerer)| {
            let both = answerer.is_some_and(|a| parties.get(&a) != parties.get(&proposer));
            at.map(|at| (case, (at, both && !next.trim().is_empty())))
        })
        .collect();
    let municipal: HashSet<&str> = rules
        .municipalities
        .iter()
        .map(|m| m.code.as_str())
        .collect();
    let mut facts = Vec::with_capacity(requests.len());
    for (id, sender, receiver, track, details, sent, ack_due, ack_at, planning, state) in requests {
        let party_of = |unit: &str| parties.get(unit).cloned().unwrap_or_default();
        let receiving = party_of(&receiver);
        let municipality = if municipal.contains(receiving.as_str()) {
            receiving
        } else {
            party_of(&sender)
        };
        let details: TrackDetails = serde_json::from_str(&details).map_err(|_| corrupt("track"))?;
        let (discharge_on, seven_day_plan_on) = match &details {
            TrackDetails::Discharge {
                discharge_date,
                plan_available_on,
                ..
            } => (Some(*discharge_date), *plan_available_on),
            _ => (None, None),
        };
        let sip_in_track = matches!(details, TrackDetails::SpecializedCare { sip: Some(_), .. });
        let standing = decided.get(&id);
        let mut follow_ups = Vec::new();
        let mut due = first_follow_ups.get(&id).copied();
        let mut held = held_follow_ups.remove(&id).unwrap_or_default();
        held.sort();
        for (held_on, next) in held {
            if let Some(due) = due {
                follow_ups.push((due, Some(held_on)));
            }
            due = Some(next);
        }
        // The next follow-up still due, for a case in care with a treatment plan (the rehab
        // process keeps its own follow-ups in the same table).
        let in_care = !matches!(state.as_str(), "avslutad" | "aterkallad");
        if let Some(waiting) = outstanding.get(&id)
            && in_care
            && track != Track::Rehabilitation.code()
        {
            follow_ups.push((*waiting, None));
        }
        let closure = closed.get(&id);
        facts.push(CaseFacts {
            track,
            municipality,
            sent_on: sent.map(date_of).transpose()?,
            acknowledgement_due: ack_due.as_deref().map(day).transpose()?,
            acknowledged_on: ack_at.map(date_of).transpose()?,
            decided_on: standing.map(|(at, _, _)| date_of(*at)).transpose()?,
            enrolled: standing.is_some_and(|(_, outcome, _)| outcome == "inskriven"),
            planning_due: standing
                .and_then(|(_, _, due)| due.as_deref())
                .or(planning.as_deref())
                .map(day)
                .transpose()?,
            planning_held_on: planned.get(&id).copied(),
            complete_plan: complete_plans.contains(&id),
            follow_ups,
            discharge_on,
            seven_day_plan_on,
            sip_held: sip_in_track || with_sip.contains(&id),
            closed_on: closure.map(|(at, _)| date_of(*at)).transpose()?,
            closed_by_both_with_next_contact: closure.is_some_and(|(_, next)| *next),
            case_id: id,
        });
    }
    Ok(facts)
}

/// The cases with a fastställd plan that has every item written.
fn complete_plan_cases(
    conn: &mut DbConnection,
    rules: &RuleSet,
) -> Result<HashSet<String>, StoreError> {
    let established = crate::care::treatment_plan::established(conn)?;
    Ok(established
        .into_iter()
        .filter(|plan| plan.content.missing(&rules.treatment_plan).is_empty())
        .map(|plan| plan.case_id)
        .collect())
}

/// The ids of the cases a unit sends or receives: which figures' cases its staff may open.
pub fn case_ids_of_unit(
    conn: &mut DbConnection,
    unit_id: &str,
) -> Result<HashSet<String>, StoreError> {
    Ok(care_requests::table
        .filter(
            care_requests::sender_unit_id
                .eq(unit_id)
                .or(care_requests::receiver_unit_id.eq(unit_id)),
        )
        .select(care_requests::id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

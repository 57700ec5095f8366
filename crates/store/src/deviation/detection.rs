//! Runs the domain's checks (`samsyn_domain::deviation::detection`) over every sent case and
//! stores each new finding as a proposal, at most once per case and kind: addressed to the unit
//! whose side missed it, reported for the case's other unit. The scan reads dates and state
//! only; no one sees the person until a proposal is opened, and that read is logged.

use crate::schema::{care_requests, deviations, follow_up_due};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use samsyn_domain::deviation::detection::{CaseDates, findings};
use samsyn_domain::deviation::{Status, answer_due};
use samsyn_domain::{RuleSet, Side, TrackDetails};

type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
);

/// Proposes every deviation not yet proposed; returns how many are new.
pub fn propose_new(
    conn: &mut DbConnection,
    rules: &RuleSet,
    today: Date,
    now: Timestamp,
) -> Result<usize, StoreError> {
    let zone = TimeZone::get(&rules.time_zone).unwrap_or(TimeZone::UTC);
    let rows: Vec<Row> = care_requests::table
        .filter(care_requests::state.ne("utkast"))
        .select((
            care_requests::id,
            care_requests::sender_unit_id,
            care_requests::receiver_unit_id,
            care_requests::state,
            care_requests::track_details,
            care_requests::acknowledgement_due,
            care_requests::acknowledged_at,
            care_requests::planning_due,
        ))
        .load(conn)?;
    let already: Vec<(Option<String>, String)> = deviations::table
        .filter(deviations::detected.eq(true))
        .select((deviations::case_id, deviations::kind))
        .load(conn)?;
    let corrupt = || StoreError::Corrupt("case dates".into());
    let date = |value: Option<String>| -> Result<Option<Date>, StoreError> {
        value.map(|v| v.parse().map_err(|_| corrupt())).transpose()
    };
    let mut new = 0;
    for (id, sender, receiver, state, details, ack_due, ack_at, planning) in rows {
        if sender == receiver {
            continue;
        }
        let track: TrackDetails = serde_json::from_str(&details).map_err(|_| corrupt())?;
        let (discharge_on, seven_day_plan_on) = match track {
            TrackDetails::Discharge {
                discharge_date,
                plan_available_on,
                ..
            } => (Some(discharge_date), plan_available_on),
            _ => (None, None),
        };
        let follow_up: Option<String> = follow_up_due::table
            .find(&id)
            .select(follow_up_due::due_on)
            .get_result(conn)
            .optional()?;
        let case = CaseDates {
            acknowledgement_due: date(ack_due)?,
            acknowledged_on: ack_at
                .map(|ms| from_millis(ms).map(|t| t.to_zoned(zone.clone()).date()))
                .transpose()?,
            awaiting_acknowledgement: matches!(state.as_str(), "skickad" | "vidarebefordrad"),
            discharge_on,
            seven_day_plan_on,
            planning_due: date(planning)?,
            follow_up_due: date(follow_up)?,
            finished: matches!(state.as_str(), "avslutad" | "aterkallad"),
        };
        for finding in findings(&case, today, &rules.deviation) {
            let Some(kind) = rules.deviation.detected(finding.detection) else {
                continue;
            };
            if already
                .iter()
                .any(|(case, k)| case.as_deref() == Some(id.as_str()) && k == &kind.code)
            {
                continue;
            }
            let (reporting, addressed) = match finding.responsible {
                Side::Receiver => (&sender, &receiver),
                Side::Sender => (&receiver, &sender),
            };
            diesel::insert_into(deviations::table)
                .values((
                    deviations::id.eq(new_id()),
                    deviations::kind.eq(&kind.code),
                    deviations::occurred_on.eq(finding.occurred_on.to_string()),
                    deviations::description.eq(&finding.description),
                    deviations::case_id.eq(Some(&id)),
                    deviations::reporting_unit_id.eq(reporting),
                    deviations::reported_by.eq(None::<String>),
                    deviations::reported_at.eq(to_millis(now)),
                    deviations::addressed_unit_id.eq(addressed),
                    deviations::detected.eq(true),
                    deviations::status.eq(Status::Proposed.code()),
                    deviations::answer_due.eq(Some(answer_due(today, rules).to_string())),
                    deviations::version.eq(0),
                ))
                .execute(conn)?;
            new += 1;
        }
    }
    Ok(new)
}

//! Avvikelser i samverkan (*Överenskommelse om samverkan inom hälso- och sjukvård, socialtjänst,
//! elevhälsa, e-hälsa och kunskapsstyrning mellan Region Örebro län och kommunerna i Örebro län*
//! §8): deviations reported by staff or proposed by Samsyn, each addressed to a unit of the other
//! party, with its steps. A deviation linked to a case may tell of the person, so every read and
//! write of one writes an access-log entry naming the case's patient.

pub mod detection;

use crate::access_log::{self, Access, Actor};
use crate::schema::{care_requests, deviations, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::deviation::{Answer, Report, Status};
use samsyn_domain::{AccessAction, AccessOutcome, Party};
use std::collections::HashMap;

/// The access log's name for a deviation.
pub const OBJECT_TYPE: &str = "avvikelse";

/// A deviation as stored, with the names a page shows.
#[derive(Debug, Clone)]
pub struct StoredDeviation {
    pub id: String,
    pub kind: String,
    pub occurred_on: Date,
    pub description: String,
    pub case_id: Option<String>,
    pub reporting_unit_id: String,
    pub reporting_unit: String,
    pub reporting_party: Party,
    /// `None` when Samsyn proposed it.
    pub reported_by: Option<String>,
    pub reported_at: Timestamp,
    pub addressed_unit_id: String,
    pub addressed_unit: String,
    pub addressed_party: Party,
    pub detected: bool,
    pub status: Status,
    pub answer_due: Option<Date>,
    pub dismissal_reason: String,
    pub decided_by: Option<String>,
    pub investigation: String,
    pub measures: String,
    pub answered_by: Option<String>,
    pub answered_at: Option<Timestamp>,
    pub conclusion: String,
    pub closed_by: Option<String>,
    pub closed_at: Option<Timestamp>,
    pub version: i64,
}

/// Who reports a deviation, and what about.
pub struct NewDeviation<'a> {
    pub report: &'a Report,
    pub case_id: Option<&'a str>,
    pub addressed_unit_id: &'a str,
    pub answer_due: Date,
}

/// Stores a deviation a staff member reported; it waits for the addressed manager's answer.
pub fn report(
    conn: &mut DbConnection,
    actor: &Actor,
    new: &NewDeviation<'_>,
    now: Timestamp,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(deviations::table)
        .values((
            deviations::id.eq(&id),
            deviations::kind.eq(&new.report.kind),
            deviations::occurred_on.eq(new.report.occurred_on.to_string()),
            deviations::description.eq(&new.report.description),
            deviations::case_id.eq(new.case_id),
            deviations::reporting_unit_id.eq(&actor.unit_id),
            deviations::reported_by.eq(Some(&actor.user_id)),
            deviations::reported_at.eq(to_millis(now)),
            deviations::addressed_unit_id.eq(new.addressed_unit_id),
            deviations::detected.eq(false),
            deviations::status.eq(Status::Reported.code()),
            deviations::answer_due.eq(Some(new.answer_due.to_string())),
            deviations::version.eq(0),
        ))
        .execute(conn)?;
    log(conn, actor, new.case_id, &id, AccessAction::Create, now)?;
    Ok(id)
}

/// What a step changes besides the status.
pub enum StepRecord<'a> {
    Confirmed { answer_due: Date },
    Dismissed { reason: &'a str },
    Answered(&'a Answer),
    Closed { conclusion: &'a str },
}

/// Stores a step at the version last read, and logs it.
pub fn record_step(
    conn: &mut DbConnection,
    actor: &Actor,
    deviation: &StoredDeviation,
    next: Status,
    step: &StepRecord<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let target = deviations::table
        .find(&deviation.id)
        .filter(deviations::version.eq(deviation.version));
    let base = (
        deviations::status.eq(next.code()),
        deviations::version.eq(deviation.version + 1),
    );
    let at = Some(to_millis(now));
    let who = Some(actor.user_id.as_str());
    let changed = match step {
        StepRecord::Confirmed { answer_due } => diesel::update(target)
            .set((
                base,
                deviations::answer_due.eq(Some(answer_due.to_string())),
                deviations::decided_by.eq(who),
                deviations::decided_at.eq(at),
            ))
            .execute(conn)?,
        StepRecord::Dismissed { reason } => diesel::update(target)
            .set((
                base,
                deviations::dismissal_reason.eq(*reason),
                deviations::decided_by.eq(who),
                deviations::decided_at.eq(at),
            ))
            .execute(conn)?,
        StepRecord::Answered(answer) => diesel::update(target)
            .set((
                base,
                deviations::investigation.eq(&answer.investigation),
                deviations::measures.eq(&answer.measures),
                deviations::answered_by.eq(who),
                deviations::answered_at.eq(at),
            ))
            .execute(conn)?,
        StepRecord::Closed { conclusion } => diesel::update(target)
            .set((
                base,
                deviations::conclusion.eq(*conclusion),
                deviations::closed_by.eq(who),
                deviations::closed_at.eq(at),
            ))
            .execute(conn)?,
    };
    if changed != 1 {
        return Err(StoreError::Conflict);
    }
    log(
        conn,
        actor,
        deviation.case_id.as_deref(),
        &deviation.id,
        AccessAction::Update,
        now,
    )
}

/// One deviation, if the user's party is one of the two it is between; the read is logged.
pub fn open(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    party: &Party,
    now: Timestamp,
) -> Result<Option<StoredDeviation>, StoreError> {
    let found = load(
        conn,
        deviations::table
            .filter(deviations::id.eq(id.to_owned()))
            .into_boxed(),
    )?
    .pop()
    .filter(|d| &d.reporting_party == party || &d.addressed_party == party);
    if let Some(deviation) = &found {
        log(
            conn,
            actor,
            deviation.case_id.as_deref(),
            &deviation.id,
            AccessAction::Read,
            now,
        )?;
    }
    Ok(found)
}

/// The deviations between the party and another, newest first; the list shows no description,
/// so only the listing itself is logged.
pub fn of_party(
    conn: &mut DbConnection,
    actor: &Actor,
    party: &Party,
    now: Timestamp,
) -> Result<Vec<StoredDeviation>, StoreError> {
    let all = load(
        conn,
        deviations::table
            .order((deviations::reported_at.desc(), deviations::id.desc()))
            .into_boxed(),
    )?;
    access_log::record(
        conn,
        actor,
        Access {
            patient_id: None,
            action: AccessAction::List,
            object_type: OBJECT_TYPE,
            object_id: "lista",
            outcome: AccessOutcome::Allowed,
        },
        now,
    )?;
    Ok(all
        .into_iter()
        .filter(|d| &d.reporting_party == party || &d.addressed_party == party)
        .collect())
}

/// Every deviation reported (or proposed) from `from` until `until`, for the yearly
/// statistics: figures only, so nothing is logged.
pub fn reported_between(
    conn: &mut DbConnection,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<StoredDeviation>, StoreError> {
    load(
        conn,
        deviations::table
            .filter(deviations::reported_at.ge(to_millis(from)))
            .filter(deviations::reported_at.lt(to_millis(until)))
            .order((deviations::reported_at.asc(), deviations::id.asc()))
            .into_boxed(),
    )
}

type Row = (
    (String, String, String, String, Option<String>, String),
    (Option<String>, i64, String, bool, String, Option<String>),
    (
        String,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<i64>,
    ),
    (String, Option<String>, Option<i64>, i64),
);

fn load(
    conn: &mut DbConnection,
    query: deviations::BoxedQuery<'static, crate::db::MultiBackend>,
) -> Result<Vec<StoredDeviation>, StoreError> {
    let rows: Vec<Row> = query
        .select((
            (
                deviations::id,
                deviations::kind,
                deviations::occurred_on,
                deviations::description,
                deviations::case_id,
                deviations::reporting_unit_id,
            ),
            (
                deviations::reported_by,
                deviations::reported_at,
                deviations::addressed_unit_id,
                deviations::detected,
                deviations::status,
                deviations::answer_due,
            ),
            (
                deviations::dismissal_reason,
                deviations::decided_by,
                deviations::investigation,
                deviations::measures,
                deviations::answered_by,
                deviations::answered_at,
            ),
            (
                deviations::conclusion,
                deviations::closed_by,
                deviations::closed_at,
                deviations::version,
            ),
        ))
        .load(conn)?;
    let units: HashMap<String, (String, Party)> = crate::units::list(conn)?
        .into_iter()
        .map(|u| (u.id, (u.name, u.party)))
        .collect();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut name =
        |conn: &mut DbConnection, id: Option<String>| -> Result<Option<String>, StoreError> {
            let Some(id) = id else { return Ok(None) };
            if let Some(known) = names.get(&id) {
                return Ok(Some(known.clone()));
            }
            let found: String = users::table
                .find(&id)
                .select(users::display_name)
                .get_result(conn)?;
            names.insert(id, found.clone());
            Ok(Some(found))
        };
    let corrupt = |what: &str| StoreError::Corrupt(format!("deviation: {what}"));
    let date = |value: &str| value.parse::<Date>().map_err(|_| corrupt("date"));
    let mut all = Vec::with_capacity(rows.len());
    for row in rows {
        let (
            (id, kind, occurred_on, description, case_id, reporting_unit_id),
            (reported_by, reported_at, addressed_unit_id, detected, status, answer_due),
            (dismissal_reason, decided_by, investigation, measures, answered_by, answered_at),
            (conclusion, closed_by, closed_at, version),
        ) = row;
        let (reporting_unit, reporting_party) = units
            .get(&reporting_unit_id)
            .cloned()
            .ok_or_else(|| corrupt("unit"))?;
        let (addressed_unit, addressed_party) = units
            .get(&addressed_unit_id)
            .cloned()
            .ok_or_else(|| corrupt("unit"))?;
        all.push(StoredDeviation {
            occurred_on: date(&occurred_on)?,
            status: Status::from_code(&status).ok_or_else(|| corrupt("status"))?,
            answer_due: answer_due.as_deref().map(date).transpose()?,
            reported_by: name(conn, reported_by)?,
            decided_by: name(conn, decided_by)?,
            answered_by: name(conn, answered_by)?,
            closed_by: name(conn, closed_by)?,
            reported_at: from_millis(reported_at)?,
            answered_at: answered_at.map(from_millis).transpose()?,
            closed_at: closed_at.map(from_millis).transpose()?,
            id,
            kind,
            description,
            case_id,
            reporting_unit_id,
            reporting_unit,
            reporting_party,
            addressed_unit_id,
            addressed_unit,
            addressed_party,
            detected,
            dismissal_reason,
            investigation,
            measures,
            conclusion,
            version,
        });
    }
    Ok(all)
}

fn log(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: Option<&str>,
    id: &str,
    action: AccessAction,
    now: Timestamp,
) -> Result<(), StoreError> {
    let patient: Option<String> = match case_id {
        Some(case) => care_requests::table
            .find(case)
            .select(care_requests::patient_id)
            .get_result(conn)
            .optional()?,
        None => None,
    };
    access_log::record(
        conn,
        actor,
        Access {
            patient_id: patient.as_deref(),
            action,
            object_type: OBJECT_TYPE,
            object_id: id,
            outcome: AccessOutcome::Allowed,
        },
        now,
    )
}

//! One oenighet on a case: what the parties disagree on, what is done for the person meanwhile,
//! its ladder, and its report to the county group with the group's guidance. Every change is
//! made in the caller's transaction after the case was opened (and logged) for update, and
//! matches on the version last read.

use super::ladder;
use crate::access_log::Actor;
use crate::schema::{disagreement_county_reports as reports, disagreements, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::disagreement::Ladder;
use samsyn_domain::disagreement::county_report::CountyReport;

/// An oenighet as stored.
#[derive(Debug, Clone)]
pub struct StoredDisagreement {
    pub id: String,
    pub case_id: String,
    pub opened_at: Timestamp,
    pub opened_by: String,
    /// Vad parterna är oeniga om.
    pub description: String,
    /// Vad som görs för personen under tiden.
    pub interim_arrangement: String,
    pub resolved_at: Option<Timestamp>,
    pub version: i64,
    /// `None` for a disagreement opened before the ladder.
    pub ladder: Option<Ladder>,
    pub county: Option<StoredCountyReport>,
}

/// The report to the county group and what the group did with it.
#[derive(Debug, Clone)]
pub struct StoredCountyReport {
    pub report: CountyReport,
    pub identity_attached: bool,
    pub reported_by: String,
    pub reported_at: Timestamp,
    /// Gruppens vägledning: on the interpretation of the agreement and whether medical
    /// considerations of the care need were made.
    pub guidance: String,
    /// Förslag till förtydligande, tillämpningsanvisning eller omformulering.
    pub proposal: String,
    pub guidance_by: Option<String>,
    pub guidance_at: Option<Timestamp>,
    /// The day the group reported the case to the chefsgrupp's arbetsutskott.
    pub reported_to_committee_on: Option<Date>,
}

/// Opens an oenighet on the case with its first step, the nearest line managers. The caller
/// writes the timeline entry (the decision step, or the oenighet raised on a case in care).
pub fn open(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    description: &str,
    interim_arrangement: &str,
    ladder: &Ladder,
    now: Timestamp,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(disagreements::table)
        .values((
            disagreements::id.eq(&id),
            disagreements::case_id.eq(case_id),
            disagreements::opened_at.eq(to_millis(now)),
            disagreements::opened_by.eq(&actor.user_id),
            disagreements::description.eq(description),
            disagreements::status.eq("oppen"),
            disagreements::interim_arrangement.eq(interim_arrangement),
            disagreements::version.eq(0),
        ))
        .execute(conn)?;
    ladder::save(conn, &id, ladder)?;
    Ok(id)
}

/// The timeline's kind for a step on an oenighet's ladder.
pub const LADDER_EVENT: &str = "oenighet";

/// Stores a step on the ladder: the whole ladder, at the version last read, with a line on the
/// case's timeline saying what happened. A resolved ladder resolves the oenighet.
pub fn save_ladder(
    conn: &mut DbConnection,
    actor: &Actor,
    disagreement: &StoredDisagreement,
    ladder: &Ladder,
    what: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    bump(conn, disagreement)?;
    crate::case::requests::add_event(
        conn,
        actor,
        &disagreement.case_id,
        LADDER_EVENT,
        None,
        what,
        now,
    )?;
    if ladder.is_resolved() {
        diesel::update(disagreements::table.find(&disagreement.id))
            .set((
                disagreements::status.eq("lost"),
                disagreements::resolved_at.eq(Some(to_millis(now))),
            ))
            .execute(conn)?;
    }
    ladder::save(conn, &disagreement.id, ladder)
}

/// Reports the oenighet to the county group together with the ladder's new county step.
pub fn report_to_county(
    conn: &mut DbConnection,
    actor: &Actor,
    disagreement: &StoredDisagreement,
    ladder: &Ladder,
    report: &CountyReport,
    identity_attached: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    save_ladder(
        conn,
        actor,
        disagreement,
        ladder,
        "Anmäld till länsgemensam nivå",
        now,
    )?;
    diesel::insert_into(reports::table)
        .values((
            reports::disagreement_id.eq(&disagreement.id),
            reports::description.eq(&report.description),
            reports::interpretations.eq(&report.interpretations),
            reports::cause.eq(&report.cause),
            reports::identity_attached.eq(identity_attached),
            reports::reported_by.eq(&actor.user_id),
            reports::reported_at.eq(to_millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The county group's guidance and proposal, and the day it reported the case to the
/// arbetsutskott (kept once set).
pub fn record_guidance(
    conn: &mut DbConnection,
    actor: &Actor,
    disagreement: &StoredDisagreement,
    guidance: &str,
    proposal: &str,
    reported_to_committee_on: Option<Date>,
    now: Timestamp,
) -> Result<(), StoreError> {
    bump(conn, disagreement)?;
    diesel::update(reports::table.find(&disagreement.id))
        .set((
            reports::guidance.eq(guidance),
            reports::proposal.eq(proposal),
            reports::guidance_by.eq(Some(&actor.user_id)),
            reports::guidance_at.eq(Some(to_millis(now))),
            reports::reported_to_committee_on.eq(reported_to_committee_on.map(|d| d.to_string())),
        ))
        .execute(conn)?;
    Ok(())
}

fn bump(conn: &mut DbConnection, disagreement: &StoredDisagreement) -> Result<(), StoreError> {
    let changed = diesel::update(
        disagreements::table
            .find(&disagreement.id)
            .filter(disagreements::version.eq(disagreement.version)),
    )
    .set(disagreements::version.eq(disagreement.version + 1))
    .execute(conn)?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict)
    }
}

type Row = (
    String,
    String,
    i64,
    String,
    String,
    String,
    Option<i64>,
    i64,
);

/// The case's oenigheter, oldest first.
pub fn of_case(
    conn: &mut DbConnection,
    case_id: &str,
) -> Result<Vec<StoredDisagreement>, StoreError> {
    let rows: Vec<Row> = disagreements::table
        .inner_join(users::table.on(users::id.eq(disagreements::opened_by)))
        .filter(disagreements::case_id.eq(case_id))
        .order((disagreements::opened_at.asc(), disagreements::id.asc()))
        .select(COLUMNS)
        .load(conn)?;
    rows.into_iter().map(|row| complete(conn, row)).collect()
}

/// One oenighet by its id.
pub fn get(conn: &mut DbConnection, id: &str) -> Result<StoredDisagreement, StoreError> {
    let row: Row = disagreements::table
        .inner_join(users::table.on(users::id.eq(disagreements::opened_by)))
        .filter(disagreements::id.eq(id))
        .select(COLUMNS)
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    complete(conn, row)
}

/// Every oenighet that has a ladder, oldest first: for the county group's lists and the yearly
/// compilation, which read them without the person.
pub fn all(conn: &mut DbConnection) -> Result<Vec<StoredDisagreement>, StoreError> {
    let rows: Vec<Row> = disagreements::table
        .inner_join(users::table.on(users::id.eq(disagreements::opened_by)))
        .order((disagreements::opened_at.asc(), disagreements::id.asc()))
        .select(COLUMNS)
        .load(conn)?;
    let mut all = Vec::with_capacity(rows.len());
    for row in rows {
        let stored = complete(conn, row)?;
        if stored.ladder.is_some() {
            all.push(stored);
        }
    }
    Ok(all)
}

const COLUMNS: (
    disagreements::id,
    disagreements::case_id,
    disagreements::opened_at,
    users::display_name,
    disagreements::description,
    disagreements::interim_arrangement,
    disagreements::resolved_at,
    disagreements::version,
) = (
    disagreements::id,
    disagreements::case_id,
    disagreements::opened_at,
    users::display_name,
    disagreements::description,
    disagreements::interim_arrangement,
    disagreements::resolved_at,
    disagreements::version,
);

fn complete(conn: &mut DbConnection, row: Row) -> Result<StoredDisagreement, StoreError> {
    let (id, case_id, opened_at, opened_by, description, interim_arrangement, resolved_at, version) =
        row;
    let ladder = ladder::load(conn, &id)?;
    let county = county_report(conn, &id)?;
    Ok(StoredDisagreement {
        opened_at: from_millis(opened_at)?,
        resolved_at: resolved_at.map(from_millis).transpose()?,
        ladder,
        county,
        id,
        case_id,
        opened_by,
        description,
        interim_arrangement,
        version,
    })
}

type ReportRow = (
    String,
    String,
    String,
    bool,
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
);

fn county_report(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<StoredCountyReport>, StoreError> {
    let row: Option<ReportRow> = reports::table
        .inner_join(users::table.on(users::id.eq(reports::reported_by)))
        .filter(reports::disagreement_id.eq(id))
        .select((
            reports::description,
            reports::interpretations,
            reports::cause,
            reports::identity_attached,
            users::display_name,
            reports::reported_at,
            reports::guidance,
            reports::proposal,
            reports::guidance_by,
            reports::guidance_at,
            reports::reported_to_committee_on,
        ))
        .first(conn)
        .optional()?;
    let Some((
        description,
        interpretations,
        cause,
        identity_attached,
        reported_by,
        reported_at,
        guidance,
        proposal,
        guidance_by,
        guidance_at,
        committee,
    )) = row
    else {
        return Ok(None);
    };
    let guidance_by = match guidance_by {
        Some(user) => Some(
            users::table
                .find(user)
                .select(users::display_name)
                .get_result(conn)?,
        ),
        None => None,
    };
    Ok(Some(StoredCountyReport {
        report: CountyReport {
            description,
            interpretations,
            cause,
        },
        identity_attached,
        reported_by,
        reported_at: from_millis(reported_at)?,
        guidance,
        proposal,
        guidance_by,
        guidance_at: guidance_at.map(from_millis).transpose()?,
        reported_to_committee_on: committee
            .map(|d| {
                d.parse()
                    .map_err(|_| StoreError::Corrupt("county report date".into()))
            })
            .transpose()?,
    }))
}

/// What the county group and the compilation know of an oenighet's case: its track and the two
/// parties, and the patient's id only for logging a deliberate attachment.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub track: String,
    pub sender_party: samsyn_domain::Party,
    pub receiver_party: samsyn_domain::Party,
    pub patient_id: String,
}

pub fn case_facts(conn: &mut DbConnection, case_id: &str) -> Result<CaseFacts, StoreError> {
    use crate::schema::care_requests;
    let (track, sender, receiver, patient_id): (String, String, String, String) =
        care_requests::table
            .find(case_id)
            .select((
                care_requests::track,
                care_requests::sender_unit_id,
                care_requests::receiver_unit_id,
                care_requests::patient_id,
            ))
            .get_result(conn)?;
    Ok(CaseFacts {
        track,
        sender_party: crate::units::get(conn, &sender)?.party,
        receiver_party: crate::units::get(conn, &receiver)?.party,
        patient_id,
    })
}

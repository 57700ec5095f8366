//! The sample check of treatment plans: the draw as made (period, seed, how many per party, the
//! checklist then in force, the plans picked) and each plan's review. A plan is patient data: the
//! caller logs each read and review against the case's patient.

use crate::access_log::{self, Access, Actor};
use crate::follow_up::plan::is_final;
use crate::schema::{care_requests, sample_check_items, sample_checks, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::follow_up::sample_check::{Candidate, Review};
use samsyn_domain::{AccessAction, AccessOutcome, RuleSet};
use std::collections::BTreeMap;

/// A drawn plan and its review, if made.
#[derive(Debug, Clone)]
pub struct Item {
    pub position: i32,
    pub case_id: String,
    pub plan_id: String,
    pub municipality: String,
    pub review: Option<Review>,
    pub reviewed_at: Option<Timestamp>,
}

/// A sample check as drawn.
#[derive(Debug, Clone)]
pub struct SampleCheck {
    pub id: String,
    pub year: i16,
    pub period: (Date, Date),
    pub seed: u64,
    pub per_party: u32,
    /// The checklist's codes when drawn.
    pub checklist: Vec<String>,
    pub drawn_at: Timestamp,
    pub drawn_by: String,
    pub items: Vec<Item>,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("sample check {what}"))
}

/// The plans that may be drawn: each case's latest version fastställd within the period (days
/// inclusive, in the rule set's time zone), with the case's municipality.
pub fn candidates(
    conn: &mut DbConnection,
    rules: &RuleSet,
    period: (Date, Date),
) -> Result<Vec<Candidate>, StoreError> {
    let zone = jiff::tz::TimeZone::get(&rules.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let municipality_of: BTreeMap<String, String> = crate::follow_up::case_facts::all(conn, rules)?
        .into_iter()
        .map(|f| (f.case_id, f.municipality))
        .collect();
    let mut latest: BTreeMap<String, (Timestamp, String)> = BTreeMap::new();
    for plan in crate::care::treatment_plan::established(conn)? {
        let on = plan.established_at.to_zoned(zone.clone()).date();
        if on < period.0 || on > period.1 {
            continue;
        }
        let slot = latest
            .entry(plan.case_id.clone())
            .or_insert((plan.established_at, plan.plan_id.clone()));
        if plan.established_at > slot.0 {
            *slot = (plan.established_at, plan.plan_id);
        }
    }
    Ok(latest
        .into_iter()
        .filter_map(|(case_id, (_, plan_id))| {
            municipality_of.get(&case_id).map(|m| Candidate {
                municipality: m.clone(),
                case_id,
                plan_id,
            })
        })
        .collect())
}

/// What a new sample check records.
pub struct NewSampleCheck<'a> {
    pub year: i16,
    pub period: (Date, Date),
    pub seed: u64,
    pub per_party: u32,
    pub checklist: &'a [String],
    pub drawn: &'a [Candidate],
    pub user_id: &'a str,
}

pub fn create(
    conn: &mut DbConnection,
    new: &NewSampleCheck<'_>,
    now: Timestamp,
) -> Result<String, StoreError> {
    if is_final(conn, new.year)? {
        return Err(StoreError::Conflict);
    }
    let id = new_id();
    diesel::insert_into(sample_checks::table)
        .values((
            sample_checks::id.eq(&id),
            sample_checks::year.eq(i32::from(new.year)),
            sample_checks::period_from.eq(new.period.0.to_string()),
            sample_checks::period_to.eq(new.period.1.to_string()),
            sample_checks::seed.eq(new.seed as i64),
            sample_checks::per_party.eq(new.per_party as i32),
            sample_checks::checklist.eq(new.checklist.join(",")),
            sample_checks::drawn_at.eq(to_millis(now)),
            sample_checks::drawn_by.eq(new.user_id),
        ))
        .execute(conn)?;
    for (position, candidate) in new.drawn.iter().enumerate() {
        diesel::insert_into(sample_check_items::table)
            .values((
                sample_check_items::sample_id.eq(&id),
                sample_check_items::position.eq(position as i32),
                sample_check_items::case_id.eq(&candidate.case_id),
                sample_check_items::plan_id.eq(&candidate.plan_id),
                sample_check_items::municipality.eq(&candidate.municipality),
                sample_check_items::note.eq(""),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

type CheckRow = (String, i32, String, String, i64, i32, String, i64, String);
type ItemRow = (
    i32,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<i64>,
);

fn review_of(findings: Option<String>, note: String) -> Result<Option<Review>, StoreError> {
    findings
        .map(|text| {
            let findings: BTreeMap<String, bool> =
                serde_json::from_str(&text).map_err(|_| corrupt("findings"))?;
            Ok(Review { findings, note })
        })
        .transpose()
}

fn load(conn: &mut DbConnection, row: CheckRow) -> Result<SampleCheck, StoreError> {
    let (id, year, from, to, seed, per_party, checklist, at, by) = row;
    let rows: Vec<ItemRow> = sample_check_items::table
        .filter(sample_check_items::sample_id.eq(&id))
        .order(sample_check_items::position.asc())
        .select((
            sample_check_items::position,
            sample_check_items::case_id,
            sample_check_items::plan_id,
            sample_check_items::municipality,
            sample_check_items::findings,
            sample_check_items::note,
            sample_check_items::reviewed_at,
        ))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(
            |(position, case_id, plan_id, municipality, findings, note, at)| {
                Ok(Item {
                    position,
                    case_id,
                    plan_id,
                    municipality,
                    review: review_of(findings, note)?,
                    reviewed_at: at.map(from_millis).transpose()?,
                })
            },
        )
        .collect::<Result<Vec<_>, StoreError>>()?;
    let drawn_by: String = users::table
        .find(&by)
        .select(users::display_name)
        .get_result(conn)?;
    let date = |d: &str| d.parse::<Date>().map_err(|_| corrupt("period"));
    Ok(SampleCheck {
        year: i16::try_from(year).map_err(|_| corrupt("year"))?,
        period: (date(&from)?, date(&to)?),
        seed: seed as u64,
        per_party: u32::try_from(per_party).map_err(|_| corrupt("size"))?,
        checklist: checklist.split(',').map(str::to_owned).collect(),
        drawn_at: from_millis(at)?,
        drawn_by,
        items,
        id,
    })
}

const COLUMNS: (
    sample_checks::id,
    sample_checks::year,
    sample_checks::period_from,
    sample_checks::period_to,
    sample_checks::seed,
    sample_checks::per_party,
    sample_checks::checklist,
    sample_checks::drawn_at,
    sample_checks::drawn_by,
) = (
    sample_checks::id,
    sample_checks::year,
    sample_checks::period_from,
    sample_checks::period_to,
    sample_checks::seed,
    sample_checks::per_party,
    sample_checks::checklist,
    sample_checks::drawn_at,
    sample_checks::drawn_by,
);

pub fn get(conn: &mut DbConnection, id: &str) -> Result<SampleCheck, StoreError> {
    let row: CheckRow = sample_checks::table
        .find(id)
        .select(COLUMNS)
        .get_result(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    load(conn, row)
}

/// The year's sample checks, newest first.
pub fn of_year(conn: &mut DbConnection, year: i16) -> Result<Vec<SampleCheck>, StoreError> {
    let rows: Vec<CheckRow> = sample_checks::table
        .filter(sample_checks::year.eq(i32::from(year)))
        .order(sample_checks::drawn_at.desc())
        .select(COLUMNS)
        .load(conn)?;
    rows.into_iter().map(|row| load(conn, row)).collect()
}

/// The access log's name for a plan read in a sample check.
pub const OBJECT_TYPE: &str = "stickprov";

/// Logs a read or review of a drawn plan against its case's patient.
pub fn log_plan_access(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    action: AccessAction,
    now: Timestamp,
) -> Result<(), StoreError> {
    let patient: String = care_requests::table
        .find(case_id)
        .select(care_requests::patient_id)
        .get_result(conn)?;
    access_log::record(
        conn,
        actor,
        Access {
            patient_id: Some(&patient),
            action,
            object_type: OBJECT_TYPE,
            object_id: case_id,
            outcome: AccessOutcome::Allowed,
        },
        now,
    )
}

/// Records the review of the item at `position`, over the review read then (`reviewed_before`,
/// `None` when it had none): a review someone else saved in between is a conflict, not lost.
pub fn review(
    conn: &mut DbConnection,
    sample: &SampleCheck,
    position: i32,
    review: &Review,
    reviewed_before: Option<Timestamp>,
    user_id: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    if is_final(conn, sample.year)? {
        return Err(StoreError::Conflict);
    }
    let current = sample
        .items
        .iter()
        .find(|i| i.position == position)
        .ok_or(StoreError::NotFound)?;
    if current.reviewed_at != reviewed_before {
        return Err(StoreError::Conflict);
    }
    let findings = serde_json::to_string(&review.findings).map_err(|_| corrupt("findings"))?;
    let values = (
        sample_check_items::findings.eq(Some(findings)),
        sample_check_items::note.eq(&review.note),
        sample_check_items::reviewed_at.eq(Some(to_millis(now))),
        sample_check_items::reviewed_by.eq(Some(user_id)),
    );
    let item = sample_check_items::table.find((&sample.id, position));
    let changed = match reviewed_before {
        None => diesel::update(item.filter(sample_check_items::reviewed_at.is_null()))
            .set(values)
            .execute(conn)?,
        Some(at) => diesel::update(item.filter(sample_check_items::reviewed_at.eq(to_millis(at))))
            .set(values)
            .execute(conn)?,
    };
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict)
    }
}

//! A year's follow-up plan (its methods, each with who, when, done and comment), chefsgruppen's
//! decision on it, the report's summary and proposals, and the final report, stored as it was
//! when finalised and never changed after.

use crate::schema::{follow_up_methods, follow_up_years, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::follow_up::plan::PlannedMethod;

/// What is recorded for a year besides its methods.
#[derive(Debug, Clone, Default)]
pub struct FollowUpYear {
    pub year: i16,
    pub plan_decided_on: Option<Date>,
    /// The decision's reference, e.g. the minutes' paragraph.
    pub plan_decision: String,
    pub plan_decided_by: Option<String>,
    pub summary: String,
    pub proposals: String,
    pub finalised_at: Option<Timestamp>,
    pub finalised_by: Option<String>,
    /// The report's JSON as finalised.
    pub final_report: Option<String>,
    pub version: i64,
}

impl FollowUpYear {
    pub fn is_final(&self) -> bool {
        self.finalised_at.is_some()
    }
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("follow-up year {what}"))
}

fn name_of(conn: &mut DbConnection, user: Option<String>) -> Result<Option<String>, StoreError> {
    user.map(|id| {
        users::table
            .find(id)
            .select(users::display_name)
            .get_result::<String>(conn)
    })
    .transpose()
    .map_err(Into::into)
}

type YearRow = (
    i32,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    i64,
);

/// The year's record, if the plan has been started.
pub fn year(conn: &mut DbConnection, year: i16) -> Result<Option<FollowUpYear>, StoreError> {
    let row: Option<YearRow> = follow_up_years::table
        .find(i32::from(year))
        .select((
            follow_up_years::year,
            follow_up_years::plan_decided_on,
            follow_up_years::plan_decision,
            follow_up_years::plan_decided_by,
            follow_up_years::summary,
            follow_up_years::proposals,
            follow_up_years::finalised_at,
            follow_up_years::finalised_by,
            follow_up_years::final_report,
            follow_up_years::version,
        ))
        .first(conn)
        .optional()?;
    let Some((_, decided_on, decision, decided_by, summary, proposals, at, by, report, version)) =
        row
    else {
        return Ok(None);
    };
    Ok(Some(FollowUpYear {
        year,
        plan_decided_on: decided_on
            .map(|d| d.parse().map_err(|_| corrupt("date")))
            .transpose()?,
        plan_decision: decision,
        plan_decided_by: name_of(conn, decided_by)?,
        summary,
        proposals,
        finalised_at: at.map(from_millis).transpose()?,
        finalised_by: name_of(conn, by)?,
        final_report: report,
        version,
    }))
}

/// The year's methods in the plan's order.
pub fn methods(conn: &mut DbConnection, year: i16) -> Result<Vec<PlannedMethod>, StoreError> {
    let rows: Vec<(i32, String, String, String, Option<bool>, String)> = follow_up_methods::table
        .filter(follow_up_methods::year.eq(i32::from(year)))
        .order(follow_up_methods::position.asc())
        .select((
            follow_up_methods::part,
            follow_up_methods::label,
            follow_up_methods::responsible,
            follow_up_methods::due_on,
            follow_up_methods::done,
            follow_up_methods::comment,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(part, label, responsible, due_on, done, comment)| {
            Ok(PlannedMethod {
                part: u8::try_from(part).map_err(|_| corrupt("part"))?,
                label,
                responsible,
                due_on: due_on.parse().map_err(|_| corrupt("due"))?,
                done,
                comment,
            })
        })
        .collect()
}

/// The year's record, locked for a write: refused when the report is final or someone else
/// changed it since `expected_version` was read.
fn for_write(
    conn: &mut DbConnection,
    year: i16,
    expected_version: i64,
) -> Result<FollowUpYear, StoreError> {
    let current = self::year(conn, year)?.ok_or(StoreError::NotFound)?;
    if current.is_final() || current.version != expected_version {
        return Err(StoreError::Conflict);
    }
    Ok(current)
}

fn bump(conn: &mut DbConnection, year: i16, version: i64) -> Result<(), StoreError> {
    let changed = diesel::update(
        follow_up_years::table
            .find(i32::from(year))
            .filter(follow_up_years::version.eq(version)),
    )
    .set(follow_up_years::version.eq(version + 1))
    .execute(conn)?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict)
    }
}

fn insert_methods(
    conn: &mut DbConnection,
    year: i16,
    methods: &[PlannedMethod],
    by: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    for (position, method) in methods.iter().enumerate() {
        diesel::insert_into(follow_up_methods::table)
            .values((
                follow_up_methods::id.eq(new_id()),
                follow_up_methods::year.eq(i32::from(year)),
                follow_up_methods::position.eq(position as i32),
                follow_up_methods::part.eq(i32::from(method.part)),
                follow_up_methods::label.eq(&method.label),
                follow_up_methods::responsible.eq(&method.responsible),
                follow_up_methods::due_on.eq(method.due_on.to_string()),
                follow_up_methods::done.eq(method.done),
                follow_up_methods::comment.eq(&method.comment),
                follow_up_methods::changed_at.eq(to_millis(now)),
                follow_up_methods::changed_by.eq(by),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Starts the year's plan from `methods` (the rule set's defaults, or a published plan) unless it
/// is started already; returns the year's record.
pub fn start(
    conn: &mut DbConnection,
    year: i16,
    methods: &[PlannedMethod],
    by: Option<&str>,
    now: Timestamp,
) -> Result<FollowUpYear, StoreError> {
    if let Some(existing) = self::year(conn, year)? {
        return Ok(existing);
    }
    diesel::insert_into(follow_up_years::table)
        .values((
            follow_up_years::year.eq(i32::from(year)),
            follow_up_years::plan_decision.eq(""),
            follow_up_years::summary.eq(""),
            follow_up_years::proposals.eq(""),
            follow_up_years::version.eq(0),
        ))
        .execute(conn)?;
    insert_methods(conn, year, methods, by, now)?;
    self::year(conn, year)?.ok_or(StoreError::NotFound)
}

/// Replaces the year's methods with `methods`, in that order.
pub fn save_methods(
    conn: &mut DbConnection,
    year: i16,
    methods: &[PlannedMethod],
    by: &str,
    expected_version: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    for_write(conn, year, expected_version)?;
    diesel::delete(follow_up_methods::table.filter(follow_up_methods::year.eq(i32::from(year))))
        .execute(conn)?;
    insert_methods(conn, year, methods, Some(by), now)?;
    bump(conn, year, expected_version)
}

/// Records chefsgruppen's decision on the plan: the day and its reference.
pub fn record_decision(
    conn: &mut DbConnection,
    year: i16,
    decided_on: Date,
    decision: &str,
    by: &str,
    expected_version: i64,
) -> Result<(), StoreError> {
    for_write(conn, year, expected_version)?;
    diesel::update(follow_up_years::table.find(i32::from(year)))
        .set((
            follow_up_years::plan_decided_on.eq(Some(decided_on.to_string())),
            follow_up_years::plan_decision.eq(decision),
            follow_up_years::plan_decided_by.eq(Some(by)),
        ))
        .execute(conn)?;
    bump(conn, year, expected_version)
}

/// Keeps the report's written summary and proposals.
pub fn save_summary(
    conn: &mut DbConnection,
    year: i16,
    summary: &str,
    proposals: &str,
    expected_version: i64,
) -> Result<(), StoreError> {
    for_write(conn, year, expected_version)?;
    diesel::update(follow_up_years::table.find(i32::from(year)))
        .set((
            follow_up_years::summary.eq(summary),
            follow_up_years::proposals.eq(proposals),
        ))
        .execute(conn)?;
    bump(conn, year, expected_version)
}

/// Makes the report final with its content as it stands: from now on the year shows this and
/// takes no writes.
pub fn finalise(
    conn: &mut DbConnection,
    year: i16,
    report_json: &str,
    by: &str,
    expected_version: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    for_write(conn, year, expected_version)?;
    diesel::update(follow_up_years::table.find(i32::from(year)))
        .set((
            follow_up_years::finalised_at.eq(Some(to_millis(now))),
            follow_up_years::finalised_by.eq(Some(by)),
            follow_up_years::final_report.eq(Some(report_json)),
        ))
        .execute(conn)?;
    bump(conn, year, expected_version)
}

/// Whether the year's report is final (and its plan, survey and sample checks locked).
pub fn is_final(conn: &mut DbConnection, year: i16) -> Result<bool, StoreError> {
    Ok(self::year(conn, year)?.is_some_and(|y| y.is_final()))
}
